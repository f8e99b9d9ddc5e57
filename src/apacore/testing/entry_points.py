"""Tests that an installed plugin package is wired up (:func:`entry_point_tests`)."""

from __future__ import annotations

from collections.abc import Sequence
from types import ModuleType
from typing import Any

from apacore.testing.suite import _ident, _skip


def entry_point_tests(
    distribution: str, entry_point: str, module: ModuleType, *, expect: Sequence[str] = ()
) -> type:
    """A test class checking that an installed plugin package is wired up: its entry point
    in the group ``apacore`` loads ``module``, and ``apacore plugins`` (run in a
    subprocess that loads only this plugin) lists it with its version and every text in
    ``expect``. Both tests skip when the distribution is not installed. One line in a
    plugin's tests::

        TestPackage = apacore.testing.entry_point_tests("apacore-rules-extra",
                                                        "rules-extra", apacore_rules_extra)
    """
    import importlib.metadata
    import os
    import subprocess
    import sys

    def installed() -> importlib.metadata.Distribution | None:
        try:
            return importlib.metadata.distribution(distribution)
        except importlib.metadata.PackageNotFoundError:
            _skip(f"{distribution} is not installed (pip install it to run this test)")
            return None

    def test_the_entry_point_is_declared(self: Any) -> None:
        if installed() is None:
            return
        found = [
            ep for ep in importlib.metadata.entry_points(group="apacore") if ep.name == entry_point
        ]
        assert len(found) == 1, f"entry point {entry_point!r}: {found}"
        assert found[0].load() is module

    def test_apacore_plugins_lists_it_with_its_version(self: Any) -> None:
        dist = installed()
        if dist is None:
            return
        env = {
            **os.environ,
            "APACORE_LOAD_PLUGINS": entry_point,
            "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        }
        out = subprocess.run(
            [sys.executable, "-m", "apacore", "plugins"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert f"{entry_point} {dist.version}\n" in out, out
        for text in expect:
            assert text in out, f"{text!r} not in: {out}"

    body: dict[str, Any] = {
        "test_the_entry_point_is_declared": test_the_entry_point_is_declared,
        "test_apacore_plugins_lists_it_with_its_version": test_apacore_plugins_lists_it_with_its_version,
        "__doc__": f"The installed package {distribution} (apacore.testing).",
    }
    return type(f"TestPackage_{_ident(distribution)}", (), body)
