"""The limits of apacore.limits, at their edges, and where they are checked."""

from __future__ import annotations

import os
import re
import time
from decimal import Decimal
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import pytest

from apacore import limits
from apacore.engine.scoring import tier_score
from apacore.errors import ApacoreError, ParseError, ScoringError
from apacore.limits import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, MAX_NESTING, number_problem
from apacore.loading.convert import read_toml
from apacore.numbers import exact_sum, parse_id, parse_value


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (Decimal(10**MAX_INTEGER_DIGITS - 1), True),
        (Decimal(10**MAX_INTEGER_DIGITS), False),
        (-Decimal(10**MAX_INTEGER_DIGITS), False),
        (Decimal((0, (1,), -MAX_FRACTION_DIGITS)), True),
        (Decimal((0, (1,), -MAX_FRACTION_DIGITS - 1)), False),
        (Decimal("0E-1000"), False),
        (Decimal("0E+1000"), True),  # zero, however written, is small
        (Decimal("NaN"), False),
        (Decimal("-Infinity"), False),
    ],
)
def test_number_limits_at_their_edges(value: Decimal, ok: bool) -> None:
    assert (number_problem(value) is None) is ok


def test_text_numbers_are_bounded_before_conversion() -> None:
    assert parse_value("9" * MAX_INTEGER_DIGITS) == Decimal("9" * MAX_INTEGER_DIGITS)
    with pytest.raises(ParseError, match="numbers must be below 10"):
        parse_value("৯" * (MAX_INTEGER_DIGITS + 1))
    with pytest.raises(ParseError, match="beyond apacore's limit"):
        parse_value(10**5000)
    assert parse_value("0" * 100 + "5") == Decimal(5)  # leading zeros are not digits of size


def test_id_parts_are_bounded() -> None:
    assert parse_id("[১.০০০০০০০০০০২]") == "1.2"
    with pytest.raises(ParseError, match="at most 6 digits"):
        parse_id("1.1234567")


def test_tier_score_refuses_unbounded_exact_arithmetic_quickly() -> None:
    start = time.perf_counter()
    for achievement, tiers in [
        (Decimal("5E-781255"), [30, 25, 20, 10, 5]),
        ("1e999999", ["3e999999"] * 5),
        (Decimal("1E+999999"), [Decimal("3E+999999"), 25, 20, 10, 5]),
    ]:
        with pytest.raises(ScoringError):
            tier_score(achievement, tiers)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("tiers", [None, 5, (x for x in range(5)), "54321", b"54321"])
def test_tier_score_tiers_that_are_not_a_list(tiers: object) -> None:
    with pytest.raises(ScoringError, match=r"^tiers: give five values"):
        tier_score(15, tiers)  # type: ignore[arg-type]


def test_exact_sum_never_rounds_at_the_context_precision() -> None:
    # both within the limits: 21 digits before the point, 24 after
    parts = [Decimal(10**20), Decimal("0." + "0" * 23 + "1"), Decimal(-(10**20))]
    assert exact_sum(parts) == Decimal("0." + "0" * 23 + "1")
    assert sum(parts) == 0  # what a 28-digit context does


