"""Unit: algebra, cached results, conversion factors, equality, display names, pickling."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from fractions import Fraction

import pytest

import polyunit as u
from polyunit.dimension import DIMENSIONLESS, get_or_create_dimension
from polyunit.unit import UNITLESS, Unit


# -- algebra ---------------------------------------------------------------------------------
def test_multiply_units() -> None:
    ms = u.meter * u.second
    assert isinstance(ms, Unit)
    assert ms.dim is get_or_create_dimension(m=1, s=1)
    assert ms.magnitude == 1.0


def test_divide_units() -> None:
    speed = u.meter / u.second
    assert isinstance(speed, Unit)
    assert speed.dim is get_or_create_dimension(m=1, s=-1)


def test_scales_multiply() -> None:
    assert math.isclose((u.mmeter * u.mmeter).magnitude, 1e-6)
    assert math.isclose((u.mV / u.ms).magnitude, 1.0)
    assert (u.mV / u.ms).dim is (u.volt / u.second).dim


def test_int_power() -> None:
    sq = u.meter**2
    assert sq.dim is get_or_create_dimension(m=2)
    assert (u.mmeter**3).dim is get_or_create_dimension(m=3)
    assert math.isclose((u.mmeter**3).magnitude, 1e-9)
    assert (u.meter**-1).dim is get_or_create_dimension(m=-1)
    assert u.meter**1 is u.meter


def test_float_power() -> None:
    root = u.meter**0.5
    assert root.dim.get_dimension("m") == Fraction(1, 2)
    assert math.isclose((u.mmeter**0.5).magnitude, math.sqrt(1e-3))


def test_fraction_power() -> None:
    cube_root = (u.meter**3) ** Fraction(1, 3)
    assert cube_root == u.meter
    assert (u.meter ** Fraction(2, 3)).dim.get_dimension("m") == Fraction(2, 3)


def test_power_zero_is_dimensionless() -> None:
    z = u.volt**0
    assert z.dim is DIMENSIONLESS
    assert z == UNITLESS


def test_reciprocal() -> None:
    assert u.second.reciprocal() == u.second**-1
    assert (u.second.reciprocal()).dim is get_or_create_dimension(s=-1)


def test_bool_and_non_finite_exponents_are_rejected() -> None:
    with pytest.raises(TypeError):
        u.meter**True  # noqa: B015
    with pytest.raises(ValueError):
        u.meter ** float("nan")  # noqa: B015


# -- cached algebra returns identical objects -------------------------------------------------
def test_algebra_is_cached() -> None:
    assert u.meter * u.second is u.meter * u.second
    assert u.meter / u.second is u.meter / u.second
    assert u.meter**2 is u.meter**2
    assert u.meter**0.5 is u.meter**0.5
    assert u.mV.factor_to(u.volt) == u.mV.factor_to(u.volt)


def test_equivalent_spellings_share_one_object() -> None:
    assert u.meter * u.meter is u.meter**2
    assert u.meter**0.5 is u.meter ** Fraction(1, 2)


def test_a_product_that_cancels_is_the_plain_unit() -> None:
    # The catalog's speed_unit is displayed "m / s" too; it must not stand in for m * s^-1,
    # or the seconds could not cancel (and `+` would take the slow, converting path).
    assert u.meter / u.second * u.second is u.meter
    assert (u.meter / u.second * u.second).dispname == "m"
    assert u.speed_unit * u.second == u.meter


# -- conversion factors ----------------------------------------------------------------------
def test_factor_mv_to_v() -> None:
    assert u.mV.factor_to(u.volt) == pytest.approx(1e-3, rel=1e-15)
    assert u.volt.factor_to(u.mV) == pytest.approx(1e3, rel=1e-15)


def test_factor_mm_to_m() -> None:
    assert u.mmeter.factor_to(u.meter) == pytest.approx(1e-3, rel=1e-15)
    assert u.meter.factor_to(u.meter) == 1.0


def test_factor_km_to_m() -> None:
    assert u.kmeter.factor_to(u.meter) == pytest.approx(1e3, rel=1e-15)
    assert u.meter.factor_to(u.kmeter) == pytest.approx(1e-3, rel=1e-15)
    assert u.kmeter.factor_to(u.mmeter) == pytest.approx(1e6, rel=1e-15)


def test_factor_of_composites() -> None:
    assert (u.mmeter**2).factor_to(u.meter**2) == pytest.approx(1e-6, rel=1e-15)
    assert (u.mV / u.ms).factor_to(u.volt / u.second) == pytest.approx(1.0, rel=1e-15)


def test_conversion_across_dimensions_names_both_units() -> None:
    with pytest.raises(u.DimensionMismatchError) as info:
        u.mV.factor_to(u.ms)
    msg = str(info.value)
    assert "mV" in msg
    assert "ms" in msg


def test_conversion_across_dimensions_is_a_type_error() -> None:
    # DimensionMismatchError is part of the public hierarchy; catching TypeError keeps working.
    with pytest.raises(TypeError):
        u.meter.factor_to(u.second)


# -- equality and hashing --------------------------------------------------------------------
def test_units_with_same_dimension_and_scale_are_equal() -> None:
    alias = Unit.create(u.volt.dim, "millivolt_alias", "mV_alias", scale=-3)
    assert alias == u.mV
    assert hash(alias) == hash(u.mV)
    assert {u.mV: 1}[alias] == 1
    assert alias != u.volt


def test_units_with_different_dimension_or_scale_differ() -> None:
    assert u.meter != u.second
    assert u.meter != u.mmeter
    assert not (u.meter == u.mmeter)
    assert u.meter != "m"
    assert u.meter != 1


def test_composites_compare_by_value() -> None:
    assert u.mV / u.mV == UNITLESS
    assert (u.meter / u.second) * u.second == u.meter
    assert u.mmeter * u.kmeter == u.meter**2
    assert hash(u.mmeter * u.kmeter) == hash(u.meter**2)


# -- display names ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "text"),
    [
        (lambda: u.meter / u.second, "m / s"),
        (lambda: u.meter**2, "m^2"),
        (lambda: u.meter * u.meter, "m^2"),
        (lambda: u.meter / u.second**2, "m / s^2"),
        (lambda: u.meter**-1, "1 / m"),
        (lambda: u.meter**0.5, "m^(1/2)"),
        (lambda: u.mV / u.ms, "mV / ms"),
    ],
)
def test_dispname_of_composites(make, text: str) -> None:  # type: ignore[no-untyped-def]
    unit = make()
    assert unit.dispname == text
    assert str(unit) == text


def test_repr() -> None:
    assert repr(u.meter / u.second) == 'Unit("m / s")'
    assert repr(u.meter) == 'Unit("m")'


def test_catalog_dispnames() -> None:
    assert str(u.meter) == "m"
    assert str(u.mV) == "mV"
    assert str(u.ms) == "ms"
    assert str(u.kmeter) == "km"
    assert str(u.cmeter3) == "cm^3"
    assert str(u.hertz) == "Hz"
    assert str(u.joule) == "J"


def test_catalog_dimensions() -> None:
    assert u.hertz == u.second**-1
    assert u.joule.dim is get_or_create_dimension(m=2, kg=1, s=-2)
    assert u.cmeter3.factor_to(u.meter**3) == pytest.approx(1e-6, rel=1e-12)


# -- pickling --------------------------------------------------------------------------------
PICKLED = [
    lambda: u.mV,
    lambda: u.meter / u.second,
    lambda: u.meter**0.5,
    lambda: u.mmeter**2,
    lambda: UNITLESS,
]


@pytest.mark.parametrize("make", PICKLED)
def test_pickle_round_trip(make) -> None:  # type: ignore[no-untyped-def]
    unit = make()
    back = pickle.loads(pickle.dumps(unit))
    assert back == unit
    assert back.dim is unit.dim
    assert back.dispname == unit.dispname
    assert back.magnitude == unit.magnitude


def test_pickle_round_trip_of_catalog_unit_is_identical() -> None:
    assert pickle.loads(pickle.dumps(u.mV)) is u.mV
    assert pickle.loads(pickle.dumps(UNITLESS)) is UNITLESS


_CHILD = """
import pickle, sys
import polyunit as u
from fractions import Fraction
got = pickle.loads(sys.stdin.buffer.read())
want = [u.mV, u.meter / u.second, u.meter ** 0.5, u.mmeter ** 2, u.UNITLESS]
assert len(got) == len(want), (got, want)
for g, w in zip(got, want):
    assert g == w, (g, w)
    assert g.dim is w.dim, (g.dim, w.dim)
    assert str(g) == str(w), (str(g), str(w))
    assert g.magnitude == w.magnitude, (g.magnitude, w.magnitude)
