"""Counts written without a number, read from the parse of a sentence.

"A man was shot and killed" is 1 killed; "a man and a woman were found dead" is 2 killed;
"no one else was injured" is 0 wounded; "nobody was hurt" is 0 wounded; "there were no other
injuries" is 0 wounded. A victim named without a number is a lower bound (other victims may
be told of elsewhere); "no one" is an exact zero.

Only the casualty slots (killed, wounded) are read this way: they are what a reader takes
from such sentences. A sentence whose verb is negated ("the victim was not injured") says
nothing of the toll and gives nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from corroborate.extract.numbers import find_numbers
from corroborate.extract.quantities import (
    CASUALTY_STATES,
    FATAL_WORDS,
    WOUND_NOUNS,
    partitive_fatal,
)
from corroborate.lexicon import word_set
from corroborate.model import Slot

KILL_LEMMAS = word_set("kill slay murder execute behead")
DIE_LEMMAS = word_set("die perish")
WOUND_LEMMAS = word_set("wound injure hurt hospitalize")
LIMBS = word_set("hand finger thumb arm shoulder leg thigh knee foot toe ankle hip buttock")
# "suffered minor injuries", "sustained a gunshot wound".
SUFFER_LEMMAS = word_set("suffer sustain receive")
SHOOT_LEMMAS = word_set("shoot stab")
# "found dead", "pronounced dead", "left dead": the verb's subject died.
DEAD_WORDS = word_set("dead deceased")
# "shot to death", "fatally shot", "shot dead": shooting that killed.
FATAL_MODIFIERS = FATAL_WORDS | {"death"}
CASUALTY_NOUNS_KILLED = word_set("death fatality killing murder slaying homicide")
CASUALTY_NOUNS_WOUNDED = word_set("injury")
# Singular nouns that name one person: "a man", "the victim", "a 16-year-old".
PERSON_NOUNS = word_set(
    "man woman boy girl teen teenager person victim child toddler infant baby kid student "
    "officer deputy trooper driver resident father mother son daughter brother sister wife "
    "husband girlfriend boyfriend friend neighbor neighbour customer clerk employee worker "
    "guard passenger pedestrian bystander suspect gunman shooter old adult juvenile minor "
    "individual male female soldier civilian fighter journalist doctor nurse teacher"
)
# Plural nouns that count people when written with a number: "eight adults", "two men".
PEOPLE_NOUNS = word_set("people persons")
# "six others", "two other": people, when told beside a person ("he and six others").
OTHER_PEOPLE = word_set("other others")
# A person told by a pronoun beside counted others ("he and six others were shot").
SINGULAR_SUBJECTS = word_set("he she")
WOUNDED_ADJECTIVES = word_set("wounded injured")
SLAIN_ADJECTIVES = word_set("slain murdered")
REFLEXIVES = word_set("himself herself")
RELATIVE_PRONOUNS = word_set("who that which whom")
# "a double homicide", "a quadruple murder": killings counted by their kind.
MULTIPLE_KILLINGS = word_set("homicide murder killing slaying")
# "a double shooting": that many people hit, the dead among them unknown.
MULTIPLE_SHOOTINGS = word_set("shooting")
MULTIPLES = {"double": 2, "triple": 3, "quadruple": 4, "quintuple": 5}
# The slot of each state "leave" leaves its victims in (the number finder's states), and
# the parser's links for a state told of the verb's object ("left two men dead").
LEFT_STATES = {
    state: Slot.KILLED if state in DEAD_WORDS else Slot.WOUNDED for state in CASUALTY_STATES
}
SMALL_CLAUSE = frozenset({"oprd", "acomp", "xcomp", "ccomp"})
STATE_VERBS = word_set("leave find discover")
DEFINITE_PLURAL = word_set("the these those both")
INDEFINITE_DETERMINERS = word_set("a an another one some")
# Subjects that say no one: "no one", "nobody", "none".
NOBODY = word_set("nobody none noone")


VictimKind = Literal["named", "self", "kin", "described"]
# Relatives named by whose they are: "his wife", "her mother" are two people, and neither is
# the "he" or "she" who killed them.
KIN_NOUNS = word_set(
    "wife husband mother father son daughter brother sister girlfriend boyfriend grandmother "
    "grandfather stepfather stepmother stepson stepdaughter child children cousin uncle aunt "
    "nephew niece fiancee fiance"
)


@dataclass(frozen=True, slots=True)
class ImplicitCount:
    """A count read without a written number; offsets into the parsed paragraph."""

    start: int
    end: int
    slot: Slot
    value: int
    exact: bool  # "no one was hurt" is exactly 0, "a double homicide" 2; "a man was killed"
    # is at least 1
    victim: str  # who, lowercased, to tell the same victim told twice ("" for none)
    # "the boy was shot", "Smith was shot": a victim named before, only said to be shot (not
    # wounded): in a report that tells of deaths, most likely one of the dead.
    known_victim_shot: bool = False
    # Read from written numbers ("two men and a woman were shot" is 3, "six were shot, two
    # fatally" leaves 4 wounded): kept beside the numbers it is read from.
    from_numbers: bool = False
    # Worked out rather than stated ("six shot, two fatally": 4 wounded): shown as implicit.
    derived: bool = False
    # Who the victim is, to count victims told one by one: a name, the attacker himself,
    # a relative of someone ("his wife"), or someone described ("a man", "the victim").
    victim_kind: VictimKind = "described"
    # Who did it to them, where the sentence says: the subject of "killed his wife" or of
    # "shot himself" ("" where it does not).
    by: str = ""
    # Told only as hit ("a triple shooting"): the wounded, unless the report tells of deaths,
    # when it counts the dead too (as "three people were shot" does).
    hit_only: bool = False


def find_implicit_counts(sentence: Any) -> Iterator[ImplicitCount]:
    """The killed and wounded counts a sentence states without a number, or states only
    through several numbers."""
    seen: set[tuple[int, Slot]] = set()
    for token in sentence:
        survivors = _survivors(token)
        if survivors is not None:
            yield survivors
        found = _from_verb(token) if token.pos_ in {"VERB", "AUX", "ADJ"} else None
        if found is None and token.pos_ in {"NOUN", "PROPN"}:
            found = (
                _no_casualties(token)
                or _death_of(token)
                or _multiple_killing(token)
                or _wounded_person(token)
            )
        if found is None:
            continue
        subject, slot, value, exact = found
        key = (subject.i, slot)
        if key in seen:
            continue
        seen.add(key)
        shared = (
            c
            for c in token.children
            if c.dep_ == "conj" and not _has_object(c) and not _has_subject(c)
        )
        last = max([token, *shared], key=lambda t: t.i)
        right = max([subject, *_conjuncts(subject)], key=lambda t: t.i)
        start = min(subject.left_edge.idx, token.idx)
        end = max(right.idx + len(right), last.idx + len(last))
        yield ImplicitCount(
            start=start,
            end=end,
            slot=slot,
            value=value,
            exact=exact,
            victim="" if exact else _victim_key(subject),
            victim_kind=_victim_kind(subject, token),
            by=_doer(token, subject),
            known_victim_shot=slot is Slot.WOUNDED
            and token.lemma_.lower() in SHOOT_LEMMAS
            and (_definite(subject) or subject.lower_ in REFLEXIVES),
            from_numbers=any(_has_number(m) for m in [subject, *_conjuncts(subject)]),
            hit_only=token.pos_ in {"NOUN", "PROPN"} and token.lemma_.lower() in MULTIPLE_SHOOTINGS,
        )


def _from_verb(verb: Any) -> tuple[Any, Slot, int, bool] | None:
    left = _victim_in_state(verb)
    slot = left[1] if left is not None else _casualty_slot(verb)
    if slot is None or (_negated(verb) and verb.lemma_.lower() != "survive"):
        return None
    subject = left[0] if left is not None else _victim(verb)
    if subject is None:
        return None
    if _says_nobody(subject):
        return subject, slot, 0, True
    total = numbered_total(subject)
    if total is not None:
        return subject, slot, total, True  # "two juveniles and eight adults were wounded"
    if subject.lower_ == "both":
        return subject, slot, 2, False  # "both were pronounced dead"
    if subject.lower_ in REFLEXIVES and slot is not Slot.KILLED:
        # "shot himself in the hand": wounded, unless the report tells of deaths (he may
        # be one of them: `extract._implicit_kept`)
        return subject, slot, 1, False
    if subject.lower_ in {"he", "she"} and slot is Slot.KILLED:
        # "he was pronounced dead": someone died, most likely a victim named elsewhere
        return subject, slot, 1, False
    people = _people(subject)
    if people is None:
        return None
    return subject, slot, people, False


def _victim_in_state(verb: Any) -> tuple[Any, Slot] | None:
    """Whom "leave" leaves (or "find" finds) dead or hurt, and which: "the shooting left a
    man dead", "left Monica Bates and her brother dead", "police found a man dead in his
    car" (the parser hangs the state on the verb, on its object, or makes the victim the
    state's subject). The verb's subject is the cause or the finder, never the victim."""
    if verb.lemma_.lower() not in STATE_VERBS:
        return None
    on_verb = [c for c in verb.children if c.dep_ in SMALL_CLAUSE and c.lower_ in LEFT_STATES]
    for child in verb.children:
        if child.dep_ == "dobj" and not any(_has_number(m) for m in [child, *_conjuncts(child)]):
            # (counted objects, "left two women dead and two others in the hospital", are
            # the number finder's, each with its own state)
            states = [c for c in child.children if c.dep_ in {"amod", "acl"}] + on_verb
            state = next((c for c in states if c.lower_ in LEFT_STATES), None)
            if state is not None:
                return child, LEFT_STATES[state.lower_]
    for state in on_verb:
        subject = next((c for c in state.children if c.dep_ == "nsubj"), None)
        if subject is not None and not any(_has_number(m) for m in [subject, *_conjuncts(subject)]):
            return subject, LEFT_STATES[state.lower_]
    return None


def _casualty_slot(verb: Any) -> Slot | None:
    """Killed or wounded, from the verb and its coordinated verbs ("shot and killed")."""
    # Coordinated verbs share the victim only when the other verb has none of its own:
    # "was shot and killed", not "wounded his brother and killed himself".
    # A coordinated verb with a subject of its own tells of someone else: "three were shot
    # ... Bates was pronounced dead".
    apart = [c for c in verb.children if c.dep_ == "conj" and (_has_object(c) or _has_subject(c))]
    lemmas = {verb.lemma_.lower()} | {
        c.lemma_.lower() for c in verb.children if c.dep_ == "conj" and c not in apart
    }
    if verb.dep_ == "conj" and not _has_object(verb):
        lemmas.add(verb.head.lemma_.lower())
    modifiers = {
        c.lower_
        for c in verb.subtree
        if verb.i in (c.head.i, c.head.head.i) and c not in apart and c.head not in apart
    }
    if lemmas & (KILL_LEMMAS | DIE_LEMMAS):
        return Slot.KILLED
    if verb.lemma_.lower() in SHOOT_LEMMAS | WOUND_LEMMAS and modifiers & FATAL_MODIFIERS:
        return Slot.KILLED  # "fatally shot", "fatally wounding his brother"
    if _says_dead(verb):
        return Slot.KILLED  # "found dead", "pronounced dead", "is dead"
    if verb.lemma_.lower() == "survive" and _negated(verb):
        return Slot.KILLED  # "did not survive"
    if verb.lemma_.lower() in WOUND_LEMMAS or _suffers_wounds(verb):
        return Slot.WOUNDED
    if verb.lemma_.lower() in SHOOT_LEMMAS and verb.tag_ == "VBN":
        return Slot.WOUNDED  # "a man was shot" (and not killed: checked above)
    if verb.lemma_.lower() in SHOOT_LEMMAS and _shot_self_in_a_limb(verb):
        return Slot.WOUNDED  # "shot himself in the hand"
    return None


def _shot_self_in_a_limb(verb: Any) -> bool:
    """ "accidentally shot himself in the hand": hurt, not killed. Without the limb ("shot
    himself", "shot herself in the head") it is most often a suicide: left to the report."""
    if not any(c.dep_ == "dobj" and c.lower_ in REFLEXIVES for c in verb.children):
        return False
    return any(
        c.dep_ == "prep" and any(g.lemma_.lower() in LIMBS for g in c.children)
        for c in verb.children
    )


def _suffers_wounds(verb: Any) -> bool:
    """ "suffered minor injuries", "sustained a gunshot wound": the subject was hurt."""
    return verb.lemma_.lower() in SUFFER_LEMMAS and any(
        c.dep_ == "dobj" and c.lemma_.lower() in WOUND_NOUNS for c in verb.children
    )


def _victim(verb: Any) -> Any:
    """Who was hurt: the passive subject, the subject of "die" or "is dead", the object of
    "killed" or "found ... dead", or the noun a participle describes ("a teen shot and
    killed by police")."""
    own = verb if verb.dep_ != "conj" else verb.head
    dead = _says_dead(verb) or _says_dead(own)
    for candidate in (verb, own):
        for child in candidate.children:
            if child.dep_ == "nsubjpass" and child.lower_ in RELATIVE_PRONOUNS:
                # "the man who was shot and killed": the man
                return candidate.head if candidate.dep_ == "relcl" else None
            if child.dep_ == "nsubjpass":
                return child
            if child.dep_ == "nsubj" and (
                verb.lemma_.lower() in DIE_LEMMAS | {"survive"}
                or (dead and not _has_object(candidate))  # "police found two men dead"
                or _suffers_wounds(verb)
            ):
                return child
            acts_on = candidate.lemma_.lower() in KILL_LEMMAS | SHOOT_LEMMAS | WOUND_LEMMAS
            acts_on = acts_on or dead
            if child.dep_ == "dobj" and acts_on:
                return child
    if own.dep_ == "acl" and own.tag_ == "VBN" and _one_person(own.head):
        return own.head
    return None


def _says_dead(verb: Any) -> bool:
    """ "found dead", "pronounced dead", "is dead" ."""
    # (the parser may make the state a clause: "discovered four people -- all dead")
    return any(
        c.dep_ in {"oprd", "acomp", "ccomp", "xcomp", "advcl"} and c.lower_ in DEAD_WORDS
        for c in verb.children
    )


def _negated(verb: Any) -> bool:
    own = verb if verb.dep_ != "conj" else verb.head
    return any(c.dep_ == "neg" for c in (*verb.children, *own.children))


def _says_nobody(subject: Any) -> bool:
    if subject.lower_ in NOBODY:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in subject.children)


