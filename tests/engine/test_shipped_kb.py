"""The embedded knowledge base: well formed, complete, and answering people as they talk."""

from __future__ import annotations

import sys

import pytest

from chatbot import Bot
from chatbot.engine.loader import default_kb_path
from tests.support import DATA, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from regression import evaluate

SECTIONS = {
    "Introduction",
    "Where Does Breast Cancer Spread To?",
    "Common Sites of Metastatic Breast Cancer",
    "Understanding Lymph Nodes and Metastasis",
    "How Breast Cancer Affects Bones",
    "Liver and Metastatic Breast Cancer",
    "Treatments for Advanced Breast Cancer",
    "Strategies for Preventing Metastatic Breast Cancer",
}

# A ratchet, per question set: raise these as quality improves, never lower them.
MIN_RATES = {
    "questions.yaml": {"answer": 0.98, "fallback": 1.0, "smalltalk": 1.0, "urgent": 1.0, "conversation": 1.0},
    "people.yaml": {"answer": 0.98, "fallback": 1.0, "smalltalk": 1.0, "urgent": 1.0, "conversation": 1.0},
}


def test_default_kb_is_found():
    assert default_kb_path().is_file()


def test_shape(default_bot: Bot):
    kb = default_bot.kb
    assert 40 <= len(kb) <= 60
    for entry in kb.entries:
        assert entry.source in SECTIONS, entry.id
        assert len(entry.alternates) >= 8, entry.id
        assert 2 <= len(entry.related) <= 4, entry.id
        assert entry.answer.count(".") >= 2, entry.id
    assert kb.greeting and "not medical advice" in kb.greeting
    assert kb.disclaimer


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        ("what are the steps of metastasis", ["invasion", "intravasation", "circulation", "extravasation",
                                              "colonization"]),
        ("how often does it spread to each organ", ["70%", "30%", "20%", "10%"]),
        ("hormone therapy", ["tamoxifen", "letrozole", "anastrozole"]),
        ("cdk4/6 inhibitors", ["palbociclib", "ribociclib"]),
        ("what is her2 therapy", ["trastuzumab"]),
        ("risk factors for spread", ["negative"]),
    ],
)
def test_document_facts_are_answerable(default_bot: Bot, text: str, facts: list[str]):
    reply = default_bot.ask(text)
    assert reply.kind == "answer", reply
    for fact in facts:
        assert fact.lower() in reply.answer.lower(), (fact, reply.entry_id)


def test_garbled_source_text_is_corrected(default_bot: Bot):
    answers = " ".join(e.answer for e in default_bot.kb.entries)
    assert "-harmful" not in answers and "receptor-harmful" not in answers


@pytest.mark.parametrize(
    "text",
    ["where does prostate cancer spread", "how is melanoma treated", "what are the symptoms of diabetes",
     "does chemo make you lose your hair", "how much does herceptin cost", "what dose of tamoxifen",
     "where can i buy tamoxifen", "can i drive after chemo", "can i work during treatment",
     "how long does radiation take", "is it safe to fly with lung mets"],
)
def test_out_of_scope_and_uncovered_fall_back(default_bot: Bot, text: str):
    assert default_bot.ask(text).kind == "fallback"


def test_a_pointing_follow_up_that_asks_something_else_is_not_read_through_the_facets(default_bot: Bot):
    default_bot.ask("what are the chances it spreads to my brain", session="fu-else")
    reply = default_bot.ask("how long do people live with it in the liver", session="fu-else")
    assert reply.entry_id != "liver-frequency" and reply.stage != "follow_up"
    # ... while one that asks only through the facets still is.
    assert default_bot.ask("is it common in the bones", session="fu-else").entry_id == "bone-frequency"


def test_a_follow_up_that_resolves_to_the_last_answer_is_read_by_the_matcher(default_bot: Bot):
    # Its facets change nothing, so what else it asks decides: the REPL re-gave bone symptoms here.
    default_bot.ask("symptoms of bone mets", session="same")
    assert default_bot.ask("is it the same as bone cancer", session="same").entry_id == "secondary-not-new-cancer"


@pytest.mark.parametrize(("kind", "site", "expected"), [
    ("whats immunotherapy", "what about for lymph node spread", "lymph-node-treatment"),
    ("is surgery ever used once its spread", "what about the liver", "liver-treatment"),
])
def test_a_site_asked_after_a_kind_of_treatment_gets_that_sites_treatment(default_bot: Bot, kind: str, site: str,
                                                                           expected: str):
    # Each kind of treatment is the treatment aspect: "and for the lymph nodes?" after immunotherapy is how lymph
    # node spread is treated, not what it is (a writer's conversation; the facets did not carry through before).
    default_bot.ask(kind, session=f"kind-site-{kind}")
    assert default_bot.ask(site, session=f"kind-site-{kind}").entry_id == expected


