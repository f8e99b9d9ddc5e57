"""apacore.testing's contract suites for a whole plugin: ``annex_type_tests`` passes a sound
annex type (and the built-in ones) and fails a deliberately broken one in each way it
checks; ``plugin_tests`` runs the right suite for what a plugin registers; the Bengali
fallback of a name a plugin left out; ``apacore plugins check``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import attrs
import pytest
from hypothesis import Phase, settings

import apacore
import apacore.testing as T
from apacore.builtins.rules import BUILTIN_RULES
from apacore.cli import main
from apacore.plugins.contract import AnnexType, CalculationMethod, ScoringRule, bengali_fallback
from apacore.plugins.hookspecs import hookimpl
from apacore.plugins.host import get_registry, using_plugin

FEW = settings(max_examples=15, deadline=None, phases=(Phase.explicit, Phase.generate))
ROOT = Path(__file__).resolve().parents[1]


def _annex(**changes: Any) -> AnnexType:
    """A sound annex type, changed as asked."""
    fields: dict[str, Any] = dict(
        kind="procurement",
        name_en="Procurement plan",
        name_bn="ক্রয় পরিকল্পনা",
        apa_weight=Decimal(5),
        titles=[r"ক্রয়\s*পরিকল্পনা", r"procurement\s+plan"],
    )
    fields.update(changes)
    return AnnexType(**fields)


def _forced(annex_type: AnnexType, **values: Any) -> AnnexType:
    """``annex_type`` with fields its validators would refuse (a plugin built otherwise)."""
    for name, value in values.items():
        object.__setattr__(annex_type, name, value)
    return annex_type


def test_a_sound_annex_type_passes_every_property() -> None:
    T.check_annex_type(_annex(), settings=FEW)


@pytest.mark.parametrize("kind", ["integrity", "egov", "grs", "charter", "rti"])
def test_the_builtin_annex_types_pass_all_but_their_rows(kind: str) -> None:
    """The five built-ins, under the same contract (their generated rows are the office's own)."""
    T.check_annex_type(kind, settings=FEW)


BROKEN: dict[str, tuple[Callable[[], AnnexType], str]] = {
    # its titles are recognised by the importer
    "has no titles": (
        lambda: _annex(titles=[]),
        r"\(titles recognised\): it has no titles, so `apacore import --annex auto` cannot",
    ),
    "has a title of a built-in annex": (
        lambda: _annex(titles=[r"ই-গভর্ন্যান্স\s*ক্রয়"]),
        r"\(titles recognised\): the title .* is recognised as 'egov', 'procurement', not as"
        r" 'procurement' alone",
    ),
    "has a title pattern that is not a regular expression": (
        lambda: _annex(titles=[r"ক্রয়("]),
        r"\(titles recognised\): plugin .*: annex type 'procurement' has a title pattern that is"
        r" not a regular expression",
    ),
    # its conversion into APA marks is exact and bounded
    "has no APA weight": (
        lambda: _annex(apa_weight=None),
        r"\(conversion exact and bounded\): it has no APA weight",
    ),
    "is worth more than an APA": (
        lambda: _annex(apa_weight=Decimal(150)),
        r"\(conversion exact and bounded\): its APA weight 150 is not in \(0, 100\]",
    ),
    "has a float APA weight": (
        lambda: _forced(_annex(), apa_weight=0.1),
        r"\(conversion exact and bounded\): its APA weight 0\.1 is not an exact, finite Decimal",
    ),
    # it has a Bengali name
    "has no Bengali name": (
        lambda: _annex(name_bn=""),
        r"\(Bengali name\): it has no Bengali name \(name_bn = ''\), so Bengali output titles"
        r" it '‘procurement’ কর্মপরিকল্পনা'",
    ),
    "has an English name for its Bengali one": (
        lambda: _annex(name_bn="Procurement plan"),
        r"\(Bengali name\): it has no Bengali name \(name_bn = 'Procurement plan'\)",
    ),
    # an agreement using it loads, scores and renders without English in Bengali output
    "has English in its Bengali name": (
        lambda: _annex(name_bn="ক্রয় পরিকল্পনা (purchase plan)"),
        r"\(renders in Bengali\): `score --lang bn --format table` shows English: plan, purchase",
    ),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_annex_type_tests_fails_an_annex_type_that(fault: str) -> None:
    make, message = BROKEN[fault]
    annex_type = make()
    properties = [p for p in T.ANNEX_PROPERTIES if p != "bengali_name" or "Bengali" in fault]
    with pytest.raises(T.PropertyFailure, match=r"^annex type 'procurement' " + message) as info:
        T.check_annex_type(annex_type, settings=FEW, properties=properties)
    assert "\n" not in str(info.value)


def test_an_annex_type_that_does_not_load_is_named_with_the_file() -> None:
    """A kind that clashes with a built-in one cannot even be registered: the failure names both."""
    with pytest.raises(apacore.PluginError, match="annex type 'egov' is registered by both"):
        T.check_annex_type(_annex(kind="egov"), settings=FEW)


def test_annex_type_tests_fails_an_annex_type_whose_agreements_do_not_load() -> None:
    """Its plugin refuses every agreement with it (validate_agreement): one line naming why."""
    plugin = SimpleNamespace(
        register_annex_types=hookimpl(lambda register: register(_annex())),
        validate_agreement=hookimpl(lambda agreement, ruleset: ["procurement rows need a budget"]),
    )
    with pytest.raises(
        T.PropertyFailure,
        match=r"^annex type 'procurement' \(conversion exact and bounded\): an agreement with an"
        r" annex of kind 'procurement' did not load and score: procurement rows need a budget;"
        r" agreement rows 1\.1\.1 \(",
    ) as info:
        T.check_annex_type(
            "procurement", plugin=plugin, plugin_name="budgets", settings=FEW,
            properties=["exact_and_bounded"],
        )  # fmt: skip
    assert "\n" not in str(info.value)


def test_the_test_class_has_one_test_per_property() -> None:
    cls = T.annex_type_tests(_annex(), settings=FEW)
    names = sorted(n for n in vars(cls) if n.startswith("test_"))
    assert names == sorted(f"test_{p}" for p in T.ANNEX_PROPERTIES)
    for name in names:
        getattr(cls(), name)()


def test_the_annex_property_suite_is_given_the_plugin_that_registers_it() -> None:
    plugin = SimpleNamespace(register_annex_types=hookimpl(lambda register: register(_annex())))
    T.check_annex_type("procurement", plugin=plugin, plugin_name="procurement", settings=FEW)
    assert "procurement" not in get_registry().annex_types  # registered only meanwhile
    with pytest.raises(T.PropertyFailure, match="annex type 'procurement' is not registered"):
        T.check_annex_type("procurement", settings=FEW)


# --- the Bengali fallback ----------------------------------------------------------------


def _calculate(indicator: Any, quarters: Any) -> apacore.Achievement:
    figures = [r.value for r in quarters if r is not None and isinstance(r.value, Decimal)]
    return apacore.Achievement(value=sum(figures) if figures else None, explanation="sum")


class _Nameless:
    """A plugin published before Bengali names: an annex type, a method and a rule without one."""

    @hookimpl
    def register_annex_types(self, register: Callable[[AnnexType], None]) -> None:
        register(_annex(name_bn=""))

    @hookimpl
    def register_calculation_methods(self, register: Callable[[CalculationMethod], None]) -> None:
        register(CalculationMethod(name="plain_sum", calculate=_calculate))

    @hookimpl
    def register_scoring_rules(self, register: Callable[[ScoringRule], None]) -> None:
        single = next(r for r in BUILTIN_RULES if r.name == "single_target")
        register(attrs.evolve(single, name="plain_target", name_bn=""))


AGREEMENT = """\
fiscal_year = "2024-25"
scope = "partial"

[office]
name_bn = "উপজেলা কার্যালয়, উদাহরণ"
level = "upazila"

[[annexes]]
kind = "procurement"
total = 4

[[annexes.areas]]
id = "1"
name_bn = "ক্রয়"
weight = 4

[[annexes.areas.activities]]
id = "1.1"
name_bn = "ক্রয় পরিকল্পনা"

[[annexes.areas.activities.indicators]]
id = "1.1.1"
name_bn = "ক্রয় পরিকল্পনা প্রকাশিত"
unit = "count"
method = "plain_sum"
rule = "plain_target"
weight = 4
target = 2
source = "test"
"""


def test_names_a_plugin_left_out_are_shown_by_the_bengali_fallback_never_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "agreement.toml").write_text(AGREEMENT, "utf-8")
    (tmp_path / "report.toml").write_text(
        'fiscal_year = "2024-25"\nquarter = 1\n\n[[entries]]\nindicator = "procurement/1.1.1"\nq1 = "১"\n',
        "utf-8",
    )
    with using_plugin(_Nameless(), name="nameless"):
        assert main(["score", str(tmp_path), "--lang", "bn"]) == 0
        out, err = capsys.readouterr()
        assert "‘procurement’ কর্মপরিকল্পনা: ২.০০ / ৪.০০" in out
        assert "Procurement plan" not in out
        assert err == ""  # no extra warning line for it
        assert main(["explain", str(tmp_path), "procurement/1.1.1", "--lang", "bn"]) == 0
        out, err = capsys.readouterr()
        assert "পদ্ধতি ‘plain_sum’, নিয়ম ‘plain_target’" in out and err == ""
        assert main(["score", str(tmp_path)]) == 0  # English output keeps the English name
        assert "Procurement plan" in capsys.readouterr().out
    assert bengali_fallback("annex type", "procurement") == "‘procurement’ কর্মপরিকল্পনা"
    assert bengali_fallback("scoring rule", "plain_target") == "‘plain_target’"


# --- plugin_tests ------------------------------------------------------------------------


TestNamelessPlugin = T.plugin_tests(
    SimpleNamespace(
        __name__="ministry_sound",
        register_annex_types=hookimpl(lambda register: register(_annex())),
    ),
    name="ministry-sound",
    settings=FEW,
)


def test_plugin_tests_runs_the_right_suite_for_what_it_registers() -> None:
    cls = T.plugin_tests(_Nameless(), name="nameless", settings=FEW)  # type: ignore[arg-type]
    names = sorted(n for n in vars(cls) if n.startswith("test_"))
    assert "test_nothing_clashes_with_the_built_ins" in names
    assert "test_Bengali_names" in names
    assert {f"test_annex_procurement__{p}" for p in T.ANNEX_PROPERTIES} <= set(names)
    assert {f"test_rule_plain_target__{p}" for p in T.RULE_PROPERTIES} <= set(names)
    assert "test_method_plain_sum__exact_achievement" in names
    with pytest.raises(
        T.PropertyFailure,
        match=r"no Bengali name \(name_bn\) for calculation"
        r" method 'plain_sum' \(Bengali output shows '‘plain_sum’'\); scoring rule",
    ):
        cls().test_Bengali_names()
    with pytest.raises(T.PropertyFailure, match=r"\(Bengali name\): it has no Bengali name"):
        cls().test_annex_procurement__bengali_name()
    cls().test_method_plain_sum__exact_achievement()
    cls().test_nothing_clashes_with_the_built_ins()


def test_plugin_tests_names_a_clash_with_the_builtins() -> None:
    clashing = SimpleNamespace(
        __name__="ministry_clash",
        register_annex_types=hookimpl(lambda register: register(_annex(kind="rti"))),
    )
    cls = T.plugin_tests(clashing, name="ministry-clash", settings=FEW)  # type: ignore[arg-type]
    assert [n for n in vars(cls) if n.startswith("test_")] == [
        "test_nothing_clashes_with_the_built_ins"
    ]
    with pytest.raises(
        T.PropertyFailure,
        match=r"plugin ministry-clash cannot be registered: .*annex type 'rti' is registered by"
        r" both plugin apacore.builtins.annexes and plugin ministry-clash",
    ):
        cls().test_nothing_clashes_with_the_built_ins()


# --- apacore plugins check ---------------------------------------------------------------

BROKEN_PLUGIN = '''
"""A plugin that breaks the contract: an annex without a Bengali name, a float score."""
from decimal import Decimal
from apacore import AnnexType, RuleResult, ScoringRule, hookimpl

@hookimpl
def register_annex_types(register):
    register(AnnexType(kind="broken_plan", name_en="Broken plan", apa_weight=Decimal(5),
                       titles=[r"broken\\s+plan"]))

@hookimpl
def register_scoring_rules(register):
    register(ScoringRule(name="floaty", name_bn="ভাসমান",
                         score=lambda i, a, c: RuleResult(raw=0.5, bracket="", formula="")))
'''


def _installed_broken_plugin(folder: Path) -> None:
    """A package as pip installs it: the module and its dist-info with the entry point."""
    (folder / "ministry_broken.py").write_text(textwrap.dedent(BROKEN_PLUGIN), "utf-8")
    info = folder / "ministry_broken-0.3.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ministry-broken\nVersion: 0.3.0\n", "utf-8"
    )
    (info / "entry_points.txt").write_text("[apacore]\nbroken = ministry_broken\n", "utf-8")


