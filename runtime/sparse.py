"""polyunit.sparse: CSR, CSC and COO sparse matrices with units, on jax.

A sparse matrix is a `jax.experimental.sparse` matrix of mantissas plus one Unit for all its
stored values. Products with dense quantities multiply the units, scaling by a number or a
quantity multiplies them too, and adding converts the other operand to this matrix's unit.
Everything computes on jax; a quantity on another backend raises BackendError with the
`.to_jax()` fix. Importing this module imports jax (polyunit itself imports it lazily).
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

import jax as _jax
import jax.numpy as _jnp
import numpy as np
from jax.experimental import sparse as _jax_sparse

from polyunit import rules as _r
from polyunit.backend import backend_of
from polyunit.dimension import DIMENSIONLESS
from polyunit.errors import BackendError, DimensionMismatchError
from polyunit.quantity import Quantity, describe
from polyunit.unit import UNITLESS, Unit

# jax's annotations are partial: typed as Any so the strict checkers accept the calls
jax: Any = _jax
jnp: Any = _jnp
_jsparse: Any = _jax_sparse

__all__ = [
    "COO",
    "CSC",
    "CSR",
    "SparseMatrix",
    "coo_fromdense",
    "coo_todense",
    "csc_fromdense",
    "csc_todense",
    "csr_fromdense",
    "csr_todense",
]


def _split(v: object, what: str) -> tuple[Any, Unit | None]:
    """(jax mantissa, unit or None) of a value; a non-jax array is refused with the fix."""
    m: Any = v
    unit: Unit | None = None
    if isinstance(v, Quantity):
        q = cast("Quantity[Any]", v)  # type: ignore[redundant-cast]  # pyright: Quantity[Unknown]
        m, unit = q.mantissa, q.unit
    backend = backend_of(m)
    if backend not in (None, "jax"):
        raise BackendError(
            f"polyunit.sparse needs jax arrays; {what} is {backend}-backed. "
            "Call .to_jax() on it first."
        )
    return (m if backend == "jax" else jnp.asarray(m)), unit


def _same_unit(op: str, a: SparseMatrix, other: object) -> Any:
    """The mantissa of `other` (sparse or dense) expressed in the unit of `a`."""
    if isinstance(other, SparseMatrix):
        m: Any = other.mat
        uo = other.unit
    else:
        m, uo = _split(other, "the other operand")
    ua = UNITLESS if a.unit is None else a.unit
    ub = UNITLESS if uo is None else uo
    if ua.dim is not ub.dim:
        raise DimensionMismatchError(
            f"Cannot {op} a sparse matrix in {ua.dispname} and {describe(other)}: dimensions "
            f"{ua.dim} and {ub.dim} differ"
        )
    f = ub.factor_to(ua)
    if f == 1.0:
        return m
    if isinstance(other, SparseMatrix):
        return other.with_mantissa(other.mat.data * f, other.unit).mat
    return m * f


class SparseMatrix:
    """A sparse matrix whose stored values share one unit (None: a plain matrix)."""

    _jax_type: ClassVar[Any]
    __slots__ = ("mat", "unit")  # mat: the jax sparse matrix of mantissas

    def __init__(self, mat: Any, unit: Unit | None) -> None:
        self.mat = mat
        self.unit = unit

    # -- structure --------------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self.mat.shape)

    @property
    def nse(self) -> int:
        """Number of stored elements."""
        return int(self.mat.nse)

    @property
    def dtype(self) -> Any:
        return self.mat.dtype

    @property
    def data(self) -> Any:
        """The stored values, as a Quantity in the matrix's unit (plain when it has none)."""
        return _r.keep(self.mat.data, self.unit)

    def with_mantissa(self, data: Any, unit: Unit | None) -> Any:
        """The same sparsity pattern with other stored mantissas and unit."""
        leaves, tree = jax.tree_util.tree_flatten(self.mat)
        return _wrap(jax.tree_util.tree_unflatten(tree, [data, *leaves[1:]]), unit)

    def with_data(self, data: Any) -> Any:
        """The same sparsity pattern with other stored values (a Quantity gives the unit)."""
        m, unit = _split(data, "data")
        if tuple(m.shape) != tuple(self.mat.data.shape):
            raise ValueError(
                f"with_data: data has shape {tuple(m.shape)}, the matrix stores "
                f"{tuple(self.mat.data.shape)} values; give one value per stored element"
            )
        return self.with_mantissa(m, unit)

    def todense(self) -> Any:
        """The dense matrix, in the unit of the stored values."""
        return _r.keep(self.mat.todense(), self.unit)

    def transpose(self) -> Any:
        """The transposed matrix (CSR becomes CSC and back), unit unchanged."""
        t = self.mat.T
        return _wrap(t, self.unit)

    @property
    def T(self) -> Any:  # noqa: N802 - the numpy name
        return self.transpose()

    def sum(self) -> Any:
        """Sum of all stored values, in the matrix's unit."""
        return _r.keep(jnp.sum(self.mat.data), self.unit)

    # -- arithmetic -------------------------------------------------------------------------
    def __matmul__(self, other: object) -> Any:
        m, uo = _split(other, "the right operand")
        return _r.changed(self.mat @ m, _r.product(self.unit, uo))

    def __rmatmul__(self, other: object) -> Any:
        m, uo = _split(other, "the left operand")
        # x @ A == (A^T @ x^T)^T; jax's sparse matrices have no __rmatmul__
        out = (self.mat.T @ m.T).T
        return _r.changed(out, _r.product(uo, self.unit))

    def _scale(self, other: object, divide: bool) -> Any:
        if isinstance(other, SparseMatrix):
            raise TypeError(
                "element-wise products of two sparse matrices are not supported; "
                "multiply by a number or a scalar quantity, or use @"
            )
        if isinstance(other, Unit):
            m: Any = 1.0
            uo: Unit | None = other
        else:
            m, uo = _split(other, "the scale")
            if np.ndim(m) != 0:
                raise ValueError(
                    f"a sparse matrix can be scaled by a scalar only, got shape {tuple(m.shape)}; "
                    "use .todense() for element-wise products with arrays"
                )
        data = self.mat.data / m if divide else self.mat.data * m
        unit = _r.quotient(self.unit, uo) if divide else _r.product(self.unit, uo)
        if unit is not None and unit.dim is DIMENSIONLESS:  # plain, scale folded in (mV / V)
            data = data if unit.magnitude == 1.0 else data * unit.magnitude
            unit = None
        return self.with_mantissa(data, unit)

    def __mul__(self, other: object) -> Any:
        return self._scale(other, divide=False)

    def __rmul__(self, other: object) -> Any:
        return self._scale(other, divide=False)

    def __truediv__(self, other: object) -> Any:
        return self._scale(other, divide=True)

    def __neg__(self) -> Any:
        return self.with_mantissa(-self.mat.data, self.unit)

    def _add(self, other: object, sign: float, op: str) -> Any:
        m = _same_unit(op, self, other)
        if isinstance(other, SparseMatrix):
            return self._add_sparse(m, sign)
        dense = self.mat.todense() + (m if sign > 0 else -m)
        return _r.keep(dense, self.unit)

    def _add_sparse(self, other: Any, sign: float) -> Any:
        # Exact and index-based: stack both as COO (duplicates add up), then back to this format.
        a, b = _coo_of(self.mat), _coo_of(other)
        if a.shape != b.shape:
            raise ValueError(f"cannot add sparse matrices of shapes {a.shape} and {b.shape}")
        data = jnp.concatenate([a.data, b.data if sign > 0 else -b.data])
        row = jnp.concatenate([a.row, b.row])
        col = jnp.concatenate([a.col, b.col])
        coo = _jsparse.COO((data, row, col), shape=a.shape)
        return _wrap(_from_coo(coo, self._jax_type), self.unit)

    def __add__(self, other: object) -> Any:
        return self._add(other, 1.0, "add")

    def __radd__(self, other: object) -> Any:
        return self._add(other, 1.0, "add")

    def __sub__(self, other: object) -> Any:
        return self._add(other, -1.0, "subtract")

    def __rsub__(self, other: object) -> Any:
        m = _same_unit("subtract", self, other)  # other is dense: sparse - sparse uses __sub__
        return _r.keep(m - self.mat.todense(), self.unit)

    def __repr__(self) -> str:
        unit = "" if self.unit is None else f", unit={self.unit.dispname}"
        return f"{type(self).__name__}(shape={self.shape}, nse={self.mat.nse}{unit})"


