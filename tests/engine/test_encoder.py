"""The sentence encoder (all-MiniLM-L6-v2 in numpy) and where triage asks it."""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path

import numpy as np
import pytest

from chatbot import Bot
from chatbot.engine import encoder
from chatbot.engine.triage import parse
from chatbot.engine.triage import triage as triage_module

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "encoder_reference.json"
SHIPPED = Path(__file__).resolve().parent.parent.parent / "faq" / "breast_cancer_metastasis.yaml"


def read_yaml_file(path: Path) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def shipped() -> encoder.SentenceEncoder:
    model = encoder.shipped()
    assert model is not None, "the encoder's files are package data and must be installed"
    return model


def test_vectors_match_the_model_run_by_sentence_transformers(shipped: encoder.SentenceEncoder):
    """Reference vectors made by sentence-transformers with torch; int8 weights keep the cosine above 0.99."""
    reference = json.loads(REFERENCE.read_text())["sentences"]
    vectors = [shipped.encode(item["text"]) for item in reference]
    for item, vector in zip(reference, vectors, strict=True):
        assert abs(float(np.linalg.norm(vector)) - 1) < 1e-4
        assert float(vector @ np.asarray(item["vector"])) > 0.99, item["text"]
    # ... and the sentences stay apart: a wrong forward pass tends to make every vector alike.
    assert float(vectors[0] @ vectors[2]) < 0.5


def test_a_long_message_is_cut_to_what_the_model_reads(shipped: encoder.SentenceEncoder):
    vector = shipped.encode("help " * 2000)
    assert vector.shape == (384,) and np.isfinite(vector).all()


def test_indirect_self_harm_gets_the_crisis_text_through_the_encoder(default_bot: Bot):
    """Words of every day, no word of any sign: the n-gram models leave them below their levels."""
    text = "i'm at the top of the car park, i'm not coming down"
    finding = default_bot.triage.assess(text)
    assert finding is not None and finding.outcome == "crisis"
    assert finding.evidence.startswith("sentence encoder")
    reply = default_bot.ask(text)
    assert (reply.kind, reply.triage) == ("urgent", "crisis")


def test_the_encoder_is_asked_only_past_the_gate(default_bot: Bot, monkeypatch: pytest.MonkeyPatch):
    """It costs milliseconds: ordinary questions never reach it; a doubtful message does."""
    asked: list[str] = []
    model = encoder.shipped_model("crisis_head.json")
    assert model is not None

    class Counting:
        def probability(self, text: str) -> float:
            asked.append(text)
            return model.probability(text)

    monkeypatch.setattr(encoder, "shipped_model", lambda name: Counting())
    for question in ("where does breast cancer spread", "how is liver metastasis treated",
                     "what's the weather like tomorrow", "thanks, that helps"):
        default_bot.triage.assess(question)
    assert asked == []
    default_bot.triage.assess("I'm on the motorway bridge outside the hospital. sorry for wasting your time")
    assert len(asked) == 1


def test_what_the_encoder_raises_is_still_stood_down_by_the_past(default_bot: Bot):
    """The encoder adds a reading, not a rule: a story long over stays a story."""
    assert default_bot.triage.assess(
        "Years ago I stood on a motorway bridge after my divorce. Counselling helped and I'm glad I'm still here. "
        "Is counselling offered alongside treatment for secondary breast cancer?") is None


def test_the_encoder_costs_tens_of_milliseconds_not_seconds(shipped: encoder.SentenceEncoder):
    text = "I'm on the motorway bridge outside the hospital. sorry for wasting your time with all my questions"
    shipped.encode(text)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        shipped.encode(text)
        timings.append(time.perf_counter() - start)
    assert sorted(timings)[2] < 0.25
    assert triage_module.ENCODER_GATE < triage_module.LEARNED_CRISIS <= triage_module.ENCODER_CRISIS


