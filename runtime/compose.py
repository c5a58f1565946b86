"""Functions a library lacks, composed from the array-API functions it has.

The generated backend modules call these as `_compose.<name>(<namespace>, ...)` in a spec
`call:` override: `xp` is the library's namespace (numpy, dask.array, ndonnx, cupy, torch), the
array arguments are already plain mantissas on that library. Every formula is exact (no series
truncation) and avoids overflow in the branch `where` discards.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Literal, NoReturn

import numpy as np

from polyunit.convert import ndonnx_dtype, torch_dtype
from polyunit.rules import unsupported

# SELU constants (Klambauer et al. 2017), as in jax.nn.selu and torch.selu.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _clip(xp: Any, x: Any, lo: float | None, hi: float | None) -> Any:
    # clip takes Python-number bounds on every library (torch.maximum does not)
    return xp.clip(x, lo, hi)


def logaddexp0(xp: Any, x: Any) -> Any:
    """log(1 + exp(x)), stable for large |x|."""
    return _clip(xp, x, 0.0, None) + xp.log1p(xp.exp(-xp.abs(x)))


def sigmoid(xp: Any, x: Any) -> Any:
    return xp.exp(-logaddexp0(xp, -x))


def softplus(xp: Any, x: Any) -> Any:
    return logaddexp0(xp, x)


def log_sigmoid(xp: Any, x: Any) -> Any:
    return -logaddexp0(xp, -x)


def silu(xp: Any, x: Any) -> Any:
    return x * sigmoid(xp, x)


def relu6(xp: Any, x: Any) -> Any:
    return _clip(xp, x, 0.0, 6.0)


def hard_sigmoid(xp: Any, x: Any) -> Any:
    return relu6(xp, x + 3.0) / 6.0


def hard_silu(xp: Any, x: Any) -> Any:
    return x * hard_sigmoid(xp, x)


def hard_tanh(xp: Any, x: Any) -> Any:
    return _clip(xp, x, -1.0, 1.0)


def soft_sign(xp: Any, x: Any) -> Any:
    return x / (xp.abs(x) + 1.0)


def sparse_plus(xp: Any, x: Any) -> Any:
    """0 for x <= -1, (x + 1)^2 / 4 on (-1, 1), x for x >= 1."""
    middle = (x + 1.0) ** 2 / 4.0
    return xp.where(x <= -1.0, 0.0 * x, xp.where(x >= 1.0, x, middle))


def sparse_sigmoid(xp: Any, x: Any) -> Any:
    """0 for x <= -1, (x + 1) / 2 on (-1, 1), 1 for x >= 1."""
    return _clip(xp, (x + 1.0) / 2.0, 0.0, 1.0)


def elu(xp: Any, x: Any, alpha: float) -> Any:
    # expm1 of min(x, 0): the discarded branch never overflows
    return xp.where(x > 0, x, alpha * xp.expm1(_clip(xp, x, None, 0.0)))


def celu(xp: Any, x: Any, alpha: float) -> Any:
    return _clip(xp, x, 0.0, None) + alpha * xp.expm1(_clip(xp, x, None, 0.0) / alpha)


def selu(xp: Any, x: Any) -> Any:
    return SELU_SCALE * elu(xp, x, SELU_ALPHA)


def leaky_relu(xp: Any, x: Any, negative_slope: float) -> Any:
    return xp.where(x >= 0, x, negative_slope * x)


def squareplus(xp: Any, x: Any, b: float) -> Any:
    return (x + xp.sqrt(x * x + b)) / 2.0


def mish(xp: Any, x: Any) -> Any:
    return x * xp.tanh(logaddexp0(xp, x))


def gelu_tanh(xp: Any, x: Any) -> Any:
    """The tanh approximation of GELU (jax.nn.gelu(approximate=True))."""
    inner = math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)
    return 0.5 * x * (1.0 + xp.tanh(inner))


def gelu_erf(x: Any, erf: Callable[[Any], Any]) -> Any:
    """Exact GELU, x * Phi(x), given the library's erf."""
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def glu(xp: Any, x: Any, axis: int) -> Any:
    """First half of `x` along `axis` gated by the sigmoid of the second half."""
    n = x.shape[axis]
    if n % 2:
        raise ValueError(f"glu needs an even length along axis {axis}, got {n}")
    index_a = [slice(None)] * x.ndim
    index_b = [slice(None)] * x.ndim
    index_a[axis] = slice(0, n // 2)
    index_b[axis] = slice(n // 2, n)
    return x[tuple(index_a)] * sigmoid(xp, x[tuple(index_b)])


def exprel(xp: Any, x: Any) -> Any:
    """(exp(x) - 1) / x, with its limit 1 at x = 0.

    Near 0 the Taylor polynomial 1 + x/2 + x^2/6 + x^3/24 (error below 1e-14 for |x| < 1e-3)
    replaces the quotient, so the value and its derivative (1/2 at 0) are right there too."""
    small = xp.abs(x) < 1e-3
    safe = xp.where(small, 1.0, x)
    taylor = 1.0 + x * (0.5 + x * (1.0 / 6.0 + x / 24.0))
    return xp.where(small, taylor, xp.expm1(safe) / safe)


def _numpy_erf(x: Any) -> Any:
    import numpy as np

    # numpy has no erf; math.erf is exact to double precision
    return np.vectorize(math.erf, otypes=[x.dtype])(x)


def gelu(xp: Any, x: Any, approximate: bool) -> Any:
    """GELU: the tanh approximation, or exactly x * Phi(x) with the library's erf."""
    if approximate:
        return gelu_tanh(xp, x)
    lib = xp.__name__
    if lib == "numpy":
        return gelu_erf(x, _numpy_erf)
    if lib == "dask.array":
        return gelu_erf(x, lambda v: v.map_blocks(_numpy_erf))
    if lib == "cupy":
        special = importlib.import_module("cupyx.scipy.special")
        return gelu_erf(x, special.erf)
    return gelu_erf(x, lambda v: erf(xp, v))


def erf(xp: Any, x: Any) -> Any:
    """The error function to double precision (max relative error ~1e-15): its Taylor series
    for |x| <= 2, the continued fraction of erfc beyond."""
    cut = 2.0
    xs = _clip(xp, x, -cut, cut)
    x2 = xs * xs
    term = xs
    total = xs
    for n in range(1, 45):
        term = term * (-x2) / n
        total = total + term / (2 * n + 1)
    series = total * (2.0 / math.sqrt(math.pi))
    a = _clip(xp, xp.abs(x), cut, None)
    f = a
    for k in range(100, 0, -1):
        f = a + (k / 2.0) / f
    tail = 1.0 - xp.exp(-a * a) / (math.sqrt(math.pi) * f)
    return xp.where(xp.abs(x) <= cut, series, xp.where(x < 0, -tail, tail))


def _astype(xp: Any, a: Any, dtype: Any) -> Any:
    # a dtype name is looked up on the library (ndx.int64); dask takes numpy's names
    if isinstance(dtype, str):
        dtype = getattr(xp, dtype, dtype)
    return xp.astype(a, dtype) if hasattr(xp, "astype") else a.astype(dtype)


def _concat(xp: Any, arrays: list[Any]) -> Any:
    # array-API libraries call it concat; dask keeps numpy's name
    join = getattr(xp, "concat", None) or xp.concatenate
    return join(arrays, axis=0)


def stack_rows(xp: Any, m: Any, y: Any, rowvar: bool) -> Any:
    """The variables of `cov`/`corrcoef` as rows of one 2-D array (numpy's convention)."""

    def rows(a: Any) -> Any:
        if a.ndim < 2:
            a = xp.reshape(a, (1, -1))
        return a.T if not rowvar and a.shape[0] != 1 else a

    x = rows(m)
    return x if y is None else _concat(xp, [x, rows(y)])


def _squeeze(xp: Any, a: Any) -> Any:
    return xp.reshape(a, tuple(s for s in a.shape if s != 1))


def cov(
    xp: Any,
    m: Any,
    y: Any,
    rowvar: bool,
    bias: bool,
    ddof: int | None,
    fweights: Any,
    aweights: Any,
) -> Any:
    """Covariance matrix with numpy's weighting and normalisation rules."""
    x = stack_rows(xp, m, y, rowvar)
    if ddof is None:
        ddof = 0 if bias else 1
    w = None
    if fweights is not None:
        w = _astype(xp, fweights, x.dtype)
    if aweights is not None:
        a = _astype(xp, aweights, x.dtype)
        w = a if w is None else w * a
    if w is None:
        avg = xp.sum(x, axis=1) / x.shape[1]
        fact: Any = x.shape[1] - ddof
    else:
        w_sum = xp.sum(w)
        avg = xp.sum(x * w, axis=1) / w_sum
        if ddof == 0:
            fact = w_sum
        elif aweights is None:
            fact = w_sum - ddof
        else:
            fact = w_sum - ddof * xp.sum(w * _astype(xp, aweights, x.dtype)) / w_sum
    xc = x - xp.reshape(avg, (-1, 1))
    xw = xc if w is None else xc * w
    return _squeeze(xp, xp.matmul(xc, xw.T) / fact)


def corrcoef(xp: Any, x: Any, y: Any, rowvar: bool) -> Any:
    """Pearson correlation coefficients, clipped to [-1, 1] like numpy's."""
    c = cov(xp, x, y, rowvar, False, None, None, None)
    if c.ndim == 0:
        return c / c
    d = xp.sqrt(xp.sum(c * xp.eye(c.shape[0], dtype=c.dtype), axis=1))
    c = c / xp.reshape(d, (-1, 1)) / xp.reshape(d, (1, -1))
    return xp.clip(c, -1.0, 1.0)


def correlate(xp: Any, a: Any, v: Any, mode: str) -> Any:
    """numpy.correlate of two 1-D arrays: c[k] = sum_n a[n + k] * v[n]."""
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"mode must be 'valid', 'same' or 'full', got {mode!r}")
    na, nv = a.shape[0], v.shape[0]
    if na == 0 or nv == 0:
        raise ValueError("correlate needs two non-empty 1-D arrays")
    pad = xp.zeros((nv - 1,), dtype=a.dtype)
    padded = _concat(xp, [pad, a, pad])
    length = na + nv - 1
    full = padded[0:length] * v[0]
    for n in range(1, nv):
        full = full + padded[n : n + length] * v[n]
    if mode == "full":
        return full
    if mode == "valid":
        return full[min(na, nv) - 1 : max(na, nv)]
    start = (length - max(na, nv)) // 2
    return full[start : start + max(na, nv)]


def frexp(xp: Any, x: Any) -> tuple[Any, Any]:
    """Mantissa in [0.5, 1) and integer exponent with x = mantissa * 2**exponent."""
    finite = xp.isfinite(x) & (x != 0)
    safe = xp.where(finite, xp.abs(x), 1.0)
    e = xp.floor(xp.log2(safe)) + 1.0
    m = xp.where(finite, x / 2.0**e, x)
    # log2 can round across a power of two; one correction step makes 0.5 <= |m| < 1 exact
    big = xp.abs(m) >= 1.0
    m = xp.where(big & finite, m / 2.0, m)
    e = xp.where(big & finite, e + 1.0, e)
    small = xp.abs(m) < 0.5
    m = xp.where(small & finite, m * 2.0, m)
    e = xp.where(small & finite, e - 1.0, e)
    return m, _astype(xp, xp.where(finite, e, 0.0), "int32")


def angle(xp: Any, x: Any, deg: bool) -> Any:
    """Phase of a real array: pi where negative, else 0."""
    r = xp.where(x < 0, math.pi, 0.0 * x)
    return r * (180.0 / math.pi) if deg else r


def cut(r: Any, length: int | None) -> Any:
    """The first `length` entries (all when None)."""
    return r if length is None else r[:length]


def sized(xp: Any, r: Any, size: int | None, fill_value: int | None) -> Any:
    """Index rows truncated, or padded with `fill_value` (default 0), to exactly `size` rows."""
    if size is None:
        return r
    n = r.shape[0]
    if n >= size:
        return r[:size, ...]  # the ellipsis: ndonnx wants every axis of a 2-d key named
    fill = 0 if fill_value is None else fill_value
    pad = xp.full((size - n, *r.shape[1:]), fill, dtype=r.dtype)
    return _concat(xp, [r, pad])


def argwhere(xp: Any, a: Any) -> Any:
    """One row of indices per nonzero element, from the library's nonzero."""
    if a.ndim == 0:
        a = xp.reshape(a, (1,))
        return xp.reshape(xp.nonzero(a)[0], (-1, 0))
    return xp.stack(list(xp.nonzero(a)), axis=1)


def array_equal(xp: Any, x: Any, y: Any, equal_nan: bool) -> Any:
    """Same shape and equal elements; NaNs count as equal when `equal_nan`."""
    if tuple(x.shape) != tuple(y.shape):
        return xp.asarray(False)
    same = x == y
    if equal_nan:
        same = same | (xp.isnan(x) & xp.isnan(y))
    return xp.all(same)


def isclose(xp: Any, x: Any, y: Any, rtol: float, atol: Any, equal_nan: bool) -> Any:
    """numpy's isclose: |x - y| <= atol + rtol * |y|; infinities equal only to themselves."""
    close = xp.abs(x - y) <= atol + rtol * xp.abs(y)
    same = xp.where(xp.isfinite(x) & xp.isfinite(y), close, x == y)
    if equal_nan:
        same = same | (xp.isnan(x) & xp.isnan(y))
    return same


def heaviside(xp: Any, x1: Any, x2: Any) -> Any:
    """0 where x1 < 0, x2 where x1 == 0, 1 where x1 > 0, NaN where x1 is NaN."""
    zero = 0.0 * x1
    steps = xp.where(x1 > 0, zero + 1.0, xp.where(x1 < 0, zero, zero + x2))
    return xp.where(xp.isnan(x1), x1, steps)


def digitize(xp: Any, x: Any, bins: Any, right: bool) -> Any:
    """numpy's digitize from searchsorted, for increasing or decreasing bins."""
    side = "left" if right else "right"
    n = bins.shape[0]
    if n > 1 and bool(bins[n - 1] < bins[0]):
        flipped = bins.flip(0) if hasattr(bins, "flip") else xp.flip(bins, axis=0)
        return n - xp.searchsorted(flipped, x, side=side)
    return xp.searchsorted(bins, x, side=side)


def bincount(xp: Any, x: Any, weights: Any, minlength: int, length: int | None) -> Any:
    """Counts (or weight sums) of each value in `x`, from a one-hot comparison."""
    if length is None:
        top = int(xp.max(x)) + 1 if x.shape[0] else 0
        length = max(minlength, top)
    hits = xp.reshape(x, (-1, 1)) == xp.reshape(xp.arange(length, dtype=x.dtype), (1, -1))
    if weights is None:
        return xp.sum(_astype(xp, hits, "int64"), axis=0)
    w = xp.reshape(weights, (-1, 1))
    return xp.sum(xp.where(hits, w, 0.0 * w), axis=0)


def bincount_lazy(xp: Any, x: Any, weights: Any, minlength: int, length: int | None) -> Any:
    """dask's bincount takes `minlength` as the output length (wrong when a value exceeds it):
    a fixed `length` is computed by one-hot sums, a `minlength` by numpy in one task."""
    if length is not None:
        return bincount(xp, x, weights, minlength, length)
    if not minlength:
        return xp.bincount(x, weights)
    arrays, dtype = ([x], np.intp) if weights is None else ([x, weights], np.float64)
    return dask_whole(xp, partial(np.bincount, minlength=minlength), arrays, (math.nan,), dtype)


def dask_whole(
    da: Any, fn: Callable[..., Any], arrays: Sequence[Any], shape: tuple[float, ...], dtype: Any
) -> Any:
    """`fn` on the whole of each dask array, as one task of the graph (NaN in `shape`: a length
    known once computed). For results a chunked algorithm cannot give: index lists padded to a
    size, bincount with a minimum length."""
    from dask.delayed import delayed  # pyright: ignore[reportUnknownVariableType]

    blocks = [a.rechunk(-1).to_delayed().ravel()[0] for a in arrays]
    return da.from_delayed(delayed(fn)(*blocks), shape=shape, dtype=dtype)


def dask_unique_slices(da: Any, a: Any, axis: int, equal_nan: bool) -> Any:
    """Unique slices along `axis` on dask (which has only the flat unique): one task."""
    axis = axis % a.ndim
    shape = tuple(math.nan if i == axis else n for i, n in enumerate(a.shape))
    return dask_whole(da, partial(np.unique, axis=axis, equal_nan=equal_nan), [a], shape, a.dtype)


def dask_sized_indices(da: Any, name: str, a: Any, size: int | None, fill_value: int | None) -> Any:
    """dask's argwhere / flatnonzero, padded or cut to `size` rows: the number of nonzero
    elements is unknown until computed, so with `size` the whole array is one task."""
    if size is None:
        return getattr(da, name)(a)
    shape = (size, a.ndim) if name == "argwhere" else (size,)

    def indices(b: Any) -> Any:
        return sized(np, getattr(np, name)(b), size, fill_value)

    return dask_whole(da, indices, [a], shape, np.intp)


def gradient_axis(xp: Any, f: Any, spacing: Any, axis: int) -> Any:
    """numpy's gradient along one axis with edge_order=1: second-order central differences
    inside, one-sided differences at the two ends; `spacing` is a step or the coordinates."""
    n = f.shape[axis]
    if n < 2:
        raise ValueError(f"gradient needs at least 2 points along axis {axis}, got {n}")

    def part(start: int | None, stop: int | None) -> Any:
        index = [slice(None)] * f.ndim
        index[axis] = slice(start, stop)
        return f[tuple(index)]

    def along(v: Any) -> Any:
        # a 1-D array of coefficients, laid along `axis` for broadcasting
        target = [1] * f.ndim
        target[axis] = -1
        return xp.reshape(v, tuple(target))

    if getattr(spacing, "ndim", 0) == 0:
        h = spacing
        inner = (part(2, None) - part(None, -2)) / (2.0 * h)
        first = (part(1, 2) - part(0, 1)) / h
        last = (part(n - 1, n) - part(n - 2, n - 1)) / h
    else:
        dx = spacing[1:] - spacing[:-1]
        dx1, dx2 = dx[:-1], dx[1:]
        a = -dx2 / (dx1 * (dx1 + dx2))
        b = (dx2 - dx1) / (dx1 * dx2)
        c = dx1 / (dx2 * (dx1 + dx2))
        inner = along(a) * part(None, -2) + along(b) * part(1, -1) + along(c) * part(2, None)
        first = (part(1, 2) - part(0, 1)) / dx[0]
        last = (part(n - 1, n) - part(n - 2, n - 1)) / dx[n - 2]
    if n == 2:
        return _concat_axis(xp, [first, last], axis)
    return _concat_axis(xp, [first, inner, last], axis)


def _concat_axis(xp: Any, arrays: list[Any], axis: int) -> Any:
    join = getattr(xp, "concat", None) or xp.concatenate
    return join(arrays, axis=axis)


def einsum(xp: Any, subscripts: str, operands: list[Any]) -> Any:
    """Einstein summation by broadcasting: every operand is laid out over all labels, the
    product is summed over the labels the output lacks. No '...' and no repeated label within
    one operand (the library's own einsum handles those where it has one)."""
    spec = subscripts.replace(" ", "")
    inputs, _, output = spec.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise ValueError(f"einsum: {subscripts!r} names {len(terms)} operands, got {len(operands)}")
    if "." in spec:
        raise ValueError("einsum with '...' is not supported on this backend; name every axis")
    if "->" not in spec:
        letters = "".join(terms)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    labels = list(output) + sorted({c for t in terms for c in t} - set(output))
    result = None
    for term, op in zip(terms, operands, strict=True):
        if len(set(term)) != len(term) or len(term) != op.ndim:
            raise ValueError(
                f"einsum: term {term!r} does not fit an operand of shape {tuple(op.shape)} "
                "(repeated labels are not supported on this backend)"
            )
        order = sorted(range(len(term)), key=lambda i: labels.index(term[i]))
        if order != list(range(len(term))):
            op = (
                xp.permute_dims(op, tuple(order))
                if hasattr(xp, "permute_dims")
                else op.permute(*order)
            )
        sizes = {term[order[i]]: op.shape[i] for i in range(op.ndim)}
        op = xp.reshape(op, tuple(sizes.get(c, 1) for c in labels))
        result = op if result is None else result * op
    summed = tuple(range(len(output), len(labels)))
    return xp.sum(result, axis=summed) if summed else result


# -- linalg and fft: compositions too long for one `call:` expression --------------------


def refuse(op: str, backend: str, reason: str) -> NoReturn:
    """Raise for an argument value this backend cannot compute (the reason names the fix)."""
    raise unsupported(op, backend, reason)


def chain(product: Callable[[Any, Any], Any], arrays: Sequence[Any]) -> Any:
    """Left-to-right product of two or more arrays (multi_dot where the library has none)."""
    if len(arrays) < 2:
        raise ValueError(f"multi_dot needs at least two arrays, got {len(arrays)}")
    result = arrays[0]
    for m in arrays[1:]:
        result = product(result, m)
    return result


def torch_lstsq(torch: Any, a: Any, b: Any, rcond: float | None) -> tuple[Any, Any, Any, Any]:
    """torch.linalg.lstsq with numpy's conventions: a 1-D `b` is one right-hand side, the rank
    is always computed (driver gelsd), and the residuals (for a tall `a` of full rank, else
    empty) and singular values are computed from differentiable ops, which torch's are not."""
    vector = b.ndim == 1
    rhs = b[..., None] if vector else b
    r = torch.linalg.lstsq(a, rhs, rcond=rcond, driver="gelsd")
    rows, cols = a.shape[-2], a.shape[-1]
    residuals = r.residuals
    if rows > cols and bool((r.rank == cols).all()):
        residuals = ((a @ r.solution - rhs).abs() ** 2).sum(-2)
    solution = r.solution[..., 0] if vector else r.solution
    return solution, residuals, r.rank, torch.linalg.svdvals(a)


def torch_qr_raw(torch: Any, a: Any) -> tuple[Any, Any]:
    """numpy's qr(mode='raw'): LAPACK's (h, tau), with h transposed as numpy returns it."""
    h, tau = torch.geqrf(a)
    return h.mT, tau


def fft_axes(
    ndim: int, axes: int | Sequence[int] | None, s: int | Sequence[int] | None = None
) -> tuple[int, ...]:
    """The axes an n-D FFT transforms, by numpy's rule: `axes` None means the last len(s) axes
    when `s` is given, else all axes (dask would take the first len(s) axes)."""
    if axes is None:
        count = ndim if s is None else (1 if isinstance(s, int) else len(s))
        return tuple(range(ndim - count, ndim))
    return (axes,) if isinstance(axes, int) else tuple(axes)


def whole_axes(
    a: Any, axes: int | Sequence[int] | None, s: int | Sequence[int] | None = None
) -> Any:
    """A dask array rechunked so the transformed axes are one chunk each, as dask's FFTs need."""
    return a.rechunk({ax % a.ndim: -1 for ax in fft_axes(a.ndim, axes, s)})


def kron(xp: Any, a: Any, b: Any) -> Any:
    """Kronecker product by broadcasting: axis k of the result indexes (a's k, b's k) pairs,
    with the shorter shape padded by leading ones (numpy's rule). Any chunking on dask."""
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + tuple(a.shape)
    sb = (1,) * (nd - b.ndim) + tuple(b.shape)
    a_ = xp.reshape(a, tuple(x for n in sa for x in (n, 1)))
    b_ = xp.reshape(b, tuple(x for n in sb for x in (1, n)))
    return xp.reshape(a_ * b_, tuple(x * y for x, y in zip(sa, sb, strict=True)))


def matrix_power(
    matmul: Callable[[Any, Any], Any],
    inv: Callable[[Any], Any] | None,
    eye: Any,
    a: Any,
    n: int,
) -> Any:
    """a**n for square matrices by repeated squaring; n < 0 inverts first (`inv` None: the
    caller refused negative powers), n == 0 is `eye`."""
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"matrix_power needs square matrices in the last two axes, got {a.shape}")
    if n < 0:
        if inv is None:
            raise ValueError("matrix_power: a negative power needs a matrix inverse")
        a, n = inv(a), -n
    result = None
    while n:
        if n & 1:
            result = a if result is None else matmul(result, a)
        n >>= 1
        if n:
            a = matmul(a, a)
    return eye if result is None else result


