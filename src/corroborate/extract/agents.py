"""Who carried out an attack, or is blamed for it: the agents of strikes, raids and shelling.

"Russian and regime air strikes killed 47" -> Russia, Syrian government; "air strikes by the
US-led coalition" -> US-led coalition; "Russian jets bombed a clinic" -> Russia; "residents
blamed the U.S.-led coalition" -> US-led coalition, blamed by the residents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from corroborate.lexicon import actor_within, word_set
from corroborate.model import Polarity, Stance

ATTACK_NOUNS = word_set(
    "strike airstrike raid attack bombing bombardment shelling barrage massacre assault sortie"
)
ATTACK_VERBS = word_set("bomb shell strike target pound attack raid bombard hit kill")
BLAME_VERBS = word_set("blame accuse")
# "Russia denied carrying out the strikes", "Moscow rejected / refuted these allegations".
DENY_VERBS = word_set("deny reject refute dismiss")
# An accusation framed as false by whoever reports it: "a pretext for accusing Damascus".
FALSE_FRAMES = word_set(
    "pretext excuse fabrication fabricated false falsely baseless unfounded lie lies"
)
CLAIM_VERBS = word_set("claim")
CAPITALS = {"damascus": "Syrian government", "moscow": "Russia", "ankara": "Turkey"}
# Verbs whose object is the attack: "rebels fired a barrage", "the regime committed a massacre".
CARRY_OUT_VERBS = word_set("fire launch commit carry conduct drop stage")
WEAPON_NOUNS = word_set("shell rocket missile bomb mortar projectile")
# Names of the forces behind attacks that the actors table does not hold; matched as words.
AGENT_NAMES: dict[str, tuple[str, ...]] = {
    "Syrian government": (
        "regime",
        "assad",
        "syrian government",
        "government forces",
        "syrian army",
        "syrian arab army",
        "syrian air force",
        "syrian warplanes",
        "syrian jets",
        "syrian helicopters",
        "syrian aircraft",
        "pro-government",
    ),
    "Russia": ("russia", "russian", "moscow"),
    "US-led coalition": ("us-led coalition", "u.s.-led coalition", "us-led", "u.s.-led"),
    "Turkey": ("turkey", "turkish"),
    "Israel": ("israel", "israeli"),
    "rebels": ("rebel", "rebels", "opposition", "insurgent", "insurgents"),
}


@dataclass(frozen=True, slots=True)
class Agent:
    """An actor named as behind an attack, with the words that name it (doc offsets)."""

    start: int
    end: int
    name: str
    blamed_by: str | None = None
    stance: Stance = Stance.ASSERTS
    polarity: Polarity = Polarity.AFFIRMED


def find_agents(sentence: Any) -> Iterator[Agent]:
    """The attackers a sentence names, once each, with what the sentence does with it:
    asserts ("Russian jets bombed"), accuses ("residents blamed Russia"), claims
    responsibility ("ISIS claimed the attack") or denies ("Russian planes have not carried
    out any strikes", "Russia denied the accusations")."""
    seen: set[str] = set()
    for token in sentence:
        for phrase, blamed_by in _agent_phrases(token):
            stance, polarity = _stance(token, blamed_by)
            names = agent_names(phrase.text)
            if not names and token.lemma_.lower() in BLAME_VERBS:
                # "accusing Damascus": a capital named as the accused stands for its government
                names = [CAPITALS[phrase.text.lower()]] if phrase.text.lower() in CAPITALS else []
            for name in names:
                if name not in seen:
                    seen.add(name)
                    yield Agent(
                        phrase.start_char, phrase.end_char, name, blamed_by, stance, polarity
                    )


def agent_names(text: str) -> list[str]:
    """The forces a phrase names: "Russian and regime" -> Russia, Syrian government."""
    lowered = text.lower()
    found = [name for name, pattern in _agent_patterns() if pattern.search(lowered)]
    actor = actor_within(text)
    if actor is not None and actor.kind == "armed group" and actor.canonical not in found:
        found.append(actor.canonical)
    return found


@cache
def _agent_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple(
        (name, re.compile(r"(?<![\w.-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w-])"))
        for name, words in AGENT_NAMES.items()
    )


def _agent_phrases(token: Any) -> Iterator[tuple[Any, str | None]]:
    lemma = token.lemma_.lower()
    if token.pos_ == "NOUN" and lemma in ATTACK_NOUNS:
        # "Russian and regime air strikes", "the regime's raids", "strikes by the coalition"
        for child in token.children:
            if child.dep_ in {"compound", "amod", "nmod", "poss"} and child.i < token.i:
                yield _subtree(child), None
            elif child.dep_ == "prep" and child.lower_ == "by":
                yield from ((_subtree(obj), None) for obj in _objects(child))
    elif token.pos_ == "VERB" and lemma in ATTACK_VERBS:
        for child in token.children:
            if child.dep_ == "nsubj" and child.lemma_.lower() not in ATTACK_NOUNS:
                yield _subtree(child), None  # "Russian jets bombed", "the army shelled"
            elif child.dep_ == "agent":
                yield from ((_subtree(obj), None) for obj in _objects(child))
    elif token.pos_ == "VERB" and lemma in CARRY_OUT_VERBS:
        objects = [c for c in token.children if c.dep_ == "dobj"]
        if any(o.lemma_.lower() in ATTACK_NOUNS | WEAPON_NOUNS for o in objects):
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is not None:
                yield _subtree(subject), None
    elif token.pos_ == "VERB" and lemma in DENY_VERBS | CLAIM_VERBS:
        # "Russia denied the strikes", "ISIS claimed responsibility for the attack"
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        objects = [c.lemma_.lower() for c in token.subtree if c.dep_ in {"dobj", "pobj"}]
        about_attack = set(objects) & (ATTACK_NOUNS | {"responsibility", "involvement"})
        if subject is not None and (about_attack or lemma in DENY_VERBS):
            yield _subtree(subject), None
    elif token.pos_ == "VERB" and lemma in BLAME_VERBS:
        subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
        blamer = _subtree(subject).text if subject is not None else None
        for child in token.children:
            if child.dep_ == "dobj":
                yield _subtree(child), blamer


def _stance(verb: Any, blamed_by: str | None) -> tuple[Stance, Polarity]:
    """What the clause of `verb` does with its agent."""
    lemma = verb.lemma_.lower()
    if lemma in DENY_VERBS:
        return Stance.DENIES, Polarity.NEGATED
    if _framed_as_false(verb):
        return Stance.DENIES, Polarity.NEGATED
    if _negated(verb):
        return Stance.DENIES, Polarity.NEGATED
    if lemma in CLAIM_VERBS:
        return Stance.CLAIMS_RESPONSIBILITY, Polarity.AFFIRMED
    if blamed_by is not None or lemma in BLAME_VERBS:
        return Stance.ACCUSES, Polarity.AFFIRMED
    return Stance.ASSERTS, Polarity.AFFIRMED


def _negated(verb: Any) -> bool:
    """ "have not carried out", "never bombed", "carried out no strikes"."""
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children):
        return True
    return any(
        c.dep_ == "dobj" and any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        for c in verb.children
    )


def _framed_as_false(verb: Any) -> bool:
    """ "a pretext for accusing Damascus", "falsely blamed", "baseless accusations"."""
    near = [*verb.children, *verb.ancestors][:6]
    return any(t.lemma_.lower() in FALSE_FRAMES or t.lower_ in FALSE_FRAMES for t in near)


def _objects(preposition: Any) -> Iterator[Any]:
    return (t for t in preposition.children if t.dep_ == "pobj")


def _subtree(token: Any) -> Any:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]
