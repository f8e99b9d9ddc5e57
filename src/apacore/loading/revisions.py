"""Approved revisions of targets: checking them and applying them.

An agreement's ``[[revisions]]`` (:class:`~apacore.models.TargetRevision`) give an
indicator new tiers, a new target or a new weight, approved by the superior office on a
date. Targets may be revised once (DOMAIN.md: proposals by 30 September, the ruleset's
``[calendar] revision_proposals``); the approved values then apply and the original stays on
record. :func:`revised_agreement` is the agreement with the revised values in place, which
the engine scores (:func:`apacore.engine.scorecard.score_agreement`), and the revisions as
applied, which every output shows beside the original.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence

import attrs

from apacore.errors import AgreementError
from apacore.formatting import format_number
from apacore.loading.rulesets import Ruleset
from apacore.models import (
    Agreement,
    AppliedRevision,
    Area,
    FieldError,
    Indicator,
    TargetRevision,
)
from apacore.numbers import exact_sum

__all__ = ["check_revisions", "revised_agreement"]

_CACHE: OrderedDict[tuple[int, str], tuple[Agreement, Agreement, tuple[AppliedRevision, ...]]]
_CACHE = OrderedDict()
_CACHE_SIZE = 64


def _revise(indicator: Indicator, revision: TargetRevision) -> Indicator:
    """``indicator`` with the revised values; a revision of a kind the row has not (tiers
    for a single target) is a :class:`FieldError` on that field."""
    for name in ("tiers", "target"):
        if getattr(revision, name) is not None and getattr(indicator, name) is None:
            has = (
                "tiers"
                if indicator.tiers is not None
                else "a single target"
                if indicator.target is not None
                else "milestones"
            )
            raise FieldError(name, f"revises the {name} of {revision.indicator}, which has {has}")
    try:
        return attrs.evolve(indicator, **{k: getattr(revision, k) for k in revision.changed()})
    except FieldError as exc:
        field = exc.field if exc.field in revision.changed() else revision.changed()[0]
        raise FieldError(field, exc.why) from None


def _areas(
    areas: Sequence[Area],
    prefix: str,
    revisions: Mapping[str, TargetRevision],
    out: list[AppliedRevision],
) -> tuple[Area, ...]:
    new_areas = []
    for area in areas:
        activities = []
        for act in area.activities:
            indicators = []
            for ind in act.indicators:
                revision = revisions.get(prefix + ind.id)
                if revision is not None:
                    revised = _revise(ind, revision)
                    out.append(
                        AppliedRevision(
                            ref=prefix + ind.id, original=ind, revised=revised, revision=revision
                        )
                    )
                    ind = revised
                indicators.append(ind)
            activities.append(attrs.evolve(act, indicators=indicators))
        new_areas.append(attrs.evolve(area, activities=activities))
    return tuple(new_areas)


def _apply(agreement: Agreement, ruleset: Ruleset) -> tuple[Agreement, tuple[AppliedRevision, ...]]:
    revisions = {r.indicator: r for r in agreement.revisions}
    applied: list[AppliedRevision] = []
    areas = _areas(agreement.areas, "", revisions, applied)
    annexes = []
    for annex in agreement.annexes:
        prefix = f"{annex.kind}/"
        if not any(ref.startswith(prefix) for ref in revisions):
            annexes.append(annex)
            continue
        standard = ruleset.annex(annex.kind)
        if annex.standard and standard is not None:  # the standard rows, as the office's own
            annex = attrs.evolve(annex, standard=False, areas=standard.areas, total=standard.total)
        annexes.append(attrs.evolve(annex, areas=_areas(annex.areas, prefix, revisions, applied)))
    revised = attrs.evolve(agreement, areas=areas, annexes=annexes, revisions=())
    return revised, tuple(applied)


def revised_agreement(
    agreement: Agreement, ruleset: Ruleset
) -> tuple[Agreement, tuple[AppliedRevision, ...]]:
    """The agreement scoring uses (the revised values in place, its own ``revisions``
    empty) and the revisions as applied; the agreement itself when it has none. Remembered
    per agreement object, so that the engine's plan cache keeps working."""
    if not agreement.revisions:
        return agreement, ()
    key = (id(agreement), ruleset.sha256)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is agreement:
        return hit[1], hit[2]
    revised, applied = _apply(agreement, ruleset)
    _CACHE[key] = (agreement, revised, applied)
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return revised, applied