def pinv_svd(svd: Callable[[Any], Any], a: Any, rtol: float | None) -> Any:
    """Pseudo-inverse of a matrix from its reduced SVD: V diag(1/s) U^H, dropping singular
    values below rtol * max(s) (numpy's default rtol: max(m, n) * eps)."""
    u, s, vh = svd(a)
    if rtol is None:
        rtol = max(a.shape[-2:]) * float(np.finfo(a.dtype).eps)
    keep = s > rtol * s.max()
    s_inv = (1 / (s + (s <= 0))) * keep  # avoid 1/0 where the value is dropped anyway
    return (vh.conj().T * s_inv) @ u.conj().T


def matrix_rank_svd(svd: Callable[[Any], Any], m: Any, rtol: float | None, tol: Any | None) -> Any:
    """Number of singular values above `tol`, or above rtol * max(s) (numpy's rule; default
    rtol max(m, n) * eps)."""
    s = svd(m)[1]
    if tol is None:
        if rtol is None:
            rtol = max(m.shape[-2:]) * float(np.finfo(m.dtype).eps)
        tol = s.max() * rtol
    return (s > tol).sum()


def tensorinv(inv: Callable[[Any], Any], a: Any, ind: int) -> Any:
    """Inverse of `a` under tensordot over its first `ind` axes, through a square matrix inverse."""
    if ind <= 0:
        raise ValueError(f"tensorinv: ind must be a positive integer, got {ind}")
    rows, cols = tuple(a.shape[:ind]), tuple(a.shape[ind:])
    n = math.prod(int(k) for k in rows)
    return inv(a.reshape(n, -1)).reshape(cols + rows)


