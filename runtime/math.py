"""polyunit.math: unit-aware array functions, computed on the inputs' own array library."""

from polyunit import arrayinfo as _arrayinfo
from polyunit import helpers as _helpers
from polyunit.arrayinfo import *  # noqa: F403
from polyunit.backends.frontend_math import *  # noqa: F403
from polyunit.backends.frontend_math import __all__ as _generated
from polyunit.einops import einrearrange, einreduce, einrepeat, einshape, einsum
from polyunit.helpers import *  # noqa: F403

# the generated ops, then the hand-written ones (runtime/helpers.py, arrayinfo.py, einops.py)
__all__ = [
    *_generated,
    *_helpers.__all__,
    *_arrayinfo.__all__,
    "einrearrange",
    "einreduce",
    "einrepeat",
    "einshape",
    "einsum",
]
