"""Understanding on independently written question sets (tests/data/independent/questions*_*.yaml).

Writers who saw neither the rules nor the knowledge base; the first, second, fifth, sixth and seventh sets split by a
hash of the text into `tune` (looked at while building) and `holdout` (only scored), the third held out whole. Judged
exactly as the shared scorer judges a batch. The figures are floors at what was measured: raise them;
lower one only with the trade written beside it.
"""

from __future__ import annotations

import pytest
import yaml

from benchmarks.quality import load_score_module, rates
from chatbot import Bot
from tests.support import DATA, ROOT

SCORE = ROOT.parent / "shared" / "eval" / "score.py"

FLOORS = {
    # 540 independently written phrasings joined the base (lay, carer and agent wording, at most 22 words):
    # the held-out halves gained 4 to 11 points in answers and conversations and kept unanswerable;
    # the tune halves lost one unanswerable question each (24 -> 23 of 39, 22 -> 21 of 26).
    # The calibrator then learned from the base's held-out phrasings as they fall (GENERAL_SHARE, chosen on
    # the tune halves and on CLINC150): held-out unanswerable 82 -> 90 % and 85 -> 96 %, for one answer
    # in each held-out half and two turns of the first set's held-out conversations (90 -> 83 %). Those two
    # floors, and the second tune half's answers (one question), were lowered with it.
    # A story read by its clause least like general chat, when the whole reads as chat (ranker.least_general):
    # answers rose on every tune half and on four held-out sets (held-out 501 -> 506 of 600 answerable, one
    # more answered wrongly; unanswerable unchanged), for one unanswerable question of the fifth tune half.
    # Session of 2026-12-01 (sixth): a message that points back and could be asked of the last entry is read with it
    # even when the message alone was answered ("what is it used for" after hormone therapy got CDK4/6 inhibitors):
    # tune conversations +2 / -1 turns (this half lost "and where does it end up" after how cancer spreads, 91 -> 89 %),
    # held-out +5 / -3 (sets 9 and 10 up two turns each, set 12 down two), no more wrong answers in either.
    ("", "tune"): {"answer": 0.94, "conversation": 0.88, "unanswerable": 0.84},
    # UNKNOWN_SHARE 0.45 -> 0.35 (chosen on the tune halves, no cost there) refused one answerable question of
    # this held-out half (88.4 -> 87.8 %) while the third set's unanswerable went 84 -> 87 %.
    # An entry's own phrasings of another subject keep it in scope ("is it now bone cancer?"): 87.8 -> 89.0 %.
    ("", "holdout"): {"answer": 0.88, "conversation": 0.83, "unanswerable": 0.97},
    # "what can they do for / can be done for" read as treatment (every organ's treatment entry, found in the
    # REPL) turned one near tie of this tune half into a choice of two (answer 78.4 -> 77.6 %).
    # The treatment-factors answer says how HER2 and hormone receptor status matter, in the article's own sentences
    # (trastuzumab for HER2-positive, hormone therapy for receptor-positive; four tune writers asked it): tune
    # 700 / 29 / 252 -> 702 / 28 / 251 (right / wrong / not-to-be-answered met) and conversations 376 -> 380 of 436,
    # held-out 864 / 51 / 343 -> 868 / 49 / 341 and conversations 402 -> 403 of 495. One unanswerable question each
    # of this tune half and of the held-out halves of sets 5 and 10 was answered (confidence 0.353 at 0.35 for the
    # tune one); those three floors were lowered by that question.
    ("2", "tune"): {"answer": 0.87, "conversation": 0.86, "unanswerable": 0.88},
    ("2", "holdout"): {"answer": 0.92, "conversation": 0.94, "unanswerable": 0.92},
    # A third writer's set, held out whole (155 questions, 12 conversations). The engine as it was before the
    # calibration weighting, the subject carry and the not-covered causes (704ff12) scored 84 / 75 / 73 %.
    ("3", "holdout"): {"answer": 0.90, "conversation": 0.88, "unanswerable": 0.93},
    # A fifth writer's set (the fourth is held out whole, scored with the shared score.py only), scored whole
    # on arrival at 75 / 86 / 92 %, then split by hash.
    # The story's clause (above) answered "my arm has swollen up since they took my lymph nodes out. what can i do
    # about lymphoedema" with lymph-node detection: unanswerable 92 -> 88 %, for answers 72 -> 75 %.
    # No answer on an entry the classifier all but rules out (stages.RULED_OUT): "how is pain dealt with in
    # metastatic breast cancer" went to a "did you mean" (75.0 -> 73.3 %); the half's wrong answers 4 -> 3.
    ("5", "tune"): {"answer": 0.78, "conversation": 0.93, "unanswerable": 0.92},
    ("5", "holdout"): {"answer": 0.85, "conversation": 0.94, "unanswerable": 0.88},
    # A sixth writer's set, scored whole on arrival at 81 / 93 / 90 %, then split by hash.
    # No answer weaker than a suggestion needs (stages.SUGGEST_THRESHOLD), with a texting alternate of the steps
    # entry rewritten: all held-out halves 642 -> 643 right, 45 -> 44 wrong, 258 -> 259 unanswerable refused, but
    # one answer of each half of this set went to a fallback (82.7 -> 81.3 %, 88.0 -> 86.7 %).
    ("6", "tune"): {"answer": 0.85, "conversation": 0.91, "unanswerable": 0.95},
    ("6", "holdout"): {"answer": 0.88, "conversation": 0.90, "unanswerable": 1.00},
    # A seventh writer's set (205 questions, 15 conversations), scored whole on arrival at 83 / 76 / 82 % (that
    # session's starting code: 82 / 71 / 82 %), then split by hash.
    ("7", "tune"): {"answer": 0.86, "conversation": 0.89, "unanswerable": 0.81},
    # Two terms the base's synonyms read as one ("is metastatic the same thing as advanced breast cancer") answered
    # by what the base says that term is: tune 606 / 27 -> 609 / 24 right / wrong, held-out 781 / 48 -> 784 / 45.
    ("7", "holdout"): {"answer": 0.82, "conversation": 0.78, "unanswerable": 0.86},
    # An eighth writer's set (170 questions, 50 unanswerable, 15 conversations; from the article alone), scored
    # whole on arrival at 84 / 93 / 88 % on the code of that moment, then split.
    # "what can / will the doctors do" read as treatment (a confident wrong answer found in the REPL) moved the
    # calibration: one question of this tune half went to a fallback (84.7 -> 83.5 %); held-out +1 and -1.
    ("8", "tune"): {"answer": 0.87, "conversation": 0.95, "unanswerable": 0.92},
    # The classifier's training order drawn from the phrasings' texts and calibration's fold chosen by text (so
    # that one alternate more or fewer moves a handful of replies, not 31-84): held-out halves and sets 643 -> 645
    # right, 44 -> 43 wrong, 259 -> 264 unanswerable refused; every floor set again at what was measured (lower:
    # answer 6 tune and held-out, 81 -> 80 %, 86 -> 84 %; unanswerable 2 tune 87 -> 84 %, 2 held-out 96 -> 92 %,
    # 7 held-out 91 -> 86 %; the rest the same or higher).
    # A systemic-therapy entry (three writers of the tune halves asked what it is; the answer is the article's own
    # sentences): tune 539 / 31 / 186 -> 539 / 32 / 188 (right / wrong / not-to-be-answered met), held-out
    # 715 / 51 / 285 -> 717 / 46 / 284; conversations one turn fewer in the second tune half and in the first and
    # fourth held-out sets. Floors set again at what was measured.
    ("8", "holdout"): {"answer": 0.83, "conversation": 0.94, "unanswerable": 0.96},
    # A ninth writer's set (170 questions, 50 unanswerable, 15 conversations; from the article alone), scored whole
    # on arrival at 81 / 80 / 84 % on the code of that moment (82 / 77 / 78 % on that session's starting code).
    # Its facts check found the hormone-therapy answer saying "estrogen (estrogen)" (a spelling made uniform beside
    # its gloss, in the base since its first version): corrected, tune answers 81 -> 83 %, held-out conversations
    # 62 -> 66 %.
    ("9", "tune"): {"answer": 0.84, "conversation": 0.95, "unanswerable": 0.84},
    ("9", "holdout"): {"answer": 0.84, "conversation": 0.85, "unanswerable": 0.84},
    # A tenth writer's set (171 questions, 52 unanswerable, 20 conversations; from the article alone), scored whole
    # on arrival at 92 / 80 / 81 %, then split. Questions for a time, an amount or a price that the answer never
    # gives (``asks.py``) fall back: its held-out half's unanswerable 81 -> 85 %, nothing else moved.
    ("10", "tune"): {"answer": 0.93, "conversation": 0.83, "unanswerable": 0.80},
    # The liver's frequency says what the liver does, the sentence the article names it a common site with ("why does
    # breast cancer go to the liver of all places": five tune writers asked): tune 702 -> 706 right, no reply moved;
    # held-out 868 / 49 / 341 -> 869 / 48 / 340, one unanswerable question of this half answered (80.8 -> 76.9 %).
    ("10", "holdout"): {"answer": 0.93, "conversation": 0.90, "unanswerable": 0.76},
    # Two alternates each on four entries for questions several tune writers asked (a standard treatment for
    # everyone, medicines to make the bones stronger, what she can do at home for her bones, what the cells do in
    # the blood): held-out 772 / 47 / 310 -> 781 / 48 / 308 and conversations +1 turn in four sets. Every floor
    # set again at what was measured where that was higher.
    # An eleventh writer's set (170 questions, 50 unanswerable, 20 conversations; from the article alone), scored
    # whole on arrival at 87.5 / 82 / 96 % (the same on that session's starting code), then split.
    ("11", "tune"): {"answer": 0.90, "conversation": 0.89, "unanswerable": 0.96},
    ("11", "holdout"): {"answer": 0.85, "conversation": 0.82, "unanswerable": 0.96},
    # A twelfth writer's set, conversations first (40 questions, 40 conversations of 152 turns; from the article
    # alone), scored whole on arrival at 86.7 / 69.7 / 90 % (the same on that session's starting code), then split.
    ("12", "tune"): {"answer": 0.86, "conversation": 0.84, "unanswerable": 1.00},
    # Session of 2026-12-01 (sixth): what one would notice or look out for is the symptoms aspect: one held-out turn
    # more in each of sets 12, 14 and 15 (floors raised to what they measure).
    ("12", "holdout"): {"answer": 0.86, "conversation": 0.71, "unanswerable": 0.80},
    # A thirteenth writer's set (65 questions, a third of them long stories, 15 unanswerable; 30 conversations of
    # 113 turns; from the article alone), scored whole on arrival at 80.0 / 80.5 / 100 %, then split by hash: the
    # misses fell mostly in the held-out half.
    # Session of 2026-12-01 (third): conversations, set again at what was measured. A word of English the base never
    # uses stops "it" leaning on the last answer (open traffic asked after an answer 3.46 -> 1.10 % answered): set 1's
    # tune half lost "who is it suitable for" after hormone therapy (94 -> 91 %), set 6's held-out half one turn
    # (95 -> 90 %; over all held-out halves +2 / -2 turns, three wrong answers fewer); the rest rose.
    ("13", "tune"): {"answer": 0.96, "conversation": 0.89, "unanswerable": 1.00},
    ("13", "holdout"): {"answer": 0.64, "conversation": 0.83, "unanswerable": 1.00},
    # A fourteenth writer's set, conversations only (45 of 172 turns, 15 with one everyday off-topic turn; from the
    # article alone), scored whole on arrival at 78.5 % at that session's end and 79.7 % on its starting code (two
    # turns answered then and a fallback now, one in each half), then split.
    # 0.82 on arrival; quantifiers are no subject of their own (+1 turn); a correction follows what it meant (+2).
    ("14", "tune"): {"conversation": 0.86},
    ("14", "holdout"): {"conversation": 0.78},
    # A fifteenth writer's set (70 questions, 20 unanswerable; 25 conversations of 3-4 turns, 9 with an unanswerable or
    # off-topic turn; from the article alone), scored whole on arrival at 90.0 / 85.0 / 90.0 % on that session's end
    # (92.0 / 85.0 / 90.0 % on its starting code: "apart from the actual medical treatment, what other support can help
    # someone living with it" went to living well, whose answer sets treatment apart only in its third sentence; an
    # answer that does so first now comes first), then split by hash.
    ("15", "tune"): {"answer": 0.92, "conversation": 0.88, "unanswerable": 0.90},
    ("15", "holdout"): {"answer": 0.92, "conversation": 0.83, "unanswerable": 0.90},
    # A sixteenth writer's set (75 questions, a third of them long stories, 20 unanswerable; 25 conversations of 3-4
    # turns, 8 with an unanswerable or off-topic turn; from the article alone), scored whole on arrival at
    # 87.3 / 82.3 / 95.0 % on that session's starting code, then split by hash.
    ("16", "tune"): {"answer": 0.85, "conversation": 0.73, "unanswerable": 1.00},
    ("16", "holdout"): {"answer": 0.88, "conversation": 0.94, "unanswerable": 0.90},
    # A seventeenth writer's set, conversations first (40 questions, 10 unanswerable; 40 conversations of 3-5 turns,
    # 149 turns, 10 with an unanswerable or off-topic turn; from the article alone), written after that session's
    # changes and scored whole on arrival at 93.3 / 77.2 / 100 % (76.5 % of turns on its starting code), then split.
    ("17", "tune"): {"answer": 0.86, "conversation": 0.77, "unanswerable": 1.00},
    ("17", "holdout"): {"answer": 1.00, "conversation": 0.80, "unanswerable": 1.00},
    # An eighteenth writer's set (60 questions, a third of them long stories, 15 unanswerable; 30 conversations of 3-4
    # turns, 107 turns, 16 with an unanswerable or off-topic turn; from the article alone), scored whole on arrival at
    # 88.9 / 83.2 / 93.3 % on that session's starting code, then split by hash.
    ("18", "tune"): {"answer": 0.86, "conversation": 0.84, "unanswerable": 0.87},
    ("18", "holdout"): {"answer": 0.90, "conversation": 0.75, "unanswerable": 1.00},
    # A nineteenth writer's set (70 questions, a third of the answerable ones long stories or relayed, 15 unanswerable
    # and 10 off-topic; 30 conversations of 3-4 turns, 99 turns, half with an unanswerable or off-topic turn; from the
    # article alone), scored whole on arrival at 87 / 86 / 100 % on that session's starting code, then split by hash.
    ("19", "tune"): {"answer": 0.93, "conversation": 0.84, "unanswerable": 1.00},
    ("19", "holdout"): {"answer": 0.80, "conversation": 0.87, "unanswerable": 1.00},
    # A twentieth writer's set, conversations first (50 questions, many yes/no or comparisons, 15 not to be answered;
    # 40 conversations of 3-4 turns, 140 turns, most leaning on the turn before), scored whole on arrival at 92 / 81 %
    # on that session's starting code and at its end alike, then split by hash.
    ("20", "tune"): {"answer": 0.92, "conversation": 0.82},
    ("20", "holdout"): {"answer": 0.91, "conversation": 0.78},
    # A twenty-first writer's set (63 questions, 14 long stories, 18 not to be answered; 30 conversations of 3-4 turns,
    # 97 turns, 6 with an unanswerable turn; from the article alone), scored whole on arrival at 92 / 86 % on that
    # session's starting code, then split by hash.
    ("21", "tune"): {"answer": 0.90, "conversation": 0.81},
    ("21", "holdout"): {"answer": 0.93, "conversation": 0.89},
    # A twenty-second writer's 273 questions on the topic that the article does not answer, many close to what it covers
    # (written as training data, kept as a test set): on arrival 63 of 273 got an answer, 7 the emergency text or a
    # choice; "answer" here is the share met (a fallback).
    ("22", "tune"): {"answer": 0.72},
    ("22", "holdout"): {"answer": 0.72},
    # A twenty-third writer's set (70 questions, 15 long stories, 17 very short, 20 not answered by the article; 30
    # conversations, 92 turns, 6 unanswerable; from the article alone), scored whole on arrival at 94 / 100 % and 82 of
    # 92 turns (81 on the session's starting code), then split by hash.
    ("23", "tune"): {"answer": 0.92, "unanswerable": 1.0, "conversation": 0.86},
    ("23", "holdout"): {"answer": 0.96, "unanswerable": 1.0, "conversation": 0.91},
    # A twenty-fourth writer's set, conversations first (60 questions, 13 long stories, 15 very short, 15 not answered
    # by the article; 40 conversations, 130 turns, 13 unanswerable, most later turns leaning on earlier ones; from the
    # article alone), scored whole on arrival at 36 / 45 answered, 14 / 15 not, 106 / 130 turns, then split by hash.
    ("24", "tune"): {"answer": 0.86, "unanswerable": 0.87, "conversation": 0.77},
    ("24", "holdout"): {"answer": 0.72, "unanswerable": 1.0, "conversation": 0.85},
    # A twenty-fifth writer's 60 questions of what something causes, damages or harms (30 of the spread, 30 of a
    # treatment; 28 answered by the article; from the article alone), asked for when the rule on effects was built
    # and scored whole on arrival: 23 / 28 and 17 / 32 before it, 23 / 28 and 26 / 32 with it; then split by hash.
    ("25", "tune"): {"answer": 0.71, "unanswerable": 0.93},
    ("25", "holdout"): {"answer": 0.92, "unanswerable": 0.68},
    # A twenty-sixth writer's set (70 questions: 52 answerable, 14 very short, 15 long stories, five relayed by staff;
    # 18 not answered by the article; 25 conversations of 3-4 turns, 85 turns, 15 unanswerable; from the article
    # alone), scored whole on arrival at 47 / 52 answered, 18 / 18 not, 76 / 85 turns, then split by hash.
    ("26", "tune"): {"answer": 0.96, "unanswerable": 1.0, "conversation": 0.93},
    ("26", "holdout"): {"answer": 0.84, "unanswerable": 1.0, "conversation": 0.85},
    # A twenty-seventh writer's 60 questions with words of judgement (30 asking which is better, 30 with "better" or
    # "best" asking no choice; 30 answered by the article), asked for after the rule on which is better was built and
    # scored whole on arrival: 26 / 30 and 20 / 30 without it, 22 / 30 and 25 / 30 with it. Read whole, kept whole.
    ("27", "tune"): {"answer": 0.76, "unanswerable": 0.93},
}


@pytest.mark.parametrize(("which", "part"), sorted(FLOORS))
def test_independent_questions(default_bot: Bot, which: str, part: str):
    if not SCORE.exists():
        pytest.skip("the shared scorer (../shared/eval/score.py) is not beside this checkout")
    score = load_score_module(SCORE)
    cases = yaml.safe_load((DATA / "independent" / f"questions{which}_{part}.yaml").read_text())
    requests, expects = score.build_requests(cases)
    replies = [{"id": r["id"], **default_bot.ask(r["text"], session=f"{which}{part}-{r['session']}").to_dict()}
               for r in requests]
    measured = rates(score, expects, replies)
    for group, floor in FLOORS[(which, part)].items():
        assert measured[group] >= floor, f"questions{which} {part} {group}: {measured[group]:.1%} < {floor:.0%}"
