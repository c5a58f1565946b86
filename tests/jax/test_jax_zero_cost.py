"""Units cost nothing under jax.jit: a unit-aware function lowers to exactly the program of the
same function written on raw arrays (names, result labels and source locations aside)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import pytest

import polyunit as u


def lowered(f: Callable[..., Any], *args: Any) -> str:
    """The StableHLO text of jit(f) with function names, result labels and locations removed."""
    text = jax.jit(f).lower(*args).as_text()
    text = re.sub(r"@jit_\w+", "@jit_f", text)
    text = re.sub(r"\s*\{jax\.result_info = [^}]*\}", "", text)
    text = re.sub(r"\s*\{jax\.arg_info = [^}]*\}", "", text)
    text = re.sub(r"\s*loc\([^)]*\)", "", text)
    lines = [line for line in text.splitlines() if not line.startswith("#loc")]
    return "\n".join(lines)


def m(unit: u.Unit, n: int = 4) -> u.Quantity[Any]:
    return u.Quantity(jnp.linspace(1.0, 2.0, n), unit)


X = jnp.linspace(1.0, 2.0, 4)

# (name, unit-aware function, its arguments, the same function on raw arrays)
CASES: list[tuple[str, Callable[..., Any], tuple[Any, ...], Callable[..., Any]]] = [
    ("add", lambda a, b: a + b, (m(u.meter), m(u.meter)), lambda a, b: a + b),
    # b in mm is converted into a's unit (m) before adding
    ("add-convert", lambda a, b: a + b, (m(u.meter), m(u.mmeter)), lambda a, b: a + b * 0.001),
    (
        "mul-div",
        lambda a, b, c: a * b / c,
        (m(u.meter), m(u.newton), m(u.second)),
        lambda a, b, c: a * b / c,
    ),  # fmt: skip
    ("sqrt", lambda a: u.math.sqrt(a * a), (m(u.meter),), lambda a: jnp.sqrt(a * a)),
    ("sum", lambda a: u.math.sum(a, axis=0), (m(u.volt),), lambda a: jnp.sum(a, axis=0)),
    (
        "exp-of-ratio",
        lambda a, b: u.math.exp(a / b),
        (m(u.mV), m(u.volt)),
        lambda a, b: jnp.exp(a / b * 0.001),
    ),  # fmt: skip
    ("to", lambda a: a.to(u.kmeter), (m(u.meter),), lambda a: a * 0.001),
    ("in_unit", lambda a: a.in_unit(u.msecond), (m(u.second),), lambda a: a * 1000.0),
    ("to_decimal", lambda a: a.to_decimal(u.cmeter), (m(u.meter),), lambda a: a * 100.0),
    (
        "physics",
        lambda x, v, t: u.math.sum((x + v * t) ** 2),
        (m(u.meter), m(u.meter / u.second), m(u.second)),
        lambda x, v, t: jnp.sum((x + v * t) ** 2),
    ),  # fmt: skip
]


@pytest.mark.parametrize(("name", "f", "args", "raw"), CASES, ids=[c[0] for c in CASES])
def test_lowered_program_equals_raw(
    name: str, f: Callable[..., Any], args: tuple[Any, ...], raw: Callable[..., Any]
) -> None:
    raw_args = tuple(a.mantissa for a in args)
    assert lowered(f, *args) == lowered(raw, *raw_args)


def test_comparison_notices_a_different_program() -> None:
    # The normalisation must not hide real differences: a conversion factor is visible.
    assert lowered(lambda a: a * 0.001, X) != lowered(lambda a: a, X)
    assert lowered(lambda a: a.to(u.kmeter), m(u.meter)) != lowered(lambda a: a, X)
