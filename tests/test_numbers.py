"""Numbers as values with bounds: the forms news writes them in."""

from __future__ import annotations

import pytest

from corroborate.extract.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "value", "low", "high", "qualifier"),
    [
        ("eight bodies", 8, 8, 8, "exact"),
        ("Around 600 fighters", 600, None, None, "about"),
        ("we killed 70 to 80 of them", None, 70, 80, "range"),
        ("At least 31 militants", 31, 31, None, "at least"),
        ("more than a dozen airstrikes", 12, 12, None, "at least"),
        ("between 5 and 7 people", None, 5, 7, "range"),
        ("twenty-one dead", 21, 21, 21, "exact"),
        ("several hundred rockets", None, 200, None, "vague"),
        ("dozens wounded", None, 24, None, "vague"),
        ("tens of thousands fled", None, 20000, None, "vague"),
        ("1.2 million people", 1200000, 1200000, 1200000, "exact"),
        ("up to 250 people a day", 250, None, 250, "at most"),
        ("10-15 people", None, 10, 15, "range"),
        ("two or three houses", None, 2, 3, "range"),
        ("some 1,500 troops", 1500, None, None, "about"),
    ],
)
def test_number_expression(
    text: str, value: float | None, low: float | None, high: float | None, qualifier: str
) -> None:
    found = list(find_numbers(text))
    assert len(found) == 1, found
    number = found[0]
    assert (number.value, number.low, number.high, number.qualifier) == (
        value,
        low,
        high,
        qualifier,
    )


@pytest.mark.parametrize("text", ["call 555-1234", "the 2014-15 season", "no numbers here"])
def test_not_numbers(text: str) -> None:
    assert list(find_numbers(text)) == []


@pytest.mark.parametrize(
    ("text", "unit"), [("95%", "percent"), ("$3,500", "$"), ("40 percent", "percent")]
)
def test_units(text: str, unit: str) -> None:
    assert next(find_numbers(text)).unit == unit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twenty-one", 21),
        ("1,200", 1200),
        ("1.5 million", 1500000),
        ("a dozen", 12),
        ("three hundred", 300),
        ("seven", 7),
        ("nonsense", None),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value
