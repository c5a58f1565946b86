"""Functions a library lacks, composed from the array-API functions it has.

The generated backend modules call these as `_compose.<name>(<namespace>, ...)` in a spec
`call:` override: `xp` is the library's namespace (numpy, dask.array, ndonnx, cupy, torch), the
array arguments are already plain mantissas on that library. Every formula is exact (no series
truncation) and avoids overflow in the branch `where` discards.
"""

from __future__ import annotations

import math
from typing import Any

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


def gelu_erf(x: Any, erf: Any) -> Any:
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
    """(exp(x) - 1) / x, with its limit 1 at x = 0."""
    zero = x == 0
    safe = xp.where(zero, 1.0, x)
    return xp.where(zero, 1.0, xp.expm1(safe) / safe)


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
        import cupyx.scipy.special

        return gelu_erf(x, cupyx.scipy.special.erf)
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
        w = xp.astype(fweights, x.dtype)
    if aweights is not None:
        a = xp.astype(aweights, x.dtype)
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
            fact = w_sum - ddof * xp.sum(w * xp.astype(aweights, x.dtype)) / w_sum
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
    return m, xp.astype(xp.where(finite, e, 0.0), xp.int32)


def angle(xp: Any, x: Any, deg: bool) -> Any:
    """Phase of a real array: pi where negative, else 0."""
    r = xp.where(x < 0, math.pi, 0.0 * x)
    return r * (180.0 / math.pi) if deg else r
