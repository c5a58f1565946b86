"""Fixtures of the behaviour tests.

jax computes in float64 inside every behaviour test (`jax.enable_x64` as a context, so the
setting does not leak into the other test directories run by the same worker), and every test
starts and ends with no default backend set.
"""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator

import pytest

import polyunit as u


@pytest.fixture(autouse=True)
def _x64_and_no_default_backend() -> Iterator[None]:
    u.set_default_backend(None)
    with contextlib.ExitStack() as stack:
        if importlib.util.find_spec("jax") is not None:
            import jax

            stack.enter_context(jax.enable_x64(True))
        yield
    u.set_default_backend(None)
