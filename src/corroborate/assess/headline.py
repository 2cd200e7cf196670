"""Headline claims the body does not support: hype and certainty markers, figures the body never
gives, and a headline that states as fact what the body attributes to an unnamed source."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from corroborate.embeddings import load_encoder
from corroborate.model import Extraction, Report

# Words that announce certainty or urgency the reporting has to earn.
CERTAINTY_MARKERS = re.compile(
    r"\b(?:CONFIRMED|BREAKING|PROOF|PROVEN|EXPOSED|REVEALED|SHOCKING|BOMBSHELL|URGENT|"
    r"confirmed|proven|undeniable|irrefutable|bombshell|shocking)\b"
)
# A headline is one short line; longer first lines are body text.
MAX_HEADLINE_WORDS = 25
# Cosine above which a body sentence is taken to restate the headline: MiniLM cosines of
# paraphrases in the seeds and FA-KES run 0.55-0.8; unrelated sentences of one story 0.2-0.45.
RESTATES = 0.5
ANONYMOUS_KINDS = frozenset({"anonymous", "pronoun"})
# A headline restates the lead; reading the first sentences bounds the cost on long texts.
MAX_BODY_SENTENCES = 60


@dataclass(frozen=True, slots=True)
class HeadlineIssue:
    """Something in the headline the body does not bear out; offsets into the report text."""

    start: int
    end: int
    kind: str
    text: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "text": self.text,
            "explanation": self.explanation,
        }


def headline_span(report: Report) -> tuple[int, int] | None:
    """Where the headline stands in the text: the first kept line if it is short and does not
    end like a sentence, or holds the report's title."""
    kept = report.kept_text()
    title = (report.title or "").strip()
    for match in re.finditer(r"[^\n\r]+", kept):
        line = match.group(0).strip()
        if not line:
            continue
        words = line.split()
        looks_like_body = len(words) < 3 or len(words) > MAX_HEADLINE_WORDS or line[-1] in '.?!"”'
        if looks_like_body and not (title and title in line):
            return None
        start = match.start() + match.group(0).index(line)
        return start, start + len(line)
    return None


def headline_issues(extraction: Extraction) -> tuple[HeadlineIssue, ...]:
    """Claims and markers of the headline that the body of the report does not support."""
    report = extraction.report
    span = headline_span(report)
    if span is None:
        return ()
    start, end = span
    headline = report.text[start:end]
    issues = [
        HeadlineIssue(
            start + m.start(),
            start + m.end(),
            "certainty marker",
            m.group(0),
            f"the headline announces “{m.group(0)}”",
        )
        for m in CERTAINTY_MARKERS.finditer(headline)
    ]
    quantities = [m for m in extraction.mentions if m.kind == "quantity"]
    body_figures = {
        figure
        for m in quantities
        if not start <= m.start < end
        for figure in (m.value, m.low, m.high)
        if figure is not None
    }
    issues += [
        HeadlineIssue(
            m.start,
            m.end,
            "figure not in body",
            m.text,
            f"the body never gives the headline's figure “{m.text}”",
        )
        for m in quantities
        if start <= m.start < end
        and not {f for f in (m.value, m.low, m.high) if f is not None} & body_figures
    ]
    restated = _anonymous_restatement(extraction, headline, (start, end))
    if restated is not None:
        issues.append(restated)
    return tuple(sorted(issues, key=lambda i: (i.start, i.kind)))


def _anonymous_restatement(
    extraction: Extraction, headline: str, span: tuple[int, int]
) -> HeadlineIssue | None:
    """The headline stated as fact while the body sentence saying it cites only an unnamed
    source."""
    sentences = _body_sentences(extraction, span)
    if not sentences:
        return None
    texts = [extraction.report.text[s:e] for s, e in sentences]
    vectors = load_encoder().encode([CERTAINTY_MARKERS.sub("", headline), *texts])
    scores = vectors[1:] @ vectors[0]
    best = int(np.argmax(scores))
    if scores[best] < RESTATES:
        return None
    s, e = sentences[best]
    cited = [src for src in extraction.sources if s <= src.start < e]
    if not cited or any(src.kind not in ANONYMOUS_KINDS for src in cited):
        return None
    who = cited[0].who + (f" (via {cited[0].via})" if cited[0].via else "")
    return HeadlineIssue(
        span[0],
        span[1],
        "stated as fact",
        headline,
        f"the headline states as fact what the body attributes to {who}: “{texts[best].strip()}”",
    )


def _body_sentences(extraction: Extraction, span: tuple[int, int]) -> Sequence[tuple[int, int]]:
    """The body's first sentences that state something checkable (hold a mention)."""
    bounds = {(m.sentence_start, m.sentence_end) for m in extraction.mentions}
    body = sorted(b for b in bounds if b[1] <= span[0] or b[0] >= span[1])
    return body[:MAX_BODY_SENTENCES]
