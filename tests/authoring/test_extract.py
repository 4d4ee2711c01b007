"""Drafting a knowledge base from documents: sections, questions, answers, and the command."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

from chatbot import Bot
from chatbot.authoring.draft import draft, slug
from chatbot.authoring.extract import extract_files
from chatbot.authoring.questions import Casing, heading_question, sentence_questions
from chatbot.authoring.scope import guess_scope
from chatbot.authoring.sections import INTRODUCTION, DocumentError, parse, read_document, split_sentences
from chatbot.engine.builder import build
from chatbot.engine.knowledge import MAX_ANSWER_CHARS

# A plain-text article in the seed's shape: an untitled lead, then title-case heading lines.
GARDEN = "\n".join([
    "Roses are among the most popular garden plants. Roses need sun, water and good soil to flower well.",
    "Gardeners often worry about pests and diseases.",
    "Common Pests of Garden Roses",
    "Aphids are small, sap-sucking insects that gather on new shoots. "
    "Aphid infestations occur in about 40% of rose gardens each spring.",
    "They can cause curled leaves and weak flowers. "
    "Treatment options for aphids may include insecticidal soap, ladybirds or a strong spray of water.",
    "How Frost Damages Roses",
    "Frost can cause split bark and dead shoots. "
    "Mulch is a layer of material spread over the soil to protect the roots.",
    "Wrapping Up:",
    "Healthy roses resist pests. Check your plants every week.",
]) + "\n"

# A product FAQ that looks nothing like the seed: a Markdown title, question headings, a list.
ROUTER = """\
# Acme Mesh Router FAQ

The Acme Mesh Router covers a whole home with fast, reliable Wi-Fi. This page answers the
questions our support desk hears most often.

## How do I reset the router?

Press and hold the **reset button** on the back of the router for ten seconds, until the light
blinks amber. The router restarts with its factory settings.

## Setting Up a Guest Network

