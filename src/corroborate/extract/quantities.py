"""Counts linked to what they count and to the event they belong to, through the parse.

"return remains of eight Lebanese soldiers" -> 8, counted "Lebanese soldiers", event remains;
"nine soldiers held by ISIS" -> 9, counted "soldiers", event held; "70 to 80 of them" ->
counted "them" (unresolved); "the death toll rose to 16" -> 16, event killed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from corroborate.extract.dates import MONTHS
from corroborate.extract.numbers import NumberExpression, find_numbers
from corroborate.lexicon import word_set
from corroborate.model import Change, CountKey
from corroborate.nlp import doc_text
from corroborate.units import canonical_unit

# Verbs that leave their object in a state ("left three dead", "leaving six wounded"): the
# state, not the verb, is the event.
RESULT_VERBS = frozenset({"leave"})
# States a count of people is left in that are casualties.
CASUALTY_STATES = frozenset({"dead", "wounded", "injured", "hurt"})

# Event classes: the lemmas that name each kind of event a count belongs to.
EVENT_WORDS: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        # "the elimination of 34 terrorists", "neutralised 20 militants": military reports'
        # words for killing
        "killed": "kill die dead death toll fatality execute slay massacre murder behead perish "
        "killed executed life eliminate elimination neutralize neutralise liquidate",
        "wounded": "wound injure injured hurt injury wounded hospitalize hospitalized graze",
        "remains": "body remains remain corpse",
        "held": "hold abduct kidnap capture detain captive hostage seize imprison arrest "
        "abductee prisoner held detainee",
        "evacuated": "evacuate leave flee displace transfer carry cross evacuation depart "
        "relocate board evacuee refugee",
        "attacked": "strike airstrike raid attack bomb shell target fire launch drop bombard pound",
        "freed": "free release liberate rescue",
        "missing": "missing disappear",
        "affected": "suffer affect",
        "destroyed": "destroy damage demolish raze flatten",
    }.items()
}
# What is counted: noun lemmas grouped into classes that may be compared with each other.
NOUN_CLASSES: dict[str, frozenset[str]] = {
    name: frozenset(words.split())
    for name, words in {
        "person": "people person individual persons human victim adult male female",
        "civilian": "civilian resident inhabitant villager citizen worker volunteer journalist "
        "driver employee student pupil teacher patient farmer passenger worshipper shopper "
        "bystander pedestrian customer patron partygoer",
        "child": "child kid boy girl minor infant baby juvenile teen teenager",
        "woman": "woman",
        "man": "man",
        "soldier": "soldier troop serviceman personnel officer conscript guard army",
        "militant": "militant jihadist terrorist fighter extremist insurgent gunman mercenary "
        "bomber attacker assailant",
        "rebel": "rebel",
        "medic": "medic doctor nurse staff paramedic",
        "family": "family",
        # Acts of attack and what they fire are counted apart: "two suicide car bombs" and
        # "at least 300 shells" are two counts, "182 strikes" and "182 airstrikes" one.
        "strike": "strike airstrike raid attack bombing sortie",
        "projectile": "missile rocket shell mortar",
        "bomb": "bomb",
        "building": "building house home hospital school mosque",
        "place": "village town neighbourhood neighborhood district city area",
    }.items()
}
# Nouns whose "of" names people hurt: "the death of eight".
CASUALTY_NOUNS = word_set("death injury killing wounding execution")
# Nouns that count people by what happened to them: "four deaths", "two injuries".
CASUALTY_COUNT_NOUNS = word_set("death fatality injury")
# Words that, right after a number, are what it counts: "26 injured", "31 killed".
CASUALTY_WORDS = frozenset(
    ["dead", "killed", "wounded", "injured", "missing", "hurt", "displaced", "captured"]
)
UNIT_NOUNS = frozenset(
    [
        "kilometre",
        "kilometer",
        "km",
        "mile",
        "metre",
        "meter",
        "hectare",
        "acre",
        "ton",
        "tonne",
        "kilogram",
        "kg",
        "litre",
        "liter",
        "barrel",
        "dollar",
        "euro",
        "pound",
        "lira",
        "pound",
        "yen",
        "percent",
        "per",
        "cent",
        "degree",
        "minute",
        "hour",
        "day",
        "week",
        "month",
        "year",
    ]
)
TIME_UNITS = frozenset(["minute", "hour", "day", "week", "month", "year", "decade", "century"])
# Words before a period of time that make it a when ("in the past two days"), not a count.
RELATIVE_PERIOD_WORDS = word_set("past last next previous coming recent following")
# Ages: "aged 42"; "<name>, 42," beside a name or a person noun. No one is this old.
AGE_WORDS = word_set("aged age ages")
AGE_HOLDERS = word_set(
    "man woman boy girl teen teenager victim son daughter suspect resident male female "
    "person juvenile adult child"
)
AGES_BEFORE = re.compile(r"(?i)\bages\s+(?:\d{1,3}(?:\s*(?:,|and|or)\s*)+)+$")
# "13 and 17 years of age", "15 and 16 years old": ages told together.
AGES_TOGETHER_AFTER = re.compile(
    r"^\s*(?:,|and|or|to|-)\s*(?:\d{1,3}\s*(?:,|and|or)\s*)*\d{1,3}\s*(?:-?\s*years?\s*(?:-\s*)?(?:of\s+age|old))"
)
# Words after which "at N" tells when or how old, not how many ("pronounced dead at 5").
DEATH_BEFORE_AT = frozenset({"dead", "died", "dies", "killed", "away"})
# How far after a number "and 17 years of age" is looked for (a list of a few ages).
AGES_AFTER_WINDOW = 80
AGE_MAX = 120
REPORTING_VERBS = frozenset(
    ["say", "tell", "report", "add", "state", "announce", "claim", "confirm", "note", "quote"]
)
# The toll "rose to 16": the number is the level a toll reached.
LEVEL_VERBS = frozenset(
    ["rise", "reach", "climb", "increase", "stand", "jump", "grow", "mount", "hit"]
)
CONTAINER_NOUNS = EVENT_WORDS["remains"] | frozenset({"toll"})
HYPOTHETICAL_MODALS = word_set("could might would may")
# "the number of fatalities rose to three": an amount of what its "of" names.
AMOUNT_NOUNS = word_set("number total count tally")
# "bringing the number of fatalities to three", "raised the toll to 12": the verb sets the
# level its object reaches.
SET_LEVEL_VERBS = word_set("bring raise push take lift put")
# "fatally shot", "shot dead", "shot to death"; and words that tell of deaths in a sentence.
FATAL_WORDS = word_set("fatally mortally dead")
# Tokens between a casualty word and a fragment that counts its fatal part ("wounded --
# two mortally": the dashes and the number).
FRAGMENT_WORDS = 4
DEATH_LEMMAS = word_set("kill die dead death fatally fatal murder")
KILLING_VERBS = word_set("kill murder slay die")
# What people hurt are said to suffer, and where they are taken (`_event_of_care`).
WOUND_NOUNS = word_set("wound injury")
HOSPITAL_NOUNS = word_set("hospital")
MORGUE_NOUNS = word_set("morgue")
# Where a verb of result leaves the living hurt: "left two dead and two others in the
# hospital", "in critical condition".
CARE_PLACES = HOSPITAL_NOUNS | word_set("condition")
CARE_VERBS = word_set(
    "take transport rush airlift fly carry drive treat admit send bring hospitalize go"
)
# "hit by bullets", "struck by gunfire", "grazed by a round": shot.
HIT_VERBS = word_set("hit strike graze")
GUNFIRE_NOUNS = word_set("bullet gunfire shot pellet round fire")
# Verbs that say the hurt are alive: "recovering from wounds", "treated and released".
SURVIVOR_VERBS = word_set("recover treat release survive")
# Verbs of the law's charges: "accused of killing two men" counts a charge.
CHARGE_VERBS = word_set("accuse charge convict indict sentence acquit")
# Things that act in a count's own words ("18 trucks carrying aid", "jets flying over"): a
# verb in "-ing" after them tells what they do, not the event they are counted in.
ACTING_THINGS = word_set(
    "truck lorry vehicle car bus convoy tank plane jet aircraft helicopter drone ship boat "
    "train missile rocket"
)
# Nouns that count members of what follows ("members of staff") or say nothing ("others").
MEMBER_NOUNS = word_set("member other")
REBEL_MODIFIERS = word_set("rebel opposition")
GOVERNMENT_MODIFIERS = word_set("regime government pro-government pro-regime loyalist army")
YEAR_WORDS = word_set("in by since until till before after from during of circa")
STREET_WORDS = word_set(
    "st street rd road ave avenue way lane ln blvd boulevard drive dr place pl court ct "
    "terrace highway hwy square sq"
)
# Market indices named by a number: "S&P 500", "sp 500", "FTSE 100", "Stoxx 600".
INDEX_NAMES = word_set(
    "s&p sp p ftse nasdaq stoxx dax cac nikkei asx dow russell kospi sensex topix nifty "
    "ibex aex smi"
)
# Words before "one" that make it a pronoun: "each one", "no one", "the same one".
PRONOUN_ONE_BEFORE = word_set(
    "each no any every this that the same which another only little big last first new old "
    "someone anyone"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a sentence with what it counts and the event it belongs to.

    `unit` is the unit of measure ("km", "$", "percent"), which alignment keys on;
    `unit_text` is what users read: that unit, or else the counted noun as written.
    """

    number: NumberExpression
    start: int  # offsets into the paragraph the doc was made from
    end: int
    counted: str | None
    counted_class: str | None
    event: str | None
    unit: str | None
    unit_text: str | None = None

    @property
    def change(self) -> Change:
        return self.number.change


