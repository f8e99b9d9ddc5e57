"""Built-in plugin: the five governance annexes and their usual APA weights."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from apacore.contract import AnnexType
from apacore.hookspecs import hookimpl

ANNEX_TYPES: tuple[AnnexType, ...] = (
    AnnexType(
        kind="integrity",
        name_en="National Integrity Strategy",
        name_bn="জাতীয় শুদ্ধাচার কৌশল",
        apa_weight=Decimal(10),
    ),
    AnnexType(
        kind="egov",
        name_en="e-Governance and Innovation",
        name_bn="ই-গভর্ন্যান্স ও উদ্ভাবন",
        apa_weight=Decimal(10),
    ),
    AnnexType(
        kind="grs",
        name_en="Grievance Redress System",
        name_bn="অভিযোগ প্রতিকার ব্যবস্থা",
        apa_weight=Decimal(4),
    ),
    AnnexType(
        kind="charter",
        name_en="Citizen's Charter",
        name_bn="সেবা প্রদান প্রতিশ্রুতি",
        apa_weight=Decimal(3),
    ),
    AnnexType(
        kind="rti", name_en="Right to Information", name_bn="তথ্য অধিকার", apa_weight=Decimal(3)
    ),
)


@hookimpl
def register_annex_types(register: Callable[[AnnexType], None]) -> None:
    for annex_type in ANNEX_TYPES:
        register(annex_type)
