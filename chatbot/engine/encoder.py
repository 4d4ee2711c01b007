"""What a whole sentence means: all-MiniLM-L6-v2, a sentence-embedding model, run in numpy.

Hashed n-grams and word-vector means read words; some messages say what they mean with none of the
telling ones ("I'm on the motorway bridge outside the hospital. sorry for wasting your time"). A
transformer reads the sentence. The weights ship as ``data/encoder.safetensors`` (int8 with a scale per
row, made by ``tools/export_encoder.py``; Apache-2.0, see ``data/NOTICE``) and the tokenizer as
``data/encoder_tokenizer.json`` for the ``tokenizers`` library: no deep-learning runtime. It costs
about 0.1 s to load and 10-20 ms a message, so the engine loads it on first need and asks
it only where the cheap models leave a doubt (``triage.py``).
"""

from __future__ import annotations

import json
import math
import struct
import threading
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from .paths import DATA

if TYPE_CHECKING:
    from pathlib import Path

    import numpy as np

LAYERS = 6
HEADS = 12
_EPSILON = 1e-12
_GELU = math.sqrt(2 / math.pi)


class SentenceEncoder:
    """Unit-length sentence vectors of 384 dimensions, as sentence-transformers gives them (mean pooling)."""

    def __init__(self, weights: Mapping[str, np.ndarray], tokenizer: Any):
        import numpy as np

        # Matrices are used as stored (``x @ w.T`` reads a transposed view; copying them cost 0.1 s of loading),
        # and the word embeddings stay int8: only a message's own rows are scaled.
        w = {name: value for name, value in weights.items() if not name.endswith((":int8", ":scale"))}
        words = "embeddings.word_embeddings.weight"
        for name in weights:
            if name.endswith(":int8") and not name.startswith(words):
                base = name.removesuffix(":int8")
                w[base] = weights[name].astype(np.float32)
                w[base] *= weights[base + ":scale"][:, None]
        self._layers = []
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."
            a = p + "attention.self."
            self._layers.append((
                np.concatenate([w[a + n + ".weight"] for n in ("query", "key", "value")]).T,
                np.concatenate([w[a + n + ".bias"] for n in ("query", "key", "value")]),
                w[p + "attention.output.dense.weight"].T, w[p + "attention.output.dense.bias"],
                w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                w[p + "intermediate.dense.weight"].T, w[p + "intermediate.dense.bias"],
                w[p + "output.dense.weight"].T, w[p + "output.dense.bias"],
                w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"],
            ))
        self._words, self._word_scales = weights[words + ":int8"], weights[words + ":scale"]
        self._positions = w["embeddings.position_embeddings.weight"]
        self._segment = w["embeddings.token_type_embeddings.weight"][0]
        self._norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._tokenizer = tokenizer
        # One message at a time: its products are small (a message's tokens by 384 or 1,536) and already spread over
        # BLAS's threads, and encodings at once in a server's threads oversubscribed the cores (two threads took
        # 69-708 ms a message each; in turn, 31-41 ms).
        self._lock = threading.Lock()

    @classmethod
    def load(cls) -> SentenceEncoder | None:
        """The shipped encoder, or None when its files are not installed."""
        weights, tokenizer = DATA / "encoder.safetensors", DATA / "encoder_tokenizer.json"
        if not (weights.exists() and tokenizer.exists()):
            return None
        from tokenizers import Tokenizer

        return cls(read_safetensors(weights), Tokenizer.from_file(str(tokenizer)))

    def encode(self, text: str) -> np.ndarray:
        with self._lock:
            return self._encode(text)

    def _encode(self, text: str) -> np.ndarray:
        import numpy as np

        ids = self._tokenizer.encode(text).ids[:len(self._positions)]
        n = len(ids)
        embedded = self._words[ids].astype(np.float32) * self._word_scales[ids][:, None]
        x = _layer_norm(embedded + self._positions[:n] + self._segment, *self._norm)
        size = x.shape[1] // HEADS
        for qkv_w, qkv_b, out_w, out_b, n1_w, n1_b, up_w, up_b, down_w, down_b, n2_w, n2_b in self._layers:
            q, k, v = (part.reshape(n, HEADS, size).transpose(1, 0, 2)
                       for part in np.split(x @ qkv_w + qkv_b, 3, axis=1))
            scores = q @ k.transpose(0, 2, 1) * (1 / math.sqrt(size))
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended = (scores @ v).transpose(1, 0, 2).reshape(n, -1)
            x = _layer_norm(x + attended @ out_w + out_b, n1_w, n1_b)
            h = x @ up_w + up_b
            # GELU in its tanh form (numpy has no erf): with the int8 weights, cosine 0.9996 to the model's vectors.
            # The cube is two products: numpy's ``h ** 3`` calls pow() on each value, 1.5 ms a layer where this is 0.01.
            h = 0.5 * h * (1.0 + np.tanh(_GELU * (h + 0.044715 * (h * h * h))))
            x = _layer_norm(x + h @ down_w + down_b, n2_w, n2_b)
        pooled = x.mean(axis=0)
        result: np.ndarray = pooled / np.linalg.norm(pooled)
        return result


