"""Triage on a small knowledge base of its own: signs, ConText modifiers, outcomes, config errors."""

from __future__ import annotations

import pytest

from chatbot import Bot, KnowledgeBaseError
from chatbot.engine.builder import build
from chatbot.engine.paths import read_yaml
from chatbot.engine.triage import Triage, TriageConfig, parse
from chatbot.engine.triage.context import _filled
from chatbot.engine.triage.lexicon import Lexicon, lone_word, temperatures

TRIAGE = {
    "messages": {"emergency": "Call 999 now.", "crisis": "You are not alone: call 116 123.",
                 "urgent_care": "Call your chemo line now."},
    "terms": {
        "legs": ["leg", "legs"], "weak": ["weak", "weakness", "numb", "giving way"],
        "seizure": ["seizure", "fit", "fitting"],
        "self_harm": ["kill myself", "end it all", "dont want to go on"],
        "treatment": ["chemo", "treatment"],
        "fever": ["fever", "temperature", "38", "39"], "chemo": ["chemo", "chemotherapy"],
    },
    "concepts": [
        {"id": "cord", "outcome": "emergency", "signs": [["legs", "weak"]]},
        {"id": "seizure", "outcome": "emergency", "signs": [["seizure"]]},
        {"id": "self_harm", "outcome": "crisis", "signs": [["self_harm"]], "unless": ["treatment"],
         "reads": ["negation", "historical"]},
        {"id": "sepsis", "outcome": "urgent_care", "scope": "message", "signs": [["fever", "chemo"]]},
    ],
}


@pytest.fixture(scope="module")
def triage() -> Triage:
    config, problems = parse(TRIAGE)
    assert problems == []
    return Triage(config)


def outcome(triage: Triage, text: str) -> str | None:
    finding = triage.assess(text)
    return finding.outcome if finding else None


def calm_but_not(triage: Triage, calm: tuple[str, ...], now: str, expected: str = "emergency") -> None:
    """Each of ``calm`` raises nothing; ``now``, told with the same words, raises ``expected``."""
    for text in calm:
        assert triage.assess(text) is None, text
    assert outcome(triage, now) == expected, now


@pytest.mark.parametrize("text", [
    "my legs have gone numb",
    "weakness in both legs since this morning",
    "my mum's legs keep giving way",
    "she is having a fit",
    "is it normal that my legs are numb?",  # a question about the writer's own body, now
    "are seizures a side effect of chemo? my wife is fitting right now",  # "now" in another sentence
    "my legs are numbb and weak",  # a typo outside English is fixed
    "she was fine now she's fitting",  # the recovery comes before the sign: no story that ended well
    "had a fit last month, fine since, but now she is fitting again",  # told again, now
    "she hasn't woken up properly and her legs aren't working, they're numb",  # denials of other things
    "my sister isn't herself, her legs are weak",  # "isn't herself" denies nothing
    "legs weak and numb, what's happening",  # "what's happening" is now, not "what happens"
    "back in november she had radiotherapy and now her legs are weak",  # now, after the opening time
])
def test_emergencies_now_are_found(triage: Triage, text: str):
    assert outcome(triage, text) == "emergency"


@pytest.mark.parametrize("text", [
    "no numbness in my legs",  # negated
    "she isn't having a seizure",
    "I had a seizure last year",  # historical
    "what should I do if she has a fit",  # hypothetical
    "is a seizure a sign of brain metastasis",  # a question naming nobody
    "are seizures common",
    "my legs are a bit weak after the walk",  # mild
    "I'm fit and healthy",  # figurative / idiom
    "the wait is killing me",
    "she had a fit at christmas, seizure free for 8 months now",  # a story that ended well
    "my legs went weak in the summer, had surgery and I'm walking again",
    "my legs aren't weak, I can walk fine",  # a denial inside the sign
    "my legs went weak but they're ok now",  # "now" ends the recovery: no marker of an emergency now
    "I had a fit last year but I'm fine now. Can seizures come back?",  # nor for the next sentence
    "her legs went weak last month, now she's much better and walking",  # "now" opens the recovery
    "mum almost had a seizure when she saw the bill",
    "what happens if my legs go weak",
    "my legs are weak for long walks",  # a limit, not a loss (read as mild)
    "back in november she fell over at the shops and afterwards her legs were weak",  # the opening time dates it
    "over christmas my legs went numb, is physio available",  # a time built from parts: lead + named time
    "it fits with what the nurse said",  # "fits with" is no seizure
    "the wig doesn't fit",
    "will I get a plan that fits me rather than a one-size-fits-all approach?",  # the idiom
])
def test_calm_mentions_are_not(triage: Triage, text: str):
    assert outcome(triage, text) is None


def test_crisis_only_for_self_harm_intent(triage: Triage):
    assert outcome(triage, "I want to kill myself") == "crisis"
    assert outcome(triage, "what if I just end it all?") == "crisis"  # hypotheticals still count here
    assert outcome(triage, "I don't want to go on") == "crisis"
    assert outcome(triage, "I don't want to go on with chemo") is None  # a treatment decision
    assert outcome(triage, "after chemo I want to end it all") == "crisis"  # the treatment comes before it
    # Thoughts that have lasted weeks are still a crisis; a symptom that has lasted months is long-standing.
    assert outcome(triage, "I have thought about how to end it all for a few weeks") == "crisis"
    assert outcome(triage, "my legs have been numb for a few months") is None
    assert outcome(triage, "my legs have been weak for a week") == "emergency"  # weeks is still new
    assert outcome(triage, "am I going to die from this?") is None  # fear is not intent


def test_puzzled_about_a_matter_is_no_clouded_mind(default_bot: Bot):
    # Each got the emergency text on "confused" (the shipped base's sign of high calcium and of brain spread); the
    # first was a tune question, the rest written after it.
    for text in ("I was told it came back in the scar and is not metastatic. I'm confused because it seems like it "
                 "spread", "im confused why they want to do another scan", "the letter left me confused",
                 "honestly im confused how hormone therapy works"):
        assert default_bot.ask(text).kind != "urgent", text
    # ... a clouded mind still raises it, a cause given ("because her calcium is high") or not.
    for text in ("mum is suddenly confused and doesnt know where she is",
                 "shes confused because her calcium is high and shes very drowsy",
                 "she's more confused than yesterday and can't stay awake"):
        reply = default_bot.ask(text)
        assert (reply.kind, reply.triage) == ("urgent", "emergency"), text


