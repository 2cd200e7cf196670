"""The version-1 JSON contract of DESIGN.md."""

from __future__ import annotations

import json

from corroborate.model import Comparison


def render_json(comparison: Comparison, *, indent: int | None = 2) -> str:
    """The comparison as JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=indent)
