"""The assess stage: sourcing profiles, slant (technique spans, appeals, headline claims) and
outlet priors in `compare`'s output, and the technique tagger's decoding and scores."""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest

from corroborate import compare
from corroborate.assess import find_appeals, find_techniques, headline_issues
from corroborate.assess.sourcing import agency_credits
from corroborate.assess.techniques import (
    SpanClassifier,
    decode_runs,
    find_words,
    load_tagger,
)
from corroborate.extract import extract_report
from corroborate.model import Removed, Report
from corroborate.render import render_markdown
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from ptc import merge_spans, si_score


def _report(data: dict[str, Any], report_id: str) -> dict[str, Any]:
    return next(r for r in data["reports"] if r["id"] == report_id)


# --- The seeds ------------------------------------------------------------------------------


def test_duran_sourcing_is_anonymous_and_through_state_media(seeds_json: dict[str, Any]) -> None:
    sourcing = _report(seeds_json, "duran")["signals"]["sourcing"]
    assert sourcing["anonymous"] >= 2
    assert "Sputnik" in sourcing["state_media"]
    told_sputnik = [
        s
        for s in seeds_json["sources"]
        if s["report"] == "duran" and s["via"] == "Sputnik" and s["kind"] == "anonymous"
    ]
    assert len(told_sputnik) == 2
    assert all(s["via_kind"] == "state media" for s in told_sputnik)
    assert any("close to Hezbollah" in s["who"] for s in told_sputnik)


def test_cnn_sourcing_is_named_and_cites_sana_as_state_media(seeds_json: dict[str, Any]) -> None:
    sourcing = _report(seeds_json, "cnn")["signals"]["sourcing"]
    assert sourcing["state_media"] == ["SANA"]
    assert sourcing["anonymous"] == 0
    assert sourcing["named"] >= 5
    who = {s["who"] for s in seeds_json["sources"] if s["report"] == "cnn" and s["named"]}
    assert any("Nasrallah" in w for w in who)
    assert any("Fadi Abou Eid" in w for w in who)
    sana = next(s for s in seeds_json["sources"] if s["report"] == "cnn" and "SANA" in s["who"])
    assert sana["kind"] == "state media"


def test_unattributed_share_counts_checkable_statements(seeds_json: dict[str, Any]) -> None:
    for report in seeds_json["reports"]:
        sourcing = report["signals"]["sourcing"]
        unattributed = sourcing["unattributed"]
        assert 0 < len(unattributed) < sourcing["statements"]
        assert sourcing["unattributed_share"] == round(
            len(unattributed) / sourcing["statements"], 3
        )
        for span in unattributed:
            sentence = report["text"][span["start"] : span["end"]]
            assert " said" not in sentence and "according to" not in sentence


def test_duran_appeal_against_media_lies_comes_out(seeds_json: dict[str, Any]) -> None:
    duran = _report(seeds_json, "duran")
    appeals = duran["signals"]["slant"]["appeals"]
    kinds = {a["kind"] for a in appeals}
    assert {"donation appeal", "call to action", "attack on the media"} <= kinds
    attacks = [a for a in appeals if a["kind"] == "attack on the media"]
    assert any("expose media lies" in a["text"] for a in attacks)
    for appeal in appeals:
        assert duran["text"][appeal["start"] : appeal["end"]] == appeal["text"]
    cnn = _report(seeds_json, "cnn")
    assert cnn["signals"]["slant"]["appeals"] == []


def test_duran_loaded_headline_comes_out(seeds_json: dict[str, Any]) -> None:
    slant = _report(seeds_json, "duran")["signals"]["slant"]
    headline = [t for t in slant["techniques"] if t["in_headline"]]
    assert any("liberated" in t["text"] or "terrorists" in t["text"] for t in headline)
    issues = {i["kind"] for i in slant["headline"]}
    assert {"certainty marker", "stated as fact"} <= issues
    stated = next(i for i in slant["headline"] if i["kind"] == "stated as fact")
    assert "source close to Hezbollah" in stated["explanation"]


def test_outlet_priors_are_in_signals_apart_from_findings(seeds_json: dict[str, Any]) -> None:
    duran = _report(seeds_json, "duran")["signals"]["outlet_prior"]
    cnn = _report(seeds_json, "cnn")["signals"]["outlet_prior"]
    assert duran["domain"] == "theduran.com" and duran["rating"] == "known"
    assert cnn["domain"] == "cnn.com" and cnn["rating"] == "known"
    assert all("source" in r for r in duran["ratings"] + cnn["ratings"])


def test_technique_spans_point_at_their_text(seeds_json: dict[str, Any]) -> None:
    for report in seeds_json["reports"]:
        for span in report["signals"]["slant"]["techniques"]:
            assert report["text"][span["start"] : span["end"]] == span["text"]
            assert 0 <= span["score"] <= 1
            assert span["technique"] in load_tagger().classifier.classes


def test_loaded_wording_is_shown_beside_other_reports_wording() -> None:
    text_a = "Savage terrorists brutally massacred 40 innocent villagers in Kafr Nabl on Monday."
    text_b = "Forty people were killed in an attack on the village of Kafr Nabl on Monday."
    a = Report("a", text_a, outlet="A")
    b = Report("b", text_b, outlet="B")
    comparison = compare([a, b])
    slant = comparison.report("a").signals["slant"]
    assert slant["techniques"], "a sentence this loaded should carry a technique span"
    others = [o for t in slant["techniques"] for o in t["others"]]
    assert any(o["report"] == "b" and o["text"] == text_b for o in others)


# --- Parts -----------------------------------------------------------------------------------