def test_preparing_begun_in_the_past_and_still_going_on_is_now(default_bot: Bot):
    # Both got no alarm: "weeks ago" and "months ago" put them in the past, though the stockpiling goes on (found
    # while testing the treatment-decision phrases, the second written after it).
    for text in ("gave up on the tablets weeks ago, been stockpiling them for when i'm ready to go",
                 "stopped my meds months ago and have been saving them up for the right moment"):
        assert (default_bot.ask(text).triage) == "crisis", text
    # ... other things planned or collected since are no marker of now.
    for text in ("weeks ago i thought about ending it but ive been planning my daughters wedding since and feel better",
                 "i had dark thoughts years ago, ive been collecting stamps to keep busy"):
        assert default_bot.ask(text).kind != "urgent", text


def test_fear_for_another_persons_life_is_fate_not_intent(triage: Triage):
    # Each got the crisis text (0.87 to the crisis model for the first; found in a question set, the rest written
    # after it): the fate feared is someone else's, whatever the fear is called.
    for text in ("im terrified shes going to die soon", "my dad is going to die and i dont know how to tell the kids",
                 "everyone says she will die soon", "im petrified my wife is going to die"):
        assert triage.assess(text) is None, text
    # ... a sign of self-harm still counts, and the writer's own death is left to the models: "{someone} will die"
    # filled "i will die" and stood this one down.
    finding = triage.assess("my friend said shes going to die tonight and has the pills ready")
    assert finding is not None and finding.outcome == "crisis"
    finding = triage.assess("i will die by my own hand, it's decided")
    assert finding is not None and finding.outcome == "crisis"


@pytest.mark.parametrize(("text", "expected"), [
    ("I'm on chemo and my temp is 38", "urgent_care"),  # a measuring word before the number
    ("on chemo, it's 38.4 tonight", "urgent_care"),  # a decimal
    ("on chemo and 39 degrees", "urgent_care"),  # a unit
    ("I'm 38 and on chemo, can I still work?", None),  # an age
    ("she's 39, on chemo since may", None),
])
def test_a_bare_number_is_a_reading_only_where_the_message_measures(triage: Triage, text: str, expected: str | None):
    assert outcome(triage, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("temp was 37.4 last night and it's 36.8 now", [37.4, 36.8]),
    ("my temp is 98.4F", [98.4]),
    ("thermometer says 38", [38.0]),
    ("I'm 38 and on chemo", []),  # an age
    ("day 8 after chemo", []),
    ("it's been 40 minutes", []),
])
def test_temperatures_are_the_readings_a_sentence_gives(text: str, expected: list[float]):
    words = text.lower().replace("'", "").replace(".", " ").split()
    assert temperatures(words) == pytest.approx(expected)


@pytest.mark.parametrize("text", [
    "on day 9 after chemo my temp is 36.9, feeling ok, just washed out",
    "took mum's temperature twice, 36.6 and 37.0, she's on docetaxel and a bit tired",
    "my temp is 98.4F, on chemo, just tired",
    "had chemo tuesday, temperature's 36.8 and I feel alright, can I see my grandkids",
])
def test_a_normal_temperature_is_no_fever_to_the_learned_model(default_bot: Bot, text: str):
    # Each got the emergency text from the learned model alone (0.79-0.92), written after the rule, not before.
    assert default_bot.ask(text).kind != "urgent"
    # ... while a fever, or a sign the file lists beside a normal reading, still raises it.
    assert default_bot.ask(text.replace("36.9", "38.9").replace("37.0", "38.6").replace("98.4F", "101.3F")
                           .replace("36.8", "38.8")).kind == "urgent"
    assert default_bot.ask("on chemo, shivering uncontrollably under three duvets, temp 37.2").kind == "urgent"


def test_message_scope_joins_sentences(triage: Triage):
    assert outcome(triage, "I'm on chemo. Tonight I have a fever of 38.5.") == "urgent_care"
    assert outcome(triage, "I have a fever") is None  # no chemotherapy named
    assert outcome(triage, "what if I get a fever during chemo") is None


def test_the_most_pressing_outcome_wins(triage: Triage):
    assert outcome(triage, "on chemo with a fever and now she is fitting") == "emergency"


def test_finding_names_concept_and_evidence(triage: Triage):
    finding = triage.assess("my legs went numb")
    assert finding is not None and finding.concept == "cord" and "numb" in finding.evidence
    assert finding.message == "Call 999 now."


def test_bad_config_is_reported():
    _, problems = parse({"messages": {}, "terms": {"a": ["x"]},
                         "concepts": [{"id": "c", "outcome": "panic", "signs": [["a"]]},
                                      {"id": "d", "outcome": "emergency", "signs": [["nope"]]}]})
    assert any("outcome must be one of" in p for p in problems)
    assert any("unknown term class 'nope'" in p for p in problems)
    assert any("no message for outcome 'emergency'" in p for p in problems)
    with pytest.raises(KnowledgeBaseError, match="triage"):
        build([("kb.yaml", {"entries": [{"id": "a", "question": "q", "answer": "a", "source": "s"}],
                            "triage": {"concepts": "x"}}, {})])
    _, problems = parse({"messages": {"crisis": "m"}, "terms": {"a": ["x"]},
                         "concepts": [{"id": "c", "outcome": "crisis", "signs": [["a"]], "backs": ["ghost"]}]})
    assert any("unknown term class 'ghost'" in p for p in problems)


def test_a_class_with_a_reach_pairs_only_with_what_follows_it_closely():
    terms = {**TRIAGE["terms"], "cant": ["cant", "wont"], "breathe": ["breathe", "breath"]}
    concepts = [*TRIAGE["concepts"], {"id": "breathing", "outcome": "emergency", "signs": [["cant", "breathe"]]}]
    config, problems = parse({**TRIAGE, "terms": terms, "concepts": concepts, "reach": {"cant": 3}})
    assert problems == []
    unbounded, _ = parse({**TRIAGE, "terms": terms, "concepts": concepts})

    def sign(config: TriageConfig, text: str) -> str | None:
        finding = Triage(config).assess(text)
        return finding.concept if finding else None

    story = "she has a cough that won't go away and gets out of breath on the stairs"
    assert sign(unbounded, story) == "breathing"  # without a reach the words pair across the sentence
    assert sign(config, story) != "breathing"
    assert sign(config, "she can't catch her breath") == "breathing"
    assert sign(config, "she cant really breathe properly") == "breathing"  # fillers are not counted


