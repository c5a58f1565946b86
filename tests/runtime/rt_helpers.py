"""Helpers shared by the runtime tests (imported by name: tests/runtime is on sys.path)."""

from __future__ import annotations

import importlib.util
from typing import Any

import numpy as np
import pytest

import polyunit as u

HAS = {
    name: importlib.util.find_spec(name) is not None
    for name in ("jax", "torch", "dask", "ndonnx", "cupy")
}

requires_jax = pytest.mark.skipif(not HAS["jax"], reason="jax is not installed")
requires_torch = pytest.mark.skipif(not HAS["torch"], reason="torch is not installed")
requires_dask = pytest.mark.skipif(not HAS["dask"], reason="dask is not installed")
requires_ndonnx = pytest.mark.skipif(not HAS["ndonnx"], reason="ndonnx is not installed")

# The eager backends most operator tests run on.
EAGER = [
    pytest.param("numpy", id="numpy"),
    pytest.param("jax", id="jax", marks=requires_jax),
    pytest.param("torch", id="torch", marks=requires_torch),
]

# Every installed backend but cupy (which needs a GPU).
EVERY = [
    *EAGER,
    pytest.param("dask", id="dask", marks=requires_dask),
    pytest.param("ndonnx", id="ndonnx", marks=requires_ndonnx),
]


def make_array(backend: str, data: Any, dtype: Any = np.float64) -> Any:
    """`data` as an array of `backend` (float64 unless told otherwise)."""
    arr = np.asarray(data, dtype=dtype)
    if backend == "numpy":
        return arr
    if backend == "jax":
        import jax.numpy as jnp

        return jnp.asarray(arr)
    if backend == "torch":
        import torch

        return torch.as_tensor(arr.copy())
    if backend == "dask":
        import dask.array as da

        return da.from_array(arr, chunks=max(1, arr.shape[0] // 2) if arr.ndim else ())
    if backend == "ndonnx":
        import ndonnx as ndx

        return ndx.asarray(arr)
    raise ValueError(backend)


def to_np(value: Any) -> np.ndarray:
    """A plain numpy copy of an array of any backend (or of a Quantity's mantissa)."""
    if isinstance(value, u.Quantity):
        value = value.mantissa
    mod = type(value).__module__.partition(".")[0]
    if mod == "torch":
        return value.detach().cpu().numpy()
    if mod == "dask":
        return np.asarray(value.compute())
    if mod == "ndonnx":
        return np.asarray(value.unwrap_numpy())
    return np.asarray(value)


def backend_name(value: Any) -> str:
    """The backend of a plain array, told from its type's module (independently of polyunit)."""
    root = type(value).__module__.partition(".")[0]
    return {"jaxlib": "jax"}.get(root, root)
