"""The main job as one function: read, clean, extract and align reports into a Comparison."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from corroborate.align import align_facts
from corroborate.clean import find_boilerplate
from corroborate.errors import NoReportsError
from corroborate.extract import extract_reports
from corroborate.model import Comparison, InputProblem, Report
from corroborate.read import read_reports

LOGGER = logging.getLogger(__name__)


def compare(
    inputs: Sequence[str | Path | Report],
    *,
    outlet: str | Mapping[str, str] | None = None,
    published: str | date | Mapping[str, str | date] | None = None,
) -> Comparison:
    """Compare news reports of one event, fact by fact.

    Args:
        inputs: paths (files or folders) and/or `Report` objects.
        outlet: outlet name for reports without one, or a mapping of report id to outlet.
        published: publication date for reports without one (relative dates such as
            "on Sunday" resolve against it), or a mapping of report id to date.

    Returns:
        The reports (with removed boilerplate spans), the facts and the sources. Inputs that
        could not be read are listed in `problems`.

    Raises:
        NoReportsError: no input gave a report.
    """
    given = [item for item in inputs if isinstance(item, Report)]
    paths = [item for item in inputs if not isinstance(item, Report)]
    problems: tuple[InputProblem, ...] = ()
    reports = list(given)
    if paths:
        result = read_reports(paths, outlet=outlet, published=published)
        reports.extend(result.reports)
        problems = result.problems
    for problem in problems:
        LOGGER.warning("skipped %s", problem)
    if not reports:
        details = "; ".join(str(p) for p in problems) or "no inputs given"
        raise NoReportsError(f"no reports to compare ({details})")
    cleaned = [find_boilerplate(report) for report in reports]
    extractions = extract_reports(cleaned)
    facts = align_facts(extractions)
    sources = tuple(s for e in extractions for s in e.sources)
    return Comparison(tuple(cleaned), facts, sources, problems)
