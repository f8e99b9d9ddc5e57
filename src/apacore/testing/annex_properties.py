"""The contract suite of an annex type: its titles are recognised by the importer, its
conversion into APA marks is exact and bounded, it has a Bengali name, and an agreement
using it loads, scores and renders in Bengali without English
(:func:`check_annex_type`, :func:`annex_type_tests`).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import hypothesis
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from apacore.errors import ApacoreError
from apacore.models import Agreement, Indicator, ProgressReport
from apacore.plugins.contract import AnnexType
from apacore.plugins.hookspecs import hookimpl
from apacore.plugins.host import get_registry, using_plugin
from apacore.testing.strategies import DEFAULT_FISCAL_YEAR, agreements, reports
from apacore.testing.suite import PropertyFailure, _ident, _registered, _Suite, _test_class
from apacore.values import frozen

ANNEX_PROPERTIES: tuple[str, ...] = (
    "titles_recognised",
    "exact_and_bounded",
    "bengali_name",
    "renders_in_bengali",
)
"""The properties :func:`check_annex_type` checks, in order."""

APA_MARKS = Decimal(100)
"""An APA's marks: no annex can be worth more."""

_BENGALI = re.compile(r"[\u0980-\u09FF]")
_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
_CODES = re.compile(r"sha256[: ][0-9a-f…]+")
_ARITHMETIC = frozenset({"min", "max"})
"""Latin words a Bengali explanation may hold: the arithmetic's own (``min(২ / ৪, ১)``)."""


class _OneAnnexType:
    """A plugin object registering one annex type (an :class:`AnnexType` under test that
    no installed plugin registers)."""

    def __init__(self, annex_type: AnnexType) -> None:
        self.annex_type = annex_type

    @hookimpl
    def register_annex_types(self, register: Callable[[AnnexType], None]) -> None:
        register(self.annex_type)


