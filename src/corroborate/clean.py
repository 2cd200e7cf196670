"""Find the boilerplate that scrapes glue to an article and record it as removed spans.

The text is never altered: each removed span is `(start, end, reason)` into `Report.text`.
The cascade, in order:
1. each line is matched against patterns for one kind of page furniture (donation appeals,
   vote and comment widgets, share and subscribe lines, copyright and cookie notices, empty
   datelines, related-link headers);
2. the page's tail is found: from the first furniture line after which most lines are
   furniture, every line is furniture too (teasers of other articles, sign-offs), because
   scraped pages end with widgets and headlines of other stories, not with more article;
3. inside long prose lines, single sentences that are unmistakable furniture (a subscribe
   or donation appeal, an embedded social-media post) are removed on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from corroborate.model import Removed, Report

# "donate" is an appeal when it asks: money, "us/our", "please", "click", "today".
DONATION_APPEAL = (
    r"\bdonat(?:e|ion|ions|ing)\b.*(?:[$€£]\s?\d|\bus\b|\bour\b|\bplease\b|\bclick\b|\btoday\b)"
    r"|(?:[$€£]\s?\d|\bplease\b|\bclick\b).*\bdonat(?:e|ion)|\b(?:patreon|paypal)\b"
)
# A line-level rule: (reason, pattern). Patterns are searched case-insensitively in the
# stripped line; the ones anchored with ^...$ must match the whole line.
LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("vote widget", r"^\d+\s+points?$"),
        ("vote widget", r"^(?:(?:up|down)\s?votes?|likes?|dislikes?)(?:\s+(?:up|down)\s?votes?)*$"),
        ("vote widget", r"^(?:total\s+votes|(?:up|down)votes(?:\s+percentage)?)\s*:\s*[\d.,%\s]+$"),
        ("vote widget", r"% of readers think this story is"),
        ("comment prompt", r"^(?:leave|post|add|write) a (?:reply|comment)\b.{0,40}$"),
        ("comment prompt", r"^(?:\d+\s+)?comments?\s*(?:[»:(].*)?$"),
        ("comment prompt", r"^what do you think\s*\??$"),
        ("comment prompt", r"\b(?:let (?:me|us) know|tell us)\b.{0,60}\bcomments?\b"),
        ("comment prompt", r"\b(?:join the (?:discussion|conversation)|add your two cents)\b"),
        ("comment prompt", r"\bpost your comments\b|\bin the comments below\b"),
        ("donation appeal", DONATION_APPEAL),
        ("donation appeal", r"\b(?:patreon|paypal|chip in)\b|^\(?to donate\b"),
        ("donation appeal", r"\bbecome a (?:patron|member|supporter|subscriber)\b"),
        ("call to action", r"^(?:please\s+)?(?:support|help)\s+(?:us|our|the)\b"),
        ("call to action", r"^will you (?:help|support|join|share)\b"),
        ("call to action", r"\bhelp us (?:expose|keep|fight|continue|grow|spread|reach)\b"),
        ("call to action", r"\bspread the word\b|\b(?:like|share) (?:and|&) share\b"),
        ("call to action", r"\bclick here\b|\bread more\b.{0,60}$|^\[?read more"),
        ("subscribe or newsletter", r"\bsubscribe\b|\bnewsletter\b|\bsign up (?:for|to)\b"),
        ("subscribe or newsletter", r"^follow us\b|\bfollow us on\b"),
        ("share widget", r"^(?:share|tweet|email|print|pin|like) (?:this|it)\b.{0,40}$"),
        ("share widget", r"^(?:share|like) this\s*:"),
        (
            "share widget",
            r"^(?:facebook|twitter|whatsapp|reddit|linkedin|telegram)(?:\W+\w+){0,4}$",
        ),
        ("copyright line", r"©|\(c\)\s*(?:\d{4}|copyright)|\ball rights reserved\b"),
        ("copyright line", r"^copyright\b|\bcopyright (?:\d{4}|by|\(c\))"),
        ("cookie notice", r"\bcookies?\b.{0,80}\b(?:use|accept|consent|policy|settings)\b"),
        ("advertisement", r"^(?:advertisements?|sponsored(?: content)?|ad|promoted)$"),
        (
            "related links",
            r"^(?:related(?: posts| articles| stories| reports?)?|you may also like"
            r"|more from .{1,40}|recommended(?: for you)?|trending(?: now)?|read next|also read"
            r"|see also|more stories|popular)\s*:?$",
        ),
        ("related links", r"^(?:filed under|tagged|tags)\s*:"),
    )
)

# A line that addresses the reader with an appeal ("As a reader of X, you know ...").
_YOU = re.compile(r"\byou(?:r|'re|’re)?\b", re.IGNORECASE)
_APPEAL = re.compile(
    r"\b(?:readers?|donat\w*|subscrib\w*|help us|support (?:us|our|the|independent))\b",
    re.IGNORECASE,
)
# Words a dateline template keeps when its place and date fields are empty ("in ,").
_DATELINE_WORDS = re.compile(r"\b(?:in|on|by|at|from|posted|updated|published|and|\|)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])[\"'”’]?\s+(?=[\"“‘A-Z0-9\[])")
# Unmistakable furniture even inside a prose paragraph.
SENTENCE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("embedded social media post", re.compile(r"pic\.twitter\.com\S*", re.I)),
    ("donation appeal", re.compile(DONATION_APPEAL, re.I)),
    ("subscribe or newsletter", re.compile(r"\bsubscribe (?:to|for|now)\b|\bnewsletter\b", re.I)),
    ("call to action", re.compile(r"\bclick here\b|\b(?:like|share) (?:and|&) share\b", re.I)),
)

# Tuned on the seed reports and checked on the FakeNewsCorpus sample: a page tail is where at
# least this share of the remaining non-empty lines are furniture.
TAIL_FURNITURE_SHARE = 0.5
# Lines in a tail that are at most this many words and do not end a sentence read as headlines.
HEADLINE_MAX_WORDS = 30
SIGN_OFF_MAX_WORDS = 4
LONG_LINE_CHARS = 200
# Page furniture is short: the longest appeal seen in the seeds and the FakeNewsCorpus
# sample is 33 words; prose paragraphs that merely mention "support" or "vote" are longer.
FURNITURE_MAX_WORDS = 45


def find_boilerplate(report: Report) -> Report:
    """Return the report with its boilerplate spans recorded in `removed`.

    Args:
        report: a report as read; its `text` is not changed.

    Returns:
        A copy with `removed` set and `signals["removed_share"]` (share of characters removed).
    """
    lines = list(_lines(report.text))
    reasons: list[str | None] = [classify_line(text) for _, _, text in lines]
    _mark_tail(lines, reasons)
    spans = [Removed(s, e, r) for (s, e, _), r in zip(lines, reasons, strict=True) if r]
    for (start, _end, text), reason in zip(lines, reasons, strict=True):
        if reason is None and len(text) >= LONG_LINE_CHARS:
            spans.extend(_furniture_sentences(text, start))
    spans.sort(key=lambda span: span.start)
    removed_chars = sum(span.end - span.start for span in spans)
    kept = len(report.text.strip()) or 1
    signals = dict(report.signals)
    signals["removed_share"] = round(removed_chars / kept, 3)
    return replace(report, removed=tuple(spans), signals=signals)


def classify_line(line: str) -> str | None:
    """The kind of page furniture a whole line is, or None for article text.

    A long line is a paragraph of prose, whatever words it uses: only sentence rules
    (`SENTENCE_RULES`) may remove part of it.
    """
    if _is_empty_dateline(line):
        return "empty dateline"
    if len(line.split()) > FURNITURE_MAX_WORDS:
        return None
    for reason, pattern in LINE_RULES:
        if pattern.search(line):
            return reason
    quoted = line.startswith(('"', "“", "'", "‘"))
    if not quoted and len(_YOU.findall(line)) >= 2 and _APPEAL.search(line):
        return "appeal to readers"
    return None


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Non-empty lines as (start, end, stripped text), offsets into `text`."""
    offset = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = offset + (len(body) - len(body.lstrip()))
            yield start, start + len(stripped), stripped
        offset += len(raw)


