"""``/metrics`` in the Prometheus text format, with the standard ``prometheus_client``.

Requests by route and status, replies by kind, request latency as a histogram, and the store's
written and dropped events. With several workers, ``chatbot serve`` points
``PROMETHEUS_MULTIPROC_DIR`` at a directory of its own, so any worker answers a scrape with the
sums over all of them. Routes are labelled by their template (``/v1/entries/{entry_id}``), and
unknown paths as ``other``, so a scanner cannot grow the label set.
"""

import os
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    """The server's metrics, in a registry of their own (several apps may live in one test process)."""

    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROC_ENV))
        self.registry = CollectorRegistry()
        registry = None if self.multiprocess else self.registry  # multiprocess: values go to files
        self.requests = Counter("chatbot_requests", "HTTP requests answered", ["method", "route", "status"],
                                registry=registry)
        self.latency = Histogram("chatbot_request_duration_seconds", "Time to answer a request", ["route"],
                                 buckets=_BUCKETS, registry=registry)
        self.replies = Counter("chatbot_replies", "Replies by kind", ["kind"], registry=registry)
        self.store_written = Counter("chatbot_store_written_events", "Events written to the store",
                                     registry=registry)
        self.store_dropped = Counter("chatbot_store_dropped_events",
                                     "Events dropped because the store was slow or down", registry=registry)
        self.webhook_failed = Counter("chatbot_handoff_webhook_failures",
                                      "Handoff notifications given up after their retries", registry=registry)

    def render(self) -> tuple[bytes, str]:
        if self.multiprocess:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry), CONTENT_TYPE_LATEST
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    def reply(self, kind: str) -> None:
        self.replies.labels(kind=kind).inc()


class MetricsMiddleware:
    """Counts and times every HTTP request by method, route template and status."""

    def __init__(self, app: ASGIApp, metrics: Metrics):
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = [500]

        async def record_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = _route(scope)
            self.metrics.requests.labels(method=scope.get("method", ""), route=route, status=str(status[0])).inc()
            self.metrics.latency.labels(route=route).observe(time.perf_counter() - start)


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "other"
