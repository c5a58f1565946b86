"""Parameters of the reference that the spec-driven cases cannot express: the one-argument
`where`, `out`, jax-only option objects, a plain `initial`."""

from __future__ import annotations

import numpy as np
import pytest

import polyunit as u
from tests.behaviour.opcases import EAGER, HAS, X, to_backend, to_numpy

BACKENDS = [b for b in EAGER if HAS[b]]


@pytest.mark.parametrize("backend", BACKENDS)
def test_where_alone_gives_indices_cut_or_padded_to_size(backend: str) -> None:
    cond = to_backend(X > 0.5, backend)
    found = u.math.where(cond)
    expected = np.nonzero(X > 0.5)
    assert len(found) == 2
    for got, ref in zip(found, expected, strict=True):
        np.testing.assert_array_equal(to_numpy(got), ref)
    padded = u.math.where(cond, size=8, fill_value=-1)
    for got, ref in zip(padded, expected, strict=True):
        np.testing.assert_array_equal(to_numpy(got), np.concatenate([ref, [-1, -1]]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_outer_takes_no_out_buffer(backend: str) -> None:
    a = u.Quantity(to_backend(X[0], backend), unit=u.meter)
    assert u.math.outer(a, a, out=None).unit == u.meter**2
    with pytest.raises(TypeError, match="does not write into `out`"):
        u.math.outer(a, a, out=np.empty((4, 4)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_initial_is_in_the_unit_of_the_input(backend: str) -> None:
    x = u.Quantity(to_backend(X, backend), unit=u.meter)
    r = u.math.max(x, initial=u.Quantity(200.0, unit=u.cmeter))
    assert r.unit == u.meter and float(to_numpy(r.mantissa)) == 2.0
    plain = u.math.sum(to_backend(X, backend), initial=1.0)
    np.testing.assert_allclose(to_numpy(plain), X.sum() + 1.0)
    with pytest.raises(u.DimensionMismatchError):
        u.math.sum(x, initial=1.0)  # a plain number is no length


@pytest.mark.skipif(not HAS["jax"], reason="jax is not installed")
def test_svd_algorithm_is_jax_only() -> None:
    import jax

    m = X[:, :3] + np.eye(3)
    algorithm = jax.lax.linalg.SvdAlgorithm.QR
    s = u.linalg.svd(u.Quantity(to_backend(m, "jax"), unit=u.meter), algorithm=algorithm)[1]
    np.testing.assert_allclose(to_numpy(s.mantissa), np.linalg.svd(m)[1], rtol=1e-6)
    with pytest.raises(u.BackendError, match="jax.lax.linalg.svd algorithm"):
        u.linalg.svd(u.Quantity(m, unit=u.meter), algorithm=algorithm)
