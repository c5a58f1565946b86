"""Show that units cost nothing under jax.jit: same compiled program, same run time.

Run: .venv/bin/python examples/jax_zero_cost.py [n_elements]
(Not a benchmark suite and not used by the tests; benchmarks live in bench/.)
"""

from __future__ import annotations

import re
import sys
import timeit

import jax
import jax.numpy as jnp

import polyunit as u


def program(f, *args):  # type: ignore[no-untyped-def]
    text = jax.jit(f).lower(*args).as_text()
    text = re.sub(r"@jit_\w+|\{jax\.result_info = [^}]*\}|loc\([^)]*\)", "", text)
    return [line for line in text.splitlines() if not line.startswith("#loc")]


def with_units(x, v, t):  # type: ignore[no-untyped-def]
    pos = x + v * t  # m + (m/s) * s
    return u.math.sum(pos * pos).to(u.cmeter**2)


def raw(x, v, t):  # type: ignore[no-untyped-def]
    pos = x + v * t
    return jnp.sum(pos * pos) * 10000.0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    a = jnp.linspace(0.0, 1.0, n)
    q = (u.Quantity(a, u.meter), u.Quantity(a, u.meter / u.second), u.Quantity(a, u.second))
    plain = (a, a, a)
    same = program(with_units, *q) == program(raw, *plain)
    print(f"lowered programs identical: {same}")
    fq, fr = jax.jit(with_units), jax.jit(raw)
    fq(*q).mantissa.block_until_ready()
    fr(*plain).block_until_ready()
    for name, call in (
        ("units", lambda: fq(*q).mantissa.block_until_ready()),
        ("raw  ", lambda: fr(*plain).block_until_ready()),
    ):
        best = min(timeit.repeat(call, number=200, repeat=5)) / 200
        print(f"jit {name} n={n}: {best * 1e6:8.1f} us per call")


if __name__ == "__main__":
    main()
