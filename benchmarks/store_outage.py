"""The store stopped mid-run: replies must not fail, and every event is written or counted as dropped.

    python benchmarks/store_outage.py [--workers 2] [--duration 10] [--outage 4:3]

Starts a throwaway PostgreSQL cluster (Debian's server binaries, as the tests do), a server with
``--store`` on it, and wrk's load from ``benchmarks/load.py``; ``--outage START:LENGTH`` stops the
cluster START seconds into the run for LENGTH seconds. Prints requests/s, p99, failed replies, the
events written and the events the server counted as dropped (``/metrics``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from load import lua_script, run_wrk

from chatbot.store import open_store
from tests.support.live_server import start_server
from tests.support.postgres import PostgresUnavailable, postgres_cluster


def metric(scrape: str, name: str) -> float:
    return next((float(line.split()[-1]) for line in scrape.splitlines() if line.startswith(name + " ")), 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--outage", default="4:3", metavar="START:LENGTH")
    args = parser.parse_args(argv)
    start, length = (float(x) for x in args.outage.split(":"))
    try:
        cluster_context = postgres_cluster()
        pg = cluster_context.__enter__()
    except PostgresUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "ask.lua"
            script.write_text(lua_script(), encoding="utf-8")
            with start_server(Path(tmp), "--workers", str(args.workers), "--store", pg.url) as server:
                def outage() -> None:
                    time.sleep(start)
                    pg.stop()
                    time.sleep(length)
                    pg.start()
                thread = threading.Thread(target=outage)
                thread.start()
                result = run_wrk(server.url, script, args.connections, args.duration, 1)
                thread.join()
                time.sleep(2)  # the writers finish their last batches
                scrape = httpx.get(server.url + "/metrics", timeout=10).text
        events = open_store(pg.url).count()["events"]
    finally:
        cluster_context.__exit__(None, None, None)
    failed = sum(result[key] for key in ("connect", "read", "write", "status", "timeout"))
    written, dropped = metric(scrape, "chatbot_store_written_events_total"), metric(
        scrape, "chatbot_store_dropped_events_total")
    print(f"POST /v1/ask, --workers {args.workers}, {args.duration} s, store stopped for {length:g} s "
          f"from {start:g} s")
    print(f"requests/s: {result['requests'] / (result['duration_us'] / 1e6):,.0f}, "
          f"p99 {result['p99_us'] / 1000:.1f} ms, failed replies: {failed}")
    print(f"events: {events:,} in the store ({written:,.0f} written, {dropped:,.0f} dropped and counted) "
          f"for {result['requests']:,} requests")
    return 0 if failed == 0 and written + dropped >= result["requests"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
