"""Signature/rule round trips, and one exact snippet per rule kind."""

from __future__ import annotations

from fractions import Fraction

import pytest

from codegen.lower import rule_body
from codegen.model import Backend, Location, Op
from codegen.parse import ParseError, format_signature, parse_rule, parse_signature

SIGNATURES = [
    "sqrt(x: Quantity) -> Quantity",
    "sum(x: Quantity, axis: Axis | None = None, keepdims: bool = False) -> Quantity",
    "zeros(shape: Shape, dtype: DType | None = None, unit: Unit | None = None) -> Quantity",
    "less(x: Quantity, y: Quantity) -> Array",
    "round(x: Quantity, decimals: int = 0) -> Quantity",
    "pad(x: Quantity, mode: str = 'constant', width: Shape = (1, 2)) -> Quantity",
]


@pytest.mark.parametrize("text", SIGNATURES)
def test_signature_round_trip(text: str) -> None:
    assert format_signature(parse_signature(text)) == text


@pytest.mark.parametrize(
    ("text", "args"),
    [
        ("keep(x)", ("x",)),
        ("power(x, 1/2)", ("x", Fraction(1, 2))),
        ("power(x, -1/3)", ("x", Fraction(-1, 3))),
        ("power(x, 2)", ("x", Fraction(2))),
        ("power(x, n)", ("x", "n")),
        ("consistent(x, a_min, a_max)", ("x", "a_min", "a_max")),
        ("custom(floor_divide, x, y)", ("floor_divide", "x", "y")),
    ],
)
def test_rule_round_trip(text: str, args: tuple[object, ...]) -> None:
    rule = parse_rule(text)
    assert rule.args == args
    assert rule.text == text


def test_rule_keywords_round_trip() -> None:
    rule = parse_rule("dimensionless(x, unit_to_scale=unit_to_scale)")
    assert rule.keywords == (("unit_to_scale", "unit_to_scale"),)


def test_two_over_four_is_not_canonical() -> None:
    with pytest.raises(ParseError, match="write it as: power\\(x, 1/2\\)"):
        parse_rule("power(x, 2/4)")


NUMPY = Backend(
    "numpy", ("import numpy as np",), "np", "NDArray[Any]", True, (), (), (), (), Location("b", 1)
)
TORCH = Backend(
    "torch",
    ("import torch",),
    "torch",
    "torch.Tensor",
    False,
    ("add",),
    (),
    (("axis", "dim"),),
    (),
    Location("b", 1),
)


def _op(signature: str, rule: str) -> Op:
    return Op(
        parse_signature(signature),
        parse_rule(rule),
        "s",
        None,
        False,
        True,
        (),
        "f",
        Location("f", 1),
    )


def _lifted(name: str, lifter: str = "_lift", scalar: bool = False) -> list[str]:
    """The inlined lift of one operand: no call when it is a Quantity already on the backend
    (or, for a later operand where the lifter passes them, a Python number)."""
    lines = [
        f"if type({name}) is Quantity and type({name}.mantissa) in _native:",
        f"    m_{name}: Any = {name}.mantissa",
        f"    u_{name}: Unit | None = {name}.unit",
    ]
    if scalar:
        lines += [
            f"elif type({name}) is float or type({name}) is int:",
            f"    m_{name} = {name}",
            f"    u_{name} = None",
        ]
    return lines + ["else:", f"    m_{name}, u_{name} = {lifter}({name})"]


def _built(unit: str) -> list[str]:
    """The result Quantity built inline."""
    return ["q_ = _new(Quantity)", "q_.mantissa = r_", f"q_.unit = {unit}", "return q_"]


def _kept(unit: str) -> list[str]:
    return ["r_ = CALL", f"if {unit} is None:", "    return r_", *_built(unit)]


def _changed(*unit_lines: str) -> list[str]:
    return [
        "r_ = CALL",
        *unit_lines,
        "if u_ is None or u_.dim is _DIMENSIONLESS:",
        "    return _r.changed(r_, u_)",
        *_built("u_"),
    ]


_XY = [*_lifted("x"), *_lifted("y", scalar=True)]
_PRIVATE = "  # pyright: ignore[reportPrivateUsage]"

