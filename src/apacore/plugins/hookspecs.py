"""The hooks a plugin may implement. Every hook is documented in docs/hooks.md.

Collecting hooks receive a ``register`` callback: call it once per thing you add.
The host calls each plugin's implementation on its own, so that an error names the
plugin, and two plugins registering one name is an error naming both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from apacore.models import Agreement
    from apacore.plugins.contract import (
        AgreementTemplate,
        AnnexType,
        CalculationMethod,
        Ruleset,
        ScoringRule,
    )

PROJECT = "apacore"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def register_calculation_methods(register: Callable[[CalculationMethod], None]) -> None:
    """Add calculation methods: ``register(CalculationMethod(name=..., calculate=...))``.

    A method declares the kind of achievement it ``produces`` and may bring its own
    load-time ``check(indicator)``, called for every indicator that uses it.
    """


@hookspec
def register_scoring_rules(register: Callable[[ScoringRule], None]) -> None:
    """Add scoring rules: ``register(ScoringRule(name=..., score=...))``.

    A rule declares the kinds of achievement it ``accepts`` (and ``uses_tiers``) and may
    bring its own load-time ``check(indicator)``, called for every indicator that uses it.
    """


@hookspec
def register_annex_types(register: Callable[[AnnexType], None]) -> None:
    """Add annex (action plan) kinds: ``register(AnnexType(kind=..., name_en=...))``."""


@hookspec
def ruleset_directories() -> Iterable[Path]:  # type: ignore[empty-body]
    """Return folders that hold fiscal-year ruleset folders (``<dir>/2024-25/ruleset.toml``)."""


@hookspec
def register_templates(register: Callable[[AgreementTemplate], None]) -> None:
    """Add agreement templates for ``apacore new``: ``register(AgreementTemplate(...))``."""


@hookspec
def validate_agreement(agreement: Agreement, ruleset: Ruleset) -> Iterable[str]:  # type: ignore[empty-body]
    """Return problems found in ``agreement`` (one line each); an empty list when none."""
