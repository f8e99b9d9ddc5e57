"""Regular expressions compiled when first used.

Every command imports the number parser, the limits and the words; most runs (a warm
``score``) use few of their patterns, and compiling them all cost a few milliseconds of
every start (docs/concepts.md, "Start-up time"). :func:`when_used` gives an object that
acts as the compiled pattern and compiles it at its first use.
"""

from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")


class _WhenUsed:
    def __init__(self, pattern: str, flags: int) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> object:
        compiled = re.compile(*self._source)
        # the pattern's methods become this object's own: later calls look up nothing more
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self.pattern, self.flags, self.groupindex = (
            compiled.pattern,
            compiled.flags,
            compiled.groupindex,
        )
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"when_used({self._source[0]!r}, {self._source[1]!r})"


def when_used(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done at the first use of the result."""
    return _WhenUsed(pattern, flags)  # type: ignore[return-value]  # it quacks as one
