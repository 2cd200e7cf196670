"""Places judged by containment: "Abu Kamal" (one report) and "eastern Syria" (another) are
one place fact, compatible, one more specific; the incident's place is the most specific
place its reports give, with the places it lies in."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from corroborate.align.pairing import MentionGroup
from corroborate.gazetteer import Place, PlaceLevel, PlaceRelation, relation, resolve_place
from corroborate.model import Fact, Mention, PlaceRef

# "to Abu-Kemal city", "into ISIS-held eastern Syria", "from Aleppo": a destination or an
# origin, not where the incident happened.
DIRECTIONAL_BEFORE = re.compile(
    r"(?i)\b(?:to|into|towards?|from|for)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$"
)
# How specific each level is: a town or a named area says more than its province.
SPECIFICITY = {
    PlaceLevel.COUNTRY: 0,
    PlaceLevel.REGION: 1,
    PlaceLevel.DISTRICT: 2,
    PlaceLevel.AREA: 2,
    PlaceLevel.CITY: 3,
    PlaceLevel.NEIGHBOURHOOD: 4,
}


# The place each place mention names, by report and start (`context.read_places`).
ReadPlaces = Mapping[tuple[str, int], Place]


def place_of(group: Sequence[MentionGroup], places: ReadPlaces | None = None) -> Place | None:
    """The gazetteer's place for a fact's mentions (they share one key), as read in its
    report where `places` says."""
    return _place_read(group[0].first, places)


def _place_read(m: Mention, places: ReadPlaces | None) -> Place | None:
    """The place a place mention names, as read in its report where `places` says, else
    as the gazetteer reads the name alone."""
    read = places.get((m.report, m.start)) if places is not None else None
    return read or resolve_place(str(m.value))


def merge_contained(
    clusters: list[list[MentionGroup]], places: ReadPlaces | None = None
) -> list[tuple[list[MentionGroup], bool]]:
    """Place facts of different reports joined when one place lies within the other.

    A place is joined to the most specific place of other reports that contains it, and
    only when no report gives both (a report naming Aleppo and Syria names two places).
    Countries are too broad to join: every report names them for many reasons. Returns
    each fact's groups and whether it was joined by containment. `places`: the places as
    read in their reports (`context.read_places`).
    """
    resolved = [place_of(c, places) for c in clusters]
    merged_into: dict[int, int] = {}
    reports_of = [{g.report for g in c} for c in clusters]
    # The most specific places first, so a host is never later made a guest (no chains).
    for i in sorted(range(len(clusters)), key=lambda k: -_specificity(resolved[k])):
        inner = resolved[i]
        if inner is None or i in merged_into.values():
            continue
        hosts = [
            j
            for j, outer in enumerate(resolved)
            if j != i
            and outer is not None
            and outer.level is not PlaceLevel.COUNTRY
            and j not in merged_into
            and not reports_of[i] & reports_of[j]
            and relation(inner, outer) is PlaceRelation.WITHIN
        ]
        if hosts:
            host = max(hosts, key=lambda j: _specificity(resolved[j]))
            merged_into[i] = host
            reports_of[host] |= reports_of[i]  # one place per report in a joined fact
    out: list[tuple[list[MentionGroup], bool]] = []
    for j, cluster in enumerate(clusters):
        if j in merged_into:
            continue
        guests = [g for i, host in merged_into.items() if host == j for g in clusters[i]]
        out.append((cluster + guests, bool(guests)))
    return out


def _specificity(place: Place | None) -> int:
    return SPECIFICITY[place.level] if place is not None else -1


def incident_place(
    facts: Sequence[Fact],
    reports: set[str],
    texts: Mapping[str, str],
    places: ReadPlaces | None = None,
) -> Fact | None:
    """The incident's place fact: the one most of its reports give as where things happened
    (not "to Abu Kamal" or "from Aleppo": where people went or came from), the more specific
    when as many give each; places the gazetteer does not know rank below those it knows."""
    located = {
        fact.id: {
            m.report
            for m in fact.mentions
            if m.report in reports and not _directional(m.start, texts[m.report])
        }
        for fact in facts
        if fact.kind == "place"
    }
    candidates = [f for f in facts if located.get(f.id)]
    if not candidates:
        return None
    position = {f.id: n for n, f in enumerate(facts)}

    def rank(fact: Fact) -> tuple[int, int, int]:
        specific = max((_specificity(p) for p in _resolved(fact, places)), default=-1)
        return len(located[fact.id]), specific, -position[fact.id]

    return max(candidates, key=rank)


def _directional(start: int, text: str) -> bool:
    """Whether the place at `start` is where someone went or came from."""
    return bool(DIRECTIONAL_BEFORE.search(text[max(0, start - 40) : start]))


def place_ref(fact: Fact, places: ReadPlaces | None = None) -> PlaceRef:
    """The most specific place of a place fact, with the places it lies in."""
    known = _resolved(fact, places)
    if not known:
        return PlaceRef(str(fact.mentions[0].value))
    best = max(known, key=_specificity)
    return PlaceRef(best.name, best.parents)


def _resolved(fact: Fact, places: ReadPlaces | None = None) -> list[Place]:
    """The places the gazetteer knows among a place fact's mentions, as read in their
    reports where `places` says."""
    return [p for m in fact.mentions if (p := _place_read(m, places))]