def tensorsolve(solve: Callable[[Any, Any], Any], a: Any, b: Any, axes: Any) -> Any:
    """x with tensordot(a, x, x.ndim) == b, through a square linear solve (numpy's method)."""
    if axes is not None:
        axes = (axes,) if isinstance(axes, int) else tuple(axes)
        order = [k for k in range(a.ndim) if k not in {ax % a.ndim for ax in axes}]
        a = a.transpose(order + [ax % a.ndim for ax in axes])
    xshape = tuple(a.shape[b.ndim :])
    n = math.prod(int(k) for k in b.shape)
    return solve(a.reshape(n, -1), b.reshape(-1)).reshape(xshape)


def torch_frequencies(fn: Any, n: int, d: Any, dtype: Any) -> Any:
    """torch.fft.fftfreq / rfftfreq for a tensor spacing: computed for d = 1 and divided by d,
    so the result keeps d's device and autograd (torch takes d only as a Python float)."""
    floating = d.is_floating_point() or d.is_complex()
    base = fn(n, device=d.device, dtype=d.dtype if floating else None)
    out = base / d
    return out if dtype is None else out.to(dtype)


def dask_square(a: Any) -> Any:
    """`a` with one chunk size along both matrix axes, as dask's LU needs (one chunk if the
    given chunks are uneven)."""
    if len(set(a.chunks[-2] + a.chunks[-1])) == 1:
        return a
    return a.rechunk({a.ndim - 2: -1, a.ndim - 1: -1})


