"""The incident card: which counts fill which slot of which incident, and what the card says.

A count fills a row of the card by its slot (killed, wounded, ...), who it counts and the
incident its report tells of — never by how close its figure is to the others'. Two reports'
different figures for one slot are one row, judged afterwards (`verdict`). Background
(the war's toll, earlier incidents) never joins a slot.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from corroborate.align.bounds import interval
from corroborate.align.judge import FactPlace
from corroborate.align.pairing import MentionGroup
from corroborate.align.places import ReadPlaces, incident_place, place_ref
from corroborate.align.referents import count_key
from corroborate.extract.dates import date_span
from corroborate.extract.events import EVENT_TYPE_ORDER, lead_event_type
from corroborate.extract.quantities import event_of_lemma
from corroborate.model import (
    COUNT_SLOTS,
    Category,
    EventType,
    Fact,
    Incident,
    Mention,
    Report,
    Scope,
    Slot,
)

# A sentence dated more days than this before its incident's day tells of an earlier one
# (a recap); one day of slack for "late Saturday" beside "early Sunday".
EARLIER_DAYS = 1
# Who the headline toll of a slot counts: everyone, or the civilians where that is all a
# report says.
HEADLINE_CATEGORIES = frozenset({None, Category.PEOPLE, Category.CIVILIANS})


def dated_scopes(mentions: Sequence[Mention], incident_of: Mapping[str, str]) -> list[Mention]:
    """Counts in a sentence dated (to a day or a whole month, or to a year where nothing in
    the sentence is dated later) before its incident's day tell of an earlier incident:
    background. The incident's day is the day most of its reports date events to."""
    days: dict[str, Counter[date]] = defaultdict(Counter)
    seen: set[tuple[str, date]] = set()
    for m in mentions:
        if m.kind == "date" and m.event != "statement" and m.precision == "day":
            span = date_span(str(m.value))
            if span is not None and (m.report, span[0]) not in seen:
                seen.add((m.report, span[0]))
                days[incident_of[m.report]][span[0]] += 1
    day_of = {incident: c.most_common(1)[0][0] for incident, c in days.items()}
    earlier: set[tuple[str, int]] = set()
    years_before: set[tuple[str, int, str]] = set()
    not_before: set[tuple[str, int]] = set()
    for m in mentions:
        day = day_of.get(incident_of[m.report])
        if day is None or m.kind != "date" or m.event == "statement":
            continue
        sentence = (m.report, m.sentence_start)
        span = date_span(str(m.value))
        if m.qualifier == "at least" or span is None or (day - span[1]).days <= EARLIER_DAYS:
            not_before.add(sentence)  # "since Wednesday" runs up to the report
        elif m.precision in ("day", "month"):
            earlier.add(sentence)  # "In August, three were found dead"
        elif (event := event_of_lemma(str(m.event or "").split(" ")[0])) is not None:
            years_before.add((*sentence, event))

    def told_earlier(count: Mention) -> bool:
        # A year dates a clause ("the remains of eight soldiers abducted in 2014"): it dates
        # a count only when it dates the count's event ("her husband was murdered at a
        # nightclub in 2005") and no date in the sentence holds or follows the incident's day.
        sentence = (count.report, count.sentence_start)
        event = count_key(count).event or ""
        return sentence in earlier or (
            sentence not in not_before and (*sentence, event) in years_before
        )

    return [
        replace(m, scope=Scope.BACKGROUND) if m.kind == "quantity" and told_earlier(m) else m
        for m in mentions
    ]


def stated_counts(counts: Sequence[Mention]) -> list[Mention]:
    """The counts to line up: a count read without a number ("a man was shot and killed")
    only where its report gives no figure for that slot of the incident."""
    figured = {
        (m.report, m.slot)
        for m in counts
        if not m.implicit and m.slot is not None and m.scope is Scope.INCIDENT
    }
    return [m for m in counts if not m.implicit or (m.report, m.slot) not in figured]


def fact_place(groups: Sequence[MentionGroup], incident_of: Mapping[str, str]) -> FactPlace:
    """A fact's incident (when all its reports tell of one), its scope, and its slot when
    every mention names who did it."""
    incidents = {incident_of[g.report] for g in groups}
    mentions = [m for g in groups for m in g.mentions]
    scope = Scope.OTHER
    if all(m.scope is Scope.BACKGROUND for m in mentions):
        scope = Scope.BACKGROUND
    elif any(m.scope is Scope.INCIDENT for m in mentions):
        scope = Scope.INCIDENT
    slot = Slot.PERPETRATOR if {m.slot for m in mentions} == {Slot.PERPETRATOR} else None
    return FactPlace(incidents.pop() if len(incidents) == 1 else None, slot=slot, scope=scope)


def count_place(groups: Sequence[MentionGroup], incident_of: Mapping[str, str]) -> FactPlace:
    """Where a count fact stands: as `fact_place`, and the slot and category its mentions
    fill when they tell of the incident (a count always tells of its incident or of the
    background)."""
    place = fact_place(groups, incident_of)
    mentions = [m for g in groups for m in g.mentions]
    slots = Counter(m.slot for m in mentions if m.slot is not None)
    if place.scope is Scope.BACKGROUND or not slots or place.incident is None:
        return place
    slot = slots.most_common(1)[0][0]
    categories = Counter(m.category for m in mentions if m.slot is slot and m.category)
    category = categories.most_common(1)[0][0] if categories else Category.PEOPLE
    if category is Category.CIVILIANS and any(m.category is Category.PEOPLE for m in mentions):
        category = Category.PEOPLE
    return replace(place, slot=slot, category=category)


