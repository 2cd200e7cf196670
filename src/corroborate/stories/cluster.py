"""Group reports into stories: word and MiniLM similarity, rescaled by how crowded each
report's neighbourhood is, kept apart by days, joined by average linkage.

New reports are clustered together with the already-assigned reports of their time window;
a new report joins the stored story it clusters with, so stories grow across batches and
stored assignments never move.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from corroborate.stories.features import story_terms

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """The knobs of story clustering, set on AllSides and left general (see README)."""

    vector_weight: float = 0.3  # MiniLM cosine; the rest is word TF-IDF cosine
    neighbours: int = 5  # crowding: the mean similarity of a report's k nearest reports
    # What an unrelated report's similarity looks like: a small batch has too few neighbours
    # to measure crowding, so the missing ones count as this.
    background: float = 0.1
    apart_days: int = 3  # reports dated further apart than this are different stories
    apart_penalty: float = 1.0
    cut: float = 1.01  # average-linkage distance (1 - rescaled similarity) that ends a story


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """One report as clustering sees it. `story` is set for reports already assigned."""

    key: int
    title: str | None
    text: str
    day: int | None
    vector: Matrix
    story: int | None = None


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """New reports that belong together: joining `story`, or a new story when it is None."""

    story: int | None
    members: tuple[int, ...]
    label: str


def cluster_stories(
    docs: Sequence[StoryDoc], params: ClusterParams | None = None
) -> list[StoryGroup]:
    """Assign every new doc (story None) to a stored story or to a new one.

    Returns one group per (target story, new docs) pair; stored docs only steer.
    """
    params = params or ClusterParams()
    new = [i for i, doc in enumerate(docs) if doc.story is None]
    if not new:
        return []
    if len(docs) == 1:
        return [
            StoryGroup(
                None, (docs[0].key,), story_label([docs[0]], np.ones((1, 1), dtype=np.float32))
            )
        ]
    similarity = story_similarity(docs, params)
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    distance = np.clip((distance + distance.T) / 2, 0.0, None)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, params.cut, criterion="distance")
    clusters: dict[int, list[int]] = defaultdict(list)
    for index, cluster in enumerate(labels):
        clusters[int(cluster)].append(index)
    groups: list[StoryGroup] = []
    for members in clusters.values():
        groups.extend(_groups_of_cluster(docs, members, similarity))
    return groups


def story_similarity(docs: Sequence[StoryDoc], params: ClusterParams) -> Matrix:
    """Pairwise similarity, rescaled by crowding and pushed down across distant days."""
    words = _tfidf(docs)
    vectors = np.stack([doc.vector for doc in docs]).astype(np.float32)
    raw = (
        params.vector_weight * (vectors @ vectors.T)
        + (1 - params.vector_weight) * (words @ words.T).toarray()
    )
    scaled = _crowding_scaled(raw.astype(np.float32), params.neighbours, params.background)
    days = np.array([doc.day if doc.day is not None else 0 for doc in docs])
    dated = np.array([doc.day is not None for doc in docs])
    apart = (
        dated[:, None]
        & dated[None, :]
        & (np.abs(days[:, None] - days[None, :]) > params.apart_days)
    )
    penalty: Matrix = params.apart_penalty * apart.astype(np.float32)
    return scaled - penalty


def story_label(docs: Sequence[StoryDoc], similarity: Matrix) -> str:
    """The headline of the most central report: the one closest to all the others."""
    centre = int(np.argmax(similarity.sum(axis=1)))
    doc = docs[centre]
    label = doc.title or doc.text.strip().split("\n", 1)[0]
    return label if len(label) <= 120 else label[:119].rstrip() + "…"


def _groups_of_cluster(
    docs: Sequence[StoryDoc], members: list[int], similarity: Matrix
) -> list[StoryGroup]:
    new = [i for i in members if docs[i].story is None]
    if not new:
        return []
    stored = [i for i in members if docs[i].story is not None]
    if not stored:
        block = similarity[np.ix_(new, new)]
        label = story_label([docs[i] for i in new], block)
        return [StoryGroup(None, tuple(docs[i].key for i in new), label)]
    # Each new report joins the stored story it is closest to on average, so that a report
    # bridging two stored stories does not drag one into the other.
    by_story: dict[int, list[int]] = defaultdict(list)
    for i in stored:
        by_story[docs[i].story].append(i)  # type: ignore[index]
    joined: dict[int, list[int]] = defaultdict(list)
    for i in new:
        best = max(by_story, key=lambda story: float(similarity[i, by_story[story]].mean()))
        joined[best].append(docs[i].key)
    return [StoryGroup(story, tuple(keys), "") for story, keys in joined.items()]


def _crowding_scaled(similarity: Matrix, neighbours: int, background: float) -> Matrix:
    """Cross-domain similarity local scaling: a pair counts for more where both reports
    stand apart from the rest, and for less inside a crowd of look-alike reports (a weekly
    jobless-claims report resembles every other week's)."""
    others = similarity.copy()
    np.fill_diagonal(others, -np.inf)
    padding = np.full((len(similarity), neighbours), background, dtype=np.float32)
    pool = np.concatenate([others, padding], axis=1)
    crowding = np.sort(pool, axis=1)[:, -neighbours:].mean(axis=1)
    scaled: Matrix = similarity - (crowding[:, None] + crowding[None, :]) / 2
    return scaled


def _tfidf(docs: Sequence[StoryDoc]) -> csr_matrix:
    """Sublinear term frequency times smoothed inverse document frequency, rows normalised."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    columns: list[int] = []
    counts: list[float] = []
    for row, doc in enumerate(docs):
        for term, count in Counter(story_terms(doc.title, doc.text)).items():
            rows.append(row)
            columns.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
    matrix = csr_matrix(
        (np.array(counts, dtype=np.float32), (rows, columns)),
        shape=(len(docs), max(1, len(vocabulary))),
    )
    matrix.data = 1.0 + np.log(matrix.data)
    frequency = np.bincount(matrix.indices, minlength=matrix.shape[1])
    idf = (1.0 + np.log((len(docs) + 1) / (frequency + 1))).astype(np.float32)
    matrix = matrix.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()) + 1e-9
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))
