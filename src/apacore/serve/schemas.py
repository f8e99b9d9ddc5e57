"""The requests and answers of the service, as msgspec structures: Litestar decodes the
requests into them and writes the OpenAPI document from them.

An office's file is ``str | dict``: the TOML text of the file, or a JSON object of the
same structure (JSON numbers are read as exact decimals, never as binary floats).
Answers are documented by the keys every client relies on; an object may carry more
(what ``apacore score --format json`` prints, in full, is described in docs/cli.md).
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

__all__ = [
    "AuditRequest",
    "BatchOffice",
    "BatchRequest",
    "ExplainRequest",
    "ImportRequest",
    "NeedRequest",
    "ReportRequest",
    "ScoreRequest",
]

OfficeFile = str | dict[str, Any]
Lang = Literal["bn", "en"]


class _Request(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    pass


class ScoreRequest(_Request):
    """An office's agreement with (optionally) its progress report."""

    agreement: OfficeFile
    report: OfficeFile | None = None
    evaluation: OfficeFile | None = None
    """The superior office's evaluation (``evaluation.toml``), if there is one."""
    as_of: str | int | None = None
    """A quarter (``2``, ``"Q2"``, ``"২য় কোয়ার্টার"``) or a date (``"2024-12-31"``);
    default: the report's quarter."""
    lang: Lang = "en"
    """The language of the notices (and of explanations and findings)."""
    ruleset_sha256: str | None = None
    """Refuse (409) unless the office is scored by the ruleset with this content hash."""


class ExplainRequest(ScoreRequest, kw_only=True):
    indicator: str
    """``1.1.1``, ``[১.১.১]`` or ``egov/4.1.2``."""


class NeedRequest(ScoreRequest, kw_only=True):
    indicator: str | None = None
    """One indicator; default: every indicator."""


class AuditRequest(ScoreRequest, kw_only=True):
    kind: list[str] | None = None
    """Only these kinds of finding (figure, cell, evidence, target, review); default: all."""


class ReportRequest(ScoreRequest, kw_only=True):
    lang: Lang = "bn"


class BatchOffice(_Request):
    name: str
    """What the answer calls the office (its ``path`` in the batch contract)."""
    agreement: OfficeFile
    report: OfficeFile | None = None
    evaluation: OfficeFile | None = None


class BatchRequest(_Request):
    offices: list[BatchOffice]
    as_of: str | int | None = None
    group_by: str | None = None
    """Rank and summarize within groups: ``office_level``, ``fiscal_year``, ``scope`` or
    ``grade`` (folder levels have no meaning here)."""
    ruleset_sha256: str | None = None


class ImportRequest(_Request):
    """A progress table (``.xlsx``, ``.csv``, ``.tsv``/``.txt``) to read into report TOML."""

    filename: str
    """The file's name; its extension says how to read it."""
    content_base64: str
    fiscal_year: str | None = None
    quarter: int | None = None
    annex: str | None = None
    office: str | None = None
    table: int | None = None


# --------------------------------------------------------------------------- answers


class RulesetIdentity(msgspec.Struct):
    fiscal_year: str
    version: str
    sha256: str


class AsOf(msgspec.Struct):
    quarter: int
    date: str


class Total(msgspec.Struct):
    marks: str | None
    progress_marks: str | None
    max: str | None
    grade: str | None


Figure = str | None
"""A figure as the JSON contract writes it: an exact decimal string rounded once, or null."""


class IndicatorRow(msgspec.Struct):
    """One indicator of the scorecard (``sections[].indicators[]``)."""

    id: str
    name_bn: str
    name_en: str
    weight: Figure
    method: str
    unit: str
    rule: str
    target: Any
    """A number (string), a date (ISO string), or null."""
    quarters: list[str | None]
    """The quarters' figures as the report wrote them."""
    achievement: Any
    """A number (string), a date or dates (ISO strings), or null."""
    progress_pct: Figure
    progress_marks: Figure
    raw_score: Figure
    marks: Figure
    status: str
    status_bn: str
    evaluated: dict[str, Any] | None
    """The evaluator's verdict and what it changed, null without an evaluation."""
    revision: dict[str, Any] | None
    """A target revised by the superior office, null where none was."""


