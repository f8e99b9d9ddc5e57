"""apacore benchmarks: prints its figures; no pass/fail (machines here are shared and noisy).

    python benchmarks/bench.py [--quick]

Figures: tier_score calls per second (numbers and dates), scoring one whole agreement,
loading a ruleset (uncached), and the cold start of ``apacore --version``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rate(fn, seconds: float) -> float:  # type: ignore[no-untyped-def]
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for _ in range(100):
            fn()
        n += 100
    return n / (time.perf_counter() - start)


def _median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    seconds = 0.5 if args.quick else 2.0
    repeat = 3 if args.quick else 10

    import apacore
    from apacore.agreements import load_office
    from apacore.rulesets import load_ruleset_dir
    from apacore.scorecard import score_agreement

    tiers = [Decimal(v) for v in (30, 25, 20, 10, 5)]
    dates = [
        dt.date(2024, 3, 16),
        dt.date(2024, 3, 23),
        dt.date(2024, 3, 30),
        dt.date(2024, 4, 6),
        dt.date(2024, 4, 13),
    ]
    print(
        f"tier_score, numbers:          {_rate(lambda: apacore.tier_score(Decimal(15), tiers), seconds):,.0f} calls/s"
    )
    print(
        f"tier_score, dates:            {_rate(lambda: apacore.tier_score(dt.date(2024, 3, 19), dates), seconds):,.0f} calls/s"
    )
    bengali = ["৩০.০০", "২৯.৯৫", "২৯.৯০", "২৯.৮৫", "২৯.৮০"]
    print(
        f"tier_score, Bengali strings:  {_rate(lambda: apacore.tier_score('২৯.৯৭', bengali), seconds):,.0f} calls/s"
    )

    folder = ROOT / "tests" / "data" / "mini-office"
    ruleset = load_ruleset_dir(ROOT / "tests" / "data" / "mini-ruleset")
    office = load_office(folder, ruleset=ruleset)
    n = len(score_agreement(office.agreement, office.report, ruleset).indicators())
    ms = _median_ms(lambda: score_agreement(office.agreement, office.report, ruleset), repeat * 5)
    print(f"score one agreement ({n} indicators, tests/data/mini-office): {ms:.2f} ms")
    ms = _median_ms(lambda: load_office(folder, ruleset=ruleset), repeat)
    print(f"load + check that agreement and report: {ms:.2f} ms")
    dakop = load_office(ROOT / "examples" / "dakop-2024-25")
    n = len(score_agreement(dakop.agreement, dakop.report, dakop.ruleset).indicators())
    ms = _median_ms(
        lambda: score_agreement(dakop.agreement, dakop.report, dakop.ruleset), repeat * 5
    )
    print(f"score examples/dakop-2024-25 ({n} indicators): {ms:.2f} ms")
    ms = _median_ms(lambda: load_office(ROOT / "examples" / "dakop-2024-25"), repeat)
    print(f"load + check examples/dakop-2024-25 (ruleset cached): {ms:.2f} ms")
    for fy in ("2023-24", "2024-25"):
        ms = _median_ms(lambda fy=fy: load_ruleset_dir(ROOT / "rulesets" / fy), repeat)
        print(f"load ruleset {fy} (uncached, validated, hashed): {ms:.2f} ms")

    cmd = [sys.executable, "-m", "apacore", "--version"]
    ms = _median_ms(lambda: subprocess.run(cmd, check=True, capture_output=True), repeat)
    print(f"cold start `python -m apacore --version`: {ms:.0f} ms (median of {repeat})")
    base = _median_ms(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), repeat)
    print(f"  (a bare `python -c pass` here: {base:.0f} ms)")


if __name__ == "__main__":
    main()
