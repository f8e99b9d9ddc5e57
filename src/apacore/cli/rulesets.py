"""``apacore rulesets list|show|diff|validate``: the rulesets, one, two compared, or a
folder checked."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import add_format, add_lang, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="rulesets_command", metavar="ACTION", required=True)
    q = sub.add_parser("list", help="fiscal year, version, hash and source plugin")
    add_format(q, "text", "json")
    q.set_defaults(func=run_list)
    q = sub.add_parser("show", help="a ruleset's settings, annexes and indicators")
    q.add_argument("ruleset", help="a fiscal year (2024-25) or a ruleset folder")
    add_format(q, "text", "json")
    q.add_argument("--sha256", help="fail unless the content has this hash")
    add_lang(q)
    q.set_defaults(func=run_show)
    q = sub.add_parser("diff", help="what changed from one ruleset to another")
    q.add_argument("old")
    q.add_argument("new")
    add_format(q, "text", "json")
    add_lang(q)
    q.set_defaults(func=run_diff)
    q = sub.add_parser("validate", help="load a ruleset folder strictly and report its hash")
    q.add_argument("path")
    q.add_argument("--sha256", help="fail unless the content has this hash")
    q.set_defaults(func=run_validate)


def run_list(args: argparse.Namespace) -> int:
    from apacore.catalogue import rulesets_text, rulesets_to_dict
    from apacore.formatting import json_text

    write_out(json_text(rulesets_to_dict()) if args.format == "json" else rulesets_text())
    return 0


def run_show(args: argparse.Namespace) -> int:
    from apacore.loading.rulesets import load_ruleset

    rs = load_ruleset(args.ruleset, sha256=args.sha256)
    if args.format == "json":
        from apacore.catalogue import ruleset_to_dict
        from apacore.formatting import json_text

        write_out(json_text(ruleset_to_dict(rs)))
    else:
        from apacore.catalogue.text import show_text

        write_out(show_text(rs, args.lang))
    return 0


def run_diff(args: argparse.Namespace) -> int:
    from apacore.catalogue.diff import changes_to_dict, diff_rulesets
    from apacore.loading.rulesets import load_ruleset

    old, new = load_ruleset(args.old), load_ruleset(args.new)
    changes = diff_rulesets(old, new)
    if args.format == "json":
        from apacore.formatting import json_text

        write_out(json_text(changes_to_dict(changes)))
    else:
        from apacore.catalogue.text import diff_text

        write_out(diff_text(old, new, changes, args.lang))
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from apacore.loading.rulesets import load_ruleset_dir

    rs = load_ruleset_dir(Path(args.path), sha256=args.sha256)
    from apacore.catalogue import validated_text

    write_out(validated_text(args.path, rs))
    return 0
