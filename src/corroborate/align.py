"""The align stage: gather mentions of one referent across reports into facts with a status.

Counts are paired by what they count and the event they belong to (never by a shared noun
alone), then judged as numbers with bounds: agree, compatible, conflict or single. A pairing
that is not sure enough to call a conflict is not made: a poor alignment never shows as a
contradiction.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from corroborate.model import Extraction, Fact, FactStatus, Mention, Report
from corroborate.units import canonical_unit, known_units

# "about N" covers N ± this share: "around 600" is compatible with 331 + 308 + 26 = 665.
APPROX_SHARE = 0.15
# A vague plural ("dozens", "hundreds") spans its conventional low to this many times it.
VAGUE_SPAN = 5
# Pairing thresholds, set on the seed reports and the FA-KES development groups: a pair of
# counts joins one fact at PAIR_MIN; values that cannot both be true need CONFLICT_MIN on the
# referent alone (event and counted class), or they stay apart as two single facts.
PAIR_MIN = 0.6
CONFLICT_MIN = 0.85
QUOTE_MATCH_MIN = 85
# Counts that disagree are one referent only when their sentences share a place or a date, or
# this share of content words; and when the figures are within this ratio of each other.
SAME_INCIDENT_WORDS = 0.15
MAX_CONFLICT_RATIO = 5
# Two reports giving the same figure of 4 or more, for counts of one event, rarely do so by
# chance: that lifts a pairing whose counted noun is unclear ("four" vs "four injured").
SAME_FIGURE_BONUS = 0.15
DISTINCTIVE_FIGURE = 4
# Qualifiers that hedge a figure without changing it: "at least 31" and "31" give one figure.
HEDGES = frozenset({"exact", "at least", "about"})
RELATED_CLASSES = {frozenset({"person", "civilian"}), frozenset({"militant", "fighter"})}
STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "as",
        "that",
        "this",
        "is",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "it",
        "its",
        "their",
        "they",
        "he",
        "she",
        "said",
        "says",
        "also",
        "after",
        "before",
        "over",
        "into",
        "than",
        "which",
        "who",
    ]
)
KIND_ORDER = ("quantity", "date", "place", "actor", "quote")
EVENT_LABELS = {
    "killed": "killed",
    "wounded": "wounded",
    "remains": "remains or bodies recovered",
    "held": "held captive",
    "evacuated": "evacuated or left",
    "attacked": "strikes or attacks",
    "freed": "freed",
    "missing": "missing",
    "affected": "affected",
}


@dataclass(frozen=True, slots=True)
class _Group:
    """Mentions of one referent within one report (a report may repeat a figure)."""

    report: str
    mentions: tuple[Mention, ...]

    @property
    def first(self) -> Mention:
        return self.mentions[0]


def align_facts(extractions: Sequence[Extraction]) -> tuple[Fact, ...]:
    """Line up the mentions of all reports into facts.

    Args:
        extractions: one per report, from the extract stage.

    Returns:
        Facts ordered by kind (counts first), then by where they first appear.
    """
    reports = {e.report.id: e.report for e in extractions}
    order = {e.report.id: i for i, e in enumerate(extractions)}
    mentions = [m for e in extractions for m in e.mentions]
    context = _SentenceContext(mentions, {rid: r.text for rid, r in reports.items()})
    clusters: list[tuple[str, list[_Group]]] = []
    clusters += [("quantity", c) for c in _align_quantities(mentions, context)]
    clusters += [("date", c) for c in _group_by_key(m for m in mentions if _is_event_date(m))]
    clusters += [("place", c) for c in _group_by_key(m for m in mentions if m.kind == "place")]
    clusters += [("actor", c) for c in _group_by_key(m for m in mentions if m.kind == "actor")]
    clusters += [("quote", c) for c in _align_quotes([m for m in mentions if m.kind == "quote"])]
    clusters.sort(
        key=lambda kc: (
            KIND_ORDER.index(kc[0]),
            min(g.first.start for g in kc[1]),
            min(order[g.report] for g in kc[1]),
        )
    )
    return tuple(
        _make_fact(f"f{n}", kind, groups, reports, order)
        for n, (kind, groups) in enumerate(clusters, start=1)
    )


# --- counts -----------------------------------------------------------------------------


class _SentenceContext:
    """Words, places and dates of each mention's sentence, to tell incidents apart."""

    def __init__(self, mentions: Sequence[Mention], texts: dict[str, str]) -> None:
        self._texts = texts
        self._places: dict[tuple[str, int], set[str]] = defaultdict(set)
        self._dates: dict[tuple[str, int], set[str]] = defaultdict(set)
        for m in mentions:
            if m.kind == "place":
                self._places[(m.report, m.sentence_start)].add(m.key)
            elif _is_event_date(m):
                self._dates[(m.report, m.sentence_start)].add(str(m.value))

    def clash(self, a: Mention, b: Mention) -> bool:
        """Both sentences name places (or dates) and none of them is shared."""
        return any(left and right and not (left & right) for left, right in self._keys(a, b))

    def shares_place_or_date(self, a: Mention, b: Mention) -> bool:
        """Both sentences name a common place or event date."""
        return any(left & right for left, right in self._keys(a, b))

    def _keys(self, a: Mention, b: Mention) -> Iterator[tuple[set[str], set[str]]]:
        """(places of a's sentence, places of b's), then the same for event dates."""
        for table in (self._places, self._dates):
            yield (
                table.get((a.report, a.sentence_start), set()),
                table.get((b.report, b.sentence_start), set()),
            )

    def word_overlap(self, a: Mention, b: Mention) -> float:
        """Jaccard overlap of the content words of the two mentions' sentences."""
        words_a, words_b = self._words(a), self._words(b)
        if not words_a or not words_b:
            return 0.0
        return len(words_a & words_b) / len(words_a | words_b)

    def _words(self, m: Mention) -> set[str]:
        sentence = self._texts[m.report][m.sentence_start : m.sentence_end].lower()
        return {w for w in re.findall(r"[a-z]{4,}", sentence) if w not in STOPWORDS}


