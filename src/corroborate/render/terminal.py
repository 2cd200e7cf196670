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
from corroborate.render.table import (
    fact_rows,
    incident_lines,
    printable,
    shorten,
    sources_text,
)

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
            console.print(_text(f"  {line}", style="yellow"))
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
        console.print(_text(f"skipped {problem}", style="yellow"))


def _reports_view(comparison: Comparison, show_removed: bool) -> RenderableType:
    parts: list[RenderableType] = []
    for report in comparison.reports:
        published = report.published.isoformat() if report.published else "date unknown"
        header = Text.assemble(
            (printable(report.label), "bold"),
            printable(f"  {report.id}  {published}  "),
            (printable(report.title or ""), "italic"),
        )
        parts.append(header)
        if show_removed:
            for span in report.removed:
                snippet = shorten(report.text[span.start : span.end].replace("\n", " "), 70)
                parts.append(
                    Text.assemble(
                        "  removed ",
                        (span.reason, "yellow"),
                        printable(f": {snippet}"),
                        style="dim",
                    )
                )
    incidents = incident_lines(comparison)
    if incidents:
        parts.append(Text("The reports tell of several incidents:", style="bold yellow"))
        parts += [_text(f"  {line}", style="yellow") for line in incidents]
    return Group(*parts)


def _card_table(comparison: Comparison, card: Card) -> Table:
    """The incident first: one row per slot, one column per report of the incident."""
    title = Text.assemble(("Incident: ", "bold"), (printable(card.heading), "bold"))
    table = Table(title=title, show_lines=True, expand=True)
    reports = [comparison.report(r) for r in card.incident.reports]
    table.add_column("slot", no_wrap=True)
    for report in reports:
        table.add_column(escape(printable(report.label)), ratio=2)
    table.add_column("status", no_wrap=True)
    table.add_column("why", ratio=3)
    for row in fact_rows(comparison, card.facts, reports):
        label = slot_label(row.fact.slot, row.fact.category) or row.fact.what
        table.add_row(
            _text(label),
            *(_text(c) for c in row.cells),
            Text(row.fact.status, style=STATUS_STYLES[row.fact.status]),
            _text(row.fact.explanation, style="dim"),
        )
    return table


def _fact_table(comparison: Comparison, facts: Sequence[Fact]) -> Table:
    table = Table(title="Details by outlet", show_lines=True, expand=True)
    table.add_column("fact", no_wrap=True)
    table.add_column("what", ratio=2)
    for report in comparison.reports:
        table.add_column(escape(printable(report.label)), ratio=2)
    table.add_column("status", no_wrap=True)
    table.add_column("sources", no_wrap=True)
    table.add_column("why", ratio=3)
    for row in fact_rows(comparison, facts):
        style = STATUS_STYLES[row.fact.status]
        table.add_row(
            row.fact.id,
            _text(row.fact.what),
            *(_text(c) for c in row.cells),
            Text(row.fact.status, style=style),
            Text(sources_text(row.fact)),
            _text(row.fact.explanation, style="dim"),
        )
    return table


def _assessment_view(comparison: Comparison) -> RenderableType:
    parts: list[RenderableType] = [Text("Sourcing, slant and outlet priors", style="bold")]
    for report in comparison.reports:
        lines = assessment_lines(report)
        if lines:
            parts.append(_text(report.label, style="bold"))
        for heading, line in lines:
            parts.append(
                Text.assemble(
                    f"  {heading}: ",
                    (printable(line), "dim" if heading == "outlet prior" else ""),
                )
            )
    return Group(*parts)


def _sources_table(comparison: Comparison) -> Table:
    table = Table(title="Sources", expand=True)
    for column in ("report", "who", "via", "kind", "named"):
        table.add_column(column)
    for source in comparison.sources:
        via = f"{source.via} ({source.via_kind})" if source.via and source.via_kind else source.via
        table.add_row(
            _text(comparison.report(source.report).label),
            _text(source.who),
            _text(via or ""),
            Text(source.kind),
            "yes" if source.named else "no",
        )
    return table


def _text(untrusted: str, style: str = "") -> Text:
    """Text from the reports, shown literally (never read as markup) and unable to drive the
    terminal."""
    return Text(printable(untrusted), style=style)