SNIPPETS = [
    (
        "neg(x: Quantity) -> Quantity",
        "keep(x)",
        [*_lifted("x"), *_kept("u_x")],
    ),
    (
        "add(x: Quantity, y: Quantity) -> Quantity",
        "consistent(x, y)",
        [
            *_XY,
            "if u_y is not u_x:",
            '    m_y, u_x = _r.align("add", m_y, u_y, u_x, x, y)',
            *_kept("u_x"),
        ],
    ),
    (
        "less(x: Quantity, y: Quantity) -> Array",
        "compare(x, y)",
        [
            *_XY,
            "if u_y is not u_x:",
            '    m_y, u_x = _r.align("less", m_y, u_y, u_x, x, y)',
            "return CALL",
        ],
    ),
    (
        "mul(x: Quantity, y: Quantity) -> Quantity",
        "product(x, y)",
        [
            *_XY,
            *_changed(
                "u_ = None if u_x is None or u_y is None else u_x._mul.get(id(u_y))" + _PRIVATE,
                "if u_ is None:",
                "    u_ = _r.product(u_x, u_y)",
            ),
        ],
    ),
    (
        "div(x: Quantity, y: Quantity) -> Quantity",
        "quotient(x, y)",
        [
            *_XY,
            *_changed(
                "u_ = None if u_x is None or u_y is None else u_x._div.get(id(u_y))" + _PRIVATE,
                "if u_ is None:",
                "    u_ = _r.quotient(u_x, u_y)",
            ),
        ],
    ),
    (
        "sqrt(x: Quantity) -> Quantity",
        "power(x, 1/2)",
        [
            *_lifted("x"),
            *_changed(
                "u_ = None if u_x is None else u_x._pow.get((1, 2))" + _PRIVATE,
                "if u_ is None:",
                "    u_ = _r.power(u_x, _EXP_1_2)",
            ),
        ],
    ),
    (
        "inv(x: Quantity) -> Quantity",
        "power(x, -1)",
        [
            *_lifted("x"),
            *_changed(
                "u_ = None if u_x is None else u_x._pow.get((-1, 1))" + _PRIVATE,
                "if u_ is None:",
                "    u_ = _r.power(u_x, _EXP_M1_1)",
            ),
        ],
    ),
    (
        "mpow(x: Quantity, n: int) -> Quantity",
        "power(x, n)",
        [*_lifted("x"), "return _r.changed(CALL, _r.power(u_x, as_exponent(n)))"],
    ),
    (
        "pow(x: Quantity, y: Quantity) -> Quantity",
        "power(x, y)",
        [
            *_XY,
            'm_x, m_y, u = _r.power_by("pow", m_x, u_x, m_y, u_y)',
            "return _r.changed(CALL, u)",
        ],
    ),
    (
        "rec(x: Quantity) -> Quantity",
        "reciprocal(x)",
        [*_lifted("x"), "return _r.changed(CALL, _r.quotient(None, u_x))"],
    ),
    (
        "exp(x: Quantity, unit_to_scale: Unit | None = None) -> Array",
        "dimensionless(x, unit_to_scale=unit_to_scale)",
        [*_lifted("x"), 'm_x = _r.fold("exp", m_x, u_x, unit_to_scale)', "return CALL"],
    ),
    (
        "sign(x: Quantity) -> Array",
        "strip(x)",
        [
            "if type(x) is Quantity and type(x.mantissa) in _native:",
            "    m_x: Any = x.mantissa",
            "else:",
            "    m_x, _ = _lift(x)",
            "return CALL",
        ],
    ),
    (
        "zeros(shape: Shape, unit: Unit | None = None) -> Quantity",
        "create(unit)",
        ["return _r.changed(CALL, _r.create_unit(unit))"],
    ),
    (
        "zl(a: Quantity, unit: Unit | None = None) -> Quantity",
        "like(a, unit)",
        [*_lifted("a"), "return _r.like(CALL, u_a, _r.create_unit(unit))"],
    ),
    (
        "fd(x: Quantity, y: Quantity) -> Quantity",
        "custom(floor_divide, x, y)",
        [
            *_XY,
            'm_x, m_y, u = _custom.floor_divide("fd", m_x, u_x, m_y, u_y)',
            "return _r.changed(CALL, u)",
        ],
    ),
]


@pytest.mark.parametrize(
    ("signature", "rule", "expected"),
    SNIPPETS,
    ids=[s[1].split("(")[0] + ":" + s[0].split("(")[0] for s in SNIPPETS],
)
def test_rule_snippet(signature: str, rule: str, expected: list[str]) -> None:
    assert rule_body(_op(signature, rule), NUMPY, "CALL") == expected


def test_torch_converts_scalar_operands_except_listed_ops() -> None:
    body = rule_body(_op("mul(x: Quantity, y: Quantity) -> Quantity", "product(x, y)"), TORCH, "C")
    assert body[:10] == [*_lifted("x"), *_lifted("y")]
    body = rule_body(
        _op("add(x: Quantity, y: Quantity) -> Quantity", "consistent(x, y)"), TORCH, "C"
    )
    assert body[:13] == [*_lifted("x"), *_lifted("y", "_lift_s", scalar=True)]


def test_optional_operands_are_lifted_only_when_given() -> None:
    body = rule_body(
        _op("clip(x: Quantity, lo: Quantity | None = None) -> Quantity", "consistent(x, lo)"),
        NUMPY,
        "C",
    )
    assert body[5] == "m_lo, u_lo = (None, None) if lo is None else _lift(lo)"
    assert body[6] == "if u_lo is not u_x and lo is not None:"
