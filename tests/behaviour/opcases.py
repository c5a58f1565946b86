"""Spec-driven inputs and expectations for the behaviour tests of every op.

Everything generic is derived from the manifest: the parameters from `SIGNATURES` (parsed with
`ast`), the units the operands get and the unit the result must have from `RULES` (parsed with
`ast`). What cannot be derived (domains, shapes, required plain arguments, a numpy reference
that is not `getattr(np, op)`) is in ONE table, `SPECIAL`, below.

Data are written as physical values: an operand in centimetre holding the value 0.27 m has the
mantissa 27. The numpy reference is computed independently of polyunit: on the mantissas,
after the conversion the rule implies (ratios of `Unit.magnitude`, never `factor_to`).
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.util
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

import polyunit as u
from polyunit.backends import manifest

EAGER = ("numpy", "jax", "torch")
BACKENDS = ("numpy", "jax", "torch", "dask", "ndonnx", "cupy")
COMPUTES = ("native", "override")
REAL_ONLY = ("ndonnx",)  # no complex dtypes: complex inputs are given as their real part
# The library said it computed a float64 op in float32 (onnxruntime lacks some float64 kernels,
# ndonnx casts and warns): such results are checked at float32 precision.
LOSSY_WARNING = "lossy cast to 'float32'"
FLOAT32_RTOL = 1e-6


def _usable(name: str) -> bool:
    if importlib.util.find_spec(name) is None:
        return False
    if name != "cupy":
        return True
    try:  # cupy imports without a GPU; it computes only with one
        import cupy

        return bool(cupy.cuda.runtime.getDeviceCount())
    except Exception:
        return False


HAS = {name: _usable(name) for name in BACKENDS if name != "numpy"}
HAS["numpy"] = True

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

# Units by rule role. DIMLESS has scale 1000: a value v is stored as the mantissa v / 1000, so a
# backend that forgets to fold the scale in is off by a factor 1000.
DIMLESS = u.meter / u.mmeter
FIRST = u.meter
OTHERS = (u.cmeter, u.mmeter)  # second, third ... operand of consistent/compare
OTHER_DIM = u.second


# ---------------------------------------------------------------------------------------------
# Parsing the manifest
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Param:
    name: str
    type: str  # the annotation as written in the spec, e.g. "Quantity", "Axis | None"
    default: Any = MISSING

    @property
    def base(self) -> str:
        return self.type.split("|")[0].strip()

    @property
    def is_quantity(self) -> bool:
        return self.base == "Quantity"

    @property
    def is_array(self) -> bool:
        return self.base == "Array"

    @property
    def is_sequence(self) -> bool:
        """A `Quantities` parameter: a list of operands, tested as `name[0]`, `name[1]`, ..."""
        return self.base == "Quantities"

    @property
    def is_operand(self) -> bool:
        return self.is_quantity or self.is_array

    @property
    def is_unit(self) -> bool:
        return self.base == "Unit"


@dataclass(frozen=True)
class Signature:
    name: str
    params: tuple[Param, ...]
    returns: str

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)


@dataclass(frozen=True)
class Rule:
    kind: str
    args: tuple[str | Fraction, ...]
    keywords: Mapping[str, str]

    values: tuple[str, ...] = ()  # custom: plain parameters the function takes by value

    @property
    def operands(self) -> tuple[str, ...]:
        """The parameter names the rule applies to (custom: without the function name)."""
        names = [a for a in self.args if isinstance(a, str)]
        if self.kind == "custom":
            names = [n for n in names[1:] if n not in self.values]
        if self.kind == "create":
            names = []
        if self.kind in ("power", "like"):
            names = names[:1]
        return tuple(names)


def parse_signature(text: str) -> Signature:
    fn = ast.parse(f"def {text}: pass").body[0]
    assert isinstance(fn, ast.FunctionDef), text
    args = fn.args
    assert not args.posonlyargs and not args.vararg and not args.kwarg, text
    positional = list(args.args)
    defaults: list[Any] = [MISSING] * (len(positional) - len(args.defaults)) + [
        ast.literal_eval(d) for d in args.defaults
    ]
    params = [
        Param(a.arg, ast.unparse(a.annotation) if a.annotation else "", d)
        for a, d in zip(positional, defaults, strict=True)
    ]
    for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        params.append(
            Param(
                a.arg,
                ast.unparse(a.annotation) if a.annotation else "",
                MISSING if d is None else ast.literal_eval(d),
            )
        )
    returns = ast.unparse(fn.returns) if fn.returns is not None else ""
    return Signature(fn.name, tuple(params), returns)


def _rule_arg(node: ast.expr) -> str | Fraction:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _rule_arg(node.operand)
        assert isinstance(inner, Fraction)
        return -inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        n, d = _rule_arg(node.left), _rule_arg(node.right)
        assert isinstance(n, Fraction) and isinstance(d, Fraction)
        return n / d
    raise AssertionError(f"unexpected rule argument {ast.dump(node)}")


def parse_rule(text: str) -> Rule:
    call = ast.parse(text, mode="eval").body
    assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name), text
    keywords = {}
    for k in call.keywords:
        assert k.arg is not None and isinstance(k.value, ast.Name), text
        keywords[k.arg] = k.value.id
    return Rule(call.func.id, tuple(_rule_arg(a) for a in call.args), keywords)


SIGS: dict[str, Signature] = {op: parse_signature(manifest.SIGNATURES[op]) for op in manifest.OPS}
RULES: dict[str, Rule] = {op: parse_rule(manifest.RULES[op]) for op in manifest.OPS}
for _op, _rule in RULES.items():  # a custom function takes non-operand parameters by value
    if _rule.kind == "custom":
        _vals = tuple(
            a for a in _rule.args[1:] if isinstance(a, str) and not SIGS[_op].param(a).is_operand
        )
        RULES[_op] = Rule(_rule.kind, _rule.args, _rule.keywords, _vals)


# ---------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------
X = np.array([[0.31, 0.72, 0.15, 0.58], [0.94, 0.23, 0.47, 0.66], [0.12, 0.85, 0.39, 0.51]])
Y = np.array([[0.27, 0.81, 0.44, 0.13], [0.62, 0.35, 0.91, 0.08], [0.53, 0.19, 0.76, 0.48]])
Z = np.array([[0.55, 0.14, 0.93, 0.36], [0.21, 0.78, 0.05, 0.69], [0.87, 0.42, 0.64, 0.29]])
SIGNED = X * 7.3 - 3.1  # negatives and positives, no ties at .5
XNAN = X.copy()
XNAN[1, 2] = np.nan
ZEROS = np.array([[0.0, 0.72, 0.15, 0.0], [0.94, 0.0, 0.47, 0.66], [0.0, 0.85, 0.0, 0.51]])
ZEROS2 = np.array([[0.0, 0.0, 0.44, 0.13], [0.62, 0.35, 0.0, 0.0], [0.53, 0.0, 0.76, 0.0]])
COMPLEX = X + 1j * Y
DEFAULT_DATA = (X, Y, Z)


@dataclass(frozen=True)
class Special:
    """What the spec cannot say about an op: inputs in its domain, required plain arguments."""

    data: Mapping[str, Any] = field(default_factory=dict)  # operand -> physical values
    kwargs: Mapping[str, Any] = field(default_factory=dict)  # plain parameter -> value
    # variant name -> non-default plain arguments, plus "data" / "units" overriding operands
    variants: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    ref: Callable[..., Any] | None = None  # numpy reference; default getattr(np, op)
    values: bool = True  # False: uninitialised memory, only shape/unit/kind are checked
    exponent: Any = 2  # power(x, y): the plain scalar exponent given as y
    rtol: float = 1e-10
    # custom rules: expectation, called with (mantissas, units, rule operands, plain arguments);
    # it returns (reference, unit), or for a tuple result a list of (reference, unit) per part
    custom: Callable[..., Any] | None = None
    units: Mapping[str, Any] = field(default_factory=dict)  # operand -> unit (None: plain)
    grad: Mapping[str, Any] = field(default_factory=dict)  # plain arguments for torch gradcheck
    grad_skip: str | None = None  # why torch gradcheck does not apply at this op's sample
    # a tuple result defined up to a choice (the signs of singular vectors): maps the numpy
    # values of its parts to one canonical form, applied to the result and the reference
    canonical: Callable[[list[Any]], list[Any]] | None = None
    # variant -> backend -> what the BackendError says: argument values a library cannot compute
    refused: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    units: Mapping[str, Any] = field(default_factory=dict)  # operand -> unit, over the rule's


def _custom_floor_divide(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[Any, Any]:
    """rules.yaml, custom floor_divide: same dimension -> y in x's unit, plain result; else x/y."""
    a, b = names
    ua, ub = units[a], units[b]
    if ua.dim is ub.dim:
        return np.floor_divide(m[a], m[b] * (ub.magnitude / ua.magnitude)), None
    return np.floor_divide(m[a], m[b]), ua / ub


