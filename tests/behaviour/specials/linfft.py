"""SPECIAL entries for polyunit.linalg and polyunit.fft: square, positive-definite and complex
inputs, required arguments, numpy references where the name or parameters differ, and the
expectations of the custom rules (det, lstsq, norm, qr, svd, frequency)."""

from __future__ import annotations

from typing import Any

import numpy as np

import polyunit as u
from tests.behaviour.opcases import OTHER_DIM, ZEROS, Special, X, Y, Z

SQ = X[:, :3] + 2.0 * np.eye(3)  # well conditioned, not symmetric
SPD = SQ @ SQ.T  # symmetric positive definite
ROT = np.array([[0.2, -1.1, 0.3], [0.9, 0.4, -0.2], [0.1, 0.3, 0.7]])  # complex eigenvalues
SQ6 = 2.0 * np.eye(6) + np.outer(X.ravel()[:6], Y.ravel()[:6]) * 0.3
TALL = np.vstack([X.T[:, :3], Z[0, :3]])  # 5 x 3, full column rank
RHS = np.array([0.4, -0.2, 0.9, 0.1, 0.5])


def _unit_pow(unit: Any, n: int) -> Any:
    return None if unit is None else unit**n


def _det(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[Any, Any]:
    (a,) = names
    return np.linalg.det(m[a]), _unit_pow(units[a], m[a].shape[-1])


def _lstsq(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> list[Any]:
    m = {**plain, **m}  # the plain arguments are read by name
    a, b = names
    x, res, rank, sv = np.linalg.lstsq(m[a], m[b], rcond=m.get("rcond"))
    ua, ub = units[a], units[b]
    return [(x, ub / ua), (res, ub**2), (rank, None), (sv, ua)]


def _norm(fn: Any) -> Any:
    def expect(
        m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
    ) -> Any:
        m = {**plain, **m}  # the plain arguments are read by name
        (x,) = names
        kw = {k: m[k] for k in ("ord", "axis", "keepdims") if k in m}
        return fn(m[x], **kw), (None if kw.get("ord") == 0 else units[x])

    return expect


def _qr(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> list[Any]:
    m = {**plain, **m}  # the plain arguments are read by name
    (a,) = names
    mode = m.get("mode", "reduced")
    first, second = np.linalg.qr(m[a], mode=mode)
    if mode == "raw":
        return [(first, units[a]), (second, None)]
    return [(first, None), (second, units[a])]


def _svd(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> list[Any]:
    m = {**plain, **m}  # the plain arguments are read by name
    (x,) = names
    uu, s, vh = np.linalg.svd(m[x], full_matrices=m.get("full_matrices", True))
    if m.get("subset_by_index") is not None:  # singular values lo..hi-1 and their vectors
        lo, hi = m["subset_by_index"]
        uu, s, vh = uu[..., :, lo:hi], s[..., lo:hi], vh[..., lo:hi, :]
    return [(uu, None), (s, units[x]), (vh, None)]


def _svd_signs(parts: list[Any]) -> list[Any]:
    """Singular vectors are unique up to a sign per pair (the i-th column of U, the i-th row of
    Vh): flip each pair so that the largest entry of the column of U is positive."""
    uu, s, vh = parts
    k = s.shape[-1]
    cols = uu[..., :, :k]
    pick = np.take_along_axis(cols, np.abs(cols).argmax(axis=-2)[..., None, :], axis=-2)
    sign = np.where(pick < 0, -1.0, 1.0)  # shape (..., 1, k)
    uu = np.concatenate([cols * sign, uu[..., :, k:]], axis=-1)
    vh = np.concatenate([vh[..., :k, :] * np.swapaxes(sign, -1, -2), vh[..., k:, :]], axis=-2)
    return [uu, s, vh]


def _frequency(fn: Any) -> Any:
    def expect(
        m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
    ) -> Any:
        m = {**plain, **m}  # the plain arguments are read by name
        (d,) = names
        return fn(m["n"], m[d]), (None if units[d] is None else units[d] ** -1)

    return expect


def _cholesky(a: Any, upper: bool = False, symmetrize_input: bool = True) -> Any:
    return np.linalg.cholesky(a, upper=upper)


def _eigh(a: Any, UPLO: str | None = None, symmetrize_input: bool = True) -> Any:
    return np.linalg.eigh(a, UPLO="L" if UPLO is None else UPLO)


def _eigvalsh(a: Any, UPLO: str | None = "L", symmetrize_input: bool = True) -> Any:
    return np.linalg.eigvalsh(a, UPLO="L" if UPLO is None else UPLO)


def _pinv(a: Any, rtol: Any = None, hermitian: bool = False, rcond: Any = None) -> Any:
    return np.linalg.pinv(a, rtol=rtol if rcond is None else rcond, hermitian=hermitian)


def _matrix_rank(m: Any, tol: Any = None, rtol: Any = None) -> Any:
    return np.linalg.matrix_rank(m, tol=tol, rtol=rtol)


def _tensordot(a: Any, b: Any, axes: int = 2) -> Any:
    return np.tensordot(a, b, axes=axes)


_SECONDS = {"seconds": {"units": {"b": OTHER_DIM}}}
_FFT1 = {"n6": {"n": 6}, "ortho": {"norm": "ortho"}}
_FFT2 = {"axes": {"axes": (0, 1), "s": (2, 4)}, "forward": {"norm": "forward"}}
_FFTN = {"s": {"s": (2, 3), "axes": (0, 1)}, "axes": {"axes": (1,), "norm": "ortho"}}

SPECIAL: dict[str, Special] = {
    "linalg.cholesky": Special(
        data={"a": SPD},
        ref=_cholesky,
        variants={"upper": {"upper": True}, "nosym": {"symmetrize_input": False}},
    ),
    "linalg.cond": Special(data={"x": SQ}, variants={"p1": {"p": 1}, "fro": {"p": "fro"}}),
    "linalg.cross": Special(
        data={"a": X[:, :3], "b": Y[:, :3]},
        ref=np.cross,
        variants={"axisa0": {"axisa": 0}, "axisc0": {"axisc": 0}},
    ),
    "linalg.det": Special(
        data={"a": SQ}, custom=_det, variants={"stack": {"data": {"a": np.stack([SQ, SPD])}}}
    ),
    "linalg.diagonal": Special(variants={"offset1": {"offset": 1}}),
    "linalg.dot": Special(data={"a": X, "b": Y.T[:, :2]}, ref=np.dot),
    "linalg.eig": Special(data={"a": ROT}, rtol=1e-8),
    "linalg.eigh": Special(data={"a": SPD}, ref=_eigh, rtol=1e-8, variants={"U": {"UPLO": "U"}}),
    "linalg.eigvals": Special(data={"a": ROT}, rtol=1e-8),
    "linalg.eigvalsh": Special(
        data={"a": SPD}, ref=_eigvalsh, rtol=1e-8, variants={"U": {"UPLO": "U"}}
    ),
    "linalg.inner": Special(data={"a": X, "b": Y[:2]}, ref=np.inner),
    "linalg.inv": Special(data={"a": SQ}),
    "linalg.kron": Special(data={"a": X[:2, :2], "b": Y[:2, :3]}, ref=np.kron),
    "linalg.lstsq": Special(
        data={"a": TALL, "b": RHS},
        custom=_lstsq,
        rtol=1e-8,
        variants={**_SECONDS, "matrix": {"data": {"b": np.stack([RHS, RHS[::-1]], -1)}}},
    ),
    "linalg.matmul": Special(data={"a": X, "b": Y.T[:, :2]}),
    "linalg.matrix_norm": Special(
        variants={"nuc": {"ord": "nuc"}, "inf": {"ord": np.inf}},
        refused={"nuc": {"ndonnx": "needs singular values"}},
    ),
    "linalg.matrix_power": Special(
        data={"a": SQ},
        kwargs={"n": 2},
        variants={"n3": {"n": 3}, "nminus1": {"n": -1}},
        refused={"nminus1": {"ndonnx": "negative power needs a matrix inverse"}},
    ),
    "linalg.matrix_rank": Special(
        data={"M": np.diag([2.0, 1.0, 0.1]), "tol": np.array(0.5)},
        ref=_matrix_rank,
    ),
    "linalg.multi_dot": Special(data={"arrays": [X, Y.T, Z]}),
    "linalg.norm": Special(
        custom=_norm(np.linalg.norm),
        variants={
            "ord0": {"data": {"x": ZEROS[0]}, "ord": 0},
            "ord1axis1": {"ord": 1, "axis": 1},
            "nuc": {"ord": "nuc"},
        },
        refused={"nuc": {"ndonnx": "needs singular values"}},
    ),
    "linalg.outer": Special(data={"a": X[0, :3], "b": Y[1]}, ref=np.outer),
    "linalg.pinv": Special(ref=_pinv, variants={"rtol": {"rtol": 0.3}, "rcond": {"rcond": 0.3}}),
    "linalg.qr": Special(
        custom=_qr, rtol=1e-8, variants={"complete": {"mode": "complete"}, "raw": {"mode": "raw"}}
    ),
    "linalg.slogdet": Special(data={"a": SQ}),
    "linalg.solve": Special(
        data={"a": SQ, "b": Y[:, :2]}, variants={"vector": {"data": {"b": Y[:, 0]}}}
    ),
    "linalg.svd": Special(
        custom=_svd,
        canonical=_svd_signs,  # dask's tsqr SVD picks other signs than LAPACK
        rtol=1e-8,
        variants={
            "reduced": {"full_matrices": False},
            "subset": {"full_matrices": False, "subset_by_index": (0, 2)},
        },
        grad={"full_matrices": False},  # the completed columns of a full U have no gradient
    ),
    "linalg.svdvals": Special(),
    "linalg.tensordot": Special(
        data={"a": np.stack([X[:, :3], Z[:, :3]]), "b": np.stack([Y[:, :3], Z[:, 1:]], axis=-1)},
        ref=_tensordot,
        variants={"axes1": {"axes": 1}},
    ),
    "linalg.tensorinv": Special(data={"a": SQ6.reshape(6, 2, 3)}, kwargs={"ind": 1}),
    "linalg.tensorsolve": Special(data={"a": SQ6.reshape(2, 3, 6), "b": Y[:2, :3]}),
    "linalg.trace": Special(variants={"offset1": {"offset": 1}}),
    "linalg.vdot": Special(ref=np.vdot),
    "linalg.vector_norm": Special(
        custom=_norm(np.linalg.vector_norm),
        variants={
            "ord0": {"data": {"x": ZEROS}, "ord": 0},
            "inf": {"ord": np.inf, "axis": 1},
            "ord3": {"ord": 3, "axis": (0, 1)},
        },
    ),
    "fft.fft": Special(variants=_FFT1),
    "fft.ifft": Special(variants=_FFT1),
    "fft.rfft": Special(variants=_FFT1),
    "fft.irfft": Special(variants=_FFT1),
    "fft.fft2": Special(variants=_FFT2),
    "fft.ifft2": Special(variants=_FFT2),
    "fft.rfft2": Special(variants=_FFT2),
    "fft.irfft2": Special(variants=_FFT2),
    "fft.fftn": Special(variants=_FFTN),
    "fft.ifftn": Special(variants=_FFTN),
    "fft.rfftn": Special(variants=_FFTN),
    "fft.irfftn": Special(variants=_FFTN),
    "fft.fftfreq": Special(
        data={"d": np.array(0.1)},
        kwargs={"n": 8},
        custom=_frequency(np.fft.fftfreq),
        rtol=1e-6,  # torch computes in float32
        variants={"ms": {"units": {"d": u.ms}}, "n5": {"n": 5}},
    ),
    "fft.rfftfreq": Special(
        data={"d": np.array(0.1)},
        kwargs={"n": 8},
        custom=_frequency(np.fft.rfftfreq),
        rtol=1e-6,
        variants={"ms": {"units": {"d": u.ms}}, "n5": {"n": 5}},
    ),
    "fft.fftshift": Special(variants={"axes0": {"axes": 0}}),
    "fft.ifftshift": Special(variants={"axes1": {"axes": (1,)}}),
}
