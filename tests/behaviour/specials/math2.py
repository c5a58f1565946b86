"""SPECIAL entries of polyunit.math part 2: activations, bit-wise ops, functions of
dimensionless numbers, statistics (cov, corrcoef, correlate) and logic / index ops.

The references are numpy formulas written out here (numpy has no activation functions)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import polyunit as u
from tests.behaviour.opcases import SIGNED, XNAN, ZEROS, ZEROS2, Special, X, Y, Z

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def _relu6(x: Any) -> Any:
    return np.minimum(np.maximum(x, 0.0), 6.0)


def _elu(x: Any, alpha: float = 1.0) -> Any:
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def _gelu(x: Any, approximate: bool = True) -> Any:
    if approximate:
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _glu(x: Any, axis: int = -1) -> Any:
    a, b = np.split(x, 2, axis=axis)
    return a * _sigmoid(b)


def _act(ref: Any, **more: Any) -> Special:
    """An activation on signed data (both branches of every kink)."""
    return Special(data={"x": SIGNED}, ref=ref, rtol=1e-6, **more)


_EVEN = np.vstack([SIGNED, Y[:1] * 4.0 - 2.0])  # 4 x 4: both axes split in halves

# integers for the bit-wise ops, given as plain arrays (a scale cannot be folded into integers)
_INTS = np.array([[3, 12, 7, 255], [1, 0, 96, 17], [40, 5, 6, 1023]])
_SHIFTS = np.array([[1, 2, 0, 3], [4, 1, 2, 0], [0, 3, 1, 2]])


def _bits(name: str) -> Special:
    # the expectation folds a scale of 1.0 into the operands (floats): back to integers
    fn = getattr(np, name)
    if name in ("bitwise_not", "invert"):
        return Special(data={"x": _INTS}, units={"x": None}, ref=lambda x: fn(x.astype(int)))
    return Special(
        data={"x": _INTS, "y": _SHIFTS},
        units={"x": None, "y": None},
        ref=lambda x, y: fn(x.astype(int), y.astype(int)),
    )


_IN_MM = {"unit_to_scale": {"unit_to_scale": u.mmeter}}


def _read_in(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[list[Any], Any]:
    """The operands read in one unit: `unit_to_scale` when given (a plain result), else the
    unit of the first (the result's unit)."""
    target = plain.get("unit_to_scale") or units[names[0]]
    values = [m[n] * (units[n].magnitude / target.magnitude) for n in names]
    return values, (None if plain.get("unit_to_scale") else target)


def _cov_expect(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> Any:
    """rules.yaml custom cov: y in the unit of m; the matrix in unit(m) ** 2 (plain when read
    in unit_to_scale)."""
    (a, y), unit = _read_in(m, units, names, plain)
    ref = np.cov(a, y, fweights=m["fweights"], aweights=m["aweights"])
    return ref, None if unit is None else unit**2


def _hypot_expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    (x, y), unit = _read_in(m, units, names, plain)
    return np.hypot(x, y), unit


def _arctan2_expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    (x, y), _ = _read_in(m, units, names, plain)
    return np.arctan2(x, y), None


def _ldexp_expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    (x,), unit = _read_in(m, units, names, plain)
    return np.ldexp(x, m["y"].astype(int)), unit


def _angle_expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    return np.angle(m["x"], deg=plain.get("deg", False)), None


def _correlate_expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    mode = plain.get("mode", "valid")
    if plain.get("unit_to_scale"):
        (a, v), _ = _read_in(m, units, names, plain)
        return np.correlate(a, v, mode=mode), None
    return np.correlate(m["a"], m["v"], mode=mode), units["a"] * units["v"]


def _sized(r: Any, size: int | None, fill_value: int | None) -> Any:
    if size is None:
        return r
    if len(r) >= size:
        return r[:size]
    pad = np.full((size - len(r), *r.shape[1:]), 0 if fill_value is None else fill_value)
    return np.concatenate([r, pad])


def _close_pair(x: Any) -> Any:
    # equal, within 1e-9, and 1e-3 apart: isclose is True, True, False ...
    return x + np.array([[0.0, 1e-9, 1e-3, 0.0], [1e-9, 0.0, 0.0, 2e-3], [0.0, 0.0, 1e-9, 0.0]])


_CLOSE = {"x": X, "y": _close_pair(X), "atol": np.array(1e-6)}


def _bincount(x: Any, weights: Any, minlength: int = 0, length: int | None = None) -> Any:
    r = np.bincount(x, weights, minlength=minlength if length is None else length)
    return r if length is None else r[:length]


SPECIAL: dict[str, Special] = {
    # -- activations ------------------------------------------------------------------------
    "celu": _act(
        lambda x, alpha=1.0: np.maximum(x, 0) + np.minimum(alpha * np.expm1(x / alpha), 0),
        variants={"alpha2": {"alpha": 2.0}},
    ),
    "elu": _act(_elu, variants={"alpha05": {"alpha": 0.5}}),
    "gelu": _act(_gelu, variants={"exact": {"approximate": False}}),
    "glu": Special(data={"x": _EVEN}, ref=_glu, rtol=1e-6),
    "hard_sigmoid": _act(lambda x: _relu6(x + 3.0) / 6.0),
    "hard_silu": _act(lambda x: x * _relu6(x + 3.0) / 6.0),
    "hard_swish": _act(lambda x: x * _relu6(x + 3.0) / 6.0),
    "hard_tanh": _act(lambda x: np.clip(x, -1.0, 1.0)),
    "leaky_relu": _act(
        lambda x, negative_slope=0.01: np.where(x >= 0, x, negative_slope * x),
        variants={"slope02": {"negative_slope": 0.2}},
    ),
    "log_sigmoid": _act(lambda x: -np.log1p(np.exp(-x))),
    "mish": _act(lambda x: x * np.tanh(np.log1p(np.exp(x)))),
    "relu": _act(lambda x: np.maximum(x, 0.0)),
    "relu6": Special(data={"x": SIGNED * 3.0}, ref=_relu6, rtol=1e-6),
    "selu": _act(lambda x: SELU_SCALE * _elu(x, SELU_ALPHA)),
    "sigmoid": _act(_sigmoid),
    "silu": _act(lambda x: x * _sigmoid(x)),
    "soft_sign": _act(lambda x: x / (np.abs(x) + 1.0)),
    "softplus": _act(lambda x: np.log1p(np.exp(x))),
    "sparse_plus": _act(
        lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    ),
    "sparse_sigmoid": _act(lambda x: np.clip((x + 1) / 2, 0.0, 1.0)),
    "squareplus": _act(lambda x, b=4: (x + np.sqrt(x * x + b)) / 2, variants={"b1": {"b": 1.0}}),
    "swish": _act(lambda x: x * _sigmoid(x)),
    # -- bit-wise -------------------------------------------------------------------------------
    "bitwise_and": _bits("bitwise_and"),
    "bitwise_or": _bits("bitwise_or"),
    "bitwise_xor": _bits("bitwise_xor"),
    "left_shift": _bits("left_shift"),
    "right_shift": _bits("right_shift"),
    "bitwise_not": _bits("bitwise_not"),
    "invert": _bits("invert"),
    # -- functions of dimensionless numbers and statistics ------------------------------------
    "angle": Special(
        data={"x": X - 0.5 + 1j * (Y - 0.5)},
        custom=_angle_expect,
        variants={
            "deg": {"deg": True},
            "real": {"data": {"x": SIGNED}},
            "unit_to_scale": {"unit_to_scale": u.mmeter},
        },
    ),
    "hypot": Special(custom=_hypot_expect, variants=_IN_MM),
    "arctan2": Special(custom=_arctan2_expect, variants=_IN_MM),
    "exprel": Special(
        data={"x": np.where(ZEROS == 0, 0.0, SIGNED)},
        ref=lambda x: np.where(x == 0, 1.0, np.expm1(x) / np.where(x == 0, 1.0, x)),
    ),
    "frexp": Special(data={"x": SIGNED * 40.0}),
    "ldexp": Special(data={"y": _SHIFTS - 1}, custom=_ldexp_expect, variants=_IN_MM),
    "corrcoef": Special(
        data={"x": X, "y": Y[:2]},
        grad_skip=(
            "at the sample's mantissas (1e-4, from the m/mm unit) torch.corrcoef itself fails "
            "gradcheck's tolerance (ill-conditioned central differences); it passes at scale 1"
        ),
        variants={"rowvar": {"rowvar": False, "data": {"x": X.T, "y": Y[:2].T}}},
    ),
    "correlate": Special(
        data={"a": X[0], "v": Y[1, :3]},
        custom=_correlate_expect,
        variants={"same": {"mode": "same"}, "full": {"mode": "full"}, **_IN_MM},
    ),
    "cov": Special(
        data={
            "m": X,
            "y": Z[:2],
            "fweights": np.array([1, 2, 1, 3]),
            "aweights": np.array([0.5, 1.0, 2.0, 1.5]),
        },
        custom=_cov_expect,
        variants=_IN_MM,
    ),
    # -- logic and indices ---------------------------------------------------------------------
    "allclose": Special(
        data=_CLOSE,
        ref=lambda x, y, atol, **kw: np.allclose(x, y, atol=atol, **kw),
        variants={"equal": {"data": {"y": X}}},
    ),
    "isclose": Special(
        data=_CLOSE,
        ref=lambda x, y, atol, **kw: np.isclose(x, y, atol=atol, **kw),
        variants={
            "rtol": {"rtol": 1e-2},
            "nan": {"equal_nan": True, "data": {"x": XNAN, "y": XNAN}},
        },
    ),
    "alltrue": Special(
        data={"x": ZEROS, "where": X > 0.3}, ref=lambda x, where, **kw: np.all(x, where=where, **kw)
    ),
    "sometrue": Special(
        data={"x": ZEROS2 * ZEROS, "where": X > 0.3},
        ref=lambda x, where, **kw: np.any(x, where=where, **kw),
    ),
    "logical_not": Special(data={"x": ZEROS}),
    "array_equal": Special(
        data={"x": X, "y": X},
        variants={"differ": {"data": {"y": Y}}, "shape": {"data": {"y": X[:2]}}},
    ),
    "argwhere": Special(
        data={"a": ZEROS},
        ref=lambda a, size=None, fill_value=None: _sized(np.argwhere(a), size, fill_value),
        variants={"pad": {"size": 10, "fill_value": -1}, "cut": {"size": 3}},
    ),
    "flatnonzero": Special(
        data={"a": ZEROS},
        ref=lambda a, size=None, fill_value=None: _sized(np.flatnonzero(a), size, fill_value),
        variants={"pad": {"size": 10, "fill_value": -1}, "cut": {"size": 3}},
    ),
    "heaviside": Special(data={"x1": SIGNED * (ZEROS != 0), "x2": np.array(0.5)}),
    "bincount": Special(
        data={
            "x": np.array([0, 1, 1, 3, 2, 1, 7]),
            "weights": np.array([0.3, 0.5, 0.2, 0.7, 1.0, -0.6, 0.2]),
        },
        ref=_bincount,
        variants={"minlength": {"minlength": 10}, "length": {"length": 3}},
    ),
    "digitize": Special(
        data={
            "x": np.array([0.2, 6.4, 3.0, 1.6, 1.0]),
            "bins": np.array([0.0, 1.0, 2.5, 4.0, 10.0]),
        },
        variants={
            "right": {"right": True},
            "decreasing": {"data": {"bins": np.array([10.0, 4.0, 2.5, 1.0, 0.0])}},
        },
    ),
}
