"""Time `compare` on one long report: does the work grow in line with the text?

Two kinds of long text, each at 25k, 50k, 100k and 200k characters:
- prose: FA-KES articles (../shared/data/corpora/fa_kes.csv) joined as paragraphs;
- numbers: one paragraph dense with figures (a seeded mix of numbers and count words), the
  shape that once took over a minute at 200k characters (extraction was quadratic).
Each text is compared beside one short report, models loaded first. Prints seconds and
characters per second per size, and the growth from one size to the next (2.0 is linear for
a doubled text).

Run: `python bench/long_text.py [--max-chars N]`. Writes bench/results/long_text.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

from corroborate import Report, compare, read_reports
from corroborate.embeddings import load_encoder
from corroborate.nlp import load_pipeline

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "data" / "corpora" / "fa_kes.csv"
RESULTS = ROOT / "bench" / "results"
SIZES = (25_000, 50_000, 100_000, 200_000)
SHORT = "Five people were killed and 12 wounded in an air strike on Sunday, a monitor said."
NUMBER_WORDS = ("killed", "people", "about", "more than", "and", "wounded", "in", "2017", ".")


def prose(size: int, articles: list[str]) -> str:
    parts: list[str] = []
    total = 0
    for text in articles:
        if total >= size:
            break
        parts.append(text)
        total += len(text) + 2
    return "\n\n".join(parts)[:size]


def numbers(size: int, seed: int) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        word = str(rng.randint(1, 100_000)) if rng.random() < 0.4 else rng.choice(NUMBER_WORDS)
        parts.append(word)
        total += len(word) + 1
    return " ".join(parts)[:size]


def timed(text: str) -> float:
    started = time.perf_counter()
    compare([Report(id="long", text=text), Report(id="short", text=SHORT)])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-chars", type=int, default=SIZES[-1], help="largest size to time")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not CORPUS.is_file():
        sys.exit(f"no corpus at {CORPUS}: this benchmark needs ../shared/data/corpora")
    load_pipeline()
    load_encoder()
    articles = [r.text for r in read_reports([CORPUS]).reports]
    timed(SHORT)  # warm-up: lazy imports and first-run allocations
    sizes = [size for size in SIZES if size <= args.max_chars]
    results: dict[str, list[dict[str, float]]] = {}
    for kind in ("prose", "numbers"):
        rows: list[dict[str, float]] = []
        for size in sizes:
            text = prose(size, articles) if kind == "prose" else numbers(size, args.seed)
            seconds = timed(text)
            row = {"chars": len(text), "seconds": round(seconds, 2)}
            row["chars_per_second"] = round(len(text) / seconds)
            if rows:
                row["growth"] = round(seconds / rows[-1]["seconds"], 2)
            rows.append(row)
            growth = row.get("growth", "-")
            print(
                f"{kind:8} {len(text):>8,} chars  {seconds:6.2f} s  "
                f"{row['chars_per_second']:>7,} chars/s  growth {growth}"
            )
        results[kind] = rows
    out = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "seed": args.seed,
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "long_text.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
