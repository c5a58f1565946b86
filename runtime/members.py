"""`Quantity` members that are not ops of the spec: views, copies, dtype casts, in-place style
updates, `.at[...]` functional updates, and the reference library's spelling aliases.

Quantity inherits `QuantityMembers`; every member computes on the mantissa's own library and
keeps, converts or checks the unit as its docstring says.
"""

from __future__ import annotations

import copy as _copy
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from polyunit.backend import array_namespace, backend_of_type
from polyunit.dimension import DIMENSIONLESS
from polyunit.errors import DimensionMismatchError
from polyunit.unit import UNITLESS, Unit

if TYPE_CHECKING:
    from polyunit.quantity import Quantity

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).


def _math() -> Any:
    from polyunit.backends import frontend_math

    return frontend_math


def _same_unit_mantissa(q: Quantity[Any], value: object, what: str) -> Any:
    """`value` expressed in q's unit (a plain value counts as dimensionless)."""
    from polyunit.quantity import Quantity, describe

    unit = value.unit if isinstance(value, Quantity) else UNITLESS
    if unit.dim is not q.unit.dim:
        raise DimensionMismatchError(
            f"{what}: {describe(value)} has dimension {unit.dim}, but the quantity is in "  # pyright: ignore[reportUnknownArgumentType]
            f"{q.unit.dispname} ({q.unit.dim}); give values in a unit of that dimension"
        )
    m: Any = value.mantissa if isinstance(value, Quantity) else value  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    factor = unit.factor_to(q.unit)
    return m if factor == 1.0 else m * factor  # pyright: ignore[reportUnknownVariableType]


def _plain_mantissa(value: object, what: str) -> Any:
    """The plain number behind a dimensionless value (scale folded in)."""
    from polyunit.quantity import Quantity

    if not isinstance(value, Quantity):
        return value
    if value.unit.dim is not DIMENSIONLESS:
        raise DimensionMismatchError(
            f"{what} needs a dimensionless value, got a quantity in {value.unit.dispname}"
        )
    return value.mantissa if value.unit.magnitude == 1.0 else value.mantissa * value.unit.magnitude  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def _on_backend(q: Quantity[Any], m: Any) -> Any:
    """A value moved onto q's backend (lists and scalars stay as they are for the library)."""
    b = backend_of_type(type(q.mantissa))  # pyright: ignore[reportUnknownArgumentType]
    mb = backend_of_type(type(m))  # pyright: ignore[reportUnknownArgumentType]
    if b is None or mb is None or mb == b:
        return m
    from polyunit.convert import convert_array

    return convert_array(m, b)


def _update(m: Any, index: Any, values: Any, how: str) -> Any:
    """A copy of `m` with `m[index]` combined with `values` (`how`: a jax `.at` verb).

    jax updates functionally; the others update a copy, so the input never changes and
    torch autograd sees an out-of-place operation. Repeated indices accumulate for add/mul/min/max
    as in jax on numpy (ufunc.at) and on torch (index_put_ with accumulate for add).
    """
    b = backend_of_type(type(m))  # pyright: ignore[reportUnknownArgumentType]
    if b == "jax":
        at = m.at[index]
        return getattr(at, how)(values)
    if b == "torch":
        import torch

        out = m.clone()
        if isinstance(values, torch.Tensor) and values.dtype != m.dtype:
            values = values.to(m.dtype)
        if how == "set":
            out[index] = values
        elif how == "add" and isinstance(index, torch.Tensor):
            out.index_put_((index,), torch.as_tensor(values, dtype=m.dtype), accumulate=True)
        else:
            current = out[index]
            out[index] = _combine(current, values, how, torch)
        return out
    if b in ("numpy", "cupy"):
        xp = array_namespace(b)
        out = m.copy()
        ufunc = {
            "add": xp.add,
            "multiply": xp.multiply,
            "min": xp.minimum,
            "max": xp.maximum,
        }.get(how)
        if how == "set":
            out[index] = values
        elif ufunc is not None:
            ufunc.at(out, index, values)
        else:
            out[index] = _combine(out[index], values, how, xp)
        return out
    out = m.copy() if hasattr(m, "copy") else m
    out[index] = values if how == "set" else _combine(m[index], values, how, None)
    return out


