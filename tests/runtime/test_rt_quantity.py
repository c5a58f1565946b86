"""Quantity: construction, text, metadata, unit conversion and the Python protocols."""

from __future__ import annotations

import numpy as np
import pytest
from rt_helpers import EAGER, backend_name, make_array, requires_jax, requires_torch, to_np

import polyunit as u
from polyunit import DimensionMismatchError, Quantity


# -- construction ----------------------------------------------------------------------------
@pytest.mark.parametrize("backend", EAGER)
def test_construction_keeps_the_backend_and_the_array(backend: str) -> None:
    m = make_array(backend, [1.0, 2.0, 3.0])
    q = Quantity(m, u.meter)
    assert q.backend == backend
    assert q.mantissa is m
    assert q.unit is u.meter


@requires_jax
@pytest.mark.parametrize("value", [[1.0, 2.0, 3.0], 2.5, 3, (1.0, 2.0)])
def test_python_values_go_to_jax_by_default(value: object) -> None:
    q = Quantity(value, u.meter)
    assert q.backend == "jax"
    assert backend_name(q.mantissa) == "jax"
    np.testing.assert_allclose(to_np(q), np.asarray(value))


@pytest.mark.parametrize("value", [[1.0, 2.0, 3.0], 2.5, 3])
def test_python_values_go_to_numpy_inside_using_backend(value: object) -> None:
    with u.using_backend("numpy"):
        q = Quantity(value, u.meter)
    assert q.backend == "numpy"
    assert isinstance(q.mantissa, np.ndarray)
    np.testing.assert_allclose(q.mantissa, np.asarray(value))


@requires_torch
def test_python_values_go_to_the_set_default() -> None:
    u.set_default_backend("torch")
    q = Quantity([1.0, 2.0], u.meter)
    assert q.backend == "torch"


def test_construction_with_dtype_stays_on_backend() -> None:
    q = Quantity(np.array([1, 2]), u.meter, dtype=np.float32)
    assert q.backend == "numpy"
    assert q.dtype == np.float32


def test_construction_from_quantity_converts_to_the_unit() -> None:
    q = Quantity(Quantity(np.array([1500.0]), u.mmeter), u.meter)
    assert q.unit == u.meter
    np.testing.assert_allclose(q.mantissa, [1.5])


def test_construction_from_quantity_of_other_dimension_raises() -> None:
    with pytest.raises(DimensionMismatchError):
        Quantity(Quantity(np.array([1.0]), u.second), u.meter)


def test_unit_must_be_a_unit() -> None:
    with pytest.raises(TypeError):
        Quantity(np.array([1.0]), "m")  # type: ignore[arg-type]


def test_default_unit_is_unitless() -> None:
    q = Quantity(np.array([1.0]))
    assert q.unit is u.UNITLESS
    assert q.is_unitless


# -- text ------------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", EAGER)
def test_str_and_repr(backend: str) -> None:
    q = Quantity(make_array(backend, [1.0, 2.0, 3.0]), u.meter)
    assert str(q) == "[1. 2. 3.] m"
    assert repr(q) == 'Quantity([1. 2. 3.], "m")'


@requires_torch
def test_str_and_repr_of_tensor_requiring_grad() -> None:
    import torch

    q = Quantity(torch.tensor([1.0, 2.0, 3.0], requires_grad=True), u.meter)
    assert str(q) == "[1. 2. 3.] m"
    assert repr(q) == 'Quantity([1. 2. 3.], "m")'
    # Printing must not cut the graph.
    assert q.mantissa.requires_grad


def test_str_of_composite_unit() -> None:
    q = Quantity(np.array([1.0, 2.0]), u.meter / u.second)
    assert str(q) == "[1. 2.] m / s"
    assert repr(q) == 'Quantity([1. 2.], "m / s")'


def test_str_of_scalar() -> None:
    assert str(Quantity(np.array(4.0), u.mV)) == "4.0 mV"


