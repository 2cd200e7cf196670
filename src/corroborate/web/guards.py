"""Guards on every request: a Host allow-list (against DNS rebinding), an Origin check on
state-changing requests (against cross-site posts) and security headers on every response."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from corroborate.web.limits import refuse

# The names a server on this machine is reached by, and the one Starlette's TestClient sends.
# A DNS-rebinding page reaches the server under its own domain name, which is none of these.
DEFAULT_ALLOWED_HOSTS = ("localhost", "127.0.0.1", "[::1]", "testserver")
ANY_HOST = "*"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
DEFAULT_PORTS = {"http": 80, "https": 443}

# The pages load one stylesheet and one script of our own and nothing else: no inline script
# or style (the timeline's dots are SVG attributes, not style=""), no frames, no plugins.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # Pages link to the reports' original sites; those learn nothing of what was looked at.
    # Not "no-referrer": with it, browsers send "Origin: null" on the page's own form posts.
    "referrer-policy": "same-origin",
}


def host_name(value: str) -> str:
    """The host of a Host header, an Origin's netloc or an allowed name: lower case, without
    the port or a trailing dot, an IPv6 address in brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[: end + 1] if end != -1 else value
    if value.count(":") > 1:  # a bare IPv6 address, as given on a command line
        return f"[{value}]"
    return value.split(":", 1)[0].rstrip(".")


class HostCheck:
    """Answers 400 to a request whose Host header names none of `allowed_hosts` ("*": any)."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS) -> None:
        self.app = app
        self.allowed = frozenset(host_name(h) for h in allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ANY_HOST not in self.allowed:
            host = host_name(Headers(scope=scope).get("host", ""))
            if host not in self.allowed:
                # The Host is not echoed: it is the client's input, and may be anything.
                message = (
                    "the Host header names a host this server does not answer to; "
                    "start it with --allowed-host NAME to add one"
                )
                await refuse(scope, send, 400, message)
                return
        await self.app(scope, receive, send)


class OriginCheck:
    """Answers 403 to a state-changing request sent from a page of another origin.

    A request with no Origin header (curl, scripts) passes; one with an Origin passes when
    the Origin is the request's own (its host and port are the Host header's), or names a
    host added to `allowed_hosts` beyond the loopback defaults (a proxy's name). A page of
    another local server (`http://localhost:3000`) is another origin: it may not post here.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = DEFAULT_ALLOWED_HOSTS) -> None:
        self.app = app
        defaults = {host_name(h) for h in DEFAULT_ALLOWED_HOSTS}
        self.added = frozenset(host_name(h) for h in allowed_hosts) - defaults - {ANY_HOST}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in STATE_CHANGING:
            headers = Headers(scope=scope)
            origin = headers.get("origin")
            if origin is not None and not self._allows(origin, headers.get("host", "")):
                message = "the request comes from a page of another site (its Origin header)"
                await refuse(scope, send, 403, message)
                return
        await self.app(scope, receive, send)

    def _allows(self, origin: str, host: str) -> bool:
        try:
            parts = urlsplit(origin.strip())
            port = parts.port
            own = urlsplit(f"{parts.scheme}://{host.strip()}")
            own_port = own.port
        except ValueError:  # "http://[oops", a port out of range
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False  # "null": a sandboxed frame, a file, a redirect across sites
        name = host_name(parts.hostname)
        if name in self.added:
            return True
        default = DEFAULT_PORTS[parts.scheme]
        same_host = own.hostname is not None and name == host_name(own.hostname)
        return same_host and (port or default) == (own_port or default)


class SecurityHeaders:
    """Adds `headers` to every response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str] = SECURITY_HEADERS) -> None:
        self.app = app
        self.headers = dict(headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
