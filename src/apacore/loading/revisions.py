"""Approved revisions of targets, checked: each names a known indicator once, is dated
inside the year and not after the ruleset's revision deadline, gives values its row can take,
and keeps the weights adding up (:mod:`apacore.plugins.target_revisions` applies them)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from apacore.errors import AgreementError
from apacore.formatting import format_number
from apacore.models import Agreement, AppliedRevision, Area, FieldError, Indicator
from apacore.numbers import exact_sum
from apacore.plugins.contract import Ruleset
from apacore.plugins.target_revisions import apply_revisions, revise

__all__ = ["check_revisions"]


def check_revisions(
    agreement: Agreement,
    ruleset: Ruleset,
    refs: Mapping[str, Indicator],
    *,
    where: str,
    check: Callable[..., None],
) -> None:
    """Each revision names a known indicator once, is dated inside the year and not after
    the ruleset's revision deadline, gives values the row can take, and keeps every area's
    weights adding up; the revised agreement then passes ``check`` (the agreement's own,
    :func:`apacore.loading.agreements.check_agreement`, passed in: it calls this one)."""
    spec = ruleset.spec
    calendar = spec.calendar
    from apacore.loading.validation import (  # not needed when cached
        check_indicator,
        check_references,
    )
    from apacore.plugins.host import get_registry

    check_references(
        [r.indicator for r in agreement.revisions],
        refs,
        base="$.revisions",
        where=where,
        error=AgreementError,
        unknown="revises unknown indicator",
        twice="is revised twice",
        after=": targets may be revised once",
    )
    for i, revision in enumerate(agreement.revisions):
        path = f"$.revisions[{i}]"
        day = revision.approved_on
        if not spec.starts <= day <= spec.ends:
            raise AgreementError(
                f"{day.isoformat()} is outside the fiscal year {spec.fiscal_year}",
                where=where,
                path=f"{path}.approved_on",
            )
        if calendar is not None and day > calendar.revision_proposals:
            raise AgreementError(
                f"{day.isoformat()} is after the revision deadline"
                f" {calendar.revision_proposals.isoformat()} (ruleset {spec.fiscal_year},"
                " [calendar] revision_proposals)",
                where=where,
                path=f"{path}.approved_on",
            )
        try:
            revised_row = revise(refs[revision.indicator], revision)
        except FieldError as exc:
            raise AgreementError(exc.why, where=where, path=f"{path}.{exc.field}") from None
        # the revised row passes every check a signed row does (monotone tiers, the
        # method's and the rule's own checks), reported at the revision
        check_indicator(
            revised_row,
            path=path,
            where=where,
            error=AgreementError,
            registry=get_registry(),
            starts=spec.starts,
            ends=spec.ends,
        )
    revised, applied = apply_revisions(agreement, ruleset)
    _check_weights(agreement, revised, applied, where=where)
    try:
        check(revised, ruleset, where=where)
    except AgreementError as exc:
        raise AgreementError(
            f"the agreement with its revisions applied: {exc.path + ': ' if exc.path else ''}{exc.why}",
            where=where,
            path="$.revisions",
        ) from None


def _check_weights(
    agreement: Agreement, revised: Agreement, applied: Sequence[AppliedRevision], *, where: str
) -> None:
    """A weight revision must leave its area's weights adding up to the area's weight."""
    index = {r.indicator: i for i, r in enumerate(agreement.revisions)}
    weighed = {a.ref for a in applied if a.revision.weight is not None}
    if not weighed:
        return
    groups: list[tuple[str, Sequence[Area]]] = [("", revised.areas)]
    groups += [(f"{annex.kind}/", annex.areas) for annex in revised.annexes]
    for prefix, areas in groups:
        for area in areas:
            rows = [ind for ind in area.indicators() if ind.substitute_for is None]
            refs = [prefix + ind.id for ind in rows]
            touched = [ref for ref in refs if ref in weighed]
            if not touched or area.weight is None:
                continue
            total = exact_sum(ind.weight for ind in rows if ind.weight is not None)
            if total != area.weight:
                last = max(touched, key=index.__getitem__)
                raise AgreementError(
                    f"the weights of area {prefix}{area.id} add up to {format_number(total)} with"
                    f" the revised weight{'s' if len(touched) > 1 else ''} of"
                    f" {', '.join(touched)}, not its {format_number(area.weight)}: revise the"
                    " other rows' weights too",
                    where=where,
                    path=f"$.revisions[{index[last]}].weight",
                )
