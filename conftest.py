"""Collects the data-driven cases that sit next to each ruleset (rulesets/<fy>/tests/*.toml).

Each ``[[cases]]`` table scores one achievement against an indicator of that ruleset
(``indicator = "egov/4.1.2"``) or against tiers / a target / milestones written in the
case, and checks the exact raw score and marks (see docs/rulesets.md).
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

# Tests never load installed entry-point plugins by accident: a test that wants a plugin
# registers it (apacore.using_plugin) or runs a subprocess with the variable set.
os.environ.setdefault("APACORE_LOAD_PLUGINS", "")
# ... and never read or write the user's on-disk cache: a fresh folder per test session.
os.environ["APACORE_CACHE_DIR"] = tempfile.mkdtemp(prefix="apacore-test-cache-")
atexit.register(shutil.rmtree, os.environ["APACORE_CACHE_DIR"], ignore_errors=True)

CASE_KEYS = {
    "name",
    "indicator",
    "tiers",
    "target",
    "milestones",
    "direction",
    "date_policy",
    "unit",
    "weight",
    "achievement",
    "expected_raw_score",
    "expected_marks",
    "source",
    "note",
}


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if (
        file_path.suffix == ".toml"
        and file_path.parent.name == "tests"
        and file_path.parent.parent.parent.name == "rulesets"
    ):
        return RulesetCaseFile.from_parent(parent, path=file_path)
    return None


class RulesetCaseFile(pytest.File):
    def collect(self) -> Iterator[pytest.Item]:
        from apacore.loading.convert import read_toml

        data = read_toml(self.path)
        unknown = set(data) - {"cases"}
        if unknown:
            raise pytest.UsageError(f"{self.path}: unknown top-level keys {sorted(unknown)}")
        for i, case in enumerate(data.get("cases", [])):
            yield RulesetCase.from_parent(
                self, name=f"[{i}] {case.get('name', '?')}", case=case, index=i
            )


class RulesetCaseError(Exception):
    pass


class RulesetCase(pytest.Item):
    def __init__(self, *, case: dict[str, Any], index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.index = index

    def runtest(self) -> None:
        from apacore.engine.scoring import to_decimal
        from apacore.loading.convert import structure
        from apacore.loading.rulesets import load_ruleset_dir
        from apacore.models import Indicator, Policies
        from apacore.numbers import parse_reading
        from apacore.plugins.contract import Achievement, RuleContext
        from apacore.plugins.host import get_registry

        case = self.case
        where = f"{self.path}: $.cases[{self.index}]"
        unknown = set(case) - CASE_KEYS
        if unknown:
            raise RulesetCaseError(f"{where}: unknown keys {sorted(unknown)}")
        for key in ("name", "achievement", "expected_raw_score", "expected_marks", "source"):
            if key not in case:
                raise RulesetCaseError(f"{where}: missing {key}")
        ruleset = load_ruleset_dir(self.path.parent.parent)
        if "indicator" in case:
            kind, _, ident = case["indicator"].partition("/")
            annex = ruleset.annex(kind)
            found = [i for i in annex.indicators() if i.id == ident] if annex else []
            if not found:
                raise RulesetCaseError(f"{where}: no indicator {case['indicator']} in the ruleset")
            indicator = found[0]
        else:
            values = case.get("tiers") or case.get("milestones") or [case.get("target")]
            dated = any(
                isinstance(parse_reading(v).value, dt.date) for v in values if v not in (None, "-")
            )
            default_unit = "dated_count" if "milestones" in case else ("date" if dated else "count")
            unit = case.get("unit", default_unit)
            method = {"dated_count": "milestones", "date": "date"}.get(unit, "sum")
            raw: dict[str, Any] = {
                "id": "0",
                "name_bn": case["name"],
                "unit": unit,
                "method": method,
                "weight": case.get("weight", 100),
                "source": case["source"],
            }
            for key in ("tiers", "target", "milestones", "direction"):
                if key in case:
                    raw[key] = case[key]
            indicator = structure(raw, Indicator, where=where)
        weight = Decimal(str(case.get("weight", indicator.weight)))
        achieved = case["achievement"]
        if isinstance(achieved, list):
            value: Any = tuple(parse_reading(v).value for v in achieved)
        else:
            value = parse_reading(achieved).value
            if not isinstance(value, (Decimal, dt.date)):
                value = None
        policies = ruleset.spec.policies
        if "date_policy" in case:
            policies = Policies(date=case["date_policy"])
        context = RuleContext(policies=policies, tier_scores=ruleset.spec.tier_scores())
        registry = get_registry()
        rule = registry.rule(registry.rule_name_for(indicator))
        result = rule.score(indicator, Achievement(value=value, explanation="case"), context)
        raw_score = to_decimal(result.raw)
        marks = to_decimal(result.raw * Fraction(weight) / 100)
        expected_raw = Decimal(str(case["expected_raw_score"]))
        expected_marks = Decimal(str(case["expected_marks"]))
        if raw_score != expected_raw or marks != expected_marks:
            raise RulesetCaseError(
                f"{where} ({case['name']}): expected raw {expected_raw}, marks {expected_marks};"
                f" got raw {raw_score}, marks {marks} ({result.bracket}; {result.formula})"
            )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RulesetCaseError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"ruleset case {self.name}"


# --------------------------------------------------------------------------- skips in CI
# Under CI=true a skipped test is a failure (a test that skips everywhere CI runs is a
# test that never runs), unless it is marked ``@pytest.mark.allow_skip(reason=...)``; the
# allowed skips are listed at the end of the run with both reasons.

_ALLOWED_SKIPS: list[tuple[str, str, str]] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allow_skip(reason): this test may skip under CI=true; the reason says why "
        "(without the marker a skip fails the run there)",
    )
    config.addinivalue_line(
        "markers", "slow: a test of more than a few seconds (the extra CI runs leave it out)"
    )


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail") or not os.environ.get("CI"):
        return
    reason = _skip_reason(report)
    marker = item.get_closest_marker("allow_skip")
    if marker is not None:
        allowed = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
        if not allowed:
            raise pytest.UsageError(f"{item.nodeid}: allow_skip needs a reason")
        _ALLOWED_SKIPS.append((item.nodeid, reason, str(allowed)))
        return
    report.outcome = "failed"
    report.longrepr = (
        f"skipped under CI=true ({reason}); a test that may skip in CI is marked "
        "@pytest.mark.allow_skip(reason=...)"
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _ALLOWED_SKIPS:
        terminalreporter.section("skips allowed under CI=true")
        for nodeid, reason, allowed in _ALLOWED_SKIPS:
            terminalreporter.line(f"{nodeid}: {reason} (allowed: {allowed})")
