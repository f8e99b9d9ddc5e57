"""What changed between two rulesets: policies, weights, annexes, indicators."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from apacore.loading.convert import unstructure
from apacore.loading.rulesets import Ruleset
from apacore.models import Indicator
from apacore.values import frozen

__all__ = ["Change", "changes_to_dict", "diff_rulesets"]


@frozen(kw_only=True)
class Change:
    """One difference: what kind of change, where, and the two values."""

    kind: str
    """``policy``, ``setting``, ``annex added``, ``annex removed``, ``annex total``,
    ``indicator added``, ``indicator removed``, ``re-weighted``, ``re-targeted``,
    ``method``, ``unit``, ``renamed``, ``applies_to``."""
    where: str
    """``policies.date``, ``egov/4.1.2`` …"""
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        if self.kind in ("indicator added", "annex added"):
            return f"{self.kind:17} {self.where}: {self.new}"
        if self.kind in ("indicator removed", "annex removed"):
            return f"{self.kind:17} {self.where}: {self.old}"
        return f"{self.kind:17} {self.where}: {self.old} -> {self.new}"


def _flat(value: Any) -> Any:
    plain = unstructure(value)
    if isinstance(plain, list):
        return "[" + ", ".join("-" if v is None else str(v) for v in plain) + "]"
    return plain


def _targets(ind: Indicator) -> Any:
    if ind.tiers is not None:
        return "tiers " + _flat(ind.tiers)
    if ind.milestones is not None:
        return "milestones " + _flat(ind.milestones)
    return f"target {_flat(ind.target)}"


def _indicator_changes(ref: str, a: Indicator, b: Indicator) -> Iterator[Change]:
    if a.weight != b.weight:
        yield Change(kind="re-weighted", where=ref, old=_flat(a.weight), new=_flat(b.weight))
    if _targets(a) != _targets(b) or a.direction != b.direction:
        yield Change(kind="re-targeted", where=ref, old=_targets(a), new=_targets(b))
    if a.method != b.method:
        yield Change(kind="method", where=ref, old=a.method, new=b.method)
    if a.unit != b.unit:
        yield Change(kind="unit", where=ref, old=a.unit, new=b.unit)
    if a.name_bn != b.name_bn:
        yield Change(kind="renamed", where=ref, old=a.name_bn, new=b.name_bn)
    if a.applies_to != b.applies_to:
        yield Change(
            kind="applies_to",
            where=ref,
            old=list(a.applies_to) or "all",
            new=list(b.applies_to) or "all",
        )


def diff_rulesets(old: Ruleset, new: Ruleset) -> list[Change]:
    """Every difference from ``old`` to ``new`` that changes how offices are scored."""
    changes: list[Change] = []
    pa, pb = unstructure(old.spec.policies), unstructure(new.spec.policies)
    for key in sorted(set(pa) | set(pb)):
        if pa.get(key) != pb.get(key):
            changes.append(
                Change(kind="policy", where=f"policies.{key}", old=pa.get(key), new=pb.get(key))
            )
    for key in ("office_weight", "governance_weight"):
        va, vb = getattr(old.spec, key), getattr(new.spec, key)
        if va != vb:
            changes.append(Change(kind="setting", where=key, old=_flat(va), new=_flat(vb)))
    for kind in sorted(set(old.spec.annex_weights) | set(new.spec.annex_weights)):
        va, vb = old.spec.annex_weights.get(kind), new.spec.annex_weights.get(kind)
        if va != vb:
            changes.append(
                Change(kind="setting", where=f"annex_weights.{kind}", old=_flat(va), new=_flat(vb))
            )
    if old.spec.tier_scores() != new.spec.tier_scores():
        changes.append(
            Change(
                kind="setting",
                where="tiers",
                old=_flat(old.spec.tier_scores()),
                new=_flat(new.spec.tier_scores()),
            )
        )
    ga = [(g.name, _flat(g.min)) for g in old.spec.grades]
    gb = [(g.name, _flat(g.min)) for g in new.spec.grades]
    if ga != gb:
        changes.append(Change(kind="setting", where="grades", old=ga, new=gb))
    kinds = sorted({a.kind for a in old.annexes} | {a.kind for a in new.annexes})
    for kind in kinds:
        a, b = old.annex(kind), new.annex(kind)
        if a is None:
            assert b is not None
            changes.append(Change(kind="annex added", where=kind, new=b.name_bn))
            continue
        if b is None:
            changes.append(Change(kind="annex removed", where=kind, old=a.name_bn))
            continue
        if a.total != b.total:
            changes.append(
                Change(kind="annex total", where=kind, old=_flat(a.total), new=_flat(b.total))
            )
        ia = {i.id: i for i in a.indicators()}
        ib = {i.id: i for i in b.indicators()}
        for ident in _ordered(ia, ib):
            ref = f"{kind}/{ident}"
            if ident not in ia:
                changes.append(
                    Change(
                        kind="indicator added",
                        where=ref,
                        new=f"{ib[ident].name_bn} (weight {_flat(ib[ident].weight)})",
                    )
                )
            elif ident not in ib:
                changes.append(
                    Change(
                        kind="indicator removed",
                        where=ref,
                        old=f"{ia[ident].name_bn} (weight {_flat(ia[ident].weight)})",
                    )
                )
            else:
                changes.extend(_indicator_changes(ref, ia[ident], ib[ident]))
    return changes


def _ordered(a: dict[str, Indicator], b: dict[str, Indicator]) -> list[str]:
    def key(ident: str) -> tuple[int, ...]:
        return tuple(int(p) for p in ident.split(".") if p.isdigit())

    return sorted(a.keys() | b.keys(), key=key)


def changes_to_dict(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The changes as plain data (``apacore rulesets diff --format json``)."""
    return [{"kind": c.kind, "where": c.where, "old": c.old, "new": c.new} for c in changes]
