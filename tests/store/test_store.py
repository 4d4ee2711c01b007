"""The conversation store on SQLite and on a real PostgreSQL: schema, events, salt, retention."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from chatbot.store import StoreError, feedback_event, hash_session, open_store, reply_event
from chatbot.store.migrations import LATEST, SchemaError

REPLY = SimpleNamespace(kind="answer", entry_id="sites-common", score=81.5, stage="matcher", triage=None,
                        reply_id="r-1")


def test_a_new_store_gets_the_latest_schema_once(store_url):
    store = open_store(store_url)
    assert store.count() == {"events": 0, "feedback": 0}
    from chatbot.store.migrations import migrate, version

    assert version(store.connection()) == LATEST
    assert migrate(store.connection(), store.dialect) == []  # nothing left to apply
    store.close()


def test_a_store_newer_than_the_code_is_refused(store_url):
    store = open_store(store_url)
    store.count()
    store._run("INSERT INTO schema_version (version, applied) VALUES (?, 0)", (LATEST + 1,))
    store.close()
    with pytest.raises(SchemaError, match="upgrade"):
        open_store(store_url).count()


def test_replies_and_feedback_are_written_and_read_back_joined(store_url):
    store = open_store(store_url)
    now = time.time()
    store.write([reply_event(REPLY, session="h1", question="where does it go?", when=now),
                 reply_event(SimpleNamespace(kind="fallback"), session="h1", when=now + 1),
                 feedback_event("r-1", False, "too vague", when=now + 2)])
    rows = store.replies()
    assert [r[2] for r in rows] == ["answer", "fallback"]
    assert rows[0][1:] == ("h1", "answer", "sites-common", 81.5, "matcher", None, "r-1", "where does it go?")
    (fb,) = store.feedback()
    assert fb[1:] == ("r-1", False, "too vague", "sites-common", "answer", "where does it go?")
    assert store.replies(since=now + 0.5)[0][2] == "fallback"


def test_the_salt_is_made_once_per_store_and_sessions_are_kept_hashed(store_url, tmp_path):
    first, again = open_store(store_url).salt(), open_store(store_url).salt()
    other = open_store(f"sqlite:///{tmp_path}/other.db").salt()
    assert first == again and len(first) == 32
    assert first != other
    hashed = hash_session(first, "conversation-42")
    assert hashed == hash_session(again, "conversation-42") != hash_session(other, "conversation-42")
    assert len(hashed) == 32 and "conversation" not in hashed


def test_purge_removes_only_what_is_past_retention(store_url):
    store = open_store(store_url)
    now = time.time()
    store.write([reply_event(REPLY, session=None, when=now - 40 * 86400),
                 reply_event(REPLY, session=None, when=now),
                 feedback_event("r-1", True, when=now - 40 * 86400)])
    assert store.purge(now - 30 * 86400) == 2
    assert store.count() == {"events": 1, "feedback": 0}


def test_question_text_is_cut_and_made_valid_utf8():
    event = reply_event(REPLY, session=None, question="\ud800" + "x" * 900)
    assert len(event.question) == 500 and event.question.encode("utf-8")


@pytest.mark.parametrize("url", ["mysql://x", "sqlite:relative.db", "events.db"])
def test_unknown_or_malformed_urls_are_refused_with_one_line(url):
    with pytest.raises(StoreError) as info:
        open_store(url).count()
    assert "\n" not in str(info.value)


def test_an_unreachable_postgres_is_a_store_error_quickly():
    from tests.support.live_server import free_port

    start = time.monotonic()
    with pytest.raises(StoreError, match="cannot connect"):
        open_store(f"postgresql://postgres:secret@127.0.0.1:{free_port()}/x").count()
    assert time.monotonic() - start < 5


def test_the_password_never_shows_in_descriptions():
    assert "secret" not in open_store("postgresql://bot:secret@db.example:5432/faq").describe()
