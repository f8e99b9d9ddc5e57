"""Traces: how a result was computed, as data, rendered into words only when someone reads it.

Computation records a :class:`Step` (a :class:`Text`, the wording in English and Bengali
with ``{name}`` placeholders, and the exact values that fill them); the rendering layer
(:mod:`apacore.engine.explain`, or :meth:`Step.render` for one step) formats the values once, in
the reader's language, through :mod:`apacore.formatting`. A plugin brings its own
:class:`Text` for its steps; a step without Bengali wording falls back to English.

Placeholders take a format spec for the few values that are words rather than figures:
``{key:tier}`` (a tier key: ``very_good`` → "very good" / "অতি উত্তম"),
``{terms:quarters}`` (``((1, 25), (2, 25))`` → "Q1 25 + Q2 25"), ``{r:readings}`` (the
same from the quarters' readings, skipping the quarters that reported nothing), ``{q:quarter}``
(``3`` → "Q3" / "৩য় কোয়ার্টার"), ``{dated:dated}`` (the same joined by commas) and ``{dates:list}`` (values joined by commas).

>>> from fractions import Fraction
>>> step = Step(Text(en="min({a} / {t}, 1) × 100 = {raw}", bn="ন্যূনতম({a} / {t}, ১) × ১০০ = {raw}"),
...             {"a": 3, "t": 7, "raw": Fraction(300, 7)})
>>> step.render()
'min(3 / 7, 1) × 100 = 42.857143…'
>>> step.render("bn")
'ন্যূনতম(৩ / ৭, ১) × ১০০ = ৪২.৮৫৭১৪৩…'
"""

from __future__ import annotations

import string
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any, NamedTuple

import attrs

from apacore.formatting import format_value, localise_digits
from apacore.values import frozen
from apacore.words import quarter_name, tier_name

__all__ = ["Step", "Text", "render_text"]

_SPECS = frozenset({"", "tier", "quarter", "quarters", "readings", "dated", "list"})


@frozen
class Text:
    """A step's wording: an English template (required) and a Bengali one (optional).

    Checked when made: a template that does not parse, or uses a format spec apacore does
    not know, is an error then (a plugin's constant fails at import, not at output).
    """

    en: str = attrs.field()
    bn: str = attrs.field(default="")

    @en.validator
    @bn.validator
    def _check(self, attribute: attrs.Attribute[str], value: str) -> None:
        try:
            specs = {
                spec or ""
                for _, name, spec, _ in string.Formatter().parse(value)
                if name is not None
            }
        except ValueError as exc:
            raise ValueError(f"Text.{attribute.name} {value!r}: {exc}") from None
        unknown = specs - _SPECS
        if unknown:
            raise ValueError(
                f"Text.{attribute.name} {value!r}: unknown format spec(s)"
                f" {', '.join(sorted(unknown))} (known: {', '.join(sorted(_SPECS - {''}))})"
            )

    @classmethod
    def plain(cls, text: str) -> Text:
        """Text given as a finished English sentence (no placeholders)."""
        escaped = text.replace("{", "{{").replace("}", "}}")
        return cls(en=escaped)

    def template(self, lang: str) -> str:
        """The wording in ``lang``; English where there is none in it."""
        return self.bn if lang == "bn" and self.bn else self.en


def _quarter(q: Any, lang: str) -> str:
    if lang == "bn" and isinstance(q, int) and 1 <= q <= 4:
        return quarter_name(q, lang)
    return f"Q{q}"


class _Formatter(string.Formatter):
    def __init__(self, lang: str, places: int | None) -> None:
        self.lang = lang
        self.places = places

    def format_field(self, value: Any, format_spec: str) -> str:
        lang, places = self.lang, self.places
        if format_spec == "tier":
            return tier_name(str(value), lang)
        if format_spec == "quarter":
            return _quarter(value, lang)
        if format_spec == "quarters":
            return " + ".join(
                f"{_quarter(q, lang)} {format_value(v, lang=lang, places=places)}" for q, v in value
            )
        if format_spec == "readings":  # the figures of reported quarters, as read
            return " + ".join(
                f"{_quarter(q, lang)} {format_value(r.value, lang=lang, places=places)}"
                for q, r in enumerate(value, 1)
                if r is not None and not isinstance(r.value, Enum)
            )
        if format_spec == "dated":
            return ", ".join(
                f"{_quarter(q, lang)} {format_value(v, lang=lang, places=places)}" for q, v in value
            )
        if format_spec == "list":
            return ", ".join(format_value(v, lang=lang, places=places) for v in value)
        if format_spec:
            raise ValueError(f"unknown format spec {format_spec!r} in a step's text")
        if isinstance(value, str):
            return localise_digits(value, lang)
        return format_value(value, lang=lang, places=places)


def render_text(
    text: Text, values: Mapping[str, Any], lang: str = "en", places: int | None = None
) -> str:
    """``text`` in ``lang`` with ``values`` formatted (exactly, or rounded to ``places``)."""
    template = text.template(lang)
    try:
        return _Formatter(lang, places).vformat(template, (), values)
    except (KeyError, IndexError) as exc:
        raise ValueError(
            f"the step text {template!r} names {exc}, which its values do not give"
            f" (values: {', '.join(sorted(values)) or 'none'})"
        ) from None


class _NoValues(Mapping[str, Any]):
    """The values of a step that has none: an empty mapping nobody can change (and pickle)."""

    def __getitem__(self, key: str) -> Any:
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "{}"

    def __reduce__(self) -> str:
        return "_NO_VALUES"


_NO_VALUES: Mapping[str, Any] = _NoValues()


class Step(NamedTuple):
    """One step of a computation: its wording and the exact values that fill it.

    (A named tuple: scoring records a few per indicator, and they must cost little.)
    """

    text: Text
    values: Mapping[str, Any] = _NO_VALUES

    @classmethod
    def plain(cls, text: str) -> Step:
        """A step given as a finished English sentence (what older plugins return)."""
        return cls(Text.plain(text))

    def render(self, lang: str = "en", places: int | None = None) -> str:
        """The step in words; numbers exact (or rounded to ``places``), digits following ``lang``."""
        return render_text(self.text, self.values, lang, places)
