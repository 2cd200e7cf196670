"""Fit the pair model of the align stage on gold fact alignments, and cross-validate it.

For every group of ../shared/data/events/fakes_dev (or --set), runs the extract stage, builds
the features of every pair of counts from different reports (corroborate.align.pairing), and
labels pairs of counts that both match gold mentions (same report, overlapping evidence, same
number): positive when of one gold fact, negative when of two, or when one of them is a
gold mention and the other a count the gold leaves out (a background figure, another
referent); pairs of two counts the gold leaves out are not labelled. Fits one
L2-regularised logistic regression (Newton's method, numpy only) over the figure-blind
features, and chooses the pairing threshold that maximises pair F1 on the training pairs.
Reports leave-one-group-out figures and writes src/corroborate/data/pair_model.json.

    python scripts/fit_pair_model.py [--set fakes_dev] [--l2 1.0]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from corroborate.align import count_groups
from corroborate.align.context import MentionContext
from corroborate.align.pairing import (
    FEATURES,
    PairModel,
    PairModels,
    count_keys,
    pair_features,
)
from corroborate.jobs import extract_mentions
from corroborate.model import Mention, Report

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT.parent / "shared" / "data" / "events"
TARGET = ROOT / "src" / "corroborate" / "data" / "pair_model.json"

Matrix = npt.NDArray[np.float64]


def group_pairs(group: dict[str, Any]) -> tuple[list[list[float]], list[int]]:
    """Features and gold labels of every candidate pair of counts in one gold group."""
    reports = [Report.from_dict(r) for r in group["reports"]]
    extractions = extract_mentions(reports).extractions
    mentions = [m for e in extractions for m in e.mentions]
    context = MentionContext(mentions, {e.report.id: e.report for e in extractions})
    incident_of = {rid: i.id for i in context.incidents for rid in i.reports}
    _, groups = count_groups(mentions, context, incident_of)
    texts = {r.id: r.text for r in reports}
    gold_fact = [_gold_fact(g.first, group, texts) for g in groups]
    key_counts = count_keys(groups)
    rows, labels = [], []
    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            # Gold annotates the incident's facts, not every background figure: a pair of
            # two counts it leaves out is not labelled.
            if gold_fact[i] is None and gold_fact[j] is None:
                continue
            features = pair_features(a.first, groups[j].first, context, key_counts)
            if features is None:
                continue
            rows.append(features)
            labels.append(int(gold_fact[i] is not None and gold_fact[i] == gold_fact[j]))
    return rows, labels


def _gold_fact(m: Mention, group: dict[str, Any], texts: dict[str, str]) -> str | None:
    for fact in group["facts"]:
        if fact["kind"] != "count":
            continue
        for gold in fact["mentions"]:
            if gold["report"] != m.report:
                continue
            start = texts[m.report].find(gold["evidence"])
            if start < 0:
                continue  # evidence not in the text as given: nothing to match
            end = start + len(gold["evidence"])
            if m.start < end and start < m.end and _same_number(m, gold):
                return str(fact["id"])
    return None


def _same_number(m: Mention, gold: dict[str, Any]) -> bool:
    if gold["qualifier"] == "range":
        return bool(m.low == gold["low"] and m.high == gold["high"])
    if gold["value"] is not None:
        return bool(m.value == gold["value"])
    return bool(m.low == gold["low"])


def fit(x: Matrix, y: Matrix, l2: float) -> tuple[Matrix, float]:
    """L2-regularised logistic regression by Newton's method; the bias is not penalised."""
    design = np.hstack([x, np.ones((len(x), 1))])
    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-design @ weights))
        gradient = design.T @ (p - y) + penalty * weights
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + np.diag(penalty) + 1e-9
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights[:-1], float(weights[-1])


def without(items: list[Matrix], k: int) -> list[Matrix]:
    return [x for i, x in enumerate(items) if i != k]


# Thresholds tried for the pairing probability.
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(2, 17))


def fit_models(xs: list[Matrix], ys: list[Matrix], l2: float = 1.0) -> PairModels:
    """The referent model and its threshold, fitted on the given groups' pairs only."""
    x, y = np.vstack(xs), np.concatenate(ys)
    weights, bias = fit(x, y, l2)
    p = predict(x, weights, bias)
    pair_min = max(THRESHOLDS, key=lambda t: (prf(y, p, t)["f1"], -t))
    return PairModels(PairModel(tuple(float(w) for w in weights), bias), pair_min)


def load_pairs(name: str) -> tuple[list[Matrix], list[Matrix]]:
    """Features and labels of every group of a gold set, one matrix per group."""
    paths = sorted((EVENTS / name).glob("*.json"))
    data = [group_pairs(json.loads(p.read_text(encoding="utf-8"))) for p in paths]
    xs = [np.array(rows, dtype=float).reshape(-1, len(FEATURES)) for rows, _ in data]
    ys = [np.array(labels, dtype=float) for _, labels in data]
    return xs, ys


def predict(x: Matrix, weights: Matrix, bias: float) -> Matrix:
    result: Matrix = 1 / (1 + np.exp(-(x @ weights + bias)))
    return result


def prf(y: Matrix, p: Matrix, threshold: float) -> dict[str, float]:
    chosen = p >= threshold
    tp = float((chosen & (y == 1)).sum())
    precision = tp / max(1.0, float(chosen.sum()))
    recall = tp / max(1.0, float((y == 1).sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", default="fakes_dev")
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args()
    xs, ys = load_pairs(args.set)
    # Leave one group out: the figure for incidents the model has not seen, each held-out
    # group judged at the threshold chosen without it.
    held_out = []
    for k in range(len(xs)):
        fold = fit_models(without(xs, k), without(ys, k), args.l2)
        p = predict(xs[k], np.array(fold.referent.weights), fold.referent.bias)
        held_out.append((p >= fold.pair_min).astype(float))
    all_x, all_y = np.vstack(xs), np.concatenate(ys)
    models = fit_models(xs, ys, args.l2)
    weights = np.array(models.referent.weights)
    payload = {
        "fitted_on": f"shared/data/events/{args.set} ({len(xs)} groups)",
        "pairs": len(all_y),
        "positives": int(all_y.sum()),
        "l2": args.l2,
        "features": list(FEATURES),
        "pair_min": models.pair_min,
        "leave_one_group_out": prf(all_y, np.concatenate(held_out), 0.5),
        "training": prf(all_y, predict(all_x, weights, models.referent.bias), models.pair_min),
        "model": {
            "weights": [round(float(w), 4) for w in weights],
            "bias": round(models.referent.bias, 4),
        },
    }
    TARGET.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"pairs {len(all_y)} ({int(all_y.sum())} positive)")
    for feature, weight in zip(FEATURES, weights, strict=True):
        print(f"{feature:>24}: {weight:+.3f}")
    print(f"{'bias':>24}: {models.referent.bias:+.3f}")
    print(f"pair_min {models.pair_min}")
    print(f"leave-one-group-out: {payload['leave_one_group_out']}; training: {payload['training']}")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
