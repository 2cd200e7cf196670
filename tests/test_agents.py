"""Who carried out an attack, or is blamed for it."""

from __future__ import annotations

import pytest

from corroborate.extract.agents import find_agents
from corroborate.nlp import load_pipeline


def _agents(text: str) -> list[tuple[str, str | None]]:
    doc = load_pipeline()(text)
    return [(a.name, a.blamed_by) for sentence in doc.sents for a in find_agents(sentence)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian and regime air strikes killed 47 people.", {"Russia", "Syrian government"}),
        ("Ten civilians died in air strikes by the US-led coalition.", {"US-led coalition"}),
        ("Russian jets bombed a medical center in Khan Tuman.", {"Russia"}),
        ("The Syrian warplanes targeted strongholds in Raqqa.", {"Syrian government"}),
        ("Rebels fired a barrage of 300 shells into western Aleppo.", {"rebels"}),
        ("Islamic State group jihadists have attacked an oil field.", {"ISIS"}),
        ("The Assad regime committed a massacre in the village.", {"Syrian government"}),
    ],
)
def test_the_force_behind_an_attack_is_named(text: str, expected: set[str]) -> None:
    assert {name for name, _ in _agents(text)} == expected


def test_blame_keeps_who_blames() -> None:
    assert _agents("Residents in the area blamed the U.S.-led coalition for the strikes.") == [
        ("US-led coalition", "Residents in the area")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Hezbollah and the Syrian army coordinated the offensive in Qalamoun.",
        "The ceasefire was agreed by Russia and Turkey.",
        "The government said it would hold talks with the opposition.",
    ],
)
def test_no_attacker_where_no_attack_is_carried_out(text: str) -> None:
    assert _agents(text) == []
