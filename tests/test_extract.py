"""`corroborate extract`: each report's mentions, traceable to the characters they came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from corroborate import Report, extract_mentions
from corroborate.render import render_extractions_table
from tests.conftest import SEEDS, run_cli

SENTENCES = [
    {"id": "toll", "text": "The death toll rose to 16, the Syrian Observatory said on Monday."},
    {"id": "hurt", "text": "At least 31 people were killed and 26 injured in the raid."},
    {"id": "them", "text": "We killed 70 to 80 of them, the commander told Reuters."},
    {
        "id": "market",
        "text": "The Dow lost 190 points, or 0.6%, while gold rose to $1,271.2 an ounce.",
    },
]


def _extract_jsonl(tmp_path: Path, rows: list[dict[str, str]], *args: str) -> list[dict[str, Any]]:
    path = tmp_path / "sentences.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = run_cli("extract", str(path), "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def _quantities(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in item["mentions"] if m["kind"] == "quantity"]


def test_one_json_line_per_input_item(tmp_path: Path) -> None:
    items = _extract_jsonl(tmp_path, SENTENCES, "--published", "2019-03-04")
    assert [item["id"] for item in items] == [s["id"] for s in SENTENCES]


def test_every_mention_is_the_text_at_its_offsets(tmp_path: Path) -> None:
    items = _extract_jsonl(tmp_path, SENTENCES)
    texts = {s["id"]: s["text"] for s in SENTENCES}
    for item in items:
        assert item["mentions"], item
        for mention in item["mentions"]:
            assert texts[item["id"]][mention["start"] : mention["end"]] == mention["text"]


def test_counts_are_linked_to_what_they_count(tmp_path: Path) -> None:
    items = {item["id"]: item for item in _extract_jsonl(tmp_path, SENTENCES)}
    (toll,) = _quantities(items["toll"])
    assert (toll["value"], toll["change"], toll["event"]) == (16, "=", "killed")
    killed, injured = _quantities(items["hurt"])
    assert (killed["low"], killed["high"], killed["qualifier"], killed["change"]) == (
        31,
        None,
        "at least",
        ">",
    )
    assert (injured["value"], injured["counted"], injured["event"]) == (26, "injured", "wounded")
    (them,) = _quantities(items["them"])
    # "of them" is left unresolved, not guessed
    assert (them["low"], them["high"], them["qualifier"], them["counted"]) == (
        70,
        80,
        "range",
        "them",
    )


def test_changes_units_and_attributions(tmp_path: Path) -> None:
    items = _extract_jsonl(tmp_path, SENTENCES, "--published", "2019-03-06")
    items = {item["id"]: item for item in items}
    points, share, gold = _quantities(items["market"])
    assert (points["value"], points["change"], points["unit"]) == (190, "down", "points")
    assert (share["value"], share["change"], share["unit"]) == (0.6, "down", "%")
    assert (gold["value"], gold["change"], gold["unit"]) == (1271.2, "=", "$ an ounce")
    attributions = [m for m in items["them"]["mentions"] if m["kind"] == "attribution"]
    assert attributions and "commander" in attributions[0]["who"]
    (date,) = [m for m in items["toll"]["mentions"] if m["kind"] == "date"]
    assert date["precision"] == "day"


def test_relative_dates_resolve_against_published(tmp_path: Path) -> None:
    items = _extract_jsonl(tmp_path, SENTENCES[:1], "--published", "2019-03-06")
    (date,) = [m for m in items[0]["mentions"] if m["kind"] == "date"]
    assert date["value"] == "2019-03-04"


def test_a_broken_line_is_reported_and_the_rest_extracted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(SENTENCES[0]) + "\n{not json\n" + json.dumps(SENTENCES[1]) + "\n",
        encoding="utf-8",
    )
    result = run_cli("extract", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("skipped") == 1 and "mixed.jsonl:2" in result.stderr
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["toll", "hurt"]


def test_no_readable_input_is_an_error(tmp_path: Path) -> None:
    result = run_cli("extract", str(tmp_path / "missing.jsonl"))
    assert result.returncode != 0
    message = " ".join(result.stderr.split())
    assert "missing.jsonl: no such file" in message


def test_table_shows_report_text_literally() -> None:
    text = 'He said "[bold red]we will win[/bold red]" on Sunday.'
    result = extract_mentions([Report(id="markup", text=text)])
    console = Console(record=True, width=200)
    render_extractions_table(result.extractions, console)
    assert "[bold red]we will win[/bold red]" in console.export_text()


def test_seed_reports_through_the_python_api() -> None:
    result = extract_mentions([SEEDS / "reports.jsonl"])
    assert len(result.extractions) == 2
    ranges = [
        m
        for e in result.extractions
        for m in e.mentions
        if m.kind == "quantity" and m.qualifier == "range"
    ]
    assert any((m.low, m.high) == (70, 80) for m in ranges)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("In 2019, 13 people were hurt in Game 2 at Section 427.", [13]),
        ("Shares of the S&P 500 rose 0.2% on Aug. 14 at 11 a.m.", [0.2]),
        ("The F-35 flew 3,200 times; call 555-1234.", [3200]),
        ("She lives at 49 Zorro Ranch Road with one of her sons.", [1]),
        ("Each one of them paid $5.", [5]),
        # Ages told in lists, or together: "ages 25, 26, and 33", "13 and 17 years of age"
        ("Three other men, ages 25, 26, and 33, were injured.", [3]),
        ("The victims, a male, 17, and two females, were hurt.", [2]),
        ("He killed Lindsay, 24 and Duncan, 23, in the bar.", []),
        ("28.04.2017Get short URL Over 100 militants were killed.", [100]),
    ],
)
def test_names_dates_times_and_addresses_are_not_quantities(text: str, values: list[float]) -> None:
    result = extract_mentions([Report(id="x", text=text)])
    mentions = result.extractions[0].mentions
    found = [m.value for m in mentions if m.kind == "quantity" and not m.implicit]
    assert found == values
