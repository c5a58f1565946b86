"""polyunit.autograd: unit-aware gradients, Jacobians and Hessians, on jax or on torch.

Every transform takes the units off the differentiated arguments (each `Quantity` leaf becomes
its mantissa), lets the array library differentiate the plain function (`jax.grad` & co for
jax-backed arguments, `torch.func` for torch-backed ones), and puts units back: the derivative
of an output in unit `U_out` with respect to an input in `U_in` is in `U_out / U_in` (a Hessian
in `U_out / (U_in_i * U_in_j)`). As everywhere in polyunit, a dimensionless result comes back as
a plain array with its scale folded in.

The backend is chosen from the differentiated arguments; numpy, cupy, dask and ndonnx cannot
differentiate and raise `BackendError` naming the fix.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import Any

from polyunit.backend import backend_of_type, default_backend, is_installed
from polyunit.errors import BackendError, DimensionMismatchError, missing_backend
from polyunit.quantity import Quantity
from polyunit.rules import changed, quotient
from polyunit.unit import Unit

# pyright types isinstance(v, Quantity) as Quantity[Unknown], list/tuple/dict checks on `object`
# as list[Unknown] ..., and type(<Any>) as type[Unknown]; lines reading those carry a
# rule-named ignore (a cast() would cost a call, and the values are Any anyway).
# reportPrivateUsage ignores mark the package's own internals (Quantity._new and the like).

__all__ = [
    "grad",
    "hessian",
    "jacfwd",
    "jacobian",
    "jacrev",
    "value_and_grad",
    "vector_grad",
]

Argnums = int | Sequence[int]
_DIFFERENTIABLE = ("jax", "torch")


def _is_quantity(x: object) -> bool:
    return isinstance(x, Quantity)


class _Engine:
    """The pytree helpers and the transforms of one differentiating library."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "jax":
            self.lib: Any = importlib.import_module("jax")
            self.tree: Any = self.lib.tree_util
        else:
            self.lib = importlib.import_module("torch")
            self.tree = importlib.import_module("torch.utils._pytree")
        self.func: Any = self.lib if name == "jax" else importlib.import_module("torch.func")

    def flatten(self, tree: Any) -> tuple[list[Any], Any]:
        leaves, spec = self.tree.tree_flatten(tree, is_leaf=_is_quantity)
        return list(leaves), spec

    def unflatten(self, spec: Any, leaves: list[Any]) -> Any:
        return self.tree.tree_unflatten(spec, leaves)

    def as_input(self, leaf: Any) -> Any:
        """A differentiated leaf as the library takes it: torch.func needs tensors, not floats."""
        if self.name == "torch" and isinstance(leaf, int | float) and not isinstance(leaf, bool):
            return self.lib.tensor(float(leaf))
        return leaf

    def ones_like(self, x: Any) -> Any:
        return self.lib.numpy.ones_like(x) if self.name == "jax" else self.lib.ones_like(x)


class _Split:
    """A pytree whose Quantity leaves were replaced by their mantissas; remembers the units."""

    def __init__(self, engine: _Engine, tree: Any, inputs: bool = False) -> None:
        leaves, self.spec = engine.flatten(tree)
        self.units: list[Unit | None] = [
            leaf.unit if isinstance(leaf, Quantity) else None for leaf in leaves
        ]
        plain = [leaf.mantissa if isinstance(leaf, Quantity) else leaf for leaf in leaves]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if inputs:
            plain = [engine.as_input(leaf) for leaf in plain]  # pyright: ignore[reportUnknownVariableType]
        self.plain = engine.unflatten(self.spec, plain)  # pyright: ignore[reportUnknownArgumentType]

    def _leaves_of(self, engine: _Engine, plain: Any) -> list[Any]:
        leaves, _ = engine.flatten(plain)
        if len(leaves) != len(self.units):
            raise ValueError(
                f"polyunit.autograd: expected {len(self.units)} array leaves, got {len(leaves)}"
            )
        return leaves

    def join(self, engine: _Engine, plain: Any) -> Any:
        """`plain` (same structure) with the remembered units put back on its leaves."""
        leaves = self._leaves_of(engine, plain)
        return engine.unflatten(
            self.spec,
            [
                m if u is None else Quantity._new(m, u)  # pyright: ignore[reportPrivateUsage]
                for m, u in zip(leaves, self.units, strict=True)
            ],
        )

    def derivative(self, engine: _Engine, plain: Any, unit_out: Unit | None) -> Any:
        """A derivative tree shaped like this input: each leaf in unit_out / unit(leaf)."""
        leaves = self._leaves_of(engine, plain)
        return engine.unflatten(
            self.spec,
            [changed(g, quotient(unit_out, u)) for g, u in zip(leaves, self.units, strict=True)],
        )


