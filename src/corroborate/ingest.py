"""The ingest job: read a corpus, clean and extract each report, store it with its analysis,
link exact and near-duplicate copies to their original, and assign reports to stories.

Every batch of reports, and every chunk of story assignments, is one transaction: a killed
ingest loses at most the batch in hand, and running it again skips what is stored and
finishes the rest. Each such transaction holds the store's write lock (`Store.write`) and
decides there, against what is stored by then, which reports are new: two ingests into one
store take turns, and a report both read is stored once. A batch the store refuses is stored
report by report, and the reports it still refuses become problems of the run.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection
from sqlalchemy.exc import InterfaceError, OperationalError, StatementError

from corroborate.clean import find_boilerplate
from corroborate.embeddings import load_encoder
from corroborate.model import InputProblem, Report, storable_text
from corroborate.read import iter_reports
from corroborate.store import DEFAULT_DB, Store
from corroborate.store.database import database_url, display_url
from corroborate.stories import (
    Days,
    Fingerprint,
    StoryDoc,
    StoryModel,
    cluster_stories,
    days_apart,
    fingerprint,
    story_days,
    story_vector,
)
from corroborate.stories.duplicates import (
    NEAR_DUPLICATE,
    estimated_jaccard,
    signature_bytes,
    signature_from_bytes,
)

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 64
# Story assignment takes this many unassigned reports at a time, with up to STORY_CANDIDATES
# assigned reports of the same days (STORY_WINDOW_DAYS either side): memory and time per
# report stay flat however large the store grows.
STORY_CHUNK = 1500
STORY_CANDIDATES = 2500
STORY_WINDOW_DAYS = 7
ANALYSIS_VERSION = "1"
# How long a stopped run waits for the write lock to record that it stopped: not the full
# wait, after Ctrl-C; if it cannot, the next run finds its process gone and records it.
STOPPED_RUN_WAIT_S = 5.0
COPY_WINDOW_DAYS = 3
MAX_ID_CHARS = 400  # the report_id column holds 512, leaving room for a ~N suffix


@dataclass(slots=True)
class IngestCounts:
    """What one ingest did, report by report."""

    read: int = 0
    stored: int = 0
    already_stored: int = 0
    exact_copies: int = 0
    near_copies: int = 0
    problems: int = 0
    stories_created: int = 0
    stories_extended: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    def add(self, other: IngestCounts) -> None:
        """Add another part of the run's counts to these."""
        for name, value in other.to_dict().items():
            setattr(self, name, getattr(self, name) + value)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """The counts, the inputs or rows that could not be read, and where it all went."""

    db: str
    counts: IngestCounts
    problems: tuple[InputProblem, ...] = field(default=())


class IngestProgress(Protocol):
    """Told how far an ingest has come (the CLI draws progress bars from it)."""

    def reports_done(self, counts: IngestCounts) -> None: ...

    def stories_started(self, total: int) -> None: ...

    def stories_done(self, assigned: int) -> None: ...


def ingest(
    inputs: Sequence[str | Path],
    *,
    db: str | Path = DEFAULT_DB,
    analyse: bool = True,
    batch_size: int = BATCH_SIZE,
    model: StoryModel | None = None,
    progress: IngestProgress | None = None,
) -> IngestResult:
    """Store every report of `inputs` in the store at `db` and group them into stories.

    Args:
        inputs: files, folders, .jsonl/.csv/.parquet corpora.
        db: a SQLite path or a SQLAlchemy URL (postgresql+psycopg://...).
        analyse: run the extract stage on each new report and store its analysis; without
            it only the report, its fingerprints and its story are stored.
        batch_size: reports per transaction.
        model: the story clustering model; the shipped one by default.
        progress: told after each batch and each story chunk.

    Returns:
        What was stored, skipped and linked, and the problems met (also kept in the store).

    Raises:
        StoreError: the store cannot be opened, or another process kept it locked for
            `store.database.LOCK_WAIT_S`. On any error or interrupt the run is recorded as
            failed or interrupted; what was committed stays, and running again resumes.
    """
    counts = IngestCounts()
    problems: list[InputProblem] = []
    with Store(db) as store:
        run = store.start_run([str(i) for i in inputs])
        try:
            for batch in _batches(iter_reports(inputs), batch_size):
                reports = [_storable_report(item) for item in batch if isinstance(item, Report)]
                failed = [item for item in batch if isinstance(item, InputProblem)]
                for problem in failed:
                    LOGGER.warning("skipped %s", problem)
                problems.extend(failed)
                counts.read += len(reports)
                counts.problems += len(failed)
                problems.extend(_store_batch(store, run, reports, failed, analyse, counts))
                if progress:
                    progress.reports_done(counts)
            assign_stories(store, model, counts, progress)
        except BaseException as exc:
            _close_stopped_run(store, run, counts, exc)
            raise
        store.finish_run(run, counts.to_dict())
    return IngestResult(display_url(database_url(db)), counts, tuple(problems))


