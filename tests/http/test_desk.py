"""Running at a desk: the store behind real workers, /v1/feedback, /metrics and the handoff webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from fastapi.testclient import TestClient

from chatbot.http.app import create_app
from chatbot.http.settings import ServerSettings
from chatbot.http.webhook import HandoffNotifier
from chatbot.store import open_store
from tests import support
from tests.support.live_server import start_server

KEY = "desk-key"
MINI = str(support.MINI)


def hammer(url: str, requests: int, threads: int = 4) -> list[int]:
    """POST /v1/ask ``requests`` times over kept-alive connections; the status of each."""
    def worker(count: int) -> list[int]:
        with httpx.Client(base_url=url, timeout=10) as client:
            return [client.post("/v1/ask", json={"text": f"how often should I water roses {i}"}).status_code
                    for i in range(count)]
    with ThreadPoolExecutor(threads) as pool:
        return [s for chunk in pool.map(worker, [requests // threads] * threads) for s in chunk]


def test_two_workers_writing_to_one_sqlite_store_lose_no_events(tmp_path):
    url = f"sqlite:///{tmp_path}/events.db"
    with start_server(tmp_path, "--kb", MINI, "--workers", "2", "--store", url) as server:
        statuses = hammer(server.url, 400)
    assert statuses == [200] * 400
    assert open_store(url).count()["events"] == 400  # shutdown writes what was queued


def test_two_workers_on_postgres_lose_nothing_and_a_stopped_store_fails_no_reply(tmp_path, pg_cluster):
    import psycopg

    with psycopg.connect(pg_cluster.url, autocommit=True) as connection:
        connection.execute("CREATE DATABASE desk")
    url = pg_cluster.url.rsplit("/", 1)[0] + "/desk"
    with start_server(tmp_path, "--kb", MINI, "--workers", "2", "--store", url) as server:
        assert hammer(server.url, 200) == [200] * 200
        time.sleep(1.5)  # written in the background
        assert open_store(url).count()["events"] == 200
        pg_cluster.stop()
        try:
            assert hammer(server.url, 200) == [200] * 200  # the store is down: replies carry on
            time.sleep(2)
            scrape = httpx.get(server.url + "/metrics").text
            dropped = next(float(line.split()[-1]) for line in scrape.splitlines()
                           if line.startswith("chatbot_store_dropped_events_total"))
            assert dropped == 200
        finally:
            pg_cluster.start()


@pytest.fixture
def desk(tmp_path):
    url = f"sqlite:///{tmp_path}/events.db"
    log = tmp_path / "unanswered.jsonl"
    app = create_app([MINI], api_key="", log_unanswered=str(log),
                     settings=ServerSettings(store=url, store_questions=True))
    with TestClient(app) as client:
        yield client, url, log


def test_feedback_is_recorded_against_the_reply_and_negative_feedback_feeds_suggest(desk):
    client, url, log = desk
    reply = client.post("/v1/ask", json={"text": "how often should I water roses"}).json()
    assert len(reply["reply_id"]) >= 16 and len(reply["context"]["session"]) == 32
    again = client.post("/v1/ask", json={"text": "hello", "context": reply["context"]}).json()
    assert again["context"]["session"] == reply["context"]["session"]  # one conversation
    answer = client.post("/v1/feedback", json={"reply_id": reply["reply_id"], "helpful": False, "comment": "vague"})
    assert answer.status_code == 202 and answer.json() == {"recorded": True}
    client.app.state.recorder.writer.flush()
    store = open_store(url)
    (fb,) = store.feedback()
    assert fb[1:] == (reply["reply_id"], False, "vague", "roses-water", "answer", "how often should I water roses")
    sessions = {row[1] for row in store.replies()}
    assert len(sessions) == 1 and reply["context"]["session"] not in sessions  # hashed
    assert json.loads(log.read_text().splitlines()[-1])["kind"] == "unhelpful"


@pytest.mark.parametrize("body", [{"reply_id": "x y", "helpful": True}, {"reply_id": "abc", "helpful": "no"},
                                  {"reply_id": "a" * 65, "helpful": True}, {"helpful": True}])
def test_malformed_feedback_is_refused(desk, body):
    client, _, _ = desk
    assert client.post("/v1/feedback", json=body).status_code == 422


def test_feedback_without_a_store_says_so(tmp_path):
    client = TestClient(create_app([MINI], api_key="", settings=ServerSettings()))
    response = client.post("/v1/feedback", json={"reply_id": "abc", "helpful": True})
    assert response.status_code == 409 and "--store" in response.json()["detail"]


def test_metrics_in_prometheus_text_format(desk):
    client, _, _ = desk
    client.post("/v1/ask", json={"text": "how often should I water roses"})
    client.post("/v1/ask", json={"text": "qqzz wxyz"})
    client.get("/v1/entries/nope")
    client.app.state.recorder.writer.flush()
    response = client.get("/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=")
    text = response.text
    assert 'chatbot_requests_total{method="POST",route="/v1/ask",status="200"} 2.0' in text
    assert 'chatbot_requests_total{method="GET",route="/v1/entries/{entry_id}",status="404"} 1.0' in text
    assert 'chatbot_replies_total{kind="answer"} 1.0' in text and 'chatbot_replies_total{kind="fallback"} 1.0' in text
    assert 'chatbot_request_duration_seconds_bucket{le="0.05",route="/v1/ask"}' in text
    assert "chatbot_store_written_events_total 2.0" in text and "chatbot_store_dropped_events_total 0.0" in text


def test_metrics_are_behind_the_api_key():
    client = TestClient(create_app([MINI], api_key=KEY, settings=ServerSettings()))
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200


# -- the handoff webhook, against a real receiving HTTP server ------------------------------------------------

class Receiver:
    def __init__(self, status: int = 200, delay: float = 0.0):
        self.received: list[tuple[dict, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def _hooked_app(receiver: Receiver, **settings):
    return create_app([MINI], api_key="", settings=ServerSettings(handoff_webhook=receiver.url,
                                                                  handoff_secret="hook-secret", **settings))


def test_a_handoff_posts_a_signed_event_with_the_conversation(tmp_path):
    receiver = Receiver()
    try:
        with TestClient(_hooked_app(receiver, store_questions=True)) as client:
            first = client.post("/v1/ask", json={"text": "how often should I water roses"}).json()
            reply = client.post("/v1/ask", json={"text": "I want to talk to a person",
                                                 "context": first["context"]}).json()
            assert reply["kind"] == "handoff"
            assert client.app.state.recorder.webhook.flush(10)
        (headers, body), = receiver.received
        stamp = headers["X-Chatbot-Timestamp"]
        expected = hmac.new(b"hook-secret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        assert headers["X-Chatbot-Signature"] == f"sha256={expected}"
        event = json.loads(body)
        assert event["event"] == "handoff" and event["conversation"] == first["context"]["session"]
        assert [r["kind"] for r in event["recent"]] == ["answer", "handoff"]
        assert event["recent"][0]["entry_id"] == "roses-water"
        assert event["question"] == "I want to talk to a person" and event["reply_id"] == reply["reply_id"]
    finally:
        receiver.close()


def test_no_question_text_in_the_event_without_store_questions():
    receiver = Receiver()
    try:
        with TestClient(_hooked_app(receiver)) as client:
            client.post("/v1/ask", json={"text": "I want to talk to a person"})
            assert client.app.state.recorder.webhook.flush(10)
        assert "question" not in json.loads(receiver.received[0][1])
    finally:
        receiver.close()


def test_a_slow_webhook_never_delays_the_reply():
    receiver = Receiver(delay=3.0)
    try:
        with TestClient(_hooked_app(receiver)) as client:
            start = time.monotonic()
            for _ in range(3):
                assert client.post("/v1/ask", json={"text": "I want to talk to a person"}).json()["kind"] == "handoff"
            assert time.monotonic() - start < 1.0
    finally:
        receiver.close()


def test_a_failing_webhook_is_retried_a_bounded_number_of_times_then_counted():
    receiver = Receiver(status=503)
    failures: list[int] = []
    try:
        notifier = HandoffNotifier(receiver.url, b"s", retries=2, backoff=0.05, on_failure=lambda: failures.append(1))
        notifier.notify({"event": "handoff"})
        assert notifier.flush(10)
        assert len(receiver.received) == 3 and notifier.failed == 1 and failures == [1]
    finally:
        receiver.close()


def test_an_unreachable_webhook_times_out_and_gives_up():
    notifier = HandoffNotifier("http://10.255.255.1:9/hook", b"s", timeout=0.3, retries=1, backoff=0.05)
    start = time.monotonic()
    notifier.notify({"event": "handoff"})
    assert notifier.flush(10) and notifier.failed == 1
    assert time.monotonic() - start < 3


def test_serve_refuses_a_webhook_without_a_secret(tmp_path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "chatbot", "serve", "--kb", MINI, "--handoff-webhook",
                           "http://127.0.0.1:9/hook"], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1 and "needs a secret" in proc.stderr


def test_the_handoff_event_knows_the_conversation_even_when_another_worker_answered_before():
    receiver = Receiver()
    try:
        with TestClient(_hooked_app(receiver)) as first_worker, TestClient(_hooked_app(receiver)) as second_worker:
            one = first_worker.post("/v1/ask", json={"text": "how often should I water roses"}).json()
            two = first_worker.post("/v1/ask", json={"text": "qqzz wxyz", "context": one["context"]}).json()
            forged = {**two["context"], "recent": [*two["context"]["recent"], {"kind": "nonsense", "entry_id": "x"}]}
            handoff = second_worker.post("/v1/ask", json={"text": "I want to talk to a person", "context": forged})
            assert handoff.json()["kind"] == "handoff"
            assert second_worker.app.state.recorder.webhook.flush(10)
        event = json.loads(receiver.received[0][1])
        assert event["conversation"] == one["context"]["session"]
        assert event["recent"] == [{"kind": "answer", "entry_id": "roses-water"},
                                   {"kind": two["kind"], "entry_id": two["entry_id"]},
                                   {"kind": "handoff", "entry_id": None}]  # the forged item is dropped
    finally:
        receiver.close()
