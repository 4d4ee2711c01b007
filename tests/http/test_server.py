"""The HTTP API, through real requests to ``chatbot serve`` running in a subprocess.

Each server runs on a free port with a small knowledge base of the tests' own, so these tests do
not depend on the shipped FAQ. Schema fuzzing runs schemathesis against the app in process.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the server needs the 'server' extra")
httpx = pytest.importorskip("httpx")
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from chatbot.http.app import create_app  # noqa: E402
from chatbot.http.limits import MAX_BODY_BYTES, MAX_TEXT_CHARS  # noqa: E402
from tests.support.live_server import Server, free_port, start_server  # noqa: E402

KEY = "s3cret-test-key"
ORIGIN = "https://help.example.org"
PROTOCOL_FIELDS = {"kind", "answer", "entry_id", "question", "score", "source", "related", "options", "context"}

KB_YAML = """\
name: garden FAQ
greeting: "Garden FAQ: tips from one booklet."
disclaimer: "General gardening tips, not professional advice."
urgent:
  - id: poison
    patterns: ['\\bswallowed\\b', '\\bpoison']
    message: "If someone swallowed garden chemicals, call the poison line now."
suggestions: [watering, aphids]
entries:
  - id: watering
    title: Watering tomatoes
    topic: Care
    question: How often should I water tomatoes?
    alternates: [how much water do tomatoes need, when to water tomato plants]
    answer: "Water tomatoes deeply two or three times a week, more in hot weather."
    source: Booklet, page 3
    related: [feeding, aphids]
  - id: feeding
    title: Feeding tomatoes
    topic: Care
    question: How do I feed tomato plants?
    alternates: [what fertiliser for tomatoes, tomato feed]
    answer: "Feed tomatoes every two weeks with a high-potash liquid feed once the first fruits set."
    source: Booklet, page 4
    related: [watering]
  - id: aphids
    title: Getting rid of aphids
    topic: Problems
    question: How do I get rid of aphids?
    alternates: [greenfly on my plants, aphids on roses]
    answer: "Rub aphids off by hand or spray them with soapy water; ladybirds eat them too."
    source: Booklet, page 7
    related: [blight]
  - id: blight
    title: Tomato blight
    topic: Problems
    question: What is tomato blight?
    alternates: [brown patches on tomato leaves, blight on tomatoes]
    answer: "Blight is a fungal disease that browns leaves and rots fruit; remove affected plants."
    source: Booklet, page 8
    related: [aphids, watering]
"""

EXTRA_ENTRY = """\
  - id: pruning
    title: Pruning tomatoes
    topic: Care
    question: Should I pinch out tomato side shoots?
    answer: "Pinch out the side shoots of cordon tomatoes every week."
    source: Booklet, page 5
