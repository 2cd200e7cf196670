"""The extract stage: mentions (counts, dates, places, actors, quotes) and sources per report.

Only the kept text is read (removed boilerplate is blanked out, offsets unchanged), one
paragraph at a time so that headlines and datelines do not run into the next sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from corroborate.errors import check_deadline
from corroborate.extract.agents import Agent, find_agents
from corroborate.extract.dates import resolve_date
from corroborate.extract.quantities import (
    REPORTING_VERBS,
    Quantity,
    find_quantities,
    quantity_key,
)
from corroborate.extract.slots import (
    count_category,
    count_slot,
    sentence_scope,
    tells_where_some_died,
)
from corroborate.extract.sources import Attribution, find_attributions, find_quotes
from corroborate.extract.victims import KIN_NOUNS as KIN_WORDS
from corroborate.extract.victims import ImplicitCount, find_implicit_counts
from corroborate.lexicon import (
    PLACE_KIND_WORDS,
    actor_key,
    actor_within,
    canonical_place,
    find_actor,
    place_key,
    word_set,
)
from corroborate.model import (
    PERPETRATOR,
    Category,
    Extraction,
    Mention,
    Report,
    Scope,
    Slot,
    Source,
)
from corroborate.nlp import doc_text, load_pipeline

__all__ = ["extract_report", "extract_reports"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
ACTOR_LABELS = frozenset({"ORG", "PERSON"})
# Outlets and agencies are sources, not actors of the event.
NOT_ACTOR_KINDS = frozenset({"state media", "agency", "outlet"})
PIPE_BATCH_SIZE = 64
# Who said it matters for values; a place or actor name is not "attributed".
ATTRIBUTED_KINDS = frozenset({"quantity", "date", "quote"})
# How far back a sentence's cut-off start is looked for, and where a sentence ends.
CUT_START_CHARS = 24
SENTENCE_STOP = re.compile(r"[.!?;:][\"'”’)]*\s*|\n\s*")
# Words that do not tell one victim from another: "the man", "his brother", a "-year-old"
# (but "his older brother" and "his 6-year-old brother" are two).
GENERIC_VICTIM_WORDS = word_set(
    "man woman person victim boy girl teen brother sister son daughter father mother wife "
    "husband child his her their its year old month week day dead wounded injured"
)


@dataclass(slots=True)
class _ReportState:
    report: Report
    mentions: list[Mention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    # Counts read without a number, with what they were read from (to drop a killed victim
    # told again as "shot" in another sentence).
    implicit: list[tuple[Mention, ImplicitCount]] = field(default_factory=list)


def extract_report(report: Report) -> Extraction:
    """Extract the mentions and sources of one report."""
    return extract_reports([report])[0]


def extract_reports(
    reports: Sequence[Report], *, deadline: float | None = None
) -> list[Extraction]:
    """Extract every report, parsing all their paragraphs in one spaCy stream.

    Raises:
        DeadlineExceeded: `deadline` (a `time.monotonic()` instant) passed; checked after
            each paragraph.
    """
    nlp = load_pipeline()
    states = [_ReportState(report) for report in reports]
    paragraphs = list(_paragraphs(states))
    docs = nlp.pipe((text for _, _, text in paragraphs), batch_size=PIPE_BATCH_SIZE)
    for (state, offset, _text), doc in zip(paragraphs, docs, strict=True):
        check_deadline(deadline, "reading the reports")
        _read_paragraph(state, doc, offset)
    return [_finish(state) for state in states]


def _paragraphs(states: Iterable[_ReportState]) -> Iterator[tuple[_ReportState, int, str]]:
    for state in states:
        kept = state.report.kept_text()
        for match in re.finditer(r"[^\n]+", kept):
            if match.group(0).strip():
                yield state, match.start(), match.group(0)


def _read_paragraph(state: _ReportState, doc: Any, offset: int) -> None:
    report = state.report
    # `Span.ents` builds every entity of the doc for each sentence: gather them once
    ents = list(doc.ents)
    ent_starts = [ent.start for ent in ents]
    for sentence in doc.sents:
        bounds = (offset + sentence.start_char, offset + sentence.end_char)
        for attribution in find_attributions(sentence):
            state.attributions.append(_shift(attribution, offset))
        explicit = [
            _quantity_mention(report, quantity, offset, bounds)
            for quantity in find_quantities(sentence)
        ]
        for count in find_implicit_counts(sentence):
            start, end = offset + count.start, offset + count.end
            if count.from_numbers:
                # "two men and a woman were shot": the total fills the slot; "two" (men) is
                # a part of it, kept as a detail
                explicit = [_as_part(m, count.slot, start, end) for m in explicit]
            # "a 17-year-old boy died": the age is no count of the dead; a figure of the
            # same slot in the same words is ("two men were killed" reads both ways).
            elif any(m.start < end and start < m.end and m.slot is not None for m in explicit):
                continue
            implicit = _implicit_mention(report, count, offset, bounds)
            state.implicit.append((implicit, count))
        state.mentions += explicit
        first = bisect_left(ent_starts, sentence.start)
        last = bisect_left(ent_starts, sentence.end)
        for ent in (e for e in ents[first:last] if e.end <= sentence.end):
            mention = _entity_mention(report, ent, offset, bounds)
            if mention is not None:
                state.mentions.append(mention)
        for agent in find_agents(sentence):
            state.mentions.append(_agent_mention(report, agent, offset, bounds))
    for start, end, inner in find_quotes(doc_text(doc)):
        span = (offset + start, offset + end)  # a quote is its own sentence
        state.mentions.append(
            Mention(
                kind="quote", value=inner, key=_quote_key(inner), **_located(report, *span, span)
            )
        )


def _as_part(mention: Mention, slot: Slot, start: int, end: int) -> Mention:
    """A figure of people within a total read from its parts leaves the slot to the total."""
    inside = start <= mention.start and mention.end <= end
    if inside and mention.slot is slot and mention.category is Category.PEOPLE:
        return replace(mention, slot=None, category=None)
    return mention


def _located(report: Report, start: int, end: int, bounds: tuple[int, int]) -> dict[str, Any]:
    """The fields every mention has: where it is, its text and its sentence."""
    return {
        "report": report.id,
        "start": start,
        "end": end,
        "text": report.text[start:end],
        "sentence_start": bounds[0],
        "sentence_end": bounds[1],
    }


def _agent_mention(report: Report, agent: Agent, offset: int, bounds: tuple[int, int]) -> Mention:
    """An actor in the role of attacker: "Russian jets bombed" -> Russia, role perpetrator."""
    return Mention(
        kind="actor",
        value=agent.name,
        attributed_to=agent.blamed_by,
        event=PERPETRATOR,
        key=f"{PERPETRATOR}|{agent.name.lower()}",
        slot=Slot.PERPETRATOR,
        stance=agent.stance,
        polarity=agent.polarity,
        **_located(report, offset + agent.start, offset + agent.end, bounds),
    )


def _implicit_mention(
    report: Report, count: ImplicitCount, offset: int, bounds: tuple[int, int]
) -> Mention:
    """ "A man was shot and killed": 1 killed, at least (others may be told of elsewhere)."""
    event = "shot" if count.hit_only else count.slot.value
    return Mention(
        kind="quantity",
        value=count.value,
        low=count.value,
        high=count.value if count.exact else None,
        qualifier="exact" if count.exact else "at least",
        change="=" if count.exact else ">",
        event=event,
        count_key=quantity_key(event, "person", None),
        slot=count.slot,
        category=Category.PEOPLE,
        scope=sentence_scope(_with_cut_start(report.text, bounds)),
        implicit=count.derived or not count.from_numbers,
        **_located(report, offset + count.start, offset + count.end, bounds),
    )


def _with_cut_start(text: str, bounds: tuple[int, int]) -> str:
    """The sentence with any words of it that the sentence splitter cut off its start: in
    scrapes that glue sentences ('life."Last year, a man was killed') the parser may end
    the sentence before after '"Last'. Only words after the last full stop are taken."""
    start, end = bounds
    before = text[max(0, start - CUT_START_CHARS) : start]
    stops = [m.end() for m in SENTENCE_STOP.finditer(before)]
    return (before[stops[-1] :] if stops else "") + text[start:end]


def _quantity_mention(
    report: Report, quantity: Quantity, offset: int, bounds: tuple[int, int]
) -> Mention:
    number = quantity.number
    sentence = report.text[bounds[0] : bounds[1]]
    slot = count_slot(quantity.event, quantity.counted_class, sentence, quantity.unit)
    qualifier, high = number.qualifier, number.high
    if slot is Slot.KILLED and qualifier == "exact" and tells_where_some_died(sentence):
        qualifier, high = "at least", None  # "two died at the scene": others may have later
    return Mention(
        kind="quantity",
        value=number.value,
        low=number.low,
        high=high,
        qualifier=qualifier,
        change=quantity.change,
        unit=quantity.unit_text,
        counted=quantity.counted,
        event=quantity.event,
        count_key=quantity_key(quantity.event, quantity.counted_class, quantity.unit),
        slot=slot,
        category=count_category(quantity.counted_class, quantity.counted) if slot else None,
        scope=sentence_scope(_with_cut_start(report.text, bounds)),
        **_located(report, offset + quantity.start, offset + quantity.end, bounds),
    )


# "eastern Syria", "north-western Idlib": a compass part of a place.
COMPASS_BEFORE = re.compile(
    r"(?i)\b((?:north|south)(?:-?(?:east|west))?ern|(?:east|west)ern|central)\s+$"
)
# "(banned in Russia)": the legal disclaimer Russian outlets attach to group names.
DISCLAIMER_BEFORE = re.compile(r"(?i)\b(?:banned|outlawed|prohibited|illegal|proscribed)\s+in\s*$")
# "Tags: Syria", "Topics Syria": page furniture, not a place of the story.
FURNITURE_BEFORE = re.compile(r"(?i)\b(?:tags?|topics?|categories|filed under)\s*:?\s*$")
NOT_SPACE = re.compile(r"\S")
# "BEIRUT (AFP) -", "DAMASCUS, Syria —": where the reporter files from.
DATELINE_AFTER = re.compile(r"^\s*(?:\(|,\s*[A-Z][\w.]*\s*(?:\(|[-–—])|[-–—])")


def _is_not_a_fact(ent: Any) -> bool:
    """Names that are not facts of the story: datelines, disclaimers, tag lists."""
    text = doc_text(ent.doc)
    before = text[max(0, ent.start_char - 40) : ent.start_char]
    if DISCLAIMER_BEFORE.search(before) or FURNITURE_BEFORE.search(before):
        return True
    first_word = NOT_SPACE.search(text)
    at_start = first_word is not None and first_word.start() == ent.start_char
    after = text[ent.end_char : ent.end_char + 40]
    return at_start and ent.text.isupper() and bool(DATELINE_AFTER.match(after))


def _entity_mention(
    report: Report, ent: Any, offset: int, bounds: tuple[int, int]
) -> Mention | None:
    common = _located(report, offset + ent.start_char, offset + ent.end_char, bounds)
    if ent.label_ != "DATE" and _is_not_a_fact(ent):
        return None
    if ent.label_ == "DATE":
        resolved = resolve_date(ent.text, report.published)
        if resolved is None:
            return None
        return Mention(
            kind="date",
            value=resolved.value,
            precision=resolved.precision,
            qualifier="at least" if _opens_a_span(ent) else None,
            event=_date_event(ent),
            key=resolved.value,
            **common,
        )
    if ent.label_ in PLACE_LABELS or (ent.label_ in ACTOR_LABELS and _names_a_district(ent)):
        key = place_key(ent.text)
        if not key:
            return None
        # (a window before the name: searching all the text before it is quadratic)
        compass = COMPASS_BEFORE.search(
            doc_text(ent.doc), max(0, ent.start_char - 40), ent.start_char
        )
        if compass is not None and ent.label_ == "GPE":
            # "eastern Syria": the part of the country, not the country
            start = offset + compass.start()
            common = _located(report, start, offset + ent.end_char, bounds)
            name = f"{compass.group(1).lower()} {canonical_place(ent.text)}"
            return Mention(kind="place", value=name, key=place_key(name), **common)
        return Mention(kind="place", value=canonical_place(ent.text), key=key, **common)
    if ent.label_ in ACTOR_LABELS:
        actor = find_actor(ent.text)
        if actor is not None and actor.kind in NOT_ACTOR_KINDS:
            return None
        name = actor.canonical if actor else re.sub(r"^(?:the)\s+", "", ent.text, flags=re.I)
        key = _person_key(ent.text) if ent.label_ == "PERSON" and actor is None else actor_key(name)
        return Mention(kind="actor", value=name, key=key, **common)
    return None


def _names_a_district(ent: Any) -> bool:
    """ "the al Midan district", "the district of Midan": a name beside a place word is a
    place, whatever the NER label (it often tags transliterated names as people or groups)."""
    doc = ent.doc
    if find_actor(ent.text) is not None:
        return False  # "an Islamic State camp", "Hezbollah town officials"
    if ent.end < len(doc) and doc[ent.end].lower_ in PLACE_KIND_WORDS:
        return True
    # "the southern district of Midan", "the town of Hass"
    return (
        ent.start >= 2
        and doc[ent.start - 1].lower_ == "of"
        and doc[ent.start - 2].lower_ in PLACE_KIND_WORDS
    )


def _opens_a_span(ent: Any) -> bool:
    """ "Since Wednesday": the time from that day to the report's, not a day before it."""
    first = ent[0]
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    return first.lower_ == "since" or (before is not None and before.lower_ == "since")


