"""apacore batch and apacore.batch: every office once, the same totals as apacore score,
broken offices listed with their one line, competition ranks, group summaries, output."""

from __future__ import annotations

import concurrent.futures as cf
import csv
import io
import json
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from apacore import batch, cache
from apacore.batch import OfficeError, OfficeRecord, find_offices, score_many, score_office
from apacore.batch import output as batch_output
from apacore.batch.rollup import competition_ranks, parse_grouping, rank_offices, summarize
from apacore.cli import main
from apacore.errors import ApacoreError
from apacore.plugins.host import using_plugin
from apacore.render.formats import display_width
from tests.synthetic_offices import synthetic_module, write_synthetic_offices

ROOT = Path(__file__).parent.parent
GOOD = 30
BROKEN = {
    "district-09/broken-toml": "agreement.toml: invalid TOML",
    "district-09/broken-reading": "report.toml:7: $.entries[0].q1 (1.1.1)",
    "district-10/unknown-year": "no ruleset for fiscal year '2031-32'",
}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own, empty on-disk cache: a result kept by another test is not read."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(cache.ENV_CACHE_DIR, str(folder))
    monkeypatch.delenv(cache.ENV_NO_CACHE, raising=False)
    return folder


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """28 synthetic offices, 2 copies of them (equal totals: a tie), 3 broken offices."""
    root = tmp_path_factory.mktemp("batch") / "country"
    folders = write_synthetic_offices(root, GOOD - 2, seed=9)
    for source, copy in ((folders[3], "district-04/twin"), (folders[5], "district-06/twin")):
        shutil.copytree(source, root / copy)
    for rel in BROKEN:
        shutil.copytree(folders[0], root / rel)
    _edit(root / "district-09/broken-toml/agreement.toml", "[office]", "[office")
    report = root / "district-09/broken-reading/report.toml"
    text = report.read_text("utf-8")
    first = text.index("q1 = ")
    report.write_text(text[:first] + 'q1 = "বারো কোটি"' + text[text.index("\n", first) :], "utf-8")
    agreement = root / "district-10/unknown-year/agreement.toml"
    _edit(agreement, 'fiscal_year = "2024-25"', 'fiscal_year = "2031-32"')
    return root


def test_lean_and_noted_synthetic_offices_score_alike(tmp_path: Path) -> None:
    """The benchmarks' two shapes differ in notes only: same records, lean files smaller."""
    cooperatives = pytest.importorskip(
        "apacore_cooperatives", reason="the example plugin apacore-cooperatives is not installed"
    )
    shapes = {}
    with using_plugin(cooperatives, name="cooperatives"):
        for notes in (False, True):
            root = tmp_path / str(notes)
            synthetic_module().write_offices(root, 2, seed=5, notes=notes)
            shapes[notes] = (root, list(score_many(find_offices(root), root=root, workers=1)))
    assert shapes[False][1] == shapes[True][1]
    assert all(isinstance(r, OfficeRecord) for r in shapes[False][1])
    lean, noted = (
        sum(f.stat().st_size for f in shapes[n][0].rglob("*.toml")) for n in (False, True)
    )
    assert lean < noted / 2


