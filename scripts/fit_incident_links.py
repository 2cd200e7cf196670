"""Choose how close two reports' leads must be to tell of one incident.

Runs the extract stage on every group of ../shared/data/events/fakes_dev (reports carry their
gold incident) and every incident of ../shared/data/events/gva_dev (all its reports tell of
it), and scores the report pairs that `corroborate.align.incidents.linked_leads` puts
together or apart as the gold does, for each candidate pair of thresholds: the closeness
that links any two leads (`SAME_INCIDENT_LEAD`) and the closeness that links leads naming
different kinds of violent incident (`DIFFERENT_KIND_LEAD`). The thresholds are chosen
leave-one-group-out: each group is scored at the values chosen without it, and the held-out
figures are printed per corpus beside the values chosen on all groups, which are what the
constants should be set to.

    python scripts/fit_incident_links.py
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from corroborate.align.context import MentionContext
from corroborate.align.incidents import LeadKinds, linked_leads
from corroborate.jobs import extract_mentions
from corroborate.model import Report

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT.parent / "shared" / "data" / "events"
# Candidate thresholds for any two leads, and for leads of different kinds (above 1 no such
# pair is ever linked by its lead alone).
SAME_CANDIDATES = (0.55, 0.58, 0.6, 0.62, 0.65, 0.7)
DIFFERENT_CANDIDATES = (0.65, 0.7, 0.75, 0.8, 0.85, 1.01)
CANDIDATES = tuple(itertools.product(SAME_CANDIDATES, DIFFERENT_CANDIDATES))
# The folds of bench/incident_card.py.
CARD_FOLDS = 5


@dataclass(frozen=True)
class LeadPair:
    group: str
    same_incident: bool
    cosine: float
    same_kind: bool
    different_kinds: bool
    same_people: bool

    def linked(self, thresholds: tuple[float, float]) -> bool:
        same_min, different_kind_min = thresholds
        return linked_leads(
            self.cosine,
            self.same_kind,
            self.different_kinds,
            self.same_people,
            same_min=same_min,
            different_kind_min=different_kind_min,
        )


def lead_pairs(group: str, reports: list[Report], gold: dict[str, object]) -> list[LeadPair]:
    extractions = extract_mentions(reports).extractions
    context = MentionContext(
        [m for e in extractions for m in e.mentions], {e.report.id: e.report for e in extractions}
    )
    people = context.people
    kinds = {r.id: LeadKinds.of(r) for r in reports}
    pairs = []
    for i, a in enumerate(reports):
        for b in reports[i + 1 :]:
            pairs.append(
                LeadPair(
                    group=group,
                    same_incident=gold[a.id] == gold[b.id],
                    cosine=context.report_lead_cosine(a.id, b.id),
                    same_kind=kinds[a.id].same_kind(kinds[b.id]),
                    different_kinds=kinds[a.id].different_kinds(kinds[b.id]),
                    same_people=bool(people.get(a.id, set()) & people.get(b.id, set())),
                )
            )
    return pairs


def load_pairs() -> list[LeadPair]:
    pairs: list[LeadPair] = []
    for path in sorted((EVENTS / "fakes_dev").glob("*.json")):
        group = json.loads(path.read_text(encoding="utf-8"))
        reports = [Report.from_dict(r) for r in group["reports"]]
        gold = {r["id"]: r.get("incident", 0) for r in group["reports"]}
        pairs += lead_pairs(f"fakes_dev/{group['group']}", reports, gold)
    for path in sorted((EVENTS / "gva_dev").glob("*.json")):
        incident = json.loads(path.read_text(encoding="utf-8"))
        reports = [Report.from_dict(r) for r in incident["reports"]]
        pairs += lead_pairs(f"gva_dev/{incident['incident']}", reports, {r.id: 0 for r in reports})
    return pairs


def accuracy(pairs: list[LeadPair], thresholds: tuple[float, float]) -> float:
    return sum(p.linked(thresholds) == p.same_incident for p in pairs) / max(1, len(pairs))


def choose(pairs: list[LeadPair]) -> tuple[float, float]:
    """The candidates with the best accuracy; of equals, the most linking for any two leads
    and the least for leads of different kinds."""
    return max(CANDIDATES, key=lambda t: (accuracy(pairs, t), t[0], -t[1]))


def main() -> None:
    pairs = load_pairs()
    groups = sorted({p.group for p in pairs})
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for group in groups:
        threshold = choose([p for p in pairs if p.group != group])
        corpus = group.split("/")[0]
        for p in pairs:
            if p.group == group:
                right[corpus] += p.linked(threshold) == p.same_incident
                total[corpus] += 1
    for corpus in sorted(total):
        of_corpus = [p for p in pairs if p.group.startswith(corpus)]
        print(f"{corpus}: {total[corpus]} report pairs")
        for same_min in SAME_CANDIDATES:
            row = [accuracy(of_corpus, (same_min, d)) for d in DIFFERENT_CANDIDATES]
            print(f"  in-sample, any leads >= {same_min}: " + " ".join(f"{a:.3f}" for a in row))
        print(f"{corpus}: held out (leave one group out) {right[corpus] / total[corpus]:.3f}")
    print(f"  (columns: leads of different kinds >= {', '.join(map(str, DIFFERENT_CANDIDATES))})")
    same_min, different_kind_min = choose(pairs)
    print(f"chosen on all groups: SAME_INCIDENT_LEAD = {same_min}")
    print(f"chosen on all groups: DIFFERENT_KIND_LEAD = {different_kind_min}")
    # bench/incident_card.py scores gva_dev in 5 folds (incidents sorted by id, dealt round
    # robin): the values chosen without each fold. Where they are the shipped ones, the
    # card's figures are its cross-validated figures.
    incidents = sorted((g for g in groups if g.startswith("gva_dev/")), key=lambda g: (len(g), g))
    for fold in range(CARD_FOLDS):
        held_out = set(incidents[fold::CARD_FOLDS])
        chosen = choose([p for p in pairs if p.group not in held_out])
        print(f"chosen without gva_dev fold {fold + 1} of {CARD_FOLDS}: {chosen}")


if __name__ == "__main__":
    main()