def _check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "apacore", "plugins", "check", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        cwd=env.get("CWD", os.getcwd()),
    )


def test_plugins_check_passes_the_three_shipped_plugins(tmp_path: Path) -> None:
    shipped = "annex-4ir,cooperatives,rules-extra"
    done = _check({"APACORE_LOAD_PLUGINS": shipped, "APACORE_CACHE_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[0] for line in lines] == shipped.split(",")
    assert all(": ok (" in line for line in lines), lines


def test_plugins_check_names_a_broken_plugin_and_why(tmp_path: Path) -> None:
    _installed_broken_plugin(tmp_path)
    env = {
        "APACORE_LOAD_PLUGINS": "broken,annex-4ir",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path]),
        "APACORE_CACHE_DIR": str(tmp_path / "cache"),
        "CWD": str(tmp_path),
    }
    done = _check(env, "--examples", "5")
    assert done.returncode == 1, done.stdout + done.stderr
    out = done.stdout
    assert "annex-4ir 0.2.0: ok (6 checks)" in out
    assert "broken 0.3.0: 5 of 10 checks fail" in out
    assert (
        "  annex type 'broken_plan' (Bengali name): it has no Bengali name (name_bn = ''),"
        " so Bengali output titles it '‘broken_plan’ কর্মপরিকল্পনা'" in out
    )
    assert "  scoring rule 'floaty' (exact raw score in [0, 100]): raw score 0.5 is a float" in out
    assert not (tmp_path / ".hypothesis").exists()


def test_plugins_check_with_no_plugins_and_bad_examples(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["plugins", "check"]) == 0
    assert capsys.readouterr().out == "no plugins installed (only apacore's built-ins)\n"
    assert main(["plugins", "check", "--examples", "0"]) == 2
    assert capsys.readouterr().err == "apacore: error: --examples: must be 1 or more, got 0\n"
