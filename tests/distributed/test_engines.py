"""polyunit on the engines users scale out with: a dask.distributed cluster of worker processes,
and an ONNX model built with ndonnx and run by onnxruntime."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import polyunit as u


def test_unit_aware_reduction_on_a_local_cluster() -> None:
    distributed = pytest.importorskip("dask.distributed")
    da = pytest.importorskip("dask.array")
    data = np.linspace(0.0, 99.9, 1000)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        q = u.Quantity(da.from_array(data, chunks=100), u.meter)
        total = u.math.sum(q.in_unit(u.cmeter))  # lazy: a dask graph with a unit
        assert isinstance(total.mantissa, da.Array) and total.unit == u.cmeter
        value = client.compute(total.mantissa).result()  # computed by the worker processes
        np.testing.assert_allclose(value, data.sum() * 100.0)
        mean = client.compute(u.math.mean(q).mantissa).result()
        np.testing.assert_allclose(mean, data.mean())
        # Units travel small and compare equal across processes.
        remote = client.submit(lambda: __import__("polyunit").meter / __import__("polyunit").second)
        assert remote.result() == u.meter / u.second
        assert len(pickle.dumps(u.meter / u.second)) < 400
        # A quantity built on a worker comes back with its unit.
        back = client.submit(
            lambda: __import__("polyunit").Quantity(np.arange(3.0), __import__("polyunit").volt)
        ).result()
        assert back.unit == u.volt
        np.testing.assert_allclose(back.mantissa, np.arange(3.0))


def test_unit_aware_function_exported_to_onnx() -> None:
    ndx = pytest.importorskip("ndonnx")
    ort = pytest.importorskip("onnxruntime")

    def speed(distance: u.Quantity, time: u.Quantity) -> u.Quantity:
        return (distance / time).in_unit(u.kmeter / u.hour)

    # The graph is built on ndonnx placeholders; the units stay on the Quantity, in Python.
    d = ndx.argument(shape=("N",), dtype=ndx.float64)
    t = ndx.argument(shape=("N",), dtype=ndx.float64)
    out = speed(u.Quantity(d, u.meter), u.Quantity(t, u.second))
    assert out.unit == u.kmeter / u.hour
    model = ndx.build({"d": d, "t": t}, {"v": out.mantissa})
    session = ort.InferenceSession(model.SerializeToString())
    dist, time = np.array([100.0, 1000.0, 5.0]), np.array([10.0, 50.0, 2.0])
    (got,) = session.run(None, {"d": dist, "t": time})
    np.testing.assert_allclose(got, dist / time * 3.6)
