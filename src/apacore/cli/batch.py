"""``apacore batch``: every office below a folder scored, ranked and summarized."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from apacore.cli.arguments import add_format, add_lang


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "tree", help="a folder: every folder below it with an agreement.toml is an office"
    )
    p.add_argument("--as-of", help="a quarter (Q1..Q4) or a date; default: each report's quarter")
    p.add_argument("--workers", help="processes to score with (default: the machine's cores)")
    add_format(p, "table", "csv", "json", "jsonl")
    p.add_argument(
        "-o",
        "--output",
        help="file to write, whole or not at all (default: standard output); FILE.html or"
        " FILE.pdf: the ranking as a page to publish (bars, a heat map per annex, laggards)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing -o file")
    p.add_argument(
        "--group-by",
        help="rank and summarize within groups: level:N (the N-th folder below TREE)"
        " or office_level, fiscal_year, scope, grade",
    )
    add_lang(p, help="the table's language")
    p.add_argument(
        "--no-bom", action="store_true", help="CSV without the byte-order mark for Excel"
    )
    p.add_argument(
        "--quiet", action="store_true", help="no progress bar and no summary on standard error"
    )


def run(args: argparse.Namespace) -> int:
    """Score every office below TREE; rank, summarize and write them (docs/cli.md)."""
    from apacore.atomic import check_target, write_atomic
    from apacore.batch import (
        OfficeError,
        OfficeRecord,
        check_as_of,
        chunk_size_for,
        copied_office_warnings,
        default_workers,
        find_tree,
        parse_workers,
        score_many,
        unreadable_folder,
    )
    from apacore.batch.output import PAGE_SUFFIXES, batch_chunks, batch_meta, batch_summary
    from apacore.batch.rollup import parse_grouping, rank_offices
    from apacore.errors import ApacoreError
    from apacore.numbers import parse_as_of
    from apacore.words import skipped_line

    as_of = check_as_of(parse_as_of(args.as_of))
    workers = parse_workers(args.workers)
    grouping = None if args.group_by is None else parse_grouping(args.group_by)
    # the output is checked before the offices are scored, not after
    target = None if args.output is None else check_target(args.output, replace=args.force)
    errors: list[OfficeError] = []
    found = find_tree(args.tree, unreadable=unreadable_folder(args.tree, errors))
    folders = found.offices
    if not args.quiet:  # nothing skipped without a word
        for folder, why in found.skipped:
            line = skipped_line(args.tree, folder, why, args.lang)
            sys.stderr.write(f"apacore: warning: {line}\n")
    if not folders and not errors:
        raise ApacoreError("no folder below it holds an agreement.toml", where=args.tree)
    # never more processes than there are offices to give them
    workers = max(1, min(workers or default_workers(), len(folders)))
    results = score_many(
        folders,
        root=args.tree,
        as_of=as_of,
        workers=workers,
        chunk_size=chunk_size_for(len(folders), workers),
    )
    shown = results
    if not args.quiet and sys.stderr.isatty():  # a progress bar for people, not for logs
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread in a process that forks workers
        shown = tqdm(results, total=len(folders), unit="office", file=sys.stderr, leave=False)
    records: list[OfficeRecord] = []
    try:
        for result in shown:
            if isinstance(result, OfficeError):
                errors.append(result)
                if result.traceback is not None:
                    sys.stderr.write(result.traceback)
            else:
                records.append(result)
    finally:  # Ctrl-C: the workers end now, not when the generator is collected
        results.close()
    if not args.quiet:
        sys.stderr.write(copied_office_warnings(args.tree, records))
    ranking = rank_offices(records, grouping)
    meta = batch_meta(args.tree, args.as_of, grouping, skipped=found.skipped)
    chunks: Iterable[str] | bytes
    if target is not None and target.suffix.lower() in PAGE_SUFFIXES:  # the page to publish
        from apacore.report.ranking import ranking_bytes, ranking_page

        page = ranking_page(ranking, errors, tree=args.tree, lang=args.lang, skipped=found.skipped)
        chunks = ranking_bytes(page, target.suffix)
    else:
        chunks = batch_chunks(
            args.format, ranking, errors, lang=args.lang, meta=meta, bom=not args.no_bom
        )
    if target is None:
        assert not isinstance(chunks, bytes)  # a page is written to a file only
        for chunk in chunks:
            sys.stdout.write(chunk)
    else:
        write_atomic(target, chunks, replace=args.force)
    if not args.quiet:
        listed = args.format == "table" and target is None  # the table lists them itself
        sys.stderr.write(
            batch_summary(args.tree, len(records), errors, target, listed=listed, lang=args.lang)
        )
    return 1 if errors else 0