def dask_solve(da: Any, a: Any, b: Any) -> Any:
    """da.linalg.solve with the chunking it needs: square chunks of `a`, rows of `b` to match."""
    a = dask_square(a)
    return da.linalg.solve(a, b.rechunk({0: a.chunks[-1]}))


def dask_inverse(da: Any) -> Callable[[Any], Any]:
    """da.linalg.inv for any chunking of the matrix."""
    return lambda a: da.linalg.inv(dask_square(a))


def dask_solver(da: Any) -> Callable[[Any, Any], Any]:
    """dask_solve as a two-argument function."""
    return lambda a, b: dask_solve(da, a, b)


# dask's own SVD and QR (tsqr) are reduced only. The other forms run numpy's per matrix as a
# generalised ufunc, each matrix in one chunk (their outputs are dense m×m matrices anyway).


def dask_full_svd(da: Any, x: Any) -> tuple[Any, Any, Any]:
    """The full SVD (U m×m, S, Vh n×n) of each matrix, lazily."""
    m, n = x.shape[-2], x.shape[-1]
    real = np.zeros(0, x.dtype).real.dtype
    return tuple(
        da.apply_gufunc(
            np.linalg.svd,
            "(m,n)->(m,p),(k),(n,q)",
            x,
            output_dtypes=(x.dtype, real, x.dtype),
            output_sizes={"p": m, "k": min(m, n), "q": n},
            allow_rechunk=True,
        )
    )


def dask_qr(da: Any, a: Any, mode: str) -> tuple[Any, Any]:
    """(Q, R) for mode 'reduced' (dask's tsqr) or 'complete' (Q m×m), (h, tau) for 'raw'."""
    if mode == "reduced":
        return tuple(da.linalg.qr(a))
    m, n = a.shape[-2], a.shape[-1]
    signature = "(m,n)->(m,p),(m,n)" if mode == "complete" else "(m,n)->(n,m),(k)"
    return tuple(
        da.apply_gufunc(
            lambda b: np.linalg.qr(b, mode=mode),  # type: ignore[call-overload]
            signature,
            a,
            output_dtypes=(a.dtype, a.dtype),
            output_sizes={"p": m, "k": min(m, n)},
            allow_rechunk=True,
        )
    )


def _per_matrix(da: Any, fn: Callable[..., Any], signature: str, a: Any, dtypes: Any) -> Any:
    # the matrix axes go to one chunk (allow_rechunk); the stack axes keep their chunks
    return da.apply_gufunc(fn, signature, a, output_dtypes=dtypes, allow_rechunk=True)


def _real_dtype(dtype: Any) -> Any:
    return np.zeros(0, dtype).real.dtype


def dask_det(da: Any, a: Any) -> Any:
    """numpy's det of each matrix, lazily."""
    return _per_matrix(da, np.linalg.det, "(n,n)->()", a, a.dtype)


def dask_slogdet(da: Any, a: Any) -> tuple[Any, Any]:
    """numpy's (sign, log|det|) of each matrix, lazily."""
    return tuple(
        _per_matrix(da, np.linalg.slogdet, "(n,n)->(),()", a, (a.dtype, _real_dtype(a.dtype)))
    )


def dask_eig(da: Any, a: Any, vectors: bool) -> Any:
    """numpy's eig (or eigvals) of each matrix, lazily. Always complex: numpy's result is real
    when every eigenvalue happens to be, a dtype a lazy graph cannot wait for."""
    cdt = np.result_type(a.dtype, np.complex64)

    def eig(m: Any) -> Any:
        w, v = np.linalg.eig(m)
        return (w.astype(cdt), v.astype(cdt)) if vectors else w.astype(cdt)

    if vectors:
        return tuple(_per_matrix(da, eig, "(n,n)->(n),(n,n)", a, (cdt, cdt)))
    return _per_matrix(da, eig, "(n,n)->(n)", a, cdt)


def dask_eigh(da: Any, a: Any, uplo: str, vectors: bool) -> Any:
    """numpy's eigh (or eigvalsh) of each Hermitian matrix, lazily."""
    if uplo not in ("L", "U"):
        raise ValueError(f"UPLO must be 'L' or 'U', got {uplo!r}")
    side: Literal["L", "U"] = "L" if uplo == "L" else "U"
    real = _real_dtype(a.dtype)
    if vectors:
        return tuple(
            _per_matrix(
                da, partial(np.linalg.eigh, UPLO=side), "(n,n)->(n),(n,n)", a, (real, a.dtype)
            )
        )
    return _per_matrix(da, partial(np.linalg.eigvalsh, UPLO=side), "(n,n)->(n)", a, real)


