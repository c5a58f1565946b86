"""The dtype names and constants of `polyunit.math` (`u.math.float32`, `u.math.pi` ...).

They are numpy's scalar types, which every backend accepts wherever it takes a dtype
(polyunit translates them for torch and ndonnx). The narrow types numpy lacks (bfloat16, int4,
uint4, int2, uint2) are ml_dtypes', which jax installs; they are looked up on first use so that
`import polyunit` stays light.
"""

from __future__ import annotations

import importlib
import math
from typing import Any

import numpy as np

__all__ = [
    "bool_",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "float32",
    "float64",
    "complex64",
    "complex128",
    "int_",
    "uint",
    "float_",
    "complex_",
    "single",
    "double",
    "csingle",
    "cdouble",
    "inexact",
    "dtype",
    "newaxis",
    "e",
    "pi",
    "inf",
    "nan",
    "euler_gamma",
]

bool_ = np.bool_
uint8, uint16, uint32, uint64 = np.uint8, np.uint16, np.uint32, np.uint64
int8, int16, int32, int64 = np.int8, np.int16, np.int32, np.int64
float16, float32, float64 = np.float16, np.float32, np.float64
complex64, complex128 = np.complex64, np.complex128
int_, uint = np.int64, np.uint64
float_, complex_ = np.float64, np.complex128  # the names numpy 2 removed, as jax keeps them
single, double, csingle, cdouble = np.float32, np.float64, np.complex64, np.complex128
inexact = np.inexact
dtype = np.dtype
newaxis = None
e = math.e
pi = math.pi
inf = math.inf
nan = math.nan
euler_gamma = 0.5772156649015329  # the Euler–Mascheroni constant

NARROW = ("bfloat16", "int4", "uint4", "int2", "uint2")


def narrow_dtype(name: str) -> Any:
    """ml_dtypes' `name` (bfloat16, int4 ...); a clear error when ml_dtypes is missing."""
    try:
        ml_dtypes = importlib.import_module("ml_dtypes")
    except ImportError:
        raise AttributeError(
            f"polyunit.math.{name} is ml_dtypes' {name}, and ml_dtypes is not installed; "
            "install it with `pip install ml_dtypes` (jax installs it too)"
        ) from None
    return getattr(ml_dtypes, name)
