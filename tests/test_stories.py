"""The stories stage on its own: copies by MinHash, days from dates and URLs, weekdays named,
and the clustering rules that do not depend on the fitted weights."""

from __future__ import annotations

from datetime import date

import numpy as np
from rich.console import Console

from corroborate.render import render_stories
from corroborate.store import StoredReport, StoryListing
from corroborate.stories import StoryDoc, cluster_stories, days_apart, fingerprint, story_days
from corroborate.stories.duplicates import estimated_jaccard
from corroborate.stories.features import date_in_url, lead_sentences, weekdays_named

WIRE = (
    "Nine people were killed on Monday when a car bomb went off at a crowded market in the "
    "northern Syrian city of Idlib, a war monitor said, adding that dozens were wounded and "
    "that the toll was likely to rise as rescuers searched the rubble for survivors."
)


def test_a_reworded_byline_is_a_near_copy_and_another_story_is_not() -> None:
    original = fingerprint(WIRE)
    copy = fingerprint("By Staff Writer. " + WIRE)
    other = fingerprint(
        "The central bank raised its main interest rate by half a point on Thursday, citing "
        "inflation that has stayed above its target for a year and a labour market still tight."
    )
    assert original.signature is not None and copy.signature is not None
    assert other.signature is not None
    assert estimated_jaccard(original.signature, copy.signature) >= 0.7
    assert estimated_jaccard(original.signature, other.signature) < 0.2
    assert set(original.band_keys) & set(copy.band_keys)
    # The same words however spaced or cased are one text.
    assert fingerprint(WIRE.upper().replace(" ", "  ")).content_key == original.content_key
    assert fingerprint("Developing story").signature is None  # too short to call a copy


def test_days_come_from_the_date_then_the_url() -> None:
    day = date(2021, 10, 18).toordinal()
    assert story_days(date(2021, 10, 18), "https://x.com/2020/01/01/a") == (day, day)
    assert story_days(None, "https://www.cnbc.com/2021/10/18/supreme-court.html") == (day, day)
    assert story_days(None, "https://www.washingtontimes.com/news/2021/oct/18/x/") == (day, day)
    assert date_in_url("https://www.bloomberg.com/news/articles/2021-10-18/x") == date(2021, 10, 18)
    october = story_days(None, "https://example.com/politics/2021/10/some-story")
    assert october == (date(2021, 10, 1).toordinal(), date(2021, 10, 31).toordinal())
    assert story_days(None, "https://apnews.com/article/abc123") is None
    assert date_in_url("https://x.com/2021/02/30/not-a-day") is None
    assert days_apart((1, 1), (5, 9)) == 4
    assert days_apart((1, 31), (5, 9)) == 0
    assert days_apart(None, (5, 9)) is None


def test_weekdays_named_and_the_day_it_appeared() -> None:
    monday = date(2021, 10, 18).toordinal()
    mask = weekdays_named("Court rules", "The court ruled on Sunday and Monday.", None)
    assert mask == (1 << 6) | (1 << 0)
    assert weekdays_named(None, "No days here.", (monday, monday)) == 1 << 0
    assert weekdays_named(None, "No days here.", (monday, monday + 30)) == 0


def test_lead_sentences() -> None:
    text = "First one. Second one! Third one? Fourth."
    assert lead_sentences("Headline", text) == ["Headline", "First one.", "Second one!"]
    assert lead_sentences(None, "   ") == ["   "]


def _doc(key: int, text: str, day: int | None, story: int | None = None) -> StoryDoc:
    rng = np.random.default_rng(key)
    vector = rng.normal(size=768).astype(np.float32)
    vector[:384] /= np.linalg.norm(vector[:384])
    vector[384:] /= np.linalg.norm(vector[384:])
    days = (day, day) if day is not None else None
    return StoryDoc(key, None, text, days, vector, story)


def test_stored_reports_steer_and_only_new_ones_are_assigned() -> None:
    docs = [_doc(1, WIRE, 100, story=7), _doc(2, WIRE, 100, story=None)]
    docs[1] = StoryDoc(2, None, WIRE, (100, 100), docs[0].vector, None)
    groups = cluster_stories(docs)
    assert [(g.story, g.members) for g in groups] == [(7, (2,))]
    assert cluster_stories([docs[0]]) == []


def test_reports_days_apart_are_never_one_story() -> None:
    first = _doc(1, WIRE, 100)
    again = StoryDoc(2, None, WIRE, (110, 110), first.vector, None)
    groups = cluster_stories([first, again])
    assert sorted(g.members for g in groups) == [(1,), (2,)]
    assert all(g.story is None for g in groups)


def test_render_stories_shows_untrusted_text_inertly() -> None:
    listing = StoryListing(
        3,
        "[bold red]label[/] \x1b[2J",
        (
            StoredReport("r1", "Outlet [x]", "Title", date(2021, 1, 2), None),
            StoredReport("r2", None, None, None, None, copy_of="r1", copy_kind="exact"),
        ),
    )
    console = Console(record=True, width=200, color_system=None)
    render_stories([listing], console)
    out = console.export_text()
    assert "[bold red]label[/]" in out
    assert "\x1b" not in out
    assert "Outlet [x]" in out
    assert "exact copy of r1" in out


def test_url_ids_give_days_only_among_the_batchs_dates() -> None:
    from corroborate.stories.features import days_from_url_ids

    known_day = date(2021, 10, 14).toordinal()
    urls = [
        "https://www.wsj.com/articles/biden-commission-court-reform-11634250935",
        "https://www.huffpost.com/entry/court-reform_n_6169b75be4b005b245bce336",
        "https://example.com/story/1914947530",  # an id that reads as 2030: not a date here
        "https://www.cnbc.com/2021/10/14/x.html",
    ]
    known = [None, None, None, (known_day, known_day)]
    wsj, huffpost, plain_id, cnbc = days_from_url_ids(urls, known)
    assert wsj == (known_day - 1, known_day + 1)
    assert huffpost is not None and abs(huffpost[0] + 1 - known_day) <= 2
    assert plain_id is None
    assert cnbc == (known_day, known_day)
    assert days_from_url_ids(urls[:1], [None]) == [None]  # no dated report to trust it by
