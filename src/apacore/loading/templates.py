"""Agreement templates: an office type's own indicators for a fiscal year, for ``apacore new``.

A plugin registers :class:`AgreementTemplate` objects through ``register_templates``.
A template file is TOML: ``name``, ``fiscal_year``, ``level``, ``ruleset_version`` (the
ruleset version it was built for), ``source``, ``note``, and ``[[areas]]`` exactly as in
an agreement. :func:`new_agreement` writes a complete agreement: the office, the
template's areas and the five annexes of that year as the ruleset's standard plans,
pinned to the ruleset's hash.
"""

from __future__ import annotations

from typing import Any

import attrs

from apacore.errors import ApacoreError, PluginError
from apacore.loading.convert import read_toml, structure
from apacore.loading.rulesets import Ruleset, load_ruleset
from apacore.models import LEVELS, Area
from apacore.plugins.contract import AgreementTemplate
from apacore.plugins.host import collect
from apacore.toml_text import to_toml
from apacore.values import frozen

__all__ = ["AgreementTemplate", "available_templates", "new_agreement", "to_toml"]


def available_templates() -> dict[tuple[str, str], tuple[str, AgreementTemplate]]:
    """(name, fiscal year) → (plugin, template); one registered twice names both plugins."""
    return collect(
        "register_templates",
        "template",
        AgreementTemplate,
        lambda t, plugin: (t.name, t.fiscal_year),
        shown=lambda key: f"{key[0]!r} for {key[1]}",
    )


@frozen(kw_only=True)
class _TemplateFile:
    name: str
    fiscal_year: str
    level: str
    source: str
    areas: tuple[Area, ...] = attrs.field(converter=tuple)
    ruleset_version: str | None = None
    note: str = ""


def _plain(area: Area) -> dict[str, Any]:
    """An area as plain data for :func:`to_toml`, numbers and dates kept as they are."""

    def prune(obj: Any) -> Any:
        if isinstance(obj, dict):
            return {
                k: prune(v)
                for k, v in obj.items()
                if v not in (None, "", (), [], {}) or k == "weight"
            }
        if isinstance(obj, (list, tuple)):
            return [prune(v) for v in obj]
        return obj

    plain = prune(attrs.asdict(area, recurse=True))
    assert isinstance(plain, dict)
    return plain


def new_agreement(
    template_name: str,
    fiscal_year: str,
    *,
    office_bn: str,
    office_en: str = "",
    level: str | None = None,
    ruleset: Ruleset | None = None,
) -> str:
    """A complete agreement (TOML text) from a template and the year's standard annexes;
    ``fiscal_year`` as :func:`apacore.numbers.parse_fiscal_year` reads it (``২০২৪-২০২৫``)."""
    from apacore.numbers import parse_fiscal_year

    fiscal_year = parse_fiscal_year(fiscal_year) or fiscal_year
    templates = available_templates()
    key = (template_name, fiscal_year)
    if key not in templates:
        known = ", ".join(f"{n} ({fy})" for n, fy in sorted(templates)) or "none installed"
        raise ApacoreError(
            f"no template {template_name!r} for {fiscal_year} (known: {known})",
            argument="template_name",
        )
    plugin, template = templates[key]
    ruleset = ruleset or load_ruleset(fiscal_year)
    if template.ruleset_version is not None and template.ruleset_version != ruleset.version:
        raise PluginError(
            f"template {template_name!r} was built for ruleset {fiscal_year}"
            f" v{template.ruleset_version}, but ruleset {fiscal_year} is v{ruleset.version}",
            where=f"plugin {plugin}",
        )
    where = f"{template.path} (template of plugin {plugin})"
    parsed = structure(
        read_toml(template.path, error=PluginError), _TemplateFile, where=where, error=PluginError
    )
    level = level or parsed.level
    if level not in LEVELS:
        raise ApacoreError(
            f"unknown office level {level!r} (known: {', '.join(LEVELS)})", argument="level"
        )
    data: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "ruleset_sha256": ruleset.sha256,
        "scope": "complete",
        "source": f"apacore new --template {template_name} ({plugin}); {parsed.source}",
        "note": parsed.note,
        "office": {"name_bn": office_bn, "name_en": office_en, "level": level},
        "areas": [_plain(a) for a in parsed.areas],
        "annexes": [{"kind": kind, "standard": True} for kind in ruleset.spec.annex_weights],
    }
    if not office_en:
        del data["office"]["name_en"]
    if not parsed.note:
        del data["note"]
    header = (
        f"# Annual Performance Agreement {fiscal_year}: {office_bn}\n"
        f"# Written by `apacore new` from template {template_name!r} of plugin {plugin};\n"
        f"# pinned to ruleset {fiscal_year} v{ruleset.version}. Fill in the office's own"
        f" targets where they differ.\n\n"
    )
    return header + to_toml(data)
