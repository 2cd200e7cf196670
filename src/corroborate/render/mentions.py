"""What `corroborate extract` prints: each report's mentions as JSON lines or a Rich table."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corroborate.model import Extraction, Mention, Source
from corroborate.render.table import printable

__all__ = ["extraction_record", "render_extractions_jsonl", "render_extractions_table"]


def extraction_record(extraction: Extraction) -> dict[str, Any]:
    """One report's mentions and attributions, in text order: `{"id", "mentions": [...]}`."""
    records = [_mention_record(m) for m in extraction.mentions]
    text = extraction.report.text
    records.extend(_attribution_record(s, text) for s in extraction.sources)
    records.sort(key=lambda r: (r["start"], r["end"], r["kind"]))
    return {"id": extraction.report.id, "mentions": records}


def render_extractions_jsonl(extractions: Iterable[Extraction]) -> str:
    """One JSON object per line, one line per report."""
    lines = (json.dumps(extraction_record(e), ensure_ascii=False) for e in extractions)
    return "".join(f"{line}\n" for line in lines)


def render_extractions_table(extractions: tuple[Extraction, ...], console: Console) -> None:
    """A table per report: each mention's kind, the text it came from, and what was read."""
    for extraction in extractions:
        table = Table(
            title=Text(printable(extraction.report.label), style="bold"), title_justify="left"
        )
        table.add_column("kind", style="cyan", no_wrap=True)
        table.add_column("chars", justify="right", style="dim", no_wrap=True)
        table.add_column("text")
        table.add_column("read as")
        for record in extraction_record(extraction)["mentions"]:
            # Text() renders report text literally: no Rich markup is read from it
            table.add_row(
                record["kind"],
                f"{record['start']}-{record['end']}",
                Text(printable(record["text"])),
                Text(printable(_reading(record))),
            )
        console.print(table)


def _mention_record(mention: Mention) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": mention.kind,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
    }
    if mention.kind == "quantity":
        record.update(
            value=mention.value,
            low=mention.low,
            high=mention.high,
            qualifier=mention.qualifier,
            change=mention.change,
            unit=mention.unit,
            counted=mention.counted,
            event=mention.event,
            attributed_to=mention.attribution,
        )
    elif mention.kind == "date":
        record.update(
            value=mention.value, precision=mention.precision, attributed_to=mention.attribution
        )
    elif mention.kind == "quote":
        record.update(value=mention.value, speaker=mention.attribution)
    else:
        record.update(value=mention.value)
    return record


def _attribution_record(source: Source, text: str) -> dict[str, Any]:
    return {
        "kind": "attribution",
        "start": source.start,
        "end": source.end,
        "text": text[source.start : source.end],
        "who": source.who,
        "via": source.via,
        "named": source.named,
        "source_kind": source.kind,
    }


def _reading(record: dict[str, Any]) -> str:
    kind = record["kind"]
    if kind == "attribution":
        named = "named" if record["named"] else "unnamed"
        via = f" via {record['via']}" if record["via"] else ""
        return f"{record['who']}{via} ({record['source_kind']}, {named})"
    if kind == "quote":
        return f"said by {record['speaker'] or 'unknown'}"
    if kind == "date":
        return f"{record['value']} ({record['precision']})"
    if kind != "quantity":
        return str(record["value"])
    if record["value"] is None:
        number = f"{record['low']}–{record['high']}" if record["high"] else f"{record['low']}+"
    else:
        number = str(record["value"])
    parts = [f"{record['change']} {number}", record["unit"] or ""]
    if record["counted"] and record["counted"] != record["unit"]:
        parts.append(f"of {record['counted']}")
    if record["attributed_to"]:
        parts.append(f"— {record['attributed_to']}")
    return " ".join(p for p in parts if p)
