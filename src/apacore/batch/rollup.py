"""Rolling a batch up: competition ranks by total marks, overall and per group, and the
summary of each group (count, mean, median, min, max, grade distribution).

Offices are ranked by their total marks as published: the ``total.marks`` of the JSON
contract, rounded once to the ruleset's places, so a reader can check every rank from the
figures shown; where an office has an evaluation (``evaluation.toml``), by its evaluated
total (``evaluation.total.marks``), and its record says which (``ranked_on``). Grades
and the summaries follow the total ranked on. Equal totals share a rank and the next rank skips (1, 2, 2, 4); offices
with equal totals are listed by path.

A grouping (``group_by``) is a folder level below the batch's root, ``level:N`` (the
N-th folder from the root; ``level:-1`` the folder that holds the office's own), or a
field of the office's record: ``office_level``, ``fiscal_year``, ``scope`` or ``grade``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from apacore.batch import OfficeRecord
from apacore.errors import ApacoreError
from apacore.limits import shorten
from apacore.values import frozen

__all__ = [
    "GROUP_FIELDS",
    "NOT_RANKED",
    "Grouping",
    "RankedOffice",
    "Ranking",
    "Summary",
    "competition_ranks",
    "parse_grouping",
    "rank_offices",
    "summarize",
]

GROUP_FIELDS: tuple[str, ...] = ("office_level", "fiscal_year", "scope", "grade")
"""The record fields a batch can be grouped by."""


@frozen
class Grouping:
    """How offices are put into groups: ``level:N`` or a record field."""

    spec: str
    level: int | None = None
    field: str | None = None

    def key(self, record: OfficeRecord) -> str | None:
        """The group of ``record`` (None: the office has no such folder level or field)."""
        if self.field == "grade":
            grade: str | None = record.ranked_total()["grade"]
            return grade
        if self.field is not None:
            value: str = getattr(record, self.field)
            return value
        parts = [] if record.path == "." else record.path.split("/")
        assert self.level is not None
        if self.level > 0:
            return parts[self.level - 1] if len(parts) >= self.level else None
        above = parts[:-1]  # the folders that hold the office's own
        return above[self.level] if len(above) >= -self.level else None


def parse_grouping(spec: str) -> Grouping:
    """``level:N`` (N ≠ 0) or one of :data:`GROUP_FIELDS`; anything else is an error."""
    text = spec.strip()
    if text.startswith("level:"):
        number = text.removeprefix("level:").strip()
        if re.fullmatch(r"-?[0-9]{1,6}", number) and int(number) != 0:
            return Grouping(spec=text, level=int(number))
        raise ApacoreError(
            f"{shorten(repr(spec))}: a folder level is level:N with N = 1 for the first folder below"
            " the root (or -1 for the folder that holds the office's)",
            argument="group_by",
        )
    if text in GROUP_FIELDS:
        return Grouping(spec=text, field=text)
    hint = "give "
    if text == "level":
        hint = "give office_level for the office's level, or "
    elif text:
        hint = f"an agreement has no field {text!r}; if the folders name it, give "
    raise ApacoreError(
        f"cannot group by {shorten(repr(spec))}: {hint}level:N, the N-th folder level below the root"
        f" (e.g. the folder of each district), or a field: {', '.join(GROUP_FIELDS)}",
        argument="group_by",
    )


def competition_ranks(totals: Sequence[Decimal]) -> list[int]:
    """The competition rank of each total, highest first: 1, 2, 2, 4."""
    order = sorted(range(len(totals)), key=lambda i: totals[i], reverse=True)
    ranks = [0] * len(totals)
    for position, i in enumerate(order):
        if position and totals[i] == totals[order[position - 1]]:
            ranks[i] = ranks[order[position - 1]]
        else:
            ranks[i] = position + 1
    return ranks


def _total(record: OfficeRecord) -> Decimal:
    return Decimal(record.ranked_total()["marks"])


@frozen(kw_only=True)
class GradeCount:
    """How many offices of a group earned a grade (None: no grade, a partial agreement)."""

    grade: str | None
    grade_bn: str | None
    count: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the JSON contract."""
        return attrs.asdict(self)


