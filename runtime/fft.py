"""polyunit.fft: unit-aware functions, computed on the inputs' own array library."""

from polyunit.backends.frontend_fft import *  # noqa: F403
from polyunit.backends.frontend_fft import __all__ as __all__
