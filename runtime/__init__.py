"""polyunit: physical units for every Python array library.

`import polyunit as u` imports no array library; a backend's generated module is imported the
first time one of its arrays is seen.
"""

from __future__ import annotations

import importlib
from typing import Any

from polyunit.arrays import (
    is_cupy_array,
    is_dask_array,
    is_jax_array,
    is_ndonnx_array,
    is_numpy_array,
    is_torch_array,
)
from polyunit.backend import (
    BACKENDS,
    get_default_backend,
    set_default_backend,
    using_backend,
)
from polyunit.backends.constants import *  # noqa: F403
from polyunit.backends.units import *  # noqa: F403
from polyunit.dimension import DIMENSIONLESS, Dimension, get_or_create_dimension
from polyunit.errors import BackendError, DimensionMismatchError, PolyunitError, UnitMismatchError
from polyunit.quantity import Quantity
from polyunit.unit import UNITLESS, Unit

__version__ = "0.1.0"


_LAZY = frozenset({"math", "linalg", "fft", "lax", "sparse"})


def __getattr__(name: str) -> Any:
    # The op namespaces are imported on first use, so `import polyunit` stays light.
    if name in _LAZY:
        return importlib.import_module(f"polyunit.{name}")
    raise AttributeError(f"module 'polyunit' has no attribute {name!r}")
