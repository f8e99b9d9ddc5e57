import sys

from apacore import hookimpl


@hookimpl
def validate_agreement(agreement, ruleset):
    sys.exit(0)
