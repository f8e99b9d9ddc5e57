"""apacore-cooperatives as a package: its names do not clash with apacore's, the entry
point is declared, and `apacore plugins` lists it with its version once installed."""

from __future__ import annotations

import apacore_cooperatives

from apacore.loading.templates import available_templates
from apacore.plugins.host import get_plugin_manager, get_registry
from apacore.testing import entry_point_tests

DISTRIBUTION = "apacore-cooperatives"
ENTRY_POINT = "cooperatives"


def test_its_names_do_not_clash_with_apacores(cooperatives: str) -> None:
    registry = get_registry()  # builds: a clash would be a PluginError naming both plugins
    assert not [key for key, owner in registry.owners.items() if owner == cooperatives]
    templates = available_templates()  # a template registered twice names both plugins
    assert {key for key, (plugin, _) in templates.items() if plugin == cooperatives} == {
        ("cooperatives-upazila", "2023-24"),
        ("cooperatives-upazila", "2024-25"),
    }
    hooks = {c.name for c in get_plugin_manager().get_hookcallers(apacore_cooperatives) or []}
    assert hooks == {"register_templates", "validate_agreement"}


TestPackage = entry_point_tests(
    DISTRIBUTION,
    ENTRY_POINT,
    apacore_cooperatives,
    expect=["hooks: register_templates, validate_agreement"],
)
