"""write_atomic: all or nothing, every OSError one line naming the target."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from apacore.atomic import write_atomic
from apacore.errors import ApacoreError


def test_writes_and_replaces_only_with_replace(tmp_path: Path) -> None:
    target = tmp_path / "report.toml"
    write_atomic(target, "a = 1\n")
    assert target.read_text("utf-8") == "a = 1\n"
    with pytest.raises(ApacoreError, match="exists already; use --force"):
        write_atomic(target, "a = 2\n")
    write_atomic(target, "a = 2\n", replace=True)
    assert target.read_text("utf-8") == "a = 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.toml"]


def test_a_full_disk_leaves_the_target_untouched_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.toml"
    target.write_text("old = true\n", "utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ApacoreError) as info:
        write_atomic(target, "x" * 300, replace=True)
    assert str(info.value) == f"{target}: cannot write: No space left on device"
    assert target.read_text("utf-8") == "old = true\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.toml"]


def test_interrupted_write_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "a.toml", "a = 1\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda p: p.mkdir(), "is a folder; give a file name"),
        (lambda p: p.symlink_to(p), "is a broken link; give a file name"),
        (lambda p: p.symlink_to(p.parent / "nowhere"), "is a broken link; give a file name"),
    ],
)
def test_targets_that_are_not_files(tmp_path: Path, make: object, why: str) -> None:
    target = tmp_path / "out.toml"
    make(target)  # type: ignore[operator]
    with pytest.raises(ApacoreError) as info:
        write_atomic(target, "a = 1\n", replace=True)
    assert str(info.value) == f"{target}: {why}"


def test_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "no" / "out.toml"
    with pytest.raises(ApacoreError) as info:
        write_atomic(target, "a = 1\n")
    assert str(info.value) == f"{target}: cannot write: no folder {str(target.parent)!r}"


def test_a_link_keeps_pointing_at_the_replaced_file(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old\n", "utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    write_atomic(link, "new\n", replace=True)
    assert link.is_symlink() and real.read_text("utf-8") == "new\n"
