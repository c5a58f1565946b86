"""Helpers for the generator tests: build throw-away repository roots around a spec."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def make_root(tmp: Path, ops: dict[str, str] | None = None) -> Path:
    """A root with the real rules.yaml, the fixture backends and the given ops files."""
    spec = tmp / "spec"
    (spec / "ops").mkdir(parents=True)
    (tmp / "generated").mkdir()
    shutil.copy(REPO / "spec" / "rules.yaml", spec / "rules.yaml")
    shutil.copy(HERE / "fixture" / "backends.yaml", spec / "backends.yaml")
    if ops is None:
        for path in (HERE / "fixture" / "ops").glob("*.yaml"):
            shutil.copy(path, spec / "ops" / path.name)
    else:
        for name, text in ops.items():
            (spec / "ops" / name).write_text(text, encoding="utf-8")
    return tmp


@pytest.fixture
def fixture_root(tmp_path: Path) -> Path:
    return make_root(tmp_path)
