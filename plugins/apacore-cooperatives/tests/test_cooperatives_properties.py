"""apacore.testing's property suite on the rules and methods that score the templates'
own indicators, drawn from the templates themselves (one line each)."""

from __future__ import annotations

from collections.abc import Callable

import apacore_cooperatives
from hypothesis import strategies as st

import apacore.testing
from apacore.loading.convert import read_toml, structure
from apacore.models import Area, Indicator


def _rows(fiscal_year: str) -> list[Indicator]:
    path = apacore_cooperatives.template_path(fiscal_year)
    areas = [structure(a, Area, where=str(path)) for a in read_toml(path)["areas"]]
    return [i for area in areas for i in area.indicators()]


ROWS_2023_24 = _rows("2023-24")
ROWS_2024_25 = _rows("2024-25")


def _pick(rows: list[Indicator], keep: Callable[[Indicator], bool]) -> st.SearchStrategy[Indicator]:
    chosen = [i for i in rows if keep(i)]
    assert chosen, "no template row fits"
    return st.sampled_from(chosen)


TestTiersOnThe2023_24Template = apacore.testing.scoring_rule_tests(
    "tiers",
    indicators=_pick(ROWS_2023_24, lambda i: apacore.testing.rule_of(i) == "tiers"),
    fiscal_year="2023-24",
)
TestSingleTargetOnThe2024_25Template = apacore.testing.scoring_rule_tests(
    "single_target",
    indicators=_pick(ROWS_2024_25, lambda i: apacore.testing.rule_of(i) == "single_target"),
)
TestCumulativeOnThe2024_25Template = apacore.testing.calculation_method_tests(
    "cumulative", monotone=True, indicators=_pick(ROWS_2024_25, lambda i: i.method == "cumulative")
)