def _close_stopped_run(store: Store, run: int, counts: IngestCounts, exc: BaseException) -> None:
    """Record the run as interrupted (Ctrl-C, exit) or failed (an error), if the store lets."""
    status = "failed" if isinstance(exc, Exception) else "interrupted"
    try:
        store.finish_run(run, counts.to_dict(), status, wait_s=STOPPED_RUN_WAIT_S)
    except Exception as error:  # the store may be what failed
        LOGGER.warning("could not record ingest run %d as %s: %s", run, status, error)


def assign_stories(
    store: Store,
    model: StoryModel | None = None,
    counts: IngestCounts | None = None,
    progress: IngestProgress | None = None,
) -> None:
    """Give every stored report without a story one: an existing story or a new one."""
    counts = counts if counts is not None else IngestCounts()
    if progress:
        progress.stories_started(store.count_unassigned())
    assigned = 0
    while True:
        # Under the write lock: another ingest assigning beside this one waits, then sees
        # these reports assigned.
        with store.write() as conn:
            chunk = store.unassigned(conn, STORY_CHUNK)
            if not chunk:
                return
            spans = [row.days for row in chunk if row.days is not None]
            if len(spans) == len(chunk):
                first = min(span[0] for span in spans) - STORY_WINDOW_DAYS
                last = max(span[1] for span in spans) + STORY_WINDOW_DAYS
                candidates = store.assigned_near(conn, first, last, STORY_CANDIDATES)
            else:
                candidates = store.assigned_near(conn, None, None, STORY_CANDIDATES)
            docs = [
                StoryDoc(row.pk, row.title, row.text, row.days, row.vector, row.story, row.url)
                for row in [*candidates, *chunk]
            ]
            for group in cluster_stories(docs, model):
                if group.story is None:
                    story = store.create_story(conn, group.label)
                    counts.stories_created += 1
                else:
                    story = group.story
                    counts.stories_extended += 1
                store.assign(conn, group.members, story)
        assigned += len(chunk)
        if progress:
            progress.stories_done(assigned)


@dataclass(slots=True)
class _Planned:
    report: Report
    kept_text: str  # the text with boilerplate blanked, as fingerprinted and embedded
    print: Fingerprint
    days: Days | None
    copy_of: int | None = None  # a stored original's pk
    copy_in_batch: int | None = None  # index of an original earlier in this batch
    kind: str | None = None
    similarity: float | None = None
    vector: npt.NDArray[np.float32] | None = None  # for originals: story_vector
    analysis: dict[str, Any] | None = None  # for originals, when analysed

    def forget_copy(self) -> None:
        """Forget what it was found a copy of, to plan it again."""
        self.copy_of = self.copy_in_batch = self.kind = self.similarity = None


def _store_batch(
    store: Store,
    run: int,
    reports: list[Report],
    failed: list[InputProblem],
    analyse: bool,
    counts: IngestCounts,
) -> list[InputProblem]:
    """Store a batch in one transaction or, if the store refuses it, report by report.

    Returns:
        The reports the store refused, as problems (also stored with the run's problems).
    """
    planned = []
    for report in (find_boilerplate(report) for report in reports):
        kept = report.kept_text()
        days = story_days(report.published, report.url)
        planned.append(_Planned(report, kept, fingerprint(kept), days))
    # The slow part, embedding and analysing, comes before the write lock: for the reports
    # new by what is stored now. Under the lock the batch is planned again (_write_planned).
    with store.engine.connect() as conn:
        fresh = _plan_copies(store, conn, planned, IngestCounts())
    _prepare([p for p in fresh if p.kind is None], analyse)
    try:
        with store.write() as conn:
            store.add_problems(conn, run, failed)
            done = _write_planned(store, conn, planned, analyse)
    except (StatementError, ValueError) as exc:
        if not _is_refusal(exc):
            raise
        LOGGER.warning("the store refused a batch (%s); storing it report by report", _reason(exc))
        return _store_one_by_one(store, run, planned, failed, analyse, counts)
    counts.add(done)
    return []


