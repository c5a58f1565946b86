"""Conversions between backends: to_numpy / to_jax / to_torch / to_dask / to_ndonnx."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from rt_helpers import HAS, make_array, requires_dask, requires_jax, requires_torch, to_np

import polyunit as u
from polyunit import BackendError, Quantity

ALL = [
    pytest.param("numpy", id="numpy"),
    pytest.param("jax", id="jax", marks=requires_jax),
    pytest.param("torch", id="torch", marks=requires_torch),
    pytest.param("dask", id="dask", marks=requires_dask),
    pytest.param(
        "ndonnx",
        id="ndonnx",
        marks=pytest.mark.skipif(not HAS["ndonnx"], reason="ndonnx is not installed"),
    ),
]
VALUES = [1.0, 2.5, -3.0]


def method(q: Quantity[Any], target: str) -> Quantity[Any]:
    return getattr(q, f"to_{target}")()  # type: ignore[no-any-return]


@pytest.mark.parametrize("target", ALL)
@pytest.mark.parametrize("source", ALL)
def test_conversion_keeps_unit_and_values(source: str, target: str) -> None:
    m = make_array(source, VALUES)
    q = Quantity(m, u.mV)
    r = method(q, target)
    assert isinstance(r, Quantity)
    assert r.backend == target
    assert r.unit is u.mV
    np.testing.assert_allclose(to_np(r), VALUES, rtol=1e-6)
    # The original is untouched.
    assert q.backend == source
    assert q.mantissa is m
    assert q.unit is u.mV
    np.testing.assert_allclose(to_np(q), VALUES, rtol=1e-6)


@pytest.mark.parametrize("backend", ALL)
def test_conversion_to_the_same_backend_is_a_no_op(backend: str) -> None:
    q = Quantity(make_array(backend, VALUES), u.meter)
    assert method(q, backend) is q


@requires_torch
def test_to_torch_with_device_and_numpy_dtype() -> None:
    import torch

    q = Quantity(np.array(VALUES), u.meter)
    r = q.to_torch(device="cpu", dtype=np.float32)
    assert r.backend == "torch"
    assert r.mantissa.dtype == torch.float32
    assert r.mantissa.device == torch.device("cpu")
    assert r.unit is u.meter
    np.testing.assert_allclose(to_np(r), VALUES)
    assert q.dtype == np.float64


@requires_torch
def test_to_torch_with_torch_dtype() -> None:
    import torch

    q = Quantity(np.array(VALUES, dtype=np.float32), u.meter)
    r = q.to_torch(dtype=torch.float64)
    assert r.mantissa.dtype == torch.float64
    np.testing.assert_allclose(to_np(r), VALUES)


@requires_torch
def test_to_torch_dtype_on_a_torch_quantity_changes_dtype() -> None:
    import torch

    q = Quantity(torch.tensor(VALUES, dtype=torch.float32), u.meter)
    r = q.to_torch(dtype=np.float64)
    assert r.mantissa.dtype == torch.float64
    assert q.mantissa.dtype == torch.float32


@requires_dask
def test_to_dask_with_chunks() -> None:
    q = Quantity(np.arange(6.0), u.second)
    r = q.to_dask(chunks=2)
    assert r.backend == "dask"
    assert r.mantissa.chunks == ((2, 2, 2),)
    assert r.unit is u.second
    np.testing.assert_array_equal(to_np(r), np.arange(6.0))


@requires_dask
def test_to_dask_rechunks_a_dask_quantity() -> None:
    q = Quantity(np.arange(6.0), u.second).to_dask(chunks=2)
    r = q.to_dask(chunks=3)
    assert r.mantissa.chunks == ((3, 3),)
    assert q.mantissa.chunks == ((2, 2, 2),)


@requires_torch
@pytest.mark.parametrize("target", ["numpy", "jax"])
def test_tensor_requiring_grad_refuses_to_leave_torch(target: str) -> None:
    import torch

    if target == "jax" and not HAS["jax"]:
        pytest.skip("jax is not installed")
    q = Quantity(torch.tensor(VALUES, requires_grad=True), u.meter)
    with pytest.raises(BackendError) as info:
        method(q, target)
    assert "detach" in str(info.value)


@requires_torch
def test_detached_tensor_converts() -> None:
    import torch

    t = torch.tensor(VALUES, requires_grad=True)
    r = Quantity(t.detach(), u.meter).to_numpy()
    np.testing.assert_allclose(r.mantissa, VALUES)


@requires_torch
def test_tensor_requiring_grad_stays_on_torch_with_its_graph() -> None:
    import torch

    t = torch.tensor(VALUES, requires_grad=True)
    q = Quantity(t, u.meter)
    assert q.to_torch() is q
    moved = q.to_torch(device="cpu", dtype=torch.float64)
    assert moved.mantissa.requires_grad


@requires_jax
@requires_torch
def test_jax_to_torch_does_not_write_through_to_the_jax_array() -> None:
    # jax arrays are immutable; the tensor made from one must not alias its buffer.
    q = Quantity(make_array("jax", VALUES), u.meter)
    r = q.to_torch()
    r.mantissa.add_(100.0)
    np.testing.assert_allclose(to_np(q), VALUES)


def test_dtype_argument_of_to_numpy() -> None:
    q = Quantity(np.array([1, 2]), u.meter)
    r = q.to_numpy(dtype=np.float32)
    assert r.mantissa.dtype == np.float32
    assert q.mantissa.dtype != np.float32


def _installed(name: str) -> bool:
    return name == "numpy" or HAS[name]


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (src, tgt)
        for src in ("numpy", "jax", "torch", "dask", "ndonnx")
        for tgt in ("numpy", "torch")
        if src != tgt
    ],
    ids=lambda v: str(v),
)
def test_writing_into_the_converted_mantissa_leaves_the_original_untouched(
    source: str, target: str
) -> None:
    # "Each one returns a new Quantity; the original is untouched": the converted mantissa must
    # not alias the source buffer (jax and ndonnx arrays are immutable; torch/numpy owners do
    # not expect writes from another library).
    if not (_installed(source) and _installed(target)):
        pytest.skip("backend not installed")
    q = Quantity(make_array(source, VALUES), u.meter)
    r = method(q, target)
    if target == "numpy" and not r.mantissa.flags.writeable:
        return  # a read-only view cannot write through
    r.mantissa[0] = 99.0
    np.testing.assert_allclose(to_np(q), VALUES, rtol=1e-6)
