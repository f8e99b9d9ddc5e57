"""What the commands share: the parser class, argument types an officer types (Bengali
digits), the common options, and scoring an office with its notices on standard error."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from apacore.office import ScoredOffice

EXIT_USAGE = 2

AS_OF_HELP = "a quarter (Q1..Q4) or a date; default: the report's quarter"
OFFICE_HELP = "a folder with agreement.toml and report.toml"


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, told the terminal's width (it would import shutil to ask,
    each time a parser checks an argument)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        from apacore.formatting import terminal_columns

        super().__init__(prog, indent_increment, max_help_position, width or terminal_columns() - 2)


def parser_class() -> type[argparse.ArgumentParser]:
    """An argument parser whose mistakes are one ``apacore: error:`` line (exit 2);
    the usage is shown by ``--help`` only. Subcommand parsers are of this class too."""

    class _Parser(argparse.ArgumentParser):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs.setdefault("formatter_class", _Formatter)
            super().__init__(*args, **kwargs)

        def error(self, message: str) -> NoReturn:
            command = self.prog.removeprefix("apacore").strip()
            where = f"{command}: " if command else ""
            from apacore.limits import shorten

            line = re.sub(r"\S{200,}", lambda m: shorten(m.group()), " ".join(message.split()))
            self.exit(EXIT_USAGE, f"apacore: error: {where}{line}\n")

    return _Parser


def ascii_digits(text: str) -> str:
    """An argument an officer typed, Bengali digits read as ASCII (``২০২৪-২৫``, ``২``)."""
    from apacore.numbers import to_ascii_digits

    return to_ascii_digits(text).strip()


def quarter_number(text: str) -> int:
    """``--quarter``: 1 to 4 in ASCII or Bengali digits."""
    digits = ascii_digits(text)
    if not (digits.isascii() and digits.isdigit()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a quarter (1 to 4, ASCII or Bengali digits)"
        )
    return int(digits)


def add_lang(p: argparse.ArgumentParser, default: str = "en", help: str | None = None) -> None:
    p.add_argument("--lang", choices=("en", "bn"), default=default, help=help)


def add_format(p: argparse.ArgumentParser, *formats: str) -> None:
    """``--format``, one of ``formats``; the first is the default."""
    p.add_argument("--format", choices=formats, default=formats[0])


def scored(path: str, as_of: str | None, lang: str = "en") -> ScoredOffice:
    """Load and score an office through the library's one entry, and warn on standard
    error about what the score hides (its notices); the exit status does not change."""
    from apacore.numbers import parse_as_of
    from apacore.office import score_office

    result = score_office(path, as_of=parse_as_of(as_of))
    for line in result.notices(lang):
        print(f"apacore: warning: {line}", file=sys.stderr)
    return result


def write_out(text: str) -> None:
    """Print what the library gave, as it gave it."""
    sys.stdout.write(text)
