"""dask-backed quantities stay lazy: whatever would materialise raises BackendError instead."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from rt_helpers import HAS

import polyunit as u
from polyunit import BackendError, Quantity

pytestmark = pytest.mark.skipif(not HAS["dask"], reason="dask is not installed")


class Counted:
    """A lazy dask array whose blocks count how often they are computed."""

    def __init__(self, data: Any) -> None:
        import dask.array as da

        self.calls = 0

        def block(b: np.ndarray) -> np.ndarray:
            self.calls += 1
            return b

        arr = np.asarray(data, dtype=np.float64)
        source = da.from_array(arr, chunks=max(1, arr.size // 2) if arr.ndim else ())
        self.array = source.map_blocks(block, dtype=np.float64, meta=np.array((), dtype=np.float64))
        self.calls = 0


GUARDS: list[tuple[str, Callable[[Any], Any]]] = [
    ("float", float),
    ("int", int),
    ("operator.index", operator.index),
    ("tolist", lambda q: q.tolist()),
    ("np.asarray", np.asarray),
    ("hash", hash),
    ("bool", bool),
]


@pytest.mark.parametrize(("name", "guard"), GUARDS, ids=[g[0] for g in GUARDS])
@pytest.mark.parametrize("unit", [u.UNITLESS, u.meter], ids=["unitless", "metre"])
def test_materialising_raises_backend_error_mentioning_compute(
    name: str, guard: Any, unit: u.Unit
) -> None:
    c = Counted(3.0)
    q = Quantity(c.array, unit)
    with pytest.raises(BackendError) as info:
        guard(q)
    assert ".compute()" in str(info.value)
    assert c.calls == 0, f"{name} computed the dask graph"


@pytest.mark.parametrize(("name", "guard"), GUARDS, ids=[g[0] for g in GUARDS])
def test_guards_on_arrays_too(name: str, guard: Any) -> None:
    c = Counted([1.0, 2.0, 3.0, 4.0])
    q = Quantity(c.array, u.UNITLESS)
    with pytest.raises(BackendError, match=r"\.compute\(\)"):
        guard(q)
    assert c.calls == 0


def test_metadata_without_computing() -> None:
    c = Counted(np.ones((4, 3)))
    q = Quantity(c.array, u.mV)
    assert q.backend == "dask"
    assert q.shape == (4, 3)
    assert q.ndim == 2
    assert q.dtype == np.float64
    assert q.unit is u.mV
    assert c.calls == 0
    # The counter works: computing does call the blocks.
    q.mantissa.compute()
    assert c.calls > 0


def test_text_without_computing() -> None:
    c = Counted([1.0, 2.0, 3.0, 4.0])
    q = Quantity(c.array, u.meter)
    assert str(q).endswith(" m")
    assert repr(q).startswith("Quantity(")
    assert c.calls == 0


def test_arithmetic_stays_lazy() -> None:
    c = Counted([1.0, 2.0, 3.0, 4.0])
    q = Quantity(c.array, u.meter)
    r = q + Quantity(np.ones(4), u.mmeter).to_dask(chunks=2)
    assert isinstance(r, Quantity)
    assert r.backend == "dask"
    assert r.unit == u.meter
    s = u.math.sum(r)
    assert s.backend == "dask"
    assert c.calls == 0
    np.testing.assert_allclose(s.mantissa.compute(), 10.004)


def test_mismatch_error_does_not_compute() -> None:
    c = Counted([1.0, 2.0, 3.0, 4.0])
    q = Quantity(c.array, u.meter)
    with pytest.raises(u.DimensionMismatchError):
        q + Quantity(c.array, u.second)
    assert c.calls == 0


def test_computed_mantissa_converts() -> None:
    c = Counted([1.0, 2.0])
    q = Quantity(c.array, u.UNITLESS)
    assert Quantity(q.mantissa.compute(), u.UNITLESS).tolist() == [1.0, 2.0]
