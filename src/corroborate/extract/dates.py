"""Dates resolved against the report's publication date.

"on Sunday" in a Monday 2017-08-28 report is 2017-08-27; "August 19" takes the publication
year (the year before if that would put it well after publication); "over the weekend" is the
Saturday-Sunday range before publication; "in 2014" is a year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH = re.compile(
    rf"(?i)\b(?:(?P<day1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month1>{_MONTH})\.?"
    rf"|(?P<month2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\b,?\s*(?P<year>\d{{4}})?"
)
_MONTH_YEAR = re.compile(rf"(?i)\b(?P<month>{_MONTH})\.?\s+(?P<year>\d{{4}})\b")
_YEAR = re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)\b")
# "October", "early October", "in mid-August": a month of the publication's year (or last).
_BARE_MONTH = re.compile(
    rf"(?i)^(?:in\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?P<month>{_MONTH})\.?\b(?!\s*\d)"
)
# Which days of a month "early", "mid" and "late" cover.
MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_WEEKDAY = re.compile(rf"(?i)\b(?P<weekday>{'|'.join(WEEKDAYS)})\b")
# A date this many days after publication is taken to be last year's ("December 30" in January).
FUTURE_SLACK_DAYS = 7
# The non-ASCII letters that (?i) matches to ASCII ones: "ſept" matches the month pattern, so
# its words are folded before they are looked up in MONTHS and WEEKDAYS.
_ASCII_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """An ISO date (or "start/end" range) and its precision: day, month, year or range."""

    value: str
    precision: str


def resolve_date(text: str, published: date | None) -> ResolvedDate | None:
    """Resolve a date expression; relative ones need the publication date.

    >>> resolve_date("on Sunday", date(2017, 8, 28)).value
    '2017-08-27'
    """
    try:
        return _resolve(text, published)
    except OverflowError:  # a publication date at the very edge of what `date` can hold
        return None


def _resolve(text: str, published: date | None) -> ResolvedDate | None:
    lowered = text.lower()
    if published is not None:
        relative = _relative(lowered, published)
        if relative is not None:
            return relative
    match = _DAY_MONTH.search(text)
    if match:
        day = int(match.group("day1") or match.group("day2"))
        month = MONTHS[_fold(match.group("month1") or match.group("month2"))]
        year = int(match.group("year")) if match.group("year") else _year_for(month, day, published)
        if year is None:
            return None
        try:
            return ResolvedDate(date(year, month, day).isoformat(), "day")
        except ValueError:
            return None
    match = _MONTH_YEAR.search(text)
    if match:
        month = MONTHS[_fold(match.group("month"))]
        return ResolvedDate(f"{int(match.group('year')):04d}-{month:02d}", "month")
    match = _BARE_MONTH.match(text.strip())
    if match and published is not None:
        month = MONTHS[_fold(match.group("month"))]
        year = _year_for(month, 1, published) or published.year
        if match.group("part"):
            first, last = MONTH_PARTS[_fold(match.group("part"))]
            last = min(last, calendar.monthrange(year, month)[1])
            start, end = date(year, month, first), date(year, month, last)
            return ResolvedDate(f"{start.isoformat()}/{end.isoformat()}", "range")
        return ResolvedDate(f"{year:04d}-{month:02d}", "month")
    match = _YEAR.search(text)
    if match and re.fullmatch(
        r"(?i)(?:in|since|of|the year|early|late|mid-?)?\s*\d{4}", text.strip()
    ):
        return ResolvedDate(match.group("year"), "year")
    return None


@lru_cache(maxsize=4096)  # pairs of counts compare the same few dates many times
def date_span(value: str) -> tuple[date, date] | None:
    """The first and last day a resolved date covers: "2017-10" is 1-31 October."""
    try:
        if "/" in value:
            start, end = value.split("/", 1)
            return date.fromisoformat(start), date.fromisoformat(end)
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 3:
            day = date(*parts)
            return day, day
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    except ValueError:
        return None


def _fold(word: str) -> str:
    """A matched month, weekday or part of a month as its key: "Sept" and "ſept" -> "sept"."""
    return word.translate(_ASCII_FOLD).lower()


def _relative(lowered: str, published: date) -> ResolvedDate | None:
    if re.search(r"\b(?:today|this morning|this afternoon|this evening|tonight)\b", lowered):
        return ResolvedDate(published.isoformat(), "day")
    if re.search(r"\b(?:yesterday|last night)\b", lowered):
        return ResolvedDate((published - timedelta(days=1)).isoformat(), "day")
    if re.search(r"\b(?:last|this past|over the|at the) weekend\b|\bweekend\b", lowered):
        saturday = _last_weekday(published, 5, include_today=False)
        return ResolvedDate(
            f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}", "range"
        )
    if re.search(r"\b(?:last|next|this|every)\s+(?:week|month|year)\b", lowered):
        return None
    match = _WEEKDAY.search(lowered)
    if match and not _DAY_MONTH.search(lowered):
        if re.search(r"\bnext\b", lowered):
            return None
        weekday = WEEKDAYS.index(_fold(match.group("weekday")))
        include_today = not re.search(r"\blast\b", lowered)
        return ResolvedDate(_last_weekday(published, weekday, include_today).isoformat(), "day")
    return None


def _last_weekday(published: date, weekday: int, include_today: bool) -> date:
    """The latest date on or before publication (before, if not include_today) on `weekday`."""
    back = (published.weekday() - weekday) % 7
    if back == 0 and not include_today:
        back = 7
    return published - timedelta(days=back)


def _year_for(month: int, day: int, published: date | None) -> int | None:
    if published is None:
        return None
    year = published.year
    try:
        candidate = date(year, month, day)
    except ValueError:
        return year
    if candidate > published + timedelta(days=FUTURE_SLACK_DAYS):
        return year - 1
    return year
