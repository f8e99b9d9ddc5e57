from apacore import hookimpl
from apacore.registry import ScoringRule
from apacore.scoring import RuleResult


@hookimpl
def register_scoring_rules(register):
    register(
        ScoringRule(
            name="floaty", score=lambda ind, a, ctx: RuleResult(raw=99.5, bracket="", formula="")
        )
    )
