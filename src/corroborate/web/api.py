"""The JSON API under /api/: stories, a story's comparison (version-1 contract), stored
reports, and compare-now."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from corroborate.errors import CorroborateError, StoreError
from corroborate.model import Report
from corroborate.read import report_from_record
from corroborate.web.analyst import Analyst, TooFewOrTooMany
from corroborate.web.schemas import (
    MAX_STORY_ID,
    CompareRequest,
    ComparisonOut,
    Problem,
    StoredReportOut,
    StoriesPage,
    StorySummaryOut,
)

router = APIRouter(prefix="/api", tags=["api"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": Problem, "description": "Not found"}}
BUSY: dict[int | str, dict[str, Any]] = {
    503: {
        "model": Problem,
        "description": "Too many analyses are waiting (see Retry-After), or this one did not "
        "finish within the server's time budget",
    }
}
COMPARISON = {
    "model": ComparisonOut,
    "description": "The comparison, in the version-1 JSON contract.",
}


class StorySort(StrEnum):
    reports = "reports"
    outlets = "outlets"
    first = "first"
    last = "last"
    conflicts = "conflicts"
    id = "id"


class SortOrder(StrEnum):
    desc = "desc"
    asc = "asc"


StoryId = Annotated[int, Path(ge=1, le=MAX_STORY_ID)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


def analyst(request: Request) -> Analyst:
    found: Analyst = request.app.state.analyst
    return found


@router.get("/stories", response_model=StoriesPage, summary="List stories")
def list_stories(
    request: Request,
    q: Annotated[
        str | None, Query(max_length=200, description="Words in a title, outlet or label.")
    ] = None,
    sort: StorySort = StorySort.reports,
    order: SortOrder = SortOrder.desc,
    limit: Limit = 50,
    offset: Offset = 0,
) -> StoriesPage:
    """Stored stories, one page at a time, with their outlets, date range and conflicts."""
    total, summaries = analyst(request).store.story_summaries(
        q, sort=sort.value, descending=order is SortOrder.desc, limit=limit, offset=offset
    )
    return StoriesPage(
        total=total,
        limit=limit,
        offset=offset,
        stories=[StorySummaryOut.model_validate(s.to_dict()) for s in summaries],
    )


@router.get(
    "/stories/{story_id}",
    summary="Compare a story's reports",
    response_class=JSONResponse,
    responses={200: COMPARISON, **NOT_FOUND, **BUSY},
)
def story_comparison(request: Request, story_id: StoryId) -> Response:
    """The story's fact-by-outlet comparison. The first request compares the reports (a few
    seconds); the result is kept in the store until the story changes."""
    try:
        comparison = analyst(request).story(story_id)
    except StoreError as exc:
        raise HTTPException(404, f"no story {story_id} in this store") from exc
    return Response(comparison.body, media_type="application/json")


@router.get(
    "/reports/{report_id:path}",
    response_model=StoredReportOut,
    summary="A stored report",
    responses=NOT_FOUND,
)
def stored_report(request: Request, report_id: str) -> dict[str, Any]:
    """A stored report: its text exactly as read, what cleaning removed, and its story."""
    found = analyst(request).store.stored_report(report_id)
    if found is None:
        raise HTTPException(404, f"no report {report_id!r} in this store")
    return found.to_dict()


@router.post(
    "/compare",
    summary="Compare reports now",
    response_class=JSONResponse,
    responses={
        200: COMPARISON,
        400: {"model": Problem, "description": "The reports cannot be compared"},
        413: {
            "model": Problem,
            "description": "The request is too large: its body, or its texts together",
        },
        **BUSY,
    },
)
def compare_now(request: Request, body: CompareRequest) -> dict[str, Any]:
    """Compare 2 to 10 reports given in the request, without storing them. The server
    compares a bounded number of characters in one request, one request at a time."""
    reports = [_report(given.model_dump(mode="json"), i) for i, given in enumerate(body.reports)]
    try:
        return analyst(request).compare_now(reports)
    except (TooFewOrTooMany, CorroborateError) as exc:
        raise HTTPException(400, str(exc)) from exc


def _report(given: dict[str, Any], position: int) -> Report:
    source = f"reports[{position}]"
    try:
        return report_from_record(given, default_id=f"report-{position + 1}", source=source)
    except CorroborateError as exc:
        raise HTTPException(400, str(exc)) from exc