@frozen(kw_only=True)
class _AnnexSuite(_Suite):
    annex_type: str | AnnexType
    indicators: SearchStrategy[Indicator] | None
    fiscal_year: str
    plugin: object | None
    plugin_name: str | None
    settings: hypothesis.settings | None = None

    @property
    def label(self) -> str:
        kind = self.annex_type.kind if isinstance(self.annex_type, AnnexType) else self.annex_type
        return f"annex type {kind!r}"

    @contextmanager
    def registered(self) -> Iterator[AnnexType]:
        """The annex type, registered for the block (its plugin, or the object itself)."""
        with _registered(self.plugin, self.plugin_name):
            given_type = self.annex_type
            if not isinstance(given_type, AnnexType):
                found = _registry().annex_types.get(given_type)
                if found is None:
                    raise PropertyFailure(
                        f"{self.label} is not registered (give plugin= the module that"
                        " registers it)"
                    )
                yield found
            elif _registry().annex_types.get(given_type.kind) is given_type:
                yield given_type
            else:
                name = self.plugin_name or f"annex type {given_type.kind}"
                with using_plugin(_OneAnnexType(given_type), name=name):
                    _registry()  # a clash with a registered kind fails here, naming both
                    yield given_type

    def _run_untimed(self, prop: Callable[[], None]) -> None:
        """Run a hypothesis test that writes, loads and scores an office per example:
        without a deadline, unless this suite was given settings."""
        (self.settings or hypothesis.settings(deadline=None))(prop)()

    def run(self, prop: str) -> bool:
        """Run property ``prop`` (every one applies)."""
        if prop not in ANNEX_PROPERTIES:
            raise ValueError(f"unknown property {prop!r} (known: {', '.join(ANNEX_PROPERTIES)})")
        with self.registered() as annex_type:
            getattr(self, f"_{prop}")(annex_type)
        return True

    # ------------------------------------------------------------------ the properties

    def _titles_recognised(self, annex_type: AnnexType) -> None:
        from apacore.importer.tables import annex_titles
        from apacore.importer.text import _norm

        kind = annex_type.kind
        if not annex_type.titles:
            raise PropertyFailure(
                f"{self.label} (titles recognised): it has no titles, so `apacore import"
                " --annex auto` cannot recognise its tables; give titles=[...], regular"
                " expressions of the title above its table (Bengali and English)"
            )
        try:
            patterns = annex_titles()
        except ApacoreError as exc:
            raise PropertyFailure(f"{self.label} (titles recognised): {exc}") from None
        printable = st.characters(codec="utf-8", exclude_categories=["C"])

        @given(
            st.sampled_from(annex_type.titles).flatmap(
                lambda p: st.tuples(
                    st.just(p), st.from_regex(p, fullmatch=True, alphabet=printable)
                )
            )
        )
        def prop(case: tuple[str, str]) -> None:
            pattern, title = case
            text = _norm(title)
            hypothesis.assume(text)
            kinds = [k for k, rx in patterns if rx.search(text)]
            if kinds != [kind]:
                found = (
                    f"is recognised as {', '.join(repr(k) for k in kinds)}"
                    if kinds
                    else "is recognised as no annex"
                )
                raise PropertyFailure(
                    f"{self.label} (titles recognised): the title {title!r} (of its pattern"
                    f" {pattern!r}) {found}, not as {kind!r} alone; make its titles match"
                    " only its own tables"
                )

        self._run(prop)

    def _exact_and_bounded(self, annex_type: AnnexType) -> None:
        weight = annex_type.apa_weight
        what = f"{self.label} (conversion exact and bounded)"
        if weight is None:
            raise PropertyFailure(
                f"{what}: it has no APA weight (apa_weight), so in a ruleset that does not"
                " list it in [annex_weights] its marks count for nothing; give"
                " apa_weight=Decimal(...)"
            )
        if not isinstance(weight, Decimal) or not weight.is_finite():
            raise PropertyFailure(
                f"{what}: its APA weight {weight!r} is not an exact, finite Decimal"
            )
        if not 0 < weight <= APA_MARKS:
            raise PropertyFailure(
                f"{what}: its APA weight {weight} is not in (0, {APA_MARKS}]: an APA is"
                f" {APA_MARKS} marks"
            )

        @given(self._offices(annex_type.kind))
        def prop(case: tuple[Agreement, ProgressReport]) -> None:
            card = _scored(*case, kind=annex_type.kind, what=what)
            (section,) = card.sections
            marks, total = section.exact("marks"), section.weight
            converted, most = section.exact("converted_marks"), section.exact("converted_max")
            if marks is None or total is None or converted is None or most is None:
                raise PropertyFailure(f"{what}: the annex was not converted; {_show(case)}")
            expected = marks / Fraction(total) * Fraction(weight)
            if converted != expected:
                raise PropertyFailure(
                    f"{what}: converted {converted}, expected obtained {marks} / total"
                    f" {total} × APA weight {weight} = {expected}; {_show(case)}"
                )
            if not 0 <= converted <= most <= Fraction(weight):
                raise PropertyFailure(
                    f"{what}: converted {converted} of {most} is outside [0, APA weight"
                    f" {weight}]; {_show(case)}"
                )

        self._run_untimed(prop)

    def _bengali_name(self, annex_type: AnnexType) -> None:
        name = annex_type.name_bn
        if not name or not _BENGALI.search(name):
            raise PropertyFailure(
                f"{self.label} (Bengali name): it has no Bengali name (name_bn = {name!r}),"
                f" so Bengali output titles it {annex_type.bengali_name!r}; give"
                " name_bn='...' as on the forms"
            )

    def _renders_in_bengali(self, annex_type: AnnexType) -> None:
        from apacore.render.formats import render

        what = f"{self.label} (renders in Bengali)"
        english = annex_type.name_en.strip()
        allowed = {annex_type.kind, *annex_type.kind.split("_"), *annex_type.kind.split("-")}

        @given(self._offices(annex_type.kind))
        def prop(case: tuple[Agreement, ProgressReport]) -> None:
            card = _scored(*case, kind=annex_type.kind, what=what)
            outputs = {
                f"score --lang bn --format {fmt}": render(card, fmt, "bn")
                for fmt in ("table", "md")
            }
            lines = [line for r in card.indicators() if r.trace for line in r.trace.lines("bn")]
            outputs["explain --lang bn"] = "\n".join([*lines, *card.sections[0].lines("bn")])
            title = annex_type.bengali_name
            if title not in outputs["score --lang bn --format table"]:
                raise PropertyFailure(
                    f"{what}: the Bengali scorecard does not title the annex {title!r};"
                    f" {_show(case)}"
                )
            for command, out in outputs.items():
                if english and english not in annex_type.bengali_name and english in out:
                    raise PropertyFailure(
                        f"{what}: `{command}` shows the English name {english!r}; {_show(case)}"
                    )
                words = set(_LATIN_WORD.findall(_CODES.sub("", out))) - allowed - _ARITHMETIC
                if words:
                    raise PropertyFailure(
                        f"{what}: `{command}` shows English: {', '.join(sorted(words))};"
                        f" {_show(case)}"
                    )

        self._run_untimed(prop)

    # ------------------------------------------------------------------ generated offices

    def _offices(self, kind: str) -> SearchStrategy[tuple[Agreement, ProgressReport]]:
        """Partial agreements holding only an annex of ``kind`` (generated rows, their
        weights making its total), with a report on its rows."""

        def as_annex(plain: Agreement) -> SearchStrategy[tuple[Agreement, ProgressReport]]:
            from apacore.models import AgreementAnnex

            (area,) = plain.areas
            annex = AgreementAnnex(kind=kind, total=area.weight, areas=(area,), source="generated")
            agreement = attrs.evolve(plain, areas=(), annexes=(annex,))
            return reports(plain).map(
                lambda report: (
                    agreement,
                    attrs.evolve(
                        report,
                        entries=tuple(
                            attrs.evolve(e, indicator=f"{kind}/{e.indicator}")
                            for e in report.entries
                        ),
                    ),
                )
            )

        return agreements(indicators=self.indicators, fiscal_year=self.fiscal_year).flatmap(
            as_annex
        )


