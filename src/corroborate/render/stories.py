"""Stored stories as a terminal table: each story's label and its reports, copies marked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corroborate.render.table import printable
from corroborate.store import StoredReport, StoryListing


def render_stories(listings: Sequence[StoryListing], console: Console) -> None:
    """Print one row per story; every string from the store is shown as plain text."""
    if not listings:
        console.print(
            Text("No stories stored yet: run `corroborate ingest` first.", style="yellow")
        )
        return
    table = Table(show_lines=True, title=f"{len(listings):,} stories")
    table.add_column("story", justify="right", no_wrap=True)
    table.add_column("label", ratio=2)
    table.add_column("reports (id · outlet · published · title)", ratio=5)
    for story in listings:
        lines = Text()
        for number, report in enumerate(story.reports):
            if number:
                lines.append("\n")
            lines.append_text(_report_line(report))
        table.add_row(str(story.id), Text(printable(story.label), style="bold"), lines)
    console.print(table)


def _report_line(report: StoredReport) -> Text:
    published = report.published.isoformat() if report.published else "undated"
    line = Text(
        printable(f"{report.id} · {report.outlet or '?'} · {published} · {report.title or ''}")
    )
    if report.copy_of:
        line.append(printable(f"  ({report.copy_kind} copy of {report.copy_of})"), style="dim")
    return line