def _coo_of(mat: Any) -> Any:
    """A jax COO matrix with the same stored values (CSR/CSC row/column pointers expanded)."""
    if isinstance(mat, _jsparse.COO):
        return mat
    n_major = mat.indptr.shape[0] - 1
    counts = jnp.diff(mat.indptr)
    major = jnp.repeat(jnp.arange(n_major), counts, total_repeat_length=mat.data.shape[0])
    if isinstance(mat, _jsparse.CSR):
        row, col = major, mat.indices
    else:  # CSC: indptr runs over columns, indices are rows
        row, col = mat.indices, major
    return _jsparse.COO((mat.data, row.astype(mat.indices.dtype), col), shape=mat.shape)


def _from_coo(coo: Any, target: Any) -> Any:
    """COO -> the target jax format, keeping every stored element (no dense round trip)."""
    if target is _jsparse.COO:
        return coo
    n_rows, n_cols = coo.shape
    if target is _jsparse.CSR:
        major, minor, n_major = coo.row, coo.col, n_rows
    else:
        major, minor, n_major = coo.col, coo.row, n_cols
    order = jnp.lexsort((minor, major))
    counts = jnp.zeros(n_major, dtype=major.dtype).at[major].add(1)
    indptr = jnp.concatenate([jnp.zeros(1, dtype=major.dtype), jnp.cumsum(counts)])
    args = (coo.data[order], minor[order], indptr.astype(minor.dtype))
    return target(args, shape=coo.shape)