def find_quantities(sentence: Any) -> Iterator[Quantity]:
    """The quantities in one spaCy sentence span; dates, years, times, ages, periods of time
    ("in the past two days") and names left out."""
    doc = sentence.doc
    base = sentence.start_char
    previous: tuple[Quantity, Any] | None = None
    for number in find_numbers(sentence.text):
        start, end = base + number.start, base + number.end
        tokens = doc.char_span(start, end, alignment_mode="expand")
        if tokens is None or len(tokens) == 0:
            continue
        if _is_not_a_quantity(number, tokens, sentence, start):
            continue
        quantity = _link(number, tokens, start, end)
        if _is_relative_period(quantity, tokens, sentence):
            continue
        if quantity.event is None and previous is not None:
            before, before_tokens = previous
            if _part_of_before(tokens) or (
                _counted_as_one(before_tokens, tokens) and _part_of_before(before_tokens)
            ):
                # "a toll of 36 dead among them 15 children and four teachers": told of as
                # the count before them, wherever the parser (on a scrape that lost its
                # comma) hung them
                quantity = replace(quantity, event=before.event)
        previous = (quantity, tokens)
        yield quantity


PART_OF_BEFORE = (("among", "them"), ("among", "whom"), ("of", "whom"))


def _counted_as_one(first: Any, then: Any) -> bool:
    """Whether two counts' nouns are joined by "and": "15 children and four teachers"."""
    noun, first_noun = then[-1].head, first[-1].head
    return bool(noun.dep_ == "conj" and noun.head.i == first_noun.i)