def _combine(current: Any, values: Any, how: str, xp: Any) -> Any:
    if how == "add":
        return current + values
    if how == "multiply":
        return current * values
    if how == "divide":
        return current / values
    if how == "power":
        return current**values
    if how == "min":
        return xp.minimum(current, values) if xp is not None else _math().minimum(current, values)
    if how == "max":
        return xp.maximum(current, values) if xp is not None else _math().maximum(current, values)
    raise ValueError(f"unknown update {how!r}")


class _AtIndex:
    """`q.at[index]`: functional updates that return a new Quantity and keep q unchanged."""

    __slots__ = ("_q", "_index")

    def __init__(self, q: Quantity[Any], index: Any) -> None:
        self._q = q
        self._index = index

    def _updated(self, m: Any, how: str) -> Quantity[Any]:
        q = self._q
        return type(q)._new(_update(q.mantissa, self._index, _on_backend(q, m), how), q.unit)  # pyright: ignore[reportPrivateUsage]

    def get(self) -> Quantity[Any]:
        """The selected elements, in q's unit."""
        return self._q[self._index]

    def set(self, value: object) -> Quantity[Any]:
        """Replace the selected elements; `value` is converted to q's unit."""
        return self._updated(_same_unit_mantissa(self._q, value, "at[...].set"), "set")

    def add(self, value: object) -> Quantity[Any]:
        """Add to the selected elements; `value` is converted to q's unit."""
        return self._updated(_same_unit_mantissa(self._q, value, "at[...].add"), "add")

    def multiply(self, value: object) -> Quantity[Any]:
        """Multiply the selected elements by a dimensionless value (the unit stays q's)."""
        return self._updated(_plain_mantissa(value, "at[...].multiply"), "multiply")

    mul = multiply

    def divide(self, value: object) -> Quantity[Any]:
        """Divide the selected elements by a dimensionless value (the unit stays q's)."""
        return self._updated(_plain_mantissa(value, "at[...].divide"), "divide")

    div = divide

    def power(self, exponent: object) -> Quantity[Any]:
        """Raise the selected elements to a power; only a dimensionless q keeps one unit then."""
        q = self._q
        if q.unit.dim is not DIMENSIONLESS:
            raise DimensionMismatchError(
                f"at[...].power on a quantity in {q.unit.dispname} would give the selected "
                "elements another unit than the rest; raise the whole array with q ** n instead"
            )
        return self._updated(_plain_mantissa(exponent, "at[...].power"), "power")

    def min(self, value: object) -> Quantity[Any]:
        """Element-wise minimum with `value` (converted to q's unit) at the selected elements."""
        return self._updated(_same_unit_mantissa(self._q, value, "at[...].min"), "min")

    def max(self, value: object) -> Quantity[Any]:
        """Element-wise maximum with `value` (converted to q's unit) at the selected elements."""
        return self._updated(_same_unit_mantissa(self._q, value, "at[...].max"), "max")

    def apply(self, func: Callable[[Any], Any]) -> Quantity[Any]:
        """Apply `func` to the mantissa of the selected elements; the unit is kept."""
        q = self._q
        m = q.mantissa
        if backend_of_type(type(m)) == "jax":  # pyright: ignore[reportUnknownArgumentType]
            return type(q)._new(m.at[self._index].apply(func), q.unit)  # pyright: ignore[reportPrivateUsage]
        return self._updated(func(m[self._index]), "set")


class _At:
    __slots__ = ("_q",)

    def __init__(self, q: Quantity[Any]) -> None:
        self._q = q

    def __getitem__(self, index: Any) -> _AtIndex:
        from polyunit.quantity import Quantity

        if isinstance(index, Quantity):
            index = _plain_mantissa(index, "at[index]")  # pyright: ignore[reportUnknownArgumentType]
        return _AtIndex(self._q, index)


