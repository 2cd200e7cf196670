"""What the pages show, built from a comparison in the version-1 contract: the fact-by-outlet
table, each report's text cut into marked segments, and the coverage timeline."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlparse

from corroborate.model import Category, EventType, Mention, Report, Slot
from corroborate.render.assessment import prior_text, slant_lines, sourcing_text
from corroborate.render.card import incident_heading, omission_lines, slot_label
from corroborate.render.table import cell_text, shorten

STATUSES = ("conflict", "compatible", "agree", "single")


@dataclass(frozen=True, slots=True)
class Column:
    """One report of the comparison: a column of the table and a panel of text."""

    report: str
    anchor: str  # the prefix of the report's element ids: "r0"
    label: str
    title: str | None
    published: str | None
    url: str | None
    prior: str  # the published ratings, short
    prior_detail: str
    state_media: str | None


@dataclass(frozen=True, slots=True)
class Cell:
    """One report's statement of one fact."""

    text: str
    qualifier: str | None
    attributed_to: str | None
    target: str  # the element id of the sentence it comes from
    more: int  # further mentions of the fact in the same report


@dataclass(frozen=True, slots=True)
class Row:
    fact: str
    kind: str
    what: str
    status: str
    explanation: str
    sources: int
    cells: tuple[Cell | None, ...]


@dataclass(slots=True)
class Segment:
    """A run of a report's text under one set of marks."""

    text: str
    classes: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)  # ids of the sentences it is part of
    anchor: str | None = None  # an element id that starts here (a sentence's or a mention's)
    fact: str | None = None  # the fact a mention here belongs to
    reason: str | None = None  # a removed span starts here, for this reason
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReportPanel:
    column: Column
    segments: list[Segment]
    removed: list[tuple[str, str]]  # (reason, text), for the list beside the text
    sourcing: str | None
    slant: list[str]


@dataclass(frozen=True, slots=True)
class TimelineLane:
    """One report on the coverage timeline."""

    label: str
    anchor: str
    day: str
    left: float  # percent of the axis's width


@dataclass(frozen=True, slots=True)
class Timeline:
    lanes: tuple[TimelineLane, ...]  # in publication order
    undated: tuple[str, ...]
    first: str | None
    last: str | None


@dataclass(frozen=True, slots=True)
class CardView:
    """One incident's card: its heading, a row per slot, and what outlets leave out."""

    heading: str
    rows: tuple[tuple[str, Row], ...]  # (slot label, row)
    omissions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]  # the details: facts on no card
    panels: tuple[ReportPanel, ...]
    timeline: Timeline
    counts: dict[str, int]
    incidents: tuple[str, ...]
    problems: tuple[str, ...]
    cards: tuple[CardView, ...] = ()


def story_view(comparison: Mapping[str, Any]) -> StoryView:
    """Everything the story page shows, from a comparison in the version-1 contract."""
    reports = [Report.from_dict(r) for r in comparison["reports"]]
    columns = tuple(report_column(report, f"r{i}") for i, report in enumerate(reports))
    anchors = {column.report: column.anchor for column in columns}
    all_rows = {fact["id"]: _row(fact, columns, anchors) for fact in comparison["facts"]}
    counts = {status: sum(row.status == status for row in all_rows.values()) for status in STATUSES}
    labels = {column.report: column.label for column in columns}
    cards = tuple(
        card_view(incident, comparison["facts"], all_rows, labels)
        for incident in comparison.get("incidents", [])
    )
    on_cards = {f for incident in comparison.get("incidents", []) for f in incident.get("card", [])}
    rows = tuple(row for fact_id, row in all_rows.items() if fact_id not in on_cards)
    panels = tuple(
        report_panel(report, column, comparison["facts"], comparison["sources"])
        for report, column in zip(reports, columns, strict=True)
    )
    incidents = tuple(
        f"{incident['about']} ({', '.join(labels.get(r, r) for r in incident['reports'])})"
        for incident in comparison.get("incidents", [])
    )
    problems = tuple(f"{p['input']}: {p['message']}" for p in comparison.get("problems", []))
    return StoryView(
        columns,
        rows,
        panels,
        coverage_timeline(columns),
        counts,
        incidents if len(incidents) > 1 else (),
        problems,
        cards,
    )


