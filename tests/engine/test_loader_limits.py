"""Issue 12: the loader refuses YAML alias bombs, non-string values and over-large fields and files."""

from __future__ import annotations

import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from chatbot import KnowledgeBaseError, load
from chatbot.engine import loader
from chatbot.engine.fields import MAX_FIELD_CHARS, MAX_MESSAGE_CHARS

BOMB = Path(__file__).resolve().parents[1] / "data" / "billion_laughs.yaml"
ENTRY = "entries:\n  - id: a\n    question: Q?\n    answer: A.\n    source: S\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kb.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load([path])
    return [str(p) for p in info.value.problems]


def _limit_memory() -> None:  # the unfixed loader builds gigabyte strings; fail, do not swap
    resource.setrlimit(resource.RLIMIT_AS, (3 * 1024**3, 3 * 1024**3))


@pytest.fixture(scope="module")
def checked_bomb() -> tuple[subprocess.CompletedProcess[str], float]:
    """``chatbot check`` of the bomb, in a child process with bounded memory (the unfixed loader
    builds gigabyte strings: it must fail, not swap)."""
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "chatbot", "check", str(BOMB)], capture_output=True, text=True,
                            timeout=120, preexec_fn=_limit_memory)
    return result, time.monotonic() - start


def test_the_725_byte_billion_laughs_file_is_refused_quickly_by_check(checked_bomb):
    result, elapsed = checked_bomb
    assert BOMB.stat().st_size == 725
    assert result.returncode == 1
    assert "YAML aliases repeat more than" in result.stdout
    assert "Traceback" not in result.stderr
    assert len(result.stdout) < 2000 and elapsed < 10


def test_the_bomb_names_the_line_of_the_alias_that_crosses_the_limit(checked_bomb):
    result, _ = checked_bomb
    message = next(line for line in result.stdout.splitlines() if "aliases" in line)
    assert message.startswith(f"error: {BOMB}:")
    line = int(message.removeprefix(f"error: {BOMB}:").split(":")[0])
    alias = message.split("(alias ")[1].split(")")[0]
    assert alias in BOMB.read_text().splitlines()[line - 1]


def test_small_aliases_still_load(tmp_path):
    path = write(tmp_path, """\
        common: &common [where does it go, how does it spread]
        entries:
          - id: a
            question: Where does it spread?
            alternates: *common
            answer: &answer To the bones, the liver, the lungs and the brain.
            source: S
          - id: b
            question: Where else?
            alternates: *common
            answer: *answer
            source: S
        """)
    kb = load([path])
    assert kb.get("b").alternates == ("where does it go", "how does it spread")
    assert kb.get("b").answer == kb.get("a").answer


def test_alias_expansion_is_counted_through_nested_anchors():
    text = "a: &a [" + ",".join(["x" * 100] * 10) + "]\nb: &b [" + ",".join(["*a"] * 10) + "]\nc: [*b, *b]\n"
    assert loader.alias_problem("f", text, limit=30_000) is not None  # 2 × 10 × 10 × 101 characters
    assert loader.alias_problem("f", text, limit=50_000) is None
    assert loader.alias_problem("f", "q: Q&A *not an alias*\n", limit=0) is None


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("    tags: {stage: [a, b]}\n", None, "'tags' 'stage' must be a string, not a list"),
    ("    facets: {stage: {x: y}}\n", None, "'facets' 'stage' must be a string, not a mapping"),
    ("    title: [a, b]\n", None, "'title' must be a string, not a list"),
    ("    topic: {a: b}\n", None, "'topic' must be a string, not a mapping"),
    ("    alternates: [[a, b]]\n", None, "'alternates' must be a list of strings (item 1 is a list)"),
    ("    related: {a: b}\n", None, "'related' must be a list of strings, not a mapping"),
])
def test_non_string_entry_fields_are_refused_not_stringified(tmp_path, field, value, expected):
    path = write(tmp_path, ENTRY + field)
    (message,) = problems(path)
    assert expected in message