def _full(fill_value: Any, shape: Any, dtype: Any = None) -> Any:
    return np.full(shape, fill_value, dtype=dtype)


def _astype(x: Any, dtype: Any) -> Any:
    return np.asarray(x).astype(dtype)


_ROUND = Special(data={"x": SIGNED}, variants={"decimals1": {"decimals": 1}})
_SIGNED = Special(data={"x": SIGNED})
_NAN = Special(data={"x": XNAN})
_NAN_A = Special(data={"a": XNAN})
# numpy's reduction options: `where` leaves out elements, `initial` is one more element per slice,
# `dtype` the accumulator's (float32: checked at float32 precision)
MASK = X > 0.3
_F32 = {"dtype": np.float32}


def _with(fn: Any, *names: str) -> Callable[..., Any]:
    """numpy's `fn` with the operands after the first given by keyword (initial=, where=)."""

    def ref(x: Any, *rest: Any, **kwargs: Any) -> Any:
        return fn(x, **dict(zip(names, rest, strict=True)), **kwargs)

    return ref


def _reduction(fn: Any, nan: bool = False, initial: float | None = None, **more: Any) -> Special:
    data: dict[str, Any] = {"where": MASK} | ({"x": XNAN} if nan else {})
    names = ("where",) if initial is None else ("initial", "where")
    if initial is not None:
        data["initial"] = np.asarray(initial)
    return Special(data=data, ref=_with(fn, *names), rtol=1e-6, **more)


_STATS_VARIANTS = {"ddof1": {"ddof": 1, "axis": 1}, "float32": _F32}
_CUMULATIVE = Special(variants={"float32": _F32}, rtol=1e-6)
_NAN_CUMULATIVE = Special(data={"x": XNAN}, variants={"float32": _F32}, rtol=1e-6)


def _linspace_expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
    """stop in the unit of start; with retstep, (samples, step) both in it."""
    stop = m["stop"] * (units["stop"].magnitude / units["start"].magnitude)
    kw = {k: plain[k] for k in ("num", "endpoint", "retstep") if k in plain}
    ref = np.linspace(m["start"], stop, **kw)
    if plain.get("retstep"):
        return [(ref[0], units["start"]), (np.asarray(ref[1]), units["start"])]
    return ref, units["start"]


# diag/tril/triu `unit`: a quantity converted to it, a plain array taken in it
_UNIT = {
    "unit": {"unit": u.cmeter},
    "plain": {"unit": u.second, "units": {"v": None, "m": None}},
}


def _in_unit(fn: Any, name: str) -> Callable[..., Any]:
    def expect(m: Any, units: Any, names: Any, plain: dict[str, Any]) -> Any:
        unit, given = units[name], plain.get("unit")
        values = (
            m[name]
            if given is None or unit is None
            else m[name] * (unit.magnitude / given.magnitude)
        )
        return fn(values, k=plain.get("k", 0)), given or unit

    return expect


