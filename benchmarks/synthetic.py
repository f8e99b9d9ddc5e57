"""Synthetic, valid offices for benchmarks and tests: a tree of office folders, each with an
``agreement.toml`` in the shape ``apacore new --template cooperatives-upazila`` writes and a
``report.toml`` with four quarters of readings.

Each agreement has 60 indicators: 43 of the office's own, cycled from the template's 18
(same names, units, methods and targets) over its three areas (weights 22 + 26 + 22), and
the 17 rows of the year's five standard annexes for an upazila office. Readings are mostly
in Bengali digits, some in ASCII, some blank (``-``); dates fall in the quarter that reports
them. Everything follows from ``seed``: the same call writes the same files.

Two shapes: **lean** offices (the default) are what an office keeps: names, units, targets,
weights, who is responsible, but none of the template's transcription notes (``note``,
``evidence``, the header comments, and a one-line ``source`` instead of the template's long
ones), about 25 KiB of TOML for both files; **noted** offices keep every note
the template writes (about 65 KiB), which makes the parse slower and ratios against it
look better than a national run sees.

    python benchmarks/synthetic.py OUT N [--notes]    # write N offices below OUT
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from apacore.numbers import parse_value, to_bengali_digits

FISCAL_YEAR = "2024-25"
TEMPLATE = "cooperatives-upazila"
AREAS = (("1", 22, [2] * 11), ("2", 26, [2] * 13), ("3", 22, [2] * 3 + [1] * 16))
"""Each own area: id, weight, and its indicators' weights (43 indicators in all)."""
DISTRICTS = ("খুলনা", "বাগেরহাট", "সাতক্ষীরা", "যশোর", "রংপুর", "দিনাজপুর", "পঞ্চগড়", "সিরাজগঞ্জ")
BLANK = 0.08
"""The share of readings left blank."""
ASCII = 0.15
"""The share of figures written in ASCII digits rather than Bengali ones."""


