"""einops-style axis patterns on quantities: einrearrange, einreduce, einrepeat, einshape, and
the einsum front end that takes operands as separate arguments.

A pattern names the axes of the input and of the result, `"b (h w) c -> b h w c"`: names,
parenthesised groups that are merged into one axis (or split from one), `...` for the axes not
named, and `1` or `()` for an axis of length one. Lengths that the input does not fix come from
keyword arguments (`h=4`); `einrepeat` may also write a new axis as a number (`"h w -> h w 3"`).
Everything is computed on the mantissa with the input's own library; the unit is kept
(`prod` reductions raise it to the number of multiplied elements; `any`/`all` need a
dimensionless input).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from polyunit import rules as _r
from polyunit.backend import array_namespace, backend_of, select
from polyunit.dimension import DIMENSIONLESS
from polyunit.errors import DimensionMismatchError
from polyunit.quantity import Quantity
from polyunit.unit import Unit

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).

__all__ = ["einrearrange", "einreduce", "einrepeat", "einshape", "einsum"]

_ELLIPSIS = "…"  # stands for the axes `...` covers, numbered …0, …1 ...


# -- parsing ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Side:
    groups: tuple[tuple[str, ...], ...]  # one tuple of names per axis; () is a length-1 axis
    has_ellipsis: bool

    def names(self) -> list[str]:
        return [n for g in self.groups for n in g]


def _parse_side(text: str, where: str) -> _Side:
    tokens = text.replace("(", " ( ").replace(")", " ) ").split()
    groups: list[tuple[str, ...]] = []
    current: list[str] | None = None
    seen: set[str] = set()
    has_ellipsis = False
    for tok in tokens:
        if tok == "(":
            if current is not None:
                raise ValueError(f"einops pattern: nested parentheses in {where} {text!r}")
            current = []
            continue
        if tok == ")":
            if current is None:
                raise ValueError(f"einops pattern: unbalanced ')' in {where} {text!r}")
            groups.append(tuple(current))
            current = None
            continue
        if tok == "...":
            if has_ellipsis:
                raise ValueError(f"einops pattern: '...' twice in {where} {text!r}")
            has_ellipsis = True
            name = _ELLIPSIS
        elif tok.isdigit():
            if tok == "1":
                if current is None:
                    groups.append(())
                continue
            # an anonymous axis of that length: reduced away on the left, new on the right
            name = f"{tok}#{where[0]}{len(seen)}"
        elif tok.isidentifier():
            name = tok
        else:
            raise ValueError(f"einops pattern: {tok!r} in {where} {text!r} is not an axis name")
        if name in seen:
            raise ValueError(f"einops pattern: axis {name!r} appears twice in {where} {text!r}")
        seen.add(name)
        if current is None:
            groups.append((name,))
        else:
            current.append(name)
    if current is not None:
        raise ValueError(f"einops pattern: unbalanced '(' in {where} {text!r}")
    return _Side(tuple(groups), has_ellipsis)


def _parse(pattern: str) -> tuple[_Side, _Side]:
    if not isinstance(pattern, str) or pattern.count("->") != 1:  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
        raise ValueError(f"einops pattern must have the form 'left -> right', got {pattern!r}")
    left, right = pattern.split("->")
    return _parse_side(left, "left side"), _parse_side(right, "right side")


def _anonymous(name: str) -> int:
    return int(name.split("#")[0])


def _expand(side: _Side, n: int) -> tuple[tuple[str, ...], ...]:
    """The groups with `...` replaced by n numbered axes (inside a group, they merge)."""
    out: list[tuple[str, ...]] = []
    dots = tuple(f"{_ELLIPSIS}{i}" for i in range(n))
    for g in side.groups:
        if g == (_ELLIPSIS,):
            out.extend((d,) for d in dots)
        elif _ELLIPSIS in g:
            i = g.index(_ELLIPSIS)
            out.append(g[:i] + dots + g[i + 1 :])
        else:
            out.append(g)
    return tuple(out)


def _match(
    left: _Side, shape: tuple[int, ...], lengths: dict[str, int]
) -> tuple[tuple[tuple[str, ...], ...], dict[str, int]]:
    """Fit the left side to the input's shape: the elementary axes and every axis length."""
    fixed = len(left.groups) - (1 if left.has_ellipsis else 0)
    if (left.has_ellipsis and len(shape) < fixed) or (
        not left.has_ellipsis and len(shape) != fixed
    ):
        raise ValueError(
            f"einops pattern: the left side names {fixed} axes{' and ...' if left.has_ellipsis else ''}, "
            f"but the input has shape {shape}"
        )
    groups = _expand(left, len(shape) - fixed)
    known = dict(lengths)
    for g, dim in zip(groups, shape, strict=True):
        unknown = [n for n in g if n not in known]
        product = math.prod(known[n] for n in g if n in known)
        if len(unknown) > 1:
            raise ValueError(
                f"einops pattern: cannot split an axis of length {dim} into {g}; give the "
                f"lengths of {unknown[:-1]} as keyword arguments"
            )
        if unknown:
            if product == 0 or dim % product:
                raise ValueError(f"einops pattern: axis of length {dim} does not split into {g}")
            known[unknown[0]] = dim // product
        elif product != dim:
            raise ValueError(
                f"einops pattern: axis group {g or '()'} has length {product}, the input has {dim}"
            )
    return groups, known


