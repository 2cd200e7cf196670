"""Train the propaganda-technique tagger on the PTC corpus (SemEval-2020 Task 11) and write
src/corroborate/data/techniques/ (head.onnx, span_classifier.npz, settings.json).

    python scripts/train_technique_model.py [--ptc DIR] [--epochs 10] [--no-write]

Two parts, both over the features of corroborate.assess.techniques (MiniLM word states from the
shipped int8 encoder, so training sees what the runtime sees):
- the head: a bidirectional GRU over each line giving, per word, P(in a technique span) (and,
  as an auxiliary target that helps it, P(each technique)); spans are decoded with two
  thresholds (start at `high`, grow over `low`) chosen for the SemEval SI F1 on held-out
  articles;
- the span classifier: a multinomial logistic regression naming a span's technique.

Also the library of bench/propaganda.py, which cross-validates the same fitting over articles.
Needs the export extra (torch, scikit-learn):
    pip install -c constraints.txt -e ".[export]"
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import torch
from sklearn.linear_model import LogisticRegression

from corroborate.assess.techniques import (
    INPUT_WIDTH,
    SpanClassifier,
    TaggerInputs,
    Word,
    decode_runs,
    span_features,
    word_inputs,
)
from corroborate.embeddings import load_encoder

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ptc import PTC, Article, load_ptc, si_score, techniques_of

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "corroborate" / "data" / "techniques"
HIDDEN = 128
BATCH = 32
# The span target weighs more than the 14 technique targets together: spans are what the
# head is for; the technique targets only shape its states.
SPAN_WEIGHT = 4.0
LEARNING_RATE = 3e-3
# Regularisation of the span classifier, chosen by 5-fold CV over articles (0.05 of 0.01-1).
SPAN_C = 0.05
EPOCHS = 10
HIGH = (0.25, 0.3, 0.35, 0.4, 0.5)
LOW = (0.1, 0.15, 0.2, 0.25)
VALIDATION_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class ArticleInputs:
    """An article as the tagger reads it, and its word targets (span, then techniques)."""

    tagger: TaggerInputs
    targets: npt.NDArray[np.float32]

    @property
    def words(self) -> list[Word]:
        return self.tagger.words

    @property
    def features(self) -> npt.NDArray[np.float32]:
        return self.tagger.features

    @property
    def lines(self) -> list[npt.NDArray[np.int64]]:
        return self.tagger.lines


def article_inputs(articles: Sequence[Article], techniques: Sequence[str]) -> list[ArticleInputs]:
    encoder = load_encoder()
    out = []
    for article in articles:
        tagger = word_inputs(article.text, encoder)
        words = tagger.words
        targets = np.zeros((len(words), 1 + len(techniques)), dtype=np.float32)
        starts = np.array([w.start for w in words])
        ends = np.array([w.end for w in words])
        for span in article.spans:
            inside = (starts < span.end) & (ends > span.start)
            targets[inside, 0] = 1
            targets[inside, 1 + techniques.index(span.technique)] = 1
        out.append(ArticleInputs(tagger, targets))
    return out


class TaggerHead(torch.nn.Module):
    """Word features -> projection -> bidirectional GRU -> logits (span, techniques)."""

    def __init__(self, outputs: int, hidden: int = HIDDEN) -> None:
        super().__init__()
        self.project = torch.nn.Sequential(
            torch.nn.Dropout(0.2), torch.nn.Linear(INPUT_WIDTH, hidden), torch.nn.GELU()
        )
        self.gru = torch.nn.GRU(hidden, hidden, batch_first=True, bidirectional=True)
        self.out = torch.nn.Sequential(torch.nn.Dropout(0.2), torch.nn.Linear(2 * hidden, outputs))

    def forward(self, words: torch.Tensor, lengths: torch.Tensor | None = None) -> torch.Tensor:
        """Logits per word. Padded batches give `lengths`, so that the backward GRU starts at
        each line's last word, as it does at run time, where a line runs on its own."""
        projected = self.project(words)
        if lengths is None:
            states, _ = self.gru(projected)
        else:
            packed = torch.nn.utils.rnn.pack_padded_sequence(
                projected, lengths, batch_first=True, enforce_sorted=False
            )
            output, _ = self.gru(packed)
            states, _ = torch.nn.utils.rnn.pad_packed_sequence(
                output, batch_first=True, total_length=words.shape[1]
            )
        return self.out(states)  # type: ignore[no-any-return]


