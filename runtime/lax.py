"""polyunit.lax: unit-aware functions, computed on the inputs' own array library."""

from polyunit.backends.frontend_lax import *  # noqa: F403
from polyunit.backends.frontend_lax import __all__ as __all__
