"""Nothing on a path that carries torch gradients reads values out of a tensor, writes into an
input in place, or converts through another library.

The scan reads the source with `ast` (no torch needed): every function of the generated torch
module, and the runtime's hot paths (all of rules, custom, unit, backend, torch_interop and the
Quantity methods that compute). What is allowed is listed below, each entry with its reason; a new
violation anywhere else fails the test.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Reading values out of a tensor cuts the graph (and breaks torch.compile graphs).
VALUE_READS = {"item", "numpy", "tolist", "detach", "data"}
# Functions that go through another array library.
CROSS_LIBRARY = {"np", "numpy", "jnp", "jax", "to_numpy_array", "convert_array", "from_numpy"}
# Creating a tensor from values copies without a graph.
COPYING = {"tensor", "as_tensor"}

# (file, function) -> (allowed findings, reason)
ALLOWED: dict[tuple[str, str], tuple[set[str], str]] = {
    ("runtime/rules.py", "_static_scalar"): (
        {".item()"},
        "reads a static exponent to compute the result's unit; the exponent tensor itself is "
        "still what torch.pow receives, so the graph keeps it",
    ),
    ("runtime/rules.py", "lift"): (
        {"convert_array"},
        "converts only arrays of ANOTHER library (numpy data, Python numbers) onto torch; a torch "
        "tensor never reaches it, and a graph-carrying tensor converted away raises BackendError",
    ),
    ("runtime/custom.py", "_uniform_count"): (
        {"np", "to_numpy_array"},
        "counts the elements a `where` or NaN mask selects (it fixes the unit's exponent); the "
        "boolean mask carries no gradient and the values never leave torch",
    ),
    ("runtime/custom.py", "prod"): (
        {"np", "to_numpy_array"},
        "reads only the `where` mask to count the multiplied elements (the unit's exponent)",
    ),
    ("runtime/custom.py", "nanprod"): (
        {"np", "to_numpy_array"},
        "reads which values are NaN (and the `where` mask) to count the multiplied elements; "
        "the product itself is computed by torch on the original tensor",
    ),
    ("runtime/torch_interop.py", "move"): (
        {"np"},
        "only recognises numpy dtype objects given to q.to(dtype); no array goes through numpy",
    ),
}
# Quantity methods that read values by design (printing, Python numbers, numpy interop); they
# are not on a gradient path and the dask guard tests cover them.
QUANTITY_VALUE_METHODS = {
    "to_python_scalar",
    "_plain_number",
    "__float__",
    "__int__",
    "__complex__",
    "__index__",
    "__bool__",
    "__hash__",
    "tolist",
    "__array__",
    "__str__",
    "__repr__",
    "__format__",
    "__init__",  # converts lists / Python numbers and explicit dtypes on construction
    "_moved",  # to_numpy / to_jax ...: an explicit conversion the user asks for
    "__setitem__",  # q[i] = v writes into q's own mantissa: the in-place write the user asks for
}
RUNTIME_WHOLE = (
    "rules.py",
    "custom.py",
    "unit.py",
    "backend.py",
    "torch_interop.py",
    "compiling.py",
)


def findings(fn: ast.FunctionDef) -> Iterator[str]:
    """What in `fn`'s body would cut or corrupt the autograd graph (annotations do not run)."""
    for node in (n for stmt in fn.body for n in ast.walk(stmt)):
        if isinstance(node, ast.Attribute):
            if node.attr in VALUE_READS:
                yield f".{node.attr}()" if node.attr != "data" else ".data"
            elif (
                node.attr.endswith("_")
                and not node.attr.startswith("_")
                and isinstance(node.ctx, ast.Load)
            ):
                yield f"in-place .{node.attr}"
            elif node.attr in COPYING and isinstance(node.value, ast.Name):
                if node.value.id == "torch":
                    yield f"torch.{node.attr}"
            elif node.attr in CROSS_LIBRARY:
                yield node.attr
        elif isinstance(node, ast.Name) and node.id in CROSS_LIBRARY:
            yield node.id
        elif isinstance(node, ast.AugAssign) and _is_array(node.target):
            yield "augmented assignment (in place on a tensor)"
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and _is_array(t.value):
                    yield "item assignment (writes into an array)"


# The names under which the generated code and the runtime hold arrays: `m_<param>`, the
# parameters themselves, `m`, `r` (a result) and a Quantity's `.mantissa`.
ARRAY_NAMES = {"m", "r", "value", "scaled", "x", "y", "a", "b", "v"}


def _is_array(t: ast.expr) -> bool:
    if isinstance(t, ast.Attribute):
        return t.attr == "mantissa"
    return isinstance(t, ast.Name) and (t.id.startswith("m_") or t.id in ARRAY_NAMES)


def functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            yield node.name, node


def scan(path: str, only: set[str] | None = None, skip: set[str] | None = None) -> list[str]:
    tree = ast.parse((ROOT / path).read_text())
    bad = []
    for name, fn in functions(tree):
        if (only is not None and name not in only) or (skip and name in skip):
            continue
        allowed = ALLOWED.get((path, name), (set(), ""))[0]
        # Nested functions are scanned on their own; skip them inside their parent.
        found = set(findings(fn)) - allowed
        nested = {n for n in ast.walk(fn) if isinstance(n, ast.FunctionDef) and n is not fn}
        if nested:
            inner: set[str] = set()
            for n in nested:
                inner |= set(findings(n))
            own = {f for f in found if f not in inner}
            found = own
        bad += [f"{path}:{fn.lineno} {name}: {f}" for f in sorted(found)]
    return bad


def test_generated_torch_module_is_autograd_safe() -> None:
    assert scan("generated/torch.py") == []


def test_runtime_hot_paths_are_autograd_safe() -> None:
    bad = []
    for name in RUNTIME_WHOLE:
        bad += scan(f"runtime/{name}")
    bad += scan(
        "runtime/quantity.py", skip=QUANTITY_VALUE_METHODS | {"format_mantissa", "describe"}
    )
    assert bad == []


def test_every_allowance_is_still_needed() -> None:
    """An allowance whose finding is gone must be removed, so the list stays honest."""
    for (path, name), (allowed, reason) in ALLOWED.items():
        assert reason
        tree = ast.parse((ROOT / path).read_text())
        fns = [fn for n, fn in functions(tree) if n == name]
        assert fns, f"{path}: {name} no longer exists; drop its allowance"
        assert allowed <= set().union(*(set(findings(fn)) for fn in fns)), (path, name)


def test_the_scan_finds_violations() -> None:
    src = """
def reads(m_x): return m_x.item() + m_x.numpy().sum() + len(m_x.tolist())
def inplace(m_x): m_x.add_(1); return m_x
def writes(m_x): m_x[0] = 1.0; return m_x
def aug(m_x): m_x += 1; return m_x
def converts(m_x): return np.asarray(m_x)
def copies(m_x): return torch.tensor(m_x)
def detaches(m_x): return m_x.detach()
def clean(m_x): return torch.sin(m_x) * 2
"""
    tree = ast.parse(src)
    got = {name: set(findings(fn)) for name, fn in functions(tree)}
    assert got["reads"] == {".item()", ".numpy()", ".tolist()"}
    assert got["inplace"] == {"in-place .add_"}
    assert got["writes"] == {"item assignment (writes into an array)"}
    assert got["aug"] == {"augmented assignment (in place on a tensor)"}
    assert got["converts"] == {"np"}
    assert got["copies"] == {"torch.tensor"}
    assert got["detaches"] == {".detach()"}
    assert got["clean"] == set()
