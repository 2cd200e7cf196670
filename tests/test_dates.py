"""Dates resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from corroborate.extract.dates import resolve_date

MONDAY = date(2017, 8, 28)


@pytest.mark.parametrize(
    ("text", "published", "value", "precision"),
    [
        ("Sunday", MONDAY, "2017-08-27", "day"),
        ("on Monday", MONDAY, "2017-08-28", "day"),
        ("last Monday", MONDAY, "2017-08-21", "day"),
        ("late Sunday night", MONDAY, "2017-08-27", "day"),
        ("yesterday", MONDAY, "2017-08-27", "day"),
        ("August 19", MONDAY, "2017-08-19", "day"),
        ("19 August", MONDAY, "2017-08-19", "day"),
        ("December 30", date(2017, 1, 3), "2016-12-30", "day"),
        ("August 6 2016", MONDAY, "2016-08-06", "day"),
        ("the weekend", date(2016, 8, 9), "2016-08-06/2016-08-07", "range"),
        ("August 2016", None, "2016-08", "month"),
        ("2014", None, "2014", "year"),
    ],
)
def test_resolve(text: str, published: date | None, value: str, precision: str) -> None:
    resolved = resolve_date(text, published)
    assert resolved is not None
    assert (resolved.value, resolved.precision) == (value, precision)


@pytest.mark.parametrize("text", ["the past two days", "next week", "Sunday"])
def test_unresolvable_without_context(text: str) -> None:
    published = None if text == "Sunday" else MONDAY
    assert resolve_date(text, published) is None
