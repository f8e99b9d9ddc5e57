"""The plugin host: one plugin manager, one way to call a hook, one way to report a plugin.

Built-in behaviour is registered exactly like a ministry's package would be
(:data:`DEFAULT_PLUGINS`). Installed packages are found through the entry-point group
``apacore``; when the environment variable ``APACORE_LOAD_PLUGINS`` is set, only the
entry points it names (comma-separated; empty for none) are loaded, as in llm and
datasette. Nothing is loaded at import time: the manager is built on first use.

Every hook goes through this module:

* :func:`collect` calls a collecting hook (``register_*(register)``) plugin by plugin,
  checks the type of what each registers, and rejects a key two plugins register with a
  :class:`~apacore.errors.PluginError` naming both;
* :func:`call_each` calls a hook that returns something, plugin by plugin, and checks
  the type of each answer;
* a plugin that raises becomes a one-line :class:`~apacore.errors.PluginError` naming
  the plugin (:func:`plugin_failure`), and so does a hookimpl pluggy rejects (a misspelt
  argument, an unknown hook).

Whatever depends on the registered plugins (the registry, the loaded rulesets) asks
:func:`generation`, a counter that changes whenever a plugin is registered or removed,
so this module never imports back into its users.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from apacore.errors import ApacoreError, PluginError
from apacore.values import frozen

if TYPE_CHECKING:
    import pluggy

    from apacore.plugins.registry import Registry

__all__ = [
    "DEFAULT_PLUGINS",
    "ENV_LOAD_PLUGINS",
    "PluginInfo",
    "call_each",
    "claim",
    "collect",
    "generation",
    "get_plugin_manager",
    "get_registry",
    "list_plugins",
    "plugin_failure",
    "plugins_fingerprint",
    "register_plugin",
    "registered_at_run_time",
    "reset",
    "ruleset_directories",
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

T = TypeVar("T")

_versions: dict[str, str] = {}
_generation = 0
_run_time: set[str] = set()
"""Plugins registered with :func:`register_plugin` (not by name or entry point)."""


def generation() -> int:
    """A number that changes whenever the set of plugins changes (for caches that depend on it)."""
    return _generation


def _changed() -> None:
    global _generation
    _generation += 1
    get_registry.cache_clear()


def plugin_where(plugin: str, where: str = "") -> str:
    """How an error names a plugin: ``plugin X``, or ``FILE (checked by plugin X)``."""
    return f"{where} (checked by plugin {plugin})" if where else f"plugin {plugin}"


def plugin_failure(
    plugin: str, during: str, exc: BaseException, *, where: str = "", path: str = ""
) -> PluginError:
    """The one-line error for ``exc`` raised by ``plugin`` ``during`` something (``"hook
    register_annex_types"``): a PluginError passes through, another apacore error keeps
    its text, anything else names its type."""
    if isinstance(exc, PluginError):
        return exc
    if isinstance(exc, ApacoreError):
        why = exc.why if (where or path) else str(exc)
        return PluginError(why, where=plugin_where(plugin, where), path=path)
    return PluginError(
        f"raised {type(exc).__name__} in {during}: {exc}",
        where=plugin_where(plugin, where),
        path=path,
    )


def _validation_error(exc: Exception, plugin: str) -> PluginError:
    """pluggy's several-line PluginValidationError as one line naming the plugin."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if len(lines) > 1 and " for hook " in lines[0]:  # "Plugin 'x' for hook 'h'" / ... / reason
        why = f"hook {lines[0].split(' for hook ', 1)[1]}: {lines[-1]}"
    elif lines and lines[0].startswith("unknown hook ") and " in plugin " in lines[0]:
        why = lines[0].split(" in plugin ", 1)[0] + " (see docs/hooks.md for the hooks)"
    else:
        why = " ".join(lines)
    return PluginError(why, where=f"plugin {plugin}")


def _allowed_entry_points() -> set[str] | None:
    raw = os.environ.get(ENV_LOAD_PLUGINS)
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


def _register(pm: pluggy.PluginManager, plugin: object, name: str | None) -> str:
    import pluggy

    try:
        registered = pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        if pm.is_registered(plugin):  # pluggy 1.3 keeps a plugin whose hookimpl it refused
            pm.unregister(plugin)
        raise _validation_error(exc, name or repr(plugin)) from exc
    except ValueError as exc:  # pluggy: name or object already registered
        raise PluginError(str(exc), where=f"plugin {name or plugin!r}") from exc
    assert registered is not None
    return registered


def _installed_entry_points() -> list[tuple[str, str, str, str]]:
    """(name, object reference, distribution, version) of every ``apacore`` entry point.

    Scanning the installed packages' metadata is slow, so the answer is kept in the
    on-disk cache under the state of the metadata it is read from: the ``*.dist-info``
    and ``*.egg-info`` folders on ``sys.path`` and their ``entry_points.txt`` and
    ``METADATA`` files (installing, upgrading or removing a package changes them).
    """
    from apacore import cache
    from apacore._version import __version__

    # apacore's version: another version's entry (of another shape) is never read back
    key = cache.files_key("entry points", sys.version, __version__, _metadata_state())
    hit = cache.fetch("entry-points", key)
    if isinstance(hit, list):
        return hit
    import importlib.metadata

    found = []
    for ep in importlib.metadata.entry_points(group="apacore"):
        dist = getattr(ep, "dist", None)
        found.append(
            (
                ep.name,
                ep.value,
                dist.metadata["Name"] if dist is not None else "",
                dist.version if dist is not None else "?",
            )
        )
    cache.store("entry-points", key, found)
    return found


def _metadata_state() -> list[tuple[str, list[tuple[str, str, int]]]]:
    """Each ``sys.path`` folder with its distributions' metadata folders: for each, its
    ``entry_points.txt`` (which names the plugins) as a digest of its bytes (an edit that
    keeps the file's time and size still changes the key), and for an
    ``.egg-info`` folder, whose name has no version, ``PKG-INFO``'s time and size.

    A ``.dist-info`` folder's name holds the distribution's name and version (pip writes
    ``name-version.dist-info``), so installing, upgrading or removing one changes the
    listing; its ``METADATA`` need not be looked at (a cold ``score`` stat'ed 90 of them)."""
    from apacore.cache import digest

    state: list[tuple[str, list[tuple[str, str, int]]]] = []
    for entry in sys.path:
        folder = entry or "."
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:  # not a folder (a zip file, a missing entry)
            state.append((entry, []))
            continue
        files: list[tuple[str, str, int]] = []
        for name in names:
            files.append((name, "", 0))
            try:
                entry_points = os.path.join(folder, name, "entry_points.txt")
                files.append((f"{name}/entry_points.txt", digest(entry_points), 0))
            except OSError:  # none: the distribution offers no plugin
                pass
            if name.endswith(".egg-info"):
                try:
                    st = os.stat(os.path.join(folder, name, "PKG-INFO"))
                    files.append((f"{name}/PKG-INFO", str(st.st_mtime_ns), st.st_size))
                except OSError:
                    pass
        state.append((entry, files))
    return state


def _load_object(reference: str) -> object:
    """The object an entry point names: ``package.module`` or ``package.module:attr.attr``."""
    import importlib

    module_name, _, attrs_path = reference.partition(":")
    obj: object = importlib.import_module(module_name.strip())
    for attr in filter(None, attrs_path.strip().split(".")):
        obj = getattr(obj, attr)
    return obj


def _load_entry_points(pm: pluggy.PluginManager) -> None:
    allowed = _allowed_entry_points()
    if allowed is not None and not allowed:
        return  # none allowed: no need to look at the installed packages at all
    installed = _installed_entry_points()
    known = {name for name, _, _, _ in installed} | {dist for _, _, dist, _ in installed}
    unknown = sorted((allowed or set()) - known)
    if unknown:  # a misspelt name would otherwise load nothing, silently
        raise PluginError(
            f"names {', '.join(unknown)}, which is not an installed apacore plugin"
            f" (installed: {', '.join(sorted(n for n, _, _, _ in installed)) or 'none'})",
            where=ENV_LOAD_PLUGINS,
        )
    for name, reference, dist_name, version in installed:
        if allowed is not None and name not in allowed and dist_name not in allowed:
            continue
        if pm.get_plugin(name) is not None:
            continue
        try:
            plugin = _load_object(reference)
        except Exception as exc:
            raise PluginError(
                f"could not be loaded: {type(exc).__name__}: {exc}", where=f"plugin {name}"
            ) from exc
        _register(pm, plugin, name)
        _versions[name] = version


def plugins_fingerprint() -> tuple[tuple[str, str, str], ...]:
    """Every registered plugin as (name, version, a digest of its code): what a result
    cached on disk depends on besides its own files. The code is the bytes of every
    module of the plugin's top-level package (a validator in a submodule, edited with
    its modification time kept, is a new key), not their times."""
    out = []
    for name, plugin in get_plugin_manager().list_name_plugin():
        module = getattr(plugin, "__name__", type(plugin).__module__)
        out.append((name, _versions.get(name, "?"), _package_digest(module.partition(".")[0])))
    return tuple(sorted(out))


def _package_digest(top: str) -> str:
    """A digest of the bytes of every module of the package ``top`` (or of the module
    file), read once per process and file: the code that runs is the code there when it
    started. apacore's own modules are in :func:`apacore.cache.code_fingerprint` already."""
    module = sys.modules.get(top)
    file = getattr(module, "__file__", None)
    if top == "apacore" or module is None or not file:
        return ""
    return _files_digest(file, tuple(getattr(module, "__path__", None) or ()))


@functools.cache
def _files_digest(file: str, folders: tuple[str, ...]) -> str:
    from apacore.cache import digest

    files = [file]
    for folder in folders:
        for parent, subfolders, names in os.walk(folder):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            files += [os.path.join(parent, n) for n in sorted(names) if n.endswith(".py")]
    try:
        return "".join(digest(f) for f in sorted(set(files)))
    except OSError:
        return "unreadable"


@functools.lru_cache(maxsize=1)
def get_plugin_manager() -> pluggy.PluginManager:
    """The plugin manager with the built-ins and the allowed installed plugins."""
    import importlib

    import pluggy

    from apacore._version import __version__
    from apacore.plugins import hookspecs

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        _register(pm, importlib.import_module(name), name)
        _versions[name] = __version__
    _load_entry_points(pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise _validation_error(exc, pm.get_name(exc.plugin) or repr(exc.plugin)) from exc
    return pm


def _impls(hook_name: str) -> list[Any]:
    """The implementations of ``hook_name`` in registration order (built-ins first)."""
    return list(getattr(get_plugin_manager().hook, hook_name).get_hookimpls())


def _type_name(expected: type | tuple[type, ...]) -> str:
    types = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join(
        f"apacore.{t.__name__}" if t.__module__.startswith("apacore") else t.__name__ for t in types
    )


def claim(
    found: dict[Any, tuple[str, T]],
    key: Hashable,
    item: T,
    plugin: str,
    what: str,
    *,
    shown: Callable[[Any], str] = repr,
    verb: str = "registered",
) -> None:
    """Record ``found[key] = (plugin, item)``; a key another plugin has is an error naming both.

    ``what`` is the message's subject with ``{}`` where the key goes (``"ruleset {}"``).
    """
    if key in found and found[key][0] != plugin:
        raise PluginError(
            f"{what.format(shown(key))} is {verb} by both plugin {found[key][0]} and plugin {plugin}"
        )
    if key in found:
        raise PluginError(f"{verb} {what.format(shown(key))} twice", where=f"plugin {plugin}")
    found[key] = (plugin, item)


def collect(
    hook_name: str,
    what: str,
    expected: type[T],
    key: Callable[[T, str], Hashable],
    *,
    shown: Callable[[Any], str] = repr,
) -> dict[Any, tuple[str, T]]:
    """Call the collecting hook ``hook_name`` of every plugin: key → (plugin, item).

    ``what`` names an item in messages (``"calculation method"``); each item must be an
    ``expected``; ``key(item, plugin)`` gives its key (and may raise a PluginError for an
    invalid one); ``shown(key)`` writes a key in a message. A key registered by two
    plugins is an error naming both.
    """
    found: dict[Any, tuple[str, T]] = {}
    for impl in _impls(hook_name):
        plugin = impl.plugin_name

        def register(item: object, _plugin: str = plugin) -> None:
            if not isinstance(item, expected):
                raise PluginError(
                    f"registered a {what} that is not an {_type_name(expected)}: {item!r}",
                    where=f"plugin {_plugin}",
                )
            claim(found, key(item, _plugin), item, _plugin, f"{what} {{}}", shown=shown)

        try:
            returned = impl.function(register=register)
        except Exception as exc:
            raise plugin_failure(plugin, f"hook {hook_name}", exc) from exc
        if returned is not None:  # e.g. a list returned instead of registered: not silently lost
            raise PluginError(
                f"hook {hook_name} returned {returned!r}: call register(...) once per {what}"
                " instead",
                where=f"plugin {plugin}",
            )
    return found


def call_each(
    hook_name: str,
    *,
    item_type: type | tuple[type, ...] | None = None,
    where: str = "",
    **kwargs: Any,
) -> Iterator[tuple[str, Any]]:
    """Call every implementation of ``hook_name`` on its own: ``(plugin name, result)``.

    With ``item_type`` the result must be a list (or other iterable, not a string) of
    such items, or None; it is returned as a list. An implementation that raises, or
    returns the wrong type, becomes a :class:`PluginError` naming its plugin (and
    ``where``, the file the hook was asked about, if any).
    """
    for impl in _impls(hook_name):
        args = {k: kwargs[k] for k in impl.argnames}
        try:
            result = impl.function(**args)
        except Exception as exc:
            raise plugin_failure(impl.plugin_name, f"hook {hook_name}", exc, where=where) from exc
        if item_type is not None:
            result = _items(result, item_type, hook_name, impl.plugin_name)
        yield impl.plugin_name, result


def _items(
    result: object, item_type: type | tuple[type, ...], hook_name: str, plugin: str
) -> list[Any]:
    if result is None:
        return []
    bad = isinstance(result, (str, bytes)) or not hasattr(result, "__iter__")
    items = [] if bad else list(result)  # type: ignore[call-overload]
    if bad or not all(isinstance(i, item_type) for i in items):
        raise PluginError(
            f"hook {hook_name} returned {result!r}, not a list of {_type_name(item_type)}",
            where=f"plugin {plugin}",
        )
    return items


@functools.lru_cache(maxsize=1)
def get_registry() -> Registry:
    """Every calculation method, scoring rule and annex type the plugins register."""
    from apacore.plugins.contract import AnnexType, CalculationMethod, ScoringRule
    from apacore.plugins.registry import Registry, checked_name

    return Registry.of(
        methods=collect(
            "register_calculation_methods",
            "calculation method",
            CalculationMethod,
            lambda m, plugin: checked_name(m.name, "calculation method", plugin),
        ),
        rules=collect(
            "register_scoring_rules",
            "scoring rule",
            ScoringRule,
            lambda r, plugin: checked_name(r.name, "scoring rule", plugin),
        ),
        annex_types=collect(
            "register_annex_types",
            "annex type",
            AnnexType,
            lambda a, plugin: checked_name(a.kind, "annex type", plugin),
        ),
    )


def ruleset_directories() -> list[tuple[str, Path]]:
    """``(plugin, folder)`` for every folder of fiscal-year rulesets the plugins offer."""
    out: list[tuple[str, Path]] = []
    for plugin, folders in call_each("ruleset_directories", item_type=(Path, str)):
        out.extend((plugin, Path(folder)) for folder in folders)
    return out


def reset() -> None:
    """Forget the plugin manager, the registry and everything built from them."""
    get_plugin_manager.cache_clear()
    _run_time.clear()
    _changed()


def register_plugin(plugin: object, name: str | None = None, version: str = "?") -> str:
    """Register a plugin object (a module or an instance with hookimpls) at run time."""
    import pluggy

    pm = get_plugin_manager()
    registered = _register(pm, plugin, name)
    try:
        pm.check_pending()  # a hookimpl named after no hook: a typo
    except pluggy.PluginValidationError as exc:
        pm.unregister(name=registered)
        raise _validation_error(exc, registered) from exc
    _versions[registered] = version
    _run_time.add(registered)
    _changed()
    return registered


def unregister_plugin(name: str) -> None:
    """Remove a plugin registered with :func:`register_plugin`."""
    get_plugin_manager().unregister(name=name)
    _run_time.discard(name)
    _changed()


def registered_at_run_time() -> bool:
    """Whether a plugin registered with :func:`register_plugin` is in use: an object that
    may change while its file does not, so results are not kept on disk meanwhile."""
    return bool(_run_time)


@contextmanager
def using_plugin(plugin: object, name: str | None = None) -> Iterator[str]:
    """Register ``plugin`` for the duration of a ``with`` block (tests, notebooks)."""
    registered = register_plugin(plugin, name=name)
    try:
        yield registered
    finally:
        unregister_plugin(registered)


@frozen(kw_only=True)
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
