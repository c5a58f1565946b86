"""PyTorch integration: `Quantity.__torch_function__` and the device/dtype moves of a Quantity.

Nothing here imports torch: these functions only run when torch calls them or on a quantity
that already holds a tensor. (torch.compile support lives in `polyunit.compiling`.)
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from polyunit.errors import BackendError

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).


# -- devices and dtypes -------------------------------------------------------------------------
def _torch_mantissa(q: Any, what: str) -> Any:
    if type(q.mantissa).__module__.partition(".")[0] != "torch":
        raise BackendError(
            f"q.{what} moves a torch tensor, but this quantity's mantissa is a {q.backend} array; "
            f"call q.to_torch(device=..., dtype=...) first"
        )
    return q.mantissa


def move(q: Any, target: Any, dtype: Any, device: Any, what: str) -> Any:
    """`q.to(device or dtype)`: the torch mantissa moved and/or cast; the unit unchanged."""
    from polyunit.convert import torch_dtype
    from polyunit.quantity import Quantity

    m = _torch_mantissa(q, what)
    torch = sys.modules["torch"]
    if target is not None:
        if isinstance(target, (torch.dtype, np.dtype)) or (
            isinstance(target, type) and issubclass(target, np.generic)
        ):
            dtype = target if dtype is None else dtype  # pyright: ignore[reportUnknownVariableType]
        elif isinstance(target, (str, torch.device, int)):
            device = target  # pyright: ignore[reportUnknownVariableType]
        else:
            raise TypeError(
                f"q.to() takes a Unit (unit conversion), or a torch device (torch.device, 'cpu', "
                f"'cuda:0') and/or a dtype (torch or numpy); got {type(target).__name__}"  # pyright: ignore[reportUnknownArgumentType]
            )
    return Quantity._new(m.to(device=device, dtype=torch_dtype(dtype)), q.unit)  # pyright: ignore[reportPrivateUsage]


def on_device(q: Any, device: Any, what: str) -> Any:
    """`q.cpu()` / `q.cuda()`: the mantissa on `device`, the unit unchanged."""
    from polyunit.quantity import Quantity

    m = _torch_mantissa(q, what)
    return Quantity._new(m.cpu() if device == "cpu" else m.cuda(device), q.unit)  # pyright: ignore[reportPrivateUsage]


# -- __torch_function__ -------------------------------------------------------------------------
# torch name -> (polyunit.math name, keyword renames beyond the common ones). Only functions whose
# positional parameters line up with polyunit's and whose result has the same structure are here;
# torch.max(q, dim) (values and indices), torch.sort and the like are left out on purpose.
_COMMON = {"dim": "axis", "keepdim": "keepdims"}
_SAME_NAME = """
    abs absolute add all amax amin any arccos arccosh arcsin arcsinh arctan arctan2 arctanh argmax
    argmin cbrt ceil conj count_nonzero cos cosh cumprod cumsum deg2rad diff divide dot equal exp
    exp2 expm1 fix fliplr flipud floor floor_divide fmax fmin fmod greater greater_equal hypot imag
    inner isfinite isinf isnan isreal kron less less_equal log log10 log1p log2 logaddexp logaddexp2
    logical_and logical_or logical_xor matmul maximum mean minimum moveaxis multiply nanmean nansum
    negative nextafter not_equal outer positive rad2deg ravel real reciprocal remainder reshape round
    sign signbit sin sinc sinh sqrt square subtract sum take tan tanh trace true_divide trunc vdot
    where
