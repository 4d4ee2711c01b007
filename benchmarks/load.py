"""Load-test the HTTP API with wrk on loopback, bounded in time.

    python benchmarks/load.py [--workers 2] [--connections 20] [--duration 10] [--kb PATH] [--store URL]

Starts ``chatbot serve`` on a free port, warms it up, then has wrk POST a rotating mix of
realistic messages (answers, typos, follow-ups with a context, small talk, out of scope) to
``/v1/ask``. Prints requests per second, p50 and p99 latency and the error count, and exits 1
when the target (>= 1,500 requests/s, p99 < 50 ms, no errors) is missed. With ``--store URL``
(``sqlite:///…`` or ``postgresql://…``, empty) the server records every reply, and the events in
the store are counted against the requests wrk completed. Needs ``wrk`` (Debian: apt-get install
wrk) and the ``server`` extra.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# The server start-up helper is the tests' own (tests/support/live_server.py).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.live_server import ServerError, start_server

TARGET_RPS, TARGET_P99_MS = 1500, 50.0

#: (text, context) pairs: what a help-centre chat sends, including follow-ups and noise.
MESSAGES = [
    ("where does breast cancer spread to", None),
    ("what are the symptoms of bone metastasis", None),
    ("bone metastisis symtoms", None),
    ("and the liver?", {"last_entry": "bone-symptoms", "options": []}),
    ("can stage 4 breast cancer be cured", None),
    ("2", {"last_entry": "sites-common", "options": ["sites-frequency", "sites-less-common", "warning-signs"]}),
    ("hello", None),
    ("how do they treat breast cancer that's gone to the bones", None),
    ("what is metastisis in brest cancer", None),
    ("what is the capital of france", None),
    ("does it go to the lungs", None),
    ("thanks!", None),
    ("how can i lower the risk of it spreading", None),
    ("what treatments are there for advanced breast cancer", None),
    ("is chemo used for secondary breast cancer", None),
    ("my mum has yellow eyes and a sore tummy, is that the liver", None),
]

_LUA = """
local bodies = {%(bodies)s}
local headers = {["Content-Type"] = "application/json"}
local counter = 0
request = function()
  counter = counter %% #bodies + 1
  return wrk.format("POST", "/v1/ask", headers, bodies[counter])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def lua_script() -> str:
    bodies = [json.dumps({"text": text, "context": context}) for text, context in MESSAGES]
    return _LUA % {"bodies": ", ".join(f"[==[{body}]==]" for body in bodies)}


def run_wrk(url: str, script: Path, connections: int, duration: int, threads: int) -> dict[str, int]:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
               "-s", str(script), url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30, check=True)
    for line in result.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise SystemExit(f"error: no result from wrk:\n{result.stdout}\n{result.stderr}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default: 2)")
    # Requests in flight = rate x latency: 1,500 requests/s answered in ~12 ms is ~20 at a time. wrk keeps every
    # connection busy, so 50 connections measure an overload, where a request waits behind 49 others.
    parser.add_argument("--connections", type=int, default=20, help="concurrent connections (default: 20)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of measured load (default: 10)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default: 1)")
    parser.add_argument("--kb", action="append", default=[], metavar="PATH", help="knowledge-base file")
    parser.add_argument("--store", metavar="URL", help="run the server with this (empty) conversation store")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    command = ["--workers", str(args.workers), *(arg for path in args.kb for arg in ("--kb", path))]
    if args.store:
        command += ["--store", args.store]
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "ask.lua"
        script.write_text(lua_script(), encoding="utf-8")
        try:
            with start_server(Path(tmp), *command) as server:
                warm = run_wrk(server.url, script, args.connections, 2, args.threads)  # warm-up, not counted
                result = run_wrk(server.url, script, args.connections, args.duration, args.threads)
        except ServerError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    seconds = result["duration_us"] / 1e6
    rps = result["requests"] / seconds
    p50, p99 = result["p50_us"] / 1000, result["p99_us"] / 1000
    errors = sum(result[key] for key in ("connect", "read", "write", "status", "timeout"))
    print(f"POST /v1/ask on loopback: --workers {args.workers}, {args.connections} connections, "
          f"{args.duration} s, {len(MESSAGES)} rotating messages, {os.cpu_count()} CPUs")
    print(f"requests/s: {rps:,.0f}")
    print(f"p50: {p50:.1f} ms")
    print(f"p99: {p99:.1f} ms")
    print(f"errors: {errors} (connect {result['connect']}, read {result['read']}, write {result['write']}, "
          f"non-2xx {result['status']}, timeout {result['timeout']})")
    lost = 0
    if args.store:  # the server has stopped: its workers wrote what they had queued
        from chatbot.store import open_store

        events = open_store(args.store).count()["events"]
        sent = warm["requests"] + result["requests"]
        lost = max(sent - events, 0)
        print(f"store: {events:,} events for {sent:,} completed requests ({lost} lost)")
    met = rps >= TARGET_RPS and p99 < TARGET_P99_MS and errors == 0 and lost == 0
    print(f"target (>= {TARGET_RPS} requests/s, p99 < {TARGET_P99_MS:.0f} ms, 0 errors): "
          f"{'met' if met else 'missed'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
