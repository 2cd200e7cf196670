"""The HTML pages: stories, a story's fact-by-outlet table, a report's marked text, and
compare-now. Every page is rendered on the server; article text is always escaped."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from starlette.datastructures import UploadFile

from corroborate.errors import CorroborateError, InputError, StoreError
from corroborate.model import InputProblem, Report
from corroborate.read import SUFFIXES, read_reports, report_from_record
from corroborate.web.analyst import Refused, TooFewOrTooMany
from corroborate.web.api import Limit, Offset, SortOrder, StoryId, StorySort, analyst
from corroborate.web.schemas import MAX_REPORTS
from corroborate.web.views import report_column, report_panel, story_view

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
# Pasted reports the form shows at first; a button adds more, up to MAX_REPORTS.
BLANK_FORMS = 2


def render(
    request: Request,
    template: str,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, template, context, status_code=status_code, headers=headers
    )


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: StorySort = StorySort.reports,
    order: SortOrder = SortOrder.desc,
    offset: Offset = 0,
    limit: Limit = PAGE_SIZE,
) -> HTMLResponse:
    store = analyst(request).store
    total, summaries = store.story_summaries(
        q, sort=sort.value, descending=order is SortOrder.desc, limit=limit, offset=offset
    )
    return render(
        request,
        "stories.html",
        summaries=summaries,
        total=total,
        q=q or "",
        sort=sort.value,
        order=order.value,
        offset=offset,
        limit=limit,
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: StoryId) -> HTMLResponse:
    try:
        comparison = analyst(request).story(story_id)
    except StoreError as exc:
        raise HTTPException(404, f"There is no story {story_id} in this store.") from exc
    data = comparison.to_dict()
    view = story_view(data)
    return render(
        request,
        "story.html",
        view=view,
        heading=_story_heading(data),
        story_id=story_id,
        api_url=f"/api/stories/{story_id}",
    )


@router.get("/reports/{report_id:path}", response_class=HTMLResponse)
def report_page(request: Request, report_id: str) -> HTMLResponse:
    web_analyst = analyst(request)
    found = web_analyst.store.stored_report(report_id)
    if found is None:
        raise HTTPException(404, f"There is no report {report_id!r} in this store.")
    report, facts, sources = found.report, [], []
    # A copy is not compared (its original is); an unclustered report has no comparison yet.
    if found.story is not None and found.copy_of is None:
        data = web_analyst.story(found.story).to_dict()
        for analysed in data["reports"]:
            if analysed["id"] == report.id:
                report = Report.from_dict(analysed)
        facts, sources = data["facts"], data["sources"]
    column = report_column(report, "r0")
    mine = [f for f in facts if any(m["report"] == report.id for m in f["mentions"])]
    return render(
        request,
        "report.html",
        report=report,
        panel=report_panel(report, column, mine, sources),
        facts=mine,
        story_id=found.story,
        copy_of=found.copy_of,
    )


@router.get("/compare", response_class=HTMLResponse)
def compare_form(request: Request) -> HTMLResponse:
    return render(request, "compare.html", forms=_blank_forms(), error=None)


@router.post("/compare", response_class=HTMLResponse)
async def compare_submitted(request: Request) -> HTMLResponse:
    form = await request.form(
        max_files=MAX_REPORTS, max_fields=20 * MAX_REPORTS, max_part_size=request.app.state.max_body
    )
    filled = _filled_forms(form)
    uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
    try:
        pasted = [_pasted_report(values, i) for i, values in enumerate(filled)]
        uploaded, problems = await _read_uploads([u for u in uploads if u.filename])
        data = await run_in_threadpool(analyst(request).compare_now, [*pasted, *uploaded], problems)
    except (TooFewOrTooMany, CorroborateError, Refused) as exc:
        status, headers = (exc.status, exc.headers) if isinstance(exc, Refused) else (400, None)
        forms = filled + _blank_forms()[len(filled) :]
        return render(request, "compare.html", status, headers, forms=forms, error=str(exc))
    finally:
        await form.close()
    return render(
        request,
        "story.html",
        view=story_view(data),
        heading="Compared now (not stored)",
        story_id=None,
        api_url=None,
    )


def _story_heading(data: dict[str, Any]) -> str:
    titles = [r["title"] for r in data["reports"] if r.get("title")]
    return titles[0] if titles else "Untitled story"


FORM_FIELDS = ("outlet", "title", "published", "url", "text")


def _blank_forms() -> list[dict[str, str]]:
    return [dict.fromkeys(FORM_FIELDS, "") for _ in range(BLANK_FORMS)]


def _filled_forms(form: Any) -> list[dict[str, str]]:
    """The pasted reports' fields, for those with anything filled in."""
    forms = []
    for i in range(MAX_REPORTS):
        values = {name: str(form.get(f"{name}_{i}") or "") for name in FORM_FIELDS}
        if any(v.strip() for v in values.values()):
            forms.append(values)
    return forms


def _pasted_report(values: dict[str, str], position: int) -> Report:
    """Raises InputError when the report has no text or its date is no date."""
    source = f"pasted report {position + 1}"
    record = {k: v for k, v in values.items() if v.strip()}
    # As in the API: a bare number is no date (dateparser would read it as a Unix time).
    if record.get("published", "").strip().isdigit():
        raise InputError(source, f"cannot read {record['published']!r} as a date; use YYYY-MM-DD")
    return report_from_record(record, default_id=f"pasted-{position + 1}", source=source)


_UNSAFE_NAME = re.compile(r"[^\w.-]+")


async def _read_uploads(
    uploads: list[UploadFile],
) -> tuple[list[Report], list[InputProblem]]:
    """Read uploaded files with the same readers as the CLI; files that cannot be read are
    problems, named by their file name."""
    if not uploads:
        return [], []
    with tempfile.TemporaryDirectory(prefix="corroborate-upload-") as folder:
        paths = []
        for position, upload in enumerate(uploads):
            given = Path(upload.filename or "")
            suffix = given.suffix.lower()
            name = (_UNSAFE_NAME.sub("_", given.stem).strip("._") or "report") + suffix
            if suffix not in SUFFIXES:
                raise InputError(
                    upload.filename or name,
                    "unsupported file type; use one of " + ", ".join(sorted(SUFFIXES)),
                )
            path = Path(folder) / str(position) / name
            path.parent.mkdir()
            path.write_bytes(await upload.read())
            paths.append(path)
        result = await run_in_threadpool(read_reports, paths)
    problems = [
        InputProblem(Path(p.source).name if p.source.startswith(folder) else p.source, p.message)
        for p in result.problems
    ]
    return list(result.reports), problems
