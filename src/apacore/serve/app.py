"""The HTTP service: a Litestar application over :mod:`apacore.serve.engine`.

Litestar was chosen because it writes the OpenAPI 3.1 document from the msgspec
structures it decodes the requests into (:mod:`apacore.serve.schemas`), with no second
model of the data; uvicorn serves it (``apacore serve``, :mod:`apacore.serve.command`).

Scoring runs in a worker thread under a time limit, so the event loop keeps answering
(``/health`` among others) while an office is scored. Every scoring answer carries the
decision's id and the ruleset that produced it (in the body and in ``Apacore-*``
headers); every error is a problem (:mod:`apacore.serve.problems`).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from typing import Any

import anyio
from litestar import Litestar, Request, Response, Router, get, post
from litestar.config.cors import CORSConfig
from litestar.datastructures import ResponseHeader
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig, ResponseSpec
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.params import FromPath, JSONBody
from litestar.serialization import encode_json
from litestar.types import Empty

from apacore._version import __version__
from apacore.errors import ApacoreError
from apacore.limits import MAX_NESTING
from apacore.serve import engine
from apacore.serve import schemas as s
from apacore.serve.config import ENV_CONFIG, ServeConfig, read_token
from apacore.serve.decisions import DecisionLog, new_id
from apacore.serve.problems import PROBLEM_JSON, Problem, from_error
from apacore.values import frozen

__all__ = ["ServeConfig", "app_from_environment", "create_app"]

log = logging.getLogger("apacore.serve")


# --------------------------------------------------------------------------- requests

_JSON_TYPES = ("application/json",)


def _depth_over(data: object, limit: int) -> bool:
    """Whether ``data`` nests more than ``limit`` levels (iteratively: no input can
    exhaust the stack)."""
    stack: list[tuple[object, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values() if isinstance(v, (dict, list)))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item if isinstance(v, (dict, list)))
    return False


class ApiRequest(Request[Any, Any, Any]):
    """A request whose JSON body is read exactly: numbers with a fraction or exponent as
    :class:`~decimal.Decimal` (never a binary float), within apacore's limits."""

    async def json(self) -> Any:
        cached = self.__dict__.get("_apacore_json", Empty)
        if cached is not Empty:
            return cached
        media = self.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in _JSON_TYPES and not (
            media.startswith("application/") and media.endswith("+json")
        ):
            raise Problem(
                "media-type",
                f"request: send the body as application/json, not {media or 'no content type'}",
            )
        body = await self.body()
        try:
            data = json.loads(body.decode("utf-8-sig"), parse_float=Decimal)
        except UnicodeDecodeError as exc:
            raise Problem(
                "invalid-input", f"request: not UTF-8 text (byte {exc.start})", where="request"
            ) from None
        except json.JSONDecodeError as exc:
            raise Problem(
                "invalid-input",
                f"request: not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                where="request",
            ) from None
        except (RecursionError, ValueError):
            raise Problem(
                "invalid-input",
                "request: nests too deep or holds a number over apacore's limits (docs/limits.md)",
                where="request",
            ) from None
        if _depth_over(data, MAX_NESTING + 4):
            raise Problem(
                "invalid-input",
                f"request: nests more than {MAX_NESTING + 4} deep (apacore's limit; see docs/limits.md)",
                where="request",
            )
        self.__dict__["_apacore_json"] = data
        return data


# --------------------------------------------------------------------------- answers


def _json_response(
    data: Any,
    status: int = 200,
    headers: dict[str, str] | None = None,
    media: str = "application/json",
) -> Response[bytes]:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(content=body, status_code=status, media_type=media, headers=headers or {})


def _problem_response(problem: Problem) -> Response[bytes]:
    headers = {}
    if problem.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="apacore"'
    return Response(
        content=problem.body(), status_code=problem.status, media_type=PROBLEM_JSON, headers=headers
    )


@frozen
class Decided:
    """What a piece of work gives: the answer (JSON, or a ``document`` of type ``media``),
    the ruleset behind it, and the total the decision log keeps."""

    answer: dict[str, Any]
    ruleset: dict[str, str] | None
    total: Any = None
    document: bytes | None = None
    media: str = "application/json"
    filename: str | None = None


