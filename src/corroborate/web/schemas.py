"""The JSON API's request and response bodies, as the OpenAPI document describes them.

The comparison models describe the version-1 contract of DESIGN.md; they list its fields and
allow the fields a newer analysis adds.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from corroborate.model import (
    Category,
    EventType,
    FactStatus,
    Polarity,
    Reason,
    Scope,
    Slot,
    Stance,
)
from corroborate.read import MAX_TEXT_CHARS

# Reports a compare-now request may hold (each text as long as the readers take: MAX_TEXT_CHARS).
MIN_REPORTS = 2
MAX_REPORTS = 10
# Story ids are database integers; larger numbers name no story.
MAX_STORY_ID = 2**31 - 1

Number = int | float


class Problem(BaseModel):
    """An error: what went wrong, in words."""

    detail: str = Field(examples=["no story 7 in this store"])


class StorySummaryOut(BaseModel):
    id: int
    label: str
    reports: int = Field(description="Reports in the story, copies included.")
    outlets: list[str]
    first_published: date | None
    last_published: date | None
    conflicts: int | None = Field(description="Facts in conflict; null until first compared.")
    facts: int | None = Field(description="Facts lined up; null until first compared.")


class StoriesPage(BaseModel):
    total: int = Field(description="Stories matching the search, on all pages.")
    limit: int
    offset: int
    stories: list[StorySummaryOut]


class RemovedOut(BaseModel):
    start: int
    end: int
    reason: str


class ReportOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    outlet: str | None
    domain: str | None
    title: str | None
    published: date | None
    url: str | None
    text: str = Field(description="The text exactly as read; every offset points into it.")
    removed: list[RemovedOut]
    signals: dict[str, Any]


class StoredReportOut(ReportOut):
    story: int | None = Field(description="The story it belongs to; null until clustered.")
    copy_of: str | None = Field(description="The report it copies, for a duplicate.")


class MentionOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    report: str
    kind: str
    start: int
    end: int
    text: str
    value: Number | str | None
    low: Number | None
    high: Number | None
    qualifier: str | None
    unit: str | None
    attributed_to: str | None
    sentence_start: int
    sentence_end: int
    slot: Slot | None = Field(
        default=None, description="Counts: the card slot the count fills, if any."
    )
    category: Category | None = Field(default=None, description="Counts in a slot: who they count.")
    scope: Scope | None = Field(
        default=None, description="Counts: the incident, or its background (recaps, totals)."
    )
    implicit: bool | None = Field(
        default=None,
        description="Counts: read without a written number ('a man was shot and killed').",
    )
    stance: Stance | None = Field(
        default=None, description="Who did it: what the speaker does with the statement."
    )
    polarity: Polarity | None = Field(
        default=None, description="Who did it: affirmed, negated (a denial) or uncertain."
    )


class FactOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str
    kind: str = Field(description="quantity | date | place | actor | claim | quote")
    what: str
    status: FactStatus
    reason: Reason = Field(description="The rule of the verdict that decided the status.")
    explanation: str
    confidence: float = Field(description="How sure the alignment is (its weakest link).")
    mentions: list[MentionOut]
    incident: str | None = Field(description="The incident the fact belongs to, if one.")
    slot: Slot | None = Field(description="The card slot the fact fills, if any.")
    category: Category | None = Field(description="Who a slot's count counts.")
    scope: Scope


class SourceOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    report: str
    start: int
    end: int
    who: str
    via: str | None
    named: bool
    kind: str


class DateRangeOut(BaseModel):
    start: date
    end: date


class PlaceOut(BaseModel):
    name: str
    parents: list[str] = Field(description="The places it lies in, nearest first.")


class IncidentOut(BaseModel):
    id: str
    reports: list[str]
    about: str
    event_type: EventType
    date: DateRangeOut | None
    place: PlaceOut | None
    slots: dict[Slot, str] = Field(description="Slot name -> the id of the fact that fills it.")
    card: list[str] = Field(description="The card's fact ids, in display order.")


class InputProblemOut(BaseModel):
    input: str
    message: str


class ComparisonOut(BaseModel):
    """A comparison in the version-1 contract of DESIGN.md."""

    model_config = ConfigDict(extra="allow")

    version: int
    reports: list[ReportOut]
    incidents: list[IncidentOut]
    facts: list[FactOut]
    sources: list[SourceOut]
    problems: list[InputProblemOut]


def _date_string(value: Any) -> Any:
    # Pydantic reads a number as a Unix time; a report's date is given as YYYY-MM-DD.
    if value is not None and not isinstance(value, str | date):
        raise ValueError("expected a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_date_string)]


class ReportIn(BaseModel):
    """One report to compare: its text, and what is known of it."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=200)] | None = Field(
        default=None, description="Defaults to report-1, report-2, … in the order given."
    )
    outlet: Annotated[str, Field(max_length=200)] | None = None
    title: Annotated[str, Field(max_length=2000)] | None = None
    published: IsoDate | None = Field(
        default=None,
        description="Relative dates in the text ('on Sunday') resolve against it.",
    )
    url: Annotated[str, Field(max_length=2000)] | None = None
    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS)


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reports: list[ReportIn] = Field(min_length=MIN_REPORTS, max_length=MAX_REPORTS)
