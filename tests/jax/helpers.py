"""Helpers shared by the jax tests: run code in a fresh interpreter (so flags and import order
apply before jax initialises)."""

from __future__ import annotations

import os
import subprocess
import sys


def run_fresh(code: str, env: dict[str, str] | None = None) -> str:
    """Run `code` in a new Python process; its stdout, or a failure showing its stderr."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    return done.stdout
