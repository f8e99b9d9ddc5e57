"""Property tests for plugin authors: hypothesis strategies and a ready property suite.

Install the ``testing`` extra (``pip install 'apacore[testing]'``, which brings
`hypothesis <https://hypothesis.readthedocs.io>`_). Then one line in a plugin's tests
checks a scoring rule or a calculation method against the properties every scorecard
relies on::

    import apacore.testing
    import my_plugin

    TestYesNo = apacore.testing.scoring_rule_tests("yes_no", plugin=my_plugin)

The class holds pytest tests that check, on generated indicators and achievements:

* the raw score is an exact ``fractions.Fraction`` (or ``int``; never a float or a
  Decimal) in [0, 100], inside a :class:`~apacore.RuleResult`;
* it is deterministic (the same inputs twice give the same result);
* it is monotone when the rule says so (:attr:`apacore.ScoringRule.monotone`): a better
  achievement never scores lower (more is better, or less where the indicator's tiers
  or ``direction`` say so; an earlier date is better; nothing is worst);
* it is exact at its targets: a rule that reads tiers (``uses_tiers``) gives each tier
  value that tier's score; any other rule gives the single target (or every dated
  milestone met on its due date) 100.

:func:`calculation_method_tests` does the same for a calculation method: it returns an
:class:`~apacore.Achievement` whose value is a Decimal, a date, a tuple of dates or
None (never a float); it is deterministic; it ignores quarters that reported nothing
(``None`` or ``"-"``); and, when asked (``monotone=True``), a better quarterly figure
never makes the year's achievement worse.

:func:`annex_type_tests` checks an annex type: the importer recognises its titles, its
conversion into APA marks is exact and bounded, it has a Bengali name, and a generated
agreement using it loads, scores and renders in Bengali without English.
:func:`plugin_tests` runs the right suite for everything a plugin module registers and
checks that nothing clashes with the built-ins (``apacore plugins check`` runs the same
checks, briefly, on every installed plugin).

:func:`check_scoring_rule` and :func:`check_calculation_method` run the same checks
directly and raise :class:`PropertyFailure` (an ``AssertionError``) naming the rule or
method, the property and the example. The strategies (:func:`tier_values`,
:func:`date_tiers`, :func:`indicators`, :func:`achievements`, :func:`quarters`,
:func:`contexts`, :func:`agreements`, :func:`reports`) are built with ``st.builds`` and
explicit field strategies, so every object they make passes apacore's own checks.

Example counts and deadlines come from the active hypothesis profile: this package
never sets them. pytest is imported only inside the generated tests.

The package's modules: :mod:`~apacore.testing.strategies` (the strategies),
:mod:`~apacore.testing.rule_properties` and :mod:`~apacore.testing.method_properties`
(the two property suites), :mod:`~apacore.testing.annex_properties` (the annex type's
contract), :mod:`~apacore.testing.plugin_suite` (a whole plugin),
:mod:`~apacore.testing.entry_points` (an installed package's wiring) and
:mod:`~apacore.testing.suite` (what the suites share).
"""

from __future__ import annotations

from apacore.models import Indicator

try:
    import hypothesis  # noqa: F401  (checked first, to say how to install it)
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise ImportError(
        "apacore.testing needs hypothesis: install the extra with pip install 'apacore[testing]'"
    ) from exc

from apacore.testing.annex_properties import ANNEX_PROPERTIES, annex_type_tests, check_annex_type
from apacore.testing.entry_points import entry_point_tests
from apacore.testing.method_properties import (
    METHOD_PROPERTIES,
    calculation_method_tests,
    check_calculation_method,
)
from apacore.testing.plugin_suite import plugin_checks, plugin_contents, plugin_tests
from apacore.testing.rule_properties import RULE_PROPERTIES, check_scoring_rule, scoring_rule_tests
from apacore.testing.strategies import (
    DEFAULT_FISCAL_YEAR,
    INDICATOR_KINDS,
    NUMERIC_UNITS,
    achievements,
    agreements,
    contexts,
    date_tiers,
    fiscal_year_dates,
    indicators,
    quarters,
    reports,
    tier_values,
    unit_values,
)
from apacore.testing.suite import PropertyFailure

__all__ = [
    "ANNEX_PROPERTIES",
    "DEFAULT_FISCAL_YEAR",
    "INDICATOR_KINDS",
    "METHOD_PROPERTIES",
    "NUMERIC_UNITS",
    "RULE_PROPERTIES",
    "PropertyFailure",
    "achievements",
    "agreements",
    "annex_type_tests",
    "calculation_method_tests",
    "check_annex_type",
    "check_calculation_method",
    "check_scoring_rule",
    "contexts",
    "date_tiers",
    "entry_point_tests",
    "fiscal_year_dates",
    "indicators",
    "plugin_checks",
    "plugin_contents",
    "plugin_tests",
    "quarters",
    "reports",
    "rule_of",
    "scoring_rule_tests",
    "tier_values",
    "unit_values",
]


def rule_of(indicator: Indicator) -> str:
    """The name of the scoring rule that scores ``indicator`` (its own ``rule``, else the
    registered rule that takes it by default): to pick an agreement's rows for a rule."""
    from apacore.plugins.host import get_registry

    return get_registry().rule_name_for(indicator)