@pytest.mark.parametrize(("reach", "problem"), [
    ({"ghost": 2}, "unknown term class 'ghost'"), ({"legs": 0}, "triage.reach.legs must be a whole number"),
    ({"legs": "two"}, "triage.reach.legs must be a whole number"), (["legs"], "triage.reach must map"),
])
def test_a_bad_reach_is_reported(reach: object, problem: str):
    _, problems = parse({**TRIAGE, "reach": reach})
    assert any(problem in p for p in problems), problems


def test_bot_replies_urgent_with_triage_field():
    kb = build([("kb.yaml", {"entries": [{"id": "a", "question": "How do I water roses?", "answer": "Often.",
                                          "source": "Roses"}], "triage": TRIAGE}, {})])
    bot = Bot(kb)
    reply = bot.ask("I want to kill myself")
    assert (reply.kind, reply.triage, reply.stage) == ("urgent", "crisis", "triage")
    assert reply.answer == "You are not alone: call 116 123."
    assert bot.ask("How do I water roses?").triage is None


def test_a_base_question_naming_nobody_is_a_topic_not_a_report():
    entries = [{"id": "fits", "question": "Can brain metastasis cause seizures?", "answer": "It can.", "source": "B",
                "alternates": ["seizures with brain metastasis"]}]
    bot = Bot(build([("kb.yaml", {"entries": entries, "triage": TRIAGE}, {})]))
    assert bot.ask("seizures with brain metastasis").kind == "answer"
    assert bot.ask("my wife is having a seizure").kind == "urgent"
    assert bot.ask("seizure now").kind == "urgent"  # "now": a report, whatever the base holds


def test_the_learned_part_catches_wordings_no_sign_lists(triage: Triage):
    text = "my husband has gone a funny grey colour and is making gurgling noises and won't answer me"
    finding = triage.assess(text)
    assert finding is not None and (finding.outcome, finding.concept) == ("emergency", "learned")
    assert triage.assess("what if he goes a funny grey colour and makes gurgling noises") is None  # a what-if
    assert triage.assess("my husband had gurgling noises and went grey last year") is None  # the past
    # A marker of now that an "if" puts in the what-if (0.89 to the model): "started" starts nothing now.
    assert triage.assess("If I started vomiting and couldn't keep my tablets down, what would happen?") is None


def test_a_few_words_with_no_sign_are_not_raised_by_the_model_alone(triage: Triage):
    assert triage.assess("stop it now!") is None


def test_the_learned_part_tells_a_crisis_from_an_emergency(triage: Triage):
    # No self-harm phrase of the file is in these: the model of self-harm messages reads them.
    for text in ("i dont see the point in anything anymore, i just want to sleep forever",
                 "ive started writing letters to say goodbye to everyone"):
        finding = triage.assess(text)
        assert finding is not None and (finding.outcome, finding.concept) == ("crisis", "learned"), text
    assert triage.assess("i used to feel there was no point in anything, years ago, not now") is None  # the past
    assert triage.assess("am i going to die from this?") is None  # fear is not intent
    # ... nor asking what a result means for one's life: both read 0.88-0.90 to the crisis model (the crisis text).
    for text in ("does this mean he is going to die soon", "does this mean i am going to die soon"):
        assert triage.assess(text) is None, text


def test_not_wanting_to_leave_loved_ones_is_grief_not_intent(triage: Triage):
    # Both read as self-harm to the learned models (0.85, 0.94) and got the crisis text (found in the REPL).
    for text in ("im so scared, i dont want to leave my kids", "i dont want to leave my husband alone",
                 "i cant bear the thought of leaving my girls"):
        assert triage.assess(text) is None, text
    # ... a sign of self-harm still counts, and so does a fear of leaving that a negation turns into intent.
    finding = triage.assess("i dont want to leave my kids but ive got the pills ready for tonight")
    assert finding is not None and finding.outcome == "crisis"
    finding = triage.assess("I'm not afraid of leaving anymore. I'm going to make it happen myself, sooner rather "
                            "than later.")
    assert finding is not None and finding.outcome == "crisis"


@pytest.mark.parametrize(("text", "expected"), [
    # Not waking up, feared: "not wake up" was a self-harm phrase, and fear stands no such phrase down.
    ("im scared ill go to sleep one night and not wake up, is that normal to think", None),
    ("he's petrified he'll not wake up in the night", None),
    ("I'm terrified I'll never wake up from the anaesthetic", None),
    # ... wished for, it is a passive wish to be gone; fear in another sentence does not govern it.
    ("i just want to go to sleep and not wake up", "crisis"),
    ("I keep praying I'll go to sleep and never wake up", "crisis"),
    ("I'm scared of everything. I just want to sleep and never wake up", "crisis"),
    # ... and fear never stands down a sign: "scared" is no reading of a fit.
    ("I'm scared, she's having a seizure", "emergency"),
])
def test_an_outcome_feared_is_not_wished(default_bot: Bot, text: str, expected: str | None):
    finding = default_bot.triage.assess(text)
    assert (finding.outcome if finding else None) == expected


def test_a_denied_crisis_phrase_is_fear_and_a_denial_without_one_is_no_stand_down(default_bot: Bot):
    triage = default_bot.triage
    for calm in ("I don't want to die", "she doesn't want to die", "goodbye",
                 "i havent taken too many tablets, i just want to check if i can take paracetamol"):
        assert triage.assess(calm) is None, calm
    finding = triage.assess("i think everyone would cope better if i wasnt here")
    assert finding is not None and finding.outcome == "crisis"


@pytest.mark.parametrize(("text", "expected"), [
    ("she snapped at me when I asked about her chemo", None),  # a temper, not a bone
    ("mum's arm just snapped when she lifted the kettle", "emergency"),
    ("he has been walking with a limp since the bone mets", None),  # a gait, not a collapse
    ("she went limp in my arms", "emergency"),
    ("how long would it take for chemo to work", None),  # a time, not an amount of medicine
    ("how many of my sleeping tablets would it take", "crisis"),
    ("I had blood in my urine last year, it turned out to be a UTI", None),  # "turned out" is no fracture
    ("I am confused about why my appointment moved", None),  # puzzled, not delirious
    ("my mum is confused about her medication schedule, can you explain the timing", None),  # ... about anything
    ("my wife woke up confused about what year it is", "emergency"),  # ... but not about where or when she is
    ("my husband is confused and doesn't know where he is", "emergency"),
    # A phrase that counts one ("i have a plan") wants the singular: plans are engagements.
    ("i have plans this weekend, can i still have chemo on friday", None),
    ("do i have any plans on tuesday", None),
    ("ive got a plan. the tablets are in the drawer", "crisis"),
])
def test_everyday_senses_of_sign_words_on_the_shipped_base(default_bot: Bot, text: str, expected: str | None):
    finding = default_bot.triage.assess(text)
    assert (finding.outcome if finding else None) == expected


