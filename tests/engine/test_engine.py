"""The engine on the tests' own small knowledge base: matching, thresholds, context, guards."""

from __future__ import annotations

import threading

import pytest

from chatbot import Bot, Context
from chatbot.engine.reply import KINDS


def test_answers_with_entry_source_and_related(mini_bot: Bot):
    reply = mini_bot.ask("how often should i water my roses")
    assert reply.kind == "answer"
    assert reply.entry_id == "roses-water"
    assert reply.source == "Roses"
    assert [t.id for t in reply.related] == ["roses-pests", "tomato-water"]
    assert 0 < reply.score <= 100


@pytest.mark.parametrize("text", ["HOW OFTEN should I water ROSES?!", "  how   often should i water roses  "])
def test_case_punctuation_and_spaces_do_not_matter(mini_bot: Bot, text: str):
    assert mini_bot.ask(text).entry_id == "roses-water"


def test_typos_and_synonyms(mini_bot: Bot):
    assert mini_bot.ask("wat bugs atack tomatos").entry_id == "tomato-pests"
    assert mini_bot.ask("irrigation for roses").entry_id == "roses-water"


def test_unrelated_text_falls_back_with_suggestions(mini_bot: Bot):
    reply = mini_bot.ask("quantum physics lecture notes")
    assert reply.kind == "fallback"
    assert reply.entry_id is None
    assert [t.id for t in reply.related] == ["roses-water", "tomato-pests"]


@pytest.mark.parametrize("text", ["im so worried, my neighbour keeps shouting at me",
                                  "i feel overwhelmed and nobody at work understands"])
def test_a_fallback_to_a_writer_who_says_how_they_feel_says_that_first(mini_bot: Bot, text: str):
    distress = mini_bot.kb.message("distress")
    reply = mini_bot.ask(text)
    assert reply.kind == "fallback" and reply.answer.startswith(distress) and reply.related
    # ... and only to such a writer.
    plain = mini_bot.ask(text.split(", ")[-1] if ", " in text else "nobody at work understands")
    assert plain.kind == "fallback" and not plain.answer.startswith(distress)


def test_message_mostly_about_unknown_things_falls_back(mini_bot: Bot):
    # "roses" matches well, but most of the message is words this knowledge base never uses.
    assert mini_bot.ask("where to buy cheap rose bushes online").kind == "fallback"
    assert mini_bot.ask("roses water weekly").entry_id == "roses-water"  # one unknown word is fine


def test_out_of_scope_subject_falls_back_even_with_shared_words(mini_bot: Bot):
    reply = mini_bot.ask("how often should i water my car")
    assert reply.kind == "fallback"
    assert "subject" in reply.answer or "can't" in reply.answer


def test_anchor_keeps_a_question_in_scope(mini_bot: Bot):
    assert mini_bot.ask("water roses in the garden, not the car").kind == "answer"


def test_not_covered_gets_its_own_message(mini_bot: Bot):
    reply = mini_bot.ask("what is the price of rose food")
    assert reply.kind == "fallback"
    assert reply.answer.startswith("This FAQ does not cover prices.")


def test_a_gap_offers_the_subject_asked_about_or_held(mini_bot: Bot):
    plant = {e.id: e.facets.get("plant") for e in mini_bot.kb.entries}
    # Named: the tomatoes' entries, not the base's general topics.
    reply = mini_bot.ask("what is the price of tomato seeds")
    assert reply.kind == "fallback" and reply.related
    assert all(plant[t.id] == "tomato" for t in reply.related)
    # Held by the conversation: the roses'.
    mini_bot.ask("How often should I water roses?", session="gap")
    reply = mini_bot.ask("and what does it cost", session="gap")
    assert reply.answer.startswith("This FAQ does not cover prices.")
    assert reply.related and all(plant[t.id] == "rose" for t in reply.related)
    # Neither: the base's suggestions.
    assert [t.id for t in mini_bot.ask("what is the price of it").related] == [
        e.id for e in mini_bot.kb.suggested_entries()]


def test_tie_between_entries_asks_which(mini_bot: Bot):
    reply = mini_bot.ask("mulch")
    assert reply.kind == "clarify"
    assert {t.id for t in reply.options} == {"mulch-what", "mulch-when"}
    assert "1." in reply.answer and "2." in reply.answer


