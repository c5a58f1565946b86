"""polyunit.math: unit-aware array functions, computed on the inputs' own array library."""

from polyunit.backends.frontend_math import *  # noqa: F403
from polyunit.backends.frontend_math import __all__ as _generated
from polyunit.composite import *  # noqa: F403
from polyunit.composite import __all__ as _composite

__all__ = sorted(_generated + _composite)
