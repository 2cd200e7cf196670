"""The two jobs as functions: `compare` (read, clean, extract, align, assess) and
`extract_mentions`."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from corroborate.align import align
from corroborate.align.pairing import PairModels
from corroborate.assess import assess
from corroborate.clean import find_boilerplate
from corroborate.errors import ArgumentError, NoReportsError, check_deadline
from corroborate.extract import extract_reports
from corroborate.model import Comparison, Extraction, InputProblem, Report, storable_text
from corroborate.read import (
    input_items,
    input_paths,
    read_reports,
    text_over_limit,
    with_unique_ids,
)
from corroborate.render import render_json
from corroborate.store import Store

LOGGER = logging.getLogger(__name__)

Inputs = Sequence[str | Path | Report] | str | Path | Report
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
    deadline: float | None = None,
) -> Comparison:
    """Compare news reports of one event, fact by fact.

    Args:
        inputs: paths (files or folders) and/or `Report` objects.
        outlet: outlet name for reports without one, or a mapping of report id to outlet.
        published: publication date for reports without one (relative dates such as
            "on Sunday" resolve against it), or a mapping of report id to date.
        models: the pair models of the align stage; the shipped ones by default.
        deadline: a `time.monotonic()` instant to stop by (a server's time budget): the
            work stops at the next paragraph or stage after it.

    Returns:
        The reports (with removed boilerplate spans, and in `signals` their sourcing profile,
        slant and outlet prior), the incidents they tell of, the facts and the sources.
        Inputs that could not be read are listed in `problems`.

    Raises:
        NoReportsError: no input gave a report.
        DeadlineExceeded: the deadline passed before the comparison was done.
    """
    reports, problems = load_reports(inputs, outlet=outlet, published=published, job="compare")
    extractions = extract_reports(reports, deadline=deadline)
    check_deadline(deadline, "lining up the facts")
    alignment = align(extractions, models)
    check_deadline(deadline, "assessing the reports")
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


def compare_story(
    store: Store, story: int, *, models: PairModels | None = None, deadline: float | None = None
) -> StoryComparison:
    """Compare a stored story's reports, or read back the comparison kept from the last time.

    A kept comparison is used only if it was made of the story's current reports by this
    version of the analysis; otherwise the story is compared and the result kept.

    Raises:
        StoreError: there is no such story.
        DeadlineExceeded: the deadline passed before the comparison was done.
    """
    kept = kept_story_comparison(store, story)
    if kept is not None:
        return kept
    reports = store.story_reports(story)
    comparison = compare(reports, models=models, deadline=deadline)
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
    """Read the inputs that are paths, keep the given `Report`s, and find their boilerplate.

    Raises:
        ArgumentError: an input is neither a path nor a `Report`, a given report is not one
            the pipeline can read (no text, text over the limit, no id), or two given
            reports share an id.
        NoReportsError: no input gave a report.
    """
    items = input_items(inputs)
    given = [_usable_report(item, n) for n, item in enumerate(items) if isinstance(item, Report)]
    paths = [item for item in items if not isinstance(item, Report)]
    _check_unique_ids(given)
    problems: tuple[InputProblem, ...] = ()
    reports = list(given)
    if paths:
        result = read_reports(input_paths(paths), outlet=outlet, published=published)
        # a file's report never takes the id of a report given as an object
        reports = with_unique_ids([*given, *result.reports])
        problems = result.problems
    for problem in problems:
        LOGGER.info("skipped %s", problem)  # returned to the caller, who reports it
    if not reports:
        details = "; ".join(str(p) for p in problems) or "no inputs given"
        raise NoReportsError(f"no reports to {job} ({details})")
    return [find_boilerplate(report) for report in reports], problems


def _usable_report(report: Report, position: int) -> Report:
    """A report given as an object, checked as the readers check what they read, its text
    made storable (NULs and lone surrogates become U+FFFD)."""
    where = f"inputs[{position}]"
    if not isinstance(report.id, str) or not report.id.strip():
        raise ArgumentError(where, f"a report needs a non-empty string id, got {report.id!r:.80}")
    where = f"inputs[{position}] (report {report.id!r:.80})"
    if not isinstance(report.text, str):
        raise ArgumentError(where, f"text must be a string, got {type(report.text).__name__}")
    if not report.text.strip():
        raise ArgumentError(where, "text is empty: nothing to analyse")
    if (too_long := text_over_limit(report.text)) is not None:
        raise ArgumentError(where, too_long)
    for name in ("outlet", "domain", "title", "url"):
        value = getattr(report, name)
        if value is not None and not isinstance(value, str):
            raise ArgumentError(where, f"{name} must be a string or None, got {value!r:.80}")
    if report.published is not None and not isinstance(report.published, date):
        raise ArgumentError(
            where, f"published must be a date or None, got {report.published!r:.80}"
        )
    text = storable_text(report.text)
    return report if text == report.text else replace(report, text=text)


def _check_unique_ids(reports: Sequence[Report]) -> None:
    ids = [r.id for r in reports]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ArgumentError(
            "inputs", "report ids must be unique; repeated: " + ", ".join(map(repr, repeated))
        )
