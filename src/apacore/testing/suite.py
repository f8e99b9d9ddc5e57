"""What the property suites share: the failure they raise, how an example is shown in
it, registering the plugin under test, and the factory of pytest test classes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import hypothesis

from apacore.models import (
    Indicator,
)
from apacore.plugins.host import get_plugin_manager, using_plugin


class PropertyFailure(AssertionError):
    """A property of a scoring rule or calculation method that does not hold.

    The message names the rule or method, the property, and the example that breaks it.
    """


def _show(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    return repr(value)


def _describe(ind: Indicator) -> str:
    parts = [f"[{ind.id}] unit {ind.unit}, method {ind.method}"]
    if ind.tiers is not None:
        parts.append("tiers " + " / ".join("-" if v is None else _show(v) for v in ind.tiers))
    if ind.target is not None:
        parts.append(f"target {_show(ind.target)}")
    if ind.milestones is not None:
        parts.append(f"milestones {_show(ind.milestones)}")
    if ind.direction:
        parts.append(f"direction {ind.direction}")
    if ind.rule_params:
        parts.append(f"rule_params {dict(ind.rule_params)}")
    if ind.method_params:
        parts.append(f"method_params {dict(ind.method_params)}")
    return "indicator " + ", ".join(parts)


@contextmanager
def _registered(plugin: object | None, plugin_name: str | None) -> Iterator[None]:
    """Register ``plugin`` for a block unless it is registered already (e.g. installed)."""
    if plugin is None:
        yield
        return
    pm = get_plugin_manager()
    if pm.is_registered(plugin) or (
        plugin_name is not None and pm.get_plugin(plugin_name) is not None
    ):
        yield
        return
    with using_plugin(plugin, name=plugin_name):
        yield


class _Suite:
    settings: hypothesis.settings | None

    def _run(self, prop: Callable[[], None]) -> None:
        """Run a hypothesis test, under this suite's extra settings if any."""
        (self.settings(prop) if self.settings is not None else prop)()


def _test_class(
    run: Callable[[str], bool], properties: Sequence[str], what: str, name: str, *, skip: str
) -> type:
    """A class with one ``test_<property>`` method per property; ``run`` returns False
    for a property that does not apply (the test is then skipped)."""

    def make(prop: str) -> Callable[[Any], None]:
        def test(self: Any) -> None:
            if not run(prop):
                _skip(skip)

        test.__name__ = f"test_{prop}"
        test.__doc__ = f"{what[0].upper()}{what[1:]}: {prop.replace('_', ' ')}."
        return test

    body: dict[str, Any] = {f"test_{p}": make(p) for p in properties}
    body["__doc__"] = f"Property tests of {what} (apacore.testing)."
    return type(name, (), body)


def _ident(name: str) -> str:
    return re.sub(r"\W", "_", name)


def _skip(reason: str) -> None:
    """Skip the running test under pytest; elsewhere, just return."""
    try:
        import pytest
    except ImportError:  # pragma: no cover - pytest is how these tests run
        return
    pytest.skip(reason)