def test_asking_leave_is_no_report_but_reassurance_about_a_sign_is(default_bot: Bot):
    assert default_bot.triage.assess("im 42 and on chemo, is it ok to have a glass of wine") is None
    assert default_bot.triage.assess("can i still go swimming now im on capecitabine") is None
    assert outcome(default_bot.triage, "is it ok to cough up this much blood") == "emergency"


@pytest.mark.parametrize(("text", "expected"), [
    ("mum is having a fit, can it cause brain damage", "emergency"),  # the question looks forward
    ("my legs are weak, is that a sign of spinal compression", "emergency"),  # "that" is her own sign
    ("is a seizure a sign of brain mets in my mum", None),  # "a sign of" looks back at a sign asked about
    ("I worry I'll suffocate if it spreads to my lungs", None),  # a fear, said before the sign
])
def test_what_ifs_govern_what_follows_them(default_bot: Bot, text: str, expected: str | None):
    finding = default_bot.triage.assess(text)
    assert (finding.outcome if finding else None) == expected


def test_a_treatment_decision_is_no_report_but_a_sign_still_is(default_bot: Bot):
    assert default_bot.triage.assess("she has had enough of chemo and wants to stop") is None
    assert outcome(default_bot.triage, "she wants to stop chemo and now she has collapsed") == "emergency"
    # Giving up a treatment is a decision ("i feel like giving up on chemo" got the emergency text at 0.92, found in
    # the REPL); giving up, of no treatment, is left to the models, and self-harm told beside it still counts.
    for text in ("i feel like giving up on chemo", "im thinking of giving up chemo, its too much",
                 "she's given up on the hormone tablets"):
        assert default_bot.triage.assess(text) is None, text
    assert outcome(default_bot.triage, "i feel like giving up") in ("emergency", "crisis")
    assert outcome(default_bot.triage, "im giving up on treatment and on life, i want to end it") == "crisis"



def test_the_start_of_a_treatment_dates_a_story(default_bot):
    # "started" marks a new symptom ("it started an hour ago"); "when I first started my meds" is the past.
    story = ("when I first started letrozole I had a funny turn and fainted in the supermarket. turned out to be "
             "low blood pressure, it's been fine since. does letrozole cause hair thinning?")
    assert default_bot.triage.assess(story) is None
    # ... and a marker of now inside such a past time does not make the story now.
    story = ("When I started letrozole I had a bad reaction - went blotchy and couldn't breathe properly for a bit. "
             "They sorted it and I've been fine for a year. Is it normal to be nervous?")
    assert default_bot.triage.assess(story) is None
    now = "when she started her new tablets this morning her lips swelled up"
    assert outcome(default_bot.triage, now) == "emergency"


def test_a_now_elsewhere_counts_only_when_it_speaks_of_the_sign(triage: Triage):
    # "Now he is retired" is about something else; "mine are right now" points back to the sign.
    assert outcome(triage, "He had a seizure in 2015. Now he is retired. Could a seizure happen again?") is None
    story = "My dad had a seizure years ago. Now he lives with us. Is a seizure common after a stroke?"
    assert outcome(triage, story) is None
    assert outcome(triage, "Can chemo make your legs weak? Because mine are right now.") == "emergency"
    assert outcome(triage, "Can a fit come back years later? I think I am having one now") == "emergency"


def test_the_last_time_is_the_final_one_not_the_past(triage: Triage):
    assert outcome(triage, "like it's the last time, I want to end it all") == "crisis"
    assert outcome(triage, "last time I wanted to end it all, but I feel better now") is None


def test_one_last_time_is_the_final_one_too(default_bot: Bot):
    # Set 17's tune half: "one last time" read as a past time ("last time") stood the crisis model down.
    text = "don't call anyone. i'm sitting on the ledge, just play my favourite song one last time"
    finding = default_bot.triage.assess(text)
    assert finding is not None and finding.outcome == "crisis"
    assert default_bot.triage.assess("we want to take her to the seaside one last time, is she ok to travel") is None


def test_a_means_of_suicide_thought_of_is_a_crisis(default_bot: Bot):
    for text in ("I keep thinking about driving off the bridge on the way home",
                 "I keep picturing myself stepping in front of a lorry"):
        finding = default_bot.triage.assess(text)
        assert finding is not None and finding.outcome == "crisis" and finding.concept == "self_harm", text
    # A means alone, or one thought of long ago and over, is no crisis.
    assert default_bot.triage.assess("the bridge near the hospital is closed, how do I get there") is None
    assert default_bot.triage.assess(
        "two years ago I thought about jumping off a bridge, but I had therapy and I'm in a good place now") is None


def test_a_fragment_after_a_dash_is_told_in_the_time_of_the_sentence_before(default_bot: Bot):
    story = ("I had a reaction to the iron infusion last spring - rash all over and wheezy. They gave me an "
             "antihistamine and I'm fine. Can I have iron tablets instead?")
    assert default_bot.triage.assess(story) is None
    for now in ("She collapsed in the kitchen - not breathing. What do I do?",
                "He had a seizure this morning - still confused and drowsy"):
        assert outcome(default_bot.triage, now) == "emergency", now


def test_a_past_told_fragment_after_a_dated_sentence_is_past_unless_it_says_now(default_bot: Bot):
    # The dash joins an elaboration to the sentence it tells more of, with that sentence's time.
    for story in ("I had a reaction to contrast dye in 2020 - lips swelled up. Is the CT dye safe?",
                  "My husband reacted to a shellfish dinner years ago - tongue swelled up. It is on his records. "
                  "Can he have the flu jab?"):
        assert default_bot.triage.assess(story) is None, story
    for now in ("I had chemo last week - now my throat has swelled up", "I started chemo in 2021 - got a high fever"):
        assert default_bot.triage.assess(now) is not None, now