def _registry() -> Any:
    return get_registry()


def _show(case: tuple[Agreement, ProgressReport]) -> str:
    agreement, report = case
    rows = [i for a in agreement.annexes for area in a.areas for i in area.indicators()]
    shown = ", ".join(f"{i.id} ({i.unit}, {i.method}, weight {i.weight})" for i in rows)
    return f"agreement rows {shown}; report of Q{report.quarter} on {len(report.entries)} of them"


def office_files(folder: Path, agreement: Agreement, report: ProgressReport | None) -> Path:
    """Write ``agreement`` (and ``report``) into ``folder`` as ``agreement.toml`` and
    ``report.toml``, in the file format (docs/file-format.md); return the folder."""
    from apacore.loading.templates import _plain, to_toml

    data: dict[str, Any] = {
        "fiscal_year": agreement.fiscal_year,
        "scope": agreement.scope,
        "source": agreement.source or "generated",
        "office": {"name_bn": agreement.office.name_bn, "level": agreement.office.level},
    }
    if agreement.areas:
        data["areas"] = [_plain(a) for a in agreement.areas]
    data["annexes"] = [
        {
            "kind": annex.kind,
            **({"standard": True} if annex.standard else {}),
            **({"total": annex.total} if annex.total is not None else {}),
            "source": annex.source or "generated",
            **({"areas": [_plain(a) for a in annex.areas]} if annex.areas else {}),
        }
        for annex in agreement.annexes
    ]
    if not data["annexes"]:
        del data["annexes"]
    (folder / "agreement.toml").write_text(to_toml(data), encoding="utf-8")
    if report is not None:
        entries = []
        for e in report.entries:
            entry: dict[str, Any] = {"indicator": e.indicator}
            for q in ("q1", "q2", "q3", "q4"):
                reading = getattr(e, q)
                if reading is not None:
                    entry[q] = reading.text
            entries.append(entry)
        text = to_toml(
            {
                "fiscal_year": report.fiscal_year,
                "quarter": report.quarter,
                "source": report.source or "generated",
                "entries": entries,
            }
        )
        (folder / "report.toml").write_text(text, encoding="utf-8")
    return folder


def _scored(agreement: Agreement, report: ProgressReport, *, kind: str, what: str) -> Any:
    """Write the office as files, load it as `apacore score` does, and score it."""
    from apacore.engine.scorecard import score_agreement
    from apacore.loading.agreements import load_office

    with tempfile.TemporaryDirectory(prefix="apacore-annex-") as tmp:
        folder = office_files(Path(tmp), agreement, report)
        try:
            office = load_office(folder, use_cache=False)  # not kept: a folder of one example
            return score_agreement(office.agreement, office.report, office.ruleset)
        except ApacoreError as exc:
            raise PropertyFailure(
                f"{what}: an agreement with an annex of kind {kind!r} did not load and"
                f" score: {exc.path + ': ' if exc.path else ''}{exc.why};"
                f" {_show((agreement, report))}"
            ) from None


def check_annex_type(
    annex_type: str | AnnexType,
    *,
    plugin: object | None = None,
    plugin_name: str | None = None,
    indicators: SearchStrategy[Indicator] | None = None,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    properties: Sequence[str] = ANNEX_PROPERTIES,
    settings: hypothesis.settings | None = None,
) -> None:
    """Check an annex type; raise :class:`PropertyFailure` on the first broken property.

    ``annex_type`` is a registered kind (registered for the check from ``plugin``, named
    ``plugin_name``, unless registered already) or an :class:`~apacore.AnnexType` (registered
    for the check when no plugin registers it). ``indicators`` draws the annex's rows
    (default: :func:`~apacore.testing.indicators`, with apacore's own methods and rules).
    """
    suite = _AnnexSuite(
        annex_type=annex_type,
        indicators=indicators,
        fiscal_year=fiscal_year,
        plugin=plugin,
        plugin_name=plugin_name,
        settings=settings,
    )
    for prop in properties:
        suite.run(prop)


def annex_type_tests(
    annex_type: str | AnnexType,
    *,
    plugin: object | None = None,
    plugin_name: str | None = None,
    indicators: SearchStrategy[Indicator] | None = None,
    fiscal_year: str = DEFAULT_FISCAL_YEAR,
    settings: hypothesis.settings | None = None,
) -> type:
    """A test class with one pytest test per property of :func:`check_annex_type`::

    TestProcurement = apacore.testing.annex_type_tests("procurement", plugin=my_plugin)
    """
    suite = _AnnexSuite(
        annex_type=annex_type,
        indicators=indicators,
        fiscal_year=fiscal_year,
        plugin=plugin,
        plugin_name=plugin_name,
        settings=settings,
    )
    kind = annex_type.kind if isinstance(annex_type, AnnexType) else annex_type
    return _test_class(
        suite.run,
        ANNEX_PROPERTIES,
        f"annex type {kind!r}",
        f"TestAnnexType_{_ident(kind)}",
        skip="",
    )
