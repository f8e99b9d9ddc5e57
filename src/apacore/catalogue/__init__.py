"""What is installed: the plugins, the rulesets they offer and their agreement templates,
as plain data (``apacore plugins --format json``, ``apacore rulesets list|show --format
json``) and as the text those commands print."""

from __future__ import annotations

from typing import Any

from apacore.plugins.contract import Ruleset

__all__ = [
    "plugins_text",
    "plugins_to_dict",
    "ruleset_to_dict",
    "rulesets_text",
    "rulesets_to_dict",
    "templates_text",
    "validated_text",
]

_SHORT = {"calculation method": "method", "scoring rule": "rule", "annex type": "annex"}


def plugins_to_dict() -> list[dict[str, Any]]:
    """Every registered plugin: name, version, the hooks it implements, built-in or not."""
    from apacore.plugins.host import list_plugins

    return [
        {"name": p.name, "version": p.version, "hooks": list(p.hooks), "builtin": p.builtin}
        for p in list_plugins()
    ]


def plugins_text() -> str:
    """The plugins as ``apacore plugins`` lists them, with what each registers."""
    from apacore.plugins.host import get_registry, list_plugins

    registry = get_registry()
    out = []
    for p in list_plugins():
        owned = sorted(
            f"{_SHORT[what]} {name}"
            for (what, name), owner in registry.owners.items()
            if owner == p.name
        )
        tag = " (built-in)" if p.builtin else ""
        out.append(f"{p.name} {p.version}{tag}\n")
        out.append(f"  hooks: {', '.join(p.hooks) or '-'}\n")
        if owned:
            out.append(f"  registers: {', '.join(owned)}\n")
    return "".join(out)


def rulesets_to_dict() -> list[dict[str, Any]]:
    """Every ruleset the plugins offer: fiscal year, version, content hash, plugin."""
    from apacore.loading.rulesets import available_rulesets, load_ruleset

    rows = []
    for fy, (plugin, _folder) in sorted(available_rulesets().items()):
        rs = load_ruleset(fy)
        rows.append(
            {"fiscal_year": fy, "version": rs.version, "sha256": rs.sha256, "plugin": plugin}
        )
    return rows


def rulesets_text() -> str:
    """The rulesets as ``apacore rulesets list`` prints them, one a line."""
    return "".join(
        f"{r['fiscal_year']}  v{r['version']}  {r['sha256']}  {r['plugin']}\n"
        for r in rulesets_to_dict()
    )


def ruleset_to_dict(ruleset: Ruleset) -> dict[str, Any]:
    """A ruleset as plain data: its identity, its settings and its annexes."""
    from apacore.loading.convert import unstructure

    return {
        "identity": ruleset.identity(),
        "ruleset": unstructure(ruleset.spec),
        "annexes": [unstructure(a) for a in ruleset.annexes],
    }


def templates_text() -> str:
    """The agreement templates the plugins offer, one a line (``apacore templates``)."""
    from apacore.loading.templates import available_templates

    out = []
    for (name, fy), (plugin, template) in sorted(available_templates().items()):
        built = f" (ruleset v{template.ruleset_version})" if template.ruleset_version else ""
        out.append(f"{name}  {fy}{built}  {template.level}  {plugin}  {template.description}\n")
    return "".join(out)


def validated_text(path: str, ruleset: Ruleset) -> str:
    """``apacore rulesets validate``'s line for the ruleset folder ``path``, loaded."""
    n = sum(len(a.indicators()) for a in ruleset.annexes)
    return (
        f"{path}: ruleset {ruleset.fiscal_year} v{ruleset.version} is valid"
        f" ({len(ruleset.annexes)} annexes, {n} indicators); sha256 {ruleset.sha256}\n"
    )
