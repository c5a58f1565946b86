"""polyunit.math: unit-aware array functions, computed on the inputs' own array library."""

from polyunit.backends.frontend_math import *  # noqa: F403
from polyunit.backends.frontend_math import __all__ as __all__
