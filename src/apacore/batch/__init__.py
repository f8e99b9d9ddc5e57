"""Scoring many offices: one summary record per office, mapped over an executor.

An office is a folder holding ``agreement.toml`` (and ``report.toml``), as
``apacore score`` reads it. :func:`score_office` turns one office into an
:class:`OfficeRecord` (its names, total, sections' marks and ruleset) or an
:class:`OfficeError` (the one line ``apacore score`` would print); it never raises for a
mistake in the office's files. :func:`score_many` maps it over many offices with any
:class:`concurrent.futures.Executor` (a process pool by default; a Dask
``distributed.Client.get_executor()`` works too) and yields the results in the order the
offices were given, holding only a bounded window of them: records are summaries, so
memory stays flat however many offices there are (full scorecards only when asked).

Results are kept across runs (:mod:`apacore.batch.cache`, keyed by the offices' bytes and
everything else that decides them): each worker looks up the offices of its chunk and
scores only those it finds no result for (so that a warm re-run, all reading and
hashing, uses every core, and this process only orders and writes the results); checked
agreements are kept too, so that an office whose report changed reads only its report.

Ranking and group summaries are :mod:`apacore.batch.rollup`; writing them out
:mod:`apacore.batch.output`.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import os
import traceback
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from apacore.errors import ApacoreError, error_line, printable
from apacore.values import frozen

if TYPE_CHECKING:  # imported where used: a worker's import stays light
    from apacore.batch.cache import OfficeKey, OfficeRead
    from apacore.engine.results import SectionResult
    from apacore.engine.scorecard import Scorecard
    from apacore.loading.office_cache import FilesRead
    from apacore.models import Agreement
    from apacore.office import ScoredOffice

__all__ = [
    "AGREEMENT_FILE",
    "DEFAULT_CHUNK_SIZE",
    "MAX_WORKERS",
    "FoundTree",
    "OfficeError",
    "OfficeRecord",
    "OfficeResult",
    "SectionMarks",
    "check_as_of",
    "chunk_size_for",
    "copied_office_warnings",
    "default_workers",
    "find_offices",
    "find_tree",
    "identical_offices",
    "office_record",
    "parse_workers",
    "score_many",
    "score_office",
    "unreadable_folder",
]

AGREEMENT_FILE = "agreement.toml"
"""A folder holding this file is an office."""

MAX_WORKERS: Final = 64
"""At most this many worker processes (``--workers``): each holds its own copy of the
plugins and rulesets (~60 MB), and more than the machine's cores only queue for them."""

DEFAULT_CHUNK_SIZE = 16
"""Offices per task: large enough that a task's overhead (pickling, a round trip to the
worker) is small against ~16 scorings, small enough to balance the workers' load."""