# -- mantissa helpers ----------------------------------------------------------------------------
def _xp(backend: str) -> Any:
    return array_namespace(backend)


def _permute(backend: str, xp: Any, m: Any, order: list[int]) -> Any:
    if order == sorted(order):
        return m
    if backend == "torch":
        return m.permute(*order)
    if backend == "ndonnx":
        return xp.permute_dims(m, tuple(order))
    return xp.transpose(m, tuple(order))


def _lift(x: Any) -> tuple[Any, Unit | None, str]:
    """Mantissa, unit and backend of the input; a list is stacked (in its first unit)."""
    if isinstance(x, list | tuple):
        if not x:
            raise ValueError("einops: an empty list has no axes")
        backend = select(*x)  # pyright: ignore[reportUnknownArgumentType]
        lift = _r.make_lift(backend, scalars_pass=False)
        ms, us = _r.lift_seq(lift, list(x))  # pyright: ignore[reportUnknownArgumentType]
        ms, u = _r.align_seq("stack", ms, us, list(x))  # pyright: ignore[reportUnknownArgumentType]
        return _xp(backend).stack(ms, axis=0), u, backend
    backend = select(x)
    m, u = _r.make_lift(backend, scalars_pass=False)(x)
    return m, u, backend


def _transform(
    x: Any,
    pattern: str,
    lengths: dict[str, int],
    mode: str,
    reduction: str | Callable[..., Any] | None = None,
) -> Any:
    m, u, backend = _lift(x)
    xp = _xp(backend)
    left, right = _parse(pattern)
    shape = tuple(int(s) for s in m.shape)
    anonymous = {n: _anonymous(n) for n in left.names() + right.names() if "#" in n}
    groups, known = _match(left, shape, {**lengths, **anonymous})
    in_names = [n for g in groups for n in g]
    n_dots = sum(1 for n in in_names if n.startswith(_ELLIPSIS))
    if right.has_ellipsis != left.has_ellipsis:
        raise ValueError(f"einops pattern: '...' must be on both sides or neither: {pattern!r}")
    out_groups = _expand(right, n_dots)
    out_names = [n for g in out_groups for n in g]
    new = [n for n in out_names if n not in in_names]
    dropped = [n for n in in_names if n not in out_names]
    shown = [n.split("#")[0] for n in dropped], [n.split("#")[0] for n in new]
    if mode == "rearrange" and (new or dropped):
        raise ValueError(
            f"einrearrange needs the same axes on both sides; "
            f"only left: {shown[0]}, only right: {shown[1]}; use einreduce or einrepeat"
        )
    if mode == "reduce" and new:
        raise ValueError(f"einreduce cannot create axes {shown[1]}; use einrepeat")
    if mode == "repeat" and dropped:
        raise ValueError(f"einrepeat cannot remove axes {shown[0]}; use einreduce")
    for n in new:
        if n not in known:
            raise ValueError(f"einrepeat: give the length of the new axis {n!r} as a keyword")
    m = xp.reshape(m, tuple(known[n] for n in in_names))
    if dropped:
        m, u = _reduce(
            backend, xp, m, u, [in_names.index(n) for n in dropped], reduction, known, dropped
        )
        in_names = [n for n in in_names if n not in dropped]
    kept = [n for n in out_names if n in in_names]
    m = _permute(backend, xp, m, [in_names.index(n) for n in kept])
    if new:
        # length-1 axes where the new ones go, then broadcast to their lengths
        m = xp.reshape(m, tuple(1 if n in new else known[n] for n in out_names))
        m = xp.broadcast_to(m, tuple(known[n] for n in out_names))
    m = xp.reshape(m, tuple(math.prod(known[n] for n in g) for g in out_groups))
    return _r.changed(m, u) if mode == "reduce" else _r.keep(m, u)


def _reduce(
    backend: str,
    xp: Any,
    m: Any,
    u: Unit | None,
    axes: list[int],
    reduction: str | Callable[..., Any] | None,
    known: dict[str, int],
    dropped: list[str],
) -> tuple[Any, Unit | None]:
    if callable(reduction):
        r = reduction(m if u is None else Quantity._new(m, u), tuple(axes))  # pyright: ignore[reportPrivateUsage]
        if isinstance(r, Quantity):
            return r.mantissa, r.unit  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        return r, None
    if reduction in ("sum", "mean", "max", "min"):
        unit = u
    elif reduction == "prod":
        count = math.prod(known[n] for n in dropped)
        unit = None if u is None else u**count
    elif reduction in ("any", "all"):
        if u is not None and u.dim is not DIMENSIONLESS:
            raise DimensionMismatchError(
                f"einreduce '{reduction}' needs a dimensionless input, got a quantity in {u.dispname}"
            )
        unit = None
        if u is not None and u.magnitude != 1.0:
            m = m * u.magnitude
    else:
        raise ValueError(
            f"einreduce: reduction must be 'sum', 'mean', 'max', 'min', 'prod', 'any', 'all' or "
            f"a function (array, axes); got {reduction!r}"
        )
    # reduce the axes one at a time, last first, so every library's single-axis form works
    for ax in sorted(axes, reverse=True):
        if backend == "torch":
            fn = {"max": xp.amax, "min": xp.amin}.get(str(reduction)) or getattr(xp, str(reduction))
            m = fn(m, dim=ax)
        else:
            m = getattr(xp, str(reduction))(m, axis=ax)
    return m, unit


