"""The ``apacore`` command line. Every command is documented in docs/cli.md.

Exit status: 0 success; 1 findings (``audit``); 2 a mistake in the input (a one-line
message on standard error naming where and why). Anything else is a bug in apacore
and keeps its traceback.
"""

from __future__ import annotations

import sys

from apacore import __version__

# Imports are made where they are used, so that a command imports only what it needs
# and ``apacore --version`` nothing at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    import datetime as dt
    from collections.abc import Sequence
    from typing import NoReturn

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2)."""

_SHORT = {"calculation method": "method", "scoring rule": "rule", "annex type": "annex"}

FLAGS = {
    "as_of": "--as-of",
    "template_name": "--template",
    "level": "--level",
    "fiscal_year": "--fiscal-year",
    "quarter": "--quarter",
    "annex": "--annex",
    "table": "--table",
    "plugin_name": "NAME",
    "method": "--method",
    "rule": "--rule",
    "examples": "--examples",
}
"""Library argument names → the flags that set them: errors name arguments (``as_of``);
only the command line speaks of flags."""


def _message(exc: Exception) -> str:
    """An apacore error as the command line prints it, an argument named by its flag."""
    where = getattr(exc, "where", "")
    if where in FLAGS:
        parts = [FLAGS[where], getattr(exc, "path", ""), getattr(exc, "why", "")]
        return ": ".join(p for p in parts if p)
    return str(exc)


def _as_of(text: str | None) -> int | dt.date | None:
    """A quarter (``Q2``, ``2``, ``২য় কোয়ার্টার``) or a date (``2024-12-31``, ``৩১/১২/২০২৪``)."""
    import datetime as dt

    if text is None:
        return None
    from apacore.errors import ApacoreError
    from apacore.limits import shorten
    from apacore.numbers import parse_quarter, parse_value, to_ascii_digits

    quarter = parse_quarter(text)
    if quarter is not None:
        return quarter
    raw = to_ascii_digits(text.strip())
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


def _ascii_digits(text: str) -> str:
    """An argument an officer typed, Bengali digits read as ASCII (``২০২৪-২৫``, ``২``)."""
    from apacore.numbers import to_ascii_digits

    return to_ascii_digits(text).strip()


def _cmd_plugins(args: argparse.Namespace) -> int:
    import json

    from apacore.plugins.host import get_registry, list_plugins

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


def _cmd_plugins_new(args: argparse.Namespace) -> int:
    from apacore.scaffold import new_plugin, written_text

    folder, files = new_plugin(
        args.name,
        annex=args.annex,
        method=args.method,
        rule=args.rule,
        folder=args.output,
        force=args.force,
    )
    sys.stdout.write(written_text(folder, files))
    return EXIT_OK


def _cmd_plugins_check(args: argparse.Namespace) -> int:
    try:
        from apacore.testing.installed import check_installed, reports_text
    except ImportError as exc:  # hypothesis missing: say how to install it
        from apacore.errors import ApacoreError

        raise ApacoreError(str(exc), where="plugins check") from None
    reports = check_installed(examples=args.examples)
    sys.stdout.write(reports_text(reports))
    return EXIT_OK if all(r.ok for r in reports) else EXIT_FINDINGS


def _cmd_rulesets_list(args: argparse.Namespace) -> int:
    import json

    from apacore.loading.rulesets import available_rulesets, load_ruleset

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
    from apacore.loading.rulesets import load_ruleset

    return load_ruleset(name, sha256=sha256)


def _cmd_rulesets_show(args: argparse.Namespace) -> int:
    import json

    from apacore.loading.convert import unstructure

    rs = _load(args.ruleset, args.sha256)
    if args.format == "json":
        data = {
            "identity": rs.identity(),
            "ruleset": unstructure(rs.spec),
            "annexes": [unstructure(a) for a in rs.annexes],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    from apacore.ruleset_text import show_text

    sys.stdout.write(show_text(rs, args.lang))
    return EXIT_OK


def _cmd_rulesets_diff(args: argparse.Namespace) -> int:
    import json

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
    from apacore.ruleset_text import diff_text

    sys.stdout.write(diff_text(old, new, changes, args.lang))
    return EXIT_OK


def _cmd_rulesets_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from apacore.loading.rulesets import load_ruleset_dir

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


def _scored(path: str, as_of_text: str | None, lang: str = "en"):  # type: ignore[no-untyped-def]
    """Load and score an office, and warn on standard error about what the score hides
    (apacore.notices); the exit status does not change."""
    from pathlib import Path

    from apacore.api import score_files
    from apacore.loading.agreements import load_office
    from apacore.notices import notices

    as_of = _as_of(as_of_text)
    files = load_office(Path(path))
    card = score_files(files, as_of=as_of)
    for line in notices(files, card, as_of, lang):
        print(f"apacore: warning: {line}", file=sys.stderr)
    return files, card


def _cmd_score(args: argparse.Namespace) -> int:
    import gc

    # Nearly all a one-office score allocates (modules, classes, the office) lives until
    # it ends: the cycle collector, paused, skips searching it (~5% of a cold start).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from apacore.render.formats import render

        _, card = _scored(args.path, args.as_of, args.lang)
        sys.stdout.write(render(card, args.format, args.lang, bom=not args.no_bom))
    finally:
        if collecting:
            gc.enable()
    return EXIT_OK


def _audit_kinds(text: str | None) -> tuple[str, ...] | None:
    """``--kind figure,cell``: the finding kinds to list (None: every kind)."""
    if text is None:
        return None
    from apacore.audit import FINDING_KINDS
    from apacore.errors import ApacoreError

    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in FINDING_KINDS]
    if unknown or not kinds:
        raise ApacoreError(
            f"unknown finding kind {', '.join(unknown) or repr(text)}"
            f" (known: {', '.join(FINDING_KINDS)})",
            where="--kind",
        )
    return kinds


def _cmd_audit(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from apacore.api import score_files
    from apacore.audit import audit_office
    from apacore.audit_text import render_text
    from apacore.loading.agreements import load_office

    kinds = _audit_kinds(args.kind)
    office = load_office(Path(args.path))
    card = score_files(office, as_of=_as_of(args.as_of))
    findings = audit_office(office, card, kinds=kinds)
    if args.format == "json":
        data = {
            "office": card.office,
            "fiscal_year": card.fiscal_year,
            "as_of": {"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
            "ruleset": dict(card.ruleset),
            "findings": [f.as_dict(args.lang) for f in findings],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        name = card.office_bn if args.lang == "bn" and card.office_bn else card.office
        heading = (name, card.fiscal_year, card.as_of_quarter, office.report is not None)
        sys.stdout.write(render_text(heading, findings, args.lang))
    return EXIT_FINDINGS if findings else EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from pathlib import Path

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
    from apacore.formatting import format_number, localise_digits
    from apacore.models import UNITS

    card = score_path(args.path, as_of=_as_of(args.as_of))
    ref = _indicator_ref(args.indicator)
    result = card.indicator(ref)
    lang = args.lang
    bn = lang == "bn"
    trace = result.trace
    method = trace.method_name(lang) if trace is not None else result.method
    rule = trace.rule_name(lang) if trace is not None else result.rule
    from apacore.render.labels import label, status_name

    print(
        f"{localise_digits(result.ref, lang)} {result.name_bn}"
        + (f" ({result.name_en})" if result.name_en and not bn else "")
    )
    weight = "-" if result.weight is None else format_number(result.weight, lang=lang)
    print(
        (
            f"  মান {weight}, একক {UNITS.get(result.unit, result.unit)}, পদ্ধতি {method}, নিয়ম {rule}, অবস্থা {status_name(result.status, lang)}"
        )
        if bn
        else f"  weight {weight}, unit {result.unit}, method {method},"
        f" rule {rule}, status {result.status}"
    )
    lines = result.explanation if trace is None else trace.lines(lang)
    for i, line in enumerate(lines, 1):
        print(f"  {localise_digits(str(i), lang)}. {line}")
    if result.raw_score is not None:

        def rounded(name: str) -> str:
            value = result.exact(name)
            if value is None:
                return "-"
            return format_number(value, lang=lang, places=card.places, mode=card.rounding)

        places = localise_digits(str(card.places), lang)
        print(
            f"  ফলাফল: কাঁচা স্কোর {rounded('raw_score')}, নম্বর {rounded('marks')}"
            f" (একবার রাউন্ড করা, {_ROUNDING_BN.get(card.rounding, card.rounding)},"
            f" {places} দশমিক ঘর)"
            if bn
            else f"  result: raw score {rounded('raw_score')}, marks {rounded('marks')}"
            f" (rounded once, {card.rounding.replace('_', '-')}, {card.places} places)"
        )
    print(
        f"  {label('ruleset', lang) if bn else 'ruleset'}"
        f" {localise_digits(card.ruleset['fiscal_year'], lang)}"
        f" v{localise_digits(card.ruleset['version'], lang)} sha256 {card.ruleset['sha256']}"
    )
    return EXIT_OK


_ROUNDING_BN = {"half_up": "অর্ধেক বা বেশি হলে উপরে", "half_even": "অর্ধেক হলে জোড় অঙ্কে"}


def _cmd_report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from apacore.report import build_context, write_report

    files, card = _scored(args.path, args.as_of, args.lang)
    write_report(build_context(card, files, args.lang), Path(args.output), replace=args.force)
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def _add_report_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="write the quarterly progress report (HTML or PDF)")
    p.add_argument("path", help="a folder with agreement.toml and report.toml")
    p.add_argument(
        "-o", "--output", required=True, help="FILE.html, or FILE.pdf (needs apacore[pdf])"
    )
    p.add_argument("--as-of", help="a quarter (Q1..Q4) or a date; default: the report's quarter")
    p.add_argument("--lang", choices=("bn", "en"), default="bn")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=_cmd_report)


def _cmd_need(args: argparse.Namespace) -> int:
    from apacore.need import need, render_need

    files, card = _scored(args.path, args.as_of, args.lang)
    ref = None if args.indicator is None else _indicator_ref(args.indicator)
    needs = need(card, ref, tier_scores=files.ruleset.spec.tier_scores())
    sys.stdout.write(render_need(card, needs, args.format, args.lang))
    return EXIT_OK


def _indicator_ref(text: str) -> str:
    """``1.1.1``, ``[১.১.১]`` or ``egov/4.1.2`` as the scorecard's reference."""
    from apacore.numbers import parse_id

    ref = text.strip()
    if "/" in ref:
        kind, _, ident = ref.partition("/")
        return f"{kind}/{parse_id(ident, where='indicator')}"
    return parse_id(ref, where="indicator")