def _argnums(argnums: Argnums, nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    if not nums or not all(isinstance(i, int) and not isinstance(i, bool) for i in nums):  # pyright: ignore[reportUnnecessaryIsInstance]  (a run-time guard: callers pass anything)
        raise TypeError(f"argnums must be an int or a non-empty tuple of ints, got {argnums!r}")
    out: list[int] = []
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(
                f"argnums {argnums!r} refers to argument {i}, but the function got {nargs} "
                f"positional argument(s); pass the differentiated values positionally"
            )
        out.append(i % nargs)
    return tuple(out)


def _backends_in(tree: Any, found: set[str]) -> None:
    """The array backends among the leaves of plain containers and quantities."""
    if isinstance(tree, Quantity):
        tree = tree.mantissa  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    if isinstance(tree, list | tuple):
        for item in tree:  # pyright: ignore[reportUnknownVariableType]
            _backends_in(item, found)
    elif isinstance(tree, dict):
        for item in tree.values():  # pyright: ignore[reportUnknownVariableType]
            _backends_in(item, found)
    else:
        b = backend_of_type(type(tree))  # pyright: ignore[reportUnknownArgumentType]
        if b is not None:
            found.add(b)


def _engine_for(what: str, args: Sequence[Any], nums: tuple[int, ...]) -> _Engine:
    found: set[str] = set()
    for i in nums:
        _backends_in(args[i], found)
    if not found:  # Python numbers only: the other arguments' arrays decide, else the default
        _backends_in(list(args), found)
    if len(found) > 1:
        raise BackendError(
            f"polyunit.autograd.{what}: the differentiated arguments mix backends "
            f"({', '.join(sorted(found))}); convert them to one with .to_jax() or .to_torch()"
        )
    name = found.pop() if found else default_backend()
    if name not in _DIFFERENTIABLE:
        hint = "" if is_installed("jax") else f" ({missing_backend('jax')})"
        raise BackendError(
            f"polyunit.autograd.{what} differentiates jax- or torch-backed quantities, but the "
            f"differentiated arguments are {name}-backed, and {name} has no automatic "
            f"differentiation; convert them first with .to_jax(){hint} or .to_torch()"
        )
    if not is_installed(name):
        raise missing_backend(name)
    return _Engine(name)


def _check_torch_flags(what: str, engine: _Engine, holomorphic: bool, allow_int: bool) -> None:
    if engine.name == "torch" and (holomorphic or allow_int):
        flag = "holomorphic" if holomorphic else "allow_int"
        raise BackendError(
            f"polyunit.autograd.{what}: {flag}=True is a jax option that torch.func does not "
            f"have; drop it, or use jax-backed arguments (.to_jax())"
        )


class _Traced:
    """The plain function a library differentiates, and what it learnt while tracing it."""

    def __init__(
        self,
        engine: _Engine,
        fun: Callable[..., Any],
        args: Sequence[Any],
        kwargs: dict[str, Any],
        nums: tuple[int, ...],
        has_aux: bool,
    ) -> None:
        self.engine = engine
        self.fun = fun
        self.kwargs = kwargs
        self.nums = nums
        self.has_aux = has_aux
        self.inputs = {i: _Split(engine, args[i], inputs=True) for i in nums}
        self.plain_args = [self.inputs[i].plain if i in nums else a for i, a in enumerate(args)]
        self.out: _Split | None = None
        self.aux: _Split | None = None

    def __call__(self, *plain_args: Any) -> tuple[Any, Any]:
        """The function on plain arrays: (output leaves without units, aux without units)."""
        full = [self.inputs[i].join(self.engine, a) if i in self.nums else a for i, a in
                enumerate(plain_args)]  # fmt: skip
        result = self.fun(*full, **self.kwargs)
        if self.has_aux:
            if not (isinstance(result, tuple) and len(result) == 2):  # pyright: ignore[reportUnknownArgumentType]
                raise TypeError(
                    "with has_aux=True the function must return a pair (output, aux), got "
                    f"{type(result).__name__}"  # pyright: ignore[reportUnknownArgumentType]
                )
            result, aux = result  # pyright: ignore[reportUnknownVariableType]
        else:
            aux = ()  # torch.func's aux must hold tensors only; an empty tuple holds none
        self.out = _Split(self.engine, result)
        self.aux = _Split(self.engine, aux)
        leaves, _ = self.engine.flatten(self.out.plain)
        return leaves, self.aux.plain

    def scalar(self, *plain_args: Any) -> tuple[Any, Any]:
        """As `__call__`, for transforms that need one scalar output."""
        leaves, aux = self(*plain_args)
        if len(leaves) != 1:
            raise TypeError(
                "grad and value_and_grad need a function with one scalar output (a quantity or "
                f"an array of shape ()), got {len(leaves)} outputs; use jacrev for several"
            )
        return leaves[0], aux

    def unit_out(self) -> Unit | None:
        assert self.out is not None, "the function was not called"
        return self.out.units[0]

    def value(self, plain: Any) -> Any:
        assert self.out is not None
        return self.out.join(self.engine, [plain])

    def aux_value(self, plain: Any) -> Any:
        assert self.aux is not None
        return self.aux.join(self.engine, plain)


def _per_arg(
    argnums: Argnums, nums: tuple[int, ...], derivs: Any, make: Callable[[int, Any], Any]
) -> Any:
    """One derivative tree for an int argnums, a tuple of them for a tuple argnums."""
    if isinstance(argnums, int):
        return make(nums[0], derivs)
    return tuple(make(i, d) for i, d in zip(nums, derivs, strict=True))


def value_and_grad(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[..., Any]:
    """`fun` -> a function returning `(value, gradient)`, or `((value, aux), gradient)`.

    `fun` must return one scalar (a quantity or an array of shape ()). The gradient with
    respect to an argument has that argument's structure, each leaf in unit(value) / unit(leaf).
    """

    def run(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args))
        engine = _engine_for("value_and_grad", args, nums)
        _check_torch_flags("value_and_grad", engine, holomorphic, allow_int)
        traced = _Traced(engine, fun, args, kwargs, nums, has_aux)
        plain_nums = nums[0] if isinstance(argnums, int) else nums
        if engine.name == "jax":
            (value, aux), derivs = engine.func.value_and_grad(
                traced.scalar,
                plain_nums,
                has_aux=True,
                holomorphic=holomorphic,
                allow_int=allow_int,
            )(*traced.plain_args)
        else:
            derivs, (value, aux) = engine.func.grad_and_value(
                traced.scalar, plain_nums, has_aux=True
            )(*traced.plain_args)
        unit_out = traced.unit_out()
        gradient = _per_arg(
            argnums,
            nums,
            derivs,
            lambda i, d: traced.inputs[i].derivative(engine, d, unit_out),
        )
        out = traced.value(value)
        return ((out, traced.aux_value(aux)) if has_aux else out), gradient

    return run


def grad(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[..., Any]:
    """`fun` -> its gradient function (returns `(gradient, aux)` with has_aux).

    The gradient with respect to an argument has its structure, each leaf in
    unit(fun's output) / unit(leaf).
    """
    both = value_and_grad(fun, argnums, has_aux, holomorphic, allow_int)

    def run(*args: Any, **kwargs: Any) -> Any:
        value, gradient = both(*args, **kwargs)
        return (gradient, value[1]) if has_aux else gradient

    return run


def _jacobian(
    what: str,
    fun: Callable[..., Any],
    argnums: Argnums,
    has_aux: bool,
    holomorphic: bool,
    allow_int: bool,
) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args))
        engine = _engine_for(what, args, nums)
        _check_torch_flags(what, engine, holomorphic, allow_int)
        traced = _Traced(engine, fun, args, kwargs, nums, has_aux)
        plain_nums = nums[0] if isinstance(argnums, int) else nums
        if engine.name == "jax":
            options: dict[str, Any] = {"has_aux": True, "holomorphic": holomorphic}
            if what == "jacrev":
                options["allow_int"] = allow_int
            jac, aux = getattr(engine.func, what)(traced, plain_nums, **options)(*traced.plain_args)
        else:
            jac, aux = getattr(engine.func, what)(traced, plain_nums, has_aux=True)(
                *traced.plain_args
            )
        out = traced.out
        assert out is not None
        # One entry per output leaf; in it, one derivative tree per differentiated argument.
        blocks: list[Any] = []
        for block, unit in zip(jac, out.units, strict=True):

            def make(i: int, d: Any, u: Unit | None = unit) -> Any:
                return traced.inputs[i].derivative(engine, d, u)

            blocks.append(_per_arg(argnums, nums, block, make))
        result = engine.unflatten(out.spec, blocks)
        return (result, traced.aux_value(aux)) if has_aux else result

    return run