class Service:
    """The state the handlers share: the configuration and the decision log."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.log = DecisionLog(config.decision_log)
        self._scoring: anyio.CapacityLimiter | None = None

    async def run(self, work: Callable[[], Any]) -> Any:
        """``work()`` in a worker thread, one at a time and first come first served (a
        process scores on one core however many threads it has: threads scoring at once
        would each take as long as all of them, in no fair order). Answered 503 when the
        time limit passes, waiting included (the thread finishes on its own; its answer is
        dropped)."""
        if self._scoring is None:
            self._scoring = anyio.CapacityLimiter(1)
        try:
            with anyio.fail_after(self.config.time_limit):
                return await anyio.to_thread.run_sync(
                    work, abandon_on_cancel=True, limiter=self._scoring
                )
        except TimeoutError:
            raise Problem(
                "timeout", f"request: not answered within {self.config.time_limit:g} s"
            ) from None

    async def decide(
        self, request: Request[Any, Any, Any], endpoint: str, work: Callable[[], Decided]
    ) -> Response[bytes]:
        decision = new_id()
        start = time.perf_counter()
        body = await request.body()
        try:
            done: Decided = await self.run(work)
        except ApacoreError as exc:
            problem = from_error(exc)
            problem.extra["decision_id"] = decision
            self.log.write(decision, endpoint=endpoint, body=body, status=problem.status)
            raise problem from None
        except Problem as problem:
            problem.extra["decision_id"] = decision
            self.log.write(decision, endpoint=endpoint, body=body, status=problem.status)
            raise
        headers = {"Apacore-Version": __version__, "Apacore-Decision-Id": decision}
        sha = None
        if done.ruleset is not None:
            sha = done.ruleset["sha256"]
            headers["Apacore-Ruleset"] = (
                f"fiscal_year={done.ruleset['fiscal_year']}; version={done.ruleset['version']};"
                f" sha256={sha}"
            )
        self.log.write(
            decision, endpoint=endpoint, body=body, status=200, ruleset_sha256=sha, total=done.total
        )
        if done.filename is not None:
            headers["Content-Disposition"] = f'attachment; filename="{done.filename}"'
        if done.document is not None:
            return Response(content=done.document, media_type=done.media, headers=headers)
        answer = {
            **done.answer,
            "decision_id": decision,
            "elapsed_ms": round((time.perf_counter() - start) * 1000, 3),
        }
        return _json_response(answer, headers=headers)


def _service(request: Request[Any, Any, Any]) -> Service:
    service: Service = request.app.state["service"]
    return service


def _office(data: s.ScoreRequest) -> tuple[Any, Any, list[str]]:
    files, card, notices = engine.scored(
        data.agreement, data.report, evaluation=data.evaluation, as_of=data.as_of, lang=data.lang
    )
    engine.check_pin(dict(card.ruleset), data.ruleset_sha256)
    return files, card, notices


_ERRORS = {
    400: ResponseSpec(
        s.ProblemAnswer, description="A mistake in the input", media_type=PROBLEM_JSON
    ),
    401: ResponseSpec(
        s.ProblemAnswer, description="No or a wrong bearer token", media_type=PROBLEM_JSON
    ),
    409: ResponseSpec(
        s.ProblemAnswer, description="Not the pinned ruleset", media_type=PROBLEM_JSON
    ),
    413: ResponseSpec(
        s.ProblemAnswer, description="The body is over the limit", media_type=PROBLEM_JSON
    ),
    415: ResponseSpec(s.ProblemAnswer, description="The body is not JSON", media_type=PROBLEM_JSON),
    500: ResponseSpec(s.ProblemAnswer, description="A plugin failed", media_type=PROBLEM_JSON),
    503: ResponseSpec(s.ProblemAnswer, description="Over the time limit", media_type=PROBLEM_JSON),
}


def _answers(model: type, description: str) -> dict[int, ResponseSpec]:
    return {200: ResponseSpec(model, description=description), **_ERRORS}


# --------------------------------------------------------------------------- /v1


@post("/score", status_code=200, responses=_answers(s.ScoreAnswer, "The scorecard"))
async def score(request: ApiRequest, data: JSONBody[s.ScoreRequest]) -> Response[bytes]:
    """Score an office: what `apacore score --format json` prints, with the notices."""

    def work() -> Decided:
        _files, card, notices = _office(data)
        answer = {**engine.score_dict(card), "notices": notices}
        return Decided(answer, dict(card.ruleset), answer["total"]["marks"])

    return await _service(request).decide(request, "/v1/score", work)


@post(
    "/explain", status_code=200, responses=_answers(s.ExplainAnswer, "One indicator, step by step")
)
async def explain(request: ApiRequest, data: JSONBody[s.ExplainRequest]) -> Response[bytes]:
    """How one indicator was worked out, step by step (as `apacore explain`), in `lang`."""

    def work() -> Decided:
        _files, card, notices = _office(data)
        answer = {**engine.explain_dict(card, data.indicator, data.lang), "notices": notices}
        return Decided(answer, dict(card.ruleset), answer["marks"])

    return await _service(request).decide(request, "/v1/explain", work)


@post("/need", status_code=200, responses=_answers(s.NeedAnswer, "What each tier still needs"))
async def need(request: ApiRequest, data: JSONBody[s.NeedRequest]) -> Response[bytes]:
    """What each indicator must still achieve to reach each tier (`apacore need --format json`)."""

    def work() -> Decided:
        files, card, notices = _office(data)
        answer = {**engine.need_dict(files, card, data.indicator), "notices": notices}
        return Decided(answer, dict(card.ruleset))

    return await _service(request).decide(request, "/v1/need", work)


@post("/audit", status_code=200, responses=_answers(s.AuditAnswer, "The audit's findings"))
async def audit(request: ApiRequest, data: JSONBody[s.AuditRequest]) -> Response[bytes]:
    """The office's own figures rechecked (`apacore audit --format json`)."""

    def work() -> Decided:
        files, card, notices = _office(data)
        answer = {**engine.audit_dict(files, card, data.kind, data.lang), "notices": notices}
        return Decided(answer, dict(card.ruleset), len(answer["findings"]))

    return await _service(request).decide(request, "/v1/audit", work)


