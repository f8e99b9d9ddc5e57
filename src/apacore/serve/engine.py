"""Everything the service asks of the engine, in one place.

The handlers (:mod:`apacore.serve.app`) never import the loaders, the scorer or the
renderers themselves: they call these functions, which give the command line's own
answers (``apacore score --format json``, ``need``, ``audit``, ``batch``) for offices
given as TOML text or as JSON objects instead of folders. An error is an
:class:`~apacore.errors.ApacoreError` whose ``where`` is the part of the request it is
about (``agreement``, ``report``, ``as_of``) and whose ``path`` the place inside it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apacore.errors import AgreementError, ApacoreError, PinError, ReportError

if TYPE_CHECKING:
    from apacore.engine.scorecard import Scorecard
    from apacore.loading.agreements import OfficeFiles

__all__ = [
    "OfficeText",
    "audit_dict",
    "batch_dict",
    "error_line",
    "explain_dict",
    "load_office_from",
    "need_dict",
    "parse_as_of",
    "plugins_list",
    "prepare",
    "report_document",
    "ruleset_detail",
    "rulesets_list",
    "score_dict",
    "scored",
]

OfficeText = str | Mapping[str, Any]
"""An agreement or report as the TOML text of its file, or a JSON object of the same
structure (numbers exact: the service decodes JSON numbers as decimals)."""


def prepare() -> None:
    """Import and load once, before the first request: the plugins' registry and every
    ruleset (so that concurrent first requests do not each build them)."""
    from apacore.batch import prepare_worker

    prepare_worker()


def error_line(exc: ApacoreError) -> str:
    """The one line the command line prints for ``exc`` (after ``apacore: error:``)."""
    return str(exc)


# --------------------------------------------------------------------------- loading


def _parse_toml(text: str, *, where: str, error: type[ApacoreError]) -> dict[str, Any]:
    """A file's TOML text as data, within the limits of :mod:`apacore.limits`."""
    import tomli as tomllib

    from apacore.limits import MAX_FILE_BYTES, MAX_INTEGER_DIGITS, check_size, check_toml_nesting
    from apacore.loading.convert import _check_numbers

    check_size(len(text.encode("utf-8", "surrogatepass")), MAX_FILE_BYTES, where=where, error=error)
    text = text.removeprefix("\ufeff")
    check_toml_nesting(text, where=where, error=error)
    try:
        data: dict[str, Any] = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"invalid TOML: {exc}", where=where) from None
    except ValueError:  # an integer beyond int()'s 4,300-digit limit
        raise error(
            f"invalid TOML: an integer of more than {MAX_INTEGER_DIGITS} digits"
            " (apacore's limit; see docs/limits.md)",
            where=where,
        ) from None
    _check_numbers(data, "$", where=where, error=error)
    return data


def _data(given: object, *, where: str, error: type[ApacoreError]) -> dict[str, Any]:
    from apacore.loading.convert import _check_numbers

    if isinstance(given, str):
        return _parse_toml(given, where=where, error=error)
    if isinstance(given, Mapping):
        data = dict(given)
        _check_numbers(data, "$", where=where, error=error)
        return data
    raise error(
        f"expected the TOML text of the file or a JSON object, got {type(given).__name__}",
        where=where,
    )