def test_a_list_as_id_or_question_is_refused(tmp_path):
    path = write(tmp_path, "entries:\n  - id: [a, b]\n    question: {x: y}\n    answer: yes\n    source: S\n")
    found = "\n".join(problems(path))
    assert "'id' must be a string, not a list" in found
    assert "'question' must be a string, not a mapping" in found
    assert "'answer' must be a string, not true/false" in found
    assert "['a', 'b']" not in found


@pytest.mark.parametrize(("settings", "expected"), [
    ("messages: {fallback: [a, b]}\n", "'messages' 'fallback' must be a string, not a list"),
    ("name: [a]\n", "'name' must be a string, not a list"),
    ("synonyms: {spread: {a: b}}\n", "synonyms for 'spread' must be a list of strings, not a mapping"),
    ("scope: {not_covered: 5}\n", "scope.not_covered must be a list, not a int"),
    ("scope: {anchors: [[a]]}\n", "scope.anchors must be a list of strings (item 1 is a list)"),
    ("urgent: [{id: [a], patterns: [x], message: m}]\n", "urgent rule #1: 'id' must be a short string"),
    ("urgent: [{patterns: [[x]], message: m}]\n", "'patterns' must be a list of strings (item 1 is a list)"),
    ("facets: {stage: {early: [[x]]}}\n", "facet 'stage.early' must list trigger words"),
    ("suggestions: {a: b}\n", "'suggestions' must be a list of strings, not a mapping"),
    ("support: {a: b}\n", "'support' must be a list of strings, not a mapping"),
    ("support: [nowhere]\n", "support entry 'nowhere' is not an entry id"),
])
def test_non_string_settings_are_refused(tmp_path, settings, expected):
    path = write(tmp_path, ENTRY + settings)
    found = "\n".join(problems(path))
    assert expected in found


@pytest.mark.parametrize(("field", "limit"), [
    ("question", MAX_FIELD_CHARS), ("source", MAX_FIELD_CHARS), ("title", MAX_FIELD_CHARS),
])
def test_every_entry_field_is_capped(tmp_path, field, limit):
    fields = {"id": "a", "question": "Q?", "answer": "A.", "source": "S", field: "x" * (limit + 1)}
    text = "entries:\n  - " + "\n    ".join(f"{key}: {value}" for key, value in fields.items()) + "\n"
    (message,) = problems(write(tmp_path, text))
    assert f"{field} is {limit + 1} characters (limit {limit})" in message


def test_list_items_mapping_values_and_messages_are_capped(tmp_path):
    long, longer = "x" * (MAX_FIELD_CHARS + 1), "y" * (MAX_MESSAGE_CHARS + 1)
    path = write(tmp_path, ENTRY + f"    alternates: [ok, {long}]\n    tags: {{t: {long}}}\n"
                                   f"greeting: {longer}\nmessages: {{fallback: {longer}}}\n")
    found = "\n".join(problems(path))
    assert f"'alternates' item 2 is {MAX_FIELD_CHARS + 1} characters" in found
    assert f"'tags' 't' is {MAX_FIELD_CHARS + 1} characters" in found
    assert f"'greeting' is {MAX_MESSAGE_CHARS + 1} characters (limit {MAX_MESSAGE_CHARS})" in found
    assert f"'messages' 'fallback' is {MAX_MESSAGE_CHARS + 1} characters" in found


def test_the_whole_file_is_capped_without_reading_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 1000)
    path = write(tmp_path, ENTRY + "# " + "x" * 1000 + "\n")
    (message,) = problems(path)
    assert "file is larger than" in message


def test_an_endless_file_is_refused_after_the_limit_instead_of_hanging():
    result = subprocess.run([sys.executable, "-m", "chatbot", "ask", "--kb", "/dev/zero", "hello"],
                            capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory)
    assert result.returncode == 1
    assert "file is larger than 64 MB" in result.stderr
