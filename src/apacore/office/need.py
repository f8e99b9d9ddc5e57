"""What an office must still achieve to reach each tier: ``apacore need``.

For every indicator with tiers or a target, and for every tier: the annual achievement the
tier needs, and what remains given the quarters reported so far. What "remains" depends on
the calculation method, and apacore does not look the method up by name: it **asks the
method object**, by scoring hypothetical figures for the quarters still to come.

- The method adds quarters up (a sum, increments toward a base): putting a figure ``x`` in
  every remaining quarter gives the same achievement as ``n × x`` in one of them. Then
  ``remaining`` is what the remaining quarters must add together (tiers 30/25/20/10/5 with
  Q1 5 and Q2 7: excellent needs 30, 18 remaining).
- Otherwise (a running figure, an average): ``remaining`` is the figure each remaining
  quarter must report (a running figure: the tier's value; an average: the mean the rest of
  the year must have).
- A deadline (a date goal): the date and the days left from the as-of date (negative: past).
- Dated milestones: the milestones not yet done and the next one's date.
- Lower is better: a tier already held stays reached (0); one an adding method has passed can
  no longer be reached.

A method whose achievement is not linear in the future figures (a plugin's own) gets no
answer rather than a guess: ``remaining`` is None with the reason.

``remaining`` is 0 for a tier already reached. ``can_add`` is the marks the indicator can
still add: its weight minus the marks it holds now (the evaluation "as if the year ended
now"). Everything is exact; rounding happens once, at output.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from apacore.engine.scorecard import IndicatorResult, Scorecard
from apacore.formatting import format_date, format_number, format_value, localise_digits
from apacore.models import TIER_KEYS, Indicator
from apacore.numbers import Reading
from apacore.plugins.contract import CalculationMethod
from apacore.plugins.host import get_registry
from apacore.render.formats import figure_text, section_title, text_table
from apacore.tier_direction import resolve_direction
from apacore.values import frozen
from apacore.words import label, tier_name, unit_name

__all__ = ["IndicatorNeed", "TierNeed", "need", "need_to_dict", "render_need"]


@frozen(kw_only=True)
class TierNeed:
    """One tier (or the single target) of one indicator."""

    tier: str
    """``excellent`` … ``poor``, ``target``, or ``milestones``."""
    achievement: Decimal | dt.date | int
    """The annual achievement the tier needs (a number, a date, or a count of milestones)."""
    reached: bool
    """Whether the achievement so far already reaches it."""
    remaining: Fraction | None
    """0 when reached; else what remains, in the method's terms (see ``kind``); None when
    it cannot be worked out or can no longer be reached (``why`` says which)."""
    kind: str
    """``add`` (the remaining quarters must add this), ``figure`` (each remaining quarter
    must report this figure), ``date`` (days left until the deadline) or ``milestones``."""
    marks: Fraction | None
    """The marks the indicator holds at this tier (weight × tier score / 100)."""
    deadline: dt.date | None = None
    why: str = ""
    quarter_figures: Fraction | None = None
    """For ``add`` when the quarters report in another unit than the achievement (counts
    toward a base while the target is a percentage): what the quarters' own figures must
    add up to; ``remaining`` is always in the achievement's unit, as ``achievement`` is."""


@frozen(kw_only=True)
class IndicatorNeed:
    """What one indicator still needs."""

    result: IndicatorResult
    quarters_left: int
    tiers: tuple[TierNeed, ...]
    can_add: Fraction | None
    """weight − marks now (None without a weight)."""


# --------------------------------------------------------------------------- probing


def _probe(
    method: CalculationMethod,
    ind: Indicator,
    reported: Sequence[Reading | None],
    positions: Sequence[int],
    figure: Fraction,
) -> Fraction | None:
    """The method's achievement with ``figure`` in each quarter of ``positions``."""
    quarters: list[Reading | None] = list(reported) + [None] * (4 - len(reported))
    value = Decimal(figure.numerator) / Decimal(figure.denominator)
    for q in positions:
        quarters[q] = Reading(text=format(value, "f"), value=value)
    try:
        achieved = method.calculate(ind, quarters)
    except Exception:  # a method that refuses a plain figure has no answer here
        return None
    if isinstance(achieved.value, Decimal):
        exact = achieved.exact_value  # the exact quotient behind a rounded mean or share
        return exact if isinstance(exact, Fraction) else None
    return None


