"""Quantity is a JAX pytree with its unit as static aux data: jit, vmap, grad, scan, tree_util,
static arguments; the registration is lazy and works whatever is imported first."""

from __future__ import annotations

import sys
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import polyunit as u
from polyunit import jax_interop
from tests.jax.helpers import run_fresh


def q(values: Any, unit: u.Unit) -> u.Quantity[Any]:
    return u.Quantity(jnp.asarray(values, dtype=jnp.float32), unit)


def test_registered_once_jax_is_imported() -> None:
    assert jax_interop.is_registered()
    jax_interop.register()  # idempotent: a second call must not raise a duplicate registration
    assert jax_interop._HOOK not in sys.meta_path  # the one-shot import hook is gone


def test_import_hook_waits_for_jax_and_leaves_other_imports_alone() -> None:
    code = """
import sys
import polyunit as u
from polyunit import jax_interop
assert jax_interop._HOOK in sys.meta_path and not jax_interop.is_registered()
import json, numpy  # other imports pass through untouched
assert jax_interop._HOOK.find_spec("numpy", None) is None
assert u.backend.is_installed("jax") and "jax" not in sys.modules  # find_spec imports nothing
import jax.numpy
assert jax_interop.is_registered() and jax_interop._HOOK not in sys.meta_path
print("ok")
"""
    assert run_fresh(code).strip() == "ok"


def test_flatten_unflatten_round_trip_keeps_unit_as_aux_data() -> None:
    tree = {"x": q([1.0, 2.0], u.meter), "t": (q(3.0, u.second), jnp.ones(2))}
    leaves, treedef = jax.tree_util.tree_flatten(tree)
    assert len(leaves) == 3
    assert all(isinstance(leaf, jax.Array) for leaf in leaves)
    back = jax.tree_util.tree_unflatten(treedef, leaves)
    assert back["x"].unit == u.meter and back["t"][0].unit == u.second
    np.testing.assert_array_equal(np.asarray(back["x"].mantissa), [1.0, 2.0])
    # The unit is part of the static structure: other units give a different treedef.
    _, other = jax.tree_util.tree_flatten({"x": q([1.0, 2.0], u.kmeter), "t": tree["t"]})
    assert other != treedef
    assert jax.tree_util.tree_structure(q(1.0, u.meter)) == jax.tree_util.tree_structure(
        q(5.0, u.meter)
    )


def test_tree_map_and_key_paths() -> None:
    doubled = jax.tree_util.tree_map(lambda a: a * 2, [q([1.0], u.volt), q([2.0], u.amp)])
    assert [d.unit for d in doubled] == [u.volt, u.amp]
    np.testing.assert_allclose(np.asarray(doubled[1].mantissa), [4.0])
    (path, leaf), *_ = jax.tree_util.tree_flatten_with_path({"v": q([1.0], u.volt)})[0]
    assert jax.tree_util.keystr(path) == "['v'].mantissa"


def test_jit_takes_and_returns_quantities() -> None:
    @jax.jit
    def speed(d: u.Quantity[Any], t: u.Quantity[Any]) -> Any:
        return d / t

    out = speed(q([10.0, 20.0], u.meter), q([2.0, 4.0], u.second))
    assert isinstance(out, u.Quantity) and out.unit == u.meter / u.second
    assert isinstance(out.mantissa, jax.Array)
    np.testing.assert_allclose(np.asarray(out.mantissa), [5.0, 5.0])


def test_jit_retraces_per_unit_and_converts_inside() -> None:
    traces = []

    @jax.jit
    def in_meters(x: u.Quantity[Any]) -> Any:
        traces.append(x.unit)
        return x.to(u.meter)

    np.testing.assert_allclose(np.asarray(in_meters(q([1.5], u.kmeter)).mantissa), [1500.0])
    np.testing.assert_allclose(np.asarray(in_meters(q([2.5], u.kmeter)).mantissa), [2500.0])
    np.testing.assert_allclose(np.asarray(in_meters(q([20.0], u.cmeter)).mantissa), [0.2])
    assert traces == [u.kmeter, u.cmeter]  # same unit: cached; new unit: a new trace


def test_unit_errors_are_raised_at_trace_time() -> None:
    def bad(a: Any, b: Any) -> Any:
        return a + b

    with pytest.raises(u.DimensionMismatchError, match="Cannot add"):
        jax.jit(bad).lower(q([1.0], u.meter), q([1.0], u.second))  # tracing only, no run
    with pytest.raises(u.DimensionMismatchError):
        jax.jit(lambda x: u.math.exp(x))(q([1.0], u.meter))


