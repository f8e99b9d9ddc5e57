"""Agreements and progress reports: loading them and checking them against a ruleset."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import attrs
from dateutil.relativedelta import relativedelta

from apacore.errors import AgreementError, ApacoreError, PinError, ReportError
from apacore.formatting import format_number
from apacore.loading import office_cache
from apacore.loading.rulesets import Ruleset, available_rulesets, load_ruleset
from apacore.models import Agreement, Area, Indicator, ProgressReport
from apacore.numbers import Marker, exact_sum
from apacore.plugins.host import call_each, get_registry

__all__ = [
    "OfficeFiles",
    "PlanAnnex",
    "check_agreement",
    "check_report",
    "load_agreement",
    "load_office",
    "load_report",
    "plan_annexes",
    "quarter_end",
]

AGREEMENT_FILE = "agreement.toml"
REPORT_FILE = "report.toml"


@attrs.frozen(kw_only=True)
class PlanAnnex:
    """An annex as the office signed it: its rows, its own total and its APA weight."""

    kind: str
    name_bn: str
    name_en: str
    total: Decimal
    apa_weight: Decimal
    areas: tuple[Area, ...]
    standard: bool


@attrs.frozen(kw_only=True)
class OfficeFiles:
    """An office's agreement and (if any) its progress report, loaded and checked."""

    agreement: Agreement
    report: ProgressReport | None
    ruleset: Ruleset
    agreement_path: Path
    report_path: Path | None

    def locate(self, error: ApacoreError) -> ApacoreError:
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
            return error.located(str(self.agreement_path))
        rest = error.why.split(f"{ref}: ", 1)[-1]
        field = re.match(
            r"(target|tiers|milestones|base|target_count|direction|rule_params)\b", rest
        )
        entry = _entry_index(self.report, ref)
        if entry is not None and self.report_path is not None and field is None:
            quarter = re.search(r"\bQ([1-4]) figure\b", rest)
            status = re.search(r"\bmarked (substituted|not applicable)\b", rest)
            path = f"$.entries[{entry}]" + (
                f".q{quarter[1]}" if quarter else ".status" if status else ""
            )
            return error.located(str(self.report_path), path)
        row = _row_path(self.agreement, ref)
        if row is not None and field is not None:
            row = f"{row}.{field[1]}"
            # the path names the field now: "1.1.2: target: must be > 0" -> "must be > 0"
            why = rest.removeprefix(f"{field[1]}: ")
            return type(error)(why, where=str(self.agreement_path), path=row)
        return error.located(str(self.agreement_path), row)


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


@functools.lru_cache(maxsize=64)  # asked for every dated reading; a handful of answers
def quarter_end(starts: dt.date, quarter: int) -> dt.date:
    """The last day of ``quarter`` (1–4) of the fiscal year that begins on ``starts``."""
    end: dt.date = starts + relativedelta(months=3 * quarter, days=-1)
    return end


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
    data: Mapping[str, object], wanted: str, path: Path, error: type[ApacoreError]
) -> None:
    kind = _file_kind(data)
    if kind is not None and kind != wanted:
        raise error(f"is {kind}, not {wanted}", where=str(path))


def load_agreement(path: Path) -> Agreement:
    """An agreement file, structured strictly."""
    from apacore.loading.convert import read_toml, structure  # not needed when the office is cached

    data = read_toml(path, error=AgreementError)
    _check_kind(data, "an agreement", path, AgreementError)
    return structure(data, Agreement, where=str(path), error=AgreementError)


def load_report(path: Path) -> ProgressReport:
    """A progress report file, structured strictly."""
    from apacore.loading.convert import read_toml, structure

    data = read_toml(path, error=ReportError)
    _check_kind(data, "a progress report", path, ReportError)
    return structure(data, ProgressReport, where=str(path), error=ReportError)


def plan_annexes(agreement: Agreement, ruleset: Ruleset) -> tuple[PlanAnnex, ...]:
    """The agreement's annexes with their rows, totals and APA weights filled in."""
    registry = get_registry()
    out = []
    for annex in agreement.annexes:
        standard = ruleset.annex(annex.kind)
        annex_type = registry.annex_types.get(annex.kind)
        apa_weight = ruleset.spec.annex_weights.get(annex.kind)
        if apa_weight is None and annex_type is not None:
            apa_weight = annex_type.apa_weight
        if annex.standard:
            assert standard is not None  # checked by check_agreement
            areas, total = standard.areas, standard.total
        else:
            areas = annex.areas
            total = (
                annex.total
                if annex.total is not None
                else (
                    standard.total
                    if standard is not None
                    else exact_sum(a.weight for a in annex.areas if a.weight is not None)
                )
            )
        out.append(
            PlanAnnex(
                kind=annex.kind,
                name_bn=standard.name_bn
                if standard
                else (annex_type.name_bn if annex_type else ""),
                name_en=standard.name_en
                if standard
                else (annex_type.name_en if annex_type else ""),
                total=total,
                apa_weight=apa_weight if apa_weight is not None else Decimal(0),
                areas=areas,
                standard=annex.standard,
            )
        )
    return tuple(out)


