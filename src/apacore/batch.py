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

Results are kept across runs (:mod:`apacore.batch_cache`, keyed by the offices' bytes and
everything else that decides them): :func:`score_many` looks every office up first, in
this process, and sends only the offices it has no result for to the workers (a process
pool is started only if there is one), whose checked agreements are kept too, so that an
office whose report changed reads only its report.

Ranking and group summaries are :mod:`apacore.rollup`; writing them out
:mod:`apacore.batch_output`.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import os
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from apacore.errors import ApacoreError

if TYPE_CHECKING:  # imported where used: a worker's import stays light
    from apacore.batch_cache import OfficeKey
    from apacore.engine.results import SectionResult
    from apacore.engine.scorecard import Scorecard
    from apacore.models import Agreement

__all__ = [
    "AGREEMENT_FILE",
    "OfficeError",
    "OfficeRecord",
    "OfficeResult",
    "SectionMarks",
    "default_workers",
    "find_offices",
    "office_record",
    "score_many",
    "score_office",
]

AGREEMENT_FILE = "agreement.toml"
"""A folder holding this file is an office."""

DEFAULT_CHUNK_SIZE = 16
"""Offices per task: large enough that a task's overhead (pickling, a round trip to the
worker) is small against ~16 scorings, small enough to balance the workers' load."""


@attrs.frozen(kw_only=True)
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
        """Plain data, as in the JSON contract."""
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
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
    scorecard: Any = attrs.field(default=None, eq=False, repr=False)
    """The whole :class:`~apacore.engine.scorecard.Scorecard`, kept only when asked for."""

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
        }


@attrs.frozen(kw_only=True)
class OfficeError:
    """An office that could not be scored."""

    path: str
    """The office's folder, relative to the batch's root."""
    error: str
    """The one line ``apacore score`` prints for it (after ``apacore: error:``)."""
    traceback: str | None = attrs.field(default=None, eq=False, repr=False)
    """For a bug in apacore or a plugin (not a mistake in the files): the traceback."""

    def to_dict(self) -> dict[str, Any]:
        """Plain data, as in the JSON contract."""
        return {"path": self.path, "error": self.error}


OfficeResult = OfficeRecord | OfficeError
"""What scoring one office gives."""


def find_offices(tree: str | os.PathLike[str]) -> list[Path]:
    """Every folder at or below ``tree`` that holds an ``agreement.toml``, in a stable order.

    Hidden folders (``.git``) are skipped; symbolic links to folders are not followed.
    ``tree`` that is not a folder is an error.
    """
    root = Path(tree)
    if not root.is_dir():
        why = "is not a folder" if root.exists() else "no such folder"
        raise ApacoreError(why, where=str(tree))
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        if AGREEMENT_FILE in files:
            found.append(Path(folder))
    return found


def office_record(
    agreement: Agreement, card: Scorecard, *, path: str, keep_scorecard: bool = False
) -> OfficeRecord:
    """The record of one office from its loaded agreement and its scorecard: a pure function.

    The total and the sections' marks are written as in the scorecard's JSON contract
    (:func:`apacore.render.formats.scorecard_to_dict`: exact figures rounded once to the
    ruleset's places), so a batch and ``apacore score`` agree; only the figures a record
    keeps are rounded (a batch does this 20,000 times).
    """
    from apacore.formatting import round_value

    def figure(result: Scorecard | SectionResult, name: str) -> str | None:
        value = result.exact(name)
        if value is None:
            return None
        return format(round_value(value, card.places, card.rounding), "f")

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
        scorecard=card if keep_scorecard else None,
    )


def _scored(
    folder: Path, as_of: int | dt.date | None, use_cache: bool
) -> tuple[Agreement, Scorecard]:
    """The one place the engine is called: load and check the office's files and score
    them. ``(agreement, scorecard)``. ``use_cache``: checked agreements are taken from and
    kept in the on-disk cache, unpruned (a batch prunes once, at its end); whole offices
    are not (:mod:`apacore.batch_cache` keeps their results)."""
    from apacore.api import score_files
    from apacore.loading.agreements import load_office

    office = load_office(folder, use_cache=use_cache, whole_office=False)
    card = score_files(office, as_of=as_of)
    return office.agreement, card


