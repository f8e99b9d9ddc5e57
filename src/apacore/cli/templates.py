"""``apacore templates``: the agreement templates the plugins offer."""

from __future__ import annotations

import argparse

from apacore.cli.arguments import write_out


def add_arguments(p: argparse.ArgumentParser) -> None:
    """No arguments."""


def run(args: argparse.Namespace) -> int:
    from apacore.catalogue import templates_text

    write_out(templates_text())
    return 0
