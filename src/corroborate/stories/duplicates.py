"""Exact and near-duplicate reports: content keys and MinHash signatures with LSH bands.

Syndicated wire copies and re-publications differ by a byline or a boilerplate line; word
shingles and MinHash find them without comparing every pair, and the bands make the lookup
an index query in the store.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

SHINGLE_WORDS = 3
BANDS = 20
ROWS_PER_BAND = 6
PERMUTATIONS = BANDS * ROWS_PER_BAND
# Estimated Jaccard similarity of shingle sets at or above which two texts are one report.
NEAR_DUPLICATE = 0.7
# A 3-word shingle set of a text shorter than this says too little to call it a copy.
MIN_SHINGLES = 8

_WORD = re.compile(r"\w+")
_SEED = 1


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What identifies a report's text: an exact key, a MinHash signature, and its LSH bands:
    (band, key) pairs, two texts sharing any pair being candidate near-duplicates."""

    content_key: str
    signature: npt.NDArray[np.uint64] | None  # None: too short to compare by shingles
    band_keys: tuple[tuple[int, int], ...] = ()


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of a report's (cleaned) text."""
    words = _WORD.findall(text.lower())
    content_key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()
    shingles = {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8")
        for i in range(max(0, len(words) - SHINGLE_WORDS + 1))
    }
    if len(shingles) < MIN_SHINGLES:
        return Fingerprint(content_key, None)
    minhash = MinHash(num_perm=PERMUTATIONS, seed=_SEED)
    minhash.update_batch(list(shingles))
    signature = np.asarray(minhash.hashvalues, dtype=np.uint64)
    return Fingerprint(content_key, signature, _band_keys(signature))


def _band_keys(signature: npt.NDArray[np.uint64]) -> tuple[tuple[int, int], ...]:
    keys = []
    for band in range(BANDS):
        rows = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(rows.tobytes(), digest_size=8).digest()
        # Signed, so that the key fits SQL BIGINT everywhere.
        keys.append((band, int.from_bytes(digest, "big", signed=True)))
    return tuple(keys)


def signature_bytes(signature: npt.NDArray[np.uint64]) -> bytes:
    return signature.astype("<u8").tobytes()


def signature_from_bytes(data: bytes) -> npt.NDArray[np.uint64]:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


def estimated_jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    return float(np.mean(a == b))