def _repeat(a: Any, repeats: int, axis: int | None = None, total_repeat_length: Any = None) -> Any:
    r = np.repeat(a, repeats, axis=axis)
    if total_repeat_length is None:
        return r
    front = np.moveaxis(r, 0 if axis is None else axis, 0)
    idx = np.minimum(np.arange(total_repeat_length), front.shape[0] - 1)  # pad with the last
    return np.moveaxis(front[idx], 0, 0 if axis is None else axis)


_SORT_VARIANTS: dict[str, Any] = {
    "descending": {"descending": True},
    "flat": {"axis": None, "descending": True},
    "kind": {"kind": "stable"},
    "unstable": {"stable": False},
}


def _sort(fn: Any) -> Callable[..., Any]:
    def ref(a: Any, axis: Any = -1, descending: bool = False, **kw: Any) -> Any:
        r = fn(a, axis=axis, **kw)
        return np.flip(r, axis=-1 if axis is None else axis) if descending else r

    return ref


def _take(
    a: Any, indices: Any, fill_value: Any, axis: Any = None, mode: Any = None, **hints: Any
) -> Any:
    if mode != "fill":
        return np.take(a, indices, axis=axis, mode=mode or "raise")
    n = a.shape[axis]
    outside = (indices < -n) | (indices >= n)
    r = np.take(a, np.where(outside, 0, indices), axis=axis)
    shape = [1] * a.ndim
    shape[axis] = len(indices)
    return np.where(outside.reshape(shape), fill_value, r)


def _quantiles(op: str, data: dict[str, Any]) -> Special:
    """`method`: numpy's methods where the library has them; torch.quantile has five of them."""
    return Special(
        data=data,
        variants={"higher": {"method": "higher", "axis": 1}, "weibull": {"method": "weibull"}},
        refused={
            "weibull": {
                "torch": "is not one of torch.quantile's interpolations",
                "jax": "is not one of jnp.quantile's methods",
            }
        },
    )


_CMP = Special(
    data={
        "x": np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]),
        "y": np.array([[1.0, 1.5, 3.0], [5.0, 5.0, 6.5]]),
    }
)
_LOGICAL = Special(data={"x": ZEROS, "y": ZEROS2})
_NANPAIR = Special(data={"x1": XNAN, "x2": Y})
_MOD = Special(data={"x1": SIGNED, "x2": Y + 0.5})
_CREATE2D = {"N": 3}

