"""Property tests: the cleaner and the number reader are total over any text — no exception,
and every span they give points inside the text at the characters it names."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborate.clean import find_boilerplate
from corroborate.extract.numbers import find_numbers, parse_number
from corroborate.model import Report

# Text as scrapes hold it: digits and number words, separators, currency and unit signs,
# quotes, line ends, control and odd Unicode characters.
PIECES = st.sampled_from(
    [
        *"0123456789 .,;:-–—/%$€£()[]\"'\n\r\t\x00\x1b\u00a0\u2028\ufffd😀",
        " million", " billion", "twenty-one", " dozen", " half", " a", " hundred", " and ",
        " more than ", " up to ", " about ", "Share", "Subscribe", "Tags:", " killed", "km/h",
        "Copyright ©", " Read more", "\n\n", "1,200", "3.5", "1/2", "1990s", "+", "−",
    ]
)  # fmt: skip
texts = st.lists(PIECES, max_size=80).map("".join)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_find_numbers_is_total_and_points_at_its_text(text: str) -> None:
    for number in find_numbers(text):
        assert 0 <= number.start < number.end <= len(text)
        assert text[number.start : number.end] == number.text
        if number.low is not None and number.high is not None:
            assert number.low <= number.high


@SETTINGS
@given(texts)
def test_parse_number_is_total(text: str) -> None:
    value = parse_number(text)
    assert value is None or isinstance(value, int | float)


@SETTINGS
@given(texts)
def test_the_cleaner_is_total_and_never_alters_the_text(text: str) -> None:
    report = Report(id="r", text=text or " ")
    cleaned = find_boilerplate(report)
    assert cleaned.text == report.text
    previous_end = 0
    for span in cleaned.removed:
        assert 0 <= span.start < span.end <= len(text)
        assert span.start >= previous_end  # spans in order, never overlapping
        previous_end = span.end