#: The safetensors dtypes the shipped weights use.
_DTYPES = {"F32": "float32", "I8": "int8"}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a safetensors file (an 8-byte header length, a JSON header, then the raw arrays), as
    read-only views of the file mapped into memory: no copy and no library. Reading the 23 MB through
    ``np.load`` of an ``.npz`` took 0.1 s, a third of a cold ``chatbot ask``; mapped, it takes 2 ms, and of
    the int8 word embeddings only a message's own rows are ever read from disk."""
    import numpy as np

    with path.open("rb") as f:
        prefix = f.read(8)
        if len(prefix) < 8:
            raise ValueError(f"{path.name}: not a safetensors file")
        (size,) = struct.unpack("<Q", prefix)
        if size > path.stat().st_size - 8:
            raise ValueError(f"{path.name}: not a safetensors file (its header would be {size:,} bytes)")
        header = json.loads(f.read(size))
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    try:
        return {name: raw[spec["data_offsets"][0]:spec["data_offsets"][1]].view(_DTYPES[spec["dtype"]])
                .reshape(spec["shape"]) for name, spec in header.items() if name != "__metadata__"}
    except (AttributeError, KeyError, TypeError, IndexError) as error:
        raise ValueError(f"{path.name}: a damaged safetensors header ({error!r})") from error


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(-1, keepdims=True)
    result: np.ndarray = (x - mean) / (variance + _EPSILON) ** 0.5 * weight + bias
    return result


@cache
def shipped() -> SentenceEncoder | None:
    """The shipped encoder, loaded once per process on first use; None when it cannot be (a package installed
    without its ``tokenizers`` dependency, a damaged weights file): triage then goes on with its n-gram models
    rather than fail the reply it is deciding."""
    try:
        return SentenceEncoder.load()
    except (ImportError, OSError, ValueError, KeyError):
        return None


@cache
def shipped_model(name: str) -> EncodedModel | None:
    """A model over the shipped encoder's vectors, from its weights in ``data/<name>`` (a JSON object: ``weights``
    and ``bias`` of the output, and optionally a ``hidden`` layer's), or None when the encoder or the weights are
    not installed."""
    path = DATA / name
    encoder = shipped() if path.exists() else None
    if encoder is None:
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    hidden = data.get("hidden")
    return EncodedModel(encoder, data["weights"], float(data["bias"]),
                        (hidden["weights"], hidden["bias"]) if hidden is not None else None)


class EncodedModel:
    """A classifier over sentence vectors, trained by a tool and shipped as its weights: a logistic regression, or
    with ``hidden`` (weights of vector size x units, and biases) one layer of rectified units before it."""

    def __init__(self, encoder: SentenceEncoder, weights: list[float], bias: float,
                 hidden: tuple[list[list[float]], list[float]] | None = None):
        import numpy as np

        self.encoder = encoder
        self.weights = np.asarray(weights, dtype=np.float32)
        self.bias = bias
        self.hidden = (None if hidden is None else
                       (np.asarray(hidden[0], dtype=np.float32), np.asarray(hidden[1], dtype=np.float32)))

    def probability(self, text: str) -> float:
        x = self.encoder.encode(text)
        if self.hidden is not None:
            x = (x @ self.hidden[0] + self.hidden[1]).clip(min=0)
        z = float(x @ self.weights) + self.bias
        return 1 / (1 + math.exp(-z)) if z > -30 else 0.0