""".split()
_TABLE: dict[str, tuple[str, dict[str, str]]] = {name: (name, {}) for name in _SAME_NAME}
_TABLE.update(
    {
        # torch spellings of the same operations
        "mul": ("multiply", {}),
        "sub": ("subtract", {}),
        "div": ("divide", {}),
        "neg": ("negative", {}),
        "pow": ("power", {"exponent": "y"}),
        "float_power": ("float_power", {"exponent": "y"}),
        "atan2": ("arctan2", {}),
        "asin": ("arcsin", {}),
        "acos": ("arccos", {}),
        "atan": ("arctan", {}),
        "asinh": ("arcsinh", {}),
        "acosh": ("arccosh", {}),
        "atanh": ("arctanh", {}),
        "gt": ("greater", {}),
        "ge": ("greater_equal", {}),
        "lt": ("less", {}),
        "le": ("less_equal", {}),
        "eq": ("equal", {}),
        "ne": ("not_equal", {}),
        "mm": ("matmul", {}),
        "bmm": ("matmul", {}),
        "ger": ("outer", {}),
        "clamp": ("clip", {"min": "a_min", "max": "a_max"}),
        "clip": ("clip", {"min": "a_min", "max": "a_max"}),
        "flip": ("flip", {"dims": "axis"}),
        "roll": ("roll", {"shifts": "shift", "dims": "axis"}),
        "tile": ("tile", {"dims": "reps"}),
        "squeeze": ("squeeze", {}),
        "unsqueeze": ("expand_dims", {}),
        "flatten": ("ravel", {}),
        "broadcast_to": ("broadcast_to", {"size": "shape"}),
        "transpose": ("swapaxes", {"dim0": "axis1", "dim1": "axis2"}),
        "swapaxes": ("swapaxes", {"axis0": "axis1", "axis1": "axis2"}),
        "movedim": ("moveaxis", {}),
        "tensordot": ("tensordot", {"dims": "axes"}),
        "diag": ("diag", {"diagonal": "k"}),
        "diagflat": ("diagflat", {"offset": "k"}),
        "tril": ("tril", {"diagonal": "k"}),
        "triu": ("triu", {"diagonal": "k"}),
        "diagonal": ("diagonal", {"dim1": "axis1", "dim2": "axis2"}),
        "repeat_interleave": ("repeat", {}),
        "matrix_power": ("matrix_power", {}),
        "cross": ("cross", {}),
    }
)
# Reductions whose torch form with a `dim` returns (values, indices): only the full reduction maps.
_FULL_ONLY = {"max": "max", "min": "min", "median": "median"}
# Binary forms of torch.max / torch.min (torch.max(q, r) is the element-wise maximum).
_BINARY = {"max": "maximum", "min": "minimum"}


def _uncovered(name: str, fix: str = "") -> TypeError:
    return TypeError(
        f"torch.{name} on a Quantity: polyunit has no unit-aware implementation of it, and "
        f"running it on the mantissa would drop the unit. "
        + (
            fix
            or "Use a polyunit.math function if one fits, or compute on q.mantissa and attach the unit yourself (Quantity(result, unit=...))"
        )
    )


def _ddof(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> dict[str, Any]:
    """torch.std/var keywords as polyunit's: torch's default is Bessel-corrected (ddof=1)."""
    out: dict[str, Any] = {"ddof": 1}
    if "unbiased" in kwargs:
        out["ddof"] = 1 if kwargs.pop("unbiased") else 0
    if "correction" in kwargs:
        correction = kwargs.pop("correction")
        out["ddof"] = 1 if correction is None else correction
    if args and isinstance(args[0], bool):  # torch.std(x, unbiased)
        out["ddof"] = 1 if args[0] else 0
        args = args[1:]
    if args:
        out["axis"] = args[0]
    if len(args) > 1:
        raise _uncovered(name, "Give dim and correction by keyword")
    return out


def torch_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any] | None) -> Any:
    """`Quantity.__torch_function__`: run the unit-aware polyunit.math function for `func`."""
    name: str = getattr(func, "__name__", "") or ""
    if name.startswith("__"):
        if name in ("__setitem__", "__iadd__", "__isub__", "__imul__", "__itruediv__"):
            raise TypeError(
                f"cannot write a Quantity into a plain torch tensor ({name}): it would drop the "
                f"unit; write q.to_decimal(unit) or build a Quantity instead"
            )
        # tensor + q, tensor < q ...: give Python the chance to call the Quantity's reflected
        # operator (torch turns this into NotImplemented for its operator methods).
        return NotImplemented
    from polyunit import math as _math

    kwargs = dict(kwargs or {})
    renames: dict[str, str] = {}
    if "input" in kwargs:
        args = (kwargs.pop("input"), *args)
    if "other" in kwargs:
        args = (*args[:1], kwargs.pop("other"), *args[1:])
    if name in ("std", "var"):
        extra = _ddof(name, args[1:], kwargs)
        args = args[:1]
        target = name
        kwargs.update(extra)
    elif name in _BINARY and len(args) > 1 and not isinstance(args[1], int):
        target = _BINARY[name]
    elif name in _FULL_ONLY:
        if len(args) > 1 or "dim" in kwargs or "keepdim" in kwargs:
            raise _uncovered(
                f"{name}(..., dim)",
                f"torch returns values and indices there; use polyunit.math.{_FULL_ONLY[name]}"
                f"(q, axis=...) for the values",
            )
        target = _FULL_ONLY[name]
    else:
        entry = _TABLE.get(name)
        if entry is None:
            raise _uncovered(name)
        target, renames = entry
    ours = getattr(_math, target)
    renamed: dict[str, Any] = {}
    for key, value in kwargs.items():
        new = renames.get(key) or _COMMON.get(key) or key
        renamed[new] = value
    try:
        return ours(*args, **renamed)
    except TypeError as exc:
        if "unexpected keyword" in str(exc) or "positional argument" in str(exc):
            raise TypeError(
                f"torch.{name} on a Quantity runs polyunit.math.{target}, which cannot take "
                f"these arguments ({exc}); call polyunit.math.{target} directly"
            ) from exc
        raise