# The one explicit table: per-op inputs, required arguments, extra variants, references.
SPECIAL: dict[str, Special] = {
    "abs": _SIGNED,
    "absolute": _SIGNED,
    "fabs": _SIGNED,
    "all": Special(data={"x": ZEROS, "where": MASK}, ref=_with(np.all, "where")),
    "any": Special(data={"x": ZEROS2 * ZEROS, "where": MASK}, ref=_with(np.any, "where")),
    "sum": _reduction(np.sum, initial=0.25, variants={"float32": _F32}),
    "nansum": _reduction(np.nansum, nan=True, initial=0.25, variants={"float32": _F32}),
    "mean": _reduction(np.mean, variants={"float32": _F32}),
    "nanmean": _reduction(np.nanmean, nan=True, variants={"float32": _F32}),
    "max": _reduction(np.max, initial=0.8),
    "amax": _reduction(np.amax, initial=0.8),
    "nanmax": _reduction(np.nanmax, nan=True, initial=0.8),
    "min": _reduction(np.min, initial=0.2),
    "amin": _reduction(np.amin, initial=0.2),
    "nanmin": _reduction(np.nanmin, nan=True, initial=0.2),
    "std": _reduction(np.std, variants=_STATS_VARIANTS),
    "var": _reduction(np.var, variants=_STATS_VARIANTS),
    "nanstd": _reduction(np.nanstd, nan=True, variants=_STATS_VARIANTS),
    "nanvar": _reduction(np.nanvar, nan=True, variants=_STATS_VARIANTS),
    "cumsum": _CUMULATIVE,
    "median": Special(variants={"overwrite": {"overwrite_input": True}}),
    "count_nonzero": Special(data={"a": ZEROS}),
    "logical_and": _LOGICAL,
    "logical_or": _LOGICAL,
    "logical_xor": _LOGICAL,
    "arccosh": Special(data={"x": 1.0 + 2.0 * X}),
    "around": _ROUND,
    "round": _ROUND,
    "ceil": _SIGNED,
    "floor": _SIGNED,
    "fix": _SIGNED,
    "rint": _SIGNED,
    "trunc": _SIGNED,
    "sign": _SIGNED,
    "signbit": _SIGNED,
    "cbrt": _SIGNED,
    "astype": Special(
        kwargs={"dtype": np.float32}, ref=_astype, rtol=1e-6, grad={"dtype": np.float64}
    ),
    "broadcast_to": Special(data={"array": X[0]}, kwargs={"shape": (3, 4)}),
    "clip": Special(data={"a_min": np.array(0.3), "a_max": np.array(0.7)}),
    "conj": Special(data={"x": COMPLEX}),
    "conjugate": Special(data={"x": COMPLEX}),
    "real": Special(data={"x": COMPLEX}, variants={"realinput": {"data": {"x": X}}}),
    "imag": Special(data={"x": COMPLEX}, variants={"realinput": {"data": {"x": X}}}),
    "isreal": Special(data={"a": X + 1j * ZEROS}),
    "isfinite": Special(data={"a": np.array([[0.5, np.inf, np.nan], [-np.inf, -2.0, 0.0]])}),
    "isinf": Special(data={"a": np.array([[0.5, np.inf, np.nan], [-np.inf, -2.0, 0.0]])}),
    "isnan": Special(data={"a": np.array([[0.5, np.inf, np.nan], [-np.inf, -2.0, 0.0]])}),
    "cross": Special(
        data={"a": X[:, :3], "b": Y[:, :3]},
        variants={
            "axisab": {"axisa": 0, "axisb": 0, "data": {"a": X[:3, :2], "b": Y[:3, :2]}},
            "axisc0": {"axisc": 0},
        },
    ),
    "dot": Special(
        data={"a": X, "b": Y.T[:, :2]},
        variants={"vector": {"data": {"b": Y[0]}}, "nd": {"data": {"b": np.stack([Y.T, Z.T])}}},
    ),
    "matmul": Special(data={"a": X, "b": Y.T[:, :2]}),
    "inner": Special(data={"a": X, "b": Y[:2]}),
    "kron": Special(data={"a": X[:2, :2], "b": Y[:2, :3]}),
    "outer": Special(data={"a": X[0, :3], "b": Y[1]}),
    "tensordot": Special(
        data={"a": np.stack([X[:, :3], Z[:, :3]]), "b": np.stack([Y[:, :3], Z[:, 1:]], axis=-1)},
        variants={"axes1": {"axes": 1}},
    ),
    "vdot": Special(),
    "vecdot": Special(),
    "matrix_power": Special(
        data={"a": X[:, :3] + np.eye(3)},
        kwargs={"n": 2},
        variants={"n3": {"n": 3}, "nminus1": {"n": -1}},
        ref=lambda a, n: np.linalg.matrix_power(a, n),
        refused={"nminus1": {"ndonnx": "negative power needs a matrix inverse"}},
    ),
    "trace": Special(variants={"offset1": {"offset": 1}, "float32": _F32}, rtol=1e-6),
    "diagonal": Special(variants={"offset1": {"offset": 1}}),
    "diag": Special(
        data={"v": X[0, :3]},
        custom=_in_unit(np.diag, "v"),
        variants={"k1": {"k": 1}, "matrix": {"data": {"v": X}}, **_UNIT},
    ),
    "diagflat": Special(data={"v": X[:2, :2]}, variants={"kminus1": {"k": -1}}),
    "diff": Special(
        data={"prepend": np.asarray(0.1), "append": np.asarray(0.9)},
        ref=_with(np.diff, "prepend", "append"),
        variants={"n2": {"n": 2}},
    ),
    "cumprod": _CUMULATIVE,
    "nancumprod": _NAN_CUMULATIVE,
    "nancumsum": _NAN_CUMULATIVE,
    "nanmedian": Special(data={"x": XNAN}, variants={"overwrite": {"overwrite_input": True}}),
    "nanargmax": _NAN_A,
    "nanargmin": _NAN_A,
    "nanpercentile": _quantiles("nanpercentile", {"a": XNAN, "q": np.array([10.0, 50.0, 90.0])}),
    "nanquantile": _quantiles("nanquantile", {"a": XNAN, "q": np.array([0.1, 0.5, 0.9])}),
    "percentile": _quantiles("percentile", {"q": np.array([10.0, 50.0, 90.0])}),
    "quantile": _quantiles("quantile", {"q": np.array([0.1, 0.5, 0.9])}),
    "equal": _CMP,
    "not_equal": _CMP,
    "greater": _CMP,
    "greater_equal": _CMP,
    "less": _CMP,
    "less_equal": _CMP,
    "fmax": _NANPAIR,
    "fmin": _NANPAIR,
    "maximum": _NANPAIR,
    "minimum": _NANPAIR,
    "fmod": _MOD,
    "mod": _MOD,
    "remainder": Special(data={"x": SIGNED, "y": Y + 0.5}),
    "floor_divide": Special(
        data={"x": SIGNED, "y": Y + 0.5},
        custom=_custom_floor_divide,
        variants={"otherdim": {"units": {"y": OTHER_DIM}}},
    ),
    "divide": Special(data={"y": Y + 0.5}),
    "true_divide": Special(data={"y": Y + 0.5}),
    "power": Special(exponent=3),
    "float_power": Special(exponent=0.5),
    "empty": Special(kwargs={"shape": (2, 3)}, values=False),
    "empty_like": Special(
        data={"prototype": X}, values=False, variants={"shape": {"shape": (2, 2)}}
    ),
    "zeros": Special(kwargs={"shape": (2, 3)}),
    "ones": Special(kwargs={"shape": (2, 3)}),
    "zeros_like": Special(variants={"shape": {"shape": (2, 2)}}),
    "ones_like": Special(variants={"shape": {"shape": (2, 2)}}),
    "eye": Special(kwargs=_CREATE2D, variants={"Mk": {"M": 4, "k": 1}}),
    "tri": Special(kwargs=_CREATE2D, variants={"Mk": {"M": 4, "k": -1}}),
    "identity": Special(kwargs={"n": 3}),
    "full": Special(data={"fill_value": np.array(1.5)}, kwargs={"shape": (2, 3)}, ref=_full),
    "full_like": Special(
        data={"fill_value": np.array(0.25)}, variants={"shape": {"shape": (2, 2)}}
    ),
    "linspace": Special(
        data={"start": np.array(0.2), "stop": np.array(1.5)},
        custom=_linspace_expect,
        variants={
            "num5open": {"num": 5, "endpoint": False},
            "retstep": {"num": 5, "retstep": True},
        },
    ),
    "logspace": Special(
        data={"start": np.array(0.2), "stop": np.array(1.5)},
        variants={"num5base2": {"num": 5, "base": 2.0}},
    ),
    "searchsorted": Special(
        data={
            "a": np.array([0.1, 0.2, 0.3, 0.4, 0.5]),
            "v": np.array([0.2, 0.35, 0.5]),
            "sorter": np.arange(5),
        },
        ref=lambda a, v, sorter, method="scan", **kw: np.searchsorted(a, v, sorter=sorter, **kw),
        variants={
            "right": {"side": "right"},
            "sorter": {
                "data": {
                    "a": np.array([0.4, 0.1, 0.5, 0.3, 0.2]),
                    "sorter": np.array([1, 4, 3, 0, 2]),
                }
            },
            "method": {"method": "compare_all"},
        },
    ),
    "expand_dims": Special(kwargs={"axis": 1}),
    "squeeze": Special(data={"a": X[:1]}),
    "moveaxis": Special(data={"a": np.stack([X, Y])}, kwargs={"source": 0, "destination": -1}),
    "swapaxes": Special(kwargs={"axis1": 0, "axis2": 1}),
    "reshape": Special(
        kwargs={"shape": (4, 3)},
        variants={"flat": {"shape": (-1,)}, "fortran": {"order": "F", "shape": (2, 6)}},
    ),
    "ravel": Special(variants={"fortran": {"order": "F"}}),
    "repeat": Special(
        kwargs={"repeats": 2},
        ref=_repeat,
        variants={
            "longer": {"total_repeat_length": 30},
            "shorter": {"total_repeat_length": 4, "axis": 1},
        },
    ),
    "sort": Special(data={"a": SIGNED}, variants=_SORT_VARIANTS, ref=_sort(np.sort)),
    "argsort": Special(data={"a": SIGNED}, variants=_SORT_VARIANTS, ref=_sort(np.argsort)),
    "roll": Special(kwargs={"shift": 1}),
    "rot90": Special(variants={"k2": {"k": 2}}),
    "tile": Special(kwargs={"reps": (2, 1)}),
    "transpose": Special(variants={"axes": {"axes": (1, 0)}}),
    "tril": Special(custom=_in_unit(np.tril, "m"), variants={"kminus1": {"k": -1}, **_UNIT}),
    "triu": Special(custom=_in_unit(np.triu, "m"), variants={"k1": {"k": 1}, **_UNIT}),
    "take": Special(
        data={"indices": np.array([2, 0]), "fill_value": np.asarray(0.5)},
        ref=_take,
        variants={
            "axis1": {"axis": 1},
            "wrap": {"mode": "wrap", "data": {"indices": np.array([13, -1])}},
            "clip": {"mode": "clip", "axis": 1, "data": {"indices": np.array([7, -3])}},
            "fill": {"mode": "fill", "axis": 1, "data": {"indices": np.array([1, 9])}},
            "hints": {"unique_indices": True, "indices_are_sorted": True},
        },
    ),
    "where": Special(data={"condition": X > Y}),
}

