"""Helpers for backend calls that compose several native ops (`_compose.<name>` in a spec
`call:`), where one expression would have to compute a part twice or could not raise.

They work on mantissas only; units are handled by the generated code around them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

import numpy as np

from polyunit.rules import unsupported


def refuse(op: str, backend: str, reason: str) -> NoReturn:
    """Raise for an argument value this backend cannot compute (the reason names the fix)."""
    raise unsupported(op, backend, reason)


def chain(product: Callable[[Any, Any], Any], arrays: Sequence[Any]) -> Any:
    """Left-to-right product of two or more arrays (multi_dot where the library has none)."""
    if len(arrays) < 2:
        raise ValueError(f"multi_dot needs at least two arrays, got {len(arrays)}")
    result = arrays[0]
    for m in arrays[1:]:
        result = product(result, m)
    return result


def torch_lstsq(torch: Any, a: Any, b: Any, rcond: float | None) -> tuple[Any, Any, Any, Any]:
    """torch.linalg.lstsq with numpy's conventions: a 1-D `b` is one right-hand side, the rank
    is always computed (driver gelsd), and the residuals (for a tall `a` of full rank, else
    empty) and singular values are computed from differentiable ops, which torch's are not."""
    vector = b.ndim == 1
    rhs = b[..., None] if vector else b
    r = torch.linalg.lstsq(a, rhs, rcond=rcond, driver="gelsd")
    rows, cols = a.shape[-2], a.shape[-1]
    residuals = r.residuals
    if rows > cols and bool((r.rank == cols).all()):
        residuals = ((a @ r.solution - rhs).abs() ** 2).sum(-2)
    solution = r.solution[..., 0] if vector else r.solution
    return solution, residuals, r.rank, torch.linalg.svdvals(a)


def torch_qr_raw(torch: Any, a: Any) -> tuple[Any, Any]:
    """numpy's qr(mode='raw'): LAPACK's (h, tau), with h transposed as numpy returns it."""
    h, tau = torch.geqrf(a)
    return h.mT, tau


def fft_axes(
    ndim: int, axes: int | Sequence[int] | None, s: int | Sequence[int] | None = None
) -> tuple[int, ...]:
    """The axes an n-D FFT transforms, by numpy's rule: `axes` None means the last len(s) axes
    when `s` is given, else all axes (dask would take the first len(s) axes)."""
    if axes is None:
        count = ndim if s is None else (1 if isinstance(s, int) else len(s))
        return tuple(range(ndim - count, ndim))
    return (axes,) if isinstance(axes, int) else tuple(axes)


def whole_axes(
    a: Any, axes: int | Sequence[int] | None, s: int | Sequence[int] | None = None
) -> Any:
    """A dask array rechunked so the transformed axes are one chunk each, as dask's FFTs need."""
    return a.rechunk({ax % a.ndim: -1 for ax in fft_axes(a.ndim, axes, s)})


def kron(a: Any, b: Any) -> Any:
    """Kronecker product by broadcasting: axis k of the result indexes (a's k, b's k) pairs,
    with the shorter shape padded by leading ones (numpy's rule)."""
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + tuple(a.shape)
    sb = (1,) * (nd - b.ndim) + tuple(b.shape)
    a_ = a.reshape(tuple(x for n in sa for x in (n, 1)))
    b_ = b.reshape(tuple(x for n in sb for x in (1, n)))
    return (a_ * b_).reshape(tuple(x * y for x, y in zip(sa, sb, strict=True)))


def matrix_power(
    matmul: Callable[[Any, Any], Any], inv: Callable[[Any], Any], eye: Any, a: Any, n: int
) -> Any:
    """a**n for square matrices by repeated squaring; n < 0 inverts first, n == 0 is `eye`."""
    if n < 0:
        a, n = inv(a), -n
    result = None
    while n:
        if n & 1:
            result = a if result is None else matmul(result, a)
        n >>= 1
        if n:
            a = matmul(a, a)
    return eye if result is None else result


def pinv_svd(svd: Callable[[Any], Any], a: Any, rtol: float | None) -> Any:
    """Pseudo-inverse of a matrix from its reduced SVD: V diag(1/s) U^H, dropping singular
    values below rtol * max(s) (numpy's default rtol: max(m, n) * eps)."""
    u, s, vh = svd(a)
    if rtol is None:
        rtol = max(a.shape[-2:]) * float(np.finfo(a.dtype).eps)
    keep = s > rtol * s.max()
    s_inv = (1 / (s + (s <= 0))) * keep  # avoid 1/0 where the value is dropped anyway
    return (vh.conj().T * s_inv) @ u.conj().T


def matrix_rank_svd(svd: Callable[[Any], Any], m: Any, rtol: float | None, tol: Any | None) -> Any:
    """Number of singular values above `tol`, or above rtol * max(s) (numpy's rule; default
    rtol max(m, n) * eps)."""
    s = svd(m)[1]
    if tol is None:
        if rtol is None:
            rtol = max(m.shape[-2:]) * float(np.finfo(m.dtype).eps)
        tol = s.max() * rtol
    return (s > tol).sum()


def tensorinv(inv: Callable[[Any], Any], a: Any, ind: int) -> Any:
    """Inverse of `a` under tensordot over its first `ind` axes, through a square matrix inverse."""
    if ind <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer, got {ind}")
    rows, cols = tuple(a.shape[:ind]), tuple(a.shape[ind:])
    n = math.prod(int(k) for k in rows)
    return inv(a.reshape(n, -1)).reshape(cols + rows)


def tensorsolve(solve: Callable[[Any, Any], Any], a: Any, b: Any, axes: Any) -> Any:
    """x with tensordot(a, x, x.ndim) == b, through a square linear solve (numpy's method)."""
    if axes is not None:
        axes = (axes,) if isinstance(axes, int) else tuple(axes)
        order = [k for k in range(a.ndim) if k not in {ax % a.ndim for ax in axes}]
        a = a.transpose(order + [ax % a.ndim for ax in axes])
    xshape = tuple(a.shape[b.ndim :])
    n = math.prod(int(k) for k in b.shape)
    return solve(a.reshape(n, -1), b.reshape(-1)).reshape(xshape)


def torch_frequencies(fn: Any, n: int, d: Any, dtype: Any) -> Any:
    """torch.fft.fftfreq / rfftfreq for a tensor spacing: computed for d = 1 and divided by d,
    so the result keeps d's device and autograd (torch takes d only as a Python float)."""
    floating = d.is_floating_point() or d.is_complex()
    base = fn(n, device=d.device, dtype=d.dtype if floating else None)
    out = base / d
    return out if dtype is None else out.to(dtype)


def dask_square(a: Any) -> Any:
    """`a` with one chunk size along both matrix axes, as dask's LU needs (one chunk if the
    given chunks are uneven)."""
    if len(set(a.chunks[-2] + a.chunks[-1])) == 1:
        return a
    return a.rechunk({a.ndim - 2: -1, a.ndim - 1: -1})


def dask_solve(da: Any, a: Any, b: Any) -> Any:
    """da.linalg.solve with the chunking it needs: square chunks of `a`, rows of `b` to match."""
    a = dask_square(a)
    return da.linalg.solve(a, b.rechunk({0: a.chunks[-1]}))


def dask_inverse(da: Any) -> Callable[[Any], Any]:
    """da.linalg.inv for any chunking of the matrix."""
    return lambda a: da.linalg.inv(dask_square(a))


def dask_solver(da: Any) -> Callable[[Any, Any], Any]:
    """dask_solve as a two-argument function."""
    return lambda a, b: dask_solve(da, a, b)
