"""apacore benchmarks: prints its figures; no pass/fail (machines here are shared and noisy).

    python benchmarks/bench.py [--quick] [--profile]

Every figure that has a goal is a ratio against a reference measured in the same run,
interleaved with it (so that a busy machine slows both alike):

* ``tier_score`` on whole numbers against :func:`reference_tier_score`, a plain,
  unoptimised ``Fraction`` implementation of the same rule written here (results checked
  identical first). Goal (issue 8): at least 3×.
* an office as a national run meets it: a lean synthetic office of 60 indicators
  (benchmarks/synthetic.py: about 25 KiB of TOML for both files, no transcription notes),
  against the time ``tomllib`` takes to parse its two files (``--notes``: the template's
  notes kept, about 65 KiB). Three figures:

  - **cached plan**: scoring the loaded office again (``score_agreement``; its plan is
    compiled once and kept);
  - **fresh office**: compiling its plan and scoring it (``compile_plan`` + ``score_plan``),
    as for an office seen for the first time. Goal (issue 22): at most 0.2×;
  - **read and score**: loading and checking its files with the on-disk cache empty
    (``load_office(use_cache=False)``), compiling and scoring. Goal: at most 1.3×.
* ``--profile``: cProfile summaries (top functions) of compiling and scoring that office,
  and of loading it.

Also printed, without goals: tier_score on dates and Bengali strings, the example office,
loading a ruleset, and the cold start of ``apacore --version``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import tomllib

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- the reference


def reference_tier_score(achievement: Any, tiers: Sequence[Any]) -> Fraction:
    """DOMAIN.md's tier rule, written plainly with Fractions, for numbers (no strings, no
    dates, no checks beyond the rule's own): the reference tier_score is measured against."""
    scores = [Fraction(100), Fraction(90), Fraction(80), Fraction(70), Fraction(60)]
    points = []
    for score, value in zip(scores, tiers):
        if value is not None:
            points.append((score, Fraction(value)))
    if not points:
        raise ValueError("all five tiers are blank")
    down = any(a[1] > b[1] for a, b in zip(points, points[1:]))
    up = any(a[1] < b[1] for a, b in zip(points, points[1:]))
    if down and up:
        raise ValueError("tiers are not monotone")
    sign = Fraction(-1) if up else Fraction(1)
    if achievement is None:
        return Fraction(0)
    a = Fraction(achievement) * sign
    signed = [(score, value * sign) for score, value in points]
    for i, (score, value) in enumerate(signed):
        if a < value:
            continue
        if i == 0 or a == value:
            return score
        hi_score, hi_value = signed[i - 1]
        return score + (hi_score - score) * (a - value) / (hi_value - value)
    return Fraction(0)


# --------------------------------------------------------------------------- timing


def _interleaved(
    fns: Sequence[Callable[[], object]], rounds: int, inner: int | Sequence[int]
) -> list[float]:
    """Median seconds per call of each of ``fns``: batches of ``inner`` calls (one count, or
    one per function: batches of about the same length keep the machine's noise alike),
    the functions' batches in alternation."""
    counts = [inner] * len(fns) if isinstance(inner, int) else list(inner)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            for _ in range(counts[k]):
                fn()
            times[k].append((time.perf_counter() - start) / counts[k])
    return [statistics.median(t) for t in times]


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    return _interleaved([fn], repeat, 1)[0] * 1000


# --------------------------------------------------------------------------- the figures


