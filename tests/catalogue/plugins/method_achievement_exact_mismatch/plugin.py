from decimal import Decimal
from fractions import Fraction

from apacore import hookimpl
from apacore.plugins.contract import Achievement, CalculationMethod


@hookimpl
def register_calculation_methods(register):
    register(
        CalculationMethod(
            name="odd",
            calculate=lambda ind, qs: Achievement(
                value=Decimal(15), explanation="x", exact=Fraction(33, 2)
            ),
        )
    )