class CSR(SparseMatrix):
    """Compressed sparse row matrix: args = (data, indices, indptr); data may be a Quantity."""

    _jax_type = _jsparse.CSR
    __slots__ = ()

    def __init__(self, args: Any, shape: tuple[int, int]) -> None:
        data, indices, indptr = args
        m, unit = _split(data, "data")
        super().__init__(
            _jsparse.CSR((m, jnp.asarray(indices), jnp.asarray(indptr)), shape=tuple(shape)),
            unit,
        )

    @classmethod
    def fromdense(cls, mat: Any, nse: int | None = None, index_dtype: Any = np.int32) -> Any:
        return csr_fromdense(mat, nse=nse, index_dtype=index_dtype)


class CSC(SparseMatrix):
    """Compressed sparse column matrix: args = (data, indices, indptr), indices are rows."""

    _jax_type = _jsparse.CSC
    __slots__ = ()

    def __init__(self, args: Any, shape: tuple[int, int]) -> None:
        data, indices, indptr = args
        m, unit = _split(data, "data")
        super().__init__(
            _jsparse.CSC((m, jnp.asarray(indices), jnp.asarray(indptr)), shape=tuple(shape)),
            unit,
        )

    @classmethod
    def fromdense(cls, mat: Any, nse: int | None = None, index_dtype: Any = np.int32) -> Any:
        return csc_fromdense(mat, nse=nse, index_dtype=index_dtype)


