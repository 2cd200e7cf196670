"""Which counts of different reports are one referent: pair features, a fitted logistic model
over them, and the clustering of counts into facts.

Identity is figure-blind: whether two counts are one referent is decided by what they count,
the event, the incident, the day, the place, the source and the meaning of their sentences,
never by how close their figures are. Two different figures for one referent are then one
fact, judged afterwards (`verdict`); the pairing never decides whether a disagreement is a
conflict.

The weights and the pairing threshold in `data/pair_model.json` are fitted by
`scripts/fit_pair_model.py` on the FA-KES development groups (the threshold chosen on the
training pairs); `bench/fact_alignment.py --cross-validate` refits them without each group.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz

from corroborate.align.bounds import (
    HEDGES,
    headline_number,
    interval,
    is_distinctive,
)
from corroborate.align.context import MentionContext
from corroborate.align.referents import (
    KNOWN_CLASSES,
    PERSON_CLASSES,
    Relation,
    can_be_one_referent,
    class_relation,
    count_key,
    counts_by_occupation,
    events_match,
)
from corroborate.model import Category, CountKey, Mention, Scope

# Categories that may name one toll: "31 people" and "31 civilians" (or an unknown group).
BROAD_CATEGORIES = frozenset({None, Category.PEOPLE, Category.CIVILIANS})
# Counted classes that may name everyone a toll counts.
BROAD_CLASSES = frozenset({"person", "civilian"})

# Every pair inside a fact must reach this probability (the fitted threshold, `pair_min`,
# admits a pair; this keeps a chain of admitted pairs from joining two unrelated counts).
LINK_MIN = 0.05
# How sure the analyst's rule of `_probability` makes a pairing: above any the model gives
# two counts that are not both their report's headline toll.
SURE_REFERENT = 0.95
# Counts from reports about different incidents pair only when their own sentences say the
# same thing this closely (a report on one strike may recap another).
CROSS_INCIDENT_COSINE = 0.5
# Early in a report: the lead, where the main incident's toll is given.
EARLY = 0.25
SAME_SOURCE_MIN = 80
# Counts of the same noun outside the class table need nouns this close in meaning.
NOUN_COSINE_MIN = 0.5

# Two counts of one thing in one report whose sentences are this close in meaning (MiniLM
# cosine, numbers and all) are one count told twice. Chosen by hand: a report's restatements
# of one figure on fakes_dev score 0.75-1.0; at 0.7 different counts of one sentence's kind
# ("three suicide bombers" ... "two of the bombers") were joined.
RESTATED_COSINE = 0.8
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
    "shared_place",
    "shared_date",
    "word_overlap",
    "both_early",
    "same_source",
    "only_such_count",
    "both_lead_count",
    "one_named_referent",
    "same_incident",
    "same_rank",
    "one_counts_others",
)


@dataclass(frozen=True, slots=True)
class MentionGroup:
    """Mentions of one referent within one report (a report may repeat a figure)."""

    report: str
    mentions: tuple[Mention, ...]

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def figures(self) -> tuple[Mention, ...]:
        """Each different figure the report gives for this referent, first statement first
        ("4" in its headline and "seven" in its body: the report contradicts itself)."""
        if self.first.kind != "quantity":
            return (self.first,)
        seen: dict[object, Mention] = {}
        for m in self.mentions:
            if m.implicit and any(not x.implicit for x in self.mentions):
                continue
            seen.setdefault(headline_number(m), m)
        stated = self.stated
        return (
            stated,
            *(m for m in seen.values() if headline_number(m) != headline_number(stated)),
        )

    @property
    def stated(self) -> Mention:
        """What the report states for this referent: the first explicit figure (its lead),
        else the widest statement; other kinds give their first mention."""
        if self.first.kind != "quantity":
            return self.first
        explicit = [m for m in self.mentions if not m.implicit]
        if len(explicit) > 1 and len({headline_number(m) for m in explicit}) == 1:
            # "kills 19" in a headline and "at least 19" in the lead: at least 19 (a headline
            # drops the qualifier its lead gives)
            return max(explicit, key=lambda m: interval(m)[1] - interval(m)[0])
        return explicit[0] if explicit else self.narrowest_implicit or self.widest

    @property
    def narrowest_implicit(self) -> Mention | None:
        """Statements without a number taken together, where one of them bounds the count
        and the rest fit inside it: "a double homicide" (2) and "killed his wife" (at least
        1) state 2."""
        bounded = [m for m in self.mentions if interval(m)[1] != float("inf")]
        if not bounded:
            return None
        narrowest = min(bounded, key=lambda m: interval(m)[1] - interval(m)[0])
        low, high = interval(narrowest)
        fits = all(low <= interval(m)[0] <= high for m in self.mentions)
        return narrowest if fits else None

    @property
    def widest(self) -> Mention:
        """The statement that admits most values: a report saying "19" and "at least 19"
        holds to at least 19."""
        if self.first.kind != "quantity":
            return self.first
        return max(self.mentions, key=lambda m: interval(m)[1] - interval(m)[0])


def pair_features(
    a: Mention, b: Mention, context: MentionContext, key_counts: Counter[tuple[str, CountKey]]
) -> list[float] | None:
    """The features of a pair of counts, in FEATURES order; None if they cannot be one fact.

    They cannot when they count different things (events, classes, units, groups of
    people), tell of different days or places, or one is background and the other not.
    `key_counts` counts the figures each report gives per key: when each report gives one
    figure for "civilians killed", those two figures are most likely the same toll.
    """
    if a.report == b.report or not can_be_one_referent(a, b) or _apart(a, b):
        return None
    relation = class_relation(a, b)
    noun_cosine = context.noun_cosine(a, b) if relation is Relation.OTHER_NOUN else 0.0
    if relation is Relation.OTHER_NOUN and noun_cosine < NOUN_COSINE_MIN:
        return None
    shared_place, place_clash = context.place_relation(a, b)
    shared_date, date_clash = context.date_relation(a, b)
    if date_clash or place_clash:
        return None  # different days or different places: two counts, whatever the figures
    same_incident = context.same_incident(a, b)
    window_cosine = context.window_cosine(a, b)
    if not same_incident and window_cosine < CROSS_INCIDENT_COSINE:
        return None  # reports of different incidents: a shared figure is a coincidence
    events = events_match(a, b)
    lead_counts = context.is_lead_count(a) and context.is_lead_count(b)
    only_such_count = (
        _fully_known(a)
        and key_counts[(a.report, count_key(a))] == key_counts[(b.report, count_key(b))] == 1
    )
    return [
        float(events is True),
        float(events is None),
        float(relation is Relation.SAME),
        float(relation is Relation.RELATED),
        float(relation is Relation.UNKNOWN),
        noun_cosine,
        window_cosine,
        context.lead_cosine(a, b),
        float(shared_place),
        float(shared_date),
        context.word_overlap(a, b),
        float(max(context.position(a), context.position(b)) <= EARLY),
        float(_same_source(a, b)),
        float(only_such_count),
        float(lead_counts),
        # Each report's one figure for "civilians killed", or its headline toll: one
        # referent, whatever the figures.
        float(
            events is True
            and (
                (_same_group(a, b, relation) and (lead_counts or only_such_count))
                or (relation is Relation.UNKNOWN and lead_counts)
            )
        ),
        float(same_incident),
        float(context.rank(a) == context.rank(b)),
        # "21 others died" counts those beside a count told before it: another report's
        # "21 others" is likelier its match than a count of everyone.
        float(_counts_others(a) != _counts_others(b)),
    ]


def _same_group(a: Mention, b: Mention, relation: Relation) -> bool:
    """The same people counted: one class, or "people" and "civilians" (a headline toll)."""
    if relation is Relation.SAME:
        return True
    broad = a.category in BROAD_CATEGORIES and b.category in BROAD_CATEGORIES
    return relation is Relation.RELATED and broad and a.slot is not None


def _apart(a: Mention, b: Mention) -> bool:
    """Counts that are never one referent: background beside the incident, or two
    different groups of people ("children", "soldiers")."""
    if (a.scope is Scope.BACKGROUND) != (b.scope is Scope.BACKGROUND):
        return True
    specific = {c for c in (a.category, b.category) if c not in BROAD_CATEGORIES}
    return bool(specific) and a.category != b.category


def _counts_others(m: Mention) -> bool:
    return bool(m.counted and m.counted.lower().split()[0] in {"other", "others"})


def _both_known_classes(a: Mention, b: Mention) -> bool:
    return all(count_key(m).counted in KNOWN_CLASSES | PERSON_CLASSES for m in (a, b))


def _fully_known(m: Mention) -> bool:
    event, counted, _ = count_key(m)
    return event is not None and counted is not None


def _probability(models: PairModels, features: Sequence[float]) -> float:
    """P(one referent) for a pair of counts, from the figure-blind model, or sure by the
    analyst's rule: in one incident, each report's headline toll for one slot (its first
    count of that event and group of people) is one row of the card, whatever the figures.
    """
    p = models.referent.probability(features)
    f = dict(zip(FEATURES, features, strict=True))
    if f["one_named_referent"] and f["same_incident"]:
        return max(p, SURE_REFERENT)
    return p


def count_keys(groups: Sequence[MentionGroup]) -> Counter[tuple[str, CountKey]]:
    """How many different figures each report gives for each key."""
    return Counter((g.report, count_key(g.first)) for g in groups)


def _same_source(a: Mention, b: Mention) -> bool:
    if not a.attribution or not b.attribution:
        return False
    score = fuzz.token_set_ratio(a.attribution.lower(), b.attribution.lower())
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
    """The figure-blind referent model and the probability at which a pair joins a fact."""

    referent: PairModel
    pair_min: float


@cache
def load_pair_models() -> PairModels:
    path = resources.files("corroborate") / "data" / "pair_model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: fitted for other features; rerun scripts/fit_pair_model.py")
    model = data["model"]
    return PairModels(
        PairModel(tuple(model["weights"]), float(model["bias"])), float(data["pair_min"])
    )


def group_within_reports(
    mentions: Sequence[Mention],
    headline_ends: Mapping[str, int] | None = None,
    context: MentionContext | None = None,
) -> list[MentionGroup]:
    """Counts grouped per report by referent: a report that repeats a figure gives it once.

    "At least three children" and "three children" give one figure (hedges do not change it);
    a distinctive figure repeated for a compatible referent is one count even where the
    counted noun was misread (a headline's "kills 14 State media" and the lead's "killed at
    least 14 people"). With a `context`, a count of the same thing told again in nearly the
    same words is the same referent whatever its figure: "10 children were among the
    executed" and later "16 children were among the executed" is a report that contradicts
    itself, not two counts.
    """
    by_report: dict[str, list[list[Mention]]] = {}
    for m in sorted(mentions, key=lambda m: (m.report, m.start)):
        groups = by_report.setdefault(m.report, [])
        home = next(
            (
                g
                for g in groups
                if (_repeats(g[0], m) and not _everyone_else(g[0], m, context))
                or (context is not None and _restates(g[0], m, context))
            ),
            None,
        )
        if home is None:
            groups.append([m])
        else:
            home.append(m)
    for report, groups in by_report.items():
        _join_anchored(groups)
        _join_headline(groups, (headline_ends or {}).get(report, 0))
    return [MentionGroup(ms[0].report, tuple(ms)) for gs in by_report.values() for ms in gs]


def _groups_apart(first: Mention, m: Mention) -> bool:
    """Two groups a report counts apart whatever their figures: "six children" and "six
    teachers" (civilians counted by occupation beside another narrower group)."""
    classes = {count_key(x).counted for x in (first, m)}
    if class_relation(first, m) is not Relation.RELATED:
        return False
    return "person" not in classes and (counts_by_occupation(first) or counts_by_occupation(m))


def _everyone_else(first: Mention, m: Mention, context: MentionContext | None) -> bool:
    """Whether m counts everyone in a sentence that tells of other victims, after `first`
    counted a narrower group: "10 children were among the executed" and later "the air
    force also killed at least 10 people" (but "five teens were injured" and then "four of
    the five victims" are one count)."""
    return (
        context is not None
        and count_key(first).counted not in BROAD_CLASSES | {None}
        and count_key(m).counted in BROAD_CLASSES
        and context.tells_another_event(m)
    )


def _one_of_them(m: Mention, count: Mention) -> bool:
    """Whether m counts one person beside a count of several: one of those counted ("one
    man was shot in the chest" after "four people were hurt"), not the count told again."""
    return headline_number(m) == 1 and headline_number(count) != 1


def _restates(first: Mention, m: Mention, context: MentionContext) -> bool:
    """Whether m tells again, in nearly the same words, the count that `first` tells."""
    return (
        _same_count_again(first, m)
        and first.sentence_start != m.sentence_start
        and not context.tells_another_event(m)  # more victims, or another incident's
        and context.window_cosine(first, m) >= RESTATED_COSINE
    )


def _join_anchored(groups: list[list[Mention]]) -> None:
    """Two counts of one thing in one report, each told beside the same other count, are one
    referent whatever their figures: "executed 48 people ..., among them 10 children" and
    later "16 children and 13 rebels were among 48 people executed" is a report that
    contradicts itself about the children of one execution. The other count must be told
    in both sentences with one key and one distinctive figure (4 or more), so that two
    incidents that each left "two dead" do not join their other counts."""
    for x, first in enumerate(groups):
        for y in range(len(groups) - 1, x, -1):
            later = groups[y]
            if not _same_count_again(first[0], later[0]):
                continue
            mine = {m.sentence_start for m in first}
            theirs = {m.sentence_start for m in later}
            if mine & theirs:
                continue  # one sentence's two counts of a thing are two counts
            if any(
                (told := _told_alike(anchor)) & mine and told & theirs
                for z, anchor in enumerate(groups)
                if z not in (x, y)
            ):
                first += later
                first.sort(key=lambda m: m.start)
                del groups[y]


def _told_alike(group: list[Mention]) -> set[int]:
    """The sentences that state a group's distinctive figure in its first statement's terms
    (none for a figure under 4, which two counts share by chance)."""
    lead = group[0]
    if lead.implicit or not is_distinctive(lead):
        return set()
    return {
        m.sentence_start
        for m in group
        if not m.implicit
        and count_key(m) == count_key(lead)
        and headline_number(m) == headline_number(lead)
    }


def _same_count_again(first: Mention, m: Mention) -> bool:
    """Whether m may tell again the count that `first` tells (its figure aside)."""
    return (
        count_key(first) == count_key(m)
        and not _one_of_them(m, first)
        and first.scope == m.scope
        and _counts_others(first) == _counts_others(m)
    )


def _join_headline(groups: list[list[Mention]], headline_end: int) -> None:
    """A headline's count and the first count of the body for the same thing are one
    referent, whatever their figures: the headline restates the lead ("kills 4" over
    "killed seven people" is a report that contradicts itself, not two tolls). A body that
    first gives the headline's figure restates it; a later "two women and two soldiers
    were killed" does not. One person told of is one of them, not the lead's count."""
    for headline in [g for g in groups if g[0].start < headline_end]:
        lead = next(
            (
                g
                for g in groups
                if g[0].start >= headline_end
                and g[0].scope == headline[0].scope  # not "In August, three were found dead"
                and events_match(headline[0], g[0]) is True
                and class_relation(headline[0], g[0]) is not Relation.DIFFERENT
                and count_key(headline[0]).unit == count_key(g[0]).unit
                and not _one_of_them(g[0], headline[0])
            ),
            None,
        )
        restated = [m.start for m in headline if m.start >= headline_end]
        if lead is None or (restated and min(restated) < lead[0].start):
            continue  # the body first restates the headline's figure: nothing to join
        headline += lead
        headline.sort(key=lambda m: m.start)
        groups.remove(lead)


def _repeats(first: Mention, m: Mention) -> bool:
    """Whether m, later in the same report, restates the figure of the group led by first."""
    if first.qualifier not in HEDGES or m.qualifier not in HEDGES:
        told = (first.qualifier, first.value, first.low, first.high)
        return count_key(first) == count_key(m) and told == (m.qualifier, m.value, m.low, m.high)
    if headline_number(first) != headline_number(m) or count_key(first).unit != count_key(m).unit:
        return False
    if count_key(first) == count_key(m):
        return True
    if not is_distinctive(m) or _groups_apart(first, m):
        return False
    if events_match(first, m) is False:
        # The event is often misread ("hit a market killing at least 26 civilians" read as
        # the attack's); a large figure repeated for one class is still one count, but
        # never the dead told again as the wounded ("15 injured" and "15 children" dead).
        figure_ = headline_number(m)
        return (
            isinstance(figure_, int | float)
            and figure_ >= REPEATED_FIGURE
            and not (first.slot and m.slot and first.slot != m.slot)
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


def _likeliest_partners(
    groups: Sequence[MentionGroup], probabilities: dict[tuple[int, int], float]
) -> set[tuple[int, int]]:
    """Pairs where each count is the other's likeliest partner in the other's report among
    those not taken by a likelier pair (best pairs first)."""
    taken: set[tuple[int, str]] = set()
    partners: set[tuple[int, int]] = set()
    for _p, i, j in sorted(((p, i, j) for (i, j), p in probabilities.items()), reverse=True):
        if (i, groups[j].report) in taken or (j, groups[i].report) in taken:
            continue
        partners.add((i, j))
        taken |= {(i, groups[j].report), (j, groups[i].report)}
    return partners


def same_things_joined(
    groups: Sequence[MentionGroup], probabilities: dict[tuple[int, int], float]
) -> dict[tuple[int, int], float]:
    """`probabilities` with counts of one known thing, not people, that are each other's
    likeliest partner made sure (1.0): the same event and thing ("182 strikes" and "182
    airstrikes") are one count, whatever the figure-blind model's doubt about their
    wording, and figures that cannot both be true of it are a conflict. (Counts of people
    fill the card's rows by slot; among them one key is common to many referents. Things
    named in other words, "two trucks" and "5 SUVs", were tried: the pairing's best partner
    among vehicles is too often another vehicle.)"""
    partners = _likeliest_partners(groups, probabilities)
    return {
        pair: 1.0 if pair in partners and _one_thing(groups[pair[0]], groups[pair[1]]) else p
        for pair, p in probabilities.items()
    }


def _one_thing(a: MentionGroup, b: MentionGroup) -> bool:
    """Counts of one known event and thing (not people): "182 strikes", "182 airstrikes"."""
    event, counted, unit = count_key(a.first)
    return (
        count_key(a.first) == count_key(b.first)
        and a.first.slot is None
        and event is not None
        and (counted is not None or unit != "")
    )


def cluster_counts(
    groups: Sequence[MentionGroup],
    probabilities: dict[tuple[int, int], float],
    pair_min: float,
) -> list[tuple[list[MentionGroup], float]]:
    """Counts clustered into facts, each with its weakest link's probability (1 for singles).

    A pair joins when it reaches `pair_min`, best pairs first, so that each count joins its
    likeliest partner not yet taken; a fact holds at most one group per report (a
    report giving two figures for one key gives them for two referents), and every pair in
    it must be linked. Figures are not looked at: the verdict judges them afterwards.
    """
    cluster_of = list(range(len(groups)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(groups))}
    weakest: dict[int, float] = {i: 1.0 for i in range(len(groups))}
    ranked = sorted(
        ((p, i, j) for (i, j), p in probabilities.items() if p >= pair_min),
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
        for k in members[cj]:
            cluster_of[k] = ci
        members[ci] = members[ci] + members[cj]
        weakest[ci] = link
        del members[cj], weakest[cj]
    return [([groups[k] for k in sorted(ks)], weakest[c]) for c, ks in members.items()]


def report_links(
    index: Mapping[int, int],
    members: Sequence[MentionGroup],
    probabilities: Mapping[tuple[int, int], float],
) -> dict[frozenset[str], float]:
    """How sure the pairing is that each two reports' statements in a fact are one count.

    Args:
        index: each group's position in the list `probabilities` is keyed by, by `id()`.
        members: the groups of one fact.
        probabilities: P(one referent) by pair of positions (i < j).
    """
    links: dict[frozenset[str], float] = {}
    for x, a in enumerate(members):
        for b in members[x + 1 :]:
            if a.report == b.report:
                continue
            i, j = sorted((index[id(a)], index[id(b)]))
            pair = frozenset({a.report, b.report})
            # a report may give a row several statements: the surest pairing speaks for it
            links[pair] = max(links.get(pair, 0.0), probabilities.get((i, j), 0.0))
    return links
