"""polyunit.math functions that the spec's fixed signatures cannot state: variadic ones
(`meshgrid(*xi)`, `atleast_1d(*arys)`), nested inputs (`block`, `asarray`), pytrees, and
index generators without an array operand. Each is composed from the generated ops, so it
runs on whatever backend its inputs select and units follow the ops' own rules.
"""

from __future__ import annotations

import importlib
import math as _pymath
from collections.abc import Sequence
from functools import reduce
from typing import Any

import numpy as np

from polyunit.backend import backend_of_type, default_backend, module
from polyunit.backend import select as _select
from polyunit.convert import convert_array, to_numpy_array
from polyunit.quantity import Quantity
from polyunit.unit import UNITLESS, Unit

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).

__all__ = [
    "array",
    "as_numpy",
    "asarray",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "block",
    "broadcast_arrays",
    "from_numpy",
    "meshgrid",
    "promote_dtypes",
    "select",
    "tree_ones_like",
    "tree_zeros_like",
    "tril_indices",
    "triu_indices",
]


def _shape(x: object) -> tuple[int, ...]:
    shape: Any = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else tuple(np.shape(x))  # type: ignore[call-overload]


def _unit_arg(unit: object) -> Unit | None:
    if unit is None or isinstance(unit, Unit):
        return unit
    raise TypeError(f"unit must be a polyunit Unit (e.g. u.meter), got {type(unit).__name__}")


# -- conversion ---------------------------------------------------------------------------


def _leaves(a: object) -> list[object]:
    if isinstance(a, dict):
        raise TypeError(
            "asarray takes an array, a quantity or (nested) lists of them, not a dict; "
            "pass list(d.values()) to stack the values"
        )
    if isinstance(a, list | tuple):
        return [leaf for item in a for leaf in _leaves(item)]  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return [a]


def asarray(a: Any, dtype: Any = None, order: str | None = None, unit: Unit | None = None) -> Any:
    """An array from a quantity, an array, or (nested) lists of them.

    Unit rule: every quantity is converted to `unit`, or to the unit of the first quantity when
    `unit` is None (dimensions must agree); plain values are read in `unit` when it is given,
    else they count as dimensionless. A unitless
    result is a plain array. The backend is the inputs' own (the default for plain data).
    `order` is honoured on numpy; other libraries have no memory order.
    """
    target = _unit_arg(unit)
    leaves = _leaves(a)
    plain_in_target = target is not None  # plain numbers given with `unit=` are in that unit
    if target is None:
        target = next((leaf.unit for leaf in leaves if isinstance(leaf, Quantity)), None)
    backend = _select(*leaves)
    mod = module(backend)

    def build(node: object) -> Any:
        if isinstance(node, list | tuple):
            return mod.stack([build(item) for item in node])  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        if isinstance(node, Quantity):
            m = (node.in_unit(target) if target is not None else node).mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        elif target is not None and not plain_in_target:
            # beside quantities a plain value counts as dimensionless (it cannot join metres)
            m = Quantity._new(node, UNITLESS).in_unit(target).mantissa  # pyright: ignore[reportPrivateUsage]
        else:
            m = node
        return m if backend_of_type(type(m)) == backend else convert_array(m, backend)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]

    m = build(a)
    if dtype is not None:
        m = mod.astype(m, dtype)
    if order is not None and backend == "numpy":
        m = np.asarray(m, order=order)  # type: ignore[call-overload]
    if target is None or target.is_unitless:
        return m  # pyright: ignore[reportUnknownVariableType]
    return Quantity._new(m, target)  # pyright: ignore[reportPrivateUsage, reportUnknownArgumentType, reportUnknownVariableType]


array = asarray


def from_numpy(x: Any, unit: Unit | None = None) -> Any:
    """A numpy array moved to the default backend, carrying `unit` (plain when unitless)."""
    target = _unit_arg(unit)
    m = convert_array(np.asarray(x), default_backend())
    return m if target is None or target.is_unitless else Quantity._new(m, target)  # pyright: ignore[reportPrivateUsage]


def as_numpy(x: Any) -> Any:
    """`x` with a numpy mantissa: a quantity keeps its unit, a plain array becomes numpy."""
    if isinstance(x, Quantity):
        return x.to_numpy()
    return to_numpy_array(x)


# -- pytrees ------------------------------------------------------------------------------


