"""What kind of incident a report tells of, from the words of its lead (an ACLED-like
vocabulary: airstrike, shelling, bombing, suicide bombing, shooting, ...)."""

from __future__ import annotations

import re

from corroborate.model import EventType, Report

# A report's lead (title and opening) says which incident it is mainly about; the align
# stage compares reports' leads too.
LEAD_CHARS = 400
# Words of a lead that name the kind of incident, most specific first: a "suicide car bomb"
# is a suicide bombing before it is a bombing. Chosen by hand from ACLED's event types.
EVENT_TYPE_WORDS: tuple[tuple[EventType, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (EventType.CHEMICAL_ATTACK, r"\b(?:chemical|chlorine|sarin|toxic gas|gas attack|suffocat)"),
        # "suicide car bomb", "suicide bomber", "blew himself up" ("a murder-suicide" is not)
        (
            EventType.SUICIDE_BOMBING,
            r"\bsuicide[\s-]+(?:car[\s-]+)?(?:bomb\w*|attack\w*|blast\w*|explosi\w*|vest\w*)"
            r"|\bblew\s+(?:himself|herself|themselves)\s+up\b",
        ),
        (
            EventType.AIRSTRIKE,
            r"\b(?:air\s?strikes?|air\s?raids?|warplanes?|jets?|aerial|bombers?)\b",
        ),
        (EventType.SHELLING, r"\b(?:shell(?:s|ing|ed)?|mortars?|rockets?|artillery|missiles?)\b"),
        # a "shotgun blast" is gunfire
        (
            EventType.BOMBING,
            r"\b(?:car bomb|bomb(?:s|ing|ed)?|explosions?|(?<!shotgun )(?<!gun )blasts?|IEDs?)\b",
        ),
        (EventType.MASSACRE, r"\b(?:massacre[sd]?|executed|execution)\b"),
        (
            EventType.SHOOTING,
            r"\b(?:shot|shooting|shootings|gunman|gunmen|gunfire|opened fire|gunshots?"
            r"|shotgun|handgun|shots fired|fired shots|gun ?battles?|gunfights?|shootouts?)\b",
        ),
        (EventType.CLASHES, r"\b(?:clash(?:es|ed)?|fighting|battles?|offensive)\b"),
        (EventType.EVACUATION, r"\bevacuat"),
        (EventType.AGREEMENT, r"\b(?:ceasefire|cease-fire|truce|agreement|deal)\b"),
        (EventType.ARREST, r"\barrest(?:s|ed)?\b"),
        (EventType.PROTEST, r"\b(?:protests?|protesters|demonstrat\w*|rall(?:y|ies))\b"),
    )
)


EVENT_TYPE_ORDER = tuple(kind for kind, _ in EVENT_TYPE_WORDS)


def lead_event_type(report: Report) -> EventType:
    """The most specific kind of incident the report's title and opening name."""
    lead = f"{report.title or ''}. {report.kept_text()[:LEAD_CHARS]}"
    return next(
        (kind for kind, pattern in EVENT_TYPE_WORDS if pattern.search(lead)), EventType.OTHER
    )


# The kinds of incident that kill and wound: a count told of one of them belongs to an
# incident of that kind (arrests, protests, truces and evacuations are told beside them).
VIOLENT_EVENT_TYPES = frozenset(
    {
        EventType.CHEMICAL_ATTACK,
        EventType.SUICIDE_BOMBING,
        EventType.AIRSTRIKE,
        EventType.SHELLING,
        EventType.BOMBING,
        EventType.MASSACRE,
        EventType.SHOOTING,
        EventType.CLASHES,
    }
)


def violent_event_types(text: str) -> frozenset[EventType]:
    """Every kind of violent incident the text names ("killed when a barrel bomb hit a
    building": a bombing)."""
    return frozenset(
        kind
        for kind, pattern in EVENT_TYPE_WORDS
        if kind in VIOLENT_EVENT_TYPES and pattern.search(text)
    )


def lead_violent_event_types(report: Report) -> frozenset[EventType]:
    """Every kind of violent incident the report's title and opening name."""
    return violent_event_types(f"{report.title or ''}. {report.kept_text()[:LEAD_CHARS]}")
