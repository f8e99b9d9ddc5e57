"""The exceptions apacore raises for mistakes a user can make.

Every such error is one line: *where* (a file, an argument, a plugin) and the dotted
path inside it, then *why*. The command line prints ``str(error)`` and exits 2.
Anything else that escapes is a bug in apacore and keeps its traceback.
"""

from __future__ import annotations

import re

__all__ = [
    "AgreementError",
    "ApacoreError",
    "ParseError",
    "PinError",
    "PluginError",
    "ReportError",
    "RulesetError",
    "ScoringError",
    "one_line",
    "printable",
]


_UNSHOWABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\udc80-\udcff]")


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
    (``$.areas[0].weight``); ``why`` what is wrong.
    """

    def __init__(self, why: str, *, where: str = "", path: str = "") -> None:
        self.why = one_line(why)
        self.where = one_line(where)
        self.path = one_line(path)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        parts = [p for p in (self.where, self.path) if p]
        return ": ".join([*parts, self.why])

    def located(self, where: str, path: str | None = None) -> ApacoreError:
        """A copy of this error with ``where`` (and ``path``) filled in if still empty."""
        new = type(self).__new__(type(self))
        ApacoreError.__init__(
            new,
            self.why,
            where=self.where or where,
            path=self.path or (path or ""),
        )
        return new


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


class ScoringError(ApacoreError, ValueError):
    """Arguments that no scoring rule accepts (non-monotone tiers, a contradicted direction)."""


class PluginError(ApacoreError):
    """A plugin that raised, conflicts with another, or registered something invalid."""
