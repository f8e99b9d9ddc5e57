"""``apacore rulesets show`` and ``rulesets diff`` as text, in English or Bengali.

English keeps the compact form the 0.1 commands printed (ISO dates, unit and method keys);
Bengali names annexes, units, methods and change kinds in Bengali, with Bengali digits and
dates as on the forms (dd/mm/yyyy). The hash stays in ASCII: it is compared, not read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal

from apacore.catalogue.diff import Change
from apacore.formatting import format_date, format_number, localise_digits
from apacore.loading.rulesets import Ruleset
from apacore.models import Indicator, Policies
from apacore.words import ROUNDING, level_name, rounding_name, tier_name, unit_name

__all__ = ["diff_text", "show_text"]

_KINDS_BN = {
    "policy": "নীতি",
    "setting": "নির্ধারণ",
    "annex added": "সংযোজনী যুক্ত",
    "annex removed": "সংযোজনী বাদ",
    "annex total": "সংযোজনীর মোট মান",
    "indicator added": "সূচক যুক্ত",
    "indicator removed": "সূচক বাদ",
    "re-weighted": "মান পরিবর্তিত",
    "re-targeted": "লক্ষ্যমাত্রা পরিবর্তিত",
    "method": "গণনা পদ্ধতি",
    "unit": "একক",
    "renamed": "নাম পরিবর্তিত",
    "applies_to": "প্রযোজ্যতা",
}
_WORDS_BN = (("tiers ", "স্তর "), ("target ", "লক্ষ্যমাত্রা "), ("milestones ", "মাইলফলক "),
             ("(weight ", "(মান "))  # fmt: skip
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _method_bn(name: str) -> str:
    """A calculation method's Bengali name, as its plugin registered it."""
    from apacore.plugins.host import get_registry

    method = get_registry().methods.get(name)
    return method.bengali_name if method is not None else name


_POLICIES_BN = {
    ("date", "linear"): "তারিখের স্তরের মাঝে দিনভিত্তিক রৈখিক",
    ("date", "step"): "তারিখ: পূরণ হওয়া সেরা স্তর",
    ("not_applicable", "rescale"): "প্রযোজ্য নয় এমন সূচক থাকলে বাকিগুলোর নম্বর আনুপাতিক",
    ("not_applicable", "exclude"): "প্রযোজ্য নয় এমন সূচকের মান সর্বোচ্চ থেকে বাদ",
    ("not_applicable_scope", "annex"): "সংযোজনীর ক্ষেত্রে পুরো সংযোজনী জুড়ে",
    ("not_applicable_scope", "area"): "সংযোজনীর ক্ষেত্রে নিজ অংশের মধ্যে",
    ("lower_is_better_progress", "none"): "কম-হলে-ভালো সূচকের অগ্রগতি নেই",
    ("lower_is_better_progress", "raw_score"): "কম-হলে-ভালো সূচকের অগ্রগতি = কাঁচা স্কোর",
    ("not_reported", "zero"): "প্রতিবেদিত নয় = ০",
    **{("rounding", mode): f"{rounding_name(mode, 'bn')} রাউন্ড" for mode in ROUNDING},
}


def _policies_bn(p: Policies) -> str:
    """The ruleset's policies in Bengali (a value apacore has no words for shows as is)."""
    keys = ("date", "not_applicable", "not_applicable_scope", "lower_is_better_progress",
            "not_reported", "rounding")  # fmt: skip
    parts = [_POLICIES_BN.get((k, getattr(p, k)), f"{k}={getattr(p, k)}") for k in keys]
    places = localise_digits(str(p.rounding_places), "bn")
    return "; ".join(parts) + f", {places} দশমিক ঘর"


def _date(value: dt.date, lang: str) -> str:
    return format_date(value, lang=lang) if lang == "bn" else value.isoformat()


def _value(value: object, lang: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, dt.date):
        return _date(value, lang)
    return format_number(value, lang=lang)  # type: ignore[arg-type]


def _target(ind: Indicator, lang: str) -> str:
    if ind.tiers is not None:
        head, text = "tiers", " / ".join(_value(v, lang) for v in ind.tiers)
    elif ind.milestones is not None:
        head, text = "milestones", ", ".join(_date(d, lang) for d in ind.milestones)
    else:
        head, text = "target", _value(ind.target, lang)
    return f"{tier_name(head, lang)} {text}"


