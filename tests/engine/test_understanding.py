"""Real English is no typo, common words weigh less, general chat is not answered, conversation controls."""

from __future__ import annotations

import pytest

from benchmarks.traffic import false_answers, messages
from chatbot import Bot, Context
from chatbot.engine.analysis import Analyzer
from chatbot.engine.background import general_messages
from chatbot.engine.builder import build
from chatbot.engine.language import compared_terms, set_apart, with_referent
from chatbot.engine.matcher import common_word_factor
from chatbot.engine.smalltalk import load_intents
from chatbot.engine.stages import conditioned_question, question_clause, question_sentence, reported_before


def test_real_english_words_are_not_typos_without_a_domain_neighbour():
    analyzer = Analyzer({}, ["whether the node is involved", "brain metastasis", "where it spreads"])
    assert analyzer.analyze("what is the weather like").corrected == "what is the weather like"
    assert analyzer.analyze("nope not it").corrected == "nope not it"
    assert analyzer.analyze("brian metastasis").corrected == "brain metastasis"  # its neighbour is ours
    assert analyzer.analyze("metastasys").corrected == "metastasis"  # not English: a typo
    # Beside a word of ours, a real word is a slip of one key at most: two edits make another word.
    lungs = Analyzer({}, ["where does it spread", "showing symptoms"])
    assert lungs.analyze("can cancer from smoking spread").corrected == "can cancer from smoking spread"
    assert lungs.analyze("symptoms shoving").corrected == "symptoms showing"  # one slip, beside a word of ours


def test_a_word_nearer_english_than_two_slips_from_the_base_is_left_as_written():
    analyzer = Analyzer({}, ["more information about it", "staging and scans", "when treatment started"])
    # One slip from "inflammation", two from "information": the writer meant the English word, which the base lacks.
    assert analyzer.analyze("inflamation").corrected == "inflamation"
    assert analyzer.analyze("stented").corrected == "stented"  # a rare word of English, two slips from "started"
    assert analyzer.analyze("stabbing pain").corrected == "stabbing pain"  # not "staging"
    # Nearer the base than English, or no nearer English than the base: still corrected.
    assert analyzer.analyze("informaton").corrected == "information"
    assert analyzer.analyze("stagign").corrected == "staging"


def test_word_frequencies_are_found_by_searching_the_sorted_table():
    from chatbot.engine import english

    ranked = english.words()
    assert len(ranked) == 50_000 and ranked[:3] == ["the", "to", "and"]  # most frequent first
    fields = english._text().split()
    table = dict(zip(fields[0::3], map(float, fields[1::3]), strict=True))
    for word in [*ranked[::97], min(ranked), max(ranked)]:  # first and last lines too
        assert english.zipf(word) == table[word] > 0
    assert english.zipf("the") > english.zipf("weather") > english.zipf("metastasis")
    for word in ("", "a" * 30, "zzzzzz", "metastasys", "~", "0"):
        assert english.zipf(word) == 0.0


def test_the_words_of_one_initial_are_one_slice_of_the_table():
    from chatbot.engine import english

    ranked = english.words()
    by_initial = {initial: english._starting(initial) for initial in {w[0] for w in ranked}}
    assert sorted(w for words in by_initial.values() for w in words) == sorted(ranked)
    assert all(w.startswith(initial) for initial, words in by_initial.items() for w in words)
    assert english._starting("\u00e9") == [] == english._starting("~")


@pytest.mark.parametrize("word", ["tucatinib", "elacestrant", "kadcyla", "lymphoedema", "xeloda"])
def test_a_name_general_english_does_not_know_is_unfamiliar(word):
    from chatbot.engine.english import unfamiliar

    assert unfamiliar(word)


@pytest.mark.parametrize("word", [
    "weather", "acupuncture",  # English, however rare
    "inflamation", "exausted", "numbnes",  # a slip of an English word
    "howcan", "aboutthis", "bootup",  # two common words run together
    "dcis", "ct", "223", "esr1", "",  # too short to tell from a slip, or no word
])
def test_english_its_slips_and_short_words_are_not_unfamiliar(word):
    from chatbot.engine.english import unfamiliar

    assert not unfamiliar(word)


def test_an_unfamiliar_name_for_what_is_asked_gets_the_nearest_topics_not_an_answer(default_bot: Bot):
    # The shipped base names its drugs and procedures in more than one question: none of its own questions has a word
    # that no other text of it and no English uses, so a message with one asks about something it does not cover.
    assert default_bot.matcher.unfamiliar_share == 0.0
    for text, term in (("Tucatinib for brain mets?", "tucatinib"),
                       ("does xeloda work on liver metastases", "xeloda"),
                       ("is kadcyla used for her2 positive brain mets", "kadcyla"),
                       ("does fulvestrant work for bone mets", "fulvestrant")):  # below the threshold anyway
        reply = default_bot.ask(text)
        assert (reply.kind, reply.entry_id) == ("fallback", None), text
        assert f"\u201c{term}\u201d" in reply.answer and reply.related, text
    # A slip of an English word is no such name, nor is a common first name.
    # (Nor does the base say what radiotherapy does to the lungs: a fallback, but not one that names the slip.)
    assert "\u201cinflamation\u201d" not in default_bot.ask("can radiotherapy cause inflamation of the lungs").answer
    assert default_bot.ask("my sister Maureen has liver mets, how is it treated").entry_id == "liver-treatment"


@pytest.mark.parametrize("text", ["does herceptin damage the heart", "can palbociclib cause lung inflammation",
                                  "does radiotherapy cause tiredness"])
def test_what_a_treatment_does_to_something_its_answer_never_names_is_not_answered(default_bot: Bot, text: str):
    reply = default_bot.ask(text, explain=True)
    assert reply.kind == "fallback" and reply.answer.startswith(default_bot.kb.message("not_said")), text
    assert reply.explanation is not None and "never names" in reply.explanation["decision"]


@pytest.mark.parametrize(("text", "entry"), [("can liver mets cause tummy pain", "liver-symptoms"),
                                             ("can brain mets cause fits", "brain-symptoms"),
                                             ("what problems can bone mets cause", "bone-symptoms")])
def test_what_the_spread_itself_causes_is_its_symptoms_however_worded(default_bot: Bot, text: str, entry: str):
    # "cause" is a word of the symptoms aspect: the entries of that aspect answer it in their own words.
    assert default_bot.ask(text).entry_id == entry


def test_messages_that_name_treatments_get_answers_only_where_the_article_gives_them(default_bot: Bot):
    # A floor at what was measured on a set written by someone who saw the article only (see its header).
    import yaml

    from tests.support import DATA

    messages = yaml.safe_load((DATA / "independent" / "named_tune.yaml").read_text())["messages"]
    kinds = [(m["answered"], default_bot.ask(m["text"]).kind) for m in messages]
    assert sum(1 for answered, kind in kinds if answered and kind == "answer") >= 36
    assert sum(1 for answered, kind in kinds if not answered and kind != "answer") >= 43


def test_a_base_whose_questions_name_unfamiliar_things_still_answers_one_it_never_saw():
    places = ["zebrino", "quintessa", "tavernaki", "bistrova", "cafferty", "grillhaus", "xochimilko", "okonomia"]
    book = {"id": "book", "question": "Can you book a table?", "answer": "Yes, at any of our partners.",
            "source": "Booking", "alternates": [f"book a table at {p} tonight" for p in places]}
    bot = _kb((book,))
    assert bot.matcher.unfamiliar_share == 8 / 12  # every alternate names a place no other text names
    assert bot.ask("book a table at olivetto tonight").entry_id == "book"
    roses = _kb()
    assert roses.matcher.unfamiliar_share == 0.0
    assert roses.ask("How often should I water roses?").kind == "answer"
    assert roses.ask("How often should I water roses with fungexol?").kind == "fallback"


def test_a_bases_own_message_for_an_unfamiliar_name(default_bot: Bot):
    bot = _kb(messages={"unfamiliar": "Nothing here on {term}, sorry. Try:"})
    reply = bot.ask("How often should I water roses with fungexol?")
    assert reply.answer.startswith("Nothing here on fungexol, sorry. Try:") and reply.related


def test_a_slip_in_a_filler_word_is_read_as_the_filler_not_as_an_unknown_word():
    analyzer = Analyzer({}, ["where does it spread", "brain metastasis"])
    assert analyzer.analyze("where does it usally spread").corrected == "where does it usually spread"
    assert analyzer.analyze("where does it usally spread").content == ("where", "spread")
    # A real English word stays itself, filler or not ("safe" is not "same").
    assert analyzer.analyze("is it safe").corrected == "is it safe"


def test_a_synonym_phrase_reads_its_words_synonyms_too():
    # "would the doctor do" is treatment and an oncologist is a doctor: so "would her oncologist do" is treatment.
    analyzer = Analyzer({"treatment": ["would the doctor do"], "doctor": ["oncologist", "care team"]}, [])
    assert analyzer.canonicalize("what would her oncologist do") == "what treatment"
    assert analyzer.canonicalize("what would the doctor do") == "what treatment"
    # A phrase variant stands in for one word only: "care team" is not put into the phrase.
    assert analyzer.canonicalize("what would the care team do") == "what would the doctor do"


