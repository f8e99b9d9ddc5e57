"""Agreements and progress reports: loading them and checking them against a ruleset."""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from apacore.errors import AgreementError, ApacoreError, PinError, ReportError
from apacore.formatting import format_number
from apacore.loading import office_cache
from apacore.loading.rulesets import Ruleset, available_rulesets, offered_ruleset, pin_hash
from apacore.models import Agreement, Area, Indicator, ProgressReport, RulesetSpec, quarter_end
from apacore.numbers import Marker, Reading, exact_sum
from apacore.plugins.annex_plan import plan_annexes
from apacore.plugins.host import call_each, get_registry
from apacore.values import frozen

__all__ = [
    "OfficeFiles",
    "check_agreement",
    "check_reading",
    "check_report",
    "load_agreement",
    "load_office",
    "load_office_texts",
    "load_report",
]

AGREEMENT_FILE = "agreement.toml"
REPORT_FILE = "report.toml"
EVALUATION_FILE = "evaluation.toml"
"""The superior office's evaluation, beside the report (:mod:`apacore.evaluation`)."""


@frozen(kw_only=True)
class OfficeFiles:
    """An office's agreement and (if any) its progress report, loaded and checked.

    ``agreement_name`` and ``report_name`` are what messages call them: the files' paths,
    or the names a caller gave texts (:func:`load_office_texts`); the paths are None for
    an office loaded from texts."""

    agreement: Agreement
    report: ProgressReport | None
    ruleset: Ruleset
    agreement_name: str
    report_name: str | None
    agreement_path: Path | None = None
    report_path: Path | None = None

    def evaluation_path(self) -> Path | None:
        """The ``evaluation.toml`` beside the report (or the agreement), if there is one
        (:mod:`apacore.evaluation`); None for an office loaded from texts."""
        if self.agreement_path is None:
            return None
        path = (self.report_path or self.agreement_path).parent / EVALUATION_FILE
        return path if os.path.lexists(path) else None  # a broken link too: reading it says why

    def locate(self, error: ApacoreError, texts: Mapping[str, str] | None = None) -> ApacoreError:
        """:meth:`_locate`, then the line and indicator of the ``$.path`` in its file: the
        agreement, the report, the ``evaluation.toml`` beside them, or one of ``texts``
        (name → TOML text, such as an evaluation given as text)."""
        from apacore.loading.lines import with_place

        sources: dict[str | None, str | Path | None] = {
            self.agreement_name: self.agreement_path,
            self.report_name: self.report_path,
        }
        evaluation = self.evaluation_path()
        if evaluation is not None:
            sources[str(evaluation)] = evaluation
        sources.update(texts or {})
        return with_place(self._locate(error), sources)

    def _locate(self, error: ApacoreError) -> ApacoreError:
        """``error`` (raised while scoring these files) with the file and ``$.path`` it is
        about filled in, if it names none.

        Errors from the engine and from plugins start with the indicator they concern
        (``1.1.2: target: must be > 0``). A complaint about one of the indicator's own
        fields (target, tiers, …) points at its row in the agreement; any other (a
        figure, a status) at its entry in the report, and at the quarter's figure when
        the message names one (``Q1 figure``)."""
        if error.where:
            return error
        ref = _first_ref(error.why, indicator_refs(self.agreement, self.ruleset))
        if ref is None:
            return error.located(self.agreement_name)
        rest = error.why.split(f"{ref}: ", 1)[-1]
        field = re.match(
            r"(target|tiers|milestones|base|target_count|direction|rule_params|method_params)\b",
            rest,
        )
        entry = _entry_index(self.report, ref)
        if entry is not None and self.report_name is not None and field is None:
            quarter = re.search(r"\bQ([1-4]) figure\b", rest)
            status = re.search(r"\bmarked (substituted|not applicable)\b", rest)
            path = f"$.entries[{entry}]" + (
                f".q{quarter[1]}" if quarter else ".status" if status else ""
            )
            return error.located(self.report_name, path)
        row = _row_path(self.agreement, ref)
        if row is not None and field is not None:
            row = f"{row}.{field[1]}"
            # the path names the field now: "1.1.2: target: must be > 0" -> "must be > 0"
            why = rest.removeprefix(f"{field[1]}: ")
            return type(error)(why, where=self.agreement_name, path=row)
        return error.located(self.agreement_name, row)


