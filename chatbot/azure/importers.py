"""Reading what QnA Maker and Azure question answering (CQA) export: their TSV, Excel and JSON files.

The TSV and the Excel sheet have the columns ``Question, Answer, Source, Metadata,
SuggestedQuestions, IsContextOnly, Prompts, QnaId``: rows sharing a ``QnaId`` are one QnA's
alternate questions, ``Metadata`` is ``key:value|key:value`` (a JSON list of ``{name, value}`` is
read too) and ``Prompts`` is JSON (``[{"DisplayOrder", "QnaId", "DisplayText"}]``). The TSV writes
line breaks in answers as ``\\n``. CQA's JSON project export holds ``assets.qnas`` (questions,
answer, source, metadata, ``dialog.prompts``), ``assets.synonyms`` and the default answer in
``metadata.settings.defaultAnswer``; keys are read in any case.

Each QnA becomes an entry ``qna-N`` (N its QnA id, which the Azure-compatible endpoints give
back as its id): see ``chatbot.azure.qnas``. Things with no place here are reported as notes.
"""

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConvertError
from .qnas import QnA, checked, knowledge_base

#: The export's columns, lower-cased; ``question`` and ``answer`` are required.
COLUMNS = ("question", "answer", "source", "metadata", "suggestedquestions", "iscontextonly", "prompts", "qnaid")


# -- recognising an export -------------------------------------------------------------------

def is_export(text: str, delimiter: str = "\t") -> bool:
    """Does this TSV start with QnA Maker's header (questions and answers, no ``id`` column)?"""
    header = [cell.strip().lower() for cell in text.lstrip("\ufeff").split("\n", 1)[0].split(delimiter)]
    return "question" in header and "answer" in header and "id" not in header


def is_project(data: Any) -> bool:
    """Is this JSON a CQA project export (``assets``) rather than our own format (``entries``)?"""
    return isinstance(data, dict) and "entries" not in data and _get(data, "assets") is not None


# -- reading ---------------------------------------------------------------------------------

def from_tsv(text: str, file: str) -> tuple[dict[str, Any], list[str]]:
    """Our knowledge-base mapping and notes from a QnA Maker / CQA TSV export."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter="\t", quoting=csv.QUOTE_NONE))
    return _from_rows(rows, file, escaped=True)


def from_xlsx(path: str | Path) -> tuple[dict[str, Any], list[str]]:
    """The same from the Excel export: the first sheet with Question and Answer columns."""
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise ConvertError(f"{path}: reading .xlsx needs openpyxl: pip install 'faq-chatbot[azure]'") from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise ConvertError(f"{path}: file not found") from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise ConvertError(f"{path}: not an Excel workbook ({type(exc).__name__})") from None
    try:
        for sheet in workbook.worksheets:
            rows = [[_cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
            if rows and is_export("\t".join(rows[0])):
                return _from_rows(rows, str(path), escaped=False)
    finally:
        workbook.close()
    raise ConvertError(f"{path}: no sheet has the columns Question and Answer")


def from_project(data: dict[str, Any], file: str) -> tuple[dict[str, Any], list[str]]:
    """Our knowledge-base mapping and notes from CQA's JSON project export."""
    assets, meta = _get(data, "assets") or {}, _get(data, "metadata") or {}
    raw = _get(assets, "qnas") if isinstance(assets, dict) else None
    if not isinstance(raw, list):
        raise ConvertError(f"{file}: expected a list under assets.qnas")
    qnas, errors = [], []
    for index, item in enumerate(raw):
        where = f"qnas[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{file}: {where}: expected an object")
            continue
        dialog = _get(item, "dialog") or {}
        questions = _get(item, "questions") or []
        number = _get(item, "id")
        try:
            qna = QnA(_number(number, "id") if number is not None else None, where,
                      str(_get(item, "answer") or "").strip(), str(_get(item, "source") or "").strip(),
                      [str(q).strip() for q in questions if str(q).strip()] if isinstance(questions, list) else [],
                      _metadata(_get(item, "metadata")), _prompts(_get(dialog, "prompts") or []),
                      bool(_get(dialog, "isContextOnly")))
        except (TypeError, ValueError) as exc:
            errors.append(f"{file}: {where}: {exc}")
            continue
        qnas.append(qna)
    if errors:
        raise ConvertError("\n".join(errors))
    entries, notes = knowledge_base(qnas, file)
    out: dict[str, Any] = {}
    name = _get(meta, "projectName") or _get(data, "projectName")
    if isinstance(name, str) and name.strip():
        out["name"] = name.strip()
    default = _get(_get(meta, "settings") or {}, "defaultAnswer")
    if isinstance(default, str) and default.strip():
        out["messages"] = {"fallback": default.strip()}
    synonyms = {}
    for group in _get(assets, "synonyms") or []:
        words = [str(w).strip() for w in (_get(group, "alterations") or []) if str(w).strip()]
        if len(words) > 1:
            synonyms[words[0]] = words[1:]
    if synonyms:
        out["synonyms"] = synonyms
    return checked({**out, **entries}, file), notes


