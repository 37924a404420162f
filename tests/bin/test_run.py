"""bin/run refuses a busy port at once, before minutes of setup."""

import os
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_it_stops_before_the_setup_when_the_port_is_taken():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        done = subprocess.run([str(ROOT / "bin/run")], env={**os.environ, "PORT": str(port)},
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert f"Port {port} is already in use" in done.stderr and "PORT=8001 bin/run" in done.stderr
    assert "==> [1/7]" not in done.stdout and time.monotonic() - started < 5
