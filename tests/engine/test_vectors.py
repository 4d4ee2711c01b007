"""Word vectors distilled from all-MiniLM-L6-v2 (``engine/vectors.py``) and the classifier that reads them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from chatbot import KnowledgeBaseError, load
from chatbot.engine.classifier import EntryClassifier
from chatbot.engine.vectors import dimensions, embed, embed_all


def cosine(a: str, b: str) -> float:
    x, y = embed(a), embed(b)
    assert x is not None and y is not None
    return sum(p * q for p, q in zip(x, y, strict=True))


def test_a_message_vector_is_unit_length_and_none_without_known_words():
    vector = embed("how is bone metastasis treated")
    assert vector is not None and len(vector) == dimensions()
    assert math.isclose(sum(v * v for v in vector), 1.0, rel_tol=1e-6)
    assert embed("xqzv blorptang") is None
    assert embed("") is None


@pytest.mark.parametrize(("text", "near", "far"), [
    ("what checks should women be having so it gets picked up early", "why is early detection important",
     "how is lung metastasis treated"),
    ("cancer cells floating round in the blood", "how do cells travel through the bloodstream", "can I keep working"),
    ("my car needs fixing", "automobile repair shop", "recipes for dinner"),
    ("book a flight to rome", "travel by plane", "reset my password"),
])
def test_like_meanings_lie_closer_than_unlike_ones(text, near, far):
    assert cosine(text, near) > cosine(text, far) + 0.1


TOPICS = {
    "cars": ["automobile repair", "fix my car", "my car broke down"],
    "food": ["dinner recipes", "cook a meal", "what should I make for supper"],
}


def _classifier(vectors: bool) -> EntryClassifier:
    texts = [t for ts in TOPICS.values() for t in ts]
    labels = [i for i, ts in enumerate(TOPICS.values()) for _ in ts]
    # A background of other subjects only: the shipped one also speaks of cars and cooking.
    background = ["hello there", "what time is it", "tell me a joke", "reset my password", "is it going to rain"]
    return EntryClassifier(texts, labels, len(TOPICS), background, vectors=vectors)


@pytest.mark.parametrize(("text", "entry"), [("vehicle mechanic", 0), ("garage service for my truck", 0),
                                              ("food ideas for tonight", 1), ("lasagna", 1)])
def test_vectors_let_the_classifier_recognise_words_no_phrasing_uses(text, entry):
    with_vectors = _classifier(True).probabilities(text)
    without = _classifier(False).probabilities(text)
    assert max(range(3), key=with_vectors.__getitem__) == entry
    assert with_vectors[entry] > 0.6
    assert without[entry] < 0.5  # the n-grams alone cannot tell


def test_a_base_can_turn_word_vectors_off_and_the_shipped_one_does(tmp_path: Path):
    entry = "entries:\n  - {id: a, question: Q?, answer: A., source: S}\n"
    assert load([_write(tmp_path, entry)]).word_vectors is True
    assert load([_write(tmp_path, "word_vectors: false\n" + entry)]).word_vectors is False
    with pytest.raises(KnowledgeBaseError, match="'word_vectors' must be true or false"):
        load([_write(tmp_path, "word_vectors: sometimes\n" + entry)])
    assert load(None).word_vectors is False


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kb.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_build_time_table_of_vectors_agrees_with_the_run_time_one():
    # embed_all (numpy, training) and embed (plain Python, every message) are two forms of one reading.
    texts = ["how is bone metastasis treated", "xqzv blorptang", "", "can I travel while on chemo?"]
    table = embed_all(texts)
    for text, row in zip(texts, table, strict=True):
        vector = embed(text) or (0.0,) * dimensions()
        assert max(abs(a - b) for a, b in zip(vector, row, strict=True)) < 1e-6


@pytest.mark.parametrize("vectors", [True, False])
def test_probabilities_of_many_messages_at_once_are_each_ones_own(vectors):
    # Calibration ranks thousands of held-out phrasings in one matrix product: it must read what one
    # message at a time reads, unknown words, no words and all.
    classifier = _classifier(vectors)
    texts = ["vehicle mechanic", "lasagna", "xqzv blorptang", "", "fix my car for dinner"]
    for one, many in zip((classifier.probabilities(t) for t in texts), classifier.probabilities_many(texts),
                         strict=True):
        assert many == pytest.approx(one, abs=1e-9)
    assert not _classifier(False)._dense  # no word-vector weights to read without vectors