print("ok", len(got))
"""


def test_unpickled_in_a_fresh_process_equals() -> None:
    payload = pickle.dumps([make() for make in PICKLED])
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], input=payload, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().strip() == f"ok {len(PICKLED)}"


# -- UNITLESS --------------------------------------------------------------------------------
def test_unitless() -> None:
    assert u.UNITLESS is UNITLESS
    assert UNITLESS.is_unitless
    assert UNITLESS.is_dimensionless
    assert UNITLESS.dim is DIMENSIONLESS
    assert UNITLESS.magnitude == 1.0
    assert str(UNITLESS) == "1"


def test_unitless_is_neutral() -> None:
    assert UNITLESS * u.meter == u.meter
    assert u.meter * UNITLESS == u.meter
    assert u.meter / u.meter == UNITLESS
    assert (u.meter / u.meter).is_unitless


def test_scaled_dimensionless_is_not_unitless() -> None:
    ratio = u.mV / u.volt
    assert ratio.is_dimensionless
    assert not ratio.is_unitless
    assert ratio != UNITLESS
    assert ratio.magnitude == pytest.approx(1e-3)


def test_scale_is_the_exponent_and_magnitude_the_size() -> None:
    """The reference's meaning: scale is the decimal exponent, factor the rest, magnitude both."""
    assert (u.mV.scale, u.mV.factor, u.mV.magnitude) == (-3, 1.0, 0.001)
    assert (u.mV * u.mV).scale == -6
    assert u.inch.factor * 10.0**u.inch.scale == pytest.approx(0.0254, rel=1e-15)
    assert isinstance(u.inch.factor, float)


def test_constructor_takes_the_reference_parameters() -> None:
    thousand_m = Unit(u.meter.dim, 0, 10.0, 1000.0, dispname="1000 m")
    assert thousand_m == u.kmeter and hash(thousand_m) == hash(u.kmeter)
    assert (thousand_m.scale, thousand_m.factor) == (0, 1000.0)  # as declared
    kibi = Unit(u.meter.dim, 10, 2, name="kibimetre", dispname="Kim")  # base 2: folded in
    assert kibi.magnitude == 1024.0 and kibi.base == 10.0
    assert Unit() == UNITLESS
    made = Unit.create(u.meter.dim, "twokm", "2km", 3, 10.0, 2.0)
    assert made.magnitude == 2000.0