def _score_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    assert main(["score", str(folder), "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def _score_error(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["score", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("apacore: error: ") and err.count("\n") == 1
    return err.removeprefix("apacore: error: ").rstrip("\n")


def _batch(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["batch", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_every_office_once_with_the_totals_of_apacore_score(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    status, stdout, stderr = _batch([str(tree), "--format", "json", "-o", str(out)], capsys)
    assert status == 1
    assert stdout == ""
    data = json.loads(out.read_text("utf-8"))
    paths = [o["path"] for o in data["offices"]] + [e["path"] for e in data["errors"]]
    folders = [f.relative_to(tree).as_posix() for f in find_offices(tree)]
    assert len(folders) == GOOD + len(BROKEN)
    assert sorted(paths) == sorted(folders)  # every office, exactly once
    assert data["count"] == {
        "offices": GOOD,
        "ranked": GOOD,
        "not_ranked": 0,
        "errors": len(BROKEN),
    }
    for office in data["offices"]:
        score = _score_json(tree / office["path"], capsys)
        assert office["total"] == score["total"]
        assert office["name_bn"] and office["name_en"] == score["office"]
        assert office["ruleset"] == score["ruleset"]
        assert office["fiscal_year"] == score["fiscal_year"] == "2024-25"
        assert [(s["id"], s["converted_marks"]) for s in office["sections"]] == [
            (s["id"], s["converted_marks"]) for s in score["sections"]
        ]
    for error in data["errors"]:
        line = _score_error(tree / error["path"], capsys)
        assert error["error"] == line
        assert BROKEN[error["path"]] in line
        assert f"apacore: error: {line}\n" in stderr  # and on standard error, one line each
    assert f"{GOOD} offices scored, {len(BROKEN)} not" in stderr


def _expected_rank(total: Decimal, totals: list[Decimal]) -> int:
    return 1 + sum(1 for t in totals if t > total)


def test_competition_ranks_overall_and_in_groups(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, stdout, _ = _batch([str(tree), "--format", "json", "--group-by", "level:1"], capsys)
    assert status == 1
    offices = json.loads(stdout)["offices"]
    totals = [Decimal(o["total"]["marks"]) for o in offices]
    assert totals == sorted(totals, reverse=True)  # listed best first
    for office, total in zip(offices, totals):
        assert office["rank"] == _expected_rank(total, totals)
        group = [Decimal(o["total"]["marks"]) for o in offices if o["group"] == office["group"]]
        assert office["group"] == office["path"].split("/")[0]
        assert office["group_rank"] == _expected_rank(total, group)
    ranks = Counter(o["rank"] for o in offices)
    assert max(ranks.values()) >= 2  # the twins tie: they share a rank, and the next skips


def test_jsonl_csv_and_the_default_executor_agree(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, stdout, _ = _batch([str(tree), "--format", "jsonl", "--workers", "1"], capsys)
    lines = [json.loads(line) for line in stdout.splitlines()]
    _, stdout, _ = _batch([str(tree), "--format", "json"], capsys)
    data = json.loads(stdout)
    assert lines == data["offices"] + data["errors"]
    status, stdout, _ = _batch([str(tree), "--format", "csv"], capsys)
    assert status == 1
    assert stdout.startswith("\ufeffrank,group,group_rank,path,name_bn")
    rows = list(csv.DictReader(io.StringIO(stdout.removeprefix("\ufeff"))))
    assert len(rows) == GOOD + len(BROKEN)  # one row per office, the broken ones with error
    by_path = {r["path"]: r for r in rows}
    for office in data["offices"]:
        row = by_path[office["path"]]
        assert row["total_marks"] == office["total"]["marks"]
        assert row["rank"] == str(office["rank"]) and row["error"] == ""
        assert row["marks:egov"] == next(
            s["converted_marks"] for s in office["sections"] if s["id"] == "egov"
        )
    for error in data["errors"]:
        assert by_path[error["path"]]["error"] == error["error"]
        assert by_path[error["path"]]["total_marks"] == ""
    _, stdout, _ = _batch([str(tree), "--format", "csv", "--no-bom"], capsys)
    assert stdout.startswith("rank,")


def _grid_widths(text: str) -> list[set[int]]:
    """The display widths of the lines of each table (blocks under a dashed rule)."""
    blocks: list[set[int]] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("-") and set(line) <= {"-", " "} and i > 0:
            block = {display_width(lines[i - 1]), display_width(line)}
            j = i + 1
            while j < len(lines) and lines[j].strip():
                block.add(display_width(lines[j]))
                j += 1
            blocks.append(block)
    return blocks


def test_table_ranks_with_names_and_summaries_in_bengali(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, stdout, stderr = _batch(
        [str(tree), "--group-by", "level:1", "--lang", "bn", "--quiet"], capsys
    )
    assert status == 1 and stderr == ""
    assert "উপজেলা সমবায় কার্যালয় ১, খুলনা" in stdout
    assert "অবস্থান" in stdout and "মধ্যমা" in stdout and "সকল অফিস" in stdout
    assert "দল district-01 (ফোল্ডারের স্তর ১)" in stdout
    assert "মূল্যায়ন করা যায়নি: ৩" in stdout
    for path in BROKEN:
        assert f"  {path}: " in stdout
    summary = stdout.split("সারসংক্ষেপ\n")[1].splitlines()
    assert summary[2].startswith("district-01 ")  # a folder's name stays as it is
    figures = summary[2].removeprefix("district-01")
    assert figures.strip() and not any(c.isascii() and c.isdigit() for c in figures)
    widths = _grid_widths(stdout)
    assert len(widths) == 8 + 1  # a ranking per district with scored offices, the summary
    # aligned by display width: every line of a ranking as wide as its rule (the summary's
    # last column, the grades, is text and left-aligned)
    assert all(len(w) == 1 for w in widths[:-1]), widths


def test_table_in_english_without_groups(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, stdout, _ = _batch([str(tree), "--quiet"], capsys)
    assert status == 1
    assert "Upazila Cooperative Office 1 " in stdout
    assert "all offices" in stdout and "Median" in stdout
    assert "APA marks: 1, 2, 3 each office's own areas; integrity National Integrity" in stdout
    assert all(len(w) == 1 for w in _grid_widths(stdout)[:-1])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--workers", "0"],
            "--workers: a number of processes from 1 to 64 (apacore's limit; see"
            " docs/limits.md); got '0'",
        ),
        (["--workers", "65"], "--workers: a number of processes from 1 to 64"),
        (["--workers", "²"], "--workers: a number of processes from 1 to 64"),
        (["--group-by", "level:--1"], "--group-by: 'level:--1': a folder level is level:N"),
        (["--workers", "two"], "--workers: a number of processes"),
        (["--group-by", "district"], "--group-by: cannot group by 'district'"),
        (["--group-by", "level:0"], "--group-by: 'level:0': a folder level is level:N"),
        (["--as-of", "Q9"], "--as-of"),
        (["-o", "/nonexistent-folder/out.json"], "cannot write: no folder '/nonexistent-folder'"),
        (["-o", "/"], "/: is a folder; give a file name"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(
    tree: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    status, stdout, stderr = _batch([str(tree), *args], capsys)
    assert status == 2 and stdout == ""
    assert stderr.startswith("apacore: error: ") and stderr.count("\n") == 1, stderr
    assert expected in stderr


def test_a_tree_without_offices_or_missing_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, stderr = _batch([str(tmp_path)], capsys)
    assert status == 2 and "no folder below it holds an agreement.toml" in stderr
    status, _, stderr = _batch([str(tmp_path / "nowhere")], capsys)
    assert status == 2 and stderr == f"apacore: error: {tmp_path / 'nowhere'}: no such folder\n"


def test_output_is_written_whole_or_not_at_all(
    tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.json"
    out.write_text("the previous run\n", "utf-8")
    status, _, stderr = _batch([str(tree), "-o", str(out)], capsys)
    assert status == 2
    assert stderr == f"apacore: error: {out}: exists already; use --force to replace it\n"

    def failing(*args: Any, **kwargs: Any) -> Any:
        yield '{"offices": ['
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch_output, "batch_chunks", failing)
    status, _, stderr = _batch(
        [str(tree), "--format", "json", "-o", str(out), "--force", "--workers", "1"], capsys
    )
    assert status == 2
    *warnings, error = stderr.splitlines(keepends=True)
    assert error == f"apacore: error: {out}: cannot write: No space left on device\n"
    assert len(warnings) == 2 and all("both are ranked" in w for w in warnings)  # the twins
    assert out.read_text("utf-8") == "the previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file left
    monkeypatch.undo()
    status, _, _ = _batch([str(tree), "--format", "json", "-o", str(out), "--force"], capsys)
    assert status == 1
    assert json.loads(out.read_text("utf-8"))["count"]["offices"] == GOOD


def test_score_office_gives_a_record_or_its_error(tree: Path) -> None:
    record = score_office(tree / "district-04/twin", path="twin", keep_scorecard=True)
    assert isinstance(record, OfficeRecord)
    assert record.path == "twin" and record.scorecard is not None
    assert record.total["marks"] == batch_output.json.loads(json.dumps(record.total))["marks"]
    error = score_office(tree / "district-09/broken-toml")
    assert isinstance(error, OfficeError)
    assert error.path == str(tree / "district-09/broken-toml")
    assert error.traceback is None


def test_a_bug_while_scoring_one_office_does_not_stop_the_others(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = batch._scored

    def scored(folder: Path, as_of: Any, use_cache: bool, files: Any) -> Any:
        if folder.name == "twin":
            raise ZeroDivisionError("division by zero")
        return real(folder, as_of, use_cache, files)

    monkeypatch.setattr(batch, "_scored", scored)
    results = list(score_many(find_offices(tree), root=tree, workers=1))
    assert len(results) == GOOD + len(BROKEN)
    bugs = [r for r in results if isinstance(r, OfficeError) and r.traceback]
    assert [b.path for b in bugs] == ["district-04/twin", "district-06/twin"]
    assert bugs[0].error.startswith(  # named by its folder, as a mistake in its files is
        f"{tree / 'district-04/twin'}: internal error (a bug, please report it): ZeroDivisionError"
    )
    assert "Traceback" in (bugs[0].traceback or "")


def test_score_many_streams_in_order_with_any_executor(tree: Path) -> None:
    folders = find_offices(tree)
    alone = list(score_many(folders, root=tree, workers=1))
    assert [r.path for r in alone] == [f.relative_to(tree).as_posix() for f in folders]
    with cf.ThreadPoolExecutor(2) as pool:
        threaded = list(score_many(folders, root=tree, executor=pool, chunk_size=3))
    assert threaded == alone
    pooled = list(score_many(folders, root=tree, workers=2, chunk_size=4))
    assert pooled == alone
    with pytest.raises(ApacoreError, match="chunk_size: must be at least 1"):
        list(score_many(folders, chunk_size=0))


def test_score_many_on_a_dask_cluster_gives_the_same_records(tree: Path) -> None:
    pytest.importorskip(
        "dask", reason="the dask extra (pip install apacore[dask]) is not installed"
    )
    distributed = pytest.importorskip(
        "distributed", reason="the dask extra (pip install apacore[dask]) is not installed"
    )
    folders = find_offices(tree)
    expected = list(score_many(folders, root=tree))
    with (
        distributed.LocalCluster(
            processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = list(score_many(folders, root=tree, executor=client.get_executor()))
    assert on_dask == expected
    assert sum(isinstance(r, OfficeRecord) for r in on_dask) == GOOD


def test_competition_ranks_and_summaries() -> None:
    assert competition_ranks([Decimal(5), Decimal(7), Decimal(7), Decimal(3)]) == [3, 1, 1, 4]
    assert competition_ranks([]) == []

    def record(path: str, marks: str, grade: str | None) -> OfficeRecord:
        return OfficeRecord(
            path=path,
            name_bn="অফিস",
            name_en="",
            office_level="upazila",
            fiscal_year="2024-25",
            as_of={"quarter": 4, "date": "2025-06-30"},
            scope="complete",
            ruleset={"fiscal_year": "2024-25", "version": "1.0.0", "sha256": "0" * 64},
            total={"marks": marks, "progress_marks": marks, "max": "100.00", "grade": grade},
            grade_bn=None,
            sections=(),
        )

    records = [
        record("a/x", "20.00", "poor"),
        record("b/y", "35.00", "poor"),
        record("a/z", "10.00", "poor"),
        record("b/w", "20.00", "poor"),
        record("c", "90.01", "excellent"),
    ]
    summary = summarize(sorted(records, key=lambda r: -Decimal(r.total["marks"])))
    assert summary.to_dict() == {
        "group": None,
        "count": 5,
        "mean": "35.00",  # 175.01 / 5 = 35.002, rounded once
        "median": "20.00",
        "min": "10.00",
        "max": "90.01",
        "grades": [
            {"grade": "excellent", "grade_bn": None, "count": 1},
            {"grade": "poor", "grade_bn": None, "count": 4},
        ],
    }
    ranking = rank_offices(records, parse_grouping("level:1"))
    assert [(o.record.path, o.rank, o.group, o.group_rank) for o in ranking.offices] == [
        ("c", 1, "c", 1),
        ("b/y", 2, "b", 1),
        ("a/x", 3, "a", 1),
        ("b/w", 3, "b", 2),
        ("a/z", 5, "a", 2),
    ]
    assert [(g.group, g.count, str(g.median)) for g in ranking.groups] == [
        ("a", 2, "15.00"),
        ("b", 2, "27.50"),
        ("c", 1, "90.01"),
    ]
    assert parse_grouping("level:-1").key(record("d/u/o", "1", None)) == "u"
    assert parse_grouping("level:2").key(record("d", "1", None)) is None
    assert parse_grouping("level:1").key(record(".", "1", None)) is None
    assert parse_grouping("office_level").key(records[0]) == "upazila"
    assert parse_grouping("grade").key(records[0]) == "poor"
    with pytest.raises(ApacoreError, match="office_level for the office's level"):
        parse_grouping("level")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_only(
    tree: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["batch", str(tree), "--format", "json", "--workers", "1"]) == 1
    assert f"/{GOOD + len(BROKEN)} [" in terminal.getvalue()  # the bar: offices done / all
    quiet = _Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    assert main(["batch", str(tree), "--format", "json", "--workers", "1", "--quiet"]) == 1
    assert quiet.getvalue() == ""
    capsys.readouterr()


def test_unknown_grouping_reads_as_a_sentence() -> None:
    """The message for a grouping that is neither level:N nor a field says why and what to
    give instead (it read "give an agreement names no district: if the folders do, …")."""
    from apacore.batch.rollup import parse_grouping
    from apacore.errors import ApacoreError

    with pytest.raises(ApacoreError) as caught:
        parse_grouping("district")
    assert caught.value.why.startswith(
        "cannot group by 'district': an agreement has no field 'district'; if the folders"
        " name it, give level:N, the N-th folder level below the root"
    )


@pytest.mark.parametrize(
    "example",
    sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "agreement.toml").is_file()),
)
def test_a_record_carries_the_figures_of_the_json_contract(example: str) -> None:
    # the record rounds only what it keeps: each figure as scorecard_to_dict writes it
    from apacore import score_path
    from apacore.render.formats import scorecard_to_dict

    folder = ROOT / "examples" / example
    record = score_office(folder)
    assert isinstance(record, OfficeRecord), record
    score = scorecard_to_dict(score_path(folder))
    for name in ("office_level", "fiscal_year", "as_of", "scope", "ruleset", "total", "grade_bn"):
        assert getattr(record, name) == score[name], name
    kept = ("kind", "id", "name_bn", "name_en", "marks", "max", "converted_marks", "converted_max")
    assert [s.to_dict() for s in record.sections] == [
        {key: s[key] for key in kept} for s in score["sections"]
    ]


_SLOW_PLUGIN = """
import os, pathlib, time
from apacore import hookimpl

@hookimpl
def validate_agreement(agreement, ruleset):
    pathlib.Path(os.environ["PIDS"], str(os.getpid())).touch()
    time.sleep(0.2)
    return []
"""

_RUN_WITH_PLUGIN = """
import importlib.util, sys
from apacore.cli import main
from apacore.plugins import host
spec = importlib.util.spec_from_file_location("slow_plugin", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
host.register_plugin(module, name="slow")
sys.exit(main(sys.argv[2:]))
"""


def test_ctrl_c_is_one_line_exit_130_with_the_workers_ended_and_no_file(tmp_path: Path) -> None:
    """As a terminal sends it, to the whole process group: no traceback from the parent
    or its workers, no worker left running, no -o file, whole or partial."""
    import os
    import signal
    import subprocess
    import sys
    import time

    base = ROOT / "tests" / "catalogue" / "_base"
    for i in range(40):
        shutil.copytree(base, tmp_path / "tree" / f"office-{i:02d}")
    pids = tmp_path / "pids"
    pids.mkdir()
    (tmp_path / "plugin.py").write_text(_SLOW_PLUGIN, "utf-8")
    (tmp_path / "run.py").write_text(_RUN_WITH_PLUGIN, "utf-8")
    out = tmp_path / "out.json"
    args = ["batch", str(tmp_path / "tree"), "--workers", "2", "-o", str(out), "--quiet"]
    process = subprocess.Popen(
        [sys.executable, str(tmp_path / "run.py"), str(tmp_path / "plugin.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PIDS": str(pids), "APACORE_NO_CACHE": "1"},
        start_new_session=True,
    )
    for _ in range(600):  # until the workers score (at most a minute on a busy machine)
        if len(list(pids.iterdir())) >= 2 or process.poll() is not None:
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert (process.returncode, stderr.decode(), stdout) == (
        130,
        "apacore: error: interrupted\n",
        b"",
    )
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    workers = {int(p.name) for p in pids.iterdir()}
    assert workers and process.pid not in workers
    for _ in range(100):  # ended by the parent: gone once reaped
        alive = []
        for pid in workers:
            try:
                os.kill(pid, 0)
                alive.append(pid)
            except ProcessLookupError:
                pass
        if not alive:
            break
        time.sleep(0.1)
    assert not alive, f"workers left running: {alive}"


def test_sys_exit_outside_any_plugin_is_the_office_s_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exits(folder: Path, as_of: Any, use_cache: bool, files: Any) -> Any:
        raise SystemExit(3)

    monkeypatch.setattr(batch, "_scored", exits)
    result = score_office(tmp_path, path="office")
    assert result == OfficeError(
        path="office",
        error=f"{tmp_path}: ended by sys.exit(3) (a plugin must raise an error, not end the process)",
    )


def test_shutting_a_pool_ends_a_worker_that_is_busy() -> None:
    """After Ctrl-C or a dead worker a batch shuts its pool at once: a worker in the middle
    of a long office is ended (SIGTERM), not left to finish (Python before 3.14 forgets the
    workers in ``shutdown()``, so they are taken first)."""
    import signal
    import time

    from apacore.batch import _own_pool, _shut

    pool = _own_pool(1, set_up=False)
    busy = pool.submit(time.sleep, 120)
    deadline = time.monotonic() + 60
    while not busy.running() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the worker has taken the task
    processes = list(pool._processes.values())  # type: ignore[union-attr]
    _shut(pool)
    for process in processes:
        process.join(60)  # far less than the 120 s the task would take
    assert processes and [p.exitcode for p in processes] == [-signal.SIGTERM] * len(processes)


def test_a_section_writes_every_field_as_attrs_would() -> None:
    """SectionMarks.to_dict is written out for speed: it must stay attrs.asdict."""
    import attrs

    from apacore.batch import SectionMarks

    values = {a.name: f"v{i}" for i, a in enumerate(attrs.fields(SectionMarks))}
    section = SectionMarks(**values)
    assert section.to_dict() == attrs.asdict(section)
    assert list(section.to_dict()) == [a.name for a in attrs.fields(SectionMarks)]
