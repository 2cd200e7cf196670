"""The assess stage's signals of a report as plain lines (outlet prior, sourcing, slant), shared
by the Markdown and terminal views. The prior is labelled as published ratings, apart from
what the analysis found."""

from __future__ import annotations

from typing import Any

from corroborate.model import Report
from corroborate.render.table import shorten

# Enough technique spans to see a report's slant without listing every adjective.
MAX_TECHNIQUES = 12


def assessment_lines(report: Report) -> list[tuple[str, str]]:
    """(heading, line) pairs for a report; none when the report was not assessed."""
    signals = report.signals
    lines: list[tuple[str, str]] = []
    if "outlet_prior" in signals:
        lines.append(("outlet prior", prior_text(signals["outlet_prior"])))
    if "sourcing" in signals:
        lines.append(("sourcing", sourcing_text(signals["sourcing"])))
    if "slant" in signals:
        lines += [("slant", line) for line in slant_lines(signals["slant"])]
    return lines


def prior_text(prior: dict[str, Any]) -> str:
    """Published ratings with their sources, or "unknown"; the state-media mark apart."""
    parts = []
    for rating in prior.get("ratings", []):
        source = rating["source"]
        if "value" in rating:
            value = rating["value"]
            shown = ", ".join(value) if isinstance(value, list) else f"{value}"
            parts.append(f"{source}: {shown}")
        else:
            parts.append(f"{source}: factuality {rating['factuality']}, bias {rating['bias']}")
    text = "; ".join(parts) if parts else "no published rating (unknown)"
    if prior.get("domain"):
        text = f"{prior['domain']}: {text}"
    if prior.get("state_media"):
        text += f"; on the state-media list ({prior['state_media']})"
    return f"published ratings, not our finding: {text}"


def sourcing_text(sourcing: dict[str, Any]) -> str:
    parts = [
        f"{sourcing['attributions']} attributions "
        f"({sourcing['named']} named, {sourcing['anonymous']} anonymous)"
    ]
    if sourcing["state_media"]:
        parts.append("state media cited: " + ", ".join(sourcing["state_media"]))
    if sourcing["agencies"]:
        parts.append("agencies cited: " + ", ".join(sourcing["agencies"]))
    if sourcing["agency_copy"]:
        parts.append("agency copy: " + ", ".join(sourcing["agency_copy"]))
    eyewitnesses = sourcing["by_kind"].get("eyewitness", 0)
    if eyewitnesses:
        parts.append(f"{eyewitnesses} eyewitness")
    share = sourcing["unattributed_share"]
    if share is not None:
        parts.append(
            f"{len(sourcing['unattributed'])} of {sourcing['statements']} checkable "
            f"statements ({share:.0%}) attributed to no one"
        )
    return "; ".join(parts)


def slant_lines(slant: dict[str, Any]) -> list[str]:
    lines = []
    for issue in slant["headline"]:
        lines.append(f"headline: {_one_line(issue['explanation'], 200)}")
    for appeal in slant["appeals"]:
        lines.append(f"{appeal['kind']}: “{_one_line(appeal['text'], 90)}”")
    techniques = sorted(slant["techniques"], key=lambda t: -t["score"])[:MAX_TECHNIQUES]
    for span in sorted(techniques, key=lambda t: t["start"]):
        where = " (headline)" if span["in_headline"] else ""
        line = f"{span['technique'].replace('_', ' ')}{where}: “{_one_line(span['text'], 80)}”"
        for other in span["others"][:1]:
            line += f" — {other['report']} put it: “{_one_line(other['text'], 100)}”"
        lines.append(line)
    hidden = len(slant["techniques"]) - len(techniques)
    if hidden > 0:
        lines.append(f"{hidden} more technique spans in the JSON output")
    return lines


def _one_line(text: str, limit: int) -> str:
    return shorten(" ".join(text.split()), limit)
