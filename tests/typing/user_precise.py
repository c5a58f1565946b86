"""What a user's checker infers from polyunit (checked by mypy and pyright, never run)."""

from __future__ import annotations

from typing import Any, assert_type

import jax
import numpy as np
import torch
from numpy.typing import NDArray

import polyunit as u
import polyunit.backends.jax as pj
import polyunit.backends.numpy as pn
import polyunit.backends.torch as pt
from polyunit import Quantity
from polyunit.backends.protocol import Ops

qt: Quantity[torch.Tensor] = Quantity(torch.ones(3), unit=u.meter)
qn: Quantity[NDArray[Any]] = Quantity(np.ones(3), unit=u.meter)
qj: Quantity[jax.Array] = qn.to_jax()

# Unit-keeping ops: a Quantity in gives a Quantity of the same array type out.
assert_type(pt.abs(qt), Quantity[torch.Tensor])
assert_type(pn.abs(qn), Quantity[NDArray[Any]])
assert_type(pj.abs(qj), Quantity[jax.Array])
assert_type(pt.add(qt, qt), Quantity[torch.Tensor])
assert_type(pt.add(1.0, qt), Quantity[torch.Tensor])
assert_type(pn.sum(qn, axis=0), Quantity[NDArray[Any]])
assert_type(pj.clip(qj, qj, qj), Quantity[jax.Array])
assert_type(pn.clip(qn, None, qn), Quantity[NDArray[Any]])  # an open lower bound

# Unit-changing ops may come out dimensionless, hence plain (the reference's rule).
assert_type(pt.sqrt(qt), Quantity[torch.Tensor] | torch.Tensor)
assert_type(pn.sqrt(qn), Quantity[NDArray[Any]] | NDArray[Any])
assert_type(pj.sqrt(qj), Quantity[jax.Array] | jax.Array)
assert_type(pt.multiply(qt, qt), Quantity[torch.Tensor] | torch.Tensor)

# Plain arrays in give plain arrays out.
assert_type(pt.sqrt(torch.ones(3)), torch.Tensor)
assert_type(pn.abs(np.ones(3)), NDArray[Any])
assert_type(pt.add(torch.ones(3), 2.0), torch.Tensor)

# Bare-array rules (comparisons, predicates, dimensionless-only functions) return the array type.
assert_type(pn.less(qn, qn), NDArray[Any])
assert_type(pt.isfinite(qt), torch.Tensor)
assert_type(pj.exp(qj / u.meter), jax.Array)

# Conversions say which library the mantissa is on.
assert_type(qn.to_torch(), Quantity[torch.Tensor])
assert_type(qt.to_numpy(), Quantity[NDArray[Any]])
assert_type(qt.to_jax(), Quantity[jax.Array])
assert_type(qn.to_torch().mantissa, torch.Tensor)
assert_type(qt.in_unit(u.mmeter), Quantity[torch.Tensor])

# Each backend module is an Ops namespace over its own array type.
ops_t: Ops[torch.Tensor] = pt
ops_n: Ops[NDArray[Any]] = pn
ops_j: Ops[jax.Array] = pj
assert_type(ops_t.abs(qt), Quantity[torch.Tensor])
