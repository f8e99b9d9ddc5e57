"""A national run: N synthetic offices scored by ``apacore batch``, against tomllib.

    python benchmarks/national.py N [--workers W] [--keep DIR]

Writes N valid offices of 60 indicators (benchmarks/synthetic.py) into a temporary
folder (or DIR), then, in the same run:

* the reference: the time ``tomllib`` takes, in this one process, to read and parse the
  same 2 × N files;
* ``apacore batch TREE --format json -o OUT --quiet`` as a separate command: its wall
  time, offices per second, and its peak memory (the resident memory of the command and
  its worker processes summed, sampled every 50 ms; and the largest single process);
* the ratio of batch wall time per office to tomllib's time per office (issue 9 asks for
  ≤ 0.6 on a 2-core machine).

Prints figures; asserts only that every office was scored exactly once.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_offices


def _children(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(entry))
        except OSError:
            continue
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(parents.get(p, []))
    return found


def _rss(pid: int) -> int:
    """Resident memory of ``pid`` in bytes (0 if it has gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory(threading.Thread):
    """Samples the summed resident memory of a process tree until it ends."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, sum(_rss(p) for p in _children(self.pid)))
            self.done.wait(0.05)


def _tomllib_seconds(folders: list[Path]) -> float:
    start = time.perf_counter()
    for folder in folders:
        for name in ("agreement.toml", "report.toml"):
            tomllib.loads((folder / name).read_text(encoding="utf-8"))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many offices")
    parser.add_argument("--workers", help="passed to apacore batch (default: its own)")
    parser.add_argument("--keep", help="write the offices here and keep them")
    args = parser.parse_args()

    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="apacore-national-"))
    tree = root / "offices"
    try:
        start = time.perf_counter()
        if tree.is_dir() and len(list(tree.glob("*/*/agreement.toml"))) == args.n:
            folders = sorted(p.parent for p in tree.glob("*/*/agreement.toml"))
        else:
            shutil.rmtree(tree, ignore_errors=True)
            folders = write_offices(tree, args.n)
        size = sum(
            (f / n).stat().st_size for f in folders for n in ("agreement.toml", "report.toml")
        )
        print(
            f"{args.n} offices of 60 indicators ready in {time.perf_counter() - start:.1f} s"
            f" ({size / args.n / 1024:.1f} KiB of TOML per office); {os.cpu_count()} cores"
        )
        toml_s = _tomllib_seconds(folders)
        out = root / "batch.json"
        command = [
            sys.executable, "-m", "apacore", "batch", str(tree),
            "--format", "json", "-o", str(out), "--quiet",
        ]  # fmt: skip
        if args.workers:
            command += ["--workers", args.workers]
        start = time.perf_counter()
        process = subprocess.Popen(command)
        sampler = PeakMemory(process.pid)
        sampler.start()
        status = process.wait()
        wall = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        data = json.loads(out.read_text(encoding="utf-8"))
        scored = sorted(o["path"] for o in data["offices"])
        assert status == 0 and len(scored) == len(set(scored)) == args.n, (status, len(scored))
        assert not data["errors"], data["errors"][:3]

        per_office = wall / args.n
        toml_per_office = toml_s / args.n
        print(f"tomllib, one process: {toml_s:.2f} s ({toml_per_office * 1e3:.2f} ms per office)")
        print(
            f"apacore batch: {wall:.2f} s wall, {args.n / wall:.0f} offices/s"
            f" ({per_office * 1e3:.2f} ms per office)"
        )
        print(
            f"peak memory: {sampler.peak / 2**20:.0f} MiB summed over the command and its"
            f" workers (sampled); largest single process {largest / 2**20:.0f} MiB"
        )
        print(f"ratio: batch per office / tomllib per office = {per_office / toml_per_office:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