def _part_of_before(tokens: Any) -> bool:
    """Whether the count opens with "among them" / "of whom": a part of the count before."""
    doc, first = tokens.doc, tokens[0].i
    before = tuple(t.lower_ for t in doc[max(0, first - 2) : first])
    return before in PART_OF_BEFORE


def _is_relative_period(quantity: Quantity, tokens: Any, sentence: Any) -> bool:
    """ "in the past two days", "over the next 48 hours": when, not how many."""
    unit = (quantity.unit or "").lower()
    if unit.removesuffix("s") not in TIME_UNITS:
        return False
    before = tokens.doc[tokens.start - 1] if tokens.start > sentence.start else None
    return before is not None and before.lower_ in RELATIVE_PERIOD_WORDS


def _is_not_a_quantity(number: NumberExpression, tokens: Any, sentence: Any, start: int) -> bool:
    doc = tokens.doc
    if any(t.like_url or t.like_email or "@" in t.text for t in tokens):
        return True
    before = doc[tokens.start - 1] if tokens.start > sentence.start else None
    after = doc[tokens.end] if tokens.end < sentence.end else None
    neighbours = [t.lower_.strip(".") for t in (before, after) if t is not None]
    if any(word in MONTHS for word in neighbours) and not number.written_in_words:
        return True  # "August 19", "19 Aug", "Sept. 20-24"; not "in early October four bombers"
    if _is_year(number, before, after):
        return True
    if _is_age(number, tokens, before, after):
        return True  # "John Smith, 42, and Mary Jones, 57, were killed": ages, not tolls
    if after is not None and _starts_an_address(after):
        return True  # "49 Zorro Ranch Road", "9 E 71st St"
    if (
        before is not None
        and before.lower_ == "at"
        and before.i > 0
        and doc[before.i - 1].lower_ in DEATH_BEFORE_AT
        and number.unit is None
        and (after is None or after.pos_ not in {"NOUN", "PROPN"})
    ):
        return True  # "pronounced dead at 5", "died at 85": a point in time or an age
    if not number.prefixed and _joined_to_a_name(doc_text(doc), start):
        return True  # "F-35", "TA-125", "COVID-19", "a production-four-door"
    if (
        number.unit is None
        and not number.prefixed
        and not number.written_in_words  # "Game 2", but "in early October four bombers"
        and before is not None
        and _names_a_thing(before, first_in_sentence=before.i == sentence.start)
    ):
        return True  # "Game 2", "iPhone 11", "S&P 500", "Section 427", "No. 1"
    if number.text.lower() == "one":
        # "one of the", "one man" count; "each one", "no one", "the same one" are pronouns
        if before is not None and before.lower_ in PRONOUN_ONE_BEFORE:
            return True
        return after is not None and after.lower_ in {"another", "by", "'s", "’s"}
    return False


