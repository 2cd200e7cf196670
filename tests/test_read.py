"""Reading inputs: every supported format, and clear errors that lose nothing else."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from corroborate import read
from corroborate.model import InputProblem, Report
from corroborate.read import iter_reports, read_reports
from tests.conftest import run_cli

TEXT = "Five people were killed on Sunday in the town, officials said."


def test_formats(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.json").write_text(
        json.dumps({"id": "bee", "text": TEXT, "source": "X", "date": "2017-08-28"}),
        encoding="utf-8",
    )
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"text": TEXT})
        + "\n"
        + json.dumps({"id": "c2", "text": TEXT, "url": "https://www.example.com/x"})
        + "\n",
        encoding="utf-8",
    )
    (tmp_path / "d.csv").write_text(
        f'unit_id,article_title,article_content,source,date\n7,T,"{TEXT}",sana,2016-08-09\n',
        encoding="utf-8",
    )
    (tmp_path / "e.html").write_text(
        f"<html><head><title>Town attack</title></head><body><article><p>{TEXT} "
        f"{TEXT}</p><p>{TEXT}</p></article></body></html>",
        encoding="utf-8",
    )
    result = read_reports([tmp_path])
    assert result.problems == ()
    by_id = {r.id: r for r in result.reports}
    assert set(by_id) == {"a", "bee", "c-1", "c2", "7", "e"}
    assert by_id["bee"].outlet == "X" and by_id["bee"].published == date(2017, 8, 28)
    assert by_id["c2"].domain == "example.com"
    assert by_id["7"].title == "T" and by_id["7"].outlet == "sana"
    assert TEXT in by_id["e"].text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("binary.txt", b"\x00\x01\x02abc", "binary"),
        ("latin.txt", "caf\u00e9 attack".encode("latin-1"), "not UTF-8"),
        ("empty.txt", b"   \n", "empty"),
        ("bad.json", b"{not json", "invalid JSON"),
        ("report.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_input_is_reported_and_others_still_run(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    (tmp_path / name).write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    result = read_reports([tmp_path / name, good])
    assert [r.id for r in result.reports] == ["good"]
    assert len(result.problems) == 1
    assert name in result.problems[0].source and problem in result.problems[0].message


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 10)
    (tmp_path / "big.txt").write_text(TEXT, encoding="utf-8")
    result = read_reports([tmp_path / "big.txt"])
    assert result.reports == () and "limit" in result.problems[0].message


def test_bad_jsonl_line_skips_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": TEXT})
        + "\n{broken\n"
        + json.dumps({"id": "c", "text": ""})
        + "\n",
        encoding="utf-8",
    )
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a"]
    assert [p.source for p in result.problems] == [f"{path}:2", f"{path}:3"]


def test_overrides_and_duplicate_ids(tmp_path: Path) -> None:
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(TEXT, encoding="utf-8")
    result = read_reports(
        [tmp_path / "x", tmp_path / "y"], outlet={"same-2": "Other"}, published="2017-08-28"
    )
    assert [r.id for r in result.reports] == ["same", "same-2"]
    assert result.reports[1].outlet == "Other"
    assert all(r.published == date(2017, 8, 28) for r in result.reports)


def test_cli_reports_missing_input_and_fails_when_nothing_is_left(tmp_path: Path) -> None:
    result = run_cli("compare", str(tmp_path / "missing.txt"))
    assert result.returncode == 2
    assert "missing.txt" in result.stderr and "no such file" in result.stderr


def test_cli_skips_a_broken_file_and_compares_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00")
    (tmp_path / "c.txt").write_text("Four people were killed on Sunday.", encoding="utf-8")
    result = run_cli("compare", str(tmp_path), "--format", "json", "--published", "2017-08-28")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["reports"]] == ["a", "c"]
    assert "b.txt" in result.stderr


def test_parquet_rows_are_reports(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "corpus.parquet"
    table = pa.table(
        {
            "id": ["a", "b", "c"],
            "title": ["One", "Two", "Three"],
            "content": ["First report text.", "", "Third report text."],
            "date": ["2017-04-05", None, "2017-04-06"],
        }
    )
    pq.write_table(table, path)
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a", "c"]
    assert result.reports[0].published is not None
    assert result.reports[0].published.isoformat() == "2017-04-05"
    assert [p.source for p in result.problems] == [f"{path}:row 2"]


def test_iter_reports_streams_rows_and_problems(tmp_path: Path) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        '{"id": "x", "text": "one"}\nnot json\n{"id": "x", "text": "two"}\n', encoding="utf-8"
    )
    items = list(iter_reports([path, tmp_path / "missing.csv"]))
    reports = [i for i in items if isinstance(i, Report)]
    problems = [i for i in items if isinstance(i, InputProblem)]
    assert [r.id for r in reports] == ["x", "x-2"]
    assert [r.source for r in reports] == [f"{path}:1", f"{path}:3"]
    assert [p.source for p in problems] == [f"{path}:2", str(tmp_path / "missing.csv")]


def test_nul_and_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        '{"id": "a", "outlet": "X\\u0000", '
        '"text": "Five killed\\u0000 in Aleppo \\ud800 today."}\n',
        encoding="utf-8",
    )
    (report,) = read_reports([rows]).reports
    assert report.text == "Five killed\ufffd in Aleppo \ufffd today."
    assert report.outlet == "X"
    report.text.encode("utf-8")  # every character is one a parser and a database can take


def test_repeated_ids_never_give_two_reports_one_id(tmp_path: Path) -> None:
    rows = [{"id": i, "text": f"Report {n}."} for n, i in enumerate(["a", "a", "a-2", "a"])]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    ids = [r.id for r in read_reports([path]).reports]
    assert ids == ["a", "a-2", "a-2-2", "a-3"]


def test_a_malformed_url_costs_only_its_domain(tmp_path: Path) -> None:
    rows = [{"id": "a", "url": "http://[oops", "text": "Report."}, {"id": "b", "text": "More."}]
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), "utf-8")
    result = read_reports([path])
    assert [(r.id, r.url, r.domain) for r in result.reports] == [
        ("a", "http://[oops", None),
        ("b", None, None),
    ]


# --- one bad row never costs the rest of its file -------------------------------------------


def test_a_nul_deep_in_a_text_file_is_replaced_not_stored(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    text = TEXT + " " * 9000 + "More\x00 text."
    path.write_text(text, encoding="utf-8")
    (report,) = read_reports([path]).reports
    assert "\x00" not in report.text and len(report.text) == len(text)
    assert report.text.endswith("More\ufffd text.")


def test_a_deeply_nested_jsonl_line_costs_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    nested = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(
        json.dumps({"id": "a", "text": TEXT}) + "\n" + nested + "\n"
        + json.dumps({"id": "c", "text": TEXT}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a", "c"]
    assert [p.source for p in result.problems] == [f"{path}:2"]
    assert "nested" in result.problems[0].message


def test_an_empty_jsonl_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    result = read_reports([path])
    assert result.reports == ()
    assert [(p.source, "empty" in p.message) for p in result.problems] == [(str(path), True)]


def _csv_lines(*rows: str) -> str:
    return "id,title,text\n" + "".join(row + "\n" for row in rows)


def test_a_quote_left_open_in_a_csv_costs_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        _csv_lines('a,One,"First report."', 'b,Two,"Left open', 'c,Three,"Third report."'),
        encoding="utf-8",
    )
    result = read_reports([path])
    assert [(r.id, r.text) for r in result.reports] == [
        ("a", "First report."),
        ("c", "Third report."),
    ]
    assert [p.source for p in result.problems] == [f"{path}:3"]
    assert "quote" in result.problems[0].message


def test_a_quote_left_open_in_the_last_row_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(_csv_lines('a,One,"First report."', 'b,Two,"Left open'), encoding="utf-8")
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a"]
    assert [p.source for p in result.problems] == [f"{path}:3"]


def test_a_csv_field_over_the_limit_costs_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    huge = "x" * (read.CSV_FIELD_LIMIT + 10)
    path.write_text(
        _csv_lines('a,One,"First."', f'b,Two,"{huge}"', 'c,Three,"Third."'), encoding="utf-8"
    )
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a", "c"]
    assert [p.source for p in result.problems] == [f"{path}:3"]


def test_csv_rows_that_only_strict_parsing_refuses_are_still_read(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        _csv_lines('a,"One"x,"First report."', 'b,Two,"Second\nparagraph."'), encoding="utf-8"
    )
    result = read_reports([path])
    assert result.problems == ()
    assert [(r.id, r.title, r.text) for r in result.reports] == [
        ("a", "Onex", "First report."),
        ("b", "Two", "Second\nparagraph."),
    ]
    assert [r.source for r in result.reports] == [f"{path}:2", f"{path}:3"]


def test_a_utf16_csv_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(_csv_lines('a,One,"Caf\u00e9 attack report."').encode("utf-16"))
    result = read_reports([path])
    assert result.problems == ()
    assert [r.text for r in result.reports] == ["Caf\u00e9 attack report."]


def test_a_csv_with_only_its_header_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(_csv_lines(), encoding="utf-8")
    result = read_reports([path])
    assert result.reports == () and "no rows" in result.problems[0].message


def test_a_huge_date_is_refused_without_parsing_it(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_text(
        json.dumps({"id": "a", "date": "5 " * 100_000, "text": TEXT}) + "\n"
        + json.dumps({"id": "b", "date": "2017-04-05", "text": TEXT}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["b"]
    assert "no date" in result.problems[0].message


def test_a_stray_nul_in_a_csv_row_costs_nothing_else(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(_csv_lines('a,One,"First\x00 report."', 'b,Two,"Second."'), encoding="utf-8")
    result = read_reports([path])
    assert result.problems == ()
    assert [r.text for r in result.reports] == ["First\ufffd report.", "Second."]


def test_a_parquet_row_that_is_not_utf8_costs_only_that_row(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = [b"First report.", b"Broken \xef\xbf report.", b"Third report."]
    column = pa.array(texts, type=pa.binary()).cast(pa.string(), safe=False)
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": column}), path)
    result = read_reports([path])
    assert [r.id for r in result.reports] == ["a", "c"]
    assert [p.source for p in result.problems] == [f"{path}:row 2"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("deep.json", '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ("when.json", json.dumps({"text": TEXT, "date": "2147483648 days ago"}), "as a date"),
    ],
)
def test_files_that_break_the_parsers_are_clear_problems(
    tmp_path: Path, name: str, content: str, problem: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    result = read_reports([tmp_path / name])
    assert result.reports == ()
    assert problem in result.problems[0].message
