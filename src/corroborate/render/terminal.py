"""A readable terminal view with Rich: what was removed, the fact table, then the sources."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from corroborate.model import Comparison, Fact, FactStatus
from corroborate.render.assessment import assessment_lines
from corroborate.render.card import Card, cards, details, slot_label
from corroborate.render.table import fact_rows, incident_lines, shorten, sources_text

STATUS_STYLES = {
    FactStatus.AGREE: "bold green",
    FactStatus.COMPATIBLE: "bold cyan",
    FactStatus.CONFLICT: "bold red",
    FactStatus.SINGLE: "dim",
}


def render_terminal(
    comparison: Comparison,
    console: Console,
    *,
    include_singles: bool = True,
    show_removed: bool = True,
) -> None:
    """Print the comparison to a Rich console."""
    console.print(_reports_view(comparison, show_removed))
    for card in cards(comparison):
        console.print(_card_table(comparison, card))
        for line in card.omissions:
            console.print(Text(f"  {line}", style="yellow"))
    shown = details(comparison, include_singles=include_singles)
    console.print(_fact_table(comparison, shown.facts))
    if shown.folded:
        console.print(
            Text(
                f"{shown.folded} low-value rows folded away (background, or given by one "
                "report only): --singles shows them",
                style="dim",
            )
        )
    console.print(_sources_table(comparison))
    if any(assessment_lines(r) for r in comparison.reports):
        console.print(_assessment_view(comparison))
    for problem in comparison.problems:
        console.print(Text(f"skipped {problem}", style="yellow"))


def _reports_view(comparison: Comparison, show_removed: bool) -> RenderableType:
    parts: list[RenderableType] = []
    for report in comparison.reports:
        published = report.published.isoformat() if report.published else "date unknown"
        header = Text.assemble(
            (report.label, "bold"), f"  {report.id}  {published}  ", (report.title or "", "italic")
        )
        parts.append(header)
        if show_removed:
            for span in report.removed:
                snippet = shorten(report.text[span.start : span.end].replace("\n", " "), 70)
                parts.append(
                    Text.assemble(
                        "  removed ", (span.reason, "yellow"), f": {snippet}", style="dim"
                    )
                )
    incidents = incident_lines(comparison)
    if incidents:
        parts.append(Text("The reports tell of several incidents:", style="bold yellow"))
        parts += [Text(f"  {line}", style="yellow") for line in incidents]
    return Group(*parts)


def _card_table(comparison: Comparison, card: Card) -> Table:
    """The incident first: one row per slot, one column per report of the incident."""
    title = Text.assemble(("Incident: ", "bold"), (card.heading, "bold"))
    table = Table(title=title, show_lines=True, expand=True)
    reports = [comparison.report(r) for r in card.incident.reports]
    table.add_column("slot", no_wrap=True)
    for report in reports:
        table.add_column(escape(report.label), ratio=2)
    table.add_column("status", no_wrap=True)
    table.add_column("why", ratio=3)
    for row in fact_rows(comparison, card.facts, reports):
        label = slot_label(row.fact.slot, row.fact.category) or row.fact.what
        table.add_row(
            Text(label),
            *(Text(c) for c in row.cells),
            Text(row.fact.status, style=STATUS_STYLES[row.fact.status]),
            Text(row.fact.explanation, style="dim"),
        )
    return table


def _fact_table(comparison: Comparison, facts: Sequence[Fact]) -> Table:
    table = Table(title="Details by outlet", show_lines=True, expand=True)
    table.add_column("fact", no_wrap=True)
    table.add_column("what", ratio=2)
    for report in comparison.reports:
        table.add_column(escape(report.label), ratio=2)
    table.add_column("status", no_wrap=True)
    table.add_column("sources", no_wrap=True)
    table.add_column("why", ratio=3)
    for row in fact_rows(comparison, facts):
        style = STATUS_STYLES[row.fact.status]
        table.add_row(
            row.fact.id,
            Text(row.fact.what),
            *(Text(c) for c in row.cells),
            Text(row.fact.status, style=style),
            Text(sources_text(row.fact)),
            Text(row.fact.explanation, style="dim"),
        )
    return table


def _assessment_view(comparison: Comparison) -> RenderableType:
    parts: list[RenderableType] = [Text("Sourcing, slant and outlet priors", style="bold")]
    for report in comparison.reports:
        lines = assessment_lines(report)
        if lines:
            parts.append(Text(report.label, style="bold"))
        for heading, line in lines:
            parts.append(
                Text.assemble(f"  {heading}: ", (line, "dim" if heading == "outlet prior" else ""))
            )
    return Group(*parts)


def _sources_table(comparison: Comparison) -> Table:
    table = Table(title="Sources", expand=True)
    for column in ("report", "who", "via", "kind", "named"):
        table.add_column(column)
    for source in comparison.sources:
        via = f"{source.via} ({source.via_kind})" if source.via and source.via_kind else source.via
        table.add_row(
            Text(comparison.report(source.report).label),
            Text(source.who),
            Text(via or ""),
            Text(source.kind),
            "yes" if source.named else "no",
        )
    return table
