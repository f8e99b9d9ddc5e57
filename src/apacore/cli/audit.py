"""``apacore audit``: what disagrees with the rules in what the office wrote and signed."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import add_format, add_lang, scored, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="an office folder (agreement.toml, report.toml if any)")
    p.add_argument("--as-of")
    add_format(p, "text", "json")
    p.add_argument(
        "--kind",
        help="list only these kinds of finding, comma-separated:"
        " figure, cell, evidence, target, review (default: all)",
    )
    add_lang(p, help="the reasons and labels in English or Bengali (digits follow the language)")


def run(args: argparse.Namespace) -> int:
    from apacore.audit import audit_office, audit_text, audit_to_dict, parse_kinds

    kinds = parse_kinds(args.kind)
    result = scored(args.path, args.as_of, args.lang)
    office, card = result.office, result.scorecard
    findings = audit_office(office, card, kinds=kinds)
    if args.format == "json":
        from apacore.formatting import json_text

        write_out(json_text(audit_to_dict(card, findings, args.lang)))
    else:
        write_out(audit_text(office, card, findings, args.lang))
    return 1 if findings else 0
