"""polyunit.math: unit-aware array functions, computed on the inputs' own array library."""

from polyunit import arrayinfo as _arrayinfo
from polyunit import einops as _einops
from polyunit import helpers as _helpers
from polyunit.arrayinfo import *  # noqa: F403
from polyunit.backends.frontend_math import *  # noqa: F403
from polyunit.backends.frontend_math import __all__ as _generated
from polyunit.einops import einrearrange, einreduce, einrepeat, einshape
from polyunit.helpers import *  # noqa: F403

# the reference's einsum takes the operands as separate arguments (the generated op, a list)
einsum = _einops.einsum  # type: ignore[assignment]  # noqa: F811

# the generated ops, then the hand-written ones (runtime/helpers.py, arrayinfo.py, einops.py)
__all__ = [
    *_generated,
    *_helpers.__all__,
    *_arrayinfo.__all__,
    "einrearrange",
    "einreduce",
    "einrepeat",
    "einshape",
]