def _is_year(number: NumberExpression, before: Any, after: Any) -> bool:
    values = [number.value] if number.value is not None else [number.low, number.high]
    if number.unit is not None or number.written_in_words or "," in number.text:
        return False
    # "by 2120", "in 1907": a preposition of time widens the years a bare number may be
    earliest, latest = (
        (1000, 2199) if before is not None and before.lower_ in YEAR_WORDS else (1800, 2100)
    )
    if not all(isinstance(v, int) and earliest <= v <= latest for v in values):
        return False
    # "2000 Calories", "1900 troops" are counts; "in 2019", "2020 Escape" are years
    return after is None or not (after.pos_ == "NOUN" and after.tag_ == "NNS")


def _is_age(number: NumberExpression, tokens: Any, before: Any, after: Any) -> bool:
    """A person's age: "aged 42", "<name>, 42,", "Smith (42)"."""
    value = number.value if number.value is not None else number.low
    if number.unit is not None or not isinstance(value, int) or not 0 < value < AGE_MAX:
        return False
    if before is not None and before.lower_ in AGE_WORDS:
        return True
    text = doc_text(tokens.doc)
    if AGES_BEFORE.search(text[max(0, tokens[0].idx - 60) : tokens[0].idx]):
        return True  # "ages 25, 26, and 33"
    end = tokens[-1].idx + len(tokens[-1])
    if AGES_TOGETHER_AFTER.match(text[end : end + AGES_AFTER_WINDOW]):
        return True
    last = tokens[-1]
    if last.dep_ == "appos" and (
        last.head.pos_ == "PROPN" or last.head.lemma_.lower() in AGE_HOLDERS
    ):
        return True
    if before is None or after is None or before.i == 0:
        return False
    name = before.doc[before.i - 1]
    enclosed = (before.text, after.lower_) in {
        (",", ","),
        (",", ")"),
        ("(", ")"),
        (",", "."),
        (",", "and"),  # "Lindsay, 24 and Duncan, 23"
    }
    return enclosed and (name.pos_ == "PROPN" or name.lemma_.lower() in AGE_HOLDERS)


def _starts_an_address(after: Any) -> bool:
    doc = after.doc
    for token in doc[after.i : min(after.i + 4, len(doc))]:
        if token.text.strip(".").lower() in STREET_WORDS and token.i > after.i:
            return True
        if not (
            token.pos_ == "PROPN"
            or token.is_title
            or re.fullmatch(r"\d+(?:st|nd|rd|th)", token.text)
        ):
            return False
    return False


def _joined_to_a_name(text: str, start: int) -> bool:
    joined = re.search(r"([A-Za-z]+)-$", text[max(0, start - 12) : start])
    return joined is not None and joined.group(1).lower() not in {"sub", "minus", "mid"}


def _names_a_thing(before: Any, *, first_in_sentence: bool) -> bool:
    """Whether the word before a bare number makes it part of a name: "Row 21", "sp 500"."""
    text = before.text
    if text in {"No.", "No", "#", "number", "Number", "nr.", "Nr."}:
        return True
    if text.lower() in INDEX_NAMES:
        return True
    # (not `Token.is_sent_start`: it scans the whole doc for sentence annotation on each call)
    if first_in_sentence:
        return False
    return before.pos_ == "PROPN" or before.is_title or any(c.isupper() for c in text[1:])


