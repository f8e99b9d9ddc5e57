"""``apacore serve`` as it runs: a real server on 127.0.0.1 answering real clients (Python
threads, PHP, headless Chromium). Every request goes to the loopback address only, and
every loop is bounded in count and time.

The PHP and browser tests need Debian's ``php-cli`` and ``chromium`` (driven by
playwright through ``executable_path``; ``.ci/run`` installs them); where they are missing those tests skip, which fails the run
under ``CI=true`` (conftest.py): in CI they must run.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("litestar", reason="apacore serve needs the serve extra")
pytest.importorskip("uvicorn", reason="apacore serve needs the serve extra")

from tests.serve_helpers import EXAMPLES, OFFICES, body, cli_json, undecided

ROOT = Path(__file__).parent.parent
SEEDS = Path(__file__).parent / "data" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    def __init__(self, url: str, decisions: Path) -> None:
        self.url = url
        self.decisions = decisions

    def post(self, path: str, data: bytes, timeout: float = 60) -> tuple[int, Any]:
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())


@contextlib.contextmanager
def _running(folder: Path, *options: str) -> Iterator[str]:
    """``apacore serve OPTIONS`` on a free port of 127.0.0.1, until the block ends."""
    port = _free_port()
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "apacore", "serve", "--port", str(port), *options],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(url + "/health", timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        pytest.fail("the server did not start:\n" + log_path.read_text())
                    time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    decisions = folder / "decisions.jsonl"
    with _running(folder, "--decision-log", str(decisions)) as url:
        yield Server(url, decisions)


def test_workers_read_the_token_file_and_the_origins(tmp_path: Path) -> None:
    token = "a-token-of-32-characters-or-so-x"
    (tmp_path / "token").write_text(token + "\n")
    options = ("--workers", "2", "--token-file", str(tmp_path / "token"))
    with _running(tmp_path, *options, "--cors", "https://portal.example") as url:

        def score(**headers: str) -> tuple[int, dict[str, str]]:
            request = urllib.request.Request(
                url + "/v1/score",
                data=body("dakop-2024-25"),
                headers={"Content-Type": "application/json", **headers},
            )
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return response.status, dict(response.headers)
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers)

        assert score()[0] == 401
        assert score(Authorization="Bearer wrong-token-of-enough-length")[0] == 401
        status, headers = score(Authorization=f"Bearer {token}", Origin="https://portal.example")
        assert status == 200
        assert headers["access-control-allow-origin"] == "https://portal.example"
        assert "Apacore-Decision-Id" in headers["access-control-expose-headers"]


@pytest.mark.parametrize("objects", [False, True], ids=["toml", "json"])
def test_every_office_scores_as_the_command_line_prints(server: Server, objects: bool) -> None:
    for office in OFFICES:
        status, answer = server.post("/v1/score", body(office, objects=objects))
        assert status == 200, answer
        assert undecided(answer) == cli_json("score", str(EXAMPLES / office), "--format", "json")


@pytest.mark.slow
def test_400_requests_from_8_threads_all_get_the_right_totals(server: Server) -> None:
    expected = {
        office: cli_json("score", str(EXAMPLES / office), "--format", "json")["total"]
        for office in OFFICES
    }
    bodies = {office: body(office) for office in OFFICES}
    jobs = [OFFICES[i % len(OFFICES)] for i in range(400)]
    before = len(server.decisions.read_text().splitlines())

    def ask(office: str) -> tuple[str, int, Any]:
        status, answer = server.post("/v1/score", bodies[office])
        return office, status, answer

    with cf.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ask, jobs, timeout=600))
    wrong = [
        (o, s, a.get("total", a)) for o, s, a in results if s != 200 or a["total"] != expected[o]
    ]
    assert wrong == []
    ids = {answer["decision_id"] for _, _, answer in results}
    assert len(ids) == 400
    logged = [json.loads(line) for line in server.decisions.read_text().splitlines()[before:]]
    assert {line["id"] for line in logged} == ids
    assert {line["total"] for line in logged} == {t["marks"] for t in expected.values()}


def test_the_php_client_prints_dakops_total(server: Server, tmp_path: Path) -> None:
    php = shutil.which("php")
    if php is None:
        pytest.skip("needs Debian's php-cli")
    script = ROOT / "examples" / "clients" / "score.php"
    run = subprocess.run(
        [php, str(script), str(EXAMPLES / "dakop-2024-25"), server.url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা: 13.53 of 30.00 (ruleset 2024-25")
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(EXAMPLES / "dakop-2024-25" / "agreement.toml", broken)
    (broken / "report.toml").write_text('fiscal_year = "2024-25"\nquarter = = 2\n')
    run = subprocess.run(
        [php, str(script), str(broken), server.url], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
    assert run.stderr.startswith("score.php: report: invalid TOML: ")


def test_the_page_scores_dakop_in_a_browser(server: Server, tmp_path: Path) -> None:
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.skip("needs playwright (the test extra)")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"needs Debian's chromium ({CHROMIUM})")
    folder = EXAMPLES / "dakop-2024-25"
    with sync_playwright() as playwright:
        # Debian's Chromium, never a browser playwright downloads
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        try:
            page = browser.new_page()
            page.set_default_timeout(60_000)
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(server.url + "/")
            page.set_input_files("#agreement-file", str(folder / "agreement.toml"))
            page.set_input_files("#report-file", str(folder / "report.toml"))
            expect(page.locator("#report")).not_to_have_value("")
            page.click("#score")
            expect(page.locator("#total")).to_have_text("১৩.৫৩ / ৩০.০০")
            result = page.locator("#result").inner_text()
            assert "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা" in result
            assert "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা" in result
            assert page.locator("#chart svg rect").count() == 2 * 5  # five annexes: bar, maximum
            expect(page.locator("#preview")).to_have_attribute("srcdoc", re.compile("১৩.৫৩"))
            page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
            assert errors == []  # nothing refused by the page's policy, nothing failed
            with page.expect_download() as download:
                page.click("#download-html")
            assert download.value.suggested_filename == "report.html"
            saved = tmp_path / "report.html"
            download.value.save_as(saved)
            assert "১৩.৫৩" in saved.read_text(encoding="utf-8")
            # a progress table instead of report.toml: imported through /v1/import
            page.set_input_files("#report-file", str(SEEDS / "003_7d9e1e7956252ea9.txt"))
            expect(page.locator("#import-note")).to_contain_text("সারি পড়া হয়েছে")
            assert "[[entries]]" in page.input_value("#report")
            # a broken report: the server's one line, on the page
            page.fill("#report", 'fiscal_year = "2024-25"\nquarter = = 2\n')
            page.click("#score")
            expect(page.locator("#problem")).to_contain_text("report: invalid TOML")
        finally:
            browser.close()
