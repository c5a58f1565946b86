"""polyunit.lax against jax.lax on raw arrays: every function's values and units, its unit
errors, and the BackendError every lax function raises on numpy and torch inputs.

Each case calls polyunit.lax with quantities and jax.lax with the mantissas converted by hand to
the unit the rule implies (ratios of Unit.magnitude, never polyunit's own conversion).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

import polyunit as u
from polyunit.backends import manifest

jax = pytest.importorskip("jax")
jnp = jax.numpy
lax = jax.lax
plax = u.lax


@pytest.fixture(autouse=True)
def _x64() -> Iterator[None]:
    with jax.enable_x64(True):
        yield


m, cm, mm, km, s, ms = u.meter, u.cmeter, u.mmeter, u.kmeter, u.second, u.msecond
DL = u.mV / u.volt  # dimensionless with scale 1e-3: a forgotten scale is off by 1000

A = np.array([[0.31, 0.72, 0.15, 0.58], [0.94, 0.23, 0.47, 0.66], [0.12, 0.85, 0.39, 0.51]])
B = np.array([[0.27, 0.81, 0.44, 0.13], [0.62, 0.35, 0.91, 0.08], [0.53, 0.19, 0.76, 0.48]])
SQ = A[:, :3] @ A[:, :3].T + 3.0 * np.eye(3)  # symmetric positive definite
I32 = np.array([[3, 12, 5], [7, 1, 0]], dtype=np.int32)


def Q(a: Any, unit: Any) -> Any:
    return u.Quantity(jnp.asarray(a), unit=unit)


def J(a: Any) -> Any:
    return jnp.asarray(a)


@dataclass
class Case:
    name: str  # polyunit.lax function
    args: tuple[Any, ...]
    ref: Callable[[], Any]  # jax.lax on raw arrays, in the result unit
    units: tuple[Any, ...]  # per result part: the expected Unit, or None for a plain array
    kwargs: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    exact: bool = False  # compare bit for bit (integers, indices)


def c(name: str, args: tuple[Any, ...], ref: Callable[[], Any], *units: Any, **kw: Any) -> Case:
    ident = kw.pop("id", "")
    exact = kw.pop("exact", False)
    return Case(name, args, ref, units, kw, ident or name, exact)


_UNARY_DIMLESS = {
    "acos": lax.acos,
    "acosh": None,
    "asin": lax.asin,
    "asinh": lax.asinh,
    "atan": lax.atan,
    "atanh": lax.atanh,
    "bessel_i0e": lax.bessel_i0e,
    "bessel_i1e": lax.bessel_i1e,
    "digamma": lax.digamma,
    "erf": lax.erf,
    "erf_inv": lax.erf_inv,
    "erfc": lax.erfc,
    "lgamma": lax.lgamma,
    "logistic": lax.logistic,
}


def _cases() -> list[Case]:
    cs: list[Case] = []
    for name, fn in _UNARY_DIMLESS.items():
        if fn is None:  # acosh needs x >= 1
            cs.append(c(name, (Q(1000.0 + A * 1000, DL),), lambda: lax.acosh(1.0 + A), None))
            continue
        cs.append(c(name, (Q(A, DL),), lambda fn=fn: fn(A * 1e-3), None))
        cs.append(
            c(
                name,
                (Q(A, m),),
                lambda fn=fn: fn(A * 1e-3),
                None,
                unit_to_scale=km,
                id=f"{name}-unit_to_scale",
            )
        )
    cs += [
        c("cumlogsumexp", (Q(A, DL),), lambda: lax.cumlogsumexp(A * 1e-3, axis=0), None),
        c(
            "cumlogsumexp",
            (Q(A, DL),),
            lambda: lax.cumlogsumexp(A * 1e-3, axis=1, reverse=True),
            None,
            axis=1,
            reverse=True,
            id="cumlogsumexp-axis1-reverse",
        ),
        c("igamma", (Q(A, DL), Q(B, DL)), lambda: lax.igamma(A * 1e-3, B * 1e-3), None),
        c("igammac", (Q(A * 1000, DL), J(B)), lambda: lax.igammac(A, B), None),
        c("igamma_grad_a", (J(A), J(B)), lambda: lax.igamma_grad_a(A, B), None),
        c("polygamma", (J(np.ones_like(A)), J(B)), lambda: lax.polygamma(np.ones_like(A), B), None),
        c("random_gamma_grad", (J(A), J(B)), lambda: lax.random_gamma_grad(A, B), None),
        c("zeta", (J(A + 2.0), J(B)), lambda: lax.zeta(A + 2.0, B), None),
        c(
            "zeta",
            (Q(A + 2.0, m), Q(B * 100, cm)),
            lambda: lax.zeta(A + 2.0, B),
            None,
            unit_to_scale=m,
            id="zeta-unit_to_scale",
        ),
        c(
            "betainc",
            (J(A + 1.0), Q(B * 1000 + 1000, DL), J(A * 0.9)),
            lambda: lax.betainc(A + 1.0, B + 1.0, A * 0.9),
            None,
        ),
        c("shift_left", (J(I32), J(np.int32(2))), lambda: lax.shift_left(I32, np.int32(2)), None),
        c(
            "shift_right_arithmetic",
            (J(-I32), J(np.int32(1))),
            lambda: lax.shift_right_arithmetic(-I32, np.int32(1)),
            None,
            exact=True,
        ),
        c(
            "shift_right_logical",
            (J(I32), J(np.int32(1))),
            lambda: lax.shift_right_logical(I32, np.int32(1)),
            None,
            exact=True,
        ),
        c("atan2", (Q(A, m), Q(B * 100, cm)), lambda: lax.atan2(A, B), None),
        c(
            "atan2",
            (Q(A, m), Q(B * 100, cm)),
            lambda: lax.atan2(A * 1000, B * 1000),
            None,
            unit_to_scale=mm,
            id="atan2-unit_to_scale",
        ),
        c("atan2", (Q(A, DL), J(B)), lambda: lax.atan2(A * 1e-3, B), None, id="atan2-dimless"),
    ]
    for name in ("eq", "ne", "ge", "gt", "le", "lt"):
        x = np.array([1.0, 2.0, 3.0, 4.0])
        y = np.array([100.0, 150.0, 300.0, 500.0])  # in cm
        cs.append(
            c(
                name,
                (Q(x, m), Q(y, cm)),
                lambda name=name, x=x, y=y: getattr(lax, name)(x, y / 100),
                None,
                exact=True,
            )
        )
    cs += [
        c("clz", (Q(I32, m),), lambda: lax.clz(I32), None, exact=True),
        c("population_count", (Q(I32, m),), lambda: lax.population_count(I32), None, exact=True),
        c("iota", (np.float64, 5), lambda: lax.iota(np.float64, 5), s, unit=s),
        c("iota", (np.int32, 4), lambda: lax.iota(np.int32, 4), None, id="iota-plain", exact=True),
        c(
            "broadcasted_iota",
            (np.float64, (2, 3), 1),
            lambda: lax.broadcasted_iota(np.float64, (2, 3), 1),
            m,
            unit=m,
        ),
        c("zeros_like_array", (Q(A, m),), lambda: jnp.zeros_like(A), m),
        c("zeros_like_array", (Q(A, m),), lambda: jnp.zeros_like(A), s, unit=s, id="zla-unit"),
        c(
            "clamp",
            (Q(30.0, cm), Q(A, m), Q(700.0, mm)),
            lambda: lax.clamp(0.3, A, 0.7),
            m,
        ),
        c("complex", (Q(A, m), Q(B * 100, cm)), lambda: lax.complex(A, B), m),
        c("rem", (Q(A * 7, m), Q(B * 100 + 50, cm)), lambda: lax.rem(A * 7, B + 0.5), m),
        c("sub", (Q(A, m), Q(B * 100, cm)), lambda: lax.sub(A, B), m),
        c("div", (Q(A, m), Q(B + 1, s)), lambda: lax.div(A, B + 1), m / s),
        c(
            "div",
            (Q(A, u.mV), Q(B + 1, u.volt)),
            lambda: lax.div(A, B + 1) * 1e-3,
            None,
            id="div-dimless",
        ),
        c("mul", (Q(A, m), Q(B, s)), lambda: lax.mul(A, B), m * s),
        c("pow", (Q(A, m), 3), lambda: lax.pow(A, 3.0), m**3),
        c("pow", (Q(A, DL), J(B)), lambda: lax.pow(A * 1e-3, B), None, id="pow-dimless-array"),
        c("integer_pow", (Q(A, m), 2), lambda: lax.integer_pow(A, 2), m**2),
        c("rsqrt", (Q(A, m**2),), lambda: lax.rsqrt(A), m**-1),
        c("neg", (Q(A, m),), lambda: lax.neg(A), m),
        c("neg", (J(A),), lambda: lax.neg(A), None, id="neg-plain"),
        c("cummax", (Q(A, m),), lambda: lax.cummax(A, axis=0), m),
        c("cummin", (Q(A, m),), lambda: lax.cummin(A, axis=1), m, axis=1),
        c("cumsum", (Q(A, m),), lambda: lax.cumsum(A, axis=0, reverse=True), m, reverse=True),
        c("reduce_precision", (Q(A, m), 5, 10), lambda: lax.reduce_precision(A, 5, 10), m),
        c(
            "convert_element_type",
            (Q(A, m), np.float32),
            lambda: lax.convert_element_type(A, np.float32),
            m,
        ),
        c(
            "bitcast_convert_type",
            (Q(A, m), np.int64),
            lambda: lax.bitcast_convert_type(A, np.int64),
            m,
            exact=True,
        ),
    ]
    # -- lax_array ------------------------------------------------------------------------
    x3 = np.arange(24.0).reshape(2, 3, 4) / 10
    k = np.arange(2 * 2 * 3 * 3.0).reshape(2, 2, 3, 3) / 7  # OIHW
    img = np.arange(1 * 2 * 5 * 5.0).reshape(1, 2, 5, 5) / 9  # NCHW
    gdn = lax.GatherDimensionNumbers(
        offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,)
    )
    sdn = lax.ScatterDimensionNumbers(
        update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)
    )
    idx = np.array([[2], [0]], dtype=np.int32)
    upd = B[:2] * 100  # in cm
    cs += [
        c("approx_max_k", (Q(A, m), 2), lambda: lax.approx_max_k(A, 2), m, None),
        c("approx_min_k", (Q(A, m), 2), lambda: lax.approx_min_k(A, 2), m, None),
        c("top_k", (Q(A, m), 2), lambda: lax.top_k(A, 2), m, None),
        c(
            "batch_matmul",
            (Q(x3, m), Q(x3.transpose(0, 2, 1), s)),
            lambda: lax.batch_matmul(x3, x3.transpose(0, 2, 1)),
            m * s,
        ),  # fmt: skip
        c("broadcast", (Q(A, m), (2,)), lambda: lax.broadcast(A, (2,)), m),
        c(
            "broadcast_in_dim",
            (Q(A[0], m), (3, 4), (1,)),
            lambda: lax.broadcast_in_dim(A[0], (3, 4), (1,)),
            m,
        ),
        c("broadcast_to_rank", (Q(A[0], m), 3), lambda: lax.broadcast_to_rank(A[0], 3), m),
        c("collapse", (Q(x3, m), 0, 2), lambda: lax.collapse(x3, 0, 2), m),
        c(
            "collapse",
            (Q(x3, m), 1),
            lambda: lax.collapse(x3 * 100, 1),
            None,
            unit_to_scale=cm,
            id="collapse-unit_to_scale",
        ),
        c(
            "conv",
            (Q(img, m), Q(k, s), (1, 1), "SAME"),
            lambda: lax.conv(img, k, (1, 1), "SAME"),
            m * s,
        ),
        c(
            "conv_transpose",
            (Q(img, m), Q(k.transpose(2, 3, 1, 0), s), (2, 2), "SAME"),
            lambda: lax.conv_transpose(
                img,
                k.transpose(2, 3, 1, 0),
                (2, 2),
                "SAME",
                dimension_numbers=("NCHW", "HWIO", "NCHW"),
            ),
            m * s,
            dimension_numbers=("NCHW", "HWIO", "NCHW"),
        ),  # fmt: skip
        c(
            "dot_general",
            (Q(A, m), Q(B, s), (((1,), (1,)), ((), ()))),
            lambda: lax.dot_general(A, B, (((1,), (1,)), ((), ()))),
            m * s,
        ),
        c("dynamic_index_in_dim", (Q(A, m), 1), lambda: lax.dynamic_index_in_dim(A, 1), m),
        c(
            "dynamic_slice",
            (Q(A, m), (1, 1), (2, 2)),
            lambda: lax.dynamic_slice(A, (1, 1), (2, 2)),
            m,
        ),
        c(
            "dynamic_slice_ind_dim",
            (Q(A, m), 1, 2),
            lambda: lax.dynamic_slice_in_dim(A, 1, 2, axis=1),
            m,
            axis=1,
        ),
        c(
            "dynamic_update_index_in_dim",
            (Q(A, m), Q(B[0] * 100, cm), 2, 0),
            lambda: lax.dynamic_update_index_in_dim(A, B[0], 2, 0),
            m,
        ),
        c(
            "dynamic_update_slice",
            (Q(A, m), Q(B[:2, :2] * 100, cm), (1, 1)),
            lambda: lax.dynamic_update_slice(A, B[:2, :2], (1, 1)),
            m,
        ),
        c(
            "dynamic_update_slice_in_dim",
            (Q(A, m), Q(B[:2] * 100, cm), 1, 0),
            lambda: lax.dynamic_update_slice_in_dim(A, B[:2], 1, 0),
            m,
        ),
        c("fft", (Q(A + 0j, m), "FFT", (4,)), lambda: lax.fft(A + 0j, "FFT", (4,)), m),
        c(
            "fft",
            (Q(A, u.mV), "RFFT", (4,)),
            lambda: lax.fft(A * 1e-3, "RFFT", (4,)),
            None,
            unit_to_scale=u.volt,
            id="fft-unit_to_scale",
        ),
        c(
            "gather",
            (Q(A, m), J(idx), gdn, (1, 4)),
            lambda: lax.gather(A, idx, gdn, (1, 4)),
            m,
        ),
        c(
            "gather",
            (Q(A, m), J(np.array([[5], [0]], dtype=np.int32)), gdn, (1, 4)),
            lambda: lax.gather(
                A, np.array([[5], [0]], dtype=np.int32), gdn, (1, 4), mode="fill", fill_value=0.25
            ),
            m,
            mode="fill",
            fill_value=Q(25.0, cm),
            id="gather-fill",
        ),  # fmt: skip
        c(
            "index_in_dim",
            (Q(A, m), 2),
            lambda: lax.index_in_dim(A, 2, keepdims=False),
            m,
            keepdims=False,
        ),
        c(
            "index_take",
            (Q(A, m), (J(np.array([0, 2])),), (0,)),
            lambda: lax.index_take(A, (np.array([0, 2]),), (0,)),
            m,
        ),  # fmt: skip
        c(
            "pad",
            (Q(A, m), Q(50.0, cm), ((1, 0, 0), (0, 2, 1))),
            lambda: lax.pad(A, 0.5, ((1, 0, 0), (0, 2, 1))),
            m,
        ),  # fmt: skip
    ]
    for name in ("scatter", "scatter_add", "scatter_max", "scatter_min", "scatter_sub"):
        cs.append(
            c(
                name,
                (Q(A, m), J(idx), Q(upd, cm), sdn),
                lambda name=name: getattr(lax, name)(A, idx, upd / 100, sdn),
                m,
            )
        )
    cs += [
        c(
            "scatter_mul",
            (Q(A, m), J(idx), Q(B[:2] * 1000, DL), sdn),
            lambda: lax.scatter_mul(A, idx, B[:2], sdn),
            m,
        ),  # fmt: skip
        c(
            "scatter_apply",
            (Q(A, m), J(idx), jnp.negative, sdn),
            lambda: lax.scatter_apply(A, idx, jnp.negative, sdn, update_shape=(2, 4)),
            m,
            update_shape=(2, 4),
        ),
        c(
            "slice",
            (Q(A, m), (0, 1), (3, 4), (2, 1)),
            lambda: lax.slice(A, (0, 1), (3, 4), (2, 1)),
            m,
        ),
        c("slice_in_dim", (Q(A, m), 1, 4), lambda: lax.slice_in_dim(A, 1, 4, axis=1), m, axis=1),
    ]
    # -- lax_linalg -----------------------------------------------------------------------
    L = np.linalg.cholesky(SQ)
    packed, taus = A.T.copy(), np.array([1.2, 0.5, 0.3])  # reflectors below the diagonal
    cs += [
        c("cholesky", (Q(SQ, m**2),), lambda: lax.linalg.cholesky(SQ), m),
        c(
            "householder_product",
            (Q(packed, m), J(taus)),
            lambda: lax.linalg.householder_product(packed, taus),
            None,
        ),  # fmt: skip
        c("eigh", (Q(SQ, m),), lambda: lax.linalg.eigh(SQ), None, m),
        c("hessenberg", (Q(SQ, m),), lambda: lax.linalg.hessenberg(SQ), m, None),
        c("lu", (Q(SQ, m),), lambda: lax.linalg.lu(SQ), m, None, None),
        c("qdwh", (Q(SQ, m),), lambda: lax.linalg.qdwh(SQ), None, m, None, None),
        c("tridiagonal", (Q(SQ, m),), lambda: lax.linalg.tridiagonal(SQ), m, m, m, None),
        c(
            "triangular_solve",
            (Q(L, m), Q(B[:, :3], s)),
            lambda: lax.linalg.triangular_solve(L, B[:, :3], lower=True),
            s / m,
            lower=True,
        ),
        c(
            "tridiagonal_solve",
            (Q([0.0, 10, 20], cm), Q([200.0, 300, 400], cm), Q([0.1, 0.2, 0.0], m), Q(B[:, :1], s)),
            lambda: lax.linalg.tridiagonal_solve(
                J([0.0, 10, 20]), J([200.0, 300, 400]), J([10.0, 20, 0]), J(B[:, :1])
            ),
            s / cm,
        ),
        # hand-written (polyunit.lax_multi)
        c("sort", (Q(B, m),), lambda: lax.sort(B), m),
        c("sort", ([Q(B, m), Q(A, s)],), lambda: lax.sort([B, A]), m, s, id="sort-multi"),
        c("sort_key_val", (Q(B, m), Q(A, s)), lambda: lax.sort_key_val(B, A), m, s),
        c(
            "eig",
            (Q(SQ, m),),
            lambda: lax.linalg.eig(SQ, compute_left_eigenvectors=False),
            m,
            None,
            compute_left_eigenvectors=False,
        ),  # fmt: skip
        c("qr", (Q(A, m),), lambda: lax.linalg.qr(A), None, m),
        c(
            "qr",
            (Q(A, m),),
            lambda: lax.linalg.qr(A, pivoting=True),
            None,
            m,
            None,
            pivoting=True,
            id="qr-pivoting",
        ),  # fmt: skip
        c("schur", (Q(SQ, m),), lambda: lax.linalg.schur(SQ), m, None),
        c("svd", (Q(A, m),), lambda: lax.linalg.svd(A), None, m, None),
        c(
            "svd",
            (Q(A, m),),
            lambda: lax.linalg.svd(A, compute_uv=False),
            m,
            compute_uv=False,
            id="svd-s-only",
        ),  # fmt: skip
        c(
            "reduce",
            (Q(A, m), Q(0.0, cm), lax.add, (0,)),
            lambda: lax.reduce(A, 0.0, lax.add, (0,)),
            m,
        ),
        c(
            "reduce",
            (Q(A, m), Q(100.0, cm), lax.max, (1,)),
            lambda: lax.reduce(A, 1.0, lax.max, (1,)),
            m,
            id="reduce-max-init",
        ),  # fmt: skip
        c(
            "reduce",
            (
                (Q(A, m), Q(B, s)),
                (Q(0.0, m), Q(0.0, ms)),
                lambda a, b: (a[0] + b[0], a[1] + b[1]),
                (0,),
            ),
            lambda: lax.reduce((A, B), (0.0, 0.0), lambda a, b: (a[0] + b[0], a[1] + b[1]), (0,)),
            m,
            s,
            id="reduce-multi",
        ),
    ]
    return cs


with jax.enable_x64(True):  # the case data are float64 jax arrays
    CASES = _cases()


def _parts(r: Any) -> list[Any]:
    return list(r) if isinstance(r, list | tuple) else [r]


def _check(case: Case, got: Any, ref: Any) -> None:
    gots, refs = _parts(got), _parts(ref)
    assert len(gots) == len(refs) == len(case.units), (
        f"{case.id}: {len(gots)} results, jax.lax gives {len(refs)}, expected units {case.units}"
    )
    for i, (g, r, unit) in enumerate(zip(gots, refs, case.units, strict=True)):
        where = f"{case.id} result {i}"
        if unit is None:
            assert not isinstance(g, u.Quantity), f"{where}: expected plain, got unit {g.unit}"
            mant = g
        else:
            assert isinstance(g, u.Quantity), (
                f"{where}: expected a Quantity in {unit}, got {type(g)}"
            )
            assert g.unit == unit, f"{where}: unit {g.unit}, expected {unit}"
            assert g.backend == "jax", f"{where}: computed on {g.backend}"
            mant = g.mantissa
        assert isinstance(mant, jax.Array), f"{where}: not a jax array: {type(mant)}"
        got_np, ref_np = np.asarray(mant), np.asarray(r)
        assert got_np.shape == ref_np.shape, f"{where}: shape {got_np.shape} vs {ref_np.shape}"
        assert got_np.dtype == ref_np.dtype, f"{where}: dtype {got_np.dtype} vs {ref_np.dtype}"
        if case.exact:
            np.testing.assert_array_equal(got_np, ref_np, err_msg=where)
        else:
            np.testing.assert_allclose(got_np, ref_np, rtol=1e-9, atol=1e-12, err_msg=where)


@pytest.mark.parametrize("case", CASES, ids=[cs.id for cs in CASES])
def test_against_jax_lax(case: Case) -> None:
    got = getattr(plax, case.name)(*case.args, **case.kwargs)
    _check(case, got, case.ref())


def test_every_lax_function_has_a_case() -> None:
    covered = {cs.name for cs in CASES} | {"broadcast_shapes"}  # a shape utility: own test
    assert set(plax.__all__) - covered == set()
    assert len(plax.__all__) == 101  # REF.lax has 101 functions


def test_generated_lax_ops_are_jax_only_in_the_manifest() -> None:
    lax_ops = [op for op in manifest.OPS if op.startswith("lax.")]
    assert len(lax_ops) == 93
    for op in lax_ops:
        support = manifest.SUPPORT[op]
        assert support["jax"] in ("native", "override"), op
        for backend, status in support.items():
            if backend != "jax":
                assert status == "jax_only", (op, backend, status)


# -- unit errors ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "args", "kwargs"),
    [
        ("acos", (Q(A, m),), {}),
        ("igamma", (Q(A, s), J(B)), {}),
        ("sub", (Q(A, m), Q(B, s)), {}),
        ("clamp", (Q(0.0, s), Q(A, m), Q(1.0, m)), {}),
        ("eq", (Q(A, m), Q(B, s)), {}),
        ("pad", (Q(A, m), Q(0.0, s), ((0, 0, 0), (0, 0, 0))), {}),
        ("atan2", (Q(A, m), Q(B, s)), {}),
        ("atan2", (Q(A, m), Q(B, m)), {"unit_to_scale": s}),
        ("pow", (Q(A, m), J(B)), {}),
        ("dynamic_update_slice", (Q(A, m), Q(B[:1], s), (0, 0)), {}),
        ("scatter_mul", (Q(A, m), J(np.array([[0]])), Q(B[:1], m), None), {}),
        ("tridiagonal_solve", (Q([0.0, 1], s), Q([2.0, 3], m), Q([1.0, 0], m), Q([1.0, 1], m)), {}),
        ("reduce", (Q(A, m), Q(0.0, s), lax.add, (0,)), {}),
        ("reduce", (Q(A, m), Q(1.0, m), lax.mul, (0,)), {}),
        ("fft", (Q(A, m), "RFFT", (4,)), {"unit_to_scale": s}),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_unit_errors(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    with pytest.raises(u.DimensionMismatchError):
        getattr(plax, name)(*args, **kwargs)


def test_unit_to_scale_must_be_a_unit() -> None:
    with pytest.raises(TypeError, match="unit_to_scale must be a polyunit Unit"):
        plax.collapse(Q(A, m), 0, unit_to_scale="cm")


def test_broadcast_shapes() -> None:
    assert plax.broadcast_shapes((2, 1), (1, 3)) == (2, 3)
    with pytest.raises(TypeError, match="pass q.shape"):
        plax.broadcast_shapes(Q(A, m))


def test_lax_ops_trace_under_jit() -> None:
    def f(a: Any, b: Any) -> Any:
        r = plax.mul(plax.sub(u.Quantity(a, unit=m), u.Quantity(b, unit=cm)), u.Quantity(a, unit=m))
        assert r.unit == m**2
        return r.mantissa

    r = jax.jit(f)(J(A), J(B * 100))
    np.testing.assert_allclose(np.asarray(r), (A - B) * A, rtol=1e-12)


# -- every lax function is jax only ---------------------------------------------------------
def _move(v: Any, backend: str) -> Any:
    if isinstance(v, u.Quantity):
        return v.to_numpy() if backend == "numpy" else v.to_torch()
    if isinstance(v, jax.Array):
        return (
            np.asarray(v) if backend == "numpy" else u.Quantity(np.asarray(v)).to_torch().mantissa
        )
    if isinstance(v, list | tuple) and any(isinstance(e, u.Quantity | jax.Array) for e in v):
        return type(v)(_move(e, backend) for e in v)
    return v


@contextlib.contextmanager
def _default(backend: str) -> Iterator[None]:
    with u.using_backend(backend):
        yield


_ONE_PER_NAME = list({cs.name: cs for cs in CASES}.values())


@pytest.mark.parametrize("backend", ["numpy", "torch"])
@pytest.mark.parametrize("case", _ONE_PER_NAME, ids=[cs.name for cs in _ONE_PER_NAME])
def test_other_backends_raise_backend_error(case: Case, backend: str) -> None:
    if backend == "torch":
        pytest.importorskip("torch")
    args = tuple(_move(a, backend) for a in case.args)
    kwargs = {k: _move(v, backend) for k, v in case.kwargs.items()}
    fn = getattr(plax, case.name)
    with _default(backend), pytest.raises(u.BackendError) as info:
        fn(*args, **kwargs)
    msg = str(info.value)
    assert f"lax.{case.name}" in msg and backend in msg and ".to_jax()" in msg, msg


def test_lax_ops_take_quantities_through_jit() -> None:
    """Quantity is a pytree: jitted lax functions take and return quantities."""
    r = jax.jit(plax.dot_general, static_argnums=2)(Q(A, m), Q(B, s), (((1,), (1,)), ((), ())))
    assert r.unit == m * s
    np.testing.assert_allclose(np.asarray(r.mantissa), A @ B.T, rtol=1e-12)
    v, i = jax.jit(plax.top_k, static_argnums=1)(Q(A, m), 2)
    assert v.unit == m and not isinstance(i, u.Quantity)
