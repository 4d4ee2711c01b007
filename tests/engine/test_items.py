"""The item of the last answer's list that a message points at ("what's the last one")."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatbot import Bot
from chatbot.engine.items import lists, pointed_item, pointer

SOIL = """\
name: soil FAQ
entries:
  - id: soil-improvers
    title: Soil improvers
    question: What can I add to improve my soil?
    alternates: [how do i improve soil, best soil improvers, what improves clay soil]
    answer: Good soil improvers include compost, well-rotted manure and leaf mould. Dig them in during autumn.
    source: Soil
    related: [compost, leaf-mould]
  - id: compost
    title: Making compost
    question: How do I make compost?
    alternates: [compost heap, composting kitchen scraps, what is compost]
    answer: Mix green and brown waste, keep it moist and turn it every few weeks.
    source: Soil
  - id: manure
    title: Using manure
    question: Is manure good for the garden?
    alternates: [horse manure, well-rotted manure, what is manure]
    answer: Well-rotted manure feeds the soil; fresh manure can burn roots, so let it rot for a year first.
    source: Soil
  - id: leaf-mould
    title: Leaf mould
    question: What is leaf mould?
    alternates: [how do i make leaf mould, leaf mould from autumn leaves, rotted leaves]
    answer: Leaf mould is autumn leaves left to rot for one or two years in a bag or a wire cage.
    source: Soil
"""


@pytest.fixture(scope="module")
def soil_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    path: Path = tmp_path_factory.mktemp("soil") / "soil.yaml"
    path.write_text(SOIL)
    return Bot.from_files([path], cache=False)


@pytest.mark.parametrize(("answer", "expected"), [
    ("Options include surgery, radiation and chemotherapy.", [["surgery", "radiation", "chemotherapy"]]),
    # Semicolons join clauses that are the items; the sentence's opening phrase is no part of the first.
    ("Among adults, A occurs in 70%; B in 30%; and C in 10%.", [["A occurs in 70%", "B in 30%", "C in 10%"]]),
    # A comma inside brackets is the item's own.
    ("It depends on factors including the stage, the type (for example, lobular or ductal) and the grade.",
     [["the stage", "the type (for example, lobular or ductal)", "the grade"]]),
    # A clause about the whole list ends it.
    ("Options include surgery, radiation or chemotherapy, depending on your health.",
     [["surgery", "radiation", "chemotherapy"]]),
    ("It involves several steps: invasion, circulation and colonization.",
     [["invasion", "circulation", "colonization"]]),
    ("Water them twice a week.", []),
    # Items as long as sentences are no list.
    ("These include the way the cells that break away from the tumour travel through the blood to other organs, "
     "and what they do there.", []),
])
def test_lists_are_the_things_an_answer_enumerates(answer: str, expected: list[list[str]]):
    assert lists(answer) == expected


@pytest.mark.parametrize(("message", "place"), [
    ("whats the last one", -1),
    ("what is the second one you mentioned", 1),
    ("does the 3rd option hurt", 2),
    ("give me examples of the first kind", 0),
    ("last thing, how do i make compost", None),  # a way of speaking, not a pointer
    ("is it used in the first place", None),
    ("what is the second", None),
])
def test_a_pointer_is_a_place_and_a_word_for_the_thing(message: str, place: int | None):
    found = pointer(message)
    assert (found[0] if found else None) == place


def test_the_item_is_read_in_place_of_the_words_that_point_at_it():
    answer = "Good soil improvers include compost, well-rotted manure and leaf mould."
    assert pointed_item("whats the last one you said", answer) == ("leaf mould", "whats leaf mould")
    assert pointed_item("whats the fifth one", answer) is None  # the list has three


@pytest.mark.parametrize(("message", "entry"), [
    ("whats the last one", "leaf-mould"),
    ("what is the second one", "manure"),
    ("how do i make the first one", "compost"),
])
def test_a_follow_up_about_a_listed_item_gets_that_items_entry(soil_bot: Bot, message: str, entry: str):
    session = f"items-{message}"
    assert soil_bot.ask("what can I add to improve my soil", session=session).entry_id == "soil-improvers"
    reply = soil_bot.ask(message, session=session, explain=True)
    assert (reply.kind, reply.entry_id, reply.stage) == ("answer", entry, "item")
    assert reply.explanation is not None and reply.explanation["item"] in reply.explanation["read_as"]


def test_a_bare_ordinal_still_picks_a_topic_offered(soil_bot: Bot):
    soil_bot.ask("what can I add to improve my soil", session="pick")
    reply = soil_bot.ask("the second one", session="pick")
    assert (reply.stage, reply.entry_id) == ("pick", "leaf-mould")  # the second related topic, not manure


def test_with_nothing_listed_last_a_pointer_is_read_as_it_stands(soil_bot: Bot):
    soil_bot.ask("how do i make compost", session="none")
    assert soil_bot.ask("what is the second one", session="none").stage != "item"
