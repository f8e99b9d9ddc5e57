"""The plugin host: methods and rules own their load-time checks; one way to collect a
hook's registrations, reject duplicates and name a plugin that fails."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from pathlib import Path

import pytest

import apacore
from apacore.cli import main
from apacore.errors import PluginError
from apacore.loading.agreements import load_office
from apacore.loading.rulesets import load_ruleset
from apacore.models import Indicator
from apacore.numbers import Reading
from apacore.plugins.contract import Achievement, CalculationMethod, Problem, ScoringRule
from apacore.plugins.host import collect, get_registry, list_plugins, ruleset_directories

DATA = Path(__file__).parent / "data"


def _latest(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
    values = [r.value for r in quarters if r is not None and r.value is not None]
    return Achievement(value=values[-1] if values else None, explanation="latest")  # type: ignore[arg-type]


def _needs_a_base(indicator: Indicator) -> Iterable[Problem]:
    if indicator.base is None:
        yield ("base", "method 'latest_of_base' needs a base (the count it is a share of)")


class LatestOfBase:
    @apacore.hookimpl
    def register_calculation_methods(self, register: Callable[[CalculationMethod], None]) -> None:
        register(CalculationMethod(name="latest_of_base", calculate=_latest, check=_needs_a_base))


def _office_using(tmp_path: Path, method: str) -> Path:
    text = (DATA / "mini-office" / "agreement.toml").read_text("utf-8")
    text = text.replace(
        'unit = "persons_lakh"\nmethod = "sum"', f'unit = "persons_lakh"\nmethod = "{method}"'
    )
    (tmp_path / "agreement.toml").write_text(text, "utf-8")
    (tmp_path / "report.toml").write_text(
        (DATA / "mini-office" / "report.toml").read_text("utf-8"), "utf-8"
    )
    return tmp_path


def test_a_plugin_method_owns_its_load_time_check(tmp_path: Path) -> None:
    office = _office_using(tmp_path, "latest_of_base")
    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(LatestOfBase(), name="ministry-methods"):
        with pytest.raises(apacore.AgreementError) as info:
            load_office(office, ruleset=ruleset)
    assert str(info.value) == (
        f"{office / 'agreement.toml'} (checked by plugin ministry-methods):"
        " $.areas[0].activities[0].indicators[1].base:"
        " method 'latest_of_base' needs a base (the count it is a share of)"
    )


def test_a_check_that_raises_names_plugin_file_and_path(tmp_path: Path) -> None:
    def broken(indicator: Indicator) -> Iterable[Problem]:
        raise KeyError("oops")

    class Broken:
        @apacore.hookimpl
        def register_calculation_methods(
            self, register: Callable[[CalculationMethod], None]
        ) -> None:
            register(CalculationMethod(name="latest_of_base", calculate=_latest, check=broken))

    office = _office_using(tmp_path, "latest_of_base")
    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(Broken(), name="broken-checks"):
        with pytest.raises(PluginError) as info:
            load_office(office, ruleset=ruleset)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{office / 'agreement.toml'} (checked by plugin broken-checks):")
    assert message.endswith(
        "$.areas[0].activities[0].indicators[1]: raised KeyError in the check of"
        " calculation method 'latest_of_base': 'oops'"
    )


def test_the_builtin_date_method_checks_its_unit_through_the_same_field(tmp_path: Path) -> None:
    office = _office_using(tmp_path, "date")
    with pytest.raises(apacore.AgreementError) as info:
        load_office(office, ruleset=load_ruleset(DATA / "mini-ruleset"))
    assert str(info.value).endswith(
        "$.areas[0].activities[0].indicators[1].unit: method 'date' needs unit 'date',"
        " got 'persons_lakh'"
    )
    assert "checked by plugin" not in str(info.value)  # apacore's own are not named


def test_builtins_declare_what_they_produce_and_score() -> None:
    registry = get_registry()
    assert {n: m.produces for n, m in registry.methods.items()} == {
        "sum": "number",
        "average": "number",
        "cumulative": "number",
        "date": "date",
        "milestones": "dates",
    }
    assert registry.rules["milestones"].accepts == {"dates"}
    assert registry.rules["tiers"].accepts == {"number", "date"}


def test_a_declared_kind_must_be_known() -> None:
    with pytest.raises(ValueError, match="produces must be one of number, date, dates"):
        CalculationMethod(name="x", calculate=_latest, produces="text")


def test_a_misspelt_hookimpl_argument_is_one_line_naming_the_plugin() -> None:
    class Typo:
        @apacore.hookimpl
        def register_annex_types(self, regster: Callable[[object], None]) -> None:
            pass

    with pytest.raises(PluginError) as info:
        apacore.register_plugin(Typo(), name="typo-plugin")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("plugin typo-plugin: hook 'register_annex_types': ")
    assert "regster" in message


def test_a_hook_returning_the_wrong_type_names_the_plugin() -> None:
    class Wrong:
        @apacore.hookimpl
        def ruleset_directories(self) -> str:
            return "/not/a/list"

    with apacore.using_plugin(Wrong(), name="wrong-dirs"):
        with pytest.raises(PluginError) as info:
            ruleset_directories()
    assert str(info.value) == (
        "plugin wrong-dirs: hook ruleset_directories returned '/not/a/list',"
        " not a list of Path or str"
    )


def test_validate_agreement_answers_are_checked() -> None:
    class NotStrings:
        @apacore.hookimpl
        def validate_agreement(self, agreement: object, ruleset: object) -> list[int]:
            return [42]

    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(NotStrings(), name="numbers-plugin"):
        with pytest.raises(PluginError, match=r"^plugin numbers-plugin: hook validate_agreement"):
            load_office(DATA / "mini-office", ruleset=ruleset)


def test_collect_is_the_one_way_to_gather_registrations() -> None:
    class Two:
        @apacore.hookimpl
        def register_scoring_rules(self, register: Callable[[ScoringRule], None]) -> None:
            register(ScoringRule(name="a", score=lambda i, a, c: None))  # type: ignore[arg-type]
            register(ScoringRule(name="a", score=lambda i, a, c: None))  # type: ignore[arg-type]

    with apacore.using_plugin(Two(), name="twice"):
        with pytest.raises(PluginError) as info:
            collect("register_scoring_rules", "scoring rule", ScoringRule, lambda r, p: r.name)
    assert str(info.value) == "plugin twice: registered scoring rule 'a' twice"


def test_the_ruleset_cache_follows_the_plugins() -> None:
    first = load_ruleset("2024-25")
    assert load_ruleset("2024-25") is first
    with apacore.using_plugin(LatestOfBase(), name="ministry-methods"):
        assert load_ruleset("2024-25") is not first  # validated again, with the new plugin
    assert main(["rulesets", "list"]) == 0


def test_library_errors_name_arguments_and_the_cli_names_flags(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from apacore.office import score_path

    example = Path(__file__).parent.parent / "examples" / "dakop-2024-25"
    with pytest.raises(apacore.ApacoreError) as info:
        score_path(example, as_of=7)
    assert info.value.where == "as_of" and "--" not in str(info.value)
    with pytest.raises(apacore.ApacoreError) as info:
        from apacore.loading.templates import new_agreement

        new_agreement("no-such-template", "2024-25", office_bn="x")
    assert info.value.where == "template_name"
    assert main(["score", str(example), "--as-of", "2026-01-01"]) == 2
    assert capsys.readouterr().err.startswith("apacore: error: --as-of: 2026-01-01 is outside")
    assert main(["new", "--template", "nope", "--fiscal-year", "2024-25", "--office", "x"]) == 2
    assert capsys.readouterr().err.startswith("apacore: error: --template: no template 'nope'")


def test_a_misspelt_hook_name_is_one_line_naming_the_plugin() -> None:
    class Typo:
        @apacore.hookimpl
        def register_anex_types(self, register: Callable[[object], None]) -> None:
            pass

    with pytest.raises(PluginError) as info:
        apacore.register_plugin(Typo(), name="typo-hook")
    assert str(info.value) == (
        "plugin typo-hook: unknown hook 'register_anex_types' (see docs/hooks.md for the hooks)"
    )
    assert "typo-hook" not in {p.name for p in list_plugins()}


def test_a_validate_agreement_hook_that_raises_names_plugin_and_file() -> None:
    class Raises:
        @apacore.hookimpl
        def validate_agreement(self, agreement: object, ruleset: object) -> list[str]:
            raise ZeroDivisionError("division by zero")

    ruleset = load_ruleset(DATA / "mini-ruleset")
    with apacore.using_plugin(Raises(), name="raising-checks"):
        with pytest.raises(PluginError) as info:
            load_office(DATA / "mini-office", ruleset=ruleset)
    assert str(info.value) == (
        f"{DATA / 'mini-office' / 'agreement.toml'} (checked by plugin raising-checks):"
        " raised ZeroDivisionError in hook validate_agreement: division by zero"
    )


def test_apacore_testing_draws_indicators_from_the_declarations() -> None:
    import datetime as dt

    import apacore.testing as T
    from apacore.plugins.contract import RuleResult

    seen: set[str] = set()

    def latest_date(indicator: Indicator, quarters: Sequence[Reading | None]) -> Achievement:
        seen.add(indicator.unit)
        dates = [r.value for r in quarters if r is not None and isinstance(r.value, dt.date)]
        return Achievement(value=max(dates) if dates else None, explanation="latest")

    T.check_calculation_method(
        CalculationMethod(name="latest_date", calculate=latest_date, produces="date"),
        properties=("exact_achievement",),
    )
    assert seen == {"date"}

    def all_on_time(indicator: Indicator, achievement: Achievement, context: object) -> RuleResult:
        seen.add(f"rule:{indicator.unit}")
        done = achievement.value or ()
        due = indicator.milestones or ()
        ok = len(done) >= len(due) and all(d <= m for d, m in zip(sorted(done), due))  # type: ignore[arg-type]
        return RuleResult(raw=Fraction(100 if ok else 0), bracket="", formula="")

    T.check_scoring_rule(
        ScoringRule(name="all_on_time", score=all_on_time, accepts={"dates"}, monotone=False),
        properties=("exact_and_bounded", "exact_at_targets"),
    )
    assert "rule:dated_count" in seen and "rule:count" not in seen


def test_a_collecting_hook_that_returns_instead_of_registering_is_named() -> None:
    class Returns:
        @apacore.hookimpl
        def register_calculation_methods(self, register: object) -> list[CalculationMethod]:
            return [CalculationMethod(name="lost", calculate=_latest)]

    with apacore.using_plugin(Returns(), name="returns-a-list"):
        with pytest.raises(PluginError) as info:
            get_registry()
    assert str(info.value).startswith(
        "plugin returns-a-list: hook register_calculation_methods returned [CalculationMethod("
    )
    assert str(info.value).endswith("call register(...) once per calculation method instead")
