"""polyunit: physical units for every Python array library.

`import polyunit as u` imports no array library; a backend's generated module is imported the
first time one of its arrays is seen.
"""

from __future__ import annotations

import importlib
from typing import Any

from polyunit import helpers as _helpers
from polyunit import jax_interop as _jax_interop
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
from polyunit.backends import constants as _constants
from polyunit.backends import units as _units
from polyunit.backends.constants import *  # noqa: F403
from polyunit.backends.units import *  # noqa: F403
from polyunit.compiling import skip_polyunit_guards
from polyunit.dimension import DIMENSIONLESS, Dimension, get_or_create_dimension
from polyunit.errors import (
    BackendError,
    DimensionMismatchError,
    PolyunitError,
    PrecisionWarning,
    UnitMismatchError,
)
from polyunit.helpers import *  # noqa: F403
from polyunit.quantity import Quantity
from polyunit.unit import UNITLESS, Unit
from polyunit.utilities import (
    CustomArray,
    add_standard_unit,
    array_with_unit,
    assign_units,
    celsius2kelvin,
    enable_matplotlib_support,
    fahrenheit2kelvin,
    get_dim_for_display,
    has_same_unit,
    have_same_dim,
    is_scalar_type,
    is_unit_equal_math,
    kelvin2celsius,
    kelvin2fahrenheit,
    maybe_custom_array,
    maybe_custom_array_tree,
    parse_unit,
    split_mantissa_unit,
    unit_scale_align_to_first,
)

# The public names: type checkers treat exactly these as re-exported.
__all__ = [
    "BACKENDS",
    "DIMENSIONLESS",
    "UNITLESS",
    "BackendError",
    "CustomArray",
    "Dimension",
    "DimensionMismatchError",
    "PolyunitError",
    "PrecisionWarning",
    "Quantity",
    "Unit",
    "UnitMismatchError",
    "add_standard_unit",
    "array_with_unit",
    "assign_units",
    "avogadro_constant",
    "boltzmann_constant",
    "celsius2kelvin",
    "electric_constant",
    "enable_matplotlib_support",
    "fahrenheit2kelvin",
    "faraday_constant",
    "gas_constant",
    "get_default_backend",
    "get_dim_for_display",
    "has_same_unit",
    "have_same_dim",
    "is_cupy_array",
    "is_dask_array",
    "is_jax_array",
    "is_ndonnx_array",
    "is_numpy_array",
    "is_scalar_type",
    "is_torch_array",
    "is_unit_equal_math",
    "kelvin2celsius",
    "kelvin2fahrenheit",
    "magnetic_constant",
    "maybe_custom_array",
    "maybe_custom_array_tree",
    "molar_mass_constant",
    "parse_unit",
    "set_default_backend",
    "skip_polyunit_guards",
    "split_mantissa_unit",
    "unit_scale_align_to_first",
    "using_backend",
]
__all__ += _helpers.__all__  # the unit helpers (get_or_create_dimension among them)
__all__ += _units.__all__
__all__ += _constants.__all__

__version__ = "0.1.0"
__version_info__ = (0, 1, 0)

# The reference library's long names of some constants.
avogadro_constant = avogadro  # noqa: F405
boltzmann_constant = boltzmann  # noqa: F405
electric_constant = electric  # noqa: F405
faraday_constant = faraday  # noqa: F405
gas_constant = gas  # noqa: F405
magnetic_constant = magnetic  # noqa: F405
molar_mass_constant = molar_mass  # noqa: F405


_LAZY = frozenset({"math", "linalg", "fft", "lax", "autograd", "constants", "typing", "sparse"})

# Quantity becomes a JAX pytree when jax is (or gets) imported; this never imports jax itself.
_jax_interop.install()


def __getattr__(name: str) -> Any:
    # The namespaces are imported on first use, so `import polyunit` stays light.
    if name in _LAZY:
        return importlib.import_module(f"polyunit.{name}")
    raise AttributeError(f"module 'polyunit' has no attribute {name!r}")
