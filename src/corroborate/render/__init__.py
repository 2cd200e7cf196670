"""Renderers of a Comparison: JSON (the version-1 contract), Markdown and the terminal."""

from corroborate.render.json import render_json
from corroborate.render.markdown import render_markdown
from corroborate.render.terminal import render_terminal

__all__ = ["render_json", "render_markdown", "render_terminal"]
