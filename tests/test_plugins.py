"""The plugin system: built-ins as plugins, collecting hooks, conflicts, failures."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

import pytest

import apacore
from apacore.cli import main
from apacore.engine.scorecard import score_agreement
from apacore.errors import AgreementError, PluginError
from apacore.loading.agreements import load_office
from apacore.loading.rulesets import available_rulesets, load_ruleset
from apacore.models import Indicator
from apacore.numbers import Reading
from apacore.plugins import hookspecs
from apacore.plugins.contract import (
    Achievement,
    AnnexType,
    CalculationMethod,
    RuleContext,
    RuleResult,
    ScoringRule,
)
from apacore.plugins.host import DEFAULT_PLUGINS, get_plugin_manager, get_registry, list_plugins

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
HOOKS = sorted(
    name for name in dir(hookspecs) if name.startswith(("register_", "ruleset_", "validate_"))
)


def _best_quarter(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    values = [r.value for r in quarters if r is not None and isinstance(r.value, Decimal)]
    if not values:
        return Achievement(value=None, explanation="nothing reported")
    return Achievement(value=max(values), explanation=f"best quarter {max(values)}")


class BestQuarterPlugin:
    @apacore.hookimpl
    def register_calculation_methods(self, register: Callable[[CalculationMethod], None]) -> None:
        register(
            CalculationMethod(
                name="best_quarter", calculate=_best_quarter, description="the best single quarter"
            )
        )


def test_builtins_are_registered_as_plugins() -> None:
    names = {p.name for p in list_plugins()}
    assert set(DEFAULT_PLUGINS) <= names
    registry = get_registry()
    assert set(registry.methods) >= {"sum", "average", "cumulative", "date", "milestones"}
    assert set(registry.rules) >= {"tiers", "single_target", "milestones"}
    assert set(registry.annex_types) >= {"integrity", "egov", "grs", "charter", "rti"}
    assert registry.owner("calculation method", "sum") == "apacore.builtins.methods"


def test_hook_register_calculation_methods(tmp_path: Path) -> None:
    """A plugin registered in a test adds a calculation method that a scorecard uses."""
    for name in ("agreement.toml", "report.toml"):
        text = (DATA / "mini-office" / name).read_text("utf-8")
        if name == "agreement.toml":
            text = text.replace(
                'method = "sum"\nweight = 20\ntiers = ["০,০০০৮০"',
                'method = "best_quarter"\nweight = 20\ntiers = ["০,০০০৮০"',
            )
        (tmp_path / name).write_text(text, "utf-8")
    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(BestQuarterPlugin(), name="best-quarter"):
        office = load_office(tmp_path, ruleset=ruleset)
        card = score_agreement(office.agreement, office.report, ruleset)
        r = card.indicator("1.1.2")
        assert r.method == "best_quarter"
        assert r.achievement == Decimal("0.00040")  # the better of 0.00030 and 0.00040
        assert r.raw_score == 60
    # once unregistered, the method is unknown again: a one-line error naming it
    with pytest.raises(AgreementError, match="unknown calculation method 'best_quarter'"):
        load_office(tmp_path, ruleset=ruleset)


def _all_or_nothing(ind: Indicator, achievement: Achievement, context: RuleContext) -> RuleResult:
    done = achievement.value is not None and achievement.value != 0
    return RuleResult(
        raw=Fraction(100 if done else 0),
        bracket="yes" if done else "no",
        formula="100" if done else "0",
    )


class YesNoPlugin:
    @apacore.hookimpl
    def register_scoring_rules(self, register: Callable[[ScoringRule], None]) -> None:
        register(ScoringRule(name="yes_no", score=_all_or_nothing, description="all or nothing"))


def test_hook_register_scoring_rules() -> None:
    with apacore.using_plugin(YesNoPlugin(), name="yes-no"):
        rule = get_registry().rule("yes_no")
        ind = Indicator(
            id="1",
            name_bn="x",
            unit="count",
            method="sum",
            weight=Decimal(1),
            source="t",
            rule="yes_no",
        )
        assert (
            rule.score(ind, Achievement(value=Decimal(1), explanation=""), RuleContext()).raw == 100
        )
    assert "yes_no" not in get_registry().rules


class ProcurementAnnex:
    @apacore.hookimpl
    def register_annex_types(self, register: Callable[[AnnexType], None]) -> None:
        register(AnnexType(kind="procurement", name_en="Procurement plan", apa_weight=Decimal(5)))


def test_hook_register_annex_types() -> None:
    with apacore.using_plugin(ProcurementAnnex(), name="procurement"):
        assert get_registry().annex_types["procurement"].apa_weight == 5
        assert get_registry().owner("annex type", "procurement") == "procurement"


def test_hook_ruleset_directories(tmp_path: Path) -> None:
    folder = tmp_path / "rulesets"
    (folder / "2024-25").mkdir(parents=True)
    for path in (DATA / "mini-ruleset").rglob("*.toml"):
        target = folder / "2024-25" / path.relative_to(DATA / "mini-ruleset")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text("utf-8"), "utf-8")

    class Offer:
        @apacore.hookimpl
        def ruleset_directories(self) -> Iterable[Path]:
            return [folder]

    with apacore.using_plugin(Offer(), name="ministry-rules"):
        with pytest.raises(PluginError) as info:
            available_rulesets()
        message = str(info.value)
        assert "2024-25" in message and "apacore.builtins.rulesets" in message
        assert "ministry-rules" in message


def test_hook_validate_agreement() -> None:
    class NoTestOffices:
        @apacore.hookimpl
        def validate_agreement(
            self, agreement: apacore.Agreement, ruleset: apacore.Ruleset
        ) -> list[str]:
            return ["test offices may not sign"] if "Test" in agreement.office.name_en else []

    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(NoTestOffices(), name="no-test"):
        with pytest.raises(AgreementError, match=r"plugin no-test\): test offices may not sign"):
            load_office(DATA / "mini-office", ruleset=ruleset)


def test_two_plugins_claiming_one_name_names_both() -> None:
    class Sum:
        @apacore.hookimpl
        def register_calculation_methods(
            self, register: Callable[[CalculationMethod], None]
        ) -> None:
            register(CalculationMethod(name="sum", calculate=_best_quarter))

    with apacore.using_plugin(Sum(), name="my-sum"):
        with pytest.raises(PluginError) as info:
            get_registry()
    assert str(info.value) == (
        "calculation method 'sum' is registered by both plugin apacore.builtins.methods"
        " and plugin my-sum"
    )


def test_a_plugin_that_raises_is_named() -> None:
    class Broken:
        @apacore.hookimpl
        def register_annex_types(self, register: Callable[[AnnexType], None]) -> None:
            raise RuntimeError("disk on fire")

    with apacore.using_plugin(Broken(), name="broken"):
        with pytest.raises(PluginError) as info:
            get_registry()
    assert (
        str(info.value)
        == "plugin broken: raised RuntimeError in hook register_annex_types: disk on fire"
    )


def test_a_plugin_registering_the_wrong_thing_is_named() -> None:
    class Wrong:
        @apacore.hookimpl
        def register_scoring_rules(self, register: Callable[[object], None]) -> None:
            register(SimpleNamespace(name="x"))

    with apacore.using_plugin(Wrong(), name="wrong"):
        with pytest.raises(
            PluginError, match="plugin wrong: registered a scoring rule that is not"
        ):
            get_registry()


def test_a_scoring_rule_that_returns_a_float_is_rejected(tmp_path: Path) -> None:
    def floaty(ind: Indicator, achievement: Achievement, context: RuleContext) -> RuleResult:
        return RuleResult(raw=0.5, bracket="", formula="")  # type: ignore[arg-type]

    class Floaty:
        @apacore.hookimpl
        def register_scoring_rules(self, register: Callable[[ScoringRule], None]) -> None:
            register(ScoringRule(name="floaty", score=floaty))

    text = (DATA / "mini-office" / "agreement.toml").read_text("utf-8")
    text = text.replace(
        'target = 4\nsource = "tests: synthetic"\n\n[[annexes]]\nkind = "charter"',
        'target = 4\nrule = "floaty"\nsource = "tests: synthetic"\n\n[[annexes]]\nkind = "charter"',
    )
    (tmp_path / "agreement.toml").write_text(text, "utf-8")
    (tmp_path / "report.toml").write_text(
        (DATA / "mini-office" / "report.toml").read_text("utf-8"), "utf-8"
    )
    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(Floaty(), name="floaty-plugin"):
        office = load_office(tmp_path, ruleset=ruleset)
        with pytest.raises(
            PluginError, match="plugin floaty-plugin: scoring rule 'floaty' returned"
        ):
            score_agreement(office.agreement, office.report, ruleset)


def test_plugins_command_lists_versions_and_hooks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert f"apacore.builtins.methods {apacore.__version__} (built-in)" in out
    assert "hooks: register_calculation_methods" in out


def test_entry_points_are_not_loaded_in_tests() -> None:
    import os

    assert os.environ.get("APACORE_LOAD_PLUGINS") == "" or "APACORE_LOAD_PLUGINS" in os.environ
    assert all(p.builtin for p in list_plugins())


def test_pending_hooks_are_checked() -> None:
    pm = get_plugin_manager()
    pm.check_pending()


def test_every_hook_is_documented_and_tested() -> None:
    """docs/hooks.md has a heading `name(args)` for every hook, and a test_hook_<name> exists."""
    docs = (ROOT / "docs" / "hooks.md").read_text("utf-8")
    here = Path(__file__).read_text("utf-8")
    tests = set(re.findall(r"def (test_hook_\w+)", here))
    for path in Path(__file__).parent.glob("test_*.py"):
        tests |= set(re.findall(r"def (test_hook_\w+)", path.read_text("utf-8")))
    assert HOOKS, "no hooks found"
    for hook in HOOKS:
        assert re.search(rf"^## `{hook}\(", docs, re.M), f"docs/hooks.md lacks a heading for {hook}"
        assert f"test_hook_{hook}" in tests, f"no test_hook_{hook}"


def test_hook_specs_are_the_documented_set() -> None:
    assert HOOKS == sorted(
        [
            "register_annex_types",
            "register_calculation_methods",
            "register_scoring_rules",
            "register_templates",
            "ruleset_directories",
            "validate_agreement",
        ]
    )


def test_datetime_is_not_a_reading() -> None:
    with pytest.raises(apacore.ParseError):
        apacore.parse_value(dt.datetime(2024, 1, 1))  # type: ignore[arg-type]


def _template_plugin(version: str | None = "1.0.0") -> object:
    from apacore.loading.templates import AgreementTemplate

    class Templates:
        @apacore.hookimpl
        def register_templates(self, register: Callable[[AgreementTemplate], None]) -> None:
            register(
                AgreementTemplate(
                    name="test-upazila",
                    fiscal_year="2024-25",
                    path=DATA / "templates" / "test-upazila-2024-25.toml",
                    ruleset_version=version,
                    description="synthetic",
                )
            )

    return Templates()


def test_hook_register_templates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`apacore new` writes a complete agreement that validates and scores as it is."""
    ruleset = load_ruleset("2024-25")
    with apacore.using_plugin(_template_plugin(ruleset.version), name="test-templates"):
        assert main(["templates"]) == 0
        assert "test-upazila  2024-25" in capsys.readouterr().out
        out = tmp_path / "office"
        assert (
            main(
                [
                    "new",
                    "--template",
                    "test-upazila",
                    "--fiscal-year",
                    "2024-25",
                    "--office",
                    "উপজেলা সমবায় কার্যালয়, নতুন",
                    "--office-en",
                    "New office",
                    "-o",
                    str(out) + "/",
                ]
            )
            == 0
        )
        office = load_office(out)
        assert office.agreement.scope == "complete"
        assert office.agreement.ruleset_sha256 == ruleset.sha256
        assert [a.kind for a in office.agreement.annexes] == list(ruleset.spec.annex_weights)
        card = score_agreement(office.agreement, None, office.ruleset)
        assert card.total_max == 100 and card.total_marks == 0
        # an existing file is not replaced without --force
        assert (
            main(
                [
                    "new",
                    "--template",
                    "test-upazila",
                    "--fiscal-year",
                    "2024-25",
                    "--office",
                    "x",
                    "-o",
                    str(out / "agreement.toml"),
                ]
            )
            == 2
        )
        assert "exists already" in capsys.readouterr().err


