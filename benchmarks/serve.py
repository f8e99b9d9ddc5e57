"""``apacore serve`` under load: prints its figures; no pass/fail (machines here are shared).

    python benchmarks/serve.py [--workers 1] [--clients 8] [--requests 400] [--rounds 3]

Starts ``apacore serve --workers W`` on 127.0.0.1 (a free port; no other address is ever
sent anything) and posts Dakop's agreement and report (TOML text) to ``/v1/score`` from
C client threads, each on its own keep-alive connection, until R requests are answered or
a time limit passes. The reference, measured in the same run and interleaved with it
round by round: the same request bodies handled in process by W worker processes,
doing what the server does for each (read the JSON exactly, load and check the office,
score it, write the answer's JSON), with no HTTP.

Figures: requests per second over HTTP and in process, their ratio (goal, issue 20:
at least 0.7), and the latency of a request over HTTP at the median and the 99th
percentile (goal: p99 at most 3 × p50). Every answer is checked to carry Dakop's total.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OFFICE = ROOT / "examples" / "dakop-2024-25"
TOTAL = "13.53"
TIME_LIMIT = 120.0
"""Seconds a round may take, whatever the count asked for."""


def request_body() -> bytes:
    texts = {
        "agreement": (OFFICE / "agreement.toml").read_text(encoding="utf-8"),
        "report": (OFFICE / "report.toml").read_text(encoding="utf-8"),
    }
    return json.dumps(texts, ensure_ascii=False).encode("utf-8")


# --------------------------------------------------------------------------- in process


def _prepare() -> None:
    """A reference worker set up as a server's process is (apacore.serve.app)."""
    import gc

    from apacore.serve import engine

    engine.prepare()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def handle(body: bytes) -> str:
    """What the server does with a body, without HTTP: its total, for the check."""
    from apacore.serve import engine

    data = json.loads(body.decode("utf-8"), parse_float=Decimal)
    _files, card, notices = engine.scored(data["agreement"], data.get("report"))
    answer = {**engine.score_dict(card), "notices": notices}
    json.dumps(answer, ensure_ascii=False).encode("utf-8")
    return str(answer["total"]["marks"])


def _handle_many(body: bytes, count: int) -> list[str]:
    return [handle(body) for _ in range(count)]


def in_process(pool: cf.ProcessPoolExecutor, workers: int, body: bytes, requests: int) -> float:
    """Requests per second, ``requests`` bodies shared among ``workers`` processes."""
    shares = [requests // workers + (1 if i < requests % workers else 0) for i in range(workers)]
    start = time.perf_counter()
    totals = [t for part in pool.map(_handle_many, [body] * workers, shares) for t in part]
    elapsed = time.perf_counter() - start
    assert totals == [TOTAL] * requests, set(totals)
    return requests / elapsed


# --------------------------------------------------------------------------- over HTTP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "apacore", "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                connection.close()
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


def over_http(port: int, body: bytes, clients: int, requests: int) -> tuple[float, list[float]]:
    """Requests per second and every request's latency (seconds), ``clients`` threads."""
    lock = threading.Lock()
    left = [requests]
    latencies: list[float] = []
    wrong: list[Any] = []
    headers = {"Content-Type": "application/json"}
    deadline = time.monotonic() + TIME_LIMIT

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if left[0] == 0:
                        return
                    left[0] -= 1
                start = time.perf_counter()
                connection.request("POST", "/v1/score", body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                took = time.perf_counter() - start
                total = json.loads(data).get("total", {}).get("marks")
                with lock:
                    latencies.append(took)
                    if response.status != 200 or total != TOTAL:
                        wrong.append((response.status, data[:200]))
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    assert not wrong, wrong[:3]
    return len(latencies) / elapsed, latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="server and reference processes")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="a round's requests (at most)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not (1 <= args.clients <= 64 and 1 <= args.requests <= 10_000 and 1 <= args.rounds <= 10):
        raise SystemExit("clients 1-64, requests 1-10000, rounds 1-10")
    body = request_body()
    print(
        f"apacore serve, /v1/score of Dakop ({len(body):,} bytes of TOML as JSON):"
        f" {args.workers} worker(s), {args.clients} clients, {args.requests} requests a round,"
        f" {args.rounds} rounds; cores: {os.cpu_count()}"
    )
    process, port = start_server(args.workers)
    try:
        with cf.ProcessPoolExecutor(args.workers, initializer=_prepare) as pool:
            in_process(pool, args.workers, body, 2 * args.workers)  # warm: modules, rulesets
            over_http(port, body, args.clients, 2 * args.clients)
            rows = []
            for round_ in range(1, args.rounds + 1):
                http_rate, latencies = over_http(port, body, args.clients, args.requests)
                local_rate = in_process(pool, args.workers, body, args.requests)
                p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
                rows.append((http_rate, local_rate, p50, p99))
                print(
                    f"  round {round_}: HTTP {http_rate:7.1f} req/s ({len(latencies)} answered),"
                    f" p50 {p50 * 1000:6.1f} ms, p99 {p99 * 1000:6.1f} ms;"
                    f" in process {local_rate:7.1f} req/s"
                )
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    ratio = statistics.median(h / r for h, r, _, _ in rows)
    tail = statistics.median(p99 / p50 for _, _, p50, p99 in rows)
    print(
        f"throughput over HTTP / in process: {ratio:.2f}x (goal >= 0.7x, median of rounds)\n"
        f"latency p99 / p50: {tail:.2f}x (goal <= 3x, median of rounds)"
    )


if __name__ == "__main__":
    main()