_REPORT_TYPES = ("text/html", "application/pdf")


@post(
    "/report",
    status_code=200,
    responses={
        200: ResponseSpec(
            str, description="The report: HTML (text/html) or PDF (application/pdf), by Accept"
        ),
        406: ResponseSpec(
            s.ProblemAnswer,
            description="Neither HTML nor PDF is acceptable",
            media_type=PROBLEM_JSON,
        ),
        **_ERRORS,
    },
)
async def report(request: ApiRequest, data: JSONBody[s.ReportRequest]) -> Response[bytes]:
    """The printable quarterly report (`apacore report`), HTML or PDF by the Accept header."""
    media = request.accept.best_match(list(_REPORT_TYPES))
    if media is None:
        raise Problem("not-acceptable", "Accept: the report is text/html or application/pdf")
    pdf = media == "application/pdf"
    if pdf and not engine.pdf_available():
        raise Problem(
            "not-acceptable",
            "Accept: a PDF needs WeasyPrint on the server (pip install 'apacore[pdf]');"
            " ask for text/html",
        )

    def work() -> Decided:
        files, card, _notices = _office(data)
        document = engine.report_document(files, card, data.lang, pdf)
        total = engine.score_dict(card)["total"]["marks"]
        media_type = media + ("" if pdf else "; charset=utf-8")
        name = f"report.{'pdf' if pdf else 'html'}"
        return Decided(
            {}, dict(card.ruleset), total, document=document, media=media_type, filename=name
        )

    return await _service(request).decide(request, "/v1/report", work)


@post("/batch", status_code=200, responses=_answers(s.BatchAnswer, "Offices ranked and summarized"))
async def batch(request: ApiRequest, data: JSONBody[s.BatchRequest]) -> Response[bytes]:
    """Score many offices: ranks, group summaries and errors per office (`apacore batch --format json`)."""

    def work() -> Decided:
        offices = [
            {
                "name": o.name,
                "agreement": o.agreement,
                "report": o.report,
                "evaluation": o.evaluation,
            }
            for o in data.offices
        ]
        answer = engine.batch_dict(
            offices, as_of=data.as_of, group_by=data.group_by, pin=data.ruleset_sha256
        )
        shas = sorted({o["ruleset"]["sha256"] for o in answer["offices"]})
        ruleset = None
        if len(shas) == 1:
            ruleset = next(o["ruleset"] for o in answer["offices"])
        return Decided(answer, ruleset, answer["count"])

    return await _service(request).decide(request, "/v1/batch", work)


