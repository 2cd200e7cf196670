"""Read reports from files: .txt, .html, .json, .jsonl, .csv, .parquet, or a folder of them.

A broken input is reported as an `InputProblem` and skipped; the other inputs still run.
`iter_reports` streams reports and problems (rows as they come, for corpora);
`read_reports` collects them.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from corroborate.errors import ArgumentError, InputError
from corroborate.model import UNSTORABLE_CHARACTERS, InputProblem, Report, storable_text

LOGGER = logging.getLogger(__name__)

MAX_BYTES = 20 * 1024 * 1024  # larger files are almost never one article; refuse them clearly
MAX_TEXT_CHARS = 1_000_000  # one report's text; corpora belong in .jsonl/.csv rows
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
ROW_SUFFIXES = {".jsonl", ".ndjson", ".csv", ".parquet"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | ROW_SUFFIXES | {".json"}

# Field names accepted for each report attribute, first match wins: our own names first,
# then the FA-KES and FakeNewsCorpus layouts.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "unit_id", "report_id"),
    "outlet": ("outlet", "source", "site_name", "sitename"),
    "domain": ("domain", "hostname"),
    "title": ("title", "article_title", "headline"),
    "published": ("published", "date", "published_at", "publish_date"),
    "url": ("url", "link"),
    "text": ("text", "content", "article_content", "body"),
}

# The longest date string worth handing to dateparser ("Wednesday, 28 August 2017 14:05:00
# +0300" is 37): longer values are junk, and dateparser's time grows with their length.
MAX_DATE_CHARS = 100


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The reports read, and the inputs that could not be read."""

    reports: tuple[Report, ...]
    problems: tuple[InputProblem, ...]


def read_reports(
    inputs: Sequence[str | Path] | str | Path,
    *,
    outlet: str | Mapping[str, str] | None = None,
    published: str | date | Mapping[str, str | date] | None = None,
) -> ReadResult:
    """Read every input into reports, collecting problems instead of stopping at the first.

    Args:
        inputs: files or folders (or one of them).
        outlet: an outlet name for reports that have none, or a mapping of report id to outlet.
        published: a publication date for reports that have none, or a mapping of id to date.

    Returns:
        The reports (ids made unique) and the problems met.
    """
    reports: list[Report] = []
    problems: list[InputProblem] = []
    for item in iter_reports(inputs):
        if isinstance(item, Report):
            reports.append(item)
        else:
            problems.append(item)
    reports = [_apply_overrides(r, outlet, published, problems) for r in reports]
    return ReadResult(tuple(reports), tuple(problems))


def iter_reports(
    inputs: Sequence[str | Path] | str | Path,
) -> Iterator[Report | InputProblem]:
    """Yield reports one at a time, and a problem for each input or row that cannot be read.

    Rows of .jsonl, .csv and .parquet files are read as they come, so a corpus of any size
    streams in bounded memory. Repeated ids get a suffix: `a`, `a-2`, `a-3`.
    """
    problems: list[InputProblem] = []
    seen: dict[str, int] = {}
    for path in _expand(input_paths(inputs), problems):
        yield from problems
        problems.clear()
        try:
            for item in _read_file(path):
                yield _with_unique_id(item, seen) if isinstance(item, Report) else item
        except InputError as exc:
            yield InputProblem(exc.source, exc.problem)
        except OSError as exc:
            yield InputProblem(str(path), f"cannot read: {exc.strerror or exc}")
        except Exception as exc:
            yield InputProblem(str(path), f"cannot read: {type(exc).__name__}: {exc}")
    yield from problems


def input_items(inputs: object, name: str = "inputs") -> list[object]:
    """The items of an `inputs` argument: one path given alone is a list of one (never its
    characters one by one: "/" is the root folder, not "/" read letter by letter).

    Raises:
        ArgumentError: `inputs` is neither one path nor a sequence.
    """
    if isinstance(inputs, str | Path | Report):
        return [inputs]
    if isinstance(inputs, bytes | Mapping) or not isinstance(inputs, Iterable):
        raise ArgumentError(
            name, f"expected a list of paths, got {type(inputs).__name__}: {inputs!r:.80}"
        )
    return list(inputs)


