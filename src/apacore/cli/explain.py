"""``apacore explain``: how one indicator was worked out, step by step."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import add_lang, scored, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path")
    p.add_argument("indicator", help="e.g. 1.1.1 or egov/4.1.2")
    p.add_argument("--as-of")
    add_lang(p, help="language of the explanation (en, bn)")


def run(args: argparse.Namespace) -> int:
    from apacore.numbers import parse_indicator_ref
    from apacore.office.explanation import explanation_text

    card = scored(args.path, args.as_of, args.lang).scorecard
    write_out(explanation_text(card, parse_indicator_ref(args.indicator), args.lang))
    return 0