def _toml(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's too
    return str(value)


LEAN_SOURCE = 'source = "the signed agreement"\n'
"""A lean office's ``source`` (required of every indicator): short, as an office writes it."""


def _lean(text: str) -> str:
    """``text`` without comment lines, ``note`` and ``evidence`` keys, every ``source`` made
    short (each key on one line, as the template writes them)."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith(("#", "note = ", "evidence = ")):
            continue
        out.append(LEAN_SOURCE if line.startswith("source = ") else line)
    return "".join(out).lstrip("\n")


def _template_rows(notes: bool) -> tuple[str, str, list[dict[str, Any]]]:
    """The head (down to ``[office]``), the annexes part of a new agreement, and the
    template's own indicators (without notes unless ``notes``)."""
    from apacore.loading.templates import new_agreement

    text = new_agreement(TEMPLATE, FISCAL_YEAR, office_bn="NAME_BN", office_en="NAME_EN")
    if not notes:
        text = _lean(text)
    head, rest = text.split("[[areas]]", 1)
    annexes = rest[rest.index("[[annexes]]") :]
    data = tomllib.loads(text)
    rows = [
        ind
        for area in data["areas"]
        for activity in area["activities"]
        for ind in activity["indicators"]
    ]
    return head, annexes, rows


def _areas_text(rows: list[dict[str, Any]], notes: bool) -> str:
    out: list[str] = []
    k = 0
    source = 'source = "benchmarks/synthetic.py"\n' if notes else LEAN_SOURCE
    for area_id, weight, weights in AREAS:
        out.append(
            f'[[areas]]\nid = "{area_id}"\nname_bn = "কর্মসম্পাদন ক্ষেত্র {to_bengali_digits(area_id)}"\n'
            f'name_en = "Performance area {area_id}"\nweight = {weight}\n{source}'
        )
        for a in range(0, len(weights), 5):  # activities of up to five indicators
            activity = f"{area_id}.{a // 5 + 1}"
            out.append(
                f'\n[[areas.activities]]\nid = "{activity}"\n'
                f'name_bn = "কার্যক্রম {to_bengali_digits(activity)}"\nname_en = "Activity {activity}"\n'
                f"{source}"
            )
            for i, w in enumerate(weights[a : a + 5]):
                row = dict(rows[k % len(rows)])
                k += 1
                row["id"] = f"{activity}.{i + 1}"
                row["weight"] = w
                out.append("\n[[areas.activities.indicators]]\n")
                out.extend(f"{key} = {_toml(v)}\n" for key, v in row.items())
        out.append("\n")
    return "".join(out)


def _quarter_end(q: int) -> dt.date:
    return [
        dt.date(2024, 9, 30),
        dt.date(2024, 12, 31),
        dt.date(2025, 3, 31),
        dt.date(2025, 6, 30),
    ][q - 1]


def _quarter_of(day: dt.date) -> int:
    return next(q for q in (1, 2, 3, 4) if day <= _quarter_end(q))


def _digits(text: str, rng: random.Random) -> str:
    return text if rng.random() < ASCII else to_bengali_digits(text)


def _number(value: Decimal, places: int) -> str:
    return format(value.quantize(Decimal(1).scaleb(-places)), "f")


def _readings(spec: dict[str, Any], rng: random.Random) -> list[str]:
    """Four quarters of figures for one indicator."""
    method, target = spec["method"], spec["target"]
    blank = ["-"] * 4
    if method in ("date", "milestones"):
        start, end = dt.date(2024, 7, 1), dt.date(2025, 6, 30)
        due = spec["milestones"] if method == "milestones" else [target]
        for day in due:
            if rng.random() < BLANK:
                continue
            done = min(max(day + dt.timedelta(days=rng.randint(-20, 15)), start), end)
            q = _quarter_of(done)
            blank[q - 1] = _digits(done.strftime("%d/%m/%Y"), rng)
        return blank
    factor = Decimal(rng.randint(30, 130)) / 100
    if spec["base"] is not None:  # increments of a count toward a base: "২৫%(৫০)"
        count = int(spec["base"] * Fraction(target) / 100 * Fraction(factor) / 4)
        pct = round(Fraction(count * 100) / spec["base"])
        return ["-" if rng.random() < BLANK else _digits(f"{pct}%({count})", rng) for _ in range(4)]
    if method == "cumulative":  # running percentages, rising to the year's figure
        final = min(Decimal(100), target * factor)
        return [
            "-" if rng.random() < BLANK else _digits(_number(final * q / 4, 0) + "%", rng)
            for q in (1, 2, 3, 4)
        ]
    places = max(0, -int(target.as_tuple().exponent))
    step = Decimal(1).scaleb(-places)
    out = []
    for _ in range(4):
        # a quarter's share of the year, up or down to the target's precision at random
        share = target * factor / 4 / step
        whole = int(share) + (1 if rng.random() < share - int(share) else 0)
        out.append("-" if rng.random() < BLANK else _digits(_number(whole * step, places), rng))
    return out


def _indicator_specs(agreement: Path) -> list[dict[str, Any]]:
    """Every indicator the agreement scores: its reference, method and target."""
    from apacore import load_office, score_agreement

    office = load_office(agreement)
    card = score_agreement(office.agreement, None, office.ruleset)
    specs = []
    for r in card.indicators():
        ind = r.indicator
        target = ind.annual_target if ind is not None else r.target
        if isinstance(target, str):
            target = parse_value(target)
        specs.append(
            {
                "ref": r.ref,
                "method": r.method,
                "target": target,
                "milestones": list(ind.milestones or ()) if ind is not None else [],
                "base": None if ind is None else ind.cumulative_base(),
            }
        )
    return specs


def _report_text(name: str, specs: list[dict[str, Any]], rng: random.Random) -> str:
    out = [f'fiscal_year = "{FISCAL_YEAR}"\nquarter = 4\noffice = {_toml(name)}\n']
    for spec in specs:
        quarters = _readings(spec, rng)
        out.append(f'\n[[entries]]\nindicator = "{spec["ref"]}"\n')
        out.extend(f'q{q} = "{v}"\n' for q, v in enumerate(quarters, 1))
    return "".join(out)


def office_folders(n: int) -> Iterator[str]:
    """Relative folders of ``n`` offices: ``district-k/upazila-i``."""
    for i in range(n):
        yield f"district-{i % len(DISTRICTS) + 1:02d}/upazila-{i + 1:05d}"


def write_offices(root: Path, n: int, *, seed: int = 0, notes: bool = False) -> list[Path]:
    """Write ``n`` valid offices below ``root``; their folders, in order. Lean offices
    unless ``notes`` (see the module's docstring)."""
    rng = random.Random(seed)
    head, annexes, rows = _template_rows(notes)
    areas = _areas_text(rows, notes)
    folders = []
    specs: list[dict[str, Any]] | None = None
    for i, rel in enumerate(office_folders(n)):
        folder = root / rel
        folder.mkdir(parents=True, exist_ok=True)
        district = DISTRICTS[i % len(DISTRICTS)]
        number = to_bengali_digits(str(i + 1))
        name_bn = f"উপজেলা সমবায় কার্যালয় {number}, {district}"
        name_en = f"Upazila Cooperative Office {i + 1}"
        text = head.replace('"NAME_BN"', _toml(name_bn)).replace('"NAME_EN"', _toml(name_en))
        (folder / "agreement.toml").write_text(text + areas + annexes, encoding="utf-8")
        if specs is None:  # the same indicators in every office: find them once
            specs = _indicator_specs(folder)
        (folder / "report.toml").write_text(_report_text(name_bn, specs, rng), encoding="utf-8")
        folders.append(folder)
    return folders


def rewrite_reports(folders: list[Path], *, seed: int = 1) -> None:
    """Write every office's ``report.toml`` again with other readings (from ``seed``), as
    when every office sends its next report: the agreements stay as they are."""
    rng = random.Random(seed)
    specs: list[dict[str, Any]] | None = None
    for folder in folders:
        if specs is None:
            specs = _indicator_specs(folder)
        name = tomllib.loads((folder / "report.toml").read_text(encoding="utf-8"))["office"]
        (folder / "report.toml").write_text(_report_text(name, specs, rng), encoding="utf-8")


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="write synthetic offices")
    parser.add_argument("out", type=Path, help="the folder to write them below")
    parser.add_argument("n", type=int, help="how many offices")
    parser.add_argument("--notes", action="store_true", help="keep the template's notes")
    args = parser.parse_args()
    written = write_offices(args.out, args.n, notes=args.notes)
    shape = "noted" if args.notes else "lean"
    print(f"wrote {len(written)} {shape} offices below {args.out}")
