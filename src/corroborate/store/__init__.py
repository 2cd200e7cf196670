"""The store: reports, their analyses, duplicates and stories, in SQLite or PostgreSQL.

A thin layer of named queries over SQLAlchemy Core; the ingest job decides what to write.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from corroborate.errors import StoreError
from corroborate.model import (
    COMPARISON_VERSION,
    InputProblem,
    Removed,
    Report,
    blank_spans,
    storable_text,
)
from corroborate.store.database import (
    DEFAULT_DB,
    database_url,
    display_url,
    open_engine,
    write_transaction,
)
from corroborate.store.schema import (
    analyses,
    comparisons,
    ingest_problems,
    ingest_runs,
    minhash_bands,
    reports,
    signatures,
    stories,
)
from corroborate.stories.features import Days

__all__ = [
    "DEFAULT_DB",
    "STORY_SORTS",
    "Store",
    "StoredReport",
    "StoredText",
    "StoryListing",
    "StorySummary",
    "database_url",
    "storable",
]


@dataclass(frozen=True, slots=True)
class StoredKey:
    """A stored report met again by its content key."""

    pk: int
    input_id: str
    original: int  # the pk of the report it copies, or its own pk


@dataclass(frozen=True, slots=True)
class ClusterRow:
    """What story clustering needs of a stored report."""

    pk: int
    title: str | None
    text: str
    days: Days | None
    vector: npt.NDArray[np.float32]
    story: int | None
    url: str | None


@dataclass(frozen=True, slots=True)
class StoredReport:
    """A report as the `stories` listing shows it."""

    id: str
    outlet: str | None
    title: str | None
    published: date | None
    url: str | None
    copy_of: str | None = None  # the report id it duplicates (syndicated or re-published)
    copy_kind: str | None = None


@dataclass(frozen=True, slots=True)
class StoryListing:
    """A story with its reports, originals first."""

    id: int
    label: str
    reports: tuple[StoredReport, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"story": self.id, "label": self.label, "reports": [r.id for r in self.reports]}


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as the stories page lists it; `conflicts` and `facts` are None until compared."""

    id: int
    label: str
    reports: int
    outlets: tuple[str, ...]
    first_published: date | None
    last_published: date | None
    conflicts: int | None
    facts: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "reports": self.reports,
            "outlets": list(self.outlets),
            "first_published": _iso(self.first_published),
            "last_published": _iso(self.last_published),
            "conflicts": self.conflicts,
            "facts": self.facts,
        }


@dataclass(frozen=True, slots=True)
class StoredText:
    """One stored report in full, with the story it belongs to."""

    report: Report
    story: int | None
    copy_of: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**self.report.to_dict(), "story": self.story, "copy_of": self.copy_of}


_REPORT_COUNT = func.count(reports.c.pk)
_OUTLET_COUNT = func.count(func.distinct(reports.c.outlet))
_FIRST = func.min(reports.c.published)
_LAST = func.max(reports.c.published)

# What the stories list sorts by.
STORY_SORTS: dict[str, Any] = {
    "id": stories.c.id,
    "reports": _REPORT_COUNT,
    "outlets": _OUTLET_COUNT,
    "first": _FIRST,
    "last": _LAST,
    "conflicts": comparisons.c.conflicts,
}


