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
