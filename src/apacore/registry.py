"""What plugins register, and the registry that holds it.

A plugin contributes :class:`CalculationMethod`, :class:`ScoringRule` and
:class:`AnnexType` objects through the collecting hooks of :mod:`apacore.hookspecs`
(``register_calculation_methods(register)`` …). The host calls each plugin's hook on
its own, so that a plugin that raises, or registers a name another plugin already has,
is reported by name.
"""

from __future__ import annotations

from typing import Any

import attrs

from apacore.contract import AnnexType, CalculationMethod, ScoringRule
from apacore.errors import ApacoreError, PluginError

__all__ = ["Registry"]


def _check_name(name: object, what: str, plugin: str) -> str:
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

    def add(self, what: str, item: Any, plugin: str) -> None:
        """Add ``item`` (a method, rule or annex type) from ``plugin``; a second owner is an error."""
        table: dict[str, Any]
        expected: type
        if what == "calculation method":
            table, expected, key = self.methods, CalculationMethod, "name"
        elif what == "scoring rule":
            table, expected, key = self.rules, ScoringRule, "name"
        else:
            table, expected, key = self.annex_types, AnnexType, "kind"
        if not isinstance(item, expected):
            raise PluginError(
                f"registered a {what} that is not an apacore.{expected.__name__}: {item!r}",
                where=f"plugin {plugin}",
            )
        name = _check_name(getattr(item, key), what, plugin)
        if name in table:
            first = self.owners[(what, name)]
            raise PluginError(
                f"{what} {name!r} is registered by both plugin {first} and plugin {plugin}"
            )
        table[name] = item  # type: ignore[assignment]  # checked by isinstance above
        self.owners[(what, name)] = plugin

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

    def owner(self, what: str, name: str) -> str:
        """The plugin that registered ``name``."""
        return self.owners.get((what, name), "?")
