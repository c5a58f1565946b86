"""A corpus of broken specs, one per failure mode, each with its exact expected message.

Regenerate the expected files after an intended wording change with
`UPDATE_SNAPSHOTS=1 pytest tests/codegen/test_broken_specs.py`, then review the diff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REPO, make_root

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(p.stem for p in BROKEN.glob("*.yaml"))


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "check", "--root", str(root)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_corpus_covers_many_failure_modes() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES)
def test_broken_spec_message(case: str, tmp_path: Path) -> None:
    root = make_root(tmp_path, {f"{case}.yaml": (BROKEN / f"{case}.yaml").read_text()})
    proc = run_check(root)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    expected_file = BROKEN / f"{case}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        expected_file.write_text(proc.stderr)
    assert proc.stderr == expected_file.read_text()
    assert not any((root / "generated").iterdir()), "a broken spec must write nothing"


@pytest.mark.parametrize("flag", ["compile_twins", "empty_axis_reduces_all"])
def test_backend_flags_must_be_true_or_false(tmp_path: Path, flag: str) -> None:
    root = make_root(tmp_path)  # the fixture's valid ops
    backends = root / "spec" / "backends.yaml"
    text = backends.read_text()
    assert f"{flag}: true" in text
    backends.write_text(text.replace(f"{flag}: true", f"{flag}: yes please"))
    proc = run_check(root)
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        f"spec/backends.yaml:8: backend 'torch': {flag} must be true or false"
    ), proc.stderr
