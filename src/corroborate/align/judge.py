"""Judge a fact: its status (agree, compatible, conflict, single), the sources behind it, and
an explanation in the words a journalist would write."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date

from corroborate.align.bounds import (
    HEDGES,
    format_value,
    headline_number,
    interval,
    intervals_overlap,
)
from corroborate.align.pairing import MentionGroup
from corroborate.align.referents import split_key
from corroborate.lexicon import Name, actor_within
from corroborate.model import (
    PERPETRATOR,
    Fact,
    FactStatus,
    Mention,
    Provenance,
    Report,
    Source,
)

# Below this, a fact's weakest link is shown as uncertain in its explanation (a conflict is
# never made this weakly: see pairing.CONFLICT_MIN and MUTUAL_CONFLICT_MIN).
UNSURE_BELOW = 0.3
RISING_EVENTS = ("killed|", "wounded|")
EVENT_LABELS = {
    "killed": "killed",
    "wounded": "wounded",
    "remains": "found dead",
    "held": "held",
    "evacuated": "evacuated",
    "attacked": "strikes or attacks",
    "freed": "freed",
    "missing": "missing",
    "affected": "affected",
    "destroyed": "destroyed",
}
# Generic words for a source named earlier in the report, and the actor kinds they stand for.
GENERIC_SOURCE_WORDS = {
    "monitor": "monitor",
    "observatory": "monitor",
    "agency": "state media",
    "broadcaster": "state media",
}
# Counted words that already name the event: "70 wounded", "nine dead".
EVENT_WORDS_AS_NOUNS = frozenset(["dead", "killed", "wounded", "injured", "hurt", "missing"])
_VIA = re.compile(r"^(?P<who>.*?)\s*\(via (?P<via>[^)]*)\)$")


def make_fact(
    fact_id: str,
    kind: str,
    groups: Sequence[MentionGroup],
    confidence: float,
    reports: dict[str, Report],
    order: dict[str, int],
    sources: Sequence[Source],
) -> Fact:
    groups = sorted(groups, key=lambda g: order[g.report])
    mentions = tuple(m for g in groups for m in g.mentions)
    stated = [g.widest for g in groups]
    provenance = same_sources_once([provenance_of(m, reports[m.report], sources) for m in stated])
    status, explanation = judge(kind, stated, reports, provenance)
    if len(stated) > 1 and confidence < UNSURE_BELOW:
        explanation += (
            f" The alignment is uncertain ({confidence:.0%}): these may be different counts."
        )
    return Fact(
        id=fact_id,
        kind=kind,
        what=describe(kind, mentions),
        status=status,
        explanation=explanation,
        mentions=mentions,
        confidence=confidence,
        provenance=provenance,
    )


# --- provenance --------------------------------------------------------------------------


def provenance_of(m: Mention, report: Report, sources: Sequence[Source]) -> Provenance:
    """Who the mention's figure comes from; the outlet itself when it cites no one."""
    if not m.attributed_to:
        own = report.label
        return Provenance(m.report, own, None, "own reporting", f"outlet:{own.lower()}")
    who, via = m.attributed_to, None
    match = _VIA.match(who)
    if match:
        who, via = match.group("who"), match.group("via")
    source = next(
        (s for s in sources if s.report == m.report and s.who == who),
        None,
    )
    kind = source.kind if source else "named"
    via = via or (source.via if source else None)
    if kind == "anonymous":
        # Unnamed sources cannot be told apart across outlets: each counts on its own.
        return Provenance(m.report, who, via, kind, f"anonymous:{m.report}:{who.lower()}")
    actor = actor_within(who) or _named_elsewhere(who, m, sources)
    if actor is not None:
        return Provenance(m.report, actor.canonical, via, kind, f"actor:{actor.canonical}")
    return Provenance(m.report, who, via, kind, f"named:{who.lower().removeprefix('the ')}")


def _named_elsewhere(who: str, m: Mention, sources: Sequence[Source]) -> Name | None:
    """ "the head of the monitor" after "the Syrian Observatory said", or "a monitor said" in
    a lead before the body names it: the source of that kind the report names, the last one
    before the mention if any, else the first after."""
    words = set(re.findall(r"[a-z]+", who.lower()))
    kinds = {kind for word, kind in GENERIC_SOURCE_WORDS.items() if word in words}
    if not kinds:
        return None
    named = [
        (s.start, actor)
        for s in sources
        if s.report == m.report
        if (actor := actor_within(s.who)) is not None and actor.kind in kinds
    ]
    before = [actor for start, actor in named if start < m.start]
    after = [actor for start, actor in named if start >= m.start]
    return before[-1] if before else (after[0] if after else None)


