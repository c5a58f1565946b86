"""polyunit.lax functions whose results the spec cannot describe: their structure depends on the
arguments (`svd(compute_uv=False)` gives one array, else three), or each part keeps the unit of
its own input (`sort_key_val`, a `sort` or `reduce` over several operands).

Like every lax op they compute on jax only; other inputs raise BackendError with the `.to_jax()`
fix. jax is imported when a function runs, never when polyunit is imported.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from polyunit import rules as _r
from polyunit.backend import is_installed, select
from polyunit.errors import DimensionMismatchError, missing_backend
from polyunit.quantity import Quantity, describe
from polyunit.unit import UNITLESS, Unit

__all__ = ["broadcast_shapes", "eig", "qr", "reduce", "schur", "sort", "sort_key_val", "svd"]

_LIFT: list[Callable[[object], _r.Lifted]] = []


def _on_jax(op: str, *values: object) -> Callable[[object], _r.Lifted]:
    """The jax lifter, after checking that the inputs select the jax backend."""
    backend = select(*values)
    if backend != "jax":
        raise _r.jax_only(f"lax.{op}", backend)
    if not _LIFT:
        _LIFT.append(_r.make_lift("jax", scalars_pass=True))
    return _LIFT[0]


def _lax() -> Any:
    if not is_installed("jax"):
        raise missing_backend("jax")
    import jax.lax

    return jax.lax


def _is_seq(v: object) -> bool:
    return isinstance(v, list | tuple)


def sort(operand: Any, dimension: int = -1, is_stable: bool = True, num_keys: int = 1) -> Any:
    """Sort along a dimension; several operands are sorted together by the first `num_keys`.

    Unit rule: each result has the unit of its own operand (a plain operand gives a plain result).
    """
    ops = list(operand) if _is_seq(operand) else [operand]
    lift = _on_jax("sort", *ops)
    pairs = [lift(v) for v in ops]
    out = _lax().sort(
        [m for m, _ in pairs] if _is_seq(operand) else pairs[0][0],
        dimension=dimension,
        is_stable=is_stable,
        num_keys=num_keys,
    )
    if not _is_seq(operand):
        return _r.keep(out, pairs[0][1])
    return tuple(_r.keep(r, u) for r, (_, u) in zip(out, pairs, strict=True))


def sort_key_val(keys: Any, values: Any, dimension: int = -1, is_stable: bool = True) -> Any:
    """Sort keys along a dimension and apply the same permutation to values.

    Unit rule: the sorted keys keep the unit of `keys`, the values the unit of `values`.
    """
    lift = _on_jax("sort_key_val", keys, values)
    (mk, uk), (mv, uv) = lift(keys), lift(values)
    k, v = _lax().sort_key_val(mk, mv, dimension=dimension, is_stable=is_stable)
    return _r.keep(k, uk), _r.keep(v, uv)


def eig(
    x: Any, compute_left_eigenvectors: bool = True, compute_right_eigenvectors: bool = True
) -> Any:
    """Eigenvalues and, as asked, left and right eigenvectors of a square matrix (CPU only).

    Unit rule: the eigenvalues (first result) have the unit of `x`; eigenvectors are plain.
    """
    m, u = _on_jax("eig", x)(x)
    out = _lax().linalg.eig(
        m,
        compute_left_eigenvectors=compute_left_eigenvectors,
        compute_right_eigenvectors=compute_right_eigenvectors,
    )
    return [_r.keep(out[0], u), *out[1:]]


def qr(x: Any, pivoting: bool = False, full_matrices: bool = True, use_magma: Any = None) -> Any:
    """QR decomposition: (q, r), or (q, r, p) with column pivoting.

    Unit rule: r has the unit of `x`; q (orthonormal) and the pivots p are plain.
    """
    m, u = _on_jax("qr", x)(x)
    out = _lax().linalg.qr(m, pivoting=pivoting, full_matrices=full_matrices, use_magma=use_magma)
    return (out[0], _r.keep(out[1], u), *out[2:])


def schur(
    x: Any,
    compute_schur_vectors: bool = True,
    sort_eig_vals: bool = False,
    select_callable: Any = None,
) -> Any:
    """Schur decomposition x = vs t vs^H (CPU only): (t, vs).

    Unit rule: t has the unit of `x`; the Schur vectors vs are plain.
    """
    m, u = _on_jax("schur", x)(x)
    t, vs = _lax().linalg.schur(
        m,
        compute_schur_vectors=compute_schur_vectors,
        sort_eig_vals=sort_eig_vals,
        select_callable=select_callable,
    )
    return _r.keep(t, u), vs


def svd(
    x: Any,
    full_matrices: bool = True,
    compute_uv: bool = True,
    subset_by_index: Any = None,
    algorithm: Any = None,
) -> Any:
    """Singular value decomposition: (u, s, vh), or only s when `compute_uv` is False.

    Unit rule: the singular values s have the unit of `x`; u and vh are plain.
    """
    m, unit = _on_jax("svd", x)(x)
    out = _lax().linalg.svd(
        m,
        full_matrices=full_matrices,
        compute_uv=compute_uv,
        subset_by_index=subset_by_index,
        algorithm=algorithm,
    )
    if not compute_uv:
        return _r.keep(out, unit)
    uu, s, vh = out
    return uu, _r.keep(s, unit), vh


def _products() -> tuple[Any, ...]:
    import jax.numpy as jnp

    lax = _lax()
    return (operator.mul, lax.mul, jnp.multiply)


def reduce(operands: Any, init_values: Any, computation: Any, dimensions: Sequence[int]) -> Any:
    """Reduce over `dimensions` with a binary `computation` started from `init_values`.

    Unit rule: each init value is converted to the unit of its operand and each result has the
    unit of its operand. `computation` sees mantissas in that unit and must give values in it
    (add, max, min); a product changes the unit, so lax.mul is refused (use polyunit.math.prod).

    Note: the reference drops the unit (a known defect); the sum of metres is in metres.
    """
    many = _is_seq(operands)
    ops = list(operands) if many else [operands]
    inits = list(init_values) if _is_seq(init_values) else [init_values]
    if len(inits) != len(ops):
        raise ValueError(
            f"lax.reduce: {len(ops)} operands but {len(inits)} init values; give one per operand"
        )
    if any(computation is p for p in _products()):
        raise DimensionMismatchError(
            "lax.reduce: a product changes the unit with the number of factors, which the result "
            "cannot carry; use polyunit.math.prod, or reduce the mantissa (q.mantissa) instead"
        )
    lift = _on_jax("reduce", *ops)
    ms: list[Any] = []
    units: list[tuple[Unit | None, Any]] = []
    for v, init in zip(ops, inits, strict=True):
        m, u = lift(v)
        mi, ui = lift(init)
        target = UNITLESS if u is None else u
        got = UNITLESS if ui is None else ui
        if got.dim is not target.dim:
            raise DimensionMismatchError(
                f"lax.reduce: init value {describe(init)} does not have the dimension of the "
                f"operand {describe(v)}; give it in {target.dispname}"
            )
        f = got.factor_to(target)
        ms.append(m)
        inits_m = mi if f == 1.0 else mi * f
        units.append((u, inits_m))
    lax = _lax()
    if many:
        out = lax.reduce(tuple(ms), tuple(i for _, i in units), computation, tuple(dimensions))
        return tuple(_r.keep(r, u) for r, (u, _) in zip(out, units, strict=True))
    out = lax.reduce(ms[0], units[0][1], computation, tuple(dimensions))
    return _r.keep(out, units[0][0])


def broadcast_shapes(*shapes: Sequence[int]) -> tuple[int, ...]:
    """The shape that arrays of the given shapes broadcast to (a shape utility: no units)."""
    for s in shapes:
        if isinstance(s, Quantity | Unit):
            raise TypeError(
                "lax.broadcast_shapes takes shapes (tuples of ints), not quantities; pass q.shape"
            )
    return tuple(_lax().broadcast_shapes(*(tuple(s) for s in shapes)))
