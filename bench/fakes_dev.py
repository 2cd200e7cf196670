"""Score `compare` on the FA-KES gold groups: count mentions found, pairs, agreements, conflicts.

Each gold file's reports are written as JSONL and fed to the same code path as
`corroborate compare FILE --format json`. Run: `python bench/fakes_dev.py [--set injected]`.
Figures are printed and written to bench/results/fakes_dev.json (or fakes_dev_injected.json).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from corroborate import compare
from corroborate.render import render_json

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT.parent / "shared" / "data" / "events"
RESULTS = ROOT / "bench" / "results"


def gold_files(name: str) -> list[Path]:
    folder = EVENTS / name
    if not folder.is_dir():
        sys.exit(f"no gold data at {folder}: this benchmark needs ../shared/data/events")
    return sorted(folder.glob("*.json"))


def run_compare(group: dict[str, Any], workdir: Path) -> dict[str, Any]:
    """`compare` on the group's reports fed as JSONL, returned as the JSON contract."""
    path = workdir / f"{group['group']}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for report in group["reports"]:
            row = {k: report.get(k) for k in ("id", "outlet", "title", "published", "text")}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    data: dict[str, Any] = json.loads(render_json(compare([path])))
    return data


def _gold_mentions(group: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for fact in group["facts"]:
        if fact["kind"] == "count":
            for mention in fact["mentions"]:
                yield fact, mention


def _span(group: dict[str, Any], mention: dict[str, Any]) -> tuple[int, int]:
    text = next(r["text"] for r in group["reports"] if r["id"] == mention["report"])
    start = text.find(mention["evidence"])
    return start, start + len(mention["evidence"])


def _same_number(predicted: dict[str, Any], gold: dict[str, Any]) -> bool:
    if gold["qualifier"] == "range":
        return bool(predicted["low"] == gold["low"] and predicted["high"] == gold["high"])
    if gold["value"] is not None:
        return bool(predicted["value"] == gold["value"])
    return bool(predicted["low"] == gold["low"])


def score_group(group: dict[str, Any], output: dict[str, Any]) -> dict[str, Any]:
    """Match gold count mentions to predicted ones, then score pairs and statuses."""
    fact_of: dict[tuple[str, int], dict[str, Any]] = {}
    for fact in output["facts"]:
        if fact["kind"] == "quantity":
            for m in fact["mentions"]:
                fact_of[(m["report"], m["start"])] = fact
    predicted = [m for f in output["facts"] if f["kind"] == "quantity" for m in f["mentions"]]
    matched: dict[int, dict[str, Any]] = {}  # id(gold mention) -> predicted mention
    golds = list(_gold_mentions(group))
    used: set[tuple[str, int]] = set()  # each prediction matches one gold mention at most
    for _fact, gold in golds:
        start, end = _span(group, gold)
        hit = next(
            (
                m
                for m in predicted
                if m["report"] == gold["report"]
                and m["start"] < end
                and start < m["end"]
                and (m["report"], m["start"]) not in used
                and _same_number(m, gold)
            ),
            None,
        )
        if hit is not None:
            matched[id(gold)] = hit
            used.add((hit["report"], hit["start"]))
    gold_pairs, predicted_pairs = set(), set()
    matched_list = [(fact, gold, matched[id(gold)]) for fact, gold in golds if id(gold) in matched]
    for i, (fact_a, gold_a, pred_a) in enumerate(matched_list):
        for fact_b, gold_b, pred_b in matched_list[i + 1 :]:
            if gold_a["report"] == gold_b["report"]:
                continue
            pair = (id(gold_a), id(gold_b))
            if fact_a is fact_b:
                gold_pairs.add(pair)
            same_predicted = (
                fact_of[(pred_a["report"], pred_a["start"])]
                is fact_of[(pred_b["report"], pred_b["start"])]
            )
            if same_predicted:
                predicted_pairs.add(pair)
    statuses = _status_scores(group, golds, matched, fact_of)
    return {
        "gold_mentions": len(golds),
        "found": len(matched),
        "gold_pairs": len(gold_pairs),
        "predicted_pairs": len(predicted_pairs),
        "correct_pairs": len(gold_pairs & predicted_pairs),
        **statuses,
    }


def _status_scores(
    group: dict[str, Any],
    golds: list[tuple[dict[str, Any], dict[str, Any]]],
    matched: dict[int, dict[str, Any]],
    fact_of: dict[tuple[str, int], dict[str, Any]],
) -> dict[str, int]:
    counts = {
        "gold_conflicts": 0,
        "conflicts_right": 0,
        "gold_agreements": 0,
        "agreements_right": 0,
        "predicted_conflicts": 0,
        "false_conflicts": 0,
    }
    for fact in group["facts"]:
        if fact["kind"] != "count" or len({m["report"] for m in fact["mentions"]}) < 2:
            continue
        predicted = {
            fact_of[(matched[id(m)]["report"], matched[id(m)]["start"])]["id"]
            for m in fact["mentions"]
            if id(m) in matched
        }
        found_all = all(id(m) in matched for m in fact["mentions"])
        one_fact = found_all and len(predicted) == 1
        status = next(
            (f["status"] for f in fact_of.values() if predicted and f["id"] in predicted), None
        )
        if fact["status"] == "conflict":
            counts["gold_conflicts"] += 1
            counts["conflicts_right"] += int(one_fact and status == "conflict")
        elif fact["status"] == "agree":
            counts["gold_agreements"] += 1
            counts["agreements_right"] += int(one_fact and status == "agree")
    gold_conflict_ids = {
        id(m) for f in group["facts"] if f["status"] == "conflict" for m in f["mentions"]
    }
    predicted_conflicts = {f["id"]: f for f in fact_of.values() if f["status"] == "conflict"}
    counts["predicted_conflicts"] = len(predicted_conflicts)
    for fact in predicted_conflicts.values():
        starts = {(m["report"], m["start"]) for m in fact["mentions"]}
        hits = [gid for gid, m in matched.items() if (m["report"], m["start"]) in starts]
        if not any(h in gold_conflict_ids for h in hits):
            counts["false_conflicts"] += 1
    return counts


def summarise(per_group: dict[str, dict[str, Any]]) -> dict[str, Any]:
    total = {k: sum(g[k] for g in per_group.values()) for k in next(iter(per_group.values()))}
    precision = total["correct_pairs"] / total["predicted_pairs"] if total["predicted_pairs"] else 0
    recall = total["correct_pairs"] / total["gold_pairs"] if total["gold_pairs"] else 0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    conflict_precision = (
        1 - total["false_conflicts"] / total["predicted_conflicts"]
        if total["predicted_conflicts"]
        else 0.0
    )
    return {
        "groups": len(per_group),
        "mention_recall": round(total["found"] / total["gold_mentions"], 3),
        "pair_precision": round(precision, 3),
        "pair_recall": round(recall, 3),
        "pair_f1": round(f1, 3),
        "conflicts_right": f"{total['conflicts_right']}/{total['gold_conflicts']}",
        "agreements_right": f"{total['agreements_right']}/{total['gold_agreements']}",
        "predicted_conflicts": total["predicted_conflicts"],
        "conflict_precision": round(conflict_precision, 3),
        "totals": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--set", choices=["dev", "injected"], default="dev")
    args = parser.parse_args()
    name = "fakes_dev" if args.set == "dev" else "fakes_dev_injected"
    files = gold_files(name)
    per_group: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            group = json.loads(path.read_text(encoding="utf-8"))
            per_group[group["group"]] = score_group(group, run_compare(group, Path(tmp)))
    summary = summarise(per_group)
    summary["seconds"] = round(time.perf_counter() - started, 1)
    for key, value in summary.items():
        if key != "totals":
            print(f"{key:>20}: {value}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{name}.json"
    out.write_text(json.dumps({"summary": summary, "groups": per_group}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
