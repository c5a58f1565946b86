"""Physical constants as quantities (CODATA values): `polyunit.constants.boltzmann` ..."""

from polyunit.backends.constants import *  # noqa: F403
from polyunit.backends.constants import __all__ as __all__