def bench_tier_score(seconds: float) -> None:
    import apacore
    from apacore.engine.scoring import general_tier_score

    rng = random.Random(8)
    cases = []
    while len(cases) < 2000:
        tiers = sorted(rng.sample(range(0, 400), 5), reverse=rng.random() < 0.7)
        blanks = [None if rng.random() < 0.15 else v for v in tiers]
        if all(v is None for v in blanks):
            continue
        cases.append((rng.choice([None, *range(-20, 420)]), blanks))
    for a, tiers in cases:
        ours, general = apacore.tier_score(a, tiers), general_tier_score(a, tiers)
        exact = reference_tier_score(a, tiers)
        ref = Decimal(exact.numerator) / Decimal(exact.denominator)  # as tier_score hands it out
        if ours != ref or ours != general or str(ours) != str(general):
            raise SystemExit(f"tier_score({a}, {tiers}) = {ours}, reference {ref}: not identical")
    print(f"tier_score, whole numbers: {len(cases)} cases identical to the reference")
    a, tiers = 15, [30, 25, 20, 10, 5]
    inner = 200
    rounds = max(5, int(seconds / 0.01))
    ours_s, ref_s = _interleaved(
        [lambda: apacore.tier_score(a, tiers), lambda: reference_tier_score(a, tiers)],
        rounds,
        inner,
    )
    print(
        f"tier_score(15, [30, 25, 20, 10, 5]): {1 / ours_s:,.0f} calls/s;"
        f" plain Fraction reference {1 / ref_s:,.0f} calls/s;"
        f" ratio {ref_s / ours_s:.2f}× (goal ≥ 3×)"
    )
    dates = [dt.date(2024, 3, d) for d in (16, 23, 30)] + [dt.date(2024, 4, d) for d in (6, 13)]
    bengali = ["৩০.০০", "২৯.৯৫", "২৯.৯০", "২৯.৮৫", "২৯.৮০"]
    dates_s, strings_s = _interleaved(
        [
            lambda: apacore.tier_score(dt.date(2024, 3, 19), dates),
            lambda: apacore.tier_score("২৯.৯৭", bengali),
        ],
        max(5, rounds // 2),
        inner,
    )
    print(
        f"tier_score, dates: {1 / dates_s:,.0f} calls/s; Bengali strings: {1 / strings_s:,.0f} calls/s"
    )


def _profile(title: str, fn: Callable[[], object], times: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(times):
        fn()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    print(f"cProfile of {times} × {title} (top 15 by own time):")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


def bench_office(repeat: int, profile: bool, notes: bool) -> None:
    from apacore.engine.plan import compile_plan, score_plan
    from apacore.engine.scorecard import score_agreement
    from apacore.loading.agreements import load_office

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from synthetic import write_offices

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_offices(Path(tmp), 1, notes=notes)[0]
        texts = [
            (folder / name).read_text(encoding="utf-8")
            for name in ("agreement.toml", "report.toml")
        ]
        office = load_office(folder, use_cache=False)
        sizes = " + ".join(f"{len(t.encode()) / 1024:.1f} KiB" for t in texts)
        agreement, report, ruleset = office.agreement, office.report, office.ruleset
        card = score_agreement(agreement, report, ruleset)
        n = len(card.indicators())
        quarter = card.as_of_quarter

        def parse() -> None:
            for text in texts:
                tomllib.loads(text, parse_float=Decimal)

        def cached() -> None:
            score_agreement(agreement, report, ruleset)

        def fresh() -> None:
            score_plan(compile_plan(agreement, ruleset), report, quarter)

        def read() -> None:
            loaded = load_office(folder, use_cache=False)
            score_plan(compile_plan(loaded.agreement, loaded.ruleset), loaded.report, quarter)

        # batches of about 15-20 ms each, alternating: a busy machine slows all alike
        parse_s, cached_s, fresh_s, read_s = _interleaved(
            [parse, cached, fresh, read], repeat, (3, 12, 6, 2)
        )
        shape = "noted" if notes else "lean"
        print(
            f"a {shape} office of {n} indicators ({sizes}); tomllib parse of its two files:"
            f" {parse_s * 1000:.3f} ms"
        )
        print(f"  cached plan, scored: {cached_s * 1000:.3f} ms; ratio {cached_s / parse_s:.3f}×")
        print(
            f"  fresh office, plan compiled and scored: {fresh_s * 1000:.3f} ms;"
            f" ratio {fresh_s / parse_s:.3f}× (goal ≤ 0.2×)"
        )
        print(
            f"  read (on-disk cache empty), compiled and scored: {read_s * 1000:.3f} ms;"
            f" ratio {read_s / parse_s:.3f}× (goal ≤ 1.3×)"
        )
        lazily = card.indicators()[0]
        start = time.perf_counter()
        lines = sum(len(result.explanation) for result in card.indicators())
        print(
            f"  explanations of all {n} rows, rendered on demand:"
            f" {(time.perf_counter() - start) * 1000:.2f} ms ({lines} lines;"
            f" first row {len(lazily.explanation)})"
        )
        if profile:
            _profile("compiling and scoring", fresh, 200)
            _profile("loading, compiling and scoring", read, 50)


def bench_other(repeat: int) -> None:
    from apacore.engine.scorecard import score_agreement
    from apacore.loading.agreements import load_office
    from apacore.loading.rulesets import load_ruleset_dir

    dakop = load_office(ROOT / "examples" / "dakop-2024-25")
    n = len(score_agreement(dakop.agreement, dakop.report, dakop.ruleset).indicators())
    ms = _median_ms(
        lambda: score_agreement(dakop.agreement, dakop.report, dakop.ruleset), repeat * 5
    )
    print(f"score examples/dakop-2024-25 ({n} indicators): {ms:.3f} ms")
    ms = _median_ms(lambda: load_office(ROOT / "examples" / "dakop-2024-25"), repeat)
    print(f"load + check examples/dakop-2024-25 (ruleset cached): {ms:.2f} ms")
    for fy in ("2023-24", "2024-25"):
        path = ROOT / "src" / "apacore" / "rulesets" / fy
        ms = _median_ms(lambda path=path: load_ruleset_dir(path), repeat)
        print(f"load ruleset {fy} (uncached, validated, hashed): {ms:.2f} ms")
    cmd = [sys.executable, "-m", "apacore", "--version"]
    bare = [sys.executable, "-c", "pass"]
    cold, base = _interleaved(
        [
            lambda: subprocess.run(cmd, check=True, capture_output=True),
            lambda: subprocess.run(bare, check=True),
        ],
        repeat,
        1,
    )
    print(
        f"cold start `python -m apacore --version`: {cold * 1000:.0f} ms;"
        f" bare `python -c pass`: {base * 1000:.0f} ms; ratio {cold / base:.1f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    parser.add_argument("--profile", action="store_true", help="cProfile summaries of an office")
    parser.add_argument("--notes", action="store_true", help="an office with the template's notes")
    args = parser.parse_args()
    seconds = 0.5 if args.quick else 2.0
    repeat = 5 if args.quick else 21
    print(f"Python {sys.version.split()[0]}")
    bench_tier_score(seconds)
    bench_office(repeat * 5, args.profile, args.notes)
    bench_other(repeat)


if __name__ == "__main__":
    main()