class Section(msgspec.Struct):
    """An area of the office's own indicators, or an annex (``kind``)."""

    kind: str
    id: str
    name_bn: str
    name_en: str
    title_bn: str
    title_en: str
    weight: Figure
    max: Figure
    marks: Figure
    progress_marks: Figure
    apa_weight: Figure
    converted_max: Figure
    converted_marks: Figure
    converted_progress_marks: Figure
    indicators: list[IndicatorRow]


class _Decided(msgspec.Struct, kw_only=True):
    decision_id: str
    """Names this answer in the decision log."""
    elapsed_ms: float
    """The time the server took, in milliseconds."""


class ScoreAnswer(_Decided, kw_only=True):
    """What ``apacore score --format json`` prints, with the decision's id, its time and
    the notices the command prints on standard error."""

    apacore_version: str
    office: str
    office_bn: str
    office_level: str
    fiscal_year: str
    as_of: AsOf
    scope: str
    ruleset: RulesetIdentity
    total: Total
    grade_bn: str | None
    grade_unverified: bool
    sections: list[Section]
    evaluation: dict[str, Any] | None
    """The evaluated result (the superior office's verdicts), null without an evaluation."""
    notices: list[str]


class ExplainAnswer(_Decided, kw_only=True):
    """One indicator worked out step by step, as ``apacore explain`` shows it, as data."""

    indicator: str
    name_bn: str
    name_en: str
    weight: Figure
    unit: str
    method: str
    """The calculation method, named in ``lang``."""
    rule: str
    """The scoring rule, named in ``lang``."""
    status: str
    steps: list[str]
    """The steps, worded in ``lang``."""
    raw_score: Figure
    marks: Figure
    rounding: dict[str, Any]
    ruleset: RulesetIdentity
    notices: list[str]


class NeedAnswer(_Decided, kw_only=True):
    """What ``apacore need --format json`` prints."""

    office: str
    office_bn: str
    fiscal_year: str
    as_of: AsOf
    ruleset: RulesetIdentity
    indicators: list[dict[str, Any]]
    notices: list[str]


class AuditAnswer(_Decided, kw_only=True):
    """What ``apacore audit --format json`` prints."""

    office: str
    fiscal_year: str
    as_of: AsOf
    ruleset: RulesetIdentity
    findings: list[dict[str, Any]]
    notices: list[str]


class BatchAnswer(_Decided, kw_only=True):
    """What ``apacore batch --format json`` prints: ranks, summaries, errors per office."""

    apacore_version: str
    tree: None
    as_of: str | None
    group_by: str | None
    count: dict[str, int]
    summary: dict[str, Any] | None
    groups: list[dict[str, Any]]
    offices: list[dict[str, Any]]
    errors: list[dict[str, str]]


class ImportAnswer(msgspec.Struct):
    report: str
    """The report as TOML text (what ``apacore import`` writes)."""
    entries: int
    tables: int
    problems: list[str]
    """The rows that could not be read, one line each."""


class PluginAnswer(msgspec.Struct):
    name: str
    version: str
    hooks: list[str]
    builtin: bool


class RulesetListed(RulesetIdentity):
    plugin: str


class RulesetAnswer(msgspec.Struct):
    """What ``apacore rulesets show FY --format json`` prints."""

    identity: RulesetIdentity
    ruleset: dict[str, Any]
    annexes: list[dict[str, Any]]


class Health(msgspec.Struct):
    status: Literal["ok"]


class Version(msgspec.Struct):
    apacore_version: str
    rulesets: list[RulesetListed]
    plugins: list[PluginAnswer]


class ProblemAnswer(msgspec.Struct, kw_only=True):
    """RFC 9457 problem details (``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    where: str | None = None
    path: str | None = None
    why: str | None = None
    decision_id: str | None = None
