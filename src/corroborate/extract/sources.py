"""Attributions and quotes: who each statement comes from, and through whom.

"a source close to Hezbollah told Sputnik" -> who "a source close to Hezbollah" (anonymous),
via Sputnik; "according to the Syrian state-run news agency SANA" -> who SANA (state media).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from corroborate.lexicon import find_actor

SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "report",
        "announce",
        "claim",
        "state",
        "add",
        "confirm",
        "accuse",
        "quote",
        "cite",
        "estimate",
        "warn",
        "deny",
        "insist",
        "explain",
        "write",
        "tweet",
        "post",
        "declare",
    ]
)
RELATIVE_PRONOUNS = frozenset(["which", "who", "that"])
ANONYMOUS_HEADS = frozenset(["source", "sources", "official", "officials", "insider", "insiders"])
OFFICIAL_WORDS = frozenset(
    [
        "minister",
        "ministry",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "army",
        "military",
        "government",
        "governor",
        "official",
        "officials",
        "president",
        "commander",
        "general",
        "colonel",
        "col.",
        "police",
        "agency",
        "authorities",
        "authority",
        "council",
        "leader",
    ]
)
EYEWITNESS_WORDS = frozenset(
    [
        "witness",
        "witnesses",
        "eyewitness",
        "eyewitnesses",
        "resident",
        "residents",
        "activist",
        "activists",
    ]
)
PRONOUNS = frozenset(["he", "she", "it", "they", "we", "i"])
QUOTE = re.compile(r"[“\"](?P<inner>[^”\"]{12,}?)[”\"]")
MAX_WHO_TOKENS = 14


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution found in a sentence; offsets into the paragraph's doc."""

    start: int
    end: int
    who: str
    via: str | None
    named: bool
    kind: str
    sentence_start: int
    sentence_end: int


def find_attributions(sentence: Any) -> Iterator[Attribution]:
    """Attributions in one spaCy sentence: speech verbs with their subject, and "according to"."""
    for token in sentence:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            to = token.doc[token.i + 1]
            obj = next((t for t in to.children if t.dep_ == "pobj"), None)
            if obj is None:
                obj = next((t for t in token.children if t.dep_ == "pobj"), None)
            who_span = _who_span(obj) if obj is not None else None
            if who_span is not None:  # "according to #": nothing to name, no attribution
                yield _attribution(sentence, who_span, None, token.idx, who_span.end_char)
        elif token.pos_ == "VERB" and token.lemma_.lower() in SPEECH_VERBS:
            subject = next((c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
            if subject is None or (token.lemma_.lower() != "say" and subject.dep_ == "nsubjpass"):
                continue
            if subject.lower_ in {"it", "they"}:
                subject = _sentence_subject(sentence, token) or subject
            elif subject.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
                subject = token.head  # "the Islamic State group, which said": the group
            who_span = _who_span(subject)
            if who_span is None:  # "#RIP told CNN": the subject is only punctuation
                continue
            via_token = _via(token)
            via_span = _who_span(via_token) if via_token is not None else None
            if via_span is None:
                via_token = None
            end = max(token.idx + len(token), via_token.idx + len(via_token) if via_token else 0)
            start = min(who_span.start_char, token.idx)
            via = via_span.text if via_span is not None else None
            yield _attribution(sentence, who_span, via, start, end)


def find_quotes(text: str) -> Iterator[tuple[int, int, str]]:
    """Quoted passages of a few words or more: (start, end, inner text)."""
    for match in QUOTE.finditer(text):
        inner = match.group("inner").strip()
        if len(inner.split()) >= 3:
            yield match.start(), match.end(), inner


def _who_span(token: Any) -> Any | None:
    """The subject's words, without relative clauses or trailing punctuation.

    A name right after the phrase joins it: the parser often hangs "SANA" in "the news
    agency SANA" off the preposition rather than off "agency". None when no word is left:
    a subject that is only punctuation ("#" of "#RIP", a dash, a lone quote).
    """
    doc = token.doc
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in {"relcl", "acl"} and child.i > token.i:
            skip.update(t.i for t in child.subtree)
    indices = [t.i for t in token.subtree if t.i not in skip and not t.is_punct]
    if not indices:
        return None
    start, end = min(indices), max(indices) + 1
    while end < len(doc) and doc[end].ent_type_ in {"ORG", "PERSON"}:
        end += 1
    if end - start > MAX_WHO_TOKENS:
        start = max(start, end - MAX_WHO_TOKENS)
    return doc[start:end]


def _sentence_subject(sentence: Any, verb: Any) -> Any:
    """For "it said" inside a clause, the named subject of the sentence's main verb."""
    root = sentence.root
    if root is verb:
        return None
    return next(
        (c for c in root.children if c.dep_ == "nsubj" and c.pos_ != "PRON"),
        None,
    )


def _via(verb: Any) -> Any:
    """The medium a statement was given to: "told Sputnik", "told CNN"."""
    if verb.lemma_.lower() != "tell":
        return None
    obj = next((c for c in verb.children if c.dep_ in {"dobj", "dative"}), None)
    if obj is None or obj.lower_ in PRONOUNS:
        return None
    if obj.ent_type_ in {"ORG", "PERSON", "GPE"} or obj.pos_ == "PROPN":
        return obj
    return None


def _attribution(
    sentence: Any, who_span: Any, via: str | None, start: int, end: int
) -> Attribution:
    kind, named = classify_source(who_span)
    return Attribution(
        start=start,
        end=end,
        who=who_span.text,
        via=via,
        named=named,
        kind=kind,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )


def classify_source(span: Any) -> tuple[str, bool]:
    """(kind, named) for a source's words: anonymous, state media, agency, official, ..."""
    words = {t.lower_ for t in span}
    head = span.root
    actor = find_actor(span.text)
    if actor is None:
        for ent in span.ents:
            actor = find_actor(ent.text)
            if actor is not None:
                break
    if actor is not None and actor.kind == "state media":
        return "state media", True
    if actor is not None and actor.kind == "agency":
        return "news agency", True
    proper = any(t.pos_ == "PROPN" or t.ent_type_ in {"PERSON", "ORG"} for t in span)
    if head.lower_ in ANONYMOUS_HEADS and not any(t.ent_type_ == "PERSON" for t in span):
        return "anonymous", False
    if head.lower_ in PRONOUNS:
        return "pronoun", False
    if words & EYEWITNESS_WORDS:
        return "eyewitness", any(t.ent_type_ == "PERSON" for t in span)
    if any(t.ent_type_ == "PERSON" for t in span):
        return "named person", True
    if words & OFFICIAL_WORDS:
        return "official", proper
    if actor is not None or any(t.ent_type_ == "ORG" for t in span):
        return "organisation", True
    return "other", proper