class COO(SparseMatrix):
    """Coordinate-format matrix: args = (data, row, col); data may be a Quantity."""

    _jax_type = _jsparse.COO
    __slots__ = ()

    def __init__(
        self,
        args: Any,
        shape: tuple[int, int],
        rows_sorted: bool = False,
        cols_sorted: bool = False,
    ) -> None:
        data, row, col = args
        m, unit = _split(data, "data")
        super().__init__(
            _jsparse.COO(
                (m, jnp.asarray(row), jnp.asarray(col)),
                shape=tuple(shape),
                rows_sorted=rows_sorted,
                cols_sorted=cols_sorted,
            ),
            unit,
        )

    @classmethod
    def fromdense(cls, mat: Any, nse: int | None = None, index_dtype: Any = np.int32) -> Any:
        return coo_fromdense(mat, nse=nse, index_dtype=index_dtype)


_WRAP: dict[type, type[SparseMatrix]] = {_jsparse.CSR: CSR, _jsparse.CSC: CSC, _jsparse.COO: COO}


def _wrap(mat: Any, unit: Unit | None) -> Any:
    cls = _WRAP[type(mat)]
    out = cls.__new__(cls)
    SparseMatrix.__init__(out, mat, unit)
    return out


def _dense(mat: object, fn: str) -> tuple[Any, Unit | None]:
    m, unit = _split(mat, "mat")
    if m.ndim != 2:
        raise ValueError(f"{fn} needs a 2-d matrix, got shape {tuple(m.shape)}")
    return m, unit


def _check(mat: object, cls: type[SparseMatrix], fn: str) -> SparseMatrix:
    if not isinstance(mat, cls):
        raise TypeError(f"{fn} needs a polyunit.sparse.{cls.__name__}, got {type(mat).__name__}")
    return mat


def csr_fromdense(mat: Any, nse: int | None = None, index_dtype: Any = np.int32) -> Any:
    """A CSR matrix of the nonzero entries of a dense matrix; its unit moves to the data."""
    m, unit = _dense(mat, "csr_fromdense")
    return _wrap(_jsparse.CSR.fromdense(m, nse=nse, index_dtype=index_dtype), unit)


def csc_fromdense(mat: Any, nse: int | None = None, index_dtype: Any = np.int32) -> Any:
    """A CSC matrix of the nonzero entries of a dense matrix; its unit moves to the data."""
    m, unit = _dense(mat, "csc_fromdense")
    return _wrap(_jsparse.CSC.fromdense(m, nse=nse, index_dtype=index_dtype), unit)


def coo_fromdense(mat: Any, nse: int | None = None, index_dtype: Any = jnp.int32) -> Any:
    """A COO matrix of the nonzero entries of a dense matrix; its unit moves to the data."""
    m, unit = _dense(mat, "coo_fromdense")
    return _wrap(_jsparse.COO.fromdense(m, nse=nse, index_dtype=index_dtype), unit)


def csr_todense(mat: Any) -> Any:
    """The dense matrix of a CSR matrix, in the unit of its data."""
    return _check(mat, CSR, "csr_todense").todense()


def csc_todense(mat: Any) -> Any:
    """The dense matrix of a CSC matrix, in the unit of its data."""
    return _check(mat, CSC, "csc_todense").todense()


def coo_todense(mat: Any) -> Any:
    """The dense matrix of a COO matrix, in the unit of its data."""
    return _check(mat, COO, "coo_todense").todense()


def _flatten(s: SparseMatrix) -> tuple[tuple[Any], tuple[type[SparseMatrix], Unit | None]]:
    return (s.mat,), (type(s), s.unit)


def _unflatten(aux: tuple[type[SparseMatrix], Unit | None], children: Any) -> SparseMatrix:
    cls, unit = aux
    out = cls.__new__(cls)
    SparseMatrix.__init__(out, children[0], unit)
    return out


# Pytrees, so sparse quantities pass through jax.jit and jax.grad with their unit as static data.
for _cls in (CSR, CSC, COO):
    jax.tree_util.register_pytree_node(_cls, _flatten, _unflatten)