def _align_quantities(mentions: Sequence[Mention], context: _SentenceContext) -> list[list[_Group]]:
    groups = _within_report_groups([m for m in mentions if m.kind == "quantity"])
    pairs = []
    for i, a in enumerate(groups):
        for j in range(i + 1, len(groups)):
            b = groups[j]
            if a.report != b.report:
                score = _pair_score(a.first, b.first, context)
                if score >= PAIR_MIN:
                    pairs.append((score, i, j))
    # Greedy, best pairs first, at most one group per report in a fact: a report that gives
    # two figures for one key gives them for two referents (two sources, two moments).
    cluster_of = list(range(len(groups)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(groups))}
    for _score, i, j in sorted(pairs, key=lambda p: -p[0]):
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        reports_i = {groups[k].report for k in members[ci]}
        if any(groups[k].report in reports_i for k in members[cj]):
            continue
        merged = members[ci] + members[cj]
        if not _all_pairs_compatible_or_sure(merged, groups, context):
            continue
        for k in members[cj]:
            cluster_of[k] = ci
        members[ci] = merged
        del members[cj]
    return [[groups[k] for k in sorted(ks)] for ks in members.values()]


def _within_report_groups(mentions: Sequence[Mention]) -> list[_Group]:
    by_key: dict[tuple[str, str, object, object, object], list[Mention]] = defaultdict(list)
    for m in mentions:
        by_key[(m.report, m.key, m.value, m.low, m.high)].append(m)
    return [_Group(ms[0].report, tuple(ms)) for ms in by_key.values()]


def _pair_score(a: Mention, b: Mention, context: _SentenceContext) -> float:
    referent = referent_similarity(a, b)
    if referent == 0.0:
        return 0.0
    overlap = intervals_overlap([a, b])
    if not overlap and not _surely_one_referent(a, b, referent, context):
        return 0.0
    score = referent + 0.2 * context.word_overlap(a, b)
    if context.clash(a, b):
        score *= 0.5
    if overlap:
        score += 0.1
        if _headline_number(a) == _headline_number(b) and _is_distinctive(a):
            score += SAME_FIGURE_BONUS
    return score


def _headline_number(m: Mention) -> object:
    """The figure a reader sees: 31 in "at least 31", (70, 80) in "70 to 80", 24 in "dozens"."""
    if m.qualifier == "range":
        return (m.low, m.high)
    return m.value if m.value is not None else m.low


def _is_distinctive(m: Mention) -> bool:
    figure = _headline_number(m)
    return isinstance(figure, int | float) and figure >= DISTINCTIVE_FIGURE


def _surely_one_referent(
    a: Mention, b: Mention, referent: float, context: _SentenceContext
) -> bool:
    """Whether two counts that cannot both be true are sure enough to call a conflict.

    The referent must match closely, the sentences must share a place, a date or enough
    words (one incident, not two strikes in one province), and the figures must be of one
    magnitude: a war's total beside one day's toll is a different count, not a contradiction.
    """
    if referent < CONFLICT_MIN or context.clash(a, b):
        return False
    low_a, high_a = interval(a)
    low_b, high_b = interval(b)
    smaller, larger = sorted((min(high_a, high_b), max(low_a, low_b)))
    if smaller <= 0 or larger / smaller > MAX_CONFLICT_RATIO:
        return False
    return context.shares_place_or_date(a, b) or context.word_overlap(a, b) >= SAME_INCIDENT_WORDS