def _is_empty_dateline(line: str) -> bool:
    if len(line) > 40:
        return False
    rest = _DATELINE_WORDS.sub("", line)
    has_template_word = rest != line
    return has_template_word and not re.search(r"\w", rest) and bool(re.search(r"[,|:–-]", line))


def _mark_tail(lines: list[tuple[int, int, str]], reasons: list[str | None]) -> None:
    """Extend furniture to the page tail: teasers and sign-offs after the article's end."""
    tail = _tail_start(reasons)
    if tail is None:
        return
    for i in range(tail, len(lines)):
        # Only headline-like lines: a prose paragraph after a widget may still be article.
        if reasons[i] is None and _is_headline_like(lines[i][2]):
            reasons[i] = "teaser of another article"
    before = tail - 1
    if before > 0 and reasons[before] is None and _is_sign_off(lines[before][2]):
        reasons[before] = "outlet sign-off"


def _tail_start(reasons: list[str | None]) -> int | None:
    remaining = len(reasons)
    furniture = sum(1 for r in reasons if r)
    for i, reason in enumerate(reasons):
        # An empty dateline sits at the top of a page; it says nothing about the tail.
        if reason and reason != "empty dateline" and furniture / remaining >= TAIL_FURNITURE_SHARE:
            return i
        furniture -= 1 if reason else 0
        remaining -= 1
    return None


def _is_headline_like(line: str) -> bool:
    words = line.split()
    if len(words) > HEADLINE_MAX_WORDS:
        return False
    quoted_teaser = re.match(r"^[\w .'-]{2,40}:\s*[\"“]", line) is not None
    return quoted_teaser or not _SENTENCE_END.search(line) or len(words) <= 12


def _is_sign_off(line: str) -> bool:
    return len(line.split()) <= SIGN_OFF_MAX_WORDS and not _SENTENCE_END.search(line)


def _furniture_sentences(line: str, offset: int) -> Iterator[Removed]:
    position = 0
    for sentence in _SENTENCE_SPLIT.split(line):
        start = line.find(sentence, position)
        position = start + len(sentence)
        for reason, pattern in SENTENCE_RULES:
            if pattern.search(sentence):
                yield Removed(offset + start, offset + start + len(sentence), reason)
                break
