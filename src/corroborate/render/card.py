"""The incident card as the views show it: a heading per incident, one row per slot, and
what each outlet leaves out; then the details, ranked, with the low-value rows folded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from corroborate.model import (
    COUNT_SLOTS,
    Category,
    Comparison,
    Fact,
    FactStatus,
    Incident,
    Scope,
    Slot,
)

# How each slot reads in a card's first column. A test checks every Slot has a label.
SLOT_LABELS: dict[Slot, str] = {
    Slot.KILLED: "killed",
    Slot.WOUNDED: "wounded",
    Slot.MISSING: "missing",
    Slot.DETAINED: "detained",
    Slot.KIDNAPPED: "kidnapped",
    Slot.DISPLACED: "displaced",
    Slot.EVACUATED: "evacuated",
    Slot.PERPETRATOR: "who did it",
    Slot.TARGET: "target",
    Slot.WEAPON: "weapon",
    Slot.DATE: "when",
    Slot.PLACE: "where",
}


@dataclass(frozen=True, slots=True)
class Card:
    """One incident's card: its heading, its facts in order, and the outlets' omissions."""

    incident: Incident
    heading: str
    facts: tuple[Fact, ...]
    omissions: tuple[str, ...]


def slot_label(slot: Slot | None, category: Category | None) -> str:
    """ "killed", "killed: children" ."""
    if slot is None:
        return ""
    label = SLOT_LABELS[slot]
    if category is not None and category is not Category.PEOPLE:
        return f"{label}: {category.value}"
    return label


def incident_heading(
    event_type: str,
    start: date | str | None,
    end: date | str | None,
    place: str | None,
    parents: Sequence[str] = (),
) -> str:
    """ "airstrike · 2016-10-18 · Hassajik (Aleppo, Syria)"; an incident of no known kind
    is named by its date and place alone."""
    parts = [event_type] if event_type != "other" else []
    if start is not None:
        parts.append(str(start) if end in (None, start) else f"{start} to {end}")
    if place:
        parts.append(f"{place} ({', '.join(parents)})" if parents else place)
    return " · ".join(parts) or "kind, date and place unknown"


def cards(comparison: Comparison) -> list[Card]:
    """The card of every incident, in the order of the incidents."""
    by_id = {fact.id: fact for fact in comparison.facts}
    out = []
    for incident in comparison.incidents:
        facts = tuple(by_id[f] for f in incident.card if f in by_id)
        place = incident.place
        heading = incident_heading(
            incident.event_type.value,
            incident.date_start,
            incident.date_end,
            place.name if place else None,
            place.parents if place else (),
        )
        filled = [
            (slot, set(by_id[fact_id].reports))
            for slot, fact_id in incident.slots
            if fact_id in by_id
        ]
        lines = omission_lines(filled, incident.reports, lambda r: comparison.report(r).label)
        out.append(Card(incident, heading, facts, tuple(lines)))
    return out


def omission_lines(
    filled: Sequence[tuple[Slot, set[str]]],
    reports: Sequence[str],
    label: Callable[[str], str],
) -> list[str]:
    """ "CNN gives no figure for wounded", for each count slot of a card that a report of
    the incident leaves empty while another fills it.

    Args:
        filled: each slot of the card and the reports that give it.
        reports: the incident's reports.
        label: a report's name, by id.
    """
    return [
        f"{label(report_id)} gives no figure for {SLOT_LABELS[slot]}"
        for slot, given in filled
        if slot in COUNT_SLOTS and given
        for report_id in reports
        if report_id not in given
    ]


@dataclass(frozen=True, slots=True)
class Details:
    """The facts below the cards, ranked, and how many low-value rows were folded away."""

    facts: tuple[Fact, ...]
    folded: int


def details(comparison: Comparison, *, include_singles: bool = True) -> Details:
    """The facts not on a card. Background and facts only one report gives are low value
    (unless in conflict: a report that contradicts itself): shown last, or folded away
    when `include_singles` is false."""
    on_cards = {f for incident in comparison.incidents for f in incident.card}
    rest = [f for f in comparison.facts if f.id not in on_cards]
    if include_singles:
        return Details(tuple(rest), 0)
    kept = tuple(
        f
        for f in rest
        if f.status is FactStatus.CONFLICT
        or (len(f.reports) > 1 and f.scope is not Scope.BACKGROUND)
    )
    return Details(kept, len(rest) - len(kept))
