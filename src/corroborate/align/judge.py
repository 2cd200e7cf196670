"""Judge a fact: its status (agree, compatible, conflict, single), the sources behind it, and
an explanation in the words a journalist would write."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from corroborate.align.bounds import format_value, headline_number, interval
from corroborate.align.pairing import MentionGroup
from corroborate.align.referents import count_key
from corroborate.align.verdict import (
    count_verdict,
    name_verdict,
    perpetrator_verdict,
    place_verdict,
    quote_verdict,
)
from corroborate.lexicon import Name, actor_within
from corroborate.model import (
    PERPETRATOR,
    Category,
    Fact,
    FactStatus,
    Mention,
    Provenance,
    Reason,
    Report,
    Scope,
    Slot,
    Source,
    Stance,
    Verdict,
)

# Below this, a fact's weakest link is shown as uncertain in its explanation (whether figures
# that disagree are a conflict is the verdict's: see verdict.SURE_TO_CONFLICT).
UNSURE_BELOW = 0.3
EVENT_LABELS = {
    "killed": "killed",
    "wounded": "wounded",
    "shot": "shot",
    "hit": "shot or wounded",
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


def make_fact(
    fact_id: str,
    kind: str,
    groups: Sequence[MentionGroup],
    confidence: float,
    reports: dict[str, Report],
    order: dict[str, int],
    sources: Sequence[Source],
    *,
    place: FactPlace | None = None,
    contained: bool = False,
    links: Mapping[frozenset[str], float] | None = None,
    wounded: Mapping[str, float] | None = None,
) -> Fact:
    """A fact from the mentions of one referent: its verdict, explanation and provenance.

    Args:
        place: where the fact stands on the card (incident, slot, category, scope).
        contained: for places, whether each lies within another (one more specific).
        links: for counts, how sure the pairing is that two reports' statements are one.
        wounded: for counts, the most wounded each report tells of in its incident.
    """
    place = place or FactPlace()
    groups = sorted(groups, key=lambda g: order[g.report])
    mentions = tuple(m for g in groups for m in g.mentions)
    judged, later = _judged_groups(groups, place.slot)
    stated = [g.stated for g in judged]
    per_report: dict[str, Mention] = {}
    for m in stated:
        per_report.setdefault(m.report, m)  # the source of each report's lead statement
    provenance = same_sources_once(
        [provenance_of(m, reports[m.report], sources) for m in per_report.values()]
    )
    weighed, also = _weighed_figures(judged, later)
    verdict = decide(
        kind, stated, weighed, also, mentions, reports, contained, links or {}, wounded or {}
    )
    # The figures the explanation names: those weighed and those that reconcile reports.
    figures = sorted([*weighed, *also], key=lambda m: (order[m.report], m.start))
    explanation = explain(verdict, kind, figures, mentions, reports, provenance)
    if len(stated) > 1 and confidence < UNSURE_BELOW:
        explanation += (
            f" The alignment is uncertain ({confidence:.0%}): these may be different counts."
        )
    return Fact(
        id=fact_id,
        kind=kind,
        what=describe(kind, mentions),
        verdict=verdict,
        explanation=explanation,
        mentions=mentions,
        confidence=confidence,
        provenance=provenance,
        incident=place.incident,
        slot=place.slot,
        category=place.category,
        scope=place.scope,
    )


def _judged_groups(
    groups: Sequence[MentionGroup], slot: Slot | None
) -> tuple[list[MentionGroup], list[MentionGroup]]:
    """The statements a count's verdict weighs, and which of them a report tells after its
    first. Per report, the one it tells first (its lead's) is judged against the other
    reports' leads, and so is a later, higher one; any later one may reconcile the reports
    where another report gives its figure too (`_weighed_figures`). Other lower later
    statements are parts of the count ("six people were shot" and later "one was critically
    wounded") or strays; a statement told again with another figure (a headline over its
    lead, the same words twice) is one group and still shows a report contradicting itself.
    In a card's row, a report's statements of its slot count first (a figure the pairing
    joined to them without one, "a total of 16 people were involved", is shown, not
    weighed)."""
    if slot is not None:
        slotted = {g.report for g in groups if any(m.slot is slot for m in g.mentions)}
        groups = [
            g for g in groups if g.report not in slotted or any(m.slot is slot for m in g.mentions)
        ]
    first: dict[str, MentionGroup] = {}
    for g in sorted(groups, key=_told_at):
        first.setdefault(g.report, g)
    if not groups or groups[0].first.kind != "quantity":
        return [g for g in groups if first[g.report] is g], []
    later = [g for g in groups if first[g.report] is not g]
    higher = {id(g) for g in later if interval(g.stated)[0] > interval(first[g.report].stated)[1]}
    return [g for g in groups if first[g.report] is g or id(g) in higher], later


def _weighed_figures(
    judged: Sequence[MentionGroup], later: Sequence[MentionGroup]
) -> tuple[list[Mention], list[Mention]]:
    """The figures a count's verdict weighs, and those that only reconcile reports.

    A later figure that another report gives too (the same figure, not a bound it meets) and
    that may count something else (`_another_count`) is a count both tell of (a roundup's
    province toll beside its village toll; "15 injured" in a lead and later "14 students
    injured", the other report's toll), not a slip: it may reconcile the reports' first
    figures but never makes its report contradict itself. A
    later, higher one that no other report gives is weighed (a body's "five killed" under a
    lead's "two killed" is a report contradicting itself); a later, lower one is a part of
    the count and left out.

    Args:
        judged: per report, its first statement and its later, higher ones.
        later: every statement a report makes after its first.
    """
    told_later = {id(g) for g in later}
    judged_ids = {id(g) for g in judged}
    groups = [*judged, *(g for g in later if id(g) not in judged_ids)]
    figures = [(g, m) for g in groups for m in g.figures]
    weighed: list[Mention] = []
    also: list[Mention] = []
    lead = {g.report: g.stated for g in judged if id(g) not in told_later}
    for g, m in figures:
        shared = (
            id(g) in told_later
            and _another_count(m, lead.get(m.report))
            and any(
                other.report != m.report and headline_number(other) == headline_number(m)
                for _, other in figures
            )
        )
        if shared:
            also.append(m)
        elif id(g) in judged_ids:
            weighed.append(m)
    return weighed, also


def _another_count(later: Mention, lead: Mention | None) -> bool:
    """Whether a report's later figure may count something other than its lead: a higher
    figure (the province's toll after the village's), or one of other people ("14 students"
    after "15 injured"). A lower figure of the same people is the same count told again
    with another number, a contradiction."""
    if lead is None:
        return True
    return (
        lead.qualifier != "exact"
        or interval(later)[0] > interval(lead)[1]
        or later.category != lead.category
    )


def _told_at(group: MentionGroup) -> int:
    """Where a report first tells the count: its first mention that fills a slot (a figure
    repeated in other words, "four counts of attempted murder", may join the group)."""
    slotted = [m.start for m in group.mentions if m.slot is not None]
    return min(slotted or [m.start for m in group.mentions])


@dataclass(frozen=True, slots=True)
class FactPlace:
    """Where a fact stands: its incident, card slot, category and scope."""

    incident: str | None = None
    slot: Slot | None = None
    category: Category | None = None
    scope: Scope = Scope.OTHER


def decide(
    kind: str,
    stated: Sequence[Mention],
    figures: Sequence[Mention],
    also: Sequence[Mention],
    mentions: Sequence[Mention],
    reports: dict[str, Report],
    contained: bool,
    links: Mapping[frozenset[str], float],
    wounded: Mapping[str, float],
) -> Verdict:
    """The verdict of the `verdict` module for a fact of this kind: for counts, `figures`
    are the figures weighed and `also` those that only reconcile reports
    (`_weighed_figures`)."""
    if kind == "actor" and stated[0].event == PERPETRATOR:
        return perpetrator_verdict(mentions)
    if kind == "quantity":
        published = {rid: r.published for rid, r in reports.items()}
        return count_verdict(figures, published, links, also=also, wounded=wounded)
    if kind == "quote":
        return quote_verdict(stated)
    if kind == "place":
        return place_verdict(stated, contained)
    return name_verdict(stated)


# --- provenance --------------------------------------------------------------------------


def provenance_of(m: Mention, report: Report, sources: Sequence[Source]) -> Provenance:
    """Who the mention's figure comes from; the outlet itself when it cites no one."""
    if not m.attributed_to:
        own = report.label
        return Provenance(m.report, own, None, "own reporting", f"outlet:{own.lower()}")
    who, via = m.attributed_to, m.attributed_via
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


def explain(
    verdict: Verdict,
    kind: str,
    stated: Sequence[Mention],
    mentions: Sequence[Mention],
    reports: dict[str, Report],
    provenance: Sequence[Provenance],
) -> str:
    """The verdict in the words a journalist would write."""
    names = [report_name(reports, m.report) for m in stated]
    if kind == "actor" and stated[0].event == PERPETRATOR:
        return _explain_perpetrator(verdict, stated, mentions, reports)
    if verdict.reason is Reason.ONE_REPORT:
        cited = _citing(provenance[0])
        value = f" ({format_value(stated[0])})" if kind == "quantity" else ""
        return f"Only {names[0]} gives this{value}{cited}; no other report does."
    if kind == "quantity":
        return _explain_counts(verdict, stated, names, provenance)
    pairs = "; ".join(f"{n}: {m.value}" for n, m in zip(names, stated, strict=True))
    if verdict.reason is Reason.QUOTED_DIFFERENTLY:
        return f"{_join(names)} quote these words with small differences."
    if verdict.reason is Reason.PLACE_CONTAINED:
        return (
            f"{_join(names)} name places that lie one within another ({pairs}): "
            "one is more specific."
        )
    if verdict.status is FactStatus.AGREE:
        return f"{_both(names)} give {stated[0].value}."
    return f"{_join(names)} name it differently: {pairs}."


STANCE_WORDS = {
    Stance.ASSERTS: "names {actor} as behind the attack",
    Stance.ACCUSES: "reports {actor} accused",
    Stance.CLAIMS_RESPONSIBILITY: "reports {actor} claiming responsibility",
    Stance.DENIES: "reports a denial that {actor} did it",
    Stance.UNCLEAR: "mentions {actor} without saying who did it",
}


def _explain_perpetrator(
    verdict: Verdict,
    stated: Sequence[Mention],
    mentions: Sequence[Mention],
    reports: dict[str, Report],
) -> str:
    """ "Outlet 1 and Outlet 2 both name Russia as behind the attacks", or "Disputed: NNA
    reports a denial that Russia did it; TRT reports Russia accused (by the opposition)." """
    actor = mentions[0].value
    if verdict.status is not FactStatus.CONFLICT:
        names = [report_name(reports, m.report) for m in stated]
        if verdict.status is FactStatus.SINGLE:
            blamed = f", blamed by {stated[0].attribution}" if stated[0].attribution else ""
            return f"Only {names[0]} names {actor} as behind the attacks{blamed}."
        blamers = [
            f"{n}: blamed by {m.attribution}"
            for n, m in zip(names, stated, strict=True)
            if m.attribution
        ]
        blame = f" ({'; '.join(blamers)})" if blamers else ""
        return f"{_both(names)} name {actor} as behind the attacks{blame}."
    parts: list[str] = []
    for m in mentions:
        words = STANCE_WORDS[m.stance or Stance.ASSERTS].format(actor=actor)
        by = f" (by {m.attribution})" if m.attribution else ""
        part = f"{report_name(reports, m.report)} {words}{by}"
        if part not in parts:
            parts.append(part)
    return f"Disputed: {'; '.join(parts)}."


def _explain_counts(
    verdict: Verdict,
    stated: Sequence[Mention],
    names: Sequence[str],
    provenance: Sequence[Provenance],
) -> str:
    """Counts: what each report gives, who it cites, and why the figures stand as they do."""
    what = _short_what(stated)
    givens = _givens(stated, names, what)
    outlets = list(dict.fromkeys(names))  # a report may give two figures
    sourcing = _sourcing(outlets, provenance)
    cannot = "both cannot" if len(stated) == 2 else "they cannot all"
    reason = verdict.reason
    if reason is Reason.SAME_VALUE:
        return f"{_both(outlets)} give {format_value(stated[0])} {what}{sourcing}."
    if reason is Reason.LOWER_BOUND:
        return (
            f"{givens}{sourcing}: a report that only tells of victims one by one gives a "
            "minimum, which the others' figures meet."
        )
    if reason is Reason.FEWER_DEAD_TOLD:
        return (
            f"{givens}{sourcing}: a report that tells of the dead one by one names fewer "
            "than another counts; reports of a killing name each of its dead, so the "
            "reports disagree unless one left some out."
        )
    if reason is Reason.OVERLAPPING_BOUNDS:
        return f"{givens}{sourcing}: the figures differ in precision but can all be true."
    if reason is Reason.NESTED_COUNT:
        return f"{givens}{sourcing}: the narrower group can be part of the broader one."
    if reason is Reason.PROVISIONAL_TOLL:
        return (
            f"{givens}{sourcing}: the lowest figure is given as a minimum, so the toll was "
            "still provisional and the higher figures can be later counts."
        )
    if reason is Reason.VAGUE_FIGURE:
        return f"{givens}{sourcing}: a vague figure is too loose to contradict a count."
    if reason is Reason.ALSO_GIVEN:
        sharing = _sharing(stated, names)
        return (
            f"{givens}{sourcing}: {_join(sharing)} also "
            f"{'give' if len(sharing) > 1 else 'gives'} another report's "
            "figure, so the reports lead with different counts rather than contradict each "
            "other."
        )
    if reason is Reason.UNSURE_REFERENT:
        return (
            f"{givens}{sourcing}: these figures cannot all be true of one count, and the "
            "reports may well be counting different things: check the sentences."
        )
    if reason is Reason.RISING_TOLL:
        return (
            f"{givens}{sourcing}: the later report gives a higher toll, "
            "as tolls rise when more bodies are found."
        )
    return f"{givens}{sourcing}: {cannot} be true of the same count at the same time."


def _sharing(stated: Sequence[Mention], names: Sequence[str]) -> list[str]:
    """The outlets that give more than one figure, one of which another report gives too."""
    figures: dict[str, set[object]] = {}
    for name, m in zip(names, stated, strict=True):
        figures.setdefault(name, set()).add(headline_number(m))
    return [
        name
        for name, own in figures.items()
        if len(own) > 1 and any(own & theirs for other, theirs in figures.items() if other != name)
    ] or list(figures)[:1]


def _givens(stated: Sequence[Mention], names: Sequence[str], what: str) -> str:
    """ "Ahram gives at least 9 people killed; Reuters gives 8", "NNA gives 4 and 7" """
    by_name: dict[str, list[str]] = {}
    for name, m in zip(names, stated, strict=True):
        by_name.setdefault(name, []).append(format_value(m))
    parts = [f"{name} gives {' and '.join(values)}" for name, values in by_name.items()]
    parts[0] += f" {what}"
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
    event, _, _ = count_key(stated[0])
    counted = next((m.counted for m in stated if m.counted), None)
    label = EVENT_LABELS.get(event or "", event or "")
    if counted and (event == "attacked" or counted.lower() in EVENT_WORDS_AS_NOUNS):
        label = ""  # "six strikes", "70 wounded": not "six strikes strikes or attacks"
    words = [w for w in (counted, label) if w]
    return " ".join(words) if words else "as the count"


def describe(kind: str, mentions: Sequence[Mention]) -> str:
    if kind == "quantity":
        event, _, _ = count_key(mentions[0])
        counted = _unique(m.counted for m in mentions if m.counted)
        label = EVENT_LABELS.get(event or "", event or "count")
        return f"{label}: {' / '.join(counted[:3])}" if counted else label
    if kind == "date":
        events = _unique(m.event for m in mentions if m.event)
        return f"date of {' / '.join(events[:3])}" if events else "date"
    if kind == "quote":
        speakers = _unique(m.attribution for m in mentions if m.attribution)
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
