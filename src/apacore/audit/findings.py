"""A finding of the audit or the agreement review: one thing an office wrote or signed
that disagrees with the rules, as a value (a code and its figures); the sentence is made at
output by :mod:`apacore.audit.text`, in English or Bengali."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from apacore.audit.text import reason as reason_text
from apacore.values import frozen

__all__ = ["FINDING_KINDS", "Finding"]

FINDING_KINDS = ("figure", "cell", "evidence", "target", "review", "calendar")
"""The kinds of finding, in the order :func:`audit_office` lists them."""


@frozen(kw_only=True)
class Finding:
    """One thing the office wrote or signed that disagrees with the rules."""

    indicator: str
    """The indicator reference (``egov/4.1.2``)."""
    figure: str
    """Which figure: ``total``, ``progress_pct``, ``marks``, a quarter (``q2``),
    ``evidence``, ``target``, ``weight`` or ``tiers``."""
    office: str
    """The office's figure, as written."""
    apacore: str
    """apacore's figure (at the office's precision, and exactly where that differs), or
    what the rules expect; ASCII digits."""
    code: str
    """Why they differ: a key of :data:`apacore.audit.text.MESSAGES`."""
    values: Mapping[str, Any] = attrs.field(factory=dict)
    """The figures the reason is about (numbers, dates, the office's texts)."""
    kind: str = "figure"
    """One of :data:`FINDING_KINDS`."""

    @property
    def reason(self) -> str:
        """Why they differ, in English (:func:`apacore.audit.text.reason` for Bengali)."""
        return reason_text(self, "en")

    def as_dict(self, lang: str = "en") -> dict[str, str]:
        """Plain data for JSON: the fields, the code, and the reason in ``lang``."""
        return {
            "kind": self.kind,
            "indicator": self.indicator,
            "figure": self.figure,
            "office": self.office,
            "apacore": self.apacore,
            "code": self.code,
            "reason": reason_text(self, lang),
        }
