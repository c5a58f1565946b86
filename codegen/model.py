"""The spec as frozen, typed data. Every node carries the Location it was read from."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

# The op namespaces: polyunit.math, polyunit.linalg, ... (the spec file's `namespace:` key).
NAMESPACES = ("math", "linalg", "fft", "lax")


@dataclass(frozen=True)
class Location:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Param:
    name: str
    annotation: str  # in the spec's vocabulary: "Quantity", "Axis | None", ...
    default: str | None  # canonical source text of the default, None when required

    @property
    def is_operand(self) -> bool:
        """Quantity, Quantities or Array parameters: values that are lifted onto the backend."""
        return self.annotation.split(" | ")[0] in ("Quantity", "Quantities", "Array")

    @property
    def is_quantity(self) -> bool:
        return self.annotation.split(" | ")[0] in ("Quantity", "Quantities")

    @property
    def is_sequence(self) -> bool:
        """A list or tuple of operands (`concatenate(arrays: Quantities)`)."""
        return self.annotation.split(" | ")[0] == "Quantities"


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[Param, ...]
    returns: str  # Quantity, Array, tuple[Quantity, Array, ...] or list[Quantity]

    @property
    def result_parts(self) -> tuple[str, ...]:
        """The words of the return type: ("Quantity",), ("Array", "Quantity"), ..."""
        inner = self.returns.removeprefix("tuple[").removeprefix("list[").removesuffix("]")
        return tuple(inner.split(", "))

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# A rule argument: a parameter name, or an exact rational exponent.
RuleArg = str | Fraction


@dataclass(frozen=True)
class Rule:
    kind: str
    args: tuple[RuleArg, ...]
    keywords: tuple[tuple[str, str], ...]  # e.g. (("unit_to_scale", "unit_to_scale"),)
    text: str  # canonical source text


ImplKind = Literal["native", "override", "unsupported"]


@dataclass(frozen=True)
class BackendImpl:
    kind: ImplKind
    call: str | None = None  # override expression
    native_name: str | None = None  # `name:` rename for this op
    reason: str | None = None  # for unsupported
    location: Location | None = None


@dataclass(frozen=True)
class Op:
    signature: Signature
    rule: Rule
    summary: str
    note: str | None
    jax_only: bool
    differentiable: bool
    backends: tuple[tuple[str, BackendImpl], ...]  # only the explicit entries, sorted by backend
    family: str
    location: Location
    namespace: str = "math"
    method: bool = False  # also a Quantity method, with the first parameter as `self`

    @property
    def name(self) -> str:
        return self.signature.name

    @property
    def qualname(self) -> str:
        """The manifest key: `sqrt` for polyunit.math, `linalg.det` for the other namespaces."""
        return self.name if self.namespace == "math" else f"{self.namespace}.{self.name}"

    @property
    def pyname(self) -> str:
        """The function name in a backend module: `sqrt`, `linalg_det`."""
        return self.qualname.replace(".", "_")

    def impl(self, backend: str) -> BackendImpl | None:
        return dict(self.backends).get(backend)


@dataclass(frozen=True)
class RuleKind:
    name: str
    result: str  # "Quantity" or "Array"
    description: str
    functions: tuple[tuple[str, str], ...]  # custom only: function name -> docstring sentence
    location: Location


@dataclass(frozen=True)
class Backend:
    name: str
    imports: tuple[str, ...]
    namespace: str
    array_type: str
    scalars_pass: bool
    scalar_ops: tuple[str, ...]
    renames: tuple[tuple[str, str], ...]
    keywords: tuple[tuple[str, str], ...]
    translate: tuple[tuple[str, str], ...]
    location: Location
    namespaces: tuple[tuple[str, str], ...] = ()  # op namespace -> native one (linalg -> np.linalg)
    lacks: tuple[tuple[str, str], ...] = ()  # op namespace -> why this library has none of it
    # torch.compile twins of every function (runtime/traced.py); array_type is the tensor type
    compile_twins: bool = False
    # the library reduces over every axis where numpy reduces over none (torch's dim=())
    empty_axis_reduces_all: bool = False


@dataclass(frozen=True)
class Spec:
    ops: tuple[Op, ...]  # sorted by name
    rules: tuple[RuleKind, ...]
    backends: tuple[Backend, ...]  # in spec order
    digest: str  # sha256 of the spec files' bytes, in sorted path order
