"""SPECIAL entries of polyunit.lax (jax only): inputs, required arguments and references.

numpy has no lax namespace, so every entry names its reference: numpy or scipy where they
compute the same function, else jax.lax itself on the plain mantissas (the mantissas already
converted to the rule's units by opcases), which checks the unit handling and the call wiring.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax.lax as jlax
import jax.numpy as jnp
import numpy as np
import scipy.special as sps

from tests.behaviour.opcases import SIGNED, Special, X, Y

I32 = np.array([[3, 12, 5], [7, 1, 0]], dtype=np.int32)
SQ = X[:, :3] @ X[:, :3].T + 3.0 * np.eye(3)  # symmetric positive definite
LOWER = np.linalg.cholesky(SQ)
X3 = np.arange(24.0).reshape(2, 3, 4) / 10
IMG = np.arange(1 * 2 * 5 * 5.0).reshape(1, 2, 5, 5) / 9  # NCHW
KERNEL = np.arange(2 * 2 * 3 * 3.0).reshape(2, 2, 3, 3) / 7  # OIHW
IDX = np.array([[2], [0]], dtype=np.int32)


def _lax(path: str) -> Callable[..., Any]:
    """jax.lax.<path> on numpy arrays, as numpy arrays."""

    def ref(*args: Any, **kwargs: Any) -> Any:
        fn: Any = jlax
        for part in path.split("."):
            fn = getattr(fn, part)
        out = fn(*args, **kwargs)
        return tuple(np.asarray(o) for o in out) if isinstance(out, list | tuple) else out

    return ref


GATHER = jlax.GatherDimensionNumbers(
    offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,)
)
SCATTER = jlax.ScatterDimensionNumbers(
    update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,)
)


def _atan2(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[Any, Any]:
    """rules.yaml same_unit_angle: y in x's unit, plain angle."""
    x, y = names[0], names[1]
    return np.arctan2(m[x], m[y] * (units[y].magnitude / units[x].magnitude)), None