def _all_pairs_compatible_or_sure(
    members: list[int], groups: Sequence[_Group], context: _SentenceContext
) -> bool:
    for x in range(len(members)):
        for y in range(x + 1, len(members)):
            a, b = groups[members[x]].first, groups[members[y]].first
            if _pair_score(a, b, context) == 0.0:
                return False
    return True


def referent_similarity(a: Mention, b: Mention) -> float:
    """How surely two counts count the same thing, from their event and counted class (0..1)."""
    event_a, class_a, unit_a = _split_key(a.key)
    event_b, class_b, unit_b = _split_key(b.key)
    if unit_a != unit_b:
        return 0.0
    if event_a and event_b:
        event = 1.0 if event_a == event_b else 0.0
    elif event_a or event_b:
        event = 0.5
    else:
        event = 0.3
    if event == 0.0:
        return 0.0
    if class_a and class_b:
        if class_a == class_b:
            counted = 1.0
        elif frozenset({class_a, class_b}) in RELATED_CLASSES:
            counted = 0.7
        else:
            return 0.0
    elif class_a or class_b:
        counted = 0.5
    else:
        counted = 0.4
    return (event + counted) / 2


def _split_key(key: str) -> tuple[str | None, str | None, str]:
    event, counted, unit = [*key.split("|"), "", "", ""][:3]
    return (None if event == "?" else event), (None if counted == "?" else counted), unit


def interval(m: Mention) -> tuple[float, float]:
    """The values a count admits: [low, high], with its qualifier's slack."""
    if m.qualifier == "about" and isinstance(m.value, int | float):
        return m.value * (1 - APPROX_SHARE), m.value * (1 + APPROX_SHARE)
    if m.qualifier == "vague" and m.low is not None:
        return float(m.low), float(m.low) * VAGUE_SPAN
    low = float(m.low) if m.low is not None else 0.0
    high = float(m.high) if m.high is not None else math.inf
    if m.qualifier == "exact" and isinstance(m.value, int | float):
        return float(m.value), float(m.value)
    return low, high


def intervals_overlap(mentions: Iterable[Mention]) -> bool:
    """Whether one value satisfies every mention's bounds."""
    bounds = [interval(m) for m in mentions]
    return max(lo for lo, _ in bounds) <= min(hi for _, hi in bounds)


# --- dates, places, actors, quotes -------------------------------------------------------


def _is_event_date(m: Mention) -> bool:
    return m.kind == "date" and m.event != "statement"


def _group_by_key(mentions: Iterable[Mention]) -> list[list[_Group]]:
    by_key: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for m in mentions:
        by_key[m.key][m.report].append(m)
    return [
        [_Group(report, tuple(ms)) for report, ms in per_report.items()]
        for per_report in by_key.values()
    ]


def _align_quotes(quotes: Sequence[Mention]) -> list[list[_Group]]:
    clusters: list[list[_Group]] = []
    for quote in quotes:
        for cluster in clusters:
            if (
                quote.report not in {g.report for g in cluster}
                and fuzz.partial_ratio(quote.key, cluster[0].first.key) >= QUOTE_MATCH_MIN
            ):
                cluster.append(_Group(quote.report, (quote,)))
                break
        else:
            clusters.append([_Group(quote.report, (quote,))])
    return clusters


# --- facts -------------------------------------------------------------------------------


def _make_fact(
    fact_id: str,
    kind: str,
    groups: list[_Group],
    reports: dict[str, Report],
    order: dict[str, int],
) -> Fact:
    groups = sorted(groups, key=lambda g: order[g.report])
    mentions = tuple(m for g in groups for m in g.mentions)
    firsts = [g.first for g in groups]
    status, explanation = _judge(kind, firsts, reports)
    confidence = 1.0
    if kind == "quantity" and len(firsts) > 1:
        confidence = min(referent_similarity(a, b) for a in firsts for b in firsts if a is not b)
    return Fact(
        id=fact_id,
        kind=kind,
        what=_describe(kind, mentions),
        status=status,
        explanation=explanation,
        mentions=mentions,
        confidence=confidence,
    )


