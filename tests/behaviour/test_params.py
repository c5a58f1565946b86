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


def _reductions_over_axes() -> list[str]:
    """Every op that reduces over `axis: Axis` (an int or a tuple of them) with `keepdims`."""
    from polyunit.backends.manifest import SIGNATURES

    return sorted(
        name
        for name, sig in SIGNATURES.items()
        if "axis: Axis" in sig and "keepdims:" in sig and "." not in name
    )


@pytest.mark.parametrize("backend", [b for b in ("jax", "torch", "dask", "ndonnx") if HAS[b]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_an_empty_axis_tuple_reduces_over_no_axis(backend: str, keepdims: bool) -> None:
    """numpy reduces over no axis for `axis=()` (each element alone: a sum is the element, a
    variance 0); torch reads `dim=()` as every axis, which must not leak through."""
    data = np.abs(X) + 0.5
    checked = 0
    for name in _reductions_over_axes():
        fn = getattr(u.math, name)
        args: dict[str, object] = {"axis": (), "keepdims": keepdims}
        is_bool = name in ("all", "alltrue", "any", "sometrue")
        values = data > 1.0 if is_bool else data
        try:
            want = fn(u.Quantity(values, unit=u.meter) if not is_bool else values, **args)
        except Exception:  # noqa: BLE001  (numpy itself refuses: nothing to compare)
            continue
        operand = to_backend(values, backend)
        got = fn(operand if is_bool else u.Quantity(operand, unit=u.meter), **args)
        want_m = np.asarray(getattr(want, "mantissa", want))
        got_m = to_numpy(getattr(got, "mantissa", got))
        assert got_m.shape == want_m.shape, (name, got_m.shape, want_m.shape)
        np.testing.assert_allclose(got_m, want_m, rtol=1e-6, err_msg=name)
        checked += 1
    assert checked >= 15, checked
