"""The one place where a fact's status is decided: a typed verdict (status, the rule that
decided it, the values compared) that the views put into words.

Which mentions form a fact is decided before, by slot and incident (`card`) or by referent
(`pairing`); here only their values are judged.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from corroborate.align.bounds import HEDGES, format_value, headline_number, interval
from corroborate.align.bounds import intervals_overlap as _overlap
from corroborate.align.referents import count_key
from corroborate.model import (
    Category,
    FactStatus,
    Mention,
    Polarity,
    Reason,
    Slot,
    Verdict,
)

# How sure the alignment must be that figures are of one count before their disagreement is
# called a conflict. Chosen by hand for now (see bench/fact_alignment.py for its effect).
SURE_TO_CONFLICT = 0.5
# Counts of these events may rise as bodies are found and the wounded die.
RISING_EVENTS = frozenset({"killed", "wounded", "shot"})


def _values(stated: Sequence[Mention]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (m.report, format_value(m) if m.kind == "quantity" else str(m.value)) for m in stated
    )


def count_verdict(
    stated: Sequence[Mention],
    published: Mapping[str, date | None],
    links: Mapping[frozenset[str], float] | None = None,
    also: Sequence[Mention] = (),
    wounded: Mapping[str, float] | None = None,
) -> Verdict:
    """Counts judged as numbers: bounds, approximations, nested counts, tolls that rise.

    Args:
        stated: each different figure each report gives where it first tells the count
            (a report that gives two there contradicts itself).
        published: publication date per report id (a later, higher toll is no conflict).
        links: how sure the alignment is, per two reports, that their statements are one
            count (missing: sure). Figures that cannot both be true are a conflict only
            when the alignment of their two reports is sure (`SURE_TO_CONFLICT`), or they
            are one report's; else the row says they may be different counts: a poor
            alignment is never shown as a contradiction.
        also: figures that reports give later on and another report gives too (a
            roundup's province toll after its lead's village toll). They are no
            contradiction of the report's first figure, and when one matches another
            report's first figure the two reports merely lead with different counts:
            figures that some reading of both reports reconciles are no conflict.
        wounded: the most wounded each report tells of in the incident (missing: it tells
            of none). The dead of a later report come from the wounded an earlier one told
            of: a killed toll that rose by more than those is no rising toll.
    """
    values = _values([*stated, *also])
    if len({m.report for m in stated}) == 1 and len(stated) == 1:
        return Verdict(FactStatus.SINGLE, Reason.ONE_REPORT, values)
    told = _deaths_as_told(stated)
    if told != list(stated):
        judged = count_verdict(told, published, links, also, wounded)
        conflict = judged.status is FactStatus.CONFLICT
        return Verdict(judged.status, Reason.FEWER_DEAD_TOLD if conflict else judged.reason, values)
    same_figure = len({headline_number(m) for m in stated}) == 1
    if same_figure and (
        len({m.qualifier for m in stated}) == 1 or all(m.qualifier in HEDGES for m in stated)
    ):
        return Verdict(FactStatus.AGREE, Reason.SAME_VALUE, values)
    if _overlap(stated):
        reason = (
            Reason.LOWER_BOUND if any(m.implicit for m in stated) else Reason.OVERLAPPING_BOUNDS
        )
        return Verdict(FactStatus.COMPATIBLE, reason, values)
    if _nested(stated):
        return Verdict(FactStatus.COMPATIBLE, Reason.NESTED_COUNT, values)
    if _provisional_toll(stated):
        return Verdict(FactStatus.COMPATIBLE, Reason.PROVISIONAL_TOLL, values)
    if _rising_toll(stated, published, wounded or {}):
        return Verdict(FactStatus.COMPATIBLE, Reason.RISING_TOLL, values)
    if not _any_exclusive(stated):
        return Verdict(FactStatus.COMPATIBLE, Reason.VAGUE_FIGURE, values)
    if not _surely_exclusive(stated, links or {}):
        return Verdict(FactStatus.COMPATIBLE, Reason.UNSURE_REFERENT, values)
    if not _surely_exclusive(stated, links or {}, also):
        return Verdict(FactStatus.COMPATIBLE, Reason.ALSO_GIVEN, values)
    return Verdict(FactStatus.CONFLICT, Reason.EXCLUSIVE_VALUES, values)


def _deaths_as_told(stated: Sequence[Mention]) -> list[Mention]:
    """The dead a report tells of one by one ("a man was shot and killed", "killed his wife
    and himself"), taken as all the dead it knows of where another report gives a figure:
    reports of a killing name or describe each of its dead, so a report that tells of three
    deaths and one that counts five disagree. (Not the wounded: reports often describe
    only some of them. Measured on gva_dev by bench/incident_card.py: injected killed
    figures caught 40 -> 47 of 76, false conflicts 9 -> 11 of 150; wounded too gave 50 but
    17.)"""
    if all(m.implicit for m in stated):
        return list(stated)
    return [
        replace(m, qualifier="exact", value=int(m.low), high=m.low)
        if m.implicit and m.slot is Slot.KILLED and m.qualifier == "at least" and m.low
        else m
        for m in stated
    ]


def _any_exclusive(stated: Sequence[Mention]) -> bool:
    """Whether two figures cannot both be true. A vague figure ("dozens", "hundreds") is too
    loose to contradict anything. (Intervals on a line that overlap pairwise share a point, so
    one pass over the bounds tells, however many figures a row holds.)"""
    return not _overlap(m for m in stated if m.qualifier != "vague")


def _surely_exclusive(
    stated: Sequence[Mention],
    links: Mapping[frozenset[str], float],
    also: Sequence[Mention] = (),
) -> bool:
    """Whether two figures that cannot both be true are surely of one count: one report's
    two first figures, or two reports' whose alignment is sure — unless a figure one of the
    two gives later matches the other's first (`also`: the reports lead with different
    counts that both give, a village's 4 killed and the province's 48)."""
    bounds: dict[str, tuple[float, float]] = {}  # per report: highest low, lowest high
    for m in stated:
        if m.qualifier == "vague":
            continue
        low, high = interval(m)
        highest_low, lowest_high = bounds.get(m.report, (low, high))
        bounds[m.report] = (max(highest_low, low), min(lowest_high, high))
    if any(highest_low > lowest_high for highest_low, lowest_high in bounds.values()):
        return True  # one report contradicts itself
    later: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for m in also:
        if m.qualifier != "vague":
            later[m.report].append(interval(m))

    def meets(span: tuple[float, float], other: tuple[float, float]) -> bool:
        return span[0] <= other[1] and other[0] <= span[1]

    def exclusive(a: str, b: str) -> bool:
        return not (
            meets(bounds[a], bounds[b])
            or any(meets(span, bounds[b]) for span in later[a])
            or any(meets(span, bounds[a]) for span in later[b])
        )

    reports = sorted(bounds)
    return any(
        links.get(frozenset({a, b}), 1.0) >= SURE_TO_CONFLICT and exclusive(a, b)
        for i, a in enumerate(reports)
        for b in reports[i + 1 :]
    )


def _nested(stated: Sequence[Mention]) -> bool:
    """ "20 civilians" beside "30 people": the narrower group is within the broader one, and
    every narrower figure is at most every broader one. Broader figures that disagree among
    themselves ("5 people" and "12 people" beside "5 children") are no nesting."""
    broad = [m for m in stated if m.category in (None, Category.PEOPLE)]
    narrow = [m for m in stated if m.category not in (None, Category.PEOPLE)]
    if not broad or not narrow or not _overlap(broad):
        return False
    return max(interval(m)[0] for m in narrow) <= min(interval(m)[1] for m in broad)


def _provisional_toll(stated: Sequence[Mention]) -> bool:
    """One report gives the lowest toll as "at least N": the others' higher figures may be
    the same toll counted later that day, not a contradiction."""
    if not all(count_key(m).event in RISING_EVENTS for m in stated):
        return False
    lowest = min(interval(m)[0] for m in stated)
    # a victim named without a number ("a man was killed") is a lower bound, not a toll
    return any(
        m.qualifier == "at least" and not m.implicit and interval(m)[0] <= lowest for m in stated
    )


def _rising_toll(
    stated: Sequence[Mention],
    published: Mapping[str, date | None],
    wounded: Mapping[str, float],
) -> bool:
    """Later reports give higher killed/wounded tolls: a toll that rose; a killed toll by no
    more than the wounded the earlier report told of, where it told of them (two dead and
    five hurt may become four dead; two dead and no one else hurt may not)."""
    if not all(count_key(m).event in RISING_EVENTS for m in stated):
        return False
    dated = [(published.get(m.report), m) for m in stated]
    if any(d is None for d, _ in dated) or len({d for d, _ in dated}) < 2:
        return False
    dated.sort(key=lambda x: x[0] or date.min)  # (None dates returned above)
    for (day, earlier), (next_day, later) in itertools.pairwise(dated):
        if day == next_day or interval(earlier)[0] > interval(later)[1]:
            return False
        rise = interval(later)[0] - interval(earlier)[1]
        hurt = wounded.get(earlier.report)
        if earlier.slot is Slot.KILLED and hurt is not None and rise > hurt:
            return False
    return True


def name_verdict(stated: Sequence[Mention]) -> Verdict:
    """Dates, places and actors lined up by key: one value, or the same named differently."""
    values = _values(stated)
    if len(stated) == 1:
        return Verdict(FactStatus.SINGLE, Reason.ONE_REPORT, values)
    if len({str(m.value) for m in stated}) == 1:
        return Verdict(FactStatus.AGREE, Reason.SAME_NAME, values)
    return Verdict(FactStatus.COMPATIBLE, Reason.VARIANT_NAMES, values)


def place_verdict(stated: Sequence[Mention], contained: bool) -> Verdict:
    """Places of one incident: the same, or one lies within another (`contained`)."""
    if len(stated) > 1 and contained and len({str(m.value) for m in stated}) > 1:
        return Verdict(FactStatus.COMPATIBLE, Reason.PLACE_CONTAINED, _values(stated))
    return name_verdict(stated)


def quote_verdict(stated: Sequence[Mention]) -> Verdict:
    values = _values(stated)
    if len(stated) == 1:
        return Verdict(FactStatus.SINGLE, Reason.ONE_REPORT, values)
    if len({m.key for m in stated}) > 1:
        return Verdict(FactStatus.COMPATIBLE, Reason.QUOTED_DIFFERENTLY, values)
    return Verdict(FactStatus.AGREE, Reason.SAME_NAME, values)


def perpetrator_verdict(stated: Sequence[Mention]) -> Verdict:
    """Who did it: agreed when every statement names the actor as behind the attack;
    disputed when one accuses or asserts and another denies ("Russia denies; the opposition
    blames Russia"), whether in one report or across reports."""
    values = tuple(
        (m.report, f"{m.value} ({(m.stance or 'asserts')}, {(m.polarity or 'affirmed')})")
        for m in stated
    )
    polarities = {m.polarity or Polarity.AFFIRMED for m in stated}
    if Polarity.NEGATED in polarities and len(polarities) > 1:
        return Verdict(FactStatus.CONFLICT, Reason.DISPUTED, values)
    if len({m.report for m in stated}) == 1:
        return Verdict(FactStatus.SINGLE, Reason.ONE_REPORT, values)
    return Verdict(FactStatus.AGREE, Reason.SAME_ACTOR, values)
