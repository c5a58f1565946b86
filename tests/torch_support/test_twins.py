"""The functions torch.compile traces in place of the Quantity operators (runtime/traced.py),
called eagerly: each must give what the operator gives, or leave the case to the operator.

The twins of the front-end functions are checked op by op in tests/behaviour/test_ops.py.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pytest

import polyunit as u
from polyunit import Quantity

torch = pytest.importorskip("torch", reason="torch is not installed")
import polyunit.backends.torch  # noqa: E402  (installs the twins)

BINARY = {
    "__add__": operator.add,
    "__sub__": operator.sub,
    "__mul__": operator.mul,
    "__truediv__": operator.truediv,
    "__floordiv__": operator.floordiv,
    "__mod__": operator.mod,
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
    "__eq__": operator.eq,
    "__ne__": operator.ne,
}


def _twin(dunder: str) -> Any:
    return getattr(Quantity, dunder)._torchdynamo_inline


def _same(got: Any, want: Any) -> None:
    assert type(got) is type(want)
    if isinstance(want, Quantity):
        assert got.unit is want.unit
        got, want = got.mantissa, want.mantissa
    torch.testing.assert_close(got, want)


def _operands() -> tuple[Quantity[Any], Quantity[Any]]:
    a = Quantity(torch.tensor([1.5, 2.0, 3.0], dtype=torch.float64), u.meter)
    b = Quantity(torch.tensor([500.0, 250.0, 4000.0], dtype=torch.float64), u.mmeter)
    return a, b


@pytest.mark.parametrize("dunder", sorted(BINARY))
def test_binary_twin_equals_the_operator(dunder: str) -> None:
    a, b = _operands()
    _same(_twin(dunder)(a, b), BINARY[dunder](a, b))
    _same(_twin(dunder)(a, a), BINARY[dunder](a, a))


@pytest.mark.parametrize("dunder", ["__mul__", "__truediv__", "__rmul__", "__rtruediv__"])
def test_python_numbers_and_plain_tensors(dunder: str) -> None:
    a, _ = _operands()
    for other in (2.0, 3, torch.tensor([1.0, 2.0, 4.0], dtype=torch.float64)):
        _same(_twin(dunder)(a, other), getattr(Quantity, dunder)(a, other))


def test_powers_and_unary_operators() -> None:
    a, b = _operands()
    for exponent in (2, 0.5, 3.0):
        _same(_twin("__pow__")(a, exponent), a**exponent)
    ratio = a / b  # dimensionless, scale 1000: the power folds the scale into a plain result
    _same(_twin("__pow__")(ratio, 2), ratio**2)
    for dunder, fn in (("__neg__", operator.neg), ("__pos__", operator.pos), ("__abs__", abs)):
        _same(_twin(dunder)(a), fn(a))
    m = Quantity(torch.eye(3, dtype=torch.float64), u.meter)
    _same(_twin("__matmul__")(m, b), m @ b)
    _same(_twin("__rmatmul__")(b, m), m @ b)


def test_a_dimension_mismatch_raises_the_operator_error() -> None:
    a, _ = _operands()
    s = Quantity(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64), u.second)
    with pytest.raises(u.DimensionMismatchError, match="Cannot add"):
        _twin("__add__")(a, s)


def test_foreign_operands_are_left_to_the_operator() -> None:
    """A numpy-backed Quantity or an unknown type: the twin does what the operator does."""
    a, _ = _operands()
    n = Quantity(np.array([1.0, 2.0, 3.0]), u.meter)
    _same(_twin("__add__")(n, n), n + n)
    # a numpy scalar is an array of another library: the seed's rule picks the default backend
    mixed = _twin("__mul__")(a, np.float64(2.0))
    assert type(mixed.mantissa) is type((a * np.float64(2.0)).mantissa)
    assert _twin("__add__")(a, "text") is NotImplemented
    assert _twin("__eq__")(a, None) is NotImplemented


def test_a_front_end_twin_binds_arguments_as_python_does() -> None:
    """Twins of functions with defaults bind `*args, **kwargs` themselves (see codegen)."""
    from polyunit.backends import frontend_math

    twin = frontend_math.sum._torchdynamo_inline
    a = Quantity(torch.arange(6.0, dtype=torch.float64).reshape(2, 3), u.meter)
    _same(twin(a), u.math.sum(a))
    _same(twin(a, 1), u.math.sum(a, 1))
    _same(twin(a, axis=0, keepdims=True), u.math.sum(a, axis=0, keepdims=True))
    _same(twin(x=a, axis=1), u.math.sum(x=a, axis=1))
    for bad in ({"bogus": 1}, {"axis": 0}):  # an unknown name; axis given twice
        with pytest.raises(TypeError):
            twin(a, 0, **bad)
    with pytest.raises(TypeError):
        twin()
    with pytest.raises(TypeError):
        twin(a, None, None, False, None, None, "one too many")