def check_agreement(agreement: Agreement, ruleset: Ruleset, *, where: str) -> None:
    """The agreement fits its ruleset: year, pin, weights, annexes; then the plugins' checks."""
    from apacore.loading.validation import check_areas  # not needed when the office is cached

    if agreement.fiscal_year != ruleset.fiscal_year:
        raise AgreementError(
            f"is for {agreement.fiscal_year}, but the ruleset is for {ruleset.fiscal_year}",
            where=where,
            path="$.fiscal_year",
        )
    if agreement.ruleset_sha256 and agreement.ruleset_sha256.lower() != ruleset.sha256:
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
    for plan, annex, i in zip(
        plan_annexes(agreement, ruleset), agreement.annexes, range(len(agreement.annexes))
    ):
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
        governance = [p.apa_weight for p in plan_annexes(agreement, ruleset)]
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
    refs = indicator_refs(agreement, ruleset)
    seen: dict[str, int] = {}
    spec = ruleset.spec
    for i, entry in enumerate(report.entries):
        path = f"$.entries[{i}]"
        if entry.indicator not in refs:
            hint = ""
            if "/" not in entry.indicator and any(r.endswith("/" + entry.indicator) for r in refs):
                hint = " (annex rows are written <kind>/<id>, e.g. egov/1.1.1)"
            raise ReportError(
                f"unknown indicator {entry.indicator!r}{hint}",
                where=where,
                path=f"{path}.indicator",
            )
        if entry.indicator in seen:
            raise ReportError(
                f"indicator {entry.indicator} is reported twice (also at"
                f" $.entries[{seen[entry.indicator]}])",
                where=where,
                path=f"{path}.indicator",
            )
        seen[entry.indicator] = i
        for q, reading in enumerate(entry.quarters(), start=1):
            if reading is None:
                continue
            # ~240 readings an office: the $.path is written only for an error
            value = reading.value
            if (isinstance(value, Decimal) and value < 0) or (
                isinstance(reading.count, Decimal) and reading.count < 0
            ):
                raise ReportError(
                    f"a reported figure cannot be negative, got {reading.text!r}",
                    where=where,
                    path=f"{path}.q{q}",
                )
            if q > report.quarter and value is not Marker.NOT_REPORTED:
                raise ReportError(
                    f"a Q{q} figure in a report that covers quarters 1 to {report.quarter}",
                    where=where,
                    path=f"{path}.q{q}",
                )
            if isinstance(value, dt.date):
                if not spec.starts <= value <= spec.ends:
                    raise ReportError(
                        f"date {reading.text!r} is outside the fiscal year {spec.fiscal_year}",
                        where=where,
                        path=f"{path}.q{q}",
                    )
                if value > quarter_end(spec.starts, q):
                    raise ReportError(
                        f"date {reading.text!r} is after the end of Q{q}"
                        f" ({quarter_end(spec.starts, q).isoformat()}), the quarter it is"
                        " reported in",
                        where=where,
                        path=f"{path}.q{q}",
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


def load_office(
    path: Path,
    *,
    ruleset: Ruleset | None = None,
    use_cache: bool = True,
    whole_office: bool = True,
) -> OfficeFiles:
    """An agreement with its report: a folder holding ``agreement.toml`` (and
    ``report.toml``), or an agreement file with a ``report.toml`` beside it. Both are
    checked against the ruleset of their fiscal year (or the one given).

    With ``use_cache`` (:mod:`apacore.loading.office_cache`), an office read before is
    taken from the on-disk cache, and an office whose report changed reads only its
    report (its agreement, checked, is kept on its own). ``whole_office=False`` keeps only
    the agreements: for a batch, which keeps its own summaries of offices.
    ``use_cache=False`` neither reads nor writes the cache."""
    agreement_path, report_path = _find_files(Path(path))
    office_key = None
    if use_cache and whole_office:
        office_key = office_cache.key(agreement_path, report_path)
    cached = office_cache.fetch(office_key)  # checked before: only the ruleset is loaded
    agreement_key = None
    checked = None
    if use_cache and cached is None:
        agreement_key = office_cache.agreement_key(agreement_path)
        checked = office_cache.fetch_agreement(agreement_key)
    if cached is not None:
        agreement = cached[0]
    elif checked is not None:
        agreement = checked[0]
    else:
        agreement = load_agreement(agreement_path)
    if ruleset is None:
        if not re.match(r"^\d{4}-\d{2}$", agreement.fiscal_year):
            raise AgreementError(
                f"must be written like 2024-25, got {agreement.fiscal_year!r}",
                where=str(agreement_path),
                path="$.fiscal_year",
            )
        offered = available_rulesets()
        if agreement.fiscal_year not in offered:
            raise AgreementError(
                f"no ruleset for fiscal year {agreement.fiscal_year!r}"
                f" (available: {', '.join(sorted(offered)) or 'none'})",
                where=str(agreement_path),
                path="$.fiscal_year",
            )
        try:
            ruleset = load_ruleset(agreement.fiscal_year, sha256=agreement.ruleset_sha256)
        except PinError as exc:
            raise PinError(exc.why, where=str(agreement_path), path="$.ruleset_sha256") from None
    if cached is not None and cached[2] == ruleset.sha256:
        report = cached[1]
    else:
        if checked is None or checked[1] != ruleset.sha256:
            check_agreement(agreement, ruleset, where=str(agreement_path))
            office_cache.store_agreement(
                agreement_key, agreement, ruleset.sha256, path=agreement_path
            )
        report = None
        if report_path is not None:
            report = load_report(report_path)
            check_report(report, agreement, ruleset, where=str(report_path))
        office_cache.store(
            office_key, agreement, report, ruleset.sha256, files=(agreement_path, report_path)
        )
    return OfficeFiles(
        agreement=agreement,
        report=report,
        ruleset=ruleset,
        agreement_path=agreement_path,
        report_path=report_path,
    )