def same_sources_once(provenance: list[Provenance]) -> tuple[Provenance, ...]:
    """One primary key for names of one source: "the interior ministry" and "the Syrian
    Interior Ministry" are one source (the words of one are all in the other)."""
    words = {
        p.primary: _name_words(p.primary) for p in provenance if p.primary.startswith("named:")
    }
    canonical: dict[str, str] = {}
    for key, mine in sorted(words.items(), key=lambda kv: -len(kv[1])):
        canonical[key] = next(
            (canonical[other] for other in canonical if mine and mine <= words[other]), key
        )
    return tuple(replace(p, primary=canonical.get(p.primary, p.primary)) for p in provenance)


def _name_words(key: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z]+", key.split(":", 1)[1]) if w != "the")


# --- status and explanation --------------------------------------------------------------


def report_name(reports: dict[str, Report], report_id: str) -> str:
    """The report's outlet, with its id when another report has the same outlet."""
    label = reports[report_id].label
    if sum(1 for r in reports.values() if r.label == label) > 1:
        return f"{label} ({report_id})"
    return label


def judge(
    kind: str,
    stated: list[Mention],
    reports: dict[str, Report],
    provenance: Sequence[Provenance],
) -> tuple[FactStatus, str]:
    names = [report_name(reports, m.report) for m in stated]
    if kind == "actor" and stated[0].event == PERPETRATOR:
        return _judge_perpetrator(stated, names)
    if len(stated) == 1:
        cited = _citing(provenance[0])
        value = f" ({format_value(stated[0])})" if kind == "quantity" else ""
        return "single", f"Only {names[0]} gives this{value}{cited}; no other report does."
    if kind != "quantity":
        values = {str(m.value) for m in stated}
        if kind == "quote" and len({m.key for m in stated}) > 1:
            return "compatible", f"{_join(names)} quote these words with small differences."
        if len(values) == 1:
            return "agree", f"{_both(names)} give {stated[0].value}."
        return "compatible", f"{_join(names)} name it differently: " + "; ".join(
            f"{n}: {m.value}" for n, m in zip(names, stated, strict=True)
        ) + "."
    return judge_counts(stated, names, reports, provenance)


def _judge_perpetrator(stated: list[Mention], names: list[str]) -> tuple[FactStatus, str]:
    """Reports that name one actor as behind the attacks (or blame it) agree on that."""
    if len(stated) == 1:
        blamed = f", blamed by {stated[0].attributed_to}" if stated[0].attributed_to else ""
        return "single", f"Only {names[0]} names {stated[0].value} as behind the attacks{blamed}."
    blamers = [
        f"{n}: blamed by {m.attributed_to}"
        for n, m in zip(names, stated, strict=True)
        if m.attributed_to
    ]
    blame = f" ({'; '.join(blamers)})" if blamers else ""
    return "agree", f"{_both(names)} name {stated[0].value} as behind the attacks{blame}."


def judge_counts(
    stated: list[Mention],
    names: list[str],
    reports: dict[str, Report],
    provenance: Sequence[Provenance],
) -> tuple[FactStatus, str]:
    """Counts judged as numbers: bounds, approximations, tolls that rise, sources."""
    what = _short_what(stated)
    givens = _givens(stated, names, what)
    sourcing = _sourcing(names, provenance)
    cannot = "both cannot" if len(stated) == 2 else "they cannot all"
    same_figure = len({headline_number(m) for m in stated}) == 1
    if same_figure and (
        len({m.qualifier for m in stated}) == 1 or all(m.qualifier in HEDGES for m in stated)
    ):
        return "agree", f"{_both(names)} give {format_value(stated[0])} {what}{sourcing}."
    if intervals_overlap(stated):
        return "compatible", (
            f"{givens}{sourcing}: the figures differ in precision but can all be true."
        )
    if _provisional_toll(stated):
        return "compatible", (
            f"{givens}{sourcing}: the lowest figure is given as a minimum, so the toll was "
            "still provisional and the higher figures can be later counts."
        )
    if _rising_toll(stated, reports):
        return "compatible", (
            f"{givens}{sourcing}: the later report gives a higher toll, "
            "as tolls rise when more bodies are found."
        )
    return "conflict", f"{givens}{sourcing}: {cannot} be true of the same count at the same time."