A guest network is a separate Wi-Fi network for visitors. It keeps your own devices private.
To turn it on, open the [Acme app](https://example.com/app), choose Settings, then Guest Wi-Fi.

## Warranty and Returns

The router has a two-year warranty that covers hardware faults. Returns are accepted within
30 days of purchase.

## Troubleshooting Slow Speeds

Slow speeds can cause buffering and dropped video calls. Common fixes include:

- moving the router to a central spot
- updating the firmware
- restarting the modem
"""


def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def run(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "chatbot", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


# -- sections --------------------------------------------------------------------------------


def test_plain_text_sections_and_introduction():
    document = parse(GARDEN, "text")
    headings = [s.heading for s in document.sections]
    assert headings == [INTRODUCTION, "Common Pests of Garden Roses", "How Frost Damages Roses", "Wrapping Up:"]
    assert document.sections[0].sentences[0] == "Roses are among the most popular garden plants."
    assert document.title  # no title line: guessed from what the text repeats


def test_markdown_title_headings_and_lists():
    document = parse(ROUTER, "markdown")
    assert document.title == "Acme Mesh Router FAQ"
    assert [s.heading for s in document.sections][:2] == [INTRODUCTION, "How do I reset the router?"]
    reset = document.sections[1].sentences
    assert reset[0].startswith("Press and hold the reset button")  # emphasis stripped
    guest = " ".join(document.sections[2].sentences)
    assert "open the Acme app, choose" in guest  # link text kept, address dropped
    fixes = document.sections[-1].sentences[-1]
    assert fixes == ("Common fixes include: moving the router to a central spot; updating the firmware; "
                     "restarting the modem.")


def test_html_headings_and_paragraphs():
    html = ("<html><head><title>Ignored</title><style>p {color: red}</style></head><body>"
            "<h1>Bike Care</h1><p>Bikes last longer with care.</p><h2>Chain Cleaning</h2>"
            "<p>A dirty chain wears out gears. Clean it every month.</p></body></html>")
    document = parse(html, "html")
    assert document.title == "Bike Care"
    assert [s.heading for s in document.sections] == [INTRODUCTION, "Chain Cleaning"]


def test_sentences_keep_abbreviations_whole():
    assert split_sentences("Use a mild soap, e.g. dish soap. Rinse well.") == [
        "Use a mild soap, e.g. dish soap.", "Rinse well."]


# -- questions -------------------------------------------------------------------------------


@pytest.mark.parametrize(("heading", "question"), [
    ("Common Sites of Metastatic Breast Cancer", "What are the common sites of metastatic breast cancer?"),
    ("Where Does Breast Cancer Spread To?", "Where does breast cancer spread to?"),
    ("How Frost Damages Roses", "How does frost damage roses?"),
    ("Treatments for Advanced Breast Cancer", "What are the treatments for advanced breast cancer?"),
    ("Strategies for Preventing Frost Damage", "How can I prevent frost damage?"),
    ("Setting Up a Guest Network", "How can I set up a guest network?"),
    ("Warranty and Returns", "What should I know about warranty and returns?"),
    ("Wrapping Up:", "What are the key points about roses?"),
])
def test_heading_questions(heading, question):
    case = Casing(["the common sites of spread", "treatments for advanced cancer", "set up the network"])
    assert heading_question(heading, "roses", case, {"prevent": 1, "set": 1})[0] == question


def test_sentence_patterns():
    sentences = (
        "Frost can cause split bark and dead shoots.",
        "Aphid infestations occur in about 40% of rose gardens each spring.",
        "Treatment options for black spot may include fungicide sprays and pruning.",
        "Mulch is a layer of material spread over the soil.",
        "Leaf curl can cause pale leaves.",
        "They occur in about 5% of gardens.",
        "The choice of variety depends on your climate.",
    )
    found = {q.text: q.sentence for q in sentence_questions(sentences, Casing(sentences), {})}
    assert found["What can frost cause?"] == 0
    assert found["How common are aphid infestations?"] == 1
    assert found["How is black spot treated?"] == 2
    assert found["What is mulch?"] == 3
    assert found["How common is leaf curl?"] == 5  # "They" is the previous sentence's subject
    assert found["What does the choice of variety depend on?"] == 6


def test_example_names_become_alternates():
    sentences = ("Examples of organic sprays include neem oil and pyrethrin.",)
    question = sentence_questions(sentences, Casing(sentences), {})[0]
    assert question.text == "What are examples of organic sprays?"
    assert question.extra == ("neem oil", "pyrethrin")


# -- drafts ----------------------------------------------------------------------------------


def test_draft_is_valid_and_answers_the_product_faq(tmp_path):
    data = extract_files([write(tmp_path, "router.md", ROUTER)])
    kb = build([("draft", data, {})])
    assert data["name"] == "Acme Mesh Router FAQ"
    assert "Acme Mesh Router" in data["greeting"] and data["disclaimer"]
    bot = Bot(kb)
    cases = {
        "how do I reset my router": "reset button",
        "setting up guest wifi": "guest network",
        "what is the warranty": "two-year warranty",
        "common fixes for slow speeds": "updating the firmware",
    }
    for text, fact in cases.items():
        reply = bot.ask(text)
        assert reply.kind == "answer" and fact in reply.answer, (text, reply)
    assert bot.ask("how do I bake sourdough bread").kind == "fallback"


def test_draft_entries_are_well_formed(tmp_path):
    data = extract_files([write(tmp_path, "garden.txt", GARDEN)])
    entries = data["entries"]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    for entry in entries:
        assert entry["id"] == slug(entry["question"]) or entry["id"].startswith(slug(entry["question"]) + "-")
        assert entry["question"].endswith("?")
        assert entry["source"] in {INTRODUCTION, "Common Pests of Garden Roses", "How Frost Damages Roses",
                                   "Wrapping Up:"}
        assert len(entry["answer"]) <= MAX_ANSWER_CHARS
        assert entry["answer"] in GARDEN.replace("\n", " ")  # copied from the document, never made up
        assert entry["related"] and entry["id"] not in entry["related"]
        assert entry["question"].lower() not in [a.lower() for a in entry["alternates"]]
    questions = {e["question"]: e for e in entries}
    aphids = questions["How are aphids treated?"]
    assert aphids["source"] == "Common Pests of Garden Roses"
    assert "insecticidal soap" in aphids["answer"]
    assert "treatment options for aphids" in aphids["alternates"]


def test_ids_are_stable_and_deduplicated(tmp_path):
    path = write(tmp_path, "garden.txt", GARDEN)
    assert extract_files([path]) == extract_files([path])
    twice = draft([parse(GARDEN, "text"), parse(GARDEN.replace("Roses are", "Roses were"), "text")])
    ids = [e["id"] for e in twice["entries"]]
    assert len(ids) == len(set(ids))


def test_long_paragraph_answers_stay_short():
    sentence = "Pruning is a task that gardeners do in late winter when the plants are dormant and bare. "
    document = parse("Pruning Roses\n" + sentence * 40 + "\n", "text")
    for entry in draft([document])["entries"]:
        assert len(entry["answer"]) <= MAX_ANSWER_CHARS
        assert len(split_sentences(entry["answer"])) <= 5


def test_scope_is_guessed_from_the_subject():
    text = ("Rose care keeps plants healthy. Rose care differs from the lawn, hedges, trees and vegetables.\n"
            "Watering\nRose care starts with water at the roots, every week in summer for rose care.\n")
    scope = guess_scope([parse(text, "text")])
    assert scope["anchors"] == ["rose"]
    assert "lawn care" in scope["out_of_scope"]


def test_vocabulary_is_copied_from_a_knowledge_base(tmp_path):
    vocabulary = {"synonyms": {"router": ["wifi box"]}, "scope": {"anchors": ["router"], "out_of_scope": ["car"]},
                  "messages": {"fallback": "not copied"}}
    data = draft([parse(ROUTER, "markdown")], vocabulary)
    assert data["synonyms"] == {"router": ["wifi box"]}
    assert data["scope"] == vocabulary["scope"]
    assert "messages" not in data


# -- reading errors --------------------------------------------------------------------------


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty document"),
    (b"  \n\n\t\n", "empty document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
    (b"caf\xe9 au lait", "not UTF-8"),
    (b"12345\n---\n", "no paragraphs"),
])
def test_unusable_documents(tmp_path, content, reason):
    path = write(tmp_path, "doc.txt", content)
    with pytest.raises(DocumentError, match=reason):
        parse(read_document(path), "text", str(path))


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(DocumentError, match="file not found"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(DocumentError, match="is a directory"):
        read_document(tmp_path)


# -- the command -----------------------------------------------------------------------------


def test_extract_command_writes_a_draft_that_checks_and_chats(tmp_path):
    source = write(tmp_path, "router.md", ROUTER)
    out = tmp_path / "draft.yaml"
    proc = run("extract", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "wrote" in proc.stderr and str(out) in proc.stderr
    assert yaml.safe_load(out.read_text())["entries"]
    check = run("check", str(out))
    assert check.returncode == 0, check.stdout + check.stderr
    reply = run("ask", "--kb", str(out), "how do I reset the router")
    assert "reset button" in reply.stdout
    assert run("extract", str(source)).stdout == out.read_text()  # no -o: standard output


def test_extract_command_errors_are_one_line(tmp_path):
    empty = write(tmp_path, "empty.md", "")
    binary = write(tmp_path, "image.txt", b"\x00\x01\x02\x03")
    proc = run("extract", str(empty), str(binary), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "x.yaml"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines == [f"error: {empty}: empty document", f"error: {binary}: binary file, not a text document",
                     f"error: {tmp_path / 'missing.txt'}: file not found"]
    assert not (tmp_path / "x.yaml").exists()


def test_extract_command_reports_progress_on_long_input(tmp_path):
    sections = "".join(f"Section Number {i} Heading\nThe widget number {i} is a small part of the machine. "
                       f"It can cause noise when worn. {'Filler words go here. ' * 20}\n" for i in range(60))
    source = write(tmp_path, "long.txt", sections)
    proc = run("extract", str(source), "-o", str(tmp_path / "long.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert "extract: " in proc.stderr and "sections" in proc.stderr
    assert run("check", str(tmp_path / "long.yaml")).returncode == 0


def test_extract_command_vocabulary_from(tmp_path):
    source = write(tmp_path, "router.md", ROUTER)
    kb = write(tmp_path, "vocab.yaml", "synonyms:\n  router: [wifi box]\nentries:\n"
                                       "  - {id: a, question: 'What is a?', answer: a, source: s}\n")
    out = tmp_path / "draft.yaml"
    assert run("extract", str(source), "--vocabulary-from", str(kb), "-o", str(out)).returncode == 0
    assert yaml.safe_load(out.read_text())["synonyms"] == {"router": ["wifi box"]}
    reply = run("ask", "--kb", str(out), "how do I reset the wifi box")
    assert "reset button" in reply.stdout
