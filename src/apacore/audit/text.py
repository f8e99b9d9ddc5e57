"""The words of ``apacore audit``, in English and Bengali: the one place findings become text.

A :class:`~apacore.audit.Finding` is a value: a ``code`` and the figures it is about
(``values``). :func:`reason` turns the two into a sentence in one language, with the
numbers and dates in that language's digits; the office's own texts (``৯৯%(১০৪)``) stay as
written. :func:`render_text` lays out a whole audit for the terminal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol

from apacore.formatting import round_value
from apacore.numbers import to_bengali_digits
from apacore.words import quarter_name


class Finding(Protocol):
    """What is read of an :class:`apacore.audit.Finding` here (a protocol, so that the
    audit imports its wording and not the other way round)."""

    @property
    def code(self) -> str: ...
    @property
    def values(self) -> Mapping[str, Any]: ...
    @property
    def kind(self) -> str: ...
    @property
    def indicator(self) -> str: ...
    @property
    def figure(self) -> str: ...
    @property
    def office(self) -> str: ...
    @property
    def apacore(self) -> str: ...


__all__ = ["LANGUAGES", "MESSAGES", "figure_label", "kind_label", "reason", "render_text"]

LANGUAGES = ("en", "bn")

# code → (English, Bengali). Placeholders name the finding's values; {cells} is a list of
# "cell" phrases.
MESSAGES: Mapping[str, tuple[str, str]] = {
    # figure
    "sum_of_bases_not_added": (
        "a sum of percentages of different bases ({terms}), but method {method} does not add"
        " this indicator's quarters",
        "ভিন্ন ভিন্ন ভিত্তির শতকরা হারের যোগফল ({terms}), কিন্তু {method_bn} পদ্ধতিতে এই সূচকের"
        " কোয়ার্টারগুলো যোগ হয় না",
    ),
    "sum_not_added": (
        "a sum of quarterly figures ({terms}), but method {method} does not add this"
        " indicator's quarters",
        "কোয়ার্টারের অর্জনের যোগফল ({terms}), কিন্তু {method_bn} পদ্ধতিতে এই সূচকের কোয়ার্টারগুলো যোগ হয় না",
    ),
    "sum_with_wrong_cell": (
        "the sum of the quarterly percentages ({terms}), but {cells}",
        "কোয়ার্টারের শতকরা হারের যোগফল ({terms}), কিন্তু {cells}",
    ),
    "cell": ("{quarter}'s {text}: {phrase}", "{quarter}-এর {text}: {phrase}"),
    "share": (
        "{count} of {base} is {share}%, not {pct}%",
        "{base}-এর মধ্যে {count} হলো {share}%, {pct}% নয়",
    ),
    "total_not_sum": (
        "the total is not the sum of the office's quarterly figures",
        "মোট অর্জন দপ্তরের কোয়ার্টারভিত্তিক অর্জনের যোগফল নয়",
    ),
    "no_completion_date": (
        "no completion date was reported for this date indicator",
        "এই তারিখভিত্তিক সূচকের সম্পন্নের কোনো তারিখ জানানো হয়নি",
    ),
    "no_completion_in_quarters": (
        "no completion date in the quarters reported",
        "জানানো কোয়ার্টারগুলোতে সম্পন্নের কোনো তারিখ নেই",
    ),
    "completion_date_differs": (
        "the completion date differs from the quarters reported",
        "সম্পন্নের তারিখ জানানো কোয়ার্টারগুলোর তারিখের সাথে মেলে না",
    ),
    "completion_count_differs": (
        "the count differs from the completion reported",
        "সংখ্যাটি জানানো সম্পন্নের সাথে মেলে না",
    ),
    "number_for_date": (
        "a number where the indicator is a date",
        "তারিখভিত্তিক সূচকে একটি সংখ্যা লেখা হয়েছে",
    ),
    "deadline_missed_full": (
        "a deadline missed but scored in full",
        "নির্ধারিত তারিখ পার হলেও পূর্ণ নম্বর দেওয়া হয়েছে",
    ),
    "full_marks_not_reached": (
        "full marks for a target not reached",
        "লক্ষ্যমাত্রা অর্জিত না হলেও পূর্ণ নম্বর দেওয়া হয়েছে",
    ),
    "marks_formula": (
        "marks are weight × min(progress, 100) / 100 = {weight} × {progress} / 100",
        "অর্জিত মান = সূচকের মান × min(অর্জনের হার, ১০০) / ১০০ = {weight} × {progress} / ১০০",
    ),
    "progress_formula": (
        "progress is the achievement over the annual target: {achievement} / {target} × 100",
        "অর্জনের হার = অর্জন / বার্ষিক লক্ষ্যমাত্রা × ১০০: {achievement} / {target} × ১০০",
    ),
    "not_following": (
        "does not follow from the office's own figures",
        "দপ্তরের নিজের অর্জন থেকে এই সংখ্যা আসে না",
    ),
    "completed_total_blank": (
        "completed on {date}, but the total is written {text!r}",
        "{date} তারিখে সম্পন্ন, কিন্তু মোট অর্জন লেখা হয়েছে '{text}'",
    ),
    # cell
    "cell_share_target": (
        "the percentage does not match its own count: {phrase} ({base} is the count its"
        " target stands for)",
        "শতকরা হার নিজের সংখ্যার সাথে মেলে না: {phrase} ({base} হলো লক্ষ্যমাত্রার সংখ্যা)",
    ),
    "cell_share_base": (
        "the percentage does not match its own count: {phrase} ({base} is the indicator's base)",
        "শতকরা হার নিজের সংখ্যার সাথে মেলে না: {phrase} ({base} হলো সূচকের ভিত্তি)",
    ),
    # evidence
    "evidence_missing": (
        "a figure is reported without an evidence reference (প্রমাণক), where the agreement"
        " requires one",
        "চুক্তিতে প্রমাণক চাওয়া হয়েছে, কিন্তু অর্জনের সাথে কোনো প্রমাণকের উল্লেখ নেই",
    ),
    # target
    "target_differs": (
        "the standard plan's target is {standard}; the office's is {office} (offices may adapt it)",
        "আদর্শ কর্মপরিকল্পনার লক্ষ্যমাত্রা {standard}; দপ্তরের {office} (দপ্তর তা নিজের মতো করে নিতে পারে)",
    ),
    # review
    "review_previous_actual": (
        "the target {target} is worse than the {year} actual {actual}",
        "লক্ষ্যমাত্রা {target}, যা {year} অর্থবছরের প্রকৃত অর্জন {actual}-এর চেয়েও পিছিয়ে",
    ),
    "review_close_tiers_day": (
        "one day spans three tiers ({first} to {last})",
        "এক দিনের মধ্যে তিনটি স্তর ({first} থেকে {last})",
    ),
    "review_close_tiers_unit": (
        "one unit ({unit}) spans three tiers ({first} to {last})",
        "এক একক ({unit})-এর মধ্যে তিনটি স্তর ({first} থেকে {last})",
    ),
    "review_weight": (
        "weight {weight} is above the {limit} the guidelines allow for one indicator",
        "সূচকের মান {weight}, নির্দেশিকা অনুযায়ী একটি সূচকের সর্বোচ্চ {limit}",
    ),
    # calendar
    "report_late": (
        "the {quarter} report was due by {due} and is dated {submitted}",
        "{quarter}-এর প্রতিবেদন {due} তারিখের মধ্যে দেওয়ার কথা, দেওয়া হয়েছে {submitted}",
    ),
    "report_overdue": (
        "the {quarter} report was due by {due}; the report covers quarters to {covers} only",
        "{quarter}-এর প্রতিবেদন {due} তারিখের মধ্যে দেওয়ার কথা; প্রতিবেদন কেবল {covers} পর্যন্ত",
    ),
    "evaluation_late": (
        "the evaluation of {quarter} was due by {due} and is dated {submitted}",
        "{quarter}-এর মূল্যায়ন {due} তারিখের মধ্যে হওয়ার কথা, হয়েছে {submitted}",
    ),
    "evaluation_overdue": (
        "the evaluation of {quarter} was due by {due}; there is no evaluation.toml",
        "{quarter}-এর মূল্যায়ন {due} তারিখের মধ্যে হওয়ার কথা; কোনো evaluation.toml নেই",
    ),
    "review_excellent_poor": (
        "the excellent value {value} equals the poor one: every achievement that meets poor"
        " is excellent",
        "অসাধারণ ও চলতি মানের নিম্নে একই ({value}): নিম্নতম স্তর ছুঁলেই অসাধারণ",
    ),
}

_KINDS: Mapping[str, str] = {
    "figure": "হিসাব",
    "cell": "ঘর",
    "evidence": "প্রমাণক",
    "target": "লক্ষ্যমাত্রা",
    "review": "পর্যালোচনা",
    "calendar": "সময়সূচি",
}

_AS_WRITTEN = ("figure", "cell", "evidence")
"""Kinds whose ``office`` is the office's text as written (kept in its own digits)."""