def _link(number: NumberExpression, tokens: Any, start: int, end: int) -> Quantity:
    doc = tokens.doc
    last = tokens[-1]
    after = doc[tokens.end] if tokens.end < len(doc) else None
    noun = _counted_noun(last, after, tokens)
    unit = number.unit
    counted: str | None
    if noun is not None and noun.lemma_.lower() in UNIT_NOUNS and unit is None:
        unit = _phrase(noun, tokens)
        noun = _of_object(noun)
    if noun is None and after is not None and after.lower_ in CASUALTY_WORDS:
        counted, counted_class = after.text, "person"
        event = _event_of_word(after)
    elif any(c.lower_ in FATAL_WORDS for c in last.children) or last.head.lower_ in FATAL_WORDS:
        counted, counted_class, event = None, "person", "killed"  # "(five shot,) one fatally"
    elif noun is None and after is not None and after.lower_ == "of":
        # "70 to 80 of them": the pronoun is kept as written, unresolved
        pronoun = next((t for t in after.children if t.dep_ == "pobj"), None)
        counted = pronoun.text if pronoun is not None else None
        counted_class = None
        event = _event_from_head(last)
    elif noun is not None and noun.lemma_.lower() in CASUALTY_COUNT_NOUNS:
        # "four deaths", "two fatalities", "three injuries": people, and the event itself
        counted, counted_class = _phrase(noun, tokens), "person"
        event = _event_of_word(noun)
    elif noun is not None:
        counted = _phrase(noun, tokens)
        # "eight bodies": the container says what happened, not who the bodies were
        counted_class = None if noun.lemma_.lower() in CONTAINER_NOUNS else _noun_class(noun)
        event = _event_of_noun(noun)
        if last.dep_ == "nummod" and last.head.i < last.i and last.head.i != noun.i:
            # "In the attack 29 of the 31 lorries were destroyed", parsed with "29" under
            # "attack": a figure after its head starts a phrase of its own, and the clause's
            # verb says what befell it
            event = _event_from_head(last.head) or event
        if _one_of_a_group(after, noun):
            event = None  # "she was one of the women killed": no toll of the women
    else:
        counted, counted_class, event = None, None, _event_from_head(last)
        if last.head.lower_ == "of" and last.head.head.lemma_.lower() in CASUALTY_NOUNS:
            counted_class = "person"  # "the death of eight", "the injury of 89": people
    if noun is not None and unit is None:
        unit = _rate_after(noun)  # "150 strikes per day", "20 people a day": a rate
    if event is None and counted_class in ATTACK_CLASSES:
        # "carried out 182 airstrikes", "dealt 182 strikes": the noun names the event
        event = "attacked"
    return Quantity(number, start, end, counted, counted_class, event, unit, unit or counted)


# Classes of what attacks are counted in.
ATTACK_CLASSES = frozenset({"strike", "projectile", "bomb"})
RATE_WORDS = frozenset({"per", "a", "each", "every"})
RATE_PERIODS = frozenset({"day", "night", "week", "month", "year", "hour"})


def _rate_after(noun: Any) -> str | None:
    """ "per day" when the counted noun is told per span of time ("up to 150 strikes per day",
    "killing 20 people a day"): a rate, never a count of the incident."""
    doc = noun.doc
    if noun.i + 2 >= len(doc):
        return None
    word, period = doc[noun.i + 1], doc[noun.i + 2]
    if word.lower_ in RATE_WORDS and period.lemma_.lower() in RATE_PERIODS:
        return f"per {period.lemma_.lower()}"
    return None


def _one_of_a_group(after: Any, noun: Any) -> bool:
    """Whether the count picks members out of a group that the event befell: "one of the
    women killed", "one of two young women shot to death" tell of the women, and the figure
    is no toll. ("Two of the victims died" is a toll: the event is the figure's own verb.)"""
    if after is None or after.lower_ != "of" or noun.head.i != after.i:
        return False
    told_apart = any(
        child.dep_ in {"det", "nummod", "poss"} and child.i < noun.i for child in noun.children
    )
    return told_apart and any(
        child.dep_ in {"acl", "relcl", "amod"} and _event_of_word(child) for child in noun.children
    )


def _counted_noun(last: Any, after: Any, tokens: Any) -> Any:
    if after is not None and after.lower_ == "of":
        pobj = next((t for t in after.children if t.dep_ == "pobj"), None)
        if pobj is not None and pobj.pos_ in {"NOUN", "PROPN"} and tokens[-1].pos_ != "NOUN":
            return pobj  # "dozens of people", "hundreds of mortar bombs"
        return None  # "70 to 80 of them": the pronoun is resolved by the caller
    head = last.head
    counts_head = last.dep_ in {"nummod", "quantmod", "compound", "amod"} and head.i > last.i
    if counts_head and head.pos_ in {"NOUN", "PROPN"}:
        return head
    if after is not None and after.pos_ in {"NOUN", "PROPN"} and after.lower_ not in CASUALTY_WORDS:
        candidate = after
        while candidate.dep_ in {"compound", "amod"} and candidate.head.i > candidate.i:
            candidate = candidate.head
        if candidate.pos_ in {"NOUN", "PROPN"}:
            return candidate
    return None


