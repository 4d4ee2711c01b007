"""Issue 12's server hardening, each item against a real server or the app: every test failed before."""

from __future__ import annotations

import contextlib
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from chatbot.engine.knowledge import KnowledgeBaseError, Problem
from chatbot.http.app import create_app
from chatbot.http.live import public_error
from chatbot.http.settings import ServerSettings
from tests.support.live_server import start_server

KB = """\
name: "Garden</title><script>alert('kb')</script>"
entries:
  - id: watering
    question: How often should I water tomatoes?
    answer: Water them deeply two or three times a week.
    source: Booklet
"""
EXTRA = """\
  - id: feeding
    question: How do I feed tomato plants?
    answer: Feed them every two weeks once the first fruits set.
    source: Booklet
"""
KEY = "hardening-key"


@pytest.fixture(scope="module")
def kb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hardening") / "garden.yaml"
    path.write_text(KB, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(kb):
    with start_server(kb.parent, "--kb", str(kb)) as running:
        yield running


def raw(server, data: bytes, timeout: float = 20) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        with contextlib.suppress(OSError):  # the server may close before taking everything
            sock.sendall(data)
        try:
            return sock.recv(4096)
        except OSError:
            return b""


def test_a_64_mb_header_is_refused_with_431(server):
    assert raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024 * 1024) + b"\r\n\r\n") \
        .startswith(b"HTTP/1.1 431")
    assert raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n") \
        .startswith(b"HTTP/1.1 431")
    assert raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Ok: " + b"a" * 2000 + b"\r\n\r\n") \
        .startswith(b"HTTP/1.1 200")


def test_a_half_sent_request_is_closed_within_the_read_timeout(server):
    start = time.monotonic()
    answer = raw(server, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", timeout=30)
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - start < 15
    start = time.monotonic()
    answer = raw(server, b"POST /v1/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"te", timeout=30)
    assert time.monotonic() - start < 15  # closed, not held open while the body never comes


def test_the_kb_name_is_escaped_in_docs_and_redoc_and_nothing_is_fetched(server):
    for page in ("/docs", "/redoc"):
        response = httpx.get(server.url + page)
        assert response.status_code == 200
        assert "<script>alert('kb')</script>" not in response.text
        assert "&lt;/title&gt;&lt;script&gt;" in response.text
        assert "cdn." not in response.text and "https://" not in response.text
        assert "default-src 'none'" in response.headers["content-security-policy"]
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
        assert httpx.get(f"{server.url}/docs-assets/{asset}").status_code == 200


def test_docs_can_be_switched_off(kb):
    client = TestClient(create_app([str(kb)], api_key="", settings=ServerSettings(docs=False)))
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


@pytest.mark.parametrize("path", ["/healthz", "/v1/info", "/v1/topics", "/", "/widget.js", "/nowhere", "/docs",
                                  "/openapi.json", "/metrics"])
def test_every_response_has_nosniff_and_a_csp(server, path):
    response = httpx.get(server.url + path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src" in response.headers["content-security-policy"]


def test_no_redirect_reflects_the_host_header(server):
    response = httpx.get(server.url + "/v1/info/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert "evil.example" not in response.headers.get("location", "")
    assert response.status_code != 307


@pytest.mark.parametrize("directory", ["/srv/my kb/data", "/srv/it's/data", "/srv/a:b/data", 'C:\\Users\\x y\\kb'])
def test_public_error_hides_directories_with_spaces_quotes_and_colons_whole(directory):
    sep = "\\" if "\\" in directory else "/"
    path = f"{directory}{sep}garden faq.yaml"
    exc = KnowledgeBaseError([Problem(path, 3, "watering", f"duplicate id (first defined at {path}:1)")])
    assert public_error(exc) == "garden faq.yaml:3: watering: duplicate id (first defined at garden faq.yaml:1)"


def test_admin_reload_with_two_workers_reloads_every_worker(tmp_path):
    kb = tmp_path / "garden.yaml"
    kb.write_text(KB, encoding="utf-8")

    def entries() -> set[int]:  # new connections, so both workers answer in time
        return {httpx.get(server.url + "/healthz", timeout=5).json()["entries"] for _ in range(12)}

    with start_server(tmp_path, "--kb", str(kb), "--workers", "2", env={"CHATBOT_API_KEY": KEY}) as server:
        assert entries() == {1}
        kb.write_text(KB + EXTRA, encoding="utf-8")
        reply = httpx.post(server.url + "/v1/admin/reload", headers={"Authorization": f"Bearer {KEY}"}).json()
        assert reply["ok"] and reply["entries"] == 2 and reply["workers"] == "all workers (rolling restart)"
        deadline = time.monotonic() + 30
        while entries() != {2}:
            assert time.monotonic() < deadline, "a worker kept the old base"
            time.sleep(0.3)
        time.sleep(2)
        assert entries() == {2}  # for good, not for a moment


def test_a_broken_reload_with_workers_logs_one_line_per_problem_and_no_traceback(tmp_path):
    kb = tmp_path / "garden.yaml"
    kb.write_text(KB, encoding="utf-8")
    with start_server(tmp_path, "--kb", str(kb), "--workers", "2") as server:
        kb.write_text("entries:\n  - id: watering\n    question: [unclosed\n", encoding="utf-8")
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while "malformed YAML" not in server.log():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(1)
        assert "Traceback" not in server.log()
        assert httpx.get(server.url + "/healthz").json()["entries"] == 1  # the old workers serve on


def test_rolling_restarts_under_kept_alive_load_drop_no_request(tmp_path):
    kb = tmp_path / "garden.yaml"
    kb.write_text(KB, encoding="utf-8")
    stop = time.monotonic() + 12
    failures: list[str] = []
    done = [0]

    def client_loop() -> None:
        with httpx.Client(timeout=10) as client:  # kept-alive connections, as wrk and browsers use
            while time.monotonic() < stop:
                try:
                    status = client.post(server.url + "/v1/ask", json={"text": "water tomatoes"}).status_code
                    if status != 200:
                        failures.append(str(status))
                except httpx.HTTPError as exc:
                    failures.append(type(exc).__name__)
                done[0] += 1

    import threading

    with start_server(tmp_path, "--kb", str(kb), "--workers", "2") as server:
        threads = [threading.Thread(target=client_loop) for _ in range(4)]
        for thread in threads:
            thread.start()
        for _ in range(3):
            time.sleep(3)
            server.process.send_signal(signal.SIGHUP)  # a rolling restart of both workers
        for thread in threads:
            thread.join()
    assert done[0] > 500
    assert failures == [], f"{len(failures)} of {done[0]} requests failed: {failures[:5]}"
