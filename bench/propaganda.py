"""Propaganda techniques on PTC (SemEval-2020 Task 11 training set): 5-fold cross-validation
over articles of the tagger that `scripts/train_technique_model.py` ships.

    python bench/propaganda.py [--folds 5] [--epochs 10] [--ptc DIR]

Prints and writes to bench/results/propaganda.json:
- span identification (SI): the SemEval-2020 SI precision, recall and F1 with partial-overlap
  credit, technique-blind, on each held-out fold's articles;
- technique classification (TC): micro-F1 (here, the share of gold spans named right) of the
  span classifier on the held-out gold spans;
- loaded-language span F1: SI scoring restricted to gold Loaded_Language spans and predicted
  spans the classifier names Loaded_Language;
- tagging speed of the shipped tagger (words per second, one thread of MiniLM plus the head).

Needs the export extra (torch, scikit-learn). About 25 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from ptc import PTC, load_ptc, si_score, techniques_of  # noqa: E402
from train_technique_model import (  # noqa: E402
    EPOCHS,
    article_inputs,
    decode,
    fit_tagger,
    gold_span_rows,
    span_probabilities,
    tc_correct,
)

from corroborate.assess.techniques import LOADED_LANGUAGE, load_tagger, span_features  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "propaganda.json"
# The SemEval-2020 Task 11 leaderboard (hidden test set), for scale.
BEST_PUBLISHED = {"si_f1": 0.516, "tc_micro_f1": 0.62}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--ptc", type=Path, default=PTC)
    args = parser.parse_args()

    articles = load_ptc(args.ptc)
    techniques = techniques_of(articles)
    started = time.perf_counter()
    inputs = article_inputs(articles, techniques)
    featurised = time.perf_counter() - started
    words = sum(len(a.words) for a in inputs)
    print(f"{len(articles)} articles, {words} words featurised in {featurised:.0f} s")

    order = list(range(len(articles)))
    random.Random(0).shuffle(order)
    folds = [sorted(order[k :: args.folds]) for k in range(args.folds)]
    gold = {a.id: [(s.start, s.end) for s in a.spans] for a in articles}
    gold_loaded = {
        a.id: [(s.start, s.end) for s in a.spans if s.technique == LOADED_LANGUAGE]
        for a in articles
    }
    predicted: dict[str, list[tuple[int, int]]] = {}
    predicted_loaded: dict[str, list[tuple[int, int]]] = {}
    tc_right = tc_total = 0
    per_fold = []
    for k, test in enumerate(folds):
        held = set(test)
        train = [i for i in order if i not in held]
        tagger = fit_tagger(
            [articles[i] for i in train], [inputs[i] for i in train], args.epochs, refit=False
        )
        test_articles = [articles[i] for i in test]
        test_inputs = [inputs[i] for i in test]
        spans = decode(
            test_articles,
            test_inputs,
            span_probabilities(tagger.head, test_inputs),
            tagger.high,
            tagger.low,
        )
        for article, a in zip(test_articles, test_inputs, strict=True):
            found = spans[article.id]
            predicted[article.id] = [(s, e) for s, e, _, _ in found]
            predicted_loaded[article.id] = [
                (s, e)
                for s, e, first, last in found
                if tagger.classifier.classify(span_features(a.tagger, first, last))[0]
                == LOADED_LANGUAGE
            ]
        rows, labels, keys = gold_span_rows(test_articles, test_inputs)
        right = tc_correct(tagger.classifier, rows, labels, keys)
        tc_right += right
        tc_total += len(labels)
        fold_si = si_score(
            {a.id: predicted[a.id] for a in test_articles},
            {a.id: gold[a.id] for a in test_articles},
        )
        per_fold.append(
            {
                "si_f1": round(fold_si[2], 4),
                "tc_micro_f1": round(right / len(labels), 4),
                "high": tagger.high,
                "low": tagger.low,
            }
        )
        print(f"fold {k + 1}: SI F1 {fold_si[2]:.3f}, TC {right / len(labels):.3f}", flush=True)

    si = si_score(predicted, gold)
    loaded = si_score(predicted_loaded, gold_loaded)
    tc = tc_right / tc_total
    speed = tagging_speed([a.text for a in articles[:40]])
    result = {
        "corpus": "PTC ptc_train (SemEval-2020 Task 11), 371 articles",
        "folds": args.folds,
        "epochs": args.epochs,
        "si": {"precision": round(si[0], 4), "recall": round(si[1], 4), "f1": round(si[2], 4)},
        "si_f1_per_fold_sd": round(float(np.std([f["si_f1"] for f in per_fold])), 4),
        "tc_micro_f1": round(tc, 4),
        "loaded_language": {
            "precision": round(loaded[0], 4),
            "recall": round(loaded[1], 4),
            "f1": round(loaded[2], 4),
        },
        "per_fold": per_fold,
        "targets": {"si_f1": 0.40, "tc_micro_f1": 0.55},
        "best_published_test": BEST_PUBLISHED,
        "words_per_second_shipped": round(speed),
        "seconds": round(time.perf_counter() - started),
    }
    print(
        f"SI P/R/F1 {si[0]:.3f}/{si[1]:.3f}/{si[2]:.3f}  TC micro-F1 {tc:.3f}  "
        f"loaded language F1 {loaded[2]:.3f}  shipped tagger {speed:.0f} words/s"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def tagging_speed(texts: list[str]) -> float:
    """Words per second of the shipped tagger (MiniLM states, head, decoding, naming)."""
    tagger = load_tagger()
    tagger.tag(texts[0])  # load the models outside the timing
    started = time.perf_counter()
    words = 0
    for text in texts:
        tagger.tag(text)
        words += len(text.split())
    return words / (time.perf_counter() - started)


if __name__ == "__main__":
    main()