def input_paths(inputs: object, name: str = "inputs") -> list[str | Path]:
    """The paths of an `inputs` argument (see `input_items`).

    Raises:
        ArgumentError: an item is no path.
    """
    items = input_items(inputs, name)
    for position, item in enumerate(items):
        if not isinstance(item, str | Path):
            raise ArgumentError(
                f"{name}[{position}]",
                f"expected a file or folder path, got {type(item).__name__}: {item!r:.80}",
            )
    return [item for item in items if isinstance(item, str | Path)]


def report_from_record(record: Mapping[str, Any], *, default_id: str, source: str) -> Report:
    """Build a report from a mapping with the fields of FIELD_ALIASES.

    Raises:
        InputError: the record has no usable text.
    """
    fields = {name: _first_field(record, aliases) for name, aliases in FIELD_ALIASES.items()}
    text = fields["text"]
    if not isinstance(text, str) or not text.strip():
        raise InputError(source, "no text: expected a non-empty 'text' field")
    if (too_long := text_over_limit(text)) is not None:
        raise InputError(source, too_long)
    url = _as_str(fields["url"])
    domain = _as_str(fields["domain"]) or _domain_of(url)
    return Report(
        id=_as_str(fields["id"]) or default_id,
        text=storable_text(text),
        outlet=_as_str(fields["outlet"]),
        domain=domain,
        title=_as_str(fields["title"]),
        published=parse_date(fields["published"], source=source),
        url=url,
        source=source,
    )


def parse_date(value: Any, *, source: str = "date") -> date | None:
    """Parse a publication date: ISO first, then the free formats dateparser knows.

    Raises:
        InputError: the value is present but is no date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) > MAX_DATE_CHARS:
        raise InputError(source, f"a date of {len(text):,} characters is no date; use YYYY-MM-DD")
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    import dateparser  # slow to import; only needed for non-ISO dates

    try:
        parsed = dateparser.parse(text, settings={"PREFER_DAY_OF_MONTH": "first"})
    except (OverflowError, ValueError):  # "2147483648 days ago": past any calendar
        parsed = None
    if parsed is None:
        raise InputError(source, f"cannot read {text!r} as a date; use YYYY-MM-DD")
    return parsed.date()  # type: ignore[no-any-return]


def decode_bytes(data: bytes, source: str) -> str:
    """Decode a file's bytes as text, refusing binary data with a clear message.

    Raises:
        InputError: binary, undecodable or empty.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(source, f"broken UTF-16 text (byte {exc.start})") from None
    else:
        if b"\x00" in data[:8192]:
            raise InputError(source, "looks like a binary file (NUL bytes), not text")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text = _decode_with_stray_bytes(data, source, exc)
    if not text.strip():
        raise InputError(source, "empty: no text to analyse")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > 0.01 * min(len(text), 8192):
        raise InputError(source, "looks like a binary file (control characters), not text")
    return text


# A corpus exported from a spreadsheet often holds a few stray Windows-1252 bytes in otherwise
# UTF-8 text: up to this share of bad bytes is replaced (U+FFFD) with a warning, not refused.
STRAY_BYTE_SHARE = 0.001


def _decode_with_stray_bytes(data: bytes, source: str, error: UnicodeDecodeError) -> str:
    text = data.decode("utf-8-sig", errors="replace")
    stray = text.count("\ufffd") - data.count("\ufffd".encode())
    if stray > STRAY_BYTE_SHARE * len(data):
        raise InputError(
            source, f"not UTF-8 text (byte {error.start}); re-save the file as UTF-8"
        ) from None
    LOGGER.warning("%s: %d bytes are not UTF-8 and were replaced with U+FFFD", source, stray)
    return text


def _expand(inputs: Sequence[str | Path], problems: list[InputProblem]) -> Iterator[Path]:
    for item in inputs:
        path = Path(item)
        try:
            is_dir, is_file = path.is_dir(), path.is_file()
        except (OSError, ValueError) as exc:  # a NUL in the name, a name too long
            problems.append(InputProblem(str(item), f"not a usable path: {exc}"))
            continue
        if not str(item).strip():
            problems.append(InputProblem(repr(str(item)), "an empty path names no file"))
        elif is_dir:
            try:
                files = sorted(
                    p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                )
            except OSError as exc:
                problems.append(InputProblem(str(path), f"cannot list: {exc.strerror or exc}"))
                continue
            if not files:
                problems.append(InputProblem(str(path), "folder holds no readable report files"))
            yield from files
        elif is_file:
            yield path
        else:
            problems.append(InputProblem(str(path), "no such file or folder"))


