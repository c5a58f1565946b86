"""Devices and dtypes: moves keep the unit; half precision and autocast keep units."""

from __future__ import annotations

import numpy as np
import pytest

import polyunit as u
from polyunit import BackendError, Quantity

torch = pytest.importorskip("torch", reason="torch is not installed")


def test_to_torch_takes_torch_and_numpy_dtypes(device: str) -> None:
    q = Quantity(np.array([1.0, 2.0]), u.meter)
    for dtype in (torch.float32, np.float32, np.dtype("float32"), "float32"):
        moved = q.to_torch(device=device, dtype=dtype)
        assert moved.mantissa.dtype == torch.float32
        assert moved.mantissa.device.type == device
        assert moved.unit == u.meter


def test_to_moves_or_casts_and_keeps_the_unit(device: str) -> None:
    q = Quantity(torch.tensor([1.0, 2.0]), u.mV)
    assert q.to(torch.float64).mantissa.dtype == torch.float64
    assert q.to(np.float16).mantissa.dtype == torch.float16
    on = q.to(device)
    assert on.mantissa.device.type == device and on.unit == u.mV
    both = q.to(torch.device(device), torch.bfloat16)
    assert both.mantissa.dtype == torch.bfloat16 and both.mantissa.device.type == device
    kw = q.to(device=device, dtype=torch.float64)
    assert kw.mantissa.dtype == torch.float64 and kw.unit == u.mV
    back = on.cpu()
    assert back.mantissa.device.type == "cpu" and back.unit == u.mV


def test_to_with_a_unit_still_converts() -> None:
    q = Quantity(torch.tensor([1.0, 2.0], dtype=torch.float64), u.volt)
    r = q.to(u.mV)
    assert r.unit == u.mV
    torch.testing.assert_close(r.mantissa, torch.tensor([1000.0, 2000.0], dtype=torch.float64))


def test_to_rejects_what_it_cannot_read() -> None:
    q = Quantity(torch.tensor([1.0]), u.volt)
    with pytest.raises(TypeError, match="takes a Unit"):
        q.to(3.5)
    with pytest.raises(TypeError, match="converts units only"):
        q.to(u.mV, torch.float64)
    with pytest.raises(BackendError, match="to_torch"):
        Quantity(np.array([1.0]), u.volt).to("cpu")
    on_host = Quantity(np.array([1.0]), u.volt)
    assert on_host.cpu() is on_host  # numpy arrays are in host memory already


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error without a GPU")
def test_cuda_without_a_gpu_raises_torchs_error() -> None:
    with pytest.raises((RuntimeError, AssertionError)):
        Quantity(torch.tensor([1.0]), u.volt).cuda()


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_half_precision_arithmetic_and_math(device: str, dtype: str) -> None:
    dt = getattr(torch, dtype)
    x = Quantity(torch.tensor([1.0, 4.0, 9.0], dtype=dt, device=device), u.meter)
    y = Quantity(torch.tensor([100.0, 200.0, 300.0], dtype=dt, device=device), u.cmeter)
    checks = {
        "add": (x + y, u.meter, [2.0, 6.0, 12.0]),
        "mul": (x * 2.0, u.meter, [2.0, 8.0, 18.0]),
        "div": (x / Quantity(torch.tensor(2.0, dtype=dt, device=device), u.second), None, None),
        "sqrt": (u.math.sqrt(x * x), u.meter, [1.0, 4.0, 9.0]),
        "sum": (u.math.sum(x), u.meter, 14.0),
        "convert": (x.in_unit(u.cmeter), u.cmeter, [100.0, 400.0, 900.0]),
    }
    for name, (r, unit, expected) in checks.items():
        assert r.mantissa.dtype == dt, name
        if unit is not None:
            assert r.unit == unit, name
            ref = torch.tensor(expected, dtype=dt, device=device)
            torch.testing.assert_close(r.mantissa, ref, rtol=1e-2, atol=1e-2)
    e = u.math.exp(x / Quantity(torch.tensor(10.0, dtype=dt, device=device), u.meter))
    assert e.dtype == dt


def test_autocast_matmul_keeps_units() -> None:
    a = Quantity(torch.rand(4, 3), u.meter)
    b = Quantity(torch.rand(3, 2), u.newton)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        r = u.math.matmul(a, b)
        s = a @ b
    for out in (r, s):
        assert isinstance(out, Quantity) and out.unit == u.meter * u.newton
        assert out.mantissa.dtype == torch.bfloat16
        torch.testing.assert_close(
            out.mantissa.float(), a.mantissa @ b.mantissa, rtol=2e-2, atol=2e-2
        )


def test_a_graph_carrying_tensor_never_leaves_torch_implicitly() -> None:
    q = Quantity(torch.tensor([1.0, 2.0], requires_grad=True), u.meter)
    other = Quantity(np.array([1.0, 2.0]), u.meter)
    with u.using_backend("numpy"), pytest.raises(BackendError, match="detach"):
        u.math.add(q, other)  # mixed inputs go to the default backend: numpy
    detached = Quantity(q.mantissa.detach(), u.meter)
    with u.using_backend("numpy"):
        assert u.math.add(detached, other).backend == "numpy"
