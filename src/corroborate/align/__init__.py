"""The align stage: gather mentions of one referent across reports into facts with a status.

Counts are paired by a fitted model over what they count, the meaning of their sentences
(MiniLM embeddings), places, dates, sources and figures (`pairing`), then judged as numbers
with bounds (`judge`). A pairing that is not sure enough to call a conflict is not made: a poor
alignment never shows as a contradiction. Dates, places and actors line up by normalised key;
quotes by fuzzy match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from corroborate.align.bounds import format_value, interval, intervals_overlap
from corroborate.align.card import (
    HEADLINE_CATEGORIES,
    count_place,
    dated_scopes,
    fact_place,
    fill_card,
    stated_counts,
)
from corroborate.align.context import MentionContext, headline_end
from corroborate.align.judge import FactPlace, make_fact
from corroborate.align.pairing import (
    SURE_REFERENT,
    MentionGroup,
    PairModels,
    cluster_counts,
    group_within_reports,
    load_pair_models,
    pair_probabilities,
    report_links,
    same_things_joined,
)
from corroborate.align.places import ReadPlaces, merge_contained
from corroborate.errors import ArgumentError
from corroborate.model import (
    Category,
    Extraction,
    Fact,
    Incident,
    Mention,
    Report,
    Scope,
    Slot,
)

__all__ = ["Alignment", "align", "format_value", "interval", "intervals_overlap"]

QUOTE_MATCH_MIN = 85
KIND_ORDER = ("quantity", "date", "place", "actor", "quote")


@dataclass(frozen=True, slots=True)
class Alignment:
    """What the align stage returns: the facts, and the incidents the reports tell of."""

    facts: tuple[Fact, ...]
    incidents: tuple[Incident, ...]


def align(extractions: Sequence[Extraction], models: PairModels | None = None) -> Alignment:
    """Line up the mentions of all reports into facts, and group the reports by incident.

    Counts of people in an incident's slots (killed, wounded, ...) form the incident card's
    rows by slot and incident (`card`); other counts are paired by referent (`pairing`);
    dates, places and actors line up by key, quotes by fuzzy match.

    Args:
        extractions: one per report, from the extract stage.
        models: the pair models; the shipped ones (`data/pair_model.json`) by default.

    Returns:
        Facts ordered with each incident's card first, then the details: facts several
        reports give before facts one report gives, counts first, in reading order.
        Incidents in order of their first report, each with its card.
    """
    if not extractions:
        return Alignment((), ())
    ids = [e.report.id for e in extractions]
    if len(set(ids)) < len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ArgumentError(
            "extractions", f"report ids must be unique; repeated: {', '.join(repeated)}"
        )
    reports = {e.report.id: e.report for e in extractions}
    order = {e.report.id: i for i, e in enumerate(extractions)}
    mentions = [m for e in extractions for m in e.mentions]
    sources = [s for e in extractions for s in e.sources]
    context = MentionContext(mentions, reports)
    incident_of = {rid: incident.id for incident in context.incidents for rid in incident.reports}
    mentions, groups = count_groups(mentions, context, incident_of)
    wounded = _wounded_told(mentions)
    clusters: list[_Cluster] = []
    if groups:
        models = models or load_pair_models()
        probabilities = same_things_joined(groups, pair_probabilities(groups, context, models))
        index = {id(g): i for i, g in enumerate(groups)}
        counted = _whole_tolls(
            [
                (members, confidence, count_place(members, incident_of))
                for members, confidence in cluster_counts(groups, probabilities, models.pair_min)
            ]
        )
        firsts = _first_of_slot(counted)
        for members, confidence, place in _slot_rows(counted, context, firsts):
            links = report_links(index, members, probabilities)
            for pair, sure in _leads_linked(members, _row_key(place), firsts).items():
                links[pair] = max(links.get(pair, 0.0), sure)
            clusters.append(_Cluster("quantity", members, confidence, place, links=links))
    keyed = (
        ("date", [m for m in mentions if m.kind == "date" and m.event != "statement"]),
        ("place", [m for m in mentions if m.kind == "place"]),
        ("actor", [m for m in mentions if m.kind == "actor"]),
    )
    for kind, of_kind in keyed:
        by_key = _group_by_key(of_kind)
        joined = (
            merge_contained(by_key, context.places_read)
            if kind == "place"
            else [(c, False) for c in by_key]
        )
        clusters += [
            _Cluster(kind, c, 1.0, fact_place(c, incident_of), contained) for c, contained in joined
        ]
    quotes = [m for m in mentions if m.kind == "quote"]
    clusters += [
        _Cluster("quote", c, 1.0, fact_place(c, incident_of)) for c in _align_quotes(quotes)
    ]
    facts = [
        make_fact(
            f"t{n}",
            c.kind,
            c.groups,
            c.confidence,
            reports,
            order,
            sources,
            place=c.place,
            contained=c.contained,
            links=c.links,
            wounded=wounded,
        )
        for n, c in enumerate(clusters)
    ]
    return _with_cards(facts, context.incidents, reports, order, context.places_read)


def count_groups(
    mentions: Sequence[Mention], context: MentionContext, incident_of: Mapping[str, str]
) -> tuple[list[Mention], list[MentionGroup]]:
    """The counts as alignment pairs them (`scripts/fit_pair_model.py` fits on these too).

    Returns:
        The mentions, counts dated before their incident's day made background; and the
        counts to line up, grouped per report by referent (headline joined to lead,
        restatements joined).
    """
    mentions = dated_scopes(mentions, incident_of)
    counts = stated_counts([m for m in mentions if m.kind == "quantity"])
    headlines = {rid: headline_end(report) for rid, report in context.reports.items()}
    return mentions, group_within_reports(counts, headlines, context)


Counted = tuple[list[MentionGroup], float, FactPlace]
RowKey = tuple[str, Slot, Category | None]


def _slot_rows(
    counted: Sequence[Counted], context: MentionContext, firsts: Mapping[tuple[str, RowKey], int]
) -> list[Counted]:
    """One row per slot, category and incident: the counts of an incident's slot that the
    pairing left apart join the row, whatever their figures. The pairing tells referents
    apart where a slot does not (strikes, trucks, the war's toll); within a slot of one
    incident, a report's other figure is the count told again or a part of it, and another
    report's is its version of the count (`judge` weighs each report's first statement
    and any later, higher one)."""
    rows: dict[RowKey, int] = {}
    out: list[Counted] = []
    for members, confidence, place in counted:
        key = _row_key(place)
        if key is None or all(context.tells_another_event(g.first) for g in members):
            out.append((members, confidence, place))
            continue
        if len({g.report for g in members}) > 1 and not _leads(members, key, firsts):
            # Later counts of several reports that the pairing found to be one referent ("ten
            # civilians were killed when strikes hit a bus"): a part of the toll that the
            # reports tell apart, not their version of it.
            out.append((members, confidence, replace(place, slot=None)))
            continue
        if key not in rows:
            rows[key] = len(out)
            out.append((list(members), confidence, place))
            continue
        row_members, row_confidence, row_place = out[rows[key]]
        if _told_apart(members, row_members, context):
            out.append((members, confidence, place))
            continue
        out[rows[key]] = (row_members + members, min(row_confidence, confidence), row_place)
    return out


def _leads(
    members: Sequence[MentionGroup], key: RowKey, firsts: Mapping[tuple[str, RowKey], int]
) -> list[str]:
    """The reports whose first count of the card row `key` is among `members`."""
    return sorted({g.report for g in members if firsts.get((g.report, key)) == g.first.start})


def _leads_linked(
    members: Sequence[MentionGroup], key: RowKey | None, firsts: Mapping[tuple[str, RowKey], int]
) -> dict[frozenset[str], float]:
    """Each two reports whose first counts of a card row are in it, made sure to be of one
    count: a report's first count of an incident's slot is its headline toll, one referent
    whatever the wording (the card's rule), so figures that cannot both be true of it are a
    conflict, not a doubt about the pairing."""
    leads = _leads(members, key, firsts) if key is not None else []
    return {frozenset({a, b}): SURE_REFERENT for i, a in enumerate(leads) for b in leads[i + 1 :]}


def _row_key(place: FactPlace) -> RowKey | None:
    """The card row a count of an incident's slot belongs to: incident, slot and who is
    counted, everyone and the civilians being one headline toll (outlets call the same dead
    "31 people" or "31 civilians")."""
    if place.incident is None or place.slot is None or place.scope is not Scope.INCIDENT:
        return None
    category = Category.PEOPLE if place.category in HEADLINE_CATEGORIES else place.category
    return (place.incident, place.slot, category)


def _whole_tolls(counted: list[Counted]) -> list[Counted]:
    """Counts of a slot told only by who the victims are ("two teens injured") in reports
    that count that slot in no other way: each such report's whole toll of the slot, so
    the slot's headline row, not a row of its own beside another report's "two people
    were shot"."""
    broad = {
        (g.report, key[0], key[1])
        for members, _, place in counted
        if (key := _row_key(place)) is not None and key[2] is Category.PEOPLE
        for g in members
    }
    out: list[Counted] = []
    for members, confidence, place in counted:
        key = _row_key(place)
        if (
            key is not None
            and key[2] is not Category.PEOPLE
            and not any((g.report, key[0], key[1]) in broad for g in members)
        ):
            place = replace(place, category=None)
        out.append((members, confidence, place))
    return out


def _first_of_slot(counted: Sequence[Counted]) -> dict[tuple[str, RowKey], int]:
    """Where each report first gives a count of each card row (`_row_key`)."""
    firsts: dict[tuple[str, RowKey], int] = {}
    for members, _, place in counted:
        key = _row_key(place)
        if key is None:
            continue
        for g in members:
            at = firsts.get((g.report, key))
            if at is None or g.first.start < at:
                firsts[(g.report, key)] = g.first.start
    return firsts


def _told_apart(
    members: Sequence[MentionGroup], row: Sequence[MentionGroup], context: MentionContext
) -> bool:
    """Counts whose sentences name another place or another day than every sentence of the
    row ("in Chicago, 39 people were shot" beside a Houston shooting): another incident's.

    Only sentences that name a place (a day) can share or clash on one, and the relations
    are of sentences, not of counts: each pair of such sentences is compared once.
    """
    ours, theirs = _sentences(members), _sentences(row)
    return _only_clashes(ours, theirs, context.places, context.place_relation) or _only_clashes(
        ours, theirs, context.dates, context.date_relation
    )


def _only_clashes(
    ours: Sequence[Mention],
    theirs: Sequence[Mention],
    names: Callable[[Mention], set[str]],
    relation: Callable[[Mention, Mention], tuple[bool, bool]],
) -> bool:
    """Whether some sentences of each side clash on what they name (places, days) and none
    share any: `names` tells what a sentence names, `relation` (shared, clash) for two."""
    related = [relation(x, y) for x in ours if names(x) for y in theirs if names(y)]
    return any(clash for _, clash in related) and not any(shared for shared, _ in related)


def _sentences(groups: Sequence[MentionGroup]) -> list[Mention]:
    """A mention of each sentence the groups' counts are told in."""
    by_sentence = {(m.report, m.sentence_start): m for g in groups for m in g.mentions}
    return list(by_sentence.values())


@dataclass(frozen=True, slots=True)
class _Cluster:
    kind: str
    groups: list[MentionGroup]
    confidence: float
    place: FactPlace
    contained: bool = False  # places joined because one lies within another
    # For counts: how sure the pairing is that two reports' statements are one count.
    links: Mapping[frozenset[str], float] = field(default_factory=dict)


def _wounded_told(mentions: Sequence[Mention]) -> dict[str, float]:
    """The most wounded each report tells of in its incident ("no one else was hurt": 0),
    for reports that tell of any."""
    wounded: dict[str, float] = {}
    for m in mentions:
        if m.kind == "quantity" and m.slot is Slot.WOUNDED and m.scope is Scope.INCIDENT:
            wounded[m.report] = max(wounded.get(m.report, 0.0), interval(m)[0])
    return wounded


def _with_cards(
    facts: list[Fact],
    incidents: Sequence[Incident],
    reports: dict[str, Report],
    order: dict[str, int],
    places: ReadPlaces,
) -> Alignment:
    """Each incident's card filled, its date, place and perpetrator facts marked as slots,
    and the facts ranked and numbered: cards first, then the details."""
    carded = [fill_card(incident, facts, reports, places) for incident in incidents]
    slot_of = {fact: slot for incident in carded for slot, fact in incident.slots}
    incident_of_fact = {fact: i.id for i in carded for fact in i.card}
    marked = [
        replace(f, slot=slot_of[f.id], incident=incident_of_fact[f.id], scope=Scope.INCIDENT)
        if f.id in slot_of and f.slot is None
        else f
        for f in facts
    ]
    card_rank = {fact: n for n, fact in enumerate(f for i in carded for f in i.card)}

    def rank(f: Fact) -> tuple[int, int, int, int, int]:
        if f.id in card_rank:
            return (0, card_rank[f.id], 0, 0, 0)
        several = 0 if len(f.reports) > 1 else 1
        first = min(f.mentions, key=lambda m: (order[m.report], m.start))
        return (1, several, KIND_ORDER.index(f.kind), order[first.report], first.start)

    ranked = sorted(marked, key=rank)
    new_id = {f.id: f"f{n}" for n, f in enumerate(ranked, start=1)}
    final = tuple(replace(f, id=new_id[f.id]) for f in ranked)
    cards = tuple(
        replace(
            i,
            slots=tuple((slot, new_id[fact]) for slot, fact in i.slots),
            card=tuple(new_id[fact] for fact in i.card),
        )
        for i in carded
    )
    return Alignment(final, cards)


def _group_by_key(mentions: Iterable[Mention]) -> list[list[MentionGroup]]:
    by_key: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for m in mentions:
        by_key[m.key][m.report].append(m)
    return [
        [MentionGroup(report, tuple(ms)) for report, ms in per_report.items()]
        for per_report in by_key.values()
    ]


def _align_quotes(quotes: Sequence[Mention]) -> list[list[MentionGroup]]:
    clusters: list[list[MentionGroup]] = []
    for quote in quotes:
        for cluster in clusters:
            if (
                quote.report not in {g.report for g in cluster}
                and fuzz.partial_ratio(quote.key, cluster[0].first.key) >= QUOTE_MATCH_MIN
            ):
                cluster.append(MentionGroup(quote.report, (quote,)))
                break
        else:
            clusters.append([MentionGroup(quote.report, (quote,))])
    return clusters