def test_another_kind_of_treatment_named_after_one_is_not_the_general_entry(default_bot: Bot):
    # The treatment aspect both share moves nowhere: the entry the bare aspect stands for is not what was asked.
    default_bot.ask("how does hormone therapy work", session="kind-kind")
    reply = default_bot.ask("and targeted therapy, what's that?", session="kind-kind")
    assert reply.entry_id == "targeted-therapy"


@pytest.mark.parametrize(("text", "expected"), [
    ("the nurse mentioned jaundice. what's that", "liver-symptoms"),
    ("the nurse said to watch for jaundice, what is that", "liver-symptoms"),  # a clause, not a sentence
    # The word rare in English, not the one rare in this base ("appointment"), is what was named.
    ("they mentioned the peritoneum at the appointment. what is that?", "sites-less-common"),
])
def test_what_a_term_the_message_named_is_asks_of_that_term(default_bot: Bot, text: str, expected: str):
    assert default_bot.ask(text).entry_id == expected


def test_what_a_term_the_base_never_uses_is_is_not_answered(default_bot: Bot):
    assert default_bot.ask("mums oncologist wants to start capecitabine, what is it").kind == "fallback"
    assert default_bot.ask("my friend is on capecitabine. what is it?").kind == "fallback"


def test_an_aspect_asked_of_a_site_without_its_own_entry_is_the_general_one(default_bot: Bot):
    # The bones have no entry on the outlook: the outlook in general answers (the bones' entries were offered).
    assert default_bot.ask("whats the outlook for someone with bone mets").entry_id == "curable"
    assert default_bot.ask("can brain mets be cured").entry_id == "curable"


def test_how_it_spreads_is_not_how_one_would_know_it_has(default_bot: Bot):
    # "how do i know if it has spread" was read as "how ... spread" ("do", "i", "know", "if" are function words), so
    # "how does breast cancer spread" got the warning signs; "how do i know if" is now the base's word for signs.
    reply = default_bot.ask("how does breast cancer spread")
    assert reply.entry_id != "warning-signs"
    assert reply.entry_id == "how-it-travels" or "how-it-travels" in [o.id for o in reply.options]
    assert default_bot.ask("how do i know if my breast cancer has spread").entry_id == "warning-signs"


def test_the_emergency_guidance_keeps_the_subject_the_message_named(default_bot: Bot):
    # Found in the REPL: after the emergency text, "it" was about nothing.
    first = default_bot.ask("my mum has bone mets and suddenly cant feel her legs", session="urgent-subject")
    assert first.kind == "urgent" and first.context.subject == "bone"
    assert default_bot.ask("how common is it", session="urgent-subject").entry_id == "bone-frequency"
    # The crisis text keeps none: nothing after it leans on a topic.
    crisis = default_bot.ask("i want to end it all, the cancer is in my liver now", session="crisis-subject")
    assert crisis.triage == "crisis" and crisis.context.subject == ""


def test_what_the_doctors_can_do_is_treatment(default_bot: Bot):
    # "doctor" alone is a word of many stories ("my doctor said it has metastasised, what does that mean"): the
    # REPL answered "what can the doctors do" after liver symptoms with the introduction.
    default_bot.ask("my mum has secondaries in her liver and lungs, shes very tired and not eating", session="docs")
    assert default_bot.ask("what can the doctors do", session="docs").entry_id == "liver-treatment"
    assert default_bot.ask("what will the doctors do about the cancer in her bones").entry_id == "bone-treatment"


def test_asking_whether_she_is_dying_is_not_answered_with_the_last_answer_again(default_bot: Bot):
    # "dying" was a word the base never used (the light stemmer leaves it whole): read with the last question's
    # words, the lung symptoms came back a second time.
    # The outlook is the answer, or the first suggestion: at a confidence below the bar, or (as now, 0.71 to the
    # calibrator) on an entry the classifier all but rules out (stages.RULED_OUT; it reads "mean" as a definition).
    default_bot.ask("what are the symptoms of lung mets", session="dying")
    reply = default_bot.ask("does that mean she is dying", session="dying")
    assert reply.entry_id == "curable" or (reply.kind == "fallback" and reply.related[0].id == "curable")
    # ... nor "how long has she got", which asks the outlook in lay words (it fell back with nothing to offer).
    reply = default_bot.ask("how long has she got")
    assert reply.entry_id == "curable" or (reply.kind == "fallback" and reply.related[0].id == "curable")


def test_an_answer_that_strays_from_the_conversations_subject_on_an_incidental_word_is_not_given(default_bot: Bot):
    # "notice" is a word of one of the lungs' phrasings, not of their answer: the REPL gave the lungs' symptoms. (It
    # then fell back offering the brain's entries; since "notice" names the symptoms aspect, it gets the brain's.)
    default_bot.ask("can it go to her brain too?", session="stray")
    assert default_bot.ask("what would we notice", session="stray").entry_id == "brain-symptoms"
    # ... while a word of the other subject's own answer still takes the conversation there.
    assert default_bot.ask("what about jaundice", session="stray").entry_id == "liver-symptoms"
    # ... nor does "it" make the other subject's answer one: "what would we notice with it" got the lungs' symptoms,
    # and "does it cause heart problems" after the liver the bones' ("cause", "problems").
    default_bot.ask("can it go to her brain too?", session="stray-it")
    assert default_bot.ask("what would we notice with it", session="stray-it").entry_id != "lung-symptoms"
    default_bot.ask("her cancer is in her liver", session="stray-heart")
    assert default_bot.ask("does it cause heart problems", session="stray-heart").entry_id != "bone-symptoms"


