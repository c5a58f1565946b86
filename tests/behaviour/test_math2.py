"""polyunit.math part 2 beyond the spec-driven cases: the composed ops on dask and ndonnx
(the generic cases run numpy, jax and torch), and the hand-written functions
(runtime/helpers.py, arrayinfo.py, einops.py) on every backend."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest

import polyunit as u
import polyunit.math as pm
from tests.behaviour.opcases import HAS, SIGNED, SPECIAL, ZEROS, X, Y, to_numpy

ALL = [b for b in ("numpy", "jax", "torch", "dask", "ndonnx") if HAS[b]]
LAZY = [b for b in ("dask", "ndonnx") if HAS[b]]


def q(values: Any, backend: str, unit: Any = u.UNITLESS) -> Any:
    return getattr(u.Quantity(np.asarray(values), unit=unit), f"to_{backend}")()


def value(r: Any) -> Any:
    m = r.mantissa if isinstance(r, u.Quantity) else r
    if hasattr(m, "compute"):
        m = m.compute()
    if hasattr(m, "unwrap_numpy"):
        m = m.unwrap_numpy()
    return np.asarray(to_numpy(m))


def _lazy_ok(r: Any, backend: str) -> None:
    m = r.mantissa if isinstance(r, u.Quantity) else r
    if backend == "dask":
        assert hasattr(m, "compute"), f"dask result is not lazy: {type(m)}"


ACTIVATIONS = [
    "celu elu gelu hard_sigmoid hard_silu hard_swish hard_tanh leaky_relu log_sigmoid mish",
    "relu relu6 selu sigmoid silu soft_sign softplus sparse_plus sparse_sigmoid squareplus swish",
]


@pytest.mark.parametrize("backend", LAZY)
@pytest.mark.parametrize("name", " ".join(ACTIVATIONS).split())
def test_activation_composed(name: str, backend: str) -> None:
    ref = SPECIAL[name].ref
    assert ref is not None
    r = getattr(pm, name)(q(SIGNED, backend))
    _lazy_ok(r, backend)
    np.testing.assert_allclose(value(r), ref(SIGNED), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("backend", ALL)
def test_gelu_exact_and_glu(backend: str) -> None:
    x = np.linspace(-6.0, 6.0, 25)
    erf = np.vectorize(math.erf)
    exact = 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))
    rtol = 1e-5 if backend == "jax" else 1e-12
    np.testing.assert_allclose(
        value(pm.gelu(q(x, backend), approximate=False)), exact, rtol=rtol, atol=1e-7
    )
    g = pm.glu(q(X[:, :4], backend), axis=-1)
    np.testing.assert_allclose(value(g), X[:, :2] / (1 + np.exp(-X[:, 2:])), rtol=rtol)


def test_activation_units() -> None:
    x = u.Quantity(np.array([-2.0, 3.0]), unit=u.mV)
    r = pm.relu(x)
    assert r.unit == u.mV and value(r).tolist() == [0.0, 3.0]
    assert pm.leaky_relu(x, negative_slope=0.5).unit == u.mV
    with pytest.raises(u.DimensionMismatchError, match="unit_to_scale"):
        pm.sigmoid(x)
    np.testing.assert_allclose(
        value(pm.sigmoid(x, unit_to_scale=u.volt)), 1 / (1 + np.exp([0.002, -0.003]))
    )


@pytest.mark.parametrize("backend", LAZY)
def test_bitwise_composed(backend: str) -> None:
    a, b = np.array([3, 12, 7, 255]), np.array([1, 2, 3, 4])
    for name in ("bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"):
        np.testing.assert_array_equal(
            value(getattr(pm, name)(q(a, backend), q(b, backend))), getattr(np, name)(a, b)
        )
    np.testing.assert_array_equal(value(pm.invert(q(a, backend))), np.invert(a))
    np.testing.assert_array_equal(value(pm.bitwise_not(q(a, backend))), np.invert(a))


@pytest.mark.parametrize("backend", ALL)
def test_statistics(backend: str) -> None:
    m, y = X, Y[:2]
    rtol = 1e-5 if backend == "jax" else 1e-10
    c = pm.cov(q(m, backend, u.meter), q(y * 100, backend, u.cmeter))
    assert c.unit == u.meter**2
    np.testing.assert_allclose(value(c), np.cov(m, y), rtol=rtol)
    fw, aw = np.array([1, 2, 1, 3]), np.array([0.5, 1.0, 2.0, 1.5])
    c = pm.cov(q(m, backend), ddof=2, fweights=q(fw, backend), aweights=q(aw, backend))
    np.testing.assert_allclose(value(c), np.cov(m, ddof=2, fweights=fw, aweights=aw), rtol=rtol)
    c = pm.cov(q(m.T, backend), rowvar=False, bias=True)
    np.testing.assert_allclose(value(c), np.cov(m.T, rowvar=False, bias=True), rtol=rtol)
    np.testing.assert_allclose(
        value(pm.corrcoef(q(m, backend), q(y, backend))), np.corrcoef(m, y), rtol=rtol
    )
    a, v = X[0], Y[1, :3]
    for mode in ("valid", "same", "full"):
        for first, second in ((a, v), (v, a)):
            r = pm.correlate(q(first, backend, u.meter), q(second, backend, u.second), mode=mode)
            assert r.unit == u.meter * u.second
            np.testing.assert_allclose(value(r), np.correlate(first, second, mode), rtol=rtol)


def test_cov_needs_one_dimension() -> None:
    with pytest.raises(u.DimensionMismatchError, match="dimension of m"):
        pm.cov(u.Quantity(X, unit=u.meter), u.Quantity(Y, unit=u.second))


@pytest.mark.parametrize("backend", LAZY)
def test_unitless_and_logic_composed(backend: str) -> None:
    x = np.array([-3.0, -0.5, 0.0, 0.7, 5.0, 1e-30])
    mant, expo = pm.frexp(q(x, backend))
    np.testing.assert_array_equal(value(mant), np.frexp(x)[0])
    np.testing.assert_array_equal(value(expo), np.frexp(x)[1])
    np.testing.assert_allclose(
        value(pm.ldexp(q(x, backend), q(np.array([1, 2, 3, -1, 0, 4]), backend))),
        np.ldexp(x, [1, 2, 3, -1, 0, 4]),
    )
    np.testing.assert_allclose(
        value(pm.exprel(q(x, backend))), np.where(x == 0, 1, np.expm1(x) / np.where(x == 0, 1, x))
    )
    np.testing.assert_allclose(value(pm.angle(q(x, backend), deg=True)), np.angle(x, deg=True))
    s = np.array([-2.0, 0.0, 3.0, np.nan])
    np.testing.assert_array_equal(value(pm.heaviside(q(s, backend), 0.5)), np.heaviside(s, 0.5))
    y = X + 1e-9
    assert bool(value(pm.allclose(q(X, backend), q(y, backend))))
    np.testing.assert_array_equal(
        value(pm.isclose(q(X, backend), q(y + 1e-3 * (X > 0.5), backend))),
        np.isclose(X, y + 1e-3 * (X > 0.5)),
    )
    assert bool(value(pm.array_equal(q(X, backend), q(X, backend))))
    assert not bool(value(pm.array_equal(q(X, backend), q(X[:2], backend))))
    np.testing.assert_array_equal(value(pm.argwhere(q(ZEROS, backend))), np.argwhere(ZEROS))
    np.testing.assert_array_equal(value(pm.flatnonzero(q(ZEROS, backend))), np.flatnonzero(ZEROS))
    bins = np.array([0.0, 1.0, 2.5, 4.0, 10.0])
    v = np.array([0.2, 6.4, 3.0, 1.6, 1.0])
    for b, right in ((bins, False), (bins, True), (bins[::-1].copy(), False)):
        np.testing.assert_array_equal(
            value(pm.digitize(q(v, backend), q(b, backend), right=right)),
            np.digitize(v, b, right=right),
        )
    ix, w = np.array([0, 1, 1, 3, 2, 1, 7]), np.array([0.3, 0.5, 0.2, 0.7, 1.0, -0.6, 0.2])
    r = pm.bincount(q(ix, backend), q(w, backend, u.kilogram), length=9)
    assert r.unit == u.kilogram
    np.testing.assert_allclose(value(r), np.bincount(ix, w, minlength=9))


@pytest.mark.parametrize("minlength", [2, 10])  # below and above the largest value
def test_bincount_minlength_on_dask_stays_lazy(minlength: int) -> None:
    """dask's own bincount would cut the counts at minlength; polyunit's counts them all."""
    if not HAS["dask"]:
        pytest.skip("dask is not installed")
    import dask.array as da

    ix, w = np.array([0, 3, 3, 5]), np.array([0.5, 0.25, 1.0, 2.0])
    lazy_ix = da.from_array(ix, chunks=2)
    counts = pm.bincount(lazy_ix, minlength=minlength)
    sums = pm.bincount(lazy_ix, q(w, "dask", u.kilogram), minlength=minlength)
    assert isinstance(counts, da.Array) and isinstance(sums.mantissa, da.Array)
    assert sums.unit == u.kilogram
    np.testing.assert_array_equal(counts.compute(), np.bincount(ix, minlength=minlength))
    np.testing.assert_allclose(sums.mantissa.compute(), np.bincount(ix, w, minlength=minlength))


# -- runtime helpers -------------------------------------------------------------------------------
def test_unit_queries() -> None:
    x = u.Quantity(np.array([1.0, 2.0]), unit=u.mV)
    assert u.get_unit(x) == u.mV and u.get_unit(3.0) == u.UNITLESS and u.get_unit(u.mV) == u.mV
    assert u.get_dim(x) == u.volt.dim and u.get_dim(2) == u.DIMENSIONLESS
    assert u.get_mantissa(x) is x.mantissa and pm.get_magnitude(5) == 5
    assert u.is_dimensionless(u.mV / u.volt) and not u.is_unitless(u.mV / u.volt)
    assert u.is_unitless(2.0) and not u.is_dimensionless(x)
    np.testing.assert_allclose(u.maybe_decimal(x, u.volt), [0.001, 0.002])
    assert u.maybe_decimal(x) is x
    assert u.display_in_unit(x, u.volt) == "[0.001 0.002] V"
    assert u.display_in_unit(x * 1.23456, u.volt, precision=3) == "[0.00123 0.00247] V"
    assert pm.get_or_create_dimension(m=1, s=-1) == (u.meter / u.second).dim


def test_mismatch_helpers() -> None:
    x = u.Quantity(np.array([1.0]), unit=u.mV)
    assert u.fail_for_dimension_mismatch(x, u.volt) == (u.volt.dim, u.volt.dim)
    with pytest.raises(u.DimensionMismatchError, match="not dimensionless"):
        u.fail_for_dimension_mismatch(x)
    with pytest.raises(u.DimensionMismatchError, match="speed of "):
        u.fail_for_dimension_mismatch(x, u.second, "speed of {a}", a=x)
    with pytest.raises(u.UnitMismatchError, match="units mV vs V"):
        u.fail_for_unit_mismatch(x, u.volt)
    u.assert_quantity(x, np.array([1.0]), u.mV)
    with pytest.raises(AssertionError):
        u.assert_quantity(x, np.array([1.0]), u.volt)
    with pytest.raises(AssertionError):
        u.assert_quantity(x, np.array([1.5]), u.mV)


def test_check_dims_and_units() -> None:
    @u.check_dims(v=u.volt.dim, i=u.amp, result=u.ohm.dim)
    def resistance(v: Any, i: Any) -> Any:
        return v / i

    v = u.Quantity(np.array([2.0]), unit=u.mV)
    assert resistance(v, u.Quantity(np.array([1.0]), unit=u.mA)).dim == u.ohm.dim
    with pytest.raises(u.DimensionMismatchError, match="i must have the dimension"):
        resistance(v, v)

    @u.check_units(a=u.mV, b="a", flag=True, result=u.mV)
    def add(a: Any, b: Any, flag: bool = False) -> Any:
        return a + b

    assert add(v, v).unit == u.mV
    with pytest.raises(u.UnitMismatchError, match="b must have the unit mV"):
        add(v, v.in_unit(u.volt))
    with pytest.raises(TypeError, match="must be a bool"):
        add(v, v, flag=1)
    with pytest.raises(TypeError, match="no argument"):
        u.check_units(zz=u.mV)(lambda a: a)


@pytest.mark.parametrize("backend", ALL)
def test_array_queries(backend: str) -> None:
    x = q(X, backend, u.meter)
    assert pm.shape(x) == (3, 4) and pm.ndim(x) == 2 and pm.size(x) == 12 and pm.size(x, 1) == 4
    assert pm.is_float(x) and not pm.is_int(x) and not pm.iscomplexobj(x) and pm.is_quantity(x)
    assert pm.finfo(x).eps > 0 and not pm.isscalar(x) and pm.isscalar(x[0, 0])
    assert pm.is_int(q(np.array([1, 2]), backend)) and pm.iinfo(q(np.array([1]), backend)).max > 0
    assert pm.broadcast_shapes((3, 1), (1, 4)) == (3, 4)
    assert pm.issubdtype(pm.get_dtype(x), np.floating)
    rows, cols = pm.nonzero(q(ZEROS, backend))
    np.testing.assert_array_equal(value(rows), np.nonzero(ZEROS)[0])
    np.testing.assert_array_equal(value(cols), np.nonzero(ZEROS)[1])
    idx = pm.diag_indices_from(q(np.eye(3), backend))
    assert len(idx) == 2 and value(idx[0]).tolist() == [0, 1, 2]


@pytest.mark.parametrize("backend", ALL)
def test_windows_on_default_backend(backend: str) -> None:
    with u.using_backend(backend):
        for name in ("bartlett", "blackman", "hamming", "hanning"):
            for n in (1, 7):
                np.testing.assert_allclose(
                    value(getattr(pm, name)(n)), getattr(np, name)(n), atol=1e-6
                )
        np.testing.assert_allclose(value(pm.kaiser(8, 5.0)), np.kaiser(8, 5.0), rtol=1e-5)


@pytest.mark.parametrize("backend", ALL)
def test_gradient_units(backend: str) -> None:
    f = np.array(
        [[1.0, 2.0, 4.0, 7.0, 11.0], [2.0, 3.0, 1.0, 0.0, -2.0], [0.5, 0.5, 1.5, 2.5, 4.0]]
    )
    xs = np.array([0.0, 1.0, 1.5, 3.5, 4.0])
    rtol = 1e-5 if backend == "jax" else 1e-10
    g0, g1 = pm.gradient(q(f, backend, u.meter))
    assert g0.unit == u.meter
    np.testing.assert_allclose(value(g1), np.gradient(f)[1], rtol=rtol)
    g = pm.gradient(q(f, backend, u.meter), q(xs, backend, u.second), axis=1)
    assert g.unit == u.meter / u.second
    np.testing.assert_allclose(value(g), np.gradient(f, xs, axis=1), rtol=rtol)


# -- einsum and einops -----------------------------------------------------------------------------
@pytest.mark.parametrize("backend", ALL)
def test_einsum(backend: str) -> None:
    a, b = np.arange(24.0).reshape(2, 3, 4) / 7, np.arange(12.0).reshape(4, 3) / 5
    rtol = 1e-5 if backend == "jax" else 1e-10
    r = pm.einsum("ijk,kl->ijl", q(a, backend, u.meter), q(b, backend, u.second))
    assert r.unit == u.meter * u.second
    np.testing.assert_allclose(value(r), np.einsum("ijk,kl->ijl", a, b), rtol=rtol)
    r = pm.einsum("ijk,kj", [q(a, backend, u.meter), q(b, backend, u.second)])
    np.testing.assert_allclose(value(r), np.einsum("ijk,kj", a, b), rtol=rtol)
    r = pm.einsum("ijk->kji", q(a, backend, u.meter))
    assert r.unit == u.meter and value(r).shape == (4, 3, 2)


@pytest.mark.parametrize("backend", ALL)
def test_einops(backend: str) -> None:
    a = np.arange(24.0).reshape(2, 3, 4) / 7
    x = q(a, backend, u.meter)
    rtol = 1e-5 if backend == "jax" else 1e-12
    cases = [
        (pm.einrearrange(x, "b h w -> b (h w)"), a.reshape(2, 12)),
        (
            pm.einrearrange(x, "b h (w1 w2) -> w2 b h w1", w2=2),
            a.reshape(2, 3, 2, 2).transpose(3, 0, 1, 2),
        ),
        (pm.einrearrange(x, "b ... w -> w ... b"), a.transpose(2, 1, 0)),
        (pm.einrearrange(x, "b h w -> (b h) 1 w"), a.reshape(6, 1, 4)),
        (pm.einreduce(x, "b h w -> b w", "sum"), a.sum(1)),
        (pm.einreduce(x, "b h w -> h", "max"), a.max((0, 2))),
        (pm.einreduce(x, "b h (w 2) -> b h w", "min"), a.reshape(2, 3, 2, 2).min(3)),
        (pm.einrepeat(x, "b h w -> b h w r", r=2), np.repeat(a[..., None], 2, -1)),
        (pm.einrepeat(x, "b h w -> b (h 2) w"), np.repeat(a, 2, 1)),
    ]
    for r, ref in cases:
        assert r.unit == u.meter
        np.testing.assert_allclose(value(r), ref, rtol=rtol)
    p = pm.einreduce(x + 1 * u.meter, "b h w -> b w", "prod")
    assert p.unit == u.meter**3
    np.testing.assert_allclose(value(p), (a + 1).prod(1), rtol=rtol)
    np.testing.assert_array_equal(
        value(pm.einreduce(q(a > 1, backend), "b h w -> b", "any")), (a > 1).any((1, 2))
    )
    assert pm.einshape(x, "b _ w") == {"b": 2, "w": 4}


def test_einops_errors() -> None:
    x = u.Quantity(np.zeros((2, 3, 4)), unit=u.meter)
    with pytest.raises(ValueError, match="names 2 axes"):
        pm.einrearrange(x, "b h -> h b")
    with pytest.raises(ValueError, match="same axes on both sides"):
        pm.einrearrange(x, "b h w -> b h")
    with pytest.raises(u.DimensionMismatchError, match="dimensionless"):
        pm.einreduce(x, "b h w -> b", "all")
    with pytest.raises(ValueError, match="length of the new axis"):
        pm.einrepeat(x, "b h w -> b h w r")
    with pytest.raises(ValueError, match="reduction must be"):
        pm.einreduce(x, "b h w -> b", "median")


def test_set_exprel_order() -> None:
    pm.set_exprel_order(3)
    with pytest.raises(ValueError, match="positive integer"):
        pm.set_exprel_order(0)


# -- compositions on ndonnx from its array API: edge cases numpy defines -------------------------
NDONNX = [b for b in ("ndonnx",) if HAS[b]]
EDGES = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 2.5, -1e-300])


@pytest.mark.parametrize("backend", NDONNX)
def test_arctan2_quadrants_signed_zeros_and_infinities(backend: str) -> None:
    yy, xx = np.meshgrid(EDGES, EDGES, indexing="ij")
    got = value(pm.arctan2(q(yy, backend), q(xx, backend)))
    want = np.arctan2(yy, xx)
    np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)  # though atan is float32 there
    numbers = ~np.isnan(want)
    assert np.array_equal(np.signbit(got[numbers]), np.signbit(want[numbers]))


@pytest.mark.parametrize("backend", NDONNX)
def test_gcd_lcm_exact_with_signs_zeros_and_large_values(backend: str) -> None:
    big = np.iinfo(np.int64).max
    x1 = np.array([0, 0, -12, 7, 2**40 * 3, big, 832040, 1], dtype=np.int64)
    x2 = np.array([0, 5, 18, -7, 2**41, big - 1, 514229, 0], dtype=np.int64)  # Fibonacci pair
    np.testing.assert_array_equal(value(pm.gcd(q(x1, backend), q(x2, backend))), np.gcd(x1, x2))
    small1, small2 = x1[:5], x2[:5]
    np.testing.assert_array_equal(
        value(pm.lcm(q(small1, backend), q(small2, backend))), np.lcm(small1, small2)
    )


@pytest.mark.parametrize("backend", NDONNX)
def test_diagonals_keep_off_diagonal_nan_and_inf_out(backend: str) -> None:
    a = np.full((3, 4), np.nan)
    a[[0, 1, 2], [1, 2, 3]] = [1.0, -0.0, 3.0]
    a[2, 0] = np.inf
    for offset in (-1, 0, 1, 3, 5):
        got = value(pm.diagonal(q(a, backend), offset=offset))
        np.testing.assert_array_equal(got, np.diagonal(a, offset=offset))
    np.testing.assert_array_equal(value(pm.trace(q(a, backend), offset=1)), np.trace(a, 1))
    assert np.signbit(value(pm.diagonal(q(a, backend), offset=1))[1])
    v = np.array([1.0, -0.0, np.inf])
    for k in (-2, 0, 1):
        got = value(pm.diag(q(v, backend), k=k))
        np.testing.assert_array_equal(got, np.diag(v, k))
        np.testing.assert_array_equal(np.signbit(got), np.signbit(np.diag(v, k)))
        np.testing.assert_array_equal(
            value(pm.diagflat(q(a[:2, :2], backend), k=k)), np.diagflat(a[:2, :2], k)
        )


@pytest.mark.parametrize("backend", NDONNX)
def test_quantiles_match_numpy_linear_method(backend: str) -> None:
    a = np.stack([SIGNED, X * 3.0])  # (2, 3, 4)
    a[0, 1, 2] = np.nan
    a[1, :, 3] = np.nan  # an all-NaN slice along axis 1
    qs = np.array([0.0, 0.1, 0.5, 0.77, 1.0])
    for axis in (None, 0, 1, -1):
        for keepdims in (False, True):
            kw = {"axis": axis, "keepdims": keepdims}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # numpy on the all-NaN slice
                for fn in ("quantile", "nanquantile"):
                    got = value(getattr(pm, fn)(q(a, backend), q(qs, backend), **kw))
                    want = getattr(np, fn)(a, qs, **kw)
                    np.testing.assert_allclose(got, want, rtol=1e-12, err_msg=f"{fn} {kw}")
                got = value(pm.nanmedian(q(a, backend), **kw))
                np.testing.assert_allclose(got, np.nanmedian(a, **kw), rtol=1e-12)
    ints = np.array([[3, 1, 4, 1], [5, 9, 2, 6]])
    got = value(pm.percentile(q(ints, backend), q(np.array(30.0), backend), axis=1))
    np.testing.assert_allclose(got, np.percentile(ints, 30.0, axis=1), rtol=1e-12)


@pytest.mark.parametrize("backend", NDONNX)
def test_norms_without_svd(backend: str) -> None:
    a = np.stack([SIGNED, X])
    x = q(a, backend)
    for ord in ("fro", 1, -1, np.inf, -np.inf):
        for keepdims in (False, True):
            got = value(u.linalg.matrix_norm(x, ord=ord, keepdims=keepdims))
            want = np.linalg.matrix_norm(a, ord=ord, keepdims=keepdims)
            np.testing.assert_allclose(got, want, rtol=1e-12)
            got = value(u.linalg.norm(x, ord=ord, axis=(2, 0), keepdims=keepdims))
            want = np.linalg.norm(a, ord=ord, axis=(2, 0), keepdims=keepdims)
            np.testing.assert_allclose(got, want, rtol=1e-12)
    for ord in (None, 0, 1, 2, 3, np.inf, -np.inf, 0.5):
        got = value(u.linalg.norm(q(a[0, 0], backend), ord=ord))
        np.testing.assert_allclose(got, np.linalg.norm(a[0, 0], ord=ord), rtol=1e-12)
    for ord in (2, -2, "nuc"):
        with pytest.raises(u.BackendError, match="ndonnx.*singular values"):
            u.linalg.matrix_norm(x, ord=ord)


@pytest.mark.parametrize("backend", NDONNX)
def test_cross_of_two_and_three_element_vectors(backend: str) -> None:
    a3, b3 = X[:, :3], Y[:, :3]
    for a, b in ((a3, b3), (a3[:, :2], b3), (a3, b3[:, :2]), (a3[:, :2], b3[:, :2])):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # numpy 2 deprecates 2-vectors
            want = np.cross(a, b)
        got = value(u.linalg.cross(q(a, backend), q(b, backend)))
        np.testing.assert_allclose(got, want, rtol=1e-12)
    got = value(u.linalg.cross(q(a3.T, backend), q(b3, backend), axisa=0, axisc=0))
    np.testing.assert_allclose(got, np.cross(a3.T, b3, axisa=0, axisc=0), rtol=1e-12)
