"""apacore.patterns.when_used: a pattern compiled at its first use, acting as compiled."""

from __future__ import annotations

import re
import subprocess
import sys

from apacore.patterns import when_used


def test_a_pattern_compiles_when_first_used_and_acts_as_compiled() -> None:
    lazy = when_used(r"(?P<q>[1-4])", re.IGNORECASE)
    assert "search" not in vars(lazy)  # nothing compiled yet
    m = lazy.fullmatch("2")
    assert m is not None and m["q"] == "2"
    assert "search" in vars(lazy)
    compiled = re.compile(r"(?P<q>[1-4])", re.IGNORECASE)
    assert (lazy.pattern, lazy.flags, lazy.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groupindex,
    )
    assert [m.group() for m in lazy.finditer("1 5 3")] == ["1", "3"]
    assert lazy.sub("x", "12") == "xx" and lazy.subn("x", "12") == ("xx", 2)
    assert lazy.scanner("1").match() is not None  # any other method, from the compiled one


def test_importing_the_parsers_compiles_none_of_their_patterns() -> None:
    code = (
        "import re, sys\n"
        "import apacore.numbers, apacore.limits, apacore.errors, apacore.words\n"
        "from apacore.patterns import _WhenUsed\n"
        "lazy = [v for m in ('numbers', 'limits', 'errors', 'words')\n"
        "        for v in vars(sys.modules['apacore.' + m]).values() if isinstance(v, _WhenUsed)]\n"
        "assert lazy and not any('search' in vars(v) for v in lazy), lazy\n"
        "print(len(lazy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) >= 15
