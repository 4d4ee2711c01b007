"""The background writer: batches off the caller's thread; a slow or dead store drops and counts, never blocks."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from chatbot.store import hash_session, open_store, reply_event
from chatbot.store.writer import StoreWriter

REPLY = SimpleNamespace(kind="answer", entry_id="e", score=70.0, stage="matcher", triage=None, reply_id="r")


def test_events_are_written_in_batches_from_another_thread(store_url):
    store = open_store(store_url)
    calls: list[tuple[int, str]] = []
    real_write = store.write

    def write(events):
        calls.append((len(events), threading.current_thread().name))
        real_write(events)

    store.write = write
    writer = StoreWriter(store, batch=100)
    for _ in range(1000):
        assert writer.put(reply_event(REPLY, session="s"))
    assert writer.flush(20)
    assert writer.stats()["written"] == 1000 and writer.dropped == 0
    assert all(name == "chatbot-store-writer" for _, name in calls)
    assert max(n for n, _ in calls) <= 100 and len(calls) < 1000  # batched
    writer.close()
    store = open_store(store_url)
    assert store.count()["events"] == 1000
    assert {row[1] for row in store.replies()} == {hash_session(store.salt(), "s")}  # never the raw id


class _SlowStore:
    """A store stuck in every write (a database that stopped answering)."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def write(self, events) -> None:
        self.release.wait(30)

    def purge(self, before: float) -> int:
        return 0

    def salt(self) -> bytes:
        return b"salt"

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return "slow"


def test_a_stuck_store_never_blocks_put_and_the_overflow_is_counted():
    store = _SlowStore()
    dropped: list[int] = []
    writer = StoreWriter(store, max_queue=50, batch=10, on_drop=dropped.append)  # type: ignore[arg-type]
    start = time.monotonic()
    results = [writer.put(reply_event(REPLY, session=None)) for _ in range(500)]
    assert time.monotonic() - start < 0.5
    assert results.count(False) >= 500 - 50 - 10
    assert writer.dropped == results.count(False) == sum(dropped)
    store.release.set()
    assert writer.flush(10)
    writer.close()


def test_a_store_that_goes_down_drops_and_counts_then_writes_again_when_back(pg_cluster):
    import psycopg

    with psycopg.connect(pg_cluster.url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE downtest")
    url = pg_cluster.url.rsplit("/", 1)[0] + "/downtest"
    writer = StoreWriter(open_store(url), batch=50)
    for _ in range(100):
        writer.put(reply_event(REPLY, session="s"))
    assert writer.flush(20) and writer.written == 100
    pg_cluster.stop()
    try:
        start = time.monotonic()
        for _ in range(100):
            writer.put(reply_event(REPLY, session="s"))
        assert time.monotonic() - start < 0.5  # the caller never waits for the store
        assert writer.flush(30)
        assert writer.dropped == 100 and writer.failures >= 1
    finally:
        pg_cluster.start()
    for _ in range(100):
        writer.put(reply_event(REPLY, session="s"))
    assert writer.flush(30)
    writer.close()
    assert writer.written == 200
    assert open_store(url).count()["events"] == 200


def test_retention_purges_by_itself(store_url):
    store = open_store(store_url)
    now = time.time()
    store.write([reply_event(REPLY, session=None, when=now - 31 * 86400), reply_event(REPLY, session=None, when=now)])
    writer = StoreWriter(open_store(store_url), retain_days=30, purge_every=0.2)
    deadline = time.monotonic() + 10
    while writer.purged == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    writer.close()
    assert writer.purged == 1
    assert store.count()["events"] == 1


def test_close_writes_what_is_queued(store_url):
    writer = StoreWriter(open_store(store_url))
    for _ in range(300):
        writer.put(reply_event(REPLY, session=None))
    writer.close()
    assert open_store(store_url).count()["events"] == 300
