"""Which array library computes an operation: detection, the default backend, module loading.

A value's backend is found from `type(value)` through a dict filled on first sight from the
type's module name, so detection never imports a library and costs one dict lookup after that.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from collections.abc import Generator
from contextvars import ContextVar
from types import ModuleType
from typing import Final

from polyunit.compiling import fold_when_traced, trace_as
from polyunit.errors import BackendError, missing_backend

BACKENDS: Final = ("numpy", "jax", "torch", "cupy", "dask", "ndonnx")

# Top-level module of an array type -> backend name.
_ROOTS: Final = {
    "numpy": "numpy",
    "jax": "jax",
    "jaxlib": "jax",
    "torch": "torch",
    "cupy": "cupy",
    "cupyx": "cupy",
    "dask": "dask",
    "ndonnx": "ndonnx",
}
# The array namespace (numpy-like functions) of each backend, for runtime helpers.
_ARRAY_NAMESPACE: Final = {
    "numpy": "numpy",
    "jax": "jax.numpy",
    "torch": "torch",
    "cupy": "cupy",
    "dask": "dask.array",
    "ndonnx": "ndonnx",
}
# The import name that must be installed for each backend.
_IMPORT: Final = {
    "numpy": "numpy",
    "jax": "jax",
    "torch": "torch",
    "cupy": "cupy",
    "dask": "dask",
    "ndonnx": "ndonnx",
}

_TYPE_BACKEND: dict[type, str | None] = {}
_DEFAULT: ContextVar[str | None] = ContextVar("polyunit_default_backend", default=None)
_MODULES: dict[str, ModuleType] = {}
# Hot path: array type -> its backend's generated op module, filled by `type_module` on first
# sight; an operation whose inputs agree finds its module with one dict lookup.
_TYPE_MODULE: dict[type, ModuleType] = {}
_INSTALLED: dict[str, bool] = {}


def _backend_of_type_traced(t: type) -> str | None:
    return backend_from_module(t)  # traced: no read of the table, whose growth would recompile


@trace_as(_backend_of_type_traced)
def backend_of_type(t: type) -> str | None:
    """The backend owning arrays of type `t`, or None (Python scalars, lists, other objects)."""
    hit = _TYPE_BACKEND.get(t, "")
    if hit != "":
        return hit
    found = _TYPE_BACKEND[t] = backend_from_module(t)
    return found


@fold_when_traced
def backend_from_module(t: type) -> str | None:
    """The backend named by the top-level module of `t` (the cache-miss path of
    `backend_of_type`; a function of `t` alone, so torch.compile runs it once while tracing)."""
    root = (getattr(t, "__module__", None) or "").partition(".")[0]
    name = _ROOTS.get(root)
    if name == "torch":
        # The torch module installs the functions torch.compile traces in place of the front
        # end and the operators (traced.py): load it at the first sight of a tensor, so that a
        # first call compiled before any eager op already finds them. Naming the backend must
        # not fail with it: an op that needs the module raises the import error itself.
        with contextlib.suppress(BackendError):
            _import(name)
    return name


# pyright sees Quantity[Unknown] after isinstance(v, Quantity) and type[Unknown] for type(<Any>);
# the lines that read those carry a rule-named ignore rather than a per-call cast() on hot paths.
def backend_of(value: object) -> str | None:
    """The backend of an array (or of a Quantity's mantissa); None for non-arrays."""
    from polyunit.quantity import Quantity

    if isinstance(value, Quantity):
        value = value.mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return backend_of_type(type(value))  # pyright: ignore[reportUnknownArgumentType]


def is_installed(name: str) -> bool:
    """Whether a backend's library can be imported (checked with find_spec, never imported)."""
    hit = _INSTALLED.get(name)
    if hit is None:
        try:
            hit = importlib.util.find_spec(_IMPORT[name]) is not None
        except (ImportError, ValueError):  # a finder that blocks the import, a broken install
            hit = False
        _INSTALLED[name] = hit
    return hit


def _check_name(name: str) -> str:
    if name not in _IMPORT:
        raise ValueError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")
    return name


def set_default_backend(name: str | None) -> None:
    """Set the backend used when inputs mix backends or hold no array; None restores the default."""
    if name is not None:
        _check_name(name)
        if not is_installed(name):
            raise missing_backend(name)
    _DEFAULT.set(name)


def get_default_backend() -> str | None:
    """The backend set by `set_default_backend` / `using_backend`, or None when none is set."""
    return _DEFAULT.get()


@contextlib.contextmanager
def using_backend(name: str | None) -> Generator[None]:
    """Use `name` as the default backend inside the block (per thread and per asyncio task)."""
    if name is not None:
        _check_name(name)
        if not is_installed(name):
            raise missing_backend(name)
    token = _DEFAULT.set(name)
    try:
        yield
    finally:
        _DEFAULT.reset(token)


@fold_when_traced
def default_backend() -> str:
    """The backend that computes when inputs do not decide: the set default, else jax, else numpy.

    Under torch.compile it is read once while tracing (dynamo cannot trace ContextVar.get): a
    compiled function keeps the default that was in force when it was compiled."""
    name = _DEFAULT.get()
    if name is not None:
        return name
    return "jax" if is_installed("jax") else "numpy"


def select(*values: object) -> str:
    """The seed's rule: exactly one backend among the array inputs wins; mixed or none -> default."""
    from polyunit.quantity import Quantity

    found: str | None = None
    for v in values:
        if isinstance(v, Quantity):
            v = v.mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        b = backend_of_type(type(v))  # pyright: ignore[reportUnknownArgumentType]
        if b is None:
            continue
        if found is None:
            found = b
        elif b != found:
            return default_backend()
    return found if found is not None else default_backend()


def module(name: str) -> ModuleType:
    """The generated op module of a backend, imported the first time it is needed."""
    mod = _MODULES.get(name)
    if mod is None:
        # Read back through a class attribute (see `_import`); the caller fills the cache.
        mod = _MODULES[name] = getattr(_Loaded, _import(name))
    return mod


class _Loaded:
    """Imported backend modules by backend name."""


@fold_when_traced
def _import(name: str) -> str:
    """Import a backend's module (when the first polyunit op on torch runs inside torch.compile,
    dynamo runs this for real instead of tracing importlib) and return the name it is kept under."""
    _check_name(name)
    if not is_installed(name):
        raise missing_backend(name)
    try:
        mod = importlib.import_module(f"polyunit.backends.{name}")
    except ImportError as exc:
        raise BackendError(f"the {name} backend failed to import: {exc}") from exc
    setattr(_Loaded, name, mod)
    return name


def type_module(t: type) -> ModuleType | None:
    """The op module for arrays of type `t` (cached), or None when `t` is not an array type."""
    mod = _TYPE_MODULE.get(t)
    if mod is None:
        name = backend_of_type(t)
        if name is None:
            return None
        mod = _TYPE_MODULE[t] = module(name)
    return mod


def array_namespace(backend: str) -> ModuleType:
    """The library namespace whose functions act on the backend's arrays (jax: jax.numpy)."""
    return importlib.import_module(_ARRAY_NAMESPACE[backend])
