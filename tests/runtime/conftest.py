"""Shared fixtures of the runtime tests.

The array libraries are imported once per test process (jax and torch imports are slow; all
test files share them). Every test starts and ends with no default backend set, so a test that
sets one cannot leak into the next.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import polyunit as u


@pytest.fixture(autouse=True)
def _no_default_backend() -> Iterator[None]:
    u.set_default_backend(None)
    yield
    u.set_default_backend(None)
