"""The ingest job: read a corpus, clean and extract each report, store it with its analysis,
link exact and near-duplicate copies to their original, and assign reports to stories.

Every batch of reports, and every chunk of story assignments, is one transaction: a killed
ingest loses at most the batch in hand, and running it again skips what is stored and
finishes the rest.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Connection

from corroborate.clean import find_boilerplate
from corroborate.embeddings import load_encoder
from corroborate.model import InputProblem, Report
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
    """
    counts = IngestCounts()
    problems: list[InputProblem] = []
    with Store(db) as store:
        run = store.start_run([str(i) for i in inputs])
        for batch in _batches(iter_reports(inputs), batch_size):
            reports = [item for item in batch if isinstance(item, Report)]
            failed = [item for item in batch if isinstance(item, InputProblem)]
            for problem in failed:
                LOGGER.warning("skipped %s", problem)
            problems.extend(failed)
            counts.read += len(reports)
            counts.problems += len(failed)
            _store_batch(store, run, reports, failed, analyse, counts)
            if progress:
                progress.reports_done(counts)
        assign_stories(store, model, counts, progress)
        store.finish_run(run, counts.to_dict())
    return IngestResult(display_url(database_url(db)), counts, tuple(problems))


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
        with store.engine.begin() as conn:
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


def _store_batch(
    store: Store,
    run: int,
    reports: list[Report],
    failed: list[InputProblem],
    analyse: bool,
    counts: IngestCounts,
) -> None:
    cleaned = [find_boilerplate(report) for report in reports]
    planned = []
    for report in cleaned:
        kept = report.kept_text()
        days = story_days(report.published, report.url)
        planned.append(_Planned(report, kept, fingerprint(kept), days))
    with store.engine.connect() as conn:
        fresh = _plan_copies(store, conn, planned, counts)
        taken = store.taken_ids(conn, [_storable_id(p.report.id) for p in fresh])
    originals = [p for p in fresh if p.kind is None]
    extractions = _analyses(originals, analyse)
    encoder = load_encoder()
    vectors = [story_vector(encoder, p.report.title, p.kept_text) for p in originals]
    with store.engine.begin() as conn:
        store.add_problems(conn, run, failed)
        pks: dict[int, int] = {}
        position = 0
        for index, item in enumerate(fresh):
            if item.kind is not None:
                continue
            pk = store.add_report(conn, _report_row(item, _free_id(item.report.id, taken)))
            pks[index] = pk
            signature = item.print.signature
            store.add_signature(
                conn,
                pk,
                vectors[position],
                signature_bytes(signature) if signature is not None else None,
                item.print.band_keys,
            )
            if extractions is not None:
                store.add_analysis(conn, pk, ANALYSIS_VERSION, extractions[position])
            position += 1
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


def _analyses(originals: list[_Planned], analyse: bool) -> list[dict[str, Any]] | None:
    if not analyse:
        return None
    if not originals:
        return []
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