@frozen
class _Line:
    """achievement = base + slope × x, for x in every remaining quarter."""

    base: Fraction
    slope: Fraction
    adds: bool
    """True when the quarters add up (x in each of n quarters = n × x in one)."""


def _line(
    method: CalculationMethod, ind: Indicator, reported: Sequence[Reading | None], left: int
) -> _Line | None:
    positions = list(range(4 - left, 4))
    values = [_probe(method, ind, reported, positions, Fraction(x)) for x in (0, 1, 2)]
    if any(v is None for v in values):
        return None
    f0, f1, f2 = (v for v in values if v is not None)
    if f2 - f1 != f1 - f0 or f1 == f0:
        return None
    last = [positions[-1]]
    adds = all(
        _probe(method, ind, reported, last, Fraction(left * x)) == v
        for x, v in ((0, f0), (1, f1), (2, f2))
    )
    return _Line(base=f0, slope=f1 - f0, adds=adds)


# --------------------------------------------------------------------------- goals


def _goals(ind: Indicator) -> list[tuple[str, Decimal | dt.date, int]]:
    """(tier, value, index of its score) for each present tier, or the single target."""
    if ind.tiers is not None:
        return [(k, v, i) for i, (k, v) in enumerate(zip(TIER_KEYS, ind.tiers)) if v is not None]
    target = ind.annual_target
    if target is None:
        return []
    return [("target", target, 0)]


def _marks_at(result: IndicatorResult, score: Fraction) -> Fraction | None:
    weight = result.exact("weight")
    return None if weight is None else weight * score / 100


def _better_or_equal(a: Fraction, b: Fraction, lower: bool) -> bool:
    return a <= b if lower else a >= b


def _number_need(
    result: IndicatorResult,
    tier: str,
    goal: Decimal,
    score: Fraction,
    line: _Line | None,
    left: int,
    lower: bool,
) -> TierNeed:
    so_far = result.achievement
    current = result.exact("achievement") if isinstance(so_far, Decimal) else None
    marks = _marks_at(result, score)
    g = Fraction(goal)

    def answer(
        remaining: Fraction | None,
        kind: str,
        why: str = "",
        reached: bool = False,
        quarter_figures: Fraction | None = None,
    ) -> TierNeed:
        return TierNeed(
            tier=tier,
            achievement=goal,
            reached=reached,
            remaining=remaining,
            kind=kind,
            marks=marks,
            why=why,
            quarter_figures=quarter_figures,
        )

    if current is not None and _better_or_equal(current, g, lower):
        return answer(Fraction(0), "add", reached=True)
    if left == 0:
        return answer(None, "add", "no quarter left")
    if line is None:
        return answer(
            None, "figure", f"method {result.method!r} does not say what its quarters must bring"
        )
    figure = (g - line.base) / line.slope
    if line.adds:
        total = figure * left
        if total < 0:  # lower is better and the quarters so far have passed the tier
            return answer(None, "add", "can no longer be reached")
        if total == g - line.base:  # a quarter's figure is worth its own value
            return answer(total, "add")
        # the quarters report another unit (counts toward a base): what remains is stated
        # in the achievement's unit, as the goal and the figure so far are
        return answer(g - line.base, "add", quarter_figures=total)
    return answer(figure, "figure")


def _date_need(
    result: IndicatorResult, tier: str, goal: dt.date, score: Fraction, as_of: dt.date
) -> TierNeed:
    done = result.achievement
    reached = isinstance(done, dt.date) and done <= goal
    days = (goal - as_of).days
    return TierNeed(
        tier=tier,
        achievement=goal,
        reached=reached,
        remaining=Fraction(0) if reached else Fraction(days),
        kind="date",
        marks=_marks_at(result, score),
        deadline=goal,
        why="" if reached or days >= 0 else "the deadline has passed",
    )