def _date_event(ent: Any) -> str | None:
    """What happened on the date: the governing verb and its object ("declared ceasefire").

    Dates of statements ("told Sputnik on Monday") are marked "statement": they date the
    reporting, not the event, and alignment leaves them out.
    """
    token = ent.root
    for _ in range(4):
        head = token.head
        if head is token:
            break
        if head.pos_ in {"VERB", "AUX"}:
            while head.dep_ == "advcl" and head.head.pos_ == "VERB":
                # "was murdered while working as a bouncer in 2005": the clause's date is
                # its verb's ("murdered in 2005")
                head = head.head
            lemma = head.lemma_.lower()
            if lemma in REPORTING_VERBS:
                return "statement"
            objects = [
                c
                for c in head.children
                if c.dep_ in {"dobj", "nsubjpass", "nsubj"} and c.pos_ == "NOUN"
            ]
            return " ".join([lemma, *(o.lemma_.lower() for o in objects[:1])])
        if head.pos_ == "NOUN" and head.dep_ != "pobj":
            return str(head.lemma_).lower()
        token = head
    return None


def _person_key(text: str) -> str:
    # "Hassan Nasrallah" and "Nasrallah" are one person within a story: key on the surname.
    words = [w for w in re.findall(r"[\w'-]+", text.lower()) if w not in {"col", "gen", "dr", "mr"}]
    return f"person:{words[-1]}" if words else text.lower()


