"""The align stage: gather mentions of one referent across reports into facts with a status.

Counts are paired by a fitted model over what they count, the meaning of their sentences
(MiniLM embeddings), places, dates, sources and figures (`pairing`), then judged as numbers
with bounds (`judge`). A pairing that is not sure enough to call a conflict is not made: a poor
alignment never shows as a contradiction. Dates, places and actors line up by normalised key;
quotes by fuzzy match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from corroborate.align.bounds import format_value, interval, intervals_overlap
from corroborate.align.context import MentionContext
from corroborate.align.judge import make_fact
from corroborate.align.pairing import (
    MentionGroup,
    PairModels,
    cluster_counts,
    group_within_reports,
    pair_probabilities,
)
from corroborate.model import Extraction, Fact, Incident, Mention

__all__ = ["Alignment", "align", "format_value", "interval", "intervals_overlap"]

QUOTE_MATCH_MIN = 85
KIND_ORDER = ("quantity", "date", "place", "actor", "quote")


@dataclass(frozen=True, slots=True)
class Alignment:
    """What the align stage returns: the facts, and the incidents the reports tell of."""

    facts: tuple[Fact, ...]
    incidents: tuple[Incident, ...]


def align(extractions: Sequence[Extraction], models: PairModels | None = None) -> Alignment:
    """Line up the mentions of all reports into facts, and group the reports by incident.

    Args:
        extractions: one per report, from the extract stage.
        models: the pair models; the shipped ones (`data/pair_model.json`) by default.

    Returns:
        Facts ordered by kind (counts first), then by where they first appear; incidents in
        order of their first report.
    """
    if not extractions:
        return Alignment((), ())
    ids = [e.report.id for e in extractions]
    if len(set(ids)) < len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"report ids must be unique; repeated: {', '.join(repeated)}")
    reports = {e.report.id: e.report for e in extractions}
    order = {e.report.id: i for i, e in enumerate(extractions)}
    mentions = [m for e in extractions for m in e.mentions]
    sources = [s for e in extractions for s in e.sources]
    clusters: list[tuple[str, list[MentionGroup], float]] = []
    counts = [m for m in mentions if m.kind == "quantity"]
    context = MentionContext(mentions, reports)
    if counts:
        groups = group_within_reports(counts)
        for members, confidence in cluster_counts(
            groups, pair_probabilities(groups, context, models)
        ):
            clusters.append(("quantity", members, confidence))
    keyed = (
        ("date", [m for m in mentions if m.kind == "date" and m.event != "statement"]),
        ("place", [m for m in mentions if m.kind == "place"]),
        ("actor", [m for m in mentions if m.kind == "actor"]),
    )
    for kind, of_kind in keyed:
        clusters += [(kind, c, 1.0) for c in _group_by_key(of_kind)]
    quotes = [m for m in mentions if m.kind == "quote"]
    clusters += [("quote", c, 1.0) for c in _align_quotes(quotes)]
    clusters.sort(
        key=lambda c: (
            KIND_ORDER.index(c[0]),
            min(g.first.start for g in c[1]),
            min(order[g.report] for g in c[1]),
        )
    )
    facts = tuple(
        make_fact(f"f{n}", kind, groups, confidence, reports, order, sources)
        for n, (kind, groups, confidence) in enumerate(clusters, start=1)
    )
    return Alignment(facts, context.incidents)


def _group_by_key(mentions: Iterable[Mention]) -> list[list[MentionGroup]]:
    by_key: dict[str, dict[str, list[Mention]]] = defaultdict(lambda: defaultdict(list))
    for m in mentions:
        by_key[m.key][m.report].append(m)
    return [
        [MentionGroup(report, tuple(ms)) for report, ms in per_report.items()]
        for per_report in by_key.values()
    ]


def _align_quotes(quotes: Sequence[Mention]) -> list[list[MentionGroup]]:
    clusters: list[list[MentionGroup]] = []
    for quote in quotes:
        for cluster in clusters:
            if (
                quote.report not in {g.report for g in cluster}
                and fuzz.partial_ratio(quote.key, cluster[0].first.key) >= QUOTE_MATCH_MIN
            ):
                cluster.append(MentionGroup(quote.report, (quote,)))
                break
        else:
            clusters.append([MentionGroup(quote.report, (quote,))])
    return clusters
