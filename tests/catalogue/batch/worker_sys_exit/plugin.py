import sys

from apacore import hookimpl


@hookimpl
def validate_agreement(agreement, ruleset):
    if agreement.office.name_en.endswith("Sample"):
        sys.exit(0)
    return []
