"""The fact-by-outlet table as rows of plain strings, shared by the Markdown and terminal views."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from corroborate.align import format_value
from corroborate.model import Comparison, Fact, Mention, Report


@dataclass(frozen=True, slots=True)
class TableRow:
    """One fact: its id, what it is, one cell per report, its status and explanation."""

    fact: Fact
    cells: tuple[str, ...]


def fact_rows(
    comparison: Comparison, facts: Sequence[Fact], reports: Sequence[Report] | None = None
) -> list[TableRow]:
    """One row per fact, one cell per report (empty where the report does not give it);
    all the comparison's reports unless `reports` says which."""
    rows = []
    for fact in facts:
        cells = []
        for report in comparison.reports if reports is None else reports:
            mine = [m for m in fact.mentions if m.report == report.id]
            cells.append(cell_text(mine[0]) if mine else "")
        rows.append(TableRow(fact, tuple(cells)))
    return rows


def incident_lines(comparison: Comparison) -> list[str]:
    """ "i1: <title> (NNA, Ahram)", one per incident, when the reports tell of several."""
    if len(comparison.incidents) < 2:
        return []
    return [
        f"{incident.id}: {incident.about} "
        f"({', '.join(comparison.report(rid).label for rid in incident.reports)})"
        for incident in comparison.incidents
    ]


def sources_text(fact: Fact) -> str:
    """How many independent primary sources stand behind the fact."""
    count = fact.independent_sources
    return f"{count} source" if count == 1 else f"{count} sources"


def cell_text(m: Mention) -> str:
    """A cell: the value with its qualifier and, if any, who it is attributed to."""
    value = format_value(m) if m.kind == "quantity" else shorten(str(m.value), 60)
    if m.kind == "date" and m.text.lower() not in str(m.value).lower():
        value = f"{m.value} ({m.text})"
    if m.kind == "quantity" and m.counted:
        value = f"{value} {m.counted}"
    if m.attribution:
        value = f"{value} [{shorten(m.attribution, 40)}]"
    return value


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# What untrusted text must not bring to a terminal: C0 and C1 control characters but tab and
# newline (ESC and CSI start escape sequences, BEL ends a window-title sequence, CR overwrites
# the line), DEL, and the bidirectional overrides that reorder what a reader sees.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Untrusted text (titles, outlet names, report text, file names) made safe to print:
    each control character becomes a space, so nothing drives the terminal."""
    return CONTROL_CHARACTERS.sub(" ", text)