def _quote_key(inner: str) -> str:
    return " ".join(re.findall(r"\w+", inner.lower()))


def _shift(attribution: Attribution, offset: int) -> Attribution:
    return replace(
        attribution,
        start=attribution.start + offset,
        end=attribution.end + offset,
        sentence_start=attribution.sentence_start + offset,
        sentence_end=attribution.sentence_end + offset,
    )


def _finish(state: _ReportState) -> Extraction:
    """Resolve pronoun sources to the last named one and attach attributions to mentions."""
    report = state.report
    attributions = _resolve_pronouns(sorted(state.attributions, key=lambda a: a.start))
    sources = tuple(
        Source(
            report=report.id,
            start=a.start,
            end=a.end,
            who=a.who,
            via=a.via,
            named=a.named,
            kind=a.kind,
            via_kind=_channel_kind(a.via),
        )
        for a in attributions
    )
    quotes = [m for m in state.mentions if m.kind == "quote"]
    found = _hit_not_wounded([*state.mentions, *_implicit_kept(state.implicit, state.mentions)])
    mentions = []
    for mention in sorted(found, key=lambda m: (m.start, m.kind)):
        if mention.kind not in ATTRIBUTED_KINDS:
            mentions.append(mention)
            continue
        source = _attributed_to(mention, attributions, quotes)
        mentions.append(
            replace(mention, attributed_to=source.who, attributed_via=source.via)
            if source
            else mention
        )
    return Extraction(report=report, mentions=tuple(mentions), sources=sources)


