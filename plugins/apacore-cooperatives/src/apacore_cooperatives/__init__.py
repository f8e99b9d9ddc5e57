"""apacore-cooperatives: the Department of Cooperatives' package for apacore.

* **Templates** (``register_templates``): ``cooperatives-upazila`` for 2023-24 and
  2024-25, the office indicators of an Upazila Cooperative Office with their units
  (persons in lakh among them), calculation methods, weights, targets and the evidence
  (প্রমাণক) Annex 2 requires. ``apacore new --template cooperatives-upazila
  --fiscal-year 2024-25 --office NAME`` writes a complete agreement from them: the
  template's three areas (70) and the year's five annexes (30). The 2023-24 template is
  Rangpur Sadar's agreement; the 2024-25 one is Dakop's indicators with weights carried
  over from Rangpur 2023-24 or decided, as each file's ``note`` says.
* **Checks** (``validate_agreement``), for the agreement of any cooperative office
  (its name says সমবায় / Cooperative, or it was written from these templates):

  - the indicators the Department counts in persons in lakh (pre-registration
    trainees, self-employment) keep unit ``persons_lakh`` (জন (লক্ষ)): district and
    division offices add the upazilas' figures up in lakh, so one office counting in
    persons breaks the sum;
  - at upazila level, no persons-in-lakh value reaches 1 lakh (100,000 persons): such a
    figure is a count of persons written without converting (80 for 0.00080);
  - every own indicator states its annual target: the excellent tier (or the single
    target) is not blank.
"""

from __future__ import annotations

import functools
import sys
import unicodedata
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

from apacore.models import Agreement, Indicator
from apacore.plugins.contract import AgreementTemplate, Ruleset
from apacore.plugins.hookspecs import hookimpl

__all__ = [
    "FISCAL_YEARS",
    "LAKH",
    "TEMPLATE_NAME",
    "cooperative_problems",
    "is_cooperative_office",
    "register_templates",
    "template_path",
    "validate_agreement",
]

__version__ = "0.1.1"

TEMPLATE_NAME = "cooperatives-upazila"
"""What ``apacore new --template`` takes."""

FISCAL_YEARS: tuple[str, ...] = ("2023-24", "2024-25")
"""The fiscal years with a template."""

TEMPLATES = Path(__file__).resolve().parent / "templates"

LAKH = Decimal(100_000)
"""Persons in one lakh."""


@functools.lru_cache(maxsize=4096)
def _nfc(text: str) -> str:
    """``text`` in NFC. Kept per text: the offices of a batch share their indicators' names
    (normalising ~45 names cost every office 0.1 ms, a fortieth of reading it)."""
    return unicodedata.normalize("NFC", text)


PERSONS_LAKH_MARKS: tuple[str, ...] = tuple(_nfc(w) for w in ("প্রাক-নিবন্ধন", "কর্মসংস্থান"))
"""Words that name the indicators the Department counts in persons in lakh:
pre-registration training (প্রাক-নিবন্ধন প্রশিক্ষণ…) and self-employment (…কর্মসংস্থান…)."""

_OFFICE_MARKS: tuple[str, ...] = (_nfc("সমবায়"), "cooperative")


def template_path(fiscal_year: str) -> Path:
    """The template file of ``fiscal_year`` (package data)."""
    return TEMPLATES / f"upazila-{fiscal_year}.toml"


def _ruleset_version(path: Path) -> str:
    """The ruleset version the template file says it was built for."""
    if sys.version_info >= (3, 11):  # imported here: scoring never reads a template
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    with path.open("rb") as f:
        version = tomllib.load(f).get("ruleset_version")
    if not isinstance(version, str):
        raise ValueError(f"{path}: ruleset_version must be a string, got {version!r}")
    return version


@hookimpl
def register_templates(register: Callable[[AgreementTemplate], None]) -> None:
    """Register ``cooperatives-upazila`` for each fiscal year, with its ruleset version."""
    for fy in FISCAL_YEARS:
        path = template_path(fy)
        register(
            AgreementTemplate(
                name=TEMPLATE_NAME,
                fiscal_year=fy,
                level="upazila",
                path=path,
                ruleset_version=_ruleset_version(path),
                description=f"Upazila Cooperative Office: the office indicators of {fy}",
            )
        )


# --------------------------------------------------------------------------- checks


def is_cooperative_office(agreement: Agreement) -> bool:
    """Whether the agreement is a cooperative office's (by its name, or its template)."""
    names = _nfc(f"{agreement.office.name_bn} {agreement.office.name_en}").casefold()
    return any(mark in names for mark in _OFFICE_MARKS) or TEMPLATE_NAME in agreement.source


def _counted_in_lakh(ind: Indicator) -> bool:
    name = _nfc(ind.name_bn)
    return any(mark in name for mark in PERSONS_LAKH_MARKS)


def _show(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _values(ind: Indicator) -> Iterator[tuple[str, Decimal]]:
    for i, v in enumerate(ind.tiers or ()):
        if isinstance(v, Decimal):
            yield f"tiers[{i}]", v
    if isinstance(ind.target, Decimal):
        yield "target", ind.target


def _indicator_problems(ind: Indicator, level: str) -> Iterator[str]:
    if _counted_in_lakh(ind) and ind.unit != "persons_lakh":
        yield (
            f"the Department counts this indicator in persons in lakh (unit 'persons_lakh',"
            f" জন (লক্ষ)), not {ind.unit!r}: district and division offices add the upazilas'"
            " figures up in lakh (80 persons are 0.00080 lakh)"
        )
    if ind.unit == "persons_lakh" and level == "upazila":
        for key, value in _values(ind):
            if value >= 1:
                persons = _show(value * LAKH)
                yield (
                    f"{key} {_show(value)} lakh is {persons} persons, implausible for one"
                    f" upazila: a count of persons written without converting? ({_show(value)}"
                    f" persons are {_show(value / LAKH)} lakh)"
                )
    if ind.rule is None and ind.tiers is not None and ind.tiers[0] is None:
        yield (
            "the excellent tier (the annual target) is blank: a cooperative office states"
            " its target for every indicator"
        )


def cooperative_problems(agreement: Agreement) -> list[str]:
    """What the Department's checks find in a cooperative office's own indicators."""
    if not is_cooperative_office(agreement):
        return []
    problems = []
    for a_i, area in enumerate(agreement.areas):
        for c_i, activity in enumerate(area.activities):
            for i_i, ind in enumerate(activity.indicators):
                for problem in _indicator_problems(ind, agreement.office.level):
                    path = f"$.areas[{a_i}].activities[{c_i}].indicators[{i_i}]"
                    problems.append(f"{path} [{ind.id}]: {problem}")
    return problems


@hookimpl
def validate_agreement(agreement: Agreement, ruleset: Ruleset) -> list[str]:
    """The Department's checks (see :func:`cooperative_problems`)."""
    return cooperative_problems(agreement)
