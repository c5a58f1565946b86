"""Calls a checker must reject. mypy runs with --warn-unused-ignores, so an ignore that stops
matching an error fails the test; tests/test_typing.py checks pyright reports each line too."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from numpy.typing import NDArray

import polyunit as u
import polyunit.backends.numpy as pn
import polyunit.backends.torch as pt
from polyunit import Quantity

qt: Quantity[torch.Tensor] = Quantity(torch.ones(3), unit=u.meter)
qn: Quantity[NDArray[Any]] = Quantity(np.ones(3), unit=u.meter)

pt.sqrt(qn)  # type: ignore[arg-type]  # EXPECT: a numpy quantity into the torch module
pn.sum(qn, axes=0)  # type: ignore[call-overload]  # EXPECT: misspelt keyword
pn.less(qn)  # type: ignore[call-arg]  # EXPECT: missing operand
x = pt.abs(qt).unit.nonexistent  # type: ignore[attr-defined]  # EXPECT: Unit has no such attribute
y = pt.sqrt(qt).unit  # type: ignore[union-attr]  # EXPECT: sqrt may return a plain tensor
bad: Quantity[torch.Tensor] = qn.to_numpy()  # type: ignore[assignment]  # EXPECT: numpy is not torch
pn.zeros(3, unit="m")  # type: ignore[arg-type]  # EXPECT: unit must be a Unit
