"""Caps on what one request may cost: its body's size, its texts' length, the time its analysis
may take and how many analyses may wait; and the refusal the middleware sends."""

from __future__ import annotations

import html
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Ten reports of the largest size the readers take, with room for form fields.
DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024
# The characters of report text one compare-now request may hold, all reports together.
# Measured with `compare` on the 2-CPU development machine, models loaded: news text (FA-KES
# articles) takes about 0.08 ms a character, 50,000 characters in 3.7 s, 100,000 in 6.9 s,
# 200,000 in 17-20 s (1.1 GB peak); dense text (one sentence of counts, places and sources,
# repeated) grows faster than linearly, 40,000 in 6.7 s, 100,000 in 38 s, 200,000 in 140 s.
# At 100,000 (ten reports of about 1,700 words; ten typical reports hold 45,000) even dense
# text ends within the time budget, so an analysis is seldom left running after its request
# has been answered.
DEFAULT_MAX_COMPARE_CHARS = 100_000
# Seconds a request waits for its analysis, time in the queue included, before a 503: the
# densest text the character cap admits, with room to wait behind a typical analysis.
DEFAULT_ANALYSIS_SECONDS = 60.0
# Analyses that may wait while one runs; more are refused with a 503 and Retry-After. Each
# waiting request holds one of the server's worker threads (40), so pages stay served.
DEFAULT_MAX_WAITING = 4
# What a refused client is told to wait: a compare-now of ten news reports takes 3-4 s here
# (bench/compare_speed.py), so a few of them have run by then.
RETRY_AFTER_SECONDS = 10


class BodyLimit:
    """Answers 413 to a request whose body is larger than `max_bytes`, before the app sees it.

    The body is read here (it is at most `max_bytes`) and handed on whole, so a request cut
    off halfway never reaches a handler.
    """

    def __init__(self, app: ASGIApp, max_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        limit = (
            f"{self.max_bytes / 1024 / 1024:.0f} MB"
            if self.max_bytes >= 1024 * 1024
            else f"{self.max_bytes:,} bytes"
        )
        message = f"the request is larger than the server's limit of {limit}"
        await refuse(scope, send, 413, message, close=True)


async def refuse(
    scope: Scope, send: Send, status: int, message: str, *, close: bool = False
) -> None:
    """Answer `status` with `message`: as `{"detail": message}` under /api/, else as a page.

    `message` must not hold the request's own input (it is shown as given).
    """
    if scope["path"].startswith("/api/"):
        body = json.dumps({"detail": message}).encode("utf-8")
        content_type = b"application/json"
    else:
        shown = html.escape(message)
        body = f"<!doctype html><title>Error {status}</title><p>{shown}.</p>".encode()
        content_type = b"text/html; charset=utf-8"
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