def event_type(reports: Sequence[Report]) -> EventType:
    """The kind of incident most of the reports' leads name, the more specific first when
    as many name each."""
    votes = Counter(kind for r in reports if (kind := lead_event_type(r)) is not EventType.OTHER)
    if not votes:
        return EventType.OTHER
    return max(votes, key=lambda kind: (votes[kind], -EVENT_TYPE_ORDER.index(kind)))


def fill_card(
    incident: Incident,
    facts: Sequence[Fact],
    reports: Mapping[str, Report],
    places: ReadPlaces | None = None,
) -> Incident:
    """The incident with its card: event type, date, place, the fact of each slot and the
    card's facts in display order (date, place, counts, who did it; then the categories).

    Args:
        incident: the incident, with its reports.
        facts: all facts of the comparison (those of the incident are picked out).
        reports: the reports by id.
        places: the place each place mention names, read in its report (a name several
            places bear is the one beside the report's other places).
    """
    mine = set(incident.reports)
    # Only facts of this incident (all their reports tell of it): a fact its reports share
    # with another incident's is on neither card.
    facts = [f for f in facts if f.incident == incident.id]
    position = {f.id: n for n, f in enumerate(facts)}
    slots: dict[Slot, Fact] = {}
    for slot in COUNT_SLOTS:
        of_slot = [f for f in facts if f.slot is slot]
        # Everyone, or civilians; else the one group the reports count ("two officers were
        # injured").
        headline = [f for f in of_slot if f.category in HEADLINE_CATEGORIES] or of_slot
        if headline:
            slots[slot] = _most_told(headline, position)
    wounded, killed = slots.get(Slot.WOUNDED), slots.get(Slot.KILLED)
    if wounded is not None and killed is not None and _died_later(wounded, killed, reports):
        del slots[Slot.WOUNDED]  # the wounded of the early reports are among the later dead
    told = [f for f in facts if f.scope is not Scope.BACKGROUND]
    dates = [f for f in told if f.kind == "date"]
    if dates:
        slots[Slot.DATE] = _most_told(dates, position)
    texts = {rid: report.text for rid, report in reports.items()}
    where = incident_place(told, mine, texts, places)
    if where is not None:
        slots[Slot.PLACE] = where
    perpetrators = [f for f in told if f.kind == "actor" and f.slot is Slot.PERPETRATOR]
    if perpetrators:
        slots[Slot.PERPETRATOR] = _most_told(perpetrators, position)
    order = [Slot.DATE, Slot.PLACE, *COUNT_SLOTS, Slot.PERPETRATOR]
    card = [slots[s].id for s in order if s in slots]
    card += [f.id for f in facts if f.slot in COUNT_SLOTS and f.id not in card]
    start, end = _dates(slots.get(Slot.DATE))
    place = slots.get(Slot.PLACE)
    return replace(
        incident,
        event_type=event_type([reports[r] for r in incident.reports]),
        date_start=start,
        date_end=end,
        place=place_ref(place, places) if place else None,
        slots=tuple((s, slots[s].id) for s in order if s in slots),
        card=tuple(card),
    )


def _died_later(wounded: Fact, killed: Fact, reports: Mapping[str, Report]) -> bool:
    """Whether the victims an incident's early reports tell of as wounded are among the
    dead its later reports tell of: the wounded row holds only victims told one by one ("a
    3-year-old child was critically injured"), and reports published after all of it give
    no wounded but a toll that rose by at least as many over the earlier reports' ("the
    toddler has died"). An analyst reads the child as dead, not as one more wounded."""
    if not all(m.implicit for m in wounded.mentions):
        return False
    dates = {rid: r.published for rid, r in reports.items()}
    told_wounded = {m.report for m in wounded.mentions}
    wounded_days = [d for rid in told_wounded if (d := dates.get(rid)) is not None]
    if len(wounded_days) < len(told_wounded):
        return False  # an undated report may be the latest
    last = max(wounded_days)
    tolls: dict[str, float] = {}
    for m in killed.mentions:
        tolls[m.report] = max(tolls.get(m.report, 0.0), interval(m)[0])
    later = [
        toll
        for rid, toll in tolls.items()
        if rid not in told_wounded and (d := dates.get(rid)) is not None and d > last
    ]
    if not later:
        return False
    earlier = max(
        (toll for rid, toll in tolls.items() if (d := dates.get(rid)) is not None and d <= last),
        default=0.0,
    )
    hurt = max(interval(m)[0] for m in wounded.mentions)
    return max(later) - earlier >= hurt > 0


def _most_told(candidates: Sequence[Fact], position: Mapping[str, int]) -> Fact:
    """The fact most reports give; the more exact date, then the first (the lead's), when
    as many give each."""
    return max(candidates, key=lambda f: (len(f.reports), _precision(f), -position[f.id]))


def _precision(fact: Fact) -> int:
    """How exact a date fact is: a day over a month over a year ("since 2011")."""
    precisions = {m.precision for m in fact.mentions}
    return 2 if "day" in precisions else 1 if "month" in precisions else 0


def _dates(fact: Fact | None) -> tuple[date | None, date | None]:
    if fact is None:
        return None, None
    spans = [span for m in fact.mentions if (span := date_span(str(m.value)))]
    if not spans:
        return None, None
    return min(s for s, _ in spans), max(e for _, e in spans)
