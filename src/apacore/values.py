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

- pickling (and ``copy``): the fields' values as one tuple, set back into the slots
  without ``__init__`` (attrs' ``__setstate__`` does not run it either). attrs pickles a
  dict of names to values, made and read back by Python code for each object: keeping a
  national batch's checked agreements (each ~60 objects) took a tenth of a cold office.

A method the class defines itself is kept, as attrs does (a class with its own
``__getstate__``, ``__setstate__`` or ``__reduce__`` pickles its own way). ``eq=False`` on
the class keeps identity equality and hashing. Everything else (``__init__`` with its
validators and converters, slots, ``attrs.evolve``/``fields``/``asdict``) is attrs' own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from itertools import repeat
from operator import attrgetter
from types import MemberDescriptorType
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
        if options.get("slots", True) and not _PICKLES_ITS_OWN_WAY.intersection(own):
            made.__reduce__ = _reduce  # type: ignore[method-assign,assignment]
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


def _getter(fields: list[attrs.Attribute[Any]], *, keyed: bool = True) -> _Getter:
    """The values of ``fields`` of an instance, as a tuple (each through its ``eq_key``
    unless not ``keyed``)."""
    keys = [a.eq_key for a in fields] if keyed else []  # type: ignore[attr-defined]
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


_PICKLES_ITS_OWN_WAY = frozenset({"__getstate__", "__setstate__", "__reduce__", "__reduce_ex__"})
_set_slot = MemberDescriptorType.__set__


_Slots = tuple[tuple[str, ...], tuple[MemberDescriptorType, ...], _Getter]
"""How instances of a class pickle: its fields' names, their slots and a getter of values."""
_SLOTS: dict[type, _Slots] = {}


def _slots(cls: type) -> _Slots | None:
    """The slots of ``cls``'s fields, in order; None where a field has none (not slotted)."""
    found = _SLOTS.get(cls)
    if found is None:
        fields = list(attrs.fields(cls))
        descriptors = [
            next((k.__dict__[a.name] for k in cls.__mro__ if a.name in k.__dict__), None)
            for a in fields
        ]
        if not all(type(d) is MemberDescriptorType for d in descriptors):
            return None
        found = _SLOTS[cls] = (
            tuple(a.name for a in fields),
            tuple(descriptors),  # type: ignore[arg-type]  # checked above
            _getter(fields, keyed=False),
        )
    return found


def _reduce(self: Any) -> tuple[Callable[..., Any], tuple[Any, ...]]:
    cls = type(self)
    slots = _slots(cls)
    if slots is None:  # pragma: no cover - frozen() gives slotted classes only
        raise TypeError(f"cannot pickle {cls.__qualname__}: a field has no slot")
    return _rebuild, (cls, slots[0], slots[2](self))


def _rebuild(cls: type, names: tuple[str, ...], values: tuple[Any, ...]) -> Any:
    """An instance of ``cls`` whose fields ``names`` are ``values`` (pickled by
    :func:`_reduce`): each slot set by its descriptor, in C, past the frozen
    ``__setattr__``. Fields that changed since it was pickled are a ``TypeError``."""
    slots = _slots(cls)
    if slots is None or names != slots[0] or len(values) != len(names):
        raise TypeError(f"cannot unpickle {cls.__qualname__}: its fields have changed")
    made: Any = object.__new__(cls)
    deque(map(_set_slot, slots[1], repeat(made), values), 0)
    return made
