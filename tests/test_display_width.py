"""Display widths: the columns a terminal draws, whatever wcwidth release is installed.

The reference is glibc's ``wcswidth``, which xterm, VTE and tmux draw by (the pinned
widths below were measured in tmux 3.3a: the cursor's column after printing the word).
wcwidth's own answers for Bengali changed twice between releases inside our range (0.2.8:
``মূল্যায়িত`` 7 columns, 0.2.13: 5, 0.9.5: 6); :func:`display_width` must not.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apacore.render.formats import display_width, render

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

# word: columns in a terminal (tmux 3.3a, glibc 2.36)
PINNED = {
    "মূল্যায়িত": 7,
    "কর্মসম্পাদন": 9,
    "উপজেলা সমবায় কার্যালয়, দাকোপ": 27,
    "অসাধারণ": 7,
    "অতি উত্তম": 8,
    "চলতি মানের নিম্নে": 16,
    "প্রযোজ্য নয়": 9,
    "ক্ষেত্র": 5,
    "অর্জিত মান": 9,
    "শুদ্ধাচার": 7,
    "ই-গভর্ন্যান্স ও উদ্ভাবন": 19,
    "২য় কোয়ার্টার": 11,
    "১৩.৫৩": 5,
    "日本": 4,  # wide characters: two columns each
    "e\u0301": 1,  # a combining accent takes none
}


@pytest.mark.parametrize(("word", "columns"), PINNED.items())
def test_the_words_the_tables_print_have_pinned_widths(word: str, columns: int) -> None:
    assert display_width(word) == columns


def _glibc_wcswidth():  # type: ignore[no-untyped-def]
    """glibc's wcswidth under a UTF-8 locale, or None where there is no glibc."""
    name = ctypes.util.find_library("c")
    if name is None or "libc.so" not in name:
        return None
    libc = ctypes.CDLL(name)
    if not hasattr(libc, "gnu_get_libc_version"):
        return None
    for loc in ("C.UTF-8", "C.utf8", "en_US.UTF-8"):
        try:
            locale.setlocale(locale.LC_CTYPE, loc)
            break
        except locale.Error:
            continue
    else:
        return None
    libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]
    libc.wcswidth.restype = ctypes.c_int
    return lambda text: libc.wcswidth(text, len(text))


GLIBC = _glibc_wcswidth()
needs_glibc = pytest.mark.skipif(GLIBC is None, reason="glibc's wcswidth is the reference")
allow_skip_without_glibc = pytest.mark.allow_skip(
    reason="the reference, glibc's wcswidth, exists only on a glibc system"
)

# Bengali's assigned code points that glibc knows (its Unicode may be older than Python's)
_BENGALI = [
    chr(c)
    for c in range(0x0980, 0x0A00)
    if unicodedata.category(chr(c)) != "Cn" and (GLIBC is None or GLIBC(chr(c)) >= 0)
]


@allow_skip_without_glibc
@needs_glibc
@given(st.text(alphabet=st.sampled_from([*_BENGALI, " ", ",", ".", "-", "a", "\u200c", "\u200d"])))
def test_bengali_is_as_wide_as_a_terminal_draws_it(text: str) -> None:
    assert display_width(text) == GLIBC(text)


@allow_skip_without_glibc
@needs_glibc
@pytest.mark.parametrize("office", ["dakop-2024-25", "raiganj-2024-25"])
def test_every_line_of_a_bengali_table_is_as_wide_as_a_terminal_draws_it(office: str) -> None:
    from apacore import score_path

    card = score_path(EXAMPLES / office)
    for line in render(card, "table", "bn").splitlines():
        assert display_width(line) == GLIBC(line), line
