"""Extraction is total: odd real-world text (embedded tweets, hashtags, handles, dashes, lone
quotes, bullet lines) never raises, and every mention points at the characters it came from."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corroborate.extract import extract_reports
from corroborate.extract.dates import resolve_date
from corroborate.extract.sources import find_attributions
from corroborate.model import Extraction, Report
from corroborate.nlp import load_pipeline

TWEET = (
    "#JusticeForJordan Jordan Davis, 17, was shot dead at a gas station. "
    "Police say father/stepfather Michael Dunn is shooter.\n"
    "— Jane Doe (@janedoe) November 23, 2012"
)

ODD_TEXTS = [
    TWEET,
    TWEET.replace("\n", " "),
    "#JusticeForJordan says father/stepfather Michael Dunn is shooter.",
    "#RIP Police say father/stepfather Michael Dunn is shooter.— Jane Doe (@janedoe) Nov. 23, 2012",
    "#RIP told CNN",  # the subject of "told" is only the "#" of the hashtag
    "# says it.",
    "#BREAKING: police say @suspect is shooter, according to #",
    "according to —",
    'according to " "',
    "according to",
    "Police say neighbor/watchman George Zimmerman is shooter – @wftv reports.",
    "— said",
    "— says police.",
    "–",
    "—\n—\n—",
    '" said the man.',
    "“ ” told CNN",
    '"" he said.',
    '""',
    "“",
    "...!?",
    "• Police say two people were shot.\n• The shooter fled, witnesses told @WESH.",
    "- 3 dead\n- 12 hurt, officials said",
    "SANFORD, Fla. — A neighborhood watch volunteer shot a 17-year-old, police said Monday.",
    "JACKSONVILLE (AP) — Police say 47-year-old Michael Dunn fired 8 or 9 shots.",
    "Read more: https://t.co/AbC123 #news @janedoe 😢😢",
    "😢 said 😢, according to 😢.",
    "Mother/stepmother Lucia McBath told reporters: “He was 17.”",
    "'",
    "Michael Dunn said / told / according to",
    "on ſunday the ſheriff said 3 people died in auguſt 2012",
]


def _check(text: str, published: date | None = None) -> Extraction:
    extraction = extract_reports([Report(id="r", text=text, published=published)])[0]
    assert isinstance(extraction, Extraction)
    for mention in extraction.mentions:
        assert 0 <= mention.start <= mention.end <= len(text), mention
        assert text[mention.start : mention.end] == mention.text, mention
    for source in extraction.sources:
        assert 0 <= source.start <= source.end <= len(text), source
        assert source.who.strip(), source
    return extraction


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_extracts_without_raising(text: str) -> None:
    _check(text)
    _check(text, date(2012, 11, 23))


def test_tweet_keeps_its_sources_and_dates() -> None:
    extraction = _check(TWEET, date(2012, 11, 23))
    assert any(s.who == "Police" for s in extraction.sources)
    assert any(m.kind == "date" and m.value == "2012-11-23" for m in extraction.mentions)


def test_attribution_with_no_words_for_who_is_dropped() -> None:
    doc = load_pipeline()("#RIP told CNN")
    attributions = [a for sentence in doc.sents for a in find_attributions(sentence)]
    assert all(a.who.strip() for a in attributions)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("ſeptember 3", date(2017, 8, 28), "2017-09-03"),  # (?i) matches "ſ" to "s"
        ("on ſunday", date(2017, 8, 28), "2017-08-27"),
        ("on frıday", date(2017, 8, 28), "2017-08-25"),
        ("auguſt 2014", None, "2014-08"),
        ("mıd-ſep", date(2017, 9, 28), "2017-09-11/2017-09-20"),
        ("yesterday", date.min, None),  # out of `date`'s range: unresolved, not raised
        ("on Sunday", date.min, None),
        ("over the weekend", date.min, None),
        ("December 30", date.max, None),
    ],
)
def test_resolve_date_is_total(text: str, published: date | None, expected: str | None) -> None:
    resolved = resolve_date(text, published)
    assert (resolved.value if resolved else None) == expected


PIECES = [
    "#JusticeForJordan",
    "#RIP",
    "#BREAKING:",
    "#",
    "@janedoe",
    "(@janedoe)",
    "@WESH",
    "Jordan Davis",
    "Michael Dunn",
    "Jane Doe",
    "the commander",
    "a source",
    "he",
    "it",
    "said",
    "says",
    "told",
    "told CNN",
    "tweeted",
    "according to",
    "Police say",
    "father/stepfather",
    "/",
    "—",
    "–",
    "-",
    "•",
    '"',
    "“",
    "”",
    "'",
    '""',
    "...",
    "!",
    ".",
    ",",
    "17",
    "47-year-old",
    "3 dead",
    "was shot dead",
    "is shooter",
    "November 23, 2012",
    "on Sunday",
    "ſunday",
    "SANFORD, Fla. —",
    "https://t.co/AbC123",
    "😢",
    "\n",
    "\n— ",
]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(
        st.tuples(st.sampled_from(PIECES), st.sampled_from([" ", "", "\n"])),
        min_size=1,
        max_size=14,
    ),
    published=st.sampled_from([None, date(2012, 11, 23), date.min, date.max]),
)
@example(words=[("#RIP", " "), ("told CNN", "")], published=None)
@example(words=[("#", " "), ("says", " "), ("it", "")], published=None)
@example(words=[("according to", " "), ("#", "")], published=None)
@example(words=[("on Sunday", "")], published=date.min)
@example(words=[("ſunday", "")], published=date(2012, 11, 23))
def test_extraction_is_total(words: list[tuple[str, str]], published: date | None) -> None:
    text = "".join(piece + gap for piece, gap in words)
    _check(text, published)
