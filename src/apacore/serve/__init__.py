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
