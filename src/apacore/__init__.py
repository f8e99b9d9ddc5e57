"""apacore: the rules engine for Bangladesh's Annual Performance Agreements (APA).

Exact, versioned per fiscal year, explainable, and extensible with pluggy plugins.
The public API is listed in ``__all__``; names are imported on first use, so that
``import apacore`` (and ``apacore --version``) stays fast and does nothing else.

>>> import apacore
>>> apacore.tier_score(15, [30, 25, 20, 10, 5])
Decimal('75')
"""

from __future__ import annotations

from apacore._version import __version__

TYPE_CHECKING = False  # not imported from typing: `import apacore` imports nothing else

_EXPORTS = {
    # scoring
    "tier_score": "apacore.engine.scoring",
    "RuleResult": "apacore.plugins.contract",
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
    "Ruleset": "apacore.plugins.contract",
    "load_ruleset": "apacore.loading.rulesets",
    "available_rulesets": "apacore.loading.rulesets",
    # agreements, reports, scorecards
    "load_office": "apacore.loading.agreements",
    "load_agreement": "apacore.loading.agreements",
    "load_report": "apacore.loading.agreements",
    "score_agreement": "apacore.engine.scorecard",
    "score_path": "apacore.office",
    "load_office_texts": "apacore.loading.agreements",
    "OfficeFiles": "apacore.loading.agreements",
    "score_office": "apacore.office",
    "ScoredOffice": "apacore.office",
    "error_line": "apacore.errors",
    "json_text": "apacore.formatting",
    "explanation_text": "apacore.office.explanation",
    "explanation_to_dict": "apacore.office.explanation",
    "audit_office": "apacore.audit",
    "audit_to_dict": "apacore.audit",
    "need_to_dict": "apacore.office.need",
    "plugins_to_dict": "apacore.catalogue",
    "rulesets_to_dict": "apacore.catalogue",
    "ruleset_to_dict": "apacore.catalogue",
    "changes_to_dict": "apacore.catalogue.diff",
    "diff_rulesets": "apacore.catalogue.diff",
    "batch_to_dict": "apacore.batch.output",
    "score_many": "apacore.batch",
    "audit_scorecard": "apacore.audit",
    "import_table": "apacore.importer",
    "Finding": "apacore.audit.findings",
    "Scorecard": "apacore.engine.scorecard",
    "scorecard_to_dict": "apacore.render.formats",
    "rounded_view": "apacore.render.formats",
    "IndicatorResult": "apacore.engine.scorecard",
    "SectionResult": "apacore.engine.scorecard",
    # plugins
    "hookimpl": "apacore.plugins.hookspecs",
    "Achievement": "apacore.plugins.contract",
    "AnnexType": "apacore.plugins.contract",
    "CalculationMethod": "apacore.plugins.contract",
    "ScoringRule": "apacore.plugins.contract",
    "RuleContext": "apacore.plugins.contract",
    "AgreementTemplate": "apacore.plugins.contract",
    "DEFAULT_PLUGINS": "apacore.plugins.host",
    "get_plugin_manager": "apacore.plugins.host",
    "register_plugin": "apacore.plugins.host",
    "unregister_plugin": "apacore.plugins.host",
    "using_plugin": "apacore.plugins.host",
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
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs
    from typing import Any

    from apacore.loading.agreements import (
        load_agreement as load_agreement,
        load_office as load_office,
        load_report as load_report,
    )
    from apacore.office import (
        score_path as score_path,
    )
    from apacore.audit import (
        audit_scorecard as audit_scorecard,
    )
    from apacore.audit.findings import (
        Finding as Finding,
    )
    from apacore.importer import (
        import_table as import_table,
    )
    from apacore.errors import (
        AgreementError as AgreementError,
        ApacoreError as ApacoreError,
        ParseError as ParseError,
        PinError as PinError,
        PluginError as PluginError,
        ReportError as ReportError,
        RulesetError as RulesetError,
        ScoringError as ScoringError,
    )
    from apacore.plugins.hookspecs import (
        hookimpl as hookimpl,
    )
    from apacore.models import (
        Activity as Activity,
        Agreement as Agreement,
        AgreementAnnex as AgreementAnnex,
        Annex as Annex,
        Area as Area,
        Claimed as Claimed,
        Indicator as Indicator,
        Office as Office,
        Policies as Policies,
        ProgressEntry as ProgressEntry,
        ProgressReport as ProgressReport,
    )
    from apacore.numbers import (
        NOT_APPLICABLE as NOT_APPLICABLE,
        NOT_REPORTED as NOT_REPORTED,
        Marker as Marker,
        Reading as Reading,
        parse_reading as parse_reading,
        parse_value as parse_value,
    )
    from apacore.plugins.host import (
        DEFAULT_PLUGINS as DEFAULT_PLUGINS,
        get_plugin_manager as get_plugin_manager,
        register_plugin as register_plugin,
        unregister_plugin as unregister_plugin,
        using_plugin as using_plugin,
    )
    from apacore.plugins.contract import (
        Achievement as Achievement,
        AnnexType as AnnexType,
        CalculationMethod as CalculationMethod,
        RuleContext as RuleContext,
        ScoringRule as ScoringRule,
    )
    from apacore.plugins.contract import Ruleset as Ruleset
    from apacore.render.formats import (
        rounded_view as rounded_view,
        scorecard_to_dict as scorecard_to_dict,
    )
    from apacore.loading.rulesets import (
        available_rulesets as available_rulesets,
        load_ruleset as load_ruleset,
    )
    from apacore.engine.scorecard import (
        IndicatorResult as IndicatorResult,
        Scorecard as Scorecard,
        SectionResult as SectionResult,
        score_agreement as score_agreement,
    )
    from apacore.engine.scoring import tier_score as tier_score
    from apacore.plugins.contract import RuleResult as RuleResult
    from apacore.plugins.contract import AgreementTemplate as AgreementTemplate
    from apacore.loading.agreements import load_office_texts as load_office_texts
    from apacore.loading.agreements import OfficeFiles as OfficeFiles
    from apacore.office import score_office as score_office
    from apacore.office import ScoredOffice as ScoredOffice
    from apacore.errors import error_line as error_line
    from apacore.formatting import json_text as json_text
    from apacore.office.explanation import explanation_text as explanation_text
    from apacore.office.explanation import explanation_to_dict as explanation_to_dict
    from apacore.audit import audit_office as audit_office
    from apacore.audit import audit_to_dict as audit_to_dict
    from apacore.office.need import need_to_dict as need_to_dict
    from apacore.catalogue import plugins_to_dict as plugins_to_dict
    from apacore.catalogue import rulesets_to_dict as rulesets_to_dict
    from apacore.catalogue import ruleset_to_dict as ruleset_to_dict
    from apacore.catalogue.diff import changes_to_dict as changes_to_dict
    from apacore.catalogue.diff import diff_rulesets as diff_rulesets
    from apacore.batch.output import batch_to_dict as batch_to_dict
    from apacore.batch import score_many as score_many
