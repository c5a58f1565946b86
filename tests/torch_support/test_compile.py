"""torch.compile(fullgraph=True) and torch.export through unit-aware code, with no graph break.

Compiling is slow (inductor builds C++ on the CPU), so there are few of these tests; they carry
the `compile` marker and run in the normal suite (CI included).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from typing import Any

import pytest

from tests.torch_support.physics import dense_layer, energy, spring_loss

torch = pytest.importorskip("torch", reason="torch is not installed")
pytestmark = pytest.mark.compile


def _inputs(name: str, device: str) -> tuple[Any, ...]:
    g = torch.Generator().manual_seed(0)

    def r(*shape: int) -> Any:
        return torch.rand(*shape, generator=g, dtype=torch.float64).to(device)

    if name == "spring_loss":
        return r(8) * 10, r(8), r(()) + 1.0
    if name == "energy":
        return r(6), r(6), r(()) + 3.0
    return r(5, 3), r(3, 4), r(4)


CASES: dict[str, Callable[..., Any]] = {
    "spring_loss": spring_loss,
    "energy": energy,
    "dense_layer": dense_layer,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_graph_break(name: str) -> None:
    torch._dynamo.reset()
    explanation = torch._dynamo.explain(CASES[name])(*_inputs(name, "cpu"))
    reasons = [str(r.reason) for r in explanation.break_reasons]
    assert explanation.graph_break_count == 0, reasons
    assert explanation.graph_count == 1


def test_creation_reads_the_default_backend_while_tracing() -> None:
    """`u.math.zeros` has no array input: the default backend (a ContextVar) decides, read once
    while dynamo traces."""
    import polyunit as u
    from polyunit import Quantity

    def offset(x: Any) -> Any:
        start = u.math.zeros((4,), unit=u.meter) + Quantity(x, u.cmeter)
        return (start * 2.0).mantissa

    x = torch.rand(4, dtype=torch.float64)
    with u.using_backend("torch"):
        torch._dynamo.reset()
        explanation = torch._dynamo.explain(offset)(x)
        assert explanation.graph_break_count == 0
        assert explanation.graph_count == 1
        torch.testing.assert_close(
            torch.compile(offset, fullgraph=True, backend="eager")(x), offset(x)
        )


@pytest.mark.parametrize("name", ["spring_loss", "dense_layer"])
def test_compiled_equals_eager_on_inductor(name: str, device: str) -> None:
    torch._dynamo.reset()
    fn = CASES[name]
    args = _inputs(name, device)
    compiled = torch.compile(fn, fullgraph=True)  # the default backend: inductor
    torch.testing.assert_close(compiled(*args), fn(*args))
    # Same shapes, new values: no recompilation needed, still equal.
    args2 = tuple(a * 1.5 for a in args)
    torch.testing.assert_close(compiled(*args2), fn(*args2))


def test_compiled_gradients_equal_eager() -> None:
    torch._dynamo.reset()
    x, f, k = _inputs("spring_loss", "cpu")
    k_eager = k.clone().requires_grad_(True)
    k_comp = k.clone().requires_grad_(True)
    spring_loss(x, f, k_eager).backward()
    torch.compile(spring_loss, fullgraph=True, backend="aot_eager")(x, f, k_comp).backward()
    torch.testing.assert_close(k_comp.grad, k_eager.grad)


def test_export_with_plain_tensors_at_the_boundary() -> None:
    class Energy(torch.nn.Module):
        def forward(self, x: Any, v: Any, k: Any) -> Any:
            return energy(x, v, k)

    args = _inputs("energy", "cpu")
    exported = torch.export.export(Energy(), args)
    torch.testing.assert_close(exported.module()(*args), energy(*args))
    # The unit algebra was folded away: only tensor ops remain in the graph.
    targets = {str(n.target) for n in exported.graph.nodes if n.op == "call_function"}
    assert targets and all(t.startswith("aten.") for t in targets), targets


def test_first_polyunit_op_inside_compile_in_a_fresh_process() -> None:
    """Cold caches: the backend module import and new unit products happen while dynamo traces.
    What the caches and type tables learn then must not invalidate the compiled code: the
    traced code reads none of them, so later calls run it without recompiling."""
    code = textwrap.dedent(
        """
        import torch
        from torch._dynamo.utils import counters
        import polyunit as u
        from polyunit import Quantity

        def f(x):
            q = Quantity(x, u.mmeter) * Quantity(x, u.ohm) / Quantity(x + 1, u.second) ** 2
            return (0.5 * q).in_unit(u.meter * u.ohm / u.second**2).mantissa

        x = torch.rand(4, dtype=torch.float64)
        compiled = torch.compile(f, fullgraph=True, backend="eager")
        for _ in range(3):
            out = compiled(x)
        torch.testing.assert_close(out, f(x))
        assert counters["stats"]["unique_graphs"] == 1, dict(counters["stats"])
        print("ok")
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("ok")


