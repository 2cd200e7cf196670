"""Score `compare` against gold fact alignments: count mentions found, pairs, conflicts.

Scores every group in ../shared/data/events/fakes_dev/ (or another set with --set) and the seed
reports against ../shared/examples/seeds/expected.json, feeding each group's reports to the same
code path as `corroborate compare FILE --format json`. Run:

    python bench/fact_alignment.py [--set fakes_dev_injected] [--show] [--cross-validate]

Prints the figures and writes bench/results/fact_alignment.json (fact_alignment_<set>.json for
another set). --cross-validate also scores every group with the pair model refitted (weights
and threshold) without its incident: the figures for incidents the model has not seen. --show
prints, per group, the gold mentions missed, wrong and missed pairs and conflicts, for error
analysis (with --cross-validate, those of the held-out scoring).

Measures, on count facts (the only kind whose gold mentions carry values):
- mention recall: gold count mentions with a predicted mention in the same report whose span
  overlaps the gold evidence and whose value/bounds match;
- pair precision/recall/F1: pairs of matched mentions from different reports that the system puts
  in one fact vs pairs that the gold puts in one fact;
- incident accuracy: pairs of reports put in one incident, or apart, as the gold does;
- conflict precision/recall: a gold conflict fact is found when one predicted conflict fact holds
  matched mentions of it from two reports; a predicted conflict is right when it holds two such
  mentions of one gold conflict fact, wrong otherwise (gold agree/compatible or unrelated).
  Recall is also given with the gold conflicts whose figures are all lower bounds set apart
  ("at least 22" and "at least 35" may both be true: the issue lets them be compatible).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corroborate import compare
from corroborate.align.pairing import PairModels
from corroborate.render import render_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EVENTS = SHARED / "data" / "events"
SEEDS = SHARED / "examples" / "seeds"
RESULTS = ROOT / "bench" / "results"

Json = dict[str, Any]


def load_groups(name: str) -> list[Json]:
    folder = EVENTS / name
    if not folder.is_dir():
        sys.exit(f"no gold data at {folder}: this benchmark needs ../shared/data/events")
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def load_seeds() -> Json:
    """The seed gold, with each report's text read from its file."""
    group: Json = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
    for report in group["reports"]:
        report["text"] = (SEEDS / report["file"]).read_text(encoding="utf-8")
    return group


def run_compare(group: Json, workdir: Path, models: PairModels | None = None) -> Json:
    """`compare` on the group's reports, as the JSON contract; seeds go in as their files."""
    if all("file" in r for r in group["reports"]):
        paths = [SEEDS / group["reports"][0]["jsonl"]]
    else:
        paths = [workdir / f"{group['group']}.jsonl"]
        with paths[0].open("w", encoding="utf-8") as handle:
            for report in group["reports"]:
                row = {k: report.get(k) for k in ("id", "outlet", "title", "published", "text")}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    data: Json = json.loads(render_json(compare(paths, models=models)))
    return data


def _same_number(predicted: Json, gold: Json) -> bool:
    if gold["qualifier"] == "range":
        return bool(predicted["low"] == gold["low"] and predicted["high"] == gold["high"])
    if gold["value"] is not None:
        return bool(predicted["value"] == gold["value"])
    return bool(predicted["low"] == gold["low"])


@dataclass
class GroupScore:
    gold_mentions: int = 0
    found: int = 0
    gold_pairs: int = 0
    predicted_pairs: int = 0
    correct_pairs: int = 0
    gold_conflicts: int = 0
    conflicts_found: int = 0
    predicted_conflicts: int = 0
    right_conflicts: int = 0
    report_pairs: int = 0
    report_pairs_right: int = 0
    # Gold conflicts where every figure is a lower bound ("at least 22", "at least 35"): the
    # issue lets these be compatible, so recall is also given without them.
    bounded_conflicts: int = 0
    bounded_found: int = 0
    problems: list[str] = field(default_factory=list)


