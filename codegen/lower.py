"""Lowering: every decision about the generated code, made in Python, as ready-made strings.

The templates only place these strings; they contain no logic beyond loops.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from fractions import Fraction

from codegen.model import Backend, Op, Param, RuleKind, Spec
from codegen.parse import format_rule_arg

# Spec type words -> Python annotations; {A} is the backend's array type.
_TYPES = {
    "Quantity": "Quantity[{A}] | {A} | float",
    "Array": "{A}",
    "Unit": "Unit",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "str": "str",
    "Axis": "int | tuple[int, ...]",
    "Shape": "int | tuple[int, ...]",
    "DType": "Any",
    "None": "None",
}
_RETURNS = {"Quantity": "Quantity[{A}] | {A}", "Array": "{A}"}


@dataclass(frozen=True)
class Function:
    """One generated function, ready to print."""

    name: str
    params: str  # the text between the parentheses
    returns: str
    doc: tuple[str, ...]  # docstring lines
    body: tuple[str, ...]  # body lines, indented one level by the template


@dataclass(frozen=True)
class Module:
    """One generated module: a docstring, import lines, module-level lines and functions."""

    doc: str
    imports: tuple[str, ...]
    preamble: tuple[str, ...]
    functions: tuple[Function, ...]
    all_names: tuple[str, ...]
    sources: str  # which spec files it comes from, for the header


def annotation(word_union: str, array_type: str) -> str:
    return " | ".join(_TYPES[w].format(A=array_type) for w in word_union.split(" | "))


def param_text(p: Param, array_type: str | None) -> str:
    ann = (
        "Any"
        if array_type is None and p.is_operand
        else annotation(p.annotation, array_type or "Any")
    )
    return f"{p.name}: {ann}" + ("" if p.default is None else f" = {p.default}")


def _exponent_name(e: Fraction) -> str:
    sign = "M" if e < 0 else ""
    return f"_EXP_{sign}{abs(e.numerator)}_{e.denominator}"


def rule_sentence(op: Op, kind: RuleKind) -> str:
    """The docstring sentence of a rule, from its description in rules.yaml."""
    args = list(op.rule.args)
    if op.rule.kind == "custom":
        fn = str(args.pop(0))
        template = dict(kind.functions)[fn]
    else:
        template = kind.description
    shown = [f"`{a}`" if isinstance(a, str) else format_rule_arg(a) for a in args]
    plain = [a if isinstance(a, str) else format_rule_arg(a) for a in args]
    scale = dict(op.rule.keywords).get("unit_to_scale")
    text = template
    if op.rule.kind == "custom":
        text = text.format(*plain)
    else:
        text = text.format(
            *plain,
            rest=", ".join(shown[1:]),
            all=", ".join(shown),
            scale=f", or is read in the unit `{scale}` when that is given" if scale else "",
        )
    return text[0].upper() + text[1:]


def docstring(op: Op, kind: RuleKind, backend_line: str | None) -> tuple[str, ...]:
    lines = [op.summary, "", "Unit rule: " + rule_sentence(op, kind)]
    if op.note:
        lines += ["", "Note: " + op.note]
    if backend_line:
        lines += ["", backend_line]
    return tuple(lines)


class _Renamer(ast.NodeTransformer):
    """Rewrites parameter names in an override into the lowered names."""

    def __init__(self, mapping: dict[str, ast.expr]) -> None:
        self.mapping = mapping

    def visit_Name(self, node: ast.Name) -> ast.expr:
        return self.mapping.get(node.id, node)


def native_call(op: Op, backend: Backend) -> str:
    """The expression computing `op` on `backend`, over lowered names (m_x for operands)."""
    impl = op.impl(backend.name)
    translate = dict(backend.translate)
    operands = [p for p in op.signature.params if p.is_operand]
    if impl is not None and impl.call is not None:
        mapping: dict[str, ast.expr] = {p.name: ast.Name(f"m_{p.name}") for p in operands}
        for p in op.signature.params:
            if p.name in translate:
                mapping[p.name] = ast.parse(translate[p.name].format(p.name), mode="eval").body
        tree = _Renamer(mapping).visit(ast.parse(impl.call, mode="eval"))
        return ast.unparse(tree)
    native = (impl.native_name if impl is not None else None) or dict(backend.renames).get(
        op.name, op.name
    )
    keywords = dict(backend.keywords)
    args = [f"m_{p.name}" for p in operands]
    for p in op.signature.params:
        if p.is_operand or p.annotation.split(" | ")[0] == "Unit":
            continue  # Unit parameters are polyunit's own, never the library's
        value = translate[p.name].format(p.name) if p.name in translate else p.name
        args.append(f"{keywords.get(p.name, p.name)}={value}")
    return f"{backend.namespace}.{native}({', '.join(args)})"


def _lift_lines(op: Op, backend: Backend) -> list[str]:
    lines = []
    first = True
    for p in op.signature.params:
        if not p.is_operand:
            continue
        lifter = (
            "_lift"
            if first or backend.scalars_pass or op.name not in backend.scalar_ops
            else "_lift_s"
        )
        first = False
        target = f"m_{p.name}, u_{p.name}"
        if p.default == "None":
            lines.append(f"{target} = (None, None) if {p.name} is None else {lifter}({p.name})")
        elif not p.is_quantity:  # plain-array operands (indices, masks): not a hot path
            lines.append(f"{target} = {lifter}({p.name})")
        else:
            # Hot path inlined: a Quantity already on this backend needs no call to the lifter.
            n = p.name
            lines.append(
                f"{target} = ({n}.mantissa, {n}.unit) if type({n}) is Quantity and "
                f"type({n}.mantissa) in _native else {lifter}({n})"
            )
        if not p.is_quantity:
            lines.append(f'm_{p.name} = _r.fold("{op.name}", m_{p.name}, u_{p.name})')
    return lines


def rule_body(op: Op, backend: Backend, call: str) -> list[str]:
    """Unit handling around `call`, per rule kind (the per-rule snippets)."""
    rule = op.rule
    args = [a for a in rule.args]
    q = f'"{op.name}"'
    lines = _lift_lines(op, backend)
    kind = rule.kind
    if kind == "keep":
        lines.append(f"return _r.keep({call}, u_{args[0]})")
    elif kind in ("consistent", "compare"):
        first = args[0]
        for other in args[1:]:
            p = op.signature.param(str(other))
            guard = f" and {other} is not None" if p is not None and p.default == "None" else ""
            lines.append(f"if u_{other} is not u_{first}{guard}:")
            lines.append(
                f"    m_{other}, u_{first} = _r.align({q}, m_{other}, u_{other}, u_{first}, {first}, {other})"
            )
        lines.append(
            f"return _r.keep({call}, u_{first})" if kind == "consistent" else f"return {call}"
        )
    elif kind in ("product", "quotient"):
        lines.append(f"return _r.changed({call}, _r.{kind}(u_{args[0]}, u_{args[1]}))")
    elif kind == "reciprocal":
        lines.append(f"return _r.changed({call}, _r.quotient(None, u_{args[0]}))")
    elif kind == "power":
        base, exp = args
        if isinstance(exp, Fraction):
            lines.append(f"return _r.changed({call}, _r.power(u_{base}, {_exponent_name(exp)}))")
        elif (p := op.signature.param(exp)) is not None and p.is_operand:
            lines.append(
                f"m_{base}, m_{exp}, u = _r.power_by({q}, m_{base}, u_{base}, m_{exp}, u_{exp})"
            )
            lines.append(f"return _r.changed({call}, u)")
        else:
            lines.append(f"return _r.changed({call}, _r.power(u_{base}, as_exponent({exp})))")
    elif kind == "dimensionless":
        scale = dict(rule.keywords).get("unit_to_scale", "None")
        for a in args:
            lines.append(f"m_{a} = _r.fold({q}, m_{a}, u_{a}, {scale})")
        lines.append(f"return {call}")
    elif kind == "strip":
        lines.append(f"return {call}")
    elif kind == "create":
        lines.append(f"return _r.changed({call}, _r.create_unit({args[0]}))")
    elif kind == "like":
        lines.append(f"return _r.like({call}, u_{args[0]}, _r.create_unit({args[1]}))")
    elif kind == "custom":
        fn, *names = args
        ms = ", ".join(f"m_{n}" for n in names)
        pairs = ", ".join(f"m_{n}, u_{n}" for n in names)
        lines.append(f"{ms}, u = _custom.{fn}({q}, {pairs})")
        lines.append(f"return _r.changed({call}, u)")
    else:  # validate() rejects unknown kinds before lowering
        raise AssertionError(kind)
    return lines


def backend_function(op: Op, backend: Backend, kind: RuleKind) -> tuple[Function, str]:
    """The function for one (op, backend) pair, and how it is classified in the manifest."""
    sig = op.signature
    params = ", ".join(param_text(p, backend.array_type) for p in sig.params)
    returns = _RETURNS[sig.returns].format(A=backend.array_type)
    impl = op.impl(backend.name)
    if op.jax_only and backend.name != "jax":
        body = [f'raise _r.jax_only("math.{op.name}", "{backend.name}")']
        status = "jax_only"
    elif impl is not None and impl.kind == "unsupported":
        body = [f"raise _r.unsupported({op.name!r}, {backend.name!r}, {impl.reason!r})"]
        status = "unsupported"
    else:
        body = rule_body(op, backend, native_call(op, backend))
        status = "override" if impl is not None and impl.call is not None else "native"
    return Function(op.name, params, returns, docstring(op, kind, None), tuple(body)), status


_USES = {
    "Any": r"\bAny\b",
    "Fraction": r"\b_EXP_",
    "Unit": r"\bUnit\b",
    "as_exponent": r"\bas_exponent\(",
    "_convert": r"\b_convert\.",
    "_custom": r"\b_custom\.",
}


def _used(functions: list[Function], extra: str = "") -> set[str]:
    text = extra + "\n".join(f.params + f.returns + "\n".join(f.body) for f in functions)
    return {name for name, pattern in _USES.items() if re.search(pattern, text)}


def backend_module(spec: Spec, backend: Backend) -> tuple[Module, dict[str, str]]:
    kinds = {k.name: k for k in spec.rules}
    functions, statuses = [], {}
    for op in spec.ops:
        fn, status = backend_function(op, backend, kinds[op.rule.kind])
        functions.append(fn)
        statuses[op.name] = status
    exponents = sorted(
        {
            a
            for op in spec.ops
            if op.rule.kind == "power"
            for a in op.rule.args
            if isinstance(a, Fraction)
        }
    )
    preamble = [
        f'_lift = _r.make_lift("{backend.name}", scalars_pass={backend.scalars_pass})',
        f'_native = _r.native_types("{backend.name}")',
    ]
    if not backend.scalars_pass:
        preamble.append(f'_lift_s = _r.make_lift("{backend.name}", scalars_pass=True)')
    preamble += [
        f"{_exponent_name(e)} = Fraction({e.numerator}, {e.denominator})" for e in exponents
    ]
    used = _used(functions, "\n".join(preamble))
    imports = ["from __future__ import annotations"]
    imports += ["from fractions import Fraction"] if "Fraction" in used else []
    imports += ["from typing import Any"] if "Any" in used or "Any" in backend.array_type else []
    imports += list(backend.imports)
    imports += ["from polyunit import convert as _convert"] if "_convert" in used else []
    imports += ["from polyunit import custom as _custom"] if "_custom" in used else []
    imports += ["from polyunit import rules as _r", "from polyunit.quantity import Quantity"]
    imports += ["from polyunit.unit import Unit"] if "Unit" in used else []
    imports += ["from polyunit.unit import as_exponent"] if "as_exponent" in used else []
    doc = f"Unit-aware operations computed with {backend.name} ({backend.namespace})."
    module = Module(
        doc,
        tuple(imports),
        tuple(preamble),
        tuple(functions),
        tuple(f.name for f in functions),
        "spec/ops/*.yaml, spec/backends.yaml",
    )
    return module, statuses


def frontend_module(spec: Spec) -> Module:
    """polyunit.math: each function picks the backend by the seed's rule and calls its module."""
    kinds = {k.name: k for k in spec.rules}
    functions = []
    for op in spec.ops:
        sig = op.signature
        params = ", ".join(param_text(p, None) for p in sig.params)
        operands = [p.name for p in sig.params if p.is_operand]
        # One picker per operand count (dispatch.py): the fast path is one dict lookup.
        picker = {0: "_pick0", 1: "_pick1", 2: "_pick2"}.get(len(operands), "_pick")
        pick = f"{picker}({', '.join(operands)})"
        call_args = ", ".join(p.name for p in sig.params)  # same order in every backend module
        if len(operands) == 1:
            # One-operand ops (sqrt, sum ...): the type lookup is inlined, saving a call.
            x = operands[0]
            body: tuple[str, ...] = (
                f"mod = _TYPE_MODULE.get(type({x}.mantissa) if type({x}) is _Quantity else type({x}))",
                f"return (mod or {pick}).{op.name}({call_args})",
            )
        else:
            body = (f"return {pick}.{op.name}({call_args})",)
        functions.append(
            Function(op.name, params, "Any", docstring(op, kinds[op.rule.kind], None), body)
        )
    imports: tuple[str, ...] = (
        "from __future__ import annotations",
        "from typing import Any",
    )
    text = "\n".join("\n".join(f.body) for f in functions)
    if "_TYPE_MODULE" in text:
        imports += (
            "from polyunit.backend import _TYPE_MODULE",
            "from polyunit.quantity import Quantity as _Quantity",
        )
    imports += tuple(
        f"from polyunit.dispatch import {name[1:]} as {name}"
        for name in ("_pick", "_pick0", "_pick1", "_pick2")
        if f"{name}(" in text
    )
    used = _used(functions)
    if "Unit" in used:
        imports += ("from polyunit.unit import Unit",)
    doc = "polyunit.math: unit-aware functions; each runs on the backend its inputs select."
    return Module(
        doc, imports, (), tuple(functions), tuple(f.name for f in functions), "spec/ops/*.yaml"
    )
