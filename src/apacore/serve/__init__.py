"""``apacore serve``: the engine over HTTP (the optional ``serve`` extra: Litestar, uvicorn).

- :mod:`apacore.serve.engine`: everything the service asks of the engine, in one place;
- :mod:`apacore.serve.schemas`: the requests and answers (and so the OpenAPI document);
- :mod:`apacore.serve.problems`: errors as RFC 9457 problem details;
- :mod:`apacore.serve.decisions`: decision ids and the decision log;
- :mod:`apacore.serve.config`: the settings and their defaults;
- :mod:`apacore.serve.app`: the Litestar application;
- :mod:`apacore.serve.command`: ``apacore serve``, with uvicorn.

docs/serve.md describes the endpoints, the limits and the errors.
"""

from __future__ import annotations

from apacore.limits import MAX_FILE_BYTES

__all__ = ["DEFAULT_MAX_BODY", "DEFAULT_TIME_LIMIT"]

# The defaults of ``apacore serve``'s options: here, where the command line's parser
# (built at every start) finds them without importing the service.
DEFAULT_MAX_BODY = MAX_FILE_BYTES
"""A request body's limit: a file's (4 MiB, docs/limits.md)."""
DEFAULT_TIME_LIMIT = 30.0
"""Seconds a request may take before it is answered 503."""