def _read_file(path: Path) -> Iterable[Report | InputProblem]:
    source = str(path)
    size = path.stat().st_size
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            source,
            f"unsupported file type {suffix or '(none)'}; use one of "
            + ", ".join(sorted(SUFFIXES)),
        )
    if size > MAX_BYTES and suffix not in ROW_SUFFIXES:
        raise InputError(
            source, f"file is {size:,} bytes; the limit for one report is {MAX_BYTES:,}"
        )
    if suffix in ROW_SUFFIXES:
        return _stream_rows(path)
    text = decode_bytes(path.read_bytes(), source)
    if suffix in TEXT_SUFFIXES:
        return [_checked(Report(id=path.stem, text=text, source=source), source)]
    if suffix in HTML_SUFFIXES:
        return [_report_from_html(text, path)]
    return [_report_from_json(text, path)]


def text_over_limit(text: str) -> str | None:
    """What is wrong with a report's text over MAX_TEXT_CHARS, or None."""
    if len(text) <= MAX_TEXT_CHARS:
        return None
    return f"text is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,}"


def _checked(report: Report, source: str) -> Report:
    if (too_long := text_over_limit(report.text)) is not None:
        raise InputError(source, too_long)
    return replace(report, text=storable_text(report.text))


def _report_from_html(html: str, path: Path) -> Report:
    import trafilatura  # heavy; only HTML needs it

    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        raise InputError(str(path), "no article text found in the HTML")
    published = parse_date(getattr(doc, "date", None), source=str(path))
    url = getattr(doc, "url", None)
    return _checked(
        Report(
            id=path.stem,
            text=text,
            outlet=getattr(doc, "sitename", None) or None,
            domain=getattr(doc, "hostname", None) or _domain_of(url),
            title=getattr(doc, "title", None) or None,
            published=published,
            url=url,
            source=str(path),
        ),
        str(path),
    )


def _report_from_json(text: str, path: Path) -> Report:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise InputError(str(path), "JSON nested too deeply to read") from None
    if not isinstance(record, dict):
        raise InputError(str(path), "expected one JSON object with a 'text' field")
    return report_from_record(record, default_id=path.stem, source=str(path))


def _stream_rows(path: Path) -> Iterator[Report | InputProblem]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _rows_from_csv(path)
    if suffix == ".parquet":
        return _rows_from_parquet(path)
    return _rows_from_jsonl(path)


def _rows_from_jsonl(path: Path) -> Iterator[Report | InputProblem]:
    if _has_utf16_bom(path):  # rare; lines of UTF-16 cannot be split as bytes: decode it whole
        whole = decode_bytes(path.read_bytes(), str(path))
        lines: Iterable[bytes] = (line.encode("utf-8") for line in whole.splitlines())
        yield from _records_of_lines(path, lines)
        return
    with path.open("rb") as handle:
        yield from _records_of_lines(path, handle)


def _records_of_lines(path: Path, lines: Iterable[bytes]) -> Iterator[Report | InputProblem]:
    rows = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        rows += 1
        source = f"{path}:{number}"
        try:
            record = json.loads(decode_bytes(raw, source))
            if not isinstance(record, dict):
                raise InputError(source, "expected a JSON object per line")
            yield report_from_record(record, default_id=f"{path.stem}-{number}", source=source)
        except json.JSONDecodeError as exc:
            yield InputProblem(source, f"invalid JSON: {exc.msg}")
        except RecursionError:
            yield InputProblem(source, "JSON nested too deeply to read; line skipped")
        except InputError as exc:
            yield InputProblem(exc.source, exc.problem)
    if rows == 0:
        yield InputProblem(str(path), "empty: no JSON lines to read")


# A CSV file whose first 8 KB hold more control bytes (NUL and the like) than this share, or
# than a few strays, is binary, not text (the rule `decode_bytes` applies to other files).
BINARY_CONTROL_SHARE = 0.01
STRAY_CONTROLS = 8
# A CSV field longer than this is no article (one report's text is at most MAX_TEXT_CHARS):
# it is most often a quote left open that swallowed the rows after it.
CSV_FIELD_LIMIT = MAX_TEXT_CHARS + 1


