"""apacore: the rules engine for Bangladesh's Annual Performance Agreements (APA).

Exact, versioned per fiscal year, explainable, and extensible with pluggy plugins.
The public API is listed in ``__all__``; names are imported on first use, so that
``import apacore`` (and ``apacore --version``) stays fast and does nothing else.

>>> import apacore
>>> apacore.tier_score(15, [30, 25, 20, 10, 5])
Decimal('75')
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    # scoring
    "tier_score": "apacore.scoring",
    "RuleResult": "apacore.scoring",
    # numbers and dates
    "parse_value": "apacore.numbers",
    "parse_reading": "apacore.numbers",
    "Reading": "apacore.numbers",
    "Marker": "apacore.numbers",
    "NOT_REPORTED": "apacore.numbers",
    "NOT_APPLICABLE": "apacore.numbers",
    # model
    "Indicator": "apacore.models",
    "Activity": "apacore.models",
    "Area": "apacore.models",
    "Annex": "apacore.models",
    "Agreement": "apacore.models",
    "AgreementAnnex": "apacore.models",
    "Office": "apacore.models",
    "ProgressReport": "apacore.models",
    "ProgressEntry": "apacore.models",
    "Claimed": "apacore.models",
    "Policies": "apacore.models",
    # rulesets
    "Ruleset": "apacore.rulesets",
    "load_ruleset": "apacore.rulesets",
    "available_rulesets": "apacore.rulesets",
    # agreements, reports, scorecards
    "load_office": "apacore.agreements",
    "load_agreement": "apacore.agreements",
    "load_report": "apacore.agreements",
    "score_agreement": "apacore.scorecard",
    "score_path": "apacore.api",
    "audit_scorecard": "apacore.audit",
    "import_table": "apacore.importer",
    "Finding": "apacore.audit",
    "Scorecard": "apacore.scorecard",
    "IndicatorResult": "apacore.scorecard",
    "SectionResult": "apacore.scorecard",
    # plugins
    "hookimpl": "apacore.hookspecs",
    "Achievement": "apacore.registry",
    "AnnexType": "apacore.registry",
    "CalculationMethod": "apacore.registry",
    "ScoringRule": "apacore.registry",
    "RuleContext": "apacore.registry",
    "AgreementTemplate": "apacore.templates",
    "DEFAULT_PLUGINS": "apacore.plugins",
    "get_plugin_manager": "apacore.plugins",
    "register_plugin": "apacore.plugins",
    "unregister_plugin": "apacore.plugins",
    "using_plugin": "apacore.plugins",
    # errors
    "ApacoreError": "apacore.errors",
    "ParseError": "apacore.errors",
    "RulesetError": "apacore.errors",
    "PinError": "apacore.errors",
    "AgreementError": "apacore.errors",
    "ReportError": "apacore.errors",
    "ScoringError": "apacore.errors",
    "PluginError": "apacore.errors",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'apacore' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from apacore.agreements import load_agreement, load_office, load_report
    from apacore.api import score_path
    from apacore.audit import Finding, audit_scorecard
    from apacore.importer import import_table
    from apacore.errors import (
        AgreementError,
        ApacoreError,
        ParseError,
        PinError,
        PluginError,
        ReportError,
        RulesetError,
        ScoringError,
    )
    from apacore.hookspecs import hookimpl
    from apacore.models import (
        Activity,
        Agreement,
        AgreementAnnex,
        Annex,
        Area,
        Claimed,
        Indicator,
        Office,
        Policies,
        ProgressEntry,
        ProgressReport,
    )
    from apacore.numbers import (
        NOT_APPLICABLE,
        NOT_REPORTED,
        Marker,
        Reading,
        parse_reading,
        parse_value,
    )
    from apacore.plugins import (
        DEFAULT_PLUGINS,
        get_plugin_manager,
        register_plugin,
        unregister_plugin,
        using_plugin,
    )
    from apacore.registry import Achievement, AnnexType, CalculationMethod, RuleContext, ScoringRule
    from apacore.rulesets import Ruleset, available_rulesets, load_ruleset
    from apacore.scorecard import IndicatorResult, Scorecard, SectionResult, score_agreement
    from apacore.scoring import RuleResult, tier_score
    from apacore.templates import AgreementTemplate
