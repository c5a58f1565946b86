"""`torch.<fn>(quantity)` runs polyunit's unit-aware implementation, or raises; it never drops
the unit."""

from __future__ import annotations

from typing import Any

import pytest

import polyunit as u
from polyunit import Quantity

torch = pytest.importorskip("torch", reason="torch is not installed")


def t(values: Any, device: str) -> Any:
    return torch.tensor(values, dtype=torch.float64, device=device)


def test_elementwise_reduction_and_linalg(device: str) -> None:
    q = Quantity(t([[1.0, 2.0], [3.0, 4.0]], device), u.meter)
    w = Quantity(t([[0.5, 0.0], [0.0, 2.0]], device), u.newton)

    s = torch.sum(q)
    assert isinstance(s, Quantity) and s.unit == u.meter
    assert s.mantissa.item() == 10.0
    rows = torch.sum(q, dim=1, keepdim=True)
    assert rows.unit == u.meter and rows.shape == (2, 1)
    torch.testing.assert_close(rows.mantissa, t([[3.0], [7.0]], device))

    m = torch.matmul(q, w)
    assert m.unit == u.meter * u.newton
    torch.testing.assert_close(m.mantissa, q.mantissa @ w.mantissa)

    added = torch.add(q, Quantity(t([[100.0, 0.0], [0.0, 0.0]], device), u.cmeter))
    assert added.unit == u.meter
    torch.testing.assert_close(added.mantissa, t([[2.0, 2.0], [3.0, 4.0]], device))

    angle = Quantity(t([30.0, 90.0], device), u.meter) / Quantity(t([60.0, 60.0], device), u.meter)
    torch.testing.assert_close(torch.sin(angle), torch.sin(t([0.5, 1.5], device)))


def test_torch_spellings_and_keywords_are_translated(device: str) -> None:
    q = Quantity(t([[1.0, 2.0], [3.0, 4.0]], device), u.meter)
    assert torch.mul(q, q).unit == u.meter**2
    assert torch.pow(q, 3).unit == u.meter**3
    assert torch.sub(q, q).unit == u.meter
    torch.testing.assert_close(torch.transpose(q, 0, 1).mantissa, q.mantissa.T)
    torch.testing.assert_close(torch.flip(q, dims=(0,)).mantissa, q.mantissa.flip(0))
    clamped = torch.clamp(
        q, min=Quantity(t(150.0, device), u.cmeter), max=Quantity(t(3.0, device), u.meter)
    )
    torch.testing.assert_close(clamped.mantissa, t([[1.5, 2.0], [3.0, 3.0]], device))
    assert torch.gt(q, Quantity(t(250.0, device), u.cmeter)).tolist() == [
        [False, False],
        [True, True],
    ]
    # torch.std is Bessel-corrected by default; the translation keeps torch's meaning.
    torch.testing.assert_close(torch.std(q).mantissa, torch.std(q.mantissa))
    torch.testing.assert_close(
        torch.var(q, dim=0, correction=0).mantissa, torch.var(q.mantissa, dim=0, correction=0)
    )
    assert torch.var(q).unit == u.meter**2
    assert torch.max(q).mantissa.item() == 4.0
    torch.testing.assert_close(torch.max(q, q * 2).mantissa, q.mantissa * 2)


def test_units_are_checked_through_torch_functions() -> None:
    q = Quantity(torch.ones(2, dtype=torch.float64), u.meter)
    with pytest.raises(u.DimensionMismatchError):
        torch.add(q, Quantity(torch.ones(2, dtype=torch.float64), u.second))
    with pytest.raises(u.DimensionMismatchError):
        torch.exp(q)


def test_uncovered_torch_functions_raise_instead_of_dropping_the_unit() -> None:
    q = Quantity(torch.ones(3), u.meter)
    with pytest.raises(TypeError, match="relu.*drop the unit"):
        torch.nn.functional.relu(q)
    with pytest.raises(TypeError, match=r"values and indices.*polyunit.math.max"):
        torch.max(q, dim=0)
    with pytest.raises(TypeError, match="cannot take these arguments"):
        torch.add(q, q, alpha=2)
    with pytest.raises(TypeError, match="drop the unit"):
        torch.sort(q)


def test_tensor_on_the_left_uses_the_quantity_operators() -> None:
    q = Quantity(torch.tensor([1.0, 2.0]), u.meter)
    r = torch.tensor([2.0, 3.0]) * q
    assert isinstance(r, Quantity) and r.unit == u.meter
    torch.testing.assert_close(r.mantissa, torch.tensor([2.0, 6.0]))
    with pytest.raises(u.DimensionMismatchError):
        torch.tensor([1.0, 1.0]) + q
    plain = torch.zeros(2)
    with pytest.raises(TypeError, match="drop the"):
        plain[0] = q[0]
