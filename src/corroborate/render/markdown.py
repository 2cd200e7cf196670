"""The comparison as Markdown, for pasting into a document."""

from __future__ import annotations

from corroborate.model import Comparison
from corroborate.render.assessment import assessment_lines
from corroborate.render.table import fact_rows, incident_lines, sources_text


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
    headers = [
        "fact",
        "what",
        *(r.label for r in comparison.reports),
        "status",
        "sources",
        "why",
    ]
    lines += [
        "",
        "## Facts",
        "",
        "| " + " | ".join(_escape(h) for h in headers) + " |",
        "|" + "---|" * len(headers),
    ]
    for row in fact_rows(comparison, include_singles=include_singles):
        cells = [
            row.fact.id,
            row.fact.what,
            *row.cells,
            f"**{row.fact.status}**",
            sources_text(row.fact),
            row.fact.explanation,
        ]
        lines.append("| " + " | ".join(_escape(c) for c in cells) + " |")
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
    return "".join(replacements.get(ch, ch) for ch in text)
