"""Built-in plugin: the calculation methods sum, average, cumulative, date, milestones."""

from __future__ import annotations

from collections.abc import Callable

from apacore.hookspecs import hookimpl
from apacore.methods import BUILTIN_METHODS
from apacore.registry import CalculationMethod


@hookimpl
def register_calculation_methods(register: Callable[[CalculationMethod], None]) -> None:
    for method in BUILTIN_METHODS:
        register(method)