def _first_ref(text: str, refs: Mapping[str, object]) -> str | None:
    """The first indicator reference named in ``text``."""
    for word in text.split():
        word = word.strip(":,;()'\"")
        if word in refs:
            return word
    return None


def _entry_index(report: ProgressReport | None, ref: str) -> int | None:
    for i, entry in enumerate(report.entries if report else ()):
        if entry.indicator == ref:
            return i
    return None


def _row_path(agreement: Agreement, ref: str) -> str | None:
    """``$.path`` of the agreement row of ``ref`` (``1.1.2``, ``grs/1.1.1``)."""
    kind, _, ident = ref.rpartition("/")
    if kind:
        for k, annex in enumerate(agreement.annexes):
            if annex.kind == kind:
                inner = _area_row(annex.areas, ident)
                return f"$.annexes[{k}]" + (f".areas{inner}" if inner else "")
        return None
    inner = _area_row(agreement.areas, ident)
    return f"$.areas{inner}" if inner else None


def _area_row(areas: Sequence[Area], ident: str) -> str | None:
    for a, area in enumerate(areas):
        for c, act in enumerate(area.activities):
            for i, ind in enumerate(act.indicators):
                if ind.id == ident:
                    return f"[{a}].activities[{c}].indicators[{i}]"
    return None


def _file_kind(data: Mapping[str, object]) -> str | None:
    """What kind of apacore file ``data`` looks like, by keys only one kind has."""
    report = "quarter" in data or "entries" in data
    agreement = isinstance(data.get("office"), Mapping) or "areas" in data or "annexes" in data
    if "office_weight" in data or "annex_weights" in data or "starts" in data:
        return "a ruleset file (ruleset.toml)"
    if report != agreement:  # a mix is neither: its unknown keys are named instead
        return "a progress report" if report else "an agreement"
    return None


def _check_kind(
    data: Mapping[str, object], wanted: str, where: str, error: type[ApacoreError]
) -> None:
    kind = _file_kind(data)
    if kind is not None and kind != wanted:
        raise error(f"is {kind}, not {wanted}", where=where)


TomlSource = str | Mapping[str, Any]
"""What :func:`load_office_texts` reads: TOML text, or the data a TOML parser (or a
caller) made of it."""


def _data(source: TomlSource, where: str, error: type[ApacoreError]) -> Mapping[str, Any]:
    from apacore.loading.convert import check_data, parse_toml

    if isinstance(source, str):
        return parse_toml(source, where=where, error=error)
    if not isinstance(source, Mapping):
        raise error(f"expected TOML text or a mapping, got {type(source).__name__}", where=where)
    check_data(source, where=where, error=error)
    return source


def _agreement(data: Mapping[str, Any], where: str) -> Agreement:
    from apacore.loading.convert import structure  # not needed when the office is cached

    _check_kind(data, "an agreement", where, AgreementError)
    return structure(data, Agreement, where=where, error=AgreementError)


def _report(data: Mapping[str, Any], where: str) -> ProgressReport:
    from apacore.loading.convert import structure

    _check_kind(data, "a progress report", where, ReportError)
    return structure(data, ProgressReport, where=where, error=ReportError)


def load_agreement(path: Path, *, raw: bytes | None = None) -> Agreement:
    """An agreement file, structured strictly (``raw``: its bytes, already read)."""
    from apacore.loading.convert import read_toml  # not needed when the office is cached

    return _agreement(read_toml(path, error=AgreementError, raw=raw), str(path))


def load_report(path: Path, *, raw: bytes | None = None) -> ProgressReport:
    """A progress report file, structured strictly (``raw``: its bytes, already read)."""
    from apacore.loading.convert import read_toml

    return _report(read_toml(path, error=ReportError, raw=raw), str(path))


