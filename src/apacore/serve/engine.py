"""Everything the service asks of the engine, in one place.

The handlers (:mod:`apacore.serve.app`) never import the loaders, the scorer or the
renderers themselves: they call these functions, which give the command line's own
answers (``apacore score --format json``, ``explain``, ``need``, ``audit``, ``batch``) for
offices given as TOML text or as JSON objects instead of folders, through the library's
own entries (:func:`apacore.load_office_texts`, :func:`apacore.office.score_office`, the
``*_to_dict`` functions). An error is an :class:`~apacore.errors.ApacoreError` whose
``where`` is the part of the request it is about (``agreement``, ``report``) or whose
``argument`` is the request's key (``as_of``, ``indicator``), with ``path`` the place
inside it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apacore.errors import ApacoreError, PinError

if TYPE_CHECKING:
    from apacore.engine.scorecard import Scorecard
    from apacore.loading.agreements import OfficeFiles
    from apacore.office import ScoredOffice

__all__ = [
    "OfficeText",
    "audit_dict",
    "batch_dict",
    "check_pin",
    "error_line",
    "explain_dict",
    "import_report",
    "load_office_from",
    "need_dict",
    "parse_as_of",
    "pdf_available",
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
    """The one line the command line prints for ``exc`` (after ``apacore: error:``), an
    argument named as the library and the request name it (``as_of``, not ``--as-of``)."""
    return str(exc)


# --------------------------------------------------------------------------- loading


def load_office_from(
    agreement: object,
    report: object = None,
    *,
    names: tuple[str, str] = ("agreement", "report"),
) -> OfficeFiles:
    """An office from its agreement and (optional) report, each TOML text or a mapping,
    checked as :func:`apacore.load_office` checks files; messages name ``names``."""
    from apacore.loading.agreements import load_office_texts

    return load_office_texts(
        agreement,  # type: ignore[arg-type]  # anything else is refused with its type
        report,  # type: ignore[arg-type]
        agreement_name=names[0],
        report_name=names[1],
    )


def parse_as_of(text: object) -> Any:
    """``as_of`` of a request: a quarter (``2``, ``"Q2"``, ``"২য় কোয়ার্টার"``) or a date."""
    from apacore.numbers import parse_as_of as parse

    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if text is not None and not isinstance(text, str):
        raise ApacoreError(
            f"a quarter (Q1..Q4) or a date as a string, got {type(text).__name__}",
            argument="as_of",
        )
    return parse(text)


def _scored_office(
    agreement: object, report: object, evaluation: object, when: Any
) -> ScoredOffice:
    """An office from texts scored, with its evaluation (TOML text or data) if given; a
    mistake in the evaluation names ``evaluation``, the request's key."""
    from apacore.office import score_office

    office = load_office_from(agreement, report)
    try:
        return score_office(
            office,
            as_of=when,
            evaluation=True if evaluation is None else evaluation,  # type: ignore[arg-type]
        )
    except ApacoreError as exc:
        if exc.where != "evaluation.toml":
            raise
        raise type(exc)(exc.why, where="evaluation", path=exc.path) from None


def scored(
    agreement: object,
    report: object = None,
    *,
    evaluation: object = None,
    as_of: object = None,
    lang: str = "en",
) -> tuple[OfficeFiles, Scorecard, list[str]]:
    """Load and score an office (with the superior office's ``evaluation``, if given): its
    files, its scorecard and the notices ``apacore score`` prints on standard error (in
    ``lang``)."""
    office = _scored_office(agreement, report, evaluation, parse_as_of(as_of))
    return office.office, office.scorecard, office.notices(lang)


# --------------------------------------------------------------------------- answers


def score_dict(card: Scorecard) -> dict[str, Any]:
    """What ``apacore score --format json`` prints."""
    from apacore.render.formats import render

    data: dict[str, Any] = json.loads(render(card, "json"))
    return data


def explain_dict(card: Scorecard, indicator: str, lang: str = "en") -> dict[str, Any]:
    """One indicator worked out step by step, as ``apacore explain`` shows it, as data
    (:func:`apacore.office.explanation.explanation_to_dict`), with the indicator's row of
    the scorecard."""
    from apacore.numbers import parse_indicator_ref
    from apacore.office.explanation import explanation_to_dict

    return explanation_to_dict(card, parse_indicator_ref(indicator), lang)


