"""polyunit.linalg and polyunit.fft beyond the spec-driven cases: refused arguments and their
messages, unit names of frequencies, and dask (lazy results, multi-chunk inputs, composed ops)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polyunit as u
from polyunit import fft, linalg
from tests.behaviour.opcases import X, Y
from tests.behaviour.specials.linfft import RHS, SPD, SQ, SQ6, TALL

da = pytest.importorskip("dask.array")


def q(values: Any, unit: Any) -> Any:
    return u.Quantity(np.asarray(values), unit=unit)


def lazy(values: Any, unit: Any = None, chunks: Any = 2) -> Any:
    m = da.from_array(np.asarray(values), chunks=chunks)
    return m if unit is None else u.Quantity(m, unit=unit)


def computed(r: Any) -> tuple[np.ndarray, Any]:
    """(numpy values, unit) of a dask result, which must still be lazy."""
    m = r.mantissa if isinstance(r, u.Quantity) else r
    assert isinstance(m, da.Array), f"expected a lazy dask result, got {type(m).__name__}"
    return np.asarray(m.compute()), getattr(r, "unit", None)


# -- refused arguments --------------------------------------------------------------------------
def test_det_needs_square_matrices() -> None:
    with pytest.raises(ValueError, match=r"square matrices.*shape \(3, 4\)"):
        linalg.det(q(X, u.meter))


def test_det_unit_is_power_of_the_size() -> None:
    r = linalg.det(q(SQ, u.mV))
    assert r.unit == u.mV**3
    np.testing.assert_allclose(r.mantissa, np.linalg.det(SQ))


def test_slogdet_refuses_a_dimensionful_matrix() -> None:
    with pytest.raises(u.DimensionMismatchError, match="dimensionless"):
        linalg.slogdet(q(SQ, u.meter))
    sign, logdet = linalg.slogdet(q(SQ, u.mV / u.volt))  # the scale 1e-3 is folded in
    assert not isinstance(logdet, u.Quantity)
    np.testing.assert_allclose(logdet, np.linalg.slogdet(SQ * 1e-3)[1])


def test_qr_mode_r_and_svd_without_uv_point_to_the_fix() -> None:
    with pytest.raises(ValueError, match=r"qr\(a\)\[1\]"):
        linalg.qr(q(X, u.meter), mode="r")
    with pytest.raises(ValueError, match="mode must be one of"):
        linalg.qr(q(X, u.meter), mode="economic")
    with pytest.raises(ValueError, match="svdvals"):
        linalg.svd(q(X, u.meter), compute_uv=False)


def test_matrix_rank_tolerance_needs_the_matrix_dimension() -> None:
    m = q(np.diag([2.0, 1.0, 0.1]), u.meter)
    assert int(linalg.matrix_rank(m, tol=q(50.0, u.cmeter))) == 2
    with pytest.raises(u.DimensionMismatchError):
        linalg.matrix_rank(m, tol=q(0.5, u.second))


def test_eig_of_a_real_matrix_is_complex_with_the_unit() -> None:
    w, v = linalg.eig(q(np.array([[0.0, -1.0], [1.0, 0.0]]), u.volt))
    assert w.unit == u.volt and not isinstance(v, u.Quantity)
    np.testing.assert_allclose(np.sort_complex(w.mantissa), [-1j, 1j])


def test_lstsq_parts_carry_their_units() -> None:
    x, res, rank, sv = linalg.lstsq(q(TALL, u.meter), q(RHS, u.second))
    assert (x.unit, res.unit, sv.unit) == (u.second / u.meter, u.second**2, u.meter)
    assert not isinstance(rank, u.Quantity) and int(rank) == 3


# -- fft units -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spacing", "name"), [(u.second, "Hz"), (u.ms, "kHz"), (u.us, "MHz"), (u.meter, "1 / m")]
)
def test_frequencies_are_named_in_hertz_for_a_time_spacing(spacing: Any, name: str) -> None:
    f = fft.rfftfreq(8, q(0.5, spacing))
    assert str(f.unit) == name
    np.testing.assert_allclose(f.mantissa, np.fft.rfftfreq(8, 0.5))


def test_frequencies_of_a_plain_spacing_are_plain() -> None:
    f = fft.fftfreq(4, 0.25)
    assert not isinstance(f, u.Quantity)
    np.testing.assert_allclose(np.asarray(f), np.fft.fftfreq(4, 0.25))


def test_transform_keeps_the_unit_and_round_trips() -> None:
    signal = q(X[0], u.mV)
    spectrum = fft.fft(signal)
    assert spectrum.unit == u.mV  # the reference would say mV * s
    back = fft.ifft(spectrum)
    assert back.unit == u.mV
    np.testing.assert_allclose(back.mantissa.real, X[0])


# -- dask ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "call", "ref", "unit"),
    [
        ("cond", lambda: linalg.cond(lazy(SQ), 1), lambda: np.linalg.cond(SQ, 1), None),
        (
            "cross",
            lambda: linalg.cross(lazy(X[:, :3], u.meter), lazy(Y[:, :3], u.second), axisa=0),
            lambda: np.cross(X[:, :3], Y[:, :3], axisa=0),
            u.meter * u.second,
        ),
        (
            "kron",
            lambda: linalg.kron(lazy(X[:2, :2], u.meter), lazy(Y[:2, :3])),
            lambda: np.kron(X[:2, :2], Y[:2, :3]),
            u.meter,
        ),
        (
            "matrix_power",
            lambda: linalg.matrix_power(lazy(SQ, u.meter), -3),
            lambda: np.linalg.matrix_power(SQ, -3),
            u.meter**-3,
        ),
        (
            "matrix_rank",
            lambda: linalg.matrix_rank(lazy(np.diag([2.0, 1.0, 1e-20]), u.meter)),
            lambda: 2,
            None,
        ),
        (
            "multi_dot",
            lambda: linalg.multi_dot([lazy(X, u.meter), lazy(Y.T), lazy(SQ, u.second)]),
            lambda: X @ Y.T @ SQ,
            u.meter * u.second,
        ),
        ("pinv", lambda: linalg.pinv(lazy(X, u.meter)), lambda: np.linalg.pinv(X), u.meter**-1),
        (
            "tensorinv",
            lambda: linalg.tensorinv(lazy(SQ6.reshape(6, 2, 3), u.meter), ind=1),
            lambda: np.linalg.tensorinv(SQ6.reshape(6, 2, 3), ind=1),
            u.meter**-1,
        ),
        (
            "tensorsolve",
            lambda: linalg.tensorsolve(lazy(SQ6.reshape(2, 3, 6), u.meter), lazy(Y[:2, :3])),
            lambda: np.linalg.tensorsolve(SQ6.reshape(2, 3, 6), Y[:2, :3]),
            u.meter**-1,
        ),
        (
            "solve",
            lambda: linalg.solve(lazy(SQ, u.meter), lazy(Y[:, :2], u.second)),
            lambda: np.linalg.solve(SQ, Y[:, :2]),
            u.second / u.meter,
        ),
        (
            "cholesky",
            lambda: linalg.cholesky(lazy(SPD, u.meter**2, chunks=-1), upper=True),
            lambda: np.linalg.cholesky(SPD, upper=True),
            u.meter,
        ),
        (
            "vector_norm",
            lambda: linalg.vector_norm(lazy(X, u.meter), ord=3, axis=1),
            lambda: np.linalg.vector_norm(X, ord=3, axis=1),
            u.meter,
        ),
        (
            "fftn",
            lambda: fft.fftn(lazy(X, u.volt), s=(2, 3)),
            lambda: np.fft.fftn(X, s=(2, 3), axes=(0, 1)),
            u.volt,
        ),
        (
            "irfft2",
            lambda: fft.irfft2(lazy(X + 1j * Y, u.volt)),
            lambda: np.fft.irfft2(X + 1j * Y),
            u.volt,
        ),
        (
            "fftfreq",
            lambda: fft.fftfreq(6, u.Quantity(da.asarray(0.5), unit=u.ms)),
            lambda: np.fft.fftfreq(6, 0.5),
            u.kHz,
        ),
    ],
)
def test_dask_results_are_lazy_and_right(name: str, call: Any, ref: Any, unit: Any) -> None:
    got, got_unit = computed(call())
    np.testing.assert_allclose(got, ref(), rtol=1e-9, atol=1e-12, err_msg=name)
    assert got_unit == unit, f"{name}: unit {got_unit}, expected {unit}"


@pytest.mark.parametrize(
    ("name", "call", "ref"),
    [
        ("svd", lambda q: linalg.svd(q), lambda a: np.linalg.svd(a)),
        (
            "qr complete",
            lambda q: linalg.qr(q, mode="complete"),
            lambda a: np.linalg.qr(a, "complete"),
        ),
        ("qr raw", lambda q: linalg.qr(q, mode="raw"), lambda a: np.linalg.qr(a, "raw")),
    ],
)
def test_dask_forms_it_lacks_are_lazy_and_match_numpy(name: str, call: Any, ref: Any) -> None:
    """dask has only the reduced SVD and QR; the other forms run numpy's per matrix."""
    stack = np.stack([X, X[::-1] * 2.0])  # (2, 3, 4), split into several chunks
    parts = call(u.Quantity(da.from_array(stack, chunks=(1, 2, 2)), unit=u.meter))
    for got, want in zip(parts, ref(stack), strict=True):
        m = got.mantissa if isinstance(got, u.Quantity) else got
        assert isinstance(m, da.Array), f"{name}: the parts stay lazy"
        np.testing.assert_allclose(m.compute(), want, rtol=1e-10, atol=1e-12, err_msg=name)
    assert sum(isinstance(p, u.Quantity) and p.unit == u.meter for p in parts) == 1, name


