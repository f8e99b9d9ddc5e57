"""The words a person reads, in English and Bengali: column names, statuses, tiers, units.

Every output that a person reads (tables, CSV, the printable report, ``need``) takes its
words from here, so a term is translated once and the two languages cannot drift apart.
Numbers and dates are not words: :mod:`apacore.formatting` writes them.
"""

from __future__ import annotations

from collections.abc import Mapping

from apacore.models import TIER_KEYS, UNITS
from apacore.numbers import QUARTER_ORDINALS_BN

__all__ = [
    "LEVELS",
    "ROUNDING",
    "STATUS",
    "TIERS",
    "UNIT_NAMES",
    "label",
    "level_name",
    "quarter_name",
    "rounding_name",
    "status_name",
    "tier_name",
    "unit_name",
]

_LABELS: Mapping[str, tuple[str, str]] = {
    # key: (English, Bengali)
    "office": ("Office", "অফিস"),
    "fiscal_year": ("Fiscal year", "অর্থবছর"),
    "as_of": ("As of", "পর্যন্ত"),
    "ruleset": ("Ruleset", "নিয়মাবলি"),
    "version": ("version", "সংস্করণ"),
    "total": ("Total", "মোট"),
    "grade": ("Grade", "গ্রেড"),
    "grade_unverified": (
        "unverified bands (India's RFD practice; no Bangladesh source gives bands)",
        "যাচাই না করা সীমা (ভারতের আরএফডি চর্চা; বাংলাদেশের কোনো সূত্রে সীমা নেই)",
    ),
    "id": ("No.", "নং"),
    "activity": ("Activity", "কার্যক্রম"),
    "indicator": ("Indicator", "কর্মসম্পাদন সূচক"),
    "unit": ("Unit", "একক"),
    "weight": ("Weight", "সূচকের মান"),
    "target": ("Target", "লক্ষ্যমাত্রা"),
    "achievement": ("Achievement", "মোট অর্জন"),
    "progress_pct": ("Progress %", "অর্জনের শতকরা হার"),
    "progress_marks": ("Progress marks", "অর্জিত মান (অগ্রগতি)"),
    "progress_marks_form": ("Marks earned", "অর্জিত মান"),
    "raw_score": ("Raw score", "প্রাপ্ত স্কোর"),
    "marks": ("Evaluation marks", "মূল্যায়নের মান"),
    "status": ("Status", "অবস্থা"),
    "remarks": ("Remarks", "মন্তব্য"),
    "section": ("Section", "অংশ"),
    "area": ("Area", "কর্মসম্পাদনের ক্ষেত্র"),
    "annex": ("Annex", "সংযোজনী"),
    "own_indicators": ("The office's own indicators", "অফিসের নিজস্ব কর্মসম্পাদন সূচক"),
    "max": ("Max", "সর্বোচ্চ"),
    "converted": ("APA marks", "এপিএ নম্বর"),
    "apa_weight": ("APA weight", "এপিএ মান"),
    "annex_total": ("Annex total", "সংযোজনীর মোট মান"),
    "no_weights": (
        "no weights in the document: scores and progress only, not in the total",
        "দলিলে মান নেই: শুধু স্কোর ও অগ্রগতি, মোটে গণ্য নয়",
    ),
    "report_title": ("Annual Performance Agreement", "বার্ষিক কর্মসম্পাদন চুক্তি"),
    "report_subtitle": (
        "Quarterly progress report, {fy}, up to {quarter}",
        "{fy} অর্থবছরের ত্রৈমাসিক অগ্রগতি প্রতিবেদন, {quarter} পর্যন্ত",
    ),
    "summary": ("Summary", "সারসংক্ষেপ"),
    "summary_note": (
        "Evaluation marks score the year as if it ended on {date}; progress marks are"
        " the forms' অর্জিত মান (achievement so far against the annual target).",
        "মূল্যায়নের মান: {date} তারিখে বছর শেষ হলে যে নম্বর হতো; অগ্রগতির মান: বার্ষিক"
        " লক্ষ্যমাত্রার বিপরীতে এ পর্যন্ত অর্জন (ফরমের অর্জিত মান)।",
    ),
    "conversion": (
        "Conversion of the annexes into the 30 governance marks",
        "সংযোজনীসমূহের নম্বর সুশাসনের ৩০ নম্বরে রূপান্তর",
    ),
    "conversion_formula": (
        "obtained / annex total × APA weight",
        "প্রাপ্ত নম্বর / সংযোজনীর মোট মান × এপিএ মান",
    ),
    "chart": ("Marks against the maximum, per section", "প্রতিটি অংশে প্রাপ্ত নম্বর ও সর্বোচ্চ নম্বর"),
    "audit": (
        "The office's own figures that disagree with the rules",
        "নিয়মের সাথে অমিল অফিসের নিজস্ব হিসাব",
    ),
    "audit_none": (
        "Every figure the office wrote follows from its quarterly figures.",
        "অফিসের লেখা প্রতিটি হিসাব তার ত্রৈমাসিক তথ্য থেকে মেলে।",
    ),
    "progress_by_quarter": ("Progress by quarter", "বাস্তবায়ন অগ্রগতি"),
    "weight_or_total": ("Weight / annex total", "মান / সংযোজনীর মোট মান"),
    "tier_marks": ("Marks at this tier", "এই স্তরে মান"),
    "per_quarter": ("each remaining quarter", "প্রতি বাকি কোয়ার্টারে"),
    "nothing_needed": (
        "No indicator with tiers or a target is open.",
        "স্তর বা লক্ষ্যমাত্রাসহ কোনো খোলা সূচক নেই।",
    ),
    "see_audit": ("see the audit below", "নিচে অমিল দেখুন"),
    "figure": ("Figure", "হিসাব"),
    "office_figure": ("Office wrote", "অফিসের হিসাব"),
    "apacore_figure": ("By the rules", "নিয়ম অনুযায়ী"),
    "reason": ("Why", "কারণ"),
    "evidence_missing": (
        "Indicators whose evidence (প্রমাণক) is missing",
        "যেসব সূচকের প্রমাণক সংযুক্ত নেই",
    ),
    "evidence_none": (
        "Evidence is attached for every reported indicator.",
        "প্রতিবেদিত প্রতিটি সূচকের প্রমাণক সংযুক্ত আছে।",
    ),
    "evidence_required": ("Evidence required", "প্রয়োজনীয় প্রমাণক"),
    "no_evidence": ("no evidence", "প্রমাণক নেই"),
    "signature": ("Signature", "স্বাক্ষর"),
    "name": ("Name", "নাম"),
    "designation": ("Designation", "পদবি"),
    "date": ("Date", "তারিখ"),
    "prepared_by": ("Prepared by (APA focal point)", "প্রস্তুতকারী (এপিএ ফোকাল পয়েন্ট)"),
    "approved_by": ("Head of office", "অফিস প্রধান"),
    "computed_by": (
        "Computed by apacore {version}; ruleset {fy} version {rv}, sha256 {sha}",
        "apacore {version} দ্বারা হিসাবকৃত; নিয়মাবলি {fy} সংস্করণ {rv}, sha256 {sha}",
    ),
    "tier": ("Tier", "স্তর"),
    "needed": ("Needed", "প্রয়োজন"),
    "remaining": ("Remaining", "বাকি"),
    "reached": ("reached", "অর্জিত"),
    "so_far": ("So far", "এ পর্যন্ত"),
    "can_add": ("Marks it can still add", "আরও যত নম্বর যোগ হতে পারে"),
    "days_left": ("{n} days left", "{n} দিন বাকি"),
    "days_late": ("{n} days past", "{n} দিন পেরিয়ে গেছে"),
    "by_date": ("by {date}", "{date} তারিখের মধ্যে"),
    "milestones_due": ("{n} milestones left", "আরও {n}টি মাইলফলক"),
    "next_by": ("next by {date}", "পরেরটি {date} তারিখের মধ্যে"),
    "no_quarter_left": ("no quarter left", "আর কোনো কোয়ার্টার বাকি নেই"),
    "out_of_reach": ("can no longer be reached", "আর অর্জন করা সম্ভব নয়"),
    "method_silent": (
        "the method does not say what its quarters must bring",
        "গণনা পদ্ধতি জানায় না বাকি কোয়ার্টারে কত লাগবে",
    ),
    # apacore batch: the ranking of many offices and its summaries
    "rank": ("Rank", "অবস্থান"),
    "group_rank": ("In group", "দলে অবস্থান"),
    "group": ("Group", "দল"),
    "office_count": ("Offices", "অফিস সংখ্যা"),
    "one_office": ("{n} office", "{n}টি অফিস"),
    "n_offices": ("{n} offices", "{n}টি অফিস"),
    "mean": ("Mean", "গড়"),
    "median": ("Median", "মধ্যমা"),
    "min": ("Min", "সর্বনিম্ন"),
    "grades": ("Grades", "গ্রেড বিন্যাস"),
    "all_offices": ("all offices", "সকল অফিস"),
    "no_group": ("(none)", "(নেই)"),
    "no_grade": ("no grade", "গ্রেড নেই"),
    "batch_scored": ("{n} scored", "{n}টি মূল্যায়িত"),
    "batch_not_scored": ("{n} not scored", "{n}টি মূল্যায়ন করা যায়নি"),
    "not_scored": ("Not scored", "মূল্যায়ন করা যায়নি"),
    "own_areas": ("each office's own areas", "প্রতিটি অফিসের নিজস্ব কর্মসম্পাদনের ক্ষেত্র"),
}

