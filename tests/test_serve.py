"""``apacore serve`` in process (Litestar's test client): every endpoint's answer is the
command line's, every error a problem, the OpenAPI document valid (docs/serve.md)."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("litestar", reason="apacore serve needs the serve extra")

from litestar.testing import TestClient

import apacore
from apacore.office.explanation import explanation_to_dict
from apacore.serve.app import create_app
from apacore.serve.config import ServeConfig
from tests.serve_helpers import (
    EXAMPLES,
    OFFICES,
    body,
    cli_json,
    json_text,
    office_texts,
    undecided,
)

JSON = {"content-type": "application/json"}
ENDPOINTS = {
    ("post", "/v1/score"),
    ("post", "/v1/explain"),
    ("post", "/v1/need"),
    ("post", "/v1/audit"),
    ("post", "/v1/report"),
    ("post", "/v1/batch"),
    ("post", "/v1/import"),
    ("get", "/v1/rulesets"),
    ("get", "/v1/rulesets/{fiscal_year}"),
    ("get", "/v1/plugins"),
    ("get", "/health"),
    ("get", "/version"),
}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient[Any]]:
    with TestClient(create_app()) as c:
        yield c


def _post(client: TestClient[Any], path: str, data: bytes | dict[str, Any], **headers: str) -> Any:
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return client.post(path, content=content, headers={**JSON, **headers})


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("urn:apacore:problem:")
    assert "Traceback" not in response.text
    return problem


@pytest.mark.parametrize("objects", [False, True], ids=["toml", "json"])
@pytest.mark.parametrize("office", OFFICES)
def test_score_answers_what_the_command_prints(
    client: TestClient[Any], office: str, objects: bool
) -> None:
    response = _post(client, "/v1/score", body(office, objects=objects))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert undecided(answer) == cli_json("score", str(EXAMPLES / office), "--format", "json")
    assert response.headers["apacore-decision-id"] == answer["decision_id"]
    assert answer["ruleset"]["sha256"] in response.headers["apacore-ruleset"]
    assert response.headers["apacore-version"] == apacore.__version__


def test_the_notices_are_the_commands_warnings(client: TestClient[Any]) -> None:
    answer = _post(client, "/v1/score", body("rangpur-sadar-2023-24", lang="bn")).json()
    assert answer["notices"][0] == (
        "agreement: পাশে কোনো report.toml নেই: প্রতিটি সূচক প্রতিবেদিত নয় (০) ধরে মূল্যায়ন করা হয়েছে"
    )
    assert _post(client, "/v1/score", body("dakop-2024-25")).json()["notices"] == []


def test_as_of_is_a_quarter_or_a_date(client: TestClient[Any]) -> None:
    folder = str(EXAMPLES / "dakop-2024-25")
    for as_of in ("Q1", "2024-09-30", "১ম কোয়ার্টার"):
        answer = _post(client, "/v1/score", body("dakop-2024-25", as_of=as_of)).json()
        assert undecided(answer) == cli_json("score", folder, "--as-of", as_of, "--format", "json")
    problem = _problem(_post(client, "/v1/score", body("dakop-2024-25", as_of="Q9")), 400)
    assert problem["where"] == "as_of"


def test_explain_need_and_audit_answer_as_the_commands(client: TestClient[Any]) -> None:
    folder = str(EXAMPLES / "dakop-2024-25")
    need = _post(client, "/v1/need", body("dakop-2024-25", indicator="2.2.4")).json()
    assert undecided(need) == cli_json("need", folder, "2.2.4", "--format", "json")
    audit = _post(client, "/v1/audit", body("dakop-2024-25", lang="bn", kind=["figure"])).json()
    assert undecided(audit) == cli_json(
        "audit", folder, "--kind", "figure", "--lang", "bn", "--format", "json"
    )
    explained = _post(client, "/v1/explain", body("dakop-2024-25", indicator="[২.২.৪]", lang="bn"))
    answer = explained.json()
    card = apacore.score_path(folder)
    assert undecided(answer) == explanation_to_dict(card, "2.2.4", "bn")
    assert answer["indicator"] == "2.2.4" and answer["steps"]
    problem = _problem(_post(client, "/v1/explain", body("dakop-2024-25", indicator="9.9.9")), 400)
    assert problem["where"] == "indicator"


def test_batch_answers_as_the_command(client: TestClient[Any]) -> None:
    offices = [{"name": name, **office_texts(name)} for name in OFFICES]
    offices.append({"name": "broken", "agreement": "fiscal_year = 2024"})
    answer = _post(client, "/v1/batch", {"offices": offices}).json()
    expected = cli_json("batch", str(EXAMPLES), "--format", "json", "--quiet")

    def without_notices(offices: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # the warnings name the office's files as given: a path here, a name there
        return [{k: v for k, v in o.items() if not k.startswith("notices")} for o in offices]

    assert without_notices(answer["offices"]) == without_notices(expected["offices"])
    assert [len(o["notices"]) for o in answer["offices"]] == [
        len(o["notices"]) for o in expected["offices"]
    ]
    assert answer["summary"] == expected["summary"]
    assert answer["errors"] == [
        {
            "path": "broken",
            "error": "agreement:1: $.fiscal_year: expected a string, got 2024 (and 1 more)",
        }
    ]
    assert answer["count"] == {
        "offices": len(OFFICES),
        "ranked": 0,
        "not_ranked": len(OFFICES),
        "errors": 1,
    }


def test_the_report_is_html_or_pdf_by_accept(client: TestClient[Any]) -> None:
    response = _post(client, "/v1/report", body("dakop-2024-25"), accept="text/html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "১৩.৫৩" in response.text
    assert "<script" not in response.text
    assert response.headers["content-disposition"] == 'attachment; filename="report.html"'
    assert response.headers["apacore-ruleset"].startswith("fiscal_year=2024-25; version=")
    problem = _problem(_post(client, "/v1/report", body("dakop-2024-25"), accept="image/png"), 406)
    assert "text/html" in problem["detail"]
    pdf = _post(client, "/v1/report", body("dakop-2024-25"), accept="application/pdf")
    if pdf.status_code == 200:
        assert pdf.content.startswith(b"%PDF")
    else:  # WeasyPrint (the pdf extra) is not installed here
        assert "apacore[pdf]" in _problem(pdf, 406)["detail"]


def test_a_table_is_imported_into_report_toml(client: TestClient[Any]) -> None:
    seed = Path(__file__).parent / "data" / "seeds" / "003_7d9e1e7956252ea9.txt"
    data = {
        "filename": "progress.txt",
        "content_base64": base64.b64encode(seed.read_bytes()).decode(),
        "annex": "egov",
    }
    answer = _post(client, "/v1/import", data).json()
    assert answer["entries"] > 0
    assert answer["report"].count("[[entries]]") == answer["entries"]
    assert "tmp" not in json.dumps(answer)  # the file is named as sent, not where it was kept
    problem = _problem(_post(client, "/v1/import", {**data, "filename": "x.doc"}), 400)
    assert problem["where"] == "filename"


def test_catalogue_endpoints(client: TestClient[Any]) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    rulesets = client.get("/v1/rulesets").json()
    assert rulesets == cli_json("rulesets", "list", "--format", "json")
    assert client.get("/v1/rulesets/2024-25").json() == cli_json(
        "rulesets", "show", "2024-25", "--format", "json"
    )
    _problem(client.get("/v1/rulesets/2031-32"), 404)
    assert client.get("/v1/plugins").json() == cli_json("plugins", "--format", "json")
    version = client.get("/version").json()
    assert version["apacore_version"] == apacore.__version__
    assert version["rulesets"] == rulesets


def test_openapi_is_a_valid_document_of_every_endpoint(client: TestClient[Any]) -> None:
    from openapi_spec_validator import OpenAPIV31SpecValidator

    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    OpenAPIV31SpecValidator(document).validate()  # raises on any departure from OpenAPI 3.1
    listed = {(m, p) for p, item in document["paths"].items() for m in item}
    assert listed == ENDPOINTS
    for path, item in document["paths"].items():
        for method, operation in item.items():
            answer = operation["responses"]["200"]
            assert answer["content"], (method, path)
            if method == "post":
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                assert schema["$ref"].startswith("#/components/schemas/"), path
                assert "application/problem+json" in operation["responses"]["400"]["content"]
    guide = (Path(__file__).parent.parent / "docs" / "serve.md").read_text(encoding="utf-8")
    for method, path in ENDPOINTS:
        assert f"{method.upper()} {path}" in guide or f"`{method.upper()} {path}`" in guide, path
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/v1/score" in docs.text and "<script" not in docs.text


# --------------------------------------------------------------------------- errors


def test_broken_toml_in_the_report_names_the_report_and_the_line(client: TestClient[Any]) -> None:
    texts = office_texts("dakop-2024-25")
    broken = texts["report"].replace("quarter = 2", "quarter = = 2", 1)
    problem = _problem(_post(client, "/v1/score", {**texts, "report": broken}), 400)
    assert problem["where"] == "report"
    assert problem["detail"].startswith("report: invalid TOML: ")
    assert "line " in problem["detail"]
    assert problem["decision_id"]


def test_a_mistake_in_a_json_object_names_its_path(client: TestClient[Any]) -> None:
    data = json.loads(body("dakop-2024-25", objects=True))
    data["report"]["entries"][0]["q1"] = "lots"
    problem = _problem(_post(client, "/v1/score", data), 400)
    assert problem["where"] == "report"
    assert problem["path"] == "$.entries[0].q1"
    assert problem["detail"] == f"report: $.entries[0].q1: {problem['why']}"


def test_a_float_is_read_exactly(client: TestClient[Any]) -> None:
    data = body("dakop-2024-25", objects=True)
    assert b"0.0002" in data or b"0.00" in data  # Dakop's figures go in as JSON numbers
    exact = _post(client, "/v1/score", data).json()
    assert exact["total"]["marks"] == "13.53"


def test_the_request_itself_is_checked(client: TestClient[Any]) -> None:
    problem = _problem(_post(client, "/v1/score", {"agreement": 5}), 400)
    assert problem["where"] == "request" and problem["path"] == "$.agreement"
    problem = _problem(
        _post(client, "/v1/score", {**office_texts("dakop-2024-25"), "extra": 1}), 400
    )
    assert "extra" in problem["detail"]
    assert _problem(_post(client, "/v1/score", b"{not json"), 400)["detail"].startswith(
        "request: not JSON"
    )
    deep = b"[" * 5000 + b"]" * 5000
    assert "deep" in _problem(_post(client, "/v1/score", deep), 400)["detail"]
    huge = b'{"agreement": ' + b"9" * 5000 + b"}"
    _problem(_post(client, "/v1/score", huge), 400)


def test_a_body_over_the_limit_is_413(client: TestClient[Any]) -> None:
    data = b'{"agreement": "' + b"#" * (5 * 1024 * 1024) + b'"}'
    problem = _problem(_post(client, "/v1/score", data), 413)
    assert "4,194,304 bytes" in problem["detail"]


def test_a_wrong_content_type_is_415(client: TestClient[Any]) -> None:
    response = client.post(
        "/v1/score", content=body("dakop-2024-25"), headers={"content-type": "text/plain"}
    )
    assert (
        _problem(response, 415)["detail"]
        == "request: send the body as application/json, not text/plain"
    )


def test_a_pin_to_another_ruleset_is_409(client: TestClient[Any]) -> None:
    sha = client.get("/v1/rulesets/2024-25").json()["identity"]["sha256"]
    ok = _post(client, "/v1/score", body("dakop-2024-25", ruleset_sha256=sha))
    assert ok.status_code == 200
    problem = _problem(
        _post(client, "/v1/score", body("dakop-2024-25", ruleset_sha256="0" * 64)), 409
    )
    assert problem["where"] == "ruleset_sha256" and sha in problem["detail"]
    batch = {
        "offices": [{"name": "d", **office_texts("dakop-2024-25")}],
        "ruleset_sha256": "0" * 64,
    }
    answer = _post(client, "/v1/batch", batch).json()
    assert answer["errors"][0]["error"].startswith("ruleset_sha256: the office is scored by")


def test_unknown_paths_and_methods_are_problems(client: TestClient[Any]) -> None:
    _problem(client.get("/v2/score"), 404)
    _problem(client.get("/v1/score"), 405)


def test_a_plugin_that_fails_is_a_500_naming_it() -> None:
    class Failing:
        @apacore.hookimpl
        def validate_agreement(self, agreement: object, ruleset: object) -> list[str]:
            raise RuntimeError("disk on fire")

    with apacore.using_plugin(Failing(), name="failing"), TestClient(create_app()) as c:
        problem = _problem(_post(c, "/v1/score", body("dakop-2024-25")), 500)
    assert problem["type"] == "urn:apacore:problem:plugin-failure"
    assert "plugin failing" in problem["detail"] and "disk on fire" in problem["detail"]


def test_an_unexpected_error_carries_no_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from apacore.serve import engine

    def boom(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(engine, "scored", boom)
    with TestClient(create_app()) as c:
        response = _post(c, "/v1/score", body("dakop-2024-25"))
    problem = _problem(response, 500)
    assert problem["type"] == "urn:apacore:problem:internal"
    assert "secret internals" not in response.text and "ZeroDivisionError" not in response.text


def test_a_request_over_the_time_limit_is_503() -> None:
    with TestClient(create_app(ServeConfig(time_limit=0.001))) as c:
        problem = _problem(_post(c, "/v1/score", body("dakop-2024-25")), 503)
    assert problem["detail"] == "request: not answered within 0.001 s"


# --------------------------------------------------------------------------- safety


def test_a_token_is_needed_when_set() -> None:
    token = "s3cret-token-of-some-length"
    with TestClient(create_app(ServeConfig(token=token))) as c:
        missing = c.post("/v1/score", content=body("dakop-2024-25"), headers=JSON)
        assert _problem(missing, 401)["type"] == "urn:apacore:problem:unauthorized"
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = _post(c, "/v1/score", body("dakop-2024-25"), authorization="Bearer nope")
        _problem(wrong, 401)
        right = _post(c, "/v1/score", body("dakop-2024-25"), authorization=f"Bearer {token}")
        assert right.status_code == 200
        assert c.get("/health").status_code == 200  # a load balancer's probe needs none
        assert c.get("/openapi.json").json()["components"]["securitySchemes"]["bearer"]


def test_cors_is_off_unless_an_origin_is_given(client: TestClient[Any]) -> None:
    origin = {"origin": "https://portal.example"}
    plain = client.get("/health", headers=origin)
    assert "access-control-allow-origin" not in plain.headers
    with TestClient(create_app(ServeConfig(cors=("https://portal.example",)))) as c:
        allowed = c.get("/health", headers=origin)
        assert allowed.headers["access-control-allow-origin"] == "https://portal.example"
        other = c.get("/health", headers={"origin": "https://elsewhere.example"})
        assert other.headers.get("access-control-allow-origin") != "https://elsewhere.example"


def test_the_page_loads_nothing_from_elsewhere(client: TestClient[Any]) -> None:
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
    outside = re.findall(r"(?:src|href|url)\s*[=(]\s*[\"']?(?:https?:)?//", response.text)
    assert outside == []
    assert 'fetch("/v1/' in response.text  # it calls this service, and only it
    assert client.get("/font/bengali.ttf").content[:4] == b"\x00\x01\x00\x00"


def test_the_decision_log_has_one_line_per_decision(tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    with TestClient(create_app(ServeConfig(decision_log=str(log)))) as c:
        ok = _post(c, "/v1/score", body("dakop-2024-25")).json()
        bad = _problem(_post(c, "/v1/score", body("dakop-2024-25", as_of="Q9")), 400)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert [line["id"] for line in lines] == [ok["decision_id"], bad["decision_id"]]
    assert lines[0]["endpoint"] == "/v1/score" and lines[0]["status"] == 200
    assert lines[0]["total"] == "13.53"
    assert lines[0]["ruleset_sha256"] == ok["ruleset"]["sha256"]
    assert len(lines[0]["input_sha256"]) == 64 and lines[1]["status"] == 400
    assert set(lines[0]) == {
        "id",
        "time",
        "endpoint",
        "input_sha256",
        "ruleset_sha256",
        "total",
        "status",
    }


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--workers", "0"], "apacore: error: --workers: a number of processes, 1 or more; got 0"),
        (["--port", "70000"], "apacore: error: --port: a port is 1 to 65535, got 70000"),
        (
            ["--token-file", "/nonexistent"],
            "apacore: error: --token-file: cannot read: No such file or directory",
        ),
    ],
)
def test_serve_options_are_checked(
    capsys: pytest.CaptureFixture[str], args: list[str], line: str
) -> None:
    from apacore.cli import main

    assert main(["serve", *args]) == 2
    assert capsys.readouterr().err.strip() == line


def test_a_short_token_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from apacore.cli import main

    (tmp_path / "token").write_text("short\n")
    assert main(["serve", "--token-file", str(tmp_path / "token")]) == 2
    assert "at least 16 characters" in capsys.readouterr().err


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.decimals(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    endpoint=st.sampled_from(["/v1/score", "/v1/explain", "/v1/need", "/v1/audit", "/v1/batch"]),
    data=st.dictionaries(
        st.sampled_from(["agreement", "report", "as_of", "lang", "indicator", "offices", "kind"]),
        _JSON_VALUES,
        max_size=4,
    ),
)
def test_no_body_makes_a_500(client: TestClient[Any], endpoint: str, data: dict[str, Any]) -> None:
    response = _post(client, endpoint, json_text(data).encode())
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert _problem(response, 400)["detail"]


def test_the_answers_fit_their_documented_schemas(client: TestClient[Any]) -> None:
    """Every key of the score and explain answers is the schema's, and the reverse."""
    import msgspec

    from apacore.serve import schemas

    def keys(struct: type[msgspec.Struct]) -> set[str]:
        return set(struct.__struct_fields__)

    for office in OFFICES:
        content = _post(client, "/v1/score", body(office)).content
        msgspec.json.decode(content, type=schemas.ScoreAnswer, strict=True)
        answer = json.loads(content)
        assert set(answer) == keys(schemas.ScoreAnswer)
        for section in answer["sections"]:
            assert set(section) == keys(schemas.Section)
            for row in section["indicators"]:
                assert set(row) == keys(schemas.IndicatorRow)
    explained = _post(client, "/v1/explain", body("dakop-2024-25", indicator="egov/1.1.1"))
    msgspec.json.decode(explained.content, type=schemas.ExplainAnswer, strict=True)
    assert set(explained.json()) == keys(schemas.ExplainAnswer)


