"""The one TOML writer: plain data (dicts, lists, str, Decimal, int, date, bool) as TOML
text, strings escaped once (:func:`toml_string`). ``apacore new`` writes agreements with
it and ``apacore import`` its reports' strings."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["to_toml", "toml_string"]

_BARE = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE.match(key) else toml_string(key)


def toml_string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (quotes, backslashes, control
    characters), and DEL, which JSON leaves as is, is escaped too."""
    import json

    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return toml_string(value)
    if value is None:
        return '"-"'
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {_scalar(v)}" for k, v in value.items()) + " }"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def to_toml(data: Mapping[str, Any], prefix: str = "") -> str:
    """``data`` (plain dicts, lists, str, Decimal, int, date, bool) as TOML text."""
    lines: list[str] = []
    tables: list[tuple[str, Any]] = []
    for key, value in data.items():
        if isinstance(value, dict) and value and not prefix:  # nested ones are inline
            tables.append((key, value))
        elif _is_table_list(value):
            tables.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_scalar(value)}")
    out = "\n".join(lines) + ("\n" if lines else "")
    for key, value in tables:
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out += f"\n[{name}]\n" + to_toml(value, prefix=f"{name}.")
        else:
            for item in value:
                out += f"\n[[{name}]]\n" + to_toml(item, prefix=f"{name}.")
    return out
