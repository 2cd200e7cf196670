"""Renderers: a Comparison as JSON (the version-1 contract), Markdown or the terminal, and
extracted mentions as JSON lines or a table, stored stories as a table."""

from corroborate.render.json import render_json
from corroborate.render.markdown import render_markdown
from corroborate.render.mentions import render_extractions_jsonl, render_extractions_table
from corroborate.render.stories import render_stories
from corroborate.render.terminal import render_terminal

__all__ = [
    "render_extractions_jsonl",
    "render_extractions_table",
    "render_json",
    "render_markdown",
    "render_stories",
    "render_terminal",
]