def _from_rows(rows: list[list[str]], file: str, *, escaped: bool) -> tuple[dict[str, Any], list[str]]:
    if not rows:
        raise ConvertError(f"{file}: empty file")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [c for c in ("question", "answer") if c not in header]
    if missing:
        raise ConvertError(f"{file}: row 1: missing column(s): {', '.join(missing)}")
    notes = []
    extra = [rows[0][i].strip() for i, c in enumerate(header) if c not in COLUMNS and c]
    if extra:
        notes.append(f"column(s) {', '.join(extra)} not imported")
    by_key: dict[Any, QnA] = {}
    errors = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(cell).strip() for cell in row):
            continue
        cells = {column: (row[i] if i < len(row) else "").strip() for i, column in enumerate(header)}
        answer = cells.get("answer", "")
        if escaped:
            answer = answer.replace("\\r\\n", "\n").replace("\\n", "\n")
        try:
            qna_id = _number(cells["qnaid"], "QnaId") if cells.get("qnaid") else None
            qna = QnA(qna_id, f"row {number}", answer, cells.get("source", ""),
                      [cells["question"]] if cells.get("question") else [], _metadata(cells.get("metadata", "")),
                      _prompts(_json(cells.get("prompts", ""))), cells.get("iscontextonly", "").lower() == "true")
        except (TypeError, ValueError) as exc:
            errors.append(f"{file}: row {number}: {exc}")
            continue
        key = qna_id if qna_id is not None else (answer, qna.source, tuple(qna.metadata.items()))
        first = by_key.get(key)
        if first is None:
            by_key[key] = qna
        elif first.answer != qna.answer:
            errors.append(f"{file}: row {number}: QnaId {qna_id} has another answer on {first.where}")
        else:  # one more question of the same QnA; the other columns repeat the first row's
            first.questions += [q for q in qna.questions if q not in first.questions]
    if errors:
        raise ConvertError("\n".join(errors))
    out, more = knowledge_base(list(by_key.values()), file)
    return checked(out, file), notes + more


# -- cells -----------------------------------------------------------------------------------

def _get(data: Any, key: str) -> Any:
    """``data[key]`` in any case (``qnaId``, ``QnaId``, ``qnaid``), or None."""
    if not isinstance(data, Mapping):
        return None
    if key in data:
        return data[key]
    wanted = key.lower()
    return next((value for name, value in data.items() if str(name).lower() == wanted), None)


def _json(cell: str) -> Any:
    if not cell.strip():
        return []
    try:
        return json.loads(cell)
    except json.JSONDecodeError as exc:
        raise ValueError(f"Prompts is not JSON ({exc.msg}, column {exc.colno})") from None


def _metadata(value: Any) -> dict[str, str]:
    """``key:value|key:value``, a JSON list of ``{name, value}``, or a mapping."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("[", "{"):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                raise ValueError("Metadata is neither key:value|key:value nor JSON") from None
        else:
            pairs = [item.partition(":") for item in text.split("|") if item.strip()]
            if any(not sep or not key.strip() for key, sep, _ in pairs):
                raise ValueError("Metadata must be key:value pairs separated by |")
            return {key.strip(): val.strip() for key, _, val in pairs}
    if isinstance(value, Mapping):
        return {str(k).strip(): str(v).strip() for k, v in value.items() if v is not None}
    if isinstance(value, list):
        items = [(_get(item, "name") or _get(item, "key"), _get(item, "value")) for item in value]
        if any(not isinstance(k, str) or v is None for k, v in items):
            raise ValueError("Metadata items need a name and a value")
        return {str(k).strip(): str(v).strip() for k, v in items}
    if value is None:
        return {}
    raise ValueError("Metadata must be key:value pairs or a mapping")


def _prompts(value: Any) -> list[tuple[int, int, str]]:
    if not isinstance(value, list):
        raise ValueError("Prompts must be a JSON list")
    prompts = []
    for position, item in enumerate(value, 1):
        target = _get(item, "qnaId")
        if target is None:
            target = _get(_get(item, "qna") or {}, "id")
        if target is None:
            raise ValueError(f"prompt {position} names no QnaId")
        order = _get(item, "displayOrder")
        prompts.append((_number(order, "DisplayOrder") if order is not None else position, _number(target, "QnaId"),
                        str(_get(item, "displayText") or "").strip()))
    return prompts


def _number(value: Any, what: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"{what} must be a whole number, not {str(value)[:20]!r}") from None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)

