"""Where a count goes on the incident card: its slot, who it counts, and its scope.

The slot comes from the event the parse linked the count to (killed, wounded, held, ...) and
the words of its sentence (kidnapped or detained; displaced or evacuated); only counts of
people fill a slot. The scope says whether the sentence tells of the incident itself or of
its background: the war's total toll ("since 2011"), earlier incidents ("last month"), recaps.
"""

from __future__ import annotations

import re

from corroborate.model import Category, Scope, Slot

# The counted classes of the quantities extractor that are people, and who they are.
CATEGORY_OF_CLASS: dict[str | None, Category] = {
    None: Category.PEOPLE,
    "person": Category.PEOPLE,
    "man": Category.PEOPLE,
    "civilian": Category.CIVILIANS,
    "child": Category.CHILDREN,
    "woman": Category.WOMEN,
    "soldier": Category.SOLDIERS,
    "militant": Category.FIGHTERS,
    "rebel": Category.FIGHTERS,
    "medic": Category.MEDICS,
}
POLICE_WORDS = frozenset({"police", "policeman", "policemen", "officer", "officers", "cop"})
SLOT_OF_EVENT = {
    "killed": Slot.KILLED,
    "wounded": Slot.WOUNDED,
    "shot": Slot.WOUNDED,  # unless the report tells of deaths (`extract._hit_not_wounded`)
    "missing": Slot.MISSING,
    "held": Slot.DETAINED,
    "evacuated": Slot.EVACUATED,
}
KIDNAP_WORDS = re.compile(r"(?i)\b(?:kidnap\w*|abduct\w*|hostages?|captives?)\b")
DISPLACED_WORDS = re.compile(r"(?i)\b(?:fle[de]\w*|flee\w*|displac\w*|refugees?)\b")

# Words that put a sentence in the background of the incident. Each names a span of time
# or a whole that an incident's toll is not: chosen by hand from the grammar of recaps
# ("the war has killed more than 320,000 people since 2011"), not fitted to any set.
BACKGROUND = re.compile(
    r"""(?ix)
      \bsince\s+(?:the\s+)?(?:start|beginning|outbreak|onset)\b
    | \bsince\s+(?:\S+\s+){0,2}(?:war|conflict|uprising|revolution|crisis|insurgency)\b
    | \bsince\s+(?:(?:january|february|march|april|may|june|july|august|september|october
                  |november|december)\s+)?(?:19|20)\d\d\b
    | \b(?:war|conflict|uprising|revolution|crisis|insurgency)\s+(?:(?:which|that)\s+)?
        (?:has|had|have)\s+(?:so\s+far\s+)?(?:killed|left|claimed|displaced|forced|wounded
        |driven)\b
    | \b(?:war|conflict)(?:'s|’s)\s+(?:total|overall|death|toll)\b
    | \b(?:so\s+far\s+this|earlier\s+this|last|previous|past)\s+(?:year|month)s?\b
    | \bthis\s+year\b
    | \b(?:in|within|over)\s+(?:one|a|a\s+single|the\s+past|the\s+last)\s+(?:week|month|year)\b
    | \b(?:in|within|over|during)\s+the\s+(?:past|last|previous)\s+(?:\w+\s+)?
        (?:weeks|months|years)\b
    | \bin\s+(?:total|all)\b(?=.*\bsince\b)
    | \bin\s+(?:a|an)\s+(?:similar|separate|earlier|previous|unrelated)\b
    | \b(?:a|an)\s+(?:similar|separate|earlier|previous|unrelated)\s+(?:attack|incident|
        shooting|strike|bombing|raid)\b
    | \b(?:separate|unrelated|other)\s+(?:attacks|incidents|shootings|strikes|bombings|raids)\b
    | \b(?:across|around|throughout)\s+the\s+(?:[\w-]+\s+)?(?:city|country|nation|state|region
        |county)\b(?!\s+lines?\b)  # "across the war-battered country": a whole
    | \bin\s+(?:several\s+|multiple\s+)?(?:shootings|incidents)\b  # a tally of several
    | \b(?:two|three|four|five|six|seven|eight|nine|ten|\d+|several|multiple)\s+
        (?:separate\s+)?shootings\b  # "three shootings left two dead": several incidents
    | \b(?:spate|string|series|rash|wave)\s+of\s+(?:\w+\s+)?shootings\b
    | \b(?:years|months|weeks)\s+ago\b
    | \b(?:initial|early|earlier|first)\s+reports?\b.*\b(?:but|however|since|later)\b
    | \b(?:has|have)\s+been\s+(?:killed|wounded|injured|shot)\b.*\b(?:in|during|throughout)\s+
        (?:january|february|march|april|may|june|july|august|september|october|november
        |december)\b(?!\s+\d)  # "100 civilians have been killed in August": a month's tally
        # "in initial reports police said five were wounded, but two have since died"
    | \b(?:three|four|five|six|seven|eight|nine|ten|[3-9]|\d\d+|several)\s+(?:days|weeks|months
        |years)\s+of\s+(?:\w+\s+)?(?:air\s*strikes|strikes|raids|air\s+raids|bombing|bombardment
        |shelling|fighting|clashes|violence|attacks)\b  # a week's toll, not a day's incident
    | \bdeadliest\b
    """
)


# Where or when some of the dead died: "one victim was pronounced dead at the scene", "two
# died at the hospital". Such a count is of those who died there, a part of the toll, read
# as a minimum. Chosen by hand from the grammar of such sentences, not fitted to any set.
DIED_WHERE = re.compile(
    r"""(?ix)
      \b(?:died|dead|killed)\s+(?:at|on)\s+the\s+scene\b
    | \b(?:died|dead)\s+(?:at|in)\s+(?:the\s+|a\s+|an\s+(?:area\s+|local\s+)?)?hospitals?\b
    | \b(?:died|dead)\s+(?:up)?on\s+arrival\b
    | \b(?:died|dead)\s+(?:on\s+the\s+way|en\s+route)\b
    """
)


def count_slot(
    event: str | None, counted_class: str | None, sentence: str, unit: str | None = None
) -> Slot | None:
    """The card slot a count of `counted_class` linked to `event` fills, if any."""
    slot = SLOT_OF_EVENT.get(event or "")
    if slot is None or counted_class not in CATEGORY_OF_CLASS or unit is not None:
        return None  # not a count of people (strikes, trucks, homes, "a 38-year-old woman")
    if slot is Slot.DETAINED and KIDNAP_WORDS.search(sentence):
        return Slot.KIDNAPPED
    if slot is Slot.EVACUATED and DISPLACED_WORDS.search(sentence):
        return Slot.DISPLACED
    return slot


def tells_where_some_died(sentence: str) -> bool:
    """Whether a count of the dead in `sentence` counts those who died in one place or at
    one time ("two died at the scene"): a part of the toll, not all of it."""
    return DIED_WHERE.search(sentence) is not None


def count_category(counted_class: str | None, counted: str | None) -> Category:
    """Who a count of people counts: "12 civilians" civilians, "two police officers" police."""
    words = set(re.findall(r"[a-z]+", (counted or "").lower()))
    if words & POLICE_WORDS:
        return Category.POLICE
    return CATEGORY_OF_CLASS.get(counted_class, Category.PEOPLE)


def sentence_scope(sentence: str) -> Scope:
    """Background when the sentence tells of a span of time or a whole beyond the incident."""
    return Scope.BACKGROUND if BACKGROUND.search(sentence) else Scope.INCIDENT
