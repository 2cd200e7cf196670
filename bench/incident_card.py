"""Score the incident card (killed and wounded) against the Gun Violence Archive's true counts.

Scores every incident in ../shared/data/events/gva_dev/ (150 US shootings, 2-5 local news reports
each, with GVA's `num_killed` and `num_injured`), feeding each incident's reports to the same code
path as `corroborate compare FILE --format json` (one .jsonl per incident; the outlet is the domain
of the archived page). Run:

    python bench/incident_card.py [--limit N] [--show] [--no-inject] [--seed 0] [--replay FILE]

Prints the figures and writes bench/results/incident_card.json and the list of injected changes
to bench/results/incident_card_injections.json (with --limit N: incident_card_limitN*.json, so a
quick run does not overwrite the full figures). --replay FILE makes an earlier run's changes
again instead of planning new ones (two versions of the code judged on the same changes; files
end in _replay). --show prints every wrong card, split pair and
missed injection, for error analysis.

Measures (on the output incident with the most reports; ties: the first):
- slot accuracy, for killed and for wounded: the slot's row (`facts[incidents[k].slots[slot]]`)
  gives the interval [lowest low, highest high] over its mentions (low/high default to the value;
  an open bound gives no credit beyond the stated figure); the card is right when the interval
  holds the GVA figure. No row reads as 0. Reported for GVA figures > 0 (target >= 0.85), split
  into rows with an explicit mention, rows of implicit mentions only ("a man was shot and killed")
  and no row, and for GVA figures of 0 (target >= 0.90);
- row sharing: over the count mentions whose `slot` is killed (wounded) and whose figure is the
  GVA figure, the share of cross-report pairs put in one fact (target >= 0.90);
- injection (seeded): one explicit killed/wounded figure per incident ("3", "three"; a
  mention the output gives that slot, not one the row holds only because it repeats the
  figure, such as "shot him five times") is changed in
  the report text to a clearly different number of the same style, and compare runs again; it is
  caught when the fact now holding the changed span is a conflict with mentions from >= 2
  reports (target >= 0.85); also reported for the rows other reports filled before the change
  (a figure only one report gives can conflict with nothing). False conflicts: the share of
  unchanged incidents whose killed or wounded row is a conflict (target <= 0.05);
- folds: slot accuracy per fold of 5 (incidents sorted by id, dealt round robin) and the mean.
  Two thresholds of the product are chosen with this set's report pairs among others (how
  close two reports' leads must be to tell of one incident:
  `scripts/fit_incident_links.py`); that script prints the values chosen without each of
  these folds, and they are the shipped ones in every fold, so the figures here are
  cross-validated. Anything else fitted or tuned on this set must be chosen inside the folds
  and scored on the held-out one. The README's rule stands: the same measures run on other
  incidents of the corpus, so generalise.

Fields of the output contract that are missing are read as absent: the script still runs and
scores 0 for them.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from corroborate import compare
from corroborate.render import render_json

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
GVA = SHARED / "data" / "events" / "gva_dev"
RESULTS = ROOT / "bench" / "results"
SLOTS = {"killed": "num_killed", "wounded": "num_injured"}
FOLDS = 5

Json = dict[str, Any]

UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
WORD_VALUES = {w: n for n, w in enumerate(UNITS)} | {w: 10 * n for n, w in enumerate(TENS) if n}


# ---------------------------------------------------------------------------------------------
# Data and running the product


def load_incidents(limit: int | None) -> list[Json]:
    if not GVA.is_dir():
        sys.exit(f"no gold data at {GVA}: this benchmark needs ../shared/data/events/gva_dev")
    paths = sorted(GVA.glob("*.json"))
    if limit is not None:
        paths = paths[:limit]
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def outlet_of(url: str | None) -> str | None:
    """The domain of the page: the archived page's for a web.archive.org address."""
    if not url:
        return None
    archived = re.match(r"https?://web\.archive\.org/web/[^/]+/(.+)", url)
    if archived:
        url = archived.group(1)
        if "://" not in url:
            url = "http://" + url
    host = (urlparse(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def run_compare(incident: Json, workdir: Path, texts: dict[str, str] | None = None) -> Json:
    """`compare` on the incident's reports (texts overridden by `texts`), as the JSON contract."""
    path = workdir / f"gva-{incident['incident']}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for report in incident["reports"]:
            row = {
                "id": report["id"],
                "outlet": outlet_of(report.get("url")),
                "title": report.get("title"),
                "published": report.get("published"),
                "url": report.get("url"),
                "text": (texts or {}).get(report["id"], report["text"]),
            }
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    data: Json = json.loads(render_json(compare([path])))
    return data


# ---------------------------------------------------------------------------------------------
# Reading the output


def main_incident(output: Json) -> Json | None:
    """The output incident with the most reports; ties go to the first."""
    best: Json | None = None
    for incident in output.get("incidents") or []:
        if best is None or len(incident.get("reports") or []) > len(best.get("reports") or []):
            best = incident
    return best


def slot_row(output: Json, incident: Json | None, slot: str) -> Json | None:
    """The fact filling `slot` of the incident's card, if any."""
    if incident is None:
        return None
    fact_id = (incident.get("slots") or {}).get(slot)
    if fact_id is None:
        return None
    return next((f for f in output.get("facts") or [] if f.get("id") == fact_id), None)


def bounds(mention: Json) -> tuple[float, float] | None:
    """The figures a mention allows: low/high, each falling back on the value, then each other."""
    value, low, high = mention.get("value"), mention.get("low"), mention.get("high")
    lo = low if low is not None else value
    hi = high if high is not None else value
    lo = lo if lo is not None else hi
    hi = hi if hi is not None else lo
    if not isinstance(lo, int | float) or not isinstance(hi, int | float):
        return None
    return float(lo), float(hi)


def row_interval(row: Json) -> tuple[float, float] | None:
    spans = [b for m in row.get("mentions") or [] if (b := bounds(m)) is not None]
    if not spans:
        return None
    return min(lo for lo, _ in spans), max(hi for _, hi in spans)


def is_explicit(mention: Json) -> bool:
    """Written as a number; a mention without the `implicit` flag counts as written."""
    return mention.get("implicit") is not True


def row_figures(row: Json | None) -> list[float]:
    if row is None:
        return []
    figures = []
    for mention in row.get("mentions") or []:
        for key in ("value", "low", "high"):
            figure = mention.get(key)
            if isinstance(figure, int | float):
                figures.append(float(figure))
    return sorted(set(figures))


def row_summary(row: Json | None) -> Json | None:
    if row is None:
        return None
    return {
        "id": row.get("id"),
        "status": row.get("status"),
        "reason": row.get("reason"),
        "interval": row_interval(row),
        "mentions": [
            {
                "report": m.get("report"),
                "text": m.get("text"),
                "value": m.get("value"),
                "low": m.get("low"),
                "high": m.get("high"),
                "implicit": m.get("implicit"),
            }
            for m in row.get("mentions") or []
        ],
    }


# ---------------------------------------------------------------------------------------------
# Measure 1: slot accuracy


@dataclass
class SlotCard:
    incident: str
    slot: str
    gold: int
    kind: str  # "explicit", "implicit", "no row" or "no figure"
    interval: tuple[float, float] | None
    right: bool
    row: Json | None


def score_slot(incident: Json, output: Json, slot: str) -> SlotCard:
    gold = int(incident[SLOTS[slot]])
    row = slot_row(output, main_incident(output), slot)
    if row is None:
        return SlotCard(incident["incident"], slot, gold, "no row", None, gold == 0, None)
    interval = row_interval(row)
    mentions = row.get("mentions") or []
    if interval is None:
        kind = "no figure"
    elif any(is_explicit(m) for m in mentions):
        kind = "explicit"
    else:
        kind = "implicit"
    right = interval is not None and interval[0] <= gold <= interval[1]
    return SlotCard(incident["incident"], slot, gold, kind, interval, right, row_summary(row))


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 0.0


def slot_accuracy(cards: list[SlotCard]) -> Json:
    """Accuracy for GVA figures > 0 (overall and by kind of row) and for figures of 0."""
    result: Json = {}
    for slot in SLOTS:
        mine = [c for c in cards if c.slot == slot]
        positive = [c for c in mine if c.gold > 0]
        zero = [c for c in mine if c.gold == 0]
        by_kind = {}
        for kind in ("explicit", "implicit", "no row", "no figure"):
            group = [c for c in positive if c.kind == kind]
            by_kind[kind] = {
                "incidents": len(group),
                "right": sum(c.right for c in group),
                "accuracy": _ratio(sum(c.right for c in group), len(group)),
            }
        result[slot] = {
            "positive": _ratio(sum(c.right for c in positive), len(positive)),
            "positive_n": len(positive),
            "zero": _ratio(sum(c.right for c in zero), len(zero)),
            "zero_n": len(zero),
            "all": _ratio(sum(c.right for c in mine), len(mine)),
            "positive_by_row": by_kind,
        }
    return result


# ---------------------------------------------------------------------------------------------
# Measure 2: row sharing


def count_mentions(output: Json) -> Iterable[tuple[int, Json]]:
    """Every mention in the output, with the index of the fact holding it."""
    for index, fact in enumerate(output.get("facts") or []):
        for mention in fact.get("mentions") or []:
            yield index, mention


def has_figure(mention: Json, n: int) -> bool:
    value, low, high = mention.get("value"), mention.get("low"), mention.get("high")
    if mention.get("qualifier") == "range" or value is None:
        return isinstance(low, int | float) and isinstance(high, int | float) and low <= n <= high
    return bool(value == n)


@dataclass
class Sharing:
    pairs: int = 0
    shared: int = 0
    split: list[str] = field(default_factory=list)


def row_sharing(incident: Json, output: Json, slot: str) -> Sharing:
    gold = int(incident[SLOTS[slot]])
    found = [
        (index, m)
        for index, m in count_mentions(output)
        if m.get("slot") == slot and has_figure(m, gold)
    ]
    sharing = Sharing()
    for x, (fact_a, a) in enumerate(found):
        for fact_b, b in found[x + 1 :]:
            if a.get("report") == b.get("report"):
                continue
            sharing.pairs += 1
            if fact_a == fact_b:
                sharing.shared += 1
            else:
                sharing.split.append(
                    f"{slot} {gold}: {a.get('report', '')[:8]} {a.get('text')!r} (fact "
                    f"{fact_a}) vs {b.get('report', '')[:8]} {b.get('text')!r} (fact {fact_b})"
                )
    return sharing


# ---------------------------------------------------------------------------------------------
# Measure 3: injection


def word_value(text: str) -> int | None:
    """The number a number word ("three", "Twenty-one") stands for, or None."""
    parts = re.split(r"[-\s]+", text.strip().lower())
    if len(parts) == 1:
        return WORD_VALUES.get(parts[0])
    if len(parts) == 2 and parts[0] in TENS[2:] and parts[1] in UNITS[1:10]:
        return WORD_VALUES[parts[0]] + WORD_VALUES[parts[1]]
    return None


def number_words(n: int) -> str | None:
    if 0 <= n < 20:
        return UNITS[n]
    if 20 <= n < 100:
        tens, units = divmod(n, 10)
        return TENS[tens] + (f"-{UNITS[units]}" if units else "")
    return None


def written_number(text: str) -> tuple[int, str] | None:
    """(value, style) for a mention text that is all digits or a number word."""
    if re.fullmatch(r"\d+", text):
        return int(text), "digits"
    value = word_value(text)
    return None if value is None else (value, "word")


def restyle(old_text: str, new: int) -> str | None:
    """`new` written as `old_text` is: digits, or a word with the same capitalisation."""
    if old_text.isdigit():
        return str(new)
    word = number_words(new)
    if word is None:
        return None
    if old_text.isupper() and len(old_text) > 1:
        return word.upper()
    if old_text[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def new_figure(old: int, figures: list[float], style: str, rng: random.Random) -> int | None:
    """A figure far from every figure of the row: >= 2 apart and a factor >= 1.5 where possible."""

    def far(c: int, ratio: bool) -> bool:
        for f in figures:
            if abs(c - f) < 2:
                return False
            if ratio and f > 0 and max(c, f) / min(c, f) < 1.5:
                return False
        return True

    def writable(c: int) -> bool:
        return c > 0 and (style == "digits" or number_words(c) is not None)

    top = max([old, *[int(f) for f in figures]])
    for pool in (range(old + 2, 2 * old + 4), range(old + 2, 2 * top + 10)):
        for ratio in (True, False):
            choices = [c for c in pool if writable(c) and far(c, ratio)]
            if choices:
                return rng.choice(choices)
    return None


@dataclass
class Injection:
    incident: str
    report: str
    slot: str
    old_text: str
    new_text: str
    start: int
    end: int
    new_end: int
    caught: bool = False
    status: str | None = None
    reports_in_row: int = 0
    row: Json | None = None
    note: str = ""
    # Whether other reports gave the slot before the change: a conflict needs two reports.
    shared_row: bool = False


def plan_injection(incident: Json, output: Json, seed: int) -> Injection | None:
    """Pick one explicit killed/wounded figure of the card and a new figure for it."""
    texts = {r["id"]: r["text"] for r in incident["reports"]}
    card = main_incident(output)
    candidates: list[tuple[str, Json, Json]] = []
    for slot in SLOTS:
        row = slot_row(output, card, slot)
        for mention in (row or {}).get("mentions") or []:
            text, report = mention.get("text") or "", mention.get("report")
            start, end = mention.get("start"), mention.get("end")
            if not is_explicit(mention) or written_number(text) is None:
                continue
            if mention.get("slot") != slot:
                # a figure the row holds only because it repeats the toll ("shot him five
                # times"): not a killed or wounded figure, so not one to change
                continue
            if report not in texts or not isinstance(start, int) or not isinstance(end, int):
                continue
            if texts[report][start:end] != text:
                continue
            candidates.append((slot, row or {}, mention))
    if not candidates:
        return None
    rng = random.Random(seed + int(incident["incident"]))
    slot, row, mention = rng.choice(candidates)
    old_value, style = written_number(mention["text"]) or (0, "digits")
    new = new_figure(old_value, row_figures(row), style, rng)
    new_text = None if new is None else restyle(mention["text"], new)
    if new_text is None:
        return None
    start, end = mention["start"], mention["end"]
    return Injection(
        incident["incident"],
        mention["report"],
        slot,
        mention["text"],
        new_text,
        start,
        end,
        start + len(new_text),
        shared_row=len({m.get("report") for m in row.get("mentions") or []}) >= 2,
    )


def load_replay(path: Path) -> dict[str, Injection]:
    """The changes an earlier run made, by incident, to be made again unjudged."""
    listed = json.loads(path.read_text(encoding="utf-8"))
    fields = ("incident", "report", "slot", "old_text", "new_text", "start", "end", "new_end")
    return {
        row["incident"]: Injection(*(row[f] for f in fields), shared_row=row["shared_row"])
        for row in listed
    }


def check_injection(injection: Injection, output: Json) -> None:
    """Caught when the fact now holding the changed span is a conflict across >= 2 reports."""
    new_value = written_number(injection.new_text)
    holding: list[Json] = []
    for fact in output.get("facts") or []:
        for m in fact.get("mentions") or []:
            start, end = m.get("start"), m.get("end")
            if (
                m.get("report") == injection.report
                and isinstance(start, int)
                and isinstance(end, int)
                and start < injection.new_end
                and injection.start < end
            ):
                holding.append(fact)
                break
    if not holding:
        injection.note = "no fact holds the changed span"
        return

    def holds_new(fact: Json) -> bool:
        return any(
            m.get("report") == injection.report
            and new_value is not None
            and has_figure(m, new_value[0])
            for m in fact.get("mentions") or []
        )

    fact = next((f for f in holding if holds_new(f)), holding[0])
    reports = {m.get("report") for m in fact.get("mentions") or []}
    injection.status = fact.get("status")
    injection.reports_in_row = len(reports)
    injection.row = row_summary(fact)
    injection.caught = injection.status == "conflict" and len(reports) >= 2


# ---------------------------------------------------------------------------------------------
# Putting it together


def fold_of(incidents: list[Json]) -> dict[str, int]:
    """Incidents sorted by id (as numbers) and dealt round robin into FOLDS folds."""
    ids = sorted((i["incident"] for i in incidents), key=lambda s: (len(s), s))
    return {incident: k % FOLDS for k, incident in enumerate(ids)}


def summarise_folds(cards: list[SlotCard], folds: dict[str, int]) -> Json:
    per_fold = [slot_accuracy([c for c in cards if folds[c.incident] == k]) for k in range(FOLDS)]
    result: Json = {"per_fold": per_fold, "mean": {}}
    counts = {"positive": "positive_n", "zero": "zero_n", "all": None}
    for slot in SLOTS:
        result["mean"][slot] = {}
        for key, count in counts.items():
            # Folds without an incident of the kind (possible with --limit) are left out.
            scored = [f[slot][key] for f in per_fold if count is None or f[slot][count]]
            result["mean"][slot][key] = round(sum(scored) / len(scored), 3) if scored else 0.0
    return result


def card_problem(card: SlotCard) -> str:
    if card.row is None:
        figure = "no row (0)"
    else:
        shown = ", ".join(
            f"{(m['report'] or '')[:8]} {m['text']!r}" + (" implicit" if m["implicit"] else "")
            for m in card.row["mentions"]
        )
        figure = f"{card.kind} row {card.row['status']} {card.interval}: {shown}"
    return f"{card.slot}: GVA {card.gold}, card {figure}"


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=None, help="score the first N incidents")
    parser.add_argument("--show", action="store_true", help="print every error")
    parser.add_argument("--no-inject", action="store_true", help="skip the injection measure")
    parser.add_argument("--seed", type=int, default=0, help="seed of the injections")
    parser.add_argument(
        "--replay",
        type=Path,
        default=None,
        help="make the changes listed in this injections file (an earlier run's) instead of "
        "planning new ones: two versions of the code compared on the same changes",
    )
    args = parser.parse_args()
    replayed = load_replay(args.replay) if args.replay else None
    started = time.perf_counter()
    incidents = load_incidents(args.limit)

    cards: list[SlotCard] = []
    sharing = {slot: Sharing() for slot in SLOTS}
    false_conflicts: list[Json] = []
    injections: list[Injection] = []
    # How the unchanged incidents' killed and wounded rows were judged: which rules the
    # reports' own disagreements rely on.
    verdicts: Counter[str] = Counter()
    skipped: list[str] = []
    compare_seconds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for incident in incidents:
            tick = time.perf_counter()
            output = run_compare(incident, workdir)
            compare_seconds.append(time.perf_counter() - tick)
            card = main_incident(output)
            for slot in SLOTS:
                cards.append(score_slot(incident, output, slot))
                shared = row_sharing(incident, output, slot)
                sharing[slot].pairs += shared.pairs
                sharing[slot].shared += shared.shared
                sharing[slot].split += [f"{incident['incident']}: {s}" for s in shared.split]
            for slot in SLOTS:
                row = slot_row(output, card, slot)
                if row is not None:
                    verdicts[f"{slot}: {row.get('status')} ({row.get('reason')})"] += 1
            conflicted = {
                slot: row_summary(row)
                for slot in SLOTS
                if (row := slot_row(output, card, slot)) is not None
                and row.get("status") == "conflict"
            }
            if conflicted:
                false_conflicts.append({"incident": incident["incident"], "rows": conflicted})
            if args.no_inject:
                continue
            injection = (
                plan_injection(incident, output, args.seed)
                if replayed is None
                else replayed.get(incident["incident"])
            )
            if injection is None:
                skipped.append(incident["incident"])
                continue
            texts = {r["id"]: r["text"] for r in incident["reports"]}
            text = texts[injection.report]
            if text[injection.start : injection.end] != injection.old_text:
                sys.exit(
                    f"--replay: incident {injection.incident} has no {injection.old_text!r} there"
                )
            texts[injection.report] = text[: injection.start] + injection.new_text
            texts[injection.report] += text[injection.end :]
            tick = time.perf_counter()
            check_injection(injection, run_compare(incident, workdir, texts))
            compare_seconds.append(time.perf_counter() - tick)
            injections.append(injection)

    folds = fold_of(incidents)
    accuracy = slot_accuracy(cards)
    wrong = [c for c in cards if not c.right]
    caught = sum(i.caught for i in injections)
    shared = [i for i in injections if i.shared_row]
    results: Json = {
        "incidents": len(incidents),
        "slot_accuracy": accuracy,
        "folds": summarise_folds(cards, folds),
        "row_sharing": {
            slot: {"pairs": s.pairs, "shared": s.shared, "share": _ratio(s.shared, s.pairs)}
            for slot, s in sharing.items()
        },
        "false_conflicts": {
            "incidents": len(false_conflicts),
            "share": _ratio(len(false_conflicts), len(incidents)),
            "list": false_conflicts,
        },
        "row_verdicts": dict(verdicts.most_common()),
        "wrong_cards": [
            {
                "incident": c.incident,
                "slot": c.slot,
                "gold": c.gold,
                "kind": c.kind,
                "interval": c.interval,
                "row": c.row,
            }
            for c in wrong
        ],
        "split_pairs": {slot: s.split for slot, s in sharing.items()},
        "seed": args.seed,
        "compare_calls": len(compare_seconds),
        "seconds_per_compare": round(sum(compare_seconds) / len(compare_seconds), 2)
        if compare_seconds
        else 0.0,
    }
    if not args.no_inject:
        results["injection"] = {
            "caught": caught,
            "injected": len(injections),
            "rate": _ratio(caught, len(injections)),
            "in_shared_rows": len(shared),
            "caught_in_shared_rows": sum(i.caught for i in shared),
            "rate_in_shared_rows": _ratio(sum(i.caught for i in shared), len(shared)),
            "no_candidate": skipped,
            "missed": [i.incident for i in injections if not i.caught],
            # Why the missed ones were not conflicts: the row's status and reason ("lower
            # bound": the other reports only tell of victims one by one, a minimum).
            "missed_by_verdict": dict(
                Counter(
                    f"{i.status} ({(i.row or {}).get('reason')})"
                    for i in injections
                    if not i.caught
                ).most_common()
            ),
        }
    results["seconds"] = round(time.perf_counter() - started, 1)

    if args.show:
        for c in wrong:
            print(f"{c.incident}: {card_problem(c)}")
        for s in sharing.values():
            for line in s.split:
                print(f"split {line}")
        for fc in false_conflicts:
            for slot, row in fc["rows"].items():
                print(f"{fc['incident']}: false conflict {slot} {row['interval']}")
        for i in injections:
            verdict = "caught" if i.caught else f"MISSED ({i.status}, {i.reports_in_row} rep.)"
            print(
                f"{i.incident}: inject {i.slot} {i.report[:8]} {i.old_text!r} -> "
                f"{i.new_text!r} [{i.start}:{i.end}] {verdict} {i.note}".rstrip()
            )

    print(f"== incident card, {len(incidents)} incidents")
    for slot in SLOTS:
        a = accuracy[slot]
        rows = ", ".join(
            f"{kind} {v['right']}/{v['incidents']}"
            for kind, v in a["positive_by_row"].items()
            if v["incidents"]
        )
        print(f"{slot + ' >0':>20}: {a['positive']} of {a['positive_n']} ({rows})  target 0.85")
        print(f"{slot + ' =0':>20}: {a['zero']} of {a['zero_n']}  target 0.90")
        mean = results["folds"]["mean"][slot]
        per = " ".join(str(f[slot]["positive"]) for f in results["folds"]["per_fold"])
        print(f"{slot + ' folds >0':>20}: {per}  mean {mean['positive']}")
    for slot, s in results["row_sharing"].items():
        print(f"{slot + ' sharing':>20}: {s['share']} of {s['pairs']} pairs  target 0.90")
    if not args.no_inject:
        inj = results["injection"]
        print(
            f"{'injection caught':>20}: {inj['rate']} ({caught}/{len(injections)}, "
            f"{len(skipped)} without a figure to change)  target 0.85\n"
            f"{'in rows of 2+ reports':>20}: {inj['rate_in_shared_rows']} "
            f"({inj['caught_in_shared_rows']}/{inj['in_shared_rows']})"
        )
        missed = ", ".join(f"{k} {n}" for k, n in inj["missed_by_verdict"].items())
        print(f"{'missed as':>20}: {missed}")
    fc = results["false_conflicts"]
    print(f"{'false conflicts':>20}: {fc['share']} ({fc['incidents']})  target 0.05")
    print(f"{'s per compare':>20}: {results['seconds_per_compare']}")
    print(f"{'seconds':>20}: {results['seconds']}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.limit is None else f"_limit{args.limit}"
    suffix += "" if args.replay is None else "_replay"
    out = RESULTS / f"incident_card{suffix}.json"
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {_shown(out)}")
    if not args.no_inject:
        listed = RESULTS / f"incident_card{suffix}_injections.json"
        body = [vars(i) for i in injections]
        listed.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {_shown(listed)}")


if __name__ == "__main__":
    main()
