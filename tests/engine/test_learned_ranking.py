"""The entry classifier, the calibrator and the ranker that combines them with the matcher."""

from __future__ import annotations

import dataclasses
from unittest import mock

import pytest

from chatbot import Bot
from chatbot.engine import classifier as classifier_module
from chatbot.engine.background import general_messages
from chatbot.engine.builder import build
from chatbot.engine.calibration import EVIDENCE, Calibrator
from chatbot.engine.classifier import Design, EntryClassifier
from chatbot.engine.ranker import SHARES, Pool, held_out

TOPICS = {
    "water": ["how often should I water roses", "do roses need watering every day", "watering schedule for roses",
              "how much water do rose bushes need", "should I water roses in the morning"],
    "prune": ["when should I prune roses", "how do I cut back rose bushes", "best time to trim roses",
              "pruning roses in winter", "how hard should I prune my roses"],
    "pests": ["what pests attack roses", "aphids on my roses", "how to get rid of greenfly on roses",
              "bugs eating rose leaves", "black spot and insects on roses"],
}


def _classifier() -> EntryClassifier:
    texts = [t for ts in TOPICS.values() for t in ts]
    labels = [i for i, ts in enumerate(TOPICS.values()) for _ in ts]
    return EntryClassifier(texts, labels, len(TOPICS), general_messages(texts))


def test_a_fold_of_a_design_is_the_design_of_the_fold_and_trains_the_same_model():
    # Calibration trains on the rows of the whole base's design less a held-out fold: the same matrix, and so
    # the same model, as reading the fold's messages afresh.
    texts = [t for ts in TOPICS.values() for t in ts]
    labels = [i for i, ts in enumerate(TOPICS.values()) for _ in ts]
    background = general_messages(texts)[:40]
    rows = [k for k in range(len(texts) + len(background)) if k % 5 != 4]
    whole = Design.of([*texts, *background])
    fold = [[*texts, *background][k] for k in rows]
    part, fresh = whole.rows(rows), Design.of(fold)
    assert list(part.ids) == list(fresh.ids)
    assert (part.x != fresh.x).nnz == 0
    kept_texts, kept_background = [k for k in rows if k < len(texts)], [k for k in rows if k >= len(texts)]
    models = [EntryClassifier([texts[k] for k in kept_texts], [labels[k] for k in kept_texts], len(TOPICS),
                              [background[k - len(texts)] for k in kept_background], design=design)
              for design in (part, None)]
    assert models[0]._rows == models[1]._rows and models[0]._weights == models[1]._weights


def test_classifier_learns_entries_and_a_none_class():
    model = _classifier()
    p = model.probabilities("little green insects all over my rose buds")
    assert max(range(3), key=p.__getitem__) == 2  # pests, though no phrasing says "insects all over"
    off = model.probabilities("book me a flight to paris for tomorrow")
    assert off[-1] == max(off)  # none of these
    assert abs(sum(p) - 1) < 1e-6


def _float_sums(model: EntryClassifier, text: str) -> list[float]:
    """What packing replaced: each class's weights summed as floats, row by row."""
    width = model.classes + 1
    rows = [r for r in map(model._rows.get, classifier_module.features(text)) if r is not None]
    return [sum(model._weights[r * width + k] for r in rows) for k in range(width)]


def test_weight_rows_summed_as_packed_integers_match_the_floats():
    # A row is one int of fixed-point lanes (one per class): the sums equal the float sums to the last bits.
    model = _classifier()
    for text in ("little green insects all over my rose buds", "when should I prune roses", "xyz"):
        width = model.classes + 1
        rows = [r for r in map(model._rows.get, classifier_module.features(text)) if r is not None]
        packed = model._packed_sums(rows)
        assert packed is not None and len(packed) == width
        assert packed == pytest.approx(_float_sums(model, text), abs=1e-12)
    # A weight too large for a lane, or more rows than the lanes can sum: the floats are summed instead, and
    # the probabilities are the same either way.
    weight = model._weights[0]
    model._weights[0] = 20.0
    model._packed.clear()
    assert model._pack(0) == -1 and model._packed_sums([0]) is None
    model._weights[0] = weight
    model._packed.clear()
    packed = model.probabilities("aphids on the buds")
    with mock.patch.object(classifier_module, "_MAX_PACKED_ROWS", 0):
        assert model._packed_sums([1, 2]) is None
        floats = model.probabilities("aphids on the buds")
    assert packed == pytest.approx(floats, abs=1e-12)


def test_classifier_is_skipped_past_its_class_limit():
    with mock.patch.object(classifier_module, "MAX_CLASSES", 2):
        model = _classifier()
    assert not model.trained and model.probabilities("aphids") == [0.0] * 4