def dask_sort(
    da: Any,
    a: Any,
    axis: int | None,
    indices: bool,
    kind: str | None = None,
    order: Any = None,
    stable: bool = True,
    descending: bool = False,
) -> Any:
    """numpy's sort (argsort with `indices`) along one axis of a dask array: that axis in one
    chunk, one task per chunk of the other axes (the flattened array, for axis None, is one)."""
    if axis is None:
        a, axis = da.ravel(a), 0
    ax: int = axis % a.ndim if a.ndim else axis

    def per_block(b: Any) -> Any:
        if indices:
            return numpy_argsort(np, b, ax, kind, order, stable, descending)
        options: dict[str, Any] = {"kind": kind, "order": order}
        options["stable"] = stable if kind is None else None  # numpy takes one or the other
        r: Any = np.sort(b, axis=ax, **options)
        return np.flip(r, axis=ax) if descending else r

    return a.rechunk({ax: -1}).map_blocks(per_block, dtype=np.intp if indices else a.dtype)


# -- array-API compositions (ndonnx): diagonals, norms, quantiles, integer and angle functions --


def _eye_positions(n: int, m: int, offset: int) -> list[int]:
    """Flat indices, in an n x m matrix, of its diagonal with the given offset."""
    return [i * m + i + offset for i in range(max(0, -offset), min(n, m - offset))]


def diagonal(xp: Any, a: Any, offset: int, axis1: int, axis2: int) -> Any:
    """numpy's diagonal, gathered at its flat positions: exact, and values off the diagonal
    (NaN, inf) never take part."""
    a = xp.moveaxis(a, (axis1, axis2), (-2, -1))
    n, m = a.shape[-2], a.shape[-1]
    flat = xp.reshape(a, (*a.shape[:-2], n * m))
    index = xp.asarray(np.asarray(_eye_positions(n, m, offset), dtype=np.int64))
    return xp.take(flat, index, axis=-1)


def trace(xp: Any, a: Any, offset: int, axis1: int, axis2: int, dtype: Any = None) -> Any:
    """numpy's trace: the sum of the diagonal (0 where the offset leaves none)."""
    return xp.sum(diagonal(xp, a, offset, axis1, axis2), axis=-1, dtype=dtype)


def diag(xp: Any, v: Any, k: int) -> Any:
    """numpy's diag: the k-th diagonal of a 2-D array, or a 2-D array with `v` on it."""
    if v.ndim == 2:
        return diagonal(xp, v, k, 0, 1)
    if v.ndim != 1:
        raise ValueError(f"diag needs a 1-D or 2-D input, got shape {tuple(v.shape)}")
    n = v.shape[0] + abs(k)
    padded = _concat(xp, [v, xp.zeros((abs(k),), dtype=v.dtype)])
    # on the diagonal, row i holds v[i] when k >= 0, column j holds v[j] when k < 0
    grid = xp.reshape(padded, (-1, 1) if k >= 0 else (1, -1))
    # `grid` in the second branch: onnxruntime's Where turns a -0.0 from the first into 0
    off = ~xp.eye(n, n, k=k, dtype=xp.bool)
    return xp.where(off, xp.zeros_like(grid), grid)


def cross(xp: Any, a: Any, b: Any, axisa: int, axisb: int, axisc: int, axis: int | None) -> Any:
    """numpy's cross of 3-element (or 2-element) vectors, with its formulas per case."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a = xp.moveaxis(xp.asarray(a), axisa, -1)
    b = xp.moveaxis(xp.asarray(b), axisb, -1)
    la, lb = a.shape[-1], b.shape[-1]
    if la not in (2, 3) or lb not in (2, 3):
        raise ValueError("incompatible dimensions for cross product (dimension must be 2 or 3)")
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    c2 = a0 * b1 - a1 * b0
    if la == 2 and lb == 2:
        return c2
    if la == 2:  # a's third component is 0: numpy leaves its products out (0 * inf is NaN)
        c0, c1 = a1 * b[..., 2], -(a0 * b[..., 2])
    elif lb == 2:
        c0, c1 = -(a[..., 2] * b1), a[..., 2] * b0
    else:
        a2, b2 = a[..., 2], b[..., 2]
        c0, c1 = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2
    return xp.moveaxis(xp.stack(list(xp.broadcast_arrays(c0, c1, c2)), axis=-1), -1, axisc)


def vector_norm(xp: Any, x: Any, axis: Any, keepdims: bool, ord: Any) -> Any:
    """numpy's vector norm over `axis` (all axes, flattened, when None)."""
    ndim = x.ndim
    flat = axis is None
    if flat:
        x, axis = xp.reshape(x, (-1,)), 0
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors")
    a = xp.abs(x)
    if ord == math.inf:
        r = xp.max(a, axis=axis, keepdims=keepdims)
    elif ord == -math.inf:
        r = xp.min(a, axis=axis, keepdims=keepdims)
    elif ord == 0:  # the number of non-zero entries, as a float like numpy's
        r = xp.sum(_astype(xp, x != 0, a.dtype), axis=axis, keepdims=keepdims)
    elif ord == 1:
        r = xp.sum(a, axis=axis, keepdims=keepdims)
    elif ord == 2:
        r = xp.sqrt(xp.sum(a * a, axis=axis, keepdims=keepdims))
    else:
        r = xp.sum(a**ord, axis=axis, keepdims=keepdims) ** (1.0 / ord)
    return xp.reshape(r, (1,) * ndim) if flat and keepdims else r


def matrix_norm(
    xp: Any, x: Any, ord: Any, axes: tuple[int, int], keepdims: bool, op: str, backend: str
) -> Any:
    """numpy's matrix norms that need no SVD (Frobenius, 1, -1, inf, -inf) over `axes`;
    2, -2 and 'nuc' are sums or extremes of singular values, refused here."""
    row, col = (ax % x.ndim for ax in axes)
    if row == col:
        raise ValueError("Duplicate axes given.")
    a = xp.abs(x)
    if ord in ("fro", "f"):
        r = xp.sqrt(xp.sum(a * a, axis=(row, col)))
    elif ord in (1, -1):  # extreme column sum
        pick = xp.max if ord == 1 else xp.min
        r = pick(xp.sum(a, axis=row), axis=col - (col > row))
    elif ord in (math.inf, -math.inf):  # extreme row sum
        pick = xp.max if ord == math.inf else xp.min
        r = pick(xp.sum(a, axis=col), axis=row - (row > col))
    elif ord in (2, -2, "nuc"):
        refuse(op, backend, f"the matrix norm ord={ord!r} needs singular values (an SVD)")
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices.")
    if keepdims:
        shape = list(x.shape)
        shape[row] = shape[col] = 1
        r = xp.reshape(r, tuple(shape))
    return r


def norm(xp: Any, x: Any, ord: Any, axis: Any, keepdims: bool, op: str, backend: str) -> Any:
    """numpy.linalg.norm: a vector norm over one axis, a matrix norm over two, and with
    neither `ord` nor `axis` the 2-norm of the flattened array."""
    if axis is None:
        if ord is None:
            return vector_norm(xp, x, None, keepdims, 2)
        axis = tuple(range(x.ndim))
    elif isinstance(axis, int):
        axis = (axis,)
    if len(axis) == 1:
        return vector_norm(xp, x, axis[0], keepdims, 2 if ord is None else ord)
    if len(axis) == 2:
        return matrix_norm(xp, x, "fro" if ord is None else ord, axis, keepdims, op, backend)
    raise ValueError("Improper number of dimensions to norm.")


def _signbit(v: Any) -> Any:
    # ndonnx declares signbit but does not implement it; -0.0 is told apart by 1 / v
    return (v < 0) | ((v == 0) & (1.0 / v < 0))