def _add_need_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("need", help="what each indicator must still achieve to reach each tier")
    p.add_argument("path", help="a folder with agreement.toml and report.toml")
    p.add_argument("indicator", nargs="?", help="one indicator (1.1.1 or egov/4.1.2); default: all")
    p.add_argument("--as-of", help="a quarter (Q1..Q4) or a date; default: the report's quarter")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--lang", choices=("en", "bn"), default="en")
    p.set_defaults(func=_cmd_need)


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
    from pathlib import Path

    from apacore.errors import ApacoreError
    from apacore.loading.templates import new_agreement

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


def _cmd_batch(args: argparse.Namespace) -> int:
    """Score every office below TREE; rank, summarize and write them (docs/cli.md)."""
    import os
    from pathlib import Path

    from apacore import __version__
    from apacore.atomic import write_atomic
    from apacore.batch import (
        DEFAULT_CHUNK_SIZE,
        MAX_WORKERS,
        OfficeError,
        OfficeRecord,
        default_workers,
        find_offices,
        identical_offices,
        score_many,
    )
    from apacore.batch_output import batch_chunks
    from apacore.errors import ApacoreError, printable
    from apacore.rollup import parse_grouping, rank_offices

    as_of = _as_of(args.as_of)
    if isinstance(as_of, int) and not 1 <= as_of <= 4:  # not one office's mistake: all of them
        raise ApacoreError(f"a quarter is 1 to 4, got {as_of}", where="--as-of")
    workers = None
    if args.workers is not None:
        text = _ascii_digits(args.workers)
        if (
            not (text.isascii() and text.isdigit())
            or not 1 <= int(text.lstrip("0")[:9] or 0) <= MAX_WORKERS
        ):
            raise ApacoreError(
                f"a number of processes from 1 to {MAX_WORKERS} (apacore's limit; see"
                f" docs/limits.md); got {args.workers!r}",
                where="--workers",
            )
        workers = int(text)
    try:
        grouping = None if args.group_by is None else parse_grouping(args.group_by)
    except ApacoreError as exc:
        raise ApacoreError(exc.why, where="--group-by") from None
    target = None if args.output is None else Path(args.output)
    if target is not None:  # found before the offices are scored, not after
        if target.is_dir():
            raise ApacoreError("is a folder; give a file name", where=str(target))
        if target.exists() and not args.force:
            raise ApacoreError("exists already; use --force to replace it", where=str(target))
        if not target.parent.is_dir():
            raise ApacoreError(f"cannot write: no folder {str(target.parent)!r}", where=str(target))
    errors: list[OfficeError] = []

    def unreadable(folder: Path, exc: OSError) -> None:  # reported, never dropped silently
        shown = printable(str(folder))
        path = printable(os.path.relpath(folder, args.tree))
        why = f"cannot read the folder: {exc.strerror or exc}; offices below it are not scored"
        errors.append(OfficeError(path=path, error=f"{shown}: {why}"))

    folders = find_offices(args.tree, unreadable=unreadable)
    if not folders and not errors:
        raise ApacoreError("no folder below it holds an agreement.toml", where=args.tree)
    # never more processes than there are offices to give them
    workers = max(1, min(workers or default_workers(), len(folders)))

    records: list[OfficeRecord] = []
    # small runs in smaller chunks, so that every worker gets some
    chunk_size = max(
        1, min(DEFAULT_CHUNK_SIZE, len(folders) // (4 * (workers or default_workers())))
    )
    results = score_many(
        folders, root=args.tree, as_of=as_of, workers=workers, chunk_size=chunk_size
    )
    shown = results
    if not args.quiet and sys.stderr.isatty():  # a progress bar for people, never in logs
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread in a process that forks workers
        shown = tqdm(results, total=len(folders), unit="office", file=sys.stderr, leave=False)
    try:
        for result in shown:
            if isinstance(result, OfficeError):
                errors.append(result)
                if result.traceback is not None:
                    print(result.traceback, file=sys.stderr, end="")
            else:
                records.append(result)
    finally:  # Ctrl-C: the workers end now, not when the generator is collected
        results.close()
    again = identical_offices(records) if not args.quiet else {}
    for path, first in list(again.items())[:10]:  # a copied folder: ranked, not unsaid
        print(
            f"apacore: warning: {printable(os.path.join(args.tree, path))}: the same office"
            f" as {first!r} (the same names, level and fiscal year); both are ranked",
            file=sys.stderr,
        )
    if len(again) > 10:
        print(
            f"apacore: warning: and {len(again) - 10} more offices that are the same as another",
            file=sys.stderr,
        )
    ranking = rank_offices(records, grouping)
    meta = {
        "apacore_version": __version__,
        "tree": printable(args.tree),
        "as_of": args.as_of,
        "group_by": None if grouping is None else grouping.spec,
    }
    chunks = batch_chunks(
        args.format, ranking, errors, lang=args.lang, meta=meta, bom=not args.no_bom
    )
    if target is None:
        for chunk in chunks:
            sys.stdout.write(chunk)
    else:
        write_atomic(target, chunks, replace=args.force)
    if not args.quiet:
        listed = args.format == "table" and target is None  # the table lists them itself
        for error in [] if listed else errors:
            print(f"apacore: error: {error.error}", file=sys.stderr)
        if target is not None:
            print(
                f"{printable(args.tree)}: {len(records)} offices scored, {len(errors)} not; wrote {target}",
                file=sys.stderr,
            )
    return EXIT_FINDINGS if errors else EXIT_OK


def _cmd_templates(args: argparse.Namespace) -> int:
    from apacore.loading.templates import available_templates

    for (name, fy), (plugin, template) in sorted(available_templates().items()):
        built = f" (ruleset v{template.ruleset_version})" if template.ruleset_version else ""
        print(f"{name}  {fy}{built}  {template.level}  {plugin}  {template.description}")
    return EXIT_OK


def _quarter_number(text: str) -> int:
    """``--quarter``: 1 to 4 in ASCII or Bengali digits."""
    import argparse

    digits = _ascii_digits(text).strip()
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a quarter (1 to 4, ASCII or Bengali digits)"
        )
    return int(digits)