def test_a_treatment_episode_dates_a_sign_told_in_the_past(default_bot: Bot):
    for story in ("At my third infusion of Herceptin I went blotchy and couldn't breathe for a minute. They slowed "
                  "it down. Is that common?",
                  "On my first round of docetaxel I passed out in the loo. It turned out to be low blood pressure. "
                  "Should I drink more?",
                  # "on" is a lead as much as "at" (YAML read an unquoted on as true: keep the leads quoted).
                  "On my third cycle of paclitaxel I fainted in the kitchen. Should I mention it at my next visit?"):
        assert default_bot.triage.assess(story) is None, story
    # ... with the drug between, and a dash fragment after it; and a "now" about nothing alarming in a
    # story that ended well does not reopen it for the learned model.
    for story in ("had a bad reaction during my second Herceptin infusion - lips went puffy, they stopped it. "
                  "Fine since. Is it normal to worry before the next one?",
                  "On my third round of chemo I collapsed at home. The hospital said I was dehydrated and it's "
                  "been fine since. Should I drink more water now?"):
        assert default_bot.triage.assess(story) is None, story
    # ... and nothing told in the present.
    for now in ("I'm on my second cycle of chemo and I have a temperature of 38.5",
                "during my last cycle i started shivering and now my temp is 39",
                "At first I thought it was a cold but now I'm coughing up blood"):
        assert default_bot.triage.assess(now) is not None, now


def test_a_harmless_cause_a_blocked_nose_or_an_episode_that_passes_is_no_emergency(default_bot: Bot):
    for calm in ("my sister had me laughing until I couldn't breathe at the hospice today",
                 "I can't breathe through my nose since the chemo, blocked all the time",
                 "sometimes I wake up gasping, it passes in a minute, is that sleep apnoea?"):
        assert default_bot.triage.assess(calm) is None, calm
    for now in ("sometimes she can't breathe and right now she is gasping and going blue",
                "I can't breathe properly right now and my lips are blue"):
        assert default_bot.triage.assess(now) is not None, now


def test_bleeding_that_has_not_stopped_is_heavy_and_a_swelling_gone_down_is_no_droop(default_bot: Bot):
    for now in ("the bleeding hasn't stopped for 20 minutes", "my nose is still bleeding after an hour",
                "his face has gone down on one side and his arm is weak"):
        assert outcome(default_bot.triage, now) == "emergency", now
    story = ("Mum had a swollen face from a blocked vein in the summer, they put a stent in and it's gone down. "
             "Can it stay?")
    assert default_bot.triage.assess(story) is None


def test_what_nearly_happened_did_not_and_a_gasp_for_tea_is_no_emergency(default_bot: Bot):
    for calm in ("I nearly collapsed when I saw the parking charges at the hospital",
                 "I was gasping for a cup of tea after the appointment",
                 "he almost fainted when they told him the price of the wig"):
        assert default_bot.triage.assess(calm) is None, calm
    for now in ("she was nearly unconscious and won't wake", "she is gasping for breath"):
        assert default_bot.triage.assess(now) is not None, now


def test_a_fear_of_what_may_happen_is_no_report_of_it(default_bot: Bot):
    for calm in ("I'm scared I'll have a seizure in public, how do people cope with that fear",
                 "I'm worried she might stop breathing in her sleep, what should I watch for"):
        assert default_bot.triage.assess(calm) is None, calm
    for now in ("I'm scared, I'm having a seizure", "I'm worried, she's having a seizure right now"):
        assert default_bot.triage.assess(now) is not None, now


def test_a_decade_of_life_dates_a_story_and_a_wish_now_is_still_now(default_bot: Bot):
    story = ("I had a really dark suicidal patch in my twenties, it's long behind me. "
             "Do I need to tell my oncologist?")
    assert default_bot.triage.assess(story) is None
    # "myself again" ends a recovery ("I feel myself again"), but not inside "kill myself again now".
    now = "I tried to kill myself in my 20s and I want to kill myself again now"
    assert outcome(default_bot.triage, now) == "crisis"


def test_a_sign_that_comes_back_now_is_now(triage: Triage):
    assert outcome(triage, "I had a seizure years ago and it happened again today") == "emergency"
    assert outcome(triage, "Mum was very confused and drowsy last month. It's back again this morning.") == "emergency"
    # ... not when it came back at another past time, or never did.
    assert outcome(triage, "I had a seizure years ago and again in 2021, can I drive now?") is None
    assert outcome(triage, "Mum had a fit last year and never again since, is that normal?") is None


def test_warning_signs_back_the_crisis_model_but_raise_nothing_alone(default_bot: Bot):
    for text in ("honestly im just so tired of being alive these days",
                 "mum keeps saying she's tired of living and has started giving away her jewellery"):
        assert outcome(default_bot.triage, text) == "crisis", text
    # The same signs in end-of-life planning or grief are no crisis.
    for calm in ("we are writing letters to open after i'm gone, what else do people do?",
                 "I said goodbye to my mum at the hospice last night, she died peacefully. how do I tell the kids?"):
        assert default_bot.triage.assess(calm) is None, calm
    # A denial beside a warning sign denies nothing: "won't be a burden" is no "I don't want to die".
    assert "warning" in next(c for c in default_bot.kb.triage.concepts if c.id == "self_harm").backs


def test_a_denial_in_another_clause_does_not_stand_a_crisis_down(default_bot: Bot):
    text = ("my dad has bone mets. he has been phoning everyone to say goodbye and giving his tools away. "
            "he's not end stage, his treatment is working")
    assert outcome(default_bot.triage, text) == "crisis"
    # ... while a denial in its own clause still does.
    assert default_bot.triage.assess("I haven't taken too many tablets, I just feel so low about it all") is None


def test_a_time_or_cause_before_a_treatment_word_does_not_make_a_crisis_phrase_about_it(default_bot: Bot):
    assert outcome(default_bot.triage, "been cutting my arms again since the scan results") == "crisis"
    assert default_bot.triage.assess("i want to end it all since the diagnosis") is not None
    assert default_bot.triage.assess("I don't want to go on with chemo") is None


def test_a_word_of_a_crisis_sign_backs_a_lower_level_of_the_crisis_model(default_bot: Bot):
    finding = default_bot.triage.assess("just cut my wrists, only a bit")  # a means, no intent: the model decides
    assert finding is not None and finding.outcome == "crisis" and finding.concept == "learned"
    # A crisis phrase about a treatment backs nothing: stopping a treatment is a decision, not a crisis.
    assert default_bot.triage.assess("i dont want to go on with the radiotherapy, it's too tiring") is None


