from apacore import hookimpl
from apacore.plugins.contract import CalculationMethod


@hookimpl
def register_calculation_methods(register):
    register(CalculationMethod(name="five", calculate=lambda ind, qs: 5))
