"""Approved revisions of targets, applied: the agreement the engine scores.

An agreement's ``[[revisions]]`` (:class:`~apacore.models.TargetRevision`) give an
indicator new tiers, a new target or a new weight, approved by the superior office on a
date. Targets may be revised once (DOMAIN.md: proposals by 30 September, the ruleset's
``[calendar] revision_proposals``); the approved values then apply and the original stays on
record. :func:`revised_agreement` is the agreement with the revised values in place, which
the engine scores (:func:`apacore.engine.scorecard.score_agreement`), and the revisions as
applied, which every output shows beside the original. It sits below the engine and the
loaders (as :mod:`apacore.plugins.annex_plan` does); their checks are in
:mod:`apacore.loading.revisions`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence

import attrs

from apacore.models import (
    Agreement,
    AppliedRevision,
    Area,
    FieldError,
    Indicator,
    TargetRevision,
)
from apacore.plugins.contract import Ruleset

__all__ = ["apply_revisions", "revise", "revised_agreement"]

_CACHE: OrderedDict[tuple[int, str], tuple[Agreement, Agreement, tuple[AppliedRevision, ...]]]
_CACHE = OrderedDict()
_CACHE_SIZE = 64


def revise(indicator: Indicator, revision: TargetRevision) -> Indicator:
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
                    revised = revise(ind, revision)
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


def apply_revisions(
    agreement: Agreement, ruleset: Ruleset
) -> tuple[Agreement, tuple[AppliedRevision, ...]]:
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
    revised, applied = apply_revisions(agreement, ruleset)
    _CACHE[key] = (agreement, revised, applied)
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return revised, applied