def _collapse(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[Any, Any]:
    """rules.yaml keep_or_scale without unit_to_scale: unit of x (start_dimension=0 -> flat)."""
    return m[names[0]].reshape(-1), units[names[0]]


def _fft(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[Any, Any]:
    """rules.yaml keep_or_scale: the DFT of x has the unit of x."""
    return np.fft.rfft(m[names[0]], axis=-1), units[names[0]]


def _tridiagonal_solve(
    m: dict[str, Any], units: dict[str, Any], names: tuple[str, ...], plain: dict[str, Any]
) -> tuple[Any, Any]:
    """rules.yaml tridiagonal_solve: dl, du in d's unit; unit(b) / unit(d)."""
    dl, d, du, b = names
    ud = units[d]
    lower = m[dl] * (units[dl].magnitude / ud.magnitude)
    upper = m[du] * (units[du].magnitude / ud.magnitude)
    a = np.diag(m[d]) + np.diag(lower[1:], -1) + np.diag(upper[:-1], 1)
    return np.linalg.solve(a, m[b]), units[b] / ud


_UNARY = {
    "acos": np.arccos,
    "acosh": np.arccosh,
    "asin": np.arcsin,
    "asinh": np.arcsinh,
    "atan": np.arctan,
    "atanh": np.arctanh,
    "bessel_i0e": sps.i0e,
    "bessel_i1e": sps.i1e,
    "digamma": sps.digamma,
    "erf": sps.erf,
    "erf_inv": sps.erfinv,
    "erfc": sps.erfc,
    "lgamma": sps.gammaln,
    "logistic": sps.expit,
}


def _ints(name: str, x: Any) -> Special:
    """Bit operations: plain integers (a dimensionless unit with a scale would make floats)."""
    fn = _lax(name)  # opcases folds the (unit) scale 1.0 in, which makes floats: back to int32
    return Special(
        data={"x": x, "y": np.full_like(I32, 1)},
        units={"x": None, "y": None},
        ref=lambda x, y: fn(x.astype(np.int32), y.astype(np.int32)),
    )


SPECIAL: dict[str, Special] = {
    **{f"lax.{name}": Special(ref=fn, rtol=1e-9) for name, fn in _UNARY.items()},
    "lax.acosh": Special(data={"x": 1.0 + 2.0 * X}, ref=np.arccosh),
    "lax.cumlogsumexp": Special(
        ref=_lax("cumlogsumexp"),
        variants={"axis1reverse": {"axis": 1, "reverse": True}},
    ),
    "lax.igamma": Special(ref=sps.gammainc, rtol=1e-9),
    "lax.igammac": Special(ref=sps.gammaincc, rtol=1e-9),
    "lax.igamma_grad_a": Special(ref=_lax("igamma_grad_a"), rtol=1e-9),
    "lax.polygamma": Special(data={"x": np.full_like(X, 2.0)}, ref=_lax("polygamma")),
    "lax.random_gamma_grad": Special(ref=_lax("random_gamma_grad")),
    "lax.zeta": Special(data={"x": X + 2.0}, ref=sps.zeta, rtol=1e-9),
    "lax.betainc": Special(ref=sps.betainc, rtol=1e-9),
    "lax.shift_left": _ints("shift_left", I32),
    "lax.shift_right_arithmetic": _ints("shift_right_arithmetic", -I32),
    "lax.shift_right_logical": _ints("shift_right_logical", I32),
    "lax.atan2": Special(data={"x": SIGNED}, custom=_atan2),
    "lax.eq": Special(ref=np.equal),
    "lax.ne": Special(ref=np.not_equal),
    "lax.ge": Special(ref=np.greater_equal),
    "lax.gt": Special(ref=np.greater),
    "lax.le": Special(ref=np.less_equal),
    "lax.lt": Special(ref=np.less),
    "lax.clz": Special(data={"x": I32}, ref=_lax("clz")),
    "lax.population_count": Special(data={"x": I32}, ref=_lax("population_count")),
    "lax.iota": Special(kwargs={"dtype": np.float64, "size": 5}, ref=_lax("iota")),
    "lax.broadcasted_iota": Special(
        kwargs={"dtype": np.float64, "shape": (2, 3), "dimension": 1}, ref=_lax("broadcasted_iota")
    ),
    "lax.zeros_like_array": Special(ref=np.zeros_like),
    "lax.clamp": Special(
        data={"min": np.array(0.3), "x": X, "max": np.array(0.7)},
        ref=lambda lo, x, hi: np.clip(x, lo, hi),
    ),
    "lax.complex": Special(ref=lambda x, y: x + 1j * y),
    "lax.rem": Special(data={"x": SIGNED, "y": Y + 0.5}, ref=np.fmod),
    "lax.sub": Special(ref=np.subtract),
    "lax.div": Special(data={"y": Y + 0.5}, ref=np.divide),
    "lax.mul": Special(ref=np.multiply),
    "lax.pow": Special(exponent=3, ref=np.power),
    "lax.integer_pow": Special(kwargs={"y": 3}, ref=lambda x, y: x**y),
    "lax.rsqrt": Special(ref=lambda x: 1 / np.sqrt(x)),
    "lax.neg": Special(data={"x": SIGNED}, ref=np.negative),
    "lax.cummax": Special(ref=lambda x, axis=0, reverse=False: np.maximum.accumulate(x, axis)),
    "lax.cummin": Special(ref=lambda x, axis=0, reverse=False: np.minimum.accumulate(x, axis)),
    "lax.cumsum": Special(
        ref=_lax("cumsum"), variants={"axis1reverse": {"axis": 1, "reverse": True}}
    ),
    "lax.reduce_precision": Special(
        kwargs={"exponent_bits": 5, "mantissa_bits": 10}, ref=_lax("reduce_precision")
    ),
    "lax.convert_element_type": Special(
        kwargs={"new_dtype": np.float32}, ref=lambda x, new_dtype: x.astype(new_dtype), rtol=1e-6
    ),
    "lax.bitcast_convert_type": Special(
        kwargs={"new_dtype": np.int64}, ref=lambda x, new_dtype: x.view(new_dtype)
    ),
    # -- indexing, scatter/gather, broadcasting, convolution, contraction, FFT ---------------
    "lax.approx_max_k": Special(kwargs={"k": 2}, ref=_lax("approx_max_k")),
    "lax.approx_min_k": Special(kwargs={"k": 2}, ref=_lax("approx_min_k")),
    "lax.top_k": Special(kwargs={"k": 2}, ref=_lax("top_k")),
    "lax.batch_matmul": Special(data={"x": X3, "y": X3.transpose(0, 2, 1)}, ref=np.matmul),
    "lax.broadcast": Special(
        kwargs={"sizes": (2,)}, ref=lambda x, sizes: np.broadcast_to(x, (*sizes, *x.shape))
    ),
    "lax.broadcast_in_dim": Special(
        data={"operand": X[0]},
        kwargs={"shape": (3, 4), "broadcast_dimensions": (1,)},
        ref=lambda x, shape, broadcast_dimensions: np.broadcast_to(x, shape),
    ),
    "lax.broadcast_to_rank": Special(
        data={"x": X[0]}, kwargs={"rank": 3}, ref=lambda x, rank: x.reshape(1, 1, 4)
    ),
    "lax.collapse": Special(data={"x": X3}, kwargs={"start_dimension": 0}, custom=_collapse),
    "lax.conv": Special(
        data={"x": IMG, "y": KERNEL},
        kwargs={"window_strides": (1, 1), "padding": "SAME"},
        ref=_lax("conv"),
    ),
    "lax.conv_transpose": Special(
        data={"x": IMG, "y": KERNEL.transpose(2, 3, 1, 0)},
        kwargs={
            "strides": (2, 2),
            "padding": "SAME",
            "dimension_numbers": ("NCHW", "HWIO", "NCHW"),
        },
        ref=_lax("conv_transpose"),
    ),
    "lax.dot_general": Special(
        data={"y": Y[:, :3]},
        kwargs={"dimension_numbers": (((0,), (0,)), ((), ()))},
        ref=lambda x, y, dimension_numbers: x.T @ y,
    ),
    "lax.dynamic_index_in_dim": Special(
        kwargs={"index": 1},
        ref=lambda x, index, axis=0, keepdims=True: np.take(
            x, [index] if keepdims else index, axis
        ),
    ),
    "lax.dynamic_slice": Special(
        kwargs={"start_indices": (1, 1), "slice_sizes": (2, 2)},
        ref=lambda x, start_indices, slice_sizes: x[1:3, 1:3],
    ),
    "lax.dynamic_slice_ind_dim": Special(
        kwargs={"start_index": 1, "slice_size": 2},
        ref=lambda x, start_index, slice_size, axis=0: np.take(x, range(1, 3), axis),
        variants={"axis1": {"axis": 1}},
    ),
    "lax.dynamic_update_index_in_dim": Special(
        data={"update": Y[0]},
        kwargs={"index": 2, "axis": 0},
        ref=_lax("dynamic_update_index_in_dim"),
    ),
    "lax.dynamic_update_slice": Special(
        data={"update": Y[:2, :2]},
        kwargs={"start_indices": (1, 1)},
        ref=_lax("dynamic_update_slice"),
    ),
    "lax.dynamic_update_slice_in_dim": Special(
        data={"update": Y[:2]},
        kwargs={"start_index": 1, "axis": 0},
        ref=_lax("dynamic_update_slice_in_dim"),
    ),
    "lax.fft": Special(kwargs={"fft_type": "RFFT", "fft_lengths": (4,)}, custom=_fft),
    "lax.index_in_dim": Special(
        kwargs={"index": 1},
        ref=lambda x, index, axis=0, keepdims=True: np.take(
            x, [index] if keepdims else index, axis
        ),
    ),
    "lax.index_take": Special(
        kwargs={"idxs": (np.array([0, 2]),), "axes": (0,)}, ref=lambda x, idxs, axes: x[idxs[0]]
    ),
    "lax.pad": Special(
        data={"padding_value": np.array(0.5)},
        kwargs={"padding_config": ((1, 0, 0), (0, 2, 1))},
        ref=_lax("pad"),
    ),
    "lax.slice": Special(
        kwargs={"start_indices": (0, 1), "limit_indices": (3, 4), "strides": (2, 1)},
        ref=lambda x, start_indices, limit_indices, strides: x[0:3:2, 1:4],
    ),
    "lax.slice_in_dim": Special(
        kwargs={"start_index": 1, "limit_index": 3},
        ref=lambda x, start_index, limit_index, stride=1, axis=0: np.take(x, range(1, 3), axis),
        variants={"axis1": {"axis": 1}},
    ),
    # -- matrix decompositions and solvers --------------------------------------------------
    "lax.cholesky": Special(data={"x": SQ}, ref=np.linalg.cholesky),
    "lax.eigh": Special(data={"x": SQ}, ref=_lax("linalg.eigh")),
    "lax.hessenberg": Special(data={"x": SQ}, ref=_lax("linalg.hessenberg")),
    "lax.householder_product": Special(
        data={"a": X.T.copy(), "taus": np.array([1.2, 0.5, 0.3])},
        ref=_lax("linalg.householder_product"),
    ),
    "lax.lu": Special(data={"x": SQ}, ref=_lax("linalg.lu")),
    "lax.qdwh": Special(data={"x": SQ}, ref=_lax("linalg.qdwh")),
    "lax.tridiagonal": Special(data={"a": SQ}, ref=_lax("linalg.tridiagonal")),
    "lax.triangular_solve": Special(
        data={"a": LOWER, "b": Y[:, :3]},
        kwargs={"lower": True},
        ref=lambda a, b, lower: np.linalg.solve(a.T, b.T).T,
    ),
    "lax.tridiagonal_solve": Special(
        data={
            "dl": np.array([0.0, 0.1, 0.2]),
            "d": np.array([2.0, 3.0, 4.0]),
            "du": np.array([0.1, 0.2, 0.0]),
            "b": Y[:, :1],
        },
        custom=_tridiagonal_solve,
    ),
}

_SCATTER = {"dimension_numbers": SCATTER}
SPECIAL.update(
    {
        f"lax.{name}": Special(
            data={"scatter_indices": IDX, "updates": Y[:2]}, kwargs=_SCATTER, ref=_lax(name)
        )
        for name in ("scatter", "scatter_add", "scatter_max", "scatter_min", "scatter_sub")
    }
)
SPECIAL.update(
    {
        "lax.scatter_mul": Special(
            data={"scatter_indices": IDX, "updates": Y[:2]},
            kwargs=_SCATTER,
            ref=_lax("scatter_mul"),
        ),
        "lax.scatter_apply": Special(
            data={"scatter_indices": IDX},
            kwargs={**_SCATTER, "func": jnp.negative, "update_shape": (2, 4)},
            ref=_lax("scatter_apply"),
        ),
        "lax.gather": Special(
            data={
                "start_indices": np.array([[5], [0]], dtype=np.int32),
                "fill_value": np.array(0.25),
            },
            kwargs={"dimension_numbers": GATHER, "slice_sizes": (1, 4), "mode": "fill"},
            ref=lambda x, idx, fill, **kw: np.asarray(
                jlax.gather(x, idx, fill_value=float(fill), **kw)
            ),
        ),
    }
)
