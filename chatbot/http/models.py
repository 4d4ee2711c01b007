"""The HTTP API's wire format: pydantic models, so that the OpenAPI schema is exact."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from ..engine.reply import KINDS
from .limits import MAX_TEXT_CHARS


class TopicOut(BaseModel):
    id: str
    question: str
    title: str


class ContextOut(BaseModel):
    """Send this back unchanged with the next message."""

    last_entry: str | None
    options: list[str] = Field(description="entry ids that the messages '1', '2'… pick, in order")


class AskRequest(BaseModel):
    text: str = Field(max_length=MAX_TEXT_CHARS, description="what the person typed",
                      examples=["Where does breast cancer spread?"])
    context: dict[str, Any] | None = Field(
        default=None, description="the `context` of the previous reply; anything unknown in it is ignored")


class AskReply(BaseModel):
    kind: Literal[KINDS]  # type: ignore[valid-type]
    answer: str = Field(description="the text to show, for every kind")
    entry_id: str | None
    question: str | None
    score: float
    source: str | None
    related: list[TopicOut]
    options: list[TopicOut]
    context: ContextOut


class TopicGroup(BaseModel):
    topic: str
    entries: list[TopicOut]


class Topics(BaseModel):
    topics: list[TopicGroup]


class EntryOut(BaseModel):
    id: str
    question: str
    answer: str
    source: str
    title: str
    topic: str
    related: list[TopicOut]


class Info(BaseModel):
    name: str
    greeting: str
    disclaimer: str
    entries: int


class Health(BaseModel):
    status: Literal["ok"]
    entries: int


class ReloadResult(BaseModel):
    ok: bool
    entries: int = Field(description="entries now in service")
    error: str | None


class Detail(BaseModel):
    detail: str


# -- the Bot in service -------------------------------------------------------------------