def card_view(
    incident: Mapping[str, Any],
    facts: Sequence[Mapping[str, Any]],
    rows: Mapping[str, Row],
    labels: Mapping[str, str],
) -> CardView:
    """An incident's card from the contract: heading, slot rows, omissions."""
    by_id = {fact["id"]: fact for fact in facts}
    when = incident.get("date") or {}
    place = incident.get("place") or {}
    heading = incident_heading(
        str(incident.get("event_type") or EventType.OTHER),
        when.get("start"),
        when.get("end"),
        place.get("name"),
        place.get("parents", ()),
    )
    card_rows = []
    for fact_id in incident.get("card", []):
        fact = by_id.get(fact_id)
        if fact is None:
            continue
        slot = Slot(fact["slot"]) if fact.get("slot") else None
        category = Category(fact["category"]) if fact.get("category") else None
        card_rows.append((slot_label(slot, category) or fact["what"], rows[fact_id]))
    filled = [
        (Slot(slot_name), {m["report"] for m in by_id[fact_id]["mentions"]})
        for slot_name, fact_id in incident.get("slots", {}).items()
        if fact_id in by_id
    ]
    omissions = omission_lines(filled, incident["reports"], lambda r: labels.get(r, r))
    return CardView(heading, tuple(card_rows), tuple(omissions))


def report_panel(
    report: Report,
    column: Column,
    facts: Sequence[Mapping[str, Any]],
    sources: Sequence[Mapping[str, Any]],
) -> ReportPanel:
    """A report's text marked up: removed spans, fact mentions, attributions, techniques."""
    signals = report.signals
    return ReportPanel(
        column=column,
        segments=marked_segments(report, column.anchor, facts, sources),
        removed=[
            (span.reason, shorten(" ".join(report.text[span.start : span.end].split()), 120))
            for span in report.removed
        ],
        sourcing=sourcing_text(signals["sourcing"]) if "sourcing" in signals else None,
        slant=slant_lines(signals["slant"]) if "slant" in signals else [],
    )


@dataclass(frozen=True, slots=True)
class _Mark:
    start: int
    end: int
    kind: str  # removed | mention | source | technique | appeal | sentence
    label: str = ""  # the reason, fact id, note or sentence id


def marked_segments(
    report: Report,
    anchor: str,
    facts: Sequence[Mapping[str, Any]],
    sources: Sequence[Mapping[str, Any]],
) -> list[Segment]:
    """The report's text cut where any mark starts or ends, each piece with the marks over it.

    The pieces joined give the text back exactly; marks may overlap in any way.
    """
    marks = list(_marks(report, anchor, facts, sources))
    size = len(report.text)
    cuts = sorted({0, size} | {m.start for m in marks} | {m.end for m in marks})
    starting: dict[int, list[_Mark]] = {}
    for mark in marks:
        starting.setdefault(mark.start, []).append(mark)
    active: list[_Mark] = []
    segments = []
    for start, end in itertools.pairwise(cuts):
        active = [m for m in active if m.end > start] + starting.get(start, [])
        if start == end:
            continue
        segment = Segment(report.text[start:end])
        for mark in active:
            _apply(segment, mark, starts_here=mark.start == start)
        segments.append(segment)
    return segments


def _marks(
    report: Report,
    anchor: str,
    facts: Sequence[Mapping[str, Any]],
    sources: Sequence[Mapping[str, Any]],
) -> Iterable[_Mark]:
    size = len(report.text)

    def within(start: int, end: int) -> bool:
        return 0 <= start < end <= size

    for span in report.removed:
        if within(span.start, span.end):
            yield _Mark(span.start, span.end, "removed", span.reason)
    sentences = set()
    for fact in facts:
        for mention in fact["mentions"]:
            if mention["report"] != report.id or not within(mention["start"], mention["end"]):
                continue
            yield _Mark(mention["start"], mention["end"], "mention", fact["id"])
            sentences.add(_sentence(mention))
    for start, end in sentences:
        if within(start, end):
            yield _Mark(start, end, "sentence", f"{anchor}-s{start}")
    for source in sources:
        if source["report"] == report.id and within(source["start"], source["end"]):
            via = f" via {source['via']}" if source.get("via") else ""
            note = f"attribution: {source['who']}{via} ({source['kind']})"
            yield _Mark(source["start"], source["end"], "source", note)
    slant = report.signals.get("slant", {})
    for span in slant.get("techniques", []):
        if within(span["start"], span["end"]):
            technique = span["technique"].replace("_", " ")
            yield _Mark(span["start"], span["end"], "technique", technique)
    for appeal in slant.get("appeals", []):
        if within(appeal["start"], appeal["end"]):
            yield _Mark(appeal["start"], appeal["end"], "appeal", appeal["kind"])