def test_calibrator_is_monotone_in_the_evidence_and_refuses_thin_data():
    good = [(0.9, 0.8, 0.0, 0.3, 0.6, 1.0, 0.0)] * 30
    bad = [(0.4, 0.2, 0.5, 0.0, 0.0, 0.0, 0.4)] * 30
    assert len(good[0]) == len(EVIDENCE)
    calibrator = Calibrator.fit(good + bad, [True] * 30 + [False] * 30, phrasings=30)
    assert calibrator is not None
    assert calibrator.confidence(good[0]) > 0.9 > 0.1 > calibrator.confidence(bad[0])
    assert Calibrator.fit(good + bad, [True] * 30 + [False] * 30, phrasings=5) is None  # too few held out
    assert Calibrator.fit(good, [True] * 30, phrasings=30) is None  # nothing to tell apart


def test_the_default_base_is_calibrated_and_answers_carry_the_confidence(default_bot: Bot):
    assert default_bot.ranker.calibrated
    reply = default_bot.ask("which organs does breast cancer spread to", explain=True)
    assert reply.kind == "answer" and reply.explanation is not None
    confidence = reply.explanation["matched"]["confidence"]
    assert 0.0 < confidence <= 1.0 and reply.score == round(100 * confidence, 1)
    # The request's threshold is a confidence: above this one, the same question is not answered.
    assert default_bot.ask("which organs does breast cancer spread to", threshold=min(1.0, confidence + 0.01)).kind \
        == "fallback"


def test_a_small_base_keeps_the_matcher_alone(mini_bot: Bot):
    assert not mini_bot.ranker.calibrated  # too few phrasings to hold any out
    reply = mini_bot.ask("how often should I water roses")
    assert reply.kind == "answer"


def test_an_entry_the_classifier_proposes_is_scored_by_the_matcher_directly():
    entries = [{"id": k, "question": ts[0] + "?", "alternates": ts[1:], "answer": f"About {k}.", "source": "s"}
               for k, ts in TOPICS.items()]
    bot = Bot(build([("garden", {"entries": entries}, {})]))
    analysis = bot.analyzer.analyze("roses")  # a word of every phrasing
    only = bot.matcher.rank(analysis, only=frozenset({1}))
    assert [c.entry.id for c in only] == ["prune"]
    everything = {c.entry.id for c in bot.matcher.rank(analysis)}
    assert everything == set(TOPICS)


def test_the_share_is_the_one_that_ranks_the_held_out_fold_best():
    entries = [{"id": k, "question": ts[0] + "?", "alternates": ts[1:], "answer": f"About {k}.", "source": "s"}
               for k, ts in TOPICS.items()]
    bot = Bot(build([("garden", {"entries": entries}, {})]))
    found = {c.entry.id: c for c in bot.matcher.rank(bot.analyzer.analyze("roses"))}
    # The matcher prefers watering (80 to 50); the classifier is sure of pruning (0.8 to 0.1).
    pool = Pool({"water": dataclasses.replace(found["water"], score=80.0),
                 "prune": dataclasses.replace(found["prune"], score=50.0)},
                [0.1, 0.8, 0.05, 0.05], [1, 0, 2], 0.0)
    assert bot.ranker.best_share([(pool, "prune"), (pool, None)]) == 0.4  # the least that puts pruning first
    assert bot.ranker.best_share([(pool, "water")]) == SHARES[0]
    assert bot.ranker.best_share([(pool, "prune"), (pool, "water"), (pool, "water")]) == SHARES[0]


def test_the_default_base_keeps_the_share_it_was_tuned_with(default_bot: Bot):
    assert default_bot.ranker.share == SHARES[0]


def test_an_answer_a_facet_settles_shows_its_own_confidence(default_bot):
    # A near tie: radiotherapy, and bone treatment (named: the spine, a bone). "can liver secondaries be operated on?"
    # was one until alternates were added to other entries (2026-12-01): liver treatment now comes first outright.
    text = "can spine mets from breast cancer be treated with radiotherapy"
    reply = default_bot.ask(text)
    ranked = default_bot.ranker.rank(default_bot.analyzer.analyze(text))
    own = next(c for c in ranked if c.entry.id == reply.entry_id)
    assert reply.entry_id == "bone-treatment" != ranked[0].entry.id
    assert reply.score == round(100 * (own.confidence or 0.0), 1) != round(100 * (ranked[0].confidence or 0.0), 1)
    why = default_bot.ask(text, explain=True).explanation
    assert why["matched"]["entry_id"] == "bone-treatment" and why["runner_up"]["entry_id"] == ranked[0].entry.id
    assert "facets" in why["decision"]
    default_bot.ask(text, session="facet-not-it")
    offered = default_bot.ask("no, that's not it", session="facet-not-it")
    ids = [t.id for t in offered.options]
    assert ranked[0].entry.id in ids and "bone-treatment" not in ids  # the first-ranked, not the one answered


