"""polyunit's exceptions. Messages are built only when an error is raised."""

from __future__ import annotations


class PolyunitError(Exception):
    """Base class of every error polyunit raises on purpose."""


class DimensionMismatchError(PolyunitError, TypeError):
    """Operands' dimensions do not fit the operation (e.g. adding metres to seconds).

    It subclasses `TypeError` because a dimension is part of a quantity's type.
    """


UnitMismatchError = DimensionMismatchError


class BackendError(PolyunitError, RuntimeError):
    """An array backend is missing, unsuitable, or cannot do what was asked."""


class PrecisionWarning(UserWarning):
    """A conversion could not keep the source dtype (e.g. float64 data into jax with x64 off)."""


_EXTRAS = {
    "jax": "polyunit[cpu]",
    "numpy": "polyunit",
    "torch": "polyunit[torch]",
    "cupy": "polyunit[cupy]",
    "dask": "polyunit[dask]",
    "ndonnx": "polyunit[ndonnx]",
}


def missing_backend(name: str) -> BackendError:
    """The error for a backend that is asked for but not installed, with the exact install command."""
    return BackendError(
        f"the {name} backend is not installed; install it with: pip install '{_EXTRAS[name]}'"
    )
