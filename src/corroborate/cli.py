"""The command line: a thin Typer layer over the Python API."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, Protocol, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.exc import SQLAlchemyError

from corroborate import __version__
from corroborate.errors import CorroborateError, NoReportsError, StoreError
from corroborate.ingest import BATCH_SIZE, IngestCounts
from corroborate.ingest import ingest as ingest_corpus
from corroborate.jobs import compare as compare_reports
from corroborate.jobs import compare_story, extract_mentions
from corroborate.model import Comparison, InputProblem
from corroborate.render import (
    render_extractions_jsonl,
    render_extractions_table,
    render_json,
    render_markdown,
    render_stories,
    render_terminal,
)
from corroborate.render.table import printable
from corroborate.store import DEFAULT_DB, Store, database_url
from corroborate.store.database import display_url

app = typer.Typer(
    help="Line up the facts of several news reports of one event: agree, compatible, conflict, "
    "single.",
    no_args_is_help=True,
    add_completion=False,
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


class MentionFormat(StrEnum):
    table = "table"
    json = "json"


InputsArgument = Annotated[
    list[Path],
    typer.Argument(help="Report files (.txt .html .json .jsonl .csv .parquet) or folders of them."),
]
DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        help="The store: a SQLite file, or a SQLAlchemy URL (postgresql+psycopg://user@host/db).",
    ),
]
OutletOption = Annotated[
    list[str] | None,
    typer.Option(help="Outlet for reports without one; ID=NAME sets one report's. Repeatable."),
]
PublishedOption = Annotated[
    list[str] | None,
    typer.Option(
        help="Publication date (YYYY-MM-DD) for reports without one; ID=DATE sets one "
        "report's. Relative dates ('on Sunday') resolve against it. Repeatable."
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"corroborate {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
) -> None:
    """Corroborate: what news reports agree on, where they conflict, who says so."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
def compare(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Report files (.txt .html .json .jsonl .csv .parquet) or folders of them.",
            show_default=False,
        ),
    ] = None,
    story: Annotated[
        int | None,
        typer.Option("--story", help="Compare the reports of this stored story (see `stories`)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or markdown.")
    ] = OutputFormat.table,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    singles: Annotated[
        bool, typer.Option(help="Show facts only one report gives (table and markdown).")
    ] = True,
    output: OutputOption = None,
) -> None:
    """Compare reports of one event fact by fact: given files, or a stored story."""
    if story is not None and inputs:
        raise typer.BadParameter("give report files or --story, not both")
    if story is None and not inputs:
        raise typer.BadParameter("give report files to compare, or --story ID")
    if story is not None:

        def compare_story(_: list[Path], **options: object) -> Comparison:
            with Store(db, create=False) as store:
                reports = store.story_reports(story)
            return compare_reports(reports, **options)  # type: ignore[arg-type]

        comparison = _run_job(compare_story, [], outlet, published, "Analysing the story…")
    else:
        comparison = _run_job(compare_reports, inputs or [], outlet, published, "Analysing…")
    if output_format is OutputFormat.json:
        _write(render_json(comparison) + "\n", output)
    elif output_format is OutputFormat.markdown:
        _write(render_markdown(comparison, include_singles=singles), output)
    else:
        if output is not None:
            with output.open("w", encoding="utf-8") as handle:
                render_terminal(
                    comparison, Console(file=handle, width=160), include_singles=singles
                )
        else:
            render_terminal(comparison, Console(), include_singles=singles)


@app.command()
def extract(
    inputs: InputsArgument,
    output_format: Annotated[
        MentionFormat, typer.Option("--format", "-f", help="table, or json (one line per report).")
    ] = MentionFormat.table,
    outlet: OutletOption = None,
    published: PublishedOption = None,
    output: OutputOption = None,
) -> None:
    """List what each report states (counts, dates, places, actors, quotes, attributions),
    without comparing reports. A .jsonl input may hold one {"id", "text"} per line."""
    result = _run_job(extract_mentions, inputs, outlet, published, "Reading mentions…")
    if output_format is MentionFormat.json:
        _write(render_extractions_jsonl(result.extractions), output)
    elif output is not None:
        with output.open("w", encoding="utf-8") as handle:
            render_extractions_table(result.extractions, Console(file=handle, width=160))
    else:
        render_extractions_table(result.extractions, Console())


