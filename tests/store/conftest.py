from __future__ import annotations

import pytest

from tests.support.postgres import PostgresCluster, pg_cluster  # noqa: F401 - a fixture

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
