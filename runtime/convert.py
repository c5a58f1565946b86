"""Moving a mantissa from one array library to another.

Every conversion goes through a concrete numpy array unless source and target agree, which is
the one representation all six libraries read and write. Conversions that would silently lose
something (a torch graph, dask laziness) raise `BackendError` instead.
"""

from __future__ import annotations

import importlib
import sys
import warnings
from typing import Any, Final

from polyunit.backend import backend_of_type, is_installed
from polyunit.errors import BackendError, PrecisionWarning, missing_backend

# The dtype numpy gives a Python number (np.asarray(0.5).dtype and so on).
_PY_DTYPE: Final = {float: "float64", int: "int64", bool: "bool", complex: "complex128"}


def _lib(name: str) -> Any:
    lib = sys.modules.get(name)  # already imported: no importlib call (torch.compile skips it)
    if lib is not None:
        return lib
    if not is_installed(name):
        raise missing_backend(name)
    return importlib.import_module(name)


def torch_dtype(dtype: Any) -> Any:
    """A torch dtype from a torch dtype, a numpy dtype/type or a dtype name (None stays None)."""
    if dtype is None:
        return None
    torch = _lib("torch")
    if isinstance(dtype, torch.dtype):
        return dtype
    import numpy as np

    name = np.dtype(dtype).name
    try:
        return getattr(torch, name)
    except AttributeError:
        raise TypeError(f"numpy dtype {name} has no torch equivalent") from None


def numpy_dtype(dtype: Any) -> Any:
    """A numpy dtype from a numpy dtype, a torch dtype or a dtype name (None stays None)."""
    if dtype is None:
        return None
    import numpy as np

    if type(dtype).__module__.startswith("torch"):
        return np.dtype(str(dtype).removeprefix("torch."))
    return np.dtype(dtype)


def ndonnx_dtype(dtype: Any) -> Any:
    """An ndonnx dtype from an ndonnx dtype, a numpy or torch dtype, or a dtype name."""
    if dtype is None:
        return None
    ndx = _lib("ndonnx")
    if isinstance(dtype, ndx.DType):
        return dtype
    name = numpy_dtype(dtype).name
    found = getattr(ndx, name, None)
    if not isinstance(found, ndx.DType):
        raise BackendError(
            f"dtype {name} has no ndonnx equivalent (ndonnx has no complex dtypes); "
            "use a real dtype, or convert the input with .to_numpy() or .to_jax() first"
        )
    return found


_PRECISION_WARNED: set[str] = set()


def check_jax_precision(dtype: Any, jax: Any) -> None:
    """Warn (once per dtype) that jax with x64 off will store 64-bit data in 32 bits."""
    import numpy as np

    dt = np.dtype(dtype)
    if dt.itemsize < 8 or dt.kind not in "fiuc" or (dt.kind == "c" and dt.itemsize < 16):
        return
    if jax.config.jax_enable_x64 or dt.name in _PRECISION_WARNED:
        return
    _PRECISION_WARNED.add(dt.name)
    narrow = {"f": "float32", "i": "int32", "u": "uint32", "c": "complex64"}[dt.kind]
    warnings.warn(
        f"converting {dt.name} data to jax stores it as {narrow}, because jax's 64-bit mode is "
        f"off; enable it with jax.config.update('jax_enable_x64', True) (or JAX_ENABLE_X64=1) to "
        f"keep {dt.name}, or convert with an explicit 32-bit dtype to silence this warning",
        PrecisionWarning,
        stacklevel=3,
    )


# pyright sees Quantity[Unknown] after isinstance(v, Quantity) and type[Unknown] for type(<Any>);
# the lines that read those carry a rule-named ignore rather than a per-call cast() on hot paths.
def to_numpy_array(m: Any) -> Any:
    """A concrete numpy array from any backend's array (or a Python value)."""
    import numpy as np

    source = backend_of_type(type(m))  # pyright: ignore[reportUnknownArgumentType]
    if source == "torch":
        if m.requires_grad:
            raise BackendError(
                "cannot convert a torch tensor that requires grad: it would silently cut the "
                "autograd graph; call .detach() on the mantissa first if that is what you want"
            )
        return m.resolve_conj().resolve_neg().cpu().numpy()
    if source == "cupy":
        return m.get()
    if source == "dask":
        return np.asarray(m.compute())
    if source == "ndonnx":
        return m.unwrap_numpy()
    return np.asarray(m)


def convert_array(
    m: Any, target: str, *, device: Any = None, dtype: Any = None, chunks: Any = None
) -> Any:
    """`m` as an array of backend `target` (device for torch and cupy, chunks for dask)."""
    source = backend_of_type(type(m))  # pyright: ignore[reportUnknownArgumentType]
    if target == "torch":
        torch = _lib("torch")
        tdtype = torch_dtype(dtype)
        if source == "torch":
            return (
                m.to(device=device, dtype=tdtype)
                if (device is not None or tdtype is not None)
                else m
            )
        if source is None and type(m) in _PY_DTYPE:
            # A Python number, with numpy's dtype for it (as the numpy route gives), without
            # numpy: this is the path of `0.5 * q`, and torch.compile traces it.
            return torch.tensor(
                m, device=device, dtype=tdtype or getattr(torch, _PY_DTYPE[type(m)])
            )
        # A copy: the new tensor must not alias (or write through to) the source array.
        return torch.tensor(to_numpy_array(m), device=device, dtype=tdtype)
    if source == target and dtype is None and chunks is None and device is None:
        return m
    if target == "numpy":
        import numpy as np

        # A writable copy that cannot write through to the source (torch and ndonnx share memory).
        return np.array(to_numpy_array(m), dtype=numpy_dtype(dtype), copy=True)
    if target == "jax":
        jax = _lib("jax")
        if source is None:
            # Python numbers and lists: jax's own weak-type rules pick the dtype, as in jnp.asarray.
            return jax.numpy.asarray(m, dtype=numpy_dtype(dtype))
        src = m if source == "jax" else to_numpy_array(m)
        want = numpy_dtype(dtype)
        check_jax_precision(src.dtype if want is None else want, jax)
        if want is not None:  # the dtype jax can hold (our warning replaces jax's own)
            want = jax.dtypes.canonicalize_dtype(want)
        return jax.numpy.asarray(src, dtype=want)
    if target == "cupy":
        cp = _lib("cupy")
        if device is None:
            return cp.asarray(to_numpy_array(m), dtype=numpy_dtype(dtype))
        with cp.cuda.Device(getattr(device, "id", device)):
            return cp.asarray(to_numpy_array(m), dtype=numpy_dtype(dtype))
    if target == "dask":
        da = importlib.import_module("dask.array") if is_installed("dask") else _lib("dask")
        if source == "dask":
            out = m if dtype is None else m.astype(numpy_dtype(dtype))
            return out if chunks is None else out.rechunk(chunks)
        return da.from_array(
            to_numpy_array(m) if dtype is None else to_numpy_array(m).astype(numpy_dtype(dtype)),
            chunks=chunks or "auto",
        )
    if target == "ndonnx":
        ndx = _lib("ndonnx")
        arr = to_numpy_array(m)
        return ndx.asarray(arr if dtype is None else arr.astype(numpy_dtype(dtype)))
    raise ValueError(f"unknown backend {target!r}")
