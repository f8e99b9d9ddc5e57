from apacore import hookimpl


@hookimpl
def validate_agreement(agreement, ruleset):
    return ["every office needs a climate annex"]