@app.command()
def ingest(
    inputs: InputsArgument,
    db: DbOption = DEFAULT_DB,
    analyse: Annotated[
        bool,
        typer.Option(help="Extract and store each new report's analysis (the slow part)."),
    ] = True,
    batch_size: Annotated[
        int, typer.Option(min=1, help="Reports per transaction: what an interruption can lose.")
    ] = BATCH_SIZE,
) -> None:
    """Store a corpus: clean and analyse each report, link duplicates, group stories.

    Running it again on the same input stores nothing twice; an interrupted ingest resumes.
    """
    err = Console(stderr=True)
    try:
        with _IngestBar(err) as bar:
            result = ingest_corpus(
                inputs, db=db, analyse=analyse, batch_size=batch_size, progress=bar
            )
    except CorroborateError as exc:
        _fail(err, str(exc), exc.exit_code)
    except SQLAlchemyError as exc:
        # What was committed stays; running the ingest again resumes after it.
        _fail(err, f"the store failed: {getattr(exc, 'orig', exc)}", StoreError.exit_code)
    for problem in result.problems[:MAX_PROBLEMS_SHOWN]:
        _print_skipped(err, problem)
    if len(result.problems) > MAX_PROBLEMS_SHOWN:
        err.print(
            f"… and {len(result.problems) - MAX_PROBLEMS_SHOWN:,} more problems, kept in the "
            "store's ingest_problems table",
            highlight=False,
        )
    c = result.counts
    err.print(
        f"{c.read:,} reports read: {c.stored:,} stored "
        f"({c.exact_copies:,} exact and {c.near_copies:,} near copies linked to their original), "
        f"{c.already_stored:,} already stored, {c.problems:,} problems; "
        f"{c.stories_created:,} new stories, {c.stories_extended:,} extended. "
        f"Store: {escape(printable(result.db))}",
        highlight=False,
        soft_wrap=True,
    )
    if c.read == 0 and c.problems:
        raise typer.Exit(NoReportsError.exit_code)


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    output_format: Annotated[
        MentionFormat, typer.Option("--format", "-f", help="table, or json.")
    ] = MentionFormat.table,
    output: OutputOption = None,
    compare_all: Annotated[
        bool,
        typer.Option(
            "--compare",
            help="Compare every story not yet compared and keep the result in the store, so "
            "that `serve` opens each story at once and can sort them by conflicts.",
        ),
    ] = False,
) -> None:
    """List the stored stories, each with its reports; `compare --story ID` compares one."""
    err = Console(stderr=True)
    try:
        with Store(db, create=False) as store:
            listings = store.stories()
            if compare_all:
                _compare_stories(store, [s.id for s in listings], err)
    except CorroborateError as exc:
        _fail(err, str(exc), exc.exit_code)
    if output_format is MentionFormat.json:
        _write(json.dumps([s.to_dict() for s in listings], ensure_ascii=False) + "\n", output)
    elif output is not None:
        with output.open("w", encoding="utf-8") as handle:
            render_stories(listings, Console(file=handle, width=160))
    else:
        render_stories(listings, Console())


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[
        str, typer.Option(help="The address to listen on; 0.0.0.0 opens it to the network.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="The port to listen on.")] = 8000,
    max_upload_mb: Annotated[
        int, typer.Option(min=1, help="The largest request body accepted (uploads), in MB.")
    ] = 20,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A host name the server answers to, besides localhost, 127.0.0.1, [::1] and "
            "--host (repeat for more; '*' for any). Other Host headers get a 400.",
        ),
    ] = None,
) -> None:
    """Serve the web UI and JSON API over a store: stories, fact tables, compare-now."""
    from corroborate.web import serve as serve_app  # FastAPI and uvicorn load only here

    err = Console(stderr=True)
    err.print(
        f"Serving {escape(display_url(database_url(db)))} on http://{host}:{port} (Ctrl+C stops)",
        highlight=False,
    )
    try:
        serve_app(
            db,
            host=host,
            port=port,
            max_body_bytes=max_upload_mb * 1024 * 1024,
            allowed_hosts=allowed_host or (),
        )
    except CorroborateError as exc:
        _fail(err, str(exc), exc.exit_code)


