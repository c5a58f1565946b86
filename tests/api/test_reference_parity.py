"""`import polyunit as u` can replace `import brainunit as u`: every public name of the reference
library exists in polyunit, and every callable takes the reference's parameters.

The names and parameters come from tests/api/reference_api.json (tools/reference_api.py extracts
them from the reference's API inventory). A call that works on the reference must bind on
polyunit: its positional parameters come first, in the same order, and each keyword-only one is
accepted. polyunit may add parameters after them.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import polyunit as u

ENTRIES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "reference_api.json").read_text()
)

# Deliberate differences, each with its reason.
DIFFERENT = {
    # The reference's abstract sparse base takes the subclasses' (args, shape); polyunit's base is
    # built by its subclasses from a jax matrix and a unit, and users construct CSR/CSC/COO.
    ("REF.sparse", "SparseMatrix"),
}


def _owner(module: str) -> Any:
    if module == "REF":
        return u
    if module == "REF.Quantity":
        return u.Quantity
    if module == "REF.Quantity.at[idx]":
        return type(u.Quantity(np.zeros(3), unit=u.meter).at[0])
    if module in ("REF.Unit", "REF.Dimension"):
        return getattr(u, module.removeprefix("REF."))
    return getattr(u, module.removeprefix("REF."))


def _lookup(owner: Any, name: str) -> Any:
    if isinstance(owner, type):
        return inspect.getattr_static(owner, name)
    return getattr(owner, name)


RECEIVERS = ("self", "cls", "x")


def _id(entry: dict[str, Any]) -> str:
    return f"{entry['module'].removeprefix('REF').lstrip('.') or 'top'}.{entry['name']}"


# Python's own protocol makes these names unnecessary; defining them would change nothing a
# user can observe, or only for the worse:
# - __div__, __rdiv__, __idiv__: Python 2 division, never called by Python 3;
# - in-place operators (__iadd__ ...): without them `q += v` rebinds `q` to `q + v`, the same
#   value and unit, and never writes into an array another quantity shares;
# - __array_priority__: numpy defers to Unit and Dimension through `__array_ufunc__ = None`.
PROTOCOL = {"__div__", "__rdiv__", "__idiv__", "__array_priority__"}


def _needed(entry: dict[str, Any]) -> bool:
    name = entry["name"]
    inplace = name.startswith("__i") and name != "__init__" and name != "__invert__"
    return name not in PROTOCOL and not inplace


@pytest.mark.parametrize("entry", [e for e in ENTRIES if _needed(e)], ids=_id)
def test_name_exists(entry: dict[str, Any]) -> None:
    owner = _owner(entry["module"])
    try:
        _lookup(owner, entry["name"])
    except AttributeError:
        pytest.fail(f"polyunit lacks {_id(entry)} ({entry['kind']})")


def _bindable(entry: dict[str, Any]) -> bool:
    name = entry["name"]
    return (
        bool(entry["params"])
        and not (name.startswith("__") and name.endswith("__") and name != "__init__")
        and (entry["module"], name) not in DIFFERENT
    )


def _signature(entry: dict[str, Any]) -> inspect.Signature:
    owner = _owner(entry["module"])
    target = _lookup(owner, entry["name"])
    if isinstance(target, staticmethod | classmethod):
        target = target.__func__
    if entry["kind"] == "type" or (entry["module"] == "REF" and isinstance(target, type)):
        target = target.__init__ if "__init__" in vars(target) else target.__new__
    return inspect.signature(target)


@pytest.mark.parametrize("entry", [e for e in ENTRIES if _bindable(e)], ids=_id)
def test_parameters_match(entry: dict[str, Any]) -> None:
    sig = _signature(entry)
    ours = [p for p in sig.parameters.values()]
    theirs = [(n, kw) for n, kw in entry["params"] if not n.startswith("*")]
    # the receiver (self, cls; the reference names some methods' receiver x) is not compared
    if entry["kind"] in ("method", "classmethod") and theirs and theirs[0][0] in RECEIVERS:
        theirs = theirs[1:]
    if ours and ours[0].name in ("self", "cls"):
        ours = ours[1:]
    if any(p.kind is p.VAR_KEYWORD for p in ours) and any(p.kind is p.VAR_POSITIONAL for p in ours):
        return  # takes anything
    positional = [p.name for p in ours if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    keywords = {p.name for p in ours if p.kind is not p.POSITIONAL_ONLY}
    want_positional = [n for n, kw in theirs if not kw]
    assert positional[: len(want_positional)] == want_positional, (
        f"{_id(entry)}: positional parameters {positional}, the reference's {want_positional}"
    )
    missing = [n for n, kw in theirs if kw and n not in keywords]
    assert not missing, f"{_id(entry)}: keyword parameters {missing} missing; ours {list(keywords)}"