def test_texting_spellings_are_read_as_their_words():
    analyzer = Analyzer({}, ["what are the signs it has spread", "should I worry about headaches"])
    assert analyzer.analyze("wat r the signs").corrected == "what are the signs"
    assert analyzer.analyze("shud i worry abt headaches").corrected == "should i worry about headaches"
    # ... which the learned models read too (they read the normalised text) ...
    assert analyzer.analyze("gonna be ok").normalized == "going to be ok"
    # ... unless the base defines the spelling itself, and not in the base's own phrasings.
    assert Analyzer({"doctor": ["dr"]}, []).analyze("wat did the dr say").corrected == "what did the dr say"
    assert analyzer.analyze("wat is it", correct=False).normalized == "wat is it"


def test_a_common_word_beside_a_domain_word_is_not_made_a_rarer_one():
    analyzer = Analyzer({}, ["the pain wont go away", "liver cancer metastasis"])
    assert analyzer.analyze("her cancer went to her liver").corrected == "her cancer went to her liver"  # not "wont"
    assert analyzer.analyze("lever metastasis").corrected == "liver metastasis"  # "lever" is rarer than "liver"
    analyzer = Analyzer({}, ["where can I get support", "quality of life"])
    assert analyzer.analyze("I am on the support line").corrected == "i am on the support line"  # too common


def test_common_words_weigh_less():
    assert common_word_factor("metastasis") == 1.0
    assert common_word_factor("say") < common_word_factor("liver") == 1.0


def test_background_keeps_a_bases_own_kind_of_question():
    bank = general_messages(["what is my account balance", "how can I transfer money"])
    roses = general_messages(["how often should I water roses"])
    assert len(bank) < len(roses)  # banking messages close to the bank's phrasings were dropped
    assert "whats my account balance" in roses and "whats my account balance" not in bank


def test_general_chat_gets_no_answer(mini_bot: Bot):
    assert mini_bot.ask("what's the weather like").kind == "fallback"
    assert mini_bot.ask("How often should I water roses?").kind == "answer"


def test_held_out_open_traffic_gets_no_answers(default_bot: Bot):
    assert false_answers(default_bot, messages(None)) <= 0.01  # measured 0.74% (10 of 1,360); 0.22% since


def test_held_out_open_traffic_gets_no_answers_after_an_answer_either(default_bot: Bot):
    # Asked as the second turn of a conversation: "it" in "how do i cancel it" is the person's own, not the last
    # answer's topic. 47 of 1,360 (3.46 %) got an answer before a word of English the base never uses counted
    # against leaning on the last answer; 15 (1.10 %) after.
    assert false_answers(default_bot, messages(None), after_answer=True) <= 0.0125


def _kb(more: tuple[dict[str, object], ...] = (), **extra: object) -> Bot:
    entries: list[dict[str, object]] = [*more,
        {"id": "water", "question": "How often should I water roses?", "answer": "Twice a week.", "source": "Roses"},
        {"id": "prune", "question": "When should I prune roses?", "answer": "In early spring.", "source": "Roses"},
        {"id": "feed", "question": "How should I feed roses?", "answer": "With compost.", "source": "Roses"},
    ]
    return Bot(build([("kb.yaml", {"entries": entries, **extra}, {})]))


def test_say_that_again_repeats_the_last_answer():
    bot = _kb()
    first = bot.ask("How often should I water roses?", session="s")
    again = bot.ask("can you say that again", session="s")
    assert (again.kind, again.answer, again.stage) == ("smalltalk", first.answer, "control")
    assert again.source == first.source and again.related == first.related  # shown as the first time


def test_say_that_again_before_any_answer_offers_the_choice_again(default_bot: Bot):
    # "There's nothing to repeat yet" was the reply after a "did you mean", though a choice had been shown.
    offered = default_bot.ask("is it normal to feel this tired all the time with mets", session="again")
    assert offered.kind == "fallback" and offered.related
    again = default_bot.ask("say that again", session="again")
    assert again.kind == "smalltalk" and again.related == offered.related
    picked = default_bot.ask("yes", session="again")  # the choice is still open
    assert (picked.kind, picked.entry_id) == ("answer", offered.related[0].id)


def test_a_base_with_its_own_entry_for_a_small_talk_intent_answers_it_itself():
    # A voice assistant's FAQ whose "repeat" entry most of the package's repeat phrases reach.
    repeat = {"id": "repeat", "question": "Can you repeat that?", "answer": "Repeating the last thing said.",
              "source": "Voice",
              "alternates": ["say that again", "repeat what you said", "please repeat that", "repeat it again",
                             "say it again please", "could you repeat that", "what did you just say",
                             "come again", "once more please", "i did not hear you", "pardon", "sorry what"]}
    bot = _kb((repeat,))
    reply = bot.ask("can you say that again please")
    assert (reply.kind, reply.entry_id) == ("answer", "repeat")
    assert "repeat" not in {i.id for i in bot.smalltalk.intents}
    assert {i.id for i in _kb().smalltalk.intents} == {i.id for i in load_intents()}  # roses own none


def test_the_shipped_base_owns_no_small_talk(default_bot):
    assert {i.id for i in default_bot.smalltalk.intents} == {i.id for i in load_intents()}


def test_tell_me_more_offers_the_last_answers_related_topics(default_bot):
    first = default_bot.ask("what are the symptoms of bone mets", session="more")
    more = default_bot.ask("tell me more", session="more")
    assert (more.kind, more.stage) == ("smalltalk", "control") and more.related == first.related
    assert default_bot.ask("1", session="more").entry_id == first.related[0].id
    assert default_bot.ask("tell me more").related == ()  # nothing said yet: it asks what about


@pytest.mark.parametrize("text", ["can you explain that more simply", "i dont understand", "explain like im 5",
                                  "could you say that in simpler words"])
def test_asking_for_simpler_words_answers_the_last_entry_again_and_says_so(default_bot, text):
    first = default_bot.ask("what are the steps of metastasis", session=text)
    again = default_bot.ask(text, session=text)
    assert (again.kind, again.stage, again.entry_id) == ("answer", "control", first.entry_id)
    assert again.answer.startswith(default_bot.kb.message("simpler")) and again.answer.endswith(first.answer)
    assert again.related == first.related


def test_asking_for_simpler_words_with_nothing_said_or_of_a_term_is_no_control(default_bot):
    assert default_bot.ask("i dont understand").kind == "smalltalk"  # nothing answered yet: it asks for a topic
    default_bot.ask("what makes breast cancer more likely to spread", session="grade")
    assert default_bot.ask("what do you mean by grade?", session="grade").stage != "control"


def test_stop_ends_the_thread():
    bot = _kb()
    bot.ask("How often should I water roses?", session="s")
    reply = bot.ask("cancel", session="s")
    assert reply.kind == "smalltalk" and reply.context == Context()


def test_not_it_offers_the_runners_up():
    bot = _kb()
    first = bot.ask("How often should I water roses?", session="s")
    assert first.context.alternatives
    reply = bot.ask("no, that's not it", session="s")
    assert reply.kind == "clarify" and "water" not in [t.id for t in reply.options]


def test_not_it_with_no_runner_up_offers_the_topics_next_to_the_last_answer(default_bot: Bot):
    # A follow-up settled by the context has no runner-up: "no thats not what i meant" got "I don't have an answer
    # to that in this FAQ" and the base's general suggestions.
    default_bot.ask("wat r the signs its gone to the brain", session="not-it")
    treated = default_bot.ask("how do they treat that", session="not-it")
    assert treated.entry_id == "brain-treatment" and not treated.context.alternatives
    reply = default_bot.ask("no thats not what i meant", session="not-it")
    assert reply.kind == "fallback" and reply.answer == default_bot.kb.message("not_it")
    assert [t.id for t in reply.related] == [t.id for t in treated.related]
    assert default_bot.ask("1", session="not-it").entry_id == treated.related[0].id  # and they can be picked


def test_yes_takes_the_first_option_of_a_clarify():
    bot = _kb()
    context = Context(options=("prune", "feed"), offer="clarify")
    assert bot.respond("yes", context).entry_id == "prune"
    assert bot.respond("yes", Context()).kind == "smalltalk"  # nothing offered: just an acknowledgement


def test_a_message_merely_like_a_yes_asks_something_when_nothing_was_offered(default_bot: Bot):
    """"the first one" agrees to an offer; with none open, "give me examples of the first one" is a question for the
    matcher, not an acknowledgement that ignores it ("Is there anything else you'd like to know?")."""
    offered = default_bot.respond("can liver mets be shrunk", Context())
    assert offered.kind == "clarify" and offered.context.offer
    assert default_bot.respond("yes the first one", offered.context).entry_id == offered.options[0].id
    for text in ("give me examples of the first one", "and the first kind?"):
        assert default_bot.respond(text, Context(last_entry="targeted-therapy")).stage != "control"
    assert default_bot.respond("yes please", Context(last_entry="targeted-therapy")).stage == "control"


def test_asking_for_a_person_gets_the_files_contact():
    bot = _kb(handoff={"message": "Our nurses can help.", "phone": "0800 123", "hours": "9-5"})
    reply = bot.ask("I want to talk to a person")
    assert reply.kind == "handoff" and reply.handoff is not None
    assert reply.handoff.phone == "0800 123" and "0800 123" in reply.answer
    assert reply.to_dict()["handoff"] == {"message": "Our nurses can help.", "phone": "0800 123", "hours": "9-5"}


