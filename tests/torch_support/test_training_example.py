"""examples/torch_training.py fits a spring constant with torch.optim on a unit-aware loss."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

pytest.importorskip("torch", reason="torch is not installed")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "torch_training.py"


def test_training_converges_to_the_true_spring_constant() -> None:
    ns = runpy.run_path(str(EXAMPLE))
    losses, k = ns["train"]()
    assert losses[-1] < losses[0] / 1000, (losses[0], losses[-1])
    # The loss goes down over the run (Adam may wobble step to step, not over tens of steps).
    assert all(b < a for a, b in zip(losses[::25], losses[25::25], strict=False))
    assert abs(k - ns["TRUE_K"]) < 1.0, k


def test_the_example_runs_as_a_script(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "fitted k = " in out and "N/m" in out
