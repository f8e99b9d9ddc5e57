"""``apacore evaluate``: the skeleton ``evaluation.toml`` for the evaluating office."""

from __future__ import annotations

import argparse
import sys

from apacore.cli.arguments import OFFICE_HELP, add_lang, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help=OFFICE_HELP)
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_lang(p, help="the comments' language (en, bn)")


def run(args: argparse.Namespace) -> int:
    from apacore.evaluate import skeleton

    text = skeleton(args.path, lang=args.lang)
    if args.output is None:
        write_out(text)
        return 0
    from apacore.atomic import write_atomic

    write_atomic(args.output, text, replace=args.force)
    from apacore.words import label

    print(label("wrote", args.lang, path=args.output), file=sys.stderr)
    return 0
