from apacore import hookimpl
from apacore.plugins.contract import RuleResult, ScoringRule


@hookimpl
def register_scoring_rules(register):
    register(
        ScoringRule(
            name="floaty", score=lambda ind, a, ctx: RuleResult(raw=99.5, bracket="", formula="")
        )
    )
