"""The words a person reads, in English and Bengali: column names, statuses, tiers, units.

Every output that a person reads (tables, CSV, the printable report, ``need``) takes its
words from here, so a term is translated once and the two languages cannot drift apart.
Numbers and dates are not words: :mod:`apacore.formatting` writes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from apacore.errors import ApacoreError, error_line
from apacore.models import TIER_KEYS, UNITS
from apacore.numbers import QUARTER_ORDINALS_BN, to_bengali_digits
from apacore.patterns import when_used

__all__ = [
    "LEVELS",
    "ROUNDING",
    "STATUS",
    "TIERS",
    "UNIT_NAMES",
    "VERDICT_NAMES",
    "error_line_in",
    "error_text",
    "evaluation_label",
    "label",
    "level_name",
    "quarter_name",
    "rounding_name",
    "skipped_line",
    "skipped_reason",
    "status_name",
    "tier_name",
    "unit_name",
    "verdict_name",
    "verdict_reason",
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
    "achievement_form": ("Achieved", "মোট অর্জন"),
    "progress_pct": ("Progress %", "অর্জনের শতকরা হার"),
    "progress_marks": ("Progress marks", "অর্জিত মান (অগ্রগতি)"),
    "progress_marks_form": ("Marks earned", "অর্জিত মান"),
    "raw_score": ("Raw score", "প্রাপ্ত স্কোর"),
    "marks": ("Evaluation marks", "মূল্যায়নের মান"),
    "status": ("Status", "অবস্থা"),
    "remarks": ("Remarks", "মন্তব্য"),
    "original": ("original", "মূল"),
    "revised_target": ("revised", "সংশোধিত"),
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
    "in_quarter_figures": ("{n} in the quarters' figures", "কোয়ার্টারের হিসাবে {n}"),
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
        "Indicators whose agreement requires evidence the report does not list",
        "যেসব সূচকের প্রয়োজনীয় প্রমাণক প্রতিবেদনে উল্লেখ নেই",
    ),
    "evidence_all": (
        "The report lists evidence for each of its {n} reported indicators.",
        "প্রতিবেদনে প্রতিবেদিত {n}টি সূচকের প্রতিটির প্রমাণক উল্লেখ আছে।",
    ),
    "evidence_some": (
        "The report lists evidence for {k} of its {n} reported indicators.",
        "প্রতিবেদনে প্রতিবেদিত {n}টি সূচকের {k}টির প্রমাণক উল্লেখ আছে।",
    ),
    "evidence_no_list": (
        "The report lists no evidence for any of its {n} reported indicators.",
        "প্রতিবেদনে প্রতিবেদিত {n}টি সূচকের কোনোটির প্রমাণক উল্লেখ নেই।",
    ),
    "evidence_nothing_reported": (
        "No indicator is reported, so no evidence is listed.",
        "কোনো সূচক প্রতিবেদিত হয়নি, তাই কোনো প্রমাণক উল্লেখ নেই।",
    ),
    "evidence_without_figures": (
        "No figure is reported; the report lists evidence for {k} indicators.",
        "কোনো সংখ্যা প্রতিবেদিত হয়নি; প্রতিবেদনে {k}টি সূচকের প্রমাণক উল্লেখ আছে।",
    ),
    "no_report_title": (
        "No progress report: the agreement only, {fy}",
        "কোনো অগ্রগতি প্রতিবেদন নেই: শুধু চুক্তি, {fy} অর্থবছর",
    ),
    "no_report_note": (
        "This office has no progress report (report.toml): nothing has been reported, and"
        " every indicator is shown as not reported (0). The figures below are not a"
        " performance.",
        "এই অফিসের কোনো অগ্রগতি প্রতিবেদন (report.toml) নেই: কিছুই প্রতিবেদিত হয়নি, প্রতিটি"
        " সূচক প্রতিবেদিত নয় (০) দেখানো হয়েছে। নিচের সংখ্যা কর্মসম্পাদন নয়।",
    ),
    "nothing_reported_note": (
        "The progress report reports no figure for any indicator up to {quarter}: every"
        " indicator is shown as not reported (0).",
        "অগ্রগতি প্রতিবেদনে {quarter} পর্যন্ত কোনো সূচকের কোনো সংখ্যা নেই: প্রতিটি সূচক"
        " প্রতিবেদিত নয় (০) দেখানো হয়েছে।",
    ),
    "not_graded": ("not graded: nothing reported", "গ্রেড দেওয়া হয়নি: কিছুই প্রতিবেদিত হয়নি"),
    "notices": ("Warnings", "সতর্কতা"),
    "wrote": ("wrote {path}", "লেখা হয়েছে: {path}"),
    "page": ("Page", "পৃষ্ঠা"),
    "page_of": ("of", "/"),
    "group_level": ("level:{n}", "ফোল্ডারের স্তর {n}"),
    "group_office_level": ("office_level", "অফিসের স্তর"),
    "group_fiscal_year": ("fiscal_year", "অর্থবছর"),
    "group_scope": ("scope", "চুক্তির পরিধি"),
    "group_grade": ("grade", "গ্রেড"),
    "not_ranked": ("Not ranked", "র‍্যাংকিংয়ের বাইরে"),
    "ranking_title": ("Ranking of the offices", "অফিসসমূহের মূল্যায়ন ও অবস্থান"),
    "ranking_subtitle": (
        "{tree}: {n} offices, {ranked} ranked",
        "{tree}: {n}টি অফিস, {ranked}টি র‍্যাংককৃত",
    ),
    "generated_on": ("Made on {date} by apacore", "apacore দ্বারা প্রস্তুত: {date}"),
    "ranking": ("Ranking", "অবস্থান"),
    "none_ranked": (
        "No office can be ranked: see below why each is not.",
        "কোনো অফিস র‍্যাংক করা যায়নি: কেন, তা নিচে প্রতিটির পাশে দেওয়া আছে।",
    ),
    "heat_map": ("APA marks per annex", "সংযোজনীভিত্তিক এপিএ নম্বর"),
    "heat_map_note": (
        "Each cell: the office's APA marks in the annex; the darker, the nearer the annex's"
        " maximum.",
        "প্রতিটি ঘরে সংযোজনীতে অফিসের এপিএ নম্বর; রং যত গাঢ়, সংযোজনীর সর্বোচ্চ নম্বরের তত কাছে।",
    ),
    "laggards": ("Behind in each annex", "সংযোজনীভিত্তিক পিছিয়ে থাকা অফিস"),
    "laggards_note": (
        "Ranked offices below half of the annex's maximum, lowest first.",
        "র‍্যাংককৃত যেসব অফিস সংযোজনীর সর্বোচ্চ নম্বরের অর্ধেকের নিচে, সবচেয়ে কম আগে।",
    ),
    "laggards_none": ("none", "নেই"),
    "skipped": ("Folders skipped", "বাদ পড়া ফোল্ডার"),
    "not_ranked_no_report": (
        "no progress report: nothing to rank",
        "কোনো অগ্রগতি প্রতিবেদন নেই: র‍্যাংক করার কিছু নেই",
    ),
    "not_ranked_nothing_reported": (
        "the report gives no figure for any indicator",
        "প্রতিবেদনে কোনো সূচকের কোনো সংখ্যা নেই",
    ),
    "not_ranked_partial": (
        "a partial agreement: its total is not out of the whole agreement",
        "আংশিক চুক্তি: মোট নম্বর পুরো চুক্তির বিপরীতে নয়",
    ),
    "not_ranked_other_period": (
        "{own}; the ranked offices: {ranked}",
        "{own}; র‍্যাংককৃত অফিসগুলো: {ranked}",
    ),
    "evidence": ("Evidence", "প্রমাণক"),
    "evidence_required": ("Evidence required", "প্রয়োজনীয় প্রমাণক"),
    "no_evidence": ("no evidence", "প্রমাণক নেই"),
    "evidence_none_recorded": ("none recorded", "উল্লেখ নেই"),
    "evidence_recorded": (
        "Evidence the report records (numbered as in the tables' evidence column)",
        "প্রতিবেদনে উল্লেখিত প্রমাণক (সারণির প্রমাণক কলামের নম্বর অনুযায়ী)",
    ),
    "method": ("Method", "গণনা পদ্ধতি"),
    "continued": ("continued", "চলমান"),
    "seal": ("Seal", "সিল"),
    "name_designation": ("Name and designation", "নাম ও পদবি"),
    "made_on": ("Made on {date}", "প্রস্তুতের তারিখ: {date}"),
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


# --------------------------------------------------------------------------- the evaluation

# In Bengali the evaluated figures are the evaluator's (মূল্যায়নকারীর), never মূল্যায়িত, which
# the scorecard already uses for a scored row (status ``scored``) and, as মূল্যায়নের মান,
# for its own marks.

VERDICT_NAMES: Mapping[str, tuple[str, str]] = {
    "accepted": ("accepted", "গৃহীত"),
    "revised": ("revised", "সংশোধিত"),
    "not_accepted": ("not accepted", "গৃহীত হয়নি"),
}
"""Each verdict: (English, Bengali)."""

_EVALUATION_LABELS: Mapping[str, tuple[str, str]] = {
    "evaluation": ("Evaluation", "মূল্যায়ন"),
    "self_assessed": ("Self-assessed", "স্ব-মূল্যায়িত"),
    "evaluated": ("Evaluated", "মূল্যায়নকারীর"),
    "self_assessed_total": ("Self-assessed total", "স্ব-মূল্যায়িত মোট"),
    "evaluated_total": ("Evaluated total", "মূল্যায়নকারীর মোট"),
    "evaluated_marks": ("Evaluated marks", "মূল্যায়নকারীর নম্বর"),
    "evaluated_grade": ("Evaluated grade", "মূল্যায়নকারীর গ্রেড"),
    "verdict": ("Verdict", "সিদ্ধান্ত"),
    "reason": ("Reason", "কারণ"),
    "difference": ("Difference", "পার্থক্য"),
    "evaluator": ("Evaluated by", "মূল্যায়নকারী"),
    "evaluated_on": ("Evaluated on", "মূল্যায়নের তারিখ"),
    "changed": ("changed", "পরিবর্তিত"),
    "evidence_seen": ("Evidence seen", "যাচাইকৃত প্রমাণক"),
    "ranked_on": ("Ranked on", "ক্রম যার ভিত্তিতে"),
    "office_head": ("Head of the office", "অফিস প্রধান"),
    "evaluating_officer": ("Evaluating officer", "মূল্যায়নকারী কর্মকর্তা"),
    "signature": ("Signature", "স্বাক্ষর"),
    "name_designation": ("Name and designation", "নাম ও পদবি"),
    "date": ("Date", "তারিখ"),
    "seal": ("Seal", "সিল"),
    "revised_readings": ("revised readings", "সংশোধিত অর্জন"),
    "instead_of": ("instead of", "এর পরিবর্তে"),
    "unnamed_evaluator": ("(the evaluating office is not named)", "(মূল্যায়নকারী অফিসের নাম নেই)"),
}

_POLICY_REASONS: Mapping[str, tuple[str, str]] = {
    "evidence": (
        "no evidence where the agreement requires it: counted as not reported"
        " (the ruleset's evidence policy)",
        "চুক্তিতে প্রয়োজনীয় প্রমাণক নেই: অর্জন প্রতিবেদিত নয় বলে গণ্য (নিয়মাবলির প্রমাণক নীতি)",
    ),
}


def evaluation_label(key: str, lang: str = "en") -> str:
    """A label of the evaluation's columns and blocks in ``lang``."""
    return _pick(_EVALUATION_LABELS[key], lang)


