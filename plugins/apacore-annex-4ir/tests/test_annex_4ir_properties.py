"""apacore.testing's property suite on the rules and methods the 4IR rows use, with the
example agreement's own rows as the indicators (one line each)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

import apacore.testing
from apacore.loading.agreements import load_agreement
from apacore.models import Indicator

AGREEMENT = load_agreement(Path(__file__).parent / "data" / "fourth-ir-office" / "agreement.toml")
ROWS: list[Indicator] = [
    i for a in AGREEMENT.annexes for area in a.areas for i in area.indicators()
]


def _rows(rule: str) -> st.SearchStrategy[Indicator]:
    return st.sampled_from([i for i in ROWS if apacore.testing.rule_of(i) == rule])


TestTiersOn4IRRows = apacore.testing.scoring_rule_tests("tiers", indicators=_rows("tiers"))
TestMilestonesOn4IRRows = apacore.testing.scoring_rule_tests(
    "milestones", indicators=_rows("milestones")
)