@frozen(kw_only=True)
class SectionMarks:
    """One area or annex of an office: its marks, rounded once as ``apacore score`` shows them."""

    kind: str
    """``area`` or ``annex``."""
    id: str
    """The area id or the annex kind."""
    name_bn: str
    name_en: str
    marks: str | None
    """Marks in the section's own terms (an annex: of its own total)."""
    max: str | None
    converted_marks: str | None
    """Marks in the APA (what counts toward the total)."""
    converted_max: str | None

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the JSON contract (what ``attrs.asdict`` gives, without its walk
        of the fields for each of a batch's ~10 sections an office)."""
        return dict(zip(_SECTION_NAMES, _SECTION_FIELDS(self)))


_SECTION_NAMES = tuple(a.name for a in attrs.fields(SectionMarks))
_SECTION_FIELDS = attrgetter(*_SECTION_NAMES)
"""A section's fields as a tuple: its JSON, and its equality where records share values
(without a Python ``__eq__`` per lookup)."""


@frozen(kw_only=True)
class OfficeRecord:
    """An office's result in a batch: a summary of its scorecard, not the scorecard."""

    path: str
    """The office's folder, relative to the batch's root (``.`` for the root itself)."""
    name_bn: str
    """The office's Bengali name, as on the agreement."""
    name_en: str
    """Its English name (may be empty)."""
    office_level: str
    fiscal_year: str
    as_of: dict[str, Any]
    """``{"quarter": 2, "date": "2024-12-31"}``."""
    scope: str
    ruleset: dict[str, str]
    """Fiscal year, version and sha256 of the ruleset used."""
    total: dict[str, Any]
    """The same object as ``total`` in ``apacore score --format json``."""
    grade_bn: str | None
    """The grade's Bengali name."""
    sections: tuple[SectionMarks, ...]
    has_report: bool = True
    """Whether the office has a ``report.toml``."""
    reported: bool = True
    """Whether its report gives a figure for any indicator (scored or substituted)."""
    notices: tuple[str, ...] = attrs.field(default=(), eq=False)
    """The warnings ``apacore score`` gives for it (:meth:`ScoredOffice.notices`), English
    (not compared: they name the office's files as it was given)."""
    notices_bn: tuple[str, ...] = attrs.field(default=(), eq=False)
    """The same warnings in Bengali."""
    scorecard: Any = attrs.field(default=None, eq=False, repr=False)
    """The whole :class:`~apacore.engine.scorecard.Scorecard`, kept only when asked for."""
    evaluation: dict[str, Any] | None = None
    """The superior office's evaluation, as ``evaluation`` in ``apacore score --format json``
    (evaluator, evaluated_on, quarter, total, changed), with its grade's Bengali name and
    each section's evaluated APA marks (``sections``, by id); None without one."""

    @property
    def ranked_on(self) -> str:
        """``evaluated`` where the office has an evaluation, else ``self_assessed``."""
        return "self_assessed" if self.evaluation is None else "evaluated"

    def ranked_total(self) -> dict[str, Any]:
        """The total a batch ranks on: the evaluated one where there is one."""
        total: dict[str, Any] = self.total if self.evaluation is None else self.evaluation["total"]
        return total

    @property
    def ranked_grade_bn(self) -> str | None:
        """The Bengali name of the ranked total's grade."""
        if self.evaluation is None:
            return self.grade_bn
        grade: str | None = self.evaluation["grade_bn"]
        return grade

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the JSON contract (without the scorecard)."""
        return {
            "path": self.path,
            "name_bn": self.name_bn,
            "name_en": self.name_en,
            "office_level": self.office_level,
            "fiscal_year": self.fiscal_year,
            "as_of": self.as_of,
            "scope": self.scope,
            "ruleset": self.ruleset,
            "total": self.total,
            "grade_bn": self.grade_bn,
            "sections": [s.to_dict() for s in self.sections],
            "evaluation": self.evaluation,
            "ranked_on": self.ranked_on,
            "has_report": self.has_report,
            "reported": self.reported,
            "notices": list(self.notices),
            "notices_bn": list(self.notices_bn),
        }


@frozen(kw_only=True)
class OfficeError:
    """An office that could not be scored."""

    path: str
    """The office's folder, relative to the batch's root."""
    error: str
    """The one line ``apacore score`` prints for it (after ``apacore: error:``)."""
    traceback: str | None = attrs.field(default=None, eq=False, repr=False)
    """For a bug in apacore or a plugin (not a mistake in the files): the traceback."""
    from_files: bool = attrs.field(default=True, eq=False, repr=False)
    """Whether the error follows from the office's files alone (a mistake in them), so
    that a batch keeps it across runs; not a bug, a plugin that exited, a worker that
    died."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the JSON contract."""
        return {"path": self.path, "error": self.error}


OfficeResult = OfficeRecord | OfficeError
"""What scoring one office gives."""


def find_offices(
    tree: str | os.PathLike[str],
    *,
    unreadable: Callable[[Path, OSError], None] | None = None,
) -> list[Path]:
    """Every folder at or below ``tree`` that holds an ``agreement.toml``, in a stable order.

    Hidden folders (``.git``) are skipped. Symbolic links to folders are followed, each
    real folder walked once (a link back up the tree, or a second way to the same folder,
    is not walked again); a tree of any depth is walked (without recursion). A folder
    that cannot be listed is passed to ``unreadable`` with its error (by default it is an
    :class:`ApacoreError`): its offices are never dropped without a word. ``tree`` that
    is not a folder is an error. :func:`find_tree` also names what was skipped.
    """
    return find_tree(tree, unreadable=unreadable).offices


@frozen(kw_only=True)
class FoundTree:
    """What a walk of a batch's tree found: the offices, and every folder it skipped with
    the reason (nothing is skipped without a word)."""

    offices: list[Path]
    skipped: tuple[tuple[str, str], ...] = ()
    """(folder relative to the tree, why): a folder walked already by another way (a link
    loop, a second link to one folder), a folder with a report.toml but no agreement.toml,
    an agreement file whose name is not ``agreement.toml`` (``agreement.TOML``)."""


def find_tree(
    tree: str | os.PathLike[str],
    *,
    unreadable: Callable[[Path, OSError], None] | None = None,
) -> FoundTree:
    """:func:`find_offices` with what it skipped and why."""
    root = Path(tree)
    if not root.is_dir():
        why = "is not a folder" if root.exists() else "no such folder"
        raise ApacoreError(why, where=str(tree))

    def rel(folder: str) -> str:
        path = os.path.relpath(folder, root)
        return "." if path == "." else Path(path).as_posix()

    found: list[Path] = []
    skipped: list[tuple[str, str]] = []
    seen: dict[tuple[int, int] | str, str] = {}  # each folder walked, by its identity
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        real = _identity(folder)
        if real in seen:  # a link loop, or a second way to one folder: walked once
            skipped.append((rel(folder), f"the same folder as {rel(seen[real])}, already walked"))
            continue
        seen[real] = folder  # named relative to the tree only if it is met again
        try:
            with os.scandir(folder) as entries:
                subfolders, holds_agreement, other_name, report = [], False, "", False
                for entry in entries:
                    if entry.is_dir():  # follows a link to a folder
                        if not entry.name.startswith("."):
                            subfolders.append(entry.name)
                    elif entry.name == AGREEMENT_FILE:
                        holds_agreement = True
                    elif entry.name.lower() == AGREEMENT_FILE:
                        other_name = entry.name
                    elif entry.name == "report.toml":
                        report = True
        except OSError as exc:
            if unreadable is None:
                raise ApacoreError(
                    f"cannot read the folder: {exc.strerror or exc}", where=folder
                ) from None
            unreadable(Path(folder), exc)
            continue
        if holds_agreement:
            found.append(Path(folder))
        elif other_name:
            skipped.append((rel(folder), f"holds {other_name}, not {AGREEMENT_FILE}"))
        elif report:
            skipped.append((rel(folder), f"holds report.toml but no {AGREEMENT_FILE}"))
        stack.extend(os.path.join(folder, d) for d in sorted(subfolders, reverse=True))
    return FoundTree(offices=found, skipped=tuple(skipped))


def _identity(folder: str) -> tuple[int, int] | str:
    """What tells one folder from another however it is reached: its device and inode (a
    link's target's), one system call where its real path takes one for each part of the
    path; the real path when it cannot be stat'ed (reading it then says why)."""
    try:
        stat = os.stat(folder)
    except OSError:
        return os.path.realpath(folder)
    return stat.st_dev, stat.st_ino


def identical_offices(records: Iterable[OfficeRecord]) -> dict[str, str]:
    """The records that are an office already met (the same names, level and fiscal
    year in another folder: a copied folder), each path → the path of the first, so that
    a batch can say so."""
    first: dict[tuple[str, str, str, str], str] = {}
    again = {}
    for record in records:
        key = (record.name_bn, record.name_en, record.office_level, record.fiscal_year)
        if key in first:
            again[record.path] = first[key]
        else:
            first[key] = record.path
    return again


def office_record(
    agreement: Agreement,
    card: Scorecard,
    *,
    path: str,
    keep_scorecard: bool = False,
    has_report: bool = True,
    notices: Sequence[str] = (),
    notices_bn: Sequence[str] = (),
) -> OfficeRecord:
    """The record of one office from its loaded agreement and its scorecard: a pure function.

    The total and the sections' marks are written as in the scorecard's JSON contract
    (:func:`apacore.render.formats.scorecard_to_dict`: exact figures rounded once to the
    ruleset's places), so a batch and ``apacore score`` agree; only the figures a record
    keeps are rounded (a batch does this 20,000 times).
    """
    from apacore.formatting import format_number

    def figure(result: Scorecard | SectionResult, name: str) -> str | None:
        value = result.exact(name)
        if value is None:
            return None
        return format_number(value, places=card.places, mode=card.rounding)

    return OfficeRecord(
        path=path,
        name_bn=agreement.office.name_bn,
        name_en=agreement.office.name_en,
        office_level=card.office_level,
        fiscal_year=card.fiscal_year,
        as_of={"quarter": card.as_of_quarter, "date": card.as_of.isoformat()},
        scope=card.scope,
        ruleset=dict(card.ruleset),
        total={
            "marks": figure(card, "total_marks"),
            "progress_marks": figure(card, "total_progress_marks"),
            "max": figure(card, "total_max"),
            "grade": card.grade,
        },
        grade_bn=card.grade_bn,
        sections=tuple(
            SectionMarks(
                kind=s.kind,
                id=s.key,
                name_bn=s.name_bn,
                name_en=s.name_en,
                marks=figure(s, "marks"),
                max=figure(s, "max"),
                converted_marks=figure(s, "converted_marks"),
                converted_max=figure(s, "converted_max"),
            )
            for s in card.sections
        ),
        has_report=has_report,
        reported=has_report
        and any(r.status in ("scored", "substituted") for r in card.indicators()),
        notices=tuple(notices),
        notices_bn=tuple(notices_bn),
        scorecard=card if keep_scorecard else None,
        evaluation=_evaluation(card, figure),
    )


def scored_record(scored: ScoredOffice, *, path: str, keep_scorecard: bool = False) -> OfficeRecord:
    """:func:`office_record` of an office scored by :func:`apacore.office.score_office`,
    with whether it has a report and the warnings ``apacore score`` gives for it."""
    return office_record(
        scored.office.agreement,
        scored.scorecard,
        path=path,
        keep_scorecard=keep_scorecard,
        has_report=scored.office.report is not None,
        notices=scored.notices("en"),
        notices_bn=scored.notices("bn"),
    )


def _evaluation(
    card: Scorecard, figure: Callable[[Scorecard | SectionResult, str], str | None]
) -> dict[str, Any] | None:
    """The record's ``evaluation``: the figures ``apacore score``'s JSON gives it."""
    from apacore.evaluation.result import evaluation_of

    ev = evaluation_of(card)
    if ev is None:
        return None
    evaluated = ev.card
    return {
        "evaluator": ev.evaluation.evaluator,
        "evaluated_on": ev.evaluation.evaluated_on.isoformat(),
        "quarter": ev.evaluation.quarter,
        "total": {
            "marks": figure(evaluated, "total_marks"),
            "progress_marks": figure(evaluated, "total_progress_marks"),
            "max": figure(evaluated, "total_max"),
            "grade": evaluated.grade,
        },
        "changed": ev.changed,
        "grade_bn": evaluated.grade_bn,
        "sections": {s.key: figure(s, "converted_marks") for s in evaluated.sections},
    }


def _scored(
    folder: Path, as_of: int | dt.date | None, use_cache: bool, files: FilesRead | None
) -> ScoredOffice:
    """The one place the engine is called: load and check the office's files and score
    them. ``use_cache``: checked agreements are taken from and kept in the on-disk cache;
    whole offices are not (:mod:`apacore.batch.cache` keeps their results). ``files``: the
    agreement and report as read to look the office up, parsed instead of read again."""
    from apacore.loading.agreements import load_office
    from apacore.office import score_office

    office = load_office(folder, use_cache=use_cache, whole_office=False, files=files)
    return score_office(office, as_of=as_of)


def score_office(
    folder: str | os.PathLike[str],
    *,
    path: str | None = None,
    as_of: int | dt.date | None = None,
    keep_scorecard: bool = False,
    use_cache: bool = False,
    files: FilesRead | None = None,
) -> OfficeResult:
    """Score the office in ``folder``: its record, or its error (never raised).

    ``path`` is what the result calls the office (default: ``folder`` as given). A mistake
    in the office's files gives the one line ``apacore score`` prints; anything else that
    goes wrong (a bug in apacore or a plugin) is an error too, with its traceback kept, so
    that one office never stops a batch. ``use_cache``: its checked agreement is taken
    from or kept in the on-disk cache (as :func:`score_many` does). ``files``: its
    agreement and report as already read (:func:`apacore.batch.cache.read_office`), which
    are scored instead of the files as they are now.
    """
    name = printable(str(folder) if path is None else path)
    try:
        return scored_record(
            _scored(Path(folder), as_of, use_cache, files),
            path=name,
            keep_scorecard=keep_scorecard,
        )
    except ApacoreError as exc:
        return OfficeError(path=name, error=_naming_office(error_line(exc), folder))
    except Exception as exc:
        return OfficeError(
            path=name,
            error=_naming_office(
                f"internal error (a bug, please report it): {type(exc).__name__}: {exc}", folder
            ),
            traceback=traceback.format_exc(),
        )
    except SystemExit as exc:  # sys.exit in a plugin: this office's error, not the batch's end
        from apacore.plugins.exits import exit_message

        return OfficeError(
            path=name, error=_naming_office(exit_message(exc), folder), from_files=False
        )


def _naming_office(message: str, folder: str | os.PathLike[str]) -> str:
    """``message`` led by the office's folder unless it names a file in it already (a
    plugin's error names the plugin, not the office it failed on)."""
    shown = printable(str(folder))
    if message.startswith((f"{shown}/", f"{shown}{os.sep}", f"{shown}:")):
        return message
    return f"{shown}: {message}"


# --------------------------------------------------------------------------- workers

_prepared = False


def prepare_worker() -> None:
    """Set a worker process up once: the modules that read and score an office, the
    plugins, their registry and every ruleset they offer, so that its first office costs
    no more than the others. A process pool's initializer; :func:`score_many` also calls
    it before the first office a process scores (in an executor it did not make, a Dask
    cluster's workers, too), and before it forks its own pool's workers when the first
    office needs scoring, so that they start set up (a re-run that only reads results
    back imports none of it). A broken plugin or ruleset is not raised here: the offices
    that need it report it as their error."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    import apacore.loading.convert
    import apacore.loading.validation
    import apacore.office  # noqa: F401 - imported for the workers
    from apacore.loading.rulesets import available_rulesets, load_ruleset
    from apacore.plugins.host import get_registry

    try:
        get_registry()
        for fiscal_year in available_rulesets():
            load_ruleset(fiscal_year)
    except ApacoreError:
        pass


def _start_worker() -> None:
    """The initializer of a process pool :func:`score_many` makes (its processes are
    ours alone): :func:`prepare_worker`, then the cycle collector told that what is set
    up stays (``gc.freeze``) and run less often. An office allocates ~100,000 objects that
    reference counting frees when it is scored; the collector scanning them every 700
    allocations cost ~4% of a worker's time and found nothing."""
    import gc
    import signal

    # Ctrl-C reaches every process of the terminal's group: the parent says so once and
    # ends the workers; a worker that also raised would print a traceback of its own
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _score_chunk(
    chunk: Sequence[tuple[str, str]],
    as_of: int | dt.date | None,
    keep_scorecards: bool,
    use_cache: bool = False,
) -> list[OfficeResult | bytes]:
    """A worker's task: the results of ``(folder, path)`` one after another. ``use_cache``:
    an office whose result is kept in :mod:`apacore.batch.cache` (not with
    ``keep_scorecards``) gives it still pickled (bytes, for :func:`_read_back` in the
    process that orders the results: unpickled once, where it is used); the others are
    scored from the bytes their key was worked out from (each file is read once), and
    their results kept under it, with each checked agreement (committed together, when
    the chunk is done: :class:`apacore.cache.together`)."""
    from apacore import cache
    from apacore.batch import cache as batch_cache

    env = batch_cache.environment() if use_cache and not keep_scorecards else None
    out: list[OfficeResult | bytes] = []
    with cache.together(env is not None):  # the chunk's entries, committed at its end
        for folder, path in chunk:
            read = batch_cache.read_office(folder, env, as_of)
            kept = batch_cache.fetch_pickled(None if read is None else read.key)
            if kept is not None:
                out.append(kept)
                continue
            out.append(_score_and_keep(folder, path, read, as_of, keep_scorecards, use_cache))
    return out


def _score_and_keep(
    folder: str,
    path: str,
    read: OfficeRead | None,
    as_of: int | dt.date | None,
    keep_scorecards: bool,
    use_cache: bool,
) -> OfficeResult:
    """Score one office (from its files as ``read``, if they were); keep its result under
    their key (:mod:`apacore.batch.cache`)."""
    from apacore.batch import cache as batch_cache

    prepare_worker()  # once a process: the first office it scores
    result = score_office(
        folder,
        path=path,
        as_of=as_of,
        keep_scorecard=keep_scorecards,
        use_cache=use_cache,
        files=None if read is None else read.files,
    )
    if _keepable(result):
        batch_cache.store(read, attrs.evolve(result, path=""), folder=folder)
    return result


def _read_back(
    result: OfficeResult | bytes,
    folder: str,
    path: str,
    as_of: int | dt.date | None,
    use_cache: bool,
) -> OfficeResult:
    """A worker's result: one kept (still pickled) unpickled and named ``path``; one that
    cannot be (an entry that passed its checksum but not the unpickler or the type
    check: kept by another apacore) is scored here and kept again."""
    if not isinstance(result, bytes):
        return result
    from apacore.batch import cache as batch_cache

    known = _named_result(batch_cache.unpickled(result), path)
    if known is not None:
        return known
    env = batch_cache.environment() if use_cache else None
    read = batch_cache.read_office(folder, env, as_of)
    return _score_and_keep(folder, path, read, as_of, False, use_cache)


def _keepable(result: OfficeResult) -> bool:
    """A result kept across runs: a record without its scorecard, or the error of a
    mistake in the office's files (never a bug's, a plugin's exit, a dead worker's)."""
    if isinstance(result, OfficeError):
        return result.traceback is None and result.from_files
    return result.scorecard is None


def _kept(key: OfficeKey | None, path: str) -> OfficeResult | None:
    """The result kept under ``key`` (:mod:`apacore.batch.cache`), named ``path``."""
    from apacore.batch import cache as batch_cache

    return _named_result(batch_cache.fetch(key), path)


def _named_result(hit: object, path: str) -> OfficeResult | None:
    """``hit`` named ``path``, if it is a result that is kept across runs."""
    if isinstance(hit, (OfficeRecord, OfficeError)) and _keepable(hit):
        return attrs.evolve(hit, path=path)
    return None


def _named(
    offices: Iterable[str | os.PathLike[str]], root: Path | None
) -> Iterator[tuple[str, str]]:
    """``(folder, path)``: each office's folder and what the results call it."""
    for office in offices:
        folder = Path(office)
        try:
            path = str(office) if root is None else folder.relative_to(root).as_posix()
        except ValueError:  # not below root: named as given
            path = str(office)
        yield str(folder), path


def score_many(
    offices: Iterable[str | os.PathLike[str]],
    *,
    root: str | os.PathLike[str] | None = None,
    as_of: int | dt.date | None = None,
    executor: cf.Executor | None = None,
    workers: int | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    keep_scorecards: bool = False,
) -> Generator[OfficeResult, None, None]:
    """Score every office folder of ``offices``; yield one result per office, in order.

    ``root``: records name offices by their folder relative to it (default: as given).
    Each office's result is first looked for in the on-disk cache
    (:mod:`apacore.batch.cache`; not with ``keep_scorecards``), here; the others are
    scored by ``executor``, any :class:`concurrent.futures.Executor`, or by default a
    process pool of ``workers`` processes (default: the machine's cores; at most
    :data:`MAX_WORKERS`), each set up once, started only if an office needs scoring, and
    shut down here (ended at once on an interrupt). If one of its workers dies, the
    offices in flight are scored again one at a time: the office whose scoring kills its
    process is an :class:`OfficeError`, the others are scored. With ``workers=1`` and no
    executor, offices are scored in this process. Offices go out in chunks of
    ``chunk_size``, at most two chunks per worker at a time, and results wait in order
    for at most a bounded number of offices, so memory stays flat however many offices
    there are. ``keep_scorecards`` keeps each office's whole scorecard in its record
    (memory then grows with the offices).
    """
    if chunk_size < 1:
        raise ApacoreError(f"must be at least 1, got {chunk_size}", argument="chunk_size")
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ApacoreError(
            f"must be 1 to {MAX_WORKERS} (apacore's limit; see docs/limits.md), got {workers}",
            argument="workers",
        )
    from apacore.batch import cache as batch_cache

    named = _named(offices, None if root is None else Path(root))
    # worked out here once (a forked worker inherits it): whether results are kept
    use_cache = not keep_scorecards and batch_cache.environment() is not None
    count = workers or default_workers()

    own: list[cf.ProcessPoolExecutor] = []  # our pool, once there is an office

    def submit(chunk: _Chunk) -> cf.Future[list[_Result]]:
        if executor is None and workers == 1:  # here, now
            done: cf.Future[list[_Result]] = cf.Future()
            done.set_result(_score_chunk(chunk, as_of, keep_scorecards, use_cache))
            return done
        if executor is not None:
            return executor.submit(_score_chunk, chunk, as_of, keep_scorecards, use_cache)
        if not own:  # the first chunk starts the pool
            own.append(_own_pool(count, set_up=not _all_kept(chunk[:1], as_of, use_cache)))
        return own[0].submit(_score_chunk, chunk, as_of, keep_scorecards, use_cache)

    def recover(chunks: list[_Chunk]) -> list[list[_Result]]:
        """A worker of our pool died: the pool goes, the chunks in flight are scored one
        office at a time, and the next chunk starts a new pool."""
        import multiprocessing

        _shut(own.pop())
        results = list(
            _one_by_one(chunks, multiprocessing.get_context(), as_of, keep_scorecards, use_cache)
        )
        out, start = [], 0
        for chunk in chunks:
            out.append(results[start : start + len(chunk)])
            start += len(chunk)
        return out

    shared = _Shared()
    try:
        results = _in_order(
            named, submit, chunk_size, 2 * count, recover if executor is None else None
        )
        for (folder, path), result in results:
            yield shared.record(_read_back(result, folder, path, as_of, use_cache))
    finally:  # the end, Ctrl-C, a consumer that stopped: no worker left behind
        if own:
            _shut(own.pop())
    if use_cache:  # a whole run: entries unused for long go
        batch_cache.prune()


class _Shared:
    """One object for each value that repeats across a batch's records (a section's names
    and figures, the ruleset, the quarter): every record comes unpickled, from a worker or
    the cache, with copies of its own, and a caller that ranks 100,000 offices holds them
    all (about 5 KiB a record with copies, about 1.5 KiB shared)."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}

    def _one(self, value: Any) -> Any:
        return self._seen.setdefault(value, value)

    def _dict(self, value: dict[str, Any]) -> dict[str, Any]:
        items = tuple(value.items())
        try:
            shared: dict[str, Any] = self._seen.setdefault(("dict", items), value)
        except TypeError:  # a value that cannot be hashed: kept as it is
            return value
        return shared

    def record(self, result: OfficeResult) -> OfficeResult:
        """``result`` built of shared values (an error, or a record with its scorecard, as
        it is)."""
        if not isinstance(result, OfficeRecord) or result.scorecard is not None:
            return result
        one = self._one
        return attrs.evolve(
            result,
            office_level=one(result.office_level),
            fiscal_year=one(result.fiscal_year),
            as_of=self._dict(result.as_of),
            scope=one(result.scope),
            ruleset=self._dict(result.ruleset),
            total={one(k): one(v) for k, v in result.total.items()},
            grade_bn=one(result.grade_bn),
            sections=tuple(self._section(s) for s in result.sections),
        )

    def _section(self, section: SectionMarks) -> SectionMarks:
        """An equal section seen before, or this one built of shared values."""
        key = ("section", _SECTION_FIELDS(section))  # a tuple of text: hashed in C
        known: SectionMarks | None = self._seen.get(key)
        if known is not None:
            return known
        one = self._one
        shared = SectionMarks(
            kind=one(section.kind),
            id=one(section.id),
            name_bn=one(section.name_bn),
            name_en=one(section.name_en),
            marks=one(section.marks),
            max=one(section.max),
            converted_marks=one(section.converted_marks),
            converted_max=one(section.converted_max),
        )
        self._seen[key] = shared
        return shared


def _all_kept(chunk: _Chunk, as_of: int | dt.date | None, use_cache: bool) -> bool:
    """Whether every office of ``chunk`` has its result kept (a re-run, most likely)."""
    if not use_cache:
        return False
    from apacore.batch import cache as batch_cache

    env = batch_cache.environment()
    return all(
        _kept(batch_cache.office_key(folder, env, as_of), path) is not None
        for folder, path in chunk
    )


def _own_pool(count: int, *, set_up: bool = True) -> cf.ProcessPoolExecutor:
    """A process pool of ``count`` workers. ``set_up``: forked from this process set up
    (:func:`prepare_worker`), as when the first office needs scoring; else each worker
    sets itself up if it comes to score an office."""
    import multiprocessing

    from apacore import cache

    cache.close()  # a forked worker must not inherit this process's connection to it
    context = multiprocessing.get_context()
    if set_up and context.get_start_method() == "fork":
        # set up here, once: each forked worker starts with the plugins, rulesets and
        # modules in place instead of loading them all again
        prepare_worker()
    return cf.ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker)


MAX_WAITING = 4096
"""Results kept at most while they wait for an earlier office's (then it is waited for)."""

_Chunk = list[tuple[str, str]]
_Result = OfficeResult | bytes
"""What a worker gives for an office: its result, or its kept result still pickled."""


def _in_order(
    items: Iterable[tuple[str, str]],
    submit: Callable[[_Chunk], cf.Future[list[_Result]]],
    chunk_size: int,
    window: int,
    recover: Callable[[list[_Chunk]], list[list[_Result]]] | None = None,
) -> Iterator[tuple[tuple[str, str], _Result]]:
    """Every office of ``items`` (folder, path) with its result, in order: they are sent
    to ``submit`` in chunks of ``chunk_size``, with at most ``window`` chunks in flight and
    about :data:`MAX_WAITING` results waiting. An executor that breaks (a worker died)
    has the chunks in flight scored by ``recover`` (without it, it is raised)."""
    # a slot is [future (None until its chunk is sent), index, last, chunk]
    slots: deque[Any] = deque()
    chunk: _Chunk = []
    waiting: list[list[Any]] = []  # the slots of the chunk not sent yet
    in_flight = 0

    def send() -> None:
        nonlocal in_flight, chunk, waiting
        future = submit(chunk)
        in_flight += 1
        for slot in waiting:
            slot[0], slot[3] = future, chunk
        waiting[-1][2] = True
        chunk, waiting = [], []

    def rescue() -> None:
        """The executor broke: every chunk in flight scored again by ``recover``."""
        futures: dict[int, tuple[Any, _Chunk]] = {}
        for slot in slots:
            if slot[0] is not None:
                futures.setdefault(id(slot[0]), (slot[0], slot[3]))
        broken = [(f, c) for f, c in futures.values() if not f.done() or f.exception()]
        assert recover is not None
        for (future, _), results in zip(broken, recover([c for _, c in broken])):
            done: cf.Future[list[_Result]] = cf.Future()
            done.set_result(results)
            for slot in slots:
                if slot[0] is future:
                    slot[0] = done

    def ready(force: bool) -> Iterator[tuple[tuple[str, str], _Result]]:
        nonlocal in_flight
        while slots:
            head = slots[0]
            if head[0] is None:  # its chunk is still filling
                if not (force or len(slots) > MAX_WAITING):
                    return
                send()
            future, i, last = head[0], head[1], head[2]
            if not (force or future.done() or in_flight >= window or len(slots) > MAX_WAITING):
                return
            try:
                results = future.result()
            except cf.BrokenExecutor:
                if recover is None:
                    raise
                rescue()
                results = head[0].result()
            in_flight -= last
            slots.popleft()
            yield head[3][i], results[i]

    try:
        for folder, path in items:
            slot: list[Any] = [None, len(chunk), False, None]
            chunk.append((folder, path))
            waiting.append(slot)
            slots.append(slot)
            if len(chunk) == chunk_size:
                send()
            yield from ready(False)
        if chunk:
            send()
        yield from ready(True)
    finally:  # stopped early (an interrupt, a consumer that stops): drop what is queued
        for queued in slots:
            if queued[0] is not None:
                queued[0].cancel()


class _PoolBroken(Exception):
    """A worker of our pool died (``os._exit`` in a plugin, killed, out of memory): the
    chunks it may have been scoring, in order (every chunk still in flight)."""

    def __init__(self, chunks: list[list[tuple[str, str]]]) -> None:
        super().__init__("a worker process died")
        self.chunks = chunks


def _one_by_one(
    suspects: list[_Chunk],
    context: Any,
    as_of: int | dt.date | None,
    keep_scorecards: bool,
    use_cache: bool = False,
) -> Iterator[_Result]:
    """Score the offices that were in flight when a worker died, one at a time in a
    pool of one process: an office whose scoring kills its process again is that
    office's error (the other offices are scored)."""
    pool: cf.ProcessPoolExecutor | None = None
    try:
        for folder, path in (office for chunk in suspects for office in chunk):
            if pool is None:
                from apacore import cache

                cache.close()  # as _own_pool does
                pool = cf.ProcessPoolExecutor(
                    max_workers=1, mp_context=context, initializer=_start_worker
                )
            future = pool.submit(_score_chunk, [(folder, path)], as_of, keep_scorecards, use_cache)
            try:
                yield from future.result()
            except cf.BrokenExecutor:
                _shut(pool)
                pool = None
                yield OfficeError(
                    path=printable(path),
                    error=_naming_office(
                        "the process scoring it ended abruptly (a plugin called"
                        " os._exit, or the process was killed or ran out of memory)",
                        folder,
                    ),
                    from_files=False,
                )
    finally:
        if pool is not None:
            _shut(pool)


def _shut(pool: cf.ProcessPoolExecutor) -> None:
    """Shut ``pool`` down now: nothing queued is started, no process is left running
    (after Ctrl-C, a dead worker, or the end)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()  # shuts the pool down, cancels what is queued, ends every worker
    else:
        # taken before shutdown(), which forgets them (it sets _processes to None)
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(10)  # reaped: ended, not left running or a zombie
    pool.shutdown(wait=True)


def check_as_of(as_of: int | dt.date | str | None) -> int | dt.date | None:
    """A batch's ``as_of`` (text read as the command line reads it): a quarter out of 1 to
    4 is no one office's mistake but every office's, so it is refused before any is scored."""
    from apacore.numbers import read_as_of

    as_of = read_as_of(as_of)
    if isinstance(as_of, int) and not 1 <= as_of <= 4:
        raise ApacoreError(f"a quarter is 1 to 4, got {as_of}", argument="as_of")
    return as_of


def chunk_size_for(offices: int, workers: int | None = None) -> int:
    """Offices per task for a run of ``offices``: :data:`DEFAULT_CHUNK_SIZE`, smaller for a
    small run, so that every worker gets some (four tasks a worker at least)."""
    return max(1, min(DEFAULT_CHUNK_SIZE, offices // (4 * (workers or default_workers()))))


def parse_workers(text: str | None) -> int | None:
    """``--workers``: a number of processes from 1 to :data:`MAX_WORKERS`, in ASCII or
    Bengali digits (None: the machine's cores)."""
    if text is None:
        return None
    from apacore.numbers import to_ascii_digits

    digits = to_ascii_digits(text).strip()
    if (
        not (digits.isascii() and digits.isdigit())
        or not 1 <= int(digits.lstrip("0")[:9] or 0) <= MAX_WORKERS
    ):
        raise ApacoreError(
            f"a number of processes from 1 to {MAX_WORKERS} (apacore's limit; see"
            f" docs/limits.md); got {text!r}",
            argument="workers",
        )
    return int(digits)


def unreadable_folder(tree: str, errors: list[OfficeError]) -> Callable[[Path, OSError], None]:
    """For :func:`find_offices`'s ``unreadable``: a folder below ``tree`` that cannot be
    read is appended to ``errors`` as its offices' error (reported, never dropped)."""

    def unreadable(folder: Path, exc: OSError) -> None:
        shown = printable(str(folder))
        path = printable(os.path.relpath(folder, tree))
        why = f"cannot read the folder: {exc.strerror or exc}; offices below it are not scored"
        errors.append(OfficeError(path=path, error=f"{shown}: {why}"))

    return unreadable


def copied_office_warnings(tree: str, records: Sequence[OfficeRecord]) -> str:
    """Warnings for offices that are the same as another (a copied folder: ranked, not
    unsaid), ten at the most and then a count; one line each."""
    again = identical_offices(records)
    lines = [
        f"apacore: warning: {printable(os.path.join(tree, path))}: the same office"
        f" as {first!r} (the same names, level and fiscal year); both are ranked"
        for path, first in list(again.items())[:10]
    ]
    if len(again) > 10:
        lines.append(
            f"apacore: warning: and {len(again) - 10} more offices that are the same as another"
        )
    return "".join(f"{line}\n" for line in lines)


def default_workers() -> int:
    """The cores this process may use: the default number of worker processes."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
