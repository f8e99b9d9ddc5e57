"""Text helpers the importer's modules share: normalising cells, TOML strings and comments."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

# --------------------------------------------------------------------------- text helpers

_INVISIBLE_RE: Final = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _norm(text: str) -> str:
    """NFC (so য় is always য + nukta), no invisible characters, single spaces."""
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE_RE.sub("", text)).split())


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(unicodedata.normalize("NFC", pattern), re.IGNORECASE)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


_CONTROL_RE: Final = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` fit for one TOML comment line: single spaces, and the control characters
    TOML forbids in comments written visibly as ``\\u001b``."""
    text = " ".join(text.split())
    return _CONTROL_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
