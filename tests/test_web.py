"""The web UI and JSON API through HTTP (FastAPI's TestClient): what the pages and endpoints
return, errors, escaping, upload limits, and comparisons kept in the store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from corroborate.ingest import ingest
from corroborate.jobs import compare_story
from corroborate.model import Report
from corroborate.store import Store
from corroborate.web import create_app
from corroborate.web.views import marked_segments
from tests.conftest import SEEDS, run_cli

SCRIPT = "<script>window.pwned = 1</script>"


def _seed_records() -> list[dict[str, Any]]:
    lines = (SEEDS / "reports.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def client(seeds_store: Path) -> Iterator[TestClient]:
    with TestClient(create_app(seeds_store)) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def story_id(client: TestClient) -> int:
    stories = client.get("/api/stories").json()["stories"]
    assert len(stories) == 1
    return int(stories[0]["id"])


def _page(response: Any) -> Any:
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


# --- JSON API ------------------------------------------------------------------------------


def test_api_lists_the_seed_story(client: TestClient) -> None:
    page = client.get("/api/stories").json()
    assert page["total"] == 1
    (story,) = page["stories"]
    assert story["reports"] == 2
    assert story["outlets"] == ["CNN", "The Duran"]
    assert story["first_published"] == story["last_published"] == "2017-08-28"


def test_api_story_is_the_version_1_contract(client: TestClient, story_id: int) -> None:
    data = client.get(f"/api/stories/{story_id}").json()
    assert data["version"] == 1
    assert {r["id"] for r in data["reports"]} == {"duran", "cnn"}
    by_status = {f["status"] for f in data["facts"]}
    assert {"agree", "single"} <= by_status
    mention = data["facts"][0]["mentions"][0]
    text = next(r["text"] for r in data["reports"] if r["id"] == mention["report"])
    assert text[mention["start"] : mention["end"]] == mention["text"]
    # The sentence a mention comes from, which the page highlights.
    assert mention["sentence_start"] <= mention["start"] < mention["end"] <= mention["sentence_end"]


def test_api_search_and_sort(client: TestClient) -> None:
    assert client.get("/api/stories", params={"q": "duran"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "mission accomp"}).json()["total"] == 1
    assert client.get("/api/stories", params={"q": "100%_"}).json()["total"] == 0
    sorted_page = client.get("/api/stories", params={"sort": "conflicts", "order": "asc"})
    assert sorted_page.status_code == 200


def test_api_stored_report(client: TestClient, story_id: int) -> None:
    report = client.get("/api/reports/duran").json()
    assert report["story"] == story_id
    assert report["outlet"] == "The Duran"
    assert any(span["reason"] == "donation appeal" for span in report["removed"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "says"),
    [
        ("GET", "/api/stories/999", None, 404, "no story 999"),
        ("GET", "/api/reports/nope", None, 404, "no report 'nope'"),
        ("GET", "/api/stories?sort=colour", None, 422, "sort"),
        ("GET", "/api/stories?limit=true", None, 422, "valid integer"),
        ("POST", "/api/compare", {"reports": [{"text": "One report."}]}, 422, "at least 2"),
        ("POST", "/api/compare", {"reports": [{"text": "A."}, {"text": "  "}]}, 400, "no text"),
    ],
)
def test_api_errors_are_json_with_a_message(
    client: TestClient, method: str, path: str, body: Any, status: int, says: str
) -> None:
    response = client.request(method, path, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/json"
    assert says in json.dumps(response.json()["detail"])


def test_api_compare_now(client: TestClient) -> None:
    reports = [
        {k: r[k] for k in ("id", "outlet", "title", "published", "text")} for r in _seed_records()
    ]
    data = client.post("/api/compare", json={"reports": reports}).json()
    assert data["version"] == 1
    remains = [f for f in data["facts"] if f["kind"] == "quantity" and f["status"] == "agree"]
    assert any({m["value"] for m in f["mentions"]} == {8} for f in remains)


def test_api_compare_now_names_repeated_ids_apart(client: TestClient) -> None:
    given = [{"id": "same", "text": "Five people died in Homs."}] * 2
    data = client.post("/api/compare", json={"reports": given}).json()
    assert [r["id"] for r in data["reports"]] == ["same", "same-2"]


def test_api_compare_now_never_gives_two_reports_one_id(client: TestClient) -> None:
    ids = ["a", "a", "a-2"]
    given = [{"id": i, "text": f"{n} people died in Homs."} for n, i in enumerate(ids, 5)]
    response = client.post("/api/compare", json={"reports": given})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["reports"]] == ["a", "a-2", "a-2-2"]


def test_a_nul_in_a_search_or_id_is_no_server_error(client: TestClient) -> None:
    assert client.get("/api/stories", params={"q": "\x00"}).status_code == 200
    assert client.get("/api/reports/a%00b").status_code == 404


def test_request_over_the_size_limit_is_refused(seeds_store: Path) -> None:
    with TestClient(create_app(seeds_store, max_body_bytes=1000)) as small:
        big = {"reports": [{"text": "x" * 2000}, {"text": "y"}]}
        response = small.post("/api/compare", json=big)
        assert response.status_code == 413
        assert "limit" in response.json()["detail"]
        page = small.post("/compare", data={"text_0": "x" * 2000, "text_1": "y"})
        assert page.status_code == 413


def test_openapi_document_lists_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/reports/{report_id}"} <= set(
        schema["paths"]
    )
    assert "post" in schema["paths"]["/api/compare"]
    assert not any(path.startswith("/stories") for path in schema["paths"])


# --- pages ---------------------------------------------------------------------------------


def test_stories_page_lists_and_searches(client: TestClient, story_id: int) -> None:
    page = _page(client.get("/"))
    links = page.xpath("//table[@class='stories']//a[starts-with(@href, '/stories/')]")
    assert [a.get("href") for a in links] == [f"/stories/{story_id}"]
    empty = _page(client.get("/", params={"q": "no such words"}))
    assert "No story matches" in empty.text_content()


def test_bad_query_on_a_page_is_an_html_error(client: TestClient) -> None:
    response = client.get("/", params={"sort": "colour"})
    assert response.status_code == 422
    assert "sort" in _page(response).text_content()


def test_story_page_table(client: TestClient, story_id: int) -> None:
    page = _page(client.get(f"/stories/{story_id}"))
    headers = [h.text_content() for h in page.xpath("//table[@id='facts']/thead//th")]
    assert "The Duran" in headers[2] and "CNN" in headers[3]
    assert "MBFC" in headers[3]  # the outlet prior in the column header
    statuses = {
        row.get("id"): row.get("data-status") for row in page.xpath("//table[@id='facts']//tr")
    }
    assert "agree" in statuses.values() and "single" in statuses.values()
    # Each cell button names a sentence of a report panel on the same page.
    for button in page.xpath("//button[@data-target]"):
        target = button.get("data-target")
        assert page.xpath(f"//*[@id='{target}']"), target


def test_missing_story_page_is_404(client: TestClient) -> None:
    response = client.get("/stories/424242")
    assert response.status_code == 404
    assert "no story 424242" in _page(response).text_content()


def test_report_page_strikes_removed_spans_with_reasons(client: TestClient) -> None:
    page = _page(client.get("/reports/duran"))
    reasons = [span.text_content() for span in page.xpath("//span[@class='reason']")]
    assert "donation appeal" in reasons
    struck = "".join(s.text_content() for s in page.xpath("//span[contains(@class, 'removed')]"))
    assert "When you donate €20 or more" in struck
    assert page.xpath("//span[contains(@class, 'technique')]")  # the loaded headline
    assert page.xpath("//span[contains(@class, 'source')]")  # attributions


def test_compare_form_pastes_two_reports(client: TestClient) -> None:
    duran, cnn = _seed_records()
    form = {
        "outlet_0": duran["outlet"],
        "text_0": duran["text"],
        "outlet_1": cnn["outlet"],
        "text_1": cnn["text"],
    }
    page = _page(client.post("/compare", data=form))
    assert page.xpath("//table[@id='facts']//tr[@data-status='agree']")


def test_compare_form_needs_two_reports_and_keeps_what_was_typed(client: TestClient) -> None:
    response = client.post("/compare", data={"outlet_0": "Solo", "text_0": "Only one."})
    assert response.status_code == 400
    page = _page(response)
    assert "give 2 to 10 reports" in page.xpath("//p[@role='alert']")[0].text_content()
    assert page.xpath("//textarea[@name='text_0']")[0].text_content() == "Only one."


def test_compare_form_refuses_a_number_as_a_date(client: TestClient) -> None:
    form = {"published_0": "1500000000", "text_0": "A.", "text_1": "B."}
    response = client.post("/compare", data=form)
    assert response.status_code == 400
    assert "use YYYY-MM-DD" in response.text


def test_uploaded_script_is_shown_as_text(client: TestClient) -> None:
    hostile = f"Officials said {SCRIPT} twelve people died in Aleppo on Monday.\n"
    files = [
        ("files", ("hostile<b>.txt", hostile.encode(), "text/plain")),
        ("files", ("calm.txt", b"Twelve people died in Aleppo on Monday, officials said.", "")),
    ]
    response = client.post("/compare", files=files)
    assert response.status_code == 200
    assert SCRIPT not in response.text
    assert "&lt;script&gt;" in response.text
    page = _page(response)
    assert SCRIPT in page.xpath("//article[@class='report']")[0].text_content()
    assert not page.xpath("//script[not(@src)]")


def test_uploads_with_non_ascii_names(client: TestClient) -> None:
    files = [
        ("files", ("отчёт.txt", "Пять человек погибли. Five people died.".encode(), "text/plain")),
        ("files", ("報告.txt", b"Six people died in Homs on Monday.", "text/plain")),
    ]
    page = _page(client.post("/compare", files=files))
    assert [h.text_content() for h in page.xpath("//article[@class='report']//h3")] == [
        "отчёт",
        "報告",
    ]


def test_unsupported_upload_is_named(client: TestClient) -> None:
    files = [("files", ("tool.exe", b"MZ\x00\x01", "application/octet-stream"))]
    response = client.post("/compare", files=files, data={"text_0": "A.", "text_1": "B."})
    assert response.status_code == 400
    assert "tool.exe" in response.text and "unsupported file type" in response.text


def test_unreadable_upload_is_skipped_and_listed(client: TestClient) -> None:
    files = [
        ("files", ("empty.txt", b"   ", "text/plain")),
        ("files", ("a.txt", b"Five people died in Homs on Monday.", "text/plain")),
        ("files", ("b.txt", b"Six people died in Homs on Monday.", "text/plain")),
    ]
    page = _page(client.post("/compare", files=files))
    assert "Skipped empty.txt" in page.text_content()


def test_only_web_addresses_become_links(client: TestClient) -> None:
    given = [
        {"url": "javascript:alert(1)", "text": "Five people died in Homs."},
        {"url": "http://[oops", "text": "Seven people died in Homs."},
        {"url": "https://example.org/a", "text": "Six people died in Homs."},
    ]
    form = {f"{k}_{i}": v for i, report in enumerate(given) for k, v in report.items()}
    page = _page(client.post("/compare", data=form))
    hrefs = [a.get("href") for a in page.xpath("//a[@href]")]
    assert "https://example.org/a" in hrefs
    assert not any("javascript" in href for href in hrefs)


# --- the parts -----------------------------------------------------------------------------


def test_marked_segments_give_the_text_back(seeds_json: dict[str, Any]) -> None:
    for data in seeds_json["reports"]:
        report = Report.from_dict(data)
        segments = marked_segments(report, "r0", seeds_json["facts"], seeds_json["sources"])
        assert "".join(s.text for s in segments) == report.text
        marked = {c for s in segments for c in s.classes}
        assert {"mention", "source"} <= marked


def _copy_of(store: Path, folder: Path) -> Path:
    """A private copy of a SQLite store (the backup API also copies what is still in the WAL)."""
    path = folder / "store.db"
    with sqlite3.connect(store) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    return path


def test_kept_comparison_is_used_until_the_story_changes(seeds_store: Path, tmp_path: Path) -> None:
    with Store(_copy_of(seeds_store, tmp_path)) as store:
        (story,) = store.stories()
        first = compare_story(store, story.id)
        assert compare_story(store, story.id).kept
        assert compare_story(store, story.id).body == first.body
        with store.engine.begin() as conn:  # as when the ingest adds a report to the story
            store.assign(conn, [], story.id)
        assert not compare_story(store, story.id).kept
        _, (summary,) = store.story_summaries()
        assert summary.facts == len(first.to_dict()["facts"])


def test_kept_comparison_is_not_used_by_another_analysis_version(
    seeds_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(_copy_of(seeds_store, tmp_path)) as store:
        (story,) = store.stories()
        made = compare_story(store, story.id)
        monkeypatch.setattr("corroborate.store.COMPARISON_VERSION", "newer")
        assert store.kept_comparison(story.id) is None
        _, (summary,) = store.story_summaries()
        assert summary.conflicts is None
        # A comparison of reports the story no longer has is not kept.
        assert not store.keep_comparison(story.id, ["duran"], made.body, facts=1, conflicts=0)


def test_reports_with_slashes_in_their_ids(tmp_path: Path) -> None:
    rows = [{**row, "id": f"feed/{row['id']}"} for row in _seed_records()]
    corpus = tmp_path / "rows.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    ingest([corpus], db=tmp_path / "store.db", analyse=False)
    with TestClient(create_app(tmp_path / "store.db")) as slashed:
        assert slashed.get("/api/reports/feed/duran").json()["id"] == "feed/duran"
        assert slashed.get("/api/reports/feed%2Fcnn").json()["id"] == "feed/cnn"
        assert slashed.get("/reports/feed/duran").status_code == 200


def test_serve_listens_on_localhost_by_default() -> None:
    result = run_cli("serve", "--help")
    assert result.returncode == 0
    assert "127.0.0.1" in result.stdout