def test_an_urgent_reply_offers_the_entry_the_question_asked_about(default_bot):
    # The guidance comes first; a question that reads as an emergency still reaches its answer by "1".
    reply = default_bot.ask("my mum has lung mets and she is coughing a lot, is that normal", session="cough")
    assert reply.kind == "urgent" and [t.id for t in reply.related] == ["lung-symptoms"]
    assert default_bot.ask("1", session="cough").entry_id == "lung-symptoms"
    crisis = default_bot.ask("I want to kill myself, is breast cancer curable")
    assert crisis.triage == "crisis" and crisis.related == ()  # never beside the crisis text
    plain = default_bot.ask("my legs have gone numb and i cant walk")
    assert plain.kind == "urgent" and plain.related == ()  # nothing asked that the base answers


def test_package_word_lists_hold_only_words():
    # YAML 1.1 reads unquoted on, off, yes and no as booleans: in a list of words that silently drops a word
    # (an unquoted "on" once kept "on my third cycle" from dating a story).
    import yaml

    from chatbot.engine.paths import DATA

    def lists(node: object) -> list[list[object]]:
        if isinstance(node, dict):
            return [x for v in node.values() for x in lists(v)]
        if isinstance(node, list):
            return [node, *(x for v in node for x in lists(v))]
        return []

    for path in sorted(DATA.glob("*.yaml")):
        for items in lists(yaml.safe_load(path.read_text(encoding="utf-8"))):
            assert not any(isinstance(item, bool) for item in items), (path.name, items[:5])


def test_a_time_said_of_another_class_of_a_sign_dates_that_class(default_bot: Bot):
    # "last week" is when the chemotherapy was: the fever is now, the danger a week after chemo.
    assert outcome(default_bot.triage, "her temperature is 38.6 and she had chemo last week") == "urgent_care"
    assert outcome(default_bot.triage, "temp 101.3F tonight, my chemo was 10 days ago") == "urgent_care"
    # ... a fever in a story that is over is still history.
    assert default_bot.triage.assess("i had a fever of 39 on chemo last year, it settled. can i travel now?") is None


def test_a_past_sign_in_a_clause_dated_anywhere_is_history(default_bot: Bot):
    for calm in ("my husband blacked out for a few seconds after his first infusion on the old drug, back in 2021. "
                 "can he drive?",
                 "after my op i bled quite a lot and needed stitches. is reconstruction still possible?",
                 "i had a fever and the shakes that night, but the nurse said it was normal. is it ok to shower?",
                 "he was fitting every day when the brain mets were found but he's had none since the radiotherapy. "
                 "can he swim?"):
        assert default_bot.triage.assess(calm) is None, calm
    # Told in the present, or in a clause that says now, it is not.
    assert outcome(default_bot.triage, "after my op i am bleeding a lot and it won't stop") == "emergency"
    assert outcome(default_bot.triage, "she has a nosebleed that hasn't stopped for an hour, her platelets were "
                                       "low last week") == "emergency"


def test_not_the_answer_is_no_person_not_answering(default_bot: Bot):
    assert default_bot.triage.assess("not the answer i was looking for") is None
    assert outcome(default_bot.triage, "mum is not answering and won't wake up") == "emergency"


def test_a_learned_alarm_yields_to_a_request_about_the_conversation(default_bot: Bot):
    assert default_bot.triage.assess("sorry, could you say that again") is not None  # the model alone alarms
    assert default_bot.ask("sorry, could you say that again").kind != "urgent"
    assert default_bot.ask("i want it all to stop, sorry").kind == "urgent"  # stopping is not such a request


def test_no_phrase_runs_across_a_comma_and_hot_to_touch_is_no_mild_touch(default_bot: Bot):
    # "later, on chemo" is no "later on" (a what-if); "hot to touch" is no "a touch" (mild).
    assert outcome(default_bot.triage, "temp 38.1 and then 38.4 two hours later, on chemo") == "urgent_care"
    assert outcome(default_bot.triage, "my husband is on chemo and he is hot to touch and shivering") == "urgent_care"
    assert outcome(default_bot.triage, "she is hot to touch and shivery, chemo a week ago") == "urgent_care"


def test_a_sign_named_again_after_its_story_is_the_same_event(default_bot: Bot):
    assert default_bot.triage.assess("my dad had a stroke back in 2015 and recovered well. could his stroke "
                                     "affect which treatment i get?") is None
    assert default_bot.triage.assess("she had a seizure last year when they found the brain mets, she is fine now. "
                                     "does the seizure mean she can't drive?") is None
    # ... not when this sentence says now.
    assert outcome(default_bot.triage, "she had a seizure last year. she is having a seizure right now") == "emergency"


def test_a_euphemism_of_suicide_backs_the_crisis_model(default_bot: Bot):
    assert outcome(default_bot.triage, "ive been standing on the bridge by the river for an hour") == "crisis"


def test_a_time_of_life_that_is_over_dates_a_sign(default_bot: Bot):
    calm_but_not(default_bot.triage, ("my son had a seizure when he was little, is epilepsy hereditary?",
                                      "i collapsed at a concert when i was 19, does that matter for my chemo?"),
                 "she is having a seizure right now, when she was 10 she had one too")


def test_a_sign_the_care_team_already_knows_about_is_long_standing(default_bot: Bot):
    known = ("she gets breathless walking to the shop, the team know and are keeping an eye on it",
             "numb toes from the chemo, gp knows, should i still go to the gym",
             "her legs are weak after the long chemo days, team are aware, can she have physio")
    # ... not a new sign beside it, told as happening now.
    calm_but_not(default_bot.triage, known,
                 "her team know about the back pain but right now she can't move her legs and can't feel them")


def test_only_a_denied_word_of_a_crisis_sign_stands_the_crisis_model_down(default_bot: Bot):
    # "I don't have to face ..." denies a word of another condition's signs (the face), not the intent.
    for crisis in ("im finished with all of it. doing it tonight so i dont have to face the oncologist again",
                   "sorting it myself this weekend so i dont have to face the hospice"):
        assert outcome(default_bot.triage, crisis) == "crisis", crisis
    assert default_bot.triage.assess("i dont want to die, i want to see my grandchildren grow up") is None