def test_a_new_input_unit_never_reuses_a_compiled_conversion() -> None:
    """Quantities as inputs: the units are read inside the compiled code, so a call in another
    unit must recompile (dynamo guards the unit by identity), never reuse the conversion factor,
    the result unit or the unit check compiled for the first unit."""
    import polyunit as u
    from polyunit import Quantity

    def reach(x: Any, y: Any) -> Any:
        d = u.math.sqrt(x * x + y * y)
        return d, d.to_decimal(u.meter)

    torch._dynamo.reset()
    compiled = torch.compile(reach, fullgraph=True, backend="eager")
    a = torch.tensor([3.0, 6.0], dtype=torch.float64)
    b = torch.tensor([4.0, 8.0], dtype=torch.float64)
    for unit, in_metres in ((u.meter, [5.0, 10.0]), (u.mmeter, [0.005, 0.010])):
        for _ in range(2):  # the second call runs the compiled code for this unit
            d, metres = compiled(Quantity(a, unit), Quantity(b, unit))
            assert d.unit == unit
            torch.testing.assert_close(d.mantissa, torch.tensor([5.0, 10.0], dtype=torch.float64))
            torch.testing.assert_close(metres, torch.tensor(in_metres, dtype=torch.float64))
    # Back to metres: the code compiled first still applies, with its own factor.
    _, metres = compiled(Quantity(a, u.meter), Quantity(b, u.meter))
    torch.testing.assert_close(metres, torch.tensor([5.0, 10.0], dtype=torch.float64))
    # Mixed units convert.
    d, _ = compiled(Quantity(a, u.meter), Quantity(b * 1000.0, u.mmeter))
    torch.testing.assert_close(
        d.to_decimal(u.meter), torch.tensor([5.0, 10.0], dtype=torch.float64)
    )
    # Another dimension never runs compiled code: without fullgraph the frame falls back to eager
    # and raises the eager error (with fullgraph, dynamo refuses to trace the message building).
    lenient = torch.compile(reach, backend="eager")
    lenient(Quantity(a, u.meter), Quantity(b, u.meter))
    with pytest.raises(u.DimensionMismatchError, match=r"m\^2 and s\^2"):
        lenient(Quantity(a, u.meter), Quantity(b, u.second))
    with pytest.raises(Exception):  # noqa: B017  (dynamo's Unsupported, not public)
        compiled(Quantity(a, u.meter), Quantity(b, u.second))


def test_common_operations_trace_through_the_twins_only() -> None:
    """Every global the traced code reads becomes a guard checked on each call of the compiled
    function. Arithmetic with quantities and Python numbers (on either side), `** 2`, sqrt and
    sum must stay in the generated twins and their folded unit plans: none of the eager rules,
    unit caches or helper modules may be read (each would add guards, some evaluated in
    Python)."""
    import polyunit as u
    from polyunit import Quantity

    def loss(x: Any, y: Any, t: Any) -> Any:
        speed = u.math.sqrt((x - y) ** 2 + (x * 2.0) ** 2 + (3 * y) ** 2) / t
        return u.math.sum(0.5 * speed**2 - speed * speed / 3)

    torch._dynamo.reset()
    args = (
        Quantity(torch.rand(5, dtype=torch.float64), u.meter),
        Quantity(torch.rand(5, dtype=torch.float64), u.meter),
        Quantity(torch.tensor(2.0, dtype=torch.float64), u.second),
    )
    explanation = torch._dynamo.explain(loss)(*args)
    assert explanation.graph_break_count == 0
    read = {g.name for g in explanation.out_guards}
    eager = sorted(
        name
        for name in read
        if any(
            m in name for m in ("polyunit_dot_rules", "polyunit_dot_compose", "polyunit_dot_unit'")
        )
        or "_on_this_backend" in name
        or "_lift" in name
    )
    assert not eager, eager
    torch.testing.assert_close(
        torch.compile(loss, fullgraph=True, backend="eager")(*args).mantissa, loss(*args).mantissa
    )
