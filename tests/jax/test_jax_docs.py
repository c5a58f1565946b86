"""Every python block of docs/jax.md runs in a fresh process and prints what its comments say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.jax.helpers import run_fresh

DOC = Path(__file__).resolve().parents[2] / "docs" / "jax.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)


def expected_lines(block: str) -> list[str]:
    """The `# ...` comments on print lines: what each print shows (whitespace-normalised)."""
    return [
        " ".join(m.group(1).split())
        for line in block.splitlines()
        if (m := re.match(r"\s*print\(.*\)\s+# (.*)$", line))
    ]


def test_doc_has_examples() -> None:
    assert len(BLOCKS) >= 7


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_doc_block_runs_and_prints_its_comments(index: int) -> None:
    block = BLOCKS[index]
    out = run_fresh(block)
    printed = [" ".join(line.split()) for line in out.splitlines()]
    # Multi-line array prints are compared joined, as the comment writes them on one line.
    text = " ".join(printed)
    for want in expected_lines(block):
        assert want in text, f"expected {want!r} in the output of block {index}:\n{out}"