STATUS: Mapping[str, tuple[str, str]] = {
    "scored": ("scored", "মূল্যায়িত"),
    "not_reported": ("not reported", "প্রতিবেদিত নয়"),
    "not_applicable": ("not applicable", "প্রযোজ্য নয়"),
    "substituted": ("substituted", "বিকল্প সূচক"),
}

TIERS: Mapping[str, tuple[str, str]] = {
    "excellent": ("excellent", "অসাধারণ"),
    "very_good": ("very good", "অতি উত্তম"),
    "good": ("good", "উত্তম"),
    "fair": ("fair", "চলতি মান"),
    "poor": ("poor", "চলতি মানের নিম্নে"),
    "target": ("target", "লক্ষ্যমাত্রা"),
    "milestones": ("milestones", "মাইলফলক"),
    "tiers": ("tiers", "স্তর"),
}
assert tuple(TIERS)[:5] == TIER_KEYS

LEVELS: Mapping[str, tuple[str, str]] = {
    "upazila": ("upazila", "উপজেলা"),
    "district": ("district", "জেলা"),
    "division": ("division", "বিভাগ"),
    "headquarters": ("headquarters", "সদর দপ্তর"),
    "ministry": ("ministry", "মন্ত্রণালয়"),
}
"""Office levels."""

