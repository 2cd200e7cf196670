"""Boilerplate found as removed spans, the text left as it was."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from corroborate.clean import classify_line, find_boilerplate
from corroborate.model import Report
from tests.conftest import SHARED

ARTICLE = (
    "Officials said the bridge reopened on Tuesday after three weeks of repairs, and traffic "
    "returned to normal by the evening, according to the city's transport department."
)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("in ,", "empty dateline"),
        ("Leave a Reply", "comment prompt"),
        ("What do you think?", "comment prompt"),
        ("18 points", "vote widget"),
        ("Upvotes percentage: 95.000000%", "vote widget"),
        ("Subscribe to our newsletter", "subscribe or newsletter"),
        ("Copyright © 2017 Example Media. All rights reserved.", "copyright line"),
        ("We use cookies to improve your experience. Accept cookie settings", "cookie notice"),
        ("Please donate $10 today to keep us independent", "donation appeal"),
        ("Share this:", "share widget"),
        ("Related Articles", "related links"),
        ("Advertisement", "advertisement"),
    ],
)
def test_furniture_lines(line: str, reason: str) -> None:
    assert classify_line(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        ARTICLE,
        "The charity said donations had fallen by a third since 2015.",
        "Voters in the district will cast their ballots next week.",
        "CONFIRMED: Syria-Lebanon border fully liberated of terrorists",
    ],
)
def test_article_lines_are_kept(line: str) -> None:
    assert classify_line(line) is None


def test_page_tail_is_removed_and_offsets_point_into_text() -> None:
    text = "\n".join(
        [
            "Headline of the story",
            "",
            ARTICLE,
            ARTICLE,
            "Example News",
            "Please support us and help us keep reporting.",
            "Leave a Reply",
            "Another headline about something else",
            "Second teaser of another story",
        ]
    )
    report = find_boilerplate(Report(id="r", text=text))
    assert report.text == text
    removed = [text[s.start : s.end] for s in report.removed]
    assert removed == [
        "Example News",
        "Please support us and help us keep reporting.",
        "Leave a Reply",
        "Another headline about something else",
        "Second teaser of another story",
    ]
    assert report.removed[-1].reason == "teaser of another article"
    assert ARTICLE in report.kept_text()


def test_furniture_sentence_inside_a_paragraph() -> None:
    text = ARTICLE + " Subscribe to our newsletter for daily updates. " + ARTICLE
    report = find_boilerplate(Report(id="r", text=text * 2))
    assert next(report.text[s.start : s.end] for s in report.removed) == (
        "Subscribe to our newsletter for daily updates."
    )


CORPUS = SHARED / "data" / "corpora" / "fakenewscorpus_sample.csv"


@pytest.mark.skipif(not CORPUS.exists(), reason="needs ../shared/data")
def test_generalises_to_scraped_corpus() -> None:
    csv.field_size_limit(1 << 30)
    with Path(CORPUS).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = removed = 0
    junk_lines = {"Subscribe to Canada Free Press for FREE", "Advertisements", "Related Posts:"}
    for row in rows:
        report = find_boilerplate(Report(id=row["id"], text=row["content"]))
        total += len(report.text)
        removed += sum(s.end - s.start for s in report.removed)
        kept = report.kept_text()
        for line in junk_lines:
            assert line not in kept, (row["id"], line)
    # Scrapes carry some furniture, but articles are mostly article: strip little.
    assert 0.002 < removed / total < 0.05