# -- metadata --------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", EAGER)
def test_metadata(backend: str) -> None:
    m = make_array(backend, [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    q = Quantity(m, u.mV)
    assert q.mantissa is m
    assert q.unit is u.mV
    assert q.dim is u.volt.dim
    assert q.backend == backend
    assert q.shape == (2, 3)
    assert q.ndim == 2
    assert q.dtype == m.dtype
    assert q.size == 6


# -- units -----------------------------------------------------------------------------------
@pytest.mark.parametrize("backend", EAGER)
def test_in_unit(backend: str) -> None:
    q = Quantity(make_array(backend, [1000.0, 2500.0]), u.mmeter)
    r = q.in_unit(u.meter)
    assert isinstance(r, Quantity)
    assert r.unit is u.meter
    assert r.backend == backend
    np.testing.assert_allclose(to_np(r), [1.0, 2.5])
    # The original is untouched.
    assert q.unit is u.mmeter
    np.testing.assert_allclose(to_np(q), [1000.0, 2500.0])


def test_to_is_in_unit() -> None:
    q = Quantity(np.array([1.0, 2.0]), u.volt)
    r = q.to(u.mV)
    assert r.unit is u.mV
    np.testing.assert_allclose(r.mantissa, [1000.0, 2000.0])


def test_in_unit_to_the_same_unit_is_free() -> None:
    m = np.array([1.0, 2.0])
    q = Quantity(m, u.meter)
    assert q.in_unit(u.meter).mantissa is m


def test_in_unit_across_dimensions_raises() -> None:
    q = Quantity(np.array([1.0]), u.meter)
    with pytest.raises(DimensionMismatchError):
        q.in_unit(u.second)


@pytest.mark.parametrize("backend", EAGER)
def test_to_decimal(backend: str) -> None:
    q = Quantity(make_array(backend, [1.0, 2.5]), u.meter)
    v = q.to_decimal(u.mmeter)
    assert not isinstance(v, Quantity)
    assert backend_name(v) == backend
    np.testing.assert_allclose(to_np(v), [1000.0, 2500.0])


def test_to_decimal_of_dimensionless_folds_the_scale() -> None:
    q = Quantity(np.array([2.0]), u.mV / u.volt)
    v = q.to_decimal()
    assert isinstance(v, np.ndarray)
    np.testing.assert_allclose(v, [0.002])


def test_to_decimal_of_unitful_without_unit_raises() -> None:
    with pytest.raises(DimensionMismatchError):
        Quantity(np.array([2.0]), u.meter).to_decimal()


def test_to_decimal_across_dimensions_raises() -> None:
    with pytest.raises(DimensionMismatchError):
        Quantity(np.array([2.0]), u.meter).to_decimal(u.second)


# -- Python number protocols -----------------------------------------------------------------
def test_float_of_unitful_raises() -> None:
    with pytest.raises(DimensionMismatchError):
        float(Quantity(np.array(2.0), u.meter))
    with pytest.raises(DimensionMismatchError):
        int(Quantity(np.array(2.0), u.meter))


@pytest.mark.parametrize("backend", EAGER)
def test_float_of_dimensionless_folds_the_scale(backend: str) -> None:
    q = Quantity(make_array(backend, 2.0), u.mV / u.volt)
    assert float(q) == pytest.approx(0.002)
    assert float(Quantity(make_array(backend, 2.5), u.UNITLESS)) == 2.5


def test_int_of_dimensionless() -> None:
    assert int(Quantity(np.array(3.0), u.UNITLESS)) == 3
    assert int(Quantity(np.array(3000.0), u.mV / u.volt)) == 3


def test_asarray_of_unitful_raises() -> None:
    q = Quantity(np.array([1.0, 2.0]), u.meter)
    with pytest.raises(DimensionMismatchError):
        np.asarray(q)


def test_asarray_of_dimensionless_folds_the_scale() -> None:
    a = np.asarray(Quantity(np.array([2.0, 4.0]), u.mV / u.volt))
    assert isinstance(a, np.ndarray)
    np.testing.assert_allclose(a, [0.002, 0.004])


# -- container protocols ----------------------------------------------------------------------
def test_bool() -> None:
    assert bool(Quantity(np.array([1.0]), u.meter)) is True
    assert bool(Quantity(np.array(0.0), u.meter)) is False
    with pytest.raises(ValueError):
        bool(Quantity(np.array([1.0, 2.0]), u.meter))


@pytest.mark.parametrize("backend", EAGER)
def test_len_getitem_iter(backend: str) -> None:
    q = Quantity(make_array(backend, [1.0, 2.0, 3.0]), u.meter)
    assert len(q) == 3
    item = q[1]
    assert isinstance(item, Quantity)
    assert item.unit is u.meter
    assert float(to_np(item)) == 2.0
    tail = q[1:]
    assert tail.shape == (2,)
    assert tail.unit is u.meter
    rows = list(q)
    assert len(rows) == 3
    assert all(isinstance(r, Quantity) and r.unit is u.meter for r in rows)
    assert [float(to_np(r)) for r in rows] == [1.0, 2.0, 3.0]


def test_iter_over_rows() -> None:
    q = Quantity(np.arange(6.0).reshape(3, 2), u.second)
    rows = list(q)
    assert [r.shape for r in rows] == [(2,)] * 3
    np.testing.assert_array_equal(rows[2].mantissa, [4.0, 5.0])


def test_index_with_a_quantity_is_rejected() -> None:
    q = Quantity(np.array([1.0, 2.0, 3.0]), u.meter)
    with pytest.raises(TypeError):
        q[Quantity(np.array(1), u.UNITLESS)]


def test_setitem_numpy_converts_the_unit() -> None:
    q = Quantity(np.array([1.0, 2.0, 3.0]), u.meter)
    q[0] = Quantity(np.array(500.0), u.mmeter)
    np.testing.assert_allclose(q.mantissa, [0.5, 2.0, 3.0])
    q[1:] = Quantity(np.array([4000.0, 5000.0]), u.mmeter)
    np.testing.assert_allclose(q.mantissa, [0.5, 4.0, 5.0])
    assert q.unit is u.meter


def test_setitem_of_other_dimension_raises() -> None:
    q = Quantity(np.array([1.0, 2.0, 3.0]), u.meter)
    with pytest.raises(DimensionMismatchError):
        q[0] = Quantity(np.array(1.0), u.second)
    np.testing.assert_array_equal(q.mantissa, [1.0, 2.0, 3.0])


def test_setitem_plain_into_unitful_raises() -> None:
    q = Quantity(np.array([1.0, 2.0, 3.0]), u.meter)
    with pytest.raises(DimensionMismatchError):
        q[0] = 5.0
    np.testing.assert_array_equal(q.mantissa, [1.0, 2.0, 3.0])


def test_setitem_plain_into_unitless_works() -> None:
    q = Quantity(np.array([1.0, 2.0, 3.0]), u.UNITLESS)
    q[0] = 5.0
    np.testing.assert_array_equal(q.mantissa, [5.0, 2.0, 3.0])


@requires_jax
def test_setitem_on_jax_is_rejected() -> None:
    q = Quantity(make_array("jax", [1.0, 2.0]), u.meter)
    with pytest.raises(TypeError):
        q[0] = Quantity(np.array(1.0), u.meter)


def test_tolist() -> None:
    assert Quantity(np.array([1.0, 2.0]), u.meter).tolist() == [1.0, 2.0]