STACK = np.stack([SQ, SPD, SQ.T * 0.5])  # three 3 x 3 matrices


@pytest.mark.parametrize(
    ("name", "call", "ref", "unit"),
    [
        ("det", lambda a: [linalg.det(a)], lambda a: [np.linalg.det(a)], u.meter**3),
        ("slogdet", lambda a: linalg.slogdet(a / u.meter), np.linalg.slogdet, None),
        ("eigvals", lambda a: [linalg.eigvals(a)], lambda a: [np.linalg.eigvals(a)], u.meter),
        (
            "eigvalsh",
            lambda a: [linalg.eigvalsh(a, symmetrize_input=False)],
            lambda a: [np.linalg.eigvalsh(a)],
            u.meter,
        ),
        ("eig", lambda a: linalg.eig(a), np.linalg.eig, u.meter),
        ("eigh", lambda a: linalg.eigh(a, symmetrize_input=False), np.linalg.eigh, u.meter),
    ],
)
def test_dask_per_matrix_ops_are_lazy_and_match_numpy(
    name: str, call: Any, ref: Any, unit: Any
) -> None:
    """dask has no det, slogdet or eigen-solvers: numpy's runs per matrix, chunks and all."""
    a = u.Quantity(da.from_array(STACK, chunks=(2, 2, 2)), unit=u.meter)
    parts = call(a)
    for i, (got, want) in enumerate(zip(parts, ref(STACK), strict=True)):
        values, got_unit = computed(got)
        assert got_unit == (unit if i == 0 else None), f"{name}, part {i}: unit {got_unit}"
        np.testing.assert_allclose(values, want, rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("axis", [0, 1, -1, None])
def test_dask_sort_and_argsort_over_chunks(axis: int | None) -> None:
    """The sorted axis becomes one chunk; the others keep theirs; NaN sorts last as in numpy."""
    values = np.stack([X, Y[::-1]])
    values[1, 0, 2] = np.nan
    a = u.Quantity(da.from_array(values, chunks=(1, 2, 3)), unit=u.meter)
    got, unit = computed(u.math.sort(a, axis=axis))
    np.testing.assert_array_equal(got, np.sort(values, axis=axis))
    assert unit == u.meter
    idx, _ = computed(u.math.argsort(a, axis=axis))
    np.testing.assert_array_equal(idx, np.argsort(values, axis=axis))


@pytest.mark.parametrize(
    ("call", "fix"),
    [
        (lambda: linalg.lstsq(lazy(TALL), lazy(RHS), rcond=1e-3), "rcond=None"),
    ],
)
def test_dask_refusals_name_the_fix(call: Any, fix: str) -> None:
    with pytest.raises(u.BackendError, match=f"dask.*{fix}"):
        call()
