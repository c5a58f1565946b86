"""With jax not importable, polyunit still imports, numpy and torch work, the default backend is
numpy, and the JAX-only parts raise BackendError with the install command. Runs in a fresh
process whose sys.meta_path refuses `jax` and `jaxlib` before anything else is imported."""

from __future__ import annotations

from tests.jax.helpers import run_fresh

_BLOCK = """
import sys

class NoJax:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ("jax", "jaxlib"):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None

sys.meta_path.insert(0, NoJax())
"""

_CODE = (
    _BLOCK
    + """
import numpy as np
import torch
import polyunit as u
from polyunit import rules

def raises(fn, *needles):
    try:
        fn()
    except u.BackendError as err:
        for needle in needles:
            assert needle in str(err), (needle, str(err))
        return
    raise AssertionError("no BackendError")

hint = "pip install 'polyunit[cpu]'"
assert u.backend.default_backend() == "numpy"
assert not u.backend.is_installed("jax")

x = u.Quantity([1.0, 2.0], u.meter)          # a list goes to the default backend: numpy
assert x.backend == "numpy", x.backend
y = u.math.sqrt(x * x) + x
assert y.backend == "numpy" and y.unit == u.meter
t = u.Quantity(torch.tensor([3.0, 4.0]), u.meter)
assert (t * 2).backend == "torch"
assert (x.to_torch() + t).backend == "torch"
assert (x + t).backend == "numpy"            # mixed inputs follow the default (numpy)

raises(lambda: x.to_jax(), hint)
raises(lambda: u.set_default_backend("jax"), hint)
raises(lambda: u.backend.module("jax"), hint)
raise_jax_only = rules.jax_only("lax.scan", "numpy")
assert isinstance(raise_jax_only, u.BackendError)
assert hint in str(raise_jax_only) and ".to_jax()" in str(raise_jax_only), str(raise_jax_only)

ag = u.autograd
raises(lambda: ag.grad(lambda v: u.math.sum(v * v))(x), "numpy", hint, ".to_torch()")
g = ag.grad(lambda v: u.math.sum(v * v))(u.Quantity(torch.tensor([1.0, 2.0]), u.meter))
assert g.unit == u.meter and g.mantissa.tolist() == [2.0, 4.0]

assert "jax" not in sys.modules and "jaxlib" not in sys.modules
print("ok")
"""
)


def test_polyunit_works_without_jax() -> None:
    assert run_fresh(_CODE).strip().splitlines()[-1] == "ok"


def test_python_m_polyunit_without_jax_reports_numpy_default() -> None:
    out = run_fresh(_BLOCK + "import runpy\nrunpy.run_module('polyunit', run_name='__main__')\n")
    assert "numpy" in out