MAX_PROBLEMS_SHOWN = 20


def _compare_stories(store: Store, story_ids: list[int], err: Console) -> None:
    """Compare and keep each story with a bar; a story that fails is reported and skipped."""
    computed = 0
    progress = Progress(
        SpinnerColumn(),
        TextColumn("comparing stories"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    )
    with progress:
        task = progress.add_task("stories", total=len(story_ids))
        for story in story_ids:
            try:
                computed += not compare_story(store, story).kept
            except CorroborateError as exc:
                err.print(f"[yellow]story {story} skipped:[/yellow] {escape(printable(str(exc)))}")
            progress.advance(task)
    err.print(
        f"{computed:,} stories compared, {len(story_ids) - computed:,} already compared "
        f"or skipped; kept in {escape(store.url)}",
        highlight=False,
    )


class _IngestBar:
    """Progress bars for an ingest: reports read and stored, then story assignment."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[note]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            disable=not console.is_terminal,
        )
        self._reports = self._progress.add_task("reports", total=None, note="")
        self._stories: TaskID | None = None

    def __enter__(self) -> _IngestBar:
        self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def reports_done(self, counts: IngestCounts) -> None:
        note = (
            f"{counts.stored:,} stored · {counts.already_stored:,} already · "
            f"{counts.exact_copies + counts.near_copies:,} copies · {counts.problems:,} problems"
        )
        self._progress.update(self._reports, completed=counts.read, note=note)

    def stories_started(self, total: int) -> None:
        self._progress.update(self._reports, total=self._progress.tasks[0].completed)
        self._stories = self._progress.add_task("stories", total=total, note="")

    def stories_done(self, assigned: int) -> None:
        if self._stories is not None:
            self._progress.update(self._stories, completed=assigned)


class _JobResult(Protocol):
    @property
    def problems(self) -> tuple[InputProblem, ...]: ...


_Result = TypeVar("_Result", bound=_JobResult)


def _run_job(
    job: Callable[..., _Result],
    inputs: list[Path],
    outlet: list[str] | None,
    published: list[str] | None,
    status: str,
) -> _Result:
    """Run `compare` or `extract_mentions` with a spinner; report errors and skipped inputs.

    Text from inputs (file names, messages) is escaped: it is never read as Rich markup.
    """
    err = Console(stderr=True)
    try:
        outlet_option = _per_report_option(outlet, "--outlet")
        published_option = _per_report_option(published, "--published")
        with err.status(status, spinner="dots") if err.is_terminal else _null():
            result = job(inputs, outlet=outlet_option, published=published_option)
    except CorroborateError as exc:
        _fail(err, str(exc), exc.exit_code)
    for problem in result.problems:
        _print_skipped(err, problem)
    return result


def _fail(err: Console, message: str, exit_code: int) -> NoReturn:
    """Print an error (its text never read as Rich markup) and exit with `exit_code`."""
    err.print(f"[red]error:[/red] {escape(printable(message))}", highlight=False, soft_wrap=True)
    raise typer.Exit(exit_code) from None


def _print_skipped(err: Console, problem: InputProblem) -> None:
    err.print(
        f"[yellow]skipped[/yellow] {escape(printable(str(problem)))}",
        highlight=False,
        soft_wrap=True,
    )


def _per_report_option(values: list[str] | None, name: str) -> str | dict[str, str] | None:
    """`--outlet NAME` applies to all reports without one; `--outlet ID=NAME` to one report."""
    if not values:
        return None
    plain = [v for v in values if "=" not in v]
    pairs = dict(v.split("=", 1) for v in values if "=" in v)
    if plain and pairs:
        raise typer.BadParameter(f"use either {name} VALUE or {name} ID=VALUE, not both")
    if len(plain) > 1:
        raise typer.BadParameter(f"{name} VALUE given twice; use {name} ID=VALUE per report")
    return plain[0] if plain else pairs


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *args: object) -> None:
        return None


def main() -> None:
    """Entry point of the `corroborate` command."""
    app()
