"""Every python block of docs/jax.md runs and prints what its comments say. All blocks run in
one fresh process (one jax start-up), each in its own namespace, in document order."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.jax.helpers import run_fresh

DOC = Path(__file__).resolve().parents[2] / "docs" / "jax.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
MARK = "=== docs/jax.md block"

_RUNNER = """
import json
blocks = json.loads({blocks!r})
for i, code in enumerate(blocks):
    print({mark!r}, i, flush=True)
    exec(compile(code, f"docs/jax.md block {{i}}", "exec"), {{"__name__": "__main__"}})
"""


def expected_lines(block: str) -> list[str]:
    """The `# ...` comments on print lines: what each print shows (whitespace-normalised)."""
    return [
        " ".join(m.group(1).split())
        for line in block.splitlines()
        if (m := re.match(r"\s*print\(.*\)\s+# (.*)$", line))
    ]


def test_doc_blocks_run_and_print_their_comments() -> None:
    assert len(BLOCKS) >= 7
    out = run_fresh(_RUNNER.format(blocks=json.dumps(BLOCKS), mark=MARK))
    outputs = out.split(MARK)[1:]
    assert len(outputs) == len(BLOCKS)
    for index, (block, printed) in enumerate(zip(BLOCKS, outputs, strict=True)):
        # Multi-line array prints are compared joined, as the comments write them on one line.
        text = " ".join(printed.split())
        wanted = expected_lines(block)
        assert wanted or "print(" not in block
        for want in wanted:
            assert want in text, f"expected {want!r} in the output of block {index}:\n{printed}"