def _rows_from_csv(path: Path) -> Iterator[Report | InputProblem]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    if _has_utf16_bom(path):  # a spreadsheet's "Unicode text" export: decode it whole
        whole = decode_bytes(path.read_bytes(), str(path))
        yield from _records_of_csv(path, io.StringIO(whole, newline=""))
        return
    with path.open("rb") as raw:
        head = raw.read(8192)
    # A stray NUL in one row is that row's junk (it becomes U+FFFD); a binary file holds
    # control bytes throughout.
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\n\r\t\f")
    if controls > max(BINARY_CONTROL_SHARE * len(head), STRAY_CONTROLS):
        raise InputError(str(path), "looks like a binary file (control bytes), not CSV")
    # Stray non-UTF-8 bytes in a spreadsheet export become U+FFFD rather than losing the file.
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as text:
        yield from _records_of_csv(path, text)


def _records_of_csv(path: Path, text: Iterable[str]) -> Iterator[Report | InputProblem]:
    """The rows of a CSV file as reports; a broken row is reported with its line and skipped.

    Rows are parsed strictly, so that a quote left open shows as an error where it ends
    instead of silently swallowing the rows after it; reading then starts again on the line
    after the broken row's first line. A one-line row that only strict parsing refuses
    (`"a"b`) is read as a lenient parser reads it.
    """
    lines = _NumberedLines(text)
    header: list[str] | None = None
    rows = 0
    while True:
        try:
            for fields in csv.reader(lines, strict=True):
                first_line = lines.end_row()
                if not fields:
                    continue  # a blank line
                if header is None:
                    header = _csv_header(path, fields)
                    continue
                rows += 1
                yield _csv_report(path, header, fields, first_line)
            break
        except csv.Error as exc:
            row = lines.row()
            first_line = lines.end_row()
            lenient = _lenient_row(row[0][1]) if len(row) == 1 else []
            if len(lenient) == 1 and header is None:
                header = _csv_header(path, lenient[0])
            elif len(lenient) == 1 and header is not None:
                rows += 1
                yield _csv_report(path, header, lenient[0], first_line)
            else:
                rows += header is not None
                yield InputProblem(
                    f"{path}:{first_line}",
                    f"broken CSV row ({exc}): a quote left open, or a field over "
                    f"{CSV_FIELD_LIMIT - 1:,} characters; row skipped",
                )
                lines.read_again(row[1:])
    if header is None:
        raise InputError(str(path), "empty: no CSV header or rows")
    if rows == 0:
        yield InputProblem(str(path), "no rows: the CSV holds only its header")


def _lenient_row(line: str) -> list[list[str]]:
    """A one-line row as a lenient parser reads it, if its quotes are balanced (a quote
    left open is no row), else nothing."""
    if line.count('"') % 2:
        return []
    try:
        return list(csv.reader([line]))
    except csv.Error:  # a field over the limit
        return []


def _csv_header(path: Path, fields: list[str]) -> list[str]:
    if not any(name in fields for name in FIELD_ALIASES["text"]):
        raise InputError(str(path), "CSV has no text column (text, content or article_content)")
    return fields


def _csv_report(
    path: Path, header: Sequence[str], fields: Sequence[str], line: int
) -> Report | InputProblem:
    source = f"{path}:{line}"
    record = dict(zip(header, fields, strict=False))
    try:
        return report_from_record(record, default_id=f"{path.stem}-{line - 1}", source=source)
    except InputError as exc:
        return InputProblem(exc.source, exc.problem)


class _NumberedLines:
    """The lines of a text as a CSV reader takes them, numbered, remembering those of the
    row being read: a broken row is reported by its first line, and the lines after that
    are read again."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._again: list[tuple[int, str]] = []  # lines to read again, the next one last
        self._row: list[tuple[int, str]] = []
        self._read = 0
        self._row_ended = True

    def __iter__(self) -> _NumberedLines:
        return self

    def __next__(self) -> str:
        if self._row_ended:
            self._row, self._row_ended = [], False
        if self._again:
            numbered = self._again.pop()
        else:
            self._read += 1
            numbered = (self._read, next(self._lines))
        self._row.append(numbered)
        return numbered[1]

    def row(self) -> list[tuple[int, str]]:
        """The numbered lines of the row being read."""
        return list(self._row)

    def end_row(self) -> int:
        """End the row being read; its first line's number."""
        self._row_ended = True
        return self._row[0][0] if self._row else self._read + 1

    def read_again(self, numbered: Sequence[tuple[int, str]]) -> None:
        self._again.extend(reversed(numbered))