@post("/import", status_code=200, responses=_answers(s.ImportAnswer, "The table as report TOML"))
async def import_table(request: ApiRequest, data: JSONBody[s.ImportRequest]) -> Response[bytes]:
    """Read an official progress table (xlsx, csv, tsv) into report TOML (`apacore import`)."""
    try:
        content = base64.b64decode(data.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise Problem(
            "invalid-input", "content_base64: not base64", where="content_base64"
        ) from None

    def work() -> dict[str, Any]:
        return engine.import_report(
            data.filename,
            content,
            fiscal_year=data.fiscal_year,
            quarter=data.quarter,
            annex=data.annex,
            office=data.office,
            table=data.table,
        )

    try:
        answer = await _service(request).run(work)
    except ApacoreError as exc:
        raise from_error(exc) from None
    return _json_response(answer)


@get("/rulesets", responses={200: ResponseSpec(list[s.RulesetListed], description="Every ruleset")})
async def rulesets() -> Response[bytes]:
    """Every ruleset offered: fiscal year, version, sha256 and the plugin (`apacore rulesets list`)."""
    return _json_response(engine.rulesets_list())


@get(
    "/rulesets/{fiscal_year:str}",
    responses={
        200: ResponseSpec(s.RulesetAnswer, description="The ruleset"),
        404: ResponseSpec(s.ProblemAnswer, description="No such ruleset", media_type=PROBLEM_JSON),
    },
)
async def ruleset(fiscal_year: FromPath[str]) -> Response[bytes]:
    """One ruleset's settings, annexes and indicators (`apacore rulesets show FY --format json`)."""
    try:
        detail = engine.ruleset_detail(fiscal_year)
    except ApacoreError as exc:
        raise Problem("not-found", engine.error_line(exc), where=exc.where) from None
    return _json_response(detail)


@get("/plugins", responses={200: ResponseSpec(list[s.PluginAnswer], description="The plugins")})
async def plugins() -> Response[bytes]:
    """The plugins, with their versions and hooks (`apacore plugins --format json`)."""
    return _json_response(engine.plugins_list())


# --------------------------------------------------------------------------- the rest


@get("/health", responses={200: ResponseSpec(s.Health, description="The service answers")})
async def health() -> Response[bytes]:
    """Whether the service answers."""
    return _json_response({"status": "ok"})


@get("/version", responses={200: ResponseSpec(s.Version, description="What answers")})
async def version() -> Response[bytes]:
    """apacore's version, the rulesets and the plugins."""
    return _json_response(
        {
            "apacore_version": __version__,
            "rulesets": engine.rulesets_list(),
            "plugins": engine.plugins_list(),
        }
    )


@get("/openapi.json", include_in_schema=False)
async def openapi(request: Request[Any, Any, Any]) -> Response[bytes]:
    return Response(
        content=encode_json(request.app.openapi_schema.to_schema()),
        media_type="application/vnd.oai.openapi+json",
    )


_PAGE_POLICY = (
    # the pages load nothing from elsewhere; the report is shown in a sandboxed frame
    "default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:;"
    " font-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'none';"
    " base-uri 'none'; frame-ancestors 'none'"
)


def _page_headers(scripts: str = "'none'") -> dict[str, str]:
    return {
        "Content-Security-Policy": _PAGE_POLICY.format(scripts=scripts),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
    }


@functools.lru_cache(maxsize=1)
def _page() -> tuple[bytes, dict[str, str]]:
    """The page, and its headers: its one inline script allowed by its hash, nothing else."""
    import hashlib
    import re

    text = resources.files("apacore.serve").joinpath("page.html").read_text(encoding="utf-8")
    text = text.replace("{{version}}", __version__)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(m.encode("utf-8")).digest()).decode() + "'"
        for m in re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    ]
    return text.encode("utf-8"), _page_headers(" ".join(hashes) or "'none'")


@get("/", include_in_schema=False)
async def page() -> Response[bytes]:
    """The page to try the service in a browser."""
    content, headers = _page()
    return Response(content=content, media_type="text/html; charset=utf-8", headers=headers)


