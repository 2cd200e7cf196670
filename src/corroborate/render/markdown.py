"""The comparison as Markdown, for pasting into a document."""

from __future__ import annotations

from corroborate.model import Comparison
from corroborate.render.assessment import assessment_lines
from corroborate.render.card import cards, details, slot_label
from corroborate.render.table import fact_rows, incident_lines, printable, sources_text


def render_markdown(comparison: Comparison, *, include_singles: bool = True) -> str:
    """Reports, the fact-by-outlet table and the sources, as GitHub-flavoured Markdown."""
    lines = ["# Comparison", "", "## Reports", ""]
    for report in comparison.reports:
        published = report.published.isoformat() if report.published else "date unknown"
        lines.append(
            f"- **{_escape(report.label)}** (`{_escape(report.id)}`, {published}): "
            f"{_escape(report.title or '')} — {len(report.removed)} boilerplate spans removed"
        )
    incidents = incident_lines(comparison)
    if incidents:
        lines += ["", "The reports tell of several incidents; their facts are kept apart:", ""]
        lines += [f"- {_escape(line)}" for line in incidents]
    labels = [r.label for r in comparison.reports]
    for card in cards(comparison):
        reports = [comparison.report(r) for r in card.incident.reports]
        headers = ["slot", *(r.label for r in reports), "status", "why"]
        lines += ["", f"## Incident: {_escape(card.heading)}", "", *_table_head(headers)]
        for row in fact_rows(comparison, card.facts, reports):
            label = slot_label(row.fact.slot, row.fact.category) or row.fact.what
            cells = [_escape(label), *map(_escape, row.cells)]
            cells += [f"**{row.fact.status}**", _escape(row.fact.explanation)]
            lines.append("| " + " | ".join(cells) + " |")
        if card.omissions:
            lines += ["", *(f"- {_escape(line)}" for line in card.omissions)]
    shown = details(comparison, include_singles=include_singles)
    headers = ["fact", "what", *labels, "status", "sources", "why"]
    lines += ["", "## Details", "", *_table_head(headers)]
    for row in fact_rows(comparison, shown.facts):
        cells = [
            _escape(row.fact.id),
            _escape(row.fact.what),
            *map(_escape, row.cells),
            f"**{row.fact.status}**",
            _escape(sources_text(row.fact)),
            _escape(row.fact.explanation),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    if shown.folded:
        lines += [
            "",
            f"{shown.folded} low-value rows folded away (background, or one report only).",
        ]
    lines += ["", "## Sources", ""]
    for source in comparison.sources:
        via = f" via {source.via}" if source.via else ""
        lines.append(
            f"- {_escape(comparison.report(source.report).label)}: "
            f"{_escape(source.who)}{_escape(via)} ({source.kind})"
        )
    assessed = [(r, assessment_lines(r)) for r in comparison.reports]
    if any(found for _, found in assessed):
        lines += ["", "## Sourcing, slant and outlet priors"]
    for report, found in assessed:
        if found:
            lines += ["", f"### {_escape(report.label)}", ""]
            lines += [f"- {heading}: {_escape(line)}" for heading, line in found]
    for problem in comparison.problems:
        lines.append(f"- skipped {_escape(str(problem))}")
    return "\n".join(lines) + "\n"


def _table_head(headers: list[str]) -> list[str]:
    return ["| " + " | ".join(_escape(h) for h in headers) + " |", "|" + "---|" * len(headers)]


def _escape(text: str) -> str:
    """Escape what Markdown or HTML would interpret in untrusted article text."""
    replacements = {
        "\\": "\\\\",
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "*": "\\*",
        "_": "\\_",
        "`": "\\`",
        "[": "\\[",
        "]": "\\]",
        "\n": " ",
    }
    return "".join(replacements.get(ch, ch) for ch in printable(text))
