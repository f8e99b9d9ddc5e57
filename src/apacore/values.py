"""Value classes: frozen attrs classes whose ``__repr__``, ``__eq__`` and ``__hash__`` are
shared functions rather than code written for each class.

attrs writes those methods as Python source for every class and compiles it when the
class is made. For the classes a cold ``apacore score`` makes (the model, the plugin
contract, the plan, the results) that compiling was a tenth of the command's time, spent
before any office was read (docs/concepts.md, "Start-up time"). :func:`frozen` is
``attrs.frozen`` with the same three methods read from ``attrs.fields`` instead:

- ``repr``: ``Name(a=1, b='x')``, the fields attrs would show (a field's ``repr=False``
  leaves it out, ``repr=callable`` formats it), as attrs writes it;
- ``==``: only with an instance of the very same class, comparing the fields attrs would
  compare (``eq=False`` leaves one out; ``eq=callable`` compares its key), as a tuple;
- ``hash``: of the fields attrs would hash, consistent with ``==`` (frozen values are
  hashable, as with attrs).

A method the class defines itself is kept, as attrs does. ``eq=False`` on the class keeps
identity equality and hashing. Everything else (``__init__`` with its validators and
converters, slots, pickling, ``attrs.evolve``/``fields``/``asdict``) is attrs' own.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

T = TypeVar("T", bound=type)

_Getter = Callable[[Any], tuple[Any, ...]]


def _frozen(maybe_cls: T | None = None, /, **options: Any) -> Any:
    """``attrs.frozen(**options)`` with the shared ``__repr__``, ``__eq__`` and ``__hash__``;
    used bare (``@frozen``) or with options (``@frozen(kw_only=True)``)."""

    def wrap(cls: T) -> T:
        own = cls.__dict__
        want_repr = options.get("repr", True) is not False and "__repr__" not in own
        want_eq = options.get("eq", True) is not False and "__eq__" not in own
        given = dict(options)
        if want_repr:
            given["repr"] = False
        if want_eq:
            given["eq"] = False
        made: T = attrs.frozen(cls, **given)
        if want_repr:
            made.__repr__ = _repr  # type: ignore[method-assign,assignment]
        if want_eq:
            made.__eq__ = _eq  # type: ignore[method-assign,assignment]
            if "__hash__" not in own:
                made.__hash__ = _hash  # type: ignore[method-assign,assignment]
        return made

    return wrap if maybe_cls is None else wrap(maybe_cls)


if TYPE_CHECKING:  # a type checker sees attrs' own decorator: the classes are attrs classes
    from attrs import frozen as frozen
else:
    frozen = _frozen


_REPR: dict[type, tuple[tuple[str, Callable[[Any], str]], ...]] = {}
_EQ: dict[type, _Getter] = {}
_HASH: dict[type, _Getter] = {}


def _repr(self: Any) -> str:
    cls = type(self)
    shown = _REPR.get(cls)
    if shown is None:
        shown = _REPR[cls] = tuple(
            (a.name, repr if a.repr is True else a.repr)
            for a in attrs.fields(cls)
            if a.repr is not False
        )
    name = cls.__qualname__.rsplit(">.", 1)[-1]
    return f"{name}({', '.join(f'{field}={show(getattr(self, field))}' for field, show in shown)})"


def _getter(fields: list[attrs.Attribute[Any]]) -> _Getter:
    """The values of ``fields`` of an instance, as a tuple (each through its ``eq_key``)."""
    keys = [a.eq_key for a in fields]  # type: ignore[attr-defined]  # not in attrs' stubs
    if any(keys):
        names = [a.name for a in fields]
        return lambda obj: tuple(
            getattr(obj, n) if k is None else k(getattr(obj, n)) for n, k in zip(names, keys)
        )
    if len(fields) == 1:
        one = fields[0].name
        return lambda obj: (getattr(obj, one),)
    if not fields:
        return lambda obj: ()
    return attrgetter(*(a.name for a in fields))


def _eq(self: Any, other: Any) -> Any:  # bool, or NotImplemented for another class
    cls = type(self)
    if other.__class__ is not cls:
        return NotImplemented
    values = _EQ.get(cls)
    if values is None:
        values = _EQ[cls] = _getter([a for a in attrs.fields(cls) if a.eq])
    return bool(values(self) == values(other))


def _hash(self: Any) -> int:
    cls = type(self)
    values = _HASH.get(cls)
    if values is None:
        fields = [a for a in attrs.fields(cls) if (a.eq if a.hash is None else a.hash)]
        values = _HASH[cls] = _getter(fields)
    return hash((cls, values(self)))
