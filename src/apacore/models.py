"""The APA as data: tiers, indicators, activities, areas, annexes, agreements, reports.

Every class is frozen; sequences are tuples. Invariants that concern one object live in
its validators (they raise :class:`FieldError`, which the loader turns into a message
with the dotted path of the field). Invariants that span objects (weights adding up,
dates inside the fiscal year, names known to the plugin registry) live in
:mod:`apacore.loading.validation`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, NewType, Union

import attrs
from dateutil.relativedelta import relativedelta

from apacore.errors import ParseError
from apacore.limits import name_problem
from apacore.numbers import (
    QUARTER_EXAMPLES,
    Reading,
    parse_fiscal_year,
    parse_id,
    parse_quarter,
)
from apacore.values import frozen

__all__ = [
    "LEVELS",
    "TIER_KEYS",
    "UNITS",
    "Activity",
    "Agreement",
    "AgreementAnnex",
    "Annex",
    "AppliedRevision",
    "Area",
    "Calendar",
    "Claimed",
    "FieldError",
    "Grade",
    "Indicator",
    "Office",
    "Policies",
    "ProgressEntry",
    "ProgressReport",
    "QuarterNumber",
    "ReviewRules",
    "RulesetSpec",
    "TargetRevision",
    "TierDef",
    "TierValue",
    "Value",
    "quarter_end",
]

Value = Union[Decimal, dt.date]
"""An achievement, target or tier value: an exact number or a date."""

TierValue = Union[Decimal, dt.date, None]
"""One of the five tier values; ``None`` is a blank tier ("-")."""

TIER_KEYS: tuple[str, ...] = ("excellent", "very_good", "good", "fair", "poor")
"""The five tiers, best first: the order in which ``tiers`` are written."""

UNITS: Mapping[str, str] = {
    "count": "সংখ্যা",
    "percent": "%",
    "date": "তারিখ",
    "persons": "জন",
    "persons_lakh": "জন (লক্ষ)",
    "taka": "টাকা",
    "dated_count": "সংখ্যা ও তারিখ",
    "marks": "প্রাপ্ত নম্বর",
}
"""Units and their Bengali labels on the forms."""

LEVELS: tuple[str, ...] = ("upazila", "district", "division", "headquarters", "ministry")
"""Office levels an indicator may apply to."""

DIRECTIONS = ("higher", "lower")
ENTRY_STATUSES = ("reported", "not_applicable", "substituted")


class FieldError(ValueError):
    """A validator's complaint about one field; the loader adds the field to the path."""

    def __init__(self, field: str, why: str) -> None:
        super().__init__(why)
        self.field = field
        self.why = why