def _atan_unit(xp: Any, s: Any) -> Any:
    """atan on [0, 1] to double precision where the library's atan is float32 (onnxruntime):
    one correction, atan(s) = t + atan(tan(atan(s) - t)), whose inner atan of a ~1e-7 argument
    is the argument itself; cos t is sin(pi/2 - t), as only sin is computed in float64."""
    t = xp.atan(s)
    c, sn = xp.sin(math.pi / 2 - t), xp.sin(t)
    return t + (s * c - sn) / (c + s * sn)


def arctan2(xp: Any, y: Any, x: Any) -> Any:
    """atan2 from atan: the angle of min(|x|, |y|) / max(|x|, |y|) in [0, pi/4], reflected into
    its octant by the magnitudes and the signs, signed zeros and infinities included (C99's
    atan2, as numpy's)."""
    y, x = xp.asarray(y), xp.asarray(x)
    if not xp.isdtype(xp.result_type(y, x), "real floating"):
        y, x = _astype(xp, y, "float64"), _astype(xp, x, "float64")
    ay, ax = xp.abs(y), xp.abs(x)
    steep = ay > ax
    num, den = xp.where(steep, ax, ay), xp.where(steep, ay, ax)
    s = xp.where(den == 0, 0.0, num / xp.where(den == 0, 1.0, den))  # both zero: angle 0
    s = xp.where(xp.isinf(num), 1.0, s)  # both infinite: the diagonal
    t = _atan_unit(xp, s)
    t = xp.where(steep, math.pi / 2 - t, t)
    angle = xp.where(_signbit(x), math.pi - t, t)
    angle = xp.where(xp.isnan(x) | xp.isnan(y), x + y, angle)  # NaN in, NaN out
    # the sign by a product: onnxruntime's Where turns a -0.0 taken from its first branch into 0
    return angle * (1.0 - 2.0 * _astype(xp, _signbit(y), angle.dtype))


def _euclid_steps(top: int) -> int:
    """An upper bound on the division steps of Euclid's algorithm for values up to `top`:
    n steps need a divisor of at least Fibonacci(n + 1) (Lame), plus one step when x1 < x2."""
    steps, f0, f1 = 0, 1, 1  # f1 = Fibonacci(steps + 1)
    while f1 <= top:
        steps, f0, f1 = steps + 1, f1, f0 + f1
    return steps + 1


def gcd(xp: Any, x1: Any, x2: Any) -> Any:
    """Greatest common divisor by Euclid's algorithm on |x1| and |x2|, unrolled for the
    largest value of the dtype: exact integer arithmetic."""
    x1, x2 = xp.asarray(x1), xp.asarray(x2)
    dtype = xp.result_type(x1, x2)
    if not xp.isdtype(dtype, "integral"):
        raise TypeError(f"gcd and lcm need integer inputs, got {dtype}")
    a, b = xp.broadcast_arrays(xp.abs(_astype(xp, x1, dtype)), xp.abs(_astype(xp, x2, dtype)))
    for _ in range(_euclid_steps(int(xp.iinfo(dtype).max))):
        # (a, b) -> (b, a mod b); a finished element (b == 0) stays (gcd, a mod 1 = 0)
        a, b = xp.where(b == 0, a, b), xp.remainder(a, xp.maximum(b, 1))
    return a