def _implicit_kept(
    implicit: list[tuple[Mention, ImplicitCount]], mentions: list[Mention]
) -> list[Mention]:
    """Implicit counts less a killed victim told again as wounded: "Smith was shot in the
    chest" after "Smith was shot and killed", or "the boy was shot" in a report that tells
    of a death."""
    killed = {c.victim for m, c in implicit if m.slot is Slot.KILLED and c.victim}
    deaths = bool(killed) or any(m.slot is Slot.KILLED for m in mentions)
    kept = [
        (m, count)
        for m, count in implicit
        if not (
            m.slot is Slot.WOUNDED
            and count.victim
            and (_same_victim(count.victim, killed) or (deaths and count.known_victim_shot))
        )
    ]
    return _tallied(kept)


def _tallied(implicit: list[tuple[Mention, ImplicitCount]]) -> list[Mention]:
    """Victims a report tells of one by one, tallied: "killed his wife" and "killed
    himself" are at least 2 killed, and so each of those statements reads. Victims are told
    apart only where the words do: different names, the attacker himself, relatives of
    different kinds; people described ("a man", "the victim") may be any of the named."""
    tallies = {
        slot: _victims_told([(m, c) for m, c in implicit if m.slot is slot and _told_alone(c)])
        for slot in (Slot.KILLED, Slot.WOUNDED)
    }
    out: list[Mention] = []
    for m, count in implicit:
        tally = tallies.get(m.slot, 0) if m.slot is not None and _told_alone(count) else 0
        out.append(replace(m, value=tally, low=tally) if tally > (m.low or 0) else m)
    return out


def _told_alone(count: ImplicitCount) -> bool:
    """A victim told of by who they are ("his wife", "Smith"), not as a number of people."""
    return not count.exact and bool(count.victim)


