"""Story clustering quality and speed: ingest a corpus with gold stories, score the stories.

    python bench/clustering.py [CORPUS.jsonl] [--batches N] [--db URL]

CORPUS defaults to ../shared/data/clustering/allsides_roundups.jsonl (AllSides roundups: each
row a story whose `news` holds the left/center/right articles; only each article's own title,
body, outlet and link are used, never the story's date or any other story field). Any other
.jsonl with `id`, `text` and a gold `story` field per line works too (`title`, `outlet`,
`url`, `published` are used when present).

The articles go through the real `ingest` (no extraction: clustering does not use it) into a
fresh SQLite store, in one batch or in --batches sequential ingests (incremental stories);
the stored stories are scored against the gold with BCubed precision/recall/F1 and pairwise
F1. Prints the figures and writes bench/results/clustering.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any

from corroborate.ingest import ingest
from corroborate.store import Store

ROOT = Path(__file__).resolve().parent.parent
ALLSIDES = ROOT.parent / "shared" / "data" / "clustering" / "allsides_roundups.jsonl"
RESULTS = ROOT / "bench" / "results"


def load_articles(path: Path) -> list[dict[str, Any]]:
    """Flat article records with a gold `story`; AllSides rows are flattened."""
    articles = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        if isinstance(row.get("news"), dict):
            for stance, item in row["news"].items():
                articles.append(
                    {
                        "id": f"{row['id']}-{stance}",
                        "story": row["id"],
                        "title": item.get("newsTitle"),
                        "text": "\n".join(item.get("newBody") or []),
                        "outlet": item.get("newsSource"),
                        "url": item.get("newsLink"),
                    }
                )
        elif "text" in row and "story" in row:
            article = {k: row.get(k) for k in ("title", "text", "outlet", "url", "published")}
            articles.append({"id": str(row.get("id", number)), "story": row["story"], **article})
        else:
            sys.exit(f"{path}:{number}: expected an AllSides row or a record with text and story")
    return [a for a in articles if a["text"] and a["text"].strip()]


def bcubed(
    predicted: Mapping[Any, Any], gold: Mapping[Any, Any], scored: Iterable[Any] | None = None
) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 over the `scored` items (all by default), each judged
    against the whole clustering (held-out items of a cross-validation fold, say)."""
    by_predicted, by_gold = defaultdict(set), defaultdict(set)
    for item in gold:
        by_predicted[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    items = list(gold if scored is None else scored)
    precision = recall = 0.0
    for item in items:
        same = by_predicted[predicted[item]] & by_gold[gold[item]]
        precision += len(same) / len(by_predicted[predicted[item]])
        recall += len(same) / len(by_gold[gold[item]])
    precision, recall = precision / len(items), recall / len(items)
    return precision, recall, _f1(precision, recall)


def pairwise_f1(predicted: dict[str, Any], gold: dict[str, Any]) -> tuple[float, float, float]:
    def pairs(labels: dict[str, Any]) -> set[tuple[str, str]]:
        groups = defaultdict(list)
        for item, label in labels.items():
            groups[label].append(item)
        return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}  # type: ignore[misc]

    found, wanted = pairs(predicted), pairs(gold)
    right = len(found & wanted)
    precision = right / len(found) if found else 0.0
    recall = right / len(wanted) if wanted else 0.0
    return precision, recall, _f1(precision, recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ALLSIDES)
    parser.add_argument("--batches", type=int, default=1, help="ingest in this many runs")
    parser.add_argument("--db", help="store URL (default: a fresh temporary SQLite file)")
    parser.add_argument("--output", type=Path, help="results file (default bench/results/...)")
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"no corpus at {args.corpus}: this benchmark needs ../shared/data/clustering")
    articles = load_articles(args.corpus)
    gold = {a["id"]: a["story"] for a in articles}
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or str(Path(scratch) / "stories.db")
        size = -(-len(articles) // args.batches)
        started = time.perf_counter()
        for batch in range(args.batches):
            part = Path(scratch) / f"part{batch}.jsonl"
            rows = articles[batch * size : (batch + 1) * size]
            part.write_text(
                "".join(
                    json.dumps({k: v for k, v in a.items() if k != "story"}) + "\n" for a in rows
                ),
                encoding="utf-8",
            )
            ingest([part], db=db, analyse=False)
        seconds = time.perf_counter() - started
        with Store(db) as store:
            predicted = {r.id: s.id for s in store.stories() for r in s.reports}
    missing = set(gold) - set(predicted)
    if missing:
        sys.exit(f"{len(missing)} articles got no story, e.g. {sorted(missing)[:3]}")
    b_precision, b_recall, b_f1 = bcubed(predicted, gold)
    p_precision, p_recall, p_f1 = pairwise_f1(predicted, gold)
    results = {
        "corpus": str(args.corpus.name),
        "articles": len(articles),
        "gold_stories": len(set(gold.values())),
        "predicted_stories": len(set(predicted.values())),
        "batches": args.batches,
        "bcubed_precision": round(b_precision, 4),
        "bcubed_recall": round(b_recall, 4),
        "bcubed_f1": round(b_f1, 4),
        "pairwise_precision": round(p_precision, 4),
        "pairwise_recall": round(p_recall, 4),
        "pairwise_f1": round(p_f1, 4),
        "seconds": round(seconds, 1),
        "articles_per_second": round(len(articles) / seconds, 1),
    }
    for key, value in results.items():
        print(f"{key:20s} {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.corpus == ALLSIDES else f"_{args.corpus.stem}"
    suffix += f"_batches{args.batches}" if args.batches > 1 else ""
    output = args.output or RESULTS / f"clustering{suffix}.json"
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
