"""The ``apacore`` command line. Every command is documented in docs/cli.md.

Exit status: 0 success; 1 findings (``audit``); 2 a mistake in the input (a one-line
message on standard error naming where and why). Anything else is a bug in apacore
and keeps its traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from apacore import __version__

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2

_SHORT = {"calculation method": "method", "scoring rule": "rule", "annex type": "annex"}


def _as_of(text: str | None) -> int | dt.date | None:
    """``Q2``, ``2`` or a date (``2024-12-31``, ``৩১/১২/২০২৪``)."""
    if text is None:
        return None
    from apacore.errors import ApacoreError
    from apacore.limits import shorten
    from apacore.numbers import parse_value, to_ascii_digits

    raw = to_ascii_digits(text.strip()).upper()
    if raw.startswith("Q") and raw[1:].isascii() and raw[1:].isdigit():
        raw = raw[1:]
    if len(raw) == 1 and raw in "0123456789":  # ASCII (or Bengali) digits only
        return int(raw)
    shown = shorten(repr(text))
    try:
        if len(raw) == 10 and raw[4] == "-":
            return dt.date.fromisoformat(raw)
        value = parse_value(text)
    except ValueError as exc:
        why = exc.why if isinstance(exc, ApacoreError) else str(exc)
        raise ApacoreError(
            f"{shown} is neither a quarter (Q1..Q4) nor a date ({why})", where="--as-of"
        ) from None
    if not isinstance(value, dt.date):
        raise ApacoreError(f"{shown} is neither a quarter (Q1..Q4) nor a date", where="--as-of")
    return value


def _cmd_plugins(args: argparse.Namespace) -> int:
    from apacore.plugins import get_registry, list_plugins

    plugins = list_plugins()
    registry = get_registry()
    if args.format == "json":
        data = [
            {"name": p.name, "version": p.version, "hooks": list(p.hooks), "builtin": p.builtin}
            for p in plugins
        ]
        print(json.dumps(data, indent=2))
        return EXIT_OK
    for p in plugins:
        owned = sorted(
            f"{_SHORT[what]} {name}"
            for (what, name), owner in registry.owners.items()
            if owner == p.name
        )
        tag = " (built-in)" if p.builtin else ""
        print(f"{p.name} {p.version}{tag}")
        print(f"  hooks: {', '.join(p.hooks) or '-'}")
        if owned:
            print(f"  registers: {', '.join(owned)}")
    return EXIT_OK


def _cmd_rulesets_list(args: argparse.Namespace) -> int:
    from apacore.rulesets import available_rulesets, load_ruleset

    rows = []
    for fy, (plugin, _folder) in sorted(available_rulesets().items()):
        rs = load_ruleset(fy)
        rows.append(
            {"fiscal_year": fy, "version": rs.version, "sha256": rs.sha256, "plugin": plugin}
        )
    if args.format == "json":
        print(json.dumps(rows, indent=2))
    else:
        for r in rows:
            print(f"{r['fiscal_year']}  v{r['version']}  {r['sha256']}  {r['plugin']}")
    return EXIT_OK


def _load(name: str, sha256: str | None = None):  # type: ignore[no-untyped-def]
    from apacore.rulesets import load_ruleset

    return load_ruleset(name, sha256=sha256)


def _cmd_rulesets_show(args: argparse.Namespace) -> int:
    from apacore.convert import unstructure
    from apacore.validation import fmt_number

    rs = _load(args.ruleset, args.sha256)
    if args.format == "json":
        data = {
            "identity": rs.identity(),
            "ruleset": unstructure(rs.spec),
            "annexes": [unstructure(a) for a in rs.annexes],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    spec = rs.spec
    print(f"ruleset {rs.fiscal_year} v{rs.version}  sha256 {rs.sha256}")
    print(
        f"  fiscal year {spec.starts.isoformat()} to {spec.ends.isoformat()};"
        f" office {fmt_number(spec.office_weight)} + governance"
        f" {fmt_number(spec.governance_weight)}"
    )
    p = spec.policies
    print(
        f"  policies: date={p.date} not_applicable={p.not_applicable}"
        f" not_reported={p.not_reported} rounding={p.rounding} places={p.rounding_places}"
    )
    print("  grades: " + ", ".join(f"{g.name} ≥ {fmt_number(g.min)}" for g in spec.grades))
    for annex in rs.annexes:
        print(
            f"  annex {annex.kind}: {annex.name_bn} — total {fmt_number(annex.total)},"
            f" APA weight {fmt_number(annex.apa_weight)}"
        )
        for ind in annex.indicators():
            if ind.tiers is not None:
                target = "tiers " + " / ".join(
                    "-"
                    if v is None
                    else (v.isoformat() if isinstance(v, dt.date) else fmt_number(v))
                    for v in ind.tiers
                )
            elif ind.milestones is not None:
                target = "milestones " + ", ".join(d.isoformat() for d in ind.milestones)
            else:
                t = ind.target
                target = "target " + (
                    t.isoformat()
                    if isinstance(t, dt.date)
                    else fmt_number(t)
                    if t is not None
                    else "-"
                )
            extra = f" (replaces {ind.substitute_for})" if ind.substitute_for else ""
            levels = f" [{', '.join(ind.applies_to)}]" if ind.applies_to else ""
            weight = "-" if ind.weight is None else fmt_number(ind.weight)
            print(
                f"    [{ind.id}] w {weight} {ind.unit}/{ind.method}"
                f" {target}{extra}{levels}  {ind.name_bn}"
            )
    return EXIT_OK


def _cmd_rulesets_diff(args: argparse.Namespace) -> int:
    from apacore.diff import diff_rulesets

    old, new = _load(args.old), _load(args.new)
    changes = diff_rulesets(old, new)
    if args.format == "json":
        print(
            json.dumps(
                [{"kind": c.kind, "where": c.where, "old": c.old, "new": c.new} for c in changes],
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return EXIT_OK
    print(
        f"{old.fiscal_year} v{old.version} -> {new.fiscal_year} v{new.version}:"
        f" {len(changes)} changes"
    )
    for c in changes:
        print(f"  {c}")
    return EXIT_OK


def _cmd_rulesets_validate(args: argparse.Namespace) -> int:
    from apacore.rulesets import load_ruleset_dir

    rs = load_ruleset_dir(Path(args.path))
    if args.sha256 and args.sha256.lower() != rs.sha256:
        from apacore.errors import PinError

        raise PinError(
            f"content hash is {rs.sha256}, but {args.sha256} was pinned: the ruleset has changed",
            where=args.path,
        )
    n = sum(len(a.indicators()) for a in rs.annexes)
    print(
        f"{args.path}: ruleset {rs.fiscal_year} v{rs.version} is valid"
        f" ({len(rs.annexes)} annexes, {n} indicators); sha256 {rs.sha256}"
    )
    return EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from apacore.api import score_path
    from apacore.render import render

    card = score_path(args.path, as_of=_as_of(args.as_of))
    sys.stdout.write(render(card, args.format, args.lang))
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from apacore.api import score_path
    from apacore.audit import audit_scorecard

    card = score_path(args.path, as_of=_as_of(args.as_of))
    findings = audit_scorecard(card)
    if args.format == "json":
        data = {
            "office": card.office,
            "fiscal_year": card.fiscal_year,
            "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
            "ruleset": dict(card.ruleset),
            "findings": [f.as_dict() for f in findings],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        checked = sum(1 for r in card.indicators() if r.entry is not None and r.entry.claimed)
        print(
            f"{card.office}, {card.fiscal_year} as of Q{card.as_of_quarter}:"
            f" {len(findings)} finding(s) in the figures of {checked} indicator(s)"
        )
        for f in findings:
            print(
                f"  {f.indicator} {f.figure}: office {f.office}, apacore {f.apacore} — {f.reason}"
            )
    return EXIT_FINDINGS if findings else EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from apacore.errors import one_line
    from apacore.importer import import_table

    result = import_table(
        Path(args.file),
        fiscal_year=args.fiscal_year,
        quarter=args.quarter,
        annex=args.annex,
        office=args.office,
        table=args.table,
    )
    text = result.to_toml()
    if args.output is None:
        sys.stdout.write(text)
    else:
        from apacore.atomic import write_atomic

        write_atomic(args.output, text, replace=args.force)
    print(
        f"{one_line(args.file)}: {len(result.entries)} entries from {result.tables_found} table(s),"
        f" {len(result.problems)} row(s) not read"
        + (f"; wrote {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    for problem in result.problems:
        print(f"  {one_line(args.file)}: {one_line(problem)}", file=sys.stderr)
    return EXIT_FINDINGS if result.problems else EXIT_OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from apacore.api import score_path
    from apacore.numbers import parse_id
    from apacore.render import round_value

    card = score_path(args.path, as_of=_as_of(args.as_of))
    ref = args.indicator.strip()
    if "/" in ref:
        kind, _, ident = ref.partition("/")
        ref = f"{kind}/{parse_id(ident, where='INDICATOR')}"
    else:
        ref = parse_id(ref, where="INDICATOR")
    result = card.indicator(ref)
    print(f"{result.ref} {result.name_bn}" + (f" ({result.name_en})" if result.name_en else ""))
    print(
        f"  weight {result.weight if result.weight is not None else '-'}, unit {result.unit}, method {result.method},"
        f" rule {result.rule}, status {result.status}"
    )
    for i, line in enumerate(result.explanation, 1):
        print(f"  {i}. {line}")
    if result.raw_score is not None:
        marks = (
            "-"
            if result.marks is None
            else round_value(result.exact["marks"], card.places, card.rounding)
        )
        print(
            f"  result: raw score {round_value(result.exact['raw_score'], card.places, card.rounding)},"
            f" marks {marks}"
            f" (rounded once, {card.rounding.replace('_', '-')}, {card.places} places)"
        )
    print(
        f"  ruleset {card.ruleset['fiscal_year']} v{card.ruleset['version']}"
        f" sha256 {card.ruleset['sha256']}"
    )
    return EXIT_OK


def _plain_text(flag: str, text: str) -> None:
    """Refuse an argument holding a control character (a newline, an escape): it would be
    copied into the file apacore writes, or break its one line."""
    import unicodedata

    from apacore.errors import ApacoreError

    bad = [c for c in text if unicodedata.category(c) == "Cc"]
    if bad:
        raise ApacoreError(
            f"holds a control character ({ascii(bad[0])[1:-1]}); give the name as plain text",
            where=flag,
        )


def _cmd_new(args: argparse.Namespace) -> int:
    from apacore.errors import ApacoreError
    from apacore.templates import new_agreement

    for flag, name in (("--office", args.office), ("--office-en", args.office_en or "")):
        _plain_text(flag, name)
    text = new_agreement(
        args.template,
        args.fiscal_year,
        office_bn=args.office,
        office_en=args.office_en or "",
        level=args.level,
    )
    if args.output is None:
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(args.output)
    if out.is_dir() or args.output.endswith(("/", "\\")):
        out = out / "agreement.toml"
    if out.exists() and not args.force:
        raise ApacoreError("exists already; use --force to replace it", where=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ApacoreError(
            f"cannot make the folder: {exc.strerror or exc}", where=str(out)
        ) from None
    from apacore.atomic import write_atomic

    write_atomic(out, text, replace=args.force)
    print(f"wrote {out}")
    return EXIT_OK


def _cmd_templates(args: argparse.Namespace) -> int:
    from apacore.templates import available_templates

    for (name, fy), (plugin, template) in sorted(available_templates().items()):
        built = f" (ruleset v{template.ruleset_version})" if template.ruleset_version else ""
        print(f"{name}  {fy}{built}  {template.level}  {plugin}  {template.description}")
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes are one ``apacore: error:`` line (exit 2);
    the usage is shown by ``--help`` only. Subcommand parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("apacore").strip()
        where = f"{command}: " if command else ""
        from apacore.limits import shorten

        line = re.sub(r"\S{200,}", lambda m: shorten(m.group()), " ".join(message.split()))
        self.exit(EXIT_USAGE, f"apacore: error: {where}{line}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the commands)."""
    parser = _Parser(
        prog="apacore",
        description="Score Bangladesh Annual Performance Agreements exactly, by fiscal-year rulesets.",
    )
    parser.add_argument("--version", action="version", version=f"apacore {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("score", help="score an office's agreement with its progress report")
    p.add_argument(
        "path", help="a folder with agreement.toml (and report.toml), or an agreement file"
    )
    p.add_argument("--as-of", help="a quarter (Q1..Q4) or a date; default: the report's quarter")
    p.add_argument("--format", choices=("table", "json", "csv", "md"), default="table")
    p.add_argument("--lang", choices=("en", "bn"), default="en")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("audit", help="recompute the office's own figures; list those that disagree")
    p.add_argument("path")
    p.add_argument("--as-of")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_audit)

    p = sub.add_parser("import", help="read an official progress table into report.toml")
    p.add_argument("file", help=".tsv/.txt (tab-separated), .csv or .xlsx")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument("--fiscal-year", help="e.g. 2024-25 (default: read from the document)")
    p.add_argument(
        "--quarter",
        type=int,
        choices=(1, 2, 3, 4),
        help="the report's quarter (default: read from the document)",
    )
    p.add_argument(
        "--annex",
        help="annex kind to prefix the ids with (egov/1.1.1), or 'auto'"
        " to take it from each table's title",
    )
    p.add_argument("--office", help="the office's name (default: read from the document)")
    p.add_argument("--table", type=int, help="which table of a file with several (1-based)")
    p.set_defaults(func=_cmd_import)

    p = sub.add_parser("explain", help="show how one indicator was worked out, step by step")
    p.add_argument("path")
    p.add_argument("indicator", help="e.g. 1.1.1 or egov/4.1.2")
    p.add_argument("--as-of")
    p.set_defaults(func=_cmd_explain)

    p = sub.add_parser("new", help="write a complete agreement from a plugin's template")
    p.add_argument("--template", required=True, help="e.g. cooperatives-upazila")
    p.add_argument("--fiscal-year", required=True, help="e.g. 2024-25")
    p.add_argument(
        "--office", required=True, help="the office's name (Bengali, as on the agreement)"
    )
    p.add_argument("--office-en", help="the office's name in English")
    p.add_argument("--level", help="office level (default: the template's)")
    p.add_argument("-o", "--output", help="file or folder to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("templates", help="list the agreement templates plugins offer")
    p.set_defaults(func=_cmd_templates)

    p = sub.add_parser("plugins", help="list plugins with their versions and hooks")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_plugins)

    rs = sub.add_parser("rulesets", help="list, show, compare and validate rulesets")
    rsub = rs.add_subparsers(dest="rulesets_command", metavar="ACTION", required=True)
    p = rsub.add_parser("list", help="fiscal year, version, hash and source plugin")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_rulesets_list)
    p = rsub.add_parser("show", help="a ruleset's settings, annexes and indicators")
    p.add_argument("ruleset", help="a fiscal year (2024-25) or a ruleset folder")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--sha256", help="fail unless the content has this hash")
    p.set_defaults(func=_cmd_rulesets_show)
    p = rsub.add_parser("diff", help="what changed from one ruleset to another")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_rulesets_diff)
    p = rsub.add_parser("validate", help="load a ruleset folder strictly and report its hash")
    p.add_argument("path")
    p.add_argument("--sha256", help="fail unless the content has this hash")
    p.set_defaults(func=_cmd_rulesets_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        sys.stderr.write(parser.format_usage())
        print("apacore: error: no command given; see apacore --help", file=sys.stderr)
        return EXIT_USAGE
    from apacore.errors import ApacoreError

    try:
        return int(args.func(args))
    except ApacoreError as exc:
        print(f"apacore: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
