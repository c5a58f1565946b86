"""SPECIAL entries of polyunit.math part 1: creation extras, counted products, joining and
splitting, selection, and the keep-unit helpers (spec/ops/grids, products, joining, selection,
keepunit)."""

from __future__ import annotations

from typing import Any

import numpy as np

import polyunit as u
from tests.behaviour.opcases import DIMLESS, SIGNED, XNAN, Special, X, Y

C = np.arange(24.0).reshape(2, 3, 4) / 10.0
SQUARE = X[:, :3]
VEC = np.array([0.1, 0.2, 0.3, 0.4])
_LIST = "a list result; the generic torch gradcheck takes one tensor"


def _scaled(m: dict[str, Any], units: dict[str, Any], name: str) -> Any:
    """The mantissa of operand `name` with a dimensionless unit's scale folded in."""
    unit = units.get(name)
    if unit is not None and unit.dim is u.DIMENSIONLESS:
        return m[name] * unit.magnitude, None
    return m[name], unit


def _in(m: dict[str, Any], units: dict[str, Any], name: str, target: str) -> Any:
    """Operand `name` expressed in the unit of operand `target`."""
    return m[name] * (units[name].magnitude / units[target].magnitude)


def _prod_expect(nan: bool) -> Any:
    def expect(
        m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
    ) -> tuple[Any, Any]:
        x, ux = _scaled(m, units, "x")
        axis, keepdims = plain.get("axis"), plain.get("keepdims", False)
        fn = np.nanprod if nan else np.prod
        ref = fn(x, axis=axis, keepdims=keepdims, initial=m["initial"], where=m["where"])
        if ux is None:
            return ref, None
        count = np.sum(~np.isnan(x), axis=axis) if nan else x.size // max(np.size(ref), 1)
        return ref, ux ** int(np.max(count))

    return expect