# More entries, one module per family of ops: tests/behaviour/specials/<family>.py defines SPECIAL.
for _path in sorted((Path(__file__).parent / "specials").glob("[!_]*.py")):
    _more = importlib.import_module(f"tests.behaviour.specials.{_path.stem}").SPECIAL
    _twice = set(_more) & set(SPECIAL)
    assert not _twice, f"{_path.name}: SPECIAL entries defined twice: {sorted(_twice)}"
    SPECIAL.update(_more)


# jax's product options: passed through on jax; elsewhere `precision` is refused unless None and
# `preferred_element_type` casts the result (the reference casts numpy's result the same way).
_JAX_OPTION_OPS = (
    "dot", "vdot", "vecdot", "inner", "matmul", "tensordot", "convolve", "correlate",
    "linalg.dot", "linalg.vdot", "linalg.vecdot", "linalg.inner", "linalg.matmul",
    "linalg.tensordot",
)  # fmt: skip
_PRECISION_ONLY = ("multi_dot", "linalg.multi_dot")
_NOT_JAX = ("numpy", "torch", "dask", "ndonnx", "cupy")


def _with_jax_options(op: str, special: Special, element_type: bool) -> Special:
    variants = dict(special.variants) | {"precision": {"precision": "highest"}}
    if element_type:
        variants["float32"] = {"preferred_element_type": np.float32}
    if op in ("convolve", "correlate"):
        # jnp.convolve refuses a narrower type than its inputs': ask for float64 there
        variants["float32"] = {"preferred_element_type": np.float64}
    refused = dict(special.refused) | {
        "precision": dict.fromkeys(_NOT_JAX, "precision='highest' is a jax option")
    }
    return replace(special, variants=variants, refused=refused, rtol=max(special.rtol, 1e-6))


for _op in _JAX_OPTION_OPS + _PRECISION_ONLY:
    SPECIAL[_op] = _with_jax_options(_op, SPECIAL.get(_op, Special()), _op not in _PRECISION_ONLY)


# ---------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------
@dataclass
class Operand:
    """An operand of a call: a mantissa (numpy, converted per backend) and a unit (None: plain)."""

    mantissa: Any
    unit: Any  # Unit | None
    python: bool = False  # a Python scalar given as it is (the run-time exponent of power)


