"""Fit the story clustering model on a corpus with gold stories, and cross-validate it.

    python scripts/fit_story_model.py [CORPUS.jsonl] [--folds 5] [--no-write]

Reads the articles as bench/clustering.py does (AllSides roundups by default: each article's
own title, body, outlet and link, never a story field), computes the pair features of
corroborate.stories.cluster for all articles at once, and fits an L2-regularised logistic
regression (Newton's method, numpy only) on candidate pairs: pairs where one article is among
the other's 10 nearest by the base similarity (the pairs clustering has to decide). The cut
(the mean log-odds at which average linkage stops merging) is the one with the best BCubed F1.

Story-disjoint cross-validation: the stories are split in --folds folds; for each, the model
and cut are fitted on the other folds' pairs and articles, the whole corpus is clustered, and
BCubed is scored on the held-out articles. Writes src/corroborate/data/story_model.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt

from corroborate.embeddings import load_encoder
from corroborate.stories.cluster import (
    StoryDoc,
    StoryModel,
    average_linkage,
    pair_features,
    story_scores,
)
from corroborate.stories.features import story_days, story_vector

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from clustering import ALLSIDES, bcubed, load_articles  # noqa: E402

FEATURES = (
    "c:W", "c:De", "c:L3", "W", "De", "lrmax", "lrmin",
    "P3", "DISJ", "SHARE", "close", "nodate",
)  # fmt: skip
CANDIDATE_RANK = 10
L2 = 1e-4
CUTS = np.arange(-3.0, 1.01, 0.05)

Array = npt.NDArray[np.float64]


def fit_logistic(x: Array, y: Array, l2: float = L2, steps: int = 25) -> tuple[Array, float]:
    """Weights and intercept of an L2-regularised logistic regression, by Newton's method."""
    design = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(design.shape[1])
    penalty = l2 * np.eye(design.shape[1])
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(design @ w)))
        gradient = design.T @ (p - y) / len(y) + penalty @ w
        hessian = (design * (p * (1 - p))[:, None]).T @ design / len(y) + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w[:-1], float(w[-1])


def fit(
    features: dict[str, npt.NDArray[np.float32]],
    same: npt.NDArray[np.bool_],
    pairs: tuple[Array, Array],
    train_docs: npt.NDArray[np.bool_],
    gold: list[int],
) -> tuple[StoryModel, float]:
    rows, cols = pairs
    x = np.stack([features[name][rows, cols] for name in FEATURES], axis=1).astype(np.float64)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    weights, intercept = fit_logistic((x - mean) / scale, same[rows, cols].astype(np.float64))
    model = StoryModel(FEATURES, mean, scale, weights, intercept, cut=0.0)
    scores = story_scores(model, features)
    best_f1, best_cut = max((score(scores, cut, gold, train_docs), cut) for cut in CUTS)
    return StoryModel(FEATURES, mean, scale, weights, intercept, float(best_cut)), best_f1


def score(
    scores: npt.NDArray[np.float32], cut: float, gold: list[int], mask: npt.NDArray[np.bool_]
) -> float:
    """BCubed F1 of the masked articles in the clustering of all of them at `cut`."""
    labels = average_linkage(scores, cut)
    predicted = {i: int(label) for i, label in enumerate(labels)}
    truth = dict(enumerate(gold))
    return bcubed(predicted, truth, np.flatnonzero(mask).tolist())[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ALLSIDES)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    articles = load_articles(args.corpus)
    encoder = load_encoder()
    docs = [
        StoryDoc(
            i,
            a["title"],
            a["text"],
            story_days(None, a.get("url")),
            story_vector(encoder, a["title"], a["text"]),
            url=a.get("url"),
        )
        for i, a in enumerate(articles)
    ]
    gold_ids = {story: n for n, story in enumerate(dict.fromkeys(a["story"] for a in articles))}
    gold = [gold_ids[a["story"]] for a in articles]
    features = pair_features(docs)
    labels = np.array(gold)
    same = labels[:, None] == labels[None, :]
    upper = np.triu(np.ones_like(same), 1)
    candidate = np.minimum(features["lrmin"], features["lrmin"].T) < np.log1p(CANDIDATE_RANK)
    everyone = np.ones(len(docs), dtype=bool)

    rng = np.random.default_rng(0)
    stories = rng.permutation(len(gold_ids))
    fold_of_story = {int(s): n % args.folds for n, s in enumerate(stories)}
    fold = np.array([fold_of_story[g] for g in gold])
    results = []
    for k in range(args.folds):
        train = fold != k
        mask = upper & candidate & train[:, None] & train[None, :]
        model, _ = fit(features, same, np.nonzero(mask), train, gold)
        results.append(score(story_scores(model, features), model.cut, gold, ~train))
        print(f"fold {k}: held-out BCubed F1 {results[-1]:.3f} (cut {model.cut:.2f})")
    print(f"cross-validated BCubed F1 {np.mean(results):.3f} ± {np.std(results):.3f}")

    model, in_sample = fit(features, same, np.nonzero(upper & candidate), everyone, gold)
    print(f"in-sample BCubed F1 {in_sample:.3f} at cut {model.cut:.2f}")
    for name, weight in zip(FEATURES, model.weights, strict=True):
        print(f"  {name:7s} {weight:+.3f}")
    if not args.no_write:
        output = ROOT / "src" / "corroborate" / "data" / "story_model.json"
        body = {
            "fitted_on": args.corpus.name,
            "cross_validated_bcubed_f1": round(float(np.mean(results)), 4),
            **model.to_dict(),
        }
        output.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
