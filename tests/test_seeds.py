"""The foundation acceptance on the seed reports, checked through the public CLI and API.

Nothing in the package names the seed files or their phrases: these checks hold because the
stages generalise, and the same code runs on the FA-KES groups in bench/fakes_dev.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from corroborate import compare
from tests.conftest import SEEDS, run_cli


def _span_of(report: dict[str, Any], evidence: str) -> tuple[int, int]:
    start = report["text"].find(evidence)
    assert start >= 0, f"evidence not in report {report['id']}: {evidence!r}"
    return start, start + len(evidence)


def _report(data: dict[str, Any], report_id: str) -> dict[str, Any]:
    return next(r for r in data["reports"] if r["id"] == report_id)


def _facts_with(data: dict[str, Any], report_id: str, start: int, end: int, kind: str) -> list[Any]:
    return [
        fact
        for fact in data["facts"]
        if fact["kind"] == kind
        and any(
            m["report"] == report_id and m["start"] < end and start < m["end"]
            for m in fact["mentions"]
        )
    ]


def _gold_fact(expected: dict[str, Any], fact_id: str) -> dict[str, Any]:
    return next(f for f in expected["facts"] if f["id"] == fact_id)


def test_contract_shape(seeds_json: dict[str, Any]) -> None:
    assert seeds_json["version"] == 1
    assert {"reports", "facts", "sources"} <= seeds_json.keys()
    for report in seeds_json["reports"]:
        assert {
            "id",
            "outlet",
            "domain",
            "title",
            "published",
            "url",
            "text",
            "removed",
            "signals",
        } <= report.keys()
    for fact in seeds_json["facts"]:
        assert fact["status"] in {"agree", "compatible", "conflict", "single"}
        assert fact["explanation"]
        for m in fact["mentions"]:
            text = _report(seeds_json, m["report"])["text"]
            assert text[m["start"] : m["end"]] == m["text"], "offsets must point into the text"


def test_text_is_the_input_exactly(seeds_json: dict[str, Any]) -> None:
    import json

    rows = [json.loads(line) for line in (SEEDS / "reports.jsonl").read_text("utf-8").splitlines()]
    for row in rows:
        assert _report(seeds_json, row["id"])["text"] == row["text"]


def test_boilerplate_removed(seeds_json: dict[str, Any], seeds_expected: dict[str, Any]) -> None:
    for item in seeds_expected["boilerplate"]:
        report = _report(seeds_json, item["report"])
        start, end = _span_of(report, item["evidence"])
        covered = set()
        for span in report["removed"]:
            covered.update(range(span["start"], span["end"]))
        assert set(range(start, end)) <= covered, f"not removed: {item['evidence']!r}"


def test_article_text_kept(seeds_json: dict[str, Any], seeds_expected: dict[str, Any]) -> None:
    for item in seeds_expected["keep"]:
        report = _report(seeds_json, item["report"])
        start, end = _span_of(report, item["evidence"])
        for span in report["removed"]:
            assert span["end"] <= start or end <= span["start"], f"removed: {item['evidence']!r}"


def test_every_count_found_with_its_value(
    seeds_json: dict[str, Any], seeds_expected: dict[str, Any]
) -> None:
    for fact in seeds_expected["facts"]:
        if fact["kind"] != "count":
            continue
        for gold in fact["mentions"]:
            start, end = _span_of(_report(seeds_json, gold["report"]), gold["evidence"])
            found = [
                m
                for f in _facts_with(seeds_json, gold["report"], start, end, "quantity")
                for m in f["mentions"]
                if m["report"] == gold["report"] and m["start"] < end and start < m["end"]
            ]
            assert any(_same_value(m, gold) for m in found), (fact["id"], gold["evidence"], found)


def _same_value(m: dict[str, Any], gold: dict[str, Any]) -> bool:
    if m["qualifier"] != gold["qualifier"]:
        return False
    if gold["qualifier"] == "range":
        return bool(m["low"] == gold["low"] and m["high"] == gold["high"])
    return bool(m["value"] == gold["value"])


def _fact_of(data: dict[str, Any], expected: dict[str, Any], fact_id: str, index: int) -> Any:
    gold = _gold_fact(expected, fact_id)["mentions"][index]
    start, end = _span_of(_report(data, gold["report"]), gold["evidence"])
    kind = {"count": "quantity"}.get(
        _gold_fact(expected, fact_id)["kind"], _gold_fact(expected, fact_id)["kind"]
    )
    facts = _facts_with(data, gold["report"], start, end, kind)
    assert facts, f"no {kind} fact for {gold['evidence']!r}"
    return facts[0]


def test_remains_agree(seeds_json: dict[str, Any], seeds_expected: dict[str, Any]) -> None:
    duran = _fact_of(seeds_json, seeds_expected, "remains", 0)
    cnn = _fact_of(seeds_json, seeds_expected, "remains", 1)
    assert duran["id"] == cnn["id"]
    assert duran["status"] == "agree"
    assert {m["value"] for m in duran["mentions"]} == {8}


def test_soldiers_held_is_not_the_remains(
    seeds_json: dict[str, Any], seeds_expected: dict[str, Any]
) -> None:
    held = _fact_of(seeds_json, seeds_expected, "soldiers_held", 0)
    remains = _fact_of(seeds_json, seeds_expected, "remains", 1)
    assert held["id"] != remains["id"]
    assert held["status"] == "single"
    assert [m["value"] for m in held["mentions"]] == [9]


def test_coordination_is_not_a_conflict(
    seeds_json: dict[str, Any], seeds_expected: dict[str, Any]
) -> None:
    for gold in _gold_fact(seeds_expected, "coordination")["mentions"]:
        start, end = _span_of(_report(seeds_json, gold["report"]), gold["evidence"])
        for fact in seeds_json["facts"]:
            overlapping = any(
                m["report"] == gold["report"] and m["start"] < end and start < m["end"]
                for m in fact["mentions"]
            )
            assert not (overlapping and fact["status"] == "conflict"), fact


def test_ceasefire_resolved_in_both_reports(
    seeds_json: dict[str, Any], seeds_expected: dict[str, Any]
) -> None:
    fact_ids = set()
    for gold in _gold_fact(seeds_expected, "ceasefire")["mentions"]:
        start, end = _span_of(_report(seeds_json, gold["report"]), gold["evidence"])
        facts = _facts_with(seeds_json, gold["report"], start, end, "date")
        values = {
            m["value"]
            for f in facts
            for m in f["mentions"]
            if m["report"] == gold["report"] and m["start"] < end and start < m["end"]
        }
        assert values == {"2017-08-27"}
        fact_ids.update(f["id"] for f in facts)
    assert len(fact_ids) == 1


def test_region_mentions_in_one_fact(
    seeds_json: dict[str, Any], seeds_expected: dict[str, Any]
) -> None:
    duran = _fact_of(seeds_json, seeds_expected, "region", 0)
    cnn = _fact_of(seeds_json, seeds_expected, "region", 1)
    assert duran["id"] == cnn["id"]
    assert duran["status"] == "agree"


def test_state_media_and_anonymous_sources(seeds_json: dict[str, Any]) -> None:
    kinds = {(s["report"], s["kind"]) for s in seeds_json["sources"]}
    assert ("duran", "anonymous") in kinds
    assert ("cnn", "state media") in kinds
    assert any(s["via"] == "Sputnik" and not s["named"] for s in seeds_json["sources"])


def _fact_signature(data: dict[str, Any]) -> list[tuple[Any, ...]]:
    order = {r["id"]: i for i, r in enumerate(data["reports"])}
    return sorted(
        (
            f["kind"],
            f["status"],
            tuple(
                sorted(
                    (order[m["report"]], m["start"], m["end"], str(m["value"]))
                    for m in f["mentions"]
                )
            ),
        )
        for f in data["facts"]
    )


def test_bare_text_files_give_the_same_facts(seeds_json: dict[str, Any]) -> None:
    result = run_cli(
        "compare",
        str(SEEDS / "duran_kalamun.txt"),
        str(SEEDS / "cnn_hezbollah_isis_deal.txt"),
        "--published",
        "2017-08-28",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    import json

    bare = json.loads(result.stdout)
    # The .txt files end with a newline the JSONL texts lack; everything before is identical.
    assert _fact_signature(bare) == _fact_signature(seeds_json)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_other_formats_show_the_table(fmt: str) -> None:
    result = run_cli("compare", str(SEEDS / "reports.jsonl"), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "agree" in result.stdout and "single" in result.stdout
    assert "CNN" in result.stdout


def test_python_api_returns_a_comparison() -> None:
    comparison = compare([SEEDS / "reports.jsonl"])
    assert [r.id for r in comparison.reports] == ["duran", "cnn"]
    statuses = {f.status for f in comparison.facts}
    assert {"agree", "single"} <= statuses
    assert comparison.to_dict()["version"] == 1


# --- the incident card ------------------------------------------------------------------


def _fact(data: dict[str, Any], fact_id: str) -> dict[str, Any]:
    return next(f for f in data["facts"] if f["id"] == fact_id)


def test_one_incident_with_a_card(seeds_json: dict[str, Any]) -> None:
    (incident,) = seeds_json["incidents"]
    assert incident["reports"] == ["duran", "cnn"]
    assert {"killed", "place", "date"} <= set(incident["slots"])
    assert incident["card"][: len(incident["slots"])] == list(incident["slots"].values())
    # The card leads the facts.
    assert [f["id"] for f in seeds_json["facts"][: len(incident["card"])]] == incident["card"]


def test_killed_slot_holds_cnns_70_to_80(seeds_json: dict[str, Any]) -> None:
    (incident,) = seeds_json["incidents"]
    killed = _fact(seeds_json, incident["slots"]["killed"])
    assert killed["slot"] == "killed" and killed["scope"] == "incident"
    assert any(
        m["report"] == "cnn" and (m["low"], m["high"]) == (70, 80) for m in killed["mentions"]
    )


def test_the_past_two_days_is_not_a_count(seeds_json: dict[str, Any]) -> None:
    cnn = _report(seeds_json, "cnn")
    start, end = _span_of(cnn, "the past two days")
    assert _facts_with(seeds_json, "cnn", start, end, "quantity") == []


def test_banned_in_russia_is_not_a_place(seeds_json: dict[str, Any]) -> None:
    duran = _report(seeds_json, "duran")
    text = duran["text"]
    spans = [i for i in range(len(text)) if text.startswith("banned in Russia", i)]
    assert spans, "the seed text names the disclaimer"
    for start in spans:
        assert _facts_with(seeds_json, "duran", start, start + 16, "place") == []
    (incident,) = seeds_json["incidents"]
    assert incident["place"]["name"] != "Russia"


def test_abu_kamal_and_eastern_syria_are_one_place_compatible(seeds_json: dict[str, Any]) -> None:
    duran, cnn = _report(seeds_json, "duran"), _report(seeds_json, "cnn")
    abu_kamal = _facts_with(seeds_json, "duran", *_span_of(duran, "Abu-Kemal city"), "place")
    eastern = _facts_with(seeds_json, "cnn", *_span_of(cnn, "eastern Syria"), "place")
    assert abu_kamal and abu_kamal == eastern
    assert abu_kamal[0]["status"] == "compatible"
    assert abu_kamal[0]["reason"] == "place contained"


def test_incident_place_is_where_it_happened_not_where_fighters_went(
    seeds_json: dict[str, Any],
) -> None:
    (incident,) = seeds_json["incidents"]
    assert incident["place"] == {"name": "Western Qalamoun", "parents": ["Rif Dimashq", "Syria"]}


def test_a_fact_is_single_exactly_when_one_report_gives_it(seeds_json: dict[str, Any]) -> None:
    for fact in seeds_json["facts"]:
        reports = {m["report"] for m in fact["mentions"]}
        assert (fact["status"] == "single") == (len(reports) == 1), fact["id"]
