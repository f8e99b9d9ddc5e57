"""Tables a person can read: names, display-width alignment, distinct columns, CSV for Excel,
numbers rounded once, the office's two names in JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from apacore.cli import main
from apacore.engine.scorecard import Scorecard
from apacore.office import score_path
from apacore.render.formats import display_width, fit, indicator_ref, render, text_table

DAKOP = Path(__file__).resolve().parent.parent / "examples" / "dakop-2024-25"


@pytest.fixture(scope="module")
def dakop() -> Scorecard:
    return score_path(DAKOP)


def test_display_width_counts_columns_not_code_points() -> None:
    assert display_width("abc") == 3
    assert display_width("কর্মসম্পাদন সূচক") < len("কর্মসম্পাদন সূচক")


def test_fit_shortens_between_whole_letters() -> None:
    name = "প্রাক-নিবন্ধন প্রশিক্ষণের মাধ্যমে উদ্বুদ্ধকরণ"
    short = fit(name, 12)
    assert short.endswith("…") and display_width(short) <= 12
    assert short[-2] not in "\u09cd\u200d"  # never a dangling virama before the ellipsis
    assert fit("short", 12) == "short"


def test_columns_line_up_by_display_width() -> None:
    lines = text_table(["নং", "কর্মসম্পাদন সূচক", "মান"], [["১", "অর্জিত মান", "২০.০০"]], numeric={2})
    ends = {display_width(line) for line in lines}
    assert len(ends) == 1  # every line as wide: the columns line up


@pytest.mark.parametrize("lang", ["en", "bn"])
def test_table_has_names_and_distinct_mark_columns(dakop: Scorecard, lang: str) -> None:
    # 220 columns: in Bengali an annex row's id carries the annex's name, which takes room
    text = render(dakop, "table", lang, width=220)
    head = text.split("\n\n", 1)[1].splitlines()[0]
    if lang == "bn":
        assert "অর্জিত মান (অগ্রগতি)" in head and "মূল্যায়নের মান" in head
        assert "তথ্য বাতায়ন হালনাগাদকৃত" in text
        assert "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা" in text  # annex name, not its code
        assert "২য় কোয়ার্টার" in text
    else:
        assert "Progress marks" in head and "Evaluation marks" in head
    assert "19.1666" not in text and "১৯.১৬৬৬" not in text
    assert all(display_width(line) <= 220 for line in text.splitlines()[16:])


def test_csv_starts_with_a_bom_unless_asked_not_to(
    dakop: Scorecard, capsys: pytest.CaptureFixture[str]
) -> None:
    text = render(dakop, "csv", "bn")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "অংশ" and len({len(r) for r in rows}) == 1
    assert not render(dakop, "csv", "bn", bom=False).startswith("\ufeff")
    assert main(["score", str(DAKOP), "--format", "csv", "--no-bom"]) == 0
    assert not capsys.readouterr().out.startswith("\ufeff")


def test_bengali_csv_keeps_words_in_bengali_and_figures_in_ascii_digits(dakop: Scorecard) -> None:
    """A spreadsheet reads Bengali digits as text: the CSV's figures are ASCII whatever
    ``--lang``, as in the JSON and the batch CSV; names, ids and statuses follow ``--lang``."""
    rows = list(csv.reader(io.StringIO(render(dakop, "csv", "bn").lstrip("\ufeff"))))
    english = list(csv.reader(io.StringIO(render(dakop, "csv", "en").lstrip("\ufeff"))))
    assert len(rows) == len(english) > 30
    for row, row_en in zip(rows[1:], english[1:]):
        assert row[3:10] == row_en[3:10]  # weight .. marks: the same figures
        # the id in Bengali digits, an annex row's after the annex's Bengali name
        assert row[1] == indicator_ref(row_en[1], "bn")
        assert "/" not in row[1]
        for cell in row[3:10]:
            assert cell == "-" or cell.isascii(), cell
    assert any(c.replace(".", "").isdigit() for r in rows[1:] for c in r[3:10])
    assert rows[1][rows[0].index("অবস্থা")] == "মূল্যায়িত"


def test_json_carries_both_names_and_rounds_computed_figures(dakop: Scorecard) -> None:
    data = json.loads(render(dakop, "json"))
    assert data["office_bn"] == "উপজেলা সমবায় কার্যালয়, দাকোপ, খুলনা"
    assert data["office"] == "Upazila Cooperative Office, Dakop, Khulna"
    egov = next(s for s in data["sections"] if s["id"] == "egov")
    assert egov["title_bn"] == "ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা"
    row = next(i for s in data["sections"] for i in s["indicators"] if i["id"] == "2.2.3")
    assert row["achievement"] == "19.17"  # a mean, rounded once
    row = next(i for s in data["sections"] for i in s["indicators"] if i["id"] == "1.2.1")
    assert row["target"] == "0.00090" and row["achievement"] == "0.00075"  # as written

    def keys(value: object) -> list[str]:
        if isinstance(value, dict):
            return [k for k, v in value.items() for k in [k, *keys(v)]]
        if isinstance(value, list):
            return [k for v in value for k in keys(v)]
        return []

    assert all(k.isascii() for k in keys(data))