def _vander(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> tuple[Any, Any]:
    x, _ = _scaled(m, units, "x")
    kw = {k: plain[k] for k in ("N", "increasing") if k in plain}
    return np.vander(x, **kw), plain.get("unit")


def _trapezoid(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> tuple[Any, Any]:
    ref = np.trapezoid(m["y"], m["x"], axis=plain.get("axis", -1))
    return ref, units["y"] * units["x"]


def _average(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    returned = plain.get("returned", False)
    ref = np.average(
        m["x"],
        axis=plain.get("axis"),
        weights=m["weights"],
        returned=returned,
        keepdims=plain.get("keepdims", False),
    )
    # returned=True: (average, sum of the weights), the sum plain
    return [(ref[0], units["x"]), (ref[1], None)] if returned else (ref, units["x"])


def _copysign(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> tuple[Any, Any]:
    return np.copysign(m["x1"], m["x2"]), units["x1"]


def _interp(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> tuple[Any, Any]:
    ref = np.interp(
        m["x"],
        _in(m, units, "xp", "x"),
        m["fp"],
        left=_in(m, units, "left", "fp"),
        right=_in(m, units, "right", "fp"),
        period=_in(m, units, "period", "x"),
    )
    return ref, units["fp"]


def _histogram(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> tuple[Any, Any]:
    counts, edges = np.histogram(
        m["x"],
        bins=int(m["bins"]),
        range=tuple(_in(m, units, "range", "x")),
        weights=m["weights"],
        density=plain.get("density"),
    )
    return (counts, edges), units["x"]


def _sized(fn: Any) -> Any:
    """numpy's compress/extract with jax's size: cut, or padded with fill_value."""

    def ref(condition: Any, a: Any, fill_value: Any, axis: Any = None, size: Any = None) -> Any:
        r = fn(condition, a, axis=axis) if fn is np.compress else fn(condition, a)
        if size is None:
            return r
        front = np.moveaxis(r, axis or 0, 0)
        if front.shape[0] >= size:
            front = front[:size]
        else:
            pad = np.full((size - front.shape[0], *front.shape[1:]), fill_value)
            front = np.concatenate([front, pad])
        return np.moveaxis(front, 0, axis or 0)

    return ref


def _intersect1d(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    ar2 = _in(m, units, "ar2", "ar1")
    if plain.get("return_indices"):
        values, i1, i2 = np.intersect1d(m["ar1"], ar2, return_indices=True)
        return [(values, units["ar1"]), (i1, None), (i2, None)]
    return np.intersect1d(m["ar1"], ar2), units["ar1"]


def _unique(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    """The values in the unit of a, the index outputs plain; `size` pads the values with
    fill_value (converted to a's unit) and the counts with 0."""
    flags = {k: plain.get(k, False) for k in ("return_index", "return_inverse", "return_counts")}
    r = np.unique(m["a"], axis=plain.get("axis"), **flags)
    parts = list(r) if any(flags.values()) else [r]
    size = plain.get("size")
    if size is not None:
        fill = _in(m, units, "fill_value", "a")
        parts[0] = np.concatenate([parts[0], np.full(size - len(parts[0]), fill)])
        parts[1:] = [np.concatenate([p, np.zeros(size - len(p), p.dtype)]) for p in parts[1:]]
    if len(parts) == 1:
        return parts[0], units["a"]
    return [(parts[0], units["a"])] + [(p, None) for p in parts[1:]]


def _fill_diagonal(a: Any, val: Any, wrap: bool = False, inplace: bool = False) -> Any:
    out = np.array(a, copy=True)
    np.fill_diagonal(out, val, wrap=wrap)
    return out


def _nan_to_num(x: Any, nan: Any, posinf: Any, neginf: Any) -> Any:
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def _flatten(x: Any, start_axis: int | None = None, end_axis: int | None = None) -> Any:
    start = 0 if start_axis is None else start_axis % x.ndim
    end = x.ndim - 1 if end_axis is None else end_axis % x.ndim
    return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1 :])


def _unflatten(x: Any, axis: int, sizes: Any) -> Any:
    return x.reshape(x.shape[:axis] + tuple(sizes) + x.shape[axis + 1 :])


def _remove_diag(x: Any) -> Any:
    return x[~np.eye(x.shape[0], dtype=bool)].reshape(x.shape[0], x.shape[0] - 1)


def _int_pair(fn: Any) -> Any:
    # the expectation converts x2 with a float factor (1.0); the values stay integers
    return lambda x1, x2: fn(np.asarray(x1).astype(np.int64), np.asarray(x2).astype(np.int64))


def _gather(input: Any, index: Any, dim: int) -> Any:
    return np.take_along_axis(input, index, axis=dim)


_PROD_DATA = {"initial": np.asarray(2.0), "where": np.asarray(True)}
_PROD = Special(data=_PROD_DATA, units={"initial": None}, custom=_prod_expect(False))

SPECIAL: dict[str, Special] = {
    # creation (spec/ops/grids.yaml)
    "arange": Special(
        data={"start": np.asarray(0.0), "stop": np.asarray(0.45), "step": np.asarray(0.125)}
    ),
    "fill_diagonal": Special(
        data={"a": X, "val": np.asarray(0.5)},
        ref=_fill_diagonal,
        variants={"wrap": {"wrap": True, "data": {"a": np.vstack([X.T, X.T])}}},
    ),
    "tril_indices_from": Special(variants={"k1": {"k": 1}}),
    "triu_indices_from": Special(variants={"k-1": {"k": -1}}),
    "vander": Special(
        data={"x": np.array([0.3, 0.5, 0.9])},
        units={"x": DIMLESS},
        custom=_vander,
        variants={"unit": {"unit": u.second, "N": 2, "increasing": True}},
    ),
    # products (spec/ops/products.yaml)
    "convolve": Special(
        data={"a": VEC, "v": np.array([1.0, 0.5, 2.0])},
        variants={"same": {"mode": "same"}, "valid": {"mode": "valid"}},
    ),
    "cumproduct": Special(ref=np.cumprod),
    "divmod": Special(data={"x": SIGNED, "y": Y + 0.5}),
    "multi_dot": Special(data={"arrays": [X, Y.T, X]}, ref=np.linalg.multi_dot),
    "nanprod": Special(
        data=_PROD_DATA,
        units={"initial": None},
        custom=_prod_expect(True),
        variants={"nan": {"data": {"x": XNAN}, "units": {"x": DIMLESS}}},
        grad_skip="the unit depends on the values (NaN count), checked outside autograd",
    ),
    "prod": _PROD,
    "product": _PROD,
    "trapezoid": Special(data={"dx": np.asarray(2.0)}, custom=_trapezoid),
    # joining and splitting (spec/ops/joining.yaml)
    "array_split": Special(
        kwargs={"indices_or_sections": 3},
        variants={"axis1": {"axis": 1, "indices_or_sections": [1, 3]}},
        grad_skip=_LIST,
    ),
    "concatenate": Special(variants={"flat": {"axis": None}}),
    "dsplit": Special(data={"a": C}, kwargs={"indices_or_sections": 2}, grad_skip=_LIST),
    "hsplit": Special(kwargs={"indices_or_sections": 2}, grad_skip=_LIST),
    "row_stack": Special(ref=np.vstack),
    "split": Special(
        kwargs={"indices_or_sections": 3},
        variants={"axis1": {"axis": 1, "indices_or_sections": [1, 3]}},
        grad_skip=_LIST,
    ),
    "vsplit": Special(kwargs={"indices_or_sections": 3}, grad_skip=_LIST),
    # selection (spec/ops/selection.yaml)
    "choose": Special(
        data={"a": np.array([[0, 1, 2, 0], [2, 1, 0, 1], [1, 1, 2, 0]])},
        variants={
            "clip": {
                "mode": "clip",
                "data": {"a": np.array([[0, 3, 2, 0], [2, 1, 0, 5], [1, 1, 2, 0]])},
            }
        },
    ),
    "compress": Special(
        data={"condition": np.array([True, False, True]), "fill_value": np.asarray(0.5)},
        ref=_sized(np.compress),
        # jax allows no size beyond the axis: 2 of 3 rows are selected, padded to 3
        variants={"longer": {"size": 3, "axis": 0}, "shorter": {"size": 1}},
    ),
    "extract": Special(
        data={"condition": X > Y, "fill_value": np.asarray(0.5)},
        ref=_sized(np.extract),
        variants={"longer": {"size": 9}, "shorter": {"size": 2}},
    ),
    "gather": Special(
        data={"index": np.array([[0, 0], [1, 0], [3, 2]])}, kwargs={"dim": 1}, ref=_gather
    ),
    "histogram": Special(
        data={
            "x": X,
            "bins": np.asarray(4),
            "range": np.array([0.1, 0.9]),
            "weights": Y,
        },
        units={"bins": None},
        custom=_histogram,
        variants={"density": {"density": True}},
    ),
    "interp": Special(
        data={
            "x": np.array([0.05, 0.15, 0.35, 0.58, 0.72]),
            "xp": np.array([0.0, 0.1, 0.3, 0.5]),
            "fp": np.array([1.0, 2.0, 0.0, 4.0]),
            "left": np.asarray(-1.0),
            "right": np.asarray(9.0),
            "period": np.asarray(0.6),
        },
        custom=_interp,
    ),
    "intersect1d": Special(
        data={"ar1": np.array([0.25, 0.5, 0.75, 0.5]), "ar2": np.array([50.0, 75.0, 125.0])},
        custom=_intersect1d,
        variants={"indices": {"return_indices": True}},
    ),
    "unique": Special(
        data={"a": np.array([0.5, 0.25, 0.5, 0.75]), "fill_value": np.asarray(10.0)},
        custom=_unique,
        variants={
            "all": {"return_index": True, "return_inverse": True, "return_counts": True},
            "size": {"size": 5, "return_counts": True},
        },
        refused={
            "axis0": {"ndonnx": "unique slices along an axis"},
            "all": {"ndonnx": "return_index, return_inverse and return_counts"},
            "size": {"ndonnx": "return_index, return_inverse and return_counts"},
        },
    ),
    # keep-unit helpers (spec/ops/keepunit.yaml)
    "average": Special(custom=_average, variants={"returned": {"returned": True, "axis": 1}}),
    "copysign": Special(data={"x2": SIGNED}, custom=_copysign),
    "flatten": Special(data={"x": C}, ref=_flatten, variants={"start1": {"start_axis": 1}}),
    "gcd": Special(
        data={"x1": np.array([4, 6, 9, 12]), "x2": np.array([6, 4, 6, 8])},
        units={"x2": u.meter},
        ref=_int_pair(np.gcd),
    ),
    "lcm": Special(
        data={"x1": np.array([4, 6, 9, 12]), "x2": np.array([6, 4, 6, 8])},
        units={"x2": u.meter},
        ref=_int_pair(np.lcm),
    ),
    "modf": Special(data={"x": SIGNED}),
    "nan_to_num": Special(
        data={
            "x": np.array([np.nan, np.inf, -np.inf, 0.5]),
            "nan": np.asarray(0.1),
            "posinf": np.asarray(0.2),
            "neginf": np.asarray(-0.3),
        },
        ref=_nan_to_num,
        grad_skip="the infinities of the sample have no derivative",
    ),
    "remove_diag": Special(data={"x": SQUARE}, ref=_remove_diag),
    "unflatten": Special(kwargs={"axis": 1, "sizes": (2, 2)}, ref=_unflatten),
}
