"""A quantity placed with a NamedSharding on 8 (forced host) devices keeps its unit and its
sharding through jit. Runs in a fresh process: XLA_FLAGS must be set before jax initialises."""

from __future__ import annotations

from tests.jax.helpers import run_fresh

_CODE = """
import jax
import jax.numpy as jnp
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P
import polyunit as u

assert jax.device_count() == 8, jax.devices()
mesh = jax.make_mesh((8,), ("x",))
sharding = NamedSharding(mesh, P("x"))
q = jax.device_put(u.Quantity(jnp.arange(16.0), u.meter), sharding)
assert type(q) is u.Quantity and q.unit == u.meter
assert q.mantissa.sharding == sharding, q.mantissa.sharding

@jax.jit
def kinetic(x, m):
    v = x / u.Quantity(jnp.asarray(2.0), u.second)
    return 0.5 * m * v * v

out = kinetic(q, u.Quantity(jnp.asarray(3.0), u.kilogram))
assert out.unit == u.joule, out.unit
assert out.mantissa.sharding.is_equivalent_to(sharding, 1), out.mantissa.sharding
assert len(out.mantissa.addressable_shards) == 8
expected = 0.5 * 3.0 * (jnp.arange(16.0) / 2.0) ** 2
assert bool(jnp.allclose(out.mantissa, expected))

total = jax.jit(lambda x: u.math.sum(x))(q)
assert total.unit == u.meter and float(total.mantissa) == 120.0

# in/out shardings given as one pytree prefix for a quantity argument and result
f = jax.jit(lambda x: x * 2, in_shardings=sharding, out_shardings=sharding)
doubled = f(q)
assert doubled.unit == u.meter and doubled.mantissa.sharding == sharding
print("ok", len(q.mantissa.addressable_shards))
"""


def test_named_sharding_survives_jit_with_units() -> None:
    out = run_fresh(
        _CODE,
        env={"XLA_FLAGS": "--xla_force_host_platform_device_count=8", "JAX_PLATFORMS": "cpu"},
    )
    assert out.split() == ["ok", "8"]
