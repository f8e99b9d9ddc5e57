"""Errors as RFC 9457 problem details (``application/problem+json``).

Every answer that is not a success is one JSON object: ``type`` (a URN naming the kind of
problem), ``title``, ``status``, ``detail`` (the one line the command line prints after
``apacore: error:``), and for a mistake in the input ``where`` (``agreement``,
``report``, ``as_of``, …) and ``path`` (``$.entries[0].q1``). No answer carries a
traceback: an unexpected error is logged on the server and answered with its decision id.
"""

from __future__ import annotations

import json
from typing import Any

from apacore.errors import ApacoreError

__all__ = ["PROBLEMS", "PROBLEM_JSON", "Problem", "from_error"]

PROBLEM_JSON = "application/problem+json"

PROBLEMS: dict[str, tuple[int, str]] = {
    "invalid-input": (400, "The input has a mistake"),
    "unauthorized": (401, "A bearer token is needed"),
    "not-found": (404, "No such resource"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-acceptable": (406, "No acceptable representation"),
    "ruleset-pin": (409, "The ruleset is not the one pinned"),
    "too-large": (413, "The request body is over the limit"),
    "media-type": (415, "Unsupported media type"),
    "plugin-failure": (500, "A plugin failed"),
    "internal": (500, "Internal error"),
    "timeout": (503, "The request took longer than the time limit"),
}
"""Each problem's name (its type is ``urn:apacore:problem:NAME``), status and title."""


class Problem(Exception):
    """An answer that is a problem: raise it from a handler, the app writes it out."""

    def __init__(self, name: str, detail: str, **extra: Any) -> None:
        self.name = name
        self.status, self.title = PROBLEMS[name]
        self.detail = detail
        self.extra = extra
        super().__init__(detail)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": f"urn:apacore:problem:{self.name}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }

    def body(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False).encode("utf-8")


def from_error(exc: ApacoreError) -> Problem:
    """An apacore error as its problem: a pin that differs 409, a plugin's failure 500
    naming the plugin, any other mistake 400; ``detail`` is the command line's line."""
    from apacore.errors import PinError, PluginError
    from apacore.serve.engine import error_line

    name = "invalid-input"
    if isinstance(exc, PinError):
        name = "ruleset-pin"
    elif isinstance(exc, PluginError) or exc.where.startswith("plugin "):
        name = "plugin-failure"
    place = {"where": exc.where, "path": exc.path}
    return Problem(name, error_line(exc), **{k: v for k, v in place.items() if v}, why=exc.why)
