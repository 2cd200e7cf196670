"""Counts judged as numbers: agree, compatible, conflict, and pairs never made."""

from __future__ import annotations

from datetime import date
from typing import Any

from corroborate import compare
from corroborate.align import intervals_overlap
from corroborate.align.judge import provenance_of
from corroborate.align.referents import can_be_one_referent
from corroborate.model import CountKey, Mention, Report
from corroborate.render import render_markdown


def _count(report: str, key: CountKey, **values: Any) -> Mention:
    return Mention(
        report=report, kind="quantity", start=0, end=1, text="x", count_key=key, **values
    )


def test_bounds_and_qualifiers() -> None:
    at_least_16 = _count(
        "a", CountKey("killed", "person"), value=16, low=16, high=None, qualifier="at least"
    )
    exact_18 = _count(
        "b", CountKey("killed", "person"), value=18, low=18, high=18, qualifier="exact"
    )
    exact_4 = _count("b", CountKey("killed", "person"), value=4, low=4, high=4, qualifier="exact")
    about_600 = _count("a", CountKey("x", "y"), value=600, qualifier="about")
    exact_665 = _count("b", CountKey("x", "y"), value=665, low=665, high=665, qualifier="exact")
    dozens = _count("a", CountKey("x", "y"), value=None, low=24, qualifier="vague")
    about_40 = _count("b", CountKey("x", "y"), value=40, qualifier="about")
    assert intervals_overlap([at_least_16, exact_18])
    assert not intervals_overlap([at_least_16, exact_4])
    assert intervals_overlap([about_600, exact_665])
    assert intervals_overlap([dozens, about_40])


def test_different_referents_are_never_one_fact() -> None:
    remains = _count("a", CountKey("remains", "soldier"))
    bodies = _count("b", CountKey("remains", None))
    held = _count("b", CountKey("held", "soldier"))
    killed_children = _count("b", CountKey("killed", "child"))
    killed_people = _count("a", CountKey("killed", "person"))
    killed_soldiers = _count("a", CountKey("killed", "soldier"))
    assert can_be_one_referent(remains, bodies)
    assert not can_be_one_referent(remains, held)
    assert can_be_one_referent(killed_children, killed_people)  # people include children
    assert not can_be_one_referent(killed_children, killed_soldiers)


def _reports(*texts: str) -> list[Report]:
    return [
        Report(id=f"r{i}", text=t, outlet=f"Outlet {i}", published=date(2016, 8, 9))
        for i, t in enumerate(texts, start=1)
    ]


def test_compare_agree_compatible_conflict() -> None:
    comparison = compare(
        _reports(
            "At least 16 civilians were killed in air strikes on the town on Monday. "
            "Four children were among the dead.",
            "Air strikes on the town killed 18 civilians on Monday, a monitor said.",
            "The strikes on Monday killed 40 civilians in the town.",
        )
    )
    killed = [f for f in comparison.facts if f.kind == "quantity" and f.what.startswith("killed")]
    civilians = next(f for f in killed if any(m.value == 16 for m in f.mentions))
    assert {m.value for m in civilians.mentions} >= {16, 18}
    assert civilians.status in {"compatible", "conflict"}
    children = next(f for f in killed if any(m.value == 4 for m in f.mentions))
    assert children is not civilians and children.status == "single"


def test_conflicting_counts_are_flagged() -> None:
    comparison = compare(
        _reports(
            "Four civilians were killed in the rebel shelling of the city on Thursday.",
            "Eight civilians were killed in the rebel shelling of the city on Thursday.",
        )
    )
    fact = next(f for f in comparison.facts if f.kind == "quantity")
    assert fact.status == "conflict"
    assert {m.value for m in fact.mentions} == {4, 8}
    assert fact.explanation == (
        "Outlet 1 gives 4 civilians killed; Outlet 2 gives 8: "
        "both cannot be true of the same count at the same time."
    )


def test_equal_counts_agree_and_are_explained() -> None:
    comparison = compare(
        _reports(
            "A suicide bomber killed four people in a hospital on Sunday.",
            "A suicide bomber driving an ambulance killed four people on Sunday.",
        )
    )
    fact = next(f for f in comparison.facts if f.kind == "quantity")
    assert fact.status == "agree"
    assert fact.explanation == "Outlet 1 and Outlet 2 both give 4 people killed."


def test_outlets_citing_one_agency_are_one_independent_source() -> None:
    comparison = compare(
        _reports(
            "Air strikes killed 16 civilians in the town on Monday, the Syrian Observatory "
            "for Human Rights said.",
            "The Syrian Observatory said air strikes on the town killed 16 civilians on Monday.",
            "Air strikes on the town killed 16 civilians on Monday, state news agency SANA said.",
        )
    )
    fact = next(f for f in comparison.facts if f.kind == "quantity" and f.status == "agree")
    assert {m.report for m in fact.mentions} == {"r1", "r2", "r3"}
    assert fact.independent_sources == 2
    whos = {p.report: p.who for p in fact.provenance}
    assert whos["r1"] == whos["r2"] == "Syrian Observatory for Human Rights"
    assert fact.to_dict()["independent_sources"] == 2
    assert {s["report"] for s in fact.to_dict()["sources"]} == {"r1", "r2", "r3"}