@dataclass
class Case:
    op: str
    variant: str
    sig: Signature
    rule: Rule
    special: Special
    operands: dict[str, Operand]
    plain: dict[str, Any]  # plain parameters given explicitly (unit arguments included)
    sequences: dict[str, list[str]] = field(default_factory=dict)  # name -> its element operands

    def expand(self, names: tuple[str, ...]) -> list[str]:
        """Operand names with each sequence parameter replaced by its elements."""
        return [e for n in names for e in self.sequences.get(n, [n])]

    def _value(self, name: str, backend: str, mantissas: Mapping[str, Any] | None) -> Any:
        if mantissas is not None and name in mantissas:
            unit = self.operands[name].unit
            m = mantissas[name]
            return m if unit is None else u.Quantity(m, unit=unit)
        return materialize(self.operands[name], backend)

    # -- calling ----------------------------------------------------------------------------
    def call_args(
        self, backend: str, mantissas: Mapping[str, Any] | None = None
    ) -> tuple[list[Any], dict[str, Any]]:
        """Arguments for a backend function or the front end: positional while every leading
        parameter is given, keywords after the first one left at its default. `mantissas`
        replaces the mantissas of some operands by arrays already on `backend`."""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        positional = True
        for p in self.sig.params:
            value: Any
            if p.name in self.sequences:
                value = [self._value(e, backend, mantissas) for e in self.sequences[p.name]]
            elif p.name in self.operands:
                value = self._value(p.name, backend, mantissas)
            elif p.name in self.plain:
                value = self.plain[p.name]
            else:
                positional = False
                continue
            if positional:
                args.append(value)
            else:
                kwargs[p.name] = value
        return args, kwargs

    @property
    def has_operands(self) -> bool:
        return bool(self.operands)

    # -- expectation ------------------------------------------------------------------------
    def expected(self) -> list[tuple[Any, Any, bool]]:
        """Per part of the result: (reference values, expected unit, plain), plain meaning the
        part is no Quantity. One part unless the op returns a tuple or a list."""
        rule, special = self.rule, self.special
        kind = rule.kind
        operands = tuple(self.expand(rule.operands))
        m = {
            name: np.asarray(o.mantissa) if not o.python else o.mantissa
            for name, o in self.operands.items()
        }
        units = {name: o.unit for name, o in self.operands.items()}
        first = operands[0] if operands else None
        changed = False  # the dimensionless-outcome rule applies (runtime/rules.py `changed`)
        unit: Any = None
        if kind in ("keep", "consistent", "compare"):
            ux = units[first]
            for name in operands[1:]:
                m[name] = m[name] * (units[name].magnitude / ux.magnitude)
            unit = None if kind == "compare" else ux
        elif kind == "dimensionless":
            target = self.plain.get(rule.keywords.get("unit_to_scale", ""), None)
            for name in operands:
                scale = 1.0 if units[name] is None else units[name].magnitude
                m[name] = m[name] * (scale / (1.0 if target is None else target.magnitude))
        elif kind == "strip":
            pass
        elif kind == "product" and self.sequences:
            unit = units[operands[0]]
            for name in operands[1:]:
                unit = unit * units[name]
            changed = True
        elif kind in ("product", "quotient"):
            a, b = rule.operands
            unit = units[a] * units[b] if kind == "product" else units[a] / units[b]
            changed = True
        elif kind in ("power", "reciprocal"):
            base = rule.operands[0]
            if kind == "reciprocal":
                p: Any = Fraction(-1)
            else:
                exp = rule.args[1]
                if isinstance(exp, Fraction):
                    p = exp
                elif exp in self.operands:
                    value = self.operands[exp].mantissa
                    p = Fraction(str(value)) if np.ndim(value) == 0 else None
                else:
                    p = Fraction(self.plain[exp])
            ub = units[base]
            if ub.dim is u.DIMENSIONLESS:  # folded into the base: a plain result
                m[base] = m[base] * ub.magnitude
                unit = None
            else:
                unit = ub**p
            changed = True
        elif kind == "create":
            unit = self.plain.get(str(rule.args[0]))
            changed = True
        elif kind == "like":
            given = self.plain.get(str(rule.args[1]))
            unit = units[rule.operands[0]] if given is None else given
            changed = given is not None
        elif kind == "custom":
            assert special.custom is not None, (
                f"{self.op}: custom rule without an expectation in SPECIAL"
            )
            expected = special.custom(m, units, rule.operands, self.plain)
            if isinstance(expected, list):  # a tuple result: one (reference, unit) per part
                return [_fold(np.asarray(r), un, True) for r, un in expected]
            ref, unit = expected  # ref holds every part of a tuple result, all in `unit`
            if not self.sig.returns.startswith(("tuple[", "list[")):
                return [_fold(ref, unit, True)]
            return self._parts(list(ref), unit, True)
        else:
            raise AssertionError(f"{self.op}: unknown rule kind {kind}")
        for name, elements in self.sequences.items():
            m[name] = [m[e] for e in elements]
        returns = self.sig.returns
        if not returns.startswith(("tuple[", "list[")):
            return [_fold(self.reference(m), unit, changed)]
        return self._parts(self.reference(m, whole=True), unit, changed)

    def _parts(self, parts: list[Any], unit: Any, changed: bool) -> list[tuple[Any, Any, bool]]:
        """Expectation per part of a tuple or list result: Quantity parts get the unit."""
        returns = self.sig.returns
        kinds = returns[returns.index("[") + 1 : -1].split(", ")
        if returns.startswith("list["):
            kinds = kinds * len(parts)
        assert len(kinds) == len(parts), f"{self.op}: {len(parts)} parts, the spec says {returns}"
        return [
            _fold(np.asarray(part), unit, changed)
            if k == "Quantity"
            else (np.asarray(part), None, True)
            for k, part in zip(kinds, parts, strict=True)
        ]

    def reference(self, m: dict[str, Any], whole: bool = False) -> Any:
        fn = self.special.ref or numpy_function(self.op)
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for p in self.sig.params:
            if p.is_unit:
                continue
            if p.name in m:
                args.append(m[p.name])
            elif p.name in self.plain:
                kwargs[p.name] = self.plain[p.name]
        # jax's options: numpy has no precision; preferred_element_type is a cast of the result
        kwargs.pop("precision", None)
        element_type = kwargs.pop("preferred_element_type", None)
        result = fn(*args, **kwargs)
        if element_type is not None:
            result = np.asarray(result).astype(element_type)
        return list(result) if whole else np.asarray(result)


def _fold(ref: Any, unit: Any, changed: bool) -> tuple[Any, Any, bool]:
    if unit is None:
        return ref, None, True
    if changed and unit.dim is u.DIMENSIONLESS:
        return (ref if unit.magnitude == 1.0 else ref * unit.magnitude), None, True
    return ref, unit, False


def mantissa_of(values: Any, unit: Any) -> Any:
    values = np.asarray(values)
    if unit is None or unit.magnitude == 1.0:
        return values
    return values / unit.magnitude


def operand_units(op: str) -> dict[str, Any]:
    """The unit each operand gets, from the rule: see the module docstring."""
    rule = RULES[op]
    names = rule.operands
    kind = rule.kind
    if kind in ("keep", "strip", "like", "reciprocal", "power"):
        return {names[0]: FIRST}
    if kind in ("consistent", "compare", "custom"):
        return {
            n: (FIRST if i == 0 else OTHERS[(i - 1) % len(OTHERS)]) for i, n in enumerate(names)
        }
    if kind in ("product", "quotient"):
        return {names[0]: FIRST, names[-1]: OTHER_DIM}
    if kind == "dimensionless":
        return dict.fromkeys(names, DIMLESS)
    if kind == "create":
        return {}
    raise AssertionError(f"{op}: unknown rule kind {kind}")


