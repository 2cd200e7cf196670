"""The records that flow through the pipeline: reports in, mentions, facts and sources out.

Every offset (`start`, `end`) is a character offset into `Report.text`, which no stage alters.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Literal, NamedTuple

CONTRACT_VERSION = 1
# Bumped when the analysis changes, so that comparisons kept in a store are made again.
COMPARISON_VERSION = "2"  # 2: the incident card, figure-blind identity

MentionKind = Literal["quantity", "date", "place", "actor", "claim", "quote"]
# NewsQuant's vocabulary for how a quantity stands: exact, approximate, more than, less than,
# an increase by it, a decrease by it.
Change = Literal["=", "~", ">", "<", "up", "down"]
Qualifier = Literal["exact", "at least", "at most", "about", "range", "vague"]
Value = int | float | str | None


class FactStatus(StrEnum):
    """How the reports stand on one fact."""

    AGREE = "agree"
    COMPATIBLE = "compatible"  # the values differ but can all be true
    CONFLICT = "conflict"  # both cannot be true of the same referent at the same time
    SINGLE = "single"  # only one report gives it


class Slot(StrEnum):
    """A slot of the incident card: what an analyst fills for each incident."""

    KILLED = "killed"
    WOUNDED = "wounded"
    MISSING = "missing"
    DETAINED = "detained"
    KIDNAPPED = "kidnapped"
    DISPLACED = "displaced"
    EVACUATED = "evacuated"
    PERPETRATOR = "perpetrator"
    TARGET = "target"
    WEAPON = "weapon"
    DATE = "date"
    PLACE = "place"


# The slots that count people, in card order.
COUNT_SLOTS = (
    Slot.KILLED,
    Slot.WOUNDED,
    Slot.MISSING,
    Slot.DETAINED,
    Slot.KIDNAPPED,
    Slot.DISPLACED,
    Slot.EVACUATED,
)


class Category(StrEnum):
    """Who the people counted in a slot are, where the report says."""

    PEOPLE = "people"  # unstated, or everyone: the headline toll
    CIVILIANS = "civilians"
    CHILDREN = "children"
    WOMEN = "women"
    SOLDIERS = "soldiers"
    FIGHTERS = "fighters"
    POLICE = "police"
    MEDICS = "medics"


class Scope(StrEnum):
    """What a fact belongs to: the incident itself, its background, or other details."""

    INCIDENT = "incident"
    BACKGROUND = "background"  # the war's total toll, earlier incidents, recaps
    OTHER = "other"


class Stance(StrEnum):
    """What the speaker does with a statement about who did it."""

    ASSERTS = "asserts"
    ACCUSES = "accuses"
    CLAIMS_RESPONSIBILITY = "claims_responsibility"
    DENIES = "denies"
    UNCLEAR = "unclear"


class Polarity(StrEnum):
    """Whether a statement is made, denied or hedged."""

    AFFIRMED = "affirmed"
    NEGATED = "negated"
    UNCERTAIN = "uncertain"


class EventType(StrEnum):
    """What kind of incident the reports tell of (an ACLED-like vocabulary)."""

    AIRSTRIKE = "airstrike"
    SHELLING = "shelling"
    BOMBING = "bombing"
    SUICIDE_BOMBING = "suicide bombing"
    SHOOTING = "shooting"
    CLASHES = "clashes"
    CHEMICAL_ATTACK = "chemical attack"
    MASSACRE = "massacre"
    EVACUATION = "evacuation"
    AGREEMENT = "agreement or ceasefire"
    ARREST = "arrest"
    PROTEST = "protest"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Removed:
    """A span of boilerplate found by the clean stage (the text itself is kept)."""

    start: int
    end: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "reason": self.reason}


# What no store can hold: PostgreSQL refuses a NUL, and a lone surrogate (a JSON "\ud800")
# is no character at all.
UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """`text` with the characters no store can hold made U+FFFD, one for one, so offsets into
    it still hold and SQLite and PostgreSQL hold the same text (a NUL from a JSON "\\u0000", a
    Parquet string or a stray byte deep in a .txt file; a lone surrogate)."""
    return UNSTORABLE_CHARACTERS.sub("\ufffd", text)


def blank_spans(text: str, spans: Iterable[Removed]) -> str:
    """`text` with each span's characters but line breaks turned to spaces."""
    chars = list(text)
    for span in spans:
        for i in range(span.start, span.end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass(frozen=True, slots=True)
class Report:
    """One news report: its text exactly as read, its metadata and what cleaning removed."""

    id: str
    text: str
    outlet: str | None = None
    domain: str | None = None
    title: str | None = None
    published: date | None = None
    url: str | None = None
    removed: tuple[Removed, ...] = ()
    signals: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = field(default=None, compare=False)  # the file (and row) read from

    @property
    def label(self) -> str:
        """The name to show for this report: its outlet, else its id."""
        return self.outlet or self.id

    def kept_text(self) -> str:
        """The text with removed spans blanked out, same length so offsets still hold."""
        return blank_spans(self.text, self.removed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "domain": self.domain,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
            "text": self.text,
            "removed": [span.to_dict() for span in self.removed],
            "signals": dict(self.signals),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        """A report read back from `to_dict`."""
        published = data.get("published")
        return cls(
            id=data["id"],
            text=data["text"],
            outlet=data.get("outlet"),
            domain=data.get("domain"),
            title=data.get("title"),
            published=date.fromisoformat(published) if published else None,
            url=data.get("url"),
            removed=tuple(Removed(**span) for span in data.get("removed", ())),
            signals=data.get("signals", {}),
        )


# The role (`Mention.event`) of an actor named as behind an attack.
PERPETRATOR = "perpetrator"


class CountKey(NamedTuple):
    """What a count is of, as alignment compares counts: the event ("killed"), the class of
    what is counted ("civilian", or the noun's lemma outside the class table: "lorry") and
    the canonical unit ("" for none); None where the extractor found no event or class."""

    event: str | None
    counted: str | None
    unit: str = ""


# A count the extractor read nothing of (and what any other mention is compared as).
UNKNOWN_COUNT = CountKey(None, None, "")


@dataclass(frozen=True, slots=True)
class Mention:
    """One statement of a value in one report: a count, a date, a place, an actor or a quote.

    `key` is what a date, place, actor or quote mention is about, normalised (a place's or
    an actor's canonical name); `count_key` is what a count is of. Alignment compares them;
    neither is kept in `to_dict`.
    """

    report: str
    kind: MentionKind
    start: int
    end: int
    text: str
    value: Value = None
    low: float | int | None = None
    high: float | int | None = None
    qualifier: Qualifier | None = None
    unit: str | None = None
    # Who the report says the statement comes from, and through whom ("a medical source",
    # via "SANA"); the contract writes them as one `attributed_to`, "who (via X)".
    attributed_to: str | None = None
    attributed_via: str | None = None
    counted: str | None = None
    event: str | None = None
    key: str = ""
    count_key: CountKey | None = None
    sentence_start: int = 0
    sentence_end: int = 0
    precision: str | None = None
    change: Change | None = None
    # The incident card: the slot a count fills, who it counts, whether it tells of the
    # incident or its background, and whether it was read without a written number ("a man
    # was shot and killed" is 1 killed).
    slot: Slot | None = None
    category: Category | None = None
    scope: Scope | None = None
    implicit: bool = False
    # For who did it: what the speaker does with the statement, and whether it is denied.
    stance: Stance | None = None
    polarity: Polarity | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "report": self.report,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "attributed_to": self.attribution,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
        }
        if self.kind == "quantity":
            out["change"] = self.change
            out["counted"] = self.counted
            out["event"] = self.event
            out["slot"] = self.slot
            out["category"] = self.category
            out["scope"] = self.scope
            out["implicit"] = self.implicit
        if self.kind == "date":
            out["precision"] = self.precision
            out["event"] = self.event
        if self.kind == "actor":
            out["role"] = self.event  # PERPETRATOR when named as behind an attack
            if self.stance is not None:
                out["stance"] = self.stance
                out["polarity"] = self.polarity
        return out

    @property
    def attribution(self) -> str | None:
        """Who the statement comes from as a reader is told: "a medical source (via SANA)"."""
        if self.attributed_to and self.attributed_via:
            return f"{self.attributed_to} (via {self.attributed_via})"
        return self.attributed_to

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Mention:
        """A mention read back from `to_dict` (its alignment keys are not kept there)."""
        fields = {name: data[name] for name in _MENTION_FIELDS if name in data}
        if "role" in data:
            fields["event"] = data["role"]
        for name, enum in _MENTION_ENUMS.items():
            if fields.get(name) is not None:
                fields[name] = enum(fields[name])
        return cls(**fields)


# Read back as the contract writes them: the attribution as one `attributed_to`.
_MENTION_FIELDS = frozenset(f.name for f in dataclasses.fields(Mention)) - {
    "key",
    "count_key",
    "attributed_via",
}
_MENTION_ENUMS: dict[str, type[StrEnum]] = {
    "slot": Slot,
    "category": Category,
    "scope": Scope,
    "stance": Stance,
    "polarity": Polarity,
}


@dataclass(frozen=True, slots=True)
class Source:
    """An attribution: who a statement comes from, and through whom it reached the report."""

    report: str
    start: int
    end: int
    who: str
    via: str | None
    named: bool
    kind: str
    via_kind: str | None = None  # the channel's kind in the actor table ("state media", "outlet")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Extraction:
    """What the extract stage found in one report."""

    report: Report
    mentions: tuple[Mention, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one report's statement of a fact comes from: its primary source, and via whom.

    `who` is the outlet itself when the report cites no one (its own reporting); `primary`
    is the key under which sources count once (two outlets quoting one agency are one source).
    """

    report: str
    who: str
    via: str | None
    kind: str
    primary: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "who": self.who,
            "via": self.via,
            "kind": self.kind,
        }


class Reason(StrEnum):
    """Why a fact has its status: the rule of the verdict that decided it."""

    ONE_REPORT = "one report"
    SAME_VALUE = "same value"
    OVERLAPPING_BOUNDS = "overlapping bounds"
    PROVISIONAL_TOLL = "provisional toll"  # the lowest figure is a minimum
    RISING_TOLL = "rising toll"  # later reports, higher figures
    LOWER_BOUND = "lower bound"  # a count read without a figure ("a man was killed")
    NESTED_COUNT = "nested count"  # "20 civilians" within "30 people"
    EXCLUSIVE_VALUES = "exclusive values"  # both cannot be true
    FEWER_DEAD_TOLD = "fewer dead told"  # one report tells of 3 deaths, another counts 5
    UNSURE_REFERENT = "unsure referent"  # they cannot all be true, if they are one count
    VAGUE_FIGURE = "vague figure"  # "dozens" is too loose to contradict a count
    ALSO_GIVEN = "also given"  # one report leads with 4, another with 48, which the first gives too
    SAME_NAME = "same name"
    VARIANT_NAMES = "variant names"
    PLACE_CONTAINED = "place contained"  # Abu Kamal lies in eastern Syria
    DIFFERENT_PLACES = "different places"
    SAME_ACTOR = "same actor"
    DISPUTED = "disputed"  # one side accuses, another denies
    QUOTED_DIFFERENTLY = "quoted differently"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A fact's status, the rule that decided it and the values it compared (per report)."""

    status: FactStatus
    reason: Reason
    values: tuple[tuple[str, str], ...] = ()  # (report id, the value as compared)


@dataclass(frozen=True, slots=True)
class Fact:
    """One referent lined up across reports, with a status and the reason for it.

    `incident`, `slot` and `category` place the fact on an incident's card; `scope` says
    whether it tells of the incident, its background or other details.
    """

    id: str
    kind: str
    what: str
    verdict: Verdict
    explanation: str
    mentions: tuple[Mention, ...]
    confidence: float = 1.0
    provenance: tuple[Provenance, ...] = ()
    incident: str | None = None
    slot: Slot | None = None
    category: Category | None = None
    scope: Scope = Scope.OTHER

    @property
    def status(self) -> FactStatus:
        return self.verdict.status

    @property
    def independent_sources(self) -> int:
        """Primary sources behind the fact, each counted once however many reports cite it."""
        return len({p.primary for p in self.provenance})

    @property
    def reports(self) -> list[str]:
        return sorted({m.report for m in self.mentions})

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "what": self.what,
            "status": self.status,
            "explanation": self.explanation,
            "confidence": round(self.confidence, 2),
            "mentions": [m.to_dict() for m in self.mentions],
            "sources": [p.to_dict() for p in self.provenance],
            "independent_sources": self.independent_sources,
            "incident": self.incident,
            "slot": self.slot,
            "category": self.category,
            "scope": self.scope,
            "reason": self.verdict.reason,
        }


@dataclass(frozen=True, slots=True)
class PlaceRef:
    """A place as the card shows it: its name and the places it lies in, nearest first."""

    name: str
    parents: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "parents": list(self.parents)}


