"""A cap on request bodies, so an upload cannot exhaust the server's memory."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Ten reports of the largest size the readers take, with room for form fields.
DEFAULT_MAX_BODY_BYTES = 20 * 1024 * 1024


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
        if scope["path"].startswith("/api/"):
            body = json.dumps({"detail": message}).encode("utf-8")
            content_type = b"application/json"
        else:
            body = f"<!doctype html><title>Too large</title><p>{message}.</p>".encode()
            content_type = b"text/html; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
