"""Structuring a parsed file's tables into the model without cattrs' bookkeeping.

:func:`apacore.loading.convert.structure` first tries a structurer made here: one Python
function per attrs class, written out (as cattrs writes its own) from the class's fields,
that calls the very hooks the cattrs converter calls (``_str``, ``_decimal``, …) but keeps
no list of errors, no notes and no generic dispatch between them. It either returns
exactly the object the converter would make or raises (anything: a missing key, an
unknown key, a hook's or a validator's complaint, a tuple where a list is due); then the
converter structures the same data again, finds every error and words the first, so every
message and ``$.path`` stays the converter's own. A valid office costs about half of what
the converter costs; an invalid one costs both.

It is stricter than the converter, never looser: tables must be ``dict``, lists ``list``
and text ``str`` (as a TOML parser makes them); anything else takes the converter's way.
A class with a field of a type not handled here (a mapping of tables, a union of several
types no hook is given for) gets no structurer at all. ``tests/test_fast_structure.py``
holds the structurers to the converter on generated valid and invalid data.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any, Union

import attrs

__all__ = ["Hooks", "make_structurer"]

Hook = Callable[..., Any]
Hooks = tuple[tuple[Any, Hook], ...]
"""``(type, hook)`` pairs: the converter's structure hooks for single values, each
called with the value alone; a type is matched by equality, as the converter matches its
aliases (``Optional[Decimal]`` and ``Decimal | None`` are one type)."""


class _Unsupported(Exception):
    """A type this module does not structure: the class is left to the converter."""


def make_structurer(cls: type, hooks: Hooks) -> Hook | None:
    """A function structuring a ``dict`` into ``cls`` (an attrs class) with ``hooks``, or
    None when some field of ``cls`` (or of a class it holds) has a type not handled here
    (or type hints that cannot be read: the converter then says what it makes of them)."""
    try:
        return _Compiler(hooks).structurer(cls)
    except Exception:  # _Unsupported, or hints naming what cannot be imported here
        return None


class _Compiler:
    def __init__(self, hooks: Hooks) -> None:
        self.hooks = hooks
        self.made: dict[type, Hook] = {}
        self.pending: set[type] = set()
        self.namespace: dict[str, Any] = {}

    def _name(self, value: Any, prefix: str) -> str:
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def structurer(self, cls: type) -> Hook:
        made = self.made.get(cls)
        if made is not None:
            return made
        if cls in self.pending:  # a class holding itself: left to the converter
            raise _Unsupported(cls)
        self.pending.add(cls)
        hints = typing.get_type_hints(cls)
        lines = [
            "def structure(o):",
            "    if type(o) is not dict or not allowed >= o.keys():",
            "        raise TypeError('not a table of known keys')",
            "    kw = {}",
        ]
        allowed = set()
        for field in attrs.fields(cls):
            if not field.init:
                continue
            allowed.add(field.name)
            value = self._expression(hints[field.name], "v")
            if field.default is attrs.NOTHING:
                lines += [f"    v = o[{field.name!r}]", f"    kw[{field.alias!r}] = {value}"]
            else:
                lines += [
                    f"    if {field.name!r} in o:",
                    f"        v = o[{field.name!r}]",
                    f"        kw[{field.alias!r}] = {value}",
                ]
        lines.append(f"    return {self._name(cls, 'cls')}(**kw)")
        namespace = dict(self.namespace, allowed=frozenset(allowed))
        exec("\n".join(lines), namespace)  # code written here from the fields
        function: Hook = namespace["structure"]
        self.made[cls] = function
        return function

    def _expression(self, t: Any, v: str) -> str:
        """Python text structuring the value named ``v`` of type ``t``."""
        for alias, hook in self.hooks:
            if alias == t:
                if t is str:  # the commonest: checked in line rather than called
                    return f"({v} if type({v}) is str else {self._name(hook, 'hook')}({v}))"
                return f"{self._name(hook, 'hook')}({v})"
        origin, args = typing.get_origin(t), typing.get_args(t)
        if origin in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
            (inner,) = (a for a in args if a is not type(None))
            return f"(None if {v} is None else {self._expression(inner, v)})"
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self._name(self._item_function(args[0]), "items")
            return f"{item}({v})"
        if attrs.has(t):
            return f"{self._name(self.structurer(t), 'table')}({v})"
        raise _Unsupported(t)

    def _item_function(self, t: Any) -> Hook:
        """A function structuring a list of values of type ``t`` into a tuple."""
        code = (
            "def items(values):\n"
            "    if type(values) is not list:\n"
            "        raise TypeError('not a list')\n"
            f"    return tuple([{self._expression(t, 'x')} for x in values])\n"
        )
        namespace = dict(self.namespace)
        exec(code, namespace)  # code written here from the item type
        function: Hook = namespace["items"]
        return function