Batch = tuple[list[tuple[int, npt.NDArray[np.int64]]], torch.Tensor, torch.Tensor, torch.Tensor]


def _batches(
    inputs: Sequence[ArticleInputs], size: int, shuffle: bool, rng: random.Random
) -> Iterator[Batch]:
    """Lines padded into batches: (article and word indices of each line), x, y, mask."""
    lines = [(k, idx) for k, a in enumerate(inputs) for idx in a.lines]
    if shuffle:
        rng.shuffle(lines)
    outputs = inputs[0].targets.shape[1]
    for i in range(0, len(lines), size):
        chunk = lines[i : i + size]
        longest = max(len(idx) for _, idx in chunk)
        x = np.zeros((len(chunk), longest, INPUT_WIDTH), dtype=np.float32)
        y = np.zeros((len(chunk), longest, outputs), dtype=np.float32)
        mask = np.zeros((len(chunk), longest), dtype=np.float32)
        for j, (k, idx) in enumerate(chunk):
            x[j, : len(idx)] = inputs[k].features[idx]
            y[j, : len(idx)] = inputs[k].targets[idx]
            mask[j, : len(idx)] = 1
        yield chunk, torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(mask)


def fit_head(inputs: Sequence[ArticleInputs], epochs: int, seed: int = 0) -> TaggerHead:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    outputs = inputs[0].targets.shape[1]
    head = TaggerHead(outputs)
    optimiser = torch.optim.AdamW(head.parameters(), lr=LEARNING_RATE, weight_decay=1e-2)
    steps = epochs * (-(-sum(len(a.lines) for a in inputs) // BATCH))
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, LEARNING_RATE, total_steps=steps)
    weights = torch.ones(outputs)
    weights[0] = SPAN_WEIGHT
    for _ in range(epochs):
        head.train()
        for _, x, y, mask in _batches(inputs, BATCH, True, rng):
            losses = torch.nn.functional.binary_cross_entropy_with_logits(
                head(x, mask.sum(dim=1).long()), y, reduction="none"
            )
            loss = ((losses * weights).sum(-1) * mask).sum() / mask.sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
    return head.eval()


def span_probabilities(
    head: TaggerHead, inputs: Sequence[ArticleInputs]
) -> list[npt.NDArray[np.float32]]:
    """Per article, per word: P(in a technique span)."""
    out = [np.zeros(len(a.words), dtype=np.float32) for a in inputs]
    with torch.no_grad():
        for chunk, x, _, mask in _batches(inputs, 64, False, random.Random(0)):
            p = torch.sigmoid(head(x, mask.sum(dim=1).long())[..., 0]).numpy()
            for j, (k, idx) in enumerate(chunk):
                out[k][idx] = p[j, : len(idx)]
    return out


def decode(
    articles: Sequence[Article],
    inputs: Sequence[ArticleInputs],
    probabilities: Sequence[npt.NDArray[np.float32]],
    high: float,
    low: float,
) -> dict[str, list[tuple[int, int, int, int]]]:
    """Predicted spans per article: (start, end, first word, last word)."""
    return {
        article.id: [
            (a.words[first].start, a.words[last - 1].end, first, last)
            for first, last in decode_runs(article.text, a.words, p, high, low)
        ]
        for article, a, p in zip(articles, inputs, probabilities, strict=True)
    }


def choose_thresholds(
    articles: Sequence[Article],
    inputs: Sequence[ArticleInputs],
    probabilities: Sequence[npt.NDArray[np.float32]],
) -> tuple[float, float]:
    gold = {a.id: [(s.start, s.end) for s in a.spans] for a in articles}
    best = (-1.0, HIGH[0], LOW[0])
    for high in HIGH:
        for low in (low for low in LOW if low <= high):
            predicted = decode(articles, inputs, probabilities, high, low)
            f1 = si_score({k: [(s, e) for s, e, *_ in v] for k, v in predicted.items()}, gold)[2]
            best = max(best, (f1, high, low))
    return best[1], best[2]


def gold_span_rows(
    articles: Sequence[Article], inputs: Sequence[ArticleInputs]
) -> tuple[npt.NDArray[np.float32], list[str], list[tuple[str, int, int]]]:
    """Span-classifier features of every gold span, its technique and (article, start, end)."""
    rows, labels, keys = [], [], []
    for article, a in zip(articles, inputs, strict=True):
        starts = np.array([w.start for w in a.words])
        ends = np.array([w.end for w in a.words])
        for span in article.spans:
            inside = np.flatnonzero((starts < span.end) & (ends > span.start))
            first, last = (int(inside[0]), int(inside[-1]) + 1) if len(inside) else (0, 1)
            rows.append(span_features(a.tagger, first, last))
            labels.append(span.technique)
            keys.append((article.id, span.start, span.end))
    return np.array(rows, dtype=np.float32), labels, keys


def fit_span_classifier(rows: npt.NDArray[np.float32], labels: Sequence[str]) -> SpanClassifier:
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0) + 1e-6
    model = LogisticRegression(C=SPAN_C, max_iter=3000)
    model.fit((rows - mean) / scale, labels)
    return SpanClassifier(
        tuple(str(c) for c in model.classes_),
        mean.astype(np.float32),
        scale.astype(np.float32),
        model.coef_.astype(np.float32),
        model.intercept_.astype(np.float32),
    )


