from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresCluster, PostgresUnavailable, postgres_cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """One throwaway PostgreSQL cluster for the session; skipped, saying why, where it cannot start."""
    try:
        with postgres_cluster() as cluster:
            yield cluster
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL store tests need a local PostgreSQL server: {exc}")


_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path) -> str:
    """A fresh, empty store of each kind."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/events.db"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    import psycopg

    name = f"t{next(_DATABASES)}"
    with psycopg.connect(cluster.url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return cluster.url.rsplit("/", 1)[0] + "/" + name
