"""A question for a time, an amount, a price or which is better is answered only by an entry that gives one."""

from __future__ import annotations

import pytest

from chatbot import Bot
from chatbot.engine.asks import asked, effect_asked, given
from chatbot.engine.builder import build


@pytest.mark.parametrize(("text", "kinds"), [
    ("how long does radiotherapy for bone mets take", {"time"}),
    ("how many months do people live with it", {"time"}),
    ("what is the average life expectancy", {"time"}),
    ("how much calcium per day do i need", {"amount"}),
    ("how many women get brain metastases", {"amount"}),
    ("what dose of tamoxifen should I be on", {"amount"}),
    ("how much does palbociclib cost", {"price"}),
    ("how much is a private consultation", {"price"}),
    ("letrozole or anastrozole - which one is better?", {"merit"}),
    ("is a bone scan better than an mri for finding it", {"merit"}),
    ("whats the best treatment for triple negative", {"merit"}),
    ("which hospital is the best for brain mets", {"merit"}),
    # Worse is the same judgement turned round.
    ("is triple negative worse than HER2 positive?", {"merit"}),
    ("which is worse for quality of life, bone mets or brain mets?", {"merit"}),
    ("does the pain get worse at night", set()),
    # Better as an adverb, best as no choice: none.
    ("will chemo help her breathe better", set()),
    ("my best friend has bone mets", set()),
    ("is there a single best treatment for it", set()),
    ("what is the best way to lower the risk", set()),
    # How far, not how much of something: no kind asked.
    ("how much does exercise help", set()),
    ("how much of the liver can be removed", set()),
    ("what is hormone therapy", set()),
])
def test_the_kind_of_fact_a_question_asks_for(text: str, kinds: set[str]):
    assert asked(text) == kinds


@pytest.mark.parametrize(("text", "effect"), [
    ("does herceptin damage the heart", ("damage", "the heart")),
    ("can liver mets cause tummy pain", ("cause", "tummy pain")),
    ("what problems can bone mets cause", None),  # nothing asked of an effect on something
    ("how is it treated", None),
])
def test_an_effect_asked_is_the_verb_and_what_it_acts_on(text: str, effect: tuple[str, str] | None):
    assert effect_asked(text) == effect


def test_an_entry_gives_a_kind_by_its_answer_or_by_a_phrasing_that_asks_it():
    assert given("Some women may live for many years with the disease.", []) == {"time"}
    assert given("Bone metastases occur in about 70%.", []) == {"amount"}
    assert given("HER2-positive cancers are treated with trastuzumab.", []) == set()  # a name is no number
    assert given("Your team will find the best treatment for you.", []) == {"merit"}
    assert given("Metastatic breast cancer has a poorer prognosis.", []) == {"merit"}
    # An FAQ of intents whose answers are labels: the phrasings say what the entry answers.
    assert given("This is the answer about card delivery.", ["how long until my new card arrives"]) == {"time"}


def _bot() -> Bot:
    entries = [
        {"id": "radio", "question": "What does radiotherapy do for bone pain?", "source": "Treatment",
         "answer": "Radiotherapy can relieve bone pain and prevent further damage."},
        {"id": "course", "question": "How long is a course of chemotherapy?", "source": "Treatment",
         "answer": "Chemotherapy is given in cycles."},
        {"id": "live", "question": "How long can people live with it?", "source": "Outlook",
         "answer": "Many people live for years with it."},
        {"id": "hormone", "question": "What is hormone therapy?", "source": "Treatment",
         "answer": "Hormone therapy, such as tamoxifen or letrozole, blocks the hormones some cancers grow on."},
    ]
    return Bot(build([("kb.yaml", {"entries": entries}, {})]))


def test_a_question_for_a_time_the_answer_never_gives_is_not_answered():
    bot = _bot()
    assert bot.ask("What does radiotherapy do for bone pain?").entry_id == "radio"
    reply = bot.ask("how long does radiotherapy for bone pain take", explain=True)
    assert reply.kind == "fallback"
    assert "kind of fact" in reply.explanation["decision"]
    # Given in the answer, or asked by the entry's own phrasing: answered.
    assert bot.ask("how long can people live with it").entry_id == "live"
    assert bot.ask("how long does a course of chemotherapy last").entry_id == "course"


def test_which_of_two_is_better_is_not_answered_by_an_answer_that_only_names_them():
    bot = _bot()
    assert bot.ask("what is hormone therapy, is it tamoxifen or letrozole").entry_id == "hormone"
    reply = bot.ask("tamoxifen or letrozole hormone therapy, which one is better", explain=True)
    assert reply.kind == "fallback"
    assert "merit" in reply.explanation["decision"]
    assert reply.answer.startswith(bot.kb.message("not_ranked"))
    assert [t.id for t in reply.related] == ["hormone"]


def test_the_shipped_base_offers_what_it_has_instead_of_a_wrong_figure(default_bot: Bot):
    reply = default_bot.ask("how many months do people usually live with liver mets from breast cancer")
    assert reply.kind == "fallback"
    # Understood, but the figure is not there: said so, and the entry close to it offered.
    reply = default_bot.ask("how long does the radiotherapy take")
    assert reply.answer.startswith(default_bot.kb.message("not_stated"))
    assert [t.id for t in reply.related] == ["radiation-therapy"]
    assert default_bot.ask("how long can you live with metastatic breast cancer").entry_id == "curable"
    assert default_bot.ask("how many women get brain metastases").entry_id == "brain-frequency"


def test_a_figure_asked_of_one_subject_is_not_the_figure_of_the_whole(default_bot: Bot):
    # The outlook's "many years" is of the disease as a whole, not of liver or bone metastasis.
    for text in ("average life expectancy with liver mets from breast cancer",
                 "how long can someone live with bone only metastatic breast cancer, in years"):
        reply = default_bot.ask(text)
        assert reply.kind == "fallback" and reply.answer.startswith(default_bot.kb.message("not_stated")), text
    assert default_bot.ask("how long can you live with metastatic breast cancer").entry_id == "curable"
    # An answer that names the subject gives its figure: how often each site is affected, or the site's own entry.
    assert default_bot.ask("what percentage of breast cancers spread to the bones").kind == "answer"
    assert default_bot.ask("how many women get brain metastases").entry_id == "brain-frequency"


def test_a_suggestion_below_the_threshold_says_the_figure_is_not_there(default_bot: Bot):
    # Below the threshold, but what is asked is a time the nearest entry does not give: said so, not "not sure".
    reply = default_bot.ask("and how long will the chemo go on for")
    assert reply.kind == "fallback"
    assert reply.answer.startswith(default_bot.kb.message("not_stated"))
    assert reply.related and reply.related[0].id == "chemotherapy"