def _milestones_need(result: IndicatorResult, ind: Indicator, as_of: dt.date) -> TierNeed:
    due = ind.milestones or ()
    done = result.achievement if isinstance(result.achievement, tuple) else ()
    on_time = sum(1 for d, when in zip(sorted(done), due) if d <= when)
    left = list(due[len(done) :])
    nxt = left[0] if left else None
    return TierNeed(
        tier="milestones",
        achievement=len(due),
        reached=on_time == len(due),
        remaining=Fraction(len(due) - len(done)),
        kind="milestones",
        marks=_marks_at(result, Fraction(100)),
        deadline=nxt,
        why="" if nxt is None or nxt >= as_of else "the next milestone's date has passed",
    )


def need(
    card: Scorecard, ref: str | None = None, *, tier_scores: Sequence[Decimal] | None = None
) -> list[IndicatorNeed]:
    """What each indicator of ``card`` (or only ``ref``) still needs for each tier.

    ``tier_scores``: the scores of the five tiers (the ruleset's; by default loaded again
    from the card's ruleset by fiscal year and hash)."""
    registry = get_registry()
    scores = [Fraction(s) for s in (tier_scores or _tier_scores(card))]
    left = 4 - card.as_of_quarter
    results = [card.indicator(ref)] if ref is not None else list(card.indicators())
    out = []
    for result in results:
        ind = result.indicator
        if ind is None or result.status not in ("scored", "not_reported"):
            continue
        tiers: list[TierNeed] = []
        if ind.milestones is not None:
            tiers.append(_milestones_need(result, ind, card.as_of))
        else:
            goals = _goals(ind)
            if not goals:
                continue
            reported = list(result.quarters)[: card.as_of_quarter]
            reported += [None] * (card.as_of_quarter - len(reported))
            line = None
            lower = False
            if not isinstance(goals[0][1], dt.date):
                line = _line(registry.method(ind.method), ind, reported, left) if left else None
                if ind.tiers is not None:
                    lower = resolve_direction(ind.tiers, ind.direction) == "lower"
                else:
                    lower = ind.direction == "lower"
            for tier, goal, i in goals:
                score = scores[i] if tier != "target" else Fraction(100)
                if isinstance(goal, dt.date):
                    tiers.append(_date_need(result, tier, goal, score, card.as_of))
                else:
                    tiers.append(_number_need(result, tier, goal, score, line, left, lower))
        weight = result.exact("weight")
        marks = result.exact("marks") or Fraction(0)
        out.append(
            IndicatorNeed(
                result=result,
                quarters_left=left,
                tiers=tuple(tiers),
                can_add=None if weight is None else weight - marks,
            )
        )
    return out


def _tier_scores(card: Scorecard) -> tuple[Decimal, ...]:
    from apacore.loading.rulesets import load_ruleset

    ruleset = load_ruleset(card.ruleset["fiscal_year"], sha256=card.ruleset["sha256"])
    return ruleset.spec.tier_scores()


# --------------------------------------------------------------------------- output


def _n(value: Fraction | None, card: Scorecard, lang: str = "en") -> str | None:
    if value is None:
        return None
    return format_number(value, lang=lang, places=card.places, mode=card.rounding)


def _goal_text(value: Decimal | dt.date | int, lang: str = "en") -> str:
    if isinstance(value, dt.date):
        return value.isoformat() if lang == "json" else format_date(value, lang=lang)
    return format_value(value, lang="en" if lang == "json" else lang)


def _exact_text(value: Fraction | None, card: Scorecard) -> str | None:
    """A remaining figure: exact where it has a short decimal form, else rounded once."""
    if value is None:
        return None
    if (value * 10**5).denominator == 1:
        return format_number(value)
    return _n(value, card)


