"""Converting knowledge bases between YAML, JSON and CSV/TSV: round trips and row-numbered errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from chatbot.authoring.convert import ConvertError, convert, from_rows, join_list, read, split_list, to_rows, to_yaml
from chatbot.engine.loader import load
from tests.support import MINI, ROOT

TRICKY = {
    "name": "Tricky FAQ",
    "synonyms": {"pipe": ["|", "vertical bar"]},
    "scope": {"anchors": ["faq"], "out_of_scope": ["cars"]},
    "entries": [
        {"id": "pipes", "question": "What does | mean?", "alternates": ["a|b", "back\\slash", "plain"],
         "answer": "Line one, with \"quotes\", commas and a tab\there.\nLine two: ünïcödé ✓.",
         "source": "Symbols", "related": ["empty"], "title": "Pipes", "topic": "Symbols",
         "facets": {"kind": "symbol|char"}},
        {"id": "empty", "question": "Is anything optional?", "answer": "Yes.", "source": "Basics"},
    ],
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chatbot", *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "NO_COLOR": "1"})


def test_list_cells_escape_the_separator():
    items = ["a|b", "back\\slash", " spaced ", "plain"]
    assert split_list(join_list(items)) == ["a|b", "back\\slash", "spaced", "plain"]
    assert split_list("one | two ||three") == ["one", "two", "three"]


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_yaml_json_round_trip_keeps_everything(tmp_path, suffix):
    original = yaml.safe_load(MINI.read_text())
    middle = tmp_path / f"mini{'.json' if suffix == '.yaml' else '.yaml'}"
    back = tmp_path / f"back{suffix}"
    assert convert(MINI, middle) == []
    assert convert(middle, back) == []
    assert read(back) == original  # settings (synonyms, scope, urgent, facets…) survive
    converted, shipped = load([back]), load([MINI])
    assert converted.entries == shipped.entries and converted.synonyms == shipped.synonyms


def test_json_output_is_plain_json(tmp_path):
    convert(MINI, tmp_path / "mini.json")
    data = json.loads((tmp_path / "mini.json").read_text())
    assert data["synonyms"]["tomato"] == ["tomatoes", "toms"]
    assert data["entries"][0]["id"] == "roses-water"


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_round_trip_keeps_every_entry_field(tmp_path, fmt):
    source = tmp_path / "tricky.yaml"
    source.write_text(to_yaml(TRICKY))
    table = tmp_path / f"tricky.{fmt}"
    notes = convert(source, table)
    assert any("entries only" in n and "synonyms" in n for n in notes)
    back = tmp_path / "back.yaml"
    convert(table, back)
    assert read(back) == {"entries": TRICKY["entries"]}
    again = tmp_path / f"again.{fmt}"
    convert(back, again)
    assert again.read_bytes() == table.read_bytes()


def test_csv_round_trip_of_the_shipped_knowledge_base(tmp_path):
    shipped = ROOT / "faq" / "breast_cancer_metastasis.yaml"
    convert(shipped, tmp_path / "kb.csv")
    convert(tmp_path / "kb.csv", tmp_path / "kb.yaml")
    assert load([tmp_path / "kb.yaml"]).entries == load([shipped]).entries


def test_csv_columns_and_optional_columns():
    text, notes = to_rows({"entries": TRICKY["entries"][1:]})
    assert text.splitlines()[0] == "id,question,alternates,answer,source,related"
    assert notes == []
    header = to_rows(TRICKY)[0].splitlines()[0]
    assert header == "id,question,alternates,answer,source,related,title,topic,facets"


def test_malformed_rows_are_reported_with_their_row_number():
    text = ("id,question,answer,source,related,facets\n"
            "a,What is A?,A is a letter.,Intro,,\n"
            "b,,B is a letter.,Intro,,\n"
            "c,What is C?\n"
            "a,What is A again?,A.,Intro,,\n"
            "d,What is D?,D.,Intro,,broken\n")
    with pytest.raises(ConvertError) as caught:
        from_rows(text, "faq.csv")
    assert str(caught.value).splitlines() == [
        "faq.csv: row 3: missing 'question'",
        "faq.csv: row 4: 2 fields, the header has 6",
        "faq.csv: row 5: duplicate id 'a' (first on row 2)",
        "faq.csv: row 6: 'facets' must be key=value pairs separated by |",
    ]


def test_knowledge_base_problems_name_the_row():
    with pytest.raises(ConvertError, match=r"faq.csv: row 3: b: related id 'zz' does not exist"):
        from_rows("id,question,answer,source,related\na,A?,A.,S,\nb,B?,B.,S,zz\n", "faq.csv")


@pytest.mark.parametrize(("text", "message"), [
    ("", "empty file"),
    ("id,question,answer,source,colour\n", "row 1: unknown column(s): colour"),
    ("id,question,source\n", "row 1: missing column(s): answer"),
])
def test_bad_headers(text, message):
    with pytest.raises(ConvertError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_rows(text, "faq.csv")


def test_convert_command_happy_path_and_notes(tmp_path):
    proc = run("convert", str(MINI), str(tmp_path / "mini.csv"))
    assert proc.returncode == 0, proc.stderr
    assert "CSV keeps entries only" in proc.stderr
    proc = run("convert", str(tmp_path / "mini.csv"), str(tmp_path / "mini.yaml"))
    assert proc.returncode == 0, proc.stderr
    assert "no settings" in proc.stderr
    assert run("check", str(tmp_path / "mini.yaml")).returncode == 0


def test_convert_command_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,question,answer,source\nx,,X.,S\n")
    proc = run("convert", str(bad), str(tmp_path / "out.yaml"))
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"error: {bad}: row 2: missing 'question'"
    assert not (tmp_path / "out.yaml").exists()
    broken = tmp_path / "broken.json"
    broken.write_text('{"entries": [')
    proc = run("convert", str(broken), str(tmp_path / "out.yaml"))
    assert proc.returncode == 1 and "malformed JSON" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("convert", str(MINI), str(tmp_path / "out.txt"))
    assert proc.returncode == 1 and "unknown format" in proc.stderr
    proc = run("convert", str(tmp_path / "missing.yaml"), str(tmp_path / "out.json"))
    assert proc.returncode == 1 and "file not found" in proc.stderr and "Traceback" not in proc.stderr
