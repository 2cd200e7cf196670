"""Counts as numbers: the interval of values each admits, and how a reader writes it."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from corroborate.model import Mention
from corroborate.units import canonical_unit, known_units

# "about N" covers N ± this share: "around 600" is compatible with 331 + 308 + 26 = 665.
APPROX_SHARE = 0.15
# A vague plural ("dozens", "hundreds") spans its conventional low to this many times it.
VAGUE_SPAN = 5
# Qualifiers that hedge a figure without changing it: "at least 31" and "31" give one figure.
HEDGES = frozenset({"exact", "at least", "about"})
# Below this, equal figures are common by chance ("two soldiers", "three children").
DISTINCTIVE_FIGURE = 4


def interval(m: Mention) -> tuple[float, float]:
    """The values a count admits: [low, high], with its qualifier's slack."""
    if m.qualifier == "about" and isinstance(m.value, int | float):
        return m.value * (1 - APPROX_SHARE), m.value * (1 + APPROX_SHARE)
    if m.qualifier == "vague" and m.low is not None:
        return float(m.low), float(m.low) * VAGUE_SPAN
    if m.qualifier == "exact" and isinstance(m.value, int | float):
        return float(m.value), float(m.value)
    low = float(m.low) if m.low is not None else 0.0
    high = float(m.high) if m.high is not None else math.inf
    return low, high


def intervals_overlap(mentions: Iterable[Mention]) -> bool:
    """Whether one value satisfies every mention's bounds."""
    bounds = [interval(m) for m in mentions]
    if not bounds:
        return True
    return max(lo for lo, _ in bounds) <= min(hi for _, hi in bounds)


Headline = float | int | tuple[float | int | None, float | int | None] | None


def headline_number(m: Mention) -> Headline:
    """The figure a reader sees: 31 in "at least 31", (70, 80) in "70 to 80", 24 in "dozens"."""
    if m.qualifier == "range":
        return (m.low, m.high)
    if isinstance(m.value, int | float):
        return m.value
    return m.low


def figure(m: Mention) -> float | None:
    """One representative number: the value, a range's middle, a bound."""
    if isinstance(m.value, int | float):
        return float(m.value)
    if m.low is not None and m.high is not None:
        return (float(m.low) + float(m.high)) / 2
    if m.low is not None:
        return float(m.low)
    return float(m.high) if m.high is not None else None


def is_distinctive(m: Mention) -> bool:
    number = headline_number(m)
    return isinstance(number, int | float) and number >= DISTINCTIVE_FIGURE


def log_ratio(a: Mention, b: Mention) -> float:
    """How far apart two figures are, as |log(a / b)|; infinite when either is missing or 0."""
    x, y = figure(a), figure(b)
    if not x or not y or x < 0 or y < 0:
        return math.inf
    return abs(math.log(x / y))


_CURRENCY_SIGN = re.compile(r"[A-Z]{0,3}\s?[$€£¥]|[$€£¥]|US\$")


def format_value(m: Mention) -> str:
    """A count as a reader writes it: "at least 31", "70-80", "about 600", "dozens"."""
    canonical = canonical_unit(m.unit)
    money = m.unit if m.unit and _CURRENCY_SIGN.fullmatch(m.unit) else ""
    unit = ""
    if canonical == "percentage":
        unit = "%"
    elif canonical in known_units() and not money:
        unit = f" {m.unit}"  # a unit of measure; a counted noun is in the fact's name
    if m.qualifier == "range":
        return f"{_num(m.low)}-{_num(m.high)}{unit}"
    if m.qualifier == "vague":
        return m.text
    number = _num(m.value)
    prefix = {"at least": "at least ", "at most": "up to ", "about": "about "}.get(
        m.qualifier or "", ""
    )
    return f"{prefix}{money}{number}{unit}"


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)
