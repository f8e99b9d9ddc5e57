"""``apacore plugins``: the plugins with their versions and hooks; ``plugins new`` writes a
plugin package, ``plugins check`` runs each installed plugin's contract suite."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import add_format, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_format(p, "text", "json")
    sub = p.add_subparsers(dest="plugins_command", metavar="ACTION")
    q = sub.add_parser(
        "new", help="write a plugin package: hooks, tests, README, an example office"
    )
    q.add_argument("name", metavar="NAME", help="the package's name, e.g. apacore-procurement")
    q.add_argument(
        "--annex", metavar="KIND", help="an annex type to add, by its kind (e.g. procurement)"
    )
    q.add_argument("--method", metavar="NAME", help="a calculation method to add, by its name")
    q.add_argument("--rule", metavar="NAME", help="a scoring rule to add, by its name")
    q.add_argument(
        "-o",
        "--output",
        default=".",
        metavar="FOLDER",
        help="the folder to write NAME/ in (default: here)",
    )
    q.add_argument("--force", action="store_true", help="write over an existing NAME/")
    q.set_defaults(func=run_new)
    q = sub.add_parser("check", help="run each installed plugin's contract suite, briefly")
    q.add_argument(
        "--examples", type=int, default=10, help="generated examples per property (default: 10)"
    )
    q.set_defaults(func=run_check)


def run(args: argparse.Namespace) -> int:
    from apacore.catalogue import plugins_text, plugins_to_dict
    from apacore.formatting import json_text

    write_out(json_text(plugins_to_dict()) if args.format == "json" else plugins_text())
    return 0


def run_new(args: argparse.Namespace) -> int:
    from apacore.scaffold import new_plugin, written_text

    folder, files = new_plugin(
        args.name,
        annex=args.annex,
        method=args.method,
        rule=args.rule,
        folder=args.output,
        force=args.force,
    )
    write_out(written_text(folder, files))
    return 0


def run_check(args: argparse.Namespace) -> int:
    try:
        from apacore.testing.installed import check_installed, reports_text
    except ImportError as exc:  # hypothesis missing: say how to install it
        from apacore.errors import ApacoreError

        raise ApacoreError(str(exc), where="plugins check") from None
    reports = check_installed(examples=args.examples)
    write_out(reports_text(reports))
    return 0 if all(r.ok for r in reports) else 1
