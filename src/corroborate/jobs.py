"""The two jobs as functions: `compare` (read, clean, extract, align, assess) and
`extract_mentions`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from corroborate.align import align
from corroborate.align.pairing import PairModels
from corroborate.assess import assess
from corroborate.clean import find_boilerplate
from corroborate.errors import NoReportsError
from corroborate.extract import extract_reports
from corroborate.model import Comparison, Extraction, InputProblem, Report
from corroborate.read import read_reports
from corroborate.render import render_json
from corroborate.store import Store

LOGGER = logging.getLogger(__name__)

Inputs = Sequence[str | Path | Report]
PerReport = str | Mapping[str, str] | None
PublishedOption = str | date | Mapping[str, str | date] | None


@dataclass(frozen=True, slots=True)
class ExtractionResult:
    """The result of `extract_mentions`: one extraction per report, and unreadable inputs."""

    extractions: tuple[Extraction, ...]
    problems: tuple[InputProblem, ...] = ()


def compare(
    inputs: Inputs,
    *,
    outlet: PerReport = None,
    published: PublishedOption = None,
    models: PairModels | None = None,
) -> Comparison:
    """Compare news reports of one event, fact by fact.

    Args:
        inputs: paths (files or folders) and/or `Report` objects.
        outlet: outlet name for reports without one, or a mapping of report id to outlet.
        published: publication date for reports without one (relative dates such as
            "on Sunday" resolve against it), or a mapping of report id to date.
        models: the pair models of the align stage; the shipped ones by default.

    Returns:
        The reports (with removed boilerplate spans, and in `signals` their sourcing profile,
        slant and outlet prior), the incidents they tell of, the facts and the sources.
        Inputs that could not be read are listed in `problems`.

    Raises:
        NoReportsError: no input gave a report.
    """
    reports, problems = load_reports(inputs, outlet=outlet, published=published, job="compare")
    extractions = extract_reports(reports)
    alignment = align(extractions, models)
    sources = tuple(s for e in extractions for s in e.sources)
    assessed = assess(extractions, alignment.facts)
    return Comparison(assessed, alignment.facts, sources, problems, incidents=alignment.incidents)


@dataclass(frozen=True, slots=True)
class StoryComparison:
    """A stored story's comparison as version-1 JSON, and whether it came from the store."""

    story: int
    body: str
    kept: bool

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.body)
        return data


def compare_story(store: Store, story: int, *, models: PairModels | None = None) -> StoryComparison:
    """Compare a stored story's reports, or read back the comparison kept from the last time.

    A kept comparison is used only if it was made of the story's current reports by this
    version of the analysis; otherwise the story is compared and the result kept.

    Raises:
        StoreError: there is no such story.
    """
    kept = kept_story_comparison(store, story)
    if kept is not None:
        return kept
    reports = store.story_reports(story)
    comparison = compare(reports, models=models)
    body = render_json(comparison, indent=None)
    conflicts = sum(fact.status == "conflict" for fact in comparison.facts)
    store.keep_comparison(
        story, [r.id for r in reports], body, facts=len(comparison.facts), conflicts=conflicts
    )
    return StoryComparison(story, body, kept=False)


def kept_story_comparison(store: Store, story: int) -> StoryComparison | None:
    """The comparison kept for a stored story, if it is current; else None."""
    body = store.kept_comparison(story)
    return None if body is None else StoryComparison(story, body, kept=True)


def extract_mentions(
    inputs: Inputs, *, outlet: PerReport = None, published: PublishedOption = None
) -> ExtractionResult:
    """The mentions and sources of each report, with no cross-report step.

    Takes the same inputs and options as `compare`. Raises `NoReportsError` if no input
    gave a report.
    """
    reports, problems = load_reports(inputs, outlet=outlet, published=published, job="extract")
    return ExtractionResult(tuple(extract_reports(reports)), problems)


def load_reports(
    inputs: Inputs,
    *,
    outlet: PerReport = None,
    published: PublishedOption = None,
    job: str = "compare",
) -> tuple[list[Report], tuple[InputProblem, ...]]:
    """Read the inputs that are paths, keep the given `Report`s, and find their boilerplate."""
    given = [item for item in inputs if isinstance(item, Report)]
    paths = [item for item in inputs if not isinstance(item, Report)]
    problems: tuple[InputProblem, ...] = ()
    reports = list(given)
    if paths:
        result = read_reports(paths, outlet=outlet, published=published)
        reports.extend(result.reports)
        problems = result.problems
    for problem in problems:
        LOGGER.info("skipped %s", problem)  # returned to the caller, who reports it
    if not reports:
        details = "; ".join(str(p) for p in problems) or "no inputs given"
        raise NoReportsError(f"no reports to {job} ({details})")
    return [find_boilerplate(report) for report in reports], problems
