"""Propaganda-technique spans (the 14 techniques of SemEval-2020 Task 11) found by a small tagger
over MiniLM word states.

Each word gets the states of its word pieces from the shipped MiniLM (last and middle layer,
averaged over the pieces) and a few surface features; a bidirectional GRU over each line (the
head, ONNX) gives the probability that the word lies in a technique span. Runs of likely words
become spans, and a logistic regression over the span's states and surface features names its
technique. Both are trained by `scripts/train_technique_model.py` on the PTC corpus and ship in
`data/techniques/` with the thresholds (`settings.json`).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import numpy as np
import numpy.typing as npt

from corroborate.embeddings import DIMENSIONS, SentenceEncoder, load_encoder
from corroborate.errors import ModelMissingError
from corroborate.model import Report

LOADED_LANGUAGE = "Loaded_Language"
WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
SURFACE_FEATURES = 8
# Columns of the surface features (after the two layers' states) that spans read too.
HEADLINE_COLUMN = 2 * DIMENSIONS + 1
ASKS_COLUMN = 2 * DIMENSIONS + 7
INPUT_WIDTH = 2 * DIMENSIONS + SURFACE_FEATURES

_LOCK = threading.Lock()
_TAGGER: TechniqueTagger | None = None


@dataclass(frozen=True, slots=True)
class Word:
    """A word or punctuation mark: its offsets and text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    """A span the tagger marks as a propaganda technique; offsets into the report text."""

    start: int
    end: int
    text: str
    technique: str
    score: float  # mean probability that the span's words are propaganda

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "technique": self.technique,
            "score": round(self.score, 3),
        }


def find_words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group(0)) for m in WORD.finditer(text)]


@dataclass(frozen=True, slots=True)
class TaggerInputs:
    """A text as the tagger reads it: its words, one row of features per word, the word
    indices of each line (the GRU reads a line at a time), and what span features need."""

    text: str
    words: list[Word]
    features: npt.NDArray[np.float32]
    lines: list[npt.NDArray[np.int64]]
    line_of: npt.NDArray[np.int64]  # per word, its line's index in `lines`
    line_means: npt.NDArray[np.float32]  # per line, the mean last-layer state of its words
    lowered: str
    word_counts: Counter[str]


def word_inputs(text: str, encoder: SentenceEncoder) -> TaggerInputs:
    """The tagger's inputs for a text (see `TaggerInputs`).

    Features: the mean last- and middle-layer MiniLM states of the word's pieces, then how
    often the word recurs in the text (repetition), whether it is in the first line (the
    headline), within quotation marks, capitalised, all capitals, punctuation, an
    exclamation mark, and whether its line ends in a question mark.
    """
    words = find_words(text)
    features = np.zeros((len(words), INPUT_WIDTH), dtype=np.float32)
    lines: list[npt.NDArray[np.int64]] = []
    starts = np.array([w.start for w in words], dtype=np.int64)
    for line in re.finditer(r"[^\n]+", text):
        first, last = np.searchsorted(starts, [line.start(), line.end()])
        if last > first:
            _fill_states(
                line.group(0), line.start(), words[first:last], features[first:last], encoder
            )
            lines.append(np.arange(first, last))
    counts = Counter(w.text.lower() for w in words)
    _fill_surface(text, words, lines, counts, features[:, 2 * DIMENSIONS :])
    line_of = np.zeros(len(words), dtype=np.int64)
    line_means = np.zeros((len(lines), DIMENSIONS), dtype=np.float32)
    for n, indices in enumerate(lines):
        line_of[indices] = n
        line_means[n] = features[indices, :DIMENSIONS].mean(axis=0)
    return TaggerInputs(text, words, features, lines, line_of, line_means, text.lower(), counts)


