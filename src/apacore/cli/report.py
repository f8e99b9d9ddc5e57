"""``apacore report``: the quarterly progress report, HTML or PDF."""

from __future__ import annotations

import argparse
import sys

from apacore.cli.arguments import AS_OF_HELP, OFFICE_HELP, add_lang, scored


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help=OFFICE_HELP)
    p.add_argument(
        "-o", "--output", required=True, help="FILE.html, or FILE.pdf (needs apacore[pdf])"
    )
    p.add_argument("--as-of", help=AS_OF_HELP)
    add_lang(p, default="bn")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from apacore.report import build_context, write_report

    result = scored(args.path, args.as_of, args.lang)
    context = build_context(result.scorecard, result.office, args.lang)
    write_report(context, Path(args.output), replace=args.force)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