def _has_number(token: Any) -> bool:
    return any(c.dep_ == "nummod" for c in token.children)


def _number_of(token: Any) -> int | None:
    """The whole number a number token writes ("8", "eight"), else None."""
    found = next(iter(find_numbers(token.text)), None)
    if found is None or not isinstance(found.value, int) or found.qualifier != "exact":
        return None
    return found.value


def numbered_total(subject: Any) -> int | None:
    """People counted in parts, at least one part written as a number: "two juveniles and
    eight adults" 10, "two men and a woman" 3, "he and six others" 7 (beside a counted part,
    "he" is one more). None for one part or a part not counted."""
    members = [subject, *_conjuncts(subject)]
    if len(members) < 2 or not any(_has_number(m) for m in members):
        return None
    total = 0
    for member in members:
        number = next((c for c in member.children if c.dep_ == "nummod"), None)
        if number is not None:
            value = _number_of(number)
            counted = PERSON_NOUNS | PEOPLE_NOUNS | OTHER_PEOPLE
            if value is None or member.lemma_.lower() not in counted:
                return None
            total += value
        elif _one_person(member) or member.lower_ in SINGULAR_SUBJECTS:
            total += 1
        else:
            return None
    return total


def _survivors(verb: Any) -> ImplicitCount | None:
    """The wounded among people shot when the sentence counts the dead among them: "six
    people were shot, two of them fatally" and "three were shot and one died" leave 4 and 2
    wounded, exactly; the count spans the shot ("six people were shot")."""
    if verb.lemma_.lower() not in SHOOT_LEMMAS or verb.tag_ != "VBN" or _negated(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    number = next((c for c in subject.children if c.dep_ == "nummod"), None) if subject else None
    shot = _number_of(number) if number is not None else None
    dead_number = partitive_fatal(verb)
    if dead_number is None:
        died = next(
            (
                c
                for c in verb.children
                if c.dep_ == "conj" and c.lemma_.lower() in KILL_LEMMAS | DIE_LEMMAS
            ),
            None,
        )
        dead_subject = (
            next((c for c in died.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if died is not None
            else None
        )
        dead_number = dead_subject
    dead = _number_of(dead_number) if dead_number is not None else None
    if subject is None or shot is None or dead is None or not 0 <= dead <= shot:
        return None
    return ImplicitCount(
        start=subject.left_edge.idx,
        end=verb.idx + len(verb),
        slot=Slot.WOUNDED,
        value=shot - dead,
        exact=True,
        victim="",
        from_numbers=True,
        derived=True,
    )


def _people(subject: Any) -> int | None:
    """How many people a subject without a number names: "a man" 1, "a man and a woman" 2;
    None for a plural, a pronoun or anything that is not a person."""
    if any(c.dep_ == "nummod" and not _an_age(c) for c in subject.children):
        return None  # written as a number: the number finder reads it
    if _one_of_them(subject):
        return 1  # "fatally shooting one of the teens": one person, whoever else there was
    if _the_victims(subject):
        return 2  # "the 17-year-olds were pronounced dead", "the teens were shot": two or more
    members = [subject, *_conjuncts(subject)]
    couples = [m for m in members if _a_couple(m)]
    if not all(_one_person(m) for m in members if m not in couples):
        return None
    return len(members) + len(couples)  # "a young couple and their baby" are three


def _the_victims(subject: Any) -> bool:
    """Victims told of by a definite plural ("the teens", "the 17-year-olds"): two or more
    the report knows of. A bare plural is people in general ("killing kids")."""
    return (
        subject.tag_ == "NNS"
        and subject.lemma_.lower() in PERSON_NOUNS
        and not _conjuncts(subject)
        and any(c.dep_ == "det" and c.lower_ in DEFINITE_PLURAL for c in subject.children)
    )


def _an_age(number: Any) -> bool:
    """ "17" in "the 17-year-olds": an age, not how many."""
    following = number.doc[number.i + 1 : number.i + 3]
    return any(t.lower_ == "year" for t in following)


def _one_of_them(token: Any) -> bool:
    """ "one of the teens", "one of the victims": a person picked out of a group."""
    return token.lower_ == "one" and any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(g.dep_ == "pobj" and g.tag_ in {"NNS", "NNPS", "PRP"} for g in c.children)
        for c in token.children
    )


def _a_couple(token: Any) -> bool:
    """ "a couple was shot": two people."""
    return token.lemma_.lower() == "couple" and any(c.lower_ == "a" for c in token.children)


def _conjuncts(token: Any) -> list[Any]:
    out = []
    for child in token.children:
        if child.dep_ == "conj":
            out += [child, *_conjuncts(child)]
    return out


def _has_object(verb: Any) -> bool:
    return any(c.dep_ == "dobj" for c in verb.children)


def _has_subject(verb: Any) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)


def _one_person(token: Any) -> bool:
    if token.lower_ in REFLEXIVES:
        return True  # "killed himself": the attacker, whom tolls such as GVA's count
    if token.tag_ == "NNP":
        return token.ent_type_ in {"PERSON", ""} or _named_person_before(token)
    if token.tag_ != "NN" and not (token.tag_ == "JJ" and token.lower_ == "old"):
        return False  # plurals ("people were killed") and pronouns give no count
    return bool(token.lemma_.lower() in PERSON_NOUNS)


def _named_person_before(token: Any) -> bool:
    """A name the recognizer read as something else here ("at about 10 p.m. Bates, who
    was ..." as a time) but as a person where the report first named them."""
    return any(
        e.label_ == "PERSON" and e.end <= token.i and token.text in {t.text for t in e}
        for e in token.doc.ents
    )


def _death_of(noun: Any) -> tuple[Any, Slot, int, bool] | None:
    """ "the shooting death of a 5-year-old boy", "the killing of a man": 1 killed."""
    if noun.lemma_.lower() not in CASUALTY_NOUNS_KILLED:
        return None
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            victim = next((c for c in prep.children if c.dep_ == "pobj"), None)
            people = _people(victim) if victim is not None else None
            if victim is not None and people:
                return victim, Slot.KILLED, people, False
    return None


def _wounded_person(noun: Any) -> tuple[Any, Slot, int, bool] | None:
    """ "a wounded 12-year-old girl", "an injured man": 1 wounded; "the slain boy": 1
    killed (a victim the report tells of, wherever it names him)."""
    if not _one_person(noun):
        return None
    # the parser reads "slain" before a noun as an adjective or a compound noun
    modifiers = {c.lower_ for c in noun.children if c.dep_ in {"amod", "compound"}}
    if modifiers & SLAIN_ADJECTIVES:
        return noun, Slot.KILLED, 1, False
    indefinite = any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children)
    if indefinite and modifiers & WOUNDED_ADJECTIVES:
        return noun, Slot.WOUNDED, 1, False
    return None


