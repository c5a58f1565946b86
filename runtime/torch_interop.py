"""PyTorch integration: torch.compile support and `Quantity.__torch_function__`.

Nothing here imports torch at module level; `install()` runs when polyunit first loads its torch
backend (so torch is imported by then), and `torch_function` only runs when torch calls it.
"""

from __future__ import annotations

import sys

from polyunit import compiling as _compiling

_installed = False


def install() -> None:
    """Re-mark the `fold_when_traced` functions with torch's public API, in case a torch version
    does more than set the attribute that `polyunit.compiling` sets."""
    global _installed
    if _installed:
        return
    torch = sys.modules.get("torch")
    if torch is None:
        return
    for fn in _compiling.MARKED:
        torch.compiler.assume_constant_result(fn)
    _installed = True
