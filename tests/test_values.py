"""apacore.values.frozen behaves as attrs.frozen: the same repr, equality and hashing, with
the methods shared instead of compiled per class."""

from __future__ import annotations

import pickle
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.values import frozen


def _pair(**options: object) -> tuple[type, type]:
    """The same class made by attrs.frozen and by values.frozen."""

    def body() -> dict[str, object]:
        return {
            "__annotations__": {"a": "int", "b": "str", "c": "object", "d": "str", "e": "str"},
            "a": attrs.field(),
            "b": attrs.field(default="x"),
            "c": attrs.field(default=None, eq=False, repr=False),
            "d": attrs.field(default="", eq=str.lower),
            "e": attrs.field(default="", repr=lambda v: f"<{len(v)}>", hash=False),
        }

    reference = attrs.frozen(type("Sample", (), body()), **options)  # type: ignore[call-overload]
    ours = frozen(type("Sample", (), body()), **options)
    return reference, ours


values = st.fixed_dictionaries(
    {
        "a": st.integers(-3, 3),
        "b": st.sampled_from(["x", "y", "দপ্তর"]),
        "c": st.none() | st.integers(0, 2),
        "d": st.sampled_from(["ab", "AB", "c"]),
        "e": st.sampled_from(["", "e", "ee"]),
    }
)


@given(values, values)
def test_repr_equality_and_hash_agree_with_attrs(
    one: dict[str, object], two: dict[str, object]
) -> None:
    reference, ours = _pair(kw_only=True)
    r1, r2, o1, o2 = reference(**one), reference(**two), ours(**one), ours(**two)
    assert repr(o1) == repr(r1)
    assert (o1 == o2) == (r1 == r2)
    assert (o1 != o2) == (r1 != r2)
    if o1 == o2:
        assert hash(o1) == hash(o2)


def test_equality_needs_the_very_same_class() -> None:
    _, ours = _pair()
    _, other = _pair()
    assert ours(1) != other(1)
    assert ours(1) != (1, "x")
    assert ours.__eq__(ours(1), 1) is NotImplemented


def test_eq_false_keeps_identity() -> None:
    _, ours = _pair(eq=False)
    one = ours(1)
    assert one != ours(1) and one == one
    assert ours(1) not in {one}
    assert repr(one) == "Sample(a=1, b='x', d='', e=<0>)"


def test_a_method_the_class_defines_is_kept() -> None:
    @frozen
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = object.__hash__

    assert repr(Own(1)) == "own"
    assert Own(1) == Own(2)


def test_values_still_freeze_validate_and_pickle() -> None:
    @frozen(kw_only=True)
    class Money:
        amount: Decimal = attrs.field(validator=attrs.validators.instance_of(Decimal))
        places: tuple[int, ...] = attrs.field(default=(), converter=tuple)

    m = Money(amount=Decimal("1.50"), places=[2])
    assert m.places == (2,)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        m.amount = Decimal(2)  # type: ignore[misc]
    with pytest.raises(TypeError):
        Money(amount=1.5)  # type: ignore[arg-type]
    assert attrs.evolve(m, amount=Decimal("1.5")) == m  # Decimal equality, as attrs compares
    assert {m: 1}[Money(amount=Decimal("1.5"), places=(2,))] == 1


def test_the_model_is_made_with_shared_methods_and_pickles() -> None:
    from apacore.models import Indicator, Policies
    from apacore.values import _eq, _repr

    assert Indicator.__repr__ is _repr and Indicator.__eq__ is _eq
    policies = Policies(date="step")
    assert pickle.loads(pickle.dumps(policies)) == policies != Policies()


@frozen(kw_only=True)
class _Kept:
    """A module-level value class, so that pickle can find it."""

    a: int
    b: tuple[int, ...] = attrs.field(default=(), converter=tuple)
    c: str = attrs.field(init=False, default="set by attrs")


@attrs.frozen(kw_only=True)
class _KeptMore(_Kept):
    d: str = "d"


@given(values)
def test_pickling_and_copying_give_equal_values(given_values: dict[str, object]) -> None:
    import copy

    _, ours = _pair(kw_only=True)
    globals()["Sample"] = ours  # pickle finds a class by its module and name
    try:
        one = ours(**given_values)
        for back in (pickle.loads(pickle.dumps(one)), copy.copy(one), copy.deepcopy(one)):
            assert type(back) is ours
            assert attrs.asdict(back) == attrs.asdict(one)
    finally:
        del globals()["Sample"]


def test_pickling_sets_every_slot_without_init() -> None:
    kept = _Kept(a=1, b=[2, 3])
    back = pickle.loads(pickle.dumps(kept))
    assert (back.a, back.b, back.c) == (1, (2, 3), "set by attrs")
    more = _KeptMore(a=1, d="x")  # an attrs subclass pickles all its fields the same way
    assert pickle.loads(pickle.dumps(more)) == more
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.a = 2  # type: ignore[misc]


def test_a_class_that_pickles_its_own_way_keeps_it() -> None:
    from apacore.values import _reduce

    @frozen
    class Own:
        a: int

        def __getstate__(self) -> dict[str, int]:
            return {"a": self.a}

    assert Own.__reduce__ is not _reduce
    assert _Kept.__reduce__ is _reduce


def test_a_pickle_of_other_fields_is_refused() -> None:
    """A value pickled before its class's fields changed (another apacore's cache entry)
    cannot be read back as the new class: it is an error, never misplaced values."""
    from apacore.values import _rebuild

    with pytest.raises(TypeError, match="fields have changed"):
        _rebuild(_Kept, ("a", "b"), (1, ()))
    with pytest.raises(TypeError, match="fields have changed"):
        _rebuild(_Kept, ("a", "b", "c"), (1, ()))
    assert _rebuild(_Kept, ("a", "b", "c"), (1, (), "set by attrs")) == _Kept(a=1)
