"""Throwaway PostgreSQL clusters and gunicorn servers for fault tests.

As root, PostgreSQL's initdb and postgres refuse to run: they run as the `postgres` user.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.workers import ROOT


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port(start: int) -> int:
    """A free TCP port from `start` up (below the ephemeral range, as the machine asks)."""
    for port in range(start, start + 200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port from {start}")


class Cluster:
    def __init__(self, bin_dir: Path, root: Path, port: int, as_postgres: list[str]):
        self.bin_dir, self.root, self.port, self.as_postgres = bin_dir, root, port, as_postgres
        self.data = root / "data"

    def run(self, tool: str, *args: str) -> None:
        subprocess.run([*self.as_postgres, str(self.bin_dir / tool), *args], check=True, capture_output=True,
                       timeout=60)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "postgres.log"), "-w", "start", "-o",
                 f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@contextmanager
def throwaway_cluster(port: int = 25432) -> Iterator[Cluster]:
    """A new PostgreSQL cluster (trust authentication) in a temporary directory, running."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root = Path(tempfile.mkdtemp(prefix="pko-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run a cluster as")
        os.chown(root, account.pw_uid, account.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bin_dir, root, free_port(port), as_postgres)
    try:
        cluster.run("initdb", "-D", str(cluster.data), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")
        cluster.start()
        yield cluster
    finally:
        try:
            cluster.stop("immediate")
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def gunicorn(env: dict, port: int = 28765) -> Iterator[str]:
    """The app served by gunicorn (one sync worker) with `env`; yields its base URL."""
    port = free_port(port)
    log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pkoanalysis.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--log-level", "warning"], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{base}/healthz/", timeout=5)
                break
            except requests.RequestException:  # not listening yet, or the worker still booting
                assert server.poll() is None, Path(log.name).read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
        Path(log.name).unlink(missing_ok=True)
