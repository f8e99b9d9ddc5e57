"""What scoring produces: the scorecard, its sections and its indicators.

Results hold exact values (:class:`~fractions.Fraction`) and the trace of how each was
reached. The :class:`~decimal.Decimal` figures of the public API (``raw_score``,
``marks``, ``progress_pct`` … ``total_marks``) are views computed when read (exact where
the value terminates within the decimal context); :meth:`IndicatorResult.exact` and its
siblings give the exact value for sums and for the one rounding at output. Explanations
are rendered from the traces when read (:mod:`apacore.engine.explain`), in English here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from apacore.engine.explain import IndicatorTrace
from apacore.errors import ApacoreError
from apacore.models import AppliedRevision, Indicator, ProgressEntry, Value
from apacore.numbers import Reading
from apacore.plugins.contract import AchievementValue
from apacore.trace import Step
from apacore.values import frozen

__all__ = ["IndicatorResult", "Scorecard", "SectionResult"]

Exact = Fraction | Decimal | int
"""An exact figure: a Fraction as scoring computes it (a Decimal or int where a caller built
a result by hand)."""


def _as_decimal(value: Exact | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)


def _as_fraction(value: Exact | None) -> Fraction | None:
    if value is None or isinstance(value, Fraction):
        return value
    return Fraction(value)


def _decimal_view(name: str, doc: str) -> Any:
    def get(self: Any) -> Decimal | None:
        return _as_decimal(getattr(self, name))

    return property(get, doc=doc)


def _exact(obj: Any, name: str, fields: tuple[str, ...]) -> Fraction | None:
    if name in fields:
        return _as_fraction(getattr(obj, "_" + name))
    value = getattr(obj, name)  # a figure given as it is (weight, apa_weight …)
    if value is not None and not isinstance(value, (Decimal, int)):
        raise AttributeError(f"{type(obj).__name__}.{name} is not a number")
    return _as_fraction(value)


_INDICATOR_FIGURES = ("progress_pct", "progress_marks", "raw_score", "marks")


@frozen(kw_only=True, slots=False)  # a __dict__: faster to build, and room for the lazy trace
class IndicatorResult:
    """One indicator on the scorecard. Figures are exact; Decimal views are unrounded."""

    ref: str
    """Reference: ``"1.1.1"`` for the office's rows, ``"egov/4.1.2"`` for annex rows."""
    id: str
    """The indicator's id inside its container."""
    section: str
    """``"office"`` or the annex kind."""
    area: str
    """The id of its area."""
    name_bn: str
    name_en: str
    weight: Decimal | None
    """The weight it carries here (a substitute carries the replaced row's); None when the
    document gives none (a partial agreement): then there are no marks, only scores."""
    method: str
    unit: str
    rule: str
    target: Value | None
    """The annual target (single target, or the best tier)."""
    achievement: AchievementValue
    """The annual achievement so far, by the calculation method."""
    _progress_pct: Exact | None = attrs.field(alias="progress_pct")
    _progress_marks: Exact | None = attrs.field(alias="progress_marks")
    _raw_score: Exact | None = attrs.field(alias="raw_score")
    _marks: Exact | None = attrs.field(alias="marks")
    status: str
    """``scored``, ``not_reported``, ``not_applicable`` or ``substituted``."""
    _explanation: tuple[str, ...] | None = attrs.field(
        default=None, alias="explanation", eq=False, repr=False
    )
    quarters: tuple[Reading | None, ...] = ()
    """The quarterly figures used (up to the as-of quarter)."""
    entry: ProgressEntry | None = None
    """The report's entry, with the office's own claimed figures."""
    indicator: Indicator | None = attrs.field(default=None, eq=False, repr=False)
    """The indicator definition."""
    _trace_of: tuple[Callable[..., Any], tuple[Any, ...]] | None = attrs.field(
        default=None, alias="trace_of", eq=False, repr=False
    )
    """``(build, args)``: ``build(self, *args)`` makes the trace when it is first read."""
    _exact_achievement: Fraction | None = attrs.field(
        default=None, alias="exact_achievement", eq=False, repr=False
    )
    """The exact achievement behind a rounded ``achievement`` (a mean, a share of a base);
    read it with ``exact("achievement")``."""

    progress_pct = _decimal_view(
        "_progress_pct", "Progress toward the annual target in %, uncapped; None where not defined."
    )
    progress_marks = _decimal_view("_progress_marks", "weight × min(progress %, 100) / 100.")
    raw_score = _decimal_view(
        "_raw_score", "Evaluation raw score in [0, 100]; None when not applicable or substituted."
    )
    marks = _decimal_view("_marks", "weight × raw score / 100.")

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> IndicatorResult:
        """A result whose attributes, by their stored names (``_marks`` …), are ``state`` (which
        it keeps), without the generated ``__init__`` (the scoring plan builds thousands):
        every attribute must be there, as ``attrs.fields(IndicatorResult)`` names them
        (tests/test_plan.py checks the plan's results against the ``__init__``)."""
        made = object.__new__(cls)
        object.__setattr__(made, "__dict__", state)
        return made

    def __getstate__(self) -> dict[str, Any]:
        """Pickled with its trace made (the plan's fast paths it would be made from stay
        behind: they are functions of the compiled plan, not data)."""
        state = {k: v for k, v in self.__dict__.items() if not k.startswith("_lines_")}
        state.pop("_trace", None)
        if self._trace_of is not None:
            state["_trace_of"] = (given_trace, (self.trace,))
        return state

    def exact(self, name: str) -> Fraction | None:
        """The exact value of figure ``name`` (``raw_score``, ``marks``, ``progress_pct``,
        ``progress_marks``, ``achievement`` (a number: the exact quotient behind a rounded
        Decimal), or a figure kept as given such as ``weight``); None where there is none."""
        if name == "achievement":
            behind: Fraction | None = self.__dict__.get("_exact_achievement")  # absent: old pickle
            if behind is not None:
                return behind
        return _exact(self, name, _INDICATOR_FIGURES)

    @property
    def trace(self) -> IndicatorTrace | None:
        """How every figure was reached, as data; None for a result built by hand."""
        if self._trace_of is None:
            return None
        cache = self.__dict__
        if "_trace" not in cache:
            build, args = self._trace_of
            cache["_trace"] = build(self, *args)  # built once, when first read
        made: IndicatorTrace = cache["_trace"]
        return made

    @property
    def explanation(self) -> tuple[str, ...]:
        """Inputs, method, bracket, formula, marks, progress: step by step, in English."""
        if self._explanation is not None:
            return self._explanation
        cache = self.__dict__
        if "_lines_en" not in cache:
            from_trace = self.trace
            cache["_lines_en"] = () if from_trace is None else from_trace.lines("en")
        lines: tuple[str, ...] = cache["_lines_en"]
        return lines


