"""Group reports into stories: a logistic model over pair features (word and MiniLM
similarity, rescaled by how crowded each report's neighbourhood is; neighbour ranks; days
apart; weekdays named), then average linkage on its log-odds.

New reports are clustered together with the already-assigned reports of their time window;
a new report joins the stored story it clusters with, so stories grow across batches and
stored assignments never move. The model is fitted by scripts/fit_story_model.py.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from corroborate.embeddings import DIMENSIONS
from corroborate.errors import ModelMissingError
from corroborate.stories.features import (
    Days,
    days_from_url_ids,
    story_terms,
    weekdays_named,
)

Matrix = npt.NDArray[np.float32]

# Crowding: a report's similarity to its k nearest reports. In a small batch the missing
# neighbours count as BACKGROUND, what an unrelated report's similarity looks like.
NEIGHBOURS = 5
BACKGROUND = 0.0
VECTOR_WEIGHT = 0.3  # in the base similarity that ranks neighbours; the rest is words
APART_DAYS = 3
APART_LOG_ODDS = 100.0


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """One report as clustering sees it. `story` is set for reports already assigned."""

    key: int
    title: str | None
    text: str
    days: Days | None
    vector: Matrix  # stories.features.story_vector: opening and lead vectors side by side
    story: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """New reports that belong together: joining `story`, or a new story when it is None."""

    story: int | None
    members: tuple[int, ...]
    label: str


@dataclass(frozen=True, slots=True)
class StoryModel:
    """Logistic weights over standardised pair features, and the log-odds that ends a story
    (average linkage merges while the mean log-odds between two groups is at least `cut`)."""

    features: tuple[str, ...]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    intercept: float
    cut: float

    @classmethod
    def load(cls, path: Path | None = None) -> StoryModel:
        source = path or resources.files("corroborate") / "data" / "story_model.json"
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelMissingError(
                f"the story model is missing ({source}): run scripts/fit_story_model.py"
            ) from None
        return cls(
            features=tuple(data["features"]),
            mean=np.array(data["mean"]),
            scale=np.array(data["scale"]),
            weights=np.array(data["weights"]),
            intercept=float(data["intercept"]),
            cut=float(data["cut"]),
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "weights": self.weights.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "cut": round(self.cut, 4),
        }

    def log_odds(self, features: dict[str, Matrix]) -> Matrix:
        total = np.full_like(features[self.features[0]], self.intercept, dtype=np.float32)
        for name, mean, scale, weight in zip(
            self.features, self.mean, self.scale, self.weights, strict=True
        ):
            total += np.float32(weight / scale) * (features[name] - np.float32(mean))
        return total


_MODEL: StoryModel | None = None


def shipped_model() -> StoryModel:
    global _MODEL
    if _MODEL is None:
        _MODEL = StoryModel.load()
    return _MODEL


def cluster_stories(docs: Sequence[StoryDoc], model: StoryModel | None = None) -> list[StoryGroup]:
    """Assign every new doc (story None) to a stored story or to a new one.

    Returns one group per (target story, new docs) pair; stored docs only steer.
    """
    model = model or shipped_model()
    if not any(doc.story is None for doc in docs):
        return []
    if len(docs) == 1:
        return [StoryGroup(None, (docs[0].key,), story_label(docs, np.zeros((1, 1), np.float32)))]
    scores = story_scores(model, pair_features(docs))
    labels = average_linkage(scores, model.cut)
    clusters: dict[int, list[int]] = defaultdict(list)
    for index, cluster in enumerate(labels):
        clusters[int(cluster)].append(index)
    groups: list[StoryGroup] = []
    for members in clusters.values():
        groups.extend(_groups_of_cluster(docs, members, scores))
    return groups


def story_scores(model: StoryModel, features: dict[str, Matrix]) -> Matrix:
    """Log-odds that two reports tell one story.

    Reports dated days apart tell of different events, however alike their words: two
    bombings of one market a week apart are two stories. The model alone weighs this too
    lightly where dates are rare, so it is a rule.
    """
    scores: Matrix = model.log_odds(features) - np.float32(APART_LOG_ODDS) * features["P3"]
    return scores


def average_linkage(scores: Matrix, cut: float) -> npt.NDArray[np.int32]:
    """Cluster labels: groups merge while the mean score between them is at least `cut`."""
    top = float(scores.max())
    distance = top - (scores.astype(np.float64) + scores.T.astype(np.float64)) / 2
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(np.clip(distance, 0.0, None), checks=False), method="average")
    labels: npt.NDArray[np.int32] = fcluster(tree, top - cut, criterion="distance")
    return labels


def pair_features(docs: Sequence[StoryDoc]) -> dict[str, Matrix]:
    """Every pair feature the model may use, as one n×n matrix each."""
    words = _tfidf([story_terms(doc.title, doc.text) for doc in docs])
    both = np.stack([doc.vector for doc in docs]).astype(np.float32)
    vectors, leads = both[:, :DIMENSIONS], both[:, DIMENSIONS:]
    word_similarity = _cosines(words)
    vector_similarity = vectors @ vectors.T
    base = VECTOR_WEIGHT * vector_similarity + (1 - VECTOR_WEIGHT) * word_similarity
    rank = _neighbour_ranks(base)
    spans = days_from_url_ids([d.url for d in docs], [d.days for d in docs])
    gap, dated = _days_apart(spans)
    both_dated = dated[:, None] & dated[None, :]
    masks = np.array(
        [weekdays_named(d.title, d.text, days) for d, days in zip(docs, spans, strict=True)],
        dtype=np.int64,
    )
    named = masks > 0
    share = (masks[:, None] & masks[None, :]) > 0
    return {
        "c:W": _crowding_scaled(word_similarity),
        "c:De": _crowding_scaled(vector_similarity),
        "c:L3": _crowding_scaled(leads @ leads.T),
        "W": word_similarity,
        "De": vector_similarity,
        "lrmax": np.log1p(np.maximum(rank, rank.T)),
        "lrmin": np.log1p(np.minimum(rank, rank.T)),
        "P3": (both_dated & (gap > APART_DAYS)).astype(np.float32),
        "close": (both_dated & (gap <= 1)).astype(np.float32),
        "nodate": (~dated[:, None] & ~dated[None, :]).astype(np.float32),
        "DISJ": (named[:, None] & named[None, :] & ~share).astype(np.float32),
        "SHARE": share.astype(np.float32),
    }


def story_label(docs: Sequence[StoryDoc], scores: Matrix) -> str:
    """The headline of the most central report: the one closest to all the others."""
    centre = int(np.argmax(scores.sum(axis=1)))
    doc = docs[centre]
    label = doc.title or doc.text.strip().split("\n", 1)[0]
    return label if len(label) <= 120 else label[:119].rstrip() + "…"


def _groups_of_cluster(
    docs: Sequence[StoryDoc], members: list[int], scores: Matrix
) -> list[StoryGroup]:
    new = [i for i in members if docs[i].story is None]
    if not new:
        return []
    stored = [i for i in members if docs[i].story is not None]
    if not stored:
        label = story_label([docs[i] for i in new], scores[np.ix_(new, new)])
        return [StoryGroup(None, tuple(docs[i].key for i in new), label)]
    # Each new report joins the stored story it is closest to on average, so that a report
    # bridging two stored stories does not drag one into the other.
    by_story: dict[int, list[int]] = defaultdict(list)
    for i in stored:
        by_story[docs[i].story].append(i)  # type: ignore[index]
    joined: dict[int, list[int]] = defaultdict(list)
    for i in new:
        best = max(by_story, key=lambda story: float(scores[i, by_story[story]].mean()))
        joined[best].append(docs[i].key)
    return [StoryGroup(story, tuple(keys), "") for story, keys in joined.items()]


def _crowding_scaled(similarity: Matrix) -> Matrix:
    """Cross-domain similarity local scaling: a pair counts for more where both reports
    stand apart from the rest, and for less inside a crowd of look-alike reports (a weekly
    jobless-claims report resembles every other week's)."""
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    padding = np.full((len(similarity), NEIGHBOURS), BACKGROUND, dtype=np.float32)
    pool = np.concatenate([others, padding], axis=1)
    crowding = np.sort(pool, axis=1)[:, -NEIGHBOURS:].mean(axis=1)
    scaled: Matrix = similarity - (crowding[:, None] + crowding[None, :]) / 2
    return scaled


def _neighbour_ranks(similarity: Matrix) -> Matrix:
    """rank[i, j]: how many reports are closer to i than j is (0 for i's nearest)."""
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    order = np.argsort(-others, axis=1)
    rank = np.empty_like(order)
    rows = np.arange(len(similarity))[:, None]
    rank[rows, order] = np.arange(len(similarity))[None, :]
    return rank.astype(np.float32)


def _days_apart(
    spans: Sequence[Days | None],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    dated = np.array([d is not None for d in spans])
    first = np.array([d[0] if d else 0 for d in spans], dtype=np.int64)
    last = np.array([d[1] if d else 0 for d in spans], dtype=np.int64)
    gap = np.maximum(0, np.maximum(first[:, None] - last[None, :], first[None, :] - last[:, None]))
    return np.where(dated[:, None] & dated[None, :], gap, 0), dated


def _cosines(rows: csr_matrix) -> Matrix:
    return np.asarray((rows @ rows.T).toarray(), dtype=np.float32)


def _tfidf(documents: Sequence[list[str]]) -> csr_matrix:
    """Sublinear term frequency times smoothed inverse document frequency, rows normalised."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    counts: list[float] = []
    for row, terms in enumerate(documents):
        for term, count in Counter(terms).items():
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
    matrix = csr_matrix(
        (np.array(counts, dtype=np.float32), (rows, columns)),
        shape=(len(documents), max(1, len(vocabulary))),
    )
    matrix.data = 1.0 + np.log(matrix.data)
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = np.log((len(documents) + 1) / (frequency + 1)).astype(np.float32)
    matrix = matrix.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()) + 1e-9
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))
