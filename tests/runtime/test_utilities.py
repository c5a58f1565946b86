"""Top-level helpers of the reference API (polyunit/utilities.py) and the constant aliases."""

from __future__ import annotations

import numpy as np
import pytest

import polyunit as u


def test_parse_unit() -> None:
    assert u.parse_unit("km/h") == u.kmeter / u.hour
    assert u.parse_unit("kg*m**2/s^2") == u.joule
    assert u.parse_unit("1/s") == u.second**-1
    assert u.parse_unit("meter^(1/2)").dim == (u.meter**0.5).dim
    assert u.parse_unit("") is u.UNITLESS
    with pytest.raises(ValueError, match="unknown unit 'furlongs'"):
        u.parse_unit("furlongs")
    with pytest.raises(ValueError, match="number other than 1"):
        u.parse_unit("3*m")
    with pytest.raises(ValueError, match="cannot parse"):
        u.parse_unit("m +")


def test_add_standard_unit_makes_a_unit_parseable() -> None:
    smoot = u.Unit.create(u.meter.dim, name="smoot", dispname="smoot", scale=0, factor=1)
    with pytest.raises(ValueError):
        u.parse_unit("smoot")
    u.add_standard_unit(smoot)
    assert u.parse_unit("smoot/s") == smoot / u.second
    with pytest.raises(TypeError):
        u.add_standard_unit("smoot")  # type: ignore[arg-type]


def test_comparisons_between_values() -> None:
    a = u.Quantity(np.array([1.0]), u.meter)
    b = u.Quantity(np.array([1.0]), u.cmeter)
    assert u.have_same_dim(a, b) and u.have_same_dim(a, u.meter) and u.have_same_dim(a, a.dim)
    assert not u.have_same_dim(a, 1.0)
    assert u.has_same_unit(a, a) and not u.has_same_unit(a, b)
    assert u.has_same_unit(1.0, np.ones(2))
    assert u.is_unit_equal_math(u.kmeter, u.Unit(u.meter.dim, 3, dispname="1000 m"))
    assert not u.is_unit_equal_math(u.kmeter, u.meter)


def test_split_scalar_display() -> None:
    a = u.Quantity(np.array([2.0]), u.second)
    m, unit = u.split_mantissa_unit(a)
    assert unit == u.second and m is a.mantissa
    assert u.split_mantissa_unit(3.0) == (3.0, u.UNITLESS)
    assert u.is_scalar_type(3.0) and u.is_scalar_type(np.float64(1.0))
    assert u.is_scalar_type(u.Quantity(np.array(2.0), u.meter))
    assert not u.is_scalar_type(np.ones(2))
    assert u.get_dim_for_display(u.UNITLESS) == "1"
    assert u.get_dim_for_display(a) == str(u.second.dim)


def test_unit_scale_align_to_first() -> None:
    a = u.Quantity(np.array([1.0]), u.meter)
    b = u.Quantity(np.array([50.0]), u.cmeter)
    aligned = u.unit_scale_align_to_first(a, b)
    assert [q.unit for q in aligned] == [u.meter, u.meter]
    np.testing.assert_allclose(np.asarray(aligned[1].mantissa), [0.5])
    with pytest.raises(u.DimensionMismatchError, match="first argument"):
        u.unit_scale_align_to_first(a, u.Quantity(np.array([1.0]), u.second))
    assert u.unit_scale_align_to_first() == []


def test_array_with_unit() -> None:
    q = u.array_with_unit(np.array([1, 2]), u.volt, dtype=np.float32)
    assert q.unit == u.volt and q.mantissa.dtype == np.float32


def test_assign_units() -> None:
    @u.assign_units(distance=u.meter, time=u.second, result=u.meter / u.second)
    def speed(distance: float, time: float) -> float:
        assert not isinstance(distance, u.Quantity)
        return distance / time

    got = speed(u.Quantity(np.array(150.0), u.cmeter), time=u.Quantity(np.array(3.0), u.second))
    assert got.unit == u.meter / u.second
    np.testing.assert_allclose(np.asarray(got.mantissa), 0.5)
    with pytest.raises(u.DimensionMismatchError, match="'distance'"):
        speed(1.5, u.Quantity(np.array(3.0), u.second))
    with pytest.raises(u.DimensionMismatchError):
        speed(u.Quantity(np.array(1.0), u.second), u.Quantity(np.array(3.0), u.second))


def test_temperature_scales() -> None:
    k = u.celsius2kelvin(np.array([0.0, 100.0]))
    assert k.unit == u.kelvin
    np.testing.assert_allclose(np.asarray(k.mantissa), [273.15, 373.15])
    np.testing.assert_allclose(u.kelvin2celsius(k), [0.0, 100.0])
    f = u.fahrenheit2kelvin(np.array([32.0, 212.0]))
    np.testing.assert_allclose(np.asarray(f.mantissa), [273.15, 373.15])
    np.testing.assert_allclose(u.kelvin2fahrenheit(f), [32.0, 212.0])
    with pytest.raises(TypeError, match="offset"):
        u.celsius2kelvin(u.Quantity(np.array(1.0), u.kelvin))
    with pytest.raises(u.DimensionMismatchError, match="temperature"):
        u.kelvin2celsius(u.Quantity(np.array(1.0), u.meter))


def test_custom_arrays() -> None:
    class Wrapped(u.CustomArray):
        pass

    w = Wrapped(np.ones(2))
    assert u.maybe_custom_array(w) is w.data
    assert u.maybe_custom_array(3) == 3
    tree = u.maybe_custom_array_tree({"a": [w, (w, 1)]})
    assert tree["a"][0] is w.data and tree["a"][1][0] is w.data and tree["a"][1][1] == 1


def test_matplotlib_bridge() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    u.enable_matplotlib_support()
    fig, ax = plt.subplots()
    ax.plot(
        u.Quantity(np.array([1.0, 2.0]), u.meter), u.Quantity(np.array([100.0, 200.0]), u.cmeter)
    )
    assert ax.xaxis.get_label().get_text() == "m"
    plt.close(fig)


def test_constants_and_namespaces() -> None:
    assert u.boltzmann_constant is u.boltzmann
    assert u.avogadro_constant is u.avogadro and u.gas_constant is u.gas
    assert u.constants.boltzmann is u.boltzmann
    assert u.__version_info__ == tuple(int(p) for p in u.__version__.split("."))
    assert u.typing.QuantityLike is not None