class Store:
    """One store, opened by path or SQLAlchemy URL; the schema is migrated on open."""

    def __init__(self, db: str | Path = DEFAULT_DB, *, create: bool = True) -> None:
        self.url = display_url(database_url(db))
        self.engine = open_engine(db, create=create)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self, wait_s: float | None = None) -> Iterator[Connection]:
        """A transaction holding the store's write lock; writers take turns (database.py).

        Args:
            wait_s: how long to wait for another writer; database.LOCK_WAIT_S by default.

        Raises:
            StoreError: another process kept the lock all that time.
        """
        with write_transaction(self.engine, wait_s) as conn:
            yield conn

    # --- ingest runs -----------------------------------------------------------------------

    def start_run(self, inputs: Sequence[str]) -> int:
        """Record a new run, and mark interrupted the runs of this host whose process died."""
        host, pid = socket.gethostname()[:255], os.getpid()
        with self.write() as conn:
            self._close_dead_runs(conn, host)
            result = conn.execute(
                insert(ingest_runs).values(
                    started_at=_now(),
                    inputs=json.dumps(list(inputs)),
                    status="running",
                    host=host,
                    pid=pid,
                )
            )
            return _new_key(result)

    def finish_run(
        self,
        run_id: int,
        counts: dict[str, int],
        status: str = "finished",
        *,
        wait_s: float | None = None,
    ) -> None:
        """Close a run: `finished`, or `interrupted` / `failed` with the counts so far."""
        with self.write(wait_s) as conn:
            conn.execute(
                update(ingest_runs)
                .where(ingest_runs.c.id == run_id)
                .values(finished_at=_now(), counts=json.dumps(counts), status=status)
            )

    def _close_dead_runs(self, conn: Connection, host: str) -> None:
        # Only this host's processes can be looked up; a run elsewhere stays `running`.
        query = select(ingest_runs.c.id, ingest_runs.c.pid).where(
            ingest_runs.c.status == "running", ingest_runs.c.host == host
        )
        dead = [run for run, pid in conn.execute(query) if not _is_alive(pid)]
        if dead:
            conn.execute(
                update(ingest_runs).where(ingest_runs.c.id.in_(dead)).values(status="interrupted")
            )

    def add_problems(self, conn: Connection, run_id: int, problems: Iterable[InputProblem]) -> None:
        rows = [
            {
                "run_id": run_id,
                "source": storable_text(p.source),
                "problem": storable_text(p.message),
            }
            for p in problems
        ]
        if rows:
            conn.execute(insert(ingest_problems), rows)

    # --- duplicates ------------------------------------------------------------------------

    def stored_by_content(
        self, conn: Connection, keys: Iterable[str]
    ) -> dict[str, list[StoredKey]]:
        found: dict[str, list[StoredKey]] = {}
        query = select(
            reports.c.content_key, reports.c.pk, reports.c.input_id, reports.c.duplicate_of
        ).where(reports.c.content_key.in_(set(keys)))
        for key, pk, input_id, duplicate_of in conn.execute(query):
            found.setdefault(key, []).append(StoredKey(pk, input_id, duplicate_of or pk))
        return found

    def near_duplicate_candidates(
        self,
        conn: Connection,
        band_keys: Sequence[tuple[int, int]],
        days: Days | None = None,
        margin: int = 0,
    ) -> list[tuple[int, bytes, Days | None]]:
        """Stored originals sharing a MinHash band with the given keys: pk, signature, days.

        With `days`, only undated originals and those within `margin` days of them.
        """
        if not band_keys:
            return []
        # OR of (band, key) equalities, not a tuple IN: SQLite answers the latter with a full
        # scan, the former with one index search per band.
        bands = or_(
            *(and_(minhash_bands.c.band == b, minhash_bands.c.key == k) for b, k in band_keys)
        )
        matching = select(minhash_bands.c.report_pk).where(bands).distinct().scalar_subquery()
        query = (
            select(
                signatures.c.report_pk,
                signatures.c.minhash,
                reports.c.first_day,
                reports.c.last_day,
            )
            .join(reports, reports.c.pk == signatures.c.report_pk)
            .where(signatures.c.report_pk.in_(matching), signatures.c.minhash.is_not(None))
        )
        if days is not None:
            query = query.where(
                or_(
                    reports.c.first_day.is_(None),
                    and_(
                        reports.c.last_day >= days[0] - margin,
                        reports.c.first_day <= days[1] + margin,
                    ),
                )
            )
        return [
            (pk, bytes(data), _days(first, last)) for pk, data, first, last in conn.execute(query)
        ]

    def taken_ids(self, conn: Connection, ids: Iterable[str]) -> set[str]:
        """The given ids already stored, with the `id~N` variants stored for any of them."""
        wanted = set(ids)
        if not wanted:
            return set()
        query = select(reports.c.report_id).where(reports.c.report_id.in_(wanted))
        taken = set(conn.execute(query).scalars())
        if taken:  # rare: only then look for the variants, which no index serves
            variants = or_(
                *(reports.c.report_id.startswith(f"{i}~", autoescape=True) for i in taken)
            )
            taken |= set(conn.execute(select(reports.c.report_id).where(variants)).scalars())
        return taken

    def story_of(self, conn: Connection, pk: int) -> int | None:
        query = select(reports.c.story_id).where(reports.c.pk == pk)
        story: int | None = conn.execute(query).scalar_one_or_none()
        return story

    # --- writing reports -------------------------------------------------------------------

    def add_report(self, conn: Connection, row: dict[str, Any]) -> int:
        """Insert a report row; its text fields made storable (see `storable`)."""
        values = {k: storable_text(v) if isinstance(v, str) else v for k, v in row.items()}
        result = conn.execute(insert(reports).values(ingested_at=_now(), **values))
        return _new_key(result)

    def add_signature(
        self,
        conn: Connection,
        pk: int,
        vector: npt.NDArray[np.float32],
        minhash: bytes | None,
        band_keys: Sequence[tuple[int, int]],
    ) -> None:
        conn.execute(
            insert(signatures).values(
                report_pk=pk, minhash=minhash, vector=vector.astype("<f4").tobytes()
            )
        )
        if band_keys:
            conn.execute(
                insert(minhash_bands),
                [{"band": band, "key": key, "report_pk": pk} for band, key in band_keys],
            )

    def add_analysis(self, conn: Connection, pk: int, version: str, body: dict[str, Any]) -> None:
        stored = json.dumps(_storable_json(body))
        conn.execute(insert(analyses).values(report_pk=pk, version=version, body=stored))

    # --- stories ---------------------------------------------------------------------------

    def unassigned(self, conn: Connection, limit: int) -> list[ClusterRow]:
        """Originals with no story yet, dated ones first in day order, then in ingest order."""
        query = (
            self._cluster_query()
            .where(reports.c.story_id.is_(None), reports.c.duplicate_of.is_(None))
            .order_by(reports.c.first_day.is_(None), reports.c.first_day, reports.c.pk)
            .limit(limit)
        )
        return self._cluster_rows(conn, query)

    def assigned_near(
        self, conn: Connection, first_day: int | None, last_day: int | None, limit: int
    ) -> list[ClusterRow]:
        """Assigned originals a new batch may join: those within the days given, or, for a
        batch with undated reports, the most recently stored ones."""
        assigned = and_(reports.c.story_id.is_not(None), reports.c.duplicate_of.is_(None))
        window: ColumnElement[bool] = true()
        if first_day is not None and last_day is not None:
            window = and_(reports.c.last_day >= first_day, reports.c.first_day <= last_day)
        query = (
            self._cluster_query().where(assigned, window).order_by(reports.c.pk.desc()).limit(limit)
        )
        return self._cluster_rows(conn, query)

    def create_story(self, conn: Connection, label: str) -> int:
        result = conn.execute(insert(stories).values(label=label, created_at=_now()))
        return _new_key(result)

    def assign(self, conn: Connection, pks: Sequence[int], story: int) -> None:
        conn.execute(update(reports).where(reports.c.pk.in_(pks)).values(story_id=story))
        # Copies follow their original into its story.
        conn.execute(update(reports).where(reports.c.duplicate_of.in_(pks)).values(story_id=story))
        # The story's kept comparison no longer covers all its reports.
        conn.execute(delete(comparisons).where(comparisons.c.story_id == story))

    # --- comparisons -----------------------------------------------------------------------

    def kept_comparison(self, story: int) -> str | None:
        """The story's kept comparison (JSON), if it was made of the story's current reports
        by the current analysis."""
        with self.engine.connect() as conn:
            reports_key = _reports_key(self._story_report_ids(conn, story))
            query = select(comparisons.c.body).where(
                comparisons.c.story_id == story,
                comparisons.c.version == COMPARISON_VERSION,
                comparisons.c.reports_key == reports_key,
            )
            body: str | None = conn.execute(query).scalar_one_or_none()
        return body

    def keep_comparison(
        self, story: int, report_ids: Sequence[str], body: str, *, facts: int, conflicts: int
    ) -> bool:
        """Keep the comparison of `report_ids`, unless the story's reports changed meanwhile
        (an ingest running beside the comparison); whether it was kept."""
        with self.write() as conn:
            if sorted(self._story_report_ids(conn, story)) != sorted(report_ids):
                return False
            conn.execute(delete(comparisons).where(comparisons.c.story_id == story))
            conn.execute(
                insert(comparisons).values(
                    story_id=story,
                    version=COMPARISON_VERSION,
                    reports_key=_reports_key(report_ids),
                    body=body,
                    facts=facts,
                    conflicts=conflicts,
                    created_at=_now(),
                )
            )
        return True

    def count_unassigned(self) -> int:
        with self.engine.connect() as conn:
            query = select(func.count()).where(
                reports.c.story_id.is_(None), reports.c.duplicate_of.is_(None)
            )
            return int(conn.execute(query).scalar_one())

    # --- reading back ----------------------------------------------------------------------

    def stories(self) -> list[StoryListing]:
        """Every story with its reports, largest first."""
        copies = reports.alias("original")
        query = (
            select(
                stories.c.id,
                stories.c.label,
                reports.c.report_id,
                reports.c.outlet,
                reports.c.title,
                reports.c.published,
                reports.c.url,
                copies.c.report_id,
                reports.c.duplicate_kind,
            )
            .join(reports, reports.c.story_id == stories.c.id)
            .outerjoin(copies, copies.c.pk == reports.c.duplicate_of)
            .order_by(stories.c.id, reports.c.duplicate_of.is_not(None), reports.c.pk)
        )
        grouped: dict[int, tuple[str, list[StoredReport]]] = {}
        with self.engine.connect() as conn:
            for story, label, *fields in conn.execute(query):
                grouped.setdefault(story, (label, []))[1].append(StoredReport(*fields))
        listings = [StoryListing(i, label, tuple(rs)) for i, (label, rs) in grouped.items()]
        return sorted(listings, key=lambda s: (-len(s.reports), s.id))

    def story_summaries(
        self,
        search: str | None = None,
        *,
        sort: str = "reports",
        descending: bool = True,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[int, list[StorySummary]]:
        """One page of stories, and how many match: `search` looks in story labels, report
        titles and outlets; `sort` is a key of STORY_SORTS."""
        if sort not in STORY_SORTS:
            raise StoreError(
                f"cannot sort stories by {sort!r}: use one of {', '.join(STORY_SORTS)}"
            )
        matching: ColumnElement[bool] = true()
        search = (search or "").replace("\x00", "")  # no database stores a NUL to match
        if search:
            in_reports = (
                select(reports.c.pk)
                .where(
                    reports.c.story_id == stories.c.id,
                    or_(
                        reports.c.title.icontains(search, autoescape=True),
                        reports.c.outlet.icontains(search, autoescape=True),
                    ),
                )
                .correlate(stories)
            )
            matching = or_(stories.c.label.icontains(search, autoescape=True), exists(in_reports))
        order = STORY_SORTS[sort]
        order_by = order.desc().nulls_last() if descending else order.asc().nulls_last()
        query = (
            select(
                stories.c.id,
                stories.c.label,
                _REPORT_COUNT,
                _FIRST,
                _LAST,
                comparisons.c.conflicts,
                comparisons.c.facts,
            )
            .join(reports, reports.c.story_id == stories.c.id)
            .outerjoin(
                comparisons,
                and_(
                    comparisons.c.story_id == stories.c.id,
                    comparisons.c.version == COMPARISON_VERSION,
                ),
            )
            .where(matching)
            .group_by(stories.c.id, stories.c.label, comparisons.c.conflicts, comparisons.c.facts)
            .order_by(order_by, stories.c.id)
        )
        with self.engine.connect() as conn:
            total = int(
                conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
            )
            rows = conn.execute(query.limit(limit).offset(offset)).all()
            outlets = self._story_outlets(conn, [row.id for row in rows])
        summaries = [
            StorySummary(
                id=row.id,
                label=row.label,
                reports=row[2],
                outlets=outlets.get(row.id, ()),
                first_published=row[3],
                last_published=row[4],
                conflicts=row.conflicts,
                facts=row.facts,
            )
            for row in rows
        ]
        return total, summaries

    def _story_outlets(self, conn: Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        query = (
            select(reports.c.story_id, reports.c.outlet)
            .where(reports.c.story_id.in_(ids), reports.c.outlet.is_not(None))
            .distinct()
            .order_by(reports.c.story_id, reports.c.outlet)
        )
        found: dict[int, list[str]] = {}
        for story, outlet in conn.execute(query):
            found.setdefault(story, []).append(outlet)
        return {story: tuple(names) for story, names in found.items()}

    def _story_report_ids(self, conn: Connection, story: int) -> list[str]:
        """The ids of the story's original reports (copies left out)."""
        query = select(reports.c.report_id).where(
            reports.c.story_id == story, reports.c.duplicate_of.is_(None)
        )
        return list(conn.execute(query).scalars())

    def stored_report(self, report_id: str) -> StoredText | None:
        """One report in full by its id in the store, or None."""
        if "\x00" in report_id:  # no stored id has one; PostgreSQL refuses to compare it
            return None
        copies = reports.alias("original")
        query = (
            select(
                *_REPORT_COLUMNS,
                reports.c.story_id,
                copies.c.report_id.label("copy_of"),
            )
            .outerjoin(copies, copies.c.pk == reports.c.duplicate_of)
            .where(reports.c.report_id == report_id)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return StoredText(_report(row), row.story_id, row.copy_of)

    def story_reports(self, story: int, *, copies: bool = False) -> list[Report]:
        """The reports of one story as `Report` records, ready for `compare`."""
        query = select(*_REPORT_COLUMNS).where(reports.c.story_id == story)
        if not copies:
            query = query.where(reports.c.duplicate_of.is_(None))
        with self.engine.connect() as conn:
            known = conn.execute(select(stories.c.id).where(stories.c.id == story)).first()
            if known is None:
                raise StoreError(
                    f"no story {story} in {self.url}; `corroborate stories` lists them"
                )
            rows = conn.execute(query.order_by(reports.c.pk)).all()
        return [_report(r) for r in rows]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {
                "reports": int(
                    conn.execute(select(func.count()).select_from(reports)).scalar_one()
                ),
                "copies": int(
                    conn.execute(
                        select(func.count()).where(reports.c.duplicate_of.is_not(None))
                    ).scalar_one()
                ),
                "stories": int(
                    conn.execute(select(func.count()).select_from(stories)).scalar_one()
                ),
                "analyses": int(
                    conn.execute(select(func.count()).select_from(analyses)).scalar_one()
                ),
            }

    def _cluster_query(self) -> Any:
        return select(
            reports.c.pk,
            reports.c.title,
            reports.c.text,
            reports.c.removed,
            reports.c.first_day,
            reports.c.last_day,
            signatures.c.vector,
            reports.c.story_id,
            reports.c.url,
        ).join(signatures, signatures.c.report_pk == reports.c.pk)

    def _cluster_rows(self, conn: Connection, query: Any) -> list[ClusterRow]:
        return [
            ClusterRow(
                pk=r.pk,
                title=r.title,
                text=blank_spans(r.text, _removed_spans(r.removed)),
                days=_days(r.first_day, r.last_day),
                vector=np.frombuffer(r.vector, dtype="<f4").astype(np.float32),
                story=r.story_id,
                url=r.url,
            )
            for r in conn.execute(query)
        ]


# What `_report` reads of a row.
_REPORT_COLUMNS = (
    reports.c.report_id,
    reports.c.text,
    reports.c.outlet,
    reports.c.domain,
    reports.c.title,
    reports.c.published,
    reports.c.url,
    reports.c.removed,
)


def _report(row: Any) -> Report:
    return Report(
        id=row.report_id,
        text=row.text,
        outlet=row.outlet,
        domain=row.domain,
        title=row.title,
        published=row.published,
        url=row.url,
        removed=_removed_spans(row.removed),
    )


def _reports_key(report_ids: Iterable[str]) -> str:
    return hashlib.sha256(json.dumps(sorted(report_ids)).encode("utf-8")).hexdigest()


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _removed_spans(stored: str) -> tuple[Removed, ...]:
    return tuple(Removed(**span) for span in json.loads(stored))


def _days(first: int | None, last: int | None) -> Days | None:
    return (first, last) if first is not None and last is not None else None


def _storable_json(value: Any) -> Any:
    """A JSON value with every string in it made storable."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {
            (storable_text(k) if isinstance(k, str) else k): _storable_json(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_storable_json(v) for v in value]
    return value


def _is_alive(pid: int | None) -> bool:
    """Whether a process of this host runs under `pid`; where that cannot be checked, yes."""
    if pid is None:
        return False
    if os.name != "posix":  # on Windows, os.kill(pid, 0) would end the process
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, under another user
        return True
    return True


def _new_key(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    assert key is not None  # an INSERT of one row always has one
    return int(key[0])


def _now() -> datetime:
    return datetime.now(UTC)