def score_group(group: Json, output: Json) -> GroupScore:
    """Match gold count mentions to predicted ones, then score pairs and conflicts."""
    texts = {r["id"]: r["text"] for r in group["reports"]}
    predicted_facts = [f for f in output["facts"] if f["kind"] == "quantity"]
    fact_of = {(m["report"], m["start"]): f for f in predicted_facts for m in f["mentions"]}
    golds = [
        (fact, mention)
        for fact in group["facts"]
        if fact["kind"] == "count"
        for mention in fact["mentions"]
    ]
    score = GroupScore(gold_mentions=len(golds))
    # Gold mention index -> predicted (report, start); one prediction per gold mention at most.
    matched: dict[int, tuple[str, int]] = {}
    used: set[tuple[str, int]] = set()
    for index, (fact, gold) in enumerate(golds):
        start = texts[gold["report"]].find(gold["evidence"])
        if start < 0:
            score.problems.append(f"gold evidence not in {gold['report']}: {gold['evidence']!r}")
            continue
        end = start + len(gold["evidence"])
        hit = next(
            (
                key
                for key, f in fact_of.items()
                for m in f["mentions"]
                if (m["report"], m["start"]) == key
                and m["report"] == gold["report"]
                and m["start"] < end
                and start < m["end"]
                and key not in used
                and _same_number(m, gold)
            ),
            None,
        )
        if hit is None:
            score.problems.append(f"missed {gold['report']} {fact['id']}: {gold['evidence']!r}")
            continue
        matched[index] = hit
        used.add(hit)
    score.found = len(matched)

    gold_pairs: set[tuple[int, int]] = set()
    predicted_pairs: set[tuple[int, int]] = set()
    indices = sorted(matched)
    for x, i in enumerate(indices):
        for j in indices[x + 1 :]:
            if golds[i][1]["report"] == golds[j][1]["report"]:
                continue
            if golds[i][0] is golds[j][0]:
                gold_pairs.add((i, j))
            if fact_of[matched[i]] is fact_of[matched[j]]:
                predicted_pairs.add((i, j))
    score.gold_pairs, score.predicted_pairs = len(gold_pairs), len(predicted_pairs)
    score.correct_pairs = len(gold_pairs & predicted_pairs)
    for i, j in sorted(predicted_pairs - gold_pairs):
        score.problems.append(f"wrong pair {_describe(golds[i])} + {_describe(golds[j])}")
    for i, j in sorted(gold_pairs - predicted_pairs):
        score.problems.append(f"missed pair {_describe(golds[i])} + {_describe(golds[j])}")

    # A fact "holds" a gold conflict when it has matched mentions of it from two reports.
    def conflict_held(fact: Json) -> str | None:
        reports_by_gold: dict[str, set[str]] = defaultdict(set)
        for i, key in matched.items():
            gold_fact, mention = golds[i]
            if gold_fact["status"] == "conflict" and fact_of[key] is fact:
                reports_by_gold[gold_fact["id"]].add(mention["report"])
        return next((gid for gid, rs in reports_by_gold.items() if len(rs) >= 2), None)

    conflicts = [f for f in predicted_facts if f["status"] == "conflict"]
    held = {f["id"]: conflict_held(f) for f in conflicts}
    score.gold_conflicts = sum(1 for f in group["facts"] if _is_gold_conflict(f))
    score.conflicts_found = len({gid for gid in held.values() if gid})
    score.predicted_conflicts = len(conflicts)
    score.right_conflicts = sum(1 for gid in held.values() if gid)
    for f in conflicts:
        if not held[f["id"]]:
            values = "; ".join(f"{m['report']} {m['text']!r}" for m in f["mentions"])
            score.problems.append(f"false conflict {f['what']}: {values}")
    _score_incidents(group, output, score)
    found_ids = set(held.values())
    for f in group["facts"]:
        if not _is_gold_conflict(f):
            continue
        if _lower_bounds_only(f):
            score.bounded_conflicts += 1
            score.bounded_found += int(f["id"] in found_ids)
        if f["id"] not in found_ids:
            apart = " (lower bounds only)" if _lower_bounds_only(f) else ""
            judged = [
                f"{held_in['status']} ({held_in.get('reason')})"
                for held_in in predicted_facts
                if len(
                    {
                        golds[i][1]["report"]
                        for i, key in matched.items()
                        if golds[i][0] is f and fact_of[key] is held_in
                    }
                )
                >= 2
            ]
            held_as = f", held as {judged[0]}" if judged else ", its figures in no one fact"
            score.problems.append(f"missed conflict {f['id']}{apart}{held_as}: {f['what']}")
    return score


def _lower_bounds_only(fact: Json) -> bool:
    return all(
        m.get("qualifier") == "at least" or (m.get("low") is not None and m.get("high") is None)
        for m in fact["mentions"]
    )


def _score_incidents(group: Json, output: Json, score: GroupScore) -> None:
    """Report pairs put in one incident or apart as the gold does."""
    gold = {r["id"]: r.get("incident", 0) for r in group["reports"]}
    predicted = {rid: i["id"] for i in output.get("incidents", []) for rid in i["reports"]}
    ids = sorted(gold)
    for x, a in enumerate(ids):
        for b in ids[x + 1 :]:
            score.report_pairs += 1
            same_gold, same_predicted = gold[a] == gold[b], predicted[a] == predicted[b]
            score.report_pairs_right += int(same_gold == same_predicted)
            if same_gold != same_predicted:
                verdict = "one incident" if same_predicted else "two incidents"
                score.problems.append(f"incidents: {a} and {b} put in {verdict}")


