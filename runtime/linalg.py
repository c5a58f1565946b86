"""polyunit.linalg: unit-aware functions, computed on the inputs' own array library."""

from polyunit.backends.frontend_linalg import *  # noqa: F403
from polyunit.backends.frontend_linalg import __all__ as __all__