class QuantityMembers:
    """Members of the reference library's Quantity that are not ops of the spec."""

    __slots__ = ()

    if TYPE_CHECKING:
        mantissa: Any
        unit: Unit

        def __getitem__(self, index: Any) -> Any: ...

    def _self(self) -> Quantity[Any]:
        return self  # type: ignore[return-value]

    def _with(self, m: Any, unit: Unit | None = None) -> Quantity[Any]:
        return type(self._self())._new(m, self.unit if unit is None else unit)  # pyright: ignore[reportPrivateUsage]

    # -- views and shapes -------------------------------------------------------------------
    @property
    def T(self) -> Any:
        """The transpose (all axes reversed); the unit is kept."""
        return _math().transpose(self)

    @property
    def mT(self) -> Any:
        """The transpose of the last two axes (a stack of matrices); the unit is kept."""
        return _math().swapaxes(self, -2, -1)

    @property
    def real(self) -> Any:
        """The real part, in the same unit."""
        return _math().real(self)

    @property
    def imag(self) -> Any:
        """The imaginary part, in the same unit."""
        return _math().imag(self)

    @property
    def flat(self) -> Any:
        """The elements as a 1-d quantity (a flattened copy or view), in the same unit."""
        return _math().ravel(self)

    def unsqueeze(self, axis: int) -> Any:
        """A new axis of length one at `axis` (torch's name for expand_dims)."""
        return _math().expand_dims(self, axis)

    def expand_as(self, array: object) -> Any:
        """Broadcast to the shape of `array` (a quantity or a plain array)."""
        return _math().broadcast_to(self, tuple(getattr(array, "shape", ())))

    def resize(self, new_shape: int | tuple[int, ...]) -> Any:
        """A new quantity of shape `new_shape`, the elements repeated as needed (numpy.resize)."""
        m = self.mantissa
        b = backend_of_type(type(m))  # pyright: ignore[reportUnknownArgumentType]
        shape = (new_shape,) if isinstance(new_shape, int) else tuple(new_shape)
        if b in ("numpy", "jax", "cupy"):
            return self._with(array_namespace(b).resize(m, shape))
        size = 1
        for s in shape:
            size *= s
        flat = _math().ravel(self)
        n = flat.shape[0]
        if n == 0:
            raise ValueError("cannot resize an empty quantity to a non-empty shape")
        reps = -(-size // n)
        return _math().reshape(_math().tile(flat, (reps,))[:size], shape)

    def view(self, *args: Any, dtype: Any = None) -> Any:
        """torch-style `view(*shape)` (a reshape) or a dtype view (`view(dtype=...)`); the unit is
        kept."""
        if dtype is not None:
            return self._with(self.mantissa.view(dtype))
        if len(args) == 1 and not isinstance(args[0], int):
            if isinstance(args[0], tuple | list):
                return _math().reshape(self, tuple(args[0]))  # pyright: ignore[reportUnknownArgumentType]
            return self._with(self.mantissa.view(args[0]))  # a dtype given positionally
        return _math().reshape(self, tuple(args))

    # -- copies and dtypes ------------------------------------------------------------------
    def copy(self) -> Quantity[Any]:
        """A copy that shares no memory with this quantity."""
        m = self.mantissa
        if backend_of_type(type(m)) == "torch":  # pyright: ignore[reportUnknownArgumentType]
            return self._with(m.clone())
        return self._with(m.copy() if hasattr(m, "copy") else _copy.copy(m))

    clone = copy

    def __deepcopy__(self, memodict: dict[int, Any]) -> Quantity[Any]:
        return self._with(_copy.deepcopy(self.mantissa, memodict))

    def half(self) -> Any:
        """Cast to float16, in the same unit."""
        return _math().astype(self, "float16")

    def float(self) -> Any:
        """Cast to float32, in the same unit."""
        return _math().astype(self, "float32")

    def double(self) -> Any:
        """Cast to float64, in the same unit."""
        return _math().astype(self, "float64")

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        m = self.mantissa
        size = getattr(m, "itemsize", None)
        if size is None and hasattr(m, "element_size"):  # torch
            size = m.element_size()
        if size is None:
            size = getattr(getattr(m, "dtype", None), "itemsize", None)
        if size is None:
            raise TypeError(f"{type(m).__name__} does not report its element size")
        return int(size)

    @property
    def nbytes(self) -> int:
        """Bytes of the mantissa's elements."""
        return self.itemsize * self._self().size

    @property
    def strides(self) -> tuple[int, ...]:
        """Byte strides of the mantissa (numpy-like libraries; torch strides times itemsize)."""
        m = self.mantissa
        if backend_of_type(type(m)) == "torch":  # pyright: ignore[reportUnknownArgumentType]
            return tuple(s * m.element_size() for s in m.stride())
        strides = getattr(m, "strides", None)
        if strides is None:
            raise TypeError(
                f"a {type(m).__name__} mantissa has no strides; convert with .to_numpy() first"
            )
        return tuple(strides)

    # -- tests ------------------------------------------------------------------------------
    @property
    def isfinite(self) -> Any:
        """Element-wise: finite (plain boolean array)."""
        return _math().isfinite(self)

    @property
    def isinf(self) -> Any:
        """Element-wise: infinite (plain boolean array)."""
        return _math().isinf(self)

    isinfinite = isinf

    @property
    def isnan(self) -> Any:
        """Element-wise: not a number (plain boolean array)."""
        return _math().isnan(self)

    @property
    def isreal(self) -> Any:
        """Element-wise: imaginary part zero (plain boolean array)."""
        return _math().isreal(self)

    @property
    def isscalar(self) -> bool:
        """Whether the quantity holds a single number (0-d)."""
        return self._self().ndim == 0

    def has_same_unit(self, other: object) -> bool:
        """Whether `other` has exactly this unit (a plain value has the unit 1)."""
        from polyunit.quantity import Quantity

        if isinstance(other, Unit):
            return other == self.unit
        return (other.unit if isinstance(other, Quantity) else UNITLESS) == self.unit

    # -- numbers and text -------------------------------------------------------------------
    def item(self, *args: Any) -> Quantity[Any]:
        """One element as a 0-d quantity holding a Python number, in the same unit."""
        self._self()._refuse_lazy("item")  # pyright: ignore[reportPrivateUsage]
        m = self.mantissa
        # numpy's flat or per-axis index
        if args and backend_of_type(type(m)) == "torch":  # pyright: ignore[reportUnknownArgumentType]
            m = m.reshape(-1)[args[0]] if len(args) == 1 else m[args]
            args = ()
        value = m.item(*args) if hasattr(m, "item") else m
        return type(self._self())._new(value, self.unit)  # pyright: ignore[reportPrivateUsage]

    def repr_in_unit(self, precision: int | None = None) -> str:
        """The values as text in this unit, rounded to `precision` digits when given."""
        from polyunit.quantity import format_mantissa

        m = self.mantissa
        if precision is not None and backend_of_type(type(m)) != "dask":  # pyright: ignore[reportUnknownArgumentType]
            import numpy as np

            from polyunit.convert import to_numpy_array

            text = np.array2string(
                np.asarray(to_numpy_array(m)), precision=precision, floatmode="fixed"
            )
        else:
            text = format_mantissa(m)
        return f"{text} {self.unit.dispname}" if self.unit is not UNITLESS else text

    def factorless(self) -> Quantity[Any]:
        """The same values in the unit's factor-free form (e.g. 5 km as 5000 m when the unit's
        factor is not a power of ten); units without such a factor are returned as they are."""
        plain_unit = self.unit.factorless()
        if plain_unit is self.unit:
            return self._self()
        return self._self().in_unit(plain_unit)

    def clip(self, min: object = None, max: object = None) -> Any:  # noqa: A002 (the reference's names)
        """The values limited to [`min`, `max`], converted to this unit; None leaves a side open."""
        return _math().clip(self._self(), min, max)

    def sort(self, axis: int | None = -1, stable: bool = True, order: Any = None) -> Any:
        """A sorted copy along `axis` (the reference's parameters); `polyunit.math.sort` has
        numpy's full set (kind, descending)."""
        return _math().sort(self._self(), axis, stable=stable, order=order)

    def nonzero(self, *args: Any, **kwargs: Any) -> Any:
        """Indices of the nonzero elements, one array per axis (plain: positions carry no
        unit); the arguments are those of `polyunit.math.nonzero`."""
        from polyunit.arrayinfo import nonzero

        return nonzero(self._self(), *args, **kwargs)

    # -- the jax pytree protocol, also as methods (the reference's names) ----------------------
    def tree_flatten(self) -> tuple[tuple[Any], Unit]:
        """(children, aux data): the mantissa is the child, the unit the static data."""
        q = self._self()
        return (q.mantissa,), q.unit

    @classmethod
    def tree_unflatten(cls, unit: Unit, values: Any) -> Quantity[Any]:
        """The inverse of `tree_flatten`."""
        from polyunit.quantity import Quantity

        (mantissa,) = values
        return Quantity._new(mantissa, unit)  # pyright: ignore[reportPrivateUsage]

    # -- updates: the reference's in-place methods, without mutating shared arrays ------------
    def fill(self, value: object) -> Quantity[Any]:
        """Set every element to `value` (converted to this unit), in place."""
        q = self._self()
        m = _on_backend(q, _same_unit_mantissa(q, value, "fill"))
        full = _math().full_like(self.mantissa, m)
        self._self().mantissa = full
        return self._self()

    def put(self, indices: Any, values: object) -> Quantity[Any]:
        """Set the elements at the flat `indices` to `values` (converted to this unit), in
        place."""
        q = self._self()
        v = _on_backend(q, _same_unit_mantissa(q, values, "put"))
        shape = q.shape
        if isinstance(indices, list | tuple):  # jax and torch index with arrays, not lists
            import numpy as np

            indices = _on_backend(q, np.asarray(indices))  # pyright: ignore[reportUnknownArgumentType]
        flat = _math().ravel(q.mantissa)
        q.mantissa = _math().reshape(_update(flat, indices, v, "set"), shape)
        return q

    def update_mantissa(self, mantissa: Any) -> Quantity[Any]:
        """Replace the mantissa (same unit); the new mantissa is taken as it is."""
        q = self._self()
        q.mantissa = mantissa
        return q

    @property
    def at(self) -> _At:
        """Functional updates: `q.at[idx].set(v)`, `.add(v)`, `.multiply(k)`, `.min(v)` ...;
        each returns a new quantity and leaves `q` unchanged (as in jax, on every backend)."""
        return _At(self._self())

    def scatter_add(self, index: Any, value: object) -> Quantity[Any]:
        """`q.at[index].add(value)`."""
        return _At(self._self())[index].add(value)

    def scatter_sub(self, index: Any, value: object) -> Quantity[Any]:
        """`q.at[index].add(-value)`; `value` is converted to this unit."""
        m = _same_unit_mantissa(self._self(), value, "scatter_sub")
        return _AtIndex(self._self(), index)._updated(-m, "add")  # pyright: ignore[reportPrivateUsage]

    def scatter_mul(self, index: Any, value: object) -> Quantity[Any]:
        """`q.at[index].multiply(value)`; `value` must be dimensionless."""
        return _At(self._self())[index].multiply(value)

    def scatter_div(self, index: Any, value: object) -> Quantity[Any]:
        """`q.at[index].divide(value)`; `value` must be dimensionless."""
        return _At(self._self())[index].divide(value)

    def scatter_min(self, index: Any, value: object) -> Quantity[Any]:
        """`q.at[index].min(value)`."""
        return _At(self._self())[index].min(value)

    def scatter_max(self, index: Any, value: object) -> Quantity[Any]:
        """`q.at[index].max(value)`."""
        return _At(self._self())[index].max(value)

    __array_priority__ = 100

    def __and__(self, other: object) -> Any:
        return _math().bitwise_and(self, other)

    def __rand__(self, other: object) -> Any:
        return _math().bitwise_and(other, self)

    def __or__(self, other: object) -> Any:
        return _math().bitwise_or(self, other)

    def __ror__(self, other: object) -> Any:
        return _math().bitwise_or(other, self)

    def __xor__(self, other: object) -> Any:
        return _math().bitwise_xor(self, other)

    def __rxor__(self, other: object) -> Any:
        return _math().bitwise_xor(other, self)

    def __invert__(self) -> Any:
        return _math().invert(self)

    def __lshift__(self, other: object) -> Any:
        return _math().left_shift(self, other)

    def __rlshift__(self, other: object) -> Any:
        return _math().left_shift(other, self)

    def __rshift__(self, other: object) -> Any:
        return _math().right_shift(self, other)

    def __rrshift__(self, other: object) -> Any:
        return _math().right_shift(other, self)

    def __round__(self, ndigits: int | None = None) -> Any:
        return _math().round(self, ndigits or 0)

    def __rdivmod__(self, other: object) -> Any:
        return divmod(type(self._self())(other), self._self())

    def pow(self, oc: object) -> Any:
        """`q ** oc`."""
        return self._self() ** oc

    @staticmethod
    def with_unit(mantissa: Any, unit: Unit) -> Quantity[Any]:
        """`Quantity(mantissa, unit)`."""
        from polyunit.quantity import Quantity

        return Quantity(mantissa, unit)