def _positive(inst: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value > 0:
        raise FieldError(attribute.name, f"must be > 0, got {value}")


def _positive_or_blank(
    inst: object, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is not None and not value > 0:
        raise FieldError(attribute.name, f"must be > 0, got {value}")


def _non_negative(inst: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if value < 0:
        raise FieldError(attribute.name, f"must be >= 0, got {value}")


def _one_of(*choices: str) -> Any:
    def check(inst: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
        if value is not None and value not in choices:
            raise FieldError(attribute.name, f"must be one of {', '.join(choices)}; got {value!r}")

    return check


def _levels(inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for level in value:
        if level not in LEVELS:
            raise FieldError(
                attribute.name, f"unknown office level {level!r} (known: {', '.join(LEVELS)})"
            )


def _fiscal_year(value: str) -> str:
    """``"২০২৪-২৫"``, ``"2024-2025"`` or ``"২০২৪-২০২৫"`` as ``"2024-25"`` (officers type
    Bengali digits, the documents write both years in full); text that names no fiscal
    year is kept for the check that says how to write it."""
    if not isinstance(value, str):
        return value
    return parse_fiscal_year(value) or value.strip()


QuarterNumber = NewType("QuarterNumber", int)
"""A quarter, 1 to 4: in a file a number or text as the forms write it (``"২য় কোয়ার্টার"``)."""


def _quarter(value: int | str) -> QuarterNumber:
    """``2``, ``"২"``, ``"Q2"``, ``"২য় কোয়ার্টার"`` or ``"দ্বিতীয় ত্রৈমাসিক"`` as 2;
    anything else is kept for the validator to refuse."""
    if isinstance(value, str):
        quarter = parse_quarter(value)
        if quarter is None:
            raise FieldError("quarter", f"expected a quarter ({QUARTER_EXAMPLES}), got {value!r}")
        return QuarterNumber(quarter)
    return value  # type: ignore[return-value]  # checked by the validator


def _ref(value: str) -> str:
    """A report entry's indicator, ``"[১.১.১]"`` or ``"egov/[৪.১.২]"``, as ``1.1.1`` /
    ``egov/4.1.2``; text that is not an id is kept for the unknown-indicator message."""
    if not isinstance(value, str):
        return value
    return _text_ref(value)


@functools.lru_cache(maxsize=4096)
def _text_ref(value: str) -> str:
    """:func:`_ref` of a text, remembered: every report of a batch names the same rows."""
    kind, slash, ident = value.strip().rpartition("/")
    try:
        return f"{kind}{slash}{parse_id(ident)}"
    except ParseError:
        return value


def _non_empty(inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.strip():
        raise FieldError(attribute.name, "must not be empty")


def _plain_name(inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """A name shown in tables: one line of plain text, not too long."""
    why = name_problem(value)
    if why is not None:
        raise FieldError(attribute.name, why)


def _id(value: str) -> str:
    try:
        return parse_id(value)
    except ParseError as exc:
        raise FieldError("id", exc.why) from None


def _sequence(value: object) -> tuple[Any, ...]:
    """A list as a tuple; text or a table where a list is due is an error, never iterated."""
    if type(value) is tuple:  # as the loader gives it: spared the checks below
        return value
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, (list, tuple)):
        shown = repr(value) if len(repr(value)) <= 40 else f"a {type(value).__name__}"
        raise TypeError(f"expected a list, got {shown}")
    return tuple(value)


def _tuple(value: Sequence[Any] | None) -> tuple[Any, ...]:
    return _sequence(value) if value is not None else ()


def _opt_tuple(value: Sequence[Any] | None) -> tuple[Any, ...] | None:
    return None if value is None else _sequence(value)


@frozen(kw_only=True)
class TierDef:
    """One tier of the scale: its score and its names on the forms."""

    score: Decimal = attrs.field(validator=_non_negative)
    """The raw score earned at the tier's value (100, 90, 80, 70, 60)."""
    name_bn: str = ""
    """The Bengali name (অসাধারণ …)."""
    name_en: str = ""
    """An English name."""


@frozen(kw_only=True)
class Indicator:
    """A key performance indicator (কর্মসম্পাদন সূচক) with its weight and targets."""

    id: str = attrs.field(converter=_id)
    """Dotted id inside its container, e.g. ``"1.1.1"`` (``"[১.১.১]"`` is normalised)."""
    name_bn: str = attrs.field(validator=_non_empty)
    """The indicator as the document names it."""
    unit: str = attrs.field(validator=_one_of(*UNITS))
    """One of :data:`UNITS`."""
    method: str = attrs.field(validator=_non_empty)
    """Calculation method by name (``sum``, ``average``, ``cumulative``, ``date``, ``milestones`` or a plugin's)."""
    weight: Decimal | None = attrs.field(validator=_positive_or_blank)
    """সূচকের মান: the marks the indicator carries; ``"-"`` (None) only in a partial
    agreement whose document prints no weight (the row then earns progress, not marks)."""
    source: str = attrs.field(validator=_non_empty)
    """Where every number of this row comes from (file, table, row)."""
    name_en: str = ""
    """An English rendering of the name."""
    tiers: tuple[TierValue, ...] | None = attrs.field(default=None, converter=_opt_tuple)
    """Five values, excellent first; ``None`` for a blank tier."""
    target: Value | None = None
    """A single annual target, for indicators without tiers."""
    milestones: tuple[dt.date, ...] | None = attrs.field(default=None, converter=_opt_tuple)
    """Due dates of a count of dated milestones."""
    direction: str | None = attrs.field(default=None, validator=_one_of(*DIRECTIONS))
    """``higher`` or ``lower`` is better; only needed where the tiers cannot tell."""
    cumulative: str | None = attrs.field(default=None, validator=_one_of("increments", "running"))
    """For cumulative indicators: whether quarterly figures are increments or running figures."""
    base: Decimal | None = attrs.field(default=None)
    """For a cumulative percentage reported as counts: the count that is 100 %."""
    target_count: Decimal | None = None
    """The count a percentage target stands for (``৯২%(৪৮)``: 48); with cumulative
    increments the base is ``target_count × 100 / target``."""
    rule: str | None = None
    """Scoring rule by name; default from which of tiers / target / milestones is given."""
    rule_params: Mapping[str, str] = attrs.field(factory=dict)
    """Parameters a plugin's scoring rule reads (``{ grace_days = 7 }``), as text."""
    method_params: Mapping[str, str] = attrs.field(factory=dict)
    """Parameters a plugin's calculation method reads (``{ quarters = "2" }``), as text:
    a method gets parameters as a rule does."""
    evidence: str = ""
    """The evidence (প্রমাণক) required."""
    responsible: str = ""
    """Who implements it."""
    applies_to: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_levels)
    """Office levels it applies to; empty means every level."""
    substitute_for: str | None = None
    """Id of the indicator this one replaces when that one cannot apply."""
    actuals: Mapping[str, str] = attrs.field(factory=dict)
    """Earlier years' actuals, as written (context, not scored)."""
    projections: Mapping[str, str] = attrs.field(factory=dict)
    """Later years' projections, as written (context, not scored)."""
    note: str = ""
    """Corrections and doubts."""

    def __attrs_post_init__(self) -> None:
        if self.rule is None and (
            (self.tiers is not None) + (self.target is not None) + (self.milestones is not None)
            != 1
        ):
            given = [k for k in ("tiers", "target", "milestones") if getattr(self, k) is not None]
            raise FieldError(
                "tiers",
                "give exactly one of tiers, target, milestones"
                + (f" (got {', '.join(given)})" if given else ""),
            )
        if self.tiers is not None:
            if len(self.tiers) != len(TIER_KEYS):
                raise FieldError("tiers", f"must have 5 values, got {len(self.tiers)}")
            if all(v is None for v in self.tiers):
                raise FieldError("tiers", "all five tiers are blank")
            kinds = {type(v) is dt.date for v in self.tiers if v is not None}
            if len(kinds) > 1:
                raise FieldError("tiers", "mixes dates and numbers")
        if self.milestones is not None and not self.milestones:
            raise FieldError("milestones", "must list at least one due date")
        if self.base is not None and not self.base > 0:
            raise FieldError("base", f"must be > 0, got {self.base}")
        if self.target_count is not None:
            if not isinstance(self.target, Decimal) or not self.target > 0:
                raise FieldError("target_count", "needs a percentage target > 0")
            if not self.target_count > 0:
                raise FieldError("target_count", f"must be > 0, got {self.target_count}")
            if self.base is not None:
                raise FieldError("target_count", "give base or target_count, not both")

    @property
    def annual_target(self) -> Value | None:
        """The year's target: the single target, else the excellent (best present) tier."""
        if self.target is not None:
            return self.target
        if self.milestones is not None:
            return Decimal(len(self.milestones))
        for value in self.tiers or ():
            if value is not None:
                return value
        return None

    def cumulative_base(self) -> Fraction | None:
        """The count that is 100 %: ``base``, or ``target_count × 100 / target``."""
        # built from integer ratios: Fraction(Decimal) and its operators dispatch on types
        # (a batch asks once for every cumulative row of every office)
        if self.base is not None:
            return Fraction(*self.base.as_integer_ratio())
        if self.target_count is not None and isinstance(self.target, Decimal):
            cn, cd = self.target_count.as_integer_ratio()
            tn, td = self.target.as_integer_ratio()
            return Fraction(cn * 100 * td, cd * tn)
        return None


@frozen(kw_only=True)
class Activity:
    """An activity (কার্যক্রম) grouping indicators."""

    id: str = attrs.field(converter=_id)
    """Dotted id, e.g. ``"1.1"``."""
    name_bn: str
    """The activity as the document names it."""
    indicators: tuple[Indicator, ...] = attrs.field(converter=_tuple)
    """Its indicators."""
    name_en: str = ""
    """An English rendering."""
    applies_to: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_levels)
    """Office levels; indicators without their own ``applies_to`` inherit it."""
    source: str = ""
    """Where the row comes from."""
    note: str = ""
    """Corrections and doubts."""


@frozen(kw_only=True)
class Area:
    """A performance area (কর্মসম্পাদনের ক্ষেত্র) with its weight; also an annex's own area."""

    id: str = attrs.field(converter=_id)
    """Id, e.g. ``"1"``."""
    name_bn: str
    """The area as the document names it."""
    weight: Decimal | None = attrs.field(validator=_positive_or_blank)
    """ক্ষেত্রের মান: the marks of the area; its indicators' weights add up to it.
    ``"-"`` (None) only in a partial agreement whose document prints no weights."""
    activities: tuple[Activity, ...] = attrs.field(converter=_tuple)
    """Its activities."""
    name_en: str = ""
    """An English rendering."""
    source: str = ""
    """Where the weight comes from."""
    note: str = ""
    """Corrections and doubts."""

    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of the area, in document order."""
        return tuple(ind for act in self.activities for ind in act.indicators)


@frozen(kw_only=True)
class Annex:
    """An annex action plan (NIS, e-Governance, GRS, Citizen's Charter, RTI, or a plugin's)."""

    kind: str = attrs.field(validator=_non_empty)
    """The annex type's name, e.g. ``"egov"``."""
    name_bn: str
    """The plan's Bengali title."""
    apa_weight: Decimal = attrs.field(validator=_positive)
    """The marks the annex carries in the APA (10, 10, 4, 3, 3)."""
    total: Decimal = attrs.field(validator=_positive)
    """The annex's own total; its indicator weights add up to it."""
    areas: tuple[Area, ...] = attrs.field(converter=_tuple)
    """The annex's own areas."""
    name_en: str = ""
    """An English title."""
    levels: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_levels)
    """Office levels this standard plan is for."""
    source: str = ""
    """Where the weights come from."""
    note: str = ""
    """Corrections, gaps and doubts."""

    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of the annex, in document order."""
        return tuple(ind for area in self.areas for ind in area.indicators())


@frozen(kw_only=True)
class Policies:
    """The scoring policies of a ruleset (DOMAIN.md "Scoring rules"); all switchable."""

    date: str = attrs.field(default="linear", validator=_one_of("linear", "step"))
    """Tier dates: interpolate over whole days, or award the best tier whose deadline was met."""
    not_applicable: str = attrs.field(default="rescale", validator=_one_of("rescale", "exclude"))
    """Rescale the container's marks to its weight, or drop the indicator's weight from the maximum."""
    not_applicable_scope: str = attrs.field(default="annex", validator=_one_of("annex", "area"))
    """Where a not-applicable annex row's weight goes under ``rescale``: to the whole annex,
    or to the other rows of its own area (docs/scoring.md, rule 5)."""
    lower_is_better_progress: str = attrs.field(
        default="none", validator=_one_of("none", "raw_score")
    )
    """Progress of a lower-is-better indicator: none (progress marks 0), or its raw score, as
    for deadlines (docs/scoring.md, rule 4)."""
    not_reported: str = attrs.field(default="zero", validator=_one_of("zero"))
    """A missing figure scores 0 and is flagged; never guessed."""
    evidence: str = attrs.field(default="evaluator", validator=_one_of("evaluator", "not_reported"))
    """In the evaluated score, a figure without evidence where its indicator requires evidence:
    ``evaluator`` (the evaluator's verdict alone decides; the missing reference is an audit
    finding) or ``not_reported`` (it counts as not reported unless the evaluator revised it
    or names the evidence seen). No source states it: an assumption (docs/scoring.md)."""
    rounding_places: int = attrs.field(default=2)
    """Decimal places at output (0 to 10)."""
    rounding: str = attrs.field(default="half_up", validator=_one_of("half_up", "half_even"))
    """Rounding mode at output (applied once)."""

    @rounding_places.validator
    def _check_places(self, attribute: attrs.Attribute[int], value: int) -> None:
        if not 0 <= value <= 10:
            raise FieldError("rounding_places", f"must be 0 to 10, got {value}")


@frozen(kw_only=True)
class ReviewRules:
    """What the agreement review (``apacore audit``, :mod:`apacore.audit.review`) checks: the
    ``[review]`` table of ``ruleset.toml``. Each check is off unless its value is set."""

    previous_actual: bool | None = None
    """Report a target worse than the previous year's actual, where the agreement gives it."""
    tier_units: Mapping[str, Decimal] = attrs.field(factory=dict)
    """One unit of each unit kind (``count = 1``, ``persons_lakh = 0.00001``; dates in
    days): report three adjacent present tiers that lie within one unit."""
    max_indicator_weight: Decimal | None = None
    """Report an indicator weight above this (the guidelines' limit for one indicator)."""
    excellent_equals_poor: bool | None = None
    """Report tiers whose excellent value equals the poor one."""


@frozen(kw_only=True)
class Grade:
    """A grade band: a total at or above ``min`` earns it (highest band first)."""

    name: str
    """Key, e.g. ``"excellent"``."""
    min: Decimal = attrs.field(validator=_non_negative)
    """Lowest total that earns the grade."""
    source: str = attrs.field(validator=_non_empty)
    """Where the band comes from."""
    name_bn: str = ""
    """Bengali label."""
    note: str = ""
    """Doubts (e.g. unverified)."""

    @property
    def unverified(self) -> bool:
        """Whether the ruleset marks this band as unverified (in its note): the RFD bands,
        which no Bangladesh source gives."""
        return "unverified" in self.note.lower()


@frozen(kw_only=True)
class Calendar:
    """The year's due dates (``[calendar]`` of ``ruleset.toml``): when reports, evaluations,
    revision proposals and the results are due."""

    revision_proposals: dt.date
    """The last day a target revision may be dated (30 September)."""
    reports: tuple[dt.date, ...] = attrs.field(converter=_tuple)
    """The quarterly progress reports' due dates, Q1 first (15 October, 15 January,
    15 April, 15 July: the annual report with its evidence)."""
    half_yearly_evaluation: dt.date
    """The superior office's half-yearly evaluation (30 January)."""
    annual_evaluation: dt.date
    """The annual evaluation."""
    publication: dt.date
    """The results of subordinate offices published (30 August)."""
    source: str = attrs.field(validator=_non_empty)
    """Where the dates come from."""
    agreement_signed: dt.date | None = None
    """The agreements signed (25 June, before the year)."""
    note: str = ""
    """Doubts."""

    def __attrs_post_init__(self) -> None:
        if len(self.reports) != 4:
            raise FieldError("reports", f"must give 4 due dates, Q1 first; got {len(self.reports)}")
        if any(a >= b for a, b in zip(self.reports, self.reports[1:])):
            raise FieldError("reports", "must be in order, each after the last")

    def evaluation_due(self, quarter: int) -> dt.date | None:
        """When the evaluation of a report of ``quarter`` is due: the half-yearly one for
        Q2, the annual one for Q4; None for Q1 and Q3 (no evaluation is due)."""
        return {2: self.half_yearly_evaluation, 4: self.annual_evaluation}.get(quarter)


@frozen(kw_only=True)
class RulesetSpec:
    """The contents of a ruleset's ``ruleset.toml``."""

    fiscal_year: str = attrs.field(converter=_fiscal_year)
    """``"2024-25"``."""
    version: str = attrs.field(validator=_non_empty)
    """The ruleset's own version; bumped on every change."""
    starts: dt.date
    """First day of the fiscal year (1 July)."""
    ends: dt.date
    """Last day of the fiscal year (30 June)."""
    office_weight: Decimal = attrs.field(validator=_positive)
    """Marks of the office's own areas (70)."""
    governance_weight: Decimal = attrs.field(validator=_positive)
    """Marks of the annexes together (30)."""
    source: str = attrs.field(validator=_non_empty)
    """Where the numbers of this file come from."""
    tiers: Mapping[str, TierDef]
    """The tier scale, keyed by :data:`TIER_KEYS`."""
    policies: Policies = attrs.field(factory=Policies)
    """Scoring policies."""
    grades: tuple[Grade, ...] = attrs.field(default=(), converter=_tuple)
    """Grade bands, highest first."""
    annex_weights: Mapping[str, Decimal] = attrs.field(factory=dict)
    """Annex kind → its marks in the APA (integrity 10, egov 10, grs 4, charter 3, rti 3)."""
    changelog: Mapping[str, str] = attrs.field(factory=dict)
    """Version → what changed."""
    note: str = ""
    """Doubts."""
    review: ReviewRules = attrs.field(factory=ReviewRules)
    """The agreement review's checks (``[review]``)."""
    calendar: Calendar | None = None
    """The year's due dates (``[calendar]``); None where a ruleset gives none (then a
    revision's date and late submissions are not checked)."""

    def __attrs_post_init__(self) -> None:
        if set(self.tiers) != set(TIER_KEYS):
            raise FieldError("tiers", f"must define exactly {', '.join(TIER_KEYS)}")
        scores = [self.tiers[k].score for k in TIER_KEYS]
        if any(a <= b for a, b in zip(scores, scores[1:])):
            raise FieldError("tiers", "scores must decrease from excellent to poor")
        if not self.starts < self.ends:
            raise FieldError("ends", "must be after starts")
        mins = [g.min for g in self.grades]
        if any(a <= b for a, b in zip(mins, mins[1:])):
            raise FieldError("grades", "must be listed highest first, each min lower than the last")
        calendar = self.calendar
        if calendar is not None:
            if not self.starts <= calendar.revision_proposals <= self.ends:
                raise FieldError("calendar", "revision_proposals must be inside the fiscal year")
            if not self.starts < calendar.reports[0]:
                raise FieldError("calendar", "the Q1 report cannot be due before the year starts")

    def tier_scores(self) -> tuple[Decimal, ...]:
        """Scores in :data:`TIER_KEYS` order."""
        return tuple(self.tiers[k].score for k in TIER_KEYS)


@frozen(kw_only=True)
class Office:
    """The office that signs the agreement."""

    name_bn: str
    """Bengali name, as on the agreement."""
    level: str = attrs.field(validator=_one_of(*LEVELS))
    """Its level (upazila, district, …)."""
    name_en: str = ""
    """English name."""


@frozen(kw_only=True)
class AgreementAnnex:
    """An annex in an agreement: the ruleset's standard plan, or the office's own rows."""

    kind: str = attrs.field(validator=_non_empty)
    """The annex type."""
    standard: bool = False
    """Take the ruleset's standard plan unchanged."""
    total: Decimal | None = None
    """The office's annex total (default: the standard plan's)."""
    areas: tuple[Area, ...] = attrs.field(default=(), converter=_tuple)
    """The office's own rows."""
    source: str = ""
    """Where the rows come from."""
    note: str = ""
    """Corrections and gaps."""

    def __attrs_post_init__(self) -> None:
        if self.standard and self.areas:
            raise FieldError("areas", "give either standard = true or the office's own areas")
        if not self.standard and not self.areas:
            raise FieldError("areas", "give the office's own areas or standard = true")


@frozen(kw_only=True)
class TargetRevision:
    """An approved revision of one indicator's targets or weight (DOMAIN.md: once a year, on a
    proposal by 30 September; the approved values apply and the original stays on record)."""

    indicator: str = attrs.field(converter=_ref, validator=_non_empty)
    """``"1.1.1"`` or ``"egov/4.1.2"``, as a report names it."""
    approved_by: str = attrs.field(validator=[_non_empty, _plain_name])
    """The approving (superior) office."""
    approved_on: dt.date
    """The date of the approved revision; not after the ruleset's revision deadline."""
    reason: str = attrs.field(validator=_non_empty)
    """Why the targets were revised."""
    tiers: tuple[TierValue, ...] | None = attrs.field(default=None, converter=_opt_tuple)
    """The new five tier values (for an indicator with tiers)."""
    target: Value | None = None
    """The new single target (for an indicator with one)."""
    weight: Decimal | None = attrs.field(default=None, validator=_positive_or_blank)
    """The new weight; the area's weights must still add up."""
    note: str = ""
    """Anything else."""

    def __attrs_post_init__(self) -> None:
        if self.tiers is None and self.target is None and self.weight is None:
            raise FieldError("tiers", "a revision gives new tiers, a new target or a new weight")

    def changed(self) -> tuple[str, ...]:
        """The fields it revises (``tiers``, ``target``, ``weight``)."""
        return tuple(k for k in ("tiers", "target", "weight") if getattr(self, k) is not None)


@frozen(kw_only=True)
class AppliedRevision:
    """A revision as scoring applied it: the indicator before and after."""

    ref: str
    """The indicator reference."""
    original: Indicator
    """The indicator as signed."""
    revised: Indicator
    """The indicator scored: the revised values in place."""
    revision: TargetRevision
    """The revision itself (who approved it, when, why)."""


@frozen(kw_only=True)
class Agreement:
    """An office's Annual Performance Agreement."""

    fiscal_year: str = attrs.field(converter=_fiscal_year)
    """The fiscal year, which selects the ruleset."""
    office: Office
    """Who signed."""
    areas: tuple[Area, ...] = attrs.field(default=(), converter=_tuple)
    """The office's own performance areas."""
    annexes: tuple[AgreementAnnex, ...] = attrs.field(default=(), converter=_tuple)
    """The governance annexes."""
    ruleset_sha256: str | None = None
    """Pin: the content hash of the ruleset the agreement was signed under."""
    scope: str = attrs.field(default="complete", validator=_one_of("complete", "partial"))
    """``partial`` when only some parts of the agreement are known."""
    source: str = ""
    """The document it was transcribed from."""
    note: str = ""
    """Corrections and gaps."""
    revisions: tuple[TargetRevision, ...] = attrs.field(default=(), converter=_tuple)
    """Approved revisions of targets or weights (``[[revisions]]``); scoring uses the
    revised values, and every output shows the original beside them."""


@frozen(kw_only=True)
class Claimed:
    """Figures an office wrote itself, kept for ``apacore audit``."""

    total: Reading | None = None
    """মোট অর্জন: the achievement it reported."""
    progress_pct: Reading | None = None
    """অর্জনের শতকরা হার: its progress percentage."""
    marks: Reading | None = None
    """অর্জিত মান: the marks it gave itself."""
    note: str = ""
    """Remarks."""


@frozen(kw_only=True)
class ProgressEntry:
    """One indicator's quarterly figures in a progress report."""

    indicator: str = attrs.field(converter=_ref, validator=_non_empty)
    """``"<id>"`` for the office's own rows, ``"<annex kind>/<id>"`` for annex rows."""
    q1: Reading | None = None
    """Jul–Sep figure (None: not reported)."""
    q2: Reading | None = None
    """Oct–Dec figure."""
    q3: Reading | None = None
    """Jan–Mar figure."""
    q4: Reading | None = None
    """Apr–Jun figure."""
    status: str = attrs.field(default="reported", validator=_one_of(*ENTRY_STATUSES))
    """``reported``, ``not_applicable`` or ``substituted``."""
    evidence: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    """Evidence references (letters, links)."""
    claimed: Claimed | None = None
    """The office's own figures."""
    source: str = ""
    """Where the figures come from."""
    note: str = ""
    """Corrections and doubts."""

    def quarters(self) -> tuple[Reading | None, ...]:
        """The four quarterly readings, Q1 first."""
        return (self.q1, self.q2, self.q3, self.q4)


@frozen(kw_only=True)
class ProgressReport:
    """An office's quarterly progress report."""

    fiscal_year: str = attrs.field(converter=_fiscal_year)
    """Fiscal year."""
    quarter: QuarterNumber = attrs.field(converter=_quarter)
    """The report covers quarters 1..quarter."""
    entries: tuple[ProgressEntry, ...] = attrs.field(default=(), converter=_tuple)
    """Per-indicator figures."""
    office: str = ""
    """The reporting office."""
    submitted_on: dt.date | None = None
    """The date the office sent it (checked against the ruleset's ``[calendar]`` by
    ``apacore audit``)."""
    source: str = ""
    """The document it was transcribed from."""
    note: str = ""
    """Corrections and gaps."""

    @quarter.validator
    def _check_quarter(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
            raise FieldError("quarter", f"must be 1, 2, 3 or 4, got {value}")

    _by_ref: Mapping[str, ProgressEntry] = attrs.field(
        init=False, repr=False, eq=False, hash=False, factory=dict
    )
    """The first entry of each reference (a report of 20,000 rows is not searched 20,000 times)."""

    def __attrs_post_init__(self) -> None:
        by_ref: dict[str, ProgressEntry] = {}
        for e in self.entries:
            by_ref.setdefault(e.indicator, e)
        object.__setattr__(self, "_by_ref", by_ref)

    def entry(self, ref: str) -> ProgressEntry | None:
        """The entry for indicator reference ``ref``, if any."""
        return self._by_ref.get(ref)


@functools.lru_cache(maxsize=64)  # asked for every dated reading; a handful of answers
def quarter_end(starts: dt.date, quarter: int) -> dt.date:
    """The last day of ``quarter`` (1–4) of the fiscal year that begins on ``starts``."""
    end: dt.date = starts + relativedelta(months=3 * quarter, days=-1)
    return end
