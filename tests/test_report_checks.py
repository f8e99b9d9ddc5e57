"""check_report passes over the figures that cannot be wrong (a number of 0 or more, a
date inside its quarter, a blank) without calling check_reading: on generated figures it
refuses exactly what check_reading refuses, with the same error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from apacore.errors import ApacoreError
from apacore.loading.agreements import check_reading, check_report, load_office
from apacore.models import ProgressEntry, ProgressReport
from apacore.numbers import Marker, Reading

OFFICE = load_office(
    Path(__file__).resolve().parent.parent / "examples/dakop-2024-25", use_cache=False
)
SPEC = OFFICE.ruleset.spec

_readings = st.one_of(
    st.none(),
    st.builds(
        lambda v: Reading(text=str(v), value=v),
        st.decimals(-5, 5, places=2, allow_nan=False, allow_infinity=False),
    ),
    st.builds(
        lambda v, c: Reading(text="x", value=v, percent=True, count=c),
        st.decimals(0, 100, places=0),
        st.one_of(st.none(), st.decimals(-3, 3, places=0)),
    ),
    st.builds(
        lambda d: Reading(text=d.isoformat(), value=d),
        st.dates(SPEC.starts - dt.timedelta(days=40), SPEC.ends + dt.timedelta(days=40)),
    ),
    st.builds(
        lambda d: Reading(text=d.isoformat(), value=d),
        st.sampled_from([SPEC.starts, SPEC.ends]),
    ),
    st.sampled_from(
        [
            Reading(text="-", value=Marker.NOT_REPORTED),
            Reading(text="n/a", value=Marker.NOT_APPLICABLE),
        ]
    ),
)


def _outcome(check: object) -> str:
    try:
        check()  # type: ignore[operator]
    except ApacoreError as exc:
        return str(exc)
    return "fits"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_readings, _readings, _readings, _readings), max_size=3), st.integers(1, 4)
)
def test_check_report_refuses_what_check_reading_refuses(
    quarters: list[tuple[Reading | None, ...]], covers: int
) -> None:
    refs = [ind.id for ind in OFFICE.agreement.areas[0].indicators()][: len(quarters)]
    entries = [
        ProgressEntry(indicator=ref, q1=q[0], q2=q[1], q3=q[2], q4=q[3])
        for ref, q in zip(refs, quarters)
    ]
    agreement = OFFICE.agreement
    report = ProgressReport(fiscal_year=agreement.fiscal_year, quarter=covers, entries=entries)

    def every_reading() -> None:
        for i, entry in enumerate(entries):
            for q, reading in enumerate(entry.quarters(), start=1):
                if reading is not None:
                    check_reading(reading, q, covers, SPEC, where="r", entry=f"$.entries[{i}]")

    assert _outcome(lambda: check_report(report, agreement, OFFICE.ruleset, where="r")) == (
        _outcome(every_reading)
    )
