"""Property tests over the readers: whatever junk sits between good rows, every good row is
read, and nothing but an `InputProblem` comes out for the junk."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corroborate.model import InputProblem, Report
from corroborate.read import iter_reports

# Junk as scrapes and broken exports hold it: quotes, separators, braces, control characters,
# NULs, lone surrogates, odd line ends.
JUNK_ALPHABET = st.sampled_from(
    [*'",;{}[]\\:\t\r x1é\u00a0\u2028', "\x00", "\x1b", "\ud800", "\ufeff", "😀"]
)
junk_lines = st.text(JUNK_ALPHABET, min_size=1, max_size=40).filter(lambda s: "\n" not in s)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _good(n: int) -> str:
    return f"Good report number {n} says five people were killed."


def _read(name: str, data: bytes) -> tuple[list[Report], list[InputProblem]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        items = list(iter_reports([path]))
    return (
        [i for i in items if isinstance(i, Report)],
        [i for i in items if isinstance(i, InputProblem)],
    )


@SETTINGS
@given(st.lists(st.one_of(st.none(), junk_lines), min_size=1, max_size=12))
def test_jsonl_junk_lines_lose_no_good_row(layout: list[str | None]) -> None:
    lines = [
        json.dumps({"id": f"r{n}", "text": _good(n)}) if item is None else item
        for n, item in enumerate(layout)
    ]
    reports, _ = _read("rows.jsonl", "\n".join(lines).encode("utf-8", "surrogatepass"))
    texts = {r.text for r in reports}
    assert all(_good(n) in texts for n, item in enumerate(layout) if item is None)
    assert all("\x00" not in r.text for r in reports)


@SETTINGS
@given(st.lists(st.one_of(st.none(), junk_lines), min_size=1, max_size=12))
def test_csv_junk_lines_lose_no_good_row(layout: list[str | None]) -> None:
    out = io.StringIO(newline="")
    out.write("id,title,text\r\n")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for n, item in enumerate(layout):
        if item is None:
            writer.writerow([f"r{n}", "Title", _good(n)])
        else:
            out.write(item.replace("\x00", "") + "\r\n")  # a NUL marks a file binary
    reports, _ = _read("rows.csv", out.getvalue().encode("utf-8", "surrogatepass"))
    texts = {r.text for r in reports}
    assert all(_good(n) in texts for n, item in enumerate(layout) if item is None)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_in_any_format_give_reports_or_problems(data: bytes) -> None:
    for name in ("a.txt", "a.json", "a.jsonl", "a.csv", "a.html"):
        reports, problems = _read(name, data)
        assert reports or problems
        for report in reports:
            report.text.encode("utf-8")  # storable: no lone surrogates
            assert "\x00" not in report.text
