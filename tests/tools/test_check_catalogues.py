"""data/tools/check_catalogues.py: the shipped catalogues agree with the UN files (and, where the
shared originals are on the machine, the shipped copies are byte-identical to them)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_catalogues_pass_their_checks():
    run = subprocess.run([sys.executable, str(ROOT / "data/tools/check_catalogues.py")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "check_catalogues: all checks passed" in run.stdout