def test_how_would_they_know_asks_how_it_is_found_not_the_last_aspect(default_bot: Bot):
    default_bot.ask("my mum has secondaries in her liver", session="know")
    default_bot.ask("what can they do for it", session="know")
    reply = default_bot.ask("ok and how would they know if its gone to her brain as well", session="know")
    assert reply.entry_id == "brain-symptoms"  # no entry says how the brain is checked: its signs
    default_bot.ask("what are lymph nodes", session="look")
    assert default_bot.ask("how do they look for it", session="look").entry_id == "lymph-node-detection"


def test_a_storys_question_is_judged_by_its_own_words_not_the_storys(default_bot: Bot):
    # The domain model read the whole story ("... she just feels guilty") as general chat.
    reply = default_bot.ask("no she's not suicidal, she just feels guilty. how do we support her")
    assert reply.kind in ("answer", "clarify"), reply


def test_another_subject_an_entry_names_is_that_entrys_to_answer(default_bot: Bot):
    # "has my breast cancer become bone cancer" is a phrasing of the base's own: asked without the
    # base's words, it is still the base's question, and other questions about bone cancer are not.
    for text in ("is it now bone cancer", "is that the same as bone cancer?"):
        reply = default_bot.ask(text)
        assert (reply.kind, reply.entry_id) == ("answer", "secondary-not-new-cancer"), text
    for text in ("what is bone cancer", "how is bone cancer treated", "melanoma brain mets treatment options?"):
        assert default_bot.ask(text).stage == "scope", text
    # ... also when another entry is the best match but this one answers with the confidence an answer needs
    # (the story shares more words with liver symptoms).
    reply = default_bot.ask("Caller is asking if her mum's secondaries in the liver mean she now has liver cancer")
    assert (reply.kind, reply.entry_id) == ("answer", "secondary-not-new-cancer")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("can breast cancer cause seizures?", "answer"),
        ("she is having a seizure right now", "urgent"),
        ("I can't breathe", "urgent"),
        ("I want to kill myself", "urgent"),
        ("is chest pain a sign of lung mets", "answer"),
    ],
)
def test_urgent_only_for_emergencies(default_bot: Bot, text: str, kind: str):
    reply = default_bot.ask(text)
    assert reply.kind == kind
    if kind == "urgent":
        assert "911" in reply.answer


def test_self_harm_gets_a_crisis_line(default_bot: Bot):
    assert "988" in default_bot.ask("i keep thinking about ending my life").answer


def test_typo_query_from_the_issue(default_bot: Bot):
    reply = default_bot.ask("wher does brest cancer sprad")
    assert reply.entry_id == "sites-common"


@pytest.mark.parametrize("name", sorted(MIN_RATES))
def test_regression_question_sets(name: str):
    rates, failures = evaluate(Bot.from_default(), DATA / name)
    low = {k: f"{ok}/{n}" for k, (ok, n) in rates.items() if ok / n < MIN_RATES[name][k]}
    assert not low, f"{low}\n" + "\n".join(failures)


def test_goes_to_and_went_to_an_organ_are_spread(default_bot: Bot):
    # Found trying the bot as a stranger: the question named the liver, but "goes to" was no spread, and the lungs'
    # "one of the usual places breast cancer goes" came first.
    text = "my mum was told the cancer is now in her bones, whats the chance it goes to her liver as well"
    reply = default_bot.ask(text)
    assert reply.entry_id == "liver-frequency"


def test_an_agent_relaying_a_symptom_and_what_would_they_do_about_it(default_bot: Bot):
    # Tried as a stranger: "says" weighed as a word of the question (it is "said" in the present), and "what would
    # they do about it" was no treatment ("what will they do about it" was).
    first = default_bot.ask("caller says her dad has lung mets and keeps coughing at night, she wants to know if "
                            "thats normal", session="agent")
    assert first.entry_id == "lung-symptoms"
    assert default_bot.ask("and what would they do about it", session="agent").entry_id == "lung-treatment"


def test_an_appointment_is_no_question_of_how_long_treatment_takes(default_bot: Bot):
    # Found as a stranger: "what should we ask the oncologist at the next appointment" was told the article does not
    # say how long treatments take, on the word "appointment"; so were parking and booking.
    for text in ("what should we ask the oncologist at the next appointment",
                 "where can I park when I come in for my appointment?"):
        reply = default_bot.ask(text)
        assert reply.kind == "fallback" and "how long treatments take" not in reply.answer, text
    assert "how long treatments take" in default_bot.ask("how long does chemo take each time").answer
