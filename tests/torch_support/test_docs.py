"""The code blocks of docs/torch.md run, in order, in one fresh interpreter."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="torch is not installed")
pytestmark = pytest.mark.compile  # the page compiles a function with inductor

DOC = Path(__file__).resolve().parents[2] / "docs" / "torch.md"


def test_docs_code_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 8, "the page lost its examples"
    code = "\n".join(blocks) + "\nprint('docs ok')\n"
    # One compile thread: no worker pool to start for the page's single small inductor compile.
    env = {**os.environ, "TORCHINDUCTOR_COMPILE_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=400, env=env
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert done.stdout.strip().endswith("docs ok")
