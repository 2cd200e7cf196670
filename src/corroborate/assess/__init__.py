"""The assess stage: how far each report can be trusted, from its sourcing, its slant and the
published ratings of its outlet; results go to each report's `signals`.

What the analysis finds (sourcing, slant) and what others published about the outlet (the
prior) are kept under separate keys and never mixed into one score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from corroborate.assess.appeals import Appeal, find_appeals
from corroborate.assess.headline import HeadlineIssue, headline_issues, headline_span
from corroborate.assess.outlets import OutletPrior, outlet_prior
from corroborate.assess.slant import Slant, slant_of
from corroborate.assess.sourcing import SourcingProfile, sourcing_profile
from corroborate.assess.techniques import TechniqueSpan, find_techniques
from corroborate.model import Extraction, Fact, Report

__all__ = [
    "Appeal",
    "HeadlineIssue",
    "OutletPrior",
    "Slant",
    "SourcingProfile",
    "TechniqueSpan",
    "assess",
    "find_appeals",
    "find_techniques",
    "headline_issues",
    "headline_span",
    "outlet_prior",
    "slant_of",
    "sourcing_profile",
]


def assess(extractions: Sequence[Extraction], facts: Sequence[Fact] = ()) -> tuple[Report, ...]:
    """Each report with its sourcing profile, slant and outlet prior added to `signals`.

    `facts` (from the align stage) let the slant show, beside a loaded phrase, how the other
    reports worded the same fact.
    """
    reports = {e.report.id: e.report for e in extractions}
    assessed = []
    for extraction in extractions:
        report = extraction.report
        signals = dict(report.signals)
        signals["sourcing"] = sourcing_profile(extraction).to_dict()
        signals["slant"] = slant_of(extraction, facts, reports).to_dict()
        signals["outlet_prior"] = outlet_prior(report.outlet, report.domain, report.url).to_dict()
        assessed.append(replace(report, signals=signals))
    return tuple(assessed)