def _victims_told(told: list[tuple[Mention, ImplicitCount]]) -> int:
    """How many victims statements told one by one add up to (each statement may tell of
    several: "killed his wife and her mother"). The attacker who "killed himself" is one
    more only beside someone he is told to have killed or someone named apart from him;
    beside "the death of a teenager" alone, "shot himself" is most likely the teenager."""
    named: list[tuple[set[str], int]] = []
    kin: list[tuple[set[str], int]] = []
    selves: list[str] = []
    aged: dict[str, int] = {}  # "a 58-year-old man" and "a 23-year-old man" are two
    described = 0
    killed_by_someone = False
    for m, count in told:
        people = int(m.low or 1)
        said = count.victim.split()
        words = set(said)
        if count.victim_kind == "self":
            selves.append(count.by)
            continue
        killed_by_someone = killed_by_someone or bool(count.by)
        if count.victim_kind == "kin":
            _join_victims(kin, words & KIN_WORDS, people)
        elif count.victim_kind == "named":
            _join_victims(named, words, people)
        else:
            age = next((w for w in said if any(ch.isdigit() for ch in w)), None)
            if age is not None:
                aged[age] = max(aged.get(age, 0), people)
            described = max(described, people)
    described = max(described, sum(aged.values()))
    others = sum(n for _, n in named) + sum(n for _, n in kin) or described
    attacker_apart = killed_by_someone or any(
        not any(set(by.split()) & words for words, _ in named) for by in selves if named
    )
    return others + (1 if selves and (attacker_apart or not others) else 0)


def _join_victims(clusters: list[tuple[set[str], int]], words: set[str], people: int) -> None:
    """One victim told twice shares a word ("Smith", "John Smith"; "his wife", "the wife")."""
    for i, (other, n) in enumerate(clusters):
        if words & other:
            clusters[i] = (other | words, max(n, people))
            return
    clusters.append((words, people))


def _hit_not_wounded(mentions: list[Mention]) -> list[Mention]:
    """ "Five people were shot" is five wounded in a report that tells of no death; in one
    that does ("one of them died"), it counts everyone hit, the dead too, and fills no slot."""
    if not any(
        m.slot is Slot.KILLED and m.scope is Scope.INCIDENT and (m.low or 0) > 0 for m in mentions
    ):
        return mentions  # no death, or "nobody died": everyone hit is wounded
    return [
        replace(m, slot=None, category=None) if m.event == "shot" and m.slot is Slot.WOUNDED else m
        for m in mentions
    ]


def _same_victim(victim: str, killed: set[str]) -> bool:
    """ "man" and "man", "neeley" and "antonio neeley": one victim; "another man" is not."""
    words = {w for w in victim.split() if w.isalpha()} - GENERIC_VICTIM_WORDS
    return victim in killed or any(words & set(other.split()) for other in killed)


def _channel_kind(via: str | None) -> str | None:
    """What a statement's channel is ("told Sputnik": state media), when the lexicon knows it."""
    actor = actor_within(via) if via else None
    return actor.kind if actor is not None else None


def _resolve_pronouns(attributions: list[Attribution]) -> list[Attribution]:
    resolved: list[Attribution] = []
    last_named: Attribution | None = None
    for attribution in attributions:
        if attribution.kind == "pronoun" and last_named is not None:
            attribution = replace(
                attribution,
                who=last_named.who,
                via=attribution.via or last_named.via,
                named=last_named.named,
                kind=last_named.kind,
            )
        elif attribution.kind != "pronoun":
            last_named = attribution
        resolved.append(attribution)
    return resolved


def _attributed_to(
    mention: Mention, attributions: list[Attribution], quotes: list[Mention]
) -> Attribution | None:
    if mention.kind == "quote":
        speaker = _sentence_source(mention.start, mention.end, attributions, window=200)
        return speaker
    for quote in quotes:
        if quote.start <= mention.start and mention.end <= quote.end:
            return _sentence_source(quote.start, quote.end, attributions, window=200)
    return _sentence_source(mention.sentence_start, mention.sentence_end, attributions, window=0)


def _sentence_source(
    start: int, end: int, attributions: list[Attribution], window: int
) -> Attribution | None:
    """The source of the sentence holding [start, end); a quote may take one just after it."""
    best: Attribution | None = None
    for attribution in attributions:
        same_sentence = attribution.sentence_start <= start < attribution.sentence_end + 1
        just_after = 0 <= attribution.start - end <= window
        closer = best is None or abs(attribution.start - start) < abs(best.start - start)
        if (same_sentence or just_after) and closer:
            best = attribution
    return best