def show_text(rs: Ruleset, lang: str = "en") -> str:
    """A ruleset's settings, annexes and indicators, one line each."""
    spec, p = rs.spec, rs.spec.policies

    def d(n: Decimal) -> str:
        return localise_digits(format_number(n), lang)

    if lang == "bn":
        lines = [
            f"নিয়মাবলি {localise_digits(rs.fiscal_year, 'bn')}"
            f" সংস্করণ {localise_digits(rs.version, 'bn')}  sha256 {rs.sha256}",
            f"  অর্থবছর {_date(spec.starts, lang)} থেকে {_date(spec.ends, lang)};"
            f" অফিসের নিজস্ব {d(spec.office_weight)} + সুশাসন {d(spec.governance_weight)}",
            "  নীতি: " + _policies_bn(p),
            "  গ্রেড: " + ", ".join(f"{g.name_bn or g.name} ≥ {d(g.min)}" for g in spec.grades),
        ]
    else:
        lines = [
            f"ruleset {rs.fiscal_year} v{rs.version}  sha256 {rs.sha256}",
            f"  fiscal year {spec.starts.isoformat()} to {spec.ends.isoformat()};"
            f" office {d(spec.office_weight)} + governance {d(spec.governance_weight)}",
            f"  policies: date={p.date} not_applicable={p.not_applicable}"
            f" not_applicable_scope={p.not_applicable_scope}"
            f" lower_is_better_progress={p.lower_is_better_progress}"
            f" not_reported={p.not_reported} rounding={p.rounding} places={p.rounding_places}",
            "  grades: " + ", ".join(f"{g.name} ≥ {d(g.min)}" for g in spec.grades),
        ]
    for annex in rs.annexes:
        if lang == "bn":
            lines.append(
                f"  সংযোজনী {annex.name_bn or annex.kind}: মোট মান {d(annex.total)},"
                f" এপিএ মান {d(annex.apa_weight)}"
            )
        else:
            lines.append(
                f"  annex {annex.kind}: {annex.name_bn} — total {d(annex.total)},"
                f" APA weight {d(annex.apa_weight)}"
            )
        for ind in annex.indicators():
            weight = "-" if ind.weight is None else d(ind.weight)
            ident = localise_digits(ind.id, lang)
            if lang == "bn":
                extra = (
                    f" ([{localise_digits(ind.substitute_for, 'bn')}]-এর বিকল্প)"
                    if ind.substitute_for
                    else ""
                )
                named = (level_name(level, "bn") for level in ind.applies_to or ())
                levels = f" [{', '.join(named)}]" if ind.applies_to else ""
                method = _method_bn(ind.method)
                lines.append(
                    f"    [{ident}] মান {weight} {unit_name(ind.unit, 'bn')}/{method}"
                    f" {_target(ind, lang)}{extra}{levels}  {ind.name_bn}"
                )
            else:
                extra = f" (replaces {ind.substitute_for})" if ind.substitute_for else ""
                levels = f" [{', '.join(ind.applies_to)}]" if ind.applies_to else ""
                lines.append(
                    f"    [{ident}] w {weight} {ind.unit}/{ind.method}"
                    f" {_target(ind, lang)}{extra}{levels}  {ind.name_bn}"
                )
    return "\n".join(lines) + "\n"


def _bn_text(value: object) -> str:
    text = str(value)
    text = _ISO.sub(lambda m: f"{m[3]}/{m[2]}/{m[1]}", text)
    for en, bn in _WORDS_BN:
        text = text.replace(en, bn)
    return localise_digits(text, "bn")


def _where_bn(where: str, names: dict[str, str]) -> str:
    kind, slash, ident = where.partition("/")
    if kind in names:
        return f"{names[kind]}" + (f" [{localise_digits(ident, 'bn')}]" if slash else "")
    return where


def diff_text(old: Ruleset, new: Ruleset, changes: Sequence[Change], lang: str = "en") -> str:
    """The changes from ``old`` to ``new``, one line each."""
    if lang != "bn":
        head = (
            f"{old.fiscal_year} v{old.version} -> {new.fiscal_year} v{new.version}:"
            f" {len(changes)} changes"
        )
        return "\n".join([head, *(f"  {c}" for c in changes)]) + "\n"
    names = {a.kind: a.name_bn or a.kind for a in (*old.annexes, *new.annexes)}
    head = _bn_text(
        f"{old.fiscal_year} সংস্করণ {old.version} → {new.fiscal_year} সংস্করণ {new.version}:"
        f" {len(changes)}টি পরিবর্তন"
    )
    lines = [head]
    for c in changes:
        kind = _KINDS_BN.get(c.kind, c.kind)
        where = _where_bn(c.where, names)
        if c.kind in ("indicator added", "annex added"):
            text = _bn_text(c.new)
        elif c.kind in ("indicator removed", "annex removed"):
            text = _bn_text(c.old)
        elif c.kind == "method":  # the methods' and units' names, not their keys
            text = f"{_method_bn(str(c.old))} → {_method_bn(str(c.new))}"
        elif c.kind == "unit":
            text = f"{unit_name(str(c.old), 'bn')} → {unit_name(str(c.new), 'bn')}"
        else:
            text = f"{_bn_text(c.old)} → {_bn_text(c.new)}"
        lines.append(f"  {kind}: {where}: {text}")
    return "\n".join(lines) + "\n"
