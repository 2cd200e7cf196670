"""What a count counts (its event, counted class and unit) and how two counts relate."""

from __future__ import annotations

from enum import Enum

from corroborate.model import UNKNOWN_COUNT, CountKey, Mention

# Classes of people that a broader class includes: "12 people killed" may be the same toll as
# "12 aid workers and drivers killed"; "civilians" include children, women and medics.
PERSON_CLASSES = frozenset({"civilian", "child", "woman", "man", "soldier", "militant", "rebel"})
BROADER: dict[str, frozenset[str]] = {
    "person": PERSON_CLASSES | {"medic", "family"},
    "civilian": frozenset({"child", "woman", "man", "medic", "family"}),
}
# Classes that name one group in different words ("militants" / "fighters" / "rebels").
SYNONYMS = (frozenset({"militant", "rebel"}),)
# The other classes of the extractor's table; a counted noun outside the table is its own
# lemma (lorry, truck) and is compared with another such noun by meaning.
KNOWN_CLASSES = frozenset(
    {"person", "medic", "family", "strike", "projectile", "bomb", "building", "place"}
)


class Relation(Enum):
    """How two counted classes relate."""

    SAME = "same"
    RELATED = "related"  # one includes the other, or near-synonyms
    UNKNOWN = "unknown"  # one or both counts say nothing of what they count
    OTHER_NOUN = "other noun"  # two different nouns outside the class table: judge by meaning
    DIFFERENT = "different"


def count_key(m: Mention) -> CountKey:
    """What a count is of (nothing known for a mention of another kind)."""
    return m.count_key or UNKNOWN_COUNT


def class_relation(a: Mention, b: Mention) -> Relation:
    _, class_a, _ = count_key(a)
    _, class_b, _ = count_key(b)
    if class_a is None or class_b is None:
        return Relation.UNKNOWN
    if class_a == class_b:
        return Relation.SAME
    pair = frozenset({class_a, class_b})
    if (
        pair in SYNONYMS
        or class_b in BROADER.get(class_a, ())
        or class_a in BROADER.get(class_b, ())
    ):
        return Relation.RELATED
    known = KNOWN_CLASSES | PERSON_CLASSES
    if class_a not in known and class_b not in known:
        return Relation.OTHER_NOUN
    return Relation.DIFFERENT


def counts_by_occupation(m: Mention) -> bool:
    """Civilians counted by what they do ("six teachers", "12 aid workers"), not as civilians:
    a group of its own beside the children, women or medics of one report."""
    _, counted_class, _ = count_key(m)
    head = m.counted.lower().split()[-1] if m.counted else ""
    return counted_class == "civilian" and bool(head) and not head.startswith("civilian")


def events_match(a: Mention, b: Mention) -> bool | None:
    """True or False when both events are known; None when one is not. Counts that fill one
    card slot tell of one event ("shot" and "wounded" people, when both are the wounded)."""
    if a.slot is not None and a.slot == b.slot:
        return True
    event_a, _, _ = count_key(a)
    event_b, _, _ = count_key(b)
    if event_a is None or event_b is None:
        return None
    return event_a == event_b


def can_be_one_referent(a: Mention, b: Mention) -> bool:
    """Counts of different events, classes or units are never one fact."""
    if count_key(a).unit != count_key(b).unit:
        return False
    return events_match(a, b) is not False and class_relation(a, b) is not Relation.DIFFERENT