def test_clarify_option_is_picked_by_number(mini_bot: Bot):
    first = mini_bot.ask("mulch", session="pick")
    picked = mini_bot.ask("2", session="pick")
    assert picked.kind == "answer"
    assert picked.entry_id == first.options[1].id


def test_related_topic_is_picked_by_number_or_ordinal(mini_bot: Bot):
    mini_bot.ask("what pests attack roses", session="rel")
    assert mini_bot.ask("2", session="rel").entry_id == "tomato-pests"
    mini_bot.ask("what pests attack roses", session="rel2")
    assert mini_bot.ask("the first one", session="rel2").entry_id == "roses-water"


def test_number_out_of_range_or_without_list(mini_bot: Bot):
    assert mini_bot.ask("7", session="none").kind == "fallback"
    mini_bot.ask("what pests attack roses", session="range")
    reply = mini_bot.ask("9", session="range")
    assert reply.kind == "fallback" and "between 1 and 2" in reply.answer


def test_follow_up_inherits_missing_facet(mini_bot: Bot):
    mini_bot.ask("how often should i water roses", session="f")
    assert mini_bot.ask("and tomatoes?", session="f").entry_id == "tomato-water"
    assert mini_bot.ask("what about pests?", session="f").entry_id == "tomato-pests"


def test_bare_facet_word_continues_the_topic(mini_bot: Bot):
    mini_bot.ask("what pests attack tomatoes", session="bare")
    assert mini_bot.ask("water?", session="bare").entry_id == "tomato-water"
    assert mini_bot.ask("water?").kind in ("clarify", "answer")  # without context: matched on its own


def test_an_aspect_named_alone_asks_which_subject(mini_bot: Bot):
    # "water?" matches watering roses best, but nothing in it names roses: which plant is asked, not guessed.
    reply = mini_bot.ask("water?")
    assert reply.kind == "clarify"
    assert {o.id for o in reply.options} == {"roses-water", "tomato-water"}


def test_follow_up_needs_context(mini_bot: Bot):
    # Without a previous answer, "and tomatoes?" is matched on its own words.
    reply = mini_bot.ask("and tomatoes?")
    assert reply.kind in ("answer", "clarify")
    assert reply.entry_id != "roses-water"


def test_sessions_are_independent(mini_bot: Bot):
    mini_bot.ask("how often should i water roses", session="a")
    mini_bot.ask("what pests attack tomatoes", session="b")
    assert mini_bot.ask("1", session="a").entry_id == "roses-pests"
    assert mini_bot.ask("1", session="b").entry_id == "tomato-water"


def test_a_number_with_nothing_offered_offers_topics_to_pick_from(mini_bot: Bot):
    """The same reply goes to every shell, so it names no shell's command ("/topics"); it offers topics instead."""
    reply = mini_bot.ask("2", session="nothing-offered")
    assert reply.kind == "fallback" and "/" not in reply.answer
    assert len(reply.related) >= 2
    assert mini_bot.ask("2", session="nothing-offered").entry_id == reply.related[1].id


def test_a_forgotten_session_starts_afresh_and_others_keep_theirs(mini_bot: Bot):
    mini_bot.ask("how often should i water roses", session="f1")
    mini_bot.ask("how often should i water roses", session="f2")
    mini_bot.forget("f1")
    mini_bot.forget("never-seen")  # nothing to forget is no error
    assert mini_bot.sessions.get("f1") == Context()
    assert mini_bot.ask("1", session="f1").entry_id != "roses-pests"
    assert mini_bot.ask("1", session="f2").entry_id == "roses-pests"


def test_small_talk_mid_conversation_keeps_context(mini_bot: Bot):
    mini_bot.ask("what pests attack roses", session="st")
    assert mini_bot.ask("thanks!", session="st").kind == "smalltalk"
    assert mini_bot.ask("1", session="st").entry_id == "roses-water"


@pytest.mark.parametrize("text", ["hello", "hi there", "thank you so much", "bye", "who are you", "what can you do"])
def test_small_talk(mini_bot: Bot, text: str):
    assert mini_bot.ask(text).kind == "smalltalk"


