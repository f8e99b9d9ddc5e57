"""No silent surprises: what a person should know about a score that the score itself hides.

Each notice is one line for standard error (the command's exit status does not change):

- ``--as-of`` goes past the report's quarter: the later quarters have no figures and count
  as not reported, though the header says "as of Q3";
- an ``--as-of`` date is scored as of the end of its quarter (quarters are the unit);
- the agreement still holds values a template carried over from another office or decided
  (``apacore new`` marks them ``CARRIED OVER`` / ``DECIDED`` in their notes);
- the grade comes from bands the ruleset marks as unverified.
"""

from __future__ import annotations

import datetime as dt
import re

from apacore.engine.scorecard import Scorecard
from apacore.formatting import format_date
from apacore.loading.agreements import OfficeFiles
from apacore.models import Agreement
from apacore.render.formats import grade_unverified

__all__ = ["TEMPLATE_MARKS", "notices"]

TEMPLATE_MARKS = re.compile(r"\bCARRIED OVER\b|\bDECIDED\b")
"""How a template marks a value that is not the office's own (in capitals, in its note)."""


def _as_of(requested: int | dt.date | None, card: Scorecard, files: OfficeFiles) -> list[str]:
    out = []
    if isinstance(requested, dt.date) and requested != card.as_of:
        out.append(
            f"--as-of {requested.isoformat()} is scored as of the end of its quarter,"
            f" {format_date(card.as_of)} (Q{card.as_of_quarter}): apacore scores whole quarters"
        )
    report = files.report
    if requested is not None and report is not None and card.as_of_quarter > report.quarter:
        first, last = report.quarter + 1, card.as_of_quarter
        later = f"Q{first} has" if first == last else f"Q{first}-Q{last} have"
        out.append(
            f"--as-of Q{last} goes past the report's quarter (Q{report.quarter}):"
            f" {later} no figures and count as not reported"
        )
    return out


def _template_values(agreement: Agreement, where: str) -> list[str]:
    carried: list[str] = []
    decided: list[str] = []
    for area in agreement.areas:
        for ind in area.indicators():
            marks = set(TEMPLATE_MARKS.findall(ind.note))
            if "DECIDED" in marks:
                decided.append(ind.id)
            elif marks:
                carried.append(ind.id)
    if not carried and not decided:
        return []
    parts = []
    if carried:
        parts.append(f"{len(carried)} carried over from another office ({_some(carried)})")
    if decided:
        parts.append(f"{len(decided)} decided by the template ({_some(decided)})")
    return [
        f"{where}: indicators still hold a template's values, not the office's own: "
        + "; ".join(parts)
        + " (their notes say CARRIED OVER / DECIDED; replace the value and the note)"
    ]


def _some(ids: list[str]) -> str:
    return ", ".join(ids[:4]) + (", …" if len(ids) > 4 else "")


def notices(
    files: OfficeFiles, card: Scorecard, requested: int | dt.date | None = None
) -> list[str]:
    """The notices for ``card``, scored from ``files`` with ``--as-of`` ``requested``."""
    out = _as_of(requested, card, files)
    out += _template_values(files.agreement, str(files.agreement_path))
    if grade_unverified(card):
        out.append(
            f"grade {card.grade!r} comes from unverified bands (India's RFD practice; no"
            " Bangladesh source gives bands): read it as an indication, not a verdict"
        )
    return out
