"""Importing QnA Maker / Azure question answering exports with ``chatbot convert``.

The export files in ``tests/data/azure`` were written for these tests, in each format the services
export: the TSV (answers' line breaks written ``\\n``), the Excel workbook, and CQA's JSON project.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import yaml

from chatbot import Bot
from chatbot.authoring.convert import ConvertError, convert, read
from chatbot.azure.importers import from_project, from_tsv, is_export
from chatbot.engine.builder import build
from chatbot.engine.loader import load
from tests.support import DATA

AZURE = DATA / "azure"
HEADER = "Question\tAnswer\tSource\tMetadata\tSuggestedQuestions\tIsContextOnly\tPrompts\tQnaId\n"


def by_id(data: dict) -> dict[str, dict]:
    return {entry["id"]: entry for entry in data["entries"]}


def tsv(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def test_tsv_export_becomes_entries_with_alternates_tags_and_related():
    entries = by_id(read(AZURE / "qnamaker.tsv"))
    assert list(entries) == ["qna-1", "qna-2", "qna-3", "qna-4", "qna-5"]
    reset = entries["qna-1"]
    assert reset["question"] == "How do I reset my password?"
    assert reset["alternates"] == ["I forgot my password", "password reset"]
    assert reset["answer"] == ("**Resetting your password**\n\n1. Open *Settings*.\n"
                               "2. Choose **Security** → *Reset password*.\n3. Follow the link we e-mail you.")
    assert reset["source"] == "Editorial"
    assert reset["tags"] == {"category": "account", "product": "portal"}
    assert reset["related"] == ["qna-2", "qna-3"]  # in display order, not in the cell's order
    assert entries["qna-2"]["title"] == "Reset link expired"  # the prompt's text
    office = entries["qna-4"]
    assert office["question"] == "Où se trouve votre bureau à Zürich ?"
    assert office["tags"] == {"language": "fr", "city": "zürich"}
    assert "Téléphone : +41" in office["answer"]
    assert entries["qna-5"]["source"] == "Editorial"  # none in the export


def test_multi_turn_prompts_survive_import(tmp_path):
    """The complaint about other importers: follow-up prompts lost. Ours chat as they did."""
    target = tmp_path / "support.yaml"
    convert(AZURE / "qnamaker.tsv", target)
    bot = Bot.from_files([target], cache=False)
    reply = bot.ask("I forgot my password", session="s")
    assert reply.entry_id == "qna-1"
    assert [(t.id, t.title) for t in reply.related] == [("qna-2", "Reset link expired"),
                                                        ("qna-3", "Change my e-mail address")]
    assert bot.ask("1", session="s").entry_id == "qna-2"  # the first prompt, picked as in our chat
    assert bot.ask("2", session="s").entry_id != "qna-3"  # qna-2 offers no prompts of its own
    assert bot.ask("I forgot my password", session="s").related[1].id == "qna-3"
    assert bot.ask("2", session="s").entry_id == "qna-3"
    text = target.read_text(encoding="utf-8")
    assert "related: [qna-2, qna-3]" in text
    assert "Où se trouve votre bureau à Zürich ?" in text  # written as text, not escapes
    assert "  answer: |-\n    **Resetting your password**\n\n    1. Open *Settings*." in text


def test_xlsx_export(tmp_path):
    pytest.importorskip("openpyxl")
    entries = by_id(read(AZURE / "qnamaker.xlsx"))
    tea, matcha = entries["qna-1"], entries["qna-2"]
    assert tea["answer"].startswith("**Brewing green tea**\n\n1. Heat the water to 80 °C.\n2. Steep")
    assert tea["tags"] == {"drink": "tea", "temperature": "hot"}
    assert tea["related"] == ["qna-2"] and matcha["related"] == ["qna-1"]
    assert matcha["alternates"] == ["抹茶とは何ですか？"]
    assert matcha["source"] == "tea-guide.docx"
    assert (matcha["title"], tea["title"]) == ("Matcha", "Brewing")
    convert(AZURE / "qnamaker.xlsx", tmp_path / "tea.yaml")
    assert load([tmp_path / "tea.yaml"]).get("qna-2").related == ("qna-1",)


def test_xlsx_without_openpyxl_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if the extra were not installed
    with pytest.raises(ConvertError, match=r"needs openpyxl: pip install 'faq-chatbot\[azure\]'"):
        read(AZURE / "qnamaker.xlsx")


def test_xlsx_is_read_only(tmp_path):
    with pytest.raises(ConvertError, match="read only"):
        convert(AZURE / "qnamaker.tsv", tmp_path / "out.xlsx")


def test_cqa_json_project_export():
    data = read(AZURE / "cqa-project.json")
    assert data["name"] == "library-help"
    assert data["messages"] == {"fallback": "Sorry, I can't help with that yet."}
    assert data["synonyms"] == {"borrow": ["lend", "check out"], "card": ["library card"]}
    entries = by_id(data)
    assert list(entries) == ["qna-10", "qna-11", "qna-12", "qna-13"]  # the project's own QnA ids
    card = entries["qna-10"]
    assert card["related"] == ["qna-11", "qna-12"]
    assert card["tags"] == {"topic": "membership", "audience": "public"}
    assert card["alternates"][-1] == "Wie bekomme ich einen Bibliotheksausweis?"
    assert "\n\n* Children under 16" in card["answer"]
    assert entries["qna-13"]["question"] == "図書館の営業時間は？"
    assert entries["qna-13"]["title"] == "図書館の営業時間"
    bot = Bot(build([("cqa-project.json", data, {})]))
    assert bot.ask("I lost my library card").entry_id == "qna-11"
    assert bot.ask("what is the borrowing limit").entry_id == "qna-12"


def test_json_keys_are_read_in_any_case():
    camel = json.loads((AZURE / "cqa-project.json").read_text(encoding="utf-8"))

    def pascal(value):
        if isinstance(value, dict):
            return {key[0].upper() + key[1:]: pascal(item) for key, item in value.items()}
        if isinstance(value, list):
            return [pascal(item) for item in value]
        return value

    exported = pascal(camel)
    for qna in exported["Assets"]["Qnas"]:  # keys inside metadata are data, not to be changed
        qna["Metadata"] = {key[0].lower() + key[1:]: value for key, value in qna["Metadata"].items()}
    assert from_project(exported, "pascal.json") == from_project(camel, "camel.json")


def test_cli_imports_and_prints_notes(tmp_path):
    target = tmp_path / "library.yaml"
    result = subprocess.run([sys.executable, "-m", "chatbot", "convert", str(AZURE / "cqa-project.json"), str(target)],
                            capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stderr
    assert "note: context-only QnAs (11)" in result.stderr
    assert yaml.safe_load(target.read_text(encoding="utf-8"))["entries"][0]["id"] == "qna-10"


def test_export_header_is_told_from_ours():
    assert is_export(HEADER)
    assert is_export("Question\tAnswer\tSource\tMetadata\n")  # the older QnA Maker export
    assert not is_export("id\tquestion\talternates\tanswer\tsource\trelated\n")


def test_older_export_without_qna_ids_groups_rows_by_answer():
    text = ("Question\tAnswer\tSource\tMetadata\n"
            "How do I pay?\tBy card or invoice.\tfaq.tsv\t\n"
            "payment methods\tBy card or invoice.\tfaq.tsv\t\n"
            "Do you ship abroad?\tYes, to the EU.\tfaq.tsv\t\n")
    data, _ = from_tsv(text, "old.tsv")
    assert [(e["id"], e["question"], e.get("alternates")) for e in data["entries"]] == [
        ("qna-1", "How do I pay?", ["payment methods"]), ("qna-2", "Do you ship abroad?", None)]


def test_prompts_to_missing_qnas_are_left_out_with_a_note():
    prompt = json.dumps([{"DisplayOrder": 1, "QnaId": 9, "DisplayText": "Gone"},
                         {"DisplayOrder": 2, "QnaId": 2, "DisplayText": "Other"}])
    data, notes = from_tsv(tsv(f"Q one?\tA one.\tEditorial\t\t[]\tFalse\t{prompt}\t1",
                               "Q two?\tA two.\tEditorial\t\t[]\tFalse\t[]\t2"), "x.tsv")
    assert by_id(data)["qna-1"]["related"] == ["qna-2"]
    assert notes == ["QnA 1: prompt 'Gone' opens QnA 9, not in the export; left out"]


@pytest.mark.parametrize(("rows", "message"), [
    (["Q?\tOne answer.\tE\t\t[]\tFalse\t[]\t1", "Q again?\tAnother answer.\tE\t\t[]\tFalse\t[]\t1"],
     "x.tsv: row 3: QnaId 1 has another answer on row 2"),
    (["Q?\tA.\tE\tno-colon-here\t[]\tFalse\t[]\t1"], "x.tsv: row 2: Metadata must be key:value pairs"),
    (["Q?\tA.\tE\t\t[]\tFalse\t[{not json\t1"], "x.tsv: row 2: Prompts is not JSON"),
    (["Q?\tA.\tE\t\t[]\tFalse\t[]\tseven"], "x.tsv: row 2: QnaId must be a whole number, not 'seven'"),
    ([f"Q?\t{'a' * 1200}\tE\t\t[]\tFalse\t[]\t4"], "x.tsv: qna-4: answer is 1200 characters (limit 1000)"),
    (["\tA.\tE\t\t[]\tFalse\t[]\t1"], "x.tsv: row 2: no question"),
])
def test_malformed_exports_are_reported_by_row(rows, message):
    with pytest.raises(ConvertError) as raised:
        from_tsv(tsv(*rows), "x.tsv")
    assert message in str(raised.value)
