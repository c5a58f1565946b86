"""`is_*_array` checks that never raise and never import a library that is not imported yet.

If a library is not in `sys.modules`, no array of it can exist, so the answer is False at once.
"""

from __future__ import annotations

import sys


def _isinstance(value: object, module: str, attr: str) -> bool:
    lib = sys.modules.get(module)
    if lib is None:
        return False
    try:
        return isinstance(value, getattr(lib, attr))
    except Exception:  # a half-imported or broken library answers "no", never raises
        return False


def is_numpy_array(x: object) -> bool:
    return _isinstance(x, "numpy", "ndarray") or _isinstance(x, "numpy", "generic")


def is_jax_array(x: object) -> bool:
    return _isinstance(x, "jax", "Array")


def is_torch_array(x: object) -> bool:
    return _isinstance(x, "torch", "Tensor")


def is_cupy_array(x: object) -> bool:
    return _isinstance(x, "cupy", "ndarray")


def is_dask_array(x: object) -> bool:
    return _isinstance(x, "dask.array", "Array")


def is_ndonnx_array(x: object) -> bool:
    return _isinstance(x, "ndonnx", "Array")