@dataclass(frozen=True, slots=True)
class Tagger:
    head: TaggerHead
    classifier: SpanClassifier
    high: float
    low: float


def fit_tagger(
    articles: Sequence[Article],
    inputs: Sequence[ArticleInputs],
    epochs: int,
    *,
    refit: bool = True,
    seed: int = 0,
) -> Tagger:
    """Fit the head on most articles and choose thresholds on the rest; with `refit`, fit the
    head again on all of them (the shipped model; cross-validation skips it, halving its cost)."""
    order = list(range(len(articles)))
    random.Random(seed).shuffle(order)
    held = set(order[: max(1, int(len(order) * VALIDATION_SHARE))])
    fit_part = [i for i in order if i not in held]
    head = fit_head([inputs[i] for i in fit_part], epochs, seed)
    held_articles = [articles[i] for i in sorted(held)]
    held_inputs = [inputs[i] for i in sorted(held)]
    high, low = choose_thresholds(held_articles, held_inputs, span_probabilities(head, held_inputs))
    if refit:
        head = fit_head(inputs, epochs, seed)
    rows, labels, _ = gold_span_rows(articles, inputs)
    return Tagger(head, fit_span_classifier(rows, labels), high, low)


def tc_correct(
    classifier: SpanClassifier,
    rows: npt.NDArray[np.float32],
    labels: Sequence[str],
    keys: Sequence[tuple[str, int, int]],
) -> int:
    """Gold spans whose technique the classifier names. A span annotated with several
    techniques gets as many guesses, its likeliest distinct ones (as the SemEval scorer
    lets a system label a repeated span differently)."""
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    correct = 0
    for members in groups.values():
        p = classifier.probabilities(rows[members[0]])
        guesses = Counter(classifier.classes[c] for c in np.argsort(-p)[: len(members)])
        correct += sum((guesses & Counter(labels[i] for i in members)).values())
    return correct


def export(
    tagger: Tagger,
    target: Path,
    techniques: Sequence[str],
    articles: int,
    summary: dict[str, object],
) -> None:
    target.mkdir(parents=True, exist_ok=True)
    example = torch.zeros((1, 7, INPUT_WIDTH), dtype=torch.float32)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "head.onnx"
        torch.onnx.export(
            tagger.head,
            (example,),
            str(path),
            input_names=["words"],
            output_names=["logits"],
            dynamic_axes={"words": {0: "batch", 1: "words"}, "logits": {0: "batch", 1: "words"}},
            opset_version=17,
            dynamo=False,
        )
        (target / "head.onnx").write_bytes(path.read_bytes())
    c = tagger.classifier
    with (target / "span_classifier.npz").open("wb") as handle:
        np.savez_compressed(
            handle,
            classes=np.array(c.classes),
            mean=c.mean,
            scale=c.scale,
            coef=c.coef,
            intercept=c.intercept,
        )
    settings = {
        "high": tagger.high,
        "low": tagger.low,
        "techniques": list(techniques),
        "trained_on": f"PTC (SemEval-2020 Task 11) training set, {articles} articles",
        **summary,
    }
    (target / "settings.json").write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ptc", type=Path, default=PTC, help="the ptc_train folder")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--no-write", action="store_true", help="fit but keep the shipped model")
    args = parser.parse_args()
    articles = load_ptc(args.ptc)
    techniques = techniques_of(articles)
    inputs = article_inputs(articles, techniques)
    tagger = fit_tagger(articles, inputs, args.epochs)
    print(f"fitted on {len(articles)} articles; thresholds high {tagger.high}, low {tagger.low}")
    if not args.no_write:
        export(tagger, TARGET, techniques, len(articles), {"epochs": args.epochs})
        print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