def _parser_class() -> type[argparse.ArgumentParser]:
    """An argument parser whose mistakes are one ``apacore: error:`` line (exit 2);
    the usage is shown by ``--help`` only. Subcommand parsers are of this class too.
    (Made on first use: argparse is not imported before a command is parsed.)"""
    import argparse
    import re

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            command = self.prog.removeprefix("apacore").strip()
            where = f"{command}: " if command else ""
            from apacore.limits import shorten

            line = re.sub(r"\S{200,}", lambda m: shorten(m.group()), " ".join(message.split()))
            self.exit(EXIT_USAGE, f"apacore: error: {where}{line}\n")

    return _Parser


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to document the commands)."""

    parser = _parser_class()(
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
    p.add_argument(
        "--no-bom",
        action="store_true",
        help="CSV without the UTF-8 byte-order mark (which Excel needs to read Bengali)",
    )
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser(
        "audit",
        help="recompute the office's own figures, check evidence and targets, review the"
        " agreement; list what disagrees",
    )
    p.add_argument("path", help="an office folder (agreement.toml, report.toml if any)")
    p.add_argument("--as-of")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--kind",
        help="list only these kinds of finding, comma-separated:"
        " figure, cell, evidence, target, review (default: all)",
    )
    p.add_argument(
        "--lang",
        choices=("en", "bn"),
        default="en",
        help="the reasons and labels in English or Bengali (digits follow the language)",
    )
    p.set_defaults(func=_cmd_audit)

    p = sub.add_parser("import", help="read an official progress table into report.toml")
    p.add_argument("file", help=".tsv/.txt (tab-separated), .csv or .xlsx")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument(
        "--fiscal-year",
        type=_ascii_digits,
        help="e.g. 2024-25 (default: read from the document)",
    )
    p.add_argument(
        "--quarter",
        type=_quarter_number,
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
    p.add_argument(
        "--lang", choices=("en", "bn"), default="en", help="language of the explanation (en, bn)"
    )
    p.set_defaults(func=_cmd_explain)

    _add_report_parser(sub)
    _add_need_parser(sub)
    from apacore.serve.command import add_parser as _add_serve_parser

    _add_serve_parser(sub)

    p = sub.add_parser("new", help="write a complete agreement from a plugin's template")
    p.add_argument("--template", required=True, help="e.g. cooperatives-upazila")
    p.add_argument("--fiscal-year", required=True, type=_ascii_digits, help="e.g. 2024-25")
    p.add_argument(
        "--office", required=True, help="the office's name (Bengali, as on the agreement)"
    )
    p.add_argument("--office-en", help="the office's name in English")
    p.add_argument("--level", help="office level (default: the template's)")
    p.add_argument("-o", "--output", help="file or folder to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("batch", help="score every office below a folder; rank and summarize")
    p.add_argument(
        "tree", help="a folder: every folder below it with an agreement.toml is an office"
    )
    p.add_argument("--as-of", help="a quarter (Q1..Q4) or a date; default: each report's quarter")
    p.add_argument("--workers", help="processes to score with (default: the machine's cores)")
    p.add_argument("--format", choices=("table", "csv", "json", "jsonl"), default="table")
    p.add_argument(
        "-o", "--output", help="file to write, whole or not at all (default: standard output)"
    )
    p.add_argument("--force", action="store_true", help="replace an existing -o file")
    p.add_argument(
        "--group-by",
        help="rank and summarize within groups: level:N (the N-th folder below TREE)"
        " or office_level, fiscal_year, scope, grade",
    )
    p.add_argument("--lang", choices=("en", "bn"), default="en", help="the table's language")
    p.add_argument(
        "--no-bom", action="store_true", help="CSV without the byte-order mark for Excel"
    )
    p.add_argument(
        "--quiet", action="store_true", help="no progress bar and no summary on standard error"
    )
    p.set_defaults(func=_cmd_batch)

    p = sub.add_parser("templates", help="list the agreement templates plugins offer")
    p.set_defaults(func=_cmd_templates)

    p = sub.add_parser(
        "plugins", help="list plugins with their versions and hooks; write a new one; check them"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_plugins)
    psub = p.add_subparsers(dest="plugins_command", metavar="ACTION")
    p = psub.add_parser(
        "new", help="write a plugin package: hooks, tests, README, an example office"
    )
    p.add_argument("name", metavar="NAME", help="the package's name, e.g. apacore-procurement")
    p.add_argument(
        "--annex", metavar="KIND", help="an annex type to add, by its kind (e.g. procurement)"
    )
    p.add_argument("--method", metavar="NAME", help="a calculation method to add, by its name")
    p.add_argument("--rule", metavar="NAME", help="a scoring rule to add, by its name")
    p.add_argument(
        "-o",
        "--output",
        default=".",
        metavar="FOLDER",
        help="the folder to write NAME/ in (default: here)",
    )
    p.add_argument("--force", action="store_true", help="write over an existing NAME/")
    p.set_defaults(func=_cmd_plugins_new)
    p = psub.add_parser("check", help="run each installed plugin's contract suite, briefly")
    p.add_argument(
        "--examples", type=int, default=10, help="generated examples per property (default: 10)"
    )
    p.set_defaults(func=_cmd_plugins_check)

    rs = sub.add_parser("rulesets", help="list, show, compare and validate rulesets")
    rsub = rs.add_subparsers(dest="rulesets_command", metavar="ACTION", required=True)
    p = rsub.add_parser("list", help="fiscal year, version, hash and source plugin")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_cmd_rulesets_list)
    p = rsub.add_parser("show", help="a ruleset's settings, annexes and indicators")
    p.add_argument("ruleset", help="a fiscal year (2024-25) or a ruleset folder")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--sha256", help="fail unless the content has this hash")
    p.add_argument("--lang", choices=("en", "bn"), default="en")
    p.set_defaults(func=_cmd_rulesets_show)
    p = rsub.add_parser("diff", help="what changed from one ruleset to another")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--lang", choices=("en", "bn"), default="en")
    p.set_defaults(func=_cmd_rulesets_diff)
    p = rsub.add_parser("validate", help="load a ruleset folder strictly and report its hash")
    p.add_argument("path")
    p.add_argument("--sha256", help="fail unless the content has this hash")
    p.set_defaults(func=_cmd_rulesets_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    if list(sys.argv[1:] if argv is None else argv) == ["--version"]:
        print(f"apacore {__version__}")  # before argparse or anything else is imported
        return EXIT_OK
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
        print(f"apacore: error: {_message(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C: one line; the workers are gone, no file half-written
        print("apacore: error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as exc:  # a plugin's sys.exit: not a silent success with no output
        from apacore.plugins.exits import exit_message

        line = exit_message(exc)
        where = "" if line.startswith("plugin ") else f"{args.command}: "
        print(f"apacore: error: {where}{line}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