# Units of the variant that makes the outcome of unit algebra dimensionless.
def _dimless_units(op: str) -> dict[str, Any] | None:
    rule = RULES[op]
    if rule.kind == "product" and len(rule.operands) == 1:  # a sequence: no simple pair
        return None
    if rule.kind == "product":
        a, b = rule.operands
        return {a: u.mV, b: u.volt**-1}
    if rule.kind == "quotient":
        a, b = rule.operands
        return {a: u.mV, b: u.volt}
    if rule.kind in ("power", "reciprocal"):
        return {rule.operands[0]: DIMLESS}
    return None


def variant_names(op: str) -> list[str]:
    sig, rule, special = SIGS[op], RULES[op], SPECIAL.get(op, Special())
    names = [""]
    if "axis" in sig.names and sig.param("axis").default not in (0, MISSING):
        names.append("axis0")
    if "keepdims" in sig.names:
        names.append("keepdims")
    if _dimless_units(op) is not None:
        names.append("dimless")
    if rule.kind in ("create", "like"):
        names += ["nounit", "dimless"] if rule.kind == "create" else ["second", "dimless"]
    names += list(special.variants)
    return names


def case_id(op: str, backend: str, variant: str) -> str:
    return f"{op}-{backend}" + (f"-{variant}" if variant else "")


def build_case(
    op: str, variant: str = "", units: Mapping[str, Any] | None = None, backend: str = "numpy"
) -> Case:
    """The inputs of one call of `op` on `backend`, with `units` overriding operand units.
    Inputs are the same on every backend, but for the real part of complex data where the
    backend has no complex dtypes."""
    sig, rule, special = SIGS[op], RULES[op], SPECIAL.get(op, Special())

    def mantissa(values: Any, unit: Any) -> Any:
        if backend in REAL_ONLY:
            values = np.real(values)
        return mantissa_of(values, unit)

    over: dict[str, Any] = {}
    data_over: dict[str, Any] = {}
    unit_over: dict[str, Any] = dict(units or {})
    if variant == "axis0":
        over["axis"] = 0
    elif variant == "keepdims":
        over["keepdims"] = True
        if "axis" in sig.names:
            over["axis"] = 1
    elif variant == "dimless":
        if rule.kind in ("create", "like"):
            over["unit"] = DIMLESS
        else:
            unit_over = {**(_dimless_units(op) or {}), **unit_over}
            if (
                rule.kind == "power"
                and rule.args[1] in sig.names
                and sig.param(str(rule.args[1])).is_quantity
            ):
                data_over[str(rule.args[1])] = (
                    Y * 2.0
                )  # an array exponent, allowed on a dimensionless base
    elif variant == "nounit":
        over["unit"] = None
    elif variant == "second":
        over["unit"] = u.second
    elif variant:
        extra = dict(special.variants[variant])
        data_over.update(extra.pop("data", {}))
        unit_over = {**extra.pop("units", {}), **unit_over}
        over.update(extra)

    default_units = {**operand_units(op), **special.units}
    operands: dict[str, Operand] = {}
    plain: dict[str, Any] = {}
    sequences: dict[str, list[str]] = {}
    qi = 0
    for p in sig.params:
        if p.is_sequence:
            items = data_over.get(p.name, special.data.get(p.name, list(DEFAULT_DATA)))
            sequences[p.name] = []
            for i, values in enumerate(items):
                name = f"{p.name}[{i}]"
                unit = unit_over.get(name, _sequence_unit(rule.kind, i))
                operands[name] = Operand(mantissa(values, unit), unit)
                sequences[p.name].append(name)
        elif p.is_quantity:
            if rule.kind == "power" and p.name == rule.args[1]:  # run-time exponent
                if p.name in data_over:
                    operands[p.name] = Operand(np.asarray(data_over[p.name]), None)
                else:
                    operands[p.name] = Operand(special.exponent, None, python=True)
                continue
            values = data_over.get(
                p.name, special.data.get(p.name, DEFAULT_DATA[qi % len(DEFAULT_DATA)])
            )
            qi += 1
            if p.name in unit_over:
                unit = unit_over[p.name]
            else:
                unit = special.units.get(p.name, default_units.get(p.name))
            operands[p.name] = Operand(mantissa(values, unit), unit)
        elif p.is_array:
            values = data_over.get(p.name, special.data.get(p.name))
            assert values is not None, (
                f"{op}: SPECIAL needs data for the Array parameter {p.name!r}"
            )
            unit = unit_over.get(p.name)
            operands[p.name] = Operand(mantissa(values, unit), unit)
        elif p.name in over:
            plain[p.name] = over[p.name]
        elif p.name in special.kwargs:
            plain[p.name] = special.kwargs[p.name]
        elif p.default is MISSING:
            raise AssertionError(
                f"{op}: SPECIAL needs a value for the required parameter {p.name!r}"
            )
        elif rule.kind == "create" and p.name == rule.args[0]:
            plain[p.name] = u.meter  # the unit argument of a creation op
    return Case(op, variant, sig, rule, special, operands, plain, sequences)


def _sequence_unit(kind: str, i: int) -> Any:
    """The unit of element i of a sequence operand: the rule's roles, repeated."""
    if kind == "product":
        return FIRST if i % 2 == 0 else OTHER_DIM
    return FIRST if i == 0 else OTHERS[(i - 1) % len(OTHERS)]


# ---------------------------------------------------------------------------------------------
# Backends
# ---------------------------------------------------------------------------------------------
def backend_module(backend: str) -> Any:
    return importlib.import_module(f"polyunit.backends.{backend}")


def split_name(op: str) -> tuple[str, str]:
    """`linalg.det` -> ("linalg", "det"); `sqrt` -> ("math", "sqrt")."""
    namespace, _, name = op.rpartition(".")
    return namespace or "math", name


def module_function(backend: str, op: str) -> Any:
    """The generated function of `op` in a backend module (`linalg.det` is `linalg_det`)."""
    return getattr(backend_module(backend), op.replace(".", "_"))


def front_function(op: str) -> Any:
    """The public function: `polyunit.math.sqrt`, `polyunit.linalg.det`."""
    namespace, name = split_name(op)
    return getattr(importlib.import_module(f"polyunit.{namespace}"), name)