@frozen(kw_only=True)
class Summary:
    """The totals of a group of offices (or of the whole batch: ``group`` None)."""

    group: str | None
    count: int
    mean: Decimal
    """Rounded once, to as many places as the totals have; half-up."""
    median: Decimal
    min: Decimal
    max: Decimal
    grades: tuple[GradeCount, ...]
    """From the best total down."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the JSON contract: numbers as exact strings."""
        return {
            "group": self.group,
            "count": self.count,
            "mean": format(self.mean, "f"),
            "median": format(self.median, "f"),
            "min": format(self.min, "f"),
            "max": format(self.max, "f"),
            "grades": [g.to_dict() for g in self.grades],
        }


def summarize(records: Sequence[OfficeRecord], group: str | None = None) -> Summary:
    """Count, mean, median, min, max and grade distribution of ``records``' totals.

    ``records`` are in rank order (best first); there is at least one.
    """
    from apacore.formatting import round_value

    if not records:
        raise ValueError("no offices to summarize")
    totals = sorted(_total(r) for r in records)
    places = max(-int(t.as_tuple().exponent) for t in totals)
    n = len(totals)
    mean = sum((Fraction(t) for t in totals), Fraction(0)) / n
    middle = (Fraction(totals[(n - 1) // 2]) + Fraction(totals[n // 2])) / 2
    counts: dict[str | None, GradeCount] = {}
    for r in records:
        grade = r.ranked_total()["grade"]
        seen = counts.get(grade)
        counts[grade] = GradeCount(
            grade=grade, grade_bn=r.ranked_grade_bn, count=1 if seen is None else seen.count + 1
        )
    return Summary(
        group=group,
        count=n,
        mean=round_value(mean, places),
        median=round_value(middle, places),
        min=totals[0],
        max=totals[-1],
        grades=tuple(counts.values()),
    )


@frozen(kw_only=True)
class RankedOffice:
    """An office's record with its ranks, or the reason it is not ranked."""

    record: OfficeRecord
    rank: int | None
    """Among the comparable offices of the batch (None: not ranked, see ``not_ranked``)."""
    group: str | None = None
    group_rank: int | None = None
    """Among the comparable offices of its group (None without a grouping, or not ranked)."""
    not_ranked: str | None = None
    """Why the office is not ranked: a key of :data:`NOT_RANKED` (None: it is ranked)."""
    cohort: str = ""
    """With ``not_ranked == "other_period"``: the fiscal year, quarter and maximum of the
    offices that are ranked, which this office's differ from."""

    def why(self, lang: str = "en") -> str:
        """Why the office is not ranked, a sentence in ``lang`` ("" when it is ranked)."""
        if self.not_ranked is None:
            return ""
        from apacore.words import label

        r = self.record
        return label(
            f"not_ranked_{self.not_ranked}",
            lang,
            own=_cohort_text(_cohort_key(r), lang),
            ranked=self.cohort if lang == "en" else _bn(self.cohort),
        )

    def to_dict(self) -> dict[str, Any]:
        """The record's plain data with ``rank``, ``group``, ``group_rank`` and, for an
        office not ranked, ``not_ranked`` (``{"reason": key, "why": sentence}``)."""
        return {
            **self.record.to_dict(),
            "rank": self.rank,
            "group": self.group,
            "group_rank": self.group_rank,
            "not_ranked": None
            if self.not_ranked is None
            else {"reason": self.not_ranked, "why": self.why("en"), "why_bn": self.why("bn")},
        }


NOT_RANKED: tuple[str, ...] = ("no_report", "nothing_reported", "partial", "other_period")
"""Why an office is left out of a ranking: it has no report; its report gives no figure;
its agreement is partial (its total is not out of the agreement's whole maximum); its
fiscal year, quarter or maximum differs from the offices ranked (the most common one)."""


def _cohort_key(record: OfficeRecord) -> tuple[str, int, str]:
    return (record.fiscal_year, int(record.as_of["quarter"]), str(record.ranked_total()["max"]))


def _cohort_text(key: tuple[str, int, str], lang: str = "en") -> str:
    fy, quarter, maximum = key
    if lang == "bn":
        from apacore.words import quarter_name

        return _bn(f"{fy}, {quarter_name(quarter, 'bn')}, সর্বোচ্চ {maximum}")
    return f"{fy}, Q{quarter}, out of {maximum}"


def _bn(text: str) -> str:
    from apacore.numbers import to_bengali_digits

    return to_bengali_digits(text)


def _comparable(
    records: Sequence[OfficeRecord],
) -> tuple[list[OfficeRecord], dict[str, tuple[str, str]]]:
    """The offices that can be ranked against each other, and for each other office (by
    path) the reason and the ranked offices' fiscal year, quarter and maximum.

    An office is ranked only with a report that gives figures, under a complete
    agreement, and with the fiscal year, quarter and maximum most offices share (ties: the
    later year, the later quarter, the larger maximum)."""
    reasons: dict[str, tuple[str, str]] = {}
    eligible = []
    for r in records:
        if not r.has_report:
            reasons[r.path] = ("no_report", "")
        elif not r.reported:
            reasons[r.path] = ("nothing_reported", "")
        elif r.scope != "complete":
            reasons[r.path] = ("partial", "")
        else:
            eligible.append(r)
    if not eligible:
        return [], reasons
    counts: dict[tuple[str, int, str], int] = {}
    for r in eligible:
        counts[_cohort_key(r)] = counts.get(_cohort_key(r), 0) + 1
    best = max(counts, key=lambda k: (counts[k], k[0], k[1], Decimal(k[2])))
    ranked = [r for r in eligible if _cohort_key(r) == best]
    for r in eligible:
        if _cohort_key(r) != best:
            reasons[r.path] = ("other_period", _cohort_text(best))
    return ranked, reasons


@frozen(kw_only=True)
class Ranking:
    """A batch rolled up: every office ranked, best first, with the summaries."""

    offices: tuple[RankedOffice, ...]
    overall: Summary | None
    """None when no office was scored."""
    groups: tuple[Summary, ...] = ()
    """One per group, by group name (offices without the group's level or field last)."""
    grouping: Grouping | None = None

    def in_group(self, group: str | None) -> list[RankedOffice]:
        """The ranked offices of ``group``, by their rank in it."""
        return sorted(
            (o for o in self.offices if o.group == group and o.rank is not None),
            key=lambda o: (o.group_rank or 0, o.record.path),
        )

    @property
    def ranked(self) -> tuple[RankedOffice, ...]:
        """The offices ranked, best first."""
        return tuple(o for o in self.offices if o.rank is not None)

    @property
    def not_ranked(self) -> tuple[RankedOffice, ...]:
        """The offices scored but not ranked, by path, each with its reason."""
        return tuple(o for o in self.offices if o.rank is None)


def rank_offices(records: Iterable[OfficeRecord], grouping: Grouping | None = None) -> Ranking:
    """Rank ``records`` by total marks, overall and (with ``grouping``) within each group,
    only the comparable ones (:data:`NOT_RANKED` says why the others are not); they are
    listed after the ranked ones, by path, with their reason. The summaries are of the
    ranked offices."""
    every = list(records)
    comparable, reasons = _comparable(every)
    others = tuple(
        RankedOffice(
            record=r,
            rank=None,
            group=None if grouping is None else grouping.key(r),
            not_ranked=reasons[r.path][0],
            cohort=reasons[r.path][1],
        )
        for r in sorted((r for r in every if r.path in reasons), key=lambda r: r.path)
    )
    ranking = _rank(comparable, grouping)
    return attrs.evolve(ranking, offices=ranking.offices + others)


def _rank(records: Iterable[OfficeRecord], grouping: Grouping | None) -> Ranking:
    ordered = sorted(records, key=lambda r: (-_total(r), r.path))
    ranks = competition_ranks([_total(r) for r in ordered])
    if grouping is None:
        offices = tuple(RankedOffice(record=r, rank=k) for r, k in zip(ordered, ranks))
        overall = summarize(ordered) if ordered else None
        return Ranking(offices=offices, overall=overall)
    keys = [grouping.key(r) for r in ordered]
    members: dict[str | None, list[int]] = {}
    for i, key in enumerate(keys):
        members.setdefault(key, []).append(i)
    group_rank = [0] * len(ordered)
    for indexes in members.values():
        for i, k in zip(indexes, competition_ranks([_total(ordered[i]) for i in indexes])):
            group_rank[i] = k
    offices = tuple(
        RankedOffice(record=r, rank=k, group=g, group_rank=gk)
        for r, k, g, gk in zip(ordered, ranks, keys, group_rank)
    )
    names = sorted(members, key=lambda g: (g is None, g or ""))
    groups = tuple(summarize([ordered[i] for i in members[g]], g) for g in names)
    return Ranking(
        offices=offices,
        overall=summarize(ordered) if ordered else None,
        groups=groups,
        grouping=grouping,
    )