ROUNDING: Mapping[str, tuple[str, str]] = {
    "half_up": ("half-up", "অর্ধেক বা বেশি হলে উপরে"),
    "half_even": ("half-even", "অর্ধেক হলে জোড় অঙ্কে"),
}
"""Rounding modes."""

UNIT_NAMES: Mapping[str, tuple[str, str]] = {
    "count": ("count", UNITS["count"]),
    "percent": ("%", UNITS["percent"]),
    "date": ("date", UNITS["date"]),
    "persons": ("persons", UNITS["persons"]),
    "persons_lakh": ("persons (lakh)", UNITS["persons_lakh"]),
    "taka": ("taka", UNITS["taka"]),
    "dated_count": ("dated milestones", UNITS["dated_count"]),
    "marks": ("marks", UNITS["marks"]),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "bn" else pair[0]


def label(key: str, lang: str, **values: str) -> str:
    """The label ``key`` in ``lang``, with ``{name}`` fields filled from ``values``."""
    text = _pick(_LABELS[key], lang)
    return text.format(**values) if values else text


def status_name(status: str, lang: str) -> str:
    """A result's status (``not_reported``) as a person reads it."""
    return _pick(STATUS[status], lang) if status in STATUS else status


def tier_name(tier: str, lang: str) -> str:
    """A tier key (``very_good``) as a person reads it."""
    return _pick(TIERS[tier], lang) if tier in TIERS else tier


def unit_name(unit: str, lang: str) -> str:
    """A unit key (``persons_lakh``) as on the forms (Bengali) or in English; a plugin's
    unit that apacore does not know shows as its key."""
    return _pick(UNIT_NAMES[unit], lang) if unit in UNIT_NAMES else unit


def level_name(level: str, lang: str) -> str:
    """An office level (``upazila``) as a person reads it; one apacore does not know as is."""
    return _pick(LEVELS[level], lang) if level in LEVELS else level


def rounding_name(mode: str, lang: str) -> str:
    """A rounding mode (``half_up``) as a person reads it: ``half-up`` / its Bengali."""
    return _pick(ROUNDING[mode], lang) if mode in ROUNDING else mode


def quarter_name(quarter: int, lang: str) -> str:
    """``Q2`` in English; ``২য় কোয়ার্টার`` in Bengali, as on the forms."""
    if lang == "bn":
        return f"{QUARTER_ORDINALS_BN[quarter - 1]} কোয়ার্টার"
    return f"Q{quarter}"
