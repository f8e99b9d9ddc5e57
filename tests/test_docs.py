"""The docs are tested: their examples run, and they cover the public API and the policies.

Every ``>>>`` line in ``docs/*.md`` is a doctest: the numbers in the docs are the numbers
apacore computes. ``docs/concepts.md`` names every public name of ``apacore.__all__`` and
``docs/scoring.md`` every scoring policy of ``apacore.models.Policies``.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import attrs
import pytest

import apacore
from apacore.models import Policies

DOCS = Path(__file__).resolve().parent.parent / "docs"
WITH_EXAMPLES = sorted(p for p in DOCS.glob("*.md") if ">>>" in p.read_text(encoding="utf-8"))


def _mentions(text: str, name: str) -> bool:
    """``name`` as a whole word (``Area`` is not found inside ``AgreementArea``)."""
    return re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text) is not None


def test_the_pages_with_examples_are_found() -> None:
    names = {p.name for p in WITH_EXAMPLES}
    assert {"scoring.md", "rulesets.md", "concepts.md", "auditing.md"} <= names


@pytest.mark.parametrize("page", WITH_EXAMPLES, ids=lambda p: p.name)
def test_doc_examples_run(page: Path) -> None:
    result = doctest.testfile(
        str(page),
        module_relative=False,
        encoding="utf-8",
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        report=True,
    )
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples in {page.name} failed"
    )
    assert result.attempted > 0


def test_concepts_names_every_public_name() -> None:
    text = (DOCS / "concepts.md").read_text(encoding="utf-8")
    missing = [name for name in apacore.__all__ if not _mentions(text, name)]
    assert not missing, f"docs/concepts.md does not mention {missing}"


def test_scoring_names_every_policy_key() -> None:
    text = (DOCS / "scoring.md").read_text(encoding="utf-8")
    keys = [field.name for field in attrs.fields(Policies)]
    missing = [key for key in keys if f"`{key}`" not in text]
    assert not missing, f"docs/scoring.md does not name the policies {missing}"


def test_officers_bengali_commands_ask_for_bengali() -> None:
    """The Bengali half of officers.md shows commands that answer in Bengali: every
    command but ``report`` (Bengali by default) says ``--lang bn``."""
    text = (DOCS / "officers.md").read_text(encoding="utf-8")
    bengali = text.split("## English", 1)[0]
    commands = [line for line in bengali.splitlines() if line.startswith("apacore ")]
    assert len(commands) >= 6
    for line in commands:
        if not line.startswith("apacore report "):
            assert "--lang bn" in line.split("#", 1)[0], line
