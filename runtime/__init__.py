"""polyunit: physical units for every Python array library.

`import polyunit as u` imports no array library; a backend's generated module is imported the
first time one of its arrays is seen.
"""

from __future__ import annotations

from typing import Any

# `name as name` marks each import as a public re-export for mypy --strict and pyright.
from polyunit.arrays import (
    is_cupy_array as is_cupy_array,
)
from polyunit.arrays import (
    is_dask_array as is_dask_array,
)
from polyunit.arrays import (
    is_jax_array as is_jax_array,
)
from polyunit.arrays import (
    is_ndonnx_array as is_ndonnx_array,
)
from polyunit.arrays import (
    is_numpy_array as is_numpy_array,
)
from polyunit.arrays import (
    is_torch_array as is_torch_array,
)
from polyunit.backend import (
    BACKENDS as BACKENDS,
)
from polyunit.backend import (
    get_default_backend as get_default_backend,
)
from polyunit.backend import (
    set_default_backend as set_default_backend,
)
from polyunit.backend import (
    using_backend as using_backend,
)
from polyunit.backends.constants import *  # noqa: F403
from polyunit.backends.units import *  # noqa: F403
from polyunit.dimension import (
    DIMENSIONLESS as DIMENSIONLESS,
)
from polyunit.dimension import (
    Dimension as Dimension,
)
from polyunit.dimension import (
    get_or_create_dimension as get_or_create_dimension,
)
from polyunit.errors import (
    BackendError as BackendError,
)
from polyunit.errors import (
    DimensionMismatchError as DimensionMismatchError,
)
from polyunit.errors import (
    PolyunitError as PolyunitError,
)
from polyunit.errors import (
    UnitMismatchError as UnitMismatchError,
)
from polyunit.quantity import Quantity as Quantity
from polyunit.unit import UNITLESS as UNITLESS
from polyunit.unit import Unit as Unit

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # `polyunit.math` is imported on first use, so `import polyunit` stays light.
    if name == "math":
        import polyunit.math as math_ns

        return math_ns
    raise AttributeError(f"module 'polyunit' has no attribute {name!r}")