@get("/font/bengali.ttf", include_in_schema=False)
async def font() -> Response[bytes]:
    """The page's Bengali font (Noto Sans Bengali, SIL OFL 1.1, the report's own), so that
    a machine without one shows Bengali all the same."""
    from apacore.report.typeface import face_bytes

    return Response(
        content=face_bytes(400),
        media_type="font/ttf",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@get("/docs", include_in_schema=False)
async def docs(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The endpoints, from the OpenAPI document, as one page with nothing loaded."""
    from apacore.serve.docs_page import render_docs

    text = render_docs(json.loads(encode_json(request.app.openapi_schema.to_schema())))
    return Response(
        content=text.encode("utf-8"), media_type="text/html; charset=utf-8", headers=_page_headers()
    )


# --------------------------------------------------------------------------- the app


def _on_problem(_request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    assert isinstance(exc, Problem)
    return _problem_response(exc)


def _on_apacore_error(_request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    assert isinstance(exc, ApacoreError)
    return _problem_response(from_error(exc))


def _on_validation(_request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    assert isinstance(exc, ValidationException)
    extra = exc.extra if isinstance(exc.extra, list) else []
    first = extra[0] if extra and isinstance(extra[0], dict) else {}
    key = str(first.get("key", "")).removeprefix("data.").removeprefix("data")
    message = " ".join(str(first.get("message", exc.detail)).split())
    if first.get("source") in ("body", None):
        path = "$" + (f".{key}" if key else "")
    else:
        path = key
    more = f" (and {len(extra) - 1} more)" if len(extra) > 1 else ""
    return _problem_response(
        Problem(
            "invalid-input",
            f"request: {path}: {message}{more}",
            where="request",
            path=path,
            why=message + more,
        )
    )


_BY_STATUS = {
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    413: "too-large",
    415: "media-type",
    401: "unauthorized",
}


def _on_http(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    assert isinstance(exc, HTTPException)
    name = _BY_STATUS.get(exc.status_code)
    if name is None and 400 <= exc.status_code < 500:
        name = "invalid-input"
    if name is None:
        return _on_unexpected(request, exc)
    detail = {
        404: f"no such resource: {request.url.path}",
        405: f"{request.method} is not allowed on {request.url.path}",
        413: "request: the body is over the limit of"
        f" {_service(request).config.max_body:,} bytes (docs/limits.md; apacore serve --max-body)",
    }.get(exc.status_code, f"request: {' '.join(str(exc.detail).split())}")
    return _problem_response(Problem(name, detail))


def _on_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    decision = new_id()
    log.error("internal error, decision %s", decision, exc_info=exc)
    return _problem_response(
        Problem(
            "internal",
            "internal error (a bug, please report it with the decision id; the server's log"
            " has the details)",
            decision_id=decision,
        )
    )


def _guard(token: str | None) -> Callable[[Request[Any, Any, Any]], Any]:
    import hmac

    async def before(request: Request[Any, Any, Any]) -> None:
        if token is None:
            return
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            value.strip().encode(), token.encode()
        ):
            raise Problem("unauthorized", "Authorization: a valid bearer token is needed")

    return before


def create_app(config: ServeConfig | None = None) -> Litestar:
    """The application, set up by ``config`` (defaults: no token, no CORS, 4 MiB, 30 s)."""
    config = config or ServeConfig()
    engine.prepare()
    service = Service(config)
    v1 = Router(
        path="/v1",
        route_handlers=[
            score,
            explain,
            need,
            audit,
            report,
            batch,
            import_table,
            rulesets,
            ruleset,
            plugins,
        ],
        before_request=_guard(config.token),
        security=[{"bearer": []}] if config.token else None,
    )
    return Litestar(
        route_handlers=[v1, health, version, openapi, page, font, docs],
        request_class=ApiRequest,
        request_max_body_size=config.max_body,
        cors_config=CORSConfig(
            allow_origins=list(config.cors),
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["Apacore-Version", "Apacore-Decision-Id", "Apacore-Ruleset"],
        )
        if config.cors
        else None,
        openapi_config=OpenAPIConfig(
            title="apacore",
            version=__version__,
            summary="Scores Bangladesh's Annual Performance Agreements exactly, by versioned rulesets",
            path="/openapi",
            render_plugins=[JsonRenderPlugin(path="/schema.json")],
            use_handler_docstrings=True,
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer")}
            ),
        ),
        exception_handlers={
            Problem: _on_problem,
            ApacoreError: _on_apacore_error,
            ValidationException: _on_validation,
            HTTPException: _on_http,
            Exception: _on_unexpected,
        },
        response_headers=[
            ResponseHeader(name="X-Content-Type-Options", value="nosniff"),
            ResponseHeader(name="Cache-Control", value="no-store"),
        ],
        state=_state(service),
        on_shutdown=[lambda: service.log.close()],
        debug=False,
    )


def _state(service: Service) -> Any:
    from litestar.datastructures import State

    return State({"service": service})


def app_from_environment() -> Litestar:
    """The application of a uvicorn worker, set up by ``$APACORE_SERVE_CONFIG`` (what
    ``apacore serve`` was given)."""
    import gc
    import os

    text = os.environ.get(ENV_CONFIG)
    config = ServeConfig()
    if text:
        data = json.loads(text)
        token = read_token(data.pop("token_file"))
        config = ServeConfig(token=token, **{**data, "cors": tuple(data["cors"])})
    app = create_app(config)
    # The process is the service's alone: what is set up now (modules, plugins, rulesets)
    # stays, so the cycle collector is told to skip it (gc.freeze) and to run less often.
    # A request allocates ~100,000 objects that reference counting frees; the collector's
    # full passes over everything kept were the slowest requests' extra time.
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    return app
