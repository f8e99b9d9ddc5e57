"""Built-in plugin: the five governance annexes and their usual APA weights."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from apacore.plugins.contract import AnnexType
from apacore.plugins.hookspecs import hookimpl

ANNEX_TYPES: tuple[AnnexType, ...] = (
    AnnexType(
        kind="integrity",
        name_en="National Integrity Strategy",
        name_bn="জাতীয় শুদ্ধাচার কৌশল",
        apa_weight=Decimal(10),
        # শুল্কার: how the scans misread শুদ্ধাচার
        titles=(r"শুদ্ধাচার", r"শুল্কার", r"\bNIS\b", r"integrity"),
    ),
    AnnexType(
        kind="egov",
        name_en="e-Governance and Innovation",
        name_bn="ই-গভর্ন্যান্স ও উদ্ভাবন",
        apa_weight=Decimal(10),
        titles=(r"ই[-\s]*গভ", r"\be-?gov"),
    ),
    AnnexType(
        kind="grs",
        name_en="Grievance Redress System",
        name_bn="অভিযোগ প্রতিকার ব্যবস্থা",
        apa_weight=Decimal(4),
        titles=(r"অভিযোগ\s*প্রতিকার", r"\bGRS\b", r"grievance"),
    ),
    AnnexType(
        kind="charter",
        name_en="Citizen's Charter",
        name_bn="সেবা প্রদান প্রতিশ্রুতি",
        apa_weight=Decimal(3),
        titles=(r"সেবা\s*প্রদান\s*প্রতিশ", r"সিটিজেন\S*\s*চার্টার", r"citizen'?s?\s*charter"),
    ),
    AnnexType(
        kind="rti",
        name_en="Right to Information",
        name_bn="তথ্য অধিকার",
        apa_weight=Decimal(3),
        titles=(r"তথ্য\s*অধিকার", r"\bRTI\b", r"right to information"),
    ),
)


@hookimpl
def register_annex_types(register: Callable[[AnnexType], None]) -> None:
    for annex_type in ANNEX_TYPES:
        register(annex_type)
