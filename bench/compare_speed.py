"""Time `compare` on 10 reports of about 800 words, models loaded: the issue's <10 s budget.

Takes the FA-KES articles of 600-1000 words (../shared/data/corpora/fa_kes.csv), in corpus
order, in sets of 10; loads the spaCy pipeline and the sentence encoder first (their load time
is reported on its own), then times `compare` on each set. Reports the median and worst time,
and where the time goes (extract, align, assess).

Run: `python bench/compare_speed.py [--sets N]`. Writes bench/results/compare_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from corroborate import read_reports
from corroborate.align import align
from corroborate.assess import assess
from corroborate.assess.techniques import load_tagger
from corroborate.embeddings import load_encoder
from corroborate.extract import extract_reports
from corroborate.jobs import load_reports
from corroborate.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "fa_kes.csv"
RESULTS = ROOT / "bench" / "results"
REPORTS_PER_SET = 10
WORDS = (600, 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", type=int, default=5, help="how many sets of 10 to time")
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"no corpus at {CORPUS}: this benchmark needs ../shared/data/corpora")

    started = time.perf_counter()
    load_pipeline()
    load_encoder()
    load_tagger()
    load_seconds = time.perf_counter() - started

    articles = [
        r for r in read_reports([CORPUS]).reports if WORDS[0] <= len(r.text.split()) <= WORDS[1]
    ]
    sets = [
        articles[i : i + REPORTS_PER_SET]
        for i in range(0, len(articles) - REPORTS_PER_SET + 1, REPORTS_PER_SET)
    ][: args.sets]
    if not sets:
        sys.exit(f"fewer than {REPORTS_PER_SET} articles of {WORDS} words in {CORPUS}")
    # Warm-up: the first call pays for lazy imports and onnxruntime's first-run allocations.
    warm = extract_reports(load_reports(sets[0][:2])[0])
    assess(warm, align(warm).facts)

    runs = []
    for reports in sets:
        started = time.perf_counter()
        loaded, _ = load_reports(reports)
        extractions = extract_reports(loaded)
        extracted = time.perf_counter()
        alignment = align(extractions)
        aligned = time.perf_counter()
        assess(extractions, alignment.facts)
        done = time.perf_counter()
        runs.append(
            {
                "words": sum(len(r.text.split()) for r in reports),
                "seconds": round(done - started, 2),
                "extract_seconds": round(extracted - started, 2),
                "align_seconds": round(aligned - extracted, 2),
                "assess_seconds": round(done - aligned, 2),
                "facts": len(alignment.facts),
            }
        )
    seconds = [r["seconds"] for r in runs]
    summary = {
        "reports_per_set": REPORTS_PER_SET,
        "sets": len(runs),
        "mean_words_per_report": round(statistics.mean(r["words"] for r in runs) / REPORTS_PER_SET),
        "median_seconds": round(statistics.median(seconds), 2),
        "worst_seconds": max(seconds),
        "median_align_seconds": round(statistics.median(r["align_seconds"] for r in runs), 2),
        "median_assess_seconds": round(statistics.median(r["assess_seconds"] for r in runs), 2),
        "model_load_seconds": round(load_seconds, 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
    }
    for key, value in summary.items():
        print(f"{key:>22}: {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "compare_speed.json"
    out.write_text(json.dumps({"summary": summary, "runs": runs}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