def _judge(kind: str, firsts: list[Mention], reports: dict[str, Report]) -> tuple[FactStatus, str]:
    names = [_name(m, reports) for m in firsts]
    if len(firsts) == 1:
        source = f", attributed to {firsts[0].attributed_to}" if firsts[0].attributed_to else ""
        return "single", f"Only {names[0]} gives this{source}."
    if kind != "quantity":
        values = {str(m.value) for m in firsts}
        if kind == "quote" and len({m.key for m in firsts}) > 1:
            return "compatible", f"{_join(names)} quote these words with small differences."
        if len(values) == 1:
            return "agree", f"{_join(names)} all give {firsts[0].value}."
        return "compatible", f"{_join(names)} name it differently: " + "; ".join(
            f"{n}: {m.value}" for n, m in zip(names, firsts, strict=True)
        ) + "."
    return _judge_counts(firsts, names, reports)


def _judge_counts(
    firsts: list[Mention], names: list[str], reports: dict[str, Report]
) -> tuple[FactStatus, str]:
    givens = "; ".join(
        f"{n}: {format_value(m)}{_cited(m)}" for n, m in zip(names, firsts, strict=True)
    )
    if all(m.qualifier == "exact" for m in firsts) and len({m.value for m in firsts}) == 1:
        return "agree", f"{_join(names)} all give {format_value(firsts[0])}{_cited_all(firsts)}."
    same_figure = len({_headline_number(m) for m in firsts}) == 1
    if same_figure and (
        len({m.qualifier for m in firsts}) == 1 or all(m.qualifier in HEDGES for m in firsts)
    ):
        return "agree", f"{_join(names)} give the same figure ({givens})."
    if intervals_overlap(firsts):
        return "compatible", f"The figures differ in precision but can all be true ({givens})."
    rising = _rising_toll(firsts, reports)
    if rising:
        return "compatible", f"A later report gives a higher toll, as tolls rise ({givens})."
    return "conflict", f"The figures cannot all be true of the same count ({givens})."


def _rising_toll(firsts: list[Mention], reports: dict[str, Report]) -> bool:
    """Later reports give higher killed/wounded tolls: a toll that rose, not a contradiction."""
    if not all(m.key.startswith(("killed|", "wounded|")) for m in firsts):
        return False
    dated = [(reports[m.report].published, interval(m)) for m in firsts]
    if any(d is None for d, _ in dated) or len({d for d, _ in dated}) < 2:
        return False
    dated.sort(key=lambda x: x[0] or date.min)
    return all(
        dated[i][1][0] <= dated[i + 1][1][1] and dated[i][0] != dated[i + 1][0]
        for i in range(len(dated) - 1)
    )


_CURRENCY_SIGN = re.compile(r"[A-Z]{0,3}\s?[$€£¥]|[$€£¥]|US\$")


def format_value(m: Mention) -> str:
    """A count as a reader writes it: "at least 31", "70-80", "about 600", "dozens"."""
    canonical = canonical_unit(m.unit)
    money = m.unit if m.unit and _CURRENCY_SIGN.fullmatch(m.unit) else ""
    unit = ""
    if canonical == "percentage":
        unit = "%"
    elif canonical in known_units() and not money:
        unit = f" {m.unit}"  # a unit of measure; a counted noun is in the fact's name
    if m.qualifier == "range":
        return f"{_num(m.low)}-{_num(m.high)}{unit}"
    if m.qualifier == "vague":
        return m.text
    number = _num(m.value)
    prefix = {"at least": "at least ", "at most": "up to ", "about": "about "}.get(
        m.qualifier or "", ""
    )
    return f"{prefix}{money}{number}{unit}"


def _num(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def _describe(kind: str, mentions: Sequence[Mention]) -> str:
    if kind == "quantity":
        event, _, _ = _split_key(mentions[0].key)
        counted = _unique(m.counted for m in mentions if m.counted)
        label = EVENT_LABELS.get(event or "", event or "count")
        return f"{label}: {' / '.join(counted[:3])}" if counted else label
    if kind == "date":
        events = _unique(m.event for m in mentions if m.event)
        return f"date of {' / '.join(events[:3])}" if events else "date"
    if kind == "quote":
        speakers = _unique(m.attributed_to for m in mentions if m.attributed_to)
        return f"quote from {speakers[0]}" if speakers else "quote"
    return f"{kind}: {mentions[0].value}"


def _unique(items: Iterable[str | None]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item.lower() not in {s.lower() for s in seen}:
            seen[item] = None
    return list(seen)


def _name(m: Mention, reports: dict[str, Report]) -> str:
    return reports[m.report].label


def _cited(m: Mention) -> str:
    return f", citing {m.attributed_to}" if m.attributed_to else ""


def _cited_all(firsts: list[Mention]) -> str:
    sources = _unique(m.attributed_to for m in firsts)
    return f", citing {_join(sources)}" if sources else ""


def _join(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