def _is_gold_conflict(fact: Json) -> bool:
    return bool(fact["kind"] == "count" and fact["status"] == "conflict")


def _describe(gold: tuple[Json, Json]) -> str:
    fact, mention = gold
    return f"[{mention['report']} {fact['id']} {fact['status']}] {mention['evidence'][:70]!r}"


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0


def summarise(scores: dict[str, GroupScore]) -> Json:
    total = GroupScore()
    for s in scores.values():
        for name in vars(total):
            if name != "problems":
                setattr(total, name, getattr(total, name) + getattr(s, name))
    precision = _ratio(total.correct_pairs, total.predicted_pairs)
    recall = _ratio(total.correct_pairs, total.gold_pairs)
    return {
        "groups": len(scores),
        "mention_recall": _ratio(total.found, total.gold_mentions),
        "pair_precision": precision,
        "pair_recall": recall,
        "pair_f1": round(2 * precision * recall / (precision + recall), 3)
        if precision + recall
        else 0.0,
        "conflict_precision": _ratio(total.right_conflicts, total.predicted_conflicts),
        "conflict_recall": _ratio(total.conflicts_found, total.gold_conflicts),
        "conflict_recall_bounds_apart": _ratio(
            total.conflicts_found - total.bounded_found,
            total.gold_conflicts - total.bounded_conflicts,
        ),
        "incident_accuracy": _ratio(total.report_pairs_right, total.report_pairs),
        "conflicts": f"{total.conflicts_found}/{total.gold_conflicts} found, "
        f"{total.right_conflicts}/{total.predicted_conflicts} flagged right; "
        f"{total.bounded_found}/{total.bounded_conflicts} found where every figure is a "
        "lower bound",
        "totals": {k: v for k, v in vars(total).items() if k != "problems"},
    }


def score_set(groups: list[Json], show: bool, models: list[PairModels] | None = None) -> Json:
    scores: dict[str, GroupScore] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k, group in enumerate(groups):
            output = run_compare(group, Path(tmp), models[k] if models else None)
            scores[group["group"]] = score_group(group, output)
    if show:
        for name, s in scores.items():
            for problem in s.problems:
                print(f"{name}: {problem}")
    return {
        "summary": summarise(scores),
        "groups": {name: vars(s) for name, s in scores.items()},
    }


def _fit_script() -> Any:
    """scripts/fit_pair_model.py as a module (scripts/ is not a package)."""
    path = ROOT / "scripts" / "fit_pair_model.py"
    spec = importlib.util.spec_from_file_location("fit_pair_model", path)
    if spec is None or spec.loader is None:
        sys.exit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--set", default="fakes_dev", help="folder under shared/data/events")
    parser.add_argument("--show", action="store_true", help="print each group's errors")
    parser.add_argument(
        "--cross-validate",
        action="store_true",
        help="also score each group with pair models refitted without it (leave one group out)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    groups = load_groups(args.set)
    # With --cross-validate, the errors shown are those of the held-out scoring.
    results: Json = {args.set: score_set(groups, args.show and not args.cross_validate)}
    results["seeds"] = score_set([load_seeds()], args.show)
    names = [args.set, "seeds"]
    if args.cross_validate:
        # The pair model is fitted on fakes_dev; each group is scored with the model fitted
        # without its incident (an injected group's incident is the fakes_dev group it copies).
        fitting = _fit_script()
        xs, ys = fitting.load_pairs("fakes_dev")
        base_names = [p.stem for p in sorted((EVENTS / "fakes_dev").glob("*.json"))]
        held_out = []
        for group in groups:
            k = base_names.index(group["group"].split("+inj")[0])
            held_out.append(fitting.fit_models(fitting.without(xs, k), fitting.without(ys, k)))
        name = f"{args.set} (leave one incident out)"
        results[name] = score_set(groups, args.show, held_out)
        names.append(name)
    results["seconds"] = round(time.perf_counter() - started, 1)
    for name in names:
        print(f"== {name}")
        for key, value in results[name]["summary"].items():
            if key != "totals":
                print(f"{key:>20}: {value}")
    print(f"{'seconds':>20}: {results['seconds']}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.set == "fakes_dev" else f"_{args.set}"
    out = RESULTS / f"fact_alignment{suffix}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
