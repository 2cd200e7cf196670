"""The web UI and JSON API: `create_app` builds the FastAPI app over one store; `serve` runs it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from corroborate import __version__
from corroborate.store import DEFAULT_DB, Store
from corroborate.web import api, pages
from corroborate.web.analyst import Analyst, Refused
from corroborate.web.guards import (
    DEFAULT_ALLOWED_HOSTS,
    SECURITY_HEADERS,
    HostCheck,
    OriginCheck,
    SecurityHeaders,
)
from corroborate.web.limits import (
    DEFAULT_ANALYSIS_SECONDS,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_MAX_COMPARE_CHARS,
    DEFAULT_MAX_WAITING,
    BodyLimit,
)

__all__ = ["create_app", "serve", "serving"]

LOGGER = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def create_app(
    db: str | Path = DEFAULT_DB,
    *,
    store: Store | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    max_compare_chars: int = DEFAULT_MAX_COMPARE_CHARS,
    analysis_seconds: float = DEFAULT_ANALYSIS_SECONDS,
    max_waiting: int = DEFAULT_MAX_WAITING,
    allowed_hosts: Sequence[str] = DEFAULT_ALLOWED_HOSTS,
) -> FastAPI:
    """The app over the store at `db` (or an open `store`), created and migrated if need be.

    Args:
        db: the store's path or database URL.
        store: an open store, used instead of `db`.
        max_body_bytes: the largest request body (413 beyond).
        max_compare_chars: the characters of text one compare-now may hold, all reports
            together (413 beyond).
        analysis_seconds: how long a request waits for its analysis, queue included (503).
        max_waiting: analyses that may wait while one runs (503 with Retry-After beyond).
        allowed_hosts: the host names the server answers to (400 for others; "*": any), and
            the sites whose pages may post to it (403 for others).
    """
    analyst = Analyst(
        store or Store(db),
        max_chars=max_compare_chars,
        seconds=analysis_seconds,
        max_waiting=max_waiting,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        analyst.close()

    app = FastAPI(
        title="Corroborate",
        version=__version__,
        summary="What news reports of one event agree on, where they conflict, who says so.",
        # The interactive docs load their scripts from a CDN; the tool works offline, so the
        # API page lists the endpoints itself and links the OpenAPI document.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.analyst = analyst
    app.state.max_body = max_body_bytes
    web = resources.files("corroborate.web")
    templates = Jinja2Templates(directory=str(web / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(web / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _add_error_handlers(app)
    # The last added runs first: headers on every answer, then Host, Origin, body size.
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    app.add_middleware(OriginCheck, allowed_hosts=allowed_hosts)
    app.add_middleware(HostCheck, allowed_hosts=allowed_hosts)
    app.add_middleware(SecurityHeaders)

    @app.get("/api", include_in_schema=False, response_class=HTMLResponse)
    def api_page(request: Request) -> HTMLResponse:
        return pages.render(request, "api.html", routes=_api_routes(app))

    return app


def serve(
    db: str | Path = DEFAULT_DB,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    allowed_hosts: Sequence[str] = (),
    **limits: Any,
) -> None:
    """Run the app with uvicorn until interrupted.

    The server answers to the loopback names, the address it listens on (unless that is every
    address) and `allowed_hosts`; `limits` are create_app's other keywords.
    """
    import uvicorn

    hosts = [*DEFAULT_ALLOWED_HOSTS, *allowed_hosts]
    if host not in ("0.0.0.0", "::", ""):
        hosts.append(host)
    app = create_app(db, max_body_bytes=max_body_bytes, allowed_hosts=hosts, **limits)
    uvicorn.run(app, host=host, port=port, log_level="info")


@contextmanager
def serving(app: FastAPI, host: str = DEFAULT_HOST, port: int = 0) -> Iterator[str]:
    """Run `app` in a background thread (for notebooks, tests, scripts); yields its base URL.

    Port 0 picks a free port.
    """
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="corroborate-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the web server did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _add_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Refused, _refused)
    app.add_exception_handler(Exception, _server_error)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(
    request: Request, status: int, detail: Any, headers: Mapping[str, str] | None = None
) -> Response:
    """The error as `{"detail": ...}` under /api/, else as a page; strings in `detail` that
    are not valid Unicode (lone surrogates) are shown escaped."""
    detail = _printable(detail)
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status, headers=headers)
    return pages.render(
        request, "error.html", status, headers=headers, status=status, message=detail
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return _error(request, exc.status_code, exc.detail, exc.headers)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    return _error(request, exc.status, str(exc), exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # The input is not echoed back: it may be large, or not valid Unicode.
    errors = [
        {"loc": list(e["loc"]), "msg": _validation_message(e), "type": e["type"]}
        for e in exc.errors()
    ]
    if _wants_json(request):
        return _error(request, 422, errors)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error['loc'][1:])}: {error['msg']}" for error in errors
    )
    return _error(request, 422, problems)


def _validation_message(error: Mapping[str, Any]) -> str:
    if error["type"] == "string_unicode":  # a lone surrogate, as the JSON escape "\ud800"
        return (
            "not valid Unicode: the string holds a lone surrogate (a JSON escape from "
            "\\ud800 to \\udfff without its pair); send valid UTF-8 text"
        )
    return str(error["msg"])


async def _server_error(request: Request, exc: Exception) -> Response:
    LOGGER.exception("error serving %s", request.url.path, exc_info=exc)
    # This answer is made outside the middleware, so it takes the security headers here.
    response = _error(request, 500, f"the server failed: {type(exc).__name__}")
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def _printable(value: Any) -> Any:
    """`value` with every string made encodable as UTF-8 (a lone surrogate becomes the text
    `\\ud800`), in lists, tuples and dicts too."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list | tuple):
        return [_printable(v) for v in value]
    if isinstance(value, dict):
        return {_printable(k): _printable(v) for k, v in value.items()}
    return value


def _api_routes(app: FastAPI) -> list[dict[str, Any]]:
    schema = app.openapi()
    return [
        {"method": method.upper(), "path": path, "summary": op.get("summary", "")}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