def load_office_from(
    agreement: object,
    report: object = None,
    *,
    names: tuple[str, str] = ("agreement", "report"),
) -> OfficeFiles:
    """An office from its agreement and (optional) report, each TOML text or a mapping,
    checked as :func:`apacore.load_office` checks files; messages name ``names``."""
    from apacore.loading.agreements import (
        OfficeFiles,
        _check_kind,
        check_agreement,
        check_report,
    )
    from apacore.loading.convert import structure
    from apacore.loading.rulesets import available_rulesets, load_ruleset
    from apacore.models import Agreement, ProgressReport

    a_name, r_name = names
    a_data = _data(agreement, where=a_name, error=AgreementError)
    _check_kind(a_data, "an agreement", Path(a_name), AgreementError)
    checked = structure(a_data, Agreement, where=a_name, error=AgreementError)
    if not re.match(r"^\d{4}-\d{2}$", checked.fiscal_year):
        raise AgreementError(
            f"must be written like 2024-25, got {checked.fiscal_year!r}",
            where=a_name,
            path="$.fiscal_year",
        )
    offered = available_rulesets()
    if checked.fiscal_year not in offered:
        raise AgreementError(
            f"no ruleset for fiscal year {checked.fiscal_year!r}"
            f" (available: {', '.join(sorted(offered)) or 'none'})",
            where=a_name,
            path="$.fiscal_year",
        )
    try:
        ruleset = load_ruleset(checked.fiscal_year, sha256=checked.ruleset_sha256)
    except PinError as exc:
        raise PinError(exc.why, where=a_name, path="$.ruleset_sha256") from None
    check_agreement(checked, ruleset, where=a_name)
    progress = None
    if report is not None:
        r_data = _data(report, where=r_name, error=ReportError)
        _check_kind(r_data, "a progress report", Path(r_name), ReportError)
        progress = structure(r_data, ProgressReport, where=r_name, error=ReportError)
        check_report(progress, checked, ruleset, where=r_name)
    return OfficeFiles(
        agreement=checked,
        report=progress,
        ruleset=ruleset,
        agreement_path=Path(a_name),
        report_path=None if report is None else Path(r_name),
    )


def parse_as_of(text: object) -> int | dt.date | None:
    """``as_of`` of a request: a quarter (``2``, ``"Q2"``, ``"২য় কোয়ার্টার"``) or a date."""
    if text is None:
        return None
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise ApacoreError(
            f"a quarter (Q1..Q4) or a date as a string, got {type(text).__name__}", where="as_of"
        )
    from apacore.cli import _as_of

    try:
        return _as_of(text)
    except ApacoreError as exc:
        raise ApacoreError(exc.why, where="as_of") from None


def scored(
    agreement: object,
    report: object = None,
    *,
    as_of: object = None,
    lang: str = "en",
    names: tuple[str, str] = ("agreement", "report"),
) -> tuple[OfficeFiles, Scorecard, list[str]]:
    """Load and score an office: its files, its scorecard and the notices ``apacore score``
    prints on standard error (in ``lang``)."""
    from apacore.api import score_files
    from apacore.notices import notices

    when = parse_as_of(as_of)
    files = load_office_from(agreement, report, names=names)
    card = score_files(files, as_of=when)
    return files, card, notices(files, card, when, lang)


# --------------------------------------------------------------------------- answers


def score_dict(card: Scorecard) -> dict[str, Any]:
    """What ``apacore score --format json`` prints."""
    from apacore.render.formats import render

    data: dict[str, Any] = json.loads(render(card, "json"))
    return data


def explain_dict(card: Scorecard, indicator: str, lang: str = "en") -> dict[str, Any]:
    """One indicator worked out step by step, as ``apacore explain`` shows it, as data."""
    from apacore.cli import _indicator_ref
    from apacore.render.formats import scorecard_to_dict

    try:
        ref = _indicator_ref(indicator)
    except ApacoreError as exc:
        raise ApacoreError(exc.why, where="indicator") from None
    result = card.indicator(ref)  # an unknown one: an error about `indicator`
    rows = [
        row
        for section in scorecard_to_dict(card)["sections"]
        for row in section["indicators"]
        if row["id"] == ref
    ]
    trace = result.trace
    return {
        "office": card.office,
        "office_bn": card.office_bn or card.office,
        "fiscal_year": card.fiscal_year,
        "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
        "ruleset": dict(card.ruleset),
        "lang": lang,
        "indicator": rows[0] if rows else {"id": ref},
        "method_name": trace.method_name(lang) if trace is not None else result.method,
        "rule_name": trace.rule_name(lang) if trace is not None else result.rule,
        "steps": list(result.explanation if trace is None else trace.lines(lang)),
        "rounding": {"mode": card.rounding, "places": card.places},
    }


