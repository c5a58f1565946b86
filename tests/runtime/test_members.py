"""Quantity, Unit and Dimension members beyond the ops: views, copies, casts, `.at[...]`
updates, scatter methods and the reference library's aliases, on numpy, jax and torch."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

import polyunit as u

BACKENDS = ["numpy", "jax", "torch"]


def arr(values: Any, backend: str) -> Any:
    a = np.asarray(values, dtype=np.float64)
    if backend == "jax":
        jnp = pytest.importorskip("jax.numpy")
        return jnp.asarray(a, dtype=jnp.float32)
    if backend == "torch":
        torch = pytest.importorskip("torch")
        return torch.as_tensor(a)
    return a


def values(q: Any) -> np.ndarray:
    m = q.mantissa if isinstance(q, u.Quantity) else q
    if hasattr(m, "detach"):
        m = m.detach().cpu().numpy()
    return np.asarray(m)


M = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def q_of(backend: str, data: Any = M, unit: u.Unit = u.meter) -> u.Quantity[Any]:
    return u.Quantity(arr(data, backend), unit)


def test_transposes_keep_unit_and_backend(backend: str) -> None:
    q = q_of(backend)
    for got in (q.T, q.mT):
        assert got.unit == u.meter and got.backend == backend
        np.testing.assert_allclose(values(got), M.T)


def test_real_imag_flat_unsqueeze_expand_as(backend: str) -> None:
    q = q_of(backend)
    np.testing.assert_allclose(values(q.real), M)
    assert q.flat.shape == (6,) and q.flat.unit == u.meter
    assert q.unsqueeze(0).shape == (1, 2, 3)
    row = q_of(backend, M[0])
    assert row.expand_as(q).shape == (2, 3)
    np.testing.assert_allclose(values(row.expand_as(q)), np.broadcast_to(M[0], (2, 3)))


def test_resize_repeats_elements(backend: str) -> None:
    q = q_of(backend)
    got = q.resize((3, 3))
    assert got.unit == u.meter
    np.testing.assert_allclose(values(got), np.resize(M, (3, 3)))


def test_view_reshapes(backend: str) -> None:
    q = q_of(backend)
    assert q.view(3, 2).shape == (3, 2)
    assert q.view((6,)).shape == (6,)


def test_copy_is_independent(backend: str) -> None:
    q = q_of(backend)
    for c in (q.copy(), q.clone(), copy.deepcopy(q)):
        assert c.unit == u.meter and c.backend == backend
        assert c.mantissa is not q.mantissa
        np.testing.assert_allclose(values(c), M)
    if backend == "numpy":
        c = q.copy()
        c.mantissa[0, 0] = 99.0
        assert q.mantissa[0, 0] == 1.0


def test_casts(backend: str) -> None:
    q = q_of(backend)
    assert "16" in str(q.half().dtype)
    assert "32" in str(q.float().dtype)
    if backend != "jax":  # jax without x64 keeps float32
        assert "64" in str(q.double().dtype)
    assert q.half().unit == u.meter


def test_sizes(backend: str) -> None:
    q = q_of(backend)
    assert q.itemsize == (4 if backend == "jax" else 8)
    assert q.nbytes == 6 * q.itemsize
    if backend != "jax":
        assert q.strides == (3 * q.itemsize, q.itemsize)


def test_predicates(backend: str) -> None:
    q = q_of(backend, [1.0, np.inf, np.nan])
    assert values(q.isfinite).tolist() == [True, False, False]
    assert values(q.isinf).tolist() == [False, True, False]
    assert values(q.isinfinite).tolist() == [False, True, False]
    assert values(q.isnan).tolist() == [False, False, True]
    assert values(q.isreal).tolist() == [True, True, True]
    assert not q.isscalar and q_of(backend, 3.0).isscalar
    assert q.has_same_unit(2 * u.meter) and not q.has_same_unit(2 * u.cmeter)
    assert q.has_same_unit(u.meter)


def test_item_and_text(backend: str) -> None:
    q = q_of(backend)
    one = q.item(4)
    assert isinstance(one.mantissa, float) and one.mantissa == 5.0 and one.unit == u.meter
    assert q_of(backend, [1.23456]).repr_in_unit(2) == "[1.23] m"


def test_at_updates_are_functional(backend: str) -> None:
    q = q_of(backend, [1.0, 2.0, 3.0])
    got = q.at[1].set(50 * u.cmeter)
    np.testing.assert_allclose(values(got), [1.0, 0.5, 3.0])
    np.testing.assert_allclose(values(q), [1.0, 2.0, 3.0])  # unchanged
    np.testing.assert_allclose(values(q.at[0].add(1 * u.meter)), [2.0, 2.0, 3.0])
    np.testing.assert_allclose(values(q.at[2].multiply(2)), [1.0, 2.0, 6.0])
    np.testing.assert_allclose(values(q.at[2].mul(2)), [1.0, 2.0, 6.0])
    np.testing.assert_allclose(values(q.at[2].divide(2)), [1.0, 2.0, 1.5])
    np.testing.assert_allclose(values(q.at[0].min(50 * u.cmeter)), [0.5, 2.0, 3.0])
    np.testing.assert_allclose(values(q.at[0].max(5 * u.meter)), [5.0, 2.0, 3.0])
    np.testing.assert_allclose(values(q.at[1].get()), 2.0)
    np.testing.assert_allclose(values(q.at[1].apply(lambda m: m * 10)), [1.0, 20.0, 3.0])
    assert q.at[1].set(3 * u.meter).unit == u.meter


def test_at_checks_units(backend: str) -> None:
    q = q_of(backend, [1.0, 2.0, 3.0])
    with pytest.raises(u.DimensionMismatchError, match="dimension"):
        q.at[0].set(1 * u.second)
    with pytest.raises(u.DimensionMismatchError, match="dimensionless"):
        q.at[0].multiply(2 * u.meter)
    with pytest.raises(u.DimensionMismatchError, match="q \\*\\* n"):
        q.at[0].power(2)
    ratio = u.Quantity(arr([1.0, 2.0], backend), u.meter / u.cmeter)
    np.testing.assert_allclose(values(ratio.at[1].power(2)), [1.0, 4.0])


def test_scatter_methods(backend: str) -> None:
    q = q_of(backend, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(values(q.scatter_add(0, 1 * u.meter)), [2.0, 2.0, 3.0])
    np.testing.assert_allclose(values(q.scatter_sub(0, 100 * u.cmeter)), [0.0, 2.0, 3.0])
    np.testing.assert_allclose(values(q.scatter_mul(1, 3)), [1.0, 6.0, 3.0])
    np.testing.assert_allclose(values(q.scatter_div(1, 2)), [1.0, 1.0, 3.0])
    np.testing.assert_allclose(values(q.scatter_min(2, 1 * u.meter)), [1.0, 2.0, 1.0])
    np.testing.assert_allclose(values(q.scatter_max(2, 4 * u.meter)), [1.0, 2.0, 4.0])


def test_repeated_indices_accumulate_on_add() -> None:
    q = u.Quantity(np.zeros(3), u.meter)
    got = q.at[np.array([0, 0, 2])].add(1 * u.meter)
    np.testing.assert_allclose(values(got), [2.0, 0.0, 1.0])


def test_in_place_style_members(backend: str) -> None:
    q = q_of(backend, [1.0, 2.0, 3.0])
    q.fill(20 * u.cmeter)
    np.testing.assert_allclose(values(q), [0.2, 0.2, 0.2])
    q.put([0, 2], 1 * u.meter)
    np.testing.assert_allclose(values(q), [1.0, 0.2, 1.0])
    new = arr([7.0], backend)
    assert q.update_mantissa(new).mantissa is new
    with pytest.raises(u.DimensionMismatchError):
        q.fill(1 * u.second)


def test_pow_with_unit_round() -> None:
    q = u.Quantity(np.array([2.0, 3.0]), u.meter)
    assert q.pow(2).unit == u.meter**2
    w = u.Quantity.with_unit(np.array([1.0]), u.second)
    assert isinstance(w, u.Quantity) and w.unit == u.second
    r = round(u.Quantity(np.array([1.26]), u.meter), 1)
    np.testing.assert_allclose(values(r), [1.3])


def test_factorless() -> None:
    q = u.Quantity(np.array([1.0]), u.inch)
    plain = q.factorless()
    assert plain.unit.factor == 1 and plain.unit.dim is u.meter.dim
    np.testing.assert_allclose(values(plain) * plain.unit.magnitude, 0.0254)
    m = u.Quantity(np.array([1.0]), u.meter)
    assert m.factorless() is m


def test_unit_members() -> None:
    assert u.mvolt.magnitude == pytest.approx(1e-3)
    assert u.meter.base == 10.0
    assert u.meter.copy() is u.meter and copy.deepcopy(u.meter) is u.meter
    assert u.second.reverse() == u.second**-1
    assert u.meter.has_same_magnitude(u.second) and not u.meter.has_same_magnitude(u.cmeter)
    assert u.meter.has_same_base(u.second)
    assert u.UNITLESS.should_display_unit is False and u.meter.should_display_unit
    km = u.Unit.create_scaled_unit(u.meter, "k")
    assert km == u.kmeter
    with pytest.raises(ValueError, match="unknown SI prefix"):
        u.Unit.create_scaled_unit(u.meter, "q")
    assert u.inch.factorless().factor == 1
    assert abs(u.meter) is u.meter
    with pytest.raises(TypeError, match="make quantities first"):
        u.meter + u.meter  # noqa: B018


def test_dimension_members() -> None:
    d = u.meter.dim
    assert d.dim is d and d.hash == hash(d)
    assert copy.deepcopy(d) is d and copy.copy(d) is d
