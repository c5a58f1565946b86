"""Type aliases for annotating code that uses polyunit."""

from __future__ import annotations

from typing import Any, TypeAlias

from polyunit.dimension import Dimension
from polyunit.quantity import Quantity
from polyunit.unit import Unit

Scalar: TypeAlias = int | float | complex
# A value a unit-aware function accepts: a quantity, or a plain number (dimensionless).
QuantityLike: TypeAlias = Quantity[Any] | int | float | complex
# Anything with a dimension: what `have_same_dim` compares.
DimensionLike: TypeAlias = Quantity[Any] | Unit | Dimension

__all__ = ["DimensionLike", "QuantityLike", "Scalar"]
