"""polyunit.math part 1 beyond the spec-driven cases: the composite functions (variadic, nested,
pytrees), dask and ndonnx results, and unit rules that depend on arguments (prod's count,
trapezoid's dx, interp without a period, histogram edges)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np
import pytest

import polyunit as u
from polyunit.backend import backend_of
from polyunit.convert import to_numpy_array
from tests.behaviour.opcases import HAS, to_backend

m, s, cm = u.meter, u.second, u.cmeter
X = np.array([[0.31, 0.72, 0.15, 0.58], [0.94, 0.23, 0.47, 0.66], [0.12, 0.85, 0.39, 0.51]])
V = np.array([0.1, 0.2, 0.3, 0.4])
ALL = [b for b in ("numpy", "jax", "torch", "dask", "ndonnx") if HAS[b]]


def q(values: Any, unit: Any, backend: str = "numpy") -> Any:
    return u.Quantity(to_backend(np.asarray(values), backend), unit=unit)


def values_of(r: Any) -> Any:
    return to_numpy_array(r.mantissa if isinstance(r, u.Quantity) else r)


def check(r: Any, ref: Any, unit: Any, backend: str) -> None:
    assert backend_of(r) == backend, f"result on {backend_of(r)}, expected {backend}"
    if unit is None:
        assert not isinstance(r, u.Quantity), r
    else:
        assert isinstance(r, u.Quantity) and r.unit == unit, r
    np.testing.assert_allclose(values_of(r), ref, rtol=1e-6)


# -- composite functions ----------------------------------------------------------------------
@pytest.mark.parametrize("backend", ALL)
def test_asarray_aligns_to_the_first_unit(backend: str) -> None:
    r = u.math.asarray([q(V, m, backend), q(V * 100, cm, backend)])
    check(r, np.stack([V, V]), m, backend)
    with pytest.raises(u.DimensionMismatchError):
        u.math.asarray([q(V, m, backend), q(V, s, backend)])


def test_asarray_reads_plain_data_in_the_given_unit() -> None:
    r = u.math.array([[1.0, 2.0], [3.0, 4.0]], unit=s)
    assert r.unit == s and values_of(r).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert u.math.asarray(q(V, cm), unit=m).unit == m
    np.testing.assert_allclose(values_of(u.math.asarray(q(V, cm), unit=m)), V / 100)
    with pytest.raises(u.DimensionMismatchError):
        u.math.asarray([q(V, m), V])  # a plain array beside metres counts as dimensionless
    with pytest.raises(TypeError, match="not a dict"):
        u.math.asarray({"a": q(V, m)})
    with pytest.raises(TypeError, match="polyunit Unit"):
        u.math.asarray(V, unit="m")


def test_from_numpy_and_as_numpy() -> None:
    with u.using_backend("torch" if HAS["torch"] else "numpy"):
        r = u.math.from_numpy(V, unit=m)
    assert r.unit == m and backend_of(r) == ("torch" if HAS["torch"] else "numpy")
    back = u.math.as_numpy(r)
    assert back.unit == m and isinstance(back.mantissa, np.ndarray)
    assert isinstance(u.math.as_numpy(to_backend(V, "jax")), np.ndarray)
    assert isinstance(u.math.from_numpy(V), np.ndarray) or backend_of(u.math.from_numpy(V))


@pytest.mark.parametrize("backend", ALL)
def test_tree_like_keeps_units_and_structure(backend: str) -> None:
    Pair = namedtuple("Pair", "a b")
    tree = {"w": q(X, m, backend), "b": [Pair(q(V, s, backend), to_backend(V, backend))]}
    ones = u.math.tree_ones_like(tree)
    zeros = u.math.tree_zeros_like(tree)
    assert isinstance(ones["b"][0], Pair)
    check(ones["w"], np.ones_like(X), m, backend)
    check(zeros["b"][0].a, np.zeros_like(V), s, backend)
    check(zeros["b"][0].b, np.zeros_like(V), None, backend)


@pytest.mark.parametrize("backend", ALL)
@pytest.mark.parametrize("indexing", ["xy", "ij"])
def test_meshgrid_keeps_each_unit(backend: str, indexing: str) -> None:
    t = np.array([1.0, 2.0])
    gx, gt = u.math.meshgrid(q(V, m, backend), q(t, s, backend), indexing=indexing)
    rx, rt = np.meshgrid(V, t, indexing=indexing)
    check(gx, rx, m, backend)
    check(gt, rt, s, backend)
    sx, st = u.math.meshgrid(q(V, m, backend), q(t, s, backend), sparse=True, indexing=indexing)
    assert sx.shape == np.meshgrid(V, t, sparse=True, indexing=indexing)[0].shape
    with pytest.raises(ValueError, match="indexing"):
        u.math.meshgrid(q(V, m), indexing="yx")


@pytest.mark.parametrize("backend", ALL)
def test_atleast_and_broadcast_arrays(backend: str) -> None:
    a, b = u.math.atleast_2d(q(V, m, backend), q(np.asarray(2.0), s, backend))
    check(a, np.atleast_2d(V), m, backend)
    check(b, np.atleast_2d(2.0), s, backend)
    check(u.math.atleast_3d(q(X, m, backend)), np.atleast_3d(X), m, backend)
    check(u.math.atleast_3d(q(V, m, backend)), np.atleast_3d(V), m, backend)
    check(u.math.atleast_1d(q(np.asarray(3.0), m, backend)), [3.0], m, backend)
    p, r = u.math.broadcast_arrays(q(V, m, backend), q([[1.0], [2.0]], s, backend))
    check(p, np.broadcast_to(V, (2, 4)), m, backend)
    check(r, np.broadcast_to([[1.0], [2.0]], (2, 4)), s, backend)


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_promote_dtypes(backend: str) -> None:
    ints = q(np.array([1, 2]), m, backend)
    floats = to_backend(np.array([0.5, 1.5]), backend)
    a, b = u.math.promote_dtypes(ints, floats)
    assert a.unit == m and not isinstance(b, u.Quantity)
    assert values_of(a).dtype == values_of(b).dtype == np.float64


@pytest.mark.parametrize("backend", ALL)
def test_block_assembles_and_aligns(backend: str) -> None:
    A = q(np.eye(2), m, backend)
    B = q(np.ones((2, 1)) * 100, cm, backend)
    r = u.math.block([[A, B], [q(np.zeros((1, 3)), m, backend)]])
    check(r, np.block([[np.eye(2), np.ones((2, 1))], [np.zeros((1, 3))]]), m, backend)
    with pytest.raises(u.DimensionMismatchError):
        u.math.block([A, q(np.ones(2), s, backend)])
    with pytest.raises(ValueError, match="deep"):
        u.math.block([[A], A])


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch", "dask"])
def test_select(backend: str) -> None:
    x = to_backend(V, backend)
    conds = [x < 0.2, x > 0.3]
    r = u.math.select(conds, [q(V, m, backend), q(-V * 100, cm, backend)])
    check(r, np.select([V < 0.2, V > 0.3], [V, -V]), m, backend)
    r = u.math.select(conds, [q(V, m, backend), q(-V, m, backend)], default=q(5.0, m, backend))
    check(r, np.select([V < 0.2, V > 0.3], [V, -V], 5.0), m, backend)
    with pytest.raises(u.DimensionMismatchError):
        u.math.select(conds, [q(V, m, backend), q(V, m, backend)], default=1.0)
    with pytest.raises(ValueError, match="one choice per condition"):
        u.math.select(conds, [q(V, m, backend)])


def test_tril_and_triu_indices_use_the_default_backend() -> None:
    with u.using_backend("numpy"):
        rows, cols = u.math.tril_indices(3, k=-1, m=4)
        ref = np.tril_indices(3, k=-1, m=4)
        assert rows.tolist() == ref[0].tolist() and cols.tolist() == ref[1].tolist()
        rows, cols = u.math.triu_indices(3)
        assert rows.tolist() == np.triu_indices(3)[0].tolist()


def test_math_all_lists_the_composite_functions() -> None:
    for name in ("asarray", "meshgrid", "block", "select", "tree_ones_like", "atleast_3d"):
        assert name in u.math.__all__ and callable(getattr(u.math, name))


# -- unit rules that depend on arguments --------------------------------------------------------
def test_prod_unit_counts_the_multiplied_elements() -> None:
    x = q(X, m)
    assert u.math.prod(x).unit == m**12
    assert u.math.prod(x, axis=0).unit == m**3
    assert x.prod(axis=(0, 1), keepdims=True).unit == m**12
    mask = np.array([True, False, True, True])
    assert u.math.prod(x, axis=1, where=mask).unit == m**3
    with pytest.raises(ValueError, match="different number of elements"):
        u.math.prod(x, axis=0, where=mask)
    with pytest.raises(u.DimensionMismatchError, match="initial"):
        u.math.prod(x, initial=q(2.0, m))
    # a dimensionless scale is folded in before multiplying: (1 m/cm) ** 2 = 10000
    np.testing.assert_allclose(u.math.prod(q([1.0, 1.0], m / cm)), 1e4)


def test_nanprod_counts_non_nan_elements() -> None:
    x = q(np.array([[1.0, np.nan], [np.nan, 3.0]]), m)
    r = x.nanprod(axis=0)
    assert r.unit == m and values_of(r).tolist() == [1.0, 3.0]
    with pytest.raises(ValueError, match="different number"):
        u.math.nanprod(q(np.array([[1.0, np.nan], [2.0, 3.0]]), m), axis=0)


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch", "dask", "ndonnx"])
def test_trapezoid_with_spacing(backend: str) -> None:
    if not HAS[backend]:
        pytest.skip(f"{backend} is not installed")
    r = u.math.trapezoid(q(V, m, backend), dx=q(2.0, s, backend))
    check(r, np.trapezoid(V, dx=2.0), m * s, backend)
    r = u.math.trapezoid(q(V, m, backend), x=q([0.0, 1.0, 3.0, 4.0], s, backend))
    check(r, np.trapezoid(V, [0.0, 1.0, 3.0, 4.0]), m * s, backend)


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch", "dask", "ndonnx"])
def test_interp_without_period(backend: str) -> None:
    if not HAS[backend]:
        pytest.skip(f"{backend} is not installed")
    x = q([-0.5, 5.0, 15.0, 150.0], cm, backend)
    xp, fp = q([0.0, 0.1, 1.0], m, backend), q([1.0, 3.0, 2.0], s, backend)
    ref = np.interp([-0.005, 0.05, 0.15, 1.5], [0.0, 0.1, 1.0], [1.0, 3.0, 2.0])
    check(u.math.interp(x, xp, fp), ref, s, backend)
    ref = np.interp([-0.005, 0.05, 0.15, 1.5], [0.0, 0.1, 1.0], [1.0, 3.0, 2.0], 0.0, 9.0)
    check(u.math.interp(x, xp, fp, q(0.0, s, backend), q(9.0, s, backend)), ref, s, backend)
    with pytest.raises(u.DimensionMismatchError):
        u.math.interp(x, xp, fp, left=q(0.0, m, backend))


def test_histogram_edges_carry_the_unit() -> None:
    counts, edges = u.math.histogram(q(V, m), bins=q([0.0, 25.0, 50.0], cm))
    assert not isinstance(counts, u.Quantity) and counts.tolist() == [2, 2]
    assert edges.unit == m and values_of(edges).tolist() == [0.0, 0.25, 0.5]  # in x's unit
    with pytest.raises(u.DimensionMismatchError):
        u.math.histogram(q(V, m), range=q([0.0, 1.0], s))


def test_divmod_and_copysign_rules() -> None:
    quot, rem = u.math.divmod(q([7.0, 9.0], m), q([50.0, 200.0], cm))
    assert values_of(quot).tolist() == [14.0, 4.0] and rem.unit == m
    with pytest.raises(u.DimensionMismatchError):
        u.math.divmod(q([7.0], m), q([2.0], s))
    r = u.math.copysign(q([1.0, 2.0], m), q([-3.0, 4.0], s))
    assert r.unit == m and values_of(r).tolist() == [-1.0, 2.0]


def test_vander_needs_a_dimensionless_input() -> None:
    with pytest.raises(u.DimensionMismatchError):
        u.math.vander(q(V, m))
    assert u.math.vander(V, N=2, unit=s).unit == s


def test_quantity_methods_of_part_1() -> None:
    x = q(np.arange(24.0).reshape(2, 3, 4), m)
    assert x.flatten(start_axis=1).shape == (2, 12)
    pieces = x.split(2, axis=2)
    assert len(pieces) == 2 and pieces[0].unit == m
    assert x.prod(axis=2).unit == m**4


# -- dask stays lazy, ndonnx computes ----------------------------------------------------------
LAZY = [
    ("concatenate", lambda b: ([q(V, m, b), q(V * 100, cm, b)],), np.concatenate([V, V]), m),
    ("split", lambda b: (q(X, m, b), 3), None, m),
    ("array_split", lambda b: (q(V, m, b), 3), None, m),
    ("column_stack", lambda b: ([q(V, m, b), q(V, m, b)],), np.column_stack([V, V]), m),
    ("dstack", lambda b: ([q(X, m, b), q(X, m, b)],), np.dstack([X, X]), m),
    ("convolve", lambda b: (q(V, m, b), q([1.0, 0.5], s, b)), np.convolve(V, [1, 0.5]), m * s),
    ("multi_dot", lambda b: ([q(X, m, b), q(X.T, s, b), q(X, m, b)],), X @ X.T @ X, m * m * s),
    ("prod", lambda b: (q(X, m, b),), np.prod(X), m**12),
    ("fill_diagonal", lambda b: (q(X, m, b), q(0.5, m, b)), None, m),
    ("gather", lambda b: (q(X, m, b), 1, to_backend(np.array([[0], [3], [1]]), b)), None, m),
    ("nan_to_num", lambda b: (q([np.nan, 1.0], m, b),), [0.0, 1.0], m),
    ("unique", lambda b: (q([0.5, 0.25, 0.5], m, b),), [0.25, 0.5], m),
    (
        "choose",
        lambda b: (to_backend(np.array([0, 1, 0, 1]), b), [q(V, m, b), q(-V, m, b)]),
        None,
        m,
    ),
    ("remove_diag", lambda b: (q(X[:, :3], m, b),), None, m),
    ("tril_indices_from", lambda b: (q(X, m, b),), None, None),
    ("histogram", lambda b: (q(X, m, b), 3, q([0.0, 100.0], cm, b)), None, None),
]


@pytest.mark.parametrize("backend", [b for b in ("dask", "ndonnx") if HAS[b]])
@pytest.mark.parametrize(("op", "args", "ref", "unit"), LAZY, ids=[c[0] for c in LAZY])
def test_on_dask_and_ndonnx(op: str, args: Any, ref: Any, unit: Any, backend: str) -> None:
    result = getattr(u.math, op)(*args(backend))
    with u.using_backend("numpy"):
        expected = getattr(u.math, op)(*args("numpy")) if ref is None else None
    parts = result if isinstance(result, list | tuple) else [result]
    refs = (
        expected
        if isinstance(expected, list | tuple)
        else [expected if ref is None else np.asarray(ref)]
    )
    assert len(parts) == len(refs)
    for part, r in zip(parts, refs, strict=True):
        part_unit = r.unit if isinstance(r, u.Quantity) else unit
        check(part, values_of(r) if ref is None else r, part_unit, backend)
