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


def is_numpy_array(value: object) -> bool:
    return _isinstance(value, "numpy", "ndarray") or _isinstance(value, "numpy", "generic")


def is_jax_array(value: object) -> bool:
    return _isinstance(value, "jax", "Array")


def is_torch_array(value: object) -> bool:
    return _isinstance(value, "torch", "Tensor")


def is_cupy_array(value: object) -> bool:
    return _isinstance(value, "cupy", "ndarray")


def is_dask_array(value: object) -> bool:
    return _isinstance(value, "dask.array", "Array")


def is_ndonnx_array(value: object) -> bool:
    return _isinstance(value, "ndonnx", "Array")