"""

BROKEN_YAML = "entries:\n  - id: watering\n    question: [unclosed\n"


# -- running servers ------------------------------------------------------------------------

def wait_for(condition, timeout: float = 15.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def kb_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server")


@pytest.fixture(scope="module")
def kb_file(kb_dir: Path) -> Path:
    path = kb_dir / "garden.yaml"
    path.write_text(KB_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def server(kb_dir: Path, kb_file: Path) -> Iterator[Server]:
    """Open API (no key), CORS for one origin, question logging off."""
    with start_server(kb_dir, "--kb", str(kb_file), "--cors-origin", ORIGIN) as running:
        yield running


@pytest.fixture(scope="module")
def keyed_kb(kb_dir: Path) -> Path:
    path = kb_dir / "keyed" / "garden.yaml"  # its own copy: the reload tests break and restore it
    path.parent.mkdir()
    path.write_text(KB_YAML, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def keyed(kb_dir: Path, keyed_kb: Path) -> Iterator[Server]:
    """API key required, question logging on."""
    with start_server(kb_dir, "--kb", str(keyed_kb), "--log-questions", env={"CHATBOT_API_KEY": KEY}) as running:
        yield running


@pytest.fixture
def api(server: Server) -> Iterator[httpx.Client]:
    with server.client() as client:
        yield client


@pytest.fixture
def authed(keyed: Server) -> Iterator[httpx.Client]:
    with keyed.client(headers={"Authorization": f"Bearer {KEY}"}) as client:
        yield client


# -- endpoints ------------------------------------------------------------------------------

def test_healthz(api):
    response = api.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "entries": 4}


def test_ask_returns_the_protocol_fields_and_a_context(api):
    response = api.post("/v1/ask", json={"text": "How often should I water tomatoes?"})
    assert response.status_code == 200
    reply = response.json()
    assert set(reply) == PROTOCOL_FIELDS | {"reply_id", "stage", "triage", "handoff", "explanation"}
    assert reply["kind"] == "answer"
    assert reply["entry_id"] == "watering"
    assert reply["source"] == "Booklet, page 3"
    assert [t["id"] for t in reply["related"]] == ["feeding", "aphids"]
    assert {k: reply["context"][k] for k in ("last_entry", "options")} == {"last_entry": "watering",
                                                                           "options": ["feeding", "aphids"]}
    assert len(reply["context"]["session"]) == 32  # a new conversation's id, chosen by the server


def test_a_request_threshold_sets_the_confidence_an_answer_needs(api):
    question = {"text": "how much water do my tomato plants want"}
    answered = api.post("/v1/ask", json=question).json()
    assert answered["kind"] == "answer" and 0 < answered["score"] < 100
    strict = api.post("/v1/ask", json={**question, "threshold": min(1.0, answered["score"] / 100 + 0.01)}).json()
    assert strict["kind"] == "fallback"
    assert api.post("/v1/ask", json={**question, "threshold": 2}).status_code == 422


def test_explain_says_why_over_http(api):
    question = {"text": "how much water do my tomato plants want"}
    assert api.post("/v1/ask", json=question).json()["explanation"] is None  # only when asked
    reply = api.post("/v1/ask", json={**question, "explain": True}).json()
    why = reply["explanation"]
    assert why["stage"] == reply["stage"] == "matcher" and why["matched"]["entry_id"] == reply["entry_id"]
    assert why["threshold"] > 0 and any(w["in_phrasing"] for w in why["words"])
    assert api.post("/v1/ask", json={**question, "explain": "yes"}).status_code == 422


def test_context_sent_back_carries_the_conversation(api):
    first = api.post("/v1/ask", json={"text": "How often should I water tomatoes?"}).json()
    second = api.post("/v1/ask", json={"text": "2", "context": first["context"]}).json()
    assert second["kind"] == "answer"
    assert second["entry_id"] == first["related"][1]["id"]


@pytest.mark.parametrize("context", [
    {"last_entry": "no-such-entry", "options": ["no-such-entry", "../../etc/passwd", "<script>"]},
    {"last_entry": 5, "options": "watering"},
    {"options": [1, None, {"id": "watering"}, ["aphids"]]},
    {"unexpected": True, "options": ["x"] * 1000},
    {},
    None,
])
def test_forged_or_malformed_context_is_ignored(api, context):
    response = api.post("/v1/ask", json={"text": "1", "context": context})
    assert response.status_code == 200
    reply = response.json()
    assert reply["kind"] == "fallback"  # nothing valid to pick from
    assert reply["entry_id"] is None
    # What comes back to pick from next is the base's own topics, offered in this reply; nothing that was sent.
    offered = [topic["id"] for topic in reply["related"]]
    assert reply["context"]["last_entry"] is None and reply["context"]["options"] == offered
    topics = api.get("/v1/topics").json()
    known = {entry["id"] for group in topics["topics"] for entry in group["entries"]}
    assert offered and set(offered) <= known


@pytest.mark.parametrize("context", ["watering", ["watering"], 3])
def test_context_that_is_not_an_object_is_refused_clearly(api, context):
    response = api.post("/v1/ask", json={"text": "1", "context": context})
    assert response.status_code == 422
    assert "context must be the object" in response.json()["detail"][0]["msg"]


def test_topics_groups_entries_in_file_order(api):
    response = api.get("/v1/topics")
    assert response.status_code == 200
    groups = response.json()["topics"]
    assert [g["topic"] for g in groups] == ["Care", "Problems"]
    assert [e["id"] for e in groups[0]["entries"]] == ["watering", "feeding"]
    assert groups[1]["entries"][0] == {"id": "aphids", "question": "How do I get rid of aphids?",
                                       "title": "Getting rid of aphids"}


def test_entry_by_id(api):
    response = api.get("/v1/entries/blight")
    assert response.status_code == 200
    entry = response.json()
    assert entry["answer"].startswith("Blight is a fungal disease")
    assert entry["topic"] == "Problems"
    assert [t["id"] for t in entry["related"]] == ["aphids", "watering"]


def test_unknown_entry_is_a_clear_404(api):
    response = api.get("/v1/entries/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "no entry with id 'no-such-thing'"}


def test_info_gives_what_the_widget_shows(api):
    assert api.get("/v1/info").json() == {
        "name": "garden FAQ",
        "greeting": "Garden FAQ: tips from one booklet.",
        "disclaimer": "General gardening tips, not professional advice.",
        "entries": 4,
    }


def test_openapi_schema_and_docs(api):
    schema = api.get("/openapi.json").json()
    assert {"/v1/ask", "/v1/topics", "/v1/entries/{entry_id}", "/v1/info", "/healthz"} <= set(schema["paths"])
    ask = schema["components"]["schemas"]["AskReply"]
    assert set(ask["required"]) == PROTOCOL_FIELDS
    docs = api.get("/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


def test_web_page_and_widget(api):
    page = api.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert 'src="widget.js"' in page.text
    script = api.get("/widget.js")
    assert script.headers["content-type"].startswith("text/javascript")
    for unsafe in (".innerHTML", ".outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in script.text  # every text goes in with textContent
    assert api.get("/widget.css").headers["content-type"].startswith("text/css")


# -- limits and errors ----------------------------------------------------------------------

def test_text_at_the_limit_is_answered(api):
    assert api.post("/v1/ask", json={"text": "water " * (MAX_TEXT_CHARS // 6)}).status_code == 200


def test_text_over_the_limit_gets_a_clear_422(api):
    response = api.post("/v1/ask", json={"text": "a" * (MAX_TEXT_CHARS + 1)})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "text"]
    assert f"longer than {MAX_TEXT_CHARS} characters" in detail[0]["msg"]
    assert "aaaa" not in response.text  # the input is not echoed back


@pytest.mark.parametrize("body", [b'{"text": ', b"[]", b'{"context": {}}', b'{"text": 42}', b"\xff\xfe"])
def test_malformed_requests_get_422(api, body):
    response = api.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_body_that_is_not_json_says_what_to_send(api):
    response = api.post("/v1/ask", content=b'{"text": "hi"}', headers={"Content-Type": "text/plain"})
    assert response.status_code == 422
    assert "application/json" in response.json()["detail"][0]["msg"]


def test_body_that_is_not_utf8_gets_400(api):
    response = api.post("/v1/ask", content=b'{"text": "\xff"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"detail": "There was an error parsing the body"}


def test_body_over_the_limit_gets_413(api):
    body = json.dumps({"text": "x", "context": {"pad": "x" * MAX_BODY_BYTES}})
    response = api.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json() == {"detail": f"request body is larger than {MAX_BODY_BYTES} bytes"}


def test_chunked_body_over_the_limit_gets_413(api):
    def chunks():
        yield b'{"text": "x", "pad": "'
        for _ in range(20):
            yield b"x" * 1024
        yield b'"}'

    response = api.post("/v1/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_chunked_body_under_the_limit_is_answered(api):
    def chunks():
        yield b'{"text": "greenfly'
        yield b' on my plants"}'

    response = api.post("/v1/ask", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json()["entry_id"] == "aphids"


def test_unhandled_errors_are_a_generic_500(kb_file):
    from fastapi.testclient import TestClient

    app = create_app([str(kb_file)], api_key="", cors_origins=[], log_questions=False)

    def boom() -> None:
        raise RuntimeError(f"secret detail in {kb_file}")

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}


def test_questions_are_not_logged_by_default(api, server):
    api.post("/v1/ask", json={"text": "marmalade-question-17 about aphids"})
    time.sleep(0.3)
    log = server.log()
    assert "marmalade-question-17" not in log
    assert "/v1/" not in log  # nor the access log: an address next to an entry id is health information too


def test_questions_are_logged_when_asked_to(authed, keyed):
    authed.post("/v1/ask", json={"text": "quince-question-23 about aphids"})
    wait_for(lambda: "quince-question-23" in keyed.log(), what="the question in the log")
    assert "POST /v1/ask" in keyed.log()  # and the access log is on


# -- CORS and the API key -------------------------------------------------------------------

def test_cors_allows_the_configured_origin_only(api):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = api.options("/v1/ask", headers={"Origin": ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    other = api.options("/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
    reply = api.post("/v1/ask", json={"text": "hello"}, headers={"Origin": ORIGIN})
    assert reply.headers["access-control-allow-origin"] == ORIGIN


def test_no_cors_headers_by_default(authed):
    response = authed.post("/v1/ask", json={"text": "hello"}, headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in response.headers


def test_without_a_key_the_api_is_open(api):
    assert api.get("/v1/info").status_code == 200


@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {KEY}", f"Bearer {KEY}x", "Bearer"])
@pytest.mark.parametrize(("method", "path"), [("POST", "/v1/ask"), ("GET", "/v1/topics"),
                                              ("GET", "/v1/entries/watering"), ("GET", "/v1/info"),
                                              ("POST", "/v1/admin/reload")])
def test_with_a_key_v1_needs_it(keyed, method, path, header):
    headers = {"Authorization": header} if header else {}
    with keyed.client(headers=headers) as client:
        response = client.request(method, path, json={"text": "hello"} if method == "POST" else None)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "missing or wrong API key"}


def test_with_the_key_v1_answers(authed):
    assert authed.post("/v1/ask", json={"text": "greenfly on my plants"}).json()["entry_id"] == "aphids"
    assert authed.get("/v1/topics").status_code == 200


def test_health_and_page_need_no_key(keyed):
    with keyed.client() as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 200
        assert client.get("/widget.js").status_code == 200


def test_admin_reload_is_off_without_a_key(api):
    response = api.post("/v1/admin/reload")
    assert response.status_code == 403


# -- hot reload -----------------------------------------------------------------------------

def test_admin_reload_keeps_the_old_base_on_a_broken_file(authed, keyed_kb):
    try:
        keyed_kb.write_text(BROKEN_YAML, encoding="utf-8")
        response = authed.post("/v1/admin/reload")
        assert response.status_code == 422
        result = response.json()
        assert result["ok"] is False
        assert result["entries"] == 4
        assert "garden.yaml" in result["error"] and "malformed YAML" in result["error"]
        assert str(keyed_kb.parent) not in result["error"]  # no internal paths in responses
        assert authed.post("/v1/ask", json={"text": "greenfly"}).json()["entry_id"] == "aphids"

        keyed_kb.write_text(KB_YAML + EXTRA_ENTRY, encoding="utf-8")
        assert authed.post("/v1/admin/reload").json() == {"ok": True, "entries": 5, "error": None,
                                                          "workers": "this worker"}
        assert authed.get("/v1/entries/pruning").status_code == 200
    finally:
        keyed_kb.write_text(KB_YAML, encoding="utf-8")
        assert authed.post("/v1/admin/reload").json()["entries"] == 4


def test_sighup_reloads_and_a_broken_file_keeps_the_old_base(authed, keyed, keyed_kb):
    def entries() -> int:
        return authed.get("/healthz").json()["entries"]

    try:
        keyed_kb.write_text(BROKEN_YAML, encoding="utf-8")
        failures = keyed.log().count("reload failed")
        keyed.process.send_signal(signal.SIGHUP)
        wait_for(lambda: keyed.log().count("reload failed") > failures, what="the reload error in the log")
        assert keyed.process.poll() is None
        assert entries() == 4
        assert authed.post("/v1/ask", json={"text": "greenfly"}).json()["entry_id"] == "aphids"

        keyed_kb.write_text(KB_YAML + EXTRA_ENTRY, encoding="utf-8")
        keyed.process.send_signal(signal.SIGHUP)
        wait_for(lambda: entries() == 5, what="the reloaded base")
    finally:
        keyed_kb.write_text(KB_YAML, encoding="utf-8")
        keyed.process.send_signal(signal.SIGHUP)
        wait_for(lambda: entries() == 4, what="the restored base")


def test_several_workers_get_their_settings_and_reload(tmp_path):
    kb = tmp_path / "garden.yaml"
    kb.write_text(KB_YAML, encoding="utf-8")
    def entries() -> int:  # a new connection each time, so any worker may answer
        return httpx.get(server.url + "/healthz", timeout=5).json()["entries"]

    with start_server(tmp_path, "--kb", str(kb), "--workers", "2", "--cors-origin", ORIGIN) as server:
        assert httpx.get(server.url + "/v1/info").json()["name"] == "garden FAQ"
        reply = httpx.post(server.url + "/v1/ask", json={"text": "hello"}, headers={"Origin": ORIGIN})
        assert reply.headers["access-control-allow-origin"] == ORIGIN
        with server.client() as client:  # Nagle left on would hold each reply ~40 ms for a delayed ACK
            timings = []
            for _ in range(15):
                start = time.perf_counter()
                client.post("/v1/ask", json={"text": "hello"})
                timings.append(time.perf_counter() - start)
            assert sorted(timings)[len(timings) // 2] < 0.02

        kb.write_text(BROKEN_YAML, encoding="utf-8")
        server.process.send_signal(signal.SIGHUP)  # a rolling restart that cannot succeed
        wait_for(lambda: "malformed YAML" in server.log(), what="the failed worker's error")
        time.sleep(1)
        assert [entries() for _ in range(4)] == [4] * 4

        kb.write_text(KB_YAML + EXTRA_ENTRY, encoding="utf-8")
        server.process.send_signal(signal.SIGHUP)
        wait_for(lambda: all(entries() == 5 for _ in range(6)), timeout=30, what="every worker on the new base")


def test_serve_reports_a_broken_file_and_exits(tmp_path):
    kb = tmp_path / "broken.yaml"
    kb.write_text(BROKEN_YAML, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "chatbot", "serve", "--port", str(free_port()), "--kb", str(kb)],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "malformed YAML" in result.stderr


# -- schema fuzzing -------------------------------------------------------------------------

# schemathesis.pytest.from_fixture fails under pytest 9 (it sets node._nodeid), so the schema is
# loaded at import, from an app over the tests' knowledge base in a directory removed at exit.
_SCHEMA_DIR = tempfile.TemporaryDirectory(prefix="chatbot-schema-")
(Path(_SCHEMA_DIR.name) / "garden.yaml").write_text(KB_YAML, encoding="utf-8")
# A body over the size limit is refused with 413: as much a rejection as 400 or 422.
_REJECTIONS = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    create_app([str(Path(_SCHEMA_DIR.name) / "garden.yaml")], api_key=KEY, cors_origins=[], log_questions=False),
    config=schemathesis.Config.from_dict({"checks": {"negative_data_rejection": {"expected-statuses": _REJECTIONS}}}),
)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    """No 5xx and no response outside the documented schema, for generated requests."""
    case.call_and_validate(headers={"Authorization": f"Bearer {KEY}"})
