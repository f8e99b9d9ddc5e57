"""Writing a file all at once or not at all.

Every file apacore writes (``import -o``, ``new -o``, reports, batch output) goes
through :func:`write_atomic`: the text goes to a temporary file beside the target,
which is flushed to disk and then renamed over the target. On any error the target
is untouched, the temporary file is removed, and the error is one
:class:`~apacore.errors.ApacoreError` naming the target: a full disk never leaves half
a ``report.toml``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from apacore.errors import ApacoreError

__all__ = ["check_target", "write_atomic"]


def write_atomic(
    path: Path | str,
    data: str | bytes | Iterable[str],
    *,
    replace: bool = False,
    where: str | None = None,
) -> Path:
    """Write ``data`` (text as UTF-8, bytes, or text in chunks, written as they come: a
    batch streams its output) to ``path`` atomically; return the path written.

    Without ``replace`` an existing target is an error ("use --force"). The folder must
    exist. ``where`` names the target in messages (default: the path).
    """
    target = Path(path)
    shown = where if where is not None else str(target)
    chunks: Iterable[bytes]
    if isinstance(data, bytes):
        chunks = (data,)
    elif isinstance(data, str):
        chunks = (data.encode("utf-8"),)
    else:
        chunks = (chunk.encode("utf-8") for chunk in data)
    try:
        if target.is_dir():
            raise ApacoreError("is a folder; give a file name", where=shown)
        if os.path.lexists(target):
            if not replace:
                raise ApacoreError("exists already; use --force to replace it", where=shown)
            target = _real_file(target, shown)
        folder = target.parent
        if not folder.is_dir():
            raise ApacoreError(f"cannot write: no folder {str(folder)!r}", where=shown)
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ApacoreError(f"cannot write: {exc.strerror or exc}", where=shown) from None
    try:
        with os.fdopen(fd, "wb") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        _keep_mode(target, temp)
        os.replace(temp, target)
    except BaseException as exc:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ApacoreError(f"cannot write: {exc.strerror or exc}", where=shown) from None
        raise
    return target


def check_target(
    path: Path | str, *, replace: bool = False, make_folder: bool = False, where: str | None = None
) -> Path:
    """Refuse, before any work is done, a target :func:`write_atomic` would refuse: a
    folder, an existing file without ``replace``, a missing folder (made, with
    ``make_folder``). The path, checked."""
    target = Path(path)
    shown = where if where is not None else str(target)
    if target.is_dir():
        raise ApacoreError("is a folder; give a file name", where=shown)
    if os.path.lexists(target) and not replace:
        raise ApacoreError("exists already; use --force to replace it", where=shown)
    if make_folder:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ApacoreError(
                f"cannot make the folder: {exc.strerror or exc}", where=shown
            ) from None
    if not target.parent.is_dir():
        raise ApacoreError(f"cannot write: no folder {str(target.parent)!r}", where=shown)
    return target


def _real_file(target: Path, shown: str) -> Path:
    """The regular file an existing ``target`` is (a link is followed, so the link stays
    and its file is replaced); a device, pipe or broken link is refused."""
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):  # a dangling or looping link
        raise ApacoreError("is a broken link; give a file name", where=shown) from None
    if not real.is_file():
        raise ApacoreError(
            "is not a regular file (a device or a pipe); apacore writes files only",
            where=shown,
        )
    return real


def _keep_mode(target: Path, temp: str) -> None:
    """The new file gets the old file's permissions, or the usual ones for a new file
    (mkstemp creates it readable by its owner only)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)
