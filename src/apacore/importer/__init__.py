"""Importing progress tables laid out as the official forms are (``apacore import``).

:func:`import_table` reads a quarterly progress table from a tab-separated text
(``.tsv``, ``.txt``: a scan turned into text may hold several tables among prose), a
``.csv`` file or an ``.xlsx`` workbook (with the optional ``openpyxl``:
``pip install apacore[xlsx]``) and returns an :class:`ImportResult` whose
:meth:`~ImportResult.to_toml` is a ``report.toml`` (docs/file-format.md).

How a table is found (docs/import.md has the details):

* a **header row** has at least two cells and one of them names the indicator column
  (``কর্মসম্পাদন সূচক``, but not ``কর্মসম্পাদন সূচকের মান``, which is the weight); up to
  three more rows continue the header (spanned headings put the quarter names on a
  second row), and the text of a column is read from all of them;
* a **progress table** has at least one quarter column: an ordinal (``১ম`` … ``৪র্থ``)
  followed by one of the quarter words (``কোয়ার্টার``, ``কোয়াটার``, ``ত্রৈমাসিক``,
  ``ত্রৈমাস``, ``ট্রেমাসিক``, ``ত্রেমাসিক``, ``quarter``), or ``Q1`` … ``Q4``. A header
  without quarter columns (a target table) is not read, and the result says so;
* a **column-number row** (``১ ২ ৩ … ১৪``: only small whole numbers) may follow and is
  skipped; the **data rows** follow until a row without a separator (a line of prose),
  a blank row or the next header row.

Columns are found by their header text, never by position: the quarters, the total
(``মোট``), the progress percentage (``অর্জনের হার``, ``অর্জনের শতকরা হার``, ``শতকরা হার``),
the marks (``অর্জিত মান``), the remarks (``মন্তব্য``) and the target/achievement label
(``লক্ষ্যমাত্রা / অর্জন``). A data row is read only when its indicator cell carries one
id (``[১.১.১]``, ``[4.1.2]`` or a leading ``1.1.1``) and every figure in it reads with
:func:`~apacore.numbers.parse_reading`; any other row that holds figures is an
:class:`ImportProblem` with its line and why. Nothing is guessed and nothing is
dropped silently: rows that hold no id and no figure (section headings) are the only
rows left out, and each table lists them.

The package follows the steps of an import, one module each: :mod:`.files` reads a
file into rows of cells, :mod:`.tables` finds the tables and their columns,
:mod:`.rows` reads the rows, :mod:`.document` reads the fiscal year, quarter and office
around them, :mod:`.result` writes the report, and :mod:`.main` is :func:`import_table`.
"""

from __future__ import annotations

from apacore.importer.main import ANNEX_AUTO, import_table
from apacore.importer.result import ImportedTable, ImportProblem, ImportResult

__all__ = [
    "ANNEX_AUTO",
    "ImportProblem",
    "ImportResult",
    "ImportedTable",
    "import_table",
]
