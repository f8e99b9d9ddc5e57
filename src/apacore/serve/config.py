"""What ``apacore serve``'s options set (their defaults are in :mod:`apacore.serve`)."""

from __future__ import annotations

from apacore.errors import ApacoreError
from apacore.serve import DEFAULT_MAX_BODY, DEFAULT_TIME_LIMIT
from apacore.values import frozen

__all__ = ["ENV_CONFIG", "ServeConfig", "read_token"]

ENV_CONFIG = "APACORE_SERVE_CONFIG"
"""How the command hands its options to the worker processes uvicorn starts (the token
itself stays in its file, which each worker reads)."""


@frozen(kw_only=True)
class ServeConfig:
    """The service's settings (docs/serve.md)."""

    token: str | None = None
    """A request to ``/v1/…`` must carry ``Authorization: Bearer TOKEN``."""
    cors: tuple[str, ...] = ()
    """Origins whose pages may call the service (none by default)."""
    decision_log: str | None = None
    """A file to append one JSON line per decision to."""
    max_body: int = DEFAULT_MAX_BODY
    time_limit: float = DEFAULT_TIME_LIMIT


def read_token(path: str | None) -> str | None:
    """The bearer token in the file ``path`` (``--token-file``): one word of at least 16
    characters."""
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
    except OSError as exc:
        raise ApacoreError(f"cannot read: {exc.strerror or exc}", where="--token-file") from None
    except UnicodeDecodeError:
        raise ApacoreError("not UTF-8 text", where="--token-file") from None
    if len(token) < 16 or any(c.isspace() for c in token):
        raise ApacoreError("a token is one word of at least 16 characters", where="--token-file")
    return token