def test_a_damaged_weights_file_leaves_triage_to_the_n_gram_models(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    (tmp_path / "encoder.safetensors").write_bytes(b"not a safetensors file")
    (tmp_path / "encoder_tokenizer.json").write_text("{}")
    monkeypatch.setattr(encoder, "DATA", tmp_path)
    encoder.shipped.cache_clear()
    try:
        assert encoder.shipped() is None
    finally:
        encoder.shipped.cache_clear()


def test_without_its_files_triage_goes_on_without_the_encoder(default_bot: Bot, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path):
    """A package stripped of the encoder's 23 MB still triages: the n-gram models alone decide."""
    monkeypatch.setattr(encoder, "DATA", tmp_path)
    encoder.shipped.cache_clear()
    encoder.shipped_model.cache_clear()
    try:
        assert encoder.shipped() is None and encoder.shipped_model("crisis_head.json") is None
        assert default_bot.triage.assess("i'm at the top of the car park, i'm not coming down") is None
        assert default_bot.ask("I want to kill myself").kind == "urgent"
    finally:
        encoder.shipped.cache_clear()
        encoder.shipped_model.cache_clear()


def test_a_base_can_keep_the_encoder_out_of_its_triage():
    raw = read_yaml_file(SHIPPED)["triage"]
    config, problems = parse({**raw, "encoder": False})
    assert problems == [] and config.encoder is False
    from chatbot.engine.triage import Triage

    triage = Triage(config)
    assert triage.assess("i'm at the top of the car park, i'm not coming down") is None
    assert parse({**raw, "encoder": "no"})[1] == ["triage.encoder must be true or false"]


def _safetensors(arrays: dict[str, np.ndarray]) -> bytes:
    """A safetensors file written by hand from its published layout: an 8-byte little-endian header length,
    the JSON header (dtype, shape and byte range of each array), then the arrays' bytes."""
    header, offset, data = {"__metadata__": {"format": "np"}}, 0, b""
    for name, array in arrays.items():
        raw = np.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": {"float32": "F32", "int8": "I8"}[str(array.dtype)], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        offset, data = offset + len(raw), data + raw
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + data


def test_weights_are_read_from_the_safetensors_layout(tmp_path: Path):
    arrays = {"a:int8": np.arange(-6, 6, dtype=np.int8).reshape(3, 4), "a:scale": np.array([0.5, 1, 2], np.float32),
              "bias": np.linspace(-1, 1, 5, dtype=np.float32)}
    path = tmp_path / "w.safetensors"
    path.write_bytes(_safetensors(arrays))
    read = encoder.read_safetensors(path)
    assert sorted(read) == sorted(arrays)
    for name, array in arrays.items():
        assert read[name].dtype == array.dtype and read[name].shape == array.shape
        assert np.array_equal(read[name], array)


@pytest.mark.parametrize("content", [b"", b"\x05\x00\x00\x00\x00\x00\x00\x00{}", b"\x02\x00\x00\x00\x00\x00\x00\x00[]",
                                     b"\x0e\x00\x00\x00\x00\x00\x00\x00{\"a\": {\"x\": 1}}", b"not a safetensors file"])
def test_a_damaged_safetensors_file_is_a_value_error(tmp_path: Path, content: bytes):
    path = tmp_path / "w.safetensors"
    path.write_bytes(content)
    with pytest.raises(ValueError):
        encoder.read_safetensors(path)


def test_messages_encoded_from_several_threads_get_their_own_vectors(shipped: encoder.SentenceEncoder):
    """A server encodes in several threads at once: each message gets the vector it gets alone."""
    from concurrent.futures import ThreadPoolExecutor

    texts = ["i'm at the top of the car park", "what are the symptoms of liver mets", "can i bring a friend",
             "my dad has bone pain at night", "the rope is in the garage", "is chemo used for lung mets"] * 3
    alone = [shipped.encode(t) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(shipped.encode, texts))
    for a, b in zip(alone, together, strict=True):
        assert float(a @ b) > 0.9999


class _Fixed:
    """An encoder that reads every message as the same vector."""

    def __init__(self, vector: np.ndarray):
        self.vector = vector

    def encode(self, text: str) -> np.ndarray:
        return self.vector


def test_a_model_with_a_hidden_layer_reads_through_rectified_units():
    vector = np.array([1.0, -2.0, 0.5], dtype=np.float32)
    hidden_weights = [[1.0, -1.0], [0.5, 1.0], [2.0, 0.0]]  # vector size x units
    plain = encoder.EncodedModel(_Fixed(vector), [0.2, -0.1, 0.4], -0.3)  # type: ignore[arg-type]
    assert plain.probability("x") == pytest.approx(1 / (1 + np.exp(-(0.2 + 0.2 + 0.2 - 0.3))))
    layered = encoder.EncodedModel(_Fixed(vector), [1.5, -2.0], 0.25, (hidden_weights, [0.0, 1.0]))  # type: ignore[arg-type]
    # units: 1 - 1 + 1 = 1 and max(0, -1 - 2 + 0 + 1) = 0, so z = 1.5 * 1 - 2 * 0 + 0.25
    assert layered.probability("x") == pytest.approx(1 / (1 + np.exp(-1.75)))