def check_agreement(agreement: Agreement, ruleset: Ruleset, *, where: str) -> None:
    """The agreement fits its ruleset: year, pin, weights, annexes; then the plugins' checks."""
    from apacore.loading.validation import check_areas  # not needed when the office is cached

    if agreement.fiscal_year != ruleset.fiscal_year:
        raise AgreementError(
            f"is for {agreement.fiscal_year}, but the ruleset is for {ruleset.fiscal_year}",
            where=where,
            path="$.fiscal_year",
        )
    pinned = agreement.ruleset_sha256
    if (
        pinned
        and pinned != ruleset.sha256  # pinned as apacore writes it: nothing more to read
        and pin_hash(pinned, where=where, path="$.ruleset_sha256") != ruleset.sha256
    ):
        raise PinError(
            f"pins ruleset {agreement.ruleset_sha256}, but ruleset {ruleset.fiscal_year} has"
            f" content hash {ruleset.sha256}",
            where=where,
            path="$.ruleset_sha256",
        )
    registry = get_registry()
    spec = ruleset.spec
    complete = agreement.scope == "complete"
    office_total = (
        spec.office_weight
        if complete
        else exact_sum(a.weight for a in agreement.areas if a.weight is not None)
    )
    check_areas(
        agreement.areas,
        total=office_total,
        total_path="$.areas",
        base="$.areas",
        where=where,
        error=AgreementError,
        registry=registry,
        starts=spec.starts,
        ends=spec.ends,
        require_sources=False,
        allow_unweighted=not complete,
    )
    kinds: dict[str, int] = {}
    for i, annex in enumerate(agreement.annexes):
        path = f"$.annexes[{i}]"
        if annex.kind in kinds:
            raise AgreementError(
                f"annex {annex.kind!r} appears twice (also at $.annexes[{kinds[annex.kind]}])",
                where=where,
                path=f"{path}.kind",
            )
        kinds[annex.kind] = i
        if annex.kind not in registry.annex_types:
            raise AgreementError(
                f"unknown annex kind {annex.kind!r} (known: {', '.join(sorted(registry.annex_types))})",
                where=where,
                path=f"{path}.kind",
            )
        if (
            annex.kind not in spec.annex_weights
            and registry.annex_types[annex.kind].apa_weight is None
        ):
            raise AgreementError(
                f"annex {annex.kind!r} has no APA weight in ruleset"
                f" {ruleset.fiscal_year} nor from its plugin",
                where=where,
                path=f"{path}.kind",
            )
        if annex.standard and ruleset.annex(annex.kind) is None:
            raise AgreementError(
                f"standard = true, but ruleset {ruleset.fiscal_year} has no standard"
                f" {annex.kind!r} plan; give the office's own rows",
                where=where,
                path=f"{path}.standard",
            )
    plans = plan_annexes(agreement, ruleset)
    for plan, annex, i in zip(plans, agreement.annexes, range(len(agreement.annexes))):
        if not annex.standard:
            check_areas(
                plan.areas,
                total=plan.total,
                total_path=f"$.annexes[{i}].total",
                base=f"$.annexes[{i}].areas",
                where=where,
                error=AgreementError,
                registry=registry,
                starts=spec.starts,
                ends=spec.ends,
                require_sources=False,
            )
    if complete:
        missing = [k for k in spec.annex_weights if k not in kinds]
        if missing:
            raise AgreementError(
                f"a complete agreement has every annex; missing: {', '.join(missing)}"
                ' (or set scope = "partial")',
                where=where,
                path="$.annexes",
            )
        governance = [p.apa_weight for p in plans]
        added = exact_sum([office_total, *governance])
        expected = exact_sum([spec.office_weight, spec.governance_weight])
        if added != expected:
            raise AgreementError(
                f"weights add up to {format_number(added)}, not {format_number(expected)}",
                where=where,
                path="$",
            )
    for plugin, problems in call_each(
        "validate_agreement", item_type=str, where=where, agreement=agreement, ruleset=ruleset
    ):
        for problem in problems or ():
            raise AgreementError(str(problem), where=f"{where} (checked by plugin {plugin})")
    if agreement.revisions:
        from apacore.loading.revisions import check_revisions

        refs = indicator_refs(agreement, ruleset)
        check_revisions(agreement, ruleset, refs, where=where, check=check_agreement)


