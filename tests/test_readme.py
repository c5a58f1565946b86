"""The README's quick start runs and prints what it says."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_quick_start_runs() -> None:
    text = README.read_text()
    block = re.search(r"## Quick start\n\n```python\n(.*?)```", text, re.S)
    assert block is not None
    proc = subprocess.run(
        [sys.executable, "-c", block.group(1)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "[1. 2. 3.] m"
    assert lines[1] == "torch torch"
    assert lines[2] == "torch.float32"
    assert lines[3] == "[0.002]"
    assert lines[4] == "numpy"
    assert lines[5].startswith("Cannot add 4.0 mV and 3.0 ms")