def lcm(xp: Any, x1: Any, x2: Any) -> Any:
    """Least common multiple, |x1| // gcd * |x2| (numpy's order), 0 where both are 0."""
    g = gcd(xp, x1, x2)
    zero = g == 0
    a, b = xp.abs(xp.asarray(x1)), xp.abs(xp.asarray(x2))
    return xp.where(zero, 0 * g, a // xp.where(zero, 1, g) * b)


# numpy's continuous quantile methods: (alpha, beta) of the virtual index n*q + alpha +
# q*(1 - alpha - beta) - 1; the discrete ones below read the linear method's index.
_QUANTILE_CONTINUOUS = {
    "linear": (1.0, 1.0),
    "weibull": (0.0, 0.0),
    "hazen": (0.5, 0.5),
    "median_unbiased": (1 / 3, 1 / 3),
    "normal_unbiased": (3 / 8, 3 / 8),
    "interpolated_inverted_cdf": (0.0, 1.0),
}
_QUANTILE_DISCRETE = ("lower", "higher", "midpoint")


def quantile(
    xp: Any,
    a: Any,
    q: Any,
    axis: int | None,
    keepdims: bool,
    skip_nan: bool = False,
    method: str = "linear",
    op: str = "math.quantile",
) -> Any:
    """numpy's quantile: sort along the axis, take the two values around numpy's virtual index
    for `method` and interpolate as numpy's _lerp (or pick, for lower/higher/midpoint). A slice
    holding NaN gives NaN; with `skip_nan` its NaNs are left out."""
    quantile_method(
        op, "ndonnx", method, [*_QUANTILE_CONTINUOUS, *_QUANTILE_DISCRETE], "the composed methods"
    )
    alpha, beta = _QUANTILE_CONTINUOUS.get(method, (1.0, 1.0))
    shape = tuple(a.shape)
    if axis is None:  # the flattened array; keepdims keeps every axis, as length 1
        rest = (1,) * len(shape) if keepdims else ()
        a, axis = xp.reshape(a, (-1,)), 0
    else:
        axis = axis % int(a.ndim)
        rest = shape[:axis] + ((1,) if keepdims else ()) + shape[axis + 1 :]
    if not xp.isdtype(a.dtype, "real floating"):
        a = _astype(xp, a, "float64")
    moved = xp.moveaxis(a, axis, -1)
    # NaNs are sorted as +inf, after every number: onnxruntime versions disagree on where a
    # sort puts NaN (first in 1.31, last in 1.32)
    nans = xp.isnan(moved)
    s = xp.sort(xp.where(nans, math.inf, moved), axis=-1)  # (rest..., n)
    q = _astype(xp, xp.asarray(q), s.dtype)
    qs = xp.reshape(q, (-1,))
    if skip_nan:
        count = xp.sum(_astype(xp, ~nans, s.dtype), axis=-1, keepdims=True)
    else:
        count = xp.full((*s.shape[:-1], 1), float(s.shape[-1]), dtype=s.dtype)
    v = count * qs + (alpha + qs * (1.0 - alpha - beta)) - 1.0  # (rest..., len(q))
    top = _clip(xp, count - 1.0, 0.0, None)  # the last index, 0 for an all-NaN slice
    below = xp.floor(v)
    lo = xp.where(v < 0, 0.0, xp.where(v >= top, top, below))
    hi = xp.where(v < 0, 0.0, xp.where(v >= top, top, below + 1.0))
    lower = xp.take_along_axis(s, _astype(xp, lo, "int64"), axis=-1)
    upper = xp.take_along_axis(s, _astype(xp, hi, "int64"), axis=-1)
    gamma = v - lo
    diff = upper - lower
    if method == "lower":
        r = lower
    elif method == "higher":
        r = xp.where(gamma > 0, upper, lower)
    elif method == "midpoint":
        r = xp.where(gamma > 0, (lower + upper) * 0.5, lower)
    else:
        r = xp.where(gamma >= 0.5, upper - diff * (1.0 - gamma), lower + diff * gamma)
    nan = (count == 0) if skip_nan else xp.any(nans, axis=-1, keepdims=True)
    r = xp.where(nan, math.nan, r)
    return xp.reshape(xp.moveaxis(r, -1, 0), tuple(q.shape) + rest)


# -- options some libraries lack: numpy's reduction options, jax's product options ---------


def no_precision(op: str, backend: str, precision: object) -> None:
    """`precision` is jax's (lax.Precision for the matrix units); elsewhere only None is honest."""
    if precision is not None:
        raise unsupported(
            op,
            backend,
            f"precision={precision!r} is a jax option that {backend} has no equivalent for; "
            "leave precision=None, or call .to_jax() on the inputs to use it",
        )


def _is_torch(xp: Any) -> bool:
    return getattr(xp, "__name__", "") == "torch"


def element_type(r: Any, dtype: Any) -> Any:
    """The result cast to `dtype` (jax's preferred_element_type, on libraries without it)."""
    if dtype is None:
        return r
    module = type(r).__module__
    if module.startswith("torch"):
        return r.to(torch_dtype(dtype))
    if module.startswith("ndonnx"):
        return importlib.import_module("ndonnx").astype(r, ndonnx_dtype(dtype))
    return r.astype(dtype)


def _astype_like(xp: Any, a: Any, like: Any) -> Any:
    """`a` (a mask) in the dtype of `like`."""
    if _is_torch(xp):
        return a.to(like.dtype)
    return xp.astype(a, like.dtype) if hasattr(xp, "astype") else a.astype(like.dtype)


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    return tuple(a % ndim for a in ((axis,) if isinstance(axis, int) else axis))


def _sum(xp: Any, a: Any, axis: Any, keepdims: bool) -> Any:
    if _is_torch(xp):
        return xp.sum(a, dim=_axes(axis, a.ndim), keepdim=keepdims)
    return xp.sum(a, axis=axis, keepdims=keepdims)


def _squeeze_axes(xp: Any, r: Any, axis: Any, ndim: int) -> Any:
    """A keepdims=True reduction's result without its reduced axes."""
    gone = _axes(axis, ndim)
    shape = tuple([n for i, n in enumerate(r.shape) if i not in gone])
    return xp.reshape(r, shape)


def masked(xp: Any, x: Any, where: Any, fill: float) -> Any:
    """`x` with the elements `where` leaves out replaced by the reduction's neutral `fill`."""
    if where is None:
        return x
    if _is_torch(xp):
        return xp.where(where, x, xp.tensor(fill, dtype=x.dtype, device=x.device))
    if type(x).__module__.startswith("ndonnx"):
        return xp.where(where, x, xp.asarray(fill, dtype=x.dtype))
    return xp.where(where, x, fill)


def with_initial(xp: Any, r: Any, initial: Any, how: str) -> Any:
    """numpy's `initial`: one more element of every reduced slice (added, or compared)."""
    if initial is None:
        return r
    if how == "add":
        return r + initial
    if _is_torch(xp) and not hasattr(initial, "dtype"):
        initial = xp.tensor(initial, dtype=r.dtype)
    return xp.maximum(r, initial) if how == "max" else xp.minimum(r, initial)


def moment(
    xp: Any,
    kind: str,
    x: Any,
    axis: Any,
    ddof: int,
    keepdims: bool,
    dtype: Any,
    where: Any,
    nan: bool,
) -> Any:
    """mean, var or std over the elements `where` selects (not NaN for the nan* versions), as
    numpy computes them, for libraries whose reductions take no `where`."""
    x = element_type(x, dtype)
    selected = None
    if where is not None:
        selected = xp.broadcast_to(where, tuple(x.shape))
    if nan:
        valid = ~xp.isnan(x)
        selected = valid if selected is None else selected & valid
    if selected is None:
        # a list, not a generator: torch.compile traces math.prod over a list only
        count: Any = math.prod([x.shape[i] for i in _axes(axis, x.ndim)])
        values = x
    else:
        count = _sum(xp, _astype_like(xp, selected, x), axis, True)
        values = masked(xp, x, selected, 0.0)
    mean = _sum(xp, values, axis, True) / count
    if kind == "mean":
        r = mean
    else:
        # from the masked values: a NaN left out must not reach the gradient (0 * NaN is NaN)
        d = xp.abs(values - mean)
        r = _sum(xp, masked(xp, d * d, selected, 0.0), axis, True) / (count - ddof)
        if kind == "std":
            r = xp.sqrt(r)
    return r if keepdims else _squeeze_axes(xp, r, axis, x.ndim)


def quantile_method(op: str, backend: str, method: str, known: Sequence[str], what: str) -> str:
    """`method` when the library computes it (one of `known`, its `what`); else a BackendError
    naming them."""
    if method not in known:
        raise unsupported(
            op, backend, f"method={method!r} is not one of {what} ({', '.join(known)})"
        )
    return method


_TORCH_QUANTILE_METHODS = ("linear", "lower", "higher", "nearest", "midpoint")


def torch_interpolation(op: str, method: str) -> str:
    """torch.quantile's `interpolation` covers five of numpy's quantile methods."""
    return quantile_method(
        op, "torch", method, _TORCH_QUANTILE_METHODS, "torch.quantile's interpolations"
    )


def only_default(
    op: str, backend: str, name: str, value: object, default: object, why: str
) -> None:
    """Refuse a value of an option this library cannot honour (the reason names the fix)."""
    if value != default:
        raise unsupported(op, backend, f"{name}={value!r} is not available: {why}")


def average(xp: Any, x: Any, axis: Any, weights: Any, returned: bool, keepdims: bool) -> Any:
    """numpy's average (and with `returned`, the sum of the weights) from sums."""
    w = xp.ones_like(x)
    if weights is not None:
        if weights.ndim == 1 and x.ndim > 1:  # 1-d weights along `axis`
            weights = xp.reshape(weights, (-1,) + (1,) * (x.ndim - 1 - axis % x.ndim))
        w = weights * w
    total = _sum(xp, w, axis, keepdims)
    avg = _sum(xp, x * w, axis, keepdims) / total
    return (avg, total) if returned else avg


_JAX_QUANTILE_METHODS = ("linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf")


def jax_quantile_method(op: str, method: str) -> str:
    """jnp.quantile has six of numpy's thirteen quantile methods."""
    return quantile_method(op, "jax", method, _JAX_QUANTILE_METHODS, "jnp.quantile's methods")


def no_out(op: str, out: object) -> None:
    """polyunit results are new arrays (a Quantity around a new mantissa): no `out` buffer."""
    if out is not None:
        raise TypeError(
            f"polyunit.{op} does not write into `out`: its results are new arrays. "
            f"Leave out=None and assign the result instead (r = polyunit.{op}(...))"
        )


# -- options of the shape, selection and set ops --------------------------------------------


def _reverse_axes(xp: Any, a: Any) -> Any:
    axes = tuple(reversed(range(a.ndim)))
    if _is_torch(xp):
        return a.permute(*axes)
    permute = getattr(xp, "permute_dims", None) or xp.transpose
    return permute(a, axes)


def c_order(op: str, order: str) -> bool:
    """True for row-major ('C'; 'A' and 'K' too: these libraries keep no column-major
    layout), False for 'F'."""
    if order not in ("C", "F", "A", "K"):
        raise ValueError(f"{op}: order must be 'C', 'F', 'A' or 'K', got {order!r}")
    return order != "F"


def fortran_reshape(xp: Any, a: Any, shape: Any) -> Any:
    """Reshape reading and writing in column-major order: row-major on the reversed axes."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return _reverse_axes(xp, xp.reshape(_reverse_axes(xp, a), shape[::-1]))


def fortran_ravel(xp: Any, a: Any) -> Any:
    return xp.reshape(_reverse_axes(xp, a), (-1,))


def total_length(xp: Any, r: Any, axis: int | None, total: int | None) -> Any:
    """jax's total_repeat_length: the repeated axis cut, or padded with its last entry."""
    if total is None:
        return r
    front = xp.moveaxis(r, 0 if axis is None else axis, 0)
    n = front.shape[0]
    # the ellipses: ndonnx wants every axis of a key named
    if n >= total:
        front = front[:total, ...]
    else:
        pad = xp.broadcast_to(front[n - 1 :, ...], (total - n, *front.shape[1:]))
        front = _concat(xp, [front, pad])
    return xp.moveaxis(front, 0, 0 if axis is None else axis)


def order_refused(op: str, backend: str, order: object) -> bool:
    """numpy's `order` names fields of a structured array, which only numpy has. False (so
    that a call reads `order_refused(...) or sort(...)`) or a BackendError."""
    if order is not None:
        raise unsupported(
            op, backend, f"order={order!r} sorts structured arrays by field, which only numpy has"
        )
    return False


def numpy_argsort(
    xp: Any, a: Any, axis: int | None, kind: str | None, order: Any, stable: bool, descending: bool
) -> Any:
    """numpy's argsort (cupy's), plus descending: n - 1 - the stable ascending argsort of the
    reversed array, reversed, so that ties keep their order (as jax's descending does)."""
    kw: dict[str, Any] = {"kind": kind, "order": order}
    if xp is np:  # numpy takes `kind` or `stable`, not both
        kw["stable"] = stable if kind is None else None
    if not descending:
        return xp.argsort(a, axis=axis, **kw)
    b = xp.reshape(a, (-1,)) if axis is None else a
    ax = -1 if axis is None else axis
    kw["kind"] = "stable"
    kw.pop("stable", None)
    return b.shape[ax] - 1 - xp.flip(xp.argsort(xp.flip(b, axis=ax), axis=ax, **kw), axis=ax)


def flip_along(xp: Any, a: Any, axis: int) -> Any:
    return a.flip(axis) if _is_torch(xp) else xp.flip(a, axis=axis)


def diff_ends(xp: Any, x: Any, axis: int, prepend: Any, append: Any) -> Any:
    """numpy's diff prepend/append: values broadcast to x's shape with length one along
    `axis` (scalars too) and joined on."""
    if prepend is None and append is None:
        return x
    parts: list[Any] = []
    for end in (prepend, x, append):
        if end is None:
            continue
        if end is not x and end.ndim == 0:
            shape = list(x.shape)
            shape[axis] = 1
            end = xp.broadcast_to(end, tuple(shape))
        parts.append(end)
    return _concat_axis(xp, parts, axis)


def take_mode(xp: Any, indices: Any, n: int, mode: str | None) -> tuple[Any, Any]:
    """Indices after numpy's/jax's `mode` (wrap, clip; fill marks the out-of-range ones):
    (indices to take, mask of out-of-range indices or None)."""
    if mode in (None, "raise", "promise_in_bounds"):
        return indices, None
    if mode == "wrap":
        return indices % n, None
    if mode == "clip":
        return xp.clip(indices, 0, n - 1), None
    if mode == "fill":
        outside = (indices < -n) | (indices >= n)
        return xp.where(outside, 0 * indices, indices), outside
    raise ValueError(f"take: mode must be 'raise', 'wrap', 'clip' or 'fill', got {mode!r}")


def fill_outside(xp: Any, r: Any, outside: Any, axis: int | None, ndim: int, fill: Any) -> Any:
    """Entries taken at out-of-range indices replaced by `fill` (NaN by default, as jax)."""
    if outside is None:
        return r
    if axis is not None:  # the index axes sit at `axis` of the result
        ax = axis % ndim
        outside = xp.reshape(outside, (1,) * ax + tuple(outside.shape) + (1,) * (ndim - ax - 1))
    value = math.nan if fill is None else fill
    if _is_torch(xp) and not hasattr(value, "dtype"):
        value = xp.tensor(value, dtype=r.dtype)
    return xp.where(outside, value, r)


def sized_along(xp: Any, r: Any, axis: int | None, size: int | None, fill: Any) -> Any:
    """jax's `size` for compress/extract: the result cut, or padded with `fill_value` (0 by
    default), to `size` entries along the selected axis."""
    if size is None:
        return r
    ax = 0 if axis is None else axis
    front = xp.moveaxis(r, ax, 0)
    n = front.shape[0]
    if isinstance(n, float) and math.isnan(n):  # dask: the length is known once computed
        front = front.compute_chunk_sizes()
        n = front.shape[0]
    if n >= size:
        front = front[:size, ...]
    else:
        value = 0 if fill is None else fill
        shape = (size - n, *front.shape[1:])
        if _is_torch(xp):
            pad = xp.full(shape, float(value), dtype=front.dtype, device=front.device)
        else:
            pad = xp.broadcast_to(xp.asarray(value, dtype=front.dtype), shape)
        front = _concat(xp, [front, pad])
    return xp.moveaxis(front, 0, ax)


def nonzero_sized(xp: Any, condition: Any, size: int | None, fill_value: Any) -> tuple[Any, ...]:
    """where(condition) alone: the indices of the true elements per axis, each cut or padded
    to `size` (jax's option)."""
    found = xp.nonzero(condition, as_tuple=True) if _is_torch(xp) else xp.nonzero(condition)
    return tuple(sized_along(xp, i, None, size, fill_value) for i in found)


def linspace_step(r: Any, start: Any, stop: Any, num: int, endpoint: bool, retstep: bool) -> Any:
    """linspace's `retstep`: the samples and the spacing between them."""
    if not retstep:
        return r
    div = (num - 1) if endpoint else num
    return r, ((stop - start) / div if div > 0 else math.nan * (stop - start))


def svd_subset(r: Any, subset_by_index: Any) -> Any:
    """Only the singular values lo..hi-1 (largest first) and their vectors."""
    if subset_by_index is None:
        return r
    lo, hi = subset_by_index
    u, s, vh = r
    return u[..., :, lo:hi], s[..., lo:hi], vh[..., lo:hi, :]


def first_index(xp: Any, ar: Any, values: Any) -> Any:
    """Index of the first occurrence of each of `values` in the 1-d `ar` (all present)."""
    if any(isinstance(n, float) and math.isnan(n) for n in values.shape):
        values = values.compute_chunk_sizes()  # dask: a length known once computed
    hits = xp.reshape(values, (-1, 1)) == xp.reshape(ar, (1, -1))
    if _is_torch(xp):
        return hits.to(xp.int64).argmax(dim=1)
    return xp.argmax(_astype(xp, hits, "int64"), axis=1)


def torch_unique(
    torch: Any, a: Any, return_index: bool, return_inverse: bool, return_counts: bool, axis: Any
) -> Any:
    """numpy's unique outputs from torch.unique (the first indices from the inverse)."""
    values, inverse, counts = torch.unique(
        a, sorted=True, return_inverse=True, return_counts=True, dim=axis
    )
    out = [values]
    if return_index:
        flat = inverse.reshape(-1)
        positions = torch.arange(flat.shape[0], device=flat.device)
        first = torch.full(
            (values.shape[0] if axis is not None else values.numel(),),
            flat.shape[0],
            device=flat.device,
        )
        out.append(first.scatter_reduce(0, flat, positions, reduce="amin"))
    if return_inverse:
        out.append(inverse)
    if return_counts:
        out.append(counts)
    return out[0] if len(out) == 1 else tuple(out)


def unique_sized(
    xp: Any,
    r: Any,
    size: int | None,
    fill_value: Any,
    return_index: bool,
    return_inverse: bool,
    return_counts: bool,
) -> Any:
    """jax's `size` for unique: the values (padded with `fill_value`, by default the smallest
    value, as jax), first indices and counts (padded with 0) cut or padded to `size` entries."""
    if size is None:
        return r
    parts: list[Any] = list(r) if isinstance(r, tuple) else [r]  # pyright: ignore[reportUnknownArgumentType]
    kinds = ["values"] + [
        k
        for k, on in (
            ("index", return_index),
            ("inverse", return_inverse),
            ("counts", return_counts),
        )
        if on
    ]
    values = parts[0]
    fill = values[0] if fill_value is None else fill_value
    for i, k in enumerate(kinds):
        if k != "inverse":
            parts[i] = sized_along(xp, parts[i], None, size, fill if k == "values" else 0)
    return parts[0] if len(parts) == 1 else tuple(parts)


def svd_algorithm(backend: str, algorithm: object) -> bool:
    """jax.lax.linalg.svd's `algorithm` (an SvdAlgorithm) has no counterpart elsewhere: False
    (a call reads `svd_algorithm(...) or svd(...)`) or a BackendError."""
    if algorithm is not None:
        raise unsupported(
            "linalg.svd",
            backend,
            f"algorithm={algorithm!r} picks a jax.lax.linalg.svd algorithm; leave it None, or "
            "call .to_jax() on the input to use it",
        )
    return False


def static_scalar(v: Any) -> Any:
    """A 0-d array as a Python number: jax takes take's fill_value as a static argument."""
    return None if v is None else v.item()
