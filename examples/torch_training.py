"""Fit a spring constant with torch.optim on a loss computed with units.

Hooke's law F = k x. The measurements come in mixed units (displacement in millimetres, force in
newtons); the parameter is a plain tensor that becomes a stiffness in N/m inside the loss, so
every unit conversion is done by polyunit and differentiated by torch autograd.

Run it: python examples/torch_training.py
"""

from __future__ import annotations

from typing import Any

import torch

import polyunit as u
from polyunit import Quantity

TRUE_K = 250.0  # N/m


def measurements(n: int = 64, seed: int = 0) -> tuple[Quantity[Any], Quantity[Any]]:
    """Displacements in mm and noisy forces in N from a spring of stiffness TRUE_K."""
    g = torch.Generator().manual_seed(seed)
    x = Quantity(torch.linspace(1.0, 40.0, n, dtype=torch.float64), u.mmeter)
    noise = 0.05 * torch.randn(n, generator=g, dtype=torch.float64)
    force = Quantity(TRUE_K * x.to_decimal(u.meter) + noise, u.newton)
    return x, force


def loss_fn(k: torch.Tensor, x: Quantity[Any], force: Quantity[Any]) -> torch.Tensor:
    """Mean squared force residual, read in N^2 (a plain tensor that autograd differentiates)."""
    stiffness = Quantity(k, u.newton / u.meter)
    residual = stiffness * x - force  # (N/m) * mm is converted to N before subtracting
    mse = u.math.mean(residual**2)
    assert mse.unit.dim == (u.newton**2).dim
    return mse.to_decimal(u.newton**2)  # type: ignore[no-any-return]


def train(steps: int = 200, lr: float = 0.1) -> tuple[list[float], float]:
    """Fit k from a poor start with Adam; returns the losses and the fitted k in N/m."""
    x, force = measurements()
    # The parameter is the stiffness in kN/m, so that its scale is near 1 for the optimiser.
    k_kn = torch.nn.Parameter(torch.tensor(0.01, dtype=torch.float64))
    opt = torch.optim.Adam([k_kn], lr=lr)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        k = Quantity(k_kn, u.knewton / u.meter).to_decimal(u.newton / u.meter)
        loss = loss_fn(k, x, force)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    fitted = Quantity(k_kn.detach(), u.knewton / u.meter).to_decimal(u.newton / u.meter)
    return losses, float(fitted)


def main() -> None:
    losses, k = train()
    print(f"loss: {losses[0]:.4g} N^2 -> {losses[-1]:.4g} N^2")
    print(f"fitted k = {k:.2f} N/m (true {TRUE_K} N/m)")


if __name__ == "__main__":
    main()
