"""The linter behind ``chatbot check``: each finding on a small knowledge base of the tests' own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from chatbot.authoring.lint import lint, locate, summary
from chatbot.engine.knowledge import Problem
from chatbot.engine.loader import entry_lines, load


def entry(entry_id: str, question: str, alternates: list[str], related: list[str], answer: str = "") -> dict:
    return {
        "id": entry_id,
        "question": question,
        "alternates": alternates,
        "answer": answer or f"The answer about {question.lower().rstrip('?')}. It has two sentences.",
        "source": "Garden",
        "related": related,
    }


def clean_entries() -> list[dict]:
    """Three entries that retrieve themselves, relate in a ring and share no phrasing."""
    return [
        entry("roses-water", "How often should I water roses?", ["rose watering schedule"], ["roses-pests"]),
        entry("roses-pests", "What pests attack roses?", ["aphids on roses"], ["tomato-plant"]),
        entry("tomato-plant", "When should I plant tomatoes?", ["tomato planting time"], ["roses-water"]),
    ]


def write(path: Path, entries: list[dict], **settings) -> Path:
    path.write_text(yaml.safe_dump({"name": "garden FAQ", **settings, "entries": entries}, sort_keys=False))
    return path


def run_lint(*paths: Path) -> list[Problem]:
    kb = load(paths)
    lines = {file: entry_lines(Path(file).read_text(encoding="utf-8")) for file in kb.files}
    return lint(kb, locate(kb, lines))


def findings(problems: list[Problem], entry_id: str, words: str) -> list[Problem]:
    return [p for p in problems if p.entry_id == entry_id and words in p.message]


def check(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "chatbot", "check", *args], capture_output=True, text=True,
                          timeout=60, env=env)


# -- findings ----------------------------------------------------------------------------


def test_clean_knowledge_base_has_no_findings(tmp_path):
    assert run_lint(write(tmp_path / "kb.yaml", clean_entries())) == []


def test_near_duplicates_across_entries_name_both(tmp_path):
    entries = clean_entries()
    entries[0]["alternates"].append("watering schedule for my roses in the summer months")
    entries[2]["alternates"].append("watering schedule for my rose in the summer month")  # ratio ≥ 95
    entries[1]["alternates"].append("attack pests roses")  # same content words as its question...
    entries[2]["alternates"].append("roses attack pests")  # ...and as this one, in another entry
    problems = run_lint(write(tmp_path / "kb.yaml", entries))
    (close,) = findings(problems, "tomato-plant", "near-duplicates alternate 'watering schedule")
    assert "of roses-water" in close.message and "ratio" in close.message and close.severity == "warning"
    same = findings(problems, "tomato-plant", "'roses attack pests' near-duplicates")
    assert {"roses-pests"} == {p.message.split(" of ")[-1].split(" ")[0] for p in same}
    assert all("same content words" in p.message for p in same)
    assert not findings(problems, "roses-pests", "near-duplicates")  # within one entry is fine


def test_phrasings_that_differ_in_one_distinct_word_are_not_duplicates(tmp_path):
    entries = clean_entries()
    entries[0]["alternates"].append("my neighbour says my roses need watering every single day")
    entries[2]["alternates"].append("my neighbour says my tomatoes need planting every single day")
    entries[1]["alternates"].append("my neighbour says my roses have aphids every single day")
    problems = run_lint(write(tmp_path / "kb.yaml", entries))
    assert not [p for p in problems if "near-duplicates" in p.message]


def test_self_retrieval_failures_say_what_they_get(tmp_path):
    entries = clean_entries()
    entries[0]["alternates"].append("aphids on roses")  # roses-pests's alternate: a tie, so a clarify
    # A typo kept on purpose is fixed when asked ("were do" → "where do"), which is tomato-plant's phrasing.
    entries[1]["alternates"].append("were do tomatoes grow")
    entries[2]["alternates"].append("where do tomatoes grow")
    entries[2]["alternates"].append("tomatoes for my car")  # out of scope
    path = write(tmp_path / "kb.yaml", entries, scope={"out_of_scope": ["car"]})
    problems = run_lint(path)
    (tie,) = findings(problems, "roses-water", "'aphids on roses' does not retrieve its entry")
    assert "gets clarify between" in tie.message and "roses-pests" in tie.message
    (other,) = findings(problems, "roses-pests", "'were do tomatoes grow' does not retrieve its entry")
    assert "gets tomato-plant (score" in other.message
    (fallback,) = findings(problems, "tomato-plant", "alternate 'tomatoes for my car' does not retrieve")
    assert "gets fallback (out of scope: 'car')" in fallback.message


def test_orphans_and_long_answers(tmp_path):
    entries = clean_entries()
    entries[2]["related"] = ["roses-pests"]  # nothing relates to roses-water any more
    entries[1]["answer"] = "Aphids and black spot are the usual problems. " * 16  # about 750 characters
    problems = run_lint(write(tmp_path / "kb.yaml", entries))
    (orphan,) = findings(problems, "roses-water", "no other entry relates to it")
    assert orphan.severity == "warning"
    (long,) = findings(problems, "roses-pests", "answer is")
    assert "(soft limit 700)" in long.message
    assert {p.entry_id for p in problems} == {"roses-water", "roses-pests"}
    assert summary(problems) == (0, 2)


def test_locations_point_at_each_entry_across_files(tmp_path):
    first = write(tmp_path / "a.yaml", clean_entries()[:2])
    last = clean_entries()[2:]
    last[0]["related"] = []
    second = write(tmp_path / "b.yaml", last)
    kb = load([first, second])
    where = locate(kb, {f: entry_lines(Path(f).read_text(encoding="utf-8")) for f in kb.files})
    assert where["roses-water"] == (str(first), 3)
    assert where["roses-pests"][0] == str(first) and where["roses-pests"][1] > 3
    assert where["tomato-plant"] == (str(second), 3)
    (orphan,) = findings(run_lint(first, second), "roses-water", "no other entry")
    assert (orphan.file, orphan.line) == (str(first), 3)


# -- the command -------------------------------------------------------------------------


def test_check_clean_exits_zero_even_with_strict(tmp_path):
    path = str(write(tmp_path / "kb.yaml", clean_entries()))
    for args in ([path], ["--strict", path]):
        proc = check(*args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout == ""
        assert proc.stderr.strip() == "ok: 3 entries in 1 file(s): 0 error(s), 0 warning(s)"


def test_check_warnings_are_fatal_only_with_strict(tmp_path):
    entries = clean_entries()
    entries[2]["related"] = ["roses-pests"]
    path = write(tmp_path / "kb.yaml", entries)
    proc = check(str(path))
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        f"warning: {path}:3: roses-water: no other entry relates to it (add its id to a related entry's 'related')"
    ]
    assert proc.stderr.strip() == "ok: 3 entries in 1 file(s): 0 error(s), 1 warning(s)"
    strict = check("--strict", str(path))
    assert strict.returncode == 1
    assert strict.stdout == proc.stdout
    assert strict.stderr.strip() == "failed: 3 entries in 1 file(s): 0 error(s), 1 warning(s) (--strict)"


def test_check_errors_exit_one_with_or_without_strict(tmp_path):
    entries = clean_entries()
    entries[0]["answer"] = "x" * 1001
    entries[1]["related"] = ["no-such-entry"]
    path = write(tmp_path / "kb.yaml", entries)
    for args in ([str(path)], ["--strict", str(path)]):
        proc = check(*args)
        assert proc.returncode == 1
        lines = proc.stdout.splitlines()
        assert f"error: {path}:3: roses-water: answer is 1001 characters (limit 1000)" in lines
        assert any(line.startswith(f"error: {path}:") and "'no-such-entry' does not exist" in line for line in lines)
        assert proc.stderr.strip() == "failed: knowledge base: 2 error(s), 0 warning(s)"
        assert "Traceback" not in proc.stderr


def test_a_word_said_twice_in_a_row_is_reported_and_a_sentence_that_ends_and_starts_with_it_is_not(tmp_path):
    entries = clean_entries()
    entries[0]["answer"] = "Water roses weekly; the amount of water (water) depends on the soil."
    entries[1]["answer"] = "Aphids attack roses. Roses recover once the aphids are gone, in 2, 2 or 3 weeks."
    problems = run_lint(write(tmp_path / "kb.yaml", entries))
    (twice,) = findings(problems, "roses-water", "a word twice in a row")
    assert "'water (water'" in twice.message and twice.severity == "warning"
    assert findings(problems, "roses-pests", "twice") == []
