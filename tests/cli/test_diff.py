"""``chatbot diff OLD NEW``: run as a user would, on the tests' own small base and an edit of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chatbot.authoring.compare import read_questions
from tests.cli.test_cli import MINI, run


@pytest.fixture
def edited(tmp_path: Path) -> str:
    """The small base without its compost entry: its phrasings are answered no longer."""
    text = Path(MINI).read_text(encoding="utf-8")
    start = text.index("  - id: compost")
    end = text.index("  - id: mulch-what")
    path = tmp_path / "edited.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return str(path)


def test_an_edit_lists_the_replies_it_moved_and_exits_1(edited: str):
    proc = run("diff", MINI, edited)
    out, err = proc.stdout.decode(), proc.stderr.decode()
    assert proc.returncode == 1, err
    assert "How do I make compost?\n    answer compost" in out
    assert "Traceback" not in err
    # ... only those: the other entries' phrasings are answered as before.
    assert "roses" not in out.lower()
    assert "replies changed" in err and "no longer answered" in err


def test_the_same_base_changes_nothing_and_exits_0():
    proc = run("diff", MINI, MINI)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b""
    assert b"0 of " in proc.stderr


def test_questions_from_a_file_and_json_output(edited: str, tmp_path: Path):
    questions = tmp_path / "questions.txt"
    questions.write_text('composting kitchen scraps\n\n{"q": "how often should i water roses"}\n', encoding="utf-8")
    proc = run("diff", MINI, edited, "--questions", str(questions), "--json")
    assert proc.returncode == 1, proc.stderr
    changes = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [c["question"] for c in changes] == ["composting kitchen scraps"]
    assert changes[0]["before"]["entries"] == ["compost"] and changes[0]["before"]["kind"] == "answer"
    assert changes[0]["after"]["kind"] != "answer"
    assert b"of 2 replies changed" in proc.stderr


@pytest.mark.parametrize("content, message", [
    ("a: [b\n", "not valid YAML at line 2"),
    ('{"q": 3\n', "not a JSON line"),
])
def test_a_bad_questions_file_is_one_line_and_exit_2(tmp_path: Path, content: str, message: str):
    path = tmp_path / ("bad.yaml" if content.startswith("a:") else "bad.jsonl")
    path.write_text(content, encoding="utf-8")
    proc = run("diff", MINI, MINI, "--questions", str(path))
    assert proc.returncode == 2
    assert message in proc.stderr.decode() and b"Traceback" not in proc.stderr


def test_a_missing_base_is_exit_2(tmp_path: Path):
    proc = run("diff", MINI, str(tmp_path / "nope.yaml"))
    assert proc.returncode == 2
    assert b"file not found" in proc.stderr and b"Traceback" not in proc.stderr


def test_question_sets_in_yaml_give_every_turn(tmp_path: Path):
    path = tmp_path / "set.yaml"
    path.write_text("questions:\n- q: one\n- q: two\nconversations:\n- - q: three\n  - q: four\n- [five]\n",
                    encoding="utf-8")
    assert read_questions(str(path)) == ["one", "two", "three", "four", "five"]