def _store_one_by_one(
    store: Store,
    run: int,
    planned: list[_Planned],
    failed: list[InputProblem],
    analyse: bool,
    counts: IngestCounts,
) -> list[InputProblem]:
    """Store each report in its own transaction; those refused become problems."""
    with store.write() as conn:
        store.add_problems(conn, run, failed)
    refused: list[InputProblem] = []
    for item in planned:
        try:
            with store.write() as conn:
                done = _write_planned(store, conn, [item], analyse)
        except (StatementError, ValueError) as exc:
            if not _is_refusal(exc):
                raise
            report = item.report
            problem = InputProblem(report.source or report.id, f"not stored: {_reason(exc)}")
            LOGGER.warning("skipped %s", problem)
            with store.write() as conn:
                store.add_problems(conn, run, [problem])
            counts.problems += 1
            refused.append(problem)
        else:
            counts.add(done)
    return refused


def _write_planned(
    store: Store, conn: Connection, planned: list[_Planned], analyse: bool
) -> IngestCounts:
    """Plan the reports against the store as it is now (under the write lock) and write the
    new ones; what was done, counted."""
    counts = IngestCounts()
    for item in planned:
        item.forget_copy()
    fresh = _plan_copies(store, conn, planned, counts)
    # Rare: a report planned as a copy whose original another ingest stored as a copy.
    _prepare([p for p in fresh if p.kind is None], analyse)
    taken = store.taken_ids(conn, [_storable_id(p.report.id) for p in fresh])
    pks = {
        index: _add_original(store, conn, item, taken)
        for index, item in enumerate(fresh)
        if item.kind is None
    }
    for item in fresh:
        if item.kind is None:
            continue
        original = item.copy_of if item.copy_in_batch is None else pks[item.copy_in_batch]
        assert original is not None  # planned copies always name their original
        row = _report_row(item, _free_id(item.report.id, taken))
        row.update(
            duplicate_of=original,
            duplicate_kind=item.kind,
            duplicate_similarity=item.similarity,
            # A copy of a report already in a story joins it now; a copy of a report
            # still unassigned follows it when it is assigned.
            story_id=store.story_of(conn, original),
        )
        store.add_report(conn, row)
    counts.stored += len(fresh)
    return counts


def _add_original(store: Store, conn: Connection, item: _Planned, taken: set[str]) -> int:
    """Store an original with its signature and analysis; its pk."""
    assert item.vector is not None  # _prepare embeds every original
    pk = store.add_report(conn, _report_row(item, _free_id(item.report.id, taken)))
    signature = item.print.signature
    store.add_signature(
        conn,
        pk,
        item.vector,
        signature_bytes(signature) if signature is not None else None,
        item.print.band_keys,
    )
    if item.analysis is not None:
        store.add_analysis(conn, pk, ANALYSIS_VERSION, item.analysis)
    return pk


def _prepare(originals: list[_Planned], analyse: bool) -> None:
    """Embed, and with `analyse` analyse, the originals not done yet."""
    todo = [p for p in originals if p.vector is None]
    if not todo:
        return
    encoder = load_encoder()
    for item in todo:
        item.vector = story_vector(encoder, item.report.title, item.kept_text)
    if analyse:
        for item, body in zip(todo, _analyses(todo), strict=True):
            item.analysis = body


def _is_refusal(exc: Exception) -> bool:
    """Whether the store refused what was written (a constraint, a value it cannot hold),
    rather than failed itself (a lost connection, a full disk, a lock)."""
    return not isinstance(exc, OperationalError | InterfaceError)


def _reason(exc: Exception) -> str:
    """The database's message, on one line."""
    orig = getattr(exc, "orig", None) or exc
    return " ".join(str(orig).split())[:500] or type(orig).__name__


def _plan_copies(
    store: Store, conn: Connection, planned: list[_Planned], counts: IngestCounts
) -> list[_Planned]:
    """Drop reports stored before (same text, same id); mark exact and near copies."""
    stored = store.stored_by_content(conn, (p.print.content_key for p in planned))
    fresh: list[_Planned] = []
    batch_keys: dict[str, int] = {}
    for item in planned:
        known = stored.get(item.print.content_key, [])
        if any(k.input_id == _storable_id(item.report.id) for k in known):
            counts.already_stored += 1
            continue
        if item.print.signature is None:
            # Too few words to call it a copy: blank or stock texts ("Developing story")
            # would all look alike.
            pass
        elif known:
            item.copy_of, item.kind, item.similarity = known[0].original, "exact", 1.0
        elif item.print.content_key in batch_keys:
            item.copy_in_batch, item.kind, item.similarity = (
                batch_keys[item.print.content_key],
                "exact",
                1.0,
            )
        else:
            _find_near_copy(store, conn, item, fresh)
        if item.kind is None:
            batch_keys[item.print.content_key] = len(fresh)
        elif item.kind == "exact":
            counts.exact_copies += 1
        else:
            counts.near_copies += 1
        fresh.append(item)
    return fresh