_FIGURES: Mapping[str, str] = {
    "total": "মোট অর্জন",
    "progress_pct": "অর্জনের শতকরা হার",
    "marks": "অর্জিত মান",
    **{f"q{q}": quarter_name(q, "bn") for q in range(1, 5)},
    "evidence": "প্রমাণক",
    "target": "লক্ষ্যমাত্রা",
    "weight": "সূচকের মান",
    "tiers": "লক্ষ্যমাত্রার স্তর",
}


def plain_number(value: Decimal | Fraction) -> str:
    """A finding's number in ASCII: a Fraction rounded to two places, trailing zeros cut."""
    if isinstance(value, Fraction):
        value = round_value(value, 2)
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def show(value: Any, lang: str = "en") -> str:
    """A finding's value in ``lang``: numbers plainly (two places at most for a
    Fraction), dates dd/mm/yyyy, in that language's digits; text as written."""
    if isinstance(value, (Decimal, Fraction)):
        text = plain_number(value)
    elif isinstance(value, dt.date):
        text = value.strftime("%d/%m/%Y")
    elif isinstance(value, tuple):
        return " / ".join(show(v, lang) for v in value)
    elif value is None:
        return "-"
    else:
        return str(value)
    return to_bengali_digits(text) if lang == "bn" else text