def jacrev(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
    allow_int: bool = False,
) -> Callable[..., Any]:
    """Reverse-mode Jacobian: leaf (i, j) in unit(output_i) / unit(input_j).

    The result has the output's structure; each output leaf holds the argument's structure (a
    tuple of them for a tuple `argnums`) with arrays of shape output.shape + input.shape.
    """
    return _jacobian("jacrev", fun, argnums, has_aux, holomorphic, allow_int)


jacobian = jacrev


def jacfwd(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
) -> Callable[..., Any]:
    """Forward-mode Jacobian: leaf (i, j) in unit(output_i) / unit(input_j)."""
    return _jacobian("jacfwd", fun, argnums, has_aux, holomorphic, False)


def hessian(
    fun: Callable[..., Any],
    argnums: Argnums = 0,
    has_aux: bool = False,
    holomorphic: bool = False,
) -> Callable[..., Any]:
    """`jacfwd(jacrev(fun))`: each block in unit(output) / (unit(input_i) * unit(input_j))."""
    return jacfwd(
        jacrev(fun, argnums, has_aux=has_aux, holomorphic=holomorphic),
        argnums,
        has_aux=has_aux,
        holomorphic=holomorphic,
    )


def vector_grad(
    func: Callable[..., Any],
    argnums: Argnums = 0,
    return_value: bool = False,
    has_aux: bool = False,
    unit_aware: bool = True,
) -> Callable[..., Any]:
    """The vector-Jacobian product with a cotangent of ones: for an element-wise `func`, the
    element-wise derivative. Each leaf is in unit(output) / unit(argument leaf); with
    `unit_aware=False` the derivatives are the bare mantissa arrays.

    Returns `grads`, then `value` when `return_value`, then `aux` when `has_aux`, as a tuple
    when there is more than one.
    """

    def run(*args: Any, **kwargs: Any) -> Any:
        nums = _argnums(argnums, len(args))
        engine = _engine_for("vector_grad", args, nums)
        traced = _Traced(engine, func, args, kwargs, nums, has_aux)

        def on_diff(*diff: Any) -> tuple[Any, Any]:
            full = list(traced.plain_args)
            for i, d in zip(nums, diff, strict=True):
                full[i] = d
            return traced(*full)

        primals = [traced.plain_args[i] for i in nums]
        out_leaves, vjp_fn, aux = engine.func.vjp(on_diff, *primals, has_aux=True)
        out = traced.out
        assert out is not None
        units = set(out.units)
        if len(units) > 1:
            raise DimensionMismatchError(
                "vector_grad sums the derivatives of all outputs, which needs one unit for all; "
                f"got outputs in {', '.join(sorted(str(u) for u in units))}"
            )
        cotangent = [engine.ones_like(leaf) for leaf in out_leaves]
        derivs = vjp_fn(cotangent)
        unit_out = out.units[0] if out.units else None
        if unit_aware:
            grads = _per_arg(
                argnums,
                nums,
                derivs,
                lambda i, d: traced.inputs[i].derivative(engine, d, unit_out),
            )
        else:
            grads = derivs[0] if isinstance(argnums, int) else tuple(derivs)
        result: list[Any] = [grads]
        if return_value:
            result.append(out.join(engine, out_leaves))
        if has_aux:
            result.append(traced.aux_value(aux))
        return result[0] if len(result) == 1 else tuple(result)

    return run
