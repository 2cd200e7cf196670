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
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+")
# Word pieces per passage fed to MiniLM; longer lines are cut at sentence ends first.
MAX_PIECES = 250
SURFACE_FEATURES = 8
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


def word_inputs(
    text: str, encoder: SentenceEncoder
) -> tuple[list[Word], npt.NDArray[np.float32], list[npt.NDArray[np.int64]]]:
    """The tagger's inputs for a text: its words, one row of features per word, and the word
    indices of each line (the GRU reads a line at a time).

    Features: the mean last- and middle-layer MiniLM states of the word's pieces, then how
    often the word recurs in the text (repetition), whether it is in the first line (the
    headline), within quotation marks, capitalised, all capitals, punctuation, an
    exclamation mark, and whether its line ends in a question mark.
    """
    words = find_words(text)
    features = np.zeros((len(words), INPUT_WIDTH), dtype=np.float32)
    lines: list[npt.NDArray[np.int64]] = []
    first = 0
    for start, end in _passages(text):
        last = first
        while last < len(words) and words[last].start < end:
            last += 1
        if last > first:
            _fill_states(text[start:end], start, words[first:last], features[first:last], encoder)
            lines.append(np.arange(first, last))
        first = last
    _fill_surface(text, words, features[:, 2 * DIMENSIONS :])
    return words, features, _join_lines(text, words, lines)


def _passages(text: str) -> Iterator[tuple[int, int]]:
    """Lines of the text, long ones cut at sentence ends so MiniLM sees them whole."""
    for line in re.finditer(r"[^\n]+", text):
        if not line.group(0).strip():
            continue
        start = line.start()
        if len(line.group(0)) <= MAX_PIECES * 3:  # no cut needed below ~250 pieces
            yield start, line.end()
            continue
        cut = start
        for end in SENTENCE_END.finditer(line.group(0)):
            if line.start() + end.start() - cut > MAX_PIECES * 3:
                yield cut, line.start() + end.start()
                cut = line.start() + end.end()
        yield cut, line.end()


def _join_lines(
    text: str, words: list[Word], passages: list[npt.NDArray[np.int64]]
) -> list[npt.NDArray[np.int64]]:
    """Passages of one line joined again: the GRU reads whole lines."""
    joined: list[npt.NDArray[np.int64]] = []
    for indices in passages:
        if joined:
            previous = words[int(joined[-1][-1])]
            between = text[previous.end : words[int(indices[0])].start]
            if "\n" not in between:
                joined[-1] = np.concatenate([joined[-1], indices])
                continue
        joined.append(indices)
    return joined


def _fill_states(
    passage: str,
    offset: int,
    words: Sequence[Word],
    out: npt.NDArray[np.float32],
    encoder: SentenceEncoder,
) -> None:
    states = encoder.word_piece_states(passage)
    starts, ends = states.offsets[:, 0] + offset, states.offsets[:, 1] + offset
    for i, word in enumerate(words):
        pieces = (starts < word.end) & (ends > word.start)
        if pieces.any():
            out[i, :DIMENSIONS] = states.last[pieces].mean(axis=0)
            out[i, DIMENSIONS : 2 * DIMENSIONS] = states.middle[pieces].mean(axis=0)


def _fill_surface(text: str, words: Sequence[Word], out: npt.NDArray[np.float32]) -> None:
    counts = Counter(w.text.lower() for w in words)
    first_line_end = _first_line_end(text)
    quoted = False
    for i, word in enumerate(words):
        w = word.text
        if w in '"“”':
            quoted = (not quoted) if w == '"' else w == "“"
        line_end = text.find("\n", word.end)
        line = text[word.end : len(text) if line_end < 0 else line_end].rstrip()
        out[i] = (
            math.log1p(counts[w.lower()]) / 3,
            word.start < first_line_end,
            quoted,
            w[:1].isupper(),
            w.isupper() and len(w) > 1,
            not w[0].isalnum(),
            w == "!",
            line.endswith("?"),
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
        words, features, lines = word_inputs(text, self.encoder)
        if not words:
            return ()
        probabilities = self.word_probabilities(features, lines)
        spans = []
        for first, last in decode_runs(text, words, probabilities, self.high, self.low):
            start, end = words[first].start, words[last - 1].end
            vector = span_features(text, words, features, first, last)
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


def span_features(
    text: str,
    words: Sequence[Word],
    features: npt.NDArray[np.float32],
    first: int,
    last: int,
) -> npt.NDArray[np.float32]:
    """What the span classifier reads of words [first, last): the mean and max of their last-
    layer states, the mean of their middle-layer states, the mean state of their line, and
    length, repetition in the text, headline, exclamation, question, capitals and quotes."""
    start, end = words[first].start, words[last - 1].end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    in_line = [i for i, w in enumerate(words) if line_start <= w.start and w.end <= line_end]
    span = features[first:last]
    lowered = text.lower()
    phrase = text[start:end]
    long_words = [w.text.lower() for w in words[first:last] if len(w.text) > 3]
    repeats = sum(lowered.count(w) for w in long_words) / max(1, last - first)
    surface = np.array(
        [
            math.log1p(last - first),
            math.log1p(lowered.count(phrase.lower())),
            line_start == _first_line_start(text),
            (end - start) / max(1, line_end - line_start),
            "!" in phrase,
            "?" in text[line_start:line_end],
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
            features[in_line, :DIMENSIONS].mean(axis=0),
            surface,
        ]
    )


def _first_line_start(text: str) -> int:
    match = re.search(r"\S", text)
    return match.start() if match else 0


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