def check_revisions(
    agreement: Agreement,
    ruleset: Ruleset,
    refs: Mapping[str, Indicator],
    *,
    where: str,
    check: Callable[..., None],
) -> None:
    """Each revision names a known indicator once, is dated inside the year and not after
    the ruleset's revision deadline, gives values the row can take, and keeps every area's
    weights adding up; the revised agreement then passes ``check`` (the agreement's own,
    :func:`apacore.loading.agreements.check_agreement`, passed in: it calls this one)."""
    spec = ruleset.spec
    calendar = spec.calendar
    from apacore.loading.validation import (  # not needed when cached
        check_indicator,
        check_references,
    )
    from apacore.plugins.host import get_registry

    check_references(
        [r.indicator for r in agreement.revisions],
        refs,
        base="$.revisions",
        where=where,
        error=AgreementError,
        unknown="revises unknown indicator",
        twice="is revised twice",
        after=": targets may be revised once",
    )
    for i, revision in enumerate(agreement.revisions):
        path = f"$.revisions[{i}]"
        day = revision.approved_on
        if not spec.starts <= day <= spec.ends:
            raise AgreementError(
                f"{day.isoformat()} is outside the fiscal year {spec.fiscal_year}",
                where=where,
                path=f"{path}.approved_on",
            )
        if calendar is not None and day > calendar.revision_proposals:
            raise AgreementError(
                f"{day.isoformat()} is after the revision deadline"
                f" {calendar.revision_proposals.isoformat()} (ruleset {spec.fiscal_year},"
                " [calendar] revision_proposals)",
                where=where,
                path=f"{path}.approved_on",
            )
        try:
            revised_row = _revise(refs[revision.indicator], revision)
        except FieldError as exc:
            raise AgreementError(exc.why, where=where, path=f"{path}.{exc.field}") from None
        # the revised row passes every check a signed row does (monotone tiers, the
        # method's and the rule's own checks), reported at the revision
        check_indicator(
            revised_row,
            path=path,
            where=where,
            error=AgreementError,
            registry=get_registry(),
            starts=spec.starts,
            ends=spec.ends,
        )
    revised, applied = _apply(agreement, ruleset)
    _check_weights(agreement, revised, applied, where=where)
    try:
        check(revised, ruleset, where=where)
    except AgreementError as exc:
        raise AgreementError(
            f"the agreement with its revisions applied: {exc.path + ': ' if exc.path else ''}{exc.why}",
            where=where,
            path="$.revisions",
        ) from None


def _check_weights(
    agreement: Agreement, revised: Agreement, applied: Sequence[AppliedRevision], *, where: str
) -> None:
    """A weight revision must leave its area's weights adding up to the area's weight."""
    index = {r.indicator: i for i, r in enumerate(agreement.revisions)}
    weighed = {a.ref for a in applied if a.revision.weight is not None}
    if not weighed:
        return
    groups: list[tuple[str, Sequence[Area]]] = [("", revised.areas)]
    groups += [(f"{annex.kind}/", annex.areas) for annex in revised.annexes]
    for prefix, areas in groups:
        for area in areas:
            rows = [ind for ind in area.indicators() if ind.substitute_for is None]
            refs = [prefix + ind.id for ind in rows]
            touched = [ref for ref in refs if ref in weighed]
            if not touched or area.weight is None:
                continue
            total = exact_sum(ind.weight for ind in rows if ind.weight is not None)
            if total != area.weight:
                last = max(touched, key=index.__getitem__)
                raise AgreementError(
                    f"the weights of area {prefix}{area.id} add up to {format_number(total)} with"
                    f" the revised weight{'s' if len(touched) > 1 else ''} of"
                    f" {', '.join(touched)}, not its {format_number(area.weight)}: revise the"
                    " other rows' weights too",
                    where=where,
                    path=f"$.revisions[{index[last]}].weight",
                )