def need_to_dict(card: Scorecard, needs: Sequence[IndicatorNeed]) -> dict[str, Any]:
    """Plain data for ``--format json`` (ASCII keys; numbers as exact strings)."""
    rows = []
    for n in needs:
        r = n.result
        so_far = r.achievement
        tiers = {}
        for t in n.tiers:
            entry: dict[str, Any] = {
                "achievement": _goal_text(t.achievement, "json"),
                "remaining": _exact_text(t.remaining, card),
                "reached": t.reached,
                "kind": t.kind,
                "marks": _n(t.marks, card),
            }
            if t.deadline is not None:
                entry["deadline"] = t.deadline.isoformat()
            if t.why:
                entry["why"] = t.why
            if t.quarter_figures is not None:
                entry["quarter_figures"] = _exact_text(t.quarter_figures, card)
            tiers[t.tier] = entry
        rows.append(
            {
                "id": r.ref,
                "name_bn": r.name_bn,
                "name_en": r.name_en,
                "method": r.method,
                "unit": r.unit,
                "so_far": None
                if so_far is None
                else (
                    [d.isoformat() for d in so_far]
                    if isinstance(so_far, tuple)
                    else so_far.isoformat()
                    if isinstance(so_far, dt.date)
                    else _exact_text(Fraction(so_far), card)
                ),
                "quarters_left": n.quarters_left,
                "marks": _n(r.exact("marks"), card),
                "can_add": _n(n.can_add, card),
                "tiers": tiers,
            }
        )
    return {
        "office": card.office,
        "office_bn": card.office_bn,
        "fiscal_year": card.fiscal_year,
        "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
        "ruleset": dict(card.ruleset),
        "indicators": rows,
    }


def _remaining_text(t: TierNeed, card: Scorecard, lang: str) -> str:
    if t.reached:
        return localise_digits("0", lang) + f" ({label('reached', lang)})"
    if t.kind == "date" and t.remaining is not None:
        days = int(t.remaining)
        key = "days_left" if days >= 0 else "days_late"
        return label(key, lang, n=localise_digits(str(abs(days)), lang))
    if t.remaining is None:
        return _why_text(t.why, lang)
    text = localise_digits(_exact_text(t.remaining, card) or "-", lang)
    if t.kind == "figure":
        return f"{text} ({label('per_quarter', lang)})"
    if t.quarter_figures is not None:
        figures = localise_digits(_exact_text(t.quarter_figures, card) or "-", lang)
        return f"{text} ({label('in_quarter_figures', lang, n=figures)})"
    if t.kind == "milestones":
        text = label("milestones_due", lang, n=text)
        if t.deadline is not None:
            text += f" ({label('next_by', lang, date=format_date(t.deadline, lang=lang))})"
    return text


_WHY_LABELS = {
    "no quarter left": "no_quarter_left",
    "can no longer be reached": "out_of_reach",
}


def _why_text(why: str, lang: str) -> str:
    """``why`` (English in the JSON) as a person reads it in ``lang``."""
    if not why:
        return "-"
    if why in _WHY_LABELS:
        return label(_WHY_LABELS[why], lang)
    if why.startswith("method ") and lang == "bn":
        return label("method_silent", lang)
    return why


def render_need(
    card: Scorecard, needs: Sequence[IndicatorNeed], fmt: str = "table", lang: str = "en"
) -> str:
    """``need``'s output: ``table`` (for a person, in ``lang``) or ``json``."""
    if fmt == "json":
        return json.dumps(need_to_dict(card, needs), ensure_ascii=False, indent=2) + "\n"
    titles = {r.ref: section_title(s, lang) for s in card.sections for r in s.indicators}
    lines = []
    for n in needs:
        r = n.result
        name = r.name_bn if lang == "bn" else (r.name_en or r.name_bn)
        if r.section != "office":  # an annex row: the annex's name, never its code
            name = f"({titles[r.ref]}) {name}"
        so_far = "-" if r.achievement is None else _achievement_text(r.achievement, card, lang)
        can_add = _n(n.can_add, card, lang) or "-"
        lines.append(
            f"[{localise_digits(r.id, lang)}] {name}".rstrip()
            + f"  ({unit_name(r.unit, lang)}; {label('so_far', lang)} {so_far};"
            f" {label('can_add', lang)} {can_add})"
        )
        rows = [
            [
                tier_name(t.tier, lang),
                _goal_text(t.achievement, lang),
                _remaining_text(t, card, lang),
                _n(t.marks, card, lang) or "-",
            ]
            for t in n.tiers
        ]
        head = [label("tier", lang), label("needed", lang), label("remaining", lang),
                label("tier_marks", lang)]  # fmt: skip
        lines.extend("  " + line for line in text_table(head, rows, numeric={1, 2, 3}))
        lines.append("")
    if not needs:
        lines.append(label("nothing_needed", lang))
    return "\n".join(lines).rstrip("\n") + "\n"


def _achievement_text(value: Any, card: Scorecard, lang: str) -> str:
    return figure_text(value, card, lang)