def verdict_name(verdict: str, lang: str = "en") -> str:
    """``accepted`` / ``গৃহীত`` …"""
    pair = VERDICT_NAMES.get(verdict)
    return verdict if pair is None else _pick(pair, lang)


def verdict_reason(reason: str, policy: str | None, lang: str = "en") -> str:
    """Why an indicator's evaluated figures differ: the evaluator's ``reason`` as written,
    or the ruleset ``policy``'s in ``lang`` (empty for one accepted without remark)."""
    if reason:
        return reason
    if policy is not None:
        return _pick(_POLICY_REASONS[policy], lang)
    return ""


# --------------------------------------------------------------------------- skipped folders

_SKIPPED_BN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), bn)
    for pattern, bn in (
        (r"^the same folder as (.*), already walked$", r"\1-এর একই ফোল্ডার, আগেই দেখা হয়েছে"),
        (r"^holds (.*), not (.*)$", r"এতে \1 আছে, \2 নেই"),
        (r"^holds report.toml but no (.*)$", r"এতে report.toml আছে কিন্তু \1 নেই"),
    )
)  # fmt: skip


def skipped_reason(why: str, lang: str) -> str:
    """Why ``apacore batch`` skipped a folder (:func:`apacore.batch.find_tree`, in English:
    the JSON keeps it so) as ``lang`` says it; the file names stay as written."""
    if lang == "bn":
        for pattern, bn in _SKIPPED_BN:
            if pattern.match(why):
                return pattern.sub(bn, why)
    return why


