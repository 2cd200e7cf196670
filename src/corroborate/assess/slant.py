"""A report's slant tied to facts: its propaganda-technique spans, each beside the wording other
reports used for the same fact, its appeals to the reader and its unsupported headline claims."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from corroborate.assess.appeals import Appeal, find_appeals
from corroborate.assess.headline import HeadlineIssue, headline_issues, headline_span
from corroborate.assess.techniques import LOADED_LANGUAGE, TechniqueSpan, find_techniques
from corroborate.model import Extraction, Fact, Report

# Enough other wordings to see the contrast without repeating the whole fact table.
MAX_OTHER_WORDINGS = 3


@dataclass(frozen=True, slots=True)
class Wording:
    """How another report put the same fact: the sentence that states it."""

    report: str
    fact: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "report": self.report,
            "fact": self.fact,
            "start": self.start,
            "end": self.end,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class LoadedSpan:
    """A technique span of the report, and the other reports' wording of its sentence's facts."""

    span: TechniqueSpan
    in_headline: bool
    others: tuple[Wording, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.span.to_dict(),
            "in_headline": self.in_headline,
            "others": [w.to_dict() for w in self.others],
        }


@dataclass(frozen=True, slots=True)
class Slant:
    """The slant signals of one report."""

    techniques: tuple[LoadedSpan, ...]
    appeals: tuple[Appeal, ...]
    headline: tuple[HeadlineIssue, ...]

    def to_dict(self) -> dict[str, Any]:
        counts = Counter(loaded.span.technique for loaded in self.techniques)
        return {
            "techniques": [t.to_dict() for t in self.techniques],
            "technique_counts": dict(sorted(counts.items())),
            "loaded_language": counts.get(LOADED_LANGUAGE, 0),
            "appeals": [a.to_dict() for a in self.appeals],
            "headline": [h.to_dict() for h in self.headline],
        }


def slant_of(extraction: Extraction, facts: Sequence[Fact], reports: Mapping[str, Report]) -> Slant:
    """Technique spans (with other reports' wording), appeals and headline issues of a report."""
    report = extraction.report
    headline = headline_span(report)
    loaded = tuple(
        LoadedSpan(
            span,
            headline is not None and headline[0] <= span.start < headline[1],
            other_wordings(report.id, span.start, span.end, facts, reports),
        )
        for span in find_techniques(report)
    )
    return Slant(loaded, find_appeals(report), headline_issues(extraction))


def other_wordings(
    report_id: str,
    start: int,
    end: int,
    facts: Sequence[Fact],
    reports: Mapping[str, Report],
) -> tuple[Wording, ...]:
    """Sentences of other reports that state a fact this report states in the sentence
    holding [start, end)."""
    wordings: list[Wording] = []
    seen: set[tuple[str, int]] = set()
    for fact in facts:
        here = [
            m
            for m in fact.mentions
            if m.report == report_id and m.sentence_start <= start and end <= m.sentence_end
        ]
        if not here:
            continue
        for m in fact.mentions:
            if m.report == report_id or (m.report, m.sentence_start) in seen:
                continue
            seen.add((m.report, m.sentence_start))
            sentence = reports[m.report].text[m.sentence_start : m.sentence_end]
            start = m.sentence_start + len(sentence) - len(sentence.lstrip())
            text = sentence.strip()
            wordings.append(Wording(m.report, fact.id, start, start + len(text), text))
            if len(wordings) == MAX_OTHER_WORDINGS:
                return tuple(wordings)
    return tuple(wordings)