def test_a_person_is_offered_after_fallbacks_in_a_row():
    bot = _kb(handoff={"message": "Call us.", "after_fallbacks": 2})
    assert bot.ask("zzzz qqqq", session="s").kind == "fallback"
    second = bot.ask("xxxx yyyy", session="s")
    # Still a fallback (nothing answers it), now carrying the way to reach a person.
    assert second.kind == "fallback" and second.handoff is not None and "Call us." in second.answer
    assert bot.ask("zzzz qqqq", session="s").kind == "fallback"  # the count starts again


def test_the_offer_after_fallbacks_can_say_something_else_than_the_answer_to_asking():
    # "This FAQ can't put you in touch with a person" answers someone who asked; offered unasked, a file may say it
    # otherwise. Without an offer the message serves both.
    bot = _kb(handoff={"message": "No one staffs this FAQ.", "offer": "I couldn't answer that. Call your nurse.",
                       "after_fallbacks": 2})
    bot.ask("zzzz qqqq", session="s")
    offered = bot.ask("xxxx yyyy", session="s")
    assert "Call your nurse." in offered.answer and "No one staffs" not in offered.answer
    assert offered.handoff is not None
    assert offered.to_dict()["handoff"]["message"] == "I couldn't answer that. Call your nurse."
    asked = bot.ask("I want to talk to a person")
    assert asked.kind == "handoff" and "No one staffs this FAQ." in asked.answer
    assert "Call your nurse" not in asked.answer


def test_domain_model_learns_a_base_from_its_phrasings():
    from chatbot.engine.domain import DomainModel, features

    positives = ["how often should I water roses", "when should I prune roses", "what pests attack roses",
                 "how do I feed tomatoes", "why are my tomato leaves curling", "how deep should I plant bulbs"]
    negatives = ["what's the weather like today", "book me a flight to paris", "what is my account balance",
                 "play some music", "set an alarm for 7am", "how do I reset my password", "tell me a joke"]
    model = DomainModel(positives, negatives)
    assert model.probability("do my roses need more water") > 0.5 > model.probability("will it rain in paris")
    assert features("Roses!") == features("roses")  # the same normalisation as the rest of the engine
    assert DomainModel([], negatives).probability("roses") == 0.5  # nothing to learn from: undecided


def test_explain_records_the_deciding_stage_and_the_match(mini_bot: Bot):
    reply = mini_bot.ask("how often should I watr roses", explain=True)
    why = reply.explanation
    assert why is not None and why["stage"] == "matcher" and why["decision"] == "answer"
    assert why["corrections"] == {"watr": "water"} and why["matched"]["entry_id"] == "roses-water"
    assert {w["word"] for w in why["words"] if w["in_phrasing"]} >= {"water", "rose"}
    assert mini_bot.ask("how often should I water roses").explanation is None  # only when asked


def test_a_request_threshold_overrides_the_default(mini_bot: Bot):
    question = "how often do roses need a drink of water"
    assert mini_bot.ask(question).kind == "answer"
    assert mini_bot.ask(question, threshold=0.99).kind == "fallback"
    import pytest

    with pytest.raises(ValueError, match="between 0 and 1"):
        mini_bot.ask(question, threshold=5)


def test_a_story_is_answered_through_its_question(mini_bot: Bot):
    story = ("My neighbour gave me cuttings last spring and they have taken really well in the front bed. "
             "We had a very dry summer and the hosepipe ban is on. How often should I water roses?")
    reply = mini_bot.ask(story, explain=True)
    assert reply.entry_id == "roses-water"
    assert reply.explanation is not None and reply.explanation["focus"] == "How often should I water roses?"


def test_a_quantifier_asks_nothing_else_of_a_follow_up(default_bot: Bot):
    # "less" is a word of the base ("less common sites") but names nothing: the brain's frequency is asked.
    default_bot.ask("how often does it go to the liver", session="less")
    assert default_bot.ask("and is it less for the brain", session="less").entry_id == "brain-frequency"


def test_these_and_those_point_back_like_it_and_they(default_bot: Bot):
    first = default_bot.ask("what drugs are used for hormone receptor positive breast cancer", session="those")
    assert default_bot.ask("how do those work", session="those").kind == "answer"  # not "how does this work"
    assert default_bot.ask("how does this work").kind == "smalltalk"  # the chat itself
    assert first.kind == "answer"


def test_a_clause_and_a_sentence_that_open_with_whats_are_questions_alike():
    assert question_clause("the nurse said to watch for jaundice, what's that") == "what's that"
    assert question_sentence("The nurse said to watch for jaundice. What's that") == "What's that"
    # ... with the apostrophe dropped, as texts do.
    assert question_clause("its in her bones now, whats the chance it goes to her liver") == \
        "whats the chance it goes to her liver"
    assert question_sentence("The nurse said to watch for jaundice. Hows that different") == "Hows that different"


def test_a_one_sentence_story_is_answered_through_its_question_clause(default_bot: Bot):
    story = "my 55 year old sister has liver mets and bad stomach pain, what treatment would they usually go for"
    reply = default_bot.ask(story, explain=True)
    assert reply.entry_id == "liver-treatment"
    assert reply.explanation is not None and reply.explanation["focus"].startswith("what treatment would they")
    # ... a clause with no telling word of the base's, or that reads as the base's only without the rest, is not.
    assert default_bot.ask("the next time i change my oil, when should it be").kind == "fallback"
    assert default_bot.ask("i'm hungry, where should i go").kind == "fallback"


def test_a_short_follow_up_is_read_with_the_last_question(mini_bot: Bot):
    assert mini_bot.ask("any tips for it?").kind == "fallback"  # nothing to lean on
    mini_bot.ask("How do I make compost?", session="carry")
    reply = mini_bot.ask("any tips for it?", session="carry", explain=True)
    assert reply.kind == "answer" and reply.entry_id == "compost"
    # ... with the topical words of the last question ("how do i" is in every question)
    assert reply.explanation is not None and reply.explanation["read_with"] == "make compost"


def test_gibberish_after_an_answer_leans_on_nothing(mini_bot: Bot):
    mini_bot.ask("How do I make compost?", session="gibberish")
    assert mini_bot.ask("qqzz wxyz", session="gibberish").kind == "fallback"


def _tied(monkeypatch, entries: list[dict], first: str, second: str, facets: dict | None = None) -> Bot:
    """A bot over ``entries`` whose matcher ties ``first`` (80) and ``second`` (79.5), as read, for every message."""
    from chatbot.engine.matcher import Candidate

    bot = Bot(build([("kb.yaml", {"entries": entries, **({"facets": facets} if facets else {})}, {})]))
    one, other = bot.kb.get(first), bot.kb.get(second)
    assert one is not None and other is not None
    tie = [Candidate(one, 80.0, one.question), Candidate(other, 79.5, other.question)]
    monkeypatch.setattr(bot.matcher, "rank", lambda analysis, limit=5, only=None: tie)
    return bot


def test_a_near_tie_goes_to_the_entry_whose_facets_match_the_message(monkeypatch):
    entries = [
        {"id": "lung-treatment", "question": "How are lung tumours treated?", "answer": "With chemotherapy.",
         "source": "Lungs", "facets": {"site": "lung", "aspect": "treatment"}},
        {"id": "chemo", "question": "Can chemotherapy shrink tumours?", "answer": "It can.", "source": "Chemo"},
        {"id": "diet", "question": "What should I eat?", "answer": "A balanced diet.", "source": "Diet"},
        {"id": "exercise", "question": "Can I exercise?", "answer": "Gentle exercise helps.", "source": "Exercise"},
    ]
    facets = {"site": {"lung": ["lung", "lungs"], "bone": ["bone"]}, "aspect": {"treatment": ["treated"]}}
    bot = _tied(monkeypatch, entries, "chemo", "lung-treatment", facets)
    assert bot.ask("can chemotherapy shrink lung tumours").entry_id == "lung-treatment"  # names the lungs
    assert bot.ask("chemotherapy for tumours").kind == "clarify"  # names no facet, and both use its words: a tie


def test_a_near_tie_goes_to_the_one_phrasing_that_asks_the_messages_question_word(monkeypatch):
    entries = [
        {"id": "travel", "question": "How does cancer spread through the body?", "answer": "Through the blood.",
         "source": "A"},
        {"id": "risk", "question": "Will my cancer spread?", "answer": "It depends on the grade.", "source": "B"},
        {"id": "diet", "question": "What should I eat?", "answer": "A balanced diet.", "source": "C"},
    ]
    bot = _tied(monkeypatch, entries, "risk", "travel")
    assert bot.ask("how does cancer spread").entry_id == "travel"
    assert bot.ask("does cancer spread").kind == "clarify"  # opens with no question word: still a tie
    assert bot.ask("what about cancer spreading").kind == "clarify"  # "what" opens every kind of question


def test_a_near_tie_goes_to_the_one_entry_that_uses_every_word_asked(monkeypatch):
    entries = [
        {"id": "signs", "question": "What are the signs of liver tumours?", "answer": "Pain and jaundice.",
         "source": "A"},
        {"id": "care", "question": "How are liver tumours treated?", "answer": "Surgery can shrink them.",
         "source": "B"},
        {"id": "diet", "question": "What should I eat?", "answer": "A balanced diet.", "source": "C"},
    ]
    bot = _tied(monkeypatch, entries, "signs", "care")
    reply = bot.ask("can liver tumours shrink", explain=True)
    assert reply.entry_id == "care"  # only its answer says "shrink"
    assert reply.explanation is not None and "every word asked" in reply.explanation["decision"]
    assert bot.ask("liver tumours?").kind == "clarify"  # both use every word: still a tie


