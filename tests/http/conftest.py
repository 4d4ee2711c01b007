"""Fixtures of the HTTP tests."""

from tests.support.postgres import pg_cluster  # noqa: F401 - a fixture
