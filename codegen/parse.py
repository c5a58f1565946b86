"""Signatures and rules are written in Python syntax: parse them with `ast`, print them back.

The canonical print must equal what the spec says (the round-trip rule), so every signature in
the spec reads the same way and the generated code can reuse the text.
"""

from __future__ import annotations

import ast
import re
from fractions import Fraction

from codegen.model import Param, Rule, RuleArg, Signature

TYPE_WORDS = frozenset(
    {
        "Quantity",
        "Quantities",
        "Array",
        "Unit",
        "int",
        "float",
        "bool",
        "str",
        "Axis",
        "Shape",
        "DType",
        "Any",
        "None",
    }
)


_RETURNS = re.compile(
    r"Quantity|Array|list\[(Quantity|Array)\]|tuple\[(Quantity|Array)(, (Quantity|Array))+\]"
)


class ParseError(ValueError):
    """A problem in one signature or rule; the message says what and how to fix it."""


def _literal(node: ast.expr, what: str) -> str:
    text = ast.unparse(node)
    try:
        ast.literal_eval(node)
    except ValueError:
        raise ParseError(
            f"default of {what} must be a literal (number, string, None, bool, tuple), got {text}"
        ) from None
    return text


def parse_signature(text: str) -> Signature:
    try:
        tree = ast.parse(f"def {text}: ...")
    except SyntaxError as exc:
        raise ParseError(
            f"signature is not valid Python ({exc.msg}); write it as `name(a: Quantity) -> Quantity`"
        ) from None
    func = tree.body[0]
    assert isinstance(func, ast.FunctionDef)
    a = func.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        raise ParseError("signature may not use *args, **kwargs, `*` or `/`; list plain parameters")
    if func.returns is None:
        raise ParseError("signature needs a return type: `-> Quantity` or `-> Array`")
    defaults: list[ast.expr | None] = [None] * (len(a.args) - len(a.defaults)) + list(a.defaults)
    params: list[Param] = []
    for arg, default in zip(a.args, defaults, strict=True):
        if arg.annotation is None:
            raise ParseError(
                f"parameter {arg.arg!r} needs a type annotation, e.g. `{arg.arg}: Quantity`"
            )
        annotation = ast.unparse(arg.annotation)
        for word in annotation.split(" | "):
            if word not in TYPE_WORDS:
                raise ParseError(
                    f"parameter {arg.arg!r} has unknown type {word!r}; use one of {', '.join(sorted(TYPE_WORDS))}"
                )
        params.append(
            Param(
                arg.arg, annotation, None if default is None else _literal(default, repr(arg.arg))
            )
        )
    returns = ast.unparse(func.returns)
    if not _RETURNS.fullmatch(returns):
        raise ParseError(
            "return type must be Quantity, Array, a tuple of them such as "
            f"tuple[Array, Quantity], or list[Quantity] / list[Array]; got {returns}"
        )
    sig = Signature(func.name, tuple(params), returns)
    canonical = format_signature(sig)
    if canonical != text:
        raise ParseError(f"signature is not in canonical form; write it as: {canonical}")
    return sig


def format_param(p: Param) -> str:
    return f"{p.name}: {p.annotation}" + ("" if p.default is None else f" = {p.default}")


def format_signature(sig: Signature) -> str:
    return f"{sig.name}({', '.join(format_param(p) for p in sig.params)}) -> {sig.returns}"


def _exponent(node: ast.expr) -> Fraction | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return Fraction(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _exponent(node.operand)
        return None if inner is None else -inner
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        num, den = _exponent(node.left), _exponent(node.right)
        if num is not None and den is not None and den != 0:
            return num / den
    return None


def format_rule_arg(arg: RuleArg) -> str:
    if isinstance(arg, str):
        return arg
    return str(arg.numerator) if arg.denominator == 1 else f"{arg.numerator}/{arg.denominator}"


def parse_rule(text: str) -> Rule:
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise ParseError(
            f"rule {text!r} is not a call; write it like `keep(x)` or `power(x, 1/2)`"
        ) from None
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        raise ParseError(f"rule {text!r} is not a call; write it like `keep(x)` or `power(x, 1/2)`")
    args: list[RuleArg] = []
    for a in node.args:
        if isinstance(a, ast.Name):
            args.append(a.id)
            continue
        exp = _exponent(a)
        if exp is None:
            raise ParseError(
                f"rule argument {ast.unparse(a)} is neither a parameter name nor a rational exponent like 1/2"
            )
        args.append(exp)
    keywords: list[tuple[str, str]] = []
    for kw in node.keywords:
        if kw.arg is None or not isinstance(kw.value, ast.Name):
            raise ParseError(f"rule keyword in {text!r} must be `name=parameter`")
        keywords.append((kw.arg, kw.value.id))
    rule = Rule(node.func.id, tuple(args), tuple(keywords), "")
    canonical = format_rule(rule)
    if canonical != text:
        raise ParseError(f"rule is not in canonical form; write it as: {canonical}")
    return Rule(rule.kind, rule.args, rule.keywords, canonical)


def format_rule(rule: Rule) -> str:
    parts = [format_rule_arg(a) for a in rule.args] + [f"{k}={v}" for k, v in rule.keywords]
    return f"{rule.kind}({', '.join(parts)})"
