"""The web app under hostile or heavy requests: invalid Unicode, budgets of size and time, a
full analysis queue, foreign Host and Origin headers, and the security headers on every answer.

The analysis itself is replaced by a stand-in (`_fake_compare`), so these run in milliseconds.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import lxml.html
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborate.web import create_app, serve, serving
from corroborate.web.limits import DEFAULT_MAX_COMPARE_CHARS, RETRY_AFTER_SECONDS

COMPARE = "corroborate.web.analyst.compare"
JSON = {"content-type": "application/json"}
TWO_REPORTS = {"reports": [{"text": "Five people died in Homs."}, {"text": "Six died."}]}


class _Comparison:
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "reports": [],
            "incidents": [],
            "facts": [],
            "sources": [],
            "problems": [],
        }


def _fake_compare(reports: Any, **_: Any) -> _Comparison:
    return _Comparison()


@pytest.fixture
def make_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., FastAPI]:
    """create_app over an empty store, with the analysis replaced by a stand-in."""
    monkeypatch.setattr(COMPARE, _fake_compare)
    return lambda **options: create_app(tmp_path / "store.db", **options)


@pytest.fixture
def client(make_app: Callable[..., FastAPI]) -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


def _detail(response: httpx.Response) -> Any:
    assert response.headers["content-type"] == "application/json"
    return response.json()["detail"]


# --- invalid Unicode -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b'{"reports": [{"text": "\\ud800 Five died."}, {"text": "Six died."}]}', "text"),
        (b'{"reports": [{"text": "Five.", "title": "\\udfff"}, {"text": "Six."}]}', "title"),
        (b'{"reports": [{"text": "Five.", "outlet": "a\\udc80b"}, {"text": "Six."}]}', "outlet"),
        (b'{"reports": [{"text": "Five.", "id": "\\ud83d"}, {"text": "Six."}]}', "id"),
        (b'{"reports": [{"text": "Five.", "published": "\\ud800"}, {"text": "Six."}]}', ""),
        (b'{"reports": [{"text": "Five.", "\\ud800": 1}, {"text": "Six."}]}', ""),
        (b'{"\\ud800": [{"text": "Five."}, {"text": "Six."}]}', ""),
    ],
)
def test_a_lone_surrogate_anywhere_is_a_json_422(
    client: TestClient, body: bytes, field: str
) -> None:
    response = client.post("/api/compare", content=body, headers=JSON)
    assert response.status_code == 422
    response.content.decode("utf-8")  # the answer is valid UTF-8
    errors = _detail(response)
    assert all(set(error) == {"loc", "msg", "type"} for error in errors)  # no input echoed
    if field:
        (error,) = errors
        assert error["loc"][-1] == field
        assert error["msg"].startswith("not valid Unicode")


def test_bytes_that_are_not_utf8_are_a_json_400(client: TestClient) -> None:
    response = client.post("/api/compare", content=b'{"reports": "\xff\xfe"}', headers=JSON)
    assert response.status_code == 400
    assert "parsing the body" in _detail(response)


def test_a_bad_request_leaves_the_server_answering(make_app: Callable[..., FastAPI]) -> None:
    body = b'{"reports": [{"text": "\\ud800"}, {"text": "Six died."}]}'
    with serving(make_app()) as url, httpx.Client(base_url=url) as http:
        assert http.post("/api/compare", content=body, headers=JSON).status_code == 422
        assert http.get("/api/stories").status_code == 200  # the same connection, kept alive
        assert http.post("/api/compare", json=TWO_REPORTS).status_code == 200


# --- budgets -------------------------------------------------------------------------------


def test_texts_over_the_default_total_are_refused(client: TestClient) -> None:
    half = DEFAULT_MAX_COMPARE_CHARS // 2
    fits = {"reports": [{"text": "x" * half}, {"text": "y" * half}]}
    assert client.post("/api/compare", json=fits).status_code == 200
    over = {"reports": [{"text": "x" * half}, {"text": "y" * (half + 1)}]}
    response = client.post("/api/compare", json=over)
    assert response.status_code == 413
    detail = _detail(response)
    assert f"{DEFAULT_MAX_COMPARE_CHARS + 1:,} characters" in detail
    assert f"at most {DEFAULT_MAX_COMPARE_CHARS:,}" in detail


def test_total_is_configurable_and_applies_to_the_form(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(max_compare_chars=1000)) as small:
        big = {"reports": [{"text": "x" * 600}, {"text": "y" * 600}]}
        assert "1,200 characters" in _detail(small.post("/api/compare", json=big))
        page = small.post("/compare", data={"text_0": "x" * 600, "text_1": "y" * 600})
        assert page.status_code == 413
        alert = lxml.html.fromstring(page.text).xpath("//p[@role='alert']")[0].text_content()
        assert "at most 1,000" in alert


@pytest.fixture
def blocking_compare(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, threading.Event]]:
    """An analysis that says when it starts and waits until released (at most 10 s)."""
    events = {"started": threading.Event(), "release": threading.Event()}

    def compare(reports: Any, **_: Any) -> _Comparison:
        events["started"].set()
        events["release"].wait(10)
        return _Comparison()

    monkeypatch.setattr(COMPARE, compare)
    yield events
    events["release"].set()


def test_an_analysis_past_its_time_is_a_503(
    make_app: Callable[..., FastAPI], blocking_compare: dict[str, threading.Event]
) -> None:
    app = make_app(analysis_seconds=0.2)
    with TestClient(app) as client:
        started = time.monotonic()
        response = client.post("/api/compare", json=TWO_REPORTS)
        assert time.monotonic() - started < 5
        assert response.status_code == 503
        assert "time budget of 0.2 s" in _detail(response)
        blocking_compare["release"].set()
        _wait_until(lambda: app.state.analyst.pending == 0)
        assert client.post("/api/compare", json=TWO_REPORTS).status_code == 200


def test_a_full_queue_is_a_503_with_retry_after_and_pages_still_answer(
    make_app: Callable[..., FastAPI], blocking_compare: dict[str, threading.Event]
) -> None:
    app = make_app(max_waiting=1)
    answers: list[int] = []
    with TestClient(app) as client:

        def post() -> None:
            answers.append(client.post("/api/compare", json=TWO_REPORTS).status_code)

        running = threading.Thread(target=post)
        running.start()
        assert blocking_compare["started"].wait(5)
        waiting = threading.Thread(target=post)
        waiting.start()
        _wait_until(lambda: app.state.analyst.pending == 2)

        refused = client.post("/api/compare", json=TWO_REPORTS)
        assert refused.status_code == 503
        assert refused.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
        assert "busy" in _detail(refused)
        form = client.post("/compare", data={"text_0": "A.", "text_1": "B."})
        assert form.status_code == 503 and "busy" in form.text
        # While the analysis runs, the rest of the server answers at once.
        for path in ("/", "/api/stories", "/compare", "/static/corroborate.css"):
            started = time.monotonic()
            assert client.get(path).status_code == 200
            assert time.monotonic() - started < 2, path

        blocking_compare["release"].set()
        running.join(10)
        waiting.join(10)
    assert answers == [200, 200]
    assert app.state.analyst.pending == 0


def _wait_until(condition: Callable[[], bool], seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# --- Host and Origin -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base_url", "status"),
    [
        ("http://testserver", 200),
        ("http://localhost:8000", 200),
        ("http://127.0.0.1:8000", 200),
        ("http://[::1]:8000", 200),
        ("http://LOCALHOST.", 200),
        ("http://evil.example", 400),
        ("http://127.0.0.1.evil.example:8000", 400),
        ("http://localhost.evil.example", 400),
    ],
)
def test_host_allow_list(make_app: Callable[..., FastAPI], base_url: str, status: int) -> None:
    with TestClient(make_app(), base_url=base_url) as client:
        assert client.get("/").status_code == status
        api = client.get("/api/stories")
        assert api.status_code == status
        if status == 400:
            assert "Host header" in _detail(api)
            assert "evil" not in api.text  # the Host is not echoed


def test_host_allow_list_is_configurable(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(allowed_hosts=["news.example.org"])
    with TestClient(app, base_url="https://news.example.org") as client:
        assert client.get("/").status_code == 200
    with TestClient(app) as client:
        assert client.get("/").status_code == 400
    with TestClient(make_app(allowed_hosts=["*"]), base_url="http://any.example") as client:
        assert client.get("/").status_code == 200


def test_serve_answers_to_its_own_address_and_the_allowed_hosts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[FastAPI] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **_: served.append(app))
    serve(tmp_path / "store.db", host="192.168.1.5", allowed_hosts=["news.example.org"])
    (app,) = served
    for base_url, status in [
        ("http://192.168.1.5:8000", 200),
        ("http://news.example.org", 200),
        ("http://localhost:8000", 200),
        ("http://evil.example", 400),
    ]:
        assert TestClient(app, base_url=base_url).get("/").status_code == status, base_url


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        (None, 200),  # curl, scripts
        ("http://testserver", 200),  # the page's own origin
        ("http://testserver:80", 200),
        ("http://localhost:8000", 403),  # another local server's page is another origin
        ("http://testserver:3000", 403),
        ("http://evil.example", 403),
        ("https://testserver.evil.example", 403),
        ("null", 403),
        ("http://[oops", 403),
    ],
)
def test_origin_check_on_posts(client: TestClient, origin: str | None, status: int) -> None:
    # TestClient sends "Host: testserver"
    headers = {} if origin is None else {"origin": origin}
    response = client.post("/api/compare", json=TWO_REPORTS, headers=headers)
    assert response.status_code == status
    if status == 403:
        assert "another site" in _detail(response)
        form = client.post("/compare", data={"text_0": "A.", "text_1": "B."}, headers=headers)
        assert form.status_code == 403
        assert form.headers["content-type"].startswith("text/html")
        # A page of another site may still link here and read nothing back.
        assert client.get("/", headers=headers).status_code == 200


# --- security headers ----------------------------------------------------------------------


def _assert_security_headers(response: httpx.Response) -> None:
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/compare", 200),
        ("GET", "/api", 200),
        ("GET", "/api/stories", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/static/corroborate.css", 200),
        ("GET", "/static/corroborate.js", 200),
        ("GET", "/api/stories/999", 404),
        ("GET", "/nowhere", 404),
        ("GET", "/static/nothing.css", 404),
        ("GET", "/api/stories?limit=0", 422),
        ("POST", "/api/compare", 422),
    ],
)
def test_security_headers_on_every_answer(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == status
    _assert_security_headers(response)


def test_security_headers_on_refusals_and_server_errors(
    make_app: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(max_body_bytes=100)
    with TestClient(app, raise_server_exceptions=False) as client:
        too_big = client.post("/api/compare", json={"reports": [{"text": "x" * 200}]})
        assert too_big.status_code == 413
        _assert_security_headers(too_big)
        cross = client.post("/api/compare", json={}, headers={"origin": "http://evil.example"})
        assert cross.status_code == 403
        _assert_security_headers(cross)

        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("broken")

        monkeypatch.setattr(app.state.analyst.store, "story_summaries", fail)
        for path in ("/api/stories", "/"):
            failed = client.get(path)
            assert failed.status_code == 500
            _assert_security_headers(failed)
    with TestClient(app, base_url="http://evil.example") as client:
        _assert_security_headers(client.get("/"))


def test_pages_need_nothing_the_policy_forbids(seeds_store: Path) -> None:
    """No inline script, style or event handler: the CSP would block them."""
    with TestClient(create_app(seeds_store)) as client:
        (story,) = client.get("/api/stories").json()["stories"]
        for path in ("/", f"/stories/{story['id']}", "/reports/duran", "/compare", "/api"):
            page = lxml.html.fromstring(client.get(path).text)
            assert not page.xpath("//script[not(@src)] | //style | //*[@style]"), path
            handlers = [a for a in page.xpath("//@*") if a.attrname.startswith("on")]
            assert not handlers, path
            sources = page.xpath("//script/@src | //link/@href | //img/@src")
            assert all(s.startswith("/") and not s.startswith("//") for s in sources), path


def test_a_browser_meets_no_policy_violation(seeds_store: Path) -> None:
    """The pages, the timeline's dots and the page's own form post, in chromium, under the
    headers: nothing blocked (skips where test_web_browser.py skips)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.test_web_browser import _chromium

    executable = _chromium()
    blocked: list[str] = []
    with serving(create_app(seeds_store)) as url, sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True)
        page = browser.new_page()
        page.on("console", lambda m: blocked.append(m.text) if "Policy" in m.text else None)
        page.on("pageerror", lambda error: blocked.append(str(error)))
        for path in ("/", "/reports/duran", "/compare"):
            page.goto(url + path)
        page.goto(url + "/")
        page.get_by_role("link", name="Hezbollah declares").click()
        dot = page.locator(".timeline circle.dot").first
        assert dot.is_visible()
        box, track = dot.bounding_box(), page.locator(".timeline .track").first.bounding_box()
        assert box is not None and track is not None
        assert track["y"] <= box["y"] and box["y"] + box["height"] <= track["y"] + track["height"]
        page.goto(url + "/compare")
        page.fill("textarea[name=text_0]", "Five people died in Homs on Monday.")
        page.fill("textarea[name=text_1]", "Six people died in Homs on Monday.")
        page.get_by_role("button", name="Compare", exact=True).click()
        page.wait_for_selector("table#facts")  # the post carried the page's own Origin
        browser.close()
    assert blocked == []


