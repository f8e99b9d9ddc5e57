"""Built-in plugin: the calculation methods sum, average, cumulative, date, milestones."""

from __future__ import annotations

from collections.abc import Callable

from apacore.contract import CalculationMethod
from apacore.hookspecs import hookimpl
from apacore.methods import BUILTIN_METHODS


@hookimpl
def register_calculation_methods(register: Callable[[CalculationMethod], None]) -> None:
    for method in BUILTIN_METHODS:
        register(method)
