"""Loading and validating knowledge-base files: every problem named with file and line or id."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from chatbot import KnowledgeBaseError, load
from chatbot.engine.knowledge import MAX_ANSWER_CHARS
from chatbot.engine.loader import plain_load

GOOD_ENTRY = """
  - id: {id}
    question: Question {id}?
    answer: Answer {id}.
    source: Section
    related: [{related}]
"""


def write(tmp_path: Path, text: str, name: str = "kb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(paths) -> list[str]:
    with pytest.raises(KnowledgeBaseError) as info:
        load(paths)
    return [str(p) for p in info.value.problems]


def test_loads_a_good_file(tmp_path):
    path = write(tmp_path, "entries:" + GOOD_ENTRY.format(id="a", related="b") + GOOD_ENTRY.format(id="b", related=""))
    kb = load([path])
    assert [e.id for e in kb.entries] == ["a", "b"]
    assert kb.get("a").related == ("b",)


def test_malformed_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "entries:\n  - id: a\n    question: [unclosed\n    answer: x\n")
    (message,) = problems([path])
    assert message.startswith(f"{path}:")
    assert "malformed YAML" in message
    assert ":4:" in message or ":3:" in message


def test_missing_and_empty_fields_name_the_entry_and_line(tmp_path):
    path = write(tmp_path, """\
        entries:
          - id: a
            question: Q?
            answer: A.
            source: S
          - id: b
            question: ""
            answer: A.
        """)
    found = problems([path])
    assert f"{path}:6: b: missing or empty 'question'" in found
    assert f"{path}:6: b: missing or empty 'source'" in found


def test_duplicate_ids(tmp_path):
    path = write(tmp_path, "entries:" + GOOD_ENTRY.format(id="a", related="") + GOOD_ENTRY.format(id="a", related=""))
    (message,) = problems([path])
    assert "a: duplicate id (first defined at" in message


def test_unknown_related_id(tmp_path):
    path = write(tmp_path, "entries:" + GOOD_ENTRY.format(id="a", related="ghost"))
    assert problems([path]) == [f"{path}:2: a: related id 'ghost' does not exist"]


def test_answer_over_the_limit(tmp_path):
    long = "x" * (MAX_ANSWER_CHARS + 1)
    path = write(tmp_path, f"entries:\n  - id: a\n    question: Q?\n    answer: {long}\n    source: S\n")
    (message,) = problems([path])
    assert f"answer is {MAX_ANSWER_CHARS + 1} characters" in message


def test_not_a_mapping_and_no_entries(tmp_path):
    assert "expected a mapping" in problems([write(tmp_path, "- just\n- a list\n")])[0]
    assert "'entries' must be a non-empty list" in problems([write(tmp_path, "name: x\n", "b.yaml")])[0]


def test_missing_file_and_not_utf8(tmp_path):
    assert problems([tmp_path / "nope.yaml"]) == [f"{tmp_path / 'nope.yaml'}: file not found"]
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"entries: \xff\xfe")
    assert "not UTF-8" in problems([bad])[0]


def test_unsafe_yaml_tags_are_refused(tmp_path):
    path = write(tmp_path, "entries: !!python/object/apply:os.system ['echo pwned']\n")
    assert "malformed YAML" in problems([path])[0]


def test_bad_urgent_pattern(tmp_path):
    path = write(tmp_path, "urgent:\n  - id: u\n    patterns: ['(']\n    message: m\nentries:"
                 + GOOD_ENTRY.format(id="a", related=""))
    assert "bad pattern" in problems([path])[0]


def test_directory_and_several_files_load_together(tmp_path):
    write(tmp_path, "entries:" + GOOD_ENTRY.format(id="a", related="b"), "one.yaml")
    write(tmp_path, "entries:" + GOOD_ENTRY.format(id="b", related="a"), "two.yaml")
    write(tmp_path, "not: loaded", "_draft.yaml")
    kb = load([tmp_path])
    assert [e.id for e in kb.entries] == ["a", "b"]
    assert len(kb.files) == 2


def test_duplicate_across_files(tmp_path):
    one = write(tmp_path, "entries:" + GOOD_ENTRY.format(id="a", related=""), "one.yaml")
    two = write(tmp_path, "entries:" + GOOD_ENTRY.format(id="a", related=""), "two.yaml")
    assert f"first defined at {one}:2" in problems([one, two])[0]


def test_empty_directory(tmp_path):
    assert "no .yaml files" in problems([tmp_path])[0]


PLAIN = """
name: &n Demo
count: 3
ratio: 0.5
on: yes
nothing: null
quoted: "3"
when: 2024-05-01
list: [a, *n, {k: v}]
nested:
  deep: [1, 2, [3]]
"""


def test_plain_documents_load_as_the_safe_loader_reads_them():
    assert plain_load(PLAIN) == yaml.safe_load(PLAIN)
    merged = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"  # a merge key: handed to the safe loader
    assert plain_load(merged) == yaml.safe_load(merged)
    tagged = "value: !!str 12\n"
    assert plain_load(tagged) == {"value": "12"}


def test_several_documents_in_one_file_are_refused(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text("entries: []\n---\nentries: []\n")
    with pytest.raises(KnowledgeBaseError, match="malformed YAML"):
        load([path])
