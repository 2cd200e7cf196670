"""Ingest throughput and peak memory: the FA-KES corpus with full analysis, and a synthetic
corpus of up to 100,000 reports, showing that the cost per report does not grow with the store.

    python bench/ingest_scale.py [--reports 100000] [--skip-fakes] [--skip-synthetic]

- FA-KES: the 804 articles of ../shared/data/corpora/fa_kes.csv, ingested with the extract
  stage (the analysis stored per report) into a fresh SQLite store.
- Synthetic: reports made by sampling FA-KES, FakeNewsCorpus and AllSides articles and
  perturbing them (sentences dropped and reordered, figures changed, outlets and dates drawn
  over three years), ingested without analysis (its cost per report is fixed, measured above)
  into a fresh SQLite store. The time per 1,000 reports is taken around 10k, 50k and 100k
  reports stored (reading, cleaning, fingerprints, duplicate lookups, vectors, inserts), and
  around 10k, 50k and 100k reports assigned to stories.

Prints the figures and writes bench/results/ingest_scale.json. Each run runs in its own
process, so peak memory (max RSS) is the run's own.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import random
import re
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
FA_KES = DATA / "corpora" / "fa_kes.csv"
FAKENEWS = DATA / "corpora" / "fakenewscorpus_sample.csv"
ALLSIDES = DATA / "clustering" / "allsides_roundups.jsonl"
RESULTS = ROOT / "bench" / "results"
CHECKPOINTS = (10_000, 50_000, 100_000)


class Timeline:
    """Progress callbacks that note when each 1,000th report was stored and assigned."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.stored: list[tuple[int, float]] = [(0, 0.0)]
        self.assigned: list[tuple[int, float]] = []

    def reports_done(self, counts: Any) -> None:
        self.stored.append((counts.read, time.perf_counter() - self.started))

    def stories_started(self, total: int) -> None:
        self.assigned.append((0, time.perf_counter() - self.started))

    def stories_done(self, assigned: int) -> None:
        self.assigned.append((assigned, time.perf_counter() - self.started))


def seconds_per_thousand(points: list[tuple[int, float]], at: int) -> float | None:
    """Seconds per 1,000 reports over the stretch of progress points closest before `at` (the
    last stretch when fewer reports were read, as when a row could not be read)."""
    if points:
        at = min(at, max(n for n, _ in points))
    before = [(n, t) for n, t in points if n <= at]
    after = [(n, t) for n, t in points if n >= at]
    if not before or not after or after[0][0] < at:
        return None
    # Widen to at least 1,000 reports so that batch granularity does not skew the rate.
    start = max((p for p in before if p[0] <= at - 1000), default=before[0], key=lambda p: p[0])
    end = after[0]
    if end[0] == start[0]:
        return None
    return round((end[1] - start[1]) * 1000 / (end[0] - start[0]), 2)


def run_ingest(corpus: str, analyse: bool, queue: Any) -> None:
    from corroborate.ingest import ingest

    timeline = Timeline()
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        result = ingest([corpus], db=str(Path(scratch) / "bench.db"), analyse=analyse,
                        progress=timeline)  # fmt: skip
        seconds = time.perf_counter() - started
    queue.put(
        {
            "seconds": seconds,
            "counts": result.counts.to_dict(),
            "problems": len(result.problems),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "stored": timeline.stored,
            "assigned": timeline.assigned,
        }
    )


def in_own_process(corpus: Path, analyse: bool) -> dict[str, Any]:
    queue: Any = multiprocessing.get_context("spawn").Queue()
    process = multiprocessing.get_context("spawn").Process(
        target=run_ingest, args=(str(corpus), analyse, queue)
    )
    process.start()
    result: dict[str, Any] = queue.get()
    process.join()
    return result


def run_summary(run: dict[str, Any]) -> dict[str, Any]:
    """Throughput, peak memory and counts of one ingest run."""
    return {
        "reports": run["counts"]["read"],
        "seconds": round(run["seconds"], 1),
        "reports_per_second": round(run["counts"]["read"] / run["seconds"], 1),
        "peak_rss_mib": run["peak_rss_mib"],
        "counts": run["counts"],
    }


def base_articles() -> list[dict[str, str]]:
    csv.field_size_limit(10**8)
    articles = []
    with FA_KES.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            articles.append({"title": row["article_title"], "text": row["article_content"]})
    with FAKENEWS.open(encoding="utf-8", errors="replace", newline="") as handle:
        for row in csv.DictReader(handle):
            articles.append({"title": row["title"], "text": row["content"]})
    for line in ALLSIDES.read_text(encoding="utf-8").splitlines():
        for item in json.loads(line)["news"].values():
            articles.append({"title": item["newsTitle"], "text": "\n".join(item["newBody"])})
    return [a for a in articles if len(a["text"]) > 200]


def perturbed(article: dict[str, str], rng: random.Random) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", article["text"])
    kept = [s for s in sentences if rng.random() > 0.25] or sentences[:1]
    if len(kept) > 3 and rng.random() < 0.5:
        middle = kept[1:]
        rng.shuffle(middle)
        kept = kept[:1] + middle
    text = " ".join(kept) or article["text"]
    return re.sub(r"\b\d+\b", lambda m: str(max(1, int(m[0]) + rng.randint(-3, 3))), text)


def write_synthetic(path: Path, size: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    bases = base_articles()
    outlets = [f"Outlet {i}" for i in range(300)]
    first = date(2015, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(size):
            base = rng.choice(bases)
            row = {
                "id": f"s{number}",
                "title": base["title"],
                "text": perturbed(base, rng),
                "outlet": rng.choice(outlets),
                "date": (first + timedelta(days=rng.randrange(3 * 365))).isoformat(),
            }
            handle.write(json.dumps(row) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="synthetic corpus size")
    parser.add_argument("--skip-fakes", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    if not FA_KES.is_file():
        sys.exit(f"no corpus at {FA_KES}: this benchmark needs ../shared/data")
    output = RESULTS / "ingest_scale.json"
    # A run that skips a part keeps that part's last figures.
    results: dict[str, Any] = (
        json.loads(output.read_text(encoding="utf-8")) if output.is_file() else {}
    )
    if not args.skip_fakes:
        run = in_own_process(FA_KES, analyse=True)
        results["fa_kes"] = {**run_summary(run), "problems": run["problems"]}
        print("FA-KES, with analysis:", json.dumps(results["fa_kes"], indent=2))
    if not args.skip_synthetic:
        with tempfile.TemporaryDirectory() as scratch:
            corpus = Path(scratch) / "synthetic.jsonl"
            write_synthetic(corpus, args.reports)
            run = in_own_process(corpus, analyse=False)
        checkpoints = [c for c in CHECKPOINTS if c <= args.reports]
        results["synthetic"] = {
            **run_summary(run),
            "seconds_per_1000_stored_at": {
                str(c): seconds_per_thousand(run["stored"], c) for c in checkpoints
            },
            "seconds_per_1000_assigned_at": {
                str(c): seconds_per_thousand(run["assigned"], c) for c in checkpoints
            },
            # (reports done, seconds since start) after each batch / story chunk
            "stored_timeline": run["stored"][::20],
            "assigned_timeline": run["assigned"],
        }
        print("Synthetic, no analysis:", json.dumps(results["synthetic"], indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
