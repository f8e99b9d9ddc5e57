"""Everything a plugin registers, checked at once (:func:`plugin_tests`, :func:`plugin_checks`):
the right property suite for each scoring rule, calculation method and annex type, each
template writing an agreement that loads, a Bengali name for each, and no clash with
apacore's built-ins. ``apacore plugins check`` runs the same checks on every installed
plugin.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import hypothesis
from hypothesis.strategies import SearchStrategy

from apacore.errors import ApacoreError
from apacore.models import Indicator
from apacore.plugins.host import DEFAULT_PLUGINS, get_plugin_manager, get_registry
from apacore.testing.annex_properties import ANNEX_PROPERTIES, _AnnexSuite
from apacore.testing.method_properties import METHOD_PROPERTIES, _MethodSuite
from apacore.testing.rule_properties import RULE_PROPERTIES, _RuleSuite
from apacore.testing.strategies import DEFAULT_FISCAL_YEAR
from apacore.testing.suite import PropertyFailure, _ident, _registered, _skip
from apacore.values import frozen

TESTING_INDICATORS = "apacore_testing_indicators"
"""The optional function of a plugin module that returns ``{name: strategy}``: the
indicators its rules, methods or annex types are tried on, where apacore's defaults
(drawn from what each declares) do not fit, e.g. a rule that reads ``rule_params``."""

_SHORT = {"calculation method": "method", "scoring rule": "rule", "annex type": "annex"}


@frozen(kw_only=True)
class PluginContents:
    """What a plugin registers, found by registering it beside the built-ins."""

    name: str
    """The plugin's name (its entry point, or the name given)."""
    registered: tuple[tuple[str, str], ...] = ()
    """``(what, name)``: ``("scoring rule", "target_met")``, ``("annex type", "procurement")`` …"""
    templates: tuple[tuple[str, str], ...] = ()
    """``(template name, fiscal year)``."""
    error: str = ""
    """Why it could not be registered beside the built-ins (a clash, a hook that raises)."""


def plugin_contents(module: object, *, name: str | None = None) -> PluginContents:
    """What ``module`` registers (it is registered for the look, unless it is already)."""
    from apacore.loading.templates import available_templates

    try:
        with _registered(module, name):
            plugin = get_plugin_manager().get_name(module) or name or "?"
            registry = get_registry()
            registered = tuple(
                sorted(key for key, owner in registry.owners.items() if owner == plugin)
            )
            templates = tuple(
                sorted(key for key, (owner, _) in available_templates().items() if owner == plugin)
            )
    except ApacoreError as exc:
        shown = name or str(getattr(module, "__name__", "?"))
        return PluginContents(name=shown, error=str(exc))
    return PluginContents(name=plugin, registered=registered, templates=templates)


def _indicators_for(module: object, given: Mapping[str, SearchStrategy[Indicator]] | None) -> Any:
    if given is not None:
        return dict(given)
    declared = getattr(module, TESTING_INDICATORS, None)
    return dict(declared()) if callable(declared) else {}