def need_dict(files: OfficeFiles, card: Scorecard, indicator: str | None) -> dict[str, Any]:
    """What ``apacore need --format json`` prints."""
    from apacore.cli import _indicator_ref
    from apacore.need import need, need_to_dict

    ref = None
    if indicator is not None:
        try:
            ref = _indicator_ref(indicator)
        except ApacoreError as exc:
            raise ApacoreError(exc.why, where="indicator") from None
    try:
        needs = need(card, ref, tier_scores=files.ruleset.spec.tier_scores())
    except ApacoreError as exc:
        raise ApacoreError(exc.why, where=exc.where or "indicator", path=exc.path) from None
    return need_to_dict(card, needs)


def audit_dict(
    files: OfficeFiles, card: Scorecard, kinds: Sequence[str] | None, lang: str
) -> dict[str, Any]:
    """What ``apacore audit --format json`` prints."""
    from apacore.audit import FINDING_KINDS, audit_office

    if kinds is not None:
        unknown = [k for k in kinds if k not in FINDING_KINDS]
        if unknown or not kinds:
            raise ApacoreError(
                f"unknown finding kind {', '.join(unknown) or '(none given)'}"
                f" (known: {', '.join(FINDING_KINDS)})",
                where="kind",
            )
    findings = audit_office(files, card, kinds=None if kinds is None else tuple(kinds))
    return {
        "office": card.office,
        "fiscal_year": card.fiscal_year,
        "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
        "ruleset": dict(card.ruleset),
        "findings": [f.as_dict(lang) for f in findings],
    }


def report_document(files: OfficeFiles, card: Scorecard, lang: str, pdf: bool) -> bytes:
    """The printable report, as ``apacore report -o FILE.html`` (or ``.pdf``) writes it."""
    from apacore.report import _pdf, build_context, render_html

    context = build_context(card, files, lang)
    if pdf:
        return _pdf(render_html(context, fonts="file"))
    return render_html(context).encode("utf-8")


def batch_dict(
    offices: Sequence[Mapping[str, Any]],
    *,
    as_of: object = None,
    group_by: str | None = None,
    pin: str | None = None,
) -> dict[str, Any]:
    """What ``apacore batch --format json`` prints for ``offices``, each a mapping with
    ``name``, ``agreement`` and ``report`` (optional); an office's mistake is its error,
    never the whole answer's. With ``pin``, an office scored by a ruleset of another
    sha256 is an error too."""
    from apacore import __version__
    from apacore.api import score_files
    from apacore.batch import OfficeError, OfficeRecord, office_record
    from apacore.batch_output import batch_chunks
    from apacore.rollup import parse_grouping, rank_offices

    when = parse_as_of(as_of)
    try:
        grouping = None if group_by is None else parse_grouping(group_by)
    except ApacoreError as exc:
        raise ApacoreError(exc.why, where="group_by") from None
    records: list[OfficeRecord] = []
    errors: list[OfficeError] = []
    for office in offices:
        name = str(office["name"])
        try:
            files = load_office_from(office["agreement"], office.get("report"))
            card = score_files(files, as_of=when)
            check_pin(dict(card.ruleset), pin)
            records.append(office_record(files.agreement, card, path=name))
        except ApacoreError as exc:
            errors.append(OfficeError(path=name, error=error_line(exc)))
    meta = {
        "apacore_version": __version__,
        "tree": None,
        "as_of": None if as_of is None else str(as_of),
        "group_by": None if grouping is None else grouping.spec,
    }
    chunks = batch_chunks("json", rank_offices(records, grouping), errors, meta=meta)
    data: dict[str, Any] = json.loads("".join(chunks))
    return data


def check_pin(identity: Mapping[str, str], pin: str | None) -> None:
    """A :class:`~apacore.errors.PinError` (``where`` ``ruleset_sha256``) unless ``pin`` is
    None or the sha256 of the ruleset ``identity`` names."""
    if pin is not None and pin.strip().lower() != identity["sha256"]:
        raise PinError(
            f"the office is scored by ruleset {identity['fiscal_year']} v{identity['version']},"
            f" content hash {identity['sha256']}, not the pinned {pin.strip()}",
            where="ruleset_sha256",
        )


