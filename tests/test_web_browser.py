"""The web UI in a real browser: Playwright driving Debian's chromium (`.ci/run` installs it).

Locally these skip when no chromium is installed; on CI (env var CI set) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corroborate.web import create_app, serving
from tests.conftest import SEEDS

playwright_api = pytest.importorskip("playwright.sync_api")

# Debian's wrapper script (/usr/bin/chromium) works too, but prints a warning on each start.
CHROMIUM_CANDIDATES = (
    "/usr/lib/chromium/chromium",
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
)


def _chromium() -> str:
    wanted = os.environ.get("CORROBORATE_CHROMIUM")
    for candidate in (wanted, *CHROMIUM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return candidate
    reason = "no chromium (apt-get install chromium, or set CORROBORATE_CHROMIUM)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def base_url(seeds_store: Path) -> Iterator[str]:
    with serving(create_app(seeds_store)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = _chromium()
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def _row_with(page: Any, cell_text: str) -> Any:
    rows = page.locator("table#facts tbody tr").filter(
        has=page.get_by_role("button", name=cell_text)
    )
    assert rows.count() == 1, f"{rows.count()} rows with a cell {cell_text!r}"
    return rows.first


def _open_seed_story(page: Any, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_role("link", name="Hezbollah declares").click()
    page.wait_for_selector("table#facts")


def test_seed_story_shows_remains_agreeing_and_nine_soldiers_single(
    page: Any, base_url: str
) -> None:
    _open_seed_story(page, base_url)
    remains = _row_with(page, "8 bodies")
    assert remains.get_attribute("data-status") == "agree"
    assert "agree" in remains.locator(".badge").inner_text()
    assert remains.get_by_role("button", name="8 Lebanese soldiers").is_visible()
    soldiers = _row_with(page, "9 soldiers")
    assert soldiers.get_attribute("data-status") == "single"
    # The outlet priors are in the column headers.
    assert "MBFC" in page.locator("table#facts thead th.outlet").nth(1).inner_text()


def test_clicking_a_cell_highlights_its_sentence(page: Any, base_url: str) -> None:
    _open_seed_story(page, base_url)
    _row_with(page, "9 soldiers").get_by_role("button", name="9 soldiers").click()
    highlighted = page.locator(".text .hl")
    assert "negotiations on nine soldiers held by ISIS since 2014" in "".join(
        highlighted.all_inner_texts()
    )
    assert highlighted.first.is_visible()
    box = highlighted.first.bounding_box()
    assert box is not None and 0 <= box["y"] <= 900  # scrolled into view


def test_filters_show_only_conflicts_or_singles(page: Any, base_url: str) -> None:
    _open_seed_story(page, base_url)
    page.get_by_label("only single-source").check()
    visible = page.locator("table#facts tbody tr:visible")
    singles = visible.count()
    statuses = {visible.nth(i).get_attribute("data-status") for i in range(singles)}
    assert statuses == {"single"}
    page.get_by_label("only conflicts").check()
    assert page.locator("table#facts tbody tr:visible").count() == 0  # the seeds have none
    page.get_by_label("all facts").check()
    assert page.locator("table#facts tbody tr:visible").count() > singles


def test_paste_two_reports_and_get_a_table(page: Any, base_url: str) -> None:
    duran, cnn = (
        json.loads(line) for line in (SEEDS / "reports.jsonl").read_text("utf-8").splitlines()
    )
    page.goto(base_url + "/compare")
    page.fill("input[name=outlet_0]", duran["outlet"])
    page.fill("textarea[name=text_0]", duran["text"])
    page.fill("input[name=outlet_1]", cnn["outlet"])
    page.fill("textarea[name=text_1]", cnn["text"])
    page.get_by_role("button", name="Add another report").click()
    assert page.locator("textarea[name=text_2]").count() == 1  # left empty: ignored
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector("table#facts")
    assert page.locator("h1").inner_text() == "Compared now (not stored)"
    assert _row_with(page, "8 bodies").get_attribute("data-status") == "agree"


def test_uploaded_script_is_shown_as_text(page: Any, base_url: str) -> None:
    script = "<script>window.pwned = 1; alert('pwned')</script>"
    hostile = f"Officials said {script} that twelve people died in Aleppo on Monday."
    page.goto(base_url + "/compare")
    page.fill("textarea[name=text_0]", "Twelve people died in Aleppo on Monday, officials said.")
    page.set_input_files(
        "input[name=files]",
        files=[{"name": "hostile.txt", "mimeType": "text/plain", "buffer": hostile.encode()}],
    )
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_selector("table#facts")
    assert script in page.locator("article.report", has_text="pwned").inner_text()
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.dialogs == []


def test_story_page_leads_with_the_incident_card(page: Any, base_url: str) -> None:
    _open_seed_story(page, base_url)
    card = page.locator("section.card").first
    assert card.locator("h2").inner_text().startswith("Incident:")
    # The card comes before the details table.
    card_top = card.bounding_box()
    details_top = page.locator("table#facts").bounding_box()
    assert card_top is not None and details_top is not None
    assert card_top["y"] < details_top["y"]
    killed = card.locator("tbody tr").filter(has=page.locator("th", has_text="killed"))
    assert killed.count() >= 1
    assert killed.first.get_by_role("button", name="70-80 them").is_visible()
    assert "The Duran gives no figure for killed" in card.locator(".omissions").inner_text()
