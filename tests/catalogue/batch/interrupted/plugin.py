from apacore import hookimpl


@hookimpl
def validate_agreement(agreement, ruleset):
    raise KeyboardInterrupt
