"""polyunit.lax: unit-aware functions of jax.lax, computed on jax only.

Most come from the spec (generated); the few whose result structure depends on their arguments
are written by hand in polyunit.lax_multi.
"""

from polyunit.backends.frontend_lax import *  # noqa: F403
from polyunit.backends.frontend_lax import __all__ as _generated
from polyunit.lax_multi import __all__ as _multi
from polyunit.lax_multi import (
    broadcast_shapes as broadcast_shapes,
)
from polyunit.lax_multi import (
    eig as eig,
)
from polyunit.lax_multi import (
    qr as qr,
)
from polyunit.lax_multi import (
    reduce as reduce,
)
from polyunit.lax_multi import (
    schur as schur,
)
from polyunit.lax_multi import (
    sort as sort,
)
from polyunit.lax_multi import (
    sort_key_val as sort_key_val,
)
from polyunit.lax_multi import (
    svd as svd,
)

__all__ = sorted([*_generated, *_multi])  # pyright: ignore[reportUnsupportedDunderAll]