def _fill_states(
    line: str,
    offset: int,
    words: Sequence[Word],
    out: npt.NDArray[np.float32],
    encoder: SentenceEncoder,
) -> None:
    states = encoder.word_piece_states(line)
    starts, ends = states.offsets[:, 0] + offset, states.offsets[:, 1] + offset
    for i, word in enumerate(words):
        # Pieces are in text order: those overlapping the word are one run.
        first = int(np.searchsorted(ends, word.start, side="right"))
        last = int(np.searchsorted(starts, word.end, side="left"))
        if last > first:
            out[i, :DIMENSIONS] = states.last[first:last].mean(axis=0)
            out[i, DIMENSIONS : 2 * DIMENSIONS] = states.middle[first:last].mean(axis=0)


def _fill_surface(
    text: str,
    words: Sequence[Word],
    lines: Sequence[npt.NDArray[np.int64]],
    counts: Counter[str],
    out: npt.NDArray[np.float32],
) -> None:
    first_line_end = _first_line_end(text)
    quoted = False
    for indices in lines:
        line = text[words[int(indices[0])].start : words[int(indices[-1])].end]
        asks = line.rstrip("\"'”’) ").endswith("?")
        for i in indices:
            w = words[i].text
            if w in '"“”':
                quoted = (not quoted) if w == '"' else w == "“"
            out[i] = (
                math.log1p(counts[w.lower()]) / 3,
                words[i].start < first_line_end,
                quoted,
                w[:1].isupper(),
                w.isupper() and len(w) > 1,
                not w[0].isalnum(),
                w == "!",
                asks,
            )


def _first_line_end(text: str) -> int:
    match = re.search(r"\S[^\n]*", text)
    return match.end() if match else 0


class TechniqueTagger:
    """The trained head, span classifier and thresholds; share one per process (`load_tagger`)."""

    def __init__(self, model_dir: Traversable) -> None:
        import onnxruntime

        model = model_dir / "head.onnx"
        settings = model_dir / "settings.json"
        classifier = model_dir / "span_classifier.npz"
        if not all(f.is_file() for f in (model, settings, classifier)):
            raise ModelMissingError(
                f"the technique tagger is missing from {model_dir}: "
                "reinstall corroborate or run scripts/train_technique_model.py"
            )
        meta = json.loads(settings.read_text(encoding="utf-8"))
        self.high: float = meta["high"]
        self.low: float = meta["low"]
        with classifier.open("rb") as handle, np.load(handle) as arrays:
            self.classifier = SpanClassifier(
                tuple(str(c) for c in arrays["classes"]),
                arrays["mean"],
                arrays["scale"],
                arrays["coef"],
                arrays["intercept"],
            )
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            model.read_bytes(), options, providers=["CPUExecutionProvider"]
        )

    @cached_property
    def encoder(self) -> SentenceEncoder:
        return load_encoder()

    def word_probabilities(
        self, features: npt.NDArray[np.float32], lines: Sequence[npt.NDArray[np.int64]]
    ) -> npt.NDArray[np.float32]:
        """Per word, the probability that it lies in a technique span."""
        out = np.zeros(len(features), dtype=np.float32)
        for indices in lines:
            (logits,) = self._session.run(None, {"words": features[indices][None]})
            out[indices] = 1 / (1 + np.exp(-logits[0, :, 0]))
        return out

    def tag(self, text: str) -> tuple[TechniqueSpan, ...]:
        """Technique spans of a text (blank out what should not be read; offsets stay)."""
        # A lone carriage return ends a line too; one character for one keeps the offsets.
        inputs = word_inputs(text.replace("\r", "\n"), self.encoder)
        words = inputs.words
        if not words:
            return ()
        probabilities = self.word_probabilities(inputs.features, inputs.lines)
        spans = []
        for first, last in decode_runs(inputs.text, words, probabilities, self.high, self.low):
            start, end = words[first].start, words[last - 1].end
            vector = span_features(inputs, first, last)
            technique, _ = self.classifier.classify(vector)
            score = float(probabilities[first:last].mean())
            spans.append(TechniqueSpan(start, end, text[start:end], technique, score))
        return tuple(spans)


