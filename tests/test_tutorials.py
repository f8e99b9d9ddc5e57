"""docs/plugins.md's tutorial 2 (a new annex type), run word for word in an empty folder.

The tutorial's code blocks are read in order: a block after "Create `PATH`:" (or "…,
`PATH`:") is written to PATH; a ``sh`` block is run, all of them in one shell, so that
``cd`` and ``. .venv/bin/activate`` carry over as for a reader; a ``text`` block after a
``sh`` block holds lines that block must print. The one change to the text: the line
``export APACORE=/path/to/apacore`` points at this checkout. It installs apacore into a
fresh virtual environment (from the package index, as a reader does): slow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLUGINS_MD = ROOT / "docs" / "plugins.md"
_BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)


def tutorial(heading: str) -> list[tuple[str, str, str]]:
    """The blocks of the tutorial under ``heading``: (kind, text, file written or "")."""
    text = PLUGINS_MD.read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}")
    end = text.find("\n## ", start + 1)
    body = text[start : end if end > 0 else None]
    blocks, last = [], 0
    for match in _BLOCK.finditer(body):
        prose = body[last : match.start()].rstrip()
        last = match.end()
        kind, code = match.group(1), match.group(2)
        target = ""
        if kind in ("toml", "python"):
            sentence = prose.rsplit("\n\n", 1)[-1].replace("\n", " ")
            found = re.findall(r"`([\w./-]+\.(?:toml|py))`", sentence)
            assert found and sentence.rstrip().endswith(":"), f"no file named for: {code[:60]}"
            target = found[-1]
        blocks.append((kind, code, target))
    return blocks


def test_tutorial_2_is_read_as_expected() -> None:
    blocks = tutorial("Tutorial 2")
    files = [t for k, _, t in blocks if t]
    assert files == [
        "pyproject.toml",
        "apacore_procurement.py",
        "office/agreement.toml",
        "office/report.toml",
        "tests/test_procurement.py",
    ]
    assert sum(k == "sh" for k, _, _ in blocks) == 4
    assert "export APACORE=/path/to/apacore\n" in blocks[0][1]


@pytest.mark.slow
def test_tutorial_2_word_for_word(tmp_path: Path) -> None:
    blocks = tutorial("Tutorial 2")
    script = ["set -euo pipefail"]
    expected: list[tuple[int, str]] = []
    n = 0
    for kind, code, target in blocks:
        if kind == "sh":
            n += 1
            code = code.replace("export APACORE=/path/to/apacore", f"export APACORE={ROOT}")
            script += [f"echo '@@ block {n}'", code]
        elif target:
            script.append(
                f"mkdir -p \"$(dirname '{target}')\"\ncat > '{target}' <<'TUTORIAL_EOF'\n{code}TUTORIAL_EOF"
            )
        elif kind == "text":
            expected.append((n, code))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("APACORE_", "PYTHON", "VIRTUAL_ENV", "HYPOTHESIS"))
    }
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix)
    )
    env["APACORE_CACHE_DIR"] = str(tmp_path / "cache")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    outputs = dict(
        (int(part.split("\n", 1)[0]), part.split("\n", 1)[1] if "\n" in part else "")
        for part in done.stdout.split("@@ block ")[1:]
    )
    for block, text in expected:
        for line in text.splitlines():
            if line.strip():
                assert line in outputs[block], (
                    f"block {block} does not print {line!r}:\n{outputs[block]}"
                )
    folder = tmp_path / "apacore-procurement"
    report = (folder / "office" / "report.html").read_text(encoding="utf-8")
    assert "ক্রয় পরিকল্পনা" in report and "Procurement plan" not in report
    assert "10 passed" in outputs[4]
