"""apacore.testing's property suite on both rules: one line each (see docs/plugins.md)."""

from __future__ import annotations

import apacore_rules_extra
from hypothesis import strategies as st

import apacore.testing

TestYesNo = apacore.testing.scoring_rule_tests(
    "yes_no",
    plugin=apacore_rules_extra,
    plugin_name="rules-extra",
    indicators=apacore.testing.indicators(
        kinds=("target", "date_target", "no_target"), rule="yes_no"
    ),
)

TestDeadlineGrace = apacore.testing.scoring_rule_tests(
    "deadline_grace",
    plugin=apacore_rules_extra,
    plugin_name="rules-extra",
    indicators=apacore.testing.indicators(
        kinds=("date_target",),
        rule="deadline_grace",
        rule_params=st.integers(1, 60).map(lambda days: {"grace_days": str(days)}),
    ),
)