def _quarter(figure: str, lang: str) -> str:
    return _FIGURES.get(figure, figure) if lang == "bn" else figure.upper()


def _message(code: str, values: Mapping[str, Any], lang: str) -> str:
    english, bengali = MESSAGES[code]
    shown: dict[str, str] = {"method_bn": str(values.get("method_bn") or values.get("method"))}
    for key, value in values.items():
        if key == "cells":
            shown[key] = "; ".join(_message("cell", cell, lang) for cell in value)
        elif key == "phrase":
            shown[key] = _message("share", value, lang)
        elif key in ("quarter", "covers"):
            shown[key] = _quarter(value, lang)
        elif key == "year" and lang == "bn":  # a fiscal year: not the office's text
            shown[key] = to_bengali_digits(value)
        else:
            shown[key] = show(value, lang)
    return (bengali if lang == "bn" else english).format(**shown)


def reason(finding: Finding, lang: str = "en") -> str:
    """Why the finding disagrees, as a sentence in ``lang``."""
    return _message(finding.code, finding.values, lang)


def kind_label(kind: str, lang: str = "en") -> str:
    """The kind of finding as shown (``cell``, ``ঘর``)."""
    return _KINDS.get(kind, kind) if lang == "bn" else kind


def figure_label(figure: str, lang: str = "en") -> str:
    """Which figure, as shown (``q2``, ``২য় কোয়ার্টার``)."""
    return _FIGURES.get(figure, figure) if lang == "bn" else figure


def render_text(
    heading: tuple[str, str, int, bool], findings: Sequence[Finding], lang: str = "en"
) -> str:
    """The audit for the terminal. ``heading`` is (office, fiscal year, quarter, whether
    a report was audited too)."""
    office, fiscal_year, quarter, with_report = heading
    count = len(findings)
    if lang == "bn":
        from apacore.render.formats import indicator_ref

        what = "প্রতিবেদন ও চুক্তিতে" if with_report else "চুক্তিতে"
        lines = [
            f"{office}, {to_bengali_digits(fiscal_year)}, {_FIGURES[f'q{quarter}']}"
            f" পর্যন্ত: {what} {to_bengali_digits(str(count))}টি পর্যবেক্ষণ"
        ]
        for f in findings:
            # the office's figure is its own text, except where apacore read it (a target)
            office_text = f.office if f.kind in _AS_WRITTEN else to_bengali_digits(f.office)
            lines.append(
                f"  [{kind_label(f.kind, lang)}] {indicator_ref(f.indicator, lang)}"
                f" {figure_label(f.figure, lang)}: দপ্তর {office_text},"
                f" apacore {to_bengali_digits(f.apacore)} — {reason(f, lang)}"
            )
    else:
        what = "the report and the agreement" if with_report else "the agreement"
        lines = [f"{office}, {fiscal_year} as of Q{quarter}: {count} finding(s) in {what}"]
        for f in findings:
            lines.append(
                f"  [{f.kind}] {f.indicator} {f.figure}: office {f.office},"
                f" apacore {f.apacore} — {reason(f, lang)}"
            )
    return "\n".join(lines) + "\n"
