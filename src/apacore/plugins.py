"""The plugin manager: built-ins, installed entry points, and the registry they fill.

Built-in behaviour is registered exactly like a ministry's package would be
(:data:`DEFAULT_PLUGINS`). Installed packages are found through the entry-point group
``apacore``; when the environment variable ``APACORE_LOAD_PLUGINS`` is set, only the
entry points it names (comma-separated; empty for none) are loaded, as in llm and
datasette. Nothing is loaded at import time: the manager is built on first use.
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import pluggy

from apacore import hookspecs
from apacore.errors import ApacoreError, PluginError
from apacore.registry import Registry

__all__ = [
    "DEFAULT_PLUGINS",
    "ENV_LOAD_PLUGINS",
    "PluginInfo",
    "call_each",
    "get_plugin_manager",
    "get_registry",
    "list_plugins",
    "register_plugin",
    "reset",
    "unregister_plugin",
    "using_plugin",
]

DEFAULT_PLUGINS: tuple[str, ...] = (
    "apacore.builtins.methods",
    "apacore.builtins.rules",
    "apacore.builtins.annexes",
    "apacore.builtins.rulesets",
)
"""Modules of apacore's own behaviour, registered as plugins."""

ENV_LOAD_PLUGINS = "APACORE_LOAD_PLUGINS"

_versions: dict[str, str] = {}


def _allowed_entry_points() -> set[str] | None:
    raw = os.environ.get(ENV_LOAD_PLUGINS)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    allowed = _allowed_entry_points()
    installed = {}
    for ep in importlib.metadata.entry_points(group=hookspecs.PROJECT):
        dist = getattr(ep, "dist", None)
        installed[ep.name] = dist.metadata["Name"] if dist is not None else ""
    unknown = sorted((allowed or set()) - set(installed) - set(installed.values()))
    if unknown:  # a misspelt name would otherwise load nothing, silently
        raise PluginError(
            f"names {', '.join(unknown)}, which is not an installed apacore plugin"
            f" (installed: {', '.join(sorted(installed)) or 'none'})",
            where=ENV_LOAD_PLUGINS,
        )
    for ep in importlib.metadata.entry_points(group=hookspecs.PROJECT):
        dist = getattr(ep, "dist", None)
        dist_name = dist.metadata["Name"] if dist is not None else ""
        if allowed is not None and ep.name not in allowed and dist_name not in allowed:
            continue
        if pm.get_plugin(ep.name) is not None:
            continue
        try:
            plugin = ep.load()
        except Exception as exc:
            raise PluginError(
                f"could not be loaded: {type(exc).__name__}: {exc}", where=f"plugin {ep.name}"
            ) from exc
        try:
            pm.register(plugin, name=ep.name)
        except pluggy.PluginValidationError as exc:  # e.g. a hookimpl's misspelt argument
            raise PluginError(str(exc), where=f"plugin {ep.name}") from exc
        _versions[ep.name] = dist.version if dist is not None else "?"


