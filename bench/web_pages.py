"""Time the web UI's story page for stories of 10 reports, and save screenshots of its pages.

Timing: takes FA-KES articles of 600-1000 words (../shared/data/corpora/fa_kes.csv), in corpus
order, in sets of 10, as bench/compare_speed.py does; ingests each set into a fresh SQLite
store and makes it one story (set by hand, so that each page has exactly 10 reports whatever
the clustering decides). Then, over HTTP against `corroborate serve`'s app running in this
process, times:
  - the first request of each story page: the comparison is computed and kept in the store;
  - later requests (the issue's "renders from the store" budget of 1 s): median, p95, worst;
  - the same story's JSON (/api/stories/ID) and one report page.

Screenshots (need chromium: apt-get install chromium): the seed story's page, the page after
clicking the "9 soldiers" cell, the Duran report page, the compare-now form, and one 10-report
story, under bench/results/screenshots/.

Run: `python bench/web_pages.py [--sets N] [--requests N]`. Writes bench/results/web_pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from corroborate import read_reports
from corroborate.ingest import ingest
from corroborate.store import Store
from corroborate.store.schema import reports  # the benchmark groups stories by hand
from corroborate.web import create_app, serving

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "fa_kes.csv"
SEEDS = ROOT / "examples" / "seeds" / "reports.jsonl"
RESULTS = ROOT / "bench" / "results"
SCREENSHOTS = RESULTS / "screenshots"
REPORTS_PER_STORY = 10
WORDS = (600, 1000)
BUDGET_SECONDS = 1.0
CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/bin/chromium")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=3, help="stories of 10 reports to time")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"no corpus at {CORPUS}: this benchmark needs ../shared/data/corpora")

    with tempfile.TemporaryDirectory(prefix="corroborate-web-bench-") as folder:
        store_path = Path(folder) / "stories.db"
        stories = _store_stories(store_path, args.sets)
        ingest([SEEDS], db=store_path)
        with Store(store_path) as store, serving(create_app(store=store)) as base_url:
            timings = [_time_story(base_url, story, args.requests) for story in stories]
            seed_story = _story_titled(base_url, "Hezbollah declares")
            shots = _screenshots(base_url, seed_story, stories[0])

    warm = [t["warm_median_seconds"] for t in timings]
    result = {
        "benchmark": "web story page, 10 reports, from the store",
        "corpus": str(CORPUS.relative_to(ROOT.parent)),
        "reports_per_story": REPORTS_PER_STORY,
        "requests_per_page": args.requests,
        "stories": timings,
        "warm_median_seconds": round(statistics.median(warm), 4),
        "warm_worst_seconds": max(t["warm_max_seconds"] for t in timings),
        "budget_seconds": BUDGET_SECONDS,
        "within_budget": max(t["warm_max_seconds"] for t in timings) < BUDGET_SECONDS,
        "screenshots": shots,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "web_pages.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    for t in timings:
        print(
            f"story {t['story']}: {t['reports']} reports, {t['facts']} facts, page "
            f"{t['page_kib']:.0f} KiB; first request {t['first_seconds']:.2f} s (compares); "
            f"from the store median {t['warm_median_seconds'] * 1000:.0f} ms, p95 "
            f"{t['warm_p95_seconds'] * 1000:.0f} ms, worst {t['warm_max_seconds'] * 1000:.0f} ms; "
            f"JSON {t['api_median_seconds'] * 1000:.0f} ms; report page "
            f"{t['report_page_median_seconds'] * 1000:.0f} ms"
        )
    print(
        f"story page from the store: median {result['warm_median_seconds'] * 1000:.0f} ms, "
        f"worst {result['warm_worst_seconds'] * 1000:.0f} ms (budget {BUDGET_SECONDS:.0f} s)"
    )
    print(f"screenshots: {', '.join(shots) or 'none (no chromium)'}")


def _store_stories(path: Path, sets: int) -> list[int]:
    """Ingest articles and make each run of 10 originals (copies left out) one story."""
    articles = [
        r for r in read_reports([CORPUS]).reports if WORDS[0] <= len(r.text.split()) <= WORDS[1]
    ]
    corpus = path.with_suffix(".jsonl")
    with corpus.open("w", encoding="utf-8") as out:
        # Room for the copies the ingest links to an original instead of keeping apart.
        for report in articles[: 2 * sets * REPORTS_PER_STORY]:
            row = {**report.to_dict(), "removed": None, "signals": None}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    ingest([corpus], db=path, analyse=False)
    story_ids = []
    with Store(path) as store, store.engine.begin() as conn:
        originals = list(
            conn.execute(
                select(reports.c.pk, reports.c.title)
                .where(reports.c.duplicate_of.is_(None))
                .order_by(reports.c.pk)
            )
        )
        for i in range(sets):
            chunk = originals[i * REPORTS_PER_STORY : (i + 1) * REPORTS_PER_STORY]
            if len(chunk) < REPORTS_PER_STORY:
                break
            story = store.create_story(conn, f"FA-KES set {i + 1}: {chunk[0].title}")
            store.assign(conn, [row.pk for row in chunk], story)
            story_ids.append(story)
    return story_ids


def _time_story(base_url: str, story: int, requests: int) -> dict[str, Any]:
    with httpx.Client(base_url=base_url, timeout=120) as client:
        started = time.perf_counter()
        first = client.get(f"/stories/{story}")
        first_seconds = time.perf_counter() - started
        first.raise_for_status()
        warm = _timed(client, f"/stories/{story}", requests)
        api = _timed(client, f"/api/stories/{story}", requests)
        data = client.get(f"/api/stories/{story}").json()
        report_path = f"/reports/{data['reports'][0]['id']}"
        report = _timed(client, report_path, requests)
    return {
        "story": story,
        "reports": len(data["reports"]),
        "words": sum(len(r["text"].split()) for r in data["reports"]),
        "facts": len(data["facts"]),
        "page_kib": round(len(first.content) / 1024, 1),
        "first_seconds": round(first_seconds, 3),
        "warm_median_seconds": round(statistics.median(warm), 4),
        "warm_p95_seconds": round(_p95(warm), 4),
        "warm_max_seconds": round(max(warm), 4),
        "api_median_seconds": round(statistics.median(api), 4),
        "report_page_median_seconds": round(statistics.median(report), 4),
    }


def _timed(client: httpx.Client, path: str, requests: int) -> list[float]:
    seconds = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        seconds.append(time.perf_counter() - started)
    return seconds


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _story_titled(base_url: str, words: str) -> int:
    found = httpx.get(f"{base_url}/api/stories", params={"q": words}).json()["stories"]
    return int(found[0]["id"])


def _screenshots(base_url: str, seed_story: int, big_story: int) -> list[str]:
    executable = os.environ.get("CORROBORATE_CHROMIUM") or next(
        (c for c in CHROMIUM if Path(c).is_file()), shutil.which("chromium")
    )
    if not executable:
        print("no chromium: screenshots skipped (apt-get install chromium)", file=sys.stderr)
        return []
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []

    def shot(page: Any, name: str, full_page: bool = False) -> None:
        path = SCREENSHOTS / name
        page.screenshot(path=str(path), full_page=full_page)
        saved.append(str(path.relative_to(ROOT)))

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.goto(f"{base_url}/")
        shot(page, "stories.png")
        page.goto(f"{base_url}/stories/{seed_story}")
        shot(page, "story_seeds.png", full_page=True)
        page.get_by_role("button", name="9 soldiers").click()
        page.wait_for_timeout(200)
        shot(page, "story_seeds_cell_clicked.png")
        page.goto(f"{base_url}/reports/duran")
        shot(page, "report_duran.png", full_page=True)
        page.goto(f"{base_url}/compare")
        shot(page, "compare_now.png")
        page.goto(f"{base_url}/stories/{big_story}")
        shot(page, "story_10_reports.png")
        browser.close()
    return saved


if __name__ == "__main__":
    main()
