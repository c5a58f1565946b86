"""Names the reference library has beyond the ops: math's dtypes and constants, Quantity.nonzero
and the pytree methods, Dimension's sequence form."""

from __future__ import annotations

import math

import numpy as np
import pytest

import polyunit as u


@pytest.mark.parametrize(
    ("name", "numpy_name"),
    [("float32", "float32"), ("int_", "int64"), ("float_", "float64"), ("cdouble", "complex128")],
)
def test_math_dtypes_are_numpy_scalar_types(name: str, numpy_name: str) -> None:
    assert getattr(u.math, name) is getattr(np, numpy_name)


def test_math_constants() -> None:
    assert u.math.pi == math.pi and u.math.e == math.e and u.math.newaxis is None
    assert math.isinf(u.math.inf) and math.isnan(u.math.nan)
    assert u.math.euler_gamma == pytest.approx(0.5772156649015329, rel=1e-15)


def test_narrow_dtypes_cast_on_torch() -> None:
    torch = pytest.importorskip("torch")
    pytest.importorskip("ml_dtypes")
    q = u.Quantity(torch.ones(3), unit=u.meter)
    cast = q.astype(u.math.bfloat16)
    assert cast.mantissa.dtype == torch.bfloat16 and cast.unit == u.meter
    assert np.dtype(u.math.int4).itemsize == 1


def test_unknown_math_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'float128x'"):
        _ = u.math.float128x


def test_quantity_nonzero_is_plain() -> None:
    q = u.Quantity(np.array([[0.0, 2.0], [3.0, 0.0]]), unit=u.volt)
    rows, cols = q.nonzero()
    np.testing.assert_array_equal(rows, [0, 1])
    np.testing.assert_array_equal(cols, [1, 0])


def test_tree_flatten_round_trip() -> None:
    q = u.Quantity(np.array([1.0, 2.0]), unit=u.mV)
    children, unit = q.tree_flatten()
    assert unit is u.mV and children[0] is q.mantissa
    back = u.Quantity.tree_unflatten(unit, children)
    assert back.unit is u.mV and back.mantissa is q.mantissa


def test_dimension_from_a_sequence_or_exponents() -> None:
    assert u.Dimension([1, 0, 0, 0, 0, 0, 0]) is u.meter.dim
    assert u.Dimension(1, 0, 0, 0, 0, 0, 0) is u.meter.dim
    assert u.meter.dim.get_dimension(d="m") == 1
    with pytest.raises(ValueError, match="unknown base quantity 'x'; use one of m, kg"):
        u.meter.dim.get_dimension("x")


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch", "dask", "ndonnx"])
def test_clip_with_open_sides(backend: str) -> None:
    pytest.importorskip(backend)
    from polyunit.convert import convert_array

    q = u.Quantity(convert_array(np.array([1.0, 5.0, 9.0]), backend), unit=u.meter)
    low = u.Quantity(convert_array(np.array(200.0), backend), unit=u.cmeter)
    for got, want in [
        (q.clip(low), [2.0, 5.0, 9.0]),
        (q.clip(max=low * 2), [1.0, 4.0, 4.0]),
        (u.math.clip(q, None, None), [1.0, 5.0, 9.0]),
    ]:
        assert got.unit == u.meter and got.backend == backend
        np.testing.assert_allclose(got.to_numpy().mantissa, want)
    with pytest.raises(u.DimensionMismatchError):
        q.clip(u.Quantity(convert_array(np.array(1.0), backend), unit=u.second))


def test_in_unit_err_msg_starts_the_error() -> None:
    q = u.Quantity(np.array([1.0]), unit=u.meter)
    with pytest.raises(u.DimensionMismatchError, match=r"^wire length: m \(m\) cannot be"):
        q.in_unit(u.second, err_msg="wire length")
    assert q.in_unit(u.mmeter, err_msg="unused").mantissa[0] == pytest.approx(1000.0)


def test_to_takes_new_unit_by_name() -> None:
    q = u.Quantity(np.array([2.0]), unit=u.meter)
    assert q.to(new_unit=u.cmeter).mantissa[0] == pytest.approx(200.0)


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch", "dask"])
def test_cpu_keeps_the_unit_and_the_values(backend: str) -> None:
    pytest.importorskip(backend)
    from polyunit.convert import convert_array

    q = u.Quantity(convert_array(np.array([1.0, 2.0]), backend), unit=u.volt)
    moved = q.cpu()
    assert moved.unit == u.volt and moved.backend == backend
    np.testing.assert_allclose(moved.to_numpy().mantissa, [1.0, 2.0])
    if backend == "jax":
        import jax

        assert moved.mantissa.devices() == {jax.devices("cpu")[0]}


@pytest.mark.parametrize("backend", ["numpy", "jax", "torch", "dask", "ndonnx"])
def test_einsum_options(backend: str) -> None:
    pytest.importorskip(backend)
    from polyunit.convert import convert_array

    a = u.Quantity(convert_array(np.arange(6.0).reshape(2, 3), backend), unit=u.meter)
    r = u.math.einsum("ij,kj->ik", a, a, preferred_element_type=np.float32, optimize="greedy")
    assert r.unit == u.meter**2 and r.backend == backend
    assert np.dtype(str(r.to_numpy().mantissa.dtype)) == np.float32
    ref = np.arange(6.0).reshape(2, 3)
    np.testing.assert_allclose(r.to_numpy().mantissa, ref @ ref.T)
    if backend != "jax":
        with pytest.raises(u.BackendError, match="precision='highest' is a jax option"):
            u.math.einsum("ij->i", a, precision="highest")


def test_quantity_sort_takes_the_reference_parameters() -> None:
    q = u.Quantity(np.array([[3.0, 1.0], [0.0, 2.0]]), unit=u.mV)
    np.testing.assert_array_equal(q.sort().mantissa, [[1.0, 3.0], [0.0, 2.0]])
    np.testing.assert_array_equal(q.sort(0, stable=True).mantissa, [[0.0, 1.0], [3.0, 2.0]])
    assert q.sort(None).unit == u.mV and q.sort(None).shape == (4,)
