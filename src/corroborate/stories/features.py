"""What story clustering reads of a report: its words, a MiniLM vector, its days and the
weekdays it names."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from corroborate.embeddings import SentenceEncoder
from corroborate.extract.dates import MONTHS, WEEKDAYS
from corroborate.lexicon import word_set

# The encoder sees the title and the opening of the text: the lead says what happened, and
# the rest would cost twice the time for no better stories.
VECTOR_TOKENS = 128
LEAD_SENTENCES = 3

_TOKEN = re.compile(r"[a-z0-9][a-z0-9'-]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“‘])")
_STOPWORDS = word_set(
    "the a an of to in and or for on at by with from as is was were be been are that this it"
    " its his her their they he she we you i not but have has had will would said says say"
)
_URL_DATES = (
    re.compile(r"/(20\d\d|19\d\d)/(\d\d?)/(\d\d?)(?:/|$)"),
    re.compile(r"(20\d\d|19\d\d)-(\d\d)-(\d\d)"),
    re.compile(r"/(20\d\d|19\d\d)(\d\d)(\d\d)(?:[/-]|$)"),
)
_TRAILING_NUMBER = re.compile(r"(?<!\d)(\d{10,13})(?:\.html?)?$")
_OBJECT_ID = re.compile(r"(?<![0-9a-f])([0-9a-f]{24})(?![0-9a-f])")
_UNIX_EPOCH = date(1970, 1, 1).toordinal()
ID_DATE_MARGIN = 60
_URL_MONTH = re.compile(r"[/-](20\d\d|19\d\d)[/-](\d\d?)(?:/|$|\.html|[?#])")
_WEEKDAY = re.compile(rf"\b({'|'.join(day.capitalize() for day in WEEKDAYS)})\b")
_URL_MONTH_DATE = re.compile(r"/(20\d\d|19\d\d)/([a-z]{3})[a-z]*/(\d\d?)(?:/|$)")


def story_terms(title: str | None, text: str) -> list[str]:
    """Words but stopwords, and word pairs; the title counted twice: a headline names the story."""
    words = [
        w
        for w in _TOKEN.findall(f"{title or ''}\n{title or ''}\n{text}".lower())
        if w not in _STOPWORDS
    ]
    return words + [f"{a} {b}" for a, b in pairwise(words)]


def story_vector(encoder: SentenceEncoder, title: str | None, text: str) -> npt.NDArray[np.float32]:
    """Two unit vectors side by side (768 numbers): the title and opening as one input of
    up to 128 word pieces, and the lead, the sum of its first sentences' vectors (the title
    and two more), which weighs each of them alike however long."""
    opening = f"{title}. {text}" if title else text
    lead = lead_sentences(title, text)
    vectors = encoder.encode([opening, *lead], max_tokens=VECTOR_TOKENS)
    summed = vectors[1:].sum(axis=0)
    norm = float(np.linalg.norm(summed)) or 1.0
    return np.concatenate([vectors[0], summed / norm]).astype(np.float32)


def lead_sentences(title: str | None, text: str, count: int = LEAD_SENTENCES) -> list[str]:
    """The title and the first sentences of the text."""
    sentences = [title.strip()] if title and title.strip() else []
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if len(sentences) >= count:
            break
        if sentence.strip():
            sentences.append(sentence.strip())
    return sentences or [text[:500]]


Days = tuple[int, int]  # first and last day (proleptic ordinals) a report may have appeared


def story_days(published: date | None, url: str | None) -> Days | None:
    """When a report appeared: its date, else the date in its URL, else the month in its URL."""
    found = published or (date_in_url(url) if url else None)
    if found is not None:
        return found.toordinal(), found.toordinal()
    month = _URL_MONTH.search(url.lower()) if url else None
    if month and 1 <= int(month[2]) <= 12:
        year, number = int(month[1]), int(month[2])
        last = calendar.monthrange(year, number)[1]
        return date(year, number, 1).toordinal(), date(year, number, last).toordinal()
    return None


def days_from_url_ids(
    urls: Sequence[str | None], known: Sequence[Days | None]
) -> list[Days | None]:
    """Days read from the ids in URLs, where the URL has no date: a Unix time at the end of
    the last path segment (Dow Jones: `...-11634250935`) or the time in a 24-hex ObjectId
    (HuffPost: `..._n_6169b75be4b005b2...`), each to ±1 day.

    Many ids are just numbers, so a reading counts only when it falls among the days of the
    other reports of the batch (`known`, ±60 days); without dated reports nothing is read.
    """
    dated = [d for d in known if d is not None]
    if not dated:
        return list(known)
    first = min(d[0] for d in dated) - ID_DATE_MARGIN
    last = max(d[1] for d in dated) + ID_DATE_MARGIN
    found: list[Days | None] = []
    for url, days in zip(urls, known, strict=True):
        if days is None and url:
            for seconds in _url_id_times(url):
                day = _UNIX_EPOCH + seconds // 86400
                if first <= day <= last:
                    days = (day - 1, day + 1)
                    break
        found.append(days)
    return found


def _url_id_times(url: str) -> Iterator[int]:
    path = url.lower().split("?", 1)[0].rstrip("/")
    segment = path.rsplit("/", 1)[-1]
    number = _TRAILING_NUMBER.search(segment)
    if number:
        digits = number[1]
        yield int(digits[-10:])
        if len(digits) >= 13:
            yield int(digits[-13:]) // 1000
    for object_id in _OBJECT_ID.findall(segment):
        yield int(object_id[:8], 16)


def days_apart(a: Days | None, b: Days | None) -> int | None:
    """Days between two spans (0 when they overlap), None when either is unknown."""
    if a is None or b is None:
        return None
    return max(0, a[0] - b[1], b[0] - a[1])


def weekdays_named(title: str | None, text: str, days: Days | None) -> int:
    """The weekdays a report names ("on Tuesday"), with the weekday it appeared on when known
    to the day, as a 7-bit mask: reports of one event name the same days."""
    mask = 0
    for name in _WEEKDAY.findall(f"{title or ''}\n{text}"):
        mask |= 1 << WEEKDAYS.index(name.lower())
    if days is not None and days[1] - days[0] <= 2:
        mask |= 1 << date.fromordinal((days[0] + days[1]) // 2).weekday()
    return mask


def date_in_url(url: str) -> date | None:
    """The date many outlets put in their article paths (`/2021/10/18/`, `/2021/oct/1/`)."""
    lowered = url.lower()
    for pattern in _URL_DATES:
        match = pattern.search(lowered)
        if match:
            return _date_or_none(int(match[1]), int(match[2]), int(match[3]))
    match = _URL_MONTH_DATE.search(lowered)
    if match and match[2] in MONTHS:
        return _date_or_none(int(match[1]), MONTHS[match[2]], int(match[3]))
    return None


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
