"""Helpers for backend calls that compose several native ops (`_compose.<name>` in a spec
`call:`), where one expression would have to compute a part twice or could not raise.

They work on mantissas only; units are handled by the generated code around them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NoReturn

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
    """torch.linalg.lstsq with numpy's conventions: a 1-D `b` is one right-hand side, and the
    rank and singular values are always computed (driver gelsd)."""
    vector = b.ndim == 1
    r = torch.linalg.lstsq(a, b[..., None] if vector else b, rcond=rcond, driver="gelsd")
    solution, residuals = r.solution, r.residuals
    if vector:
        solution = solution[..., 0]
        residuals = residuals[..., 0] if residuals.numel() else residuals
    return solution, residuals, r.rank, r.singular_values


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