def test_a_message_the_matcher_finds_nothing_for_still_gets_the_classifiers_entries(default_bot: Bot):
    # No word of it is one the matcher can use: the classifier's best entries are still ranked, with a
    # matcher score of 0, and the calibrated confidence decides (here: too low to answer).
    analysis = default_bot.analyzer.analyze("hmm possibly either one")
    assert not default_bot.matcher.rank(analysis)
    ranked = default_bot.ranker.rank(analysis)
    assert ranked and ranked[0].confidence is not None and ranked[0].learned is not None
    assert default_bot.ask("hmm possibly either one").kind != "answer"


def test_a_message_is_cut_into_its_sentences_and_clauses_of_three_words_or_more():
    from chatbot.engine.text import parts

    assert parts("My mum is 67. She lives alone, and she coughs all night! Could it be in her lungs?") == (
        "my mum is 67", "she lives alone", "and she coughs all night", "could it be in her lungs")
    assert parts("thanks. does it hurt") == ("does it hurt",)  # "thanks." is too short to read alone
    assert parts("Where does it spread?") == ()
    assert parts("1,000 women a year, is that right") == ("1 000 women a year", "is that right")


def test_a_story_is_read_by_its_clause_least_like_general_chat():
    from chatbot.engine.ranker import least_general

    whole, chat, asking = ("whole", [0.2, 0.1, 0.7]), ("chat", [0.1, 0.1, 0.8]), ("asking", [0.1, 0.8, 0.1])
    assert least_general([whole, chat, asking]) == asking
    assert least_general([whole]) == whole
    assert least_general([whole, ("same", [0.1, 0.2, 0.7])]) == whole  # the first of equals


def test_the_classifier_reads_the_parts_only_when_the_whole_reads_as_chat(default_bot: Bot):
    ranker, analyze = default_bot.ranker, default_bot.analyzer.analyze
    story = analyze("work have been really understanding so far, but what are the symptoms of lung mets")
    read, reading = ranker.read(story)
    assert read == "but what are the symptoms of lung mets" and reading[-1] < 0.5
    plain = analyze("what are the symptoms of lung mets, and how are they treated")  # the whole reads as an entry
    assert plain.parts and ranker.read(plain)[0] == plain.normalized
    why = default_bot.ask(story.normalized.replace(" but", ", but"), explain=True).explanation
    assert why is not None and why["matched"]["classifier_read"] == read


def test_the_question_of_a_story_told_in_one_breath_is_answered(default_bot: Bot):
    # The story's clauses read as general chat to the classifier, the whole too; the asking clause does not.
    for text, entry in [
        ("work have been really understanding so far, but what are the symptoms of lung mets", "lung-symptoms"),
        ("my partner is driving me to every appointment and is exhausted, what is the outlook for metastatic "
         "breast cancer", "curable"),
    ]:
        reply = default_bot.ask(text)
        assert (reply.kind, reply.entry_id) == ("answer", entry), text
    # ... and a subject the article does not cover, told in passing, does not block the question.
    reply = default_bot.ask("it has been the worst month of my life, so many appointments, what are the signs it has "
                            "gone to the brain?")
    assert (reply.kind, reply.entry_id) == ("answer", "brain-symptoms")


def test_a_clause_of_question_words_and_filler_alone_is_not_read_alone(default_bot: Bot):
    # "when should it be" reads as less like general chat than the oil change, and says nothing.
    text = "the next time i change my oil, when should it be"
    assert "when should it be" not in default_bot.analyzer.analyze(text).parts
    assert default_bot.ask(text).kind != "answer"


def test_calibration_holds_alternates_out_by_their_text_so_an_edit_moves_no_other():
    entries = [{"id": k, "question": ts[0] + "?", "alternates": ts[1:] + [t + " please" for t in ts],
                "answer": f"About {k}.", "source": "s"} for k, ts in TOPICS.items()]
    kb = build([("garden", {"entries": entries}, {})])
    held = [a for entry in kb.entries for a in held_out(entry)]
    assert 0 < len(held) < sum(len(e.alternates) for e in kb.entries) / 2
    for entry in kb.entries:
        # One alternate fewer (the first): the entry holds out the same others.
        fewer = dataclasses.replace(entry, alternates=entry.alternates[1:])
        assert held_out(fewer) == tuple(a for a in held_out(entry) if a != entry.alternates[0])


def test_the_classifier_learns_the_same_model_from_the_phrasings_in_any_order():
    # Training visits the rows in an order drawn from their texts: one phrasing added or removed reshuffled
    # every batch of a shuffle by position, and moved the model (and 31-84 of 1,811 replies) with it.
    texts = [t for ts in TOPICS.values() for t in ts]
    labels = [i for i, ts in enumerate(TOPICS.values()) for _ in ts]
    general = general_messages(texts)
    assert len(texts) + len(general) > classifier_module.BATCH  # more than one batch an epoch
    forward = EntryClassifier(texts, labels, len(TOPICS), general)
    backward = EntryClassifier(texts[::-1], labels[::-1], len(TOPICS), general[::-1])
    for message in ("when do I prune", "greenfly", "what is the capital of peru"):
        assert forward.probabilities(message) == pytest.approx(backward.probabilities(message), abs=1e-4)