def test_a_template_built_for_another_ruleset_version_is_named(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with apacore.using_plugin(_template_plugin("0.9.0"), name="old-templates"):
        assert (
            main(["new", "--template", "test-upazila", "--fiscal-year", "2024-25", "--office", "x"])
            == 2
        )
    err = capsys.readouterr().err
    assert err.startswith(
        "apacore: error: plugin old-templates: template 'test-upazila' was"
        " built for ruleset 2024-25 v0.9.0"
    )
    assert err.count("\n") == 1


def _quarter_n(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    """The figure of the quarter the indicator's ``method_params.quarter`` names."""
    n = int(indicator.method_params["quarter"])
    reading = quarters[n - 1] if n <= len(quarters) else None
    value = reading.value if reading is not None else None
    return Achievement(value=value if isinstance(value, Decimal) else None, explanation=f"Q{n}")


class QuarterNPlugin:
    @apacore.hookimpl
    def register_calculation_methods(self, register: Callable[[CalculationMethod], None]) -> None:
        register(CalculationMethod(name="quarter_n", calculate=_quarter_n))


def test_a_method_reads_its_parameters_as_a_rule_does(tmp_path: Path) -> None:
    """``method_params`` reach the method through the indicator, as ``rule_params`` reach a rule."""
    agreement = (DATA / "mini-office" / "agreement.toml").read_text("utf-8")
    old = 'method = "sum"\nweight = 20\ntiers = ["০,০০০৮০"'
    assert old in agreement
    for n, expected in (("1", Decimal("0.00030")), ("2", Decimal("0.00040"))):
        new = f'method = "quarter_n"\nmethod_params = {{ quarter = "{n}" }}\nweight = 20\ntiers = ["০,০০০৮০"'
        with apacore.using_plugin(QuarterNPlugin(), name="quarter-n"):
            office = apacore.load_office_texts(
                agreement.replace(old, new),
                (DATA / "mini-office" / "report.toml").read_text("utf-8"),
                ruleset=load_ruleset(DATA / "mini-ruleset"),
            )
            result = apacore.score_office(office).scorecard.indicator("1.1.2")
        assert office.agreement.areas[0].indicators()[1].method_params == {"quarter": n}
        assert result.achievement == expected
