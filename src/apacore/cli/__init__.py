"""The ``apacore`` command line. Every command is documented in docs/cli.md.

Exit status: 0 success; 1 findings (``audit``); 2 a mistake in the input (a one-line
message on standard error naming where and why). Anything else is a bug in apacore
and keeps its traceback.

The command line is thin: each command is a module of this package (:data:`COMMANDS`)
with its ``add_arguments(parser)`` and ``run(args)``; it reads its arguments, calls the
library and prints what the library gives. The words, the JSON shapes and the rules live
in the library. Only the chosen command's module is imported and only its parser built.
"""

from __future__ import annotations

import sys

from apacore._version import __version__

# Imports are made where they are used, so that a command imports only what it needs
# and ``apacore --version`` nothing at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
"""Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2)."""

COMMANDS = {
    "score": "score an office's agreement with its progress report",
    "audit": "recompute the office's own figures, check evidence and targets, review the"
    " agreement; list what disagrees",
    "import": "read an official progress table into report.toml",
    "explain": "show how one indicator was worked out, step by step",
    "report": "write the quarterly progress report (HTML or PDF)",
    "need": "what each indicator must still achieve to reach each tier",
    "evaluate": "write a skeleton evaluation.toml for the evaluating office",
    "serve": "answer over HTTP: /v1/score and more, a page at / (needs apacore[serve])",
    "new": "write a complete agreement from a plugin's template",
    "batch": "score every office below a folder; rank and summarize",
    "templates": "list the agreement templates plugins offer",
    "plugins": "list plugins with their versions and hooks; write a new one; check them",
    "rulesets": "list, show, compare and validate rulesets",
}
"""Command → its help line; its module is ``apacore.cli.<command>`` (``import``:
``apacore.cli.import_``)."""


def _module(command: str) -> str:
    return f"apacore.cli.{command}_" if command == "import" else f"apacore.cli.{command}"


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: every command's (also used to document them), or only
    ``command``'s arguments, the others listed by name."""
    from importlib import import_module

    from apacore.cli.arguments import parser_class

    parser = parser_class()(
        prog="apacore",
        description="Score Bangladesh Annual Performance Agreements exactly, by fiscal-year rulesets.",
    )
    parser.add_argument("--version", action="version", version=f"apacore {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text in COMMANDS.items():
        if command is not None and name != command:
            continue
        p = sub.add_parser(name, help=help_text)
        module = import_module(_module(name))
        module.add_arguments(p)
        if hasattr(module, "run"):  # else its actions set their own
            p.set_defaults(func=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    if words == ["--version"]:
        print(f"apacore {__version__}")  # before argparse or anything else is imported
        return EXIT_OK
    if argv is None:  # the process is the command (the ``apacore`` script)
        import gc

        # Importing the model and the plugins and reading an office allocate much and free
        # little: collecting the youngest objects every 700 allocations, as Python does,
        # searched them 26 times in a cold ``score`` (a twentieth of it) and found nothing.
        # Every 20,000 they are still collected: a few megabytes at most wait for it.
        gc.set_threshold(20_000, *gc.get_threshold()[1:])
    parser = build_parser(words[0] if words and words[0] in COMMANDS else None)
    args = parser.parse_args(words)
    if not getattr(args, "func", None):
        sys.stderr.write(parser.format_usage())
        print("apacore: error: no command given; see apacore --help", file=sys.stderr)
        return EXIT_USAGE
    from apacore.errors import ApacoreError

    try:
        return int(args.func(args))
    except ApacoreError as exc:
        from apacore.words import error_line_in

        print(f"apacore: error: {error_line_in(exc, getattr(args, 'lang', 'en'))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C: one line; the workers are gone, no file half-written
        print("apacore: error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except SystemExit as exc:  # a plugin's sys.exit: not a silent success with no output
        from apacore.plugins.exits import exit_message

        line = exit_message(exc)
        where = "" if line.startswith("plugin ") else f"{args.command}: "
        print(f"apacore: error: {where}{line}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK
    finally:
        if argv is None:  # the process ends with the command (the ``apacore`` script)
            import gc

            # what the command allocated lives until the exit, whose collection would
            # only search it (a tenth of a cold ``score``): it is left out of that pass
            gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
