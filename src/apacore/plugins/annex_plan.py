"""An agreement's annexes as the office signed them, under its ruleset and the annex
types the plugins register: each annex's rows (the ruleset's standard plan, or the
office's own), its own total and its weight in the APA. The loader checks agreements
against it; the engine scores by it; the audit and the report read it."""

from __future__ import annotations

from decimal import Decimal

from apacore.models import Agreement, Area
from apacore.numbers import exact_sum
from apacore.plugins.contract import Ruleset
from apacore.plugins.host import get_registry
from apacore.values import frozen

__all__ = ["PlanAnnex", "plan_annexes"]


@frozen(kw_only=True)
class PlanAnnex:
    """An annex as the office signed it: its rows, its own total and its APA weight."""

    kind: str
    name_bn: str
    name_en: str
    total: Decimal
    apa_weight: Decimal
    areas: tuple[Area, ...]
    standard: bool


def plan_annexes(agreement: Agreement, ruleset: Ruleset) -> tuple[PlanAnnex, ...]:
    """The agreement's annexes with their rows, totals and APA weights filled in."""
    registry = get_registry()
    out = []
    for annex in agreement.annexes:
        standard = ruleset.annex(annex.kind)
        annex_type = registry.annex_types.get(annex.kind)
        apa_weight = ruleset.spec.annex_weights.get(annex.kind)
        if apa_weight is None and annex_type is not None:
            apa_weight = annex_type.apa_weight
        if annex.standard:
            assert standard is not None  # checked by check_agreement
            areas, total = standard.areas, standard.total
        else:
            areas = annex.areas
            total = (
                annex.total
                if annex.total is not None
                else (
                    standard.total
                    if standard is not None
                    else exact_sum(a.weight for a in annex.areas if a.weight is not None)
                )
            )
        out.append(
            PlanAnnex(
                kind=annex.kind,
                name_bn=standard.name_bn
                if standard
                else (annex_type.bengali_name if annex_type else ""),
                name_en=standard.name_en
                if standard
                else (annex_type.name_en if annex_type else ""),
                total=total,
                apa_weight=apa_weight if apa_weight is not None else Decimal(0),
                areas=areas,
                standard=annex.standard,
            )
        )
    return tuple(out)