def plugin_checks(
    module: object,
    *,
    name: str | None = None,
    indicators: Mapping[str, SearchStrategy[Indicator]] | None = None,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    settings: hypothesis.settings | None = None,
) -> list[tuple[str, Callable[[], bool]]]:
    """``(label, check)`` for everything ``module`` registers. A check raises
    :class:`PropertyFailure` (or another exception) when it fails, and returns False when
    it does not apply (the monotone property of a rule that says ``monotone=False``)."""
    contents = plugin_contents(module, name=name)
    plugin = contents.name

    def clashes() -> bool:
        if contents.error:
            raise PropertyFailure(f"plugin {plugin} cannot be registered: {contents.error}")
        with _registered(module, name):
            registry = get_registry()  # a clash is a PluginError naming both plugins
            builtin = {k for k, owner in registry.owners.items() if owner in DEFAULT_PLUGINS}
            ours = {k for k, owner in registry.owners.items() if owner == plugin}
            if ours & builtin:
                raise PropertyFailure(f"plugin {plugin} registers built-in names: {ours & builtin}")
        return True

    checks: list[tuple[str, Callable[[], bool]]] = [("nothing clashes with the built-ins", clashes)]
    if contents.error:
        return checks

    def bengali_names() -> bool:
        with _registered(module, name):
            registry = get_registry()
            tables: dict[str, Mapping[str, Any]] = {
                "calculation method": registry.methods,
                "scoring rule": registry.rules,
                "annex type": registry.annex_types,
            }
            missing = [
                f"{what} {key!r} (Bengali output shows {tables[what][key].bengali_name!r})"
                for what, key in contents.registered
                if what != "annex type" and not tables[what][key].name_bn  # its own suite's
            ]
        if missing:
            raise PropertyFailure(
                f"plugin {plugin}: no Bengali name (name_bn) for {'; '.join(missing)}"
            )
        return True

    checks.append(("Bengali names", bengali_names))
    domains = _indicators_for(module, indicators)
    common: dict[str, Any] = dict(
        fiscal_year=fiscal_year, plugin=module, plugin_name=name, settings=settings
    )
    for what, key in contents.registered:
        inds = domains.get(key)
        suite: Any
        if what == "scoring rule":
            suite = _RuleSuite(
                rule=key, indicators=inds, achievements=None, contexts=None, **common
            )
            props = RULE_PROPERTIES
        elif what == "calculation method":
            suite = _MethodSuite(
                method=key, indicators=inds, quarters=None, monotone=False, **common
            )
            props = tuple(p for p in METHOD_PROPERTIES if p != "monotone")
        else:
            suite = _AnnexSuite(annex_type=key, indicators=inds, **common)
            props = ANNEX_PROPERTIES
        for prop in props:
            checks.append((f"{_SHORT[what]} {key}: {prop.replace('_', ' ')}", _bind(suite, prop)))
    for template, year in contents.templates:
        checks.append(
            (f"template {template} ({year}): writes an agreement that loads",
             _template_check(module, name, template, year)),
        )  # fmt: skip
    return checks


def _bind(suite: Any, prop: str) -> Callable[[], bool]:
    return lambda: bool(suite.run(prop))


def _template_check(
    module: object, name: str | None, template: str, year: str
) -> Callable[[], bool]:
    def check() -> bool:
        from apacore.engine.scorecard import score_agreement
        from apacore.loading.agreements import load_office
        from apacore.loading.templates import new_agreement

        with _registered(module, name), tempfile.TemporaryDirectory(prefix="apacore-") as tmp:
            text = new_agreement(template, year, office_bn="পরীক্ষার কার্যালয়")
            (Path(tmp) / "agreement.toml").write_text(text, encoding="utf-8")
            try:
                office = load_office(Path(tmp), use_cache=False)
                score_agreement(office.agreement, office.report, office.ruleset)
            except ApacoreError as exc:
                raise PropertyFailure(
                    f"template {template!r} ({year}): the agreement it writes does not load: {exc}"
                ) from None
        return True

    return check


def plugin_tests(
    module: ModuleType,
    *,
    name: str | None = None,
    indicators: Mapping[str, SearchStrategy[Indicator]] | None = None,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    settings: hypothesis.settings | None = None,
) -> type:
    """A test class with a test for everything ``module`` registers (see
    :func:`plugin_checks`): one line in a plugin's tests::

        TestPlugin = apacore.testing.plugin_tests(apacore_procurement)

    ``name`` is the plugin's name while it is registered for the tests (default: its
    entry point's when installed, else the module's). ``indicators`` maps a rule's,
    method's or annex kind's name to the indicators to try it on; without it the
    module's own ``apacore_testing_indicators()``, if any, is asked.
    """
    body: dict[str, Any] = {}
    for label, check in plugin_checks(
        module, name=name, indicators=indicators, fiscal_year=fiscal_year, settings=settings
    ):
        body[f"test_{_ident(label.replace(': ', '__').replace(' ', '_'))}"] = _test(label, check)
    body["__doc__"] = (
        f"Everything plugin {getattr(module, '__name__', module)} registers (apacore.testing)."
    )
    return type(f"TestPlugin_{_ident(getattr(module, '__name__', 'plugin'))}", (), body)


def _test(label: str, check: Callable[[], bool]) -> Callable[[Any], None]:
    def test(self: Any) -> None:
        if not check():
            _skip(f"{label}: does not apply")

    test.__doc__ = f"{label[0].upper()}{label[1:]}."
    return test
