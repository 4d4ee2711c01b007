"""``chatbot check --against``: answers that say more than their document, on a garden article of the tests' own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from chatbot.authoring.faithfulness import Source, best_support, check, faithfulness, find_numbers, fold
from chatbot.engine.loader import load

ARTICLE = """Growing Roses

Roses need at least six hours of sun a day. Water roses deeply twice a week in summer, giving each plant \
about 10 litres. Mulch helps the soil hold water.

Aphids are the most common pests of roses. They can be washed off with a strong jet of water. Black spot \
is a fungal disease that may cause yellow leaves to drop early.

Growing Tomatoes

Tomatoes should be planted outside after the last frost, when the soil is warm. About 80% of tomato \
problems come from uneven watering. Feed tomatoes with a fertiliser rich in potassium once the first \
flowers appear.
"""

FAITHFUL = {
    "roses-water": "Roses need at least six hours of sun a day. Water them deeply twice a week in summer, "
                   "giving each plant about 10 litres.",
    "roses-pests": "Aphids are the most common pests of roses; they can be washed off with a strong jet of water. "
                   "Black spot is a fungal disease that may make yellow leaves drop early.",
    "tomato-plant": "Plant tomatoes outside after the last frost, once the soil is warm. Feed them with a "
                    "fertilizer rich in potassium when the first flowers appear. About 80 percent of tomato "
                    "problems come from uneven watering.",
}

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent / "shared" / "seed" / "000_979b46cee236106f.txt"


def source(text: str = ARTICLE) -> Source:
    return Source.from_texts([(text, "text")])


def findings_for(answers: dict[str, str]):
    return check(answers.items(), source())


# -- the checks ----------------------------------------------------------------------------


def test_a_faithful_faq_passes():
    assert findings_for(FAITHFUL) == []


def test_an_invented_sentence_is_found_naming_entry_and_sentence():
    invented = "Roses also need a handful of bone meal every spring."
    (finding,) = findings_for({**FAITHFUL, "roses-water": FAITHFUL["roses-water"] + " " + invented})
    assert finding.entry_id == "roses-water"
    assert finding.sentence == invented
    assert "no passage of the document supports it" in finding.message
    assert invented in finding.message and "bone" in finding.message  # the words it could not find


def test_an_invented_number_is_found():
    answers = {**FAITHFUL, "roses-water": FAITHFUL["roses-water"].replace("10 litres", "15 litres"),
               "tomato-plant": FAITHFUL["tomato-plant"].replace("80 percent", "90%")}
    found = findings_for(answers)
    assert [(f.entry_id, f.message.split(":")[0]) for f in found] == [
        ("roses-water", "the number '15' does not appear in the document"),
        ("tomato-plant", "the number '90%' does not appear in the document"),
    ]
    assert found[0].sentence.startswith("Water them deeply") and "15 litres" in found[0].message


def test_numbers_compare_by_value_and_unit():
    assert [n for n, _ in find_numbers("about 70%, 10 percent, ten per cent, two ways, HER2, CDK4/6, 1,000")] == [
        (70.0, "percent"), (10.0, "percent"), (10.0, "percent"), (2.0, ""), (1000.0, ""),
    ]
    assert findings_for({"roses-water": "Roses need at least 6 hours of sun a day."}) == []  # six = 6
    found = findings_for({"roses-water": "Roses need two kinds of care: sun and water."})
    assert any(f.message.startswith("the number 'two' does not appear") for f in found)


def test_a_stronger_qualifier_is_found():
    (finding,) = findings_for({"roses-pests": "Aphids are always the most common pests of roses."})
    assert finding.entry_id == "roses-pests"
    assert "'always' is not in the passage that supports it" in finding.message
    assert findings_for({"roses-pests": "Aphids are the most common pests of roses."}) == []  # "most" is there


def test_a_dropped_hedge_is_found():
    (finding,) = findings_for({"roses-pests": "Black spot is a fungal disease that makes yellow leaves drop early."})
    assert "states as certain what the document hedges with 'may'" in finding.message
    # A hedge dropped in the second of two joined claims is found too.
    (joined,) = findings_for({"roses-pests": "Aphids can be washed off with a strong jet of water, and black spot "
                                             "makes yellow leaves drop early."})
    assert "hedges with 'may' in 'black spot makes yellow leaves drop early.'" in joined.message


def test_each_clause_needs_its_own_support():
    # Facts from two paragraphs, run together: the second clause has no support of its own.
    (finding,) = findings_for({"roses-pests": "Aphids are the most common pests of roses; "
                                              "they are best treated with a systemic insecticide."})
    assert "supports it in 'they are best treated with a systemic insecticide.'" in finding.message


def test_spelling_and_word_forms_are_folded():
    assert fold("fertiliser") == fold("fertilizer") and fold("tumours") == fold("tumor")
    assert fold("oestrogen") == fold("estrogen") and fold("counselling") == fold("counseling")
    support = best_support("Mulching helps soils to hold water.", source())
    assert support.coverage == 1.0 and support.missing == ()


# -- the command ----------------------------------------------------------------------------


def entries(answers: dict[str, str]) -> list[dict]:
    questions = {"roses-water": ("How often should I water roses?", "rose watering schedule", "roses-pests"),
                 "roses-pests": ("What pests attack roses?", "aphids on roses", "tomato-plant"),
                 "tomato-plant": ("When should I plant tomatoes?", "tomato planting time", "roses-water")}
    return [{"id": key, "question": q, "alternates": [alt], "answer": answers[key], "source": "Garden",
             "related": [rel]} for key, (q, alt, rel) in questions.items()]


def check_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "chatbot", "check", *args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=ROOT)


@pytest.fixture
def files(tmp_path):
    article = tmp_path / "garden.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    def write(answers: dict[str, str]) -> tuple[str, str]:
        kb = tmp_path / "kb.yaml"
        kb.write_text(yaml.safe_dump({"name": "garden FAQ", "entries": entries(answers)}, sort_keys=False))
        return str(article), str(kb)

    return write


def test_check_against_a_faithful_faq_passes_strict(files):
    article, kb = files(FAITHFUL)
    proc = check_command("--strict", "--against", article, kb)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 error(s), 0 warning(s)" in proc.stderr


def test_check_against_warns_and_strict_makes_findings_errors(files):
    article, kb = files({**FAITHFUL, "roses-water": FAITHFUL["roses-water"].replace("10 litres", "15 litres")})
    proc = check_command("--against", article, kb)
    assert proc.returncode == 0
    (line,) = proc.stdout.splitlines()
    assert line.startswith(f"warning: {kb}:") and ": roses-water: the number '15' does not appear" in line
    assert "'Water them deeply twice a week in summer, giving each plant about 15 litres.'" in line
    strict = check_command("--strict", "--against", article, kb)
    assert strict.returncode == 1 and strict.stdout.startswith("error: ")
    assert "failed:" in strict.stderr and "1 error(s)" in strict.stderr


def test_check_against_a_missing_document_is_one_error(files, tmp_path):
    _, kb = files(FAITHFUL)
    proc = check_command("--against", str(tmp_path / "nowhere.txt"), kb)
    assert proc.returncode == 1
    assert proc.stdout.strip() == f"error: {tmp_path / 'nowhere.txt'}: file not found"
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not checked out beside the project")
def test_the_shipped_faq_says_no_more_than_its_article():
    kb = load([ROOT / "faq" / "breast_cancer_metastasis.yaml"])
    problems = faithfulness(kb, [(SEED.read_text(encoding="utf-8"), "text")], {}, severity="error")
    assert problems == [], "\n".join(str(p) for p in problems)
