"""The manifest agrees with the spec and with the generated modules.

spec/ops/*.yaml -> manifest.OPS / SIGNATURES / RULES / SUPPORT / DIFFERENTIABLE -> the `__all__`
and the signatures of every backend module and of the front end.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
from pathlib import Path
from typing import Any

import pytest
import yaml

from polyunit.backends import manifest
from tests.behaviour.opcases import (
    HAS,
    MISSING,
    front_function,
    module_function,
    parse_signature,
    split_name,
)

ROOT = Path(__file__).resolve().parents[2]
STATUSES = {"native", "override", "unsupported", "jax_only"}


def _spec_ops() -> dict[str, dict[str, Any]]:
    """Spec entries by manifest key (`sqrt`, `linalg.det`), with the file-level keys applied."""
    ops: dict[str, dict[str, Any]] = {}
    for path in sorted((ROOT / "spec" / "ops").glob("*.yaml")):
        data = yaml.safe_load(path.read_text())
        namespace = data.get("namespace", "math")
        for entry in data["ops"]:
            name = entry["signature"].split("(", 1)[0]
            key = name if namespace == "math" else f"{namespace}.{name}"
            assert key not in ops, f"{path.name}: op {key!r} is declared twice"
            ops[key] = {**entry, "jax_only": entry.get("jax_only") or data.get("jax_only", False)}
    return ops


SPEC = _spec_ops()
BACKEND_SPEC = yaml.safe_load((ROOT / "spec" / "backends.yaml").read_text())


def test_spec_ops_equal_manifest_ops() -> None:
    assert len(set(manifest.OPS)) == len(manifest.OPS), "manifest.OPS has duplicates"
    assert sorted(SPEC) == sorted(manifest.OPS)
    assert sorted(manifest.SIGNATURES) == sorted(manifest.OPS)
    assert sorted(manifest.RULES) == sorted(manifest.OPS)


def test_signatures_and_rules_as_written_in_the_spec() -> None:
    wrong = [
        (op, what, SPEC[op][key], table[op])
        for op in SPEC
        for what, key, table in (
            ("signature", "signature", manifest.SIGNATURES),
            ("rule", "rule", manifest.RULES),
        )
        if table.get(op) != SPEC[op][key]
    ]
    assert not wrong, wrong


def _cupy_all() -> list[str]:
    """`__all__` of the cupy module, read with ast (cupy needs a GPU to import)."""
    spec = importlib.util.find_spec("polyunit.backends")
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations))) / "cupy.py"
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list | tuple)
            return list(value)
    raise AssertionError(f"{path}: no __all__")


MODULES = [
    pytest.param(
        b,
        id=b,
        marks=[]
        if b == "cupy" or HAS.get(b, True)
        else [pytest.mark.skip(reason=f"{b} is not installed")],
    )
    for b in manifest.BACKENDS
]


@pytest.mark.parametrize("backend", MODULES)
def test_backend_module_exports_every_op(backend: str) -> None:
    if backend == "cupy":
        exported = _cupy_all()
    else:
        module = importlib.import_module(f"polyunit.backends.{backend}")
        exported = list(module.__all__)
        missing = [op for op in exported if not callable(getattr(module, op, None))]
        assert not missing, f"{backend}: __all__ names without a function: {missing}"
    assert len(set(exported)) == len(exported), f"{backend}: duplicates in __all__"
    names = [op.replace(".", "_") for op in manifest.OPS]
    assert sorted(exported) == sorted(names), (
        f"{backend}: only in __all__ {sorted(set(exported) - set(names))}, "
        f"missing {sorted(set(names) - set(exported))}"
    )


@pytest.mark.parametrize("namespace", ["math", "linalg", "fft", "lax"])
def test_front_end_exports_every_op(namespace: str) -> None:
    front = importlib.import_module(f"polyunit.{namespace}")
    ops = [op for op in manifest.OPS if split_name(op)[0] == namespace]
    assert sorted(op for op in front.__all__ if op in {split_name(o)[1] for o in ops}) == sorted(
        split_name(op)[1] for op in ops
    )
    assert all(callable(front_function(op)) for op in ops)


def test_every_op_and_backend_has_one_status() -> None:
    assert sorted(manifest.SUPPORT) == sorted(manifest.OPS)
    bad = [
        (op, sorted(manifest.SUPPORT[op].items()))
        for op in manifest.OPS
        if sorted(manifest.SUPPORT[op]) != sorted(manifest.BACKENDS)
        or not set(manifest.SUPPORT[op].values()) <= STATUSES
    ]
    assert not bad, bad


def _lacking(op: str, backend: str) -> str | None:
    namespace = split_name(op)[0]
    return (BACKEND_SPEC[backend].get("lacks") or {}).get(namespace)


def _spec_status(op: str, backend: str) -> str:
    entry = SPEC[op]
    if entry.get("jax_only") and backend != "jax":
        return "jax_only"
    impl = (entry.get("backends") or {}).get(backend) or {}
    if "unsupported" in impl or (not impl and _lacking(op, backend)):
        return "unsupported"
    if "call" in impl:
        return "override"
    return "native"


def test_support_follows_the_spec() -> None:
    wrong = [
        (op, b, manifest.SUPPORT[op][b], _spec_status(op, b))
        for op in manifest.OPS
        for b in manifest.BACKENDS
        if manifest.SUPPORT[op][b] != _spec_status(op, b)
    ]
    assert not wrong, "(op, backend, manifest, spec): " + repr(wrong)
    reasons = {
        (op, b): ((SPEC[op].get("backends") or {}).get(b) or {}).get("unsupported")
        or _lacking(op, b)
        for op in manifest.OPS
        for b in manifest.BACKENDS
        if _spec_status(op, b) == "unsupported"
    }
    listed = {
        (op, b): reason for op, per in manifest.UNSUPPORTED.items() for b, reason in per.items()
    }
    assert listed == reasons


def test_differentiable_follows_the_spec() -> None:
    expected = {op for op, entry in SPEC.items() if entry.get("differentiable", True) is not False}
    assert set(manifest.DIFFERENTIABLE) == expected


def _params(fn: Any) -> list[tuple[str, Any]]:
    out = []
    for p in inspect.signature(fn).parameters.values():
        assert p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD, (
            f"{fn.__qualname__}: {p.name} is {p.kind}"
        )
        out.append((p.name, MISSING if p.default is inspect.Parameter.empty else p.default))
    return out


def _expected_params(op: str) -> list[tuple[str, Any]]:
    return [(p.name, p.default) for p in parse_signature(manifest.SIGNATURES[op]).params]


def _same(a: list[tuple[str, Any]], b: list[tuple[str, Any]]) -> bool:
    return len(a) == len(b) and all(
        na == nb and type(da) is type(db) and da == db
        for (na, da), (nb, db) in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("op", manifest.OPS)
def test_numpy_signature_is_the_spec_signature(op: str) -> None:
    import polyunit.backends.numpy as npb

    got, want = _params(getattr(npb, op.replace(".", "_"))), _expected_params(op)
    assert _same(got, want), f"{op}: numpy module has {got}, the spec says {want}"


SIGNATURE_MODULES = [
    pytest.param(
        name,
        id=name,
        marks=[] if HAS.get(name, True) else [pytest.mark.skip(reason=f"{name} is not installed")],
    )
    for name in ("jax", "torch", "dask", "ndonnx", "math")
]


@pytest.mark.parametrize("name", SIGNATURE_MODULES)
def test_other_signatures_are_the_spec_signatures(name: str) -> None:
    """The other importable backend modules and the front end take the same parameters."""

    def function(op: str) -> Any:
        return front_function(op) if name == "math" else module_function(name, op)

    wrong = [
        (op, _params(function(op)), _expected_params(op))
        for op in manifest.OPS
        if not _same(_params(function(op)), _expected_params(op))
    ]
    assert not wrong, wrong