# --- any body ------------------------------------------------------------------------------

ODD_CHARACTERS = st.characters(exclude_categories=())  # lone surrogates, NUL, controls too
ODD_TEXT = st.text(ODD_CHARACTERS, max_size=20) | st.sampled_from(
    ["", " ", "\ud800", "\udfff x", "\x00", "\ufeff", "2017-08-28", "1500000000", "http://[x"]
)
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | ODD_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ODD_TEXT, inner, max_size=3),
    max_leaves=8,
)
REPORT = st.fixed_dictionaries(
    {},
    optional={
        name: ODD_TEXT | JSONISH for name in ("id", "outlet", "title", "published", "url", "text")
    },
) | st.dictionaries(ODD_TEXT, JSONISH, max_size=3)
BODY = (
    st.fixed_dictionaries({"reports": st.lists(REPORT, max_size=12)})
    | JSONISH.map(lambda value: {"reports": value})
    | JSONISH
)


@pytest.fixture(scope="module")
def any_body_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = tmp_path_factory.mktemp("any-body") / "store.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(COMPARE, _fake_compare)
        with TestClient(create_app(store), raise_server_exceptions=False) as test_client:
            yield test_client


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,  # the same cases on every run: a failure can be replayed
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=BODY | st.binary(max_size=40))
def test_any_body_to_compare_is_answered_without_a_server_error(
    any_body_client: TestClient, body: Any
) -> None:
    # ensure_ascii writes a lone surrogate as its JSON escape, as a hostile client would.
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=True).encode()
    response = any_body_client.post("/api/compare", content=content, headers=JSON)
    assert response.status_code < 500, response.text
    response.content.decode("utf-8")
    if response.status_code != 200:
        assert "detail" in response.json()


def test_origins_are_told_apart_by_port_and_a_proxy_name_may_be_added(
    make_app: Callable[..., FastAPI],
) -> None:
    served = TestClient(make_app(), base_url="http://localhost:8000")
    own = served.post("/api/compare", json=TWO_REPORTS, headers={"origin": "http://localhost:8000"})
    assert own.status_code == 200
    other = served.post(
        "/api/compare", json=TWO_REPORTS, headers={"origin": "http://localhost:3000"}
    )
    assert other.status_code == 403
    proxied = TestClient(
        make_app(allowed_hosts=["testserver", "news.example"]), base_url="http://testserver"
    )
    through = proxied.post(
        "/api/compare", json=TWO_REPORTS, headers={"origin": "https://news.example"}
    )
    assert through.status_code == 200