def skipped_line(tree: str, folder: str, why: str, lang: str) -> str:
    """The warning for a skipped folder: ``{tree}: skipped {folder}: {why}``, in ``lang``
    (the ``apacore: warning:`` prefix stays, as on every warning)."""
    if lang == "bn":
        return f"{tree}: বাদ পড়েছে {folder}: {skipped_reason(why, lang)}"
    return f"{tree}: skipped {folder}: {why}"


# --------------------------------------------------------------------------- errors

_ERRORS_BN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (when_used(pattern), bn)
    for pattern, bn in (
        (r'^cannot read (".*") as a number, date or marker$',
         r"\1 সংখ্যা, তারিখ বা চিহ্ন হিসেবে পড়া যায় না"),
        (r"^unknown indicator ('.*')$", r"অজানা সূচক \1"),
        (r"^a reported figure cannot be negative, got (.*)$",
         r"প্রতিবেদিত সংখ্যা ঋণাত্মক হতে পারে না, আছে \1"),
        (r"^must be 1, 2, 3 or 4, got (.*)$", r"১, ২, ৩ বা ৪ হতে হবে, আছে \1"),
        (r"^expected a quarter \((.*)\), got (.*)$", r"কোয়ার্টার হতে হবে (\1), আছে \2"),
        (r"^expected a whole number, got (.*)$", r"পূর্ণসংখ্যা হতে হবে, আছে \1"),
        (r"^expected a string, got (.*)$", r"লেখা (টেক্সট) হতে হবে, আছে \1"),
        (r"^expected a list, got (.*)$", r"তালিকা হতে হবে, আছে \1"),
        (r"^unknown key (.*)$", r"অজানা কী \1"),
        (r"^no such file or folder$", r"এমন কোনো ফাইল বা ফোল্ডার নেই"),
        (r"^invalid TOML: (.*)$", r"TOML সঠিক নয়: \1"),
        (r"^date ('.*') is after the end of Q([1-4]) \((.*)\), the quarter it is reported in$",
         r"তারিখ \1 যে কোয়ার্টারে প্রতিবেদিত, সেই Q\2-এর শেষের (\3) পরে"),
        (r"^date ('.*') is outside the fiscal year (.*)$", r"তারিখ \1 অর্থবছর \2-এর বাইরে"),
        (r"^a Q([1-4]) figure in a report that covers quarters 1 to ([1-4])$",
         r"১ থেকে \2 কোয়ার্টারের প্রতিবেদনে Q\1-এর সংখ্যা"),
        (r"^is for (.*), but the agreement is for (.*)$", r"\1-এর জন্য, কিন্তু চুক্তি \2-এর"),
        (r"^must be > 0, got (.*)$", r"০-এর বেশি হতে হবে, আছে \1"),
        (r"^must be one of (.*); got (.*)$", r"এগুলোর একটি হতে হবে: \1; আছে \2"),
    )
)  # fmt: skip
"""The commonest file errors in Bengali; any other keeps its English words."""


