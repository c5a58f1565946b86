"""Importing polyunit pulls in no optional array library; `python -m polyunit` reports them."""

from __future__ import annotations

import json
import subprocess
import sys

import polyunit as u

OPTIONAL = ("jax", "jaxlib", "torch", "cupy", "dask", "ndonnx", "onnx", "onnxruntime")


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


_LOADED = """
import json, sys
{body}
roots = sorted({{name.partition('.')[0] for name in sys.modules}})
print(json.dumps([r for r in roots if r in {optional!r}]))
"""


def loaded_after(body: str) -> list[str]:
    out = run_python(_LOADED.format(body=body, optional=OPTIONAL))
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_import_polyunit_imports_no_backend_library() -> None:
    assert loaded_after("import polyunit") == []


def test_using_units_and_backend_helpers_imports_no_backend_library() -> None:
    body = """
import polyunit as u
_ = (u.meter / u.second) ** 2, u.mV.factor_to(u.volt), str(u.kmeter)
assert not u.is_torch_array([1.0]) and not u.is_jax_array(None) and not u.is_dask_array(1.0)
assert not u.is_cupy_array(object()) and not u.is_ndonnx_array("x")
assert u.get_default_backend() is None
with u.using_backend("numpy"):
    assert u.get_default_backend() == "numpy"
"""
    assert loaded_after(body) == []


def test_numpy_quantities_import_no_other_backend_library() -> None:
    body = """
import numpy as np
import polyunit as u
q = u.Quantity(np.array([1.0, 2.0]), u.meter)
r = q + q
assert r.backend == "numpy", r.backend
"""
    assert loaded_after(body) == []


def test_python_m_polyunit_reports_backends_and_default() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "polyunit"], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for name in u.BACKENDS:
        assert name in out
    for name in ("numpy", "jax", "torch", "cupy", "dask", "ndonnx"):
        assert name in out
    assert "default backend" in out
