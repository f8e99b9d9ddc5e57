"""The error contract's building blocks: one printable line, and plugins named."""

from __future__ import annotations

from typing import Any

import pytest

from apacore.errors import ApacoreError, PluginError
from apacore.plugins import host as plugins


def test_an_error_is_one_printable_line() -> None:
    error = ApacoreError("cannot read\n\t'1.1\x07.1'\x1b[31m", where="a\nb.toml", path="$.x")
    assert str(error) == "a b.toml: $.x: cannot read '1.1\\x07.1'\\x1b[31m"


def test_an_installed_plugin_with_a_misspelt_hook_argument_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apacore import hookimpl

    class Misspelt:
        @hookimpl
        def register_annex_types(self, registr: Any) -> None:
            pass

    # an installed entry point, as the host sees it: (name, reference, distribution, version)
    monkeypatch.setattr(
        plugins, "_installed_entry_points", lambda: [("misspelt", "misspelt_pkg", "", "?")]
    )
    real_load = plugins._load_object
    monkeypatch.setattr(
        plugins, "_load_object", lambda ref: Misspelt() if ref == "misspelt_pkg" else real_load(ref)
    )
    monkeypatch.setenv("APACORE_LOAD_PLUGINS", "misspelt")
    plugins.reset()
    try:
        with pytest.raises(PluginError) as info:
            plugins.get_plugin_manager()
        assert str(info.value).startswith("plugin misspelt: ")
        assert "registr" in str(info.value) and "\n" not in str(info.value)
    finally:
        monkeypatch.undo()
        plugins.reset()


def test_load_plugins_naming_no_installed_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APACORE_LOAD_PLUGINS", "no-such-plugin")
    plugins.reset()
    try:
        with pytest.raises(PluginError) as info:
            plugins.get_plugin_manager()
        assert str(info.value).startswith(
            "APACORE_LOAD_PLUGINS: names no-such-plugin, which is not an installed apacore plugin"
        )
    finally:
        monkeypatch.undo()
        plugins.reset()
