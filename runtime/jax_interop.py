"""`Quantity` as a JAX pytree: the mantissa is the only child, the unit is static aux data.

So `jax.jit`, `vmap`, `grad`, `lax.scan`, `device_put` and `jax.tree_util` take quantities in
and out, and the unit never becomes a traced value (units cost nothing inside `jit`).

`import polyunit` must not import jax, so the registration is lazy: `install()` (called by
`polyunit/__init__.py`) registers at once when jax is already imported, and otherwise puts a
one-shot hook on `sys.meta_path` that registers right after `import jax` has run, whichever
import comes first in a process.
"""

from __future__ import annotations

import _thread
import sys
from collections.abc import Iterable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

from polyunit.quantity import Quantity
from polyunit.unit import Unit

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).

_lock = _thread.allocate_lock()  # _thread is built in; threading would cost import time
_registered = False


def _flatten(q: Quantity[Any]) -> tuple[tuple[Any], Unit]:
    return (q.mantissa,), q.unit


_object_new = object.__new__


def _unflatten(unit: Unit, children: Iterable[Any]) -> Quantity[Any]:
    # jax also unflattens with placeholders (None, shardings, specs): no checks here. Built in
    # place, as Quantity._new does: every jitted call that returns a quantity runs this.
    q: Quantity[Any] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
    (q.mantissa,) = children
    q.unit = unit
    return q


def is_registered() -> bool:
    return _registered


def register() -> None:
    """Register `Quantity` with `jax.tree_util` (once per process; imports jax)."""
    global _registered
    with _lock:
        if _registered:
            return
        import jax

        key = jax.tree_util.GetAttrKey("mantissa")
        jax.tree_util.register_pytree_with_keys(  # pyright: ignore[reportUnknownMemberType]
            Quantity,
            lambda q: (((key, q.mantissa),), q.unit),
            _unflatten,
            _flatten,
        )
        _registered = True
    _remove_hook()


class _RegisterAfterJaxImport:
    """A meta-path finder that only watches `jax`: it lets the other finders find it, and wraps
    that spec's loader so the pytree registration runs as soon as the jax package has executed."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != "jax" or _registered:
            return None
        spec: ModuleSpec | None = None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                break
        loader = None if spec is None else spec.loader
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            register()

        # The loader object belongs to this spec alone, so patching the instance is local.
        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


_HOOK = _RegisterAfterJaxImport()


def _remove_hook() -> None:
    try:
        sys.meta_path.remove(_HOOK)
    except ValueError:
        pass


def install() -> None:
    """Register now if jax is already imported, else when it is imported."""
    if "jax" in sys.modules:
        register()
    elif _HOOK not in sys.meta_path:
        sys.meta_path.insert(0, _HOOK)


def value_hash(q: Quantity[Any]) -> int:
    """Hash of a concrete jax quantity by dimension and SI value (1 km and 1000 m hash alike)."""
    import numpy as np

    try:
        value = np.asarray(q.mantissa)
    except Exception as exc:  # a tracer: no concrete value to hash
        raise TypeError(
            "cannot hash a quantity holding a traced jax value; pass concrete quantities as "
            "static arguments, or make the argument non-static"
        ) from exc
    si = value * q.unit.magnitude if q.unit.magnitude != 1.0 else value
    return hash((q.unit.dim, si.shape, si.tobytes()))


def on_cpu(q: Quantity[Any], device: Any) -> Quantity[Any]:
    """`q.cpu(device)` for a jax quantity: the mantissa on a CPU device (default the first)."""
    import jax

    target: Any = device
    if target is None:
        target = jax.devices("cpu")[0]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    moved: Any = jax.device_put(q.mantissa, target)  # pyright: ignore[reportUnknownMemberType]
    return Quantity._new(moved, q.unit)  # pyright: ignore[reportPrivateUsage]