def score_office(
    folder: str | os.PathLike[str],
    *,
    path: str | None = None,
    as_of: int | dt.date | None = None,
    keep_scorecard: bool = False,
    use_cache: bool = False,
) -> OfficeResult:
    """Score the office in ``folder``: its record, or its error (never raised).

    ``path`` is what the result calls the office (default: ``folder`` as given). A mistake
    in the office's files gives the one line ``apacore score`` prints; anything else that
    goes wrong (a bug in apacore or a plugin) is an error too, with its traceback kept, so
    that one office never stops a batch. ``use_cache``: its checked agreement is taken
    from or kept in the on-disk cache (as :func:`score_many` does).
    """
    name = str(folder) if path is None else path
    try:
        agreement, card = _scored(Path(folder), as_of, use_cache)
        return office_record(agreement, card, path=name, keep_scorecard=keep_scorecard)
    except ApacoreError as exc:
        return OfficeError(path=name, error=str(exc))
    except Exception as exc:
        return OfficeError(
            path=name,
            error=f"internal error (a bug, please report it): {type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )


# --------------------------------------------------------------------------- workers

_prepared = False


def prepare_worker() -> None:
    """Set a worker process up once: the modules that read and score an office, the
    plugins, their registry and every ruleset they offer, so that its first office costs
    no more than the others. A process pool's initializer; :func:`score_many` also calls
    it on the first task in each process of an executor it did not make (a Dask
    cluster's workers), and before it forks its own pool's workers, which then start set
    up. A broken plugin or ruleset is not raised here: the offices that need it report it
    as their error."""
    global _prepared
    if _prepared:
        return
    _prepared = True
    import apacore.api
    import apacore.loading.convert
    import apacore.loading.validation  # noqa: F401 - imported for the workers
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

    prepare_worker()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _score_chunk(
    chunk: Sequence[tuple[str, str, OfficeKey | None]],
    as_of: int | dt.date | None,
    keep_scorecards: bool,
    use_cache: bool = False,
) -> list[OfficeResult]:
    """A worker's task: score ``(folder, path, key)`` one after another; ``use_cache``:
    keep each result under its key (:mod:`apacore.batch_cache`, worked out before the
    files were read; None: not kept) and each checked agreement."""
    from apacore import batch_cache

    prepare_worker()
    env = batch_cache.environment() if use_cache and not keep_scorecards else None
    out = []
    for folder, path, key in chunk:
        result = score_office(
            folder, path=path, as_of=as_of, keep_scorecard=keep_scorecards, use_cache=use_cache
        )
        if _keepable(result):
            kept = attrs.evolve(result, path="")
            batch_cache.store(key, kept, folder=folder, env=env, as_of=as_of)
        out.append(result)
    return out


def _keepable(result: OfficeResult) -> bool:
    """A result kept across runs: a record without its scorecard, or the error of a
    mistake in the office's files (never a bug's, which has a traceback)."""
    if isinstance(result, OfficeError):
        return result.traceback is None
    return result.scorecard is None


def _kept(key: OfficeKey | None, path: str) -> OfficeResult | None:
    """The result kept under ``key`` (:mod:`apacore.batch_cache`), named ``path``."""
    from apacore import batch_cache

    hit = batch_cache.fetch(key)
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
) -> Iterator[OfficeResult]:
    """Score every office folder of ``offices``; yield one result per office, in order.

    ``root``: records name offices by their folder relative to it (default: as given).
    Each office's result is first looked for in the on-disk cache
    (:mod:`apacore.batch_cache`; not with ``keep_scorecards``), here; the others are
    scored by ``executor``, any :class:`concurrent.futures.Executor`, or by default a
    process pool of ``workers`` processes (default: the machine's cores), each set up
    once, started only if an office needs scoring, and shut down here. With
    ``workers=1`` and no executor, offices are scored in this process. Offices go out in
    chunks of ``chunk_size``, at most two chunks per worker at a time, and results wait
    in order for at most a bounded number of offices, so memory stays flat however many
    offices there are. ``keep_scorecards`` keeps each office's whole scorecard in its
    record (memory then grows with the offices).
    """
    if chunk_size < 1:
        raise ApacoreError(f"must be at least 1, got {chunk_size}", where="chunk_size")
    if workers is not None and workers < 1:
        raise ApacoreError(f"must be at least 1, got {workers}", where="workers")
    return _score_many(offices, root, as_of, executor, workers, chunk_size, keep_scorecards)


