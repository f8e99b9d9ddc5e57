"""Decision ids and the decision log.

Every answer that scores is a decision: it gets an id (a random UUID) that the answer
carries, and with ``--decision-log FILE`` one JSON line is appended to FILE per decision:
its id, the time (UTC), the endpoint, the sha256 of the request body, the sha256 of the
ruleset(s) used, the total (or, for a batch, the number of offices) and the status.
A line is written with one ``write`` to a file opened for appending, so the lines of
several workers do not mix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import uuid
from typing import Any

__all__ = ["DecisionLog", "new_id"]


def new_id() -> str:
    """A new decision id."""
    return str(uuid.uuid4())


class DecisionLog:
    """Appends one JSON line per decision to ``path`` (nothing when ``path`` is None)."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fd: int | None = None

    def _open(self) -> int:
        if self._fd is None:
            assert self.path is not None
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        return self._fd

    def write(
        self,
        decision_id: str,
        *,
        endpoint: str,
        body: bytes,
        status: int,
        ruleset_sha256: str | list[str] | None = None,
        total: Any = None,
    ) -> None:
        if self.path is None:
            return
        line = {
            "id": decision_id,
            "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
            "endpoint": endpoint,
            "input_sha256": hashlib.sha256(body).hexdigest(),
            "ruleset_sha256": ruleset_sha256,
            "total": total,
            "status": status,
        }
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            os.write(self._open(), data)

    def close(self) -> None:
        with self._lock:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