def given_trace(made: IndicatorResult, trace: IndicatorTrace) -> IndicatorTrace:
    """The trace of a result whose trace was made already (a pickled or left-out row)."""
    return trace


_SECTION_FIGURES = (
    "max",
    "marks",
    "progress_marks",
    "converted_max",
    "converted_marks",
    "converted_progress_marks",
)


@frozen(kw_only=True)
class SectionResult:
    """An office performance area or an annex."""

    kind: str
    """``"area"`` or ``"annex"``."""
    key: str
    """The area id or the annex kind."""
    name_bn: str
    name_en: str
    weight: Decimal | None
    """The area's weight or the annex's own total (None: not given; then every mark is None)."""
    _max: Exact | None = attrs.field(alias="max")
    _marks: Exact | None = attrs.field(alias="marks")
    _progress_marks: Exact | None = attrs.field(alias="progress_marks")
    apa_weight: Decimal | None
    """What the section is worth in the APA (areas: their weight; annexes: 10, 10, 4, 3, 3)."""
    _converted_max: Exact | None = attrs.field(alias="converted_max")
    _converted_marks: Exact | None = attrs.field(alias="converted_marks")
    _converted_progress_marks: Exact | None = attrs.field(alias="converted_progress_marks")
    indicators: tuple[IndicatorResult, ...]
    trace: tuple[Step, ...] = attrs.field(default=(), eq=False, repr=False)
    """How the section's figures were reached (rescaling, conversion), as data."""

    max = _decimal_view(
        "_max", "What can be earned here after not-applicable rows (= weight under rescale)."
    )
    marks = _decimal_view("_marks", "Marks obtained, in the section's own terms.")
    progress_marks = _decimal_view("_progress_marks", "Progress marks, in the section's own terms.")
    converted_max = _decimal_view("_converted_max", "The maximum in APA marks.")
    converted_marks = _decimal_view(
        "_converted_marks", "Marks in the APA: marks / weight × apa_weight (areas: the marks)."
    )
    converted_progress_marks = _decimal_view(
        "_converted_progress_marks", "Progress marks in the APA."
    )

    def exact(self, name: str) -> Fraction | None:
        """The exact value of figure ``name`` (``marks``, ``converted_marks`` …)."""
        return _exact(self, name, _SECTION_FIGURES)

    def lines(self, lang: str = "en") -> tuple[str, ...]:
        """The section's explanation in ``lang``."""
        return tuple(step.render(lang) for step in self.trace)

    @property
    def explanation(self) -> tuple[str, ...]:
        """How the section's figures were reached, in English."""
        return self.lines("en")


