"""The Python API and the views under misuse: wrong argument types give a `CorroborateError`
naming the argument, and text from the reports never drives the terminal."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from corroborate import ArgumentError, CorroborateError, Report, compare, read_reports
from corroborate.errors import DeadlineExceeded
from corroborate.read import MAX_TEXT_CHARS
from corroborate.render import render_markdown, render_terminal

TEXT = "Five people were killed on Sunday in the town, officials said."


def test_one_path_alone_is_one_input_not_its_characters(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert [r.id for r in read_reports(str(tmp_path / "a.txt")).reports] == ["a"]
    assert [r.id for r in read_reports(tmp_path).reports] == ["a"]


@pytest.mark.parametrize(
    ("inputs", "named"),
    [
        (42, "inputs"),
        (None, "inputs"),
        ({"text": TEXT}, "inputs"),
        (b"a.txt", "inputs"),
        ([42], "inputs[0]"),
        (["a.txt", None], "inputs[1]"),
        ([{"id": "a", "text": TEXT}], "inputs[0]"),
    ],
)
def test_inputs_of_the_wrong_type_are_named(inputs: Any, named: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        compare(inputs)
    assert caught.value.argument == named
    assert isinstance(caught.value, CorroborateError)


@pytest.mark.parametrize(
    ("report", "problem"),
    [
        (Report(id="a", text=None), "text must be a string"),  # type: ignore[arg-type]
        (Report(id="a", text="   "), "empty"),
        (Report(id="", text=TEXT), "non-empty string id"),
        (Report(id=7, text=TEXT), "non-empty string id"),  # type: ignore[arg-type]
        (Report(id="a", text="x" * (MAX_TEXT_CHARS + 1)), "limit"),
        (Report(id="a", text=TEXT, outlet={"n": 1}), "outlet"),  # type: ignore[arg-type]
        (Report(id="a", text=TEXT, published="2017-04-05"), "published"),  # type: ignore[arg-type]
    ],
)
def test_unusable_report_objects_are_refused_by_name(report: Report, problem: str) -> None:
    with pytest.raises(ArgumentError) as caught:
        compare([Report(id="ok", text=TEXT), report])
    assert caught.value.argument.startswith("inputs[1]")
    assert problem in caught.value.problem


def test_report_objects_sharing_an_id_are_refused() -> None:
    with pytest.raises(ArgumentError, match="repeated: 'a'"):
        compare([Report(id="a", text=TEXT), Report(id="a", text=TEXT)])


def test_a_file_never_takes_the_id_of_a_report_object(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    comparison = compare([Report(id="a", text=TEXT), tmp_path / "a.txt"])
    assert [r.id for r in comparison.reports] == ["a", "a-2"]


HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202egnp.exe\r"


def test_escape_sequences_in_reports_never_reach_the_terminal() -> None:
    reports = [
        Report(
            id="a",
            outlet=f"Outlet{HOSTILE}",
            title=f"Title{HOSTILE}",
            published=date(2017, 4, 5),
            text=f"Five people were killed{HOSTILE} in Aleppo on Sunday, officials said.",
        ),
        Report(
            id="b",
            outlet="Other",
            published=date(2017, 4, 5),
            text=f"Seven people were killed in Aleppo on Sunday, said{HOSTILE} the monitor.",
        ),
    ]
    comparison = compare(reports)
    screen = io.StringIO()
    render_terminal(comparison, Console(file=screen, width=200, force_terminal=False))
    for shown in (screen.getvalue(), render_markdown(comparison)):
        assert "Outlet" in shown
        assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e\r")


def test_a_comparison_past_its_deadline_stops_with_a_clear_error() -> None:
    reports = [Report(id="a", text=TEXT), Report(id="b", text=TEXT)]
    with pytest.raises(DeadlineExceeded, match="out of time"):
        compare(reports, deadline=time.monotonic() - 1)
    assert compare(reports, deadline=time.monotonic() + 600).facts