def error_text(
    why: str, lang: str, *, where: str = "", line: int = 0, path: str = "", item: str = ""
) -> str:
    """An error's one line in ``lang``: the place (file and line, ``$.path``, the
    indicator) and why. In Bengali the frame is Bengali and the commonest reasons are too
    (:data:`_ERRORS_BN`); the file's name and ``$.path`` stay as written (a reader finds
    them so)."""
    if lang != "bn":
        place = f"{where}:{line}" if where and line else where
        at = f"{path} ({item})" if path and item else path
        return ": ".join([*(p for p in (place, at) if p), why])
    for pattern, bn in _ERRORS_BN:
        if pattern.match(why):
            why = pattern.sub(bn, why)
            break
    place = f"{where}, লাইন {to_bengali_digits(str(line))}" if where and line else where
    at = f"{path} (সূচক {item})" if path and item else path
    return ": ".join([*(p for p in (place, at) if p), why])


def error_line_in(error: ApacoreError, lang: str) -> str:
    """:func:`apacore.errors.error_line` in ``lang``: in Bengali an error about a file is
    said by :func:`error_text` (an error about an argument names the flag typed, as in
    English)."""
    if lang != "bn" or error.argument:
        return error_line(error)
    return error_text(
        error.why, "bn", where=error.where, line=error.line, path=error.path, item=error.item
    )
