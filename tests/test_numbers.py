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
        ("several hundred rockets", None, 200, 1000, "vague"),
        ("dozens wounded", None, 24, 120, "vague"),
        ("tens of thousands fled", None, 20000, 100000, "vague"),
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


@pytest.mark.parametrize(
    "text",
    [
        "call 555-1234",
        "the 2014-15 season",
        "no numbers here",
        "ended 2-2 on aggregate",
        "at 10.45pm last night",
        "the 22nd amendment",
        "after 12:01 a.m. EDT (0401 GMT)",
        "a 1:36.6 lap",
        "the third.[18][19][20] Responding",  # reference marks of an encyclopedia page
        "individuals,[9]:7 including",
        "Caption Close Image 1 of / 5 Buy photo",  # a photo gallery's counter
    ],
)
def test_not_numbers(text: str) -> None:
    assert list(find_numbers(text)) == []


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("95%", "%"),
        ("$3,500", "$"),
        ("40 percent", "percent"),
        ("5 per cent", "per cent"),
        ("256GB", "GB"),
        ("US $58.24 per barrel", "US$ per barrel"),
        ("87 mph", "mph"),
        ("450 sq ft", "sq ft"),
        ("RM23.50", "RM"),
    ],
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
        ("one two three", None),
        ("two hundred and fifty thousand", 250000),
    ],
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "value", "change"),
    [
        ("core inflation rose 0.3% in June", 0.3, "up"),
        ("the Nasdaq Composite slid 1.1%", 1.1, "down"),
        ("Blackmores up 9.4 per cent", 9.4, "up"),
        ("Stoxx 50 -1.3%", -1.3, "down"),
        ("Dow +0.2%", 0.2, "up"),
        ("grow sales by 35 per cent", 35, "up"),
        ("more than 60 per cent of its revenue", 60, ">"),
        ("just under 20 percent", 20, "<"),
        ("up to 400 people", 400, "<"),
        ("about 6,650 roles", 6650, "~"),
        ("~1.2mm", 1.2, "~"),
        ("as many as 14 players", 14, "="),
        ("a defense that gave up 517 rushing yards", 517, "="),
        ("the shares rose 6.5% to 164p", 164, "="),
    ],
)
def test_change(text: str, value: float, change: str) -> None:
    found = {n.value: n.change for n in find_numbers(text)}
    assert found[value] == change, found


def test_restated_figure_keeps_the_change() -> None:
    found = list(find_numbers("The Dow lost 190 points, or 0.6%."))
    assert [(n.value, n.change) for n in found] == [(190, "down"), (0.6, "down")]


def test_conversion_in_brackets_keeps_the_bound() -> None:
    found = list(find_numbers("the moths can fly more than 100 kilometers (60 miles)"))
    assert [(n.value, n.qualifier, n.change) for n in found] == [
        (100, "at least", ">"),
        (60, "at least", ">"),
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("$800 million", 800_000_000),
        ("$13.6M", 13_600_000),
        ("PS2.7m", None),  # a mangled pound sign is not read as a currency
        ("1.2m tons of ilmenite", 1_200_000),
        ("25k", 25_000),
        ("8 B people", 8_000_000_000),
        ("$US113 trillion", 113_000_000_000_000),
        ("$-50.8bn", -50_800_000_000),
        ("minus 387 Fahrenheit", -387),
        ("A third of those screened", 1 / 3),
        ("Nearly two-thirds of sales", 2 / 3),
        ("One out of three Germans", 1 / 3),
        ("Half the condos", 0.5),
        ("half a million", 500_000),
        ("sixfold", 6),
        ("2.998×10−8 meters per second", 2.998e-8),
        (".001 per cent", 0.001),
    ],
)
def test_values(text: str, value: float | None) -> None:
    found = [n.value for n in find_numbers(text)]
    if value is None:
        assert found == []
    else:
        assert found and found[0] == pytest.approx(value), found


@pytest.mark.parametrize(
    ("text", "values"),
    [
        # a share of a scale word is one number, and its scale word no second one
        ("half a million people", [500_000]),
        ("more than a quarter of a million victims", [250_000]),
        ("three quarters of a million", [750_000]),
        ("a third of a million", [333_333]),
        # a share of a count stays a share beside it
        ("two-thirds of the 300 people", [2 / 3, 300]),
    ],
)
def test_a_share_of_a_scale_is_one_number(text: str, values: list[float]) -> None:
    assert [n.value for n in find_numbers(text)] == pytest.approx(values)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1 to 2 thousand people", 1000, 2000),
        ("33-35 billion euros", 33_000_000_000, 35_000_000_000),
        ("from 5 to 7 per cent", 5, 7),
        ("about 2000 - 2500 Calories", 2000, 2500),
        ("$200 to $4 million", 200, 4_000_000),
        ("dropped by 1 to 1.5 degrees Celsius", 1, 1.5),
    ],
)
def test_ranges(text: str, low: float, high: float) -> None:
    number = next(find_numbers(text))
    assert (number.qualifier, number.low, number.high) == ("range", low, high)


def test_a_change_and_a_level_are_two_quantities() -> None:
    text = "the deficit increased by $43.6 billion to $419.2 billion"
    assert [n.value for n in find_numbers(text)] == [43_600_000_000, 419_200_000_000]
