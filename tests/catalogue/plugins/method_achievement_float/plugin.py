from apacore import hookimpl
from apacore.plugins.contract import Achievement, CalculationMethod


@hookimpl
def register_calculation_methods(register):
    register(
        CalculationMethod(
            name="odd", calculate=lambda ind, qs: Achievement(value=15.5, explanation="x")
        )
    )
