"""Tests for apacore.numbers: every written form, the errors, and round-trip properties."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.errors import ParseError
from apacore.numbers import (
    NOT_APPLICABLE,
    NOT_REPORTED,
    Marker,
    Reading,
    format_decimal,
    parse_id,
    parse_quarter,
    parse_reading,
    parse_value,
    to_ascii_digits,
    to_bengali_digits,
)

D = Decimal
date = datetime.date

# --------------------------------------------------------------------------- forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("৮০", D("80")),
        ("০৪", D("4")),
        ("29.97", D("29.97")),
        ("৪২৪০০০.০০", D("424000.00")),
        ("০.০০৩৪০", D("0.00340")),
        ("২৯.৯৭", D("29.97")),
        ("২9.9৭", D("29.97")),  # mixed digits
        ("  ৮০\t", D("80")),
        ("0", D("0")),
        ("-5", D("-5")),
        ("\u200c৮০", D("80")),  # zero-width non-joiner from a scan
    ],
)
def test_plain_numbers(text: str, expected: Decimal) -> None:
    assert parse_reading(text) == Reading(text=text, value=expected)


def test_numbers_keep_exact_digits() -> None:
    value = parse_value("০.০০৩৪০")
    assert isinstance(value, Decimal)
    assert value.as_tuple() == D("0.00340").as_tuple()
    value = parse_value("৪২৪০০০.০০")
    assert isinstance(value, Decimal)
    assert value.as_tuple() == D("424000.00").as_tuple()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("০,০০০৮০", D("0.00080")),
        ("০,০০০৮৩", D("0.00083")),
        ("5,12", D("5.12")),
        ("১,২৫০০", D("1.2500")),  # the group after the comma is not 3 digits
        ("0,500", D("0.500")),  # a first group starting with 0 is not thousands
        ("১,২৫০", D("1250")),
        ("1,250,000", D("1250000")),
        ("3,19,320", D("319320")),
        ("৩,১৯,৩২০", D("319320")),
        ("1,00,00,000", D("10000000")),
        ("1,250.50", D("1250.50")),
        ("৩,১৯,৩২০.০০", D("319320.00")),
    ],
)
def test_commas(text: str, expected: Decimal) -> None:
    value = parse_value(text)
    assert isinstance(value, Decimal)
    assert value.as_tuple() == expected.as_tuple()


def test_decimal_comma_keeps_exact_digits() -> None:
    assert parse_reading("০,০০০৮০") == Reading(text="০,০০০৮০", value=D("0.00080"))
    assert str(parse_value("০,০০০৮০")) == "0.00080"


@pytest.mark.parametrize(
    "text",
    ["৫,১২,২১", "1,2,3", "0,5.3", "1,2.5", "12,34,5", "1,2345,678", "0,125,000"],
)
def test_bad_commas(text: str) -> None:
    with pytest.raises(ParseError, match="comma") as info:
        parse_reading(text)
    assert f'"{text}"' in str(info.value)


@pytest.mark.parametrize(
    ("text", "value", "count"),
    [
        ("৮০%", D("80"), None),
        ("100 %", D("100"), None),
        ("৯২%(৪৮)", D("92"), D("48")),
        ("২৫%(১)", D("25"), D("1")),
        ("১১% (৫)", D("11"), D("5")),
        ("৯৬% (৩৩৬৭৯০)", D("96"), D("336790")),
        ("৯৯.৫%", D("99.5"), None),
        ("১০০ % ( ২০০ )", D("100"), D("200")),
    ],
)
def test_percentages(text: str, value: Decimal, count: Decimal | None) -> None:
    assert parse_reading(text) == Reading(text=text, value=value, percent=True, count=count)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("১২৫০০০/-", D("125000")),
        ("৫০,০০০/-", D("50000")),
        ("১২৫০০০/=", D("125000")),
        ("১২৫০০০ টাকা", D("125000")),
        ("১২৫০০০টাকা", D("125000")),
        ("১২৫০০০/- টাকা", D("125000")),
        ("125000 Tk", D("125000")),
        ("125000 tk.", D("125000")),
        ("Tk. 1,25,000/-", D("125000")),
        ("৳ ১২৫০০০", D("125000")),
        ("৪২৪০০০.০০/-", D("424000.00")),
    ],
)
def test_taka(text: str, value: Decimal) -> None:
    assert parse_reading(text) == Reading(text=text, value=value, unit_hint="taka")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("২ টি", D("2"), "pieces"),
        ("২টি", D("2"), "pieces"),
        ("০৩টি", D("3"), "pieces"),
        ("২৬৩টি", D("263"), "pieces"),
        ("৪\tটি", D("4"), "pieces"),
        ("৫ জন", D("5"), "persons"),
    ],
)
def test_pieces_and_persons(text: str, value: Decimal, unit: str) -> None:
    assert parse_reading(text) == Reading(text=text, value=value, unit_hint=unit)


def test_split_figure() -> None:
    text = "১০০% =কে. ৩০০০০/ প্রাথ. ৩১৯৩২০/- (৩৪৯৩২০)"
    assert parse_reading(text) == Reading(
        text=text,
        value=D("100"),
        percent=True,
        parts=(D("30000"), D("319320")),
        total=D("349320"),
        unit_hint="taka",
    )


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        (
            "১০০% =কে. ১১৮১৮/- প্রাথ. ১২৪৭৪৭/- (১৩৬৫৬৫)",
            {
                "value": D("100"),
                "percent": True,
                "parts": (D("11818"), D("124747")),
                "total": D("136565"),
                "unit_hint": "taka",
            },
        ),
        (
            "100% = 30000 + 319320 (349320)",
            {
                "value": D("100"),
                "percent": True,
                "parts": (D("30000"), D("319320")),
                "total": D("349320"),
            },
        ),
        (
            "349320 = Central: 30,000, Primary: 3,19,320 (3,49,320) Tk",
            {
                "value": D("349320"),
                "parts": (D("30000"), D("319320")),
                "total": D("349320"),
                "unit_hint": "taka",
            },
        ),
        (
            "১০০% = কে. ০.৫ প্রাথ. ০.২৫ (০.৭৫)",
            {
                "value": D("100"),
                "percent": True,
                "parts": (D("0.5"), D("0.25")),
                "total": D("0.75"),
            },
        ),
    ],
)
def test_split_variants(text: str, reading: dict[str, object]) -> None:
    assert parse_reading(text) == Reading(text=text, **reading)  # type: ignore[arg-type]


def test_split_parts_must_add_up() -> None:
    text = "১০০% =কে. ৩০০০০/ প্রাথ. ৩১৯৩২১/- (৩৪৯৩২০)"
    with pytest.raises(ParseError) as info:
        parse_reading(text, where="agreement.toml")
    message = str(info.value)
    assert message.startswith("agreement.toml: ")
    assert f'"{text}"' in message
    assert "349321" in message and "349320" in message


def test_split_with_garbage_part() -> None:
    text = "১০০% = কে. (৫)"
    with pytest.raises(ParseError, match="split figure"):
        parse_reading(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("১৫/০৪/২৫", date(2025, 4, 15)),
        ("১৫/০৪/২০২৫", date(2025, 4, 15)),
        ("১৬/৪/২০২৪", date(2024, 4, 16)),
        ("২৬.০৭.২৩", date(2023, 7, 26)),
        ("১৫-১০-২০২৩", date(2023, 10, 15)),
        ("৩১-১২- ২০২৩", date(2023, 12, 31)),
        ("৩১ - ১২ - ২০২৩", date(2023, 12, 31)),
        ("১৬/০৩/২৪", date(2024, 3, 16)),
        ("01/12/24", date(2024, 12, 1)),
        ("১/২/২৪", date(2024, 2, 1)),
        ("১৭/১১/২৪খ্রিঃ", date(2024, 11, 17)),
        ("১৫/১১/২০২৪ খ্রিঃ", date(2024, 11, 15)),
        ("০৭/০৬/২০২৬ খ্রি", date(2026, 6, 7)),
        ("০৭/০৬/২০২৬ খ্রি:", date(2026, 6, 7)),
        ("১১/১২/২০২৪ খ্রি।", date(2024, 12, 11)),
        ("১১/১২/২০২৪ খ্রিস্টাব্দ", date(2024, 12, 11)),
        ("২৯/০২/২০২৪", date(2024, 2, 29)),
        ("2024-03-16", date(2024, 3, 16)),
    ],
)
def test_dates(text: str, expected: datetime.date) -> None:
    assert parse_reading(text) == Reading(text=text, value=expected)


def test_number_with_one_separator_is_not_a_date() -> None:
    assert parse_value("29.97") == D("29.97")
    assert parse_value("26.07.23") == date(2023, 7, 26)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("২৩/২০/২০২৩", "there is no month 20"),
        ("৩১/০৬/২০২৩", "June 2023 has 30 days, not 31"),
        ("29/02/2023", "February 2023 has 28 days, not 29"),
        ("00/05/2023", "there is no day 0"),
        ("15/00/23", "there is no month 0"),
        ("01/01/0000", "year 0 is out of range"),
        ("2024-02-30", "February 2024 has 29 days, not 30"),
    ],
)
def test_impossible_dates(text: str, why: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_reading(text, where="q2.toml")
    assert str(info.value) == f'q2.toml: cannot read "{text}" as a date: {why}'


@pytest.mark.parametrize(
    "text",
    ["15/04-2025", "1/2/3", "15/04/202", "15/04/20255", "15/04", "1.2.3", "15//04/25"],
)
def test_not_dates(text: str) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        parse_reading(text)


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("-", NOT_REPORTED),
        ("--", NOT_REPORTED),
        ("---", NOT_REPORTED),
        ("—", NOT_REPORTED),
        ("–", NOT_REPORTED),
        (" - ", NOT_REPORTED),
        ("", NOT_REPORTED),
        ("   ", NOT_REPORTED),
        ("\t\n", NOT_REPORTED),
        ("প্রযোজ্য নয়", NOT_APPLICABLE),
        ("প্রযোজ্য নয়", NOT_APPLICABLE),  # য় written as one code point
        ("প্রযোজ্য নহে", NOT_APPLICABLE),
        ("প্রযোজ্য  নয়", NOT_APPLICABLE),
        ("n/a", NOT_APPLICABLE),
        ("N/A", NOT_APPLICABLE),
        ("not applicable", NOT_APPLICABLE),
        ("Not Applicable", NOT_APPLICABLE),
    ],
)
def test_markers(text: str, marker: Marker) -> None:
    assert parse_reading(text) == Reading(text=text, value=marker)


def test_marker_aliases() -> None:
    assert NOT_REPORTED is Marker.NOT_REPORTED
    assert NOT_APPLICABLE is Marker.NOT_APPLICABLE
    assert len(Marker) == 2


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "%",
        "৮০%%",
        "Tk",
        "৮০ টাকা টাকা",
        "১০ কেজি",
        "1E5",
        "5.",
        ".5",
        "১২ ৩৪",
        "২৫ (১)",
        "NaN",
        "Infinity",
        "প্রযোজ্য",
        "৯২%(৪৮",
    ],
)
def test_unreadable_text(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_reading(text)
    assert str(info.value) == f'cannot read "{text}" as a number, date or marker'


def test_error_quotes_text_without_outer_spaces() -> None:
    with pytest.raises(ParseError) as info:
        parse_reading("  abc \t")
    assert str(info.value) == 'cannot read "abc" as a number, date or marker'
    assert parse_reading(" ৮০% ").text == " ৮০% "


def test_error_names_where() -> None:
    with pytest.raises(ParseError) as info:
        parse_value("abc", where="rulesets/2024-25/egov.toml")
    error = info.value
    assert str(error) == 'rulesets/2024-25/egov.toml: cannot read "abc" as a number, date or marker'
    assert error.where == "rulesets/2024-25/egov.toml"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("text", "match"),
    [("Tk 5%", "taka and a % sign"), ("5/- টি", "taka and টি"), ("Tk ২ টি", "taka and টি")],
)
def test_conflicting_units(text: str, match: str) -> None:
    with pytest.raises(ParseError, match=match):
        parse_reading(text)


# --------------------------------------------------------------------------- non-strings


def test_int_and_decimal_pass_through() -> None:
    assert parse_reading(80) == Reading(text="80", value=D("80"))
    assert parse_reading(-3) == Reading(text="-3", value=D("-3"))
    reading = parse_reading(D("0.00080"))
    assert reading == Reading(text="0.00080", value=D("0.00080"))
    assert isinstance(reading.value, Decimal)
    assert reading.value.as_tuple() == D("0.00080").as_tuple()


def test_date_and_marker_pass_through() -> None:
    assert parse_reading(date(2024, 3, 16)) == Reading(text="2024-03-16", value=date(2024, 3, 16))
    assert parse_value(NOT_APPLICABLE) is NOT_APPLICABLE
    assert parse_value(NOT_REPORTED) is NOT_REPORTED


@pytest.mark.parametrize("bad", [D("NaN"), D("sNaN"), D("Infinity"), D("-Infinity")])
def test_non_finite_decimals_rejected(bad: Decimal) -> None:
    with pytest.raises(ParseError, match="not a finite number"):
        parse_value(bad, where="x")


@pytest.mark.parametrize("bad", [0.5, 1.0, float("nan")])
def test_floats_rejected(bad: float) -> None:
    with pytest.raises(ParseError, match="binary floats are not accepted") as info:
        parse_value(bad, where="arg")  # type: ignore[arg-type]
    assert str(info.value).startswith("arg: ")


@pytest.mark.parametrize("bad", [True, False])
def test_bools_rejected(bad: bool) -> None:
    with pytest.raises(ParseError, match="boolean"):
        parse_value(bad)


def test_datetime_rejected() -> None:
    with pytest.raises(ParseError, match=r"datetime\.date"):
        parse_value(datetime.datetime(2024, 3, 16, 12, 0))


@pytest.mark.parametrize("bad", [None, [1], b"80", (1, 2)])
def test_other_types_rejected(bad: object) -> None:
    with pytest.raises(ParseError, match=type(bad).__name__):
        parse_value(bad, where="arg")  # type: ignore[arg-type]


def test_reading_is_frozen_and_keyword_only() -> None:
    reading = parse_reading("৮০%")
    with pytest.raises(AttributeError):
        reading.value = D(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Reading("৮০", D(80))  # type: ignore[call-arg]


# --------------------------------------------------------------------------- helpers


def test_digit_conversion() -> None:
    assert to_ascii_digits("১২৩৪৫৬৭৮৯০") == "1234567890"
    assert to_bengali_digits("1234567890") == "১২৩৪৫৬৭৮৯০"
    assert to_ascii_digits("[১.১.১] ৯২%(৪৮)") == "[1.1.1] 92%(48)"
    assert to_bengali_digits("29.97%") == "২৯.৯৭%"


@pytest.mark.parametrize(
    ("d", "places", "expected"),
    [
        (D("1E+1"), None, "10"),
        (D("1.2E+5"), None, "120000"),
        (D("0.00080"), None, "0.00080"),
        (D("1E-7"), None, "0.0000001"),
        (D("95.714285"), 2, "95.71"),
        (D("2.345"), 2, "2.35"),
        (D("2.5"), 0, "3"),
        (D("-2.5"), 0, "-3"),
        (D("-0.001"), 2, "0.00"),
        (D("-0"), None, "0"),
        (D("7"), 2, "7.00"),
        (D("1E+30"), 2, "1000000000000000000000000000000.00"),
        (D("123456789012345678901234567890.125"), 2, "123456789012345678901234567890.13"),
    ],
)
def test_format_decimal(d: Decimal, places: int | None, expected: str) -> None:
    assert format_decimal(d, places) == expected


def test_format_decimal_bengali() -> None:
    assert format_decimal(D("95.714"), 2, bengali=True) == "৯৫.৭১"
    assert format_decimal(D("1E+1"), bengali=True) == "১০"


@pytest.mark.parametrize("bad", [D("NaN"), D("Infinity")])
def test_format_decimal_rejects_non_finite(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        format_decimal(bad)


def test_format_decimal_rejects_negative_places() -> None:
    with pytest.raises(ValueError):
        format_decimal(D(1), -1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[১.১.১]", "1.1.1"),
        (" 4.1.2 ", "4.1.2"),
        ("[১.১.১.১]", "1.1.1.1"),
        ("[১]", "1"),
        ("[ ২.৩ ]", "2.3"),
        ("1.1.1", "1.1.1"),
        ("০১.২", "1.2"),
        ("[১. ১. ১]", "1.1.1"),
    ],
)
def test_parse_id(text: str, expected: str) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.1.", ".1", "[1.1", "1.1]", "1..1", "1,1", "[1.a]"])
def test_parse_id_errors(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_id(text, where="agreement.toml")
    assert str(info.value).startswith(f'agreement.toml: cannot read "{text}" as an id')


# --------------------------------------------------------------------------- properties

decimals = st.builds(
    lambda digits, exponent: Decimal(digits).scaleb(-exponent),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.integers(min_value=0, max_value=12),
)


@given(decimals)
def test_decimal_in_ascii_or_bengali_parses_equal(d: Decimal) -> None:
    ascii_text = format(d, "f")
    bengali_text = to_bengali_digits(ascii_text)
    from_ascii = parse_value(ascii_text)
    from_bengali = parse_value(bengali_text)
    assert isinstance(from_ascii, Decimal) and isinstance(from_bengali, Decimal)
    assert from_ascii == from_bengali == d
    assert from_ascii.as_tuple() == from_bengali.as_tuple() == Decimal(ascii_text).as_tuple()


def _indian(n: int) -> str:
    digits = str(n)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *groups, tail])


@given(st.integers(min_value=1000, max_value=10**15), st.booleans())
def test_thousands_grouping_parses(n: int, bengali: bool) -> None:
    for text in (f"{n:,}", _indian(n)):
        if bengali:
            text = to_bengali_digits(text)
        assert parse_value(text) == n


@given(
    st.text(alphabet="0123456789", min_size=1, max_size=6),
    st.text(alphabet="0123456789", min_size=1, max_size=8),
)
def test_decimal_comma_matches_decimal_point(whole: str, fraction: str) -> None:
    comma = parse_value(to_bengali_digits(f"{whole},{fraction}"))
    if not (whole[0] != "0" and len(whole) <= 3 and len(fraction) == 3):
        assert isinstance(comma, Decimal)
        assert comma.as_tuple() == Decimal(f"{whole}.{fraction}").as_tuple()


def _date_forms(day: datetime.date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    forms = [
        f"{d:02}/{m:02}/{y:04}",
        f"{d}/{m}/{y:04}",
        f"{d:02}-{m:02}-{y:04}",
        f"{d:02}.{m:02}.{y:04}",
        f"{d:02} - {m:02} - {y:04} খ্রিঃ",
    ]
    if 2000 <= y <= 2099:
        forms += [
            f"{d:02}/{m:02}/{y % 100:02}",
            f"{d:02}.{m:02}.{y % 100:02}",
            f"{d}-{m}-{y % 100:02}",
        ]
    return forms + [to_bengali_digits(f) for f in forms]


@given(st.dates(min_value=date(1000, 1, 1)))
def test_dates_round_trip(day: datetime.date) -> None:
    for text in _date_forms(day):
        assert parse_value(text) == day, text


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_two_digit_years_round_trip(day: datetime.date) -> None:
    for text in _date_forms(day):
        assert parse_value(text) == day, text


@given(st.text())
def test_text_without_bengali_digits_round_trips(text: str) -> None:
    ascii_only = to_ascii_digits(text)
    assert to_ascii_digits(to_bengali_digits(ascii_only)) == ascii_only
    bengali_only = to_bengali_digits(text)
    assert to_bengali_digits(to_ascii_digits(bengali_only)) == bengali_only


@given(st.text(alphabet="0123456789০১২৩৪৫৬৭৮৯.,/-%() টিকাTk", max_size=20))
def test_any_text_reads_or_raises_parse_error(text: str) -> None:
    try:
        reading = parse_reading(text)
    except ParseError as error:
        assert f'"{" ".join(text.split())}"' in str(error)  # quoted, outer spaces dropped
    else:
        assert reading.text == text


@given(decimals, st.integers(min_value=0, max_value=6))
def test_format_decimal_round_trips(d: Decimal, places: int) -> None:
    written = format_decimal(d, places)
    assert "E" not in written
    back = parse_value(written)
    assert isinstance(back, Decimal)
    assert abs(back - d) <= Decimal(1).scaleb(-places) / 2
    assert parse_value(format_decimal(d, places, bengali=True)) == back


# --------------------------------------------------------------------------- quarters


@pytest.mark.parametrize(
    ("text", "quarter"),
    [
        ("2", 2),
        ("Q2", 2),
        ("q3", 3),
        ("২", 2),
        ("Q২", 2),
        ("১ম", 1),
        ("২য়", 2),
        ("২য\u09bc", 2),  # য় decomposed, as many keyboards type it
        ("৩য় কোয়ার্টার", 3),
        ("৪র্থ কোয়ার্টার", 4),
        ("১ম ত্রৈমাসিক", 1),
        (" ২ কোয়ার্টার ", 2),
        ("7", 7),  # a single digit: whether it is a quarter is the caller's check
    ],
)
def test_parse_quarter(text: str, quarter: int) -> None:
    assert parse_quarter(text) == quarter


@pytest.mark.parametrize(
    "text", ["", "২ম", "১য়", "Q", "12", "Q12", "কোয়ার্টার", "২০২৪-১২-৩১", "৩১/১২/২০২৪", "second"]
)
def test_parse_quarter_names_nothing(text: str) -> None:
    assert parse_quarter(text) is None


def test_every_quarter_name_the_renderer_prints_is_read_back() -> None:
    from apacore.words import quarter_name

    for quarter in range(1, 5):
        for lang in ("en", "bn"):
            assert parse_quarter(quarter_name(quarter, lang)) == quarter