def _tree_map(fn: Any, tree: Any) -> Any:
    if tree is None:
        return None
    if isinstance(tree, dict):
        return type(tree)((k, _tree_map(fn, v)) for k, v in tree.items())  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    # a namedtuple
    if isinstance(tree, tuple) and hasattr(tree, "_fields"):  # pyright: ignore[reportUnknownArgumentType]
        return type(tree)(*(_tree_map(fn, v) for v in tree))  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    if isinstance(tree, list | tuple):
        return type(tree)(_tree_map(fn, v) for v in tree)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return fn(tree)


def tree_ones_like(tree: Any) -> Any:
    """Ones shaped like every leaf of a pytree (dicts, lists, tuples, namedtuples).

    Unit rule: each quantity leaf keeps its unit; works on every backend, not only jax.
    """
    return _tree_map(lambda leaf: module(_select(leaf)).ones_like(leaf), tree)  # pyright: ignore[reportUnknownArgumentType, reportUnknownLambdaType]


def tree_zeros_like(tree: Any) -> Any:
    """Zeros shaped like every leaf of a pytree (dicts, lists, tuples, namedtuples).

    Unit rule: each quantity leaf keeps its unit; works on every backend, not only jax.
    """
    return _tree_map(lambda leaf: module(_select(leaf)).zeros_like(leaf), tree)  # pyright: ignore[reportUnknownArgumentType, reportUnknownLambdaType]


# -- variadic shape functions -------------------------------------------------------------


def _reshaped(x: Any, shape: tuple[int, ...]) -> Any:
    return x if _shape(x) == shape else module(_select(x)).reshape(x, shape)


def _atleast(x: Any, ndim: int) -> Any:
    shape = _shape(x)
    if len(shape) >= ndim:
        return x
    if ndim == 3 and len(shape) == 2:
        return _reshaped(x, (*shape, 1))
    if ndim == 3:
        return _reshaped(x, (1, _pymath.prod(shape), 1))
    return _reshaped(x, (1,) * (ndim - len(shape)) + shape)


def _one_or_tuple(items: list[Any]) -> Any:
    return items[0] if len(items) == 1 else tuple(items)


def atleast_1d(*arys: Any) -> Any:
    """Each input viewed with at least one dimension; one input gives one result.

    Unit rule: each result keeps the unit of its input.
    """
    return _one_or_tuple([_atleast(a, 1) for a in arys])


def atleast_2d(*arys: Any) -> Any:
    """Each input viewed with at least two dimensions (a vector becomes a row).

    Unit rule: each result keeps the unit of its input.
    """
    return _one_or_tuple([_atleast(a, 2) for a in arys])


def atleast_3d(*arys: Any) -> Any:
    """Each input viewed with at least three dimensions ((N,) -> (1, N, 1), (M, N) -> (M, N, 1)).

    Unit rule: each result keeps the unit of its input.
    """
    return _one_or_tuple([_atleast(a, 3) for a in arys])


def broadcast_arrays(*args: Any) -> tuple[Any, ...]:
    """The inputs broadcast to one common shape.

    Unit rule: each result keeps the unit of its input.
    """
    shape = np.broadcast_shapes(*(_shape(a) for a in args))
    return tuple(
        a if _shape(a) == shape else module(_select(a)).broadcast_to(a, shape) for a in args
    )


