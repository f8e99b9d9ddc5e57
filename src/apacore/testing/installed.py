"""``apacore plugins check``: the contract suite of every installed plugin, run briefly.

Each installed plugin (every entry point in the group ``apacore`` that
``APACORE_LOAD_PLUGINS`` allows) gets the checks of
:func:`apacore.testing.plugin_suite.plugin_checks` with a few examples each, no
shrinking and a fixed seed, so that the same installation always gives the same answer.
"""

from __future__ import annotations

import tempfile
from typing import Any

import hypothesis

from apacore.plugins.host import get_plugin_manager, list_plugins
from apacore.testing.plugin_suite import plugin_checks
from apacore.values import frozen

__all__ = ["PluginReport", "check_installed", "reports_text"]


@frozen(kw_only=True)
class PluginReport:
    """One installed plugin's checks."""

    name: str
    version: str
    checked: int
    """How many checks ran (those that apply)."""
    failures: tuple[str, ...]
    """One line per failed check: what failed and why."""

    @property
    def ok(self) -> bool:
        return not self.failures


def _settings(examples: int) -> hypothesis.settings:
    return hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=(hypothesis.Phase.explicit, hypothesis.Phase.generate),
        suppress_health_check=list(hypothesis.HealthCheck),
        verbosity=hypothesis.Verbosity.quiet,
    )


def _why(label: str, exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, AssertionError):  # a PropertyFailure names the check itself
        return text
    return f"{label}: {type(exc).__name__}: {text}"


def check_installed(*, examples: int = 10) -> list[PluginReport]:
    """Every installed plugin's checks, ``examples`` generated examples per property."""
    if examples < 1:
        from apacore.errors import ApacoreError

        raise ApacoreError(f"must be 1 or more, got {examples}", argument="examples")
    from hypothesis.configuration import set_hypothesis_home_dir

    settings = _settings(examples)
    pm = get_plugin_manager()  # loads them: one that cannot be loaded is a PluginError
    with tempfile.TemporaryDirectory(prefix="apacore-check-") as home:
        set_hypothesis_home_dir(home)  # hypothesis's caches: not in the user's folder
        try:
            return _check_each(pm, settings)
        finally:
            set_hypothesis_home_dir(None)


def _check_each(pm: Any, settings: hypothesis.settings) -> list[PluginReport]:
    reports = []
    for info in list_plugins():
        if info.builtin:
            continue
        module = pm.get_plugin(info.name)
        failures, checked = [], 0
        for label, check in plugin_checks(module, name=info.name, settings=settings):
            try:
                checked += bool(check())
            except Exception as exc:  # whatever a plugin raises is its failure
                checked += 1
                failures.append(_why(label, exc))
        reports.append(
            PluginReport(
                name=info.name, version=info.version, checked=checked, failures=tuple(failures)
            )
        )
    return reports


def reports_text(reports: list[PluginReport]) -> str:
    """What ``apacore plugins check`` prints: a line per plugin (``ok`` with how many
    checks ran, or how many failed), then a line per failure."""
    if not reports:
        return "no plugins installed (only apacore's built-ins)\n"
    lines = []
    for r in reports:
        verdict = (
            f"ok ({r.checked} checks)" if r.ok else f"{len(r.failures)} of {r.checked} checks fail"
        )
        lines.append(f"{r.name} {r.version}: {verdict}")
        lines.extend(f"  {line}" for line in r.failures)
    return "".join(f"{line}\n" for line in lines)