def _score_many(
    offices: Iterable[str | os.PathLike[str]],
    root: str | os.PathLike[str] | None,
    as_of: int | dt.date | None,
    executor: cf.Executor | None,
    workers: int | None,
    chunk_size: int,
    keep_scorecards: bool,
) -> Iterator[OfficeResult]:
    from apacore import batch_cache

    named = _named(offices, None if root is None else Path(root))
    env = None if keep_scorecards else batch_cache.environment()
    use_cache = env is not None
    count = workers or default_workers()

    def looked_up() -> Iterator[tuple[str, str, OfficeKey | None, OfficeResult | None]]:
        for folder, path in named:
            key = batch_cache.office_key(folder, env, as_of)
            yield folder, path, key, _kept(key, path)

    with contextlib.ExitStack() as stack:
        pool: cf.Executor | None = executor

        def submit(
            chunk: list[tuple[str, str, OfficeKey | None]],
        ) -> cf.Future[list[OfficeResult]]:
            nonlocal pool
            if executor is None and workers == 1:  # here, now
                done: cf.Future[list[OfficeResult]] = cf.Future()
                done.set_result(_score_chunk(chunk, as_of, keep_scorecards, use_cache))
                return done
            if pool is None:  # the first office that needs scoring starts the pool
                pool = stack.enter_context(_own_pool(count))
            return pool.submit(_score_chunk, chunk, as_of, keep_scorecards, use_cache)

        shared = _Shared()
        for result in _in_order(looked_up(), submit, chunk_size, 2 * count):
            yield shared.record(result)
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
        known: SectionMarks | None = self._seen.get(section)
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
        self._seen[shared] = shared
        return shared


def _own_pool(count: int) -> cf.ProcessPoolExecutor:
    """A process pool of ``count`` workers, set up once each."""
    import multiprocessing

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        # set up here, once: each forked worker starts with the plugins, rulesets and
        # modules in place instead of loading them all again
        prepare_worker()
    return cf.ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker)


MAX_WAITING = 4096
"""Results kept at most while they wait for an earlier office's (then it is waited for)."""


def _in_order(
    items: Iterator[tuple[str, str, OfficeKey | None, OfficeResult | None]],
    submit: Callable[[list[tuple[str, str, OfficeKey | None]]], cf.Future[list[OfficeResult]]],
    chunk_size: int,
    window: int,
) -> Iterator[OfficeResult]:
    """Every office's result in the order of ``items`` (folder, path, cache key, and its
    result when known already): the others are sent to ``submit`` in chunks of ``chunk_size``, with
    at most ``window`` chunks in flight and about :data:`MAX_WAITING` results waiting."""
    # a slot is a known result, or [future (None until its chunk is sent), index, last]
    slots: deque[Any] = deque()
    chunk: list[tuple[str, str, OfficeKey | None]] = []
    waiting: list[list[Any]] = []  # the slots of the chunk not sent yet
    in_flight = 0

    def send() -> None:
        nonlocal in_flight, chunk, waiting
        future = submit(chunk)
        in_flight += 1
        for slot in waiting:
            slot[0] = future
        waiting[-1][2] = True
        chunk, waiting = [], []

    def ready(force: bool) -> Iterator[OfficeResult]:
        nonlocal in_flight
        while slots:
            head = slots[0]
            if isinstance(head, list):
                if head[0] is None:  # its chunk is still filling
                    if not (force or len(slots) > MAX_WAITING):
                        return
                    send()
                future, i, last = head
                if not (force or future.done() or in_flight >= window or len(slots) > MAX_WAITING):
                    return
                result = future.result()[i]
                in_flight -= last
            else:
                result = head
            slots.popleft()
            yield result

    try:
        for folder, path, key, known in items:
            if known is not None:
                slots.append(known)
            else:
                slot: list[Any] = [None, len(chunk), False]
                chunk.append((folder, path, key))
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
            if isinstance(queued, list) and queued[0] is not None:
                queued[0].cancel()


def default_workers() -> int:
    """The cores this process may use: the default number of worker processes."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