def meshgrid(*xi: Any, copy: bool = True, sparse: bool = False, indexing: str = "xy") -> list[Any]:
    """Coordinate grids from one-dimensional coordinate vectors.

    Unit rule: each grid keeps the unit of its coordinate vector (they may differ:
    meshgrid(x in m, t in s) is fine). `copy` matters only to numpy, whose broadcast views are
    read-only; the grids are always fresh arrays here when it is True.
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}")
    n = len(xi)
    sizes = [_pymath.prod(_shape(x)) for x in xi]
    if indexing == "xy" and n > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out: list[Any] = []
    for i, x in enumerate(xi):
        axis = (1 - i if i < 2 else i) if indexing == "xy" and n > 1 else i
        shape = tuple(-1 if k == axis else 1 for k in range(n))
        g = module(_select(x)).reshape(x, shape)
        if not sparse:
            g = module(_select(g)).broadcast_to(g, tuple(sizes))
            m = g.mantissa if isinstance(g, Quantity) else g  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
            # numpy's views are read-only
            if copy and backend_of_type(type(m)) == "numpy":  # pyright: ignore[reportUnknownArgumentType]
                m = np.array(m)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
                g = Quantity._new(m, g.unit) if isinstance(g, Quantity) else m  # pyright: ignore[reportPrivateUsage, reportUnknownArgumentType, reportUnknownVariableType]
        out.append(g)
    return out


def _result_type(backend: str, dtypes: list[Any]) -> Any:
    if backend == "torch":
        torch = importlib.import_module("torch")
        return reduce(torch.promote_types, dtypes)
    if backend == "jax":
        return importlib.import_module("jax.numpy").result_type(*dtypes)
    if backend == "ndonnx":
        return importlib.import_module("ndonnx").result_type(*dtypes)
    return np.result_type(*dtypes)  # numpy, cupy and dask use numpy dtypes


def promote_dtypes(*args: Any) -> list[Any]:
    """The inputs cast to their common data type.

    Unit rule: each result keeps the unit of its input.
    """
    backend = _select(*args)
    mod = module(backend)
    lifted: list[Any] = []
    for a in args:
        m = a.mantissa if isinstance(a, Quantity) else a  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if backend_of_type(type(m)) != backend:  # pyright: ignore[reportUnknownArgumentType]
            m = convert_array(m, backend)
        lifted.append(Quantity._new(m, a.unit) if isinstance(a, Quantity) else m)  # pyright: ignore[reportPrivateUsage, reportUnknownArgumentType]
    common = _result_type(backend, [x.dtype for x in lifted])
    return [mod.astype(x, common) for x in lifted]


# -- assembling ---------------------------------------------------------------------------


def _depth(node: object) -> int:
    if isinstance(node, list):
        if not node:
            raise ValueError("block does not take empty lists; remove them")
        depths = {_depth(item) for item in node}  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        if len(depths) != 1:
            raise ValueError("block needs every list at one level to nest equally deep")
        return 1 + depths.pop()
    if isinstance(node, tuple):
        raise TypeError("block takes nested lists, not tuples; write [a, b] instead of (a, b)")
    return 0


def block(arrays: Any) -> Any:
    """An array assembled from nested lists of blocks (the innermost lists join along the
    last axis, the next ones along the one before, ...).

    Unit rule: every block needs the dimension of the first and is converted to its unit; the
    result has the unit of the first.
    """
    depth = _depth(arrays)
    ndim = max([depth] + [len(_shape(leaf)) for leaf in _leaves(arrays)])

    def build(node: Any, level: int) -> Any:
        if not isinstance(node, list):
            shape = _shape(node)
            return _reshaped(node, (1,) * (ndim - len(shape)) + shape)
        parts = [build(item, level + 1) for item in node]  # pyright: ignore[reportUnknownVariableType]
        return module(_select(*parts)).concatenate(parts, axis=-(depth - level))

    return build(arrays, 0)


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Any:
    """Elements from the choice of the first condition that holds, else `default`.

    Unit rule: every choice needs the dimension of the first and is converted to its unit;
    `default` too, except that a plain 0 is accepted as zero in that unit; the conditions must
    be plain (or dimensionless). The result has the unit of the first choice.
    """
    if len(condlist) != len(choicelist):
        raise ValueError(
            f"select needs one choice per condition, got {len(condlist)} conditions and "
            f"{len(choicelist)} choices"
        )
    if not choicelist:
        raise ValueError("select needs at least one condition and choice")
    first = choicelist[0]
    if isinstance(first, Quantity) and not isinstance(default, Quantity) and default == 0:
        default = module(_select(first)).zeros_like(first)  # pyright: ignore[reportUnknownArgumentType]
    result = default  # pyright: ignore[reportUnknownVariableType]
    for cond, choice in reversed(list(zip(condlist, choicelist, strict=True))):
        result = module(_select(cond, choice, result)).where(cond, choice, result)  # pyright: ignore[reportUnknownArgumentType]
    # the last `where` put the result in the first choice's unit
    return result  # pyright: ignore[reportUnknownVariableType]


# -- index generators ---------------------------------------------------------------------


def tril_indices(n: int, k: int = 0, m: int | None = None) -> tuple[Any, Any]:
    """Row and column indices of the lower triangle of an (n, m) array, on the default backend.

    Unit rule: plain index arrays.
    """
    mod = module(default_backend())
    result: tuple[Any, Any] = mod.tril_indices_from(mod.zeros((n, n if m is None else m)), k=k)
    return result


def triu_indices(n: int, k: int = 0, m: int | None = None) -> tuple[Any, Any]:
    """Row and column indices of the upper triangle of an (n, m) array, on the default backend.

    Unit rule: plain index arrays.
    """
    mod = module(default_backend())
    result: tuple[Any, Any] = mod.triu_indices_from(mod.zeros((n, n if m is None else m)), k=k)
    return result
