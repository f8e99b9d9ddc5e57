"""``apacore need``: what each indicator must still achieve to reach each tier."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import AS_OF_HELP, OFFICE_HELP, add_format, add_lang, scored, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help=OFFICE_HELP)
    p.add_argument("indicator", nargs="?", help="one indicator (1.1.1 or egov/4.1.2); default: all")
    p.add_argument("--as-of", help=AS_OF_HELP)
    add_format(p, "table", "json")
    add_lang(p)


def run(args: argparse.Namespace) -> int:
    from apacore.numbers import parse_indicator_ref
    from apacore.office.need import need, render_need

    result = scored(args.path, args.as_of, args.lang)
    card = result.scorecard
    ref = None if args.indicator is None else parse_indicator_ref(args.indicator)
    needs = need(card, ref, tier_scores=result.office.ruleset.spec.tier_scores())
    write_out(render_need(card, needs, args.format, args.lang))
    return 0