def indicator_refs(agreement: Agreement, ruleset: Ruleset) -> dict[str, Indicator]:
    """Every indicator reference of the agreement (``"1.1.1"``, ``"egov/4.1.2"``)."""
    refs: dict[str, Indicator] = {}
    for area in agreement.areas:
        for ind in area.indicators():
            refs[ind.id] = ind
    for plan in plan_annexes(agreement, ruleset):
        for area in plan.areas:
            for ind in area.indicators():
                refs[f"{plan.kind}/{ind.id}"] = ind
    return refs


def _same_name(name: str) -> str:
    """An office name compared without regard to case, spacing or Unicode form."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def check_report(
    report: ProgressReport, agreement: Agreement, ruleset: Ruleset, *, where: str
) -> None:
    """The report fits the agreement: same year, known indicators, figures in the year."""
    if report.fiscal_year != agreement.fiscal_year:
        raise ReportError(
            f"is for {report.fiscal_year}, but the agreement is for {agreement.fiscal_year}",
            where=where,
            path="$.fiscal_year",
        )
    office = _same_name(report.office)
    if office and office not in {
        _same_name(agreement.office.name_bn),
        _same_name(agreement.office.name_en),
    }:
        raise ReportError(
            f"is from office {report.office!r}, but the agreement is"
            f" {agreement.office.name_bn!r}"
            + (f" ({agreement.office.name_en!r})" if agreement.office.name_en else ""),
            where=where,
            path="$.office",
        )
    from apacore.loading.validation import check_references  # not needed when cached

    refs = indicator_refs(agreement, ruleset)
    spec = ruleset.spec
    listed = [entry.indicator for entry in report.entries]
    check_references(listed, refs, base="$.entries", where=where, error=ReportError)
    covers = report.quarter
    # the last day a date of each quarter may be: inside the year and the quarter
    last_days = [spec.starts, *(min(spec.ends, quarter_end(spec.starts, q)) for q in (1, 2, 3, 4))]
    for i, entry in enumerate(report.entries):
        for q, reading in enumerate((entry.q1, entry.q2, entry.q3, entry.q4), start=1):
            if reading is None:
                continue
            value, count = reading.value, reading.count
            if (
                q <= covers
                and (count is None or (type(count) is Decimal and count >= 0))
                and (
                    value is Marker.NOT_REPORTED
                    or (type(value) is Decimal and value >= 0)
                    or (type(value) is dt.date and spec.starts <= value <= last_days[q])
                )
            ):
                continue  # most figures: nothing that check_reading would refuse
            check_reading(reading, q, covers, spec, where=where, entry=f"$.entries[{i}]")


def check_reading(
    reading: Reading, q: int, covers: int, spec: RulesetSpec, *, where: str, entry: str
) -> None:
    """A quarter's figure fits its place: not negative, not after the quarters a report of
    quarters 1 to ``covers`` holds, a date inside the fiscal year and its quarter (also
    for an evaluation's revised readings, :mod:`apacore.evaluation.loading`). ``entry`` is
    the ``$.path`` of the entry; an error names its ``.qN``."""
    # ~240 readings an office: the $.path is written only for an error
    value = reading.value
    if (isinstance(value, Decimal) and value < 0) or (
        isinstance(reading.count, Decimal) and reading.count < 0
    ):
        raise ReportError(
            f"a reported figure cannot be negative, got {reading.text!r}",
            where=where,
            path=f"{entry}.q{q}",
        )
    if q > covers and value is not Marker.NOT_REPORTED:
        raise ReportError(
            f"a Q{q} figure in a report that covers quarters 1 to {covers}",
            where=where,
            path=f"{entry}.q{q}",
        )
    if isinstance(value, dt.date):
        if not spec.starts <= value <= spec.ends:
            raise ReportError(
                f"date {reading.text!r} is outside the fiscal year {spec.fiscal_year}",
                where=where,
                path=f"{entry}.q{q}",
            )
        if value > quarter_end(spec.starts, q):
            raise ReportError(
                f"date {reading.text!r} is after the end of Q{q}"
                f" ({quarter_end(spec.starts, q).isoformat()}), the quarter it is"
                " reported in",
                where=where,
                path=f"{entry}.q{q}",
            )


def _find_files(path: Path) -> tuple[Path, Path | None]:
    """The agreement and the report beside it. A report path that is there in any form
    (a folder, a dangling or looping link, an unreadable file) is returned, so that
    reading it fails with its reason: the office is never scored as unreported by mistake."""
    if path.is_dir():
        agreement = path / AGREEMENT_FILE
        if not os.path.lexists(agreement):
            raise AgreementError(f"no {AGREEMENT_FILE} in this folder", where=str(path))
        report = path / REPORT_FILE
        return agreement, report if os.path.lexists(report) else None
    if not os.path.lexists(path):
        raise AgreementError("no such file or folder", where=str(path))
    report = path.with_name(REPORT_FILE)
    return path, report if os.path.lexists(report) and report != path else None


def _ruleset_for(agreement: Agreement, where: str) -> Ruleset:
    """The ruleset of the agreement's fiscal year, checked against the hash it pins."""
    if not re.match(r"^\d{4}-\d{2}$", agreement.fiscal_year):
        raise AgreementError(
            f"must be a fiscal year such as 2024-25 or ২০২৪-২০২৫, got {agreement.fiscal_year!r}",
            where=where,
            path="$.fiscal_year",
        )
    try:
        ruleset = offered_ruleset(agreement.fiscal_year, sha256=agreement.ruleset_sha256)
    except PinError as exc:
        raise PinError(exc.why, where=where, path="$.ruleset_sha256") from None
    if ruleset is None:
        offered = available_rulesets()
        raise AgreementError(
            f"no ruleset for fiscal year {agreement.fiscal_year!r}"
            f" (available: {', '.join(sorted(offered)) or 'none'})",
            where=where,
            path="$.fiscal_year",
        )
    return ruleset


def _checked_report(
    agreement: Agreement,
    ruleset: Ruleset,
    read_report: Callable[[], ProgressReport | None],
    *,
    agreement_name: str,
    report_name: str | None,
    agreement_checked: bool = False,
) -> ProgressReport | None:
    """The pipeline's checks, in order: the agreement against its ruleset (unless it comes
    checked against it from the cache), then the report (read only now: a broken
    agreement is named before its report) against the agreement."""
    if not agreement_checked:
        check_agreement(agreement, ruleset, where=agreement_name)
    report = read_report()
    if report is not None:
        assert report_name is not None
        check_report(report, agreement, ruleset, where=report_name)
    return report


def load_office(
    path: Path,
    *,
    ruleset: Ruleset | None = None,
    use_cache: bool = True,
    whole_office: bool = True,
    files: office_cache.FilesRead | None = None,
) -> OfficeFiles:
    """An agreement with its report: a folder holding ``agreement.toml`` (and
    ``report.toml``), or an agreement file with a ``report.toml`` beside it. Both are
    checked against the ruleset of their fiscal year (or the one given).

    With ``use_cache`` (:mod:`apacore.loading.office_cache`), an office read before is
    taken from the on-disk cache, and an office whose report changed reads only its
    report (its agreement, checked, is kept on its own). ``whole_office=False`` keeps only
    the agreements: for a batch, which keeps its own summaries of offices.
    ``use_cache=False`` neither reads nor writes the cache. With the cache, each file is
    read once: its bytes are hashed for the keys and parsed (``files``: the folder's
    files as already read, by a batch that looked the office up; a report is read if and
    only if ``files`` holds one)."""
    agreement_path, report_path = _find_files(Path(path))
    if files is not None:
        report_path = None if files.report is None else agreement_path.with_name(REPORT_FILE)
    elif use_cache and office_cache.in_use():  # read once: hashed for the keys, and parsed
        files = office_cache.read_files(agreement_path, report_path)
    agreement_name = str(agreement_path)
    report_name = None if report_path is None else str(report_path)
    try:
        return _load_office(
            agreement_path,
            report_path,
            agreement_name,
            report_name,
            ruleset,
            use_cache,
            whole_office,
            files,
        )
    except ApacoreError as exc:  # the line and the indicator of the $.path it names
        from apacore.loading.lines import with_place

        sources: dict[str | None, str | Path | None] = {
            agreement_name: agreement_path,
            report_name: report_path,
        }
        if files is not None:  # placed in the text that was read, not the file as it is now
            sources = {
                agreement_name: _text(files.agreement),
                report_name: None if files.report is None else _text(files.report),
            }
        raise with_place(exc, sources) from None


def _text(raw: bytes) -> str | None:
    """A file's bytes as text, as :func:`apacore.loading.convert.read_toml` reads them."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _load_office(
    agreement_path: Path,
    report_path: Path | None,
    agreement_name: str,
    report_name: str | None,
    ruleset: Ruleset | None,
    use_cache: bool,
    whole_office: bool,
    files: office_cache.FilesRead | None,
) -> OfficeFiles:
    office_key = agreement_key = None
    if use_cache and whole_office:
        office_key = office_cache.key(agreement_path, report_path, files)

    cached = office_cache.fetch(office_key)  # checked before: only the ruleset is loaded
    checked = None
    if use_cache and cached is None:
        agreement_key = office_cache.agreement_key(files)
        checked = office_cache.fetch_agreement(agreement_key)
    if cached is not None:
        agreement = cached[0]
    elif checked is not None:
        agreement = checked[0]
    else:
        agreement = load_agreement(agreement_path, raw=None if files is None else files.agreement)
    if ruleset is None:
        ruleset = _ruleset_for(agreement, agreement_name)
    if cached is not None and cached[2] == ruleset.sha256:
        report = cached[1]
    else:
        agreement_checked = checked is not None and checked[1] == ruleset.sha256
        report = _checked_report(
            agreement,
            ruleset,
            lambda: (
                None
                if report_path is None
                else load_report(report_path, raw=None if files is None else files.report)
            ),
            agreement_name=agreement_name,
            report_name=report_name,
            agreement_checked=agreement_checked,
        )
        if not agreement_checked:
            office_cache.store_agreement(agreement_key, agreement, ruleset.sha256)
        office_cache.store(office_key, agreement, report, ruleset.sha256)
    return OfficeFiles(
        agreement=agreement,
        report=report,
        ruleset=ruleset,
        agreement_name=agreement_name,
        report_name=report_name,
        agreement_path=agreement_path,
        report_path=report_path,
    )


def load_office_texts(
    agreement: TomlSource,
    report: TomlSource | None = None,
    *,
    agreement_name: str = AGREEMENT_FILE,
    report_name: str = REPORT_FILE,
    ruleset: Ruleset | None = None,
) -> OfficeFiles:
    """An office from its agreement's and report's TOML texts (or the data parsed from
    them), read and checked exactly as :func:`load_office` reads and checks its files.

    For a caller that holds the texts rather than files: a server's request, a sheet just
    imported, a test. ``agreement_name`` and ``report_name`` are what error messages and
    notices call the texts (``request.agreement: $.areas[0].weight: must be > 0``).
    ``report=None``: no progress report (every indicator scores as not reported).
    """
    try:
        return _load_office_texts(agreement, report, agreement_name, report_name, ruleset)
    except ApacoreError as exc:  # the line and the indicator of the $.path it names
        from apacore.loading.lines import with_place

        texts = {agreement_name: agreement, report_name: report}
        raise with_place(exc, {k: v for k, v in texts.items() if isinstance(v, str)}) from None


def _load_office_texts(
    agreement: TomlSource,
    report: TomlSource | None,
    agreement_name: str,
    report_name: str,
    ruleset: Ruleset | None,
) -> OfficeFiles:
    agreement_model = _agreement(_data(agreement, agreement_name, AgreementError), agreement_name)
    if ruleset is None:
        ruleset = _ruleset_for(agreement_model, agreement_name)
    report_model = _checked_report(
        agreement_model,
        ruleset,
        lambda: (
            None
            if report is None
            else _report(_data(report, report_name, ReportError), report_name)
        ),
        agreement_name=agreement_name,
        report_name=None if report is None else report_name,
    )
    return OfficeFiles(
        agreement=agreement_model,
        report=report_model,
        ruleset=ruleset,
        agreement_name=agreement_name,
        report_name=None if report is None else report_name,
    )
