"""Throughput of `extract` on the 804 FA-KES articles: articles per second and peak memory.

The spaCy pipeline is loaded once, before the clock starts (its load time is reported on its
own); then every article of ../shared/data/corpora/fa_kes.csv is read, cleaned and extracted
through `extract_mentions`, the code path of `corroborate extract`.

Run: `python bench/extract_throughput.py [--limit N]`. Writes bench/results/extract_throughput.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from pathlib import Path

from corroborate import extract_mentions, read_reports
from corroborate.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "fa_kes.csv"
RESULTS = ROOT / "bench" / "results"


def peak_rss_mib() -> float:
    """The process's peak resident memory so far (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"no corpus at {CORPUS}: this benchmark needs ../shared/data/corpora")

    started = time.perf_counter()
    load_pipeline()
    load_seconds = time.perf_counter() - started
    rss_after_load = peak_rss_mib()

    started = time.perf_counter()
    reports = read_reports([CORPUS]).reports[: args.limit]
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    result = extract_mentions(reports)
    extract_seconds = time.perf_counter() - started

    characters = sum(len(r.text) for r in reports)
    mentions = sum(len(e.mentions) for e in result.extractions)
    figures = {
        "articles": len(reports),
        "characters": characters,
        "mentions": mentions,
        "model_load_seconds": round(load_seconds, 2),
        "read_seconds": round(read_seconds, 2),
        "extract_seconds": round(extract_seconds, 2),
        "articles_per_second": round(len(reports) / extract_seconds, 1),
        "characters_per_second": round(characters / extract_seconds),
        "peak_rss_mib_after_model_load": round(rss_after_load),
        "peak_rss_mib": round(peak_rss_mib()),
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
    }
    print(
        f"extract: {len(reports)} FA-KES articles ({characters:,} chars) in {extract_seconds:.1f} s"
        f" = {figures['articles_per_second']} articles/s; {mentions:,} mentions"
    )
    print(
        f"model load {load_seconds:.1f} s; peak RSS {figures['peak_rss_mib']} MiB "
        f"({figures['peak_rss_mib_after_model_load']} MiB after model load)"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "extract_throughput.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
