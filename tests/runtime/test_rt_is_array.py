"""is_*_array: right answers for every backend's arrays, and never an exception."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from rt_helpers import HAS, make_array

import polyunit as u

CHECKS: dict[str, Callable[[object], bool]] = {
    "numpy": u.is_numpy_array,
    "jax": u.is_jax_array,
    "torch": u.is_torch_array,
    "cupy": u.is_cupy_array,
    "dask": u.is_dask_array,
    "ndonnx": u.is_ndonnx_array,
}
INSTALLED = [b for b in ("numpy", "jax", "torch", "dask", "ndonnx") if b == "numpy" or HAS[b]]


@pytest.mark.parametrize("backend", INSTALLED)
@pytest.mark.parametrize("check", list(CHECKS), ids=[f"is_{c}_array" for c in CHECKS])
def test_true_only_for_the_own_backend(backend: str, check: str) -> None:
    value = make_array(backend, [1.0, 2.0])
    assert CHECKS[check](value) is (check == backend)


@pytest.mark.skipif(not HAS["cupy"], reason="cupy is not installed")
def test_cupy_array() -> None:  # pragma: no cover - needs a GPU
    import cupy

    assert u.is_cupy_array(cupy.zeros(2))
    assert not u.is_numpy_array(cupy.zeros(2))


class ClassRaises:
    @property  # type: ignore[misc]
    def __class__(self) -> type:  # noqa: PLE0237
        raise RuntimeError("no class for you")


class GetattrRaises:
    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"no {name}")


class Impostor:
    """Claims to come from a backend's module without being one of its arrays."""

    __module__ = "torch"


ODD = [
    pytest.param(None, id="None"),
    pytest.param([1.0, 2.0], id="list"),
    pytest.param((1.0,), id="tuple"),
    pytest.param(3.0, id="float"),
    pytest.param(3, id="int"),
    pytest.param("array", id="str"),
    pytest.param(object(), id="object"),
    pytest.param(ClassRaises(), id="__class__-raises"),
    pytest.param(GetattrRaises(), id="__getattr__-raises"),
    pytest.param(Impostor(), id="impostor"),
    pytest.param(np.ndarray, id="the-ndarray-type"),
    pytest.param(u.meter, id="unit"),
]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize("check", list(CHECKS), ids=[f"is_{c}_array" for c in CHECKS])
def test_odd_inputs_answer_false_without_raising(check: str, value: object) -> None:
    assert CHECKS[check](value) is False


@pytest.mark.skipif(not HAS["jax"], reason="jax is not installed")
def test_jax_tracer_is_a_jax_array() -> None:
    import jax

    seen: list[bool] = []

    def f(x: Any) -> Any:
        seen.append(u.is_jax_array(x))
        return x

    jax.jit(f)(make_array("jax", [1.0]))
    assert seen == [True]


def test_answers_are_plain_bools() -> None:
    for check in CHECKS.values():
        assert type(check(np.zeros(1))) is bool
        assert type(check(None)) is bool
