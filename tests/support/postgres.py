"""A throwaway PostgreSQL cluster for the store tests: initdb, pg_ctl start on a free port, stop.

Uses Debian's server binaries (/usr/lib/postgresql/<version>/bin, installed by .ci/run). As root
the cluster runs as the ``postgres`` user, which initdb requires. ``PostgresUnavailable`` says
why a cluster cannot be started, for a clear skip message.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .live_server import free_port


class PostgresUnavailable(RuntimeError):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4].split(".")[0]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("PostgreSQL server binaries not found (apt-get install postgresql; .ci/run does)")


class PostgresCluster:
    """A cluster in a temporary directory; ``start`` and ``stop`` may be called again (to test a store that is down)."""

    def __init__(self) -> None:
        self.bindir = _bin_dir()
        self.user = None
        if os.geteuid() == 0:
            try:
                self.user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable("running as root and there is no 'postgres' user for the cluster") from None
        self.base = Path(tempfile.mkdtemp(prefix="chatbot-pg-"))
        self.data, self.sockets = self.base / "data", self.base / "run"
        self.sockets.mkdir()
        if self.user is not None:
            for path in (self.base, self.sockets):
                os.chown(path, self.user.pw_uid, self.user.pw_gid)
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        init = self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        if init.returncode != 0:
            self.remove()
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip()[-300:]}")

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess[str]:
        user = self.user

        def as_postgres() -> None:
            if user is not None:
                os.setgid(user.pw_gid)
                os.setuid(user.pw_uid)

        return subprocess.run([str(self.bindir / program), *args], capture_output=True, text=True, timeout=60,
                              preexec_fn=as_postgres, cwd=self.base,
                              env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"})

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "log"), "-o", options, "-w", "start")
        if started.returncode != 0:
            log = (self.base / "log").read_text(errors="replace") if (self.base / "log").exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {started.stderr.strip()[-300:]} {log[-300:]}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


@contextmanager
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A started cluster (trust authentication, database ``postgres``), stopped and removed afterwards."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        cluster.remove()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """A throwaway PostgreSQL cluster for a test session; skipped, saying why, where it cannot start.
    Import it into a conftest or test module to use it."""
    try:
        with postgres_cluster() as cluster:
            yield cluster
    except PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL store tests need a local PostgreSQL server: {exc}")