def test_the_offer_of_a_person_sits_before_the_suggested_topics():
    bot = _kb(handoff={"message": "Call us.", "after_fallbacks": 2})
    bot.ask("zzzz qqqq", session="s")
    text = bot.ask("xxxx yyyy", session="s").answer
    assert text.index("Call us.") < text.index(bot.kb.message("suggest"))


def test_the_offer_of_a_person_does_not_come_between_a_question_and_its_topics(default_bot):
    default_bot.ask("my dad was diagnosed with breast cancer, can men even get it", session="men")
    second = default_bot.ask("it may be in his spine", session="men")  # news, not a question
    assert second.kind == "fallback" and second.handoff is not None and second.related
    assert second.answer.endswith(default_bot.kb.message("not_sure"))  # right above the topics it offers


def test_a_message_read_with_the_last_question_keeps_what_it_names(default_bot):
    # "its" points back, but the brain is named: the HER2 answer again would ignore it.
    default_bot.ask("what does her2 positive mean for treatment", session="carry")
    reply = default_bot.ask("how do i know if its in my brain", session="carry")
    assert reply.entry_id != "her2-therapy"
    default_bot.ask("how is lung metastasis treated", session="carry2")
    assert default_bot.ask("why do they give radiation for it", session="carry2").kind == "answer"  # names nothing


def test_a_known_gap_blocks_only_what_the_message_asks(default_bot):
    schedule = "doesn't say how long treatments take"
    story = ("I was told last week that it has spread. I have my first appointment with the oncologist soon. "
             "What treatments are there for metastatic breast cancer?")
    assert schedule not in default_bot.ask(story).answer  # the appointment is the story, not the question
    assert schedule in default_bot.ask("how long are the appointments for chemo?").answer


def test_a_short_message_with_a_subject_of_its_own_is_not_read_with_the_last_question(default_bot):
    default_bot.ask("what are the treatments for brain mets", session="own-subject")
    reply = default_bot.ask("can i get a mortgage with stage 4", session="own-subject")
    assert reply.entry_id != "brain-treatment"  # "mortgage" is no word of this base: no ellipsis


def test_an_adverb_the_base_never_uses_does_not_make_a_message_about_something_else(default_bot):
    # "yet" is a function word: "is there a cure yet" is about a cure, not "mostly words this base never uses".
    reply = default_bot.ask("is there a cure yet", explain=True)
    assert "never uses" not in reply.explanation["decision"]
    assert "curable" in (reply.entry_id, *(reply.context.options or ()))


def test_a_fallback_offers_the_entries_of_the_subject_the_message_names(default_bot):
    reply = default_bot.ask("im scared it will go to my brain", session="named-subject")
    assert reply.kind == "fallback" and reply.related
    assert all(default_bot.kb.get(t.id).facets.get("site") == "brain" for t in reply.related)
    picked = default_bot.ask("2", session="named-subject")  # the topics offered can be picked
    assert picked.kind == "answer" and picked.entry_id == reply.related[1].id
    # An aspect alone is no subject: "since the diagnosis" offers the general topics, not how spread is detected.
    angry = default_bot.ask("is it normal to feel angry all the time since the diagnosis")
    assert angry.kind == "fallback" and "lymph-node-detection" not in [t.id for t in angry.related]


@pytest.mark.parametrize(("first", "then"), [
    ("does the spread to bones make them brittle", "is walking ok or should she rest"),
    ("what are the symptoms of liver mets", "does she need to stop driving"),
])
def test_a_fallback_in_a_conversation_offers_the_entries_of_the_subject_it_holds(default_bot, first, then):
    site = default_bot.kb.get(default_bot.ask(first, session=then).entry_id).facets["site"]
    reply = default_bot.ask(then, session=then)
    assert reply.kind == "fallback" and reply.related
    assert all(default_bot.kb.get(t.id).facets.get("site") == site for t in reply.related)
    # Without the conversation, the base's general topics.
    alone = default_bot.ask(then)
    assert alone.kind == "fallback" and {t.id for t in alone.related} != {t.id for t in reply.related}


def test_a_follow_up_with_nothing_of_its_own_keeps_the_subject_not_the_aspect():
    # The first facet is what the conversation is about: "what can they do for it" after the symptoms of
    # bone metastasis asks about bone metastasis, and read with the whole last question it got the symptoms again.
    entries = [
        {"id": "bone-symptoms", "question": "What are the symptoms of bone metastasis?", "answer": "Pain.",
         "source": "Bones", "facets": {"site": "bone", "aspect": "symptoms"},
         "alternates": ["what does bone metastasis feel like", "symptoms of bone mets", "signs of bone mets"]},
        {"id": "bone-treatment", "question": "How is bone metastasis treated?", "answer": "Radiotherapy.",
         "source": "Bones", "facets": {"site": "bone", "aspect": "treatment"},
         "alternates": ["what can they do for bone mets", "what can be done for bone metastasis",
                        "treatment for bone mets"]},
        {"id": "lung-symptoms", "question": "What are the symptoms of lung metastasis?", "answer": "Cough.",
         "source": "Lungs", "facets": {"site": "lung", "aspect": "symptoms"},
         "alternates": ["what does lung metastasis feel like", "symptoms of lung mets", "signs of lung mets"]},
    ]
    facets = {"site": {"bone": ["bone"], "lung": ["lung"]}, "aspect": {"symptoms": ["symptom"],
                                                                       "treatment": ["treated"]}}
    bot = Bot(build([("kb.yaml", {"entries": entries, "facets": facets}, {})]))
    bot.ask("What are the symptoms of bone metastasis?", session="s")
    reply = bot.ask("what can they do for it", session="s", explain=True)
    assert reply.entry_id == "bone-treatment"
    assert reply.explanation is not None and reply.explanation["read_with"] == "bone"


def test_small_talk_to_the_bot_does_not_take_a_question_about_someone_else(default_bot):
    assert default_bot.ask("what can you do").kind == "smalltalk"
    assert default_bot.ask("what can they do for it").kind != "smalltalk"


def test_a_small_talk_phrase_that_is_a_small_part_of_the_message_is_no_small_talk(default_bot):
    assert default_bot.ask("anything i can do myself to help").kind != "smalltalk"  # not a request for help
    assert default_bot.ask("help").kind == "smalltalk"
    assert default_bot.ask("ok thank you that was really helpful").kind == "smalltalk"
    assert default_bot.ask("thanks a lot for all your help").kind == "smalltalk"


def test_a_facet_does_not_settle_a_tie_for_an_entry_silent_on_what_is_asked(default_bot):
    # The liver names a facet, but the outlook is asked: the symptoms of liver metastasis say nothing of it.
    reply = default_bot.ask("whats the outlook with liver spread")
    assert reply.entry_id != "liver-symptoms"
    # bone treatment's answer names chemotherapy: the facet still settles that tie
    assert default_bot.ask("can chemo be used for bone metastasis?").entry_id == "bone-treatment"


def test_a_follow_up_is_read_with_as_little_of_the_last_question_as_answers(default_bot):
    # Read with the whole last question, "lower it" got the risk of spread again.
    default_bot.ask("what affects the risk of breast cancer spreading", session="lower")
    reply = default_bot.ask("how can it be reduced", session="lower", explain=True)
    assert reply.kind == "answer" and reply.entry_id != "risk-factors"
    assert reply.explanation is not None and reply.explanation["read_with"] == "affect risk"


def test_a_follow_up_is_read_with_the_words_that_name_the_last_entrys_facets(default_bot):
    # The treatments in general name no subject, and the one word of their question most entries do not use
    # ("available") says nothing of them: "how do they choose which one" fell back; read with "treatment" (the
    # first word of the aspect's facet) it is how the treatment is chosen.
    default_bot.ask("what treatments are there for secondary breast cancer", session="choose")
    reply = default_bot.ask("how do they choose which one", session="choose", explain=True)
    assert reply.entry_id == "treatment-factors"
    assert reply.explanation is not None and reply.explanation["read_with"] == "treatment"


def test_a_why_that_points_back_is_answered_by_the_last_answer(default_bot):
    # Read with the bones, "why would that help" got their treatment; the reason is in the answer just given.
    first = default_bot.ask("my dad's partner has bone mets, what can she do at home to help", session="why")
    assert first.entry_id == "bone-health"
    assert default_bot.ask("why would that help", session="why").entry_id == "bone-health"
    # ... but not one that asks a word the last entry never uses: why lymph nodes matter is another entry's.
    assert default_bot.ask("how do they check lymph nodes", session="why-matter").entry_id == "lymph-node-detection"
    assert default_bot.ask("why does it matter", session="why-matter").entry_id == "lymph-node-metastasis"


def test_a_fallback_that_follows_on_offers_the_topics_related_to_the_last_answer(default_bot):
    # It got the base's general topics (where it spreads, bone symptoms...), nothing to do with Herceptin.
    her2 = default_bot.ask("whats herceptin", session="hair")
    assert her2.entry_id == "her2-therapy"
    reply = default_bot.ask("does it make your hair fall out", session="hair")
    assert reply.kind == "fallback"
    assert [t.id for t in reply.related] == [t.id for t in her2.related]
    # ... and so does one that opens as a follow-up does, pointing at nothing ("and how many sessions ...": it got
    # the general topics after radiotherapy; found in the REPL).
    radiation = default_bot.ask("customer asks what radiotherapy is", session="sessions")
    assert radiation.entry_id == "radiation-therapy"
    sessions = default_bot.ask("and how many sessions do you usually need", session="sessions")
    assert sessions.kind == "fallback" and [t.id for t in sessions.related] == [t.id for t in radiation.related]
    # ... but a new question that points at nothing still gets the general ones.
    default_bot.ask("whats herceptin", session="hair-new")
    other = default_bot.ask("can I get free prescriptions", session="hair-new")
    assert other.kind == "fallback" and [t.id for t in other.related] != [t.id for t in her2.related]


