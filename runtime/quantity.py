"""`Quantity`: an array mantissa from any supported library, paired with a `Unit`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from types import ModuleType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from polyunit import backend as _backend
from polyunit.backend import backend_from_module, backend_of_type, default_backend
from polyunit.backends.methods import QuantityMethods
from polyunit.compiling import eager_copy, trace_as
from polyunit.convert import convert_array, to_numpy_array
from polyunit.dimension import DIMENSIONLESS, Dimension
from polyunit.errors import BackendError, DimensionMismatchError
from polyunit.members import QuantityMembers
from polyunit.unit import UNITLESS, Unit, conversion_factor

if TYPE_CHECKING:  # array types for the to_* annotations; never imported at run time
    import cupy as cp  # pyright: ignore[reportMissingImports]  (needs a GPU; absent in CI)
    import dask.array as da
    import jax
    import ndonnx as ndx
    import torch
    from numpy.typing import NDArray

A = TypeVar("A")
B = TypeVar("B")
# pyright narrows isinstance(v, Quantity) to Quantity[Unknown] and types type(<Any>) as type[Unknown];
# lines reading those carry a rule-named ignore (a cast() would cost a call per operand).
_MODULES = _backend._MODULES  # pyright: ignore[reportPrivateUsage]
_OPERAND_TYPES = (int, float, complex, bool, list, tuple, Fraction)


# Hot path of every operator: array type -> op module, and the operand types that never decide.
_TYPE_MODULE = _backend._TYPE_MODULE  # pyright: ignore[reportPrivateUsage]
_PLAIN = frozenset({int, float, complex, bool})
_object_new = object.__new__
_TYPE_BACKEND = _backend._TYPE_BACKEND  # pyright: ignore[reportPrivateUsage]


def _module_for(m: object, other: object) -> ModuleType | None:
    """The op module for a binary operator, by the seed's rule; None for an unknown operand type."""
    # Fast path: `other` is on the same array type, or a Python scalar: one dict lookup, no
    # ContextVar read. Anything else takes the general rule below.
    tm = type(m)
    mod = _TYPE_MODULE.get(tm)
    if mod is not None:
        to = type(other)
        if to is Quantity:
            to = type(other.mantissa)  # type: ignore[attr-defined]
        if to is tm or to in _PLAIN:
            return mod
    return _module_for_general(m, other)


def _module_for_general(m: object, other: object) -> ModuleType | None:
    b = backend_of_type(type(m))
    o: object = other.mantissa if isinstance(other, Quantity) else other  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    bo = backend_of_type(type(o))  # pyright: ignore[reportUnknownArgumentType]
    if bo is None:
        if not isinstance(o, _OPERAND_TYPES):
            return None
        name = b
    elif b is None or bo == b:
        name = bo
    else:
        name = default_backend()
    if name is None:
        name = default_backend()
    mod = _MODULES.get(name)
    if mod is None:
        mod = _backend.module(name)
    if b == name:
        _TYPE_MODULE[type(m)] = mod  # for the fast path next time
    return mod


def _module_of(m: object) -> ModuleType:
    mod = _TYPE_MODULE.get(type(m))
    if mod is not None:
        return mod
    name = backend_of_type(type(m)) or default_backend()
    mod = _MODULES.get(name)
    return mod if mod is not None else _backend.module(name)


def format_mantissa(m: object) -> str:
    """Text of a mantissa as numpy prints it, without computing lazy (dask) arrays."""
    b = backend_of_type(type(m))
    if b == "torch":
        return str(m.detach().cpu().resolve_conj().resolve_neg().numpy())  # type: ignore[attr-defined]
    if b == "dask":
        return repr(m)
    return str(m)


def describe(v: object) -> str:
    """A short description of an operand for error messages (built only when raising)."""
    if isinstance(v, Quantity):
        q: Quantity[Any] = v  # pyright: ignore[reportUnknownVariableType]
        size = getattr(q.mantissa, "size", 1)
        if v.backend != "dask" and isinstance(size, int) and size <= 8:
            try:
                return str(v)  # pyright: ignore[reportUnknownArgumentType]
            except Exception:  # tracers and exotic arrays: fall back to the shape
                pass
        return f"a quantity of shape {tuple(v.shape)} in {v.unit.dispname}"
    size = getattr(v, "size", 1)
    if isinstance(size, int) and size <= 8 and backend_of_type(type(v)) != "dask":
        return f"{format_mantissa(v)} (plain, dimensionless)"
    return f"a plain array of shape {tuple(getattr(v, 'shape', ()))} (dimensionless)"


