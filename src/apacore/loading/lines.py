"""Where in a TOML text a ``$.path`` is: its line, and the indicator the place belongs to.

An error names ``$.entries[23].q2``; an officer looks for a line and an indicator. This
module finds both from the text an error is about, after the error (never on the way to a
score): :func:`line_of` walks the text's table headers (``[[entries]]`` counted,
``[entries.claimed]`` within the current entry) and keys, and gives the line of the
longest part of the path it meets; :func:`indicator_of` reads the parsed data along the
path and gives the report entry's ``indicator`` (``egov/2.1.1``) or the agreement row's
``id`` (its annex's kind before it). :func:`with_place` puts both on an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from apacore.errors import ApacoreError
from apacore.limits import shorten

__all__ = ["indicator_of", "line_of", "path_segments", "with_place"]

_SEGMENT = re.compile(r"\.([A-Za-z0-9_-]+)|\[([0-9]+)\]")
_ARRAY_HEADER = re.compile(r"^\[\[\s*([^\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\[\s*([^\]\[]+?)\s*\]")
_KEY = re.compile(
    r"""^((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*="""
)


def path_segments(path: str) -> list[str | int]:
    """``$.entries[23].q2`` as ``["entries", 23, "q2"]``."""
    if not path.startswith("$"):
        return []
    return [m[1] if m[1] is not None else int(m[2]) for m in _SEGMENT.finditer(path[1:])]


def _keys(dotted: str) -> list[str]:
    return [k.strip().strip("\"'") for k in re.findall(r"""[^."']+|"[^"]*"|'[^']*'""", dotted)
            if k.strip()]  # fmt: skip


def line_of(text: str, path: str) -> int | None:
    """The line (1-based) of ``text`` where ``path`` is written, or of its nearest
    enclosing table or key; None when the text does not hold the path's first step."""
    target = path_segments(path)
    if not target:
        return None
    counters: dict[tuple[str | int, ...], int] = {}
    current: list[str | int] = []
    best, best_len = None, 0
    in_string = False

    def consider(full: list[str | int], number: int) -> None:
        nonlocal best, best_len
        if len(full) > best_len and target[: len(full)] == full:
            best, best_len = number, len(full)

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if raw.count('"""') % 2 or raw.count("'''") % 2:  # a multi-line string opens or closes
            was = in_string
            in_string = not in_string
            if was:
                continue
        elif in_string:
            continue
        if not line or line.startswith("#"):
            continue
        m = _ARRAY_HEADER.match(line)
        if m is not None:
            indexed: list[str | int] = []
            keys = _keys(m[1])
            for depth, key in enumerate(keys):
                indexed.append(key)
                if depth < len(keys) - 1 and tuple(indexed) in counters:
                    indexed.append(counters[tuple(indexed)])
            index = counters.get(tuple(indexed), -1) + 1
            counters[tuple(indexed)] = index
            current = [*indexed, index]
            consider(current, number)
            continue
        m = _TABLE_HEADER.match(line)
        if m is not None:
            indexed = []
            for key in _keys(m[1]):
                indexed.append(key)
                if tuple(indexed) in counters:
                    indexed.append(counters[tuple(indexed)])
            current = indexed
            consider(current, number)
            continue
        m = _KEY.match(line)
        if m is not None:
            consider([*current, *_keys(m[1])], number)
    return best


def indicator_of(data: Mapping[str, Any], path: str) -> str:
    """The indicator the place ``path`` of ``data`` belongs to: a report entry's
    ``indicator``, or an agreement row's ``id`` (``egov/1.1.1`` inside an annex); ""
    when it belongs to none."""
    node: Any = data
    kind = ""
    found = ""
    segments = path_segments(path)
    for i, step in enumerate(segments):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, Mapping):
            if segments[:1] == ["annexes"] and i == 1 and isinstance(node.get("kind"), str):
                kind = node["kind"]
            if isinstance(node.get("indicator"), str):
                found = node["indicator"]
            elif i >= 1 and segments[i - 1] == "indicators" and isinstance(node.get("id"), str):
                found = f"{kind}/{node['id']}" if kind else node["id"]
    return found


def with_place(
    error: ApacoreError, sources: Mapping[str | None, str | Path | None]
) -> ApacoreError:
    """``error`` with the line and indicator of its ``$.path`` filled in, when it is about
    one of ``sources`` (name → its TOML text, or the file to read it from)."""
    if not error.path or error.line or error.where not in sources:
        return error
    source = sources[error.where]
    try:
        text = source.read_text("utf-8-sig") if isinstance(source, Path) else source
    except (OSError, UnicodeDecodeError):
        return error
    if not isinstance(text, str):
        return error
    line = line_of(text, error.path)
    try:
        import tomllib as toml
    except ImportError:  # Python 3.10
        import tomli as toml  # type: ignore[no-redef,import-not-found,unused-ignore]
    item = ""
    if not error.path.endswith((".id", ".indicator")):  # else the message quotes the id
        try:
            item = indicator_of(toml.loads(text), error.path)
        except (toml.TOMLDecodeError, RecursionError, ValueError):
            pass
    return error.placed(line or 0, shorten(item))