def test_a_feeling_nothing_answers_is_offered_the_bases_support_topics(default_bot):
    # It got where cancer spreads and the bones' symptoms, the base's general suggestions.
    reply = default_bot.ask("im so scared, i dont want to leave my kids")
    assert reply.kind == "fallback" and reply.answer.startswith(default_bot.kb.message("distress"))
    assert [t.id for t in reply.related] == list(default_bot.kb.support)
    # ... a question nothing answers, with no feeling in it, still gets the suggestions.
    other = default_bot.ask("can i travel abroad")
    assert [t.id for t in other.related] == [e.id for e in default_bot.kb.suggested_entries()]


def test_a_death_told_is_heard_as_grief_not_answered_with_the_last_topics(default_bot):
    # "my wife died of it last month ..." got "I'm sorry, I don't have an answer to that" and, after an answer on
    # exercise, that answer's topics (diet first). Found in the REPL.
    default_bot.ask("does exercise help", session="grief")
    reply = default_bot.ask("my wife died of it last month and i keep going over whether we missed the signs",
                            session="grief")
    assert reply.kind == "fallback" and reply.answer.startswith(default_bot.kb.message("distress"))
    assert [t.id for t in reply.related] == list(default_bot.kb.support)
    assert default_bot.smalltalk.says_feeling("sadly my dad passed away in june")
    assert not default_bot.smalltalk.says_feeling("she lost weight and her appetite")


def test_what_can_they_do_for_it_asks_about_treatment(default_bot):
    # After the symptoms of liver metastasis, read with the liver it got "What the liver does".
    default_bot.ask("my nan has stage iv breast cancer in her liver", session="nan")
    assert default_bot.ask("what can they do for it", session="nan").entry_id == "liver-treatment"
    assert default_bot.ask("what can be done for lung mets").entry_id == "lung-treatment"


def test_a_correction_follows_what_it_meant_not_what_it_did_not(default_bot):
    # "sorry i meant bones not brain" named both organs, so neither: a fallback, and the brain stayed the subject.
    default_bot.ask("whats the symptoms if its in the brain", session="not-brain")
    assert default_bot.ask("sorry i meant bones not brain", session="not-brain").entry_id == "bone-symptoms"
    assert default_bot.ask("how many people get that", session="not-brain").entry_id == "bone-frequency"
    default_bot.ask("how common are lung mets", session="rather")
    assert default_bot.ask("no i meant the liver rather than the lungs", session="rather").entry_id == "liver-frequency"


def test_a_quantifier_is_no_subject_of_its_own(default_bot):
    # "least" is a word the base never uses, but it asks how much of the last topic, as "most" does (set 14's tune
    # half: it fell back once such words stopped a message leaning on the last answer).
    for text in ("where does breast cancer spread to most often", "which is most common"):
        default_bot.ask(text, session="least")
    assert default_bot.ask("and the least common of those", session="least").kind == "answer"


def test_a_request_about_the_last_answer_is_judged_in_the_conversation(default_bot):
    # Alone, "can you give some examples" reads as general chat to the domain model: it fell back, though the
    # targeted therapy answer names its examples (set 13's tune half).
    default_bot.ask("whats targeted therapy", session="examples-of")
    assert default_bot.ask("can you give some examples", session="examples-of").entry_id == "targeted-therapy"


def test_a_carried_answer_must_say_something_of_the_words_the_message_brings(default_bot):
    # "it" points back, but the chemo is the message's own subject, and the HER2 answer says nothing of it.
    default_bot.ask("whats herceptin", session="done")
    assert default_bot.ask("i dont want any more chemo, i am done with it", session="done").entry_id != "her2-therapy"
    default_bot.ask("what is targeted therapy", session="who")
    assert default_bot.ask("who is it for", session="who").entry_id == "targeted-therapy"  # brings none


@pytest.mark.parametrize("then", ["what does it do", "what is it used for"])
def test_it_is_the_subjectless_answer_just_given_not_a_subject_held_from_before(default_bot, then):
    # Found in the REPL: after the lungs, then hormone therapy, "what does it do" got the lungs' symptoms.
    for text in ("what are the chances it goes to the lungs", "tell me about hormone therapy"):
        default_bot.ask(text, session=f"held {then}")
    assert default_bot.ask(then, session=f"held {then}").entry_id == "hormone-therapy"
    # ... but after a fallback that named a subject since, "that" is that subject.
    for text in ("where does breast cancer spread to", "what about the brain, what happens if it goes there"):
        default_bot.ask(text, session=f"named {then}")
    assert default_bot.ask("and how would that be treated", session=f"named {then}").entry_id == "brain-treatment"


@pytest.mark.parametrize("then", ["how does it work?", "how do they work", "does it work"])
def test_a_question_about_the_chat_asked_of_it_after_an_answer_is_about_the_answer(default_bot, then):
    # Two writers (sets 16 and 17) asked "how does it work" after hormone therapy and got what the bot can do.
    assert default_bot.ask(then).kind == "smalltalk"  # alone, it may well be about the bot
    default_bot.ask("what is hormone therapy", session=then)
    assert default_bot.ask(then, session=then).entry_id == "hormone-therapy"
    default_bot.ask("what is hormone therapy", session=f"{then} this")
    assert default_bot.ask("how does this work", session=f"{then} this").kind == "smalltalk"  # "this": the chat
    default_bot.ask("what is hormone therapy", session=f"{then} maybe")
    assert default_bot.ask("maybe it does", session=f"{then} maybe").kind != "answer"  # answers, asks nothing


def test_a_message_that_names_an_aspect_is_no_conversation_control(default_bot):
    # Alone, the small-talk model reads "what would that feel like" as a request to hear the answer again (0.82);
    # after lung frequency it asks for the lungs' symptoms, which "feel like" names (set 17's tune half).
    default_bot.ask("what are the chances it goes to the lungs", session="feel")
    assert default_bot.ask("and what would that feel like?", session="feel").entry_id == "lung-symptoms"
    again = default_bot.ask("can you say that again", session="feel")  # names nothing: still the control
    assert again.kind == "smalltalk" and "shortness of breath" in again.answer.lower()


@pytest.mark.parametrize("then", ["what would we look out for", "what might she notice", "what should we watch for"])
def test_what_one_would_notice_of_the_subject_held_is_its_symptoms(default_bot, then):
    # The base's symptoms aspect includes the lay verbs for them (set 12's tune half fell back on both of its).
    default_bot.ask("how common is it for breast cancer to go to the brain", session=then)
    assert default_bot.ask(then, session=then).entry_id == "brain-symptoms"


@pytest.mark.parametrize(("then", "other"), [("what does it do", "liver-function"),
                                             ("what is it used for", "cdk46-inhibitors")])
def test_a_message_that_points_back_is_read_with_the_last_answer_it_could_be_asked_of(default_bot, then, other):
    # Alone, each is answered by another entry on words the hormone therapy entry uses too ("do", "used"): what the
    # liver does, CDK4/6 inhibitors. "it" is the hormone therapy just described.
    assert default_bot.ask(then).entry_id == other
    default_bot.ask("what is hormone therapy", session=then)
    assert default_bot.ask(then, session=then).entry_id == "hormone-therapy"
    # ... but not where the message names a subject of its own.
    default_bot.ask("what is hormone therapy", session=f"{then} lungs")
    assert default_bot.ask(f"{then} in the lungs", session=f"{then} lungs").entry_id != "hormone-therapy"


@pytest.mark.parametrize("then", ["how do i cancel it", "is it raining", "can she fly with it",
                                  "can i get a refund on it"])
def test_it_is_not_the_last_answer_in_a_message_that_brings_an_english_word_the_base_never_uses(default_bot, then):
    # Each got the liver's symptoms again. (So does a word the base knows in another form: "how can it be reduced"
    # after the risk of spread is read with it; the light stemmer leaves "reduced" whole, the base says "reduce".)
    default_bot.ask("what are the symptoms of liver mets", session=then)
    assert default_bot.ask(then, session=then).kind != "answer"


def test_a_message_with_a_word_neither_english_nor_the_bases_is_not_read_with_the_last_answer(default_bot):
    # "it" points back, but "cn" and "xq" are not understood: carrying the curability answer would be a guess.
    default_bot.ask("can stage 4 be cured", session="garbled")
    assert default_bot.ask("cn u tell me wer it xq first", session="garbled").kind == "fallback"
    default_bot.ask("can stage 4 be cured", session="plain")
    assert default_bot.ask("is it curable with surgery", session="plain").kind == "answer"  # understood


def test_a_facet_the_message_names_twice_is_not_taken_from_the_last_answer(default_bot):
    # "scans" and "symptoms" both name an aspect: the liver is asked about, but not its treatment.
    default_bot.ask("how is bone metastasis treated", session="aspects")
    reply = default_bot.ask("scans show spots on the liver now. what symptoms should we look out for, caller asks",
                            session="aspects")
    assert reply.entry_id != "liver-treatment"
    default_bot.ask("how is bone metastasis treated", session="liver")
    assert default_bot.ask("and the liver?", session="liver").entry_id == "liver-treatment"  # one named: kept


