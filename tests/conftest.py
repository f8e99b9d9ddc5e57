"""Hypothesis profiles: ``dev`` (the default) is fast; the built-in ``ci`` profile is
used when ``CI`` is set. (Isolation from installed plugins is in the root conftest.py.)
Fixtures several modules share: Dakop's PDF reports, rendered once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("ci", parent=settings.get_profile("ci"), deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(scope="session")
def dakop_pdfs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Dakop's report as PDF, in Bengali and in English, for the tests that read it back
    with poppler's ``pdftotext`` (skipped where WeasyPrint or poppler-utils is missing)."""
    from apacore.cli import main

    pytest.importorskip("weasyprint", reason="the pdf extra (WeasyPrint) is not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    dakop = Path(__file__).resolve().parent.parent / "examples" / "dakop-2024-25"
    folder = tmp_path_factory.mktemp("dakop-pdf")
    bn, en = folder / "bn.pdf", folder / "en.pdf"
    assert main(["report", str(dakop), "-o", str(bn)]) == 0
    assert main(["report", str(dakop), "-o", str(en), "--lang", "en"]) == 0
    return bn, en