def _multiple_killing(noun: Any) -> tuple[Any, Slot, int, bool] | None:
    """ "a double homicide", "the quadruple murder": that many killed, exactly; "a triple
    shooting": that many hit (wounded, unless the report tells of deaths)."""
    lemma = noun.lemma_.lower()
    if lemma not in MULTIPLE_KILLINGS | MULTIPLE_SHOOTINGS:
        return None
    slot = Slot.WOUNDED if lemma in MULTIPLE_SHOOTINGS else Slot.KILLED
    for child in noun.children:
        count = MULTIPLES.get(child.lower_.removesuffix("-"))
        if child.dep_ in {"amod", "compound"} and count is not None:
            return child, slot, count, True
    return None


def _definite(subject: Any) -> bool:
    """ "the boy", "her son", "Smith": someone the report has named or will name."""
    if subject.tag_ == "NNP":
        return True
    return any(
        c.dep_ in {"det", "poss"} and c.lower_ not in INDEFINITE_DETERMINERS
        for c in subject.children
    )


def _doer(verb: Any, victim: Any) -> str:
    """The subject of an active verb whose object is the victim: "Smith" in "Smith killed
    his wife"; "he" in "he then shot himself"."""
    if victim.dep_ != "dobj":
        return ""
    own = verb if any(c.dep_ == "nsubj" for c in verb.children) else verb.head
    subject = next((c for c in own.children if c.dep_ == "nsubj"), None)
    return _victim_key(subject) if subject is not None else "?"


