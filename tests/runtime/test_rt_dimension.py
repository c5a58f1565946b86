"""Dimension: interned, exact rational exponents, text, lookup by symbol or name, pickling."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest

import polyunit as u
from polyunit.dimension import DIMENSIONLESS, Dimension, get_or_create_dimension

LENGTH = (1, 0, 0, 0, 0, 0, 0)


# -- interning ------------------------------------------------------------------------------
def test_equal_exponents_give_the_same_object() -> None:
    a = Dimension(*LENGTH)
    b = Dimension(1, 0, 0, 0, 0, 0, 0)
    assert a is b


def test_int_and_fraction_exponents_intern_together() -> None:
    a = Dimension(Fraction(2, 2), 0, 0, 0, 0, 0, 0)
    assert a is Dimension(*LENGTH)
    assert a is u.meter.dim


def test_algebra_results_are_interned() -> None:
    speed = u.meter.dim / u.second.dim
    assert speed is Dimension(1, 0, -1, 0, 0, 0, 0)
    assert u.meter.dim * u.meter.dim is u.meter.dim**2
    assert (u.meter.dim / u.meter.dim) is DIMENSIONLESS
    assert u.get_or_create_dimension(0, 0, 0, 0, 0, 0, 0) is u.DIMENSIONLESS


def test_distinct_exponents_are_distinct() -> None:
    assert Dimension(1, 0, 0, 0, 0, 0, 0) is not Dimension(0, 0, 1, 0, 0, 0, 0)
    assert Dimension(1, 0, 0, 0, 0, 0, 0) != Dimension(0, 0, 1, 0, 0, 0, 0)


def test_hash_and_dict_key() -> None:
    table = {u.meter.dim: "length"}
    assert table[Dimension(*LENGTH)] == "length"
    assert hash(Dimension(*LENGTH)) == hash(u.mmeter.dim)


def test_wrong_number_of_exponents_is_rejected() -> None:
    with pytest.raises(ValueError, match="7"):
        Dimension(1, 0, 0)


# -- exact exponents ------------------------------------------------------------------------
def test_exponents_are_fractions() -> None:
    d = (u.meter**0.5).dim
    assert all(isinstance(e, Fraction) for e in d.exponents)
    assert d.get_dimension("m") == Fraction(1, 2)
    assert d.get_dimension(0) == Fraction(1, 2)


def test_float_power_and_its_float_inverse_give_back_metre() -> None:
    # The reference keeps float exponents, so this makes a false mismatch; exact rationals must not.
    back = (u.meter**0.89) ** (1 / 0.89)
    assert back.dim is u.meter.dim
    assert back == u.meter


@pytest.mark.parametrize("p", [0.5, 0.25, 0.89, 1 / 3, 2 / 3, 1.5, 0.1])
def test_float_power_round_trip_is_exact(p: float) -> None:
    assert ((u.meter**p) ** (1 / p)).dim is u.meter.dim


def test_fraction_power_round_trip_is_exact() -> None:
    third = (u.meter**3) ** Fraction(1, 3)
    assert third.dim is u.meter.dim
    assert ((u.meter ** Fraction(89, 100)) ** Fraction(100, 89)) == u.meter


def test_sqrt_exponent_is_exactly_one_half() -> None:
    assert (u.meter**0.5).dim.get_dimension("m") == Fraction(1, 2)
    assert ((u.meter**0.5) ** 2).dim is u.meter.dim


def test_dimension_power_by_fraction() -> None:
    d = Dimension(2, 0, -4, 0, 0, 0, 0) ** Fraction(1, 2)
    assert d is Dimension(1, 0, -2, 0, 0, 0, 0)


# -- text ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("dim", "text"),
    [
        (Dimension(1, 0, 0, 0, 0, 0, 0), "m"),
        (Dimension(1, 0, -2, 0, 0, 0, 0), "m s^-2"),
        (Dimension(2, 1, -3, -1, 0, 0, 0), "m^2 kg s^-3 A^-1"),
        (Dimension(0, 0, 0, 0, 0, 0, 0), "1"),
        (Dimension(Fraction(1, 2), 0, 0, 0, 0, 0, 0), "m^(1/2)"),
        (Dimension(0, 0, 0, 0, 1, -1, 1), "K mol^-1 cd"),
    ],
)
def test_str(dim: Dimension, text: str) -> None:
    assert str(dim) == text


def test_volt_dimension_text() -> None:
    assert str(u.volt.dim) == "m^2 kg s^-3 A^-1"
    assert str(u.mV.dim) == str(u.volt.dim)


def test_is_dimensionless() -> None:
    assert DIMENSIONLESS.is_dimensionless
    assert (u.mV / u.volt).dim.is_dimensionless
    assert not u.meter.dim.is_dimensionless


# -- get_or_create_dimension -----------------------------------------------------------------
def test_get_or_create_by_symbol() -> None:
    assert get_or_create_dimension(m=1, s=-1) is (u.meter / u.second).dim
    assert get_or_create_dimension(m=2, kg=1, s=-3, A=-1) is u.volt.dim


def test_get_or_create_by_name() -> None:
    assert get_or_create_dimension(length=1, time=-1) is (u.meter / u.second).dim
    assert get_or_create_dimension(length=2, mass=1, time=-3, electric_current=-1) is u.volt.dim


def test_get_or_create_positional_and_fraction() -> None:
    assert get_or_create_dimension(1, 0, 0, 0, 0, 0, 0) is u.meter.dim
    assert get_or_create_dimension(m=Fraction(1, 2)) is (u.meter**0.5).dim


def test_get_or_create_is_exported_at_top_level() -> None:
    assert u.get_or_create_dimension is get_or_create_dimension
    assert u.Dimension is Dimension


def test_get_or_create_unknown_name_is_rejected() -> None:
    with pytest.raises(ValueError, match="furlong"):
        get_or_create_dimension(furlong=1)


def test_get_or_create_rejects_both_forms() -> None:
    with pytest.raises(TypeError):
        get_or_create_dimension(1, 0, 0, 0, 0, 0, 0, m=1)


# -- pickling --------------------------------------------------------------------------------
@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trip_keeps_identity(protocol: int) -> None:
    for d in (u.meter.dim, u.volt.dim, DIMENSIONLESS, (u.meter ** Fraction(1, 3)).dim):
        assert pickle.loads(pickle.dumps(d, protocol=protocol)) is d


def test_pickle_of_a_new_dimension_is_interned() -> None:
    d = Dimension(0, 0, 0, 0, Fraction(7, 3), 0, 0)
    payload = pickle.dumps(d)
    assert pickle.loads(payload) is Dimension(0, 0, 0, 0, Fraction(7, 3), 0, 0)