@dataclass(frozen=True, slots=True)
class Incident:
    """Reports that tell of one incident (a set of reports may mix several), and its card.

    `slots` names the fact that fills each card slot; `card` lists the card's facts in the
    order the views show them.
    """

    id: str
    reports: tuple[str, ...]
    about: str
    event_type: EventType = EventType.OTHER
    date_start: date | None = None
    date_end: date | None = None
    place: PlaceRef | None = None
    slots: tuple[tuple[Slot, str], ...] = ()
    card: tuple[str, ...] = ()

    def slot_fact(self, slot: Slot) -> str | None:
        """The id of the fact that fills `slot`, if any."""
        return next((fact for name, fact in self.slots if name == slot), None)

    def to_dict(self) -> dict[str, Any]:
        when = None
        if self.date_start is not None:
            end = self.date_end or self.date_start
            when = {"start": self.date_start.isoformat(), "end": end.isoformat()}
        return {
            "id": self.id,
            "reports": list(self.reports),
            "about": self.about,
            "event_type": self.event_type,
            "date": when,
            "place": self.place.to_dict() if self.place else None,
            "slots": {slot.value: fact for slot, fact in self.slots},
            "card": list(self.card),
        }


@dataclass(frozen=True, slots=True)
class InputProblem:
    """An input that could not be read, and why; the other inputs still run."""

    source: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The result of `compare`: the reports, the facts lined up across them, and the sources."""

    reports: tuple[Report, ...]
    facts: tuple[Fact, ...]
    sources: tuple[Source, ...]
    problems: tuple[InputProblem, ...] = ()
    incidents: tuple[Incident, ...] = ()

    def report(self, report_id: str) -> Report:
        for report in self.reports:
            if report.id == report_id:
                return report
        raise KeyError(report_id)

    def to_dict(self) -> dict[str, Any]:
        """The version-1 JSON contract of DESIGN.md (extended only by added fields)."""
        return {
            "version": CONTRACT_VERSION,
            "reports": [r.to_dict() for r in self.reports],
            "incidents": [i.to_dict() for i in self.incidents],
            "facts": [f.to_dict() for f in self.facts],
            "sources": [s.to_dict() for s in self.sources],
            "problems": [{"input": p.source, "message": p.message} for p in self.problems],
        }
