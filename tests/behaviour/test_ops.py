"""Every op of the manifest, on every installed backend, through the backend module and the front end.

Inputs, expected units and expected errors come from the spec (manifest SIGNATURES and RULES);
values are checked against numpy on plain arrays. See opcases.py for how cases are built.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polyunit as u
from polyunit.backends import manifest
from tests.behaviour.opcases import (
    BACKENDS,
    COMPUTES,
    HAS,
    RULES,
    SIGS,
    Case,
    Operand,
    build_case,
    call_case,
    case_id,
    check_result,
    variant_names,
)


def _marks(backend: str) -> list[Any]:
    if HAS[backend]:
        return []
    why = "needs a GPU" if backend == "cupy" else "is not installed"
    return [pytest.mark.skip(reason=f"{backend} {why}")]


def _computed(op: str) -> list[str]:
    return [b for b in BACKENDS if manifest.SUPPORT[op][b] in COMPUTES]


CASES = [
    pytest.param(op, backend, variant, id=case_id(op, backend, variant), marks=_marks(backend))
    for op in manifest.OPS
    for backend in _computed(op)
    for variant in variant_names(op)
]


def _call(case: Case, backend: str, api: str) -> Any:
    return call_case(case, backend, api)[0]


@pytest.mark.parametrize("api", ["module", "front"])
@pytest.mark.parametrize(("op", "backend", "variant"), CASES)
def test_op(op: str, backend: str, variant: str, api: str) -> None:
    case = build_case(op, variant, backend=backend)
    refusal = case.special.refused.get(variant, {}).get(backend)
    if refusal is not None:
        with pytest.raises(u.BackendError, match=f"{op}.*{backend}.*{refusal}"):
            call_case(case, backend, api)
        return
    result, rtol = call_case(case, backend, api)
    check_result(case, result, backend, rtol)


def _torch_only(params: list[Any]) -> list[Any]:
    return [p for p in params if p.values[1] == "torch"]


@pytest.mark.parametrize(("op", "backend", "variant"), _torch_only(CASES))
def test_twin(op: str, backend: str, variant: str) -> None:
    """The function torch.compile traces in place of the front end computes the same."""
    test_op(op, backend, variant, "twin")


# ---------------------------------------------------------------------------------------------
# What the rules forbid
# ---------------------------------------------------------------------------------------------
def _run_time_exponent(op: str) -> str | None:
    rule, sig = RULES[op], SIGS[op]
    if (
        rule.kind == "power"
        and isinstance(rule.args[1], str)
        and sig.param(rule.args[1]).is_quantity
    ):
        return rule.args[1]
    return None


def rejections(op: str) -> list[str]:
    """What must raise DimensionMismatchError, named `<param>-<what>`."""
    rule, sig = RULES[op], SIGS[op]
    out: list[str] = []
    if rule.kind in ("consistent", "compare"):
        out += [f"{n}-in-second" for n in build_case(op).expand(rule.operands)[1:]]
    if rule.kind == "dimensionless":
        out += [f"{n}-in-metre" for n in rule.operands]
    exp = _run_time_exponent(op)
    if exp is not None:
        out += [f"{exp}-array-on-unitful-base", f"{exp}-in-metre"]
    out += [f"{p.name}-in-metre" for p in sig.params if p.is_array]
    return out


def rejected_case(op: str, what: str, backend: str) -> Case:
    name, _, how = what.partition("-")
    if how == "in-second":
        return build_case(op, units={name: u.second}, backend=backend)
    case = build_case(op, backend=backend)
    if how == "array-on-unitful-base":
        case.operands[name] = Operand(np.full((3, 4), 2.0), None)
    elif how == "in-metre" and name == _run_time_exponent(op):
        case.operands[name] = Operand(np.asarray(2.0), u.meter)
    elif how == "in-metre":
        o = case.operands[name]
        case.operands[name] = Operand(o.mantissa, u.meter)
    else:
        raise AssertionError(what)
    return case


REJECTIONS = [
    pytest.param(op, backend, what, id=f"{op}-{backend}-{what}", marks=_marks(backend))
    for op in manifest.OPS
    for backend in _computed(op)
    for what in rejections(op)
]


@pytest.mark.parametrize("api", ["module", "front"])
@pytest.mark.parametrize(("op", "backend", "what"), REJECTIONS)
def test_rejects(op: str, backend: str, what: str, api: str) -> None:
    case = rejected_case(op, what, backend)
    with pytest.raises(u.DimensionMismatchError):
        _call(case, backend, api)


@pytest.mark.parametrize(("op", "backend", "what"), _torch_only(REJECTIONS))
def test_twin_rejects(op: str, backend: str, what: str) -> None:
    test_rejects(op, backend, what, "twin")


def test_every_forbidding_rule_has_rejection_cases() -> None:
    """The rejection list is not empty for any op whose rule forbids something."""
    for op in manifest.OPS:
        if RULES[op].kind in ("consistent", "compare", "dimensionless"):
            assert rejections(op), op


UNIT_TO_SCALE = [
    pytest.param(op, backend, id=f"{op}-{backend}", marks=_marks(backend))
    for op in manifest.OPS
    if RULES[op].kind == "dimensionless" and "unit_to_scale" in RULES[op].keywords
    for backend in _computed(op)
]


@pytest.mark.parametrize("api", ["module", "front"])
@pytest.mark.parametrize(("op", "backend"), UNIT_TO_SCALE)
def test_unit_to_scale(op: str, backend: str, api: str) -> None:
    """A length read in mm: mantissa v/1000 in metre with unit_to_scale=mm computes op(v)."""
    case = build_case(op, backend=backend)
    for name in RULES[op].operands:
        case.operands[name] = Operand(case.operands[name].mantissa, u.meter)
    case.plain[RULES[op].keywords["unit_to_scale"]] = u.mmeter
    result, rtol = call_case(case, backend, api)
    check_result(case, result, backend, rtol)


@pytest.mark.parametrize(("op", "backend"), _torch_only(UNIT_TO_SCALE))
def test_twin_unit_to_scale(op: str, backend: str) -> None:
    test_unit_to_scale(op, backend, "twin")


# ---------------------------------------------------------------------------------------------
# Backends that do not compute an op
# ---------------------------------------------------------------------------------------------
UNAVAILABLE = [
    pytest.param(op, backend, status, id=f"{op}-{backend}-{status}", marks=_marks(backend))
    for op in manifest.OPS
    for backend, status in sorted(manifest.SUPPORT[op].items())
    if status in ("unsupported", "jax_only")
]


@pytest.mark.parametrize("api", ["module", "front"])
@pytest.mark.parametrize(("op", "backend", "status"), UNAVAILABLE)
def test_unavailable(op: str, backend: str, status: str, api: str) -> None:
    case = build_case(op, backend=backend)
    with pytest.raises(u.BackendError) as info:
        _call(case, backend, api)
    message = str(info.value)
    assert op in message, message
    if status == "unsupported":
        assert backend in message, message
    else:
        assert ".to_jax()" in message, message


# ---------------------------------------------------------------------------------------------
# Quantity methods: `q.sum(axis=0)` is `polyunit.math.sum(q, axis=0)`
# ---------------------------------------------------------------------------------------------
METHOD_CASES = [
    pytest.param(op, backend, id=f"{op}-{backend}", marks=_marks(backend))
    for op in sorted(manifest.METHODS)
    for backend in _computed(op)
]


@pytest.mark.parametrize(("op", "backend"), METHOD_CASES)
def test_method(op: str, backend: str) -> None:
    case = build_case(op, backend=backend)
    (self_arg, *args), kwargs = case.call_args(backend)
    if not isinstance(self_arg, u.Quantity):
        self_arg = u.Quantity(self_arg)
    check_result(case, getattr(self_arg, op)(*args, **kwargs), backend)


def test_methods_are_the_ops_the_spec_marks() -> None:
    for op in manifest.METHODS:
        assert callable(getattr(u.Quantity, op)), op