def test_a_story_names_the_subject_its_question_leaves_out(default_bot):
    # The question is reported ("he is asking how common that is") and says "that": the story said the liver.
    # (Since the order of training was drawn from the texts, "last month", words of a story phrasing of prevention,
    # outweigh the rest for the matcher; the classifier all but rules prevention out, so the question is read.)
    reply = default_bot.ask("my husband was told last month it is in his liver. he is asking how common that is")
    assert reply.entry_id == "liver-frequency"
    # ... and an answer about another organ than the story's is no answer to it.
    reply = default_bot.ask("Caller's mother was diagnosed 2 years ago, now scans show spots on the liver. "
                            "Caller wants to know what symptoms to look out for.")
    assert reply.entry_id in (None, "liver-symptoms")


def test_the_there_of_is_there_does_not_point_back(default_bot):
    default_bot.ask("what are the symptoms of liver metastasis", session="there")
    reply = default_bot.ask("is there a single treatment plan for all patients", session="there")
    # Tailored treatment, answered or (0.34 to a bar of 0.35 since the systemic-therapy entry) offered first.
    assert reply.entry_id == "personal-plan" or (reply.kind == "fallback" and reply.related[0].id == "personal-plan")
    default_bot.ask("what are the symptoms of liver metastasis", session="there2")
    assert default_bot.ask("are there treatments for that", session="there2").entry_id == "liver-treatment"  # "that"
    default_bot.ask("what are the symptoms of liver metastasis", session="that")
    reply = default_bot.ask("is there one treatment plan that suits everybody", session="that")  # a relative "that"
    assert reply.entry_id == "personal-plan"
    default_bot.ask("what are the symptoms of bone metastasis", session="there3")
    assert default_bot.ask("what about treatment there", session="there3").entry_id == "bone-treatment"  # a place


def test_a_conversation_keeps_its_subject_through_an_answer_that_names_none(default_bot):
    # "how does cancer get there" is answered by how cancer travels, which names no organ: the lymph nodes stay.
    context = Context()
    for text in ("what is a lymph node", "how does cancer get there"):
        context = default_bot.respond(text, context).context
    assert context.subject == "lymph"
    data = context.to_dict()
    assert Context.from_dict(data, default_bot.kb).subject == "lymph"  # it travels with the context
    assert Context.from_dict({**data, "subject": "spleen"}, default_bot.kb).subject == ""  # not one of the base's
    assert default_bot.respond("how do they test for it", context).entry_id == "lymph-node-detection"


def test_a_request_for_a_person_is_recognised_however_it_is_worded():
    bot = _kb(handoff={"message": "Call us."})
    for text in ("can i speak to a real person pls", "get me a human please", "is there a person i can talk to",
                 "put me through to an agent", "i need to talk to somebody"):
        assert bot.ask(text).kind == "handoff", text
    assert bot.ask("when should i prune roses").kind != "handoff"


def test_small_talk_learns_wordings_no_phrase_is_close_to():
    bot = _kb(handoff={"message": "Call us."})
    for text in ("is there a helpline i could ring", "ffs just let me talk to an actual human"):
        assert bot.ask(text).kind == "handoff", text
    # ... and yields to any word of the base's own subject: a question about roses stays a question.
    assert bot.ask("does pruning roses matter").stage not in ("control", "smalltalk")


def test_a_message_read_with_the_last_question_needs_an_entry_that_covers_its_main_word(default_bot: Bot):
    # "diet" asks about something the lung symptoms entry never mentions: no repeat of that answer.
    default_bot.ask("what are the symptoms of lung mets", session="diet")
    assert default_bot.ask("does diet make it any better", session="diet").entry_id != "lung-symptoms"
    default_bot.ask("what are the signs it has spread to the bones", session="exercise")
    assert default_bot.ask("can exercise help stop it coming back", session="exercise").entry_id != "bone-symptoms"


def test_discourse_phrases_are_left_out_of_matching(default_bot: Bot):
    analysis = default_bot.analyzer.analyze("what makes it more likely to spread in the first place, by the way")
    assert "place" not in analysis.content and "way" not in analysis.content
    assert default_bot.ask("what makes it more likely to spread in the first place").entry_id == "risk-factors"
    # A light-verb idiom says nothing of the topic: "play a role" is not the chemotherapy entry's "what role does
    # chemo play", whose two words it shared.
    assert default_bot.ask("do genes play a role in whether it spreads?").entry_id == "risk-factors"
    # Announcing a question, or a change of subject, asks nothing of differences.
    announced = default_bot.analyzer.analyze("completely different question - can it go to the brain as well?")
    assert "different" not in announced.content and "completely" not in announced.content
    default_bot.ask("could she break a bone from her bone mets?", session="announced")
    assert default_bot.ask("completely different question - can it go to the brain as well?",
                           session="announced").entry_id in ("brain-frequency", "brain-symptoms")
    # ... nor do the learned models read it (the entry classifier read "does exercise help at all" at 0.86, and at
    # 0.22 behind the announcement; found in the REPL).
    assert default_bot.ask("completely different question - does exercise help at all").entry_id == "exercise"
    assert default_bot.ask("does diet play a part in it spreading").entry_id == "diet"


def test_did_you_mean_offers_only_entries_that_share_a_telling_word(default_bot: Bot):
    # "is she going to be ok" shares only "going" with "the chances of it going to the bones": no such offer.
    for text in ("is she going to be ok", "are you going to get back to me", "hello is this working"):
        reply = default_bot.ask(text)
        assert reply.kind == "fallback" and not reply.answer.endswith(default_bot.kb.message("not_sure")), text
    reply = default_bot.ask("wat are the chanses of bone spred")  # shares "bone", "chances": still offered or answered
    assert reply.kind == "answer" or reply.answer.endswith(default_bot.kb.message("not_sure"))


def test_a_storys_question_that_points_back_is_read_with_the_subject_the_story_named(default_bot: Bot):
    # "it" is the metastatic cancer the story told of, which the question alone does not name.
    reply = default_bot.ask("my aunt was told it had metastasised, the family is in pieces. how long do people "
                            "survive with it")
    # The outlook, or (as since the order of training was drawn from the texts: 0.31 to a bar of 0.35) no answer.
    assert reply.entry_id == "curable" or reply.kind == "fallback"
    reply = default_bot.ask("my wife has just heard it's metastatic, we're both numb. what can they do to treat it")
    assert reply.kind == "answer" and reply.entry_id == "treatment-options"


def test_an_entry_about_another_subject_than_the_one_named_is_not_the_answer(default_bot: Bot):
    # An agent's phrasing of the brain's entry shares every word but the subject: the bones are named.
    reply = default_bot.ask("Caller's mum has secondaries in her bones and wants to know what treatment options exist.")
    assert reply.kind == "answer" and reply.entry_id == "bone-treatment"
    # ... nor does such an entry make a tie with the one entry of the subject named.
    reply = default_bot.ask("Caller's husband has breast cancer in his liver and is asking what treatments exist.")
    assert reply.kind == "answer" and reply.entry_id == "liver-treatment"
    # ... and with none of the subject named confident enough, no answer rather than the brain's.
    assert default_bot.ask("Agent: caller's aunt has it in her liver now and she wants to know what treatments "
                           "exist").entry_id != "brain-treatment"


def test_a_message_read_with_the_last_topic_is_judged_by_its_telling_words(default_bot: Bot):
    # "give" is among the commonest words of English: the pain is what is asked, and the bones' treatment covers it.
    default_bot.ask("my nan has breast cancer and they think its in her bones now", session="give")
    reply = default_bot.ask("what can they give her for the pain", session="give")
    assert reply.kind == "answer" and reply.entry_id == "bone-treatment"


@pytest.mark.parametrize(("first", "then", "expected"), [
    ("my sister was told her cancer has gone to her spine, what does that mean for her", "how do they treat it there",
     "bone-treatment"),
    ("i was told its in my liver now. can it be cured?", "how would they treat it", "liver-treatment"),
])
def test_it_and_there_are_the_subject_the_conversation_holds(default_bot, first, then, expected):
    # The first answer is a general one (no organ of its own), but the person named one: "it" is that organ.
    assert default_bot.kb.get(default_bot.ask(first, session=then).entry_id).facets.get("site") is None
    assert default_bot.ask(then, session=then).entry_id == expected


def test_it_and_that_are_the_held_subject_when_the_nearest_phrasing_names_another(default_bot):
    # The nearest phrasings of "is that common" and "what does it do" name the bones; the conversation is of the liver.
    default_bot.ask("her cancer is in her liver", session="other")
    assert default_bot.ask("is that common", session="other").entry_id == "liver-frequency"
    assert default_bot.ask("what does it do", session="other").entry_id == "liver-function"


def test_a_choice_of_entries_of_no_subject_is_read_with_the_held_subject_too(default_bot):
    # Two writers of sets 13 and 14: "them" are the lymph nodes, not a choice between how cells travel and the
    # steps of metastasis, as an answer of no subject to a message that points back would be read.
    for text in ("how does the cancer get into them", "how does cancer spread into them"):
        default_bot.ask("what are lymph nodes", session=text)
        assert default_bot.ask(text, session=text).entry_id == "lymph-node-metastasis", text


