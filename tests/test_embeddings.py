"""The shipped int8 ONNX MiniLM embeds sentences like the reference sentence-transformers model."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from corroborate.embeddings import DIMENSIONS, load_encoder

REFERENCE = Path(__file__).parent / "fixtures" / "minilm_reference.json"
# Tolerance: int8 weights move each embedding a little. Every sentence must keep a cosine of
# at least 0.98 to the fp32 reference (measured: min 0.988, mean 0.992), which keeps the
# ranking of similar vs unrelated sentences (see test_similar_sentences_rank_first).
MIN_COSINE = 0.98
MEAN_COSINE = 0.99


@pytest.fixture(scope="module")
def reference() -> dict[str, object]:
    data: dict[str, object] = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return data


def test_embeddings_match_reference_model_within_tolerance(reference: dict) -> None:
    expected = np.array(reference["embeddings"], dtype=np.float32)
    got = load_encoder().encode(reference["sentences"])
    assert got.shape == (len(reference["sentences"]), DIMENSIONS)
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= MIN_COSINE, dict(zip(reference["sentences"], cosines, strict=True))
    assert cosines.mean() >= MEAN_COSINE


def test_a_sentences_vector_does_not_depend_on_the_others() -> None:
    # Equal lengths in word pieces, as well as different ones.
    sentences = [
        "Short.",
        "A longer sentence about a strike on a market in Aleppo.",
        "A longer sentence about a raid on a school in Idlib.",
        "Mid one.",
    ]
    together = load_encoder().encode(sentences)
    alone = np.vstack([load_encoder().encode([s]) for s in sentences])
    np.testing.assert_allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_similar_sentences_rank_first() -> None:
    killed, died, unrelated = load_encoder().encode(
        [
            "Sixteen people were killed in an air strike on a market.",
            "An airstrike on the market left 16 dead.",
            "The central bank raised interest rates by half a point.",
        ]
    )
    assert float(killed @ died) > float(killed @ unrelated) + 0.3


def test_empty_input_gives_no_rows() -> None:
    assert load_encoder().encode([]).shape == (0, DIMENSIONS)