_CARD_FIGURES = ("total_marks", "total_progress_marks", "total_max")


@frozen(kw_only=True)
class Scorecard:
    """An office's scorecard for one fiscal year, as of a quarter."""

    office: str
    office_level: str
    fiscal_year: str
    as_of_quarter: int
    as_of: dt.date
    """The evaluation date: the last day of the as-of quarter."""
    scope: str
    ruleset: dict[str, str]
    """Fiscal year, version and sha256 of the ruleset used."""
    places: int
    rounding: str
    sections: tuple[SectionResult, ...]
    _total_marks: Exact = attrs.field(alias="total_marks")
    _total_progress_marks: Exact = attrs.field(alias="total_progress_marks")
    _total_max: Exact = attrs.field(alias="total_max")
    grade: str | None
    """The grade of the total (complete agreements only)."""
    grade_bn: str | None = None
    office_bn: str = ""
    """The office's Bengali name, as on the agreement."""
    grade_unverified: bool = False
    """Whether the grade comes from bands the ruleset marks as unverified (the RFD bands:
    no Bangladesh source gives bands): the output says so beside the grade."""
    revisions: tuple[AppliedRevision, ...] = ()
    """The approved target revisions scoring applied: each indicator as signed and as
    scored (its figures use the revised values)."""
    evaluation: Any = None
    """The superior office's evaluation, scored (an :class:`apacore.evaluation.result.Evaluated`;
    read it typed with :func:`apacore.evaluation.result.evaluation_of`); None without one."""

    @property
    def total_marks(self) -> Decimal:
        """The total: areas' marks plus annexes' converted marks."""
        return _as_decimal(self._total_marks)  # type: ignore[return-value]

    @property
    def total_progress_marks(self) -> Decimal:
        """The total of the progress marks."""
        return _as_decimal(self._total_progress_marks)  # type: ignore[return-value]

    @property
    def total_max(self) -> Decimal:
        """What the agreement can earn (100 for a complete one)."""
        return _as_decimal(self._total_max)  # type: ignore[return-value]

    def exact(self, name: str) -> Fraction | None:
        """The exact value of ``total_marks``, ``total_progress_marks`` or ``total_max``."""
        return _exact(self, name, _CARD_FIGURES)

    def indicator(self, ref: str) -> IndicatorResult:
        """The result for indicator ``ref`` (``"2.2.4"``, ``"২.২.৪"``, ``"[২.২.৪]"``,
        ``"egov/[১.১.১]"``: read as the files and the command line read ids); an unknown
        one is an error listing the known."""
        from apacore.errors import ParseError
        from apacore.numbers import parse_indicator_ref

        try:
            ref = parse_indicator_ref(ref)
        except ParseError:
            pass  # not an id: the error below lists the known ones
        for section in self.sections:
            for result in section.indicators:
                if result.ref == ref:
                    return result
        known = ", ".join(r.ref for s in self.sections for r in s.indicators)
        raise ApacoreError(f"unknown indicator {ref!r} (known: {known})", argument="indicator")

    def indicators(self) -> tuple[IndicatorResult, ...]:
        """Every indicator result, in order."""
        return tuple(r for s in self.sections for r in s.indicators)