def _provisional_toll(stated: list[Mention]) -> bool:
    """One report gives the lowest toll as "at least N": the others' higher figures may be
    the same toll counted later that day, not a contradiction."""
    if not all(m.key.startswith(RISING_EVENTS) for m in stated):
        return False
    lowest = min(interval(m)[0] for m in stated)
    return any(m.qualifier == "at least" and interval(m)[0] <= lowest for m in stated)


def _rising_toll(stated: list[Mention], reports: dict[str, Report]) -> bool:
    """Later reports give higher killed/wounded tolls: a toll that rose, not a contradiction."""
    if not all(m.key.startswith(RISING_EVENTS) for m in stated):
        return False
    dated = [(reports[m.report].published, interval(m)) for m in stated]
    if any(d is None for d, _ in dated) or len({d for d, _ in dated}) < 2:
        return False
    dated.sort(key=lambda x: x[0] or date.min)  # (None dates returned above)
    return all(
        dated[i][1][0] <= dated[i + 1][1][1] and dated[i][0] != dated[i + 1][0]
        for i in range(len(dated) - 1)
    )


def _givens(stated: Sequence[Mention], names: Sequence[str], what: str) -> str:
    """ "Ahram gives at least 9 people killed; Reuters gives 8" """
    parts = [f"{names[0]} gives {format_value(stated[0])} {what}"]
    parts += [f"{n} gives {format_value(m)}" for n, m in zip(names[1:], stated[1:], strict=True)]
    return "; ".join(parts)


def _sourcing(names: Sequence[str], provenance: Sequence[Provenance]) -> str:
    """ ", both citing the Syrian Observatory" or ", Ahram citing SANA and NNA citing ..." """
    cited = [p for p in provenance if p.kind != "own reporting"]
    if not cited:
        return ""
    if len(cited) == len(provenance) and len({p.primary for p in provenance}) == 1:
        word = "both" if len(provenance) == 2 else "all"
        return f", {word} citing {provenance[0].who}"
    parts = [f"{n} citing {p.who}" for n, p in zip(names, provenance, strict=True) if p in cited]
    return f" ({_join(parts)})"


def _citing(p: Provenance) -> str:
    if p.kind == "own reporting":
        return ""
    via = f" via {p.via}" if p.via else ""
    return f", citing {p.who}{via}"


def _short_what(stated: Sequence[Mention]) -> str:
    """ "civilians killed", "Lebanese soldiers found dead", "strikes" """
    event, _, _ = split_key(stated[0].key)
    counted = next((m.counted for m in stated if m.counted), None)
    label = EVENT_LABELS.get(event or "", event or "")
    if counted and (event == "attacked" or counted.lower() in EVENT_WORDS_AS_NOUNS):
        label = ""  # "six strikes", "70 wounded": not "six strikes strikes or attacks"
    words = [w for w in (counted, label) if w]
    return " ".join(words) if words else "as the count"


def describe(kind: str, mentions: Sequence[Mention]) -> str:
    if kind == "quantity":
        event, _, _ = split_key(mentions[0].key)
        counted = _unique(m.counted for m in mentions if m.counted)
        label = EVENT_LABELS.get(event or "", event or "count")
        return f"{label}: {' / '.join(counted[:3])}" if counted else label
    if kind == "date":
        events = _unique(m.event for m in mentions if m.event)
        return f"date of {' / '.join(events[:3])}" if events else "date"
    if kind == "quote":
        speakers = _unique(m.attributed_to for m in mentions if m.attributed_to)
        return f"quote from {speakers[0]}" if speakers else "quote"
    if kind == "actor" and mentions[0].event == PERPETRATOR:
        return f"behind the attacks: {mentions[0].value}"
    return f"{kind}: {mentions[0].value}"


def _unique(items: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item.lower() not in {s.lower() for s in seen}:
            seen[item] = None
    return list(seen)


def _both(names: Sequence[str]) -> str:
    return f"{_join(names)} {'both' if len(names) == 2 else 'all'}"


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