def test_vmap_over_quantities() -> None:
    x = q(np.arange(6.0).reshape(2, 3), u.meter)
    out = jax.vmap(lambda row: u.math.sum(row * row))(x)
    assert out.unit == u.meter**2
    np.testing.assert_allclose(np.asarray(out.mantissa), [5.0, 50.0])
    # in_axes over a pytree of quantities, with a broadcast (None) argument
    scaled = jax.vmap(lambda a, b: a * b, in_axes=(0, None))(x, q(2.0, u.second))
    assert scaled.unit == u.meter * u.second and scaled.shape == (2, 3)


def test_raw_jax_grad_sees_the_mantissa() -> None:
    # jax.grad differentiates mantissas; its result keeps the argument's structure (and unit as
    # aux data). polyunit.autograd gives the unit-correct gradient (tests/autograd).
    g = jax.grad(lambda x: u.math.sum(x * x).mantissa)(q([1.0, 3.0], u.meter))
    assert isinstance(g, u.Quantity)
    np.testing.assert_allclose(np.asarray(g.mantissa), [2.0, 6.0])


def test_lax_scan_with_quantity_carry_and_xs() -> None:
    dt = q(0.5, u.second)

    def step(x: Any, v: Any) -> tuple[Any, Any]:
        x = x + v * dt
        return x, x

    final, path = jax.lax.scan(step, q(0.0, u.meter), q([1.0, 2.0, 4.0], u.meter / u.second))
    assert final.unit == u.meter and path.unit == u.meter
    np.testing.assert_allclose(np.asarray(final.mantissa), 3.5)
    np.testing.assert_allclose(np.asarray(path.mantissa), [0.5, 1.5, 3.5])


def test_scan_carry_that_changes_unit_is_rejected() -> None:
    def step(x: Any, _: Any) -> tuple[Any, None]:
        return x * x, None  # m -> m^2: the carry's structure (its unit) changes

    with pytest.raises(TypeError, match="carry"):
        jax.lax.scan(step, q(1.0, u.meter), None, length=2)


def test_units_and_scalar_quantities_as_static_arguments() -> None:
    convert = jax.jit(lambda x, unit: x.to(unit), static_argnums=1)
    out = convert(q([1.0], u.meter), u.mmeter)
    assert out.unit == u.mmeter
    np.testing.assert_allclose(np.asarray(out.mantissa), [1000.0])

    scale = jax.jit(lambda x, c: x * c, static_argnames="c")
    out = scale(q([1.0, 2.0], u.meter), c=q(3.0, u.second))
    assert out.unit == u.meter * u.second
    np.testing.assert_allclose(np.asarray(out.mantissa), [3.0, 6.0])


def test_jax_quantity_hash_is_by_value() -> None:
    assert hash(q(1.0, u.kmeter)) == hash(q(1000.0, u.meter))
    assert hash(q(1.0, u.meter)) != hash(q(2.0, u.meter))
    assert hash(q(1.0, u.meter)) != hash(q(1.0, u.second))

    def hash_inside(x: Any) -> Any:
        hash(x)
        return x

    with pytest.raises(TypeError, match="traced"):
        jax.jit(hash_inside)(q(1.0, u.meter))
    with pytest.raises(TypeError):
        hash(u.Quantity(np.ones(2), u.meter))  # numpy arrays are mutable: unhashable, as in numpy


def test_device_put_keeps_unit() -> None:
    out = jax.device_put(q([1.0], u.volt), jax.devices()[0])
    assert out.unit == u.volt and isinstance(out.mantissa, jax.Array)


_FIRST_USE = """
{imports}
f = jax.jit(lambda x: x * 2)
out = f(u.Quantity(jnp.ones(3), u.meter))
assert type(out) is u.Quantity and out.unit == u.meter, out
assert [float(v) for v in out.mantissa] == [2.0, 2.0, 2.0]
print("ok")
"""


@pytest.mark.parametrize(
    "imports",
    [
        "import polyunit as u\nimport jax\nimport jax.numpy as jnp",
        "import jax\nimport jax.numpy as jnp\nimport polyunit as u",
        "import polyunit as u\nimport jax.numpy as jnp\nimport jax",
    ],
    ids=["polyunit-first", "jax-first", "submodule-first"],
)
def test_jit_as_first_jax_use_in_a_process(imports: str) -> None:
    assert run_fresh(_FIRST_USE.format(imports=imports)).strip() == "ok"


def test_quantity_made_before_jax_is_imported() -> None:
    code = """
import sys
import numpy as np
import polyunit as u
x = u.Quantity(np.array([1.0, 2.0]), u.second)
assert "jax" not in sys.modules
import jax
out = jax.jit(lambda t: t * 3)(x)
assert out.unit == u.second and out.backend == "jax", out
print("ok")
"""
    assert run_fresh(code).strip() == "ok"