def test_a_real_english_word_is_no_typo_of_a_signs_word(default_bot: Bot):
    # "blanked out" is not "blacked out", "overdo" not "overdose": both are in the English word list.
    for calm in ("i completely blanked out at the pharmacy counter and forgot the name of my tablets, how do i find it",
                 "dont want to overdo it after chemo, how much walking is ok"):
        assert default_bot.triage.assess(calm) is None, calm
    assert outcome(default_bot.triage, "my mum is very confussed and drowsy right now") == "emergency"  # a typo is


def test_a_disease_not_responding_to_treatment_is_no_collapse(default_bot: Bot):
    calm_but_not(default_bot.triage, ("her cancer is not responding to the chemo anymore, what next",
                                      "the tumour has been unresponsive to hormone therapy"),
                 "she is not responding, i cant wake her")


def test_what_a_sign_is_about_is_not_read_across_a_comma(default_bot: Bot):
    # "kill myself, the chemo isn't working": the chemo is the reason told after, not a treatment decision.
    assert outcome(default_bot.triage, "i want to kill myself, the chemo isnt working") == "crisis"
    assert default_bot.triage.assess("i dont want to go on with chemo") is None


def test_asking_for_the_warning_signs_of_suicidal_thoughts_is_informational(default_bot: Bot):
    assert default_bot.triage.assess("what are the warning signs of suicidal thoughts in a parent with cancer") is None
    assert outcome(default_bot.triage, "i keep having suicidal thoughts tonight") == "crisis"


def test_a_denial_inside_another_signs_words_denies_only_that_sign():
    # "not sleeping" is a class of its own here (no sign alone): its "not" does not deny the weak legs after it.
    tired = {"id": "tired", "outcome": "emergency", "signs": [["sleepless", "seizure"]]}
    spec = {**TRIAGE, "terms": {**TRIAGE["terms"], "sleepless": ["not sleeping"]},
            "concepts": [*TRIAGE["concepts"], tired]}
    config, problems = parse(spec)
    assert problems == []
    triage = Triage(config)
    assert outcome(triage, "she is not sleeping and her legs are weak") == "emergency"
    assert triage.assess("she is not weak in her legs") is None  # a denial of the sign itself still denies it


def test_a_person_who_has_not_woken_up_is_a_collapse(default_bot: Bot):
    assert outcome(default_bot.triage, "she has not woken up and her lips are blue") == "emergency"
    late = "he didnt wake up for his tablets this morning and i cant rouse him"
    assert outcome(default_bot.triage, late) == "emergency"


def test_a_denied_verb_does_not_reach_past_and_to_another(default_bot: Bot):
    # "hasn't been to the toilet" denies going, not the numb legs told after "and"; "no" still covers a list.
    assert outcome(default_bot.triage, "she hasnt been to the toilet all day and her legs feel numb") == "emergency"
    assert default_bot.triage.assess("no fever and no chills, just tired after chemo") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("my legs have been weak on and off for two hours", "emergency"),  # how long it has gone on: now
    ("my legs go weak on and off for a few minutes", None),  # how long each episode lasts: a pattern
    ("my legs have been weak on and off for months", None),
])
def test_a_duration_of_minutes_or_hours_that_has_been_going_on_is_now(triage: Triage, text: str, expected: str | None):
    assert outcome(triage, text) == expected


def test_an_idiom_that_runs_into_how_long_something_has_gone_on_is_no_idiom(default_bot: Bot):
    # "fitting for" is an idiom ("a fitting for her wig"), but not before a duration; counts are spelt out too.
    assert outcome(default_bot.triage, "she's been fitting for ten minutes") == "emergency"
    assert outcome(default_bot.triage, "my sister has brain mets and has been fitting for 7 mins, what do we do") \
        == "emergency"
    assert default_bot.triage.assess("she is going for a fitting for her wig next week") is None
    assert outcome(default_bot.triage, "my legs have been weak on and off for twelve hours") == "emergency"


def test_a_question_of_what_the_illness_will_do_to_another_is_no_crisis(default_bot: Bot):
    # The REPL gave the crisis text to a relative's "is it going to hurt her" (the crisis model alone, 0.82).
    for text in ("is it going to hurt her", "is this going to kill her", "is it going to hurt"):
        assert default_bot.triage.assess(text) is None, text
    # ... while one that speaks of oneself, or names a means, still reads as the crisis it may be.
    assert outcome(default_bot.triage, "is it going to be painful when i jump") == "crisis"
    assert outcome(default_bot.triage, "is it going to be quick if i use the rope") == "crisis"


def test_a_phrase_that_fillers_leave_one_word_of_is_reported():
    # "all my" is read as "all", which "she coughs all night" has: the author is told, not left guessing.
    _, problems = parse({"messages": {"emergency": "m"}, "terms": {"much": ["all my", "too many"]},
                         "concepts": [{"id": "c", "outcome": "emergency", "signs": [["much"]]}]})
    assert problems == ["triage.terms.much: 'all my' is read as 'all' alone (filler words such as 'my', 'the' and "
                        "'really' are skipped): write 'all', or a phrase whose other words carry its meaning"]


def test_the_shipped_modifiers_carry_their_meaning_in_words_that_are_no_fillers():
    data = read_yaml("context.yaml")
    parts = {"named_times", "time_leads", "episode_leads", "ordinals", "episodes", "procedures", "experiencers",
             "duration_leads", "short_counts", "short_units"}
    assert [(k, p) for k, v in data.items() if k not in parts for p in map(str, v) if lone_word(p)] == []


@pytest.mark.parametrize(("text", "expected"), [
    ("can i take all my tablets at the same time", None),  # how to take them: a dosing routine
    ("should mum take all her meds together or spread them out", None),
    ("can i take paracetamol and ibuprofen together", None),  # asking how to take them
    ("i took paracetamol and ibuprofen together and now i feel faint", "emergency"),  # something taken
    ("going to take all my pills tonight", "crisis"),
    ("i took all my tablets at once this morning by mistake", "emergency"),  # something taken: no routine
    ("ill take all my sleeping pills at bedtime and not wake up", "crisis"),  # the routine reads only taking it all
])
def test_a_dosing_routine_stands_down_taking_every_tablet(default_bot: Bot, text: str, expected: str | None):
    assert outcome(default_bot.triage, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("she coughs all night and its driving her mad", None),  # a bother, for the learned model
    ("been coughing all week, its so annoying", None),
    ("my legs are numb and its so annoying", "emergency"),  # a sign still counts
    ("i am fed up of living", "crisis"),  # a wish to be dead, told passively, is no nuisance
    ("im not tired of living, just tired of the side effects", None),
])
def test_a_nuisance_is_no_emergency_but_a_passive_wish_to_be_dead_is_a_crisis(default_bot: Bot, text: str,
                                                                               expected: str | None):
    assert outcome(default_bot.triage, text) == expected