@dataclass(frozen=True, slots=True)
class SpanClassifier:
    """Multinomial logistic regression naming a span's technique (standardised features)."""

    classes: tuple[str, ...]
    mean: npt.NDArray[np.float32]
    scale: npt.NDArray[np.float32]
    coef: npt.NDArray[np.float32]  # (classes, features)
    intercept: npt.NDArray[np.float32]

    def probabilities(self, vector: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        logits = self.coef @ ((vector - self.mean) / self.scale) + self.intercept
        exp = np.exp(logits - logits.max())
        return np.asarray(exp / exp.sum(), dtype=np.float64)

    def classify(self, vector: npt.NDArray[np.float32]) -> tuple[str, float]:
        p = self.probabilities(vector)
        best = int(np.argmax(p))
        return self.classes[best], float(p[best])


def decode_runs(
    text: str,
    words: Sequence[Word],
    probabilities: npt.NDArray[np.float32],
    high: float,
    low: float,
) -> Iterator[tuple[int, int]]:
    """Word ranges [first, last) of spans: a word at or over `high` starts one, which grows
    over neighbours at or over `low` within its line; punctuation at the edges is trimmed,
    as the PTC annotations are."""
    i = 0
    while i < len(words):
        if probabilities[i] < high:
            i += 1
            continue
        first, last = i, i + 1
        while first > 0 and probabilities[first - 1] >= low and _same_line(text, words, first - 1):
            first -= 1
        while (
            last < len(words) and probabilities[last] >= low and _same_line(text, words, last - 1)
        ):
            last += 1
        i = last
        while last - 1 > first and not words[last - 1].text[0].isalnum():
            last -= 1
        while first < last - 1 and not words[first].text[0].isalnum():
            first += 1
        if words[first].text[0].isalnum():
            yield first, last


def _same_line(text: str, words: Sequence[Word], i: int) -> bool:
    """Whether word i and word i + 1 stand on one line."""
    return "\n" not in text[words[i].end : words[i + 1].start]


def span_features(inputs: TaggerInputs, first: int, last: int) -> npt.NDArray[np.float32]:
    """What the span classifier reads of words [first, last): the mean and max of their last-
    layer states, the mean of their middle-layer states, the mean state of their line, and
    length, repeats of the phrase and of its words in the text, headline, share of its line,
    exclamation, question, capitals and quotes."""
    words, text = inputs.words, inputs.text
    start, end = words[first].start, words[last - 1].end
    line = inputs.lines[int(inputs.line_of[first])]
    line_start, line_end = words[int(line[0])].start, words[int(line[-1])].end
    span = inputs.features[first:last]
    # The headline and question marks hold for the span as for its first word and its line.
    in_headline, asks = span[0, HEADLINE_COLUMN], span[0, ASKS_COLUMN]
    phrase = text[start:end]
    long_words = [w.text.lower() for w in words[first:last] if len(w.text) > 3]
    repeats = sum(inputs.word_counts[w] for w in long_words) / (last - first)
    surface = np.array(
        [
            math.log1p(last - first),
            math.log1p(inputs.lowered.count(phrase.lower())),
            in_headline,
            (end - start) / max(1, line_end - line_start),
            "!" in phrase,
            asks,
            phrase.isupper(),
            '"' in phrase or "“" in phrase,
            math.log1p(repeats),
        ],
        dtype=np.float32,
    )
    return np.concatenate(
        [
            span[:, :DIMENSIONS].mean(axis=0),
            span[:, DIMENSIONS : 2 * DIMENSIONS].mean(axis=0),
            span[:, :DIMENSIONS].max(axis=0),
            inputs.line_means[int(inputs.line_of[first])],
            surface,
        ]
    )


def load_tagger() -> TechniqueTagger:
    """The shared tagger, loaded on first use.

    Raises:
        ModelMissingError: the model files are not in the installed package.
    """
    global _TAGGER
    with _LOCK:
        if _TAGGER is None:
            _TAGGER = TechniqueTagger(resources.files("corroborate") / "data" / "techniques")
        return _TAGGER


def find_techniques(report: Report) -> tuple[TechniqueSpan, ...]:
    """Technique spans of a report's kept text (removed boilerplate is not read)."""
    return load_tagger().tag(report.kept_text())
