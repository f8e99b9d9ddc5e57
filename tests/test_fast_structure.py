"""The fast structurers (:mod:`apacore.loading.fast_structure`) against the cattrs
converter: on the examples' files, and on generated variations of them (keys dropped,
unknown keys added, values replaced by text, numbers, dates, lists, tables and the wrong
types), a fast structurer either makes exactly the converter's object or raises where the
converter raises too; it never accepts what the converter refuses."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apacore.errors import AgreementError
from apacore.evaluation.model import Evaluation
from apacore.loading.convert import _fast_structurer, converter, read_toml, structure
from apacore.models import Agreement, Annex, ProgressReport

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEEDS: list[tuple[type, dict[str, Any]]] = [
    *((Agreement, read_toml(p)) for p in sorted(EXAMPLES.glob("*/agreement.toml"))),
    *((ProgressReport, read_toml(p)) for p in sorted(EXAMPLES.glob("*/report.toml"))),
    *((Evaluation, read_toml(p)) for p in sorted(EXAMPLES.glob("*/evaluation.toml"))),
]
ANNEXES = sorted(
    (Path(__file__).resolve().parent.parent / "src/apacore/rulesets").glob("*/annexes/*.toml")
)


def _outcome(function: Any, data: Any) -> tuple[str, Any]:
    try:
        return "made", function(data)
    except Exception as exc:  # the converter's errors and the fast path's alike
        return "raised", exc


def _same_objects(a: Any, b: Any) -> bool:
    """Equal, and written alike: ``Decimal('2')`` and ``Decimal('2.0')`` are equal numbers
    but not the same object for a file to hold."""
    return type(a) is type(b) and a == b and repr(a) == repr(b)


def _agrees(cls: type, data: Any) -> tuple[str, str]:
    fast = _fast_structurer(cls)
    assert fast is not None
    quick, made = _outcome(fast, data)
    full, expected = _outcome(lambda d: converter().structure(d, cls), data)
    if quick == "made":
        assert full == "made", f"the converter refuses what the fast path made: {expected!r}"
        assert _same_objects(made, expected)
    return quick, full


def test_the_files_classes_have_fast_structurers() -> None:
    for cls in (Agreement, ProgressReport, Annex, Evaluation):
        assert _fast_structurer(cls) is not None, cls


@pytest.mark.parametrize(("cls", "data"), SEEDS, ids=lambda v: getattr(v, "__name__", ""))
def test_the_examples_structure_alike(cls: type, data: dict[str, Any]) -> None:
    assert _agrees(cls, data) == ("made", "made")


@pytest.mark.parametrize("path", ANNEXES, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_the_shipped_annexes_structure_alike(path: Path) -> None:
    assert _agrees(Annex, read_toml(path)) == ("made", "made")


_VALUES = st.one_of(
    st.sampled_from(
        [
            "",
            "-",
            " - ",
            "৫০",
            "৫০%",
            "২৫%(৫০)",
            "2024-09-30",
            "৩০/০৯/২০২৪",
            "1.1.1",
            "[১.১.২]",
            "egov/1.1.1",
            "sum",
            "count",
            "date",
            "upazila",
            "higher",
            "reported",
            "not_applicable",
            "প্রযোজ্য নয়",
            "Q2",
            "২য় কোয়ার্টার",
            "true",
            "1e999999",
            "\x1b[2J",
            "x" * 1001,
        ]
    ),
    st.text(max_size=12),
    st.integers(-5, 120),
    st.integers(min_value=10**23, max_value=10**30),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("0.0034"), Decimal("2.0"), Decimal("-1"), Decimal("1E+30")]),
    st.booleans(),
    st.floats(allow_nan=False),
    st.none(),
    st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2026, 12, 31)),
    st.just(dt.datetime(2024, 9, 30, 12, 0)),
    st.lists(st.sampled_from(["upazila", 5, "-", None]), max_size=5),
    st.lists(st.decimals(0, 100, places=1), min_size=5, max_size=5),
    st.just(("upazila",)),
    st.dictionaries(st.sampled_from(["a", "grace_days", "name_bn"]), st.integers(0, 9), max_size=2),
)


def _alike(value: Any) -> st.SearchStrategy[Any]:
    """Values of the same kind as ``value``: mostly valid in its place, sometimes not."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, (int, Decimal)):
        return st.one_of(
            st.integers(0, 100), st.decimals(0, 100, places=2), st.just(Decimal("0.0034"))
        )
    if isinstance(value, str):
        return st.one_of(st.just(value.upper()), st.just(value + " "), st.just(value[:1]))
    if isinstance(value, list):
        return st.permutations(value).map(list)
    return st.just(copy.deepcopy(value))


def _containers(data: Any, found: list[Any]) -> list[Any]:
    """Every table and list in ``data``, outermost first."""
    found.append(data)
    items = data.values() if isinstance(data, dict) else data
    for value in items:
        if isinstance(value, (dict, list)):
            _containers(value, found)
    return found


@st.composite
def _variations(draw: st.DrawFn) -> tuple[type, Any]:
    cls, seed = draw(st.sampled_from(SEEDS))
    data = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 3))):
        container = draw(st.sampled_from(_containers(data, [])))
        if isinstance(container, dict):
            keys = sorted(container)
            action = draw(st.sampled_from(["alike", "replace", "drop", "add"]))
            if action == "alike" and keys:
                key = draw(st.sampled_from(keys))
                container[key] = draw(_alike(container[key]))
            elif action == "add" or not keys:
                key = draw(st.sampled_from(["name_en", "note", "colour", "weight", "q1"]))
                container[key] = draw(_VALUES)
            elif action == "drop":
                del container[draw(st.sampled_from(keys))]
            else:
                container[draw(st.sampled_from(keys))] = draw(_VALUES)
        elif container:
            container[draw(st.integers(0, len(container) - 1))] = draw(_VALUES)
        else:
            container.append(draw(_VALUES))
    return cls, data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.data_too_large])
@given(_variations())
def test_generated_variations_structure_alike(case: tuple[type, Any]) -> None:
    cls, data = case
    outcome = _agrees(cls, data)
    event(f"fast {outcome[0]}, converter {outcome[1]}")


def test_an_error_is_the_converters_own() -> None:
    """The fast path's failure leaves the wording to the converter: the first problem,
    its path and the count of the others."""
    data = copy.deepcopy(next(d for c, d in SEEDS if c is Agreement and d.get("areas")))
    data["areas"][0]["weight"] = "twelve"
    data["areas"][0]["colour"] = "red"
    with pytest.raises(AgreementError) as caught:
        structure(data, Agreement, where="a.toml", error=AgreementError)
    assert str(caught.value).startswith("a.toml: $.areas[0].")
    assert "(and 1 more)" in str(caught.value)


def test_a_class_it_cannot_read_is_left_to_the_converter() -> None:
    import attrs

    from apacore.loading.fast_structure import make_structurer

    @attrs.frozen
    class Unreadable:
        a: NotImportedHere  # type: ignore[name-defined]  # noqa: F821

    @attrs.frozen
    class Tables:
        a: dict[str, Annex]

    assert make_structurer(Unreadable, ()) is None
    assert make_structurer(Tables, ()) is None