def test_a_message_that_names_no_subject_is_not_answered_with_another_one(default_bot):
    # Set 13's tune half: "what would the signs be" after the brain got the liver's signs, though nothing points
    # back; and "happen", a word of everyday English that no brain entry uses, kept "how often does that happen"
    # from the brain's frequency (it got the lungs').
    default_bot.ask("can breast cancer go to the brain", session="unnamed")
    assert default_bot.ask("what would the signs be", session="unnamed").entry_id == "brain-symptoms"
    assert default_bot.ask("how often does that happen", session="unnamed").entry_id == "brain-frequency"
    # ... while what the message names of the other subject's own answer still takes it there.
    assert default_bot.ask("what about jaundice", session="unnamed").entry_id == "liver-symptoms"


@pytest.mark.parametrize("text", ["what should I do if I notice any of them?", "what should i do if i notice them"])
def test_a_subject_is_not_guessed_from_a_word_that_only_names_an_aspect(default_bot, text):
    # Set 17's and 19's tune halves: after the warning signs, each got the lungs' symptoms on "notice", a word of the
    # symptoms aspect that only the lungs' entry happens to use; nothing named the lungs.
    alone = default_bot.ask(text)
    assert alone.entry_id != "lung-symptoms"
    default_bot.ask("what signs of metastatic breast cancer should i watch for", session=text)
    assert default_bot.ask(text, session=text).entry_id != "lung-symptoms"
    # ... while a conversation that holds the lungs answers with their symptoms.
    default_bot.ask("can breast cancer spread to the lungs", session=f"{text} lungs")
    assert default_bot.ask(text, session=f"{text} lungs").entry_id == "lung-symptoms"


def test_a_choice_of_two_keeps_the_subject_the_message_named(default_bot):
    # The first message got a clarify (warning signs, or the liver's symptoms) from the model trained before the
    # order of training was drawn from the texts; the liver's symptoms now. Either way the liver is what is meant.
    first = default_bot.ask("caller says her mum has been told it's spread to the liver, what are the symptoms to "
                            "watch for", session="after-clarify")
    assert first.kind == "clarify" or first.entry_id == "liver-symptoms"
    assert default_bot.ask("and how would they treat that", session="after-clarify").entry_id == "liver-treatment"


def test_the_held_subject_does_not_override_what_a_message_asks(default_bot):
    # "the newer ones" asks about newer treatments, which what the liver does is silent on.
    default_bot.ask("Caller's sister has breast cancer in her liver and is asking what treatments exist.", session="n")
    assert default_bot.ask("She wants to know which of those are the newer ones.", session="n").entry_id != \
        "liver-function"


def test_small_talk_examples_train_the_model_but_are_never_matched_as_phrases(default_bot, mini_bot):
    intents = {i.id: i for i in default_bot.smalltalk.intents}
    assert "go for it" in intents["yes"].examples and "go for it" not in intents["yes"].phrases
    # Matched as a phrase, "go for it" made this short question a "yes".
    assert mini_bot.ask("any tips for it?").kind == "fallback"
    # ... while the model they train recognises wordings no phrase has.
    default_bot.ask("how is bone metastasis treated", session="examples")
    reply = default_bot.ask("that answer is about something else entirely", session="examples")
    assert reply.stage == "control" and reply.kind == "clarify"
    assert "bone-treatment" not in [o.id for o in reply.options]  # the runners-up, not the answer again


@pytest.mark.parametrize(("text", "expected"), [
    ("what can they give her for it", "what can they give her for bone"),
    ("is that common", "is bone common"),
    ("how is it treated there", "how is bone treated there"),
    ("is there a plan that suits", "is there a plan that suits bone"),  # existential "there", relative "that"
    ("what do they do", "what do they do bone"),  # "they" is the doctors, mostly
])
def test_the_referent_stands_in_for_the_word_that_points_at_it(text, expected):
    assert with_referent(text, "bone") == expected


def test_the_in_a_synonym_phrase_stands_for_any_determiner():
    analyzer = Analyzer({"prevent": ["lower the risk"], "her2": ["her 2"]}, ["lower", "risk", "prevent"])
    for text in ("how can i lower the risk", "how can i lower my risk", "what can you do to lower that risk",
                 "can she lower her risk"):
        assert "prevent" in analyzer.analyze(text).canonical.split(), text
    assert analyzer.analyze("is she her 2 positive").canonical.split()[-2:] == ["her2", "positive"]
    assert "prevent" not in analyzer.analyze("lower risk").canonical  # a determiner, not none


def test_saying_how_one_feels_gets_a_kind_word_and_places_to_start(default_bot: Bot):
    # "im scared" got "I'm sorry, I don't have an answer to that in this FAQ".
    for text in ("im scared", "I'm so worried", "im struggling"):
        reply = default_bot.ask(text)
        assert reply.kind == "smalltalk" and reply.related and "sorry you're feeling" in reply.answer, text
    # ... a feeling with a question is the question; one with a sign of crisis is triage's.
    assert default_bot.ask("i'm scared it has spread to my brain").kind == "answer"
    assert default_bot.ask("im not coping, i want to end it all").kind == "urgent"


def test_an_entry_the_classifier_all_but_rules_out_is_no_answer(default_bot: Bot):
    # "watch" is a word of a warning-signs phrasing; the classifier gives that entry 0.003.
    reply = default_bot.ask("what does jaundice mean, the nurse said to watch for it", explain=True)
    assert reply.kind == "fallback" and "liver-symptoms" in [t.id for t in reply.related]
    assert reply.explanation is not None and "rules the entry out" in reply.explanation["decision"]
    # ... while an answer the classifier merely doubts stands: "should I be eating more calcium" (0.06).
    assert default_bot.ask("should I be eating more calcium").entry_id == "bone-health"


def test_a_reply_that_neither_asks_nor_answers_is_small_talk(default_bot: Bot):
    # "i think it could be either one" got the advice to see a doctor, on "think" in its phrasings.
    for text in ("i think it could be either one", "i'll have to think about it", "hmm hard to say", "maybe"):
        reply = default_bot.ask(text)
        assert reply.kind == "smalltalk" and "That's fine" in reply.answer, text
    # ... while a question that uses the same words is the question.
    assert default_bot.ask("could it be in her bones?").kind == "answer"
    assert default_bot.ask("is it possible that it spreads to the liver").kind == "answer"


def test_what_a_message_sets_apart_is_found_up_to_the_end_of_its_clause():
    assert set_apart("apart from the actual cancer treatment, what else can help") == ["the actual cancer treatment"]
    # A list runs across commas; a question's opening word after a comma ends it.
    assert set_apart("Apart from bones, lungs, liver and brain, where else can it spread?") == [
        "bones, lungs, liver and brain"]
    assert set_apart("Apart from the cancer drugs, is there anything else?") == ["the cancer drugs"]
    assert set_apart("is there support for her besides the treatment") == ["the treatment"]
    assert set_apart("what is hormone therapy") == []


def test_an_entry_of_what_the_message_sets_apart_does_not_answer_it(default_bot: Bot):
    # The liver's treatment is what the message sets apart: it is no answer, however many words it shares.
    reply = default_bot.ask("apart from the actual cancer treatment, what else can help someone with liver mets")
    assert reply.entry_id != "liver-treatment"
    assert default_bot.followups.set_apart(set_apart("besides the treatment, what helps with bone mets")) == {
        "aspect": {"treatment"}}
    # An entry whose title the message sets apart whole is no answer either (tried as a stranger).
    assert default_bot.ask("besides radiotherapy what else can help her back pain").entry_id != "radiation-therapy"
    # Setting the common sites apart asks for the others.
    assert default_bot.ask("Apart from bones, lungs, liver and brain, where else can breast cancer spread?").entry_id \
        == "sites-less-common"
    # One way of a kind set apart asks for the others: a biopsy is an instance of diagnosis, not its name.
    assert default_bot.followups.set_apart(["a biopsy"]) == {}
    checked = default_bot.ask("besides a biopsy how else can they check the lymph nodes")
    assert checked.entry_id == "lymph-node-detection"


def test_an_opening_condition_is_not_what_a_follow_up_asks(default_bot: Bot):
    assert conditioned_question("and if cancer is found in those, what's the treatment?") == "what's the treatment?"
    assert conditioned_question("what's the treatment if it is there") is None  # no opening condition
    default_bot.ask("what are lymph nodes", session="nodes")
    default_bot.ask("how do doctors check them for cancer?", session="nodes")
    # "found" is the condition's word, not the question's: the treatment of the nodes is asked.
    reply = default_bot.ask("and if cancer is found in those, what's the treatment?", session="nodes")
    assert reply.entry_id == "lymph-node-treatment"


def test_a_request_that_names_nothing_is_about_the_question_the_story_reports_before_it(default_bot: Bot):
    text = ("My daughter is doing a biology project and asked me what the stages of metastasis are called. I know "
            "there's some long words like intra-something. Can you list them?")
    assert reported_before(text, "Can you list them?") == "what the stages of metastasis are called."
    assert default_bot.ask(text).entry_id == "metastasis-steps"
    assert reported_before("I am tired. Can you help?", "Can you help?") is None


def test_the_context_settles_a_tie_only_for_an_entry_the_message_matches(default_bot: Bot):
    default_bot.ask("What symptoms do bone metastases cause?", session="tie")
    assert default_bot.ask("is that common?", session="tie").entry_id == "bone-frequency"
    # A tie of bone health and bone treatment: the conversation's last entry (how common) is neither.
    reply = default_bot.ask("what can she do herself to help her bones", session="tie")
    assert reply.entry_id != "bone-frequency"