def test_toml_nesting_ignores_brackets_in_strings_and_comments(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    deep = "[" * (MAX_NESTING + 5)
    path.write_text(
        f'a = "{deep}"\nb = \'{deep}\'\nc = """\n{deep}\n"""\n# {deep}\nd = [[1], [2]]\n', "utf-8"
    )
    assert read_toml(path)["d"] == [[1], [2]]
    path.write_text("x = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "\n", "utf-8")
    with pytest.raises(ApacoreError) as info:
        read_toml(path)
    assert str(info.value) == (
        f"{path}: line 1: arrays or tables nest more than {MAX_NESTING} deep"
        " (apacore's limit; see docs/limits.md)"
    )


def test_toml_file_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("apacore.loading.convert.MAX_FILE_BYTES", 10)
    path = tmp_path / "a.toml"
    path.write_text("a = 1234567890\n", "utf-8")
    with pytest.raises(ApacoreError) as info:
        read_toml(path)
    assert str(info.value) == (
        f"{path}: is 15 bytes; apacore reads files of at most 10 bytes (see docs/limits.md)"
    )
    assert limits.MAX_FILE_BYTES == 4 * 1024 * 1024


@pytest.mark.parametrize(
    "text",
    [
        "[" + ".".join(["a"] * 100_000) + "]\nx = 1\n",
        "x" + ".a" * 100_000 + " = 1\n",
        "x = {" + "a." * 40 + "b = 1}\n",
    ],
    ids=["header", "key", "inline-table"],
)
def test_dotted_keys_are_bounded_before_the_parser(tmp_path: Path, text: str) -> None:
    """tomllib slows down quadratically with the parts of one dotted key (minutes for 1 MB)."""
    path = tmp_path / "a.toml"
    path.write_text(text, "utf-8")
    start = time.perf_counter()
    with pytest.raises(ApacoreError) as info:
        read_toml(path)
    assert time.perf_counter() - start < 1.0
    assert str(info.value) == (
        f"{path}: line 1: a dotted key has more than {MAX_NESTING} parts"
        " (apacore's limit; see docs/limits.md)"
    )


def test_dotted_keys_within_the_limit_and_dots_in_values_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    path.write_text(
        "[a.b.c]\nd.e = 1.5\nf = [1.5, 2.5,\n  3.5, 4.5]\ng = { h.i = 2.5, j = 3.5 }\n"
        + "k = ["
        + ", ".join(["1.5"] * 100)
        + "]\n",
        "utf-8",
    )
    data = read_toml(path)
    assert data["a"]["b"]["c"]["d"]["e"] == Decimal("1.5")
    assert data["a"]["b"]["c"]["g"] == {"h": {"i": Decimal("2.5")}, "j": Decimal("3.5")}


def test_a_large_report_is_looked_up_not_searched() -> None:
    from apacore.models import ProgressEntry, ProgressReport

    entries = [ProgressEntry(indicator=f"1.1.{i}") for i in range(1, 20_001)]
    report = ProgressReport(fiscal_year="2024-25", quarter=1, entries=entries)
    start = time.perf_counter()
    assert all(report.entry(f"1.1.{i}") is entries[i - 1] for i in range(1, 20_001))
    assert time.perf_counter() - start < 1.0


@pytest.mark.allow_skip(reason="named pipes exist only on POSIX systems")
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
def test_a_pipe_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    """Opening a named pipe waits for a writer forever: it is refused by its type."""
    from apacore.importer import import_table

    for name in ("agreement.toml", "table.csv"):
        pipe = tmp_path / name
        os.mkfifo(pipe)
        with pytest.raises(ApacoreError) as info:
            read_toml(pipe) if name.endswith(".toml") else import_table(pipe)
        assert str(info.value) == f"{pipe}: is not a regular file (a pipe, a socket or a device)"


_NESTING_TOKENS = (
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    ".",
    "a",
    "\n",
    '"[{."',
    "'[.'",
    "# [[{",
    '"""\n[."""',
)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    st.lists(st.sampled_from(_NESTING_TOKENS), max_size=3 * MAX_NESTING),
    st.sampled_from(["", "[", "{", "a.", "x = ["]),
)
def test_the_quick_nesting_bound_never_passes_what_the_exact_scan_refuses(
    tokens: list[str], repeated: str
) -> None:
    # the repeated token reaches the limit often; the rest mixes strings, comments, closes
    text = repeated * MAX_NESTING + "".join(tokens)
    exact: ApacoreError | None = None
    try:
        limits._scan_nesting(text, where="f", error=ApacoreError)
    except ApacoreError as exc:
        exact = exc
    if exact is not None:
        assert not limits._surely_shallow(text)
        with pytest.raises(ApacoreError) as raised:
            limits.check_toml_nesting(text, where="f", error=ApacoreError)
        assert str(raised.value) == str(exact)
    else:
        limits.check_toml_nesting(text, where="f", error=ApacoreError)


def _scan_first(text: str) -> object:
    """What reading ``text`` gave when the nesting was always scanned before the parser
    ran: the data, or the error's line."""
    from apacore.loading.convert import _check_numbers, tomllib

    try:
        limits.check_toml_nesting(text, where="f", error=ApacoreError)
        try:
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise ApacoreError(f"invalid TOML: {exc}", where="f") from None
        except ValueError:
            raise ApacoreError("invalid TOML: an integer", where="f") from None
        _check_numbers(data, "$", where="f", error=ApacoreError)
    except ApacoreError as exc:
        return str(exc)
    return data


def _read(text: str) -> object:
    from apacore.loading.convert import parse_toml

    try:
        return parse_toml(text, where="f", error=ApacoreError, checked_size=True)
    except ApacoreError as exc:
        return str(exc) if "an integer" not in exc.why else "f: invalid TOML: an integer"


def _deep_value(depth: int, inline: list[bool]) -> str:
    opened = "".join("{ k = " if table else "[ " for table in inline[:depth])
    closed = "".join(" }" if table else " ]" for table in reversed(inline[:depth]))
    return f"{opened}1.5{closed}"


_TOML_LINES = st.one_of(
    st.builds(
        lambda depth, inline: f"v = {_deep_value(depth, inline)}",
        st.integers(MAX_NESTING - 3, MAX_NESTING + 2),
        st.lists(st.booleans(), min_size=MAX_NESTING + 2, max_size=MAX_NESTING + 2),
    ),
    st.builds(
        lambda parts, form: form.format(".".join(f"p{i}" for i in range(parts))),
        st.integers(MAX_NESTING - 3, MAX_NESTING + 2),
        st.sampled_from(["{} = 1", "[{}]", "[[{}]]", "t = {{ {} = 2 }}", "{} = [1.5, 2.5]"]),
    ),
    st.sampled_from(
        [
            "[a.b.c]",
            "[[a.d]]",
            "x = 1.5",
            'y = "[[[{{{ . . . ]]]"',
            "z = '}}}]]]'",
            "# [[[[ . . . {{{",
            'm = """\n]]]\n. . .\n"""',
            "n = [1.5,\n 2.5]",
            'q = "' + "." * MAX_NESTING + '"',
            "r = [ ]",
            "]",
            "s = {",
            "w = 1" + "0" * 30,
        ]
    ),
)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(st.lists(_TOML_LINES, min_size=1, max_size=6), st.integers(0, 5))
def test_parsing_before_the_nesting_scan_reads_as_scanning_first(
    lines: list[str], shift: int
) -> None:
    """A text read by the parser first (an ordinary file) gives the data or the error the
    scan-first order gives: nesting beyond the limit, by brackets or by a dotted key's
    parts, is named as the scan names it (its line), before the parser's complaint or a
    number's; the lines are shifted to hold the line numbers to it."""
    text = "\n" * shift + "\n".join(lines) + "\n"
    assert _read(text) == _scan_first(text)


def test_a_text_parsed_first_is_an_ordinary_one() -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    ordinary = (examples / "dakop-2024-25/agreement.toml").read_text("utf-8")
    assert limits.parses_before_nesting_scan(ordinary)
    assert not limits.parses_before_nesting_scan("a = " + "[" * 1001 + "]" * 1001)
    assert not limits.parses_before_nesting_scan("a = 1\n" + "b." * MAX_NESTING + "c = 1")
    assert limits.parses_before_nesting_scan("a = 1\n" + "b.\n" * MAX_NESTING + "c = 1")
    assert not limits.parses_before_nesting_scan("a = 1\n" * 50_000)  # a large text


def _nested(depth: int, leaf: object) -> object:
    for _ in range(depth):
        leaf = [leaf]
    return {"a": leaf}


@pytest.mark.parametrize(
    ("data", "refused"),
    [
        (_nested(MAX_NESTING - 1, "x"), False),
        (_nested(MAX_NESTING, "x"), True),  # a string too deep is refused like any value
        (_nested(MAX_NESTING, {}), True),
        (_nested(3, Decimal("1e-40")), True),
        (_nested(3, 10**MAX_INTEGER_DIGITS), True),
        (_nested(3, Decimal("12.5")), False),
        ({"a": {"b": [True, 7, Decimal("0.5"), "৫"]}}, False),
    ],
)
def test_the_numbers_walk_without_paths_agrees_with_the_full_walk(
    data: object, refused: bool
) -> None:
    from apacore.loading.convert import _check_numbers, _within_limits

    assert _within_limits(data) is not refused
    if refused:
        with pytest.raises(ApacoreError):
            _check_numbers(data, "$", where="f", error=ApacoreError)
    else:
        _check_numbers(data, "$", where="f", error=ApacoreError)


# The strings and comments as the scan first matched them (an alternation per character).
_PLAIN_TOML_TEXT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^']|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*",
    re.DOTALL,
)


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(st.text(alphabet="\"'\\\n#a[.=", max_size=60))
def test_the_unrolled_string_patterns_match_what_the_plain_ones_match(text: str) -> None:
    def spans(pattern: re.Pattern[str]) -> list[tuple[int, int]]:
        return [m.span() for m in pattern.finditer(text)]

    assert spans(limits._TOML_TEXT_RE) == spans(_PLAIN_TOML_TEXT)


def _name_problem_by_pattern(text: str) -> str | None:
    """name_problem as the pattern alone decides it (without the printable shortcut)."""
    bad = limits._CONTROL_RE.search(text)
    if bad is not None:
        shown = ascii(bad.group())[1:-1]
        return f"holds a control character ({shown}); a name is one line of plain text"
    if len(text) > limits.MAX_NAME_CHARS:
        return f"is {len(text):,} characters long; apacore reads names of at most 1,000 characters (see docs/limits.md)"
    return None


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(
    st.one_of(
        st.text(max_size=20),
        st.text(alphabet="কখ a\x00\x1b\x7f\x85\x9f\u200c\u200d\u2028\u2029\ufeff\t", max_size=20),
        st.integers(995, 1005).map(lambda n: "ক" * n),
    )
)
def test_the_printable_shortcut_of_name_problem_agrees_with_the_pattern(text: str) -> None:
    assert limits.name_problem(text) == _name_problem_by_pattern(text)