def test_appeals_come_from_removed_spans_and_body_wording() -> None:
    text = "Donate today!\n\nThe corporate media lies about everything. Officials met on Monday."
    report = Report("r", text, removed=(Removed(0, 13, "donation appeal"),))
    appeals = find_appeals(report)
    assert [(a.kind, a.text) for a in appeals] == [
        ("donation appeal", "Donate today!"),
        ("attack on the media", "corporate media lies"),
    ]


def test_agency_copy_is_found_from_datelines_and_credits() -> None:
    text = "BEIRUT (AFP) - Shelling killed five.\n\nWith Reuters\n"
    assert agency_credits(Report("r", text)) == ("AFP", "Reuters")
    assert agency_credits(Report("r", "Reuters said five people died.")) == ()


def test_headline_figure_missing_from_body_is_flagged() -> None:
    text = "100 killed in market bombing\n\nAt least 12 people were killed there, police said."
    issues = headline_issues(extract_report(Report("r", text)))
    figure = [i for i in issues if i.kind == "figure not in body"]
    assert [i.text for i in figure] == ["100"]
    supported = "Twelve killed in market bombing\n\nAt least 12 people were killed, police said."
    assert not headline_issues(extract_report(Report("r", supported)))


def test_decoding_grows_from_high_over_low_within_a_line_and_trims_punctuation() -> None:
    text = "a very brutal regime ,\nkills b"
    words = find_words(text)
    p = np.array([0.0, 0.2, 0.9, 0.2, 0.2, 0.2, 0.0], dtype=np.float32)
    runs = list(decode_runs(text, words, p, high=0.5, low=0.15))
    spans = [text[words[f].start : words[last - 1].end] for f, last in runs]
    assert spans == ["very brutal regime"]  # stops at the line end; the comma is trimmed
    assert list(decode_runs(text, words, p, high=0.95, low=0.15)) == []


def test_span_classifier_gives_a_distribution() -> None:
    classifier = SpanClassifier(
        ("A", "B"),
        np.zeros(2, np.float32),
        np.ones(2, np.float32),
        np.array([[1, 0], [0, 1]], np.float32),
        np.zeros(2, np.float32),
    )
    p = classifier.probabilities(np.array([2.0, 0.0], np.float32))
    assert p.sum() == pytest.approx(1.0) and p[0] > p[1]
    assert classifier.classify(np.array([0.0, 3.0], np.float32))[0] == "B"


def test_boilerplate_is_not_tagged() -> None:
    text = "Brutal savages slaughtered innocent children!"
    tagged = find_techniques(Report("r", text))
    assert tagged
    blanked = find_techniques(Report("r", text, removed=(Removed(0, len(text), "ad"),)))
    assert blanked == ()


def test_si_score_gives_partial_credit_over_merged_gold_spans() -> None:
    gold = {"a": [(0, 10), (5, 15), (20, 30)]}  # merged: (0, 15), (20, 30)
    predicted = {"a": [(0, 5), (25, 35)]}
    precision, recall, f1 = si_score(predicted, gold)
    assert precision == pytest.approx((5 / 5 + 5 / 10) / 2)
    assert recall == pytest.approx((5 / 15 + 5 / 10) / 2)
    assert f1 == pytest.approx(2 * precision * recall / (precision + recall))
    assert si_score({"a": []}, gold) == (0.0, 0.0, 0.0)
    assert merge_spans([(3, 4), (0, 2), (1, 3)]) == [(0, 4)]


def test_markdown_shows_assessment_with_escaped_text() -> None:
    text = "<script>alert(1)</script> Savage terrorists brutally massacred innocent villagers."
    comparison = compare([Report("x", text, outlet="<b>Outlet</b>")])
    markdown = render_markdown(comparison)
    assert "## Sourcing, slant and outlet priors" in markdown
    assert "no published rating (unknown)" in markdown
    assert "<script>" not in markdown and "<b>" not in markdown


def test_long_lines_are_read_whole_in_windows() -> None:
    from corroborate.assess.techniques import word_inputs
    from corroborate.embeddings import load_encoder

    line = " ".join(["The regime's brutal thugs attacked peaceful protesters"] * 150)  # no stops
    inputs = word_inputs(line, load_encoder())
    assert len(inputs.lines) == 1
    states = inputs.features[:, :384]
    assert (np.abs(states).sum(axis=1) > 0).all(), "every word gets MiniLM states"


def test_short_state_media_names_that_are_common_words_are_not_sources() -> None:
    text = "Petra, a local nurse, said 12 people were hurt. SANA said the toll was 14."
    kinds = {s.who.split(",")[0]: s.kind for s in extract_report(Report("r", text)).sources}
    assert kinds["Petra"] != "state media"
    assert kinds["SANA"] == "state media"


def test_page_furniture_is_not_an_appeal() -> None:
    text = "Read more: the full story here.\n\nHelp us expose the truth!"
    report = Report(
        "r",
        text,
        removed=(Removed(0, 31, "call to action"), Removed(33, len(text), "call to action")),
    )
    assert [a.text for a in find_appeals(report)] == ["Help us expose the truth!"]


def test_other_wordings_point_at_their_sentence_with_crlf_text() -> None:
    text_a = "Savage terrorists brutally massacred 40 innocent villagers in Kafr Nabl on Monday."
    text_b = "Officials met.\r\nForty people were killed in Kafr Nabl on Monday.\r\nMore later."
    b = Report("b", text_b, outlet="B")
    comparison = compare([Report("a", text_a, outlet="A"), b])
    others = [o for t in comparison.report("a").signals["slant"]["techniques"] for o in t["others"]]
    assert others
    for other in others:
        assert text_b[other["start"] : other["end"]] == other["text"]
