"""``apacore score``: an office's scorecard as a table, JSON, CSV or Markdown."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import AS_OF_HELP, add_format, add_lang, scored, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "path", help="a folder with agreement.toml (and report.toml), or an agreement file"
    )
    p.add_argument("--as-of", help=AS_OF_HELP)
    add_format(p, "table", "json", "csv", "md")
    add_lang(p)
    p.add_argument(
        "--no-bom",
        action="store_true",
        help="CSV without the UTF-8 byte-order mark (which Excel needs to read Bengali)",
    )


def run(args: argparse.Namespace) -> int:
    import gc

    # Nearly all a one-office score allocates (modules, classes, the office) lives until
    # it ends: the cycle collector, paused, skips searching it (~5% of a cold start).
    collecting = gc.isenabled()
    gc.disable()
    try:
        from apacore.render.formats import render

        card = scored(args.path, args.as_of, args.lang).scorecard
        write_out(render(card, args.format, args.lang, bom=not args.no_bom))
    finally:
        if collecting:
            gc.enable()
    return 0
