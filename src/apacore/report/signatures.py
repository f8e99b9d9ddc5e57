"""The report's signature blocks and the date it was made.

Three blocks, as the form is signed: the APA focal point who prepared it, the head of the
office, and the evaluating officer of the superior office. Each has a line to sign with a
line for the date beside it, the name and designation, and a place for the seal. The
evaluating officer's block carries the evaluation's officer, office and date when an
evaluation is loaded (:mod:`apacore.evaluation`), and is left blank to be filled otherwise.

The date the report was made is today's, or, for a reproducible page, the day of
``SOURCE_DATE_EPOCH`` (seconds since 1970, UTC: the reproducible-builds convention), or the
``today`` the caller passes.
"""

from __future__ import annotations

import datetime as dt
import os

import attrs

from apacore.errors import ApacoreError
from apacore.values import frozen
from apacore.words import evaluation_label, label

from .evaluation import EvaluationPart

__all__ = ["SignatureBlock", "made_on", "signature_blocks"]

ENV_DATE = "SOURCE_DATE_EPOCH"


def made_on(today: dt.date | None = None) -> dt.date:
    """The date a page is made: ``today`` if given, else ``SOURCE_DATE_EPOCH``'s day (UTC),
    else the machine's date."""
    if today is not None:
        return today
    epoch = os.environ.get(ENV_DATE, "").strip()
    if not epoch:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise ApacoreError(
            f"{ENV_DATE} must be whole seconds since 1970-01-01 UTC, got {epoch!r}",
            where=ENV_DATE,
        ) from None


@frozen(kw_only=True)
class SignatureBlock:
    """One signature: who signs, and what is known of them (empty: a line to fill)."""

    key: str
    role: str
    name: str = ""
    office: str = ""
    date: str = ""


def signature_blocks(lang: str, evaluation: EvaluationPart | None) -> tuple[SignatureBlock, ...]:
    """The preparer's, the head of office's and the evaluating officer's blocks."""
    officer = SignatureBlock(
        key="evaluating-officer", role=evaluation_label("evaluating_officer", lang)
    )
    if evaluation is not None:
        officer = attrs.evolve(
            officer,
            name=evaluation.officer,
            office=evaluation.evaluator,
            date=evaluation.evaluated_on,
        )
    return (
        SignatureBlock(key="prepared-by", role=label("prepared_by", lang)),
        SignatureBlock(key="head-of-office", role=label("approved_by", lang)),
        officer,
    )