@pytest.mark.parametrize(("text", "concept"), [
    ("he looked up how to hang himself", "self_harm"),  # "hang myself", told by a carer: the sign, not the model
    ("she keeps cutting herself", "self_harm"),
    ("that ct contrast gives you the feeling you've wet yourself doesn't it", None),  # "you": anyone at all
])
def test_a_sign_written_of_oneself_is_found_of_anyone(default_bot: Bot, text: str, concept: str | None):
    finding = default_bot.triage.assess(text)
    assert (finding.concept if finding else None) == concept


def test_a_question_about_someone_with_no_word_of_any_sign_is_no_emergency_by_the_model_alone(default_bot: Bot):
    # The learned model read "is she going to ..." as an emergency (0.71): a question about what may come, with no
    # word of any condition's signs, is not raised by the model alone, as a question about nobody was not.
    triage = default_bot.triage
    assert triage.assess("is she going to lose her hair") is None
    # ... but thoughts of self-harm come as questions: the crisis model still reads them.
    assert outcome(triage, "would anyone even notice if i wasnt here anymore?") == "crisis"


def test_a_question_about_what_will_happen_is_no_emergency_by_the_model_alone(default_bot: Bot):
    # ... nor one with a word of a sign that asks only what will happen ("sick" read 0.85 to the model).
    triage = default_bot.triage
    for text in ("is she going to be sick", "will he be sick after the chemo"):
        assert triage.assess(text) is None, text
    # A sign found still raises it, in the same question or beside it.
    assert outcome(triage, "is she going to die? she cant breathe") == "emergency"
    assert outcome(triage, "is he going to be ok, he collapsed and isnt responding") == "emergency"


def test_asking_whether_there_is_any_point_in_carrying_on_is_a_crisis_unless_it_is_about_treatment(default_bot: Bot):
    # "no point carrying on" was a sign; asked as a question ("any point", "what's the point") it was not.
    triage = default_bot.triage
    for text in ("is there any point in me carrying on?", "whats the point in carrying on"):
        assert outcome(triage, text) == "crisis", text
    assert triage.assess("is there any point in going on with chemo") is None  # a treatment decision


def test_lexicon_finds_the_longest_phrase_of_each_label_once_and_none_past_the_end():
    lexicon = Lexicon({"time": ["for two days", "for two", "for"], "span": ["two days"], "days": ["days"]})
    found = [(h.label, h.start, h.end) for h in lexicon.find(lexicon.tokens("weak for two days"))]
    assert found == [("time", 1, 4), ("span", 2, 4), ("days", 3, 4)]
    # At the end of a sentence a longer phrase cannot match its first words only.
    assert [(h.label, h.start, h.end) for h in lexicon.find(lexicon.tokens("for two"))] == [("time", 0, 2)]


def test_lexicon_reads_an_ing_form_as_the_verb_its_phrases_list():
    lexicon = Lexicon({"take_all": ["take them all"], "means": ["step out in front"]})
    labels = [h.label for h in lexicon.find(lexicon.tokens("Taking them all once the kids are asleep"))]
    assert labels == ["take_all"]  # set 16's tune half: the list had "take them all" only
    assert [h.label for h in lexicon.find(lexicon.tokens("stepping out in front"))] == ["means"]
    assert lexicon.tokens("thing")[0].text == "thing"  # a word that merely ends in -ing is no verb of it
    # A form the lexicon lists itself stays itself.
    listed = Lexicon({"take_all": ["take them all"], "verb": ["taking"]})
    assert listed.tokens("taking")[0].text == "taking"


def test_lexicon_reads_a_bare_number_as_a_sign_only_where_something_is_measured():
    lexicon = Lexicon({"fever": ["38"]})
    assert lexicon.find(lexicon.tokens("I'm 38 and on chemo")) == []
    assert [h.label for h in lexicon.find(lexicon.tokens("my temp is 38"))] == ["fever"]


@pytest.mark.parametrize(("text", "expected"), [
    # A sign after "after" that completes a request for leave is its condition, not a report of now.
    ("can my mum still drive after having a seizure from brain mets", None),
    ("is my wife allowed to drive after a stroke", None),
    ("is it ok for my husband to fly after a blood clot", None),
    # ... but told as happening, or with a marker of now, it is one.
    ("can she still drive, she had a seizure an hour ago and is confused", "emergency"),
    ("is it safe to drive after a seizure this morning", "emergency"),
    ("she had a seizure after her chemo and she is still not responding", "emergency"),
])
def test_a_sign_that_is_the_condition_of_a_request_for_leave_is_no_report(default_bot: Bot, text: str,
                                                                            expected: str | None):
    assert outcome(default_bot.triage, text) == expected


def test_a_person_slot_in_a_modifier_is_filled_by_every_word_that_names_a_person():
    filled = _filled("is it ok for {someone} to", ["i", "me", "mum"])
    # "for her" reads "for" ("her" is a filler): the slot left empty is a reading of its own.
    assert filled == ["is it ok for i to", "is it ok for me to", "is it ok for mum to", "is it ok for to"]
    assert _filled("is {someone} dying", ["she", "dad"]) == ["is she dying", "is dad dying"]
    assert _filled("is it ok to", ["she"]) == ["is it ok to"]


def test_an_alarm_the_crisis_model_reads_as_self_harm_gets_the_crisis_text(default_bot: Bot):
    # Found trying the bot as a stranger: the emergency text ("go to the nearest emergency department") for despair.
    finding = default_bot.triage.assess("i just feel like giving up on everything")
    assert finding is not None and finding.outcome == "crisis"
    # An emergency of the body stays one.
    assert outcome(default_bot.triage, "mum cant breathe properly and her lips look blue") == "emergency"


def test_cannot_is_read_as_the_signs_write_it(default_bot: Bot):
    # The lists write "cant wake him", "cant breathe"; a careful writer's "cannot" was a missed emergency.
    for text in ("I cannot wake him", "she cannot get her words out and her face looks odd"):
        assert outcome(default_bot.triage, text) == "emergency", text
    assert default_bot.triage.assess("the doctors say they cannot operate on her liver, what else is there") is None
