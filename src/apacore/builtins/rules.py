"""Built-in plugin: the scoring rules tiers, single_target, milestones."""

from __future__ import annotations

from collections.abc import Callable

from apacore.contract import ScoringRule
from apacore.hookspecs import hookimpl
from apacore.rules import BUILTIN_RULES


@hookimpl
def register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    for rule in BUILTIN_RULES:
        register(rule)