def _of_object(noun: Any) -> Any:
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((t for t in child.children if t.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
    return None


def _phrase(noun: Any, exclude: Any) -> str:
    """The counted noun with its compound and adjective modifiers: "Lebanese soldiers"."""
    excluded = set(range(exclude.start, exclude.end))
    start = noun.i
    for child in sorted(noun.lefts, key=lambda t: -t.i):
        if child.i in excluded or child.dep_ not in {"compound", "amod", "nmod", "npadvmod"}:
            break
        if child.i != start - 1 and not all(
            noun.doc[j].dep_ in {"compound", "amod", "punct", "nmod"} for j in range(child.i, start)
        ):
            break
        start = child.left_edge.i if child.left_edge.i not in excluded else child.i
    return str(noun.doc[start : noun.i + 1].text)


def _noun_class(noun: Any) -> str | None:
    lemma = str(noun.lemma_).lower()
    if lemma == "case":
        return "person"  # "35 cases of suffocation": people affected
    if lemma in MEMBER_NOUNS:
        # "15 members of medical staff": the class is in the "of"
        of_object = _of_object(noun)
        return _noun_class(of_object) if of_object is not None else None
    modifiers = {c.lemma_.lower() for c in noun.children if c.dep_ in {"compound", "amod"}}
    if modifiers & REBEL_MODIFIERS:
        return "rebel"
    if modifiers & GOVERNMENT_MODIFIERS:
        return "soldier"  # "regime fighters", "pro-government militiamen"
    for name, words in NOUN_CLASSES.items():
        if lemma in words:
            return name
    return lemma


def event_of_lemma(lemma: str) -> str | None:
    """The event class a word names ("murder": killed, "abduct": held), if any."""
    return next((name for name, words in EVENT_WORDS.items() if lemma in words), None)


def _event_of_word(token: Any) -> str | None:
    lemma, lower = token.lemma_.lower(), token.lower_
    if any(c.dep_ == "prt" for c in token.children):
        return None  # "carried out six strikes", "blew up": the phrasal verb is not the event
    if lemma == "shoot" and token.pos_ == "VERB":
        return _shooting_event(token)
    for name, words in EVENT_WORDS.items():
        if name == "remains" and token.pos_ != "NOUN":
            continue  # "two remain in critical condition": the verb, not the dead's remains
        if lemma in words or lower in words:
            if name == "wounded" and _partitive_fatal_near(token) is not None:
                return "hit"  # "six people wounded -- two mortally": all hit, some killed
            return name
    return None


def _shooting_event(verb: Any) -> str | None:
    """People "shot": killed when fatally ("four men fatally shot", "shot dead"), hit
    when the sentence tells of no death ("three people were shot"); a count of people shot
    beside deaths ("five shot, two fatally") counts both, so it fills neither."""
    if verb.tag_ == "VBG":
        return None  # "two boys were shooting at crows": the shooters, not the shot
    children = list(verb.children)
    if partitive_fatal(verb) is not None:
        return "hit"  # "six people were shot, two of them fatally": all hit, not all killed
    fatal = any(c.lower_ in FATAL_WORDS for c in children) or any(
        c.lower_ == "to" and any(g.lower_ == "death" for g in c.children) for c in children
    )
    # "three people were shot and killed": the coordinated verb tells the outcome
    fatal = fatal or any(
        c.dep_ == "conj" and c.lemma_.lower() in KILLING_VERBS and not _acts_on_other(c)
        for c in children
    )
    if fatal:
        return "killed"
    sentence = {t.lemma_.lower() for t in verb.sent}
    # "shot": hit, and not said to have died here; whether any died is the report's to tell
    # (`extract._hit_not_wounded`)
    return None if sentence & DEATH_LEMMAS else "shot"


def _acts_on_other(verb: Any) -> bool:
    """ "shot and killed a man", "shot and one died": the coordinated verb has its own
    object or subject, so it does not tell what happened to the shot."""
    return any(c.dep_ in {"dobj", "nsubj", "nsubjpass"} for c in verb.children)


def partitive_fatal(verb: Any) -> Any:
    """The count of the dead among those shot, when the sentence gives one: "two of them
    fatally", "one fatally" (the parser hangs the number on the adverb or the adverb on the
    number); None when the whole count was killed ("four men were fatally shot")."""
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    # "six people, two of them fatally, were shot": the parser may hang the part on the
    # subject as an apposition
    children = [*verb.children, *(c for s in subjects for c in s.children if c.dep_ == "appos")]
    for child in children:
        if child.lower_ in FATAL_WORDS:
            number = next((g for g in child.children if g.like_num), None)
            if number is not None:
                return number
        if child.like_num and any(g.lower_ in FATAL_WORDS for g in child.children):
            return child
        if child.dep_ in {"npadvmod", "appos", "dep", "conj"} and child.like_num:
            fatal = next((g for g in child.subtree if g.lower_ in FATAL_WORDS), None)
            if fatal is not None:
                return child  # "wounded -- two mortally": the parser's fragment
    return None


def _partitive_fatal_near(token: Any) -> Any:
    """`partitive_fatal` of the word or of the verb it hangs from ("leaving six people
    wounded -- two mortally": the parser hangs "two mortally" on "leaving")."""
    current = token
    for _ in range(3):
        found = partitive_fatal(current)
        if found is not None or current.head is current:
            break
        current = current.head
        if current.pos_ == "VERB":
            found = partitive_fatal(current)
            break
    return found if found is not None else _fatal_part_after(token)


def _fatal_part_after(token: Any) -> Any:
    """ "wounded -- two mortally", "shot, one fatally" right after the word, wherever the
    parser hangs the fragment: the number, or None."""
    doc = token.doc
    end = min(token.i + 1 + FRAGMENT_WORDS, token.sent.end)
    for t in doc[token.i + 1 : end]:
        if t.like_num and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in FATAL_WORDS:
            return t
        if t.is_alpha and not t.like_num:
            return None  # another word first: no fragment
    return None


def _event_of_noun(noun: Any, depth: int = 0) -> str | None:
    """The event a counted noun takes part in, most specific clue first."""
    own = _event_of_word(noun) if noun.lemma_.lower() in CONTAINER_NOUNS else None
    if own:
        return own
    if noun.lemma_.lower() in AMOUNT_NOUNS:
        of = _of_object(noun)
        return (_event_of_word(of) or _event_of_noun(of, depth + 1)) if of is not None else None
    if depth > 2:
        return None
    # "remains of eight soldiers", "bodies of 12 fighters": the container names the event
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        container = _event_of_word(noun.head.head)
        if container == "remains" or noun.head.head.lemma_.lower() in CONTAINER_NOUNS:
            return container
    for child in noun.children:
        if child.dep_ in {"acl", "relcl", "amod"}:
            if child.tag_ == "VBG" and noun.lemma_.lower() in ACTING_THINGS:
                continue  # "18 trucks carrying aid": what the trucks do, not what befell them
            event = _event_of_word(child)
            if event:
                return event
    return _event_from_head(noun, depth + 1)


def _event_from_head(token: Any, depth: int = 0) -> str | None:
    """Walk up the parse to the verb (or event noun) that governs the count."""
    current = token
    for _ in range(8):
        head = current.head
        if head is current:
            return _event_of_word(current) if current.pos_ in {"VERB", "ADJ", "NOUN"} else None
        lemma = head.lemma_.lower()
        if lemma == "include" and head.dep_ == "prep":
            current = head  # "23 civilians, including nine children, dead": a part of the
            continue  # counted group, told of by what the group is told of
        if head.pos_ in {"VERB", "AUX", "ADJ"}:
            if _hypothetical(head):
                return None  # "could have resulted in injuries to hundreds of bystanders"
            if lemma in LEVEL_VERBS:
                # "the toll hit 16" (not "five people were hit by bullets")
                subject = next((c for c in head.children if c.dep_ == "nsubj"), None)
                if subject is not None:
                    return _event_of_noun(subject, depth + 1) or _event_of_word(subject)
            if lemma == "be":
                among = _among_object(head)
                if among is not None:
                    # "four children were among the dead": the group names the event
                    return _event_of_word(among) or _event_of_noun(among, depth + 1)
                if current.dep_ in {"nsubj", "nsubjpass"} and (state := _event_of_complement(head)):
                    return state  # "two are dead"
                current = head
                continue
            if lemma in SET_LEVEL_VERBS and current.lower_ == "to":
                level = next((c for c in head.children if c.dep_ == "dobj"), None)
                if level is not None and (event := _event_of_noun(level, depth + 1)):
                    return event  # "bringing the number of fatalities to three"
            if lemma in REPORTING_VERBS:
                return None
            if lemma in RESULT_VERBS and (state := _state_left_in(head, token)) is not None:
                return state  # "leaving 23 civilians dead", "left eight people wounded"
            event = _event_of_word(head) or _event_of_complement(head)
            if event in (None, "affected", "attacked"):
                # "attacked": "struck by gunfire" is people shot, not strikes
                event = _event_of_care(head) or event
            if event is not None and _charged(head):
                return None  # "accused of killing two men": a charge, not the toll
            if event or head.pos_ == "VERB":
                return event
        if head.pos_ == "NOUN" and lemma in CONTAINER_NOUNS:
            return _event_of_word(head)
        if head.pos_ == "NOUN" and current.lower_ == "of" and (event := _event_of_word(head)):
            return event  # "the death of eight", "the injury of 89"
        current = head
    return None


def _hypothetical(verb: Any) -> bool:
    """What might have happened: "could have killed dozens", "might have injured hundreds",
    "would have died" (a modal with a perfect "have"): no toll."""
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}}
    return bool(auxiliaries & HYPOTHETICAL_MODALS) and "have" in auxiliaries