@pytest.mark.parametrize("text", ["is she going to be ok", "will it be alright", "are they good"])
def test_a_question_of_small_talk_words_is_no_acknowledgement(mini_bot: Bot, text: str):
    # Every word is a small-talk word, and "ok" is in it, but it asks something: not "ok".
    assert mini_bot.ask(text).kind != "smalltalk"
    assert mini_bot.ask(text.split()[-1]).kind == "smalltalk"  # the word alone still is


@pytest.mark.parametrize(("text", "intent"), [
    ("how are you today", "greeting"),  # the moment of the chat changes no intent
    ("hello, I have a question", "greeting"),  # announcing a question asks none
    ("i have a question", "capabilities"),
    ("thanks for", "thanks"),  # not "thanks for your help", which a message not addressed to the bot does not say
    ("you are useless", "complaint"),
    ("get me a human now, this is useless", "handoff"),  # of equal phrases, the longer, then the control
])
def test_small_talk_reads_the_whole_of_an_everyday_message(mini_bot: Bot, text: str, intent: str):
    found = mini_bot.smalltalk.match(mini_bot.analyzer.analyze(text).normalized)
    assert found is not None and found[0].id == intent


def test_greeting_with_a_question_is_a_question(mini_bot: Bot):
    assert mini_bot.ask("hi, how often should i water roses?").entry_id == "roses-water"


def test_urgent_comes_first(mini_bot: Bot):
    reply = mini_bot.ask("my dog ate the weedkiller, how often should i water roses")
    assert reply.kind == "urgent"
    assert "emergency" in reply.answer


def test_question_about_urgent_topic_is_not_urgent(mini_bot: Bot):
    assert mini_bot.ask("is weedkiller safe for roses").kind != "urgent"


def test_empty_text(mini_bot: Bot):
    reply = mini_bot.ask("   ")
    assert reply.kind == "fallback"
    assert "type a question" in reply.answer.lower()


def test_context_round_trip_is_stateless(mini_bot: Bot):
    before = len(mini_bot.sessions)
    first = mini_bot.respond("how often should i water roses", Context())
    data = first.context.to_dict()
    again = mini_bot.respond("and tomatoes?", Context.from_dict(data, mini_bot.kb))
    assert again.entry_id == "tomato-water"
    assert len(mini_bot.sessions) == before  # respond stores nothing


@pytest.mark.parametrize(
    "forged",
    [None, "x", [], {"last_entry": "nope", "options": ["roses-water", "evil", 3]}, {"options": "roses-water"}],
)
def test_forged_context_is_sanitised(mini_bot: Bot, forged):
    context = Context.from_dict(forged, mini_bot.kb)
    assert context.last_entry is None
    assert all(o in mini_bot.kb for o in context.options)


def test_session_store_is_bounded():
    bot = Bot.from_files(["tests/data/mini.yaml"], max_sessions=3)
    for i in range(10):
        bot.ask("how often should i water roses", session=f"s{i}")
    assert len(bot.sessions) == 3
    assert bot.ask("1", session="s0").kind == "fallback"  # evicted
    assert bot.ask("1", session="s9").entry_id == "roses-pests"


def test_thread_safe_under_concurrent_sessions(mini_bot: Bot):
    errors: list[str] = []

    def worker(n: int) -> None:
        for _ in range(30):
            mini_bot.ask("what pests attack roses", session=f"t{n}")
            reply = mini_bot.ask("1", session=f"t{n}")
            if reply.entry_id != "roses-water":
                errors.append(f"{n}: {reply.entry_id}")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_reply_dict_has_protocol_fields(mini_bot: Bot):
    data = mini_bot.ask("what pests attack roses").to_dict()
    assert set(data) == {"kind", "answer", "entry_id", "question", "score", "source", "related", "options",
                         "triage", "stage", "handoff", "reply_id"}
    assert data["stage"] == "matcher" and len(data["reply_id"]) == 32
    assert data["kind"] in KINDS
    assert data["related"][0] == {"id": "roses-water", "question": "How often should I water roses?",
                                  "title": "Watering roses"}


@pytest.mark.parametrize("text, number", [("the first one please", 1), ("2nd one", 2), ("number 3 pls", 3),
                                          ("the second", 2), ("first", 1), ("sure", None), ("the end", None)])
def test_a_pick_is_read_however_politely_it_is_put(text: str, number: int | None):
    from chatbot.engine.conversation import picked_number

    assert picked_number(text) == number