def _has_utf16_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) in (b"\xff\xfe", b"\xfe\xff")


def _rows_from_parquet(path: Path) -> Iterator[Report | InputProblem]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise InputError(str(path), f"not a readable Parquet file: {exc}") from None
    if not any(name in table.schema_arrow.names for name in FIELD_ALIASES["text"]):
        raise InputError(str(path), "Parquet file has no text column (text, content or body)")
    number = 0
    for batch in table.iter_batches(batch_size=1024):
        for record in _parquet_records(batch):
            number += 1
            source = f"{path}:row {number}"
            if isinstance(record, str):
                yield InputProblem(source, record)
                continue
            try:
                yield report_from_record(record, default_id=f"{path.stem}-{number}", source=source)
            except InputError as exc:
                yield InputProblem(exc.source, exc.problem)
    if number == 0:
        yield InputProblem(str(path), "no rows: the Parquet file holds none")


def _parquet_records(batch: Any) -> Iterator[dict[str, Any] | str]:
    """A batch's rows as records; a row that cannot be converted (a string column holding
    bytes that are not UTF-8) as a message saying why, the other rows still read."""
    try:
        yield from batch.to_pylist()
        return
    except (UnicodeDecodeError, ValueError, ArithmeticError):  # ArrowInvalid is a ValueError
        pass
    for row in range(batch.num_rows):
        try:
            (record,) = batch.slice(row, 1).to_pylist()
        except (UnicodeDecodeError, ValueError, ArithmeticError) as exc:
            yield f"cannot read this row: {type(exc).__name__}: {exc}"
        else:
            yield record


def with_unique_ids(reports: Iterable[Report]) -> list[Report]:
    """The reports, a repeated id given a suffix as the readers do: `a`, `a-2`, `a-3`."""
    seen: dict[str, int] = {}
    return [_with_unique_id(report, seen) for report in reports]


def _with_unique_id(report: Report, seen: dict[str, int]) -> Report:
    """`seen` holds every id given out, each with the last suffix tried for it."""
    if report.id not in seen:
        seen[report.id] = 1
        return report
    count = seen[report.id]
    while True:  # skip suffixes taken by ids read as they are: a, a, a-2 gives a, a-2, a-2-2
        count += 1
        candidate = f"{report.id}-{count}"
        if candidate not in seen:
            break
    seen[report.id] = count
    seen[candidate] = 1
    return replace(report, id=candidate)


def _apply_overrides(
    report: Report,
    outlet: str | Mapping[str, str] | None,
    published: str | date | Mapping[str, str | date] | None,
    problems: list[InputProblem],
) -> Report:
    chosen_outlet = outlet.get(report.id) if isinstance(outlet, Mapping) else outlet
    chosen_date = published.get(report.id) if isinstance(published, Mapping) else published
    changes: dict[str, Any] = {}
    if chosen_outlet and (isinstance(outlet, Mapping) or not report.outlet):
        changes["outlet"] = chosen_outlet
    if chosen_date and (isinstance(published, Mapping) or report.published is None):
        try:
            changes["published"] = parse_date(chosen_date, source=f"--published for {report.id}")
        except InputError as exc:
            problems.append(InputProblem(exc.source, exc.problem))
    return replace(report, **changes) if changes else report


def _first_field(record: Mapping[str, Any], aliases: tuple[str, ...]) -> Any:
    for name in aliases:
        value = record.get(name)
        if value not in (None, ""):
            return value
    return None


def _as_str(value: Any) -> str | None:
    if value is None:
        return None
    text = UNSTORABLE_CHARACTERS.sub("", str(value)).strip()
    return text or None


def _domain_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlparse(url if "//" in url else f"//{url}").hostname
    except ValueError:  # "http://[oops": a malformed URL names no domain
        return None
    if not host:
        return None
    return host.removeprefix("www.")