def need_dict(files: OfficeFiles, card: Scorecard, indicator: str | None) -> dict[str, Any]:
    """What ``apacore need --format json`` prints."""
    from apacore.numbers import parse_indicator_ref
    from apacore.office.need import need, need_to_dict

    ref = None if indicator is None else parse_indicator_ref(indicator)
    return need_to_dict(card, need(card, ref, tier_scores=files.ruleset.spec.tier_scores()))


def audit_dict(
    files: OfficeFiles, card: Scorecard, kinds: Sequence[str] | None, lang: str
) -> dict[str, Any]:
    """What ``apacore audit --format json`` prints."""
    from apacore.audit import audit_office, audit_to_dict, parse_kinds

    chosen = None if kinds is None else parse_kinds(",".join(kinds) or " ")
    return audit_to_dict(card, audit_office(files, card, kinds=chosen), lang)


def report_document(files: OfficeFiles, card: Scorecard, lang: str, pdf: bool) -> bytes:
    """The printable report, as ``apacore report -o FILE.html`` (or ``.pdf``) writes it."""
    from apacore.report import build_context, render_html
    from apacore.report.pdf import pdf_bytes

    context = build_context(card, files, lang)
    if pdf:
        return pdf_bytes(render_html(context, fonts="file"))
    return render_html(context).encode("utf-8")


def batch_dict(
    offices: Sequence[Mapping[str, Any]],
    *,
    as_of: object = None,
    group_by: str | None = None,
    pin: str | None = None,
) -> dict[str, Any]:
    """What ``apacore batch --format json`` prints for ``offices``, each a mapping with
    ``name``, ``agreement``, ``report`` and ``evaluation`` (both optional); an office's mistake is its error,
    never the whole answer's. With ``pin``, an office scored by a ruleset of another
    sha256 is an error too."""
    from apacore._version import __version__
    from apacore.batch import OfficeError, OfficeRecord, scored_record
    from apacore.batch.output import batch_to_dict
    from apacore.batch.rollup import parse_grouping, rank_offices

    when = parse_as_of(as_of)
    grouping = None if group_by is None else parse_grouping(group_by)
    records: list[OfficeRecord] = []
    errors: list[OfficeError] = []
    for office in offices:
        name = str(office["name"])
        try:
            card = _scored_office(
                office["agreement"], office.get("report"), office.get("evaluation"), when
            )
            check_pin(dict(card.scorecard.ruleset), pin)
            records.append(scored_record(card, path=name))
        except ApacoreError as exc:
            errors.append(OfficeError(path=name, error=error_line(exc)))
    meta = {
        "apacore_version": __version__,
        "tree": None,
        "as_of": None if as_of is None else str(as_of),
        "group_by": None if grouping is None else grouping.spec,
    }
    return batch_to_dict(rank_offices(records, grouping), errors, meta)


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
            why = exc.why.replace(str(path), name)
            raise type(exc)(why, where=where, path=exc.path, argument=exc.argument) from None
        return {
            "report": result.to_toml(),
            "entries": len(result.entries),
            "tables": result.tables_found,
            "problems": [one_line(p).replace(str(path), name) for p in result.problems],
        }


# --------------------------------------------------------------------------- catalogue


def rulesets_list() -> list[dict[str, Any]]:
    """What ``apacore rulesets list --format json`` prints."""
    from apacore.catalogue import rulesets_to_dict

    return rulesets_to_dict()


def ruleset_detail(fiscal_year: str) -> dict[str, Any]:
    """What ``apacore rulesets show FY --format json`` prints."""
    from apacore.catalogue import ruleset_to_dict
    from apacore.loading.rulesets import available_rulesets, load_ruleset

    if fiscal_year not in available_rulesets():
        raise ApacoreError(
            f"no ruleset for fiscal year {fiscal_year!r}"
            f" (available: {', '.join(sorted(available_rulesets()))})",
            argument="fiscal_year",
        )
    data: dict[str, Any] = json.loads(
        json.dumps(ruleset_to_dict(load_ruleset(fiscal_year)), ensure_ascii=False)
    )
    return data


def plugins_list() -> list[dict[str, Any]]:
    """What ``apacore plugins --format json`` prints."""
    from apacore.catalogue import plugins_to_dict

    return plugins_to_dict()
