"""polyunit.sparse: CSR, CSC and COO matrices with units on jax, checked against dense numpy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

import polyunit as u

jax = pytest.importorskip("jax")
jnp = jax.numpy
sp = u.sparse

m, cm, s, mV, V = u.meter, u.cmeter, u.second, u.mV, u.volt
M = np.array([[1.5, 0.0, 2.0, 0.0], [0.0, 0.0, 3.25, 0.0], [4.0, 0.0, 0.0, -0.5]])
N = np.array([[0.0, 7.0, 2.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 9.0]])
FORMATS = ("csr", "csc", "coo")
CLASSES = {"csr": "CSR", "csc": "CSC", "coo": "COO"}


@pytest.fixture(autouse=True)
def _x64() -> Iterator[None]:
    with jax.enable_x64(True):
        yield


def Q(a: Any, unit: Any) -> Any:
    return u.Quantity(jnp.asarray(a), unit=unit)


def fromdense(fmt: str, mat: Any, **kw: Any) -> Any:
    return getattr(sp, f"{fmt}_fromdense")(mat, **kw)


def dense_of(x: Any, unit: Any) -> np.ndarray:
    assert isinstance(x, u.Quantity), f"expected a Quantity in {unit}, got {type(x).__name__}"
    assert x.unit == unit, f"unit {x.unit}, expected {unit}"
    assert x.backend == "jax"
    return np.asarray(x.mantissa)


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_keeps_unit_and_values(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    assert type(a).__name__ == CLASSES[fmt]
    assert isinstance(a, sp.SparseMatrix)
    assert a.shape == (3, 4) and a.nse == 5 and a.unit == m
    np.testing.assert_array_equal(dense_of(getattr(sp, f"{fmt}_todense")(a), m), M)
    np.testing.assert_array_equal(dense_of(a.todense(), m), M)
    data = a.data
    assert data.unit == m
    np.testing.assert_array_equal(np.sort(np.asarray(data.mantissa)), np.sort(M[M != 0]))


@pytest.mark.parametrize("fmt", FORMATS)
def test_plain_matrix_stays_plain(fmt: str) -> None:
    a = fromdense(fmt, jnp.asarray(M))
    assert a.unit is None
    d = a.todense()
    assert not isinstance(d, u.Quantity)
    np.testing.assert_array_equal(np.asarray(d), M)


@pytest.mark.parametrize("fmt", FORMATS)
def test_nse_padding(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m), nse=8)
    assert a.nse == 8
    np.testing.assert_array_equal(dense_of(a.todense(), m), M)


@pytest.mark.parametrize("fmt", FORMATS)
def test_matmul_with_dense_multiplies_units(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    v = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_allclose(dense_of(a @ Q(v, s), m * s), M @ v, rtol=1e-12)
    mat = np.arange(8.0).reshape(4, 2)
    np.testing.assert_allclose(dense_of(a @ Q(mat, s), m * s), M @ mat, rtol=1e-12)
    w = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(dense_of(Q(w, s) @ a, s * m), w @ M, rtol=1e-12)
    # a plain right operand keeps the matrix's unit
    np.testing.assert_allclose(dense_of(a @ jnp.asarray(v), m), M @ v, rtol=1e-12)


@pytest.mark.parametrize("fmt", FORMATS)
def test_matmul_dimensionless_outcome_is_plain(fmt: str) -> None:
    a = fromdense(fmt, Q(M, mV))
    r = a @ Q(np.ones(4), V**-1)
    assert not isinstance(r, u.Quantity)
    np.testing.assert_allclose(np.asarray(r), M.sum(axis=1) * 1e-3, rtol=1e-12)


@pytest.mark.parametrize("fmt", FORMATS)
def test_scaling_unit_algebra(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    np.testing.assert_array_equal(dense_of((a * 2.0).todense(), m), 2 * M)
    np.testing.assert_array_equal(dense_of((3.0 * a).todense(), m), 3 * M)
    np.testing.assert_array_equal(dense_of((a * Q(2.0, s)).todense(), m * s), 2 * M)
    np.testing.assert_array_equal(dense_of((a / Q(4.0, s)).todense(), m / s), M / 4)
    np.testing.assert_array_equal(dense_of((a * s).todense(), m * s), M)
    np.testing.assert_array_equal(dense_of((-a).todense(), m), -M)
    plain = a / cm  # m / cm: dimensionless, scale 100 folded in
    assert plain.unit is None
    np.testing.assert_allclose(np.asarray(plain.todense()), M * 100, rtol=1e-12)
    with pytest.raises(ValueError, match="scalar only"):
        a * Q(np.ones(4), s)


@pytest.mark.parametrize("fmt", FORMATS)
def test_add_sparse_converts_units(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    b = fromdense(fmt, Q(N * 100, cm))
    total = a + b
    assert type(total) is type(a) and total.unit == m
    np.testing.assert_allclose(dense_of(total.todense(), m), M + N, rtol=1e-12)
    diff = a - b
    assert type(diff) is type(a)
    np.testing.assert_allclose(dense_of(diff.todense(), m), M - N, rtol=1e-12)
    # overlapping entries add up
    np.testing.assert_allclose(dense_of((a + a).todense(), m), 2 * M, rtol=1e-12)


@pytest.mark.parametrize("fmt", FORMATS)
def test_add_dense_gives_dense(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    np.testing.assert_allclose(dense_of(a + Q(N * 100, cm), m), M + N, rtol=1e-12)
    np.testing.assert_allclose(dense_of(a - Q(N * 100, cm), m), M - N, rtol=1e-12)


@pytest.mark.parametrize("fmt", FORMATS)
def test_add_other_dimension_raises(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    with pytest.raises(u.DimensionMismatchError, match="sparse matrix in m"):
        a + fromdense(fmt, Q(N, s))
    with pytest.raises(u.DimensionMismatchError):
        a - Q(N, s)


def test_mixed_formats_add() -> None:
    a = sp.csr_fromdense(Q(M, m))
    b = sp.coo_fromdense(Q(N, m))
    r = a + b
    assert isinstance(r, sp.CSR)
    np.testing.assert_allclose(dense_of(r.todense(), m), M + N, rtol=1e-12)


@pytest.mark.parametrize("fmt", FORMATS)
def test_transpose_sum_with_data(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    np.testing.assert_array_equal(dense_of(a.T.todense(), m), M.T)
    np.testing.assert_allclose(dense_of(a.sum(), m), M.sum(), rtol=1e-12)
    b = a.with_data(Q(np.arange(5.0), s))
    assert b.unit == s and b.nse == 5
    assert b.todense().shape == (3, 4)
    with pytest.raises(ValueError, match="one value per stored element"):
        a.with_data(Q(np.arange(3.0), s))


def test_constructors_from_arrays() -> None:
    # [[1, 0, 2], [0, 3, 0]]
    csr = sp.CSR((Q([1.0, 2.0, 3.0], m), np.array([0, 2, 1]), np.array([0, 2, 3])), shape=(2, 3))
    want = np.array([[1.0, 0.0, 2.0], [0.0, 3.0, 0.0]])
    np.testing.assert_array_equal(dense_of(sp.csr_todense(csr), m), want)
    csc = sp.CSC((Q([1.0, 3.0, 2.0], m), np.array([0, 1, 0]), np.array([0, 1, 2, 3])), shape=(2, 3))
    np.testing.assert_array_equal(dense_of(sp.csc_todense(csc), m), want)
    coo = sp.COO((Q([1.0, 2.0, 3.0], m), np.array([0, 0, 1]), np.array([0, 2, 1])), shape=(2, 3))
    np.testing.assert_array_equal(dense_of(sp.coo_todense(coo), m), want)
    assert isinstance(sp.CSR.fromdense(Q(want, s)), sp.CSR)
    assert isinstance(sp.CSC.fromdense(Q(want, s)), sp.CSC)
    assert isinstance(sp.COO.fromdense(Q(want, s)), sp.COO)


def test_todense_checks_format() -> None:
    with pytest.raises(TypeError, match="csr_todense needs a polyunit.sparse.CSR"):
        sp.csr_todense(sp.coo_fromdense(Q(M, m)))
    with pytest.raises(ValueError, match="2-d matrix"):
        sp.csr_fromdense(Q(M[0], m))


@pytest.mark.parametrize("fmt", FORMATS)
def test_non_jax_quantity_raises_with_fix(fmt: str) -> None:
    q = u.Quantity(M, unit=m)  # numpy-backed
    with pytest.raises(u.BackendError, match=r"numpy-backed\. Call \.to_jax\(\)"):
        fromdense(fmt, q)
    a = fromdense(fmt, Q(M, m))
    with pytest.raises(u.BackendError, match=r"\.to_jax\(\)"):
        a @ u.Quantity(np.ones(4), unit=s)


def test_torch_quantity_raises_with_fix() -> None:
    torch = pytest.importorskip("torch")
    q = u.Quantity(torch.tensor(M), unit=m)
    with pytest.raises(u.BackendError, match=r"torch-backed\. Call \.to_jax\(\)"):
        sp.csr_fromdense(q)


@pytest.mark.parametrize("fmt", FORMATS)
def test_sparse_matrices_are_pytrees_under_jit(fmt: str) -> None:
    a = fromdense(fmt, Q(M, m))
    v = np.array([1.0, 2.0, 3.0, 4.0])

    def f(mat: Any) -> Any:
        r = mat @ Q(v, s)
        assert r.unit == m * s  # units are static: known while tracing
        return r.mantissa

    np.testing.assert_allclose(np.asarray(jax.jit(f)(a)), M @ v, rtol=1e-12)
    leaves, tree = jax.tree_util.tree_flatten(a)
    back = jax.tree_util.tree_unflatten(tree, leaves)
    assert type(back) is type(a) and back.unit == m
