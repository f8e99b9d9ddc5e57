import os

from apacore import hookimpl


@hookimpl
def validate_agreement(agreement, ruleset):
    if agreement.office.name_en.endswith("Sample"):
        os._exit(3)
    return []
