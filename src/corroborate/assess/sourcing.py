"""A report's sourcing profile: who its statements come from, named or anonymous, through whom,
and how much of what it asserts it attributes to no one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corroborate.lexicon import actor_within, find_actor
from corroborate.model import Extraction, Mention, Report, Source

# Mentions that make a sentence checkable: a figure, a date, a place or an actor can be
# confirmed or contradicted by another report; a sentence with none of them cannot.
CHECKABLE_KINDS = frozenset({"quantity", "date", "place", "actor"})
# How wire copy credits itself: a dateline "BEIRUT (AFP) -", "(Reuters)", or a closing credit.
AGENCY = "AFP|Reuters|AP|Agence France-Presse|Associated Press"
AGENCY_CREDIT = re.compile(
    rf"\((?P<paren>{AGENCY})\)"
    rf"|^[ \t]*(?:[-—–][ \t]*)?(?P<line>{AGENCY})[ \t]*$"
    rf"|\b(?:[Ww]ith|[Bb]y)\s+(?P<with>{AGENCY})\b(?=\s*$|\s+(?:and|reporting|wire)\b)",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Statement:
    """A checkable sentence of a report and who, if anyone, it is attributed to."""

    start: int
    end: int
    attributed: bool


@dataclass(frozen=True, slots=True)
class SourcingProfile:
    """Who one report's statements come from."""

    attributions: int
    named: int
    anonymous: int
    by_kind: dict[str, int]
    state_media: tuple[str, ...]  # state media cited, as the source or as the channel
    agencies: tuple[str, ...]  # news agencies cited
    agency_copy: tuple[str, ...]  # agencies the report credits itself to (wire copy)
    statements: tuple[Statement, ...]

    @property
    def unattributed(self) -> tuple[Statement, ...]:
        """Checkable statements the report makes on its own authority."""
        return tuple(s for s in self.statements if not s.attributed)

    @property
    def unattributed_share(self) -> float | None:
        if not self.statements:
            return None
        return len(self.unattributed) / len(self.statements)

    def to_dict(self) -> dict[str, Any]:
        share = self.unattributed_share
        return {
            "attributions": self.attributions,
            "named": self.named,
            "anonymous": self.anonymous,
            "by_kind": dict(self.by_kind),
            "state_media": list(self.state_media),
            "agencies": list(self.agencies),
            "agency_copy": list(self.agency_copy),
            "statements": len(self.statements),
            "unattributed": [{"start": s.start, "end": s.end} for s in self.unattributed],
            "unattributed_share": None if share is None else round(share, 3),
        }


def sourcing_profile(extraction: Extraction) -> SourcingProfile:
    """Profile the attributions of one extracted report."""
    sources = extraction.sources
    kinds = Counter(s.kind for s in sources)
    state_media = _cited(sources, "state media")
    agencies = _cited(sources, "agency")
    return SourcingProfile(
        attributions=len(sources),
        named=sum(1 for s in sources if s.named),
        anonymous=kinds.get("anonymous", 0),
        by_kind=dict(sorted(kinds.items())),
        state_media=state_media,
        agencies=agencies,
        agency_copy=agency_credits(extraction.report),
        statements=checkable_statements(extraction.mentions, sources),
    )


def checkable_statements(
    mentions: Sequence[Mention], sources: Sequence[Source]
) -> tuple[Statement, ...]:
    """Each sentence holding a figure, date, place or actor, and whether someone is cited for it.

    A sentence counts as attributed when one of its values carries an attribution, or an
    attribution ("X said", "according to X") or quotation lies within it.
    """
    cited = {
        (m.sentence_start, m.sentence_end)
        for m in mentions
        if m.attributed_to is not None or m.kind == "quote"
    }
    checkable = {(m.sentence_start, m.sentence_end) for m in mentions if m.kind in CHECKABLE_KINDS}
    return tuple(
        Statement(start, end, (start, end) in cited or any(start <= s.start < end for s in sources))
        for start, end in sorted(checkable)
    )


def agency_credits(report: Report) -> tuple[str, ...]:
    """The news agencies a report credits its copy to, canonical names in order of appearance."""
    credits: list[str] = []
    text = report.kept_text()
    for match in AGENCY_CREDIT.finditer(text):
        name = match.group("paren") or match.group("line") or match.group("with")
        actor = find_actor(name)
        canonical = actor.canonical if actor else name
        if canonical not in credits:
            credits.append(canonical)
    return tuple(credits)


def _cited(sources: Sequence[Source], kind: str) -> tuple[str, ...]:
    """Canonical names of the sources of a kind ("state media", "agency") cited as who or via."""
    names: list[str] = []
    for source in sources:
        for words in (source.who, source.via):
            actor = actor_within(words) if words else None
            if actor is not None and actor.kind == kind and actor.canonical not in names:
                names.append(actor.canonical)
    return tuple(names)