def twin_function(op: str) -> Any:
    """What torch.compile traces for the front-end function (runtime/traced.py), which the
    torch backend module installs when it is imported; called eagerly here."""
    importlib.import_module("polyunit.backends.torch")
    namespace, name = split_name(op)
    fn = getattr(importlib.import_module(f"polyunit.backends.frontend_{namespace}"), name)
    return fn._torchdynamo_inline


def numpy_function(op: str) -> Any:
    """numpy's function of the same name: `np.sqrt`, `np.linalg.det`, `np.fft.fft`."""
    namespace, name = split_name(op)
    return getattr(np if namespace == "math" else getattr(np, namespace), name)


def to_backend(values: Any, backend: str) -> Any:
    arr = np.asarray(values)
    if backend == "numpy":
        return arr.copy()
    if backend == "jax":
        import jax.numpy as jnp

        return jnp.asarray(arr)
    if backend == "torch":
        import torch

        return torch.as_tensor(arr.copy())
    if backend == "dask":
        import dask.array as da

        return da.from_array(arr)
    if backend == "ndonnx":
        import ndonnx as ndx

        return ndx.asarray(arr)
    if backend == "cupy":
        import cupy as cp

        return cp.asarray(arr)
    raise AssertionError(backend)


def materialize(o: Operand, backend: str) -> Any:
    if o.python:
        return o.mantissa
    m = to_backend(o.mantissa, backend)
    return m if o.unit is None else u.Quantity(m, unit=o.unit)


def backend_of(value: Any) -> str | None:
    from polyunit.backend import backend_of as _backend_of

    return _backend_of(value)


def call_case(case: Case, backend: str, api: str) -> tuple[Any, float]:
    """Call the op through the backend module (api "module") or the public function ("front"):
    (result, the relative tolerance its values are checked with)."""
    args, kwargs = case.call_args(backend)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if api == "module":
            result = module_function(backend, case.op)(*args, **kwargs)
        else:  # the front end picks the backend from the operands; creation ops use the default
            ctx = u.using_backend(backend) if not case.has_operands else contextlib.nullcontext()
            fn = front_function(case.op) if api == "front" else twin_function(case.op)
            with ctx:
                result = fn(*args, **kwargs)
    lossy = any(LOSSY_WARNING in str(w.message) for w in caught)
    return result, max(case.special.rtol, FLOAT32_RTOL) if lossy else case.special.rtol


def to_numpy(m: Any) -> Any:
    if hasattr(m, "get") and type(m).__module__.startswith("cupy"):
        return m.get()
    if hasattr(m, "detach"):
        return m.detach().cpu().resolve_conj().numpy()  # ifft gives a lazily conjugated view
    if hasattr(m, "unwrap_numpy"):  # ndonnx (np.asarray would wrap it in a 0-d object array)
        return m.unwrap_numpy()
    return np.asarray(m)


def check_result(case: Case, result: Any, backend: str, rtol: float | None = None) -> None:
    """Value, unit and backend of a result against the rule and the numpy reference."""
    parts = case.expected()
    returns = case.sig.returns
    tol = case.special.rtol if rtol is None else rtol
    where = f"{case.op} on {backend}"
    # one part unless the spec says tuple or list, or an option made it a tuple (returned=True)
    if not returns.startswith(("tuple[", "list[")) and len(parts) == 1:
        got = _check_part(parts[0], result, backend, where)
        _check_values(case, got, parts[0][0], tol, where)
        return
    kind = list if returns.startswith("list[") else tuple
    assert isinstance(result, kind), f"{case.op}: expected a {kind.__name__}, got {type(result)}"
    assert len(result) == len(parts), f"{case.op}: {len(result)} parts, expected {len(parts)}"
    got_parts = [
        _check_part(part, got, backend, f"{where}, part {i}")
        for i, (part, got) in enumerate(zip(parts, result, strict=True))
    ]
    ref_parts = [part[0] for part in parts]
    if case.special.canonical is not None:
        got_parts, ref_parts = case.special.canonical(got_parts), case.special.canonical(ref_parts)
    for i, (got, ref) in enumerate(zip(got_parts, ref_parts, strict=True)):
        _check_values(case, got, ref, tol, f"{where}, part {i}")


def _check_part(part: tuple[Any, Any, bool], result: Any, backend: str, where: str) -> Any:
    """Backend, unit, shape and dtype kind of one part; its values as a numpy array."""
    ref, unit, plain = part
    got_backend = backend_of(result)
    assert got_backend == backend, (
        f"{where}: the result is on {got_backend!r} (type {type(getattr(result, 'mantissa', result)).__name__}), "
        f"expected the input backend {backend!r}"
    )
    if plain:
        assert not isinstance(result, u.Quantity), (
            f"{where}: the rule gives a plain array, got a Quantity in {result.unit}"
        )
        m = result
    else:
        assert isinstance(result, u.Quantity), (
            f"{where}: expected a Quantity in {unit}, got plain {type(result).__name__}"
        )
        assert result.unit == unit, (
            f"{where}: unit {result.unit} (dim {result.unit.dim}), expected {unit} (dim {unit.dim})"
        )
        m = result.mantissa
    got = to_numpy(m)
    assert got.shape == ref.shape, f"{where}: shape {got.shape}, expected {ref.shape}"
    kinds = {"b": "bool", "i": "int", "u": "int", "f": "float", "c": "complex"}
    assert kinds.get(got.dtype.kind) == kinds.get(ref.dtype.kind), (
        f"{where}: dtype {got.dtype}, expected the kind of {ref.dtype}"
    )
    return got


def _check_values(case: Case, got: Any, ref: Any, rtol: float, where: str) -> None:
    if not case.special.values:
        return
    if ref.dtype.kind in "biu":
        np.testing.assert_array_equal(got, ref, err_msg=where)
    else:
        np.testing.assert_allclose(got, ref, rtol=rtol, atol=1e-12, err_msg=where)
