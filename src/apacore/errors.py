"""The exceptions apacore raises for mistakes a user can make.

Every such error is one line: *where* (a file, an argument, a plugin) and the dotted
path inside it, then *why*. :func:`error_line` is that line, as the command line prints
it (after ``apacore: error:``, exiting 2), as a batch records it and as a server returns
it. Anything else that escapes is a bug in apacore and keeps its traceback.
"""

from __future__ import annotations

import re

from apacore.patterns import when_used

__all__ = [
    "AgreementError",
    "ApacoreError",
    "EvaluationError",
    "ParseError",
    "PinError",
    "PluginError",
    "ReportError",
    "RulesetError",
    "ScoringError",
    "error_line",
    "one_line",
    "printable",
]


_UNSHOWABLE_RE = when_used("[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    if "\udc80" <= char <= "\udcff":  # a byte of a file name that is not UTF-8
        return f"\\x{ord(char) - 0xDC00:02x}"
    return ascii(char)[1:-1]


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\x1b`` and the bytes of a file name
    that are not UTF-8 (which Python holds as lone surrogates) as ``\\xe9``: text any
    terminal shows as it is and any UTF-8 file can hold."""
    return _UNSHOWABLE_RE.sub(_escaped, text)


def one_line(text: object) -> str:
    """``text`` as one printable line: whitespace runs become one space, and control
    characters (an id holding a BEL, a file name holding an escape) are shown as ``\\x07``,
    as are the bytes of a file name that are not UTF-8 (:func:`printable`)."""
    return printable(" ".join(str(text).split()))


class ApacoreError(Exception):
    """Base of every error a user can cause.

    ``where`` names the file, argument or plugin; ``path`` the place inside it
    (``$.areas[0].weight``); ``why`` what is wrong. An error about an argument of the
    library (``as_of``) gives it as ``argument`` (``where`` is then that name), so that
    :func:`error_line` can name it as the caller knows it (``--as-of``).
    """

    line: int = 0
    """The line of ``where`` (a file or a named text) the ``path`` is on; 0: not known."""
    item: str = ""
    """The indicator the ``path`` belongs to (``egov/2.1.1``); "": none."""

    def __init__(self, why: str, *, where: str = "", path: str = "", argument: str = "") -> None:
        self.why = one_line(why)
        self.argument = one_line(argument)
        self.where = self.argument or one_line(where)
        self.path = one_line(path)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.where}:{self.line}" if self.where and self.line else self.where
        path = f"{self.path} ({self.item})" if self.path and self.item else self.path
        return ": ".join([*(p for p in (where, path) if p), self.why])

    def located(self, where: str, path: str | None = None) -> ApacoreError:
        """A copy of this error with ``where`` (and ``path``) filled in if still empty."""
        new = type(self).__new__(type(self))
        ApacoreError.__init__(
            new,
            self.why,
            where=self.where or where,
            path=self.path or (path or ""),
            argument=self.argument,
        )
        return new.placed(self.line, self.item)

    def placed(self, line: int, item: str = "") -> ApacoreError:
        """This error with the line of its ``path`` and the indicator it belongs to
        (:func:`apacore.loading.lines.with_place` finds them)."""
        self.line, self.item = line, one_line(item)
        self.args = (self.__str__(),)
        return self


class ParseError(ApacoreError, ValueError):
    """A number, date or marker that cannot be read; the message quotes the text."""


class RulesetError(ApacoreError):
    """A ruleset file or folder that is broken, inconsistent or not the pinned one."""


class PinError(RulesetError):
    """A ruleset whose content hash differs from the one asked for."""


class AgreementError(ApacoreError):
    """An agreement that is broken or does not fit its ruleset."""


class ReportError(ApacoreError):
    """A progress report that is broken or does not fit its agreement."""


class EvaluationError(ApacoreError):
    """An evaluation file that is broken or does not fit the report it evaluates."""


class ScoringError(ApacoreError, ValueError):
    """Arguments that no scoring rule accepts (non-monotone tiers, a contradicted direction)."""


class PluginError(ApacoreError):
    """A plugin that raised, conflicts with another, or registered something invalid."""


ARGUMENT_FLAGS = {
    "as_of": "--as-of",
    "template_name": "--template",
    "level": "--level",
    "fiscal_year": "--fiscal-year",
    "quarter": "--quarter",
    "annex": "--annex",
    "table": "--table",
    "kind": "--kind",
    "group_by": "--group-by",
    "workers": "--workers",
    "plugin_name": "NAME",
    "method": "--method",
    "rule": "--rule",
    "examples": "--examples",
    "indicator": "indicator",
    "ruleset": "ruleset",
}
"""Library argument names (an error's ``where``: ``as_of``) → the command-line flags that
set them. The library names its arguments; the one line names the flag a person typed."""


def error_line(error: ApacoreError) -> str:
    """The one line that tells a person what is wrong: where (a file and its line, or an
    argument named by its flag, ``--as-of``), the ``$.path`` inside it and the indicator
    it belongs to, and why. The command line, a batch and a server all say an error in
    these words (in Bengali: :func:`apacore.words.error_line_in`)."""
    if not error.argument:
        return str(error)
    flag = ARGUMENT_FLAGS.get(error.argument, error.argument)
    return ": ".join(p for p in (flag, error.path, error.why) if p)