def test_a_workbook_is_imported(client: TestClient[Any]) -> None:
    import io

    from tests.test_import import _xlsx_book  # the grs sheet the importer's tests read

    book = _xlsx_book()
    book.active["C5"] = "bad"  # [১.২.১]'s Q2
    saved = io.BytesIO()
    book.save(saved)
    data = {
        "filename": "q2.xlsx",
        "content_base64": base64.b64encode(saved.getvalue()).decode(),
        "annex": "grs",
    }
    answer = _post(client, "/v1/import", data).json()
    assert (answer["entries"], answer["tables"]) == (1, 1)
    assert 'fiscal_year = "2024-25"' in answer["report"] and "quarter = 2" in answer["report"]
    assert 'indicator = "grs/1.1.1"' in answer["report"]
    (problem,) = answer["problems"]
    assert problem.startswith("sheet grs, row 5: ") and '"bad"' in problem
    assert "apacore-import-" not in json.dumps(answer)
    broken = {**data, "content_base64": base64.b64encode(b"PK\x03\x04 not a zip").decode()}
    problem = _problem(_post(client, "/v1/import", broken), 400)
    assert problem["detail"].startswith("q2.xlsx: ")


def test_the_evaluation_is_scored_and_its_mistakes_named(client: TestClient[Any]) -> None:
    texts = office_texts("dakop-2024-25")
    assert "evaluation" in texts  # Dakop's illustrative evaluation
    evaluated = _post(client, "/v1/score", texts).json()
    assert evaluated["evaluation"] is not None
    unevaluated = _post(client, "/v1/score", {k: texts[k] for k in ("agreement", "report")})
    assert unevaluated.json()["evaluation"] is None
    broken = {**texts, "evaluation": texts["evaluation"].replace("quarter = ", "quarter = = ", 1)}
    problem = _problem(_post(client, "/v1/score", broken), 400)
    assert problem["where"] == "evaluation" and problem["detail"].startswith("evaluation: ")
