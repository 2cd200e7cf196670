"""Which counts of different reports are one referent: pair features, a fitted logistic model
over them, and the clustering of counts into facts.

The weights in `data/pair_model.json` are fitted by `scripts/fit_pair_model.py` on the FA-KES
development groups; its cross-validated figures are in that file.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from corroborate.align.bounds import (
    HEDGES,
    headline_number,
    interval,
    intervals_overlap,
    is_distinctive,
    log_ratio,
)
from corroborate.align.context import MentionContext
from corroborate.align.referents import (
    KNOWN_CLASSES,
    PERSON_CLASSES,
    Relation,
    can_be_one_referent,
    class_relation,
    events_match,
    split_key,
)
from corroborate.model import Mention

# A pair joins one fact at this probability; every pair inside a fact must reach LINK_MIN.
PAIR_MIN = 0.3
# Two counts that are each other's likeliest partner need only this much.
MUTUAL_MIN = 0.25
LINK_MIN = 0.05
# Figures that cannot both be true are put in one fact, as a conflict, only this surely.
CONFLICT_MIN = 0.5
# ...or this surely when each is the other's likeliest partner.
MUTUAL_CONFLICT_MIN = 0.33
# Figures more than twice apart are rarely one count told two ways.
FAR_RATIO = math.log(2)
# Counts from reports about different incidents pair only when their own sentences say the
# same thing this closely (a report on one strike may recap another).
CROSS_INCIDENT_COSINE = 0.5
# The referent model's probability counts for this much when figures disagree: without the
# figures it is over-confident on counts of one kind in one incident.
REFERENT_DISCOUNT = 0.9
# How sure the analyst's rule below makes a pairing (above every same-figure coincidence).
SURE_REFERENT = 0.9
# Sentences this close in meaning tell of one incident; figures up to 3x apart may conflict
# (further apart, a day's toll beside a war's is a different count, not a contradiction).
SAME_STORY_COSINE = 0.45
MAX_CONFLICT_LOG_RATIO = math.log(3)
SAME_PLACE_COSINE = 0.55
CLOSE_LOG_RATIO = math.log(1.5)
# Early in a report: the lead, where the main incident's toll is given.
EARLY = 0.25
SAME_SOURCE_MIN = 80
# Counts of the same noun outside the class table need nouns this close in meaning.
NOUN_COSINE_MIN = 0.5

# A figure this large, repeated in one report for one class of people, is one count.
REPEATED_FIGURE = 10
# Statements of one figure compared across reports (a report rarely repeats one more often).
MAX_REPEATS = 3

FEATURES = (
    "same_event",
    "one_event_unknown",
    "same_class",
    "related_class",
    "class_unknown",
    "noun_cosine",
    "window_cosine",
    "lead_cosine",
    "same_figure",
    "same_distinctive_figure",
    "overlap",
    "log_ratio",
    "shared_place",
    "place_clash",
    "shared_date",
    "date_clash",
    "word_overlap",
    "both_early",
    "same_source",
    "only_such_count",
    "both_lead_count",
    "far_figures",
    "one_named_referent",
    "same_incident",
)
FIGURE_FEATURES = frozenset(
    {"same_figure", "same_distinctive_figure", "overlap", "log_ratio", "far_figures"}
)
REFERENT_FEATURES = tuple(f for f in FEATURES if f not in FIGURE_FEATURES)


@dataclass(frozen=True, slots=True)
class MentionGroup:
    """Mentions of one referent within one report (a report may repeat a figure)."""

    report: str
    mentions: tuple[Mention, ...]

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def widest(self) -> Mention:
        """The statement that admits most values: a report saying "19" and "at least 19"
        holds to at least 19."""
        if self.first.kind != "quantity":
            return self.first
        return max(self.mentions, key=lambda m: interval(m)[1] - interval(m)[0])


def pair_features(
    a: Mention, b: Mention, context: MentionContext, key_counts: Counter[tuple[str, str]]
) -> list[float] | None:
    """The features of a pair of counts, in FEATURES order; None if they cannot be one fact.

    `key_counts` counts the figures each report gives per key: when each report gives one
    figure for "civilians killed", those two figures are most likely the same toll.
    """
    if a.report == b.report or not can_be_one_referent(a, b):
        return None
    relation = class_relation(a, b)
    noun_cosine = context.noun_cosine(a, b) if relation is Relation.OTHER_NOUN else 0.0
    if relation is Relation.OTHER_NOUN and noun_cosine < NOUN_COSINE_MIN:
        return None
    places_a, places_b = context.places(a), context.places(b)
    shared_date, date_clash = context.date_relation(a, b)
    events = events_match(a, b)
    ratio = log_ratio(a, b)
    same_figure = headline_number(a) == headline_number(b)
    overlap = intervals_overlap([a, b])
    lead_counts = context.is_lead_count(a) and context.is_lead_count(b)
    only_such_count = (
        _fully_known(a) and key_counts[(a.report, a.key)] == key_counts[(b.report, b.key)] == 1
    )
    return [
        float(events is True),
        float(events is None),
        float(relation is Relation.SAME),
        float(relation is Relation.RELATED),
        float(relation is Relation.UNKNOWN),
        noun_cosine,
        context.window_cosine(a, b),
        context.lead_cosine(a, b),
        float(same_figure),
        float(same_figure and is_distinctive(a)),
        float(overlap and not same_figure),
        0.0 if overlap else min(ratio, 3.0),
        float(bool(places_a & places_b)),
        float(bool(places_a and places_b and not places_a & places_b)),
        float(shared_date),
        float(date_clash),
        context.word_overlap(a, b),
        float(max(context.position(a), context.position(b)) <= EARLY),
        float(_same_source(a, b)),
        float(only_such_count),
        float(lead_counts),
        float(not overlap and ratio > FAR_RATIO),
        # Each report's one figure for "civilians killed", or its headline toll: one
        # referent, whatever the figures.
        float(
            events is True
            and (
                (relation is Relation.SAME and (lead_counts or only_such_count))
                or (relation is Relation.UNKNOWN and lead_counts)
            )
        ),
        float(context.same_incident(a, b)),
    ]


def _both_known_classes(a: Mention, b: Mention) -> bool:
    return all(split_key(m.key)[1] in KNOWN_CLASSES | PERSON_CLASSES for m in (a, b))


def _fully_known(m: Mention) -> bool:
    event, counted, _ = split_key(m.key)
    return event is not None and counted is not None


def _probability(models: PairModels, features: Sequence[float]) -> float:
    """P(one referent) for a pair of counts.

    The count model learns that different figures are mostly different counts. Figures that
    disagree are still one count when the referent model, blind to the figures, is sure of
    it (one sentence told two ways, one figure changed), or by an analyst's rule: each
    report's one figure for "civilians killed" in one incident is one count, whatever the
    figures. That is where conflicts are.
    """
    f = dict(zip(FEATURES, features, strict=True))
    if not f["same_incident"] and f["window_cosine"] < CROSS_INCIDENT_COSINE:
        return 0.0  # reports of different incidents: a shared figure is a coincidence
    p = models.count.probability(features)
    if f["overlap"] or f["same_figure"]:
        return p
    if f["date_clash"] or f["place_clash"]:
        return 0.0  # different figures on different days or at different places: two counts
    if f["log_ratio"] > MAX_CONFLICT_LOG_RATIO:
        return p  # a day's toll beside a war's is two counts, not a contradiction
    p = max(p, models.referent.probability(features) * REFERENT_DISCOUNT)
    # (Clashing places or days returned above.)
    same_story = f["window_cosine"] >= SAME_STORY_COSINE
    # Or: one kind of count, at one named place, in sentences that say nearly the same, with
    # figures close enough to be one toll told two ways.
    same_place_toll = (
        f["same_event"]
        and f["same_class"]
        and f["shared_place"]
        and f["window_cosine"] >= SAME_PLACE_COSINE
        and f["log_ratio"] <= CLOSE_LOG_RATIO
    )
    surely_one = same_story and (f["one_named_referent"] or same_place_toll)
    return max(p, SURE_REFERENT) if surely_one else p


def count_keys(groups: Sequence[MentionGroup]) -> Counter[tuple[str, str]]:
    """How many different figures each report gives for each key."""
    return Counter((g.report, g.first.key) for g in groups)


def _same_source(a: Mention, b: Mention) -> bool:
    if not a.attributed_to or not b.attributed_to:
        return False
    score = fuzz.token_set_ratio(a.attributed_to.lower(), b.attributed_to.lower())
    return bool(score >= SAME_SOURCE_MIN)


@dataclass(frozen=True, slots=True)
class PairModel:
    """Logistic regression over FEATURES: the probability that two counts are one referent."""

    weights: tuple[float, ...]
    bias: float

    def probability(self, features: Sequence[float]) -> float:
        z = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1 / (1 + math.exp(-z))


@dataclass(frozen=True, slots=True)
class PairModels:
    """`count`: one referent, given everything; `referent`: the same without the figures,
    to judge whether two figures that disagree are one count (a conflict) or two."""

    count: PairModel
    referent: PairModel


@cache
def load_pair_models() -> PairModels:
    path = resources.files("corroborate") / "data" / "pair_model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: fitted for other features; rerun scripts/fit_pair_model.py")
    count, referent = (
        PairModel(tuple(data["models"][name]["weights"]), float(data["models"][name]["bias"]))
        for name in ("count", "referent")
    )
    return PairModels(count, referent)


def group_within_reports(mentions: Sequence[Mention]) -> list[MentionGroup]:
    """Counts grouped per report by referent: a report that repeats a figure gives it once.

    "At least three children" and "three children" give one figure (hedges do not change it);
    a distinctive figure repeated for a compatible referent is one count even where the
    counted noun was misread (a headline's "kills 14 State media" and the lead's "killed at
    least 14 people").
    """
    by_report: dict[str, list[list[Mention]]] = {}
    for m in sorted(mentions, key=lambda m: (m.report, m.start)):
        groups = by_report.setdefault(m.report, [])
        home = next((g for g in groups if _repeats(g[0], m)), None)
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    return [MentionGroup(ms[0].report, tuple(ms)) for gs in by_report.values() for ms in gs]


def _repeats(first: Mention, m: Mention) -> bool:
    """Whether m, later in the same report, restates the figure of the group led by first."""
    if first.qualifier not in HEDGES or m.qualifier not in HEDGES:
        return first.key == m.key and (first.qualifier, first.value, first.low, first.high) == (
            m.qualifier,
            m.value,
            m.low,
            m.high,
        )
    if (
        headline_number(first) != headline_number(m)
        or split_key(first.key)[2] != split_key(m.key)[2]
    ):
        return False
    if first.key == m.key:
        return True
    if not is_distinctive(m):
        return False
    if events_match(first, m) is False:
        # The event is often misread ("hit a market killing at least 26 civilians" read as
        # the attack's); a large figure repeated for one class is still one count.
        figure_ = headline_number(m)
        return (
            isinstance(figure_, int | float)
            and figure_ >= REPEATED_FIGURE
            and class_relation(first, m) in {Relation.SAME, Relation.RELATED}
        )
    # A noun outside the class table may be misread ("kills 14 State media"): the figure and
    # the event are enough; two known classes must be compatible.
    relation = class_relation(first, m)
    return relation is not Relation.DIFFERENT or not _both_known_classes(first, m)


def pair_probabilities(
    groups: Sequence[MentionGroup], context: MentionContext, models: PairModels | None = None
) -> dict[tuple[int, int], float]:
    """P(one referent) for each pair of groups (i < j) that may be one fact."""
    models = models or load_pair_models()
    key_counts = count_keys(groups)
    out: dict[tuple[int, int], float] = {}
    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            # A repeated figure is as close to the other report as its closest statement.
            best = max(
                (
                    _probability(models, features)
                    for x in a.mentions[:MAX_REPEATS]
                    for y in groups[j].mentions[:MAX_REPEATS]
                    if (features := pair_features(x, y, context, key_counts)) is not None
                ),
                default=None,
            )
            if best is not None:
                out[(i, j)] = best
    return out


def _mutual_best(
    groups: Sequence[MentionGroup], probabilities: dict[tuple[int, int], float]
) -> set[tuple[int, int]]:
    """Pairs where each count is the other's likeliest partner in the other's report."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for (i, j), p in probabilities.items():
        for mine, other in ((i, j), (j, i)):
            key = (mine, groups[other].report)
            if p > best.get(key, (-1.0, -1))[0]:
                best[key] = (p, other)
    return {
        (i, j)
        for (i, j) in probabilities
        if best[(i, groups[j].report)][1] == j and best[(j, groups[i].report)][1] == i
    }


def cluster_counts(
    groups: Sequence[MentionGroup], probabilities: dict[tuple[int, int], float]
) -> list[tuple[list[MentionGroup], float]]:
    """Counts clustered into facts, each with its weakest link's probability (1 for singles).

    Best pairs first; a fact holds at most one group per report (a report giving two figures
    for one key gives them for two referents: two sources, two moments), every pair in it must
    be linked, and figures that cannot all be true must be linked surely enough to be called a
    conflict, else they stay apart.
    """
    cluster_of = list(range(len(groups)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(groups))}
    weakest: dict[int, float] = {i: 1.0 for i in range(len(groups))}
    mutual = _mutual_best(groups, probabilities)
    ranked = sorted(
        (
            (p, i, j)
            for (i, j), p in probabilities.items()
            if p >= PAIR_MIN or (p >= MUTUAL_MIN and (i, j) in mutual)
        ),
        reverse=True,
    )
    for _p, i, j in ranked:
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        reports_i = {groups[k].report for k in members[ci]}
        if any(groups[k].report in reports_i for k in members[cj]):
            continue
        links = [
            probabilities.get((min(x, y), max(x, y)), 0.0) for x in members[ci] for y in members[cj]
        ]
        link = min([*links, weakest[ci], weakest[cj]])
        if link < LINK_MIN:
            continue
        merged = members[ci] + members[cj]
        # "dozens" is too loose a figure to contradict anything.
        vague = any(groups[k].widest.qualifier == "vague" for k in merged)
        sure_enough = not vague and (
            link >= CONFLICT_MIN or (link >= MUTUAL_CONFLICT_MIN and (i, j) in mutual)
        )
        if not sure_enough and not intervals_overlap(groups[k].widest for k in merged):
            continue
        for k in members[cj]:
            cluster_of[k] = ci
        members[ci] = merged
        weakest[ci] = link
        del members[cj], weakest[cj]
    return [([groups[k] for k in sorted(ks)], weakest[c]) for c, ks in members.items()]