@functools.lru_cache(maxsize=1)
def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager with the built-ins and the allowed installed plugins."""
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    from apacore import __version__

    for name in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
        _versions[name] = __version__
    _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc), where=f"plugin {exc.plugin}") from exc
    return pm


def call_each(hook_name: str, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """Call every implementation of ``hook_name`` on its own: ``(plugin name, result)``.

    An implementation that raises becomes a :class:`PluginError` naming its plugin.
    """
    pm = get_plugin_manager()
    caller = getattr(pm.hook, hook_name)
    for impl in caller.get_hookimpls():  # registration order: built-ins first
        args = {k: kwargs[k] for k in impl.argnames}
        try:
            result = impl.function(**args)
        except PluginError:
            raise
        except ApacoreError as exc:
            raise PluginError(exc.__str__(), where=f"plugin {impl.plugin_name}") from exc
        except Exception as exc:
            raise PluginError(
                f"raised {type(exc).__name__} in hook {hook_name}: {exc}",
                where=f"plugin {impl.plugin_name}",
            ) from exc
        yield impl.plugin_name, result


@functools.lru_cache(maxsize=1)
def get_registry() -> Registry:
    """Every calculation method, scoring rule and annex type the plugins register."""
    registry = Registry()
    for hook_name, what in (
        ("register_calculation_methods", "calculation method"),
        ("register_scoring_rules", "scoring rule"),
        ("register_annex_types", "annex type"),
    ):
        pm = get_plugin_manager()
        for impl in getattr(pm.hook, hook_name).get_hookimpls():
            plugin = impl.plugin_name

            def register(item: Any, _what: str = what, _plugin: str = plugin) -> None:
                registry.add(_what, item, _plugin)

            try:
                impl.function(register=register)
            except PluginError:
                raise
            except Exception as exc:
                raise PluginError(
                    f"raised {type(exc).__name__} in hook {hook_name}: {exc}",
                    where=f"plugin {plugin}",
                ) from exc
    return registry


def ruleset_directories() -> list[tuple[str, Path]]:
    """``(plugin, folder)`` for every folder of fiscal-year rulesets the plugins offer."""
    out: list[tuple[str, Path]] = []
    for plugin, result in call_each("ruleset_directories"):
        if result is None:
            continue
        if isinstance(result, (str, bytes)) or not isinstance(result, (list, tuple)):
            raise PluginError(
                f"ruleset_directories returned {result!r:.60}, not a list of folders",
                where=f"plugin {plugin}",
            )
        for folder in result:
            out.append((plugin, Path(folder)))
    return out


def reset() -> None:
    """Forget the plugin manager, the registry and the rulesets loaded through them."""
    get_plugin_manager.cache_clear()
    get_registry.cache_clear()
    from apacore import rulesets

    rulesets.clear_cache()


def register_plugin(plugin: object, name: str | None = None, version: str = "?") -> str:
    """Register a plugin object (a module or an instance with hookimpls) at run time."""
    pm = get_plugin_manager()
    try:
        registered = pm.register(plugin, name=name)
    except ValueError as exc:  # pluggy: name or object already registered
        raise PluginError(str(exc), where=f"plugin {name or plugin!r}") from exc
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc), where=f"plugin {name or plugin!r}") from exc
    assert registered is not None
    try:
        pm.check_pending()  # a hookimpl for a hook that does not exist (a typo) is an error
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=registered)
        raise PluginError(str(exc), where=f"plugin {registered}") from exc
    _versions[registered] = version
    get_registry.cache_clear()
    from apacore import rulesets

    rulesets.clear_cache()
    return registered


def unregister_plugin(name: str) -> None:
    """Remove a plugin registered with :func:`register_plugin`."""
    pm = get_plugin_manager()
    pm.unregister(name=name)
    get_registry.cache_clear()
    from apacore import rulesets

    rulesets.clear_cache()


@contextmanager
def using_plugin(plugin: object, name: str | None = None) -> Iterator[str]:
    """Register ``plugin`` for the duration of a ``with`` block (tests, notebooks)."""
    registered = register_plugin(plugin, name=name)
    try:
        yield registered
    finally:
        unregister_plugin(registered)


@attrs.frozen(kw_only=True)
class PluginInfo:
    """One plugin as ``apacore plugins`` lists it."""

    name: str
    version: str
    hooks: tuple[str, ...]
    builtin: bool


def list_plugins() -> list[PluginInfo]:
    """Every registered plugin with its version and the hooks it implements."""
    pm = get_plugin_manager()
    out = []
    for name, plugin in pm.list_name_plugin():
        callers = pm.get_hookcallers(plugin) or []
        out.append(
            PluginInfo(
                name=name,
                version=_versions.get(name, "?"),
                hooks=tuple(sorted(c.name for c in callers)),
                builtin=name in DEFAULT_PLUGINS,
            )
        )
    return sorted(out, key=lambda p: (not p.builtin, p.name))
