"""apacore-annex-4ir: a new kind of governance action plan, the 4IR action plan.

Registers the annex type ``fourth_ir`` (চতুর্থ শিল্প বিপ্লব (৪IR) কর্মপরিকল্পনা, a
Fourth Industrial Revolution action plan) with an APA weight of 5. An agreement then
holds the office's own rows of it under ``[[annexes]] kind = "fourth_ir"`` with their
own ``total``; apacore scores them and converts the annex's marks into APA marks like
any built-in annex: ``obtained / total × 5``.

This plan is an **illustration** of what a ministry's plugin can add: it is not one of
the Cabinet Division's five annexes, and no seed document gives its rows or weight. A
complete agreement's weights must still add up to 100 (70 + the ruleset's 30), so the
annex is used in partial agreements, or with a ministry ruleset that lists it in
``[annex_weights]`` (that weight then wins over this plugin's 5).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from apacore.plugins.contract import AnnexType
from apacore.plugins.hookspecs import hookimpl

__all__ = ["ANNEX_TYPE", "KIND", "register_annex_types"]

__version__ = "0.2.0"

KIND = "fourth_ir"
"""What agreements write in ``[[annexes]] kind = ...``."""

ANNEX_TYPE = AnnexType(
    kind=KIND,
    name_en="Fourth Industrial Revolution (4IR) action plan (illustrative)",
    name_bn="চতুর্থ শিল্প বিপ্লব (৪IR) কর্মপরিকল্পনা",
    apa_weight=Decimal(5),
    titles=[r"চতুর্থ\s*শিল্প\s*বিপ্লব", r"(?:৪|4)\s*IR\b", r"fourth\s+industrial\s+revolution"],
)
"""The annex type: its marks in the APA (5) apply where the ruleset does not list it; its
titles let ``apacore import --annex auto`` recognise its table."""


@hookimpl
def register_annex_types(register: Callable[[AnnexType], None]) -> None:
    """Register the ``fourth_ir`` annex type."""
    register(ANNEX_TYPE)
