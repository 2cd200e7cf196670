"""Appeals to the reader: donation requests, calls to action and attacks on "the media".

The clean stage already marks donation and action appeals as page furniture (with the reason);
this module reports them as slant, and finds within any appeal, or in the body, the wording
that casts other media as liars, which is the message such appeals carry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from corroborate.model import Report

# Reasons the clean stage gives to spans that ask something of the reader. Its "call to
# action" also covers page furniture ("Read more", "Click here"); only those that ask the
# reader to help, join or fight are slant.
APPEAL_REASONS = frozenset({"donation appeal", "appeal to readers"})
CALL_TO_ACTION = re.compile(
    r"\b(?:help|support|join|donat\w*|expose|fight|stand with|spread the (?:word|truth))\b",
    re.IGNORECASE,
)
MEDIA = (
    r"(?:(?:mainstream|corporate|legacy|western|fake|lying|establishment)\s+)?(?:media|press|news)"
)
MEDIA_DISTRUST = re.compile(
    r"\b(?:help\s+(?:us\s+)?)?(?:expos(?:e|ing)|fight(?:ing)?|counter(?:ing)?|debunk(?:ing)?)\s+"
    r"(?:the\s+)?(?:(?:" + MEDIA + r")\s+)?(?:lies|propaganda|disinformation|narratives?)"
    r"(?:\s+(?:of|from|in)\s+the\s+" + MEDIA + r")?"
    r"|\b" + MEDIA + r"\s+(?:lies|propaganda|disinformation|cover-?ups?)\b"
    r"|\b(?:lies|propaganda|disinformation)\s+(?:\w+\s+){0,3}(?:by|of|from|in)\s+the\s+"
    r"(?:mainstream|corporate|legacy|western|establishment)\s+(?:media|press)\b"
    r"|\b(?:MSM|lamestream\s+media|presstitutes)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Appeal:
    """A span that asks the reader to act, give or distrust; offsets into the report text."""

    start: int
    end: int
    kind: str  # donation appeal | call to action | appeal to readers | attack on the media
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "kind": self.kind, "text": self.text}


def find_appeals(report: Report) -> tuple[Appeal, ...]:
    """The report's appeals, in text order: boilerplate appeals, then media-distrust wording."""
    appeals = [
        Appeal(span.start, span.end, span.reason, report.text[span.start : span.end])
        for span in report.removed
        if span.reason in APPEAL_REASONS
        or (
            span.reason == "call to action"
            and CALL_TO_ACTION.search(report.text[span.start : span.end])
        )
    ]
    appeals.extend(_media_distrust(report.text))
    return tuple(sorted(appeals, key=lambda a: (a.start, a.end)))


def _media_distrust(text: str) -> Iterator[Appeal]:
    for match in MEDIA_DISTRUST.finditer(text):
        yield Appeal(match.start(), match.end(), "attack on the media", match.group(0))
