"""What story clustering reads of a report: its words, a MiniLM vector and its day."""

from __future__ import annotations

import re
from datetime import date
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from corroborate.embeddings import SentenceEncoder
from corroborate.lexicon import word_set

# The encoder sees the title and the opening of the text: the lead says what happened, and
# the rest would cost twice the time for no better stories.
VECTOR_TOKENS = 128

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]+")
_STOPWORDS = word_set(
    "the a an of to in and or for on at by with from as is was were be been are that this it"
    " its his her their they he she we you i not but have has had will would said says say"
)
_URL_DATES = (
    re.compile(r"/(20\d\d|19\d\d)/(\d\d?)/(\d\d?)(?:/|$)"),
    re.compile(r"(20\d\d|19\d\d)-(\d\d)-(\d\d)"),
    re.compile(r"/(20\d\d|19\d\d)(\d\d)(\d\d)(?:[/-]|$)"),
)
_URL_MONTH_DATE = re.compile(r"/(20\d\d|19\d\d)/([a-z]{3})[a-z]*/(\d\d?)(?:/|$)")
_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip


def story_terms(title: str | None, text: str) -> list[str]:
    """Words and word pairs, the title counted twice: a headline names the story."""
    words = [
        w
        for w in _TOKEN.findall(f"{title or ''}\n{title or ''}\n{text}".lower())
        if w not in _STOPWORDS
    ]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def story_vector(encoder: SentenceEncoder, title: str | None, text: str) -> npt.NDArray[np.float32]:
    """A unit vector for the report's title and lead."""
    lead = f"{title}. {text}" if title else text
    vector: npt.NDArray[np.float32] = encoder.encode([lead], max_tokens=VECTOR_TOKENS)[0]
    return vector


def story_day(published: date | None, url: str | None) -> int | None:
    """The day a report appeared (proleptic ordinal), from its date or else from its URL."""
    if published is not None:
        return published.toordinal()
    found = date_in_url(url) if url else None
    return found.toordinal() if found else None


def date_in_url(url: str) -> date | None:
    """The date many outlets put in their article paths (`/2021/10/18/`, `/2021/oct/1/`)."""
    lowered = url.lower()
    for pattern in _URL_DATES:
        match = pattern.search(lowered)
        if match:
            return _date_or_none(int(match[1]), int(match[2]), int(match[3]))
    match = _URL_MONTH_DATE.search(lowered)
    if match and match[2] in _MONTHS:
        return _date_or_none(int(match[1]), _MONTHS[match[2]], int(match[3]))
    return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
