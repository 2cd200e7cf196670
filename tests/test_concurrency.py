"""Several processes on one store: ingests take turns and both finish, a new store is migrated
once, a writer waits for the write lock and then says why it gave up, and runs that were killed
or interrupted are recorded as such."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, update

import corroborate.ingest
from corroborate.errors import StoreError
from corroborate.ingest import ingest
from corroborate.store import Store, database
from corroborate.store.schema import ingest_runs, reports, stories

# Each process waits for the gate file after its imports, so all start writing at once.
GATED_CLI = """
import sys, time
from pathlib import Path
from corroborate.cli import app
gate = Path(sys.argv[1])
while not gate.exists():
    time.sleep(0.002)
app(sys.argv[2:], prog_name="corroborate")
"""
GATED_OPEN = """
import sys, time
from pathlib import Path
from corroborate.store import Store
gate = Path(sys.argv[1])
while not gate.exists():
    time.sleep(0.002)
Store(sys.argv[2]).close()
"""
VOCABULARY = (
    "army rebels city market bomb blast police minister border village convoy strike talks "
    "ceasefire hospital refugees governor council election protest court judge trial verdict "
    "storm flood river bridge harbour port ship cargo fuel prices bank shares factory workers "
    "union school teachers students airport flight crash pilot mountain road tunnel train "
    "station fire smoke forest drought harvest farmers cattle water dam power grid outage "
    "mayor parliament vote budget taxes embassy envoy summit treaty sanctions oil gas pipeline "
    "militia checkpoint curfew hostage ransom navy coast island volcano quake aid convoy"
)


def _synthetic_rows(first: int, last: int) -> list[dict[str, Any]]:
    """Reports `first`..`last - 1`: distinct texts (no copies), dated in one week."""
    words_used = VOCABULARY.split()
    rows = []
    for number in range(first, last):
        rng = random.Random(number)
        words = [rng.choice(words_used) for _ in range(70)]
        rows.append(
            {
                "id": f"r{number}",
                "title": " ".join(words[:6]).capitalize(),
                "text": " ".join(words).capitalize() + ".",
                "outlet": f"Outlet {number % 5}",
                "date": f"2017-03-0{1 + number % 7}",
            }
        )
    return rows


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _run_gated(script: str, gate: Path, argvs: list[list[str]]) -> list[tuple[int, str]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(gate), *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    time.sleep(1.0)  # most of the imports
    gate.touch()
    results = []
    for process in processes:
        _, stderr = process.communicate(timeout=180)
        results.append((process.returncode, stderr))
    return results


def test_processes_opening_a_new_store_at_once_migrate_it_once(
    new_store: str, tmp_path: Path
) -> None:
    results = _run_gated(GATED_OPEN, tmp_path / "gate", [[new_store]] * 4)
    assert [code for code, _ in results] == [0] * 4, [err for _, err in results]
    with Store(new_store) as store:
        assert store.counts()["reports"] == 0


def test_two_ingests_of_overlapping_inputs_into_a_new_store_store_each_report_once(
    new_store: str, tmp_path: Path
) -> None:
    first = _write_jsonl(tmp_path / "first.jsonl", _synthetic_rows(0, 32))
    second = _write_jsonl(tmp_path / "second.jsonl", _synthetic_rows(16, 48))
    options = ["--db", new_store, "--no-analyse", "--batch-size", "4"]
    results = _run_gated(
        GATED_CLI,
        tmp_path / "gate",
        [["ingest", str(first), *options], ["ingest", str(second), *options]],
    )
    assert [code for code, _ in results] == [0, 0], [err for _, err in results]

    with Store(new_store) as store, store.engine.connect() as conn:
        ids = conn.execute(select(reports.c.report_id)).scalars().all()
        assert sorted(ids) == sorted(f"r{n}" for n in range(48))
        assert store.count_unassigned() == 0
        used = conn.execute(select(func.count(func.distinct(reports.c.story_id)))).scalar_one()
        # Every story made has reports: no chunk of reports was assigned twice.
        assert conn.execute(select(func.count()).select_from(stories)).scalar_one() == used
        runs = conn.execute(select(ingest_runs.c.status, ingest_runs.c.counts)).all()
    assert [status for status, _ in runs] == ["finished", "finished"]
    counts = [json.loads(c) for _, c in runs]
    assert all(c["read"] == 32 and c["stored"] + c["already_stored"] == 32 for c in counts)
    assert sum(c["stored"] for c in counts) == 48
    assert sum(c["stories_created"] for c in counts) == used


def test_a_writer_waits_for_the_lock_then_says_why_it_gave_up(
    new_store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    holder, waiter = Store(new_store), Store(new_store)
    try:
        monkeypatch.setattr(database, "LOCK_WAIT_S", 5.0)
        with holder.write():
            started = time.monotonic()
            done = threading.Event()

            def write_beside() -> None:
                waiter.start_run(["waited"])
                done.set()

            thread = threading.Thread(target=write_beside)
            thread.start()
            time.sleep(0.6)
            assert not done.is_set(), "a second writer got in while the first held the lock"
        thread.join(timeout=10)
        assert done.is_set() and time.monotonic() - started < 5.0

        monkeypatch.setattr(database, "LOCK_WAIT_S", 0.2)
        with holder.write(), pytest.raises(StoreError, match="is busy: another process"):
            waiter.start_run(["gave up"])
    finally:
        holder.close()
        waiter.close()


def _statuses(store: Store) -> dict[int, str]:
    with store.engine.connect() as conn:
        return dict(conn.execute(select(ingest_runs.c.id, ingest_runs.c.status)).all())


def test_a_run_whose_process_died_is_marked_interrupted_by_the_next(tmp_path: Path) -> None:
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()
    with Store(tmp_path / "store.db") as store:
        dead, alive, elsewhere = (store.start_run([name]) for name in ("a", "b", "c"))
        with store.write() as conn:
            conn.execute(update(ingest_runs).where(ingest_runs.c.id == dead).values(pid=ended.pid))
            conn.execute(
                update(ingest_runs)
                .where(ingest_runs.c.id == elsewhere)
                .values(host=f"not-{socket.gethostname()}"[:255], pid=ended.pid)
            )
            # A run of a process that did not say where it runs (an older version's).
            conn.execute(
                insert(ingest_runs).values(
                    id=99, started_at=datetime.now(UTC), inputs="[]", status="running"
                )
            )
        latest = store.start_run(["d"])
        assert _statuses(store) == {
            dead: "interrupted",
            alive: "running",  # this process, still alive
            elsewhere: "running",  # another host's: it cannot be looked up from here
            99: "running",
            latest: "running",
        }


@pytest.mark.parametrize(
    ("stop", "status"), [(KeyboardInterrupt, "interrupted"), (RuntimeError, "failed")]
)
def test_an_ingest_stopped_by_ctrl_c_or_an_error_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop: type[BaseException], status: str
) -> None:
    def stopped(*_args: Any, **_kwargs: Any) -> None:
        raise stop()

    monkeypatch.setattr(corroborate.ingest, "assign_stories", stopped)
    corpus = _write_jsonl(tmp_path / "corpus.jsonl", _synthetic_rows(0, 3))
    db = tmp_path / "store.db"
    with pytest.raises(stop):
        ingest([corpus], db=db, analyse=False)
    with Store(db) as store, store.engine.connect() as conn:
        row = conn.execute(select(ingest_runs)).one()
    assert row.status == status
    assert row.finished_at is not None
    assert json.loads(row.counts)["stored"] == 3
    assert row.pid == os.getpid()
