"""64-bit data into jax: with x64 off a PrecisionWarning names jax_enable_x64 (once per dtype)
instead of a silent dtype change; with x64 on nothing is narrowed. x64 is only ever switched
on inside `jax.enable_x64` blocks, never globally."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch

import polyunit as u
from polyunit import convert


@pytest.fixture(autouse=True)
def _fresh_warning_state() -> Iterator[None]:
    assert not jax.config.jax_enable_x64, "x64 must be off outside enable_x64 blocks"
    convert._PRECISION_WARNED.clear()
    yield
    convert._PRECISION_WARNED.clear()


def test_precision_warning_is_a_user_warning() -> None:
    assert issubclass(u.PrecisionWarning, UserWarning)


@pytest.mark.parametrize(
    ("make", "narrow"),
    [
        (lambda: np.ones(3), "float32"),
        (lambda: np.arange(3), "int32"),
        (lambda: torch.ones(3, dtype=torch.float64), "float32"),
        (lambda: np.ones(2, dtype=np.complex128), "complex64"),
    ],
    ids=["numpy-float64", "numpy-int64", "torch-float64", "numpy-complex128"],
)
def test_to_jax_warns_once_naming_x64(make: Any, narrow: str) -> None:
    q = u.Quantity(make(), u.meter)
    with pytest.warns(u.PrecisionWarning, match="jax_enable_x64") as caught:
        out = q.to_jax()
    assert len(caught) == 1 and narrow in str(caught[0].message)
    assert str(out.dtype) == narrow and out.unit == u.meter
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        q.to_jax()  # the same dtype again: warned once already


def test_convert_array_and_mixed_operations_warn() -> None:
    with pytest.warns(u.PrecisionWarning, match="float64"):
        out = convert.convert_array(np.ones(2), "jax")
    assert out.dtype == jnp.float32
    convert._PRECISION_WARNED.clear()
    with pytest.warns(u.PrecisionWarning):
        total = u.Quantity(jnp.ones(2), u.meter) + u.Quantity(np.ones(2), u.meter)
    assert total.backend == "jax"


def test_explicit_64_bit_dtype_with_x64_off_warns() -> None:
    with pytest.warns(u.PrecisionWarning, match="jax_enable_x64") as caught:
        out = u.Quantity(np.ones(2, dtype=np.float32), u.meter).to_jax(dtype=np.float64)
    assert len(caught) == 1 and out.dtype == jnp.float32  # ours, not jax's second warning


def test_no_warning_when_nothing_is_lost_or_the_user_chose_32_bits() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert u.Quantity(np.ones(2), u.meter).to_jax(dtype=np.float32).dtype == jnp.float32
        assert u.Quantity(np.ones(2, dtype=np.float32), u.meter).to_jax().dtype == jnp.float32
        assert u.Quantity(np.arange(2, dtype=np.int16), u.meter).to_jax().dtype == jnp.int16
        # Python numbers and lists follow jax's own weak-type rules, as jnp.asarray does.
        assert u.Quantity([1.0, 2.0], u.meter).to_jax().dtype == jnp.float32
        assert u.Quantity(jnp.ones(2), u.meter).to_jax().dtype == jnp.float32


def test_x64_on_keeps_64_bit_data() -> None:
    with jax.enable_x64(True), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert u.Quantity(np.arange(3), u.meter).to_jax().dtype == jnp.int64
        assert u.Quantity(torch.arange(3), u.meter).to_jax().dtype == jnp.int64
        assert u.Quantity([1, 2], u.meter).to_jax().dtype == jnp.int64
        assert u.Quantity(np.ones(2), u.meter).to_jax().dtype == jnp.float64
        big = np.array([2**40 + 1], dtype=np.int64)
        out = convert.convert_array(big, "jax")
        assert out.dtype == jnp.int64 and int(out[0]) == 2**40 + 1
        # arithmetic with a jax quantity does not narrow either
        total = u.Quantity(jnp.asarray(big), u.second) + u.Quantity(big, u.second)
        assert total.dtype == jnp.int64 and int(total.mantissa[0]) == 2**41 + 2
    assert not jax.config.jax_enable_x64
