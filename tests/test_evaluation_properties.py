"""The evaluation's properties over the five example offices (issue 18):

* an evaluation that accepts everything gives the self-assessed scorecard exactly;
* not accepting rows never raises a total;
* revising a row to its reported readings changes nothing;
* revising a row to readings R scores exactly as a copy of the report with R in place,
  and not accepting it exactly as the report without that entry.

Rangpur Sadar has an agreement and no report: it is evaluated against an empty Q4 report,
so that its rows are revised from nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.engine.results import Scorecard
from apacore.engine.scorecard import score_agreement
from apacore.errors import ApacoreError
from apacore.evaluation.model import Evaluation, EvaluationEntry
from apacore.evaluation.result import evaluation_of
from apacore.evaluation.scoring import score_evaluation
from apacore.loading.agreements import OfficeFiles, load_office, quarter_end
from apacore.loading.convert import structure, unstructure
from apacore.models import ProgressReport
from apacore.numbers import parse_reading, to_bengali_digits

EXAMPLES = Path(__file__).parent.parent / "examples"
OFFICES = sorted(p.name for p in EXAMPLES.iterdir() if (p / "agreement.toml").is_file())


def _office(name: str) -> OfficeFiles:
    office = load_office(EXAMPLES / name, use_cache=False)
    if office.report is None:  # Rangpur: the agreement only
        empty = ProgressReport(fiscal_year=office.agreement.fiscal_year, quarter=4)
        office = attrs.evolve(office, report=empty, report_path=office.agreement_path)
    return office


_OFFICES = {name: _office(name) for name in OFFICES}


def test_the_five_offices_are_here() -> None:
    assert len(_OFFICES) == 5


def _self(office: OfficeFiles) -> Scorecard:
    return score_agreement(office.agreement, office.report, office.ruleset)


def _figures(card: Scorecard) -> tuple[Any, ...]:
    """Every exact figure of a scorecard, per indicator and in total."""
    rows = tuple(
        (
            r.ref,
            r.status,
            r.achievement,
            *(r.exact(k) for k in ("progress_pct", "progress_marks", "raw_score", "marks")),
        )
        for r in card.indicators()
    )
    totals = tuple(card.exact(k) for k in ("total_marks", "total_progress_marks", "total_max"))
    return rows, totals, card.grade


def _evaluation(office: OfficeFiles, entries: list[EvaluationEntry]) -> Evaluation:
    assert office.report is not None
    return Evaluation(
        fiscal_year=office.report.fiscal_year,
        quarter=office.report.quarter,
        evaluator="জেলা কার্যালয়",
        evaluated_on=dt.date(2030, 1, 1),
        entries=entries,
    )


def _evaluated(office: OfficeFiles, entries: list[EvaluationEntry]) -> Scorecard:
    card = _self(office)
    scored = evaluation_of(
        score_evaluation(card, office, _evaluation(office, entries), where="evaluation.toml")
    )
    assert scored is not None
    return scored.card


offices = st.sampled_from(OFFICES)


def _refs(office: OfficeFiles) -> list[str]:
    return [r.ref for r in _self(office).indicators()]


@given(data=st.data(), name=offices)
def test_accepting_everything_gives_the_self_assessed_scorecard(
    data: st.DataObject, name: str
) -> None:
    office = _OFFICES[name]
    refs = data.draw(st.lists(st.sampled_from(_refs(office)), unique=True))
    entries = [EvaluationEntry(indicator=ref, verdict="accepted") for ref in refs]
    assert _evaluated(office, entries) == _self(office)


@given(data=st.data(), name=offices)
def test_not_accepting_rows_never_raises_a_total(data: st.DataObject, name: str) -> None:
    office = _OFFICES[name]
    refs = data.draw(st.lists(st.sampled_from(_refs(office)), unique=True, min_size=1))
    entries = [EvaluationEntry(indicator=r, verdict="not_accepted", reason="x") for r in refs]
    own, evaluated = _self(office), _evaluated(office, entries)
    for name_ in ("total_marks", "total_progress_marks"):
        assert (evaluated.exact(name_) or 0) <= (own.exact(name_) or 0)
    assert (
        evaluated.total_max == own.total_max
        or office.ruleset.spec.policies.not_applicable == "exclude"
    )


def test_revising_every_row_to_its_own_readings_changes_nothing() -> None:
    revised = 0
    for office in _OFFICES.values():
        assert office.report is not None
        entries = [
            EvaluationEntry(
                indicator=e.indicator,
                verdict="revised",
                reason="checked against the register",
                **{f"q{q}": r for q, r in enumerate(e.quarters(), 1) if r is not None},
            )
            for e in office.report.entries
            if any(r is not None for r in e.quarters())
        ]
        revised += len(entries)
        assert _evaluated(office, entries) == _self(office)
    assert revised > 50


def _reading(draw: st.DrawFn, method: str, q: int, office: OfficeFiles) -> str:
    """A figure of quarter ``q`` as an office writes it, of the kind ``method`` reads."""
    spec = office.ruleset.spec
    if method in ("date", "milestones"):
        start = quarter_end(spec.starts, q - 1) + dt.timedelta(days=1) if q > 1 else spec.starts
        day = draw(st.dates(min_value=start, max_value=quarter_end(spec.starts, q)))
        text = day.strftime("%d.%m.%y")
    elif draw(st.booleans()):
        text = draw(st.sampled_from(["-", "--"]))
    else:
        number = draw(st.decimals(min_value=0, max_value=200, places=draw(st.integers(0, 2))))
        text = format(number, "f")
    return to_bengali_digits(text) if draw(st.booleans()) else text


@st.composite
def revisions(draw: st.DrawFn, name: str) -> tuple[str, dict[str, str]]:
    """An indicator of the office and readings for some of its quarters."""
    office = _OFFICES[name]
    assert office.report is not None
    results = {r.ref: r for r in _self(office).indicators()}
    ref = draw(st.sampled_from(sorted(results)))
    method = results[ref].method
    quarters = draw(
        st.lists(st.integers(1, office.report.quarter), unique=True, min_size=1, max_size=4)
    )
    return ref, {f"q{q}": _reading(draw, method, q, office) for q in sorted(quarters)}


def _report_data(office: OfficeFiles) -> dict[str, Any]:
    assert office.report is not None
    data: dict[str, Any] = unstructure(office.report)
    return data


def _scored_data(office: OfficeFiles, data: dict[str, Any]) -> Scorecard:
    report = structure(data, ProgressReport, where="edited report.toml")
    return score_agreement(office.agreement, report, office.ruleset)


OUTCOMES: dict[str, int] = {"scored": 0, "error": 0}


def _same_or_same_error(left: Any, right: Any) -> None:
    """Both calls give equal figures, or both raise an ApacoreError."""
    outcomes: list[Any] = []
    for call in (left, right):
        try:
            outcomes.append(_figures(call()))
        except ApacoreError:
            outcomes.append("error")
    assert outcomes[0] == outcomes[1]
    OUTCOMES["error" if outcomes[0] == "error" else "scored"] += 1


@given(data=st.data(), name=offices)
def test_a_revision_is_an_edit_of_the_report(data: st.DataObject, name: str) -> None:
    office = _OFFICES[name]
    ref, readings = data.draw(revisions(name))
    entry = EvaluationEntry(
        indicator=ref,
        verdict="revised",
        reason="the register says otherwise",
        **{k: parse_reading(v) for k, v in readings.items()},
    )
    edited = _report_data(office)
    rows = [e for e in edited.get("entries", []) if e["indicator"] == ref]
    if rows:
        rows[0].update(readings)
    else:
        edited.setdefault("entries", []).append({"indicator": ref, **readings})
    _same_or_same_error(lambda: _evaluated(office, [entry]), lambda: _scored_data(office, edited))


@given(data=st.data(), name=offices)
def test_not_accepting_a_row_is_removing_its_entry(data: st.DataObject, name: str) -> None:
    office = _OFFICES[name]
    ref = data.draw(st.sampled_from(_refs(office)))
    entry = EvaluationEntry(indicator=ref, verdict="not_accepted", reason="no evidence")
    edited = _report_data(office)
    edited["entries"] = [e for e in edited.get("entries", []) if e["indicator"] != ref]
    assert _figures(_evaluated(office, [entry])) == _figures(_scored_data(office, edited))


@pytest.mark.parametrize("name", OFFICES)
def test_the_total_of_an_evaluation_is_its_scorecards(name: str) -> None:
    office = _OFFICES[name]
    assert office.report is not None
    refs = _refs(office)[:3]
    entries = [EvaluationEntry(indicator=r, verdict="not_accepted", reason="x") for r in refs]
    evaluated = _evaluated(office, entries)
    own = _self(office)
    changed = sum(
        Fraction(a.exact("marks") or 0) != Fraction(b.exact("marks") or 0)
        for a, b in zip(evaluated.indicators(), own.indicators())
    )
    assert changed <= len(refs)
    assert isinstance(evaluated.total_marks, Decimal)


def test_most_revisions_score() -> None:
    """The revisions drawn above are mostly valid readings, so the property is not vacuous
    (run after it: pytest keeps the file's order)."""
    assert OUTCOMES["scored"] >= 10 * OUTCOMES["error"] or not sum(OUTCOMES.values())