def test_unattributed_figures_are_each_outlets_own_reporting() -> None:
    comparison = compare(
        _reports(
            "A suicide bomber killed four people in a hospital on Sunday.",
            "A suicide bomber driving an ambulance killed four people on Sunday.",
        )
    )
    fact = next(f for f in comparison.facts if f.kind == "quantity")
    assert [p.kind for p in fact.provenance] == ["own reporting", "own reporting"]
    assert fact.independent_sources == 2


def test_a_toll_that_rises_in_a_later_report_is_compatible() -> None:
    reports = [
        Report(
            id="early",
            text="An air strike on the market killed 12 civilians on Monday.",
            outlet="Early",
            published=date(2016, 8, 8),
        ),
        Report(
            id="late",
            text="The air strike on the market on Monday killed 19 civilians.",
            outlet="Late",
            published=date(2016, 8, 10),
        ),
    ]
    fact = next(f for f in compare(reports).facts if f.kind == "quantity")
    assert {m.value for m in fact.mentions} == {12, 19}
    assert fact.status == "compatible"
    assert "later report gives a higher toll" in fact.explanation


def test_a_minimum_below_a_later_figure_is_compatible() -> None:
    comparison = compare(
        _reports(
            "Air strikes on the school killed at least 26 civilians on Wednesday.",
            "Air strikes on the school on Wednesday killed 35 civilians, a monitor said.",
        )
    )
    fact = next(f for f in comparison.facts if f.kind == "quantity")
    assert fact.status == "compatible"


def test_reports_of_different_incidents_are_recognised_and_not_merged() -> None:
    comparison = compare(
        _reports(
            "An earthquake struck northern Japan on Monday, killing 12 people and "
            "destroying hundreds of homes.",
            "A bus carrying pilgrims plunged into a ravine in the Peruvian Andes on Monday, "
            "killing 12 people.",
        )
    )
    assert [i.reports for i in comparison.incidents] == [("r1",), ("r2",)]
    killed = [f for f in comparison.facts if f.kind == "quantity" and f.what.startswith("killed")]
    assert all(f.status == "single" for f in killed)
    assert comparison.to_dict()["incidents"][1]["reports"] == ["r2"]
    assert "several incidents" in render_markdown(comparison)


def test_different_figures_in_unrelated_sentences_are_never_a_conflict() -> None:
    comparison = compare(
        _reports(
            "Four people were killed in the shelling of a market in Aleppo on Monday.",
            "Eight people died in a road accident near the port last week, police said.",
        )
    )
    assert all(f.status != "conflict" for f in comparison.facts)


def test_paraphrased_sentences_pair_their_counts() -> None:
    comparison = compare(
        _reports(
            "Warplanes struck a crowded market in the town, killing 23 people.",
            "Warplanes hit the town's crowded market and killed 23 people, residents said.",
        )
    )
    fact = next(
        f for f in comparison.facts if f.kind == "quantity" and 23 in {m.value for m in f.mentions}
    )
    assert {m.report for m in fact.mentions} == {"r1", "r2"}
    assert fact.status == "agree"


def test_a_generic_monitor_is_the_monitor_the_report_names() -> None:
    comparison = compare(
        _reports(
            "Air strikes killed 16 civilians in the town on Monday, a monitor said. The Syrian "
            "Observatory for Human Rights said children were among the dead.",
            "Air strikes on the town killed 16 civilians on Monday, the Syrian Observatory said.",
        )
    )
    fact = next(f for f in comparison.facts if f.kind == "quantity" and f.status == "agree")
    assert [p.who for p in fact.provenance] == ["Syrian Observatory for Human Rights"] * 2
    assert fact.independent_sources == 1
    assert "both citing Syrian Observatory for Human Rights" in fact.explanation


def test_reports_naming_one_attacker_agree_on_it() -> None:
    comparison = compare(
        _reports(
            "Russian jets bombed a market in the town on Monday, killing 12 people.",
            "Russian air strikes on the town's market killed 12 people on Monday.",
        )
    )
    fact = next(f for f in comparison.facts if f.what == "behind the attacks: Russia")
    assert fact.status == "agree"
    assert fact.explanation == "Outlet 1 and Outlet 2 both name Russia as behind the attacks."
    assert fact.to_dict()["mentions"][0]["role"] == "perpetrator"


def test_a_source_and_its_channel_stay_apart_and_are_written_as_one() -> None:
    # "a medical source told SANA": who and via are kept apart for provenance, and the
    # contract writes them as one "who (via X)" as before.
    told = Mention(
        report="a",
        kind="quantity",
        start=0,
        end=2,
        text="12",
        value=12,
        attributed_to="a medical source",
        attributed_via="SANA",
    )
    assert told.to_dict()["attributed_to"] == "a medical source (via SANA)"
    provenance = provenance_of(told, Report(id="a", text="12 killed", outlet="Outlet"), [])
    assert (provenance.who, provenance.via) == ("a medical source", "SANA")
    # Read back from the contract, the attribution is shown as written.
    assert Mention.from_dict(told.to_dict()).attribution == "a medical source (via SANA)"