def _charged(verb: Any) -> bool:
    """Whether a verb tells what someone is charged with ("accused of killing two men",
    "charged with wounding three"): the charge, which may be a part of the toll."""
    prep = verb.head
    return verb.dep_ == "pcomp" and prep.dep_ == "prep" and prep.head.lemma_.lower() in CHARGE_VERBS


def _state_left_in(verb: Any, counted: Any) -> str | None:
    """The state a verb of result leaves `counted` in, where a casualty word tells it:
    "leaving 23 civilians - including nine children - dead" (the parser may hang "dead" on
    any word of the object), "left eight people, including themselves, wounded". With
    several objects each takes the first state after it: "left two men dead and four
    others injured"."""
    states = [
        t
        for right in verb.rights
        for t in right.subtree
        if t.pos_ in {"ADJ", "VERB"} and t.lower_ in CASUALTY_STATES
    ]
    after = [t for t in states if t.i > counted.i]
    if not after and _left_in_care(verb, counted):
        return "wounded"  # "left two women dead and two others in the hospital"
    state = after[0] if after else states[-1] if states else None
    return _event_of_word(state) if state is not None else None


def _left_in_care(verb: Any, counted: Any) -> bool:
    """Whether a verb of result leaves `counted` in care, alive: "(left two dead and) two
    others in the hospital", "three others in critical condition"."""
    return any(
        t.lower_ == "in"
        and t.dep_ == "prep"
        and t.i > counted.i
        and any(g.lemma_.lower() in CARE_PLACES for g in t.children if g.dep_ == "pobj")
        for right in verb.rights
        for t in right.subtree
    )