def _victim_kind(subject: Any, verb: Any) -> VictimKind:
    if subject.lower_ in REFLEXIVES or _died_by_own_hand(verb):
        return "self"
    if subject.tag_ == "NNP":
        return "named"
    if subject.lemma_.lower() in KIN_NOUNS and any(c.dep_ == "poss" for c in subject.children):
        return "kin"
    return "described"


def _died_by_own_hand(verb: Any) -> bool:
    """The attacker's own death: "he died of a self-inflicted gunshot wound", "he died after
    shooting and killing two men" (whoever kills after dying is the killer)."""
    if verb.lemma_.lower() not in DIE_LEMMAS:
        return False
    if any(t.lower_ == "self" for t in verb.subtree):
        return True
    clauses = [c for c in verb.children if c.dep_ == "advcl"]
    clauses += [g for c in verb.children if c.dep_ == "prep" for g in c.children]
    return any(
        c.dep_ in {"advcl", "pcomp"}
        and c.lemma_.lower() in KILL_LEMMAS | SHOOT_LEMMAS
        and not _has_subject(c)
        and _has_object(c)
        for c in clauses
    )


def _victim_key(subject: Any) -> str:
    """The victim's name or noun, to tell one victim told in two sentences."""
    if subject.tag_ == "NNP":
        return str(subject.lower_)
    return " ".join(t.lower_ for t in subject.subtree if t.dep_ != "det")


def _no_casualties(noun: Any) -> tuple[Any, Slot, int, bool] | None:
    """ "There were no (other) injuries", "no deaths were reported": zero of the slot."""
    lemma = noun.lemma_.lower()
    if lemma in CASUALTY_NOUNS_KILLED:
        slot = Slot.KILLED
    elif lemma in CASUALTY_NOUNS_WOUNDED:
        slot = Slot.WOUNDED
    else:
        return None
    if not any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
        return None
    return noun, slot, 0, True
