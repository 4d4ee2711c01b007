"""The HTTP API's wire format: pydantic models, so that the OpenAPI schema is exact."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool

from ..engine.reply import KINDS
from .limits import MAX_TEXT_CHARS


class TopicOut(BaseModel):
    id: str
    question: str
    title: str


class RecentReply(BaseModel):
    kind: str
    entry_id: str | None


class ContextOut(BaseModel):
    """Send this back unchanged with the next message."""

    model_config = {"extra": "allow"}  # the engine may keep more in a context than these

    last_entry: str | None
    options: list[str] = Field(description="entry ids that the messages '1', '2'… pick, in order")
    offer: str = Field(default="", description="what the last reply offered: clarify, suggest or nothing")
    alternatives: list[str] = Field(default=[], description="entry ids the last answer was a close call with")
    fallbacks: int = Field(default=0, description="fallbacks in a row (a person is offered after a few)")
    subject: str = Field(default="", description="what the conversation is about (a value of the base's first "
                                                 "facet), kept through answers that name none")
    session: str | None = Field(default=None, description="the conversation's id, chosen by the server on the "
                                                          "first message; the store keeps it only hashed")
    recent: list[RecentReply] = Field(default=[], description="the conversation's last replies (kind, entry), "
                                                              "told to the desk on a handoff")


class HandoffOut(BaseModel):
    """How to reach a person (the knowledge base's ``handoff`` block); absent fields are not set."""

    message: str
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    hours: str | None = None


class AskRequest(BaseModel):
    text: str = Field(max_length=MAX_TEXT_CHARS, description="what the person typed",
                      examples=["Where does breast cancer spread?"])
    context: dict[str, Any] | None = Field(
        default=None, description="the `context` of the previous reply; anything unknown in it is ignored")
    threshold: float | None = Field(
        default=None, ge=0, le=1, strict=True,
        description="the calibrated confidence (0-1) an answer needs for this request; default: the base's")
    explain: StrictBool = Field(default=False, description="add an `explanation`: why the reply is what it is")


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
    reply_id: str | None = Field(default=None, description="send it to /v1/feedback to say whether this helped")
    stage: str = Field(default="", description="the pipeline stage that decided")
    triage: str | None = Field(default=None, description="for urgent replies: emergency, crisis or urgent_care")
    handoff: HandoffOut | None = None
    explanation: dict[str, Any] | None = Field(
        default=None, description="null unless the request set `explain`: the stage that decided, the phrasing "
                                  "matched, the words that carried it, corrections, the confidence, the runner-up")


class FeedbackRequest(BaseModel):
    reply_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    helpful: StrictBool
    comment: str | None = Field(default=None, max_length=1000)


class FeedbackResult(BaseModel):
    recorded: bool = Field(description="false when the store's queue was full (the event was dropped)")


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
    workers: str = Field(default="this worker", description="which workers reload: 'this worker' (one worker), "
                                                             "or 'all workers (rolling restart)'")


class Detail(BaseModel):
    detail: str


# -- the Bot in service -------------------------------------------------------------------