def _apply(segment: Segment, mark: _Mark, *, starts_here: bool) -> None:
    if mark.kind == "sentence":
        segment.sentences.append(mark.label)
        if starts_here:
            segment.anchor = mark.label
        return
    if mark.kind not in segment.classes:
        segment.classes.append(mark.kind)
    if mark.kind == "removed":
        segment.notes.append(f"removed: {mark.label}")
        if starts_here:
            segment.reason = mark.label
    elif mark.kind == "mention":
        segment.fact = mark.label
        segment.notes.append(f"fact {mark.label}")
    else:
        segment.notes.append(mark.label)


def _sentence(mention: Mapping[str, Any]) -> tuple[int, int]:
    start, end = mention.get("sentence_start", 0), mention.get("sentence_end", 0)
    if end > start and start <= mention["start"] and mention["end"] <= end:
        return start, end
    return mention["start"], mention["end"]


def report_column(report: Report, anchor: str) -> Column:
    """The column (and panel header) of one report; `anchor` prefixes its element ids."""
    prior = report.signals.get("outlet_prior")
    return Column(
        report=report.id,
        anchor=anchor,
        label=report.label,
        title=report.title,
        published=report.published.isoformat() if report.published else None,
        url=http_url(report.url),
        prior=short_prior(prior) if prior else "not assessed",
        prior_detail=prior_text(prior) if prior else "",
        state_media=prior.get("state_media") if prior else None,
    )


def short_prior(prior: Mapping[str, Any]) -> str:
    """The published ratings in a few words: "quality 0.66 · MBFC: mixed, left"."""
    parts = []
    for rating in prior.get("ratings", []):
        source = rating["source"]
        if "factuality" in rating:
            parts.append(f"MBFC: {rating['factuality']}, {rating['bias']}")
        elif source.startswith("Lin"):
            parts.append(f"quality {rating['value']:.2f}")
        else:
            value = rating["value"]
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            parts.append(f"{source.split()[0]}: {shown}")
    return " · ".join(parts) if parts else "no published rating"


def _row(fact: Mapping[str, Any], columns: Sequence[Column], anchors: Mapping[str, str]) -> Row:
    by_report: dict[str, list[Mapping[str, Any]]] = {}
    for mention in fact["mentions"]:
        by_report.setdefault(mention["report"], []).append(mention)
    cells: list[Cell | None] = []
    for column in columns:
        mine = by_report.get(column.report)
        if not mine:
            cells.append(None)
            continue
        first = mine[0]
        start, _ = _sentence(first)
        cells.append(
            Cell(
                text=cell_text(Mention.from_dict({**first, "attributed_to": None})),
                qualifier=first.get("qualifier"),
                attributed_to=first.get("attributed_to"),
                target=f"{anchors[column.report]}-s{start}",
                more=len(mine) - 1,
            )
        )
    return Row(
        fact=fact["id"],
        kind=fact["kind"],
        what=fact["what"],
        status=fact["status"],
        explanation=fact["explanation"],
        sources=int(fact.get("independent_sources", 0)),
        cells=tuple(cells),
    )


def http_url(url: str | None) -> str | None:
    """The URL if it is a web address; None for anything a link should not lead to
    (javascript:, data:, relative paths)."""
    if not url:
        return None
    try:
        scheme = urlparse(url.strip()).scheme.lower()
    except ValueError:  # "http://[oops"
        return None
    return url.strip() if scheme in ("http", "https") else None


def coverage_timeline(columns: Sequence[Column]) -> Timeline:
    """When each outlet published: one lane per report, on one axis from the first day to
    the last."""
    dated = sorted((c for c in columns if c.published), key=lambda c: (c.published, c.label))
    undated = tuple(c.label for c in columns if not c.published)
    if not dated:
        return Timeline((), undated, None, None)
    first = date.fromisoformat(str(dated[0].published))
    last = date.fromisoformat(str(dated[-1].published))
    span = (last - first).days
    lanes = tuple(
        TimelineLane(
            label=c.label,
            anchor=c.anchor,
            day=str(c.published),
            left=0.0
            if span == 0
            else 100.0 * (date.fromisoformat(str(c.published)) - first).days / span,
        )
        for c in dated
    )
    return Timeline(lanes, undated, first.isoformat(), last.isoformat())
