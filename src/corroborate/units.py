"""Units as news writes them, reduced to one canonical name ("km/h" and "kph" alike).

The table is data/units.tsv; a form not in it is its own name, lower-cased with plurals
reduced, so counted nouns ("heart transplants") still compare with each other.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["canonical_unit", "known_units", "singular"]

# "per" phrases: "$ per barrel", "US$ a barrel", "km/h" are one unit of two.
_PER = re.compile(r"\s*(?:/|\bper\b|\ba\b|\ban\b|\beach\b)\s*", re.IGNORECASE)
_IRREGULAR = {
    "feet": "foot",
    "people": "people",
    "men": "man",
    "women": "woman",
    "children": "child",
    "teeth": "tooth",
    "mice": "mouse",
    "lives": "life",
    "wives": "wife",
    "knives": "knife",
    "series": "series",
    "species": "species",
    "news": "news",
    "headquarters": "headquarters",
}


@cache
def _table() -> dict[str, str]:
    text = resources.files("corroborate").joinpath("data/units.tsv").read_text(encoding="utf-8")
    forms: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        canonical, written = line.split("\t")
        forms[canonical] = canonical
        for form in written.split(","):
            forms[form.strip().lower()] = canonical
    return forms


@cache
def known_units() -> frozenset[str]:
    """The canonical names of the units in the table."""
    return frozenset(_table().values())


def singular(word: str) -> str:
    """A plural English noun as its singular, by rule: "miles" -> "mile", "cities" -> "city"."""
    lower = word.lower()
    if lower in _IRREGULAR:
        return _IRREGULAR[lower]
    if len(lower) <= 3 or not lower.endswith("s") or lower.endswith(("ss", "us", "is")):
        return lower
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("sses", "xes", "ches", "shes", "zes")):
        return lower[:-2]
    return lower[:-1]


@cache
def canonical_unit(unit: str | None) -> str | None:
    """One name per unit: "kilometres" -> "kilometre", "US$" -> "dollar", "-" -> None.

    >>> canonical_unit("km/h"), canonical_unit("heart transplants")
    ('kilometre per hour', 'heart transplant')
    """
    if unit is None:
        return None
    text = re.sub(r"\s+", " ", unit.strip()).lower()
    if text in {"", "-"}:
        return None
    table = _table()
    if text in table:
        return table[text]
    words = text.split(" ")
    reduced = " ".join([*words[:-1], singular(words[-1])])
    plain = text.removesuffix("s") if len(text) > 3 else text  # "calories", not "calory"
    for candidate in (reduced, plain):
        if candidate in table:
            return table[candidate]
    parts = [p for p in _PER.split(text) if p]
    if len(parts) == 2 and parts[0] != text:
        first, second = canonical_unit(parts[0]), canonical_unit(parts[1])
        if first and second:
            return f"{first} per {second}"
    return reduced
