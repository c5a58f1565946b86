"""`u.skip_polyunit_guards`: a `guard_filter_fn` that drops the guards on polyunit's own objects
and keeps every guard a compiled function needs to stay correct."""

from __future__ import annotations

import math
import types
from dataclasses import dataclass
from typing import Any

import pytest

import polyunit as u
from polyunit import Quantity

torch = pytest.importorskip("torch", reason="torch is not installed")


@dataclass
class Entry:
    """The fields of dynamo's GuardFilterEntry that the filter reads."""

    name: str
    guard_type: str
    value: object
    is_global: bool = True
    has_value: bool = True


def _kept(*entries: Entry) -> dict[tuple[str, str], bool]:
    return {
        (e.name, e.guard_type): k
        for e, k in zip(entries, u.skip_polyunit_guards(entries), strict=True)
    }


def test_drops_identity_guards_reached_through_polyunit_only() -> None:
    front = u.math.sqrt
    twin = getattr(front, "_torchdynamo_inline", front)
    user_module = types.ModuleType("mymodels")
    backend = "G['__import_polyunit_dot_backends_dot_torch']"
    kept = _kept(
        Entry("G['u']", "MODULE_MATCH", u),
        Entry("G['u'].math", "MODULE_MATCH", u.math),
        Entry("G['u'].math.sqrt", "TYPE_MATCH", front),
        Entry("G['u'].math.sqrt._torchdynamo_inline", "CLOSURE_MATCH", twin),
        Entry("G['u'].meter", "ID_MATCH", u.meter),
        Entry(backend, "MODULE_MATCH", None),
        Entry(f"{backend}._tr_Derived.u1", "ID_MATCH", u.meter),
        # Kept: a global of the user's code that holds a polyunit function is only type-checked
        # itself; its identity rests on the guard of its attribute.
        Entry("G['fn']", "TYPE_MATCH", front),
        Entry("G['fn']._torchdynamo_inline", "CLOSURE_MATCH", twin),
        # Kept: attributes of a polyunit instance (a user's Quantity) can change.
        Entry("G['q0']", "TYPE_MATCH", Quantity(1.0, u.meter)),
        Entry("G['q0'].unit", "ID_MATCH", u.meter),
        # Kept: a user's own module, locals, and guards on values rather than identity.
        Entry("G['mymodels']", "MODULE_MATCH", user_module),
        Entry("G['mymodels'].sqrt", "TYPE_MATCH", front),
        # Dropped below the binding: polyunit imported in another module of the user's.
        Entry("G['__import_mymodels'].u", "MODULE_MATCH", u),
        Entry("G['__import_mymodels'].u.math", "MODULE_MATCH", u.math),
        Entry("x.unit", "ID_MATCH", u.meter, is_global=False),
        Entry(f"{backend}._limit", "EQUALS_MATCH", 3),
        Entry("G['__builtins_dict___0']['isinstance']", "BUILTIN_MATCH", isinstance),
    )
    dropped = sorted(name for (name, _), keep in kept.items() if not keep)
    assert dropped == sorted(
        [
            backend,
            f"{backend}._tr_Derived.u1",
            "G['u'].math",
            "G['u'].math.sqrt",
            "G['u'].math.sqrt._torchdynamo_inline",
            "G['u'].meter",
            "G['__import_mymodels'].u.math",
        ]
    )


def _distance(x: Any, y: Any) -> Any:
    return u.math.sum(u.math.sqrt(x * x + y * y))


def _compiled(fn: Any, record: list[tuple[str, str, bool]] | None = None) -> Any:
    def guard_filter(entries: Any) -> list[bool]:
        keep = u.skip_polyunit_guards(entries)
        if record is not None:
            record.extend((e.name, e.guard_type, k) for e, k in zip(entries, keep, strict=True))
        return keep

    return torch.compile(
        fn, fullgraph=True, backend="eager", options={"guard_filter_fn": guard_filter}
    )


def test_a_compiled_function_keeps_the_guards_it_needs() -> None:
    torch._dynamo.reset()
    record: list[tuple[str, str, bool]] = []
    a = torch.tensor([3.0, 6.0], dtype=torch.float64)
    b = torch.tensor([4.0, 8.0], dtype=torch.float64)
    _compiled(_distance, record)(Quantity(a, u.meter), Quantity(b, u.meter))
    kept = {(name, kind) for name, kind, keep in record if keep}
    dropped = {(name, kind) for name, kind, keep in record if not keep}
    assert ("x.unit", "ID_MATCH") in kept  # the input units (locals are named bare)
    assert ("y.unit", "DUPLICATE_INPUT") in kept
    assert ("G['u']", "MODULE_MATCH") in kept  # the user's global
    assert ("G['u'].math.sum", "TYPE_MATCH") in dropped
    assert any(name.startswith("G['__import_polyunit") for name, _ in dropped)
    assert not any(name.startswith("G['__import_polyunit") for name, _ in kept)


def test_a_new_input_unit_still_recompiles() -> None:
    torch._dynamo.reset()
    compiled = _compiled(_distance)
    a = torch.tensor([3.0, 6.0], dtype=torch.float64)
    b = torch.tensor([4.0, 8.0], dtype=torch.float64)
    for unit in (u.meter, u.second, u.meter):
        for _ in range(2):  # the second call runs the compiled code for this unit
            d = compiled(Quantity(a, unit), Quantity(b, unit))
            assert d.unit == unit
            torch.testing.assert_close(d.mantissa, torch.tensor(15.0, dtype=torch.float64))
    mixed = compiled(Quantity(a, u.meter), Quantity(b * 1000.0, u.mmeter))
    assert mixed.unit == u.meter
    torch.testing.assert_close(mixed.mantissa, torch.tensor(15.0, dtype=torch.float64))


OPERATION = u.math.sqrt


class _Settings:
    def __init__(self) -> None:
        self.operation = u.math.sqrt


SETTINGS = _Settings()


def _through_a_global(x: Any) -> Any:
    return OPERATION(x)


def _through_an_attribute(x: Any) -> Any:
    return SETTINGS.operation(x)


def test_rebinding_a_global_of_the_users_code_still_recompiles() -> None:
    global OPERATION
    torch._dynamo.reset()
    x = Quantity(torch.tensor([4.0, 9.0], dtype=torch.float64), u.meter**2)
    by_global, by_attribute = _compiled(_through_a_global), _compiled(_through_an_attribute)
    try:
        for fn in (by_global, by_attribute):
            fn(x)
            assert fn(x).unit == u.meter
        OPERATION = SETTINGS.operation = u.math.square
        for fn in (by_global, by_attribute):
            result = fn(x)
            assert result.unit == u.meter**4
            torch.testing.assert_close(
                result.mantissa, torch.tensor([16.0, 81.0], dtype=torch.float64)
            )
    finally:
        OPERATION = SETTINGS.operation = u.math.sqrt


def test_compiled_with_the_filter_equals_eager_on_inductor() -> None:
    torch._dynamo.reset()
    a, b = torch.rand(10), torch.rand(10)
    q, r = Quantity(a, u.meter), Quantity(b, u.meter)
    compiled = torch.compile(
        _distance, fullgraph=True, options={"guard_filter_fn": u.skip_polyunit_guards}
    )
    result = compiled(q, r)
    assert result.unit == u.meter
    assert math.isclose(float(result.mantissa), float(_distance(q, r).mantissa), rel_tol=1e-6)
