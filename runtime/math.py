"""polyunit.math: unit-aware array functions, computed on the inputs' own array library."""

from typing import Any as _Any

from polyunit import arrayinfo as _arrayinfo
from polyunit import dtypes as _dtypes
from polyunit import helpers as _helpers
from polyunit.arrayinfo import *  # noqa: F403
from polyunit.backends.frontend_math import *  # noqa: F403
from polyunit.backends.frontend_math import __all__ as _generated
from polyunit.composite import *  # noqa: F403
from polyunit.composite import __all__ as _composite
from polyunit.dtypes import *  # noqa: F403
from polyunit.einops import einrearrange as einrearrange
from polyunit.einops import einreduce as einreduce
from polyunit.einops import einrepeat as einrepeat
from polyunit.einops import einshape as einshape
from polyunit.einops import einsum as einsum
from polyunit.helpers import *  # noqa: F403

# the generated ops, then the hand-written ones (composite.py, helpers.py, arrayinfo.py, einops.py);
# pyright cannot follow a computed __all__ and falls back to the public names (the same set)
__all__ = sorted(  # pyright: ignore[reportUnsupportedDunderAll]
    {
        *_generated,
        *_composite,
        *_helpers.__all__,
        *_arrayinfo.__all__,
        *_dtypes.__all__,
        "einrearrange",
        "einreduce",
        "einrepeat",
        "einshape",
        "einsum",
    }
)


def __getattr__(name: str) -> _Any:
    if name in _dtypes.NARROW:
        return _dtypes.narrow_dtype(name)
    raise AttributeError(f"module 'polyunit.math' has no attribute {name!r}")
