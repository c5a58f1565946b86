"""The code blocks of docs/torch.md run, in order, in one namespace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

torch = pytest.importorskip("torch", reason="torch is not installed")
pytestmark = pytest.mark.compile  # the page compiles a function with inductor

DOC = Path(__file__).resolve().parents[2] / "docs" / "torch.md"


def test_docs_code_blocks_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 8, "the page lost its examples"
    torch._dynamo.reset()
    namespace: dict[str, Any] = {"__name__": "docs_torch"}
    for i, block in enumerate(blocks):
        try:
            exec(compile(block, f"docs/torch.md block {i}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"docs/torch.md block {i} failed:\n{block}") from exc
