"""The web UI and JSON API: `create_app` builds the FastAPI app over one store; `serve` runs it."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from corroborate import __version__
from corroborate.store import DEFAULT_DB, Store
from corroborate.web import api, pages
from corroborate.web.analyst import Analyst
from corroborate.web.limits import DEFAULT_MAX_BODY_BYTES, BodyLimit

__all__ = ["create_app", "serve", "serving"]

LOGGER = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def create_app(
    db: str | Path = DEFAULT_DB,
    *,
    store: Store | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
) -> FastAPI:
    """The app over the store at `db` (or an open `store`), created and migrated if need be."""
    app = FastAPI(
        title="Corroborate",
        version=__version__,
        summary="What news reports of one event agree on, where they conflict, who says so.",
        # The interactive docs load their scripts from a CDN; the tool works offline, so the
        # API page lists the endpoints itself and links the OpenAPI document.
        docs_url=None,
        redoc_url=None,
    )
    app.state.analyst = Analyst(store or Store(db))
    app.state.max_body = max_body_bytes
    web = resources.files("corroborate.web")
    templates = Jinja2Templates(directory=str(web / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(web / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)

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
) -> None:
    """Run the app with uvicorn until interrupted."""
    import uvicorn

    app = create_app(db, max_body_bytes=max_body_bytes)
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


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if _wants_json(request):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
    return pages.render(
        request, "error.html", exc.status_code, status=exc.status_code, message=exc.detail
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _wants_json(request):
        return await request_validation_exception_handler(request, exc)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in error['loc'][1:])}: {error['msg']}" for error in exc.errors()
    )
    return pages.render(request, "error.html", 422, status=422, message=problems)


async def _server_error(request: Request, exc: Exception) -> Response:
    LOGGER.exception("error serving %s", request.url.path, exc_info=exc)
    message = f"the server failed: {type(exc).__name__}"
    if _wants_json(request):
        return JSONResponse({"detail": message}, 500)
    return pages.render(request, "error.html", 500, status=500, message=message)


def _api_routes(app: FastAPI) -> list[dict[str, Any]]:
    schema = app.openapi()
    return [
        {"method": method.upper(), "path": path, "summary": op.get("summary", "")}
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
