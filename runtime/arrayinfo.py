"""Array queries and small array producers of polyunit.math that are not unit-aware ops:
dtype and shape queries, nonzero / diag_indices_from (tuple results), window functions,
gradient (one unit per axis) and the exprel order setting.

Each function works on the array library of its input (the backend polyunit would select);
the windows, which take no array, on the default backend.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Any

from polyunit import rules as _r
from polyunit.backend import array_namespace, backend_of, default_backend, select
from polyunit.convert import convert_array
from polyunit.quantity import Quantity

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).

__all__ = [
    "bartlett",
    "blackman",
    "broadcast_shapes",
    "diag_indices_from",
    "finfo",
    "get_dtype",
    "get_promote_dtypes",
    "gradient",
    "hamming",
    "hanning",
    "iinfo",
    "is_float",
    "is_int",
    "is_quantity",
    "iscomplexobj",
    "isscalar",
    "issubdtype",
    "kaiser",
    "ndim",
    "nonzero",
    "result_type",
    "set_exprel_order",
    "shape",
    "size",
]


def _xp(backend: str) -> Any:
    return array_namespace(backend)


def _mantissa(a: object) -> Any:
    return a.mantissa if isinstance(a, Quantity) else a  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def _dtype_backend(dtype: object) -> str:
    """Which library a dtype object belongs to (numpy's dtypes also serve jax, cupy, dask)."""
    module = type(dtype).__module__
    if module.startswith("torch"):
        return "torch"
    if module.startswith("ndonnx"):
        return "ndonnx"
    return "jax" if module.startswith(("jax", "ml_dtypes")) else "numpy"


def _dtype_of(a: object) -> tuple[Any, str]:
    """The dtype of an array, Quantity, Python value or dtype, and the library it belongs to."""
    m = _mantissa(a)
    backend = backend_of(m)
    if backend is not None and hasattr(m, "dtype"):
        return m.dtype, backend
    if isinstance(m, bool | int | float | complex | list | tuple):
        import numpy as np

        return np.asarray(m).dtype, "numpy"
    return m, _dtype_backend(m)


# -- dtype and shape queries ------------------------------------------------------------------
def finfo(a: Any) -> Any:
    """Machine limits of a floating dtype, from the library the array (or dtype) belongs to."""
    dtype, backend = _dtype_of(a)
    if backend in ("dask", "cupy"):
        backend = "numpy"  # their dtypes are numpy's
    return _xp(backend).finfo(dtype)


def iinfo(a: Any) -> Any:
    """Machine limits of an integer dtype, from the library the array (or dtype) belongs to."""
    dtype, backend = _dtype_of(a)
    if backend in ("dask", "cupy"):
        backend = "numpy"
    return _xp(backend).iinfo(dtype)


def get_dtype(a: Any) -> Any:
    """The dtype of the array behind `a` (numpy's dtype for Python values)."""
    return _dtype_of(a)[0]


def _kind(dtype: Any, backend: str) -> str:
    """'b' bool, 'i' integer (signed or not), 'f' real float, 'c' complex, '?' other."""
    if backend == "torch":
        if dtype.is_complex:
            return "c"
        if dtype.is_floating_point:
            return "f"
        return "b" if str(dtype) == "torch.bool" else "i"
    if backend == "ndonnx":
        ndx = _xp("ndonnx")
        for kind, name in (("b", "bool"), ("i", "integral"), ("f", "real floating")):
            if ndx.isdtype(dtype, name):
                return kind
        return "c" if ndx.isdtype(dtype, "complex floating") else "?"
    import numpy as np

    k = np.dtype(dtype).kind
    if k == "V" and "float" in str(dtype):  # bfloat16 and friends (ml_dtypes)
        return "f"
    return {"b": "b", "i": "i", "u": "i", "f": "f", "c": "c"}.get(k, "?")


def is_float(array: Any) -> bool:
    """Whether `array` (or a dtype) has a real floating-point dtype."""
    return _kind(*_dtype_of(array)) == "f"


def is_int(array: Any) -> bool:
    """Whether `array` (or a dtype) has an integer dtype (signed or unsigned)."""
    return _kind(*_dtype_of(array)) == "i"


def iscomplexobj(x: Any) -> bool:
    """Whether `x` has a complex dtype (whatever its values)."""
    return _kind(*_dtype_of(x)) == "c"


def issubdtype(a: Any, b: Any) -> bool:
    """numpy's issubdtype for dtypes of any library (torch dtypes are mapped to numpy's)."""
    import numpy as np

    from polyunit.convert import numpy_dtype

    def plain(d: Any) -> Any:
        if isinstance(d, type) and issubclass(d, np.generic):
            # abstract kinds such as np.floating stay as they are
            return d  # pyright: ignore[reportUnknownVariableType]
        dtype, backend = _dtype_of(d)  # pyright: ignore[reportUnknownArgumentType]
        if backend == "jax":
            return dtype
        if backend == "ndonnx":  # Float64 -> float64 (ndonnx names the numpy dtypes)
            return np.dtype(str(dtype).lower())
        return numpy_dtype(dtype) if backend in ("numpy", "torch", "dask", "cupy") else dtype

    def from_jax(d: Any) -> bool:
        module = getattr(d, "__module__", "") if isinstance(d, type) else type(d).__module__
        return module.startswith(("jax", "ml_dtypes")) or "bfloat16" in str(d)

    pa, pb = plain(a), plain(b)
    if from_jax(pa) or from_jax(pb):
        return bool(_xp("jax").issubdtype(pa, pb))
    return bool(np.issubdtype(pa, pb))


def result_type(*args: Any) -> Any:
    """The dtype the library would promote `args` (arrays, Quantities, scalars, dtypes) to."""
    if not args:
        raise TypeError("result_type needs at least one array, quantity or dtype")
    ms = [_mantissa(a) for a in args]
    if any(backend_of(m) is not None and hasattr(m, "dtype") for m in ms):
        backend = select(*ms)
    else:  # only dtypes and Python values: the dtypes' own library decides
        kinds = {_dtype_backend(m) for m in ms if not isinstance(m, bool | int | float | complex)}
        backend = kinds.pop() if len(kinds) == 1 else "numpy"
    if backend == "torch":
        import torch

        def to_dtype(m: Any) -> Any:
            if isinstance(m, torch.dtype):
                return m
            if isinstance(m, torch.Tensor):
                return m.dtype
            return torch.tensor(m).dtype if isinstance(m, bool | int | float | complex) else m

        def promote(a: Any, b: Any) -> Any:
            return torch.promote_types(a, b)

        return reduce(promote, [to_dtype(m) for m in ms])
    if backend in ("dask", "cupy"):
        import numpy as np

        return np.result_type(*[getattr(m, "dtype", m) for m in ms])
    return _xp(backend).result_type(*ms)


get_promote_dtypes = result_type


def is_quantity(x: Any) -> bool:
    """Whether `x` is a polyunit Quantity."""
    return isinstance(x, Quantity)


def shape(a: Any) -> tuple[int, ...]:
    """The shape of `a` as a tuple of ints (() for a Python number)."""
    m = _mantissa(a)
    if isinstance(m, list | tuple):
        import numpy as np

        return tuple(np.shape(m))  # pyright: ignore[reportUnknownArgumentType]
    return tuple(int(s) if isinstance(s, int) else s for s in getattr(m, "shape", ()))


def ndim(a: Any) -> int:
    """The number of dimensions of `a`."""
    return len(shape(a))


def size(a: Any, axis: int | None = None) -> int:
    """The number of elements of `a`, or its length along `axis`."""
    s = shape(a)
    if axis is None:
        return reduce(operator.mul, s, 1)
    return s[axis]


def isscalar(a: Any) -> bool:
    """Whether `a` holds a single value: a Python or numpy scalar, or a 0-d array or Quantity."""
    m = _mantissa(a)
    if isinstance(m, bool | int | float | complex):
        return True
    import numpy as np

    if isinstance(m, np.generic):
        return True
    return backend_of(m) is not None and ndim(m) == 0


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that arrays of the given shapes broadcast to."""
    import numpy as np

    return tuple(np.broadcast_shapes(*shapes))


# -- tuple-valued index functions -------------------------------------------------------------
def nonzero(a: Any, size: int | None = None, fill_value: int | None = None) -> tuple[Any, ...]:
    """A tuple of index arrays, one per axis, of the nonzero elements (the unit is dropped).

    `size` pads (with `fill_value`, default 0) or truncates each to a fixed length, as jax
    needs under jit.
    """
    from polyunit import compose

    m = _mantissa(a)
    backend = select(m)
    m = m if backend_of(m) == backend else convert_array(m, backend)
    xp = _xp(backend)
    if backend == "jax":
        return tuple(xp.nonzero(m, size=size, fill_value=fill_value))
    if backend == "torch":
        parts = tuple(xp.nonzero(m, as_tuple=True))
    else:
        parts = tuple(xp.nonzero(m))
    return tuple(compose.sized(xp, p, size, fill_value) for p in parts)


def diag_indices_from(arr: Any) -> tuple[Any, ...]:
    """Indices of the main diagonal of a square n-d array: n copies of arange(len)."""
    s = shape(arr)
    if len(s) < 2 or any(d != s[0] for d in s):
        raise ValueError(f"diag_indices_from needs a square array of 2 or more dimensions; got {s}")
    backend = select(_mantissa(arr))
    xp = _xp(backend)
    idx = xp.arange(s[0])
    return (idx,) * len(s)


# -- window functions -------------------------------------------------------------------------
def _window(name: str, M: int, *args: float) -> Any:
    """numpy's symmetric window of length M on the default backend."""
    backend = default_backend()
    if backend in ("numpy", "jax", "cupy"):
        return getattr(_xp(backend), name)(M, *args)
    if backend == "torch" and M > 1:
        import torch

        fn: Any = {
            "bartlett": torch.bartlett_window,
            "blackman": torch.blackman_window,
            "hamming": torch.hamming_window,
            "hanning": torch.hann_window,
            "kaiser": torch.kaiser_window,
        }[name]
        # periodic=False is numpy's symmetric window; float64 like numpy
        if name == "kaiser":
            return fn(M, periodic=False, beta=float(args[0]), dtype=torch.float64)
        return fn(M, periodic=False, dtype=torch.float64)
    # dask, ndonnx (and torch for M <= 1): the window is a constant of M; build it in numpy
    import numpy as np

    return convert_array(getattr(np, name)(M, *args), backend)


def bartlett(M: int) -> Any:
    """Bartlett (triangular) window of M points, on the default backend."""
    return _window("bartlett", M)


def blackman(M: int) -> Any:
    """Blackman window of M points, on the default backend."""
    return _window("blackman", M)


def hamming(M: int) -> Any:
    """Hamming window of M points, on the default backend."""
    return _window("hamming", M)


def hanning(M: int) -> Any:
    """Hann window of M points, on the default backend."""
    return _window("hanning", M)


def kaiser(M: int, beta: float) -> Any:
    """Kaiser window of M points with shape parameter beta, on the default backend."""
    return _window("kaiser", M, beta)


# -- gradient -----------------------------------------------------------------------------------
def gradient(
    f: Any, *varargs: Any, axis: int | tuple[int, ...] | None = None, edge_order: int | None = None
) -> Any:
    """Numerical gradient of `f` by central differences (one-sided at the edges).

    `varargs` are the spacings: none (unit spacing), one for every axis, or one per axis, each a
    scalar step or the coordinates along that axis (quantities allowed). The derivative along an
    axis has the unit of `f` divided by the unit of that axis's spacing. One axis gives one
    array; several give a tuple.
    """
    m_f = _mantissa(f)
    backend = select(m_f, *varargs)
    lift = _r.make_lift(backend, scalars_pass=True)
    m_f, u_f = lift(f)
    nd = ndim(m_f)
    axes = tuple(range(nd)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % nd for a in axes)
    if len(varargs) == 0:
        spacing: list[Any] = [1.0] * len(axes)
    elif len(varargs) == 1 and ndim(varargs[0]) == 0:
        spacing = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        spacing = list(varargs)
    else:
        raise TypeError(
            f"gradient got {len(varargs)} spacings for {len(axes)} axes; give none, one, or one per axis"
        )
    lifted = [lift(s) for s in spacing]
    ms = [m for m, _ in lifted]
    order = 1 if edge_order is None else edge_order
    xp = _xp(backend)
    if backend == "torch":
        parts = tuple(xp.gradient(m_f, spacing=ms, dim=axes, edge_order=order))
    elif backend == "ndonnx" or (backend == "dask" and any(ndim(m) for m in ms)):
        # ndonnx has no gradient and dask's takes no coordinate arrays: composed here
        from polyunit import compose

        if order != 1:
            raise ValueError(f"gradient on {backend} supports edge_order=1 only here")
        parts = tuple(compose.gradient_axis(xp, m_f, m, ax) for m, ax in zip(ms, axes, strict=True))
    else:
        kw: dict[str, Any] = {"axis": axes}
        if edge_order is not None:
            kw["edge_order"] = edge_order
        r = xp.gradient(m_f, *ms, **kw)
        parts = tuple(r) if isinstance(r, list | tuple) else (r,)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    units = [_r.quotient(u_f, u) for _, u in lifted]
    out = tuple(_r.changed(p, un) for p, un in zip(parts, units, strict=True))  # pyright: ignore[reportUnknownArgumentType]
    return out[0] if len(out) == 1 else out


# -- exprel -----------------------------------------------------------------------------------
_EXPREL_ORDER = [2]


def set_exprel_order(order: int) -> None:
    """Accepted for compatibility: the reference approximates exprel near 0 by a Taylor series of
    this order; polyunit's exprel is exact (expm1(x) / x, limit 1 at 0) whatever the order.

    The order must still be a positive integer, so code written for the reference is checked.
    """
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
        raise ValueError(f"the exprel order must be a positive integer, got {order!r}")
    _EXPREL_ORDER[0] = order