def _init_traced(
    self: Quantity[Any], mantissa: Any, unit: Unit = UNITLESS, dtype: Any = None
) -> None:
    """What torch.compile traces for `Quantity(...)`: the fast path asks the (folded) type
    lookup, not the type table, which would cost a guard that fails when the table grows."""
    t: type[Any] = type(mantissa)  # pyright: ignore[reportUnknownVariableType]
    if dtype is None and type(unit) is Unit and backend_from_module(t) is not None:
        self.mantissa = mantissa
        self.unit = unit
        return
    _init_eager(self, mantissa, unit, dtype)


class Quantity(QuantityMethods, QuantityMembers, Generic[A]):
    """An array of values in one physical unit.

    `Quantity(mantissa, unit=u.meter)` keeps `mantissa` on its own array library (numpy, jax,
    torch, cupy, dask or ndonnx); lists and Python numbers go to the default backend.
    Every operation checks and propagates the unit and computes on the mantissa's library.
    """

    __slots__ = ("mantissa", "unit")
    mantissa: A
    unit: Unit

    @trace_as(_init_traced)
    def __init__(self, mantissa: Any, unit: Unit = UNITLESS, dtype: Any = None) -> None:
        # Fast path: an array of a known backend and a plain Unit need no check or conversion.
        if dtype is None and type(unit) is Unit and _TYPE_BACKEND.get(type(mantissa)):  # pyright: ignore[reportUnknownArgumentType]
            self.mantissa = mantissa
            self.unit = unit
            return
        if not isinstance(unit, Unit):  # pyright: ignore[reportUnnecessaryIsInstance]  (users pass strings)
            raise TypeError(
                f"unit must be a polyunit Unit (e.g. u.meter), got {type(unit).__name__}"
            )
        if isinstance(mantissa, Quantity):
            mantissa = mantissa.in_unit(unit).mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        b = backend_of_type(type(mantissa))  # pyright: ignore[reportUnknownArgumentType]
        if b is None or dtype is not None:
            mantissa = convert_array(mantissa, b or default_backend(), dtype=dtype)
        self.mantissa = mantissa
        self.unit = unit

    @staticmethod
    def _new(mantissa: B, unit: Unit) -> Quantity[B]:
        """Internal fast constructor: no checks, no conversion."""
        q: Quantity[B] = object.__new__(Quantity)  # pyright: ignore[reportUnknownVariableType]
        q.mantissa = mantissa
        q.unit = unit
        return q

    # -- metadata ---------------------------------------------------------------------------
    @property
    def dim(self) -> Dimension:
        return self.unit.dim

    @property
    def magnitude(self) -> A:
        return self.mantissa

    @property
    def backend(self) -> str:
        """The array library holding the mantissa: numpy, jax, torch, cupy, dask or ndonnx."""
        return backend_of_type(type(self.mantissa)) or "python"

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(getattr(self.mantissa, "shape", ()))

    @property
    def ndim(self) -> int:
        return int(getattr(self.mantissa, "ndim", 0))

    @property
    def size(self) -> int:
        n = 1
        for s in self.shape:
            n *= s
        return n

    @property
    def dtype(self) -> Any:
        return getattr(self.mantissa, "dtype", type(self.mantissa))

    @property
    def is_unitless(self) -> bool:
        return self.unit.is_unitless

    # -- units ------------------------------------------------------------------------------
    def in_unit(self, unit: Unit, err_msg: str | None = None) -> Quantity[A]:
        """The same quantity expressed in `unit` (same dimension required); `err_msg` starts
        the error message when the dimensions differ."""
        if err_msg is not None and unit.dim is not self.unit.dim:
            raise DimensionMismatchError(
                f"{err_msg}: {self.unit.dispname} ({self.unit.dim}) cannot be expressed in "
                f"{unit.dispname} ({unit.dim})"
            )
        # Inlined construction and cache hit (a hot path): Quantity._new and conversion_factor
        # without their calls.
        factor = self.unit._to.get(id(unit))  # pyright: ignore[reportPrivateUsage]
        if factor is None:
            factor = conversion_factor(self.unit, unit)
        scaled: Any = self.mantissa
        q: Quantity[A] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
        q.mantissa = scaled if factor == 1.0 else scaled * factor
        q.unit = unit
        return q

    def to(self, new_unit: Any = None, dtype: Any = None, *, device: Any = None) -> Quantity[Any]:
        """`q.to(unit)` converts the unit (like `in_unit`); `q.to(device)`, `q.to(dtype)`,
        `q.to(device, dtype)` or `q.to(dtype=..., device=...)` move or cast a torch mantissa and
        keep the unit (so `new_unit`, the reference's name, may also be a device or a dtype). A
        device is a `torch.device`, a string ('cpu', 'cuda:0') or an index; a dtype is a torch
        or a numpy dtype."""
        if isinstance(new_unit, Unit):
            if dtype is not None or device is not None:
                raise TypeError("q.to(unit) converts units only; move with q.to(device, dtype)")
            return self.in_unit(new_unit)
        from polyunit import torch_interop

        return torch_interop.move(self, new_unit, dtype, device, "to()")  # type: ignore[no-any-return]

    def cpu(self, device: Any = None) -> Quantity[Any]:
        """The mantissa in host memory, same unit: a torch tensor on the CPU, a jax array on a
        CPU device (`device`, default the first), a cupy array copied to numpy; numpy, dask
        and ndonnx arrays are there already."""
        backend = self.backend
        if backend == "torch":
            from polyunit import torch_interop

            return torch_interop.on_device(self, "cpu", "cpu()")  # type: ignore[no-any-return]
        if backend == "jax":
            from polyunit import jax_interop

            return jax_interop.on_cpu(self, device)
        if backend == "cupy":
            return self.to_numpy()
        return self

    def cuda(self, device: Any = None) -> Quantity[Any]:
        """The torch mantissa on a CUDA device, same unit."""
        from polyunit import torch_interop

        return torch_interop.on_device(self, device, "cuda()")  # type: ignore[no-any-return]

    def to_decimal(self, unit: Unit | None = None) -> A:
        """The plain mantissa expressed in `unit` (default: dimensionless, scale folded in)."""
        factor = conversion_factor(self.unit, UNITLESS if unit is None else unit)
        value: Any = self.mantissa
        return value if factor == 1.0 else value * factor  # type: ignore[no-any-return]

    # -- backends ---------------------------------------------------------------------------
    def _moved(self, target: str, **kwargs: Any) -> Quantity[Any]:
        if self.backend == target and all(v is None for v in kwargs.values()):
            return self
        return Quantity._new(convert_array(self.mantissa, target, **kwargs), self.unit)

    def to_numpy(self, dtype: Any = None) -> Quantity[NDArray[Any]]:
        return self._moved("numpy", dtype=dtype)

    def to_jax(self, dtype: Any = None) -> Quantity[jax.Array]:
        return self._moved("jax", dtype=dtype)

    def to_torch(self, device: Any = None, dtype: Any = None) -> Quantity[torch.Tensor]:
        """To a torch tensor; `dtype` may be a torch or a numpy dtype."""
        return self._moved("torch", device=device, dtype=dtype)

    def to_cupy(self, dtype: Any = None, *, device: Any = None) -> Quantity[cp.ndarray]:  # pyright: ignore[reportUnknownMemberType, reportUnknownParameterType]
        """To a cupy array, on GPU `device` (an index or a cupy Device; default the current)."""
        return self._moved("cupy", dtype=dtype, device=device)

    def to_dask(self, chunks: Any = None, dtype: Any = None) -> Quantity[da.Array]:
        return self._moved("dask", chunks=chunks, dtype=dtype)

    def to_ndonnx(self, dtype: Any = None) -> Quantity[ndx.Array]:
        return self._moved("ndonnx", dtype=dtype)

    # -- text -------------------------------------------------------------------------------
    def __str__(self) -> str:
        text = format_mantissa(self.mantissa)
        return text if self.unit is UNITLESS else f"{text} {self.unit.dispname}"

    def __repr__(self) -> str:
        return f'Quantity({format_mantissa(self.mantissa)}, "{self.unit.dispname}")'

    def __format__(self, spec: str) -> str:
        return (
            str(self)
            if not spec
            else f"{format(self.to_python_scalar(), spec)} {self.unit.dispname}"
        )

    # -- Python protocol ----------------------------------------------------------------------
    def _refuse_lazy(self, what: str) -> None:
        if backend_of_type(type(self.mantissa)) == "dask":
            raise BackendError(
                f"{what} needs concrete values, but this quantity is a lazy dask array; "
                f"call .compute() on the mantissa first (q.mantissa.compute())"
            )

    def to_python_scalar(self) -> Any:
        self._refuse_lazy("converting to a Python number")
        return to_numpy_array(self.mantissa).item()

    def _plain_number(self, kind: str) -> Any:
        self._refuse_lazy(f"{kind}(q)")
        if self.unit.dim is not DIMENSIONLESS:
            raise DimensionMismatchError(
                f"Cannot convert {self} to {kind}: only dimensionless quantities convert to plain "
                f"numbers; use q.to_decimal(unit) to read the value in a unit"
            )
        value = to_numpy_array(self.mantissa)
        return value * self.unit.magnitude if self.unit.magnitude != 1.0 else value

    def __float__(self) -> float:
        return float(self._plain_number("float"))

    def __int__(self) -> int:
        return int(self._plain_number("int"))

    def __complex__(self) -> complex:
        return complex(self._plain_number("complex"))

    def __index__(self) -> int:
        value = self._plain_number("operator.index")
        import operator

        return operator.index(value)

    def __bool__(self) -> bool:
        self._refuse_lazy("bool(q)")
        return bool(self.mantissa)

    def __hash__(self) -> int:
        self._refuse_lazy("hash(q)")
        if backend_of_type(type(self.mantissa)) == "jax":
            # jax arrays are immutable, so a concrete jax quantity hashes by value and can be a
            # static argument of jax.jit; a tracer has no value and raises like a jax array does.
            from polyunit.jax_interop import value_hash

            return value_hash(self)
        return hash((self.unit, self.mantissa))

    def __len__(self) -> int:
        return len(self.mantissa)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Quantity[Any]]:
        for row in self.mantissa:  # type: ignore[attr-defined]
            yield Quantity._new(row, self.unit)  # pyright: ignore[reportUnknownArgumentType]

    def __getitem__(self, key: Any) -> Quantity[Any]:
        if isinstance(key, Quantity):
            raise TypeError("cannot index with a Quantity; index with a plain array or integers")
        return Quantity._new(self.mantissa[key], self.unit)  # type: ignore[index]

    def __setitem__(self, key: Any, value: Any) -> None:
        if backend_of_type(type(self.mantissa)) == "jax":
            raise TypeError("jax arrays are immutable; use q.at[index].set(value) instead")
        if isinstance(value, Quantity):
            value = value.in_unit(self.unit).mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        elif self.unit.dim is not DIMENSIONLESS:
            raise DimensionMismatchError(
                f"Cannot assign a plain value into a quantity in {self.unit.dispname}; "
                f"give the value a unit (value * u.{self.unit.name})"
            )
        self.mantissa[key] = value  # type: ignore[index]

    def tolist(self) -> Any:
        self._refuse_lazy("tolist()")
        return to_numpy_array(self.mantissa).tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        self._refuse_lazy("np.asarray(q)")
        if self.unit.dim is not DIMENSIONLESS:
            raise DimensionMismatchError(
                f"Cannot turn a quantity in {self.unit.dispname} into a bare numpy array silently; "
                f"use q.to_decimal(unit) or q.mantissa"
            )
        value = self._plain_number("np.asarray")
        return value if dtype is None else value.astype(dtype)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """`np.sqrt(q)`, `np.add(q, r)` and friends stay unit-aware through polyunit.math."""
        from polyunit import math as _math

        func = getattr(_math, ufunc.__name__, None)
        if method != "__call__" or kwargs or func is None:
            return NotImplemented
        return func(*inputs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        from polyunit import math as _math

        ours = getattr(_math, func.__name__, None)
        if ours is None:
            return NotImplemented
        return ours(*args, **kwargs)

    @classmethod
    def __torch_function__(
        cls, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        """`torch.sin(q)`, `torch.sum(q, dim=0)`, `torch.matmul(q, w)` ... run the unit-aware
        polyunit.math function; a torch function polyunit does not cover raises TypeError."""
        from polyunit import torch_interop

        return torch_interop.torch_function(func, args, kwargs)

    # -- operators ----------------------------------------------------------------------------
    # The common case is computed right here: the other operand is a Quantity on the same array
    # type (for + - and comparisons also in the same, interned, unit; for * and / with a cached
    # unit product), or a Python number for * and /. Nothing needs checking or converting then,
    # and the backend's native function (`kernel_<op>` of its generated module, the function its
    # op calls) runs directly: the op function's call and checks would cost about as much again
    # as the rest on small arrays. Everything else goes through the op of the backend that
    # `_module_for` picks, which is also what a dimensionless result of * and / needs.
    def __add__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            q: Quantity[A] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
            q.mantissa = mod.kernel_add(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
            q.unit = self.unit
            return q
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.add(self, other)

    def __radd__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.add(other, self)

    def __sub__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            q: Quantity[A] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
            q.mantissa = mod.kernel_subtract(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
            q.unit = self.unit
            return q
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.subtract(self, other)

    def __rsub__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.subtract(other, self)

    def __mul__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if mod is not None:
            to = type(other)  # pyright: ignore[reportUnknownVariableType]
            if to is Quantity and type(other.mantissa) is type(m):  # pyright: ignore[reportUnknownMemberType]
                unit = self.unit._mul.get(id(other.unit))  # pyright: ignore[reportPrivateUsage, reportUnknownMemberType, reportUnknownArgumentType]
                if unit is not None and unit.dim is not DIMENSIONLESS:
                    q: Quantity[A] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
                    q.mantissa = mod.kernel_multiply(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
                    q.unit = unit
                    return q
            elif (to is float or to is int) and self.unit.dim is not DIMENSIONLESS:
                q = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
                q.mantissa = mod.kernel_multiply(m, other)
                q.unit = self.unit
                return q
        if type(other) is Unit:
            return Quantity._new(m, self.unit * other)
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.multiply(self, other)

    def __rmul__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.multiply(other, self)

    def __truediv__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if mod is not None:
            to = type(other)  # pyright: ignore[reportUnknownVariableType]
            if to is Quantity and type(other.mantissa) is type(m):  # pyright: ignore[reportUnknownMemberType]
                unit = self.unit._div.get(id(other.unit))  # pyright: ignore[reportPrivateUsage, reportUnknownMemberType, reportUnknownArgumentType]
                if unit is not None and unit.dim is not DIMENSIONLESS:
                    q: Quantity[A] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
                    q.mantissa = mod.kernel_divide(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
                    q.unit = unit
                    return q
            elif (to is float or to is int) and self.unit.dim is not DIMENSIONLESS:
                q = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
                q.mantissa = mod.kernel_divide(m, other)
                q.unit = self.unit
                return q
        if type(other) is Unit:
            return Quantity._new(m, self.unit / other)
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.divide(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.divide(other, self)

    def __floordiv__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.floor_divide(other, self)

    def __mod__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.remainder(self, other)

    def __rmod__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.remainder(other, self)

    def __divmod__(self, other: Any) -> Any:
        return self.__floordiv__(other), self.__mod__(other)

    def __pow__(self, other: Any, modulo: None = None) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        # a Python number exponent: the unit cache is keyed by it as given (unit_power)
        if mod is not None and (type(other) is int or type(other) is float):
            unit = self.unit._pow.get(other)  # pyright: ignore[reportPrivateUsage]
            if unit is not None and unit.dim is not DIMENSIONLESS:
                q: Quantity[A] = _object_new(Quantity)  # pyright: ignore[reportUnknownVariableType]
                q.mantissa = mod.kernel_power(m, other)
                q.unit = unit
                return q
        mod = _module_for(m, other)
        return NotImplemented if mod is None else mod.power(self, other)

    def __rpow__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.power(other, self)

    def __matmul__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Any:
        mod = _module_for(self.mantissa, other)
        return NotImplemented if mod is None else mod.matmul(other, self)

    def __neg__(self) -> Quantity[A]:
        return _module_of(self.mantissa).negative(self)  # type: ignore[no-any-return]

    def __pos__(self) -> Quantity[A]:
        return _module_of(self.mantissa).positive(self)  # type: ignore[no-any-return]

    def __abs__(self) -> Quantity[A]:
        return _module_of(self.mantissa).absolute(self)  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            return mod.kernel_equal(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.equal(self, other)

    def __ne__(self, other: object) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            return mod.kernel_not_equal(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.not_equal(self, other)

    def __lt__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            return mod.kernel_less(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.less(self, other)

    def __le__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            return mod.kernel_less_equal(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.less_equal(self, other)

    def __gt__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            return mod.kernel_greater(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.greater(self, other)

    def __ge__(self, other: Any) -> Any:
        m = self.mantissa
        mod = _TYPE_MODULE.get(type(m))
        if (
            mod is not None
            and type(other) is Quantity
            and other.unit is self.unit  # pyright: ignore[reportUnknownMemberType]
            and type(other.mantissa) is type(m)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        ):
            return mod.kernel_greater_equal(m, other.mantissa)  # pyright: ignore[reportUnknownMemberType]
        mod = _module_for(m, other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented if mod is None else mod.greater_equal(self, other)


# The constructor as it is, for its twin's other cases (see _init_traced).
_init_eager: Callable[..., None] = eager_copy(Quantity.__init__)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType, reportUnknownVariableType]
