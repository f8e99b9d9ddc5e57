"""What the tests of ``apacore serve`` share: the example offices as request bodies, and
what the command line prints for them."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli as tomllib

from apacore.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"
OFFICES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "agreement.toml").is_file())


def json_text(value: Any) -> str:
    """``value`` as JSON, decimals written as JSON numbers digit for digit (``json.dumps``
    writes none) and dates as ISO strings: what a portal sends for a file's object."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {json_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return json.dumps(value.isoformat())
    return json.dumps(value, ensure_ascii=False)


def office_texts(name: str) -> dict[str, str]:
    """``{"agreement": TOML, "report": TOML, "evaluation": TOML}`` (no report or
    evaluation where the office has none)."""
    folder = EXAMPLES / name
    texts = {"agreement": (folder / "agreement.toml").read_text(encoding="utf-8")}
    for part in ("report", "evaluation"):
        if (folder / f"{part}.toml").is_file():
            texts[part] = (folder / f"{part}.toml").read_text(encoding="utf-8")
    return texts


def body(name: str, *, objects: bool = False, **extra: Any) -> bytes:
    """The request body scoring office ``name``: its files as TOML text, or as JSON
    objects (``objects``), with ``extra`` keys."""
    parts = []
    for key, text in office_texts(name).items():
        value = json_text(tomllib.loads(text, parse_float=Decimal)) if objects else json.dumps(text)
        parts.append(f'"{key}": {value}')
    parts += [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in extra.items()]
    return ("{" + ", ".join(parts) + "}").encode("utf-8")


def cli_json(*args: str) -> Any:
    """What ``apacore ARGS`` prints, read as JSON."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        main(list(args))
    return json.loads(out.getvalue())


DECIDED = ("decision_id", "elapsed_ms", "notices")
"""What an answer adds to the command line's JSON: the decision's id, its time, and the
notices the command prints on standard error."""


def undecided(answer: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in answer.items() if k not in DECIDED}
