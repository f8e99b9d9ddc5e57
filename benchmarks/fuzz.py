"""The long fuzz run of issue 11: N random hostile inputs to each public parser and to
``tier_score``; prints figures, and exits 1 if any call broke the error contract.

    python benchmarks/fuzz.py [N] [--seed S] [--files N_FILES]

A call keeps the contract when it returns a value with no binary float in it, or raises
one of apacore's own errors (:class:`apacore.ApacoreError`) whose message is one line.
Anything else (another exception, a float, a multi-line message) is a failure and is
printed with its input. Every call is timed: the figures give the slowest call and how
many took over 0.1 s (the issue's bound) against the median call of the same target,
measured in the same run. A call over the bound is run three more times and keeps its
fastest time (``retimed`` counts them), so a busy machine is not taken for a slow input. The file parsers (``load_agreement``, ``load_report``,
``import_table``) write a file per input and default to N // 10 inputs (``--files``).
``csv_cell`` writes hostile names through the batch CSV writer and fails on any cell a
spreadsheet would run as a formula; ``import_xlsx`` imports random workbooks of a few
kilobytes whose cells and merged ranges reach XFD1048576 (tests/sheets.py). Last, the
largest workbook the limits let through (a sheet of ``MAX_SHEET_XML_BYTES`` of XML, a
file well under 1 MB) is imported and timed against the 2 s bound, with expat's bare
parse of the same XML as the reference measured in the same run.
The fast test version of these checks is tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from apacore.engine.scoring import tier_score
from apacore.errors import ApacoreError
from apacore.importer import import_table
from apacore.loading.agreements import load_agreement, load_report
from apacore.numbers import parse_id, parse_reading, parse_value

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/sheets.py: the random workbooks the tests use too
DATA = ROOT / "tests" / "data"
BOUND = 0.1

_ALPHABET = (
    "0123456789০১২৩৪৫৬৭৮৯.,-\u2212\u2013%\u066a\uff05/=()[]+:;eE "
    "টাকাটিজনTk৳খ্রিঃস্টাব্দপ্রযোজ্য নয়n/a\t\n\r\x00\x1b\u200b\ufeff"
)


def hostile_text(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(60)))
    if kind == 1:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(rng.randrange(40)))
    if kind == 2:
        return rng.choice(["9", "৯", "0", "1,", "12,", ".5", "1.", "০,"]) * rng.randrange(1, 6000)
    if kind == 3:
        mantissa = rng.choice(["1", "3", "5", "-5", "০"])
        return f"{mantissa}e{rng.randint(-(10**9), 10**9)}{rng.choice(['', '%', '/-', ' টাকা'])}"
    if kind == 4:
        n, sep = rng.randrange(10**6), rng.choice("/.-")
        return f"{n}{sep}{n}{sep}{rng.randrange(10**8)}"
    # a valid-looking figure, made longer or stranger
    figure = rng.choice(["৮০%", "৯২%(৪৮)", "১২৫০০০/-", "২ টি", "৩,১৯,৩২০", "১৫/০৪/২৫", "০,০০০৮০"])
    return figure * rng.randrange(1, 4) + rng.choice(["", " ", "%", ")", "(১)", "\x07"])


def hostile_value(rng: random.Random) -> Any:
    kind = rng.randrange(10)
    if kind < 4:
        return hostile_text(rng)
    if kind == 4:
        return Decimal((rng.randrange(2), (rng.randrange(10),), rng.randint(-(10**7), 10**7)))
    if kind == 5:
        return rng.choice([Decimal("NaN"), Decimal("Infinity"), Decimal("-0"), Decimal("1E+30")])
    if kind == 6:
        return rng.choice([rng.randint(-(10**30), 10**30), 10 ** rng.randrange(5000) - 1])
    if kind == 7:
        return rng.choice([None, True, False, 1.5, float("nan"), [1, 2]])
    if kind == 8:
        return dt.date(rng.randint(1, 9999), rng.randint(1, 12), rng.randint(1, 28))
    return dt.datetime(2024, 7, 1, rng.randrange(24))


def hostile_tiers(rng: random.Random) -> Any:
    kind = rng.randrange(6)
    if kind == 0:
        return [hostile_value(rng) for _ in range(5)]
    if kind == 1:
        return sorted((rng.randint(-100, 100) for _ in range(5)), reverse=rng.random() < 0.5)
    if kind == 2:
        values: list[Any] = [30, 25, 20, 10, 5]
        values[rng.randrange(5)] = hostile_value(rng)
        return values
    if kind == 3:
        return {rng.choice(["excellent", "good", "poor", "bad"]): hostile_value(rng)}
    if kind == 4:
        return (x for x in range(rng.randrange(7)))
    return hostile_value(rng)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**4000:
        return hex(value)
    if isinstance(value, (int, Decimal)):
        return str(value) if Decimal(value).is_finite() else "nan"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, float)) or value is None:
        return repr(value) if isinstance(value, list) else '"-"'
    text = str(value)
    return (
        '"'
        + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
        + '"'
    )


def _floats(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if attrs.has(type(value)):
        return any(_floats(getattr(value, f.name)) for f in attrs.fields(type(value)))
    if isinstance(value, (list, tuple)):
        return any(_floats(v) for v in value)
    return False


@attrs.define
class Figures:
    calls: int = 0
    errors: int = 0
    failures: list[str] = attrs.field(factory=list)
    times: list[float] = attrs.field(factory=list)
    slowest: str = ""
    retimed: int = 0


def check(figures: Figures, call: Callable[[], Any], shown: Callable[[], str]) -> None:
    start = time.perf_counter()
    try:
        result = call()
        problem = "a binary float in the result" if _floats(result) else ""
    except ApacoreError as exc:
        figures.errors += 1
        problem = "a message of several lines" if "\n" in str(exc) else ""
    except Exception as exc:  # the contract is broken: report it
        problem = f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - start
    if elapsed > BOUND:  # a slow input, or a busy machine? the fastest of three reruns says
        figures.retimed += 1
        for _ in range(3):
            start = time.perf_counter()
            try:
                call()
            except Exception:
                pass
            elapsed = min(elapsed, time.perf_counter() - start)
    figures.calls += 1
    if elapsed > max(figures.times, default=0.0):
        figures.slowest = shown()[:160]
    figures.times.append(elapsed)
    if problem:
        figures.failures.append(f"{problem[:200]} <- {shown()[:200]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--files", type=int, help="inputs to the file parsers (default n // 10)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n_files = args.files if args.files is not None else args.n // 10
    agreement = (DATA / "mini-office" / "agreement.toml").read_text("utf-8")
    report = (DATA / "mini-office" / "report.toml").read_text("utf-8")
    table = (DATA / "import" / "progress.csv").read_text("utf-8").splitlines()
    keys_a = ("weight = 40", "base = 200", "tiers = [100, 90, 80, 70, 60]", 'id = "1.1.1"')
    keys_r = ('q2 = "৭৩"', "quarter = 2", 'indicator = "1.1.2"')
    results: dict[str, Figures] = {}
    folder = Path(tempfile.mkdtemp(prefix="apacore-fuzz-"))

    def run(
        name: str, count: int, make: Callable[[], tuple[Callable[[], Any], Callable[[], str]]]
    ) -> None:
        figures = results.setdefault(name, Figures())
        for _ in range(count):
            call, shown = make()
            check(figures, call, shown)

    def reading() -> tuple[Callable[[], Any], Callable[[], str]]:
        v = hostile_value(rng)
        return (lambda: parse_reading(v)), (lambda: repr(v))

    def value() -> tuple[Callable[[], Any], Callable[[], str]]:
        v = hostile_value(rng)
        return (lambda: parse_value(v)), (lambda: repr(v))

    def ident() -> tuple[Callable[[], Any], Callable[[], str]]:
        t = hostile_text(rng)
        return (lambda: parse_id(t)), (lambda: repr(t))

    def tiers() -> tuple[Callable[[], Any], Callable[[], str]]:
        a, t = hostile_value(rng), hostile_tiers(rng)
        d = rng.choice([None, "higher", "lower", "up"])
        p = rng.choice(["linear", "step", "other"])
        return (lambda: tier_score(a, t, direction=d, date_policy=p)), (
            lambda: f"{a!r}, {t!r}, {d}, {p}"
        )

    def agreement_file() -> tuple[Callable[[], Any], Callable[[], str]]:
        key = rng.choice(keys_a)
        text = agreement.replace(key, f"{key.split(' = ')[0]} = {_toml(hostile_value(rng))}", 1)
        path = folder / "agreement.toml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        return (lambda: load_agreement(path)), (lambda: text[:300])

    def report_file() -> tuple[Callable[[], Any], Callable[[], str]]:
        key = rng.choice(keys_r)
        text = report.replace(key, f"{key.split(' = ')[0]} = {_toml(hostile_value(rng))}", 1)
        path = folder / "report.toml"
        path.write_text(text, "utf-8", errors="surrogatepass")
        return (lambda: load_report(path)), (lambda: text[:300])

    def table_file() -> tuple[Callable[[], Any], Callable[[], str]]:
        lines = list(table)
        lines[rng.randrange(len(lines))] = ",".join(
            hostile_text(rng) for _ in range(rng.randrange(1, 9))
        )
        path = folder / "table.csv"
        path.write_text("\n".join(lines), "utf-8", errors="surrogatepass")
        return (lambda: import_table(path, fiscal_year="2024-25", quarter=2).to_toml()), (
            lambda: "\n".join(lines)[:300]
        )

    from tests.sheets import random_sheet, xlsx
    from tests.test_fuzz import spreadsheet_runs

    def csv_cell() -> tuple[Callable[[], Any], Callable[[], str]]:
        names = [
            rng.choice(["=", "+", "-", "@", "\t", "\r", ""]) + hostile_text(rng) for _ in range(5)
        ]
        return (lambda: _csv_cells_run(names, spreadsheet_runs)), (lambda: repr(names))

    def xlsx_file() -> tuple[Callable[[], Any], Callable[[], str]]:
        sheet = random_sheet(rng)
        path = folder / "progress.xlsx"
        path.write_bytes(xlsx(sheet))
        return (lambda: import_table(path, fiscal_year="2024-25", quarter=2).to_toml()), (
            lambda: repr(sheet)[:300]
        )

    started = time.perf_counter()
    run("parse_reading", args.n, reading)
    run("parse_value", args.n, value)
    run("parse_id", args.n, ident)
    run("tier_score", args.n, tiers)
    run("load_agreement", n_files, agreement_file)
    run("load_report", n_files, report_file)
    run("import_table", n_files, table_file)
    run("csv_cell", n_files, csv_cell)
    run("import_xlsx", n_files, xlsx_file)
    total = time.perf_counter() - started

    print(f"apacore fuzz: seed {args.seed}, {total:.1f} s in all; bound {BOUND} s per call")
    print(
        f"{'target':<15} {'calls':>8} {'errors':>8} {'failures':>8} {'median ms':>10} {'max ms':>9} {'max/median':>11} {'>0.1 s':>7}"
    )
    broken = 0
    for name, f in results.items():
        median = statistics.median(f.times) if f.times else 0.0
        slowest = max(f.times, default=0.0)
        over = sum(1 for t in f.times if t > BOUND)
        ratio = slowest / median if median else 0.0
        print(
            f"{name:<15} {f.calls:>8} {f.errors:>8} {len(f.failures):>8} {median * 1000:>10.3f}"
            f" {slowest * 1000:>9.2f} {ratio:>11.0f} {over:>7} {f.retimed:>8}"
        )
        broken += len(f.failures)
    for name, f in results.items():
        print(f"slowest {name}: {f.slowest!r}")
    for name, f in results.items():
        for failure in f.failures[:5]:
            print(f"FAILURE {name}: {failure}")
    _largest_sheet(folder)
    return 1 if broken else 0


_RECORD: list[Any] = []


def _csv_cells_run(names: list[str], runs: Callable[[str], bool]) -> None:
    """Write hostile names through the batch CSV; a cell a spreadsheet would run fails."""
    import csv
    import io

    from apacore.batch import OfficeError, score_office
    from apacore.batch.output import batch_chunks
    from apacore.batch.rollup import rank_offices

    if not _RECORD:
        _RECORD.append(score_office(ROOT / "tests" / "catalogue" / "_base", path="office"))
    record = attrs.evolve(_RECORD[0], path=names[0], name_bn=names[1], name_en=names[2])
    text = "".join(
        batch_chunks(
            "csv", rank_offices([record], None), [OfficeError(path=names[3], error=names[4])]
        )
    )
    bad = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row if runs(c)]
    if bad:
        raise AssertionError(f"a cell a spreadsheet would run: {bad[0]!r}")


def _largest_sheet(folder: Path) -> None:
    """Import the largest sheet the limits let through; print its time against 2 s."""
    from xml.parsers import expat

    from tests.sheets import _TABLE, Cell, Sheet, _rows_xml, xlsx

    from apacore.limits import MAX_SHEET_XML_BYTES

    def row_cells(row: int) -> list[Cell]:
        return [Cell(row, 1, "inlineStr", "note"), Cell(row, 2, "n", str(row))]

    one = len(_rows_xml(row_cells(10**5), {}))  # the XML of a row of six digits
    rows = int(MAX_SHEET_XML_BYTES * 0.98) // one
    table = [  # a progress table's title and header, then rows of figures without an id
        Cell(r, c, "s", str(value))
        for r, row in enumerate(_TABLE[:3], 1)
        for c, value in enumerate(row, 1)
    ]
    data = xlsx(Sheet((*table, *(c for r in range(4, rows + 1) for c in row_cells(r))), ()))
    path = folder / "largest.xlsx"
    path.write_bytes(data)
    import zipfile

    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    start = time.perf_counter()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = lambda name, attrs: None
    parser.Parse(xml, True)
    floor = time.perf_counter() - start
    best = float("inf")
    for _ in range(3):  # the fastest of three: a busy machine is not a slow input
        start = time.perf_counter()
        try:
            result = import_table(path, fiscal_year="2024-25", quarter=2)
        except ApacoreError as exc:
            print(f"largest sheet refused: {exc}")
            return
        best = min(best, time.perf_counter() - start)
    print(
        f"largest sheet the limits allow: {len(xml) / 2**20:.1f} MiB of XML, {rows:,} rows,"
        f" a file of {len(data) / 1024:.0f} KB: import {best:.2f} s (bound 2 s);"
        f" expat's bare parse {floor:.2f} s; ratio {best / floor:.1f}x;"
        f" {len(result.problems):,} rows reported"
    )


if __name__ == "__main__":
    sys.exit(main())
