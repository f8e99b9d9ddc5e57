"""``apacore import``: an official progress table read into ``report.toml``."""

from __future__ import annotations

import argparse
import sys

from apacore.cli.arguments import ascii_digits, quarter_number


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help=".tsv/.txt (tab-separated), .csv or .xlsx")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.add_argument(
        "--fiscal-year", type=ascii_digits, help="e.g. 2024-25 (default: read from the document)"
    )
    p.add_argument(
        "--quarter",
        type=quarter_number,
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


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

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
    sys.stderr.write(result.summary(args.file, args.output))
    return 1 if result.problems else 0
