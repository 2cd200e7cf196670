"""Ingest into a real store (a SQLite file, and a throwaway PostgreSQL server): duplicates,
idempotent re-runs, resume after a killed process, incremental stories, `compare --story`."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, func, select
from sqlalchemy.exc import IntegrityError, OperationalError

import corroborate.ingest
from corroborate.ingest import ingest
from corroborate.model import Report
from corroborate.store import Store
from corroborate.store.schema import analyses, ingest_problems, ingest_runs, reports
from tests.conftest import SEEDS, SHARED, run_cli

FA_KES = SHARED / "data" / "corpora" / "fa_kes.csv"


def _seed_rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (SEEDS / "reports.jsonl").read_text("utf-8").splitlines()]


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _fa_kes_rows(count: int) -> list[dict[str, str]]:
    if not FA_KES.is_file():
        pytest.skip(f"needs the shared corpus at {FA_KES}")
    csv.field_size_limit(10**8)
    with FA_KES.open(encoding="utf-8", errors="replace", newline="") as handle:
        rows = list(csv.DictReader(handle))[:count]
    return [
        {
            "id": r["unit_id"],
            "title": r["article_title"],
            "text": r["article_content"],
            "outlet": r["source"],
            "date": r["date"],
        }
        for r in rows
    ]


@pytest.fixture
def corpus_with_copies(tmp_path: Path) -> Path:
    """The two seed reports, a wire copy of one under another outlet, a lightly edited
    re-publication of the other, and a broken row."""
    duran, cnn = _seed_rows()
    copy = {**duran, "id": "duran-syndicated", "outlet": "Another Outlet"}
    edited = {**cnn, "id": "cnn-updated", "text": cnn["text"] + "\nCNN's Jane Doe contributed."}
    path = _write_jsonl(tmp_path / "corpus.jsonl", [duran, cnn, copy, edited])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "broken", "text": \n')
    return path


def _check_ingest_and_rerun(db: str, corpus: Path) -> None:
    first = ingest([corpus], db=db)
    assert first.counts.read == 4
    assert first.counts.stored == 4
    assert (first.counts.exact_copies, first.counts.near_copies) == (1, 1)
    assert [p.source for p in first.problems] == [f"{corpus}:5"]
    with Store(db) as store:
        listings = store.stories()
        counts = store.counts()
    # Both seed reports tell of one event; copies follow their originals into it.
    assert len(listings) == 1
    assert sorted(r.id for r in listings[0].reports) == [
        "cnn",
        "cnn-updated",
        "duran",
        "duran-syndicated",
    ]
    copies = {r.id: (r.copy_of, r.copy_kind) for r in listings[0].reports}
    assert copies["duran-syndicated"] == ("duran", "exact")
    assert copies["cnn-updated"] == ("cnn", "near")
    assert counts == {"reports": 4, "copies": 2, "stories": 1, "analyses": 2}

    again = ingest([corpus], db=db)
    assert again.counts.already_stored == 4
    assert again.counts.stored == 0
    with Store(db) as store:
        assert store.counts() == counts
        assert [s.to_dict() for s in store.stories()] == [s.to_dict() for s in listings]


def test_ingest_links_copies_and_reruns_idempotently_on_sqlite(
    tmp_path: Path, corpus_with_copies: Path
) -> None:
    _check_ingest_and_rerun(str(tmp_path / "store.db"), corpus_with_copies)


def test_ingest_on_postgresql(postgres_url: str, corpus_with_copies: Path) -> None:
    _check_ingest_and_rerun(postgres_url, corpus_with_copies)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ingest_problems)).scalar_one() == 2
        stored = conn.execute(select(analyses.c.body)).scalars().all()
    engine.dispose()
    # The analysis stored is the extract stage's: the seed reports' counts are in it.
    assert any(m["value"] == 331 for body in stored for m in json.loads(body)["mentions"])


def test_stories_grow_across_batches(postgres_url: str, tmp_path: Path) -> None:
    duran, cnn = _seed_rows()
    ingest([_write_jsonl(tmp_path / "a.jsonl", [duran])], db=postgres_url)
    second = ingest([_write_jsonl(tmp_path / "b.jsonl", [cnn])], db=postgres_url)
    assert (second.counts.stories_created, second.counts.stories_extended) == (0, 1)
    with Store(postgres_url) as store:
        (story,) = store.stories()
        assert sorted(r.id for r in story.reports) == ["cnn", "duran"]


def test_two_bombings_a_week_apart_are_two_stories(tmp_path: Path) -> None:
    text = (
        "A car bomb exploded near a busy market in the Syrian city of Idlib on {day}, killing "
        "{n} people and wounding dozens, a war monitor said. The blast struck as shoppers "
        "crowded the market. No group claimed responsibility for the attack."
    )
    rows = [
        {"id": "a1", "outlet": "A", "date": "2017-03-06", "text": text.format(day="Monday", n=9)},
        {
            "id": "b1",
            "outlet": "B",
            "date": "2017-03-06",
            "text": "Nine people were killed on Monday when a car bomb went off at a market in "
            "Idlib, according to the Syrian Observatory. Dozens were hurt in the explosion.",
        },
        {"id": "a2", "outlet": "A", "date": "2017-03-13", "text": text.format(day="Monday", n=14)},
    ]
    db = str(tmp_path / "store.db")
    ingest([_write_jsonl(tmp_path / "bombings.jsonl", rows)], db=db, analyse=False)
    with Store(db) as store:
        grouped = sorted(sorted(r.id for r in s.reports) for s in store.stories())
    assert grouped == [["a1", "b1"], ["a2"]]


def test_killed_ingest_resumes_without_loss_or_duplicates(tmp_path: Path) -> None:
    corpus = _write_jsonl(tmp_path / "fakes.jsonl", _fa_kes_rows(240))
    db = tmp_path / "store.db"
    command = [
        sys.executable, "-m", "corroborate", "ingest", str(corpus),
        "--db", str(db), "--no-analyse", "--batch-size", "16",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    engine = create_engine(f"sqlite:///{db}")
    deadline = time.monotonic() + 120
    stored = 0
    try:
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            if db.exists():
                try:
                    with engine.connect() as conn:
                        stored = conn.execute(
                            select(func.count()).select_from(reports)
                        ).scalar_one()
                except Exception:  # the schema may not exist yet
                    continue
                if stored >= 32:
                    os.kill(process.pid, signal.SIGKILL)
                    break
    finally:
        process.wait(timeout=60)
        engine.dispose()
    assert process.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    assert 32 <= stored < 240

    resumed = run_cli("ingest", str(corpus), "--db", str(db), "--no-analyse")
    assert resumed.returncode == 0, resumed.stderr
    with Store(db) as store:
        counts = store.counts()
        listed = [r.id for s in store.stories() for r in s.reports]
    assert counts["reports"] == 240
    assert sorted(listed) == sorted(r["id"] for r in _fa_kes_rows(240))
    assert store.count_unassigned() == 0
    with store.engine.connect() as conn:
        runs = conn.execute(select(ingest_runs.c.status).order_by(ingest_runs.c.id)).scalars()
        # The killed run was found dead when the next one started.
        assert list(runs) == ["interrupted", "finished"]


def test_cli_stories_and_compare_story(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    assert run_cli("ingest", str(SEEDS / "reports.jsonl"), "--db", db).returncode == 0
    listed = run_cli("stories", "--db", db, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    stories = json.loads(listed.stdout)
    assert [s["reports"] for s in stories] == [["duran", "cnn"]]
    # The label is the headline of the story's most central report.
    assert stories[0]["label"] in {row["title"] for row in _seed_rows()}
    compared = run_cli("compare", "--story", str(stories[0]["story"]), "--db", db, "-f", "json")
    assert compared.returncode == 0, compared.stderr
    from_files = run_cli("compare", str(SEEDS / "reports.jsonl"), "-f", "json")
    assert json.loads(compared.stdout)["facts"] == json.loads(from_files.stdout)["facts"]

    kept = run_cli("stories", "--db", db, "--compare")
    assert kept.returncode == 0, kept.stderr
    assert "1 stories compared" in kept.stderr
    with Store(db) as store:
        _, (summary,) = store.story_summaries()
    assert summary.facts == len(json.loads(compared.stdout)["facts"])
    assert "0 stories compared" in run_cli("stories", "--db", db, "--compare").stderr

    missing = run_cli("compare", "--story", "999", "--db", db)
    assert missing.returncode == 4
    assert "no story 999" in missing.stderr


def test_bad_db_url_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("stories", "--db", "nosuchdialect://x/y")
    assert result.returncode == 4
    assert "nosuchdialect" in result.stderr


def test_a_copy_arriving_later_joins_its_originals_story(tmp_path: Path) -> None:
    duran, cnn = _seed_rows()
    db = str(tmp_path / "store.db")
    ingest([_write_jsonl(tmp_path / "first.jsonl", [duran, cnn])], db=db, analyse=False)
    wire = {**duran, "id": "wire-copy", "outlet": "Syndicator"}
    later = ingest([_write_jsonl(tmp_path / "later.jsonl", [wire])], db=db, analyse=False)
    assert later.counts.exact_copies == 1
    with Store(db) as store:
        (story,) = store.stories()
    assert "wire-copy" in [r.id for r in story.reports]


def test_reused_ids_and_awkward_rows_do_not_stop_an_ingest(
    postgres_url: str, tmp_path: Path
) -> None:
    duran, cnn = _seed_rows()
    long_id = "https://example.com/" + "x" * 600
    for run, row in enumerate(
        [duran, cnn, {**duran, "text": "UPDATED with new details. " + duran["text"]}]
    ):
        # Three different texts under one id, in three runs: each is kept under its own id.
        same_id = {**row, "id": "a"}
        ingest([_write_jsonl(tmp_path / f"run{run}.jsonl", [same_id])], db=postgres_url)
    odd = {"id": long_id, "text": "Nine people were killed.\u0000 " + cnn["text"]}
    result = ingest([_write_jsonl(tmp_path / "odd.jsonl", [odd])], db=postgres_url)
    assert result.counts.stored == 1
    again = ingest([_write_jsonl(tmp_path / "odd.jsonl", [odd])], db=postgres_url)
    assert again.counts.already_stored == 1
    with Store(postgres_url) as store:
        ids = sorted(r.id for s in store.stories() for r in s.reports)
    assert ids[:3] == ["a", "a~2", "a~3"]
    assert len(ids) == 4
    assert ids[3].startswith("https://example.com/xxx") and len(ids[3]) <= 400


def test_stories_of_a_missing_store_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.db"
    result = run_cli("stories", "--db", str(missing))
    assert result.returncode == 4
    assert "no store at" in result.stderr
    assert not missing.exists()


THIRD = {
    "id": "third",
    "outlet": "Harbour Times",
    "text": "The ferry reached the harbour two hours late after a storm closed the port.",
}


def _refusing(refused_id: str, error: Exception) -> Any:
    """Store.add_report, refusing the report read under `refused_id`."""
    add_report = Store.add_report

    def add(store: Store, conn: Connection, row: dict[str, Any]) -> int:
        if row["input_id"] == refused_id:
            raise error
        return add_report(store, conn, row)

    return add


def test_a_report_the_store_refuses_is_a_problem_and_the_rest_of_its_batch_is_stored(
    new_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _write_jsonl(tmp_path / "corpus.jsonl", [*_seed_rows(), THIRD])
    refusal = IntegrityError("INSERT INTO reports", {}, Exception("CHECK constraint failed: x"))
    monkeypatch.setattr(Store, "add_report", _refusing("cnn", refusal))
    result = ingest([corpus], db=new_store, analyse=False)
    assert (result.counts.read, result.counts.stored, result.counts.problems) == (3, 2, 1)
    (problem,) = result.problems
    assert problem.source == f"{corpus}:2"
    assert problem.message == "not stored: CHECK constraint failed: x"
    with Store(new_store) as store, store.engine.connect() as conn:
        stored = conn.execute(select(reports.c.report_id)).scalars().all()
        kept = conn.execute(select(ingest_problems.c.source, ingest_problems.c.problem)).all()
        run = conn.execute(select(ingest_runs.c.status, ingest_runs.c.counts)).one()
        assert store.count_unassigned() == 0
    assert sorted(stored) == ["duran", "third"]
    assert [tuple(k) for k in kept] == [(problem.source, problem.message)]
    assert run.status == "finished" and json.loads(run.counts)["problems"] == 1

    monkeypatch.undo()
    again = ingest([corpus], db=new_store, analyse=False)
    assert (again.counts.stored, again.counts.already_stored) == (1, 2)


def test_a_failing_store_stops_the_ingest_and_fails_its_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _write_jsonl(tmp_path / "corpus.jsonl", [*_seed_rows(), THIRD])
    failure = OperationalError("INSERT INTO reports", {}, Exception("disk I/O error"))
    monkeypatch.setattr(Store, "add_report", _refusing("cnn", failure))
    db = tmp_path / "store.db"
    with pytest.raises(OperationalError):  # not a report's fault: not one problem per report
        ingest([corpus], db=db, analyse=False)
    with Store(db) as store, store.engine.connect() as conn:
        assert conn.execute(select(ingest_runs.c.status)).scalar_one() == "failed"
        assert store.counts()["reports"] == 0


def test_a_nul_deep_in_a_txt_file_is_stored_alike_on_every_backend(
    new_store: str, tmp_path: Path
) -> None:
    body = "word " * 1900  # the NUL past the first 8 KiB, where no reader takes it for binary
    (tmp_path / "nul.txt").write_text(f"{body}\x00 and the rest of the report.", "utf-8")
    assert ingest([tmp_path / "nul.txt"], db=new_store, analyse=False).counts.stored == 1
    with Store(new_store) as store:
        found = store.stored_report("nul")
    assert found is not None
    assert found.report.text == f"{body}\ufffd and the rest of the report."  # offsets hold


def test_what_no_store_holds_is_made_storable_whatever_the_reader_gave(
    new_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "Nine people were killed.\x00 " + _seed_rows()[1]["text"] + " \ud800"
    odd = Report(
        id="odd\x00id",
        text=text,
        title="A title\x00 with a lone \ud800 surrogate",
        outlet="Out\x00let",
        url="https://example.com/a\x00b",
        source="odd\x00.jsonl:1",
    )
    monkeypatch.setattr(corroborate.ingest, "iter_reports", lambda _inputs: iter([odd]))
    first = ingest(["odd.jsonl"], db=new_store, analyse=False)
    assert (first.counts.stored, first.counts.problems) == (1, 0)
    with Store(new_store) as store, store.engine.connect() as conn:
        found = store.stored_report("odd\ufffdid")
        source = conn.execute(select(reports.c.source)).scalar_one()
    assert found is not None
    report = found.report
    assert report.text == text.replace("\x00", "\ufffd").replace("\ud800", "\ufffd")
    assert report.title == "A title\ufffd with a lone \ufffd surrogate"
    assert (report.outlet, report.url) == ("Out\ufffdlet", "https://example.com/a\ufffdb")
    assert source == "odd\ufffd.jsonl:1"
    # The id is made storable before it is looked up, so a second run finds it stored.
    assert ingest(["odd.jsonl"], db=new_store, analyse=False).counts.already_stored == 1
