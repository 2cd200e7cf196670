"""The PTC corpus (SemEval-2020 Task 11 training set) and the task's scores, for the technique
tagger's training script, its benchmark and their tests; numpy only, no torch."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PTC = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "propaganda" / "ptc_train"


@dataclass(frozen=True, slots=True)
class GoldSpan:
    technique: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    text: str
    spans: tuple[GoldSpan, ...]


def load_ptc(folder: Path = PTC) -> list[Article]:
    """The PTC training articles with their technique spans (train-task2-TC.labels)."""
    if not folder.is_dir():
        raise SystemExit(f"PTC corpus not found at {folder}")
    spans: dict[str, list[GoldSpan]] = defaultdict(list)
    for line in (folder / "train-task2-TC.labels").read_text(encoding="utf-8").splitlines():
        article, technique, start, end = line.split("\t")
        spans[article].append(GoldSpan(technique, int(start), int(end)))
    articles = []
    for path in sorted((folder / "train-articles").glob("article*.txt")):
        article = path.stem.removeprefix("article")
        text = path.read_text(encoding="utf-8")
        articles.append(Article(article, text, tuple(spans.get(article, ()))))
    return articles


def techniques_of(articles: Iterable[Article]) -> list[str]:
    return sorted({s.technique for a in articles for s in a.spans})


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def si_score(
    predicted: dict[str, list[tuple[int, int]]], gold: dict[str, list[tuple[int, int]]]
) -> tuple[float, float, float]:
    """SemEval-2020 Task 11 span identification: precision, recall and F1 with partial credit.

    Gold spans of an article are merged where they overlap (the task is technique-blind);
    each predicted span s earns |s ∩ t| / |s| of precision for every gold span t it meets,
    and each gold span earns |s ∩ t| / |t| of recall.
    """
    precision_sum = recall_sum = 0.0
    n_predicted = n_gold = 0
    for article, spans in gold.items():
        gold_spans = merge_spans(spans)
        predicted_spans = merge_spans(predicted.get(article, []))
        n_gold += len(gold_spans)
        n_predicted += len(predicted_spans)
        for s, e in predicted_spans:
            for gs, ge in gold_spans:
                overlap = min(e, ge) - max(s, gs)
                if overlap > 0:
                    precision_sum += overlap / (e - s)
                    recall_sum += overlap / (ge - gs)
    precision = precision_sum / n_predicted if n_predicted else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
