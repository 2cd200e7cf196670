"""Numbers as news writes them, read as values with bounds and a qualifier.

"at least 16" -> low 16; "70 to 80" -> range 70..80; "around 600" -> about 600;
"dozens" -> vague, low 24; "twenty-one" -> 21; "1.2 million" -> 1200000.
Conventions (shared with the gold data): "more than N" / "over N" = at least N, "up to N" =
at most N, dozens = 24+, scores = 40+, hundreds = 200+, thousands = 2000+.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from corroborate.model import Qualifier

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Plural round numbers with no exact value: their conventional lower bound.
VAGUE_LOWS = {
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2_000,
    "millions": 2_000_000,
    "tens of thousands": 20_000,
    "hundreds of thousands": 200_000,
}

_WORD = "|".join(sorted([*UNITS, *TENS], key=len, reverse=True))
_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(TENS)})[-\s](?:{'|'.join(k for k in UNITS if UNITS[k] < 10)})|{_WORD})"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion))*"
_NUMBER = (
    rf"(?:{_DIGITS}{_SCALE}|(?:a\s+)?(?:{_WORD_NUMBER}){_SCALE}|an?\s+dozen"
    r"|a\s+(?:hundred|thousand|million))"
)
_VAGUE = (
    r"(?:(?:several|a\s+few)\s+(?:dozen|hundred|thousand)|tens\s+of\s+thousands"
    r"|hundreds\s+of\s+thousands|dozens|scores|hundreds|thousands|millions)"
)
_PREFIX = {
    "at least": "at least",
    "more than": "at least",
    "over": "at least",
    "upwards of": "at least",
    "in excess of": "at least",
    "no fewer than": "at least",
    "no less than": "at least",
    "at most": "at most",
    "up to": "at most",
    "less than": "at most",
    "fewer than": "at most",
    "under": "at most",
    "no more than": "at most",
    "as many as": "at most",
    "about": "about",
    "around": "about",
    "approximately": "about",
    "nearly": "about",
    "almost": "about",
    "roughly": "about",
    "some": "about",
    "an estimated": "about",
    "estimated": "about",
    "close to": "about",
    "circa": "about",
    "approx.": "about",
}
_PREFIX_RE = "|".join(re.escape(p) for p in sorted(_PREFIX, key=len, reverse=True))
_CURRENCY = r"(?:[$€£¥]|US\$|USD\s?)"

NUMBER_EXPRESSION = re.compile(
    rf"""(?ix)
    (?<![\w.,$€£-])
    (?:(?P<prefix>{_PREFIX_RE})\s+)?
    (?:
      between\s+(?P<between_low>{_CURRENCY}?{_NUMBER})\s+and\s+(?P<between_high>{_CURRENCY}?{_NUMBER})
    | (?P<range_low>{_CURRENCY}?{_NUMBER})\s+(?:to|or)\s+(?P<range_high>{_CURRENCY}?{_NUMBER})
    | (?P<dash_low>{_CURRENCY}?{_DIGITS})\s*[-–]\s*(?P<dash_high>{_CURRENCY}?{_DIGITS})(?![\d,-])
    | (?P<vague>{_VAGUE})
    | (?P<number>{_CURRENCY}?{_NUMBER})
    )
    (?P<suffix>\s+or\s+more|\+|-plus)?
    (?P<percent>\s*%|\s+per\s?cent)?
    (?![\w])
    """
)


@dataclass(frozen=True, slots=True)
class NumberExpression:
    """A number expression found in text: where it is and the value it gives."""

    start: int
    end: int
    text: str
    value: float | int | None
    low: float | int | None
    high: float | int | None
    qualifier: Qualifier
    unit: str | None


def parse_number(text: str) -> float | int | None:
    """The value of one number written in digits or words, or None if it is not one.

    >>> parse_number("twenty-one"), parse_number("1,200"), parse_number("1.5 million")
    (21, 1200, 1500000)
    """
    words = re.sub(r"^(?:[$€£¥]|US\$|USD\s?)", "", text.strip().lower()).replace("-", " ").split()
    if words and words[0] in {"a", "an"}:
        words = ["one", *words[1:]]
    if not words:
        return None
    if words == ["one", "dozen"]:
        return 12
    total: float = 0
    current: float = 0
    for word in words:
        if re.fullmatch(_DIGITS, word):
            current += float(word.replace(",", ""))
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1) * scale
            else:
                total += (current or 1) * scale
                current = 0
        else:
            return None
    value = total + current
    return int(value) if value == int(value) else value


def find_numbers(text: str) -> Iterator[NumberExpression]:
    """Every number expression in `text`, with value, bounds and qualifier."""
    for match in NUMBER_EXPRESSION.finditer(text):
        parsed = _read_match(match)
        if parsed is not None:
            yield parsed


def _read_match(match: re.Match[str]) -> NumberExpression | None:
    prefix = (match.group("prefix") or "").lower()
    prefix = re.sub(r"\s+", " ", prefix)
    unit = _unit_of(match)
    qualifier: Qualifier
    if match.group("vague"):
        phrase = re.sub(r"\s+", " ", match.group("vague").lower())
        return NumberExpression(
            match.start(),
            match.end(),
            match.group(0),
            None,
            _vague_low(phrase),
            None,
            "vague",
            unit,
        )
    low_text = match.group("between_low") or match.group("range_low") or match.group("dash_low")
    if low_text:
        high_text = (
            match.group("between_high") or match.group("range_high") or match.group("dash_high")
        )
        low_value, high_value = parse_number(low_text), parse_number(high_text)
        if low_value is None or high_value is None:
            return None
        if low_value >= high_value or high_value > 20 * max(low_value, 1):
            return None  # "2014-15", "5 or 2": not a range of one quantity
        if match.group("dash_low") and len(low_text) >= 3 and len(low_text) != len(high_text):
            return None  # "555-1234": a phone number
        return NumberExpression(
            match.start(), match.end(), match.group(0), None, low_value, high_value, "range", unit
        )
    value = parse_number(match.group("number"))
    if value is None:
        return None
    low: float | int | None = value
    high: float | int | None = value
    qualifier = "exact"
    if match.group("suffix") or _PREFIX.get(prefix) == "at least":
        qualifier, high = "at least", None
    elif _PREFIX.get(prefix) == "at most":
        qualifier, low = "at most", None
    elif _PREFIX.get(prefix) == "about":
        qualifier = "about"
        low, high = None, None
    return NumberExpression(
        match.start(), match.end(), match.group(0), value, low, high, qualifier, unit
    )


def _vague_low(phrase: str) -> int:
    if phrase in VAGUE_LOWS:
        return VAGUE_LOWS[phrase]
    # "several hundred", "a few thousand": a few of the round number
    for word, scale in SCALES.items():
        if phrase.endswith(word):
            return 2 * scale
    return 24 if phrase.endswith("dozen") else 2


def _unit_of(match: re.Match[str]) -> str | None:
    if match.group("percent"):
        return "percent"
    currency = re.match(rf"(?i)\s*(?:{_PREFIX_RE})?\s*(?:between\s+)?({_CURRENCY})", match.group(0))
    if currency:
        symbol = currency.group(1).strip().upper()
        return {"US$": "$", "USD": "$"}.get(symbol, symbol)
    return None
