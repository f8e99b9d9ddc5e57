"""``apacore plugins``: the plugins with their versions and hooks."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import add_format, write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_format(p, "text", "json")


def run(args: argparse.Namespace) -> int:
    from apacore.catalogue import plugins_text, plugins_to_dict
    from apacore.formatting import json_text

    write_out(json_text(plugins_to_dict()) if args.format == "json" else plugins_text())
    return 0
