"""Property-based: whatever anyone types, ask() returns a valid reply quickly."""

from __future__ import annotations

import time

from hypothesis import given, settings
from hypothesis import strategies as st

from chatbot import Bot, Context
from chatbot.engine.reply import KINDS

_bot = Bot.from_default()

texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=2000),
    st.lists(st.sampled_from(["bone", "mets", "liver", "1", "and", "?", "breast", "cancer", "🙂", "\x00", "what"]),
             max_size=30).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, session=st.sampled_from([None, "a", "b"]))
def test_ask_always_returns_a_valid_reply(text: str, session: str | None):
    start = time.perf_counter()
    reply = _bot.ask(text, session=session)
    assert time.perf_counter() - start < 0.5
    assert reply.kind in KINDS and reply.kind != "error"
    assert isinstance(reply.answer, str) and reply.answer
    assert 0.0 <= reply.score <= 100.0
    assert (reply.entry_id is None) == (reply.kind != "answer")
    if reply.entry_id is not None:
        assert reply.entry_id in _bot.kb
    assert all(t.id in _bot.kb for t in (*reply.related, *reply.options))
    assert len(reply.answer) <= 1200


@settings(max_examples=100, deadline=None)
@given(data=st.dictionaries(st.text(max_size=12), st.one_of(st.none(), st.text(), st.lists(st.text()), st.integers())))
def test_any_context_dict_is_sanitised(data: dict):
    context = Context.from_dict(data, _bot.kb)
    assert context.last_entry is None or context.last_entry in _bot.kb
    assert all(o in _bot.kb for o in context.options)
    assert context.subject == "" or context.subject in next(iter(_bot.kb.facets.values()))
