"""torch.autograd.gradcheck through polyunit for every differentiable op torch computes.

The checked function maps operand mantissas (float64 tensors) to the result's mantissa, going
through `Quantity(mantissa, unit)` and the polyunit op, so the unit conversions the rule implies
(centimetre to metre, a dimensionless scale folded in) are part of what is differentiated.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polyunit as u
from polyunit.backends import manifest
from tests.behaviour.opcases import COMPUTES, HAS, SPECIAL, Special, build_case, module_function

torch = pytest.importorskip("torch", reason="torch is not installed")

GRAD_OPS = [
    op for op in sorted(manifest.DIFFERENTIABLE) if manifest.SUPPORT[op]["torch"] in COMPUTES
]


def test_differentiable_ops_exist() -> None:
    assert HAS["torch"]
    assert GRAD_OPS, "no differentiable op is computed by torch"


def test_every_differentiable_op_is_gradchecked() -> None:
    """Every op the spec marks differentiable is checked on torch: torch computes it (no
    unsupported entry hides it from GRAD_OPS; jax-only ops are jax's to differentiate), the torch module has it, and only the
    explicit `grad_skip` entries of SPECIAL (each with its reason) skip."""
    # jax-only ops (polyunit.lax) are differentiated by jax, not torch
    jax_only = {op for op in manifest.DIFFERENTIABLE if manifest.SUPPORT[op]["torch"] == "jax_only"}
    not_on_torch = sorted(set(manifest.DIFFERENTIABLE) - set(GRAD_OPS) - jax_only)
    assert not_on_torch == [], f"differentiable ops that torch does not compute: {not_on_torch}"
    missing = [op for op in GRAD_OPS if not callable(module_function("torch", op))]
    assert missing == [], f"differentiable ops missing from polyunit.backends.torch: {missing}"
    skipped = {op: SPECIAL[op].grad_skip for op in GRAD_OPS if op in SPECIAL}
    assert all(reason for reason in skipped.values() if reason is not None)
    assert {op for op, reason in skipped.items() if reason is not None} <= set(GRAD_OPS)


@pytest.mark.parametrize("op", GRAD_OPS)
def test_gradcheck(op: str) -> None:
    special = SPECIAL.get(op, Special())
    if special.grad_skip is not None:
        pytest.skip(special.grad_skip)
    case = build_case(op)
    case.plain.update(special.grad)
    # Differentiate with respect to every floating operand that carries a unit.
    names = [
        name
        for name, o in case.operands.items()
        if not o.python and o.unit is not None and np.asarray(o.mantissa).dtype.kind in "fc"
    ]
    assert names, f"{op}: no floating operand to differentiate"
    # The variables are the finite elements of each operand (NaNs of the nan-ops' samples stay
    # fixed constants), and the outputs are the elements that are finite at the sample: a NaN
    # has no derivative, so gradcheck applies to the rest only.
    consts = {n: np.asarray(case.operands[n].mantissa) for n in names}
    masks = {n: torch.as_tensor(np.isfinite(c)) for n, c in consts.items()}
    inputs = tuple(
        torch.tensor(consts[n][np.isfinite(consts[n])], dtype=_dtype(consts[n]), requires_grad=True)
        for n in names
    )
    fn = module_function("torch", op)

    def full(n: str, t: Any) -> Any:
        m = torch.tensor(consts[n], dtype=_dtype(consts[n]))
        if bool(masks[n].all()):
            return t.reshape(m.shape)
        m[masks[n]] = t
        return m

    def mantissa(*tensors: Any) -> Any:
        given = {n: full(n, t) for n, t in zip(names, tensors, strict=True)}
        args, kwargs = case.call_args("torch", given)
        result = fn(*args, **kwargs)
        if isinstance(result, tuple | list):  # every floating part, flattened into one output
            parts = [p.mantissa if isinstance(p, u.Quantity) else p for p in result]
            floats = [
                p.reshape(-1) for p in parts if p.dtype.is_floating_point or p.dtype.is_complex
            ]
            return torch.cat(floats)
        return result.mantissa if isinstance(result, u.Quantity) else result

    out = mantissa(*inputs)
    assert isinstance(out, torch.Tensor), f"{op}: result mantissa is {type(out).__name__}"
    assert out.dtype.is_floating_point or out.dtype.is_complex, (
        f"{op}: integer-valued result ({out.dtype}) from an op the spec marks differentiable; "
        f"mark it `differentiable: false` in the spec"
    )
    assert out.requires_grad, f"{op}: the result does not depend differentiably on {names} on torch"
    finite = torch.isfinite(out.detach())

    def through_polyunit(*tensors: Any) -> Any:
        return mantissa(*tensors)[finite]

    assert torch.autograd.gradcheck(through_polyunit, inputs, eps=1e-6, atol=1e-6, rtol=1e-4)


def _dtype(m: Any) -> Any:
    return torch.complex128 if np.asarray(m).dtype.kind == "c" else torch.float64
