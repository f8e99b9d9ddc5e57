"""The evaluation file (``evaluation.toml``) as data: what the superior office decided.

An office reports its own figures (``report.toml``); the office above it verifies them
against the evidence and records, per indicator, a verdict: ``accepted`` (the figures
stand), ``revised`` (its own readings replace the office's) or ``not_accepted`` (the
figures do not count). An indicator the file does not mention is accepted as reported.
Invariants of one entry live here; those that concern the report, the agreement or the
ruleset (known indicators, the quarter, the year) in :mod:`apacore.evaluation.loading`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from apacore.limits import name_problem
from apacore.models import FieldError, _fiscal_year, _non_empty, _one_of, _ref, _tuple
from apacore.numbers import Reading
from apacore.values import frozen

__all__ = ["QUARTER_KEYS", "VERDICTS", "Evaluation", "EvaluationEntry"]

VERDICTS: tuple[str, ...] = ("accepted", "revised", "not_accepted")
"""What the evaluator may decide about an indicator's figures."""

QUARTER_KEYS: tuple[str, ...] = ("q1", "q2", "q3", "q4")


@frozen(kw_only=True)
class EvaluationEntry:
    """The evaluator's verdict on one indicator."""

    indicator: str = attrs.field(converter=_ref, validator=_non_empty)
    """The reference ``report.toml`` uses: ``"2.2.4"``, ``"egov/1.1.1"``."""
    verdict: str = attrs.field(validator=_one_of(*VERDICTS))
    """``accepted``, ``revised`` or ``not_accepted``."""
    q1: Reading | None = None
    """The revised Jul–Sep figure (``revised`` only; a quarter not given keeps the office's)."""
    q2: Reading | None = None
    """The revised Oct–Dec figure."""
    q3: Reading | None = None
    """The revised Jan–Mar figure."""
    q4: Reading | None = None
    """The revised Apr–Jun figure."""
    reason: str = ""
    """Why the figures were revised or not accepted (required then)."""
    evidence_seen: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    """The evidence (প্রমাণক) the evaluator examined."""
    note: str = ""
    """Anything else."""

    def __attrs_post_init__(self) -> None:
        given = [k for k in QUARTER_KEYS if getattr(self, k) is not None]
        if self.verdict == "revised" and not given:
            raise FieldError("verdict", "revised, but no revised reading is given (q1 … q4)")
        if self.verdict != "revised" and given:
            raise FieldError(given[0], f"a revised reading, but the verdict is {self.verdict}")
        if self.verdict != "accepted" and not self.reason.strip():
            raise FieldError("reason", f"required when the verdict is {self.verdict}")

    def quarters(self) -> tuple[Reading | None, ...]:
        """The four revised readings, Q1 first (None: the office's reading stands)."""
        return (self.q1, self.q2, self.q3, self.q4)


def _name(inst: Any, attribute: attrs.Attribute[str], value: str) -> None:
    """A name printed in tables and signature blocks: one line of plain text, not too long
    (:func:`apacore.limits.name_problem`)."""
    why = name_problem(value) if isinstance(value, str) else None
    if why is not None:
        raise FieldError(attribute.name, why)


def _check_quarter(inst: Any, attribute: attrs.Attribute[int], value: int) -> None:
    if not 1 <= value <= 4:
        raise FieldError("quarter", f"must be 1, 2, 3 or 4, got {value}")


@frozen(kw_only=True)
class Evaluation:
    """The superior office's evaluation of one progress report."""

    fiscal_year: str = attrs.field(converter=_fiscal_year)
    """The fiscal year; must be the report's."""
    quarter: int = attrs.field(validator=_check_quarter)
    """The period evaluated (2: the half-yearly evaluation, 4: the annual one); must be the
    report's quarter."""
    evaluator: str = attrs.field(validator=_name)
    """The evaluating office, as it signs (may be left empty in a draft: a warning says so)."""
    evaluated_on: dt.date
    """The date of the evaluation."""
    entries: tuple[EvaluationEntry, ...] = attrs.field(default=(), converter=_tuple)
    """The verdicts; an indicator not listed is accepted as reported."""
    evaluator_en: str = attrs.field(default="", validator=_name)
    """The evaluating office in English."""
    officer: str = attrs.field(default="", validator=_name)
    """The evaluating officer's name and designation, for the signature block."""
    source: str = ""
    """Where the evaluation comes from (a letter, a file)."""
    note: str = ""
    """Anything else; an illustrative file says so here."""

    _by_ref: dict[str, EvaluationEntry] = attrs.field(
        init=False, repr=False, eq=False, hash=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        for e in self.entries:
            self._by_ref.setdefault(e.indicator, e)

    def entry(self, ref: str) -> EvaluationEntry | None:
        """The verdict on indicator ``ref``, if the file gives one."""
        return self._by_ref.get(ref)
