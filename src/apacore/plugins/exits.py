"""A plugin that ends the process (``sys.exit``) instead of raising: the one line that says so.

``sys.exit(0)`` in a hook once made ``apacore score`` exit 0 with no output at all, and a
batch worker's ``SystemExit`` ended the whole batch the same way. The command line and
the batch catch it and word it here, naming the plugin whose code called it when the
traceback shows one (the innermost frame of a registered plugin's package).
"""

from __future__ import annotations

from types import TracebackType

__all__ = ["exit_message", "plugin_in_traceback"]


def plugin_in_traceback(tb: TracebackType | None) -> str | None:
    """The registered plugin whose code is the innermost of ``tb``'s frames from a
    plugin's package (apacore's own built-ins aside), or None."""
    from apacore.plugins.host import get_plugin_manager

    try:
        plugins = get_plugin_manager().list_name_plugin()
    except Exception:  # the plugins cannot even be loaded: say nothing of them
        return None
    packages: dict[str, str] = {}
    for name, plugin in plugins:
        module = getattr(plugin, "__name__", type(plugin).__module__)
        top = str(module).partition(".")[0]
        if top != "apacore":
            packages.setdefault(top, name)
    found = None
    while tb is not None:
        top = str(tb.tb_frame.f_globals.get("__name__", "")).partition(".")[0]
        found = packages.get(top, found)
        tb = tb.tb_next
    return found


def exit_message(exc: SystemExit) -> str:
    """What ended the process, as one line: ``plugin X: called sys.exit(0): …`` when a
    plugin's code did, else ``ended by sys.exit(0) (…)``."""
    called = f"sys.exit({exc.code!r})"
    who = plugin_in_traceback(exc.__traceback__)
    if who is None:
        return f"ended by {called} (a plugin must raise an error, not end the process)"
    return f"plugin {who}: called {called}: a plugin must raise an error, not end the process"
