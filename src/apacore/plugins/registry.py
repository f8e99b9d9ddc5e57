"""What plugins register, and the registry that holds it.

A plugin contributes :class:`CalculationMethod`, :class:`ScoringRule` and
:class:`AnnexType` objects through the collecting hooks of :mod:`apacore.plugins.hookspecs`
(``register_calculation_methods(register)`` …). The host (:mod:`apacore.plugins.host`)
collects them, each with the plugin that gave it, and builds the :class:`Registry`.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from apacore.errors import ApacoreError, PluginError
from apacore.models import Indicator
from apacore.plugins.contract import AnnexType, CalculationMethod, ScoringRule

__all__ = ["Registry", "checked_name"]


def checked_name(name: object, what: str, plugin: str) -> str:
    """``name`` if it is a valid name for a registered ``what``, else a PluginError naming ``plugin``."""
    if (
        not isinstance(name, str)
        or not name
        or not name.replace("_", "").replace("-", "").isalnum()
    ):
        raise PluginError(
            f"registered {what} with an invalid name {name!r}", where=f"plugin {plugin}"
        )
    return name


@attrs.define
class Registry:
    """Every calculation method, scoring rule and annex type, with the plugin that gave it."""

    methods: dict[str, CalculationMethod] = attrs.field(factory=dict)
    rules: dict[str, ScoringRule] = attrs.field(factory=dict)
    annex_types: dict[str, AnnexType] = attrs.field(factory=dict)
    owners: dict[tuple[str, str], str] = attrs.field(factory=dict)
    """(what, name) → plugin name."""

    @classmethod
    def of(
        cls,
        *,
        methods: Mapping[str, tuple[str, CalculationMethod]],
        rules: Mapping[str, tuple[str, ScoringRule]],
        annex_types: Mapping[str, tuple[str, AnnexType]],
    ) -> Registry:
        """A registry from what the host collected: name → (plugin, item) for each hook."""
        registry = cls()
        for what, table, found in (
            ("calculation method", registry.methods, methods),
            ("scoring rule", registry.rules, rules),
            ("annex type", registry.annex_types, annex_types),
        ):
            for name, (plugin, item) in found.items():
                table[name] = item  # type: ignore[assignment]  # one table per kind
                registry.owners[(what, name)] = plugin
        return registry

    def method(self, name: str) -> CalculationMethod:
        """The calculation method ``name``; an error lists the known ones."""
        try:
            return self.methods[name]
        except KeyError:
            raise ApacoreError(
                f"unknown calculation method {name!r} (known: {', '.join(sorted(self.methods))})"
            ) from None

    def rule(self, name: str) -> ScoringRule:
        """The scoring rule ``name``; an error lists the known ones."""
        try:
            return self.rules[name]
        except KeyError:
            raise ApacoreError(
                f"unknown scoring rule {name!r} (known: {', '.join(sorted(self.rules))})"
            ) from None

    def rule_name_for(self, indicator: Indicator) -> str:
        """The name of the scoring rule ``indicator`` uses: its own ``rule``, else the first
        registered rule whose ``default_for`` takes it."""
        if indicator.rule is not None:
            return indicator.rule
        for name, rule in self.rules.items():
            if rule.default_for is not None and rule.default_for(indicator):
                return name
        raise ApacoreError(
            f"{indicator.id}: names no scoring rule, and no registered rule scores it by default"
        )

    def owner(self, what: str, name: str) -> str:
        """The plugin that registered ``name``."""
        return self.owners.get((what, name), "?")
