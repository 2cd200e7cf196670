"""Score the quantity extractor on NewsQuant (CQE, Almasian et al. 2023), as CQE scores it.

Every sentence of ../shared/data/quantities/NewsQuant.json goes through `extract_mentions`, the
code path of `corroborate extract`. A gold quantity is matched by at most one predicted
quantity of its sentence with the same value (relative tolerance 1e-5, as CQE's scorer; a
range matches only a range with both bounds equal, in either order), each prediction used
once; the matching
is a maximum one-to-one matching per sentence, done separately for each criterion:

- value: the value alone;
- value+change: and the same change (=, ~, >, <, up, down);
- value+unit: and the same unit, compared through `canonical_unit` (Corroborate's own unit
  table, data/units.tsv): a prediction's unit matches if its canonical name equals that of
  the gold unit as written or of the gold normalised unit.

Conventions mapped, not tuned: a vague plural ("hundreds of miles") is a mention with low 200
and high 1000 in Corroborate (at least two hundreds, fewer than ten); NewsQuant writes the
order of magnitude, 100-1000, so the bench reads a vague mention as (high / 10, high).

Run: `python bench/newsquant.py [--errors]`. Writes bench/results/newsquant.json.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corroborate import Report, extract_mentions
from corroborate.units import canonical_unit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "quantities"
RESULTS = ROOT / "bench" / "results"

Value = float | tuple[float, float]
Quantity = dict[str, Any]  # {"value": Value, "change": str, "unit": str | None, ...}


def gold_value(text: str) -> Value:
    """NewsQuant writes a range as "low-high"; a leading minus or an exponent is a number."""
    if "E" not in text and not text.startswith("-") and "-" in text:
        low, high = text.split("-", 1)
        return float(low), float(high)
    return float(text)


def predicted_value(mention: dict[str, Any]) -> Value | None:
    if mention["qualifier"] == "vague" and mention["high"] is not None:
        return mention["high"] / 10, float(mention["high"])
    if mention["value"] is not None:
        return float(mention["value"])
    if mention["low"] is not None and mention["high"] is not None:
        return float(mention["low"]), float(mention["high"])
    return None


def same_value(a: Value, b: Value) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        # NewsQuant writes "from $2,415 to $2,315" high bound first; bounds are compared as
        # bounds, whichever the text gives first
        pairs = zip(sorted(a), sorted(b), strict=True)
        return all(math.isclose(x, y, rel_tol=1e-5, abs_tol=1e-8) for x, y in pairs)
    if isinstance(a, tuple) or isinstance(b, tuple):
        return False
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)


def same_unit(gold: Quantity, predicted: Quantity) -> bool:
    mine = canonical_unit(predicted["unit"])
    return mine in {canonical_unit(gold["unit"]), canonical_unit(gold["normalized_unit"])}


def max_matching(
    golds: Sequence[Quantity], predictions: Sequence[Quantity], fits: Callable[..., bool]
) -> int:
    """Size of a maximum one-to-one matching (augmenting paths; sentences are small)."""
    partner: dict[int, int] = {}  # prediction index -> gold index

    def augment(g: int, seen: set[int]) -> bool:
        for p, prediction in enumerate(predictions):
            if p in seen or not fits(golds[g], prediction):
                continue
            seen.add(p)
            if p not in partner or augment(partner[p], seen):
                partner[p] = g
                return True
        return False

    return sum(augment(g, set()) for g in range(len(golds)))


CRITERIA: dict[str, Callable[[Quantity, Quantity], bool]] = {
    "value": lambda g, p: same_value(g["value"], p["value"]),
    "value+change": lambda g, p: same_value(g["value"], p["value"]) and g["change"] == p["change"],
    "value+unit": lambda g, p: same_value(g["value"], p["value"]) and same_unit(g, p),
}


def scores(hits: int, gold: int, predicted: int) -> dict[str, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"P": round(100 * precision, 1), "R": round(100 * recall, 1), "F1": round(100 * f1, 1)}


def published_scores() -> dict[str, dict[str, float]]:
    path = DATA / "NewsQuant_published_scores.csv"
    best: dict[str, dict[str, float]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        _, p, r, f1, model, kind = line.split("\t")
        if model == "CQE-Numparser":
            best[kind] = {"P": float(p), "R": float(r), "F1": float(f1)}
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="print misses and extra finds")
    args = parser.parse_args()
    path = DATA / "NewsQuant.json"
    if not path.is_file():
        sys.exit(f"no NewsQuant data at {path}: this benchmark needs ../shared/data/quantities")
    sentences = json.loads(path.read_text(encoding="utf-8"))
    reports = [Report(id=str(i), text=s["text"]) for i, s in enumerate(sentences)]
    started = time.perf_counter()
    result = extract_mentions(reports)
    seconds = time.perf_counter() - started

    totals = {name: 0 for name in CRITERIA}
    n_gold = n_predicted = 0
    for sentence, extraction in zip(sentences, result.extractions, strict=True):
        golds = [{**q, "value": gold_value(q["value"])} for q in sentence["quantities"]]
        predictions = []
        # A count read without a written number ("she died": at least 1 killed) is no
        # quantity NewsQuant annotates: it scores numbers written in the text.
        written = (m for m in extraction.mentions if m.kind == "quantity" and not m.implicit)
        for mention in (m.to_dict() for m in written):
            value = predicted_value(mention)
            if value is not None:
                predictions.append({**mention, "value": value})
        n_gold += len(golds)
        n_predicted += len(predictions)
        for name, fits in CRITERIA.items():
            totals[name] += max_matching(golds, predictions, fits)
        if args.errors:
            print_errors(sentence["text"], golds, predictions)

    published = published_scores()
    figures: dict[str, Any] = {
        "sentences": len(sentences),
        "gold_quantities": n_gold,
        "predicted_quantities": n_predicted,
        "seconds": round(seconds, 2),
        "scores": {name: scores(hits, n_gold, n_predicted) for name, hits in totals.items()},
        "published_cqe": {name: published.get(name) for name in CRITERIA},
    }
    print(
        f"NewsQuant: {n_gold} gold quantities in {len(sentences)} sentences, "
        f"{n_predicted} predicted, {seconds:.1f} s"
    )
    print(f"{'criterion':<14}{'P':>7}{'R':>7}{'F1':>7}   CQE F1")
    for name, row in figures["scores"].items():
        cqe = published.get(name, {}).get("F1", float("nan"))
        print(f"{name:<14}{row['P']:>7.1f}{row['R']:>7.1f}{row['F1']:>7.1f}   {cqe:.1f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "newsquant.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


def print_errors(text: str, golds: list[Quantity], predictions: list[Quantity]) -> None:
    lines = []
    used: set[int] = set()
    for gold in golds:
        hit = next(
            (
                i
                for i, p in enumerate(predictions)
                if i not in used and same_value(gold["value"], p["value"])
            ),
            None,
        )
        if hit is None:
            lines.append(f"  MISS {gold['value']} {gold['change']} [{gold['unit']}]")
            continue
        used.add(hit)
        p = predictions[hit]
        if p["change"] != gold["change"]:
            lines.append(f"  CHANGE {gold['value']}: gold {gold['change']} got {p['change']}")
        if not same_unit(gold, p):
            lines.append(
                f"  UNIT {gold['value']}: gold [{gold['unit']}|{gold['normalized_unit']}] "
                f"got [{p['unit']}]"
            )
    for i, p in enumerate(predictions):
        if i not in used:
            lines.append(f"  EXTRA {p['value']} {p['change']} [{p['unit']}] {p['text']!r}")
    if lines:
        print(text)
        print("\n".join(lines))


if __name__ == "__main__":
    main()