def pdf_available() -> bool:
    """Whether a PDF can be made here (WeasyPrint, the ``pdf`` extra, is installed)."""
    import importlib.util

    return importlib.util.find_spec("weasyprint") is not None


_TABLE_SUFFIXES = (".xlsx", ".csv", ".tsv", ".txt")


def import_report(
    filename: str,
    content: bytes,
    *,
    fiscal_year: str | None = None,
    quarter: int | None = None,
    annex: str | None = None,
    office: str | None = None,
    table: int | None = None,
) -> dict[str, Any]:
    """A progress table's bytes read as ``apacore import`` reads the file ``filename``:
    the report as TOML text, how many entries and tables, and the rows not read."""
    import tempfile

    from apacore.errors import one_line
    from apacore.importer import import_table
    from apacore.limits import MAX_TABLE_BYTES, check_size

    name = one_line(filename)
    suffix = Path(filename).suffix.lower()
    if suffix not in _TABLE_SUFFIXES:
        raise ApacoreError(
            f"read .xlsx, .csv, .tsv or .txt tables, not {suffix or 'a file without extension'}",
            where="filename",
        )
    check_size(len(content), MAX_TABLE_BYTES, where=name, error=ApacoreError)
    with tempfile.TemporaryDirectory(prefix="apacore-import-") as folder:
        path = Path(folder) / f"table{suffix}"
        path.write_bytes(content)
        try:
            result = import_table(
                path,
                fiscal_year=fiscal_year,
                quarter=quarter,
                annex=annex,
                office=office,
                table=table,
            )
        except ApacoreError as exc:
            where = name if exc.where == str(path) else exc.where
            raise type(exc)(exc.why.replace(str(path), name), where=where, path=exc.path) from None
        return {
            "report": result.to_toml(),
            "entries": len(result.entries),
            "tables": result.tables_found,
            "problems": [one_line(p).replace(str(path), name) for p in result.problems],
        }


# --------------------------------------------------------------------------- catalogue


def rulesets_list() -> list[dict[str, str]]:
    """What ``apacore rulesets list --format json`` prints."""
    from apacore.loading.rulesets import available_rulesets, load_ruleset

    rows = []
    for fy, (plugin, _folder) in sorted(available_rulesets().items()):
        rs = load_ruleset(fy)
        rows.append(
            {"fiscal_year": fy, "version": rs.version, "sha256": rs.sha256, "plugin": plugin}
        )
    return rows


def ruleset_detail(fiscal_year: str) -> dict[str, Any]:
    """What ``apacore rulesets show FY --format json`` prints."""
    from apacore.loading.convert import unstructure
    from apacore.loading.rulesets import available_rulesets, load_ruleset

    if fiscal_year not in available_rulesets():
        raise ApacoreError(
            f"no ruleset for fiscal year {fiscal_year!r}"
            f" (available: {', '.join(sorted(available_rulesets()))})",
            where="fiscal_year",
        )
    rs = load_ruleset(fiscal_year)
    data: dict[str, Any] = json.loads(
        json.dumps(
            {
                "identity": rs.identity(),
                "ruleset": unstructure(rs.spec),
                "annexes": [unstructure(a) for a in rs.annexes],
            },
            ensure_ascii=False,
        )
    )
    return data


def ruleset_identity(fiscal_year: str, sha256: str | None = None) -> dict[str, str]:
    """Fiscal year, version and sha256 of a ruleset (a pin that differs raises PinError)."""
    from apacore.loading.rulesets import load_ruleset

    return dict(load_ruleset(fiscal_year, sha256=sha256).identity())


def plugins_list() -> list[dict[str, Any]]:
    """What ``apacore plugins --format json`` prints."""
    from apacore.plugins.host import list_plugins

    return [
        {"name": p.name, "version": p.version, "hooks": list(p.hooks), "builtin": p.builtin}
        for p in list_plugins()
    ]