# -- public functions --------------------------------------------------------------------------
def einrearrange(x: Any, pattern: str, **axes_lengths: int) -> Any:
    """Reorder, merge and split axes by an einops pattern; the unit is kept.

    >>> einrearrange(q, "b h w c -> b (h w) c")
    """
    return _transform(x, pattern, axes_lengths, "rearrange")


def einreduce(
    x: Any, pattern: str, reduction: str | Callable[..., Any], **axes_lengths: int
) -> Any:
    """Reduce the axes missing on the right side of an einops pattern with `reduction`.

    'sum', 'mean', 'max', 'min' keep the unit; 'prod' raises it to the number of multiplied
    elements; 'any' and 'all' need a dimensionless input; a function gets the quantity and the
    tuple of axes to reduce.
    """
    return _transform(x, pattern, axes_lengths, "reduce", reduction)


def einrepeat(x: Any, pattern: str, **axes_lengths: int) -> Any:
    """Repeat along the new axes on the right side of an einops pattern; the unit is kept."""
    return _transform(x, pattern, axes_lengths, "repeat")


def einshape(x: Any, pattern: str) -> dict[str, int]:
    """The lengths of the axes a pattern names, as a dict (`_` skips an axis)."""
    m = x.mantissa if isinstance(x, Quantity) else x  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    shape = tuple(int(s) for s in getattr(m, "shape", ()))  # pyright: ignore[reportUnknownArgumentType]
    names = pattern.split()
    if "..." in names:
        i = names.index("...")
        tail = len(names) - i - 1
        if len(shape) < len(names) - 1:
            raise ValueError(f"einshape: pattern {pattern!r} names more axes than shape {shape}")
        pairs = list(zip(names[:i], shape[:i], strict=True)) + list(
            zip(names[i + 1 :], shape[len(shape) - tail :], strict=True)
        )
    else:
        if len(names) != len(shape):
            raise ValueError(f"einshape: pattern {pattern!r} does not fit shape {shape}")
        pairs = list(zip(names, shape, strict=True))
    for n, _ in pairs:
        if not (n.isidentifier() or n == "_"):
            raise ValueError(f"einshape: {n!r} is not an axis name (groups are not allowed)")
    return {n: s for n, s in pairs if n != "_"}


def einsum(
    subscripts: str,
    *operands: Any,
    optimize: Any = "optimal",
    precision: Any = None,
    preferred_element_type: Any = None,
) -> Any:
    """Einstein summation; the result's unit is the product of the operands' units.

    The operands come as separate arguments (`einsum("ij,jk->ik", a, b)`), or as one list.
    `optimize` (the contraction order) is passed to numpy, jax, cupy and dask, and left to
    torch's own planner (it changes no value); `precision` is jax's and must be None
    elsewhere; `preferred_element_type` casts the result where the library lacks it.
    """
    count = subscripts.split("->")[0].count(",") + 1
    if (
        len(operands) == 1
        and isinstance(operands[0], list | tuple)
        and len(operands[0]) == count  # pyright: ignore[reportUnknownArgumentType]
        and all(isinstance(o, Quantity) or backend_of(o) is not None for o in operands[0])  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    ):
        operands = tuple(operands[0])  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if not isinstance(subscripts, str):  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
        raise TypeError(
            f"einsum takes the subscripts string first, got {type(subscripts).__name__}"
        )
    backend = select(*operands)
    ms, us = _r.lift_seq(_r.make_lift(backend, scalars_pass=False), list(operands))
    xp = _xp(backend)
    from polyunit import compose

    if backend == "jax":
        r = xp.einsum(
            subscripts,
            *ms,
            optimize=optimize,
            precision=precision,
            preferred_element_type=preferred_element_type,
        )
        return _r.changed(r, _r.product_seq(us))
    compose.no_precision("math.einsum", backend, precision)
    if backend == "ndonnx":  # ndonnx has no einsum
        r = compose.einsum(xp, subscripts, ms)
    elif backend == "torch":
        r = xp.einsum(subscripts, *ms)
    else:
        r = xp.einsum(subscripts, *ms, optimize=optimize)
    return _r.changed(compose.element_type(r, preferred_element_type), _r.product_seq(us))