def _find_near_copy(
    store: Store, conn: Connection, item: _Planned, earlier: list[_Planned]
) -> None:
    signature = item.print.signature
    if signature is None:
        return
    best: tuple[float, int | None, int | None] = (NEAR_DUPLICATE, None, None)
    candidates = store.near_duplicate_candidates(
        conn, item.print.band_keys, item.days, COPY_WINDOW_DAYS
    )
    for pk, data, stored_days in candidates:
        if not _same_days(item.days, stored_days):
            continue
        similarity = estimated_jaccard(signature, signature_from_bytes(data))
        if similarity >= best[0]:
            best = (similarity, pk, None)
    keys = set(item.print.band_keys)
    for index, other in enumerate(earlier):
        if other.kind is not None or other.print.signature is None:
            continue
        if not _same_days(item.days, other.days):
            continue
        if keys & set(other.print.band_keys):
            similarity = estimated_jaccard(signature, other.print.signature)
            if similarity >= best[0]:
                best = (similarity, None, index)
    if best[1] is not None or best[2] is not None:
        item.similarity, item.copy_of, item.copy_in_batch = best
        item.kind = "near"


def _same_days(days: Days | None, other: Days | None) -> bool:
    """Whether two texts this alike can be one report: a copy appears within days of its
    original, while a templated report a week later (a new toll, a new weekly figure) is
    news of its own."""
    apart = days_apart(days, other)
    return apart is None or apart <= COPY_WINDOW_DAYS


def _analyses(originals: list[_Planned]) -> list[dict[str, Any]]:
    from corroborate.extract import extract_reports  # loads spaCy on first use

    return [
        {
            "signals": dict(extraction.report.signals),
            "mentions": [m.to_dict() for m in extraction.mentions],
            "sources": [s.to_dict() for s in extraction.sources],
        }
        for extraction in extract_reports([p.report for p in originals])
    ]


def _report_row(item: _Planned, report_id: str) -> dict[str, Any]:
    report = item.report
    return {
        "report_id": report_id,
        "input_id": _storable_id(report.id),
        "outlet": report.outlet,
        "domain": report.domain,
        "title": report.title,
        "published": report.published,
        "url": report.url,
        "text": report.text,
        "removed": _json([r.to_dict() for r in report.removed]),
        "source": report.source or "",
        "content_key": item.print.content_key,
        "first_day": item.days[0] if item.days else None,
        "last_day": item.days[1] if item.days else None,
    }


def _storable_report(report: Report) -> Report:
    """The report with what no store can hold made U+FFFD (see `storable_text`): before it is
    fingerprinted, analysed and stored, so all agree, and agree on every backend."""
    return replace(
        report,
        id=storable_text(report.id),
        text=storable_text(report.text),
        outlet=_storable_or_none(report.outlet),
        domain=_storable_or_none(report.domain),
        title=_storable_or_none(report.title),
        url=_storable_or_none(report.url),
        source=_storable_or_none(report.source),
    )


def _storable_or_none(value: str | None) -> str | None:
    return None if value is None else storable_text(value)


def _free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted~2`, `wanted~3`... when another report already has that id."""
    wanted = _storable_id(wanted)
    candidate, number = wanted, 1
    while candidate in taken:
        number += 1
        candidate = f"{wanted}~{number}"
    taken.add(candidate)
    return candidate


def _storable_id(report_id: str) -> str:
    """Ids longer than the column (a URL used as id) keep their start and a hash of the rest."""
    if len(report_id) <= MAX_ID_CHARS:
        return report_id
    digest = hashlib.sha1(report_id.encode("utf-8")).hexdigest()[:16]
    return f"{report_id[: MAX_ID_CHARS - 40]}#{digest}"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _batches(
    items: Iterable[Report | InputProblem], size: int
) -> Iterator[list[Report | InputProblem]]:
    batch: list[Report | InputProblem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