def _event_of_complement(verb: Any) -> str | None:
    """ "four people were found shot to death", "found dead": the event is the verb's
    complement, not the verb."""
    for child in verb.children:
        if child.dep_ in {"xcomp", "oprd", "acomp"}:
            event = _event_of_word(child)
            if event:
                return event
    return None


def _event_of_care(verb: Any) -> str | None:
    """People hurt, told by their wounds or their care: "suffered gunshot wounds", "recovering
    from injuries", "treated for wounds", "taken to the hospital" are hit, as "shot" is
    (some of them may have died: `extract._hit_not_wounded`); "taken to the morgue" are
    dead. A sentence that also tells of deaths leaves the count to neither, as
    for "shot" ("five were taken to hospital, where two died")."""
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    objects += [
        g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
    ]
    lemmas = {o.lemma_.lower() for o in objects}
    agents = {g.lemma_.lower() for c in verb.children if c.dep_ == "agent" for g in c.children}
    if verb.lemma_.lower() in HIT_VERBS and agents & GUNFIRE_NOUNS:
        return "shot"  # "five people were hit by bullets", "struck by gunfire"
    if lemmas & MORGUE_NOUNS:
        return "killed"
    cared = bool(lemmas & WOUND_NOUNS) or (
        bool(lemmas & HOSPITAL_NOUNS) and verb.lemma_.lower() in CARE_VERBS
    )
    if not cared or {t.lemma_.lower() for t in verb.sent} & DEATH_LEMMAS:
        return None
    if verb.lemma_.lower() in SURVIVOR_VERBS:
        return "wounded"  # "recovering from gunshot wounds", "treated for injuries": alive
    return "shot"  # hit: wounded unless the report tells of deaths, as for "shot"


def _among_object(verb: Any) -> Any:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "among":
            return next((t for t in child.children if t.dep_ == "pobj"), None)
    return None


def quantity_key(event: str | None, counted_class: str | None, unit: str | None) -> CountKey:
    """What alignment compares a count by: event, counted class, canonical unit."""
    return CountKey(event, counted_class, canonical_unit(unit) or "")