def test_the_two_terms_a_message_compares_are_found():
    assert compared_terms("is 'metastatic' the same thing as advanced breast cancer or are they different") == (
        "metastatic", "advanced breast cancer")
    assert compared_terms("Caller is asking whether 'advanced breast cancer' and 'metastatic breast cancer' are the "
                          "same thing") == ("advanced breast cancer", "metastatic breast cancer")
    assert compared_terms("whats the difference between DCIS and invasive breast cancer") == (
        "dcis", "invasive breast cancer")
    assert compared_terms("is stage 4 different from secondary?") == ("stage 4", "secondary")
    assert compared_terms("is immunotherapy the same thing?") is None  # one term: the other is the last answer's
    assert compared_terms("will she get her own plan or the same as everyone") is None


def test_two_names_the_base_reads_as_one_get_its_definition_and_alike_words_do_not(default_bot: Bot):
    for text in ("is metastatic the same thing as advanced breast cancer or are they different",
                 "are secondaries and stage 4 the same?", "is there a difference between secondary and metastatic"):
        assert default_bot.ask(text).entry_id == "what-is-metastasis", text
    # Words that are alike are no synonyms: in the bones, breast cancer is what it is asked to be told apart from.
    assert default_bot.ask("is breast cancer in the bones the same as bone cancer").entry_id != "bone-symptoms"
    # Terms the base does not read as one are asked about as they are.
    for text in ("whats the difference between DCIS and invasive breast cancer",
                 "is breast cancer in the bones the same as bone cancer"):
        assert "read_as" not in default_bot.ask(text, explain=True).explanation, text


def test_a_correction_names_what_the_last_question_meant_instead(default_bot: Bot):
    assert default_bot.ask("how common are lung mets in advanced breast cancer", session="fix").entry_id == \
        "lung-frequency"
    assert default_bot.ask("no I meant the bones", session="fix").entry_id == "bone-frequency"
    assert default_bot.ask("sorry, i meant her liver", session="fix").entry_id == "liver-frequency"
    # Naming nothing of the base's, a correction is no follow-up: the matcher reads it.
    assert default_bot.ask("no I meant something else", session="fix").entry_id != "liver-frequency"


def test_a_question_about_another_subject_does_not_count_toward_offering_a_person(default_bot: Bot):
    default_bot.ask("tell me about melanoma", session="other")  # another subject: the scope's fallback
    first = default_bot.ask("zzzz qqqq", session="other")
    assert first.kind == "fallback" and first.handoff is None  # the first question this base failed
    second = default_bot.ask("xxxx yyyy", session="other")
    assert second.kind == "fallback" and second.handoff is not None


def test_what_else_besides_is_answered_by_the_answer_that_sets_the_same_apart():
    care = {"id": "care", "question": "What do roses need?", "source": "Roses",
            "answer": "Besides watering, roses need mulch, sun and a yearly feed."}
    bot = _kb((care,))
    # The answer opens by setting watering apart: it tells what else there is.
    assert bot.ask("apart from watering, what else do my roses need").entry_id == "care"
    assert bot.ask("other than the watering, is there anything more i should do").entry_id == "care"
    # Not when the message asks nothing else ("when"), or asks for what that answer never says (pests).
    assert bot.ask("apart from watering, when should I prune roses").entry_id == "prune"
    assert bot.ask("apart from watering, what else keeps pests off").entry_id != "care"


def test_setting_a_thing_apart_asks_what_else_there_is_without_saying_else(default_bot: Bot):
    # "what help is there apart from the cancer treatment itself" fell back: no "else", "other" or "more".
    assert default_bot.ask("what help can she get apart from the treatment").entry_id == "supportive-care"


def test_what_else_besides_one_thing_is_the_subjects_entry_that_lists_it_among_others(default_bot: Bot):
    # "what else is there besides surgery" after the liver's treatment fell back: the liver's treatment names
    # surgery among the other options, and they are what is asked.
    default_bot.ask("can liver mets be operated on", session="besides-liver")
    other = default_bot.ask("what else besides an operation", session="besides-liver", explain=True)
    assert other.entry_id == "liver-treatment"
    assert other.explanation is not None and "lists what the message sets apart" in other.explanation["decision"]
    assert default_bot.ask("other than chemo what can they do for bone mets").entry_id == "bone-treatment"
    # ... the subject named inside what is set apart too ("besides chemo for lung mets" fell back: the lungs, set
    # apart with the chemo, named no subject, and their treatment's title shared a word with it).
    assert default_bot.ask("what else is there besides chemo for lung mets").entry_id == "lung-treatment"
    # Of several entries of the subject that name it, the one just given.
    default_bot.ask("how are lymph node mets treated", session="besides-nodes")
    assert default_bot.ask("anything apart from surgery?", session="besides-nodes").entry_id == "lymph-node-treatment"
    # With no subject named or held, no list is the subject's: nothing to answer with.
    assert default_bot.ask("what else is there besides surgery", session="besides-none").entry_id is None
    # ... nor when it asks for what that list never says (the fatigue).
    default_bot.ask("how is bone mets treated", session="besides-asked")
    assert default_bot.ask("besides radiotherapy, what else helps with the fatigue",
                           session="besides-asked").entry_id != "bone-treatment"


def test_what_a_statement_sets_apart_at_its_opening():
    from chatbot.engine.language import opens_apart, without_set_apart

    assert opens_apart("In addition to medical treatment, supportive care helps. Besides the bones, lungs and "
                       "liver, it can spread elsewhere.") == [(0, "medical treatment"), (1, "the bones")]
    assert opens_apart("Supportive care, besides treatment, helps.") == []  # not at a sentence's opening
    assert without_set_apart("Apart from the cancer drugs, is there anything else").split() == \
        [",", "is", "there", "anything", "else"]


def test_a_weak_match_is_no_answer_unless_the_calibrator_is_confident(default_bot: Bot, monkeypatch):
    import dataclasses

    from chatbot.engine.matcher import Candidate
    from chatbot.engine.stages import CONFIDENT_ENOUGH, RECOGNISED, SUGGEST_THRESHOLD

    entry = default_bot.kb.get("bone-health")
    assert entry is not None
    weak = Candidate(entry, SUGGEST_THRESHOLD - 5, entry.question, confidence=0.5, learned=RECOGNISED / 2)
    monkeypatch.setattr(default_bot.ranker, "rank", lambda analysis, limit=5: [weak])
    message = "what else might help her keep her skeleton sturdy"
    assert default_bot.respond(message, Context()).kind == "fallback"  # few words shared, and the classifier unsure
    sure = dataclasses.replace(weak, confidence=CONFIDENT_ENOUGH)
    monkeypatch.setattr(default_bot.ranker, "rank", lambda analysis, limit=5: [sure])
    assert default_bot.respond(message, Context()).entry_id == "bone-health"  # the calibrator weighs both already


@pytest.mark.parametrize(("text", "expected"), [
    ("which is more common, lung or liver mets", "sites-frequency"),
    ("is brain spread rarer than bone spread", "sites-frequency"),
    ("do lung mets and liver mets cause the same symptoms", "warning-signs"),
    ("how common is liver spread", "liver-frequency"),  # one subject: its own entry
])
def test_a_comparison_of_subjects_is_answered_by_the_entry_of_every_subject(default_bot: Bot, text: str,
                                                                             expected: str):
    reply = default_bot.ask(text)
    assert (reply.kind, reply.entry_id) == ("answer", expected)


def test_explain_names_the_comparison_rule(default_bot: Bot):
    explanation = default_bot.ask("is brain spread rarer than bone spread", explain=True).explanation
    assert explanation is not None and "comparison of subjects" in explanation["decision"]
    assert explanation["matched"]["entry_id"] == "sites-frequency"


@pytest.mark.parametrize(("text", "expected"), [
    ("what is the prognosis", "curable"),
    ("whats the outlook", "curable"),
    ("what is the life expectancy", "curable"),
    ("what's her life expectancy now", "curable"),
    ("whats the prognosis now", "curable"),
    ("whats the outlook for stage 4", "curable"),  # words most entries use ask nothing of their own
    # Not asked of the base: after the bot, or a story of something else.
    ("how are things treating you", None),
    ("do i still have any pto days left, and if so, how many", None),
])
def test_an_aspect_named_alone_is_its_general_entry(default_bot: Bot, text: str, expected: str | None):
    # Found as a stranger: "what's the outlook" and "whats the prognosis now" fell back (the classifier read the
    # frame as chat), though the outlook has one entry for every subject.
    reply = default_bot.ask(text)
    assert (reply.entry_id if reply.kind == "answer" else None) == expected


def test_the_aspect_a_storys_question_asks_is_the_one_answered(default_bot: Bot):
    # Found as a stranger: the story named the bones, its question the outlook, and the bones' symptoms came back.
    text = "My wife was told last week it has spread to her bones. What's the prognosis?"
    assert default_bot.ask(text).entry_id == "curable"
    # Only the question's aspect: a story's own words may name another ("finished her treatment"), and a story whose
    # question names none keeps its best match.
    assert default_bot.ask("My mum has bone mets. What will she feel?").entry_id == "bone-symptoms"
    # ... nor where the entry's own phrasings ask that aspect: its author says it answers it.
    text = "My mum was told she's HER2-positive and early stage. Can a targeted drug lower the chance of it spreading?"
    assert default_bot.ask(text).entry_id == "her2-therapy"
