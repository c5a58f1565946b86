"""Lowering: every decision about the generated code, made in Python, as ready-made strings.

The templates only place these strings; they contain no logic beyond loops.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from fractions import Fraction
from itertools import takewhile

from codegen.model import Backend, Op, Param, RuleKind, Spec
from codegen.parse import format_rule_arg

# Spec type words -> Python annotations; {A} is the backend's array type.
_TYPES = {
    "Quantity": "Quantity[{A}] | {A} | float",
    "Quantities": "Sequence[Quantity[{A}] | {A} | float]",
    "Array": "{A}",
    "Unit": "Unit",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "str": "str",
    "Axis": "int | tuple[int, ...]",
    "Shape": "int | tuple[int, ...]",
    "DType": "Any",
    "Any": "Any",  # a structure passed to the library as it is (dimension numbers, callables)
    "None": "None",
}
_RESULT_PART = {"Quantity": "Quantity[{A}] | {A}", "Array": "{A}"}


def return_annotation(returns: str, parts: tuple[str, ...], array_type: str) -> str:
    inner = ", ".join(_RESULT_PART[p].format(A=array_type) for p in parts)
    if returns.startswith("tuple["):
        return f"tuple[{inner}]"
    if returns.startswith("list["):
        return f"list[{inner}]"
    return inner


@dataclass(frozen=True)
class Overload:
    """One `@overload` signature of a generated function."""

    params: str
    returns: str


@dataclass(frozen=True)
class Function:
    """One generated function, ready to print."""

    name: str
    params: str  # the text between the parentheses
    returns: str
    doc: tuple[str, ...]  # docstring lines
    body: tuple[str, ...]  # body lines, indented one level by the template
    overloads: tuple[Overload, ...] = ()  # precise types by operand kind; empty: none needed


@dataclass(frozen=True)
class Module:
    """One generated module: a docstring, import lines, module-level lines and functions."""

    doc: str
    imports: tuple[str, ...]
    preamble: tuple[str, ...]
    functions: tuple[Function, ...]
    all_names: tuple[str, ...]
    sources: str  # which spec files it comes from, for the header
    pragmas: tuple[str, ...] = ()  # comment lines under the header (type-checker settings)
    postamble: tuple[str, ...] = ()  # module-level lines after the functions


def annotation(word_union: str, array_type: str) -> str:
    return " | ".join(_TYPES[w].format(A=array_type) for w in word_union.split(" | "))


def param_text(p: Param, array_type: str | None, ann: str | None = None) -> str:
    if ann is None:
        ann = (
            "Any"
            if array_type is None and p.is_operand
            else annotation(p.annotation, array_type or "Any")
        )
    return f"{p.name}: {ann}" + ("" if p.default is None else f" = {p.default}")


# Rule kinds whose result is a Quantity exactly when a ruled operand is one; the other
# overloaded kinds can come out plain for a Quantity input (dimensionless outcomes).
_EXACT = frozenset({"keep", "consistent"})
_OVERLOADED = _EXACT | {"product", "quotient", "reciprocal", "power", "custom"}


def overloads(op: Op, array_type: str, prefix: str = "") -> tuple[Overload, ...]:
    """`@overload` signatures: a Quantity operand gives `Quantity[A]` (or `Quantity[A] | A`
    where the unit algebra may come out dimensionless), plain operands give the plain array.

    Only for rules where every operand the rule names is a Quantity parameter, required (or
    optional with None for keep/consistent, as clip's bounds); other ops keep their single
    union-typed signature, which is always true."""
    sig = op.signature
    if sig.returns != "Quantity" or op.rule.kind not in _OVERLOADED:
        return ()
    if any(p.is_sequence for p in sig.params):
        return ()
    ruled = [sig.param(a) for a in op.rule.args if isinstance(a, str)]
    quantities = [p for p in sig.params if p.is_quantity]
    optional = [p for p in quantities if p.default is not None]
    if not quantities or any(p.default != "None" for p in optional):
        return ()
    if optional and op.rule.kind not in _EXACT:
        return ()
    if {p.name for p in quantities} != {p.name for p in ruled if p is not None}:
        return ()
    # a flag the custom rule reads may turn the result into a tuple (retstep, return_indices)
    if op.rule.kind == "custom" and any(p is not None and p.annotation == "bool" for p in ruled):
        return ()
    a = array_type
    plain = f"{a} | float"
    q_result = f"Quantity[{a}]" if op.rule.kind in _EXACT else f"Quantity[{a}] | {a}"

    def plain_of(p: Param) -> str:
        return plain if p.default is None else f"{plain} | None"

    def signature(anns: dict[str, str]) -> str:
        return prefix + ", ".join(param_text(p, a, anns.get(p.name)) for p in sig.params)

    all_plain = signature({q.name: plain_of(q) for q in quantities})
    if optional:
        return _optional_overloads(sig.params, quantities, a, prefix, q_result, all_plain)
    out: list[Overload] = []
    for i, chosen in enumerate(quantities):
        anns = {q.name: plain for q in quantities[:i]} | {chosen.name: f"Quantity[{a}]"}
        out.append(Overload(signature(anns), q_result))
    out.append(Overload(all_plain, a))
    return tuple(out)


def _optional_overloads(
    params: tuple[Param, ...],
    quantities: list[Param],
    a: str,
    prefix: str,
    q_result: str,
    all_plain: str,
) -> tuple[Overload, ...]:
    """Overloads when some Quantity operands are optional (None), as clip's bounds: one per
    operand given as the Quantity (the ones before it plain), positionally and, for an optional
    one, by keyword; then all plain. No catch-all: mypy would answer Any for numpy's Any-typed
    arrays when two overloads match."""
    plain = f"{a} | float"

    def text(p: Param, ann: str | None, default: bool) -> str:
        body = param_text(p, a, ann)
        return body if default or p.default is None else body.rsplit(" = ", 1)[0]

    out: list[Overload] = []
    for i, chosen in enumerate(quantities):
        earlier = {
            q.name: plain if q.default is None else f"{plain} | None" for q in quantities[:i]
        }
        at = params.index(chosen)
        # positionally: everything up to the chosen operand is given, so no defaults there
        parts = [text(p, earlier.get(p.name), default=False) for p in params[:at]]
        parts.append(text(chosen, f"Quantity[{a}]", default=False))
        parts += [text(p, None, default=True) for p in params[at + 1 :]]
        out.append(Overload(prefix + ", ".join(parts), q_result))
        if any(p.default is not None for p in params[:at]):  # by keyword, those left out
            parts = [text(p, earlier.get(p.name), default=True) for p in params[:at]]
            parts += ["*", text(chosen, f"Quantity[{a}]", default=False)]
            parts += [text(p, None, default=True) for p in params[at + 1 :]]
            out.append(Overload(prefix + ", ".join(parts), q_result))
    out.append(Overload(all_plain, a))
    return tuple(out)


def _exponent_name(e: Fraction) -> str:
    sign = "M" if e < 0 else ""
    return f"_EXP_{sign}{abs(e.numerator)}_{e.denominator}"


# Rules over a sequence parameter read differently from their per-operand descriptions.
_SEQUENCE_SENTENCES = {
    "consistent": "Every array in `{0}` needs the dimension of the first and is converted to its "
    "unit; the result has the unit of the first.",
    "compare": "Every array in `{0}` needs the dimension of the first and is converted to its "
    "unit; the result is a plain array.",
    "product": "The result's unit is the product of the units of the arrays in `{0}`; a "
    "dimensionless result is a plain array.",
}


def rule_sentence(op: Op, kind: RuleKind) -> str:
    """The docstring sentence of a rule, from its description in rules.yaml."""
    if any(p.is_sequence for p in op.signature.params):
        return _SEQUENCE_SENTENCES[op.rule.kind].format(op.rule.args[0])
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


# jax's options of the products (dot, matmul, convolve ...): jnp takes them; every other library
# gets no `precision` (it must be None) and `preferred_element_type` becomes a cast of the result.
_JAX_OPTIONS = ("precision", "preferred_element_type")


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
        op.qualname, op.name
    )
    keywords = dict(backend.keywords)
    # Operands go positionally while they lead the signature; one after an option (sum's
    # `initial`, `where`) goes by keyword, as the libraries declare it.
    leading = len(list(takewhile(lambda p: p.is_operand, op.signature.params)))
    args = [f"m_{p.name}" for p in op.signature.params[:leading]]
    for p in op.signature.params[leading:]:
        if p.is_operand:
            args.append(f"{keywords.get(p.name, p.name)}=m_{p.name}")
            continue
        if p.annotation.split(" | ")[0] == "Unit":
            continue  # Unit parameters are polyunit's own, never the library's
        if p.name in _JAX_OPTIONS and backend.name != "jax" or p.name == "out":
            continue
        value = translate[p.name].format(p.name) if p.name in translate else p.name
        args.append(f"{keywords.get(p.name, p.name)}={value}")
    return f"{native_namespace(op, backend)}.{native}({', '.join(args)})"


def native_namespace(op: Op, backend: Backend) -> str:
    """Where the library keeps the op: `np` for math, `np.linalg` for linalg, ..."""
    return backend.namespace if op.namespace == "math" else dict(backend.namespaces)[op.namespace]


def _lift_lines(op: Op, backend: Backend, traced: bool) -> list[str]:
    lines: list[str] = []
    first = True
    for p in op.signature.params:
        if not p.is_operand:
            continue
        lifter = (
            "_lift"
            if first or backend.scalars_pass or op.name not in backend.scalar_ops
            else "_lift_s"
        )
        # a Python number passes as it is where the lifter passes scalars (a common right operand)
        scalar_passes = not first and (backend.scalars_pass or lifter == "_lift_s")
        if traced and first and op.name in backend.scalar_ops:
            # a left number too (`2.0 * q`): the twin has checked that the other operand is on
            # the backend, so the library takes the number as it would its tensor
            scalar_passes = True
        if traced:  # the twins' lifters (see twin_section): no inline fast path
            lifter += "_traced"
        first = False
        # a strip rule never reads the unit of a Quantity operand
        unused = op.rule.kind == "strip" and p.is_quantity and not p.is_sequence
        target = f"m_{p.name}, " + ("_" if unused else f"u_{p.name}")
        if p.is_sequence:
            # traced, no `_native`: dynamo would guard the set's contents
            seq_lift = f"_lift_traced, {p.name}" if traced else f"_lift, {p.name}, _native"
            lines.append(f"{target} = _r.lift_seq({seq_lift})")
            continue
        if p.default == "None":
            lines.append(f"{target} = (None, None) if {p.name} is None else {lifter}({p.name})")
        elif not p.is_quantity:  # plain-array operands (indices, masks): not a hot path
            lines.append(f"{target} = {lifter}({p.name})")
        else:
            # Hot path inlined, as statements (no tuple built): a Quantity already on this
            # backend, or a Python number where it passes, needs no call to the lifter. Traced,
            # the test reads no `_native` set (dynamo would guard its contents) and the inlined
            # number spares the lifter's guards. The annotations are for the type checkers only
            # (never evaluated): the branches assign different types.
            n = p.name
            on_backend = (
                _is_backend_quantity(n, backend.array_type)
                if traced
                else f"type({n}) is Quantity and type({n}.mantissa) in _native"
            )
            lines.append(f"if {on_backend}:")
            lines.append(f"    m_{n}: Any = {n}.mantissa")
            if not unused:
                lines.append(f"    u_{n}: Unit | None = {n}.unit")
            if scalar_passes:
                lines.append(f"elif type({n}) is float or type({n}) is int:")
                lines.append(f"    m_{n} = {n}")
                lines.append(f"    u_{n} = None")
            lines.append("else:")
            lines.append(f"    {target} = {lifter}({n})")
        if not p.is_quantity:  # a plain array operand (a mask): only a unit needs folding
            fold = f'm_{p.name} = _r.fold("{op.name}", m_{p.name}, u_{p.name})'
            lines += [f"if u_{p.name} is not None:", f"    {fold}"]
    return lines


def rule_body(op: Op, backend: Backend, call: str, traced: bool = False) -> list[str]:
    """Unit handling around `call`, per rule kind (the per-rule snippets).

    `traced`: the body of the op's torch.compile twin: no inline fast paths (they read caches
    that dynamo would guard), and the rules that runtime/traced.py provides taken from there."""
    body = _rule_body(op, backend, call, traced)
    if not traced:
        return body
    return [
        _TRACED_RULES.sub(
            lambda m: f"_{m[1]}_traced(" if m[1] in ("keep", "changed") else f"_tr_{m[1]}(", line
        )
        for line in body
    ]


# The rules.py functions with a twin in runtime/traced.py (same arguments and results); keep
# and changed build a Quantity, so their twins are in the generated module (see twin_section).
TRACED_RULES = ("fold",)
_TRACED_RULES = re.compile(rf"\b_r\.({'|'.join(('keep', 'changed') + TRACED_RULES)})\(")


def _empty_axis_lines(op: Op) -> list[str]:
    """numpy's `axis=()` reduces over no axis, where the library would reduce over all of them:
    a reduction then runs over a new axis of length 1, which leaves each element as it is (a
    sum is the element, a variance 0). `initial` is a scalar: it needs no new axis."""
    axis, keepdims = op.signature.param("axis"), op.signature.param("keepdims")
    if axis is None or keepdims is None or not axis.annotation.startswith("Axis"):
        return []
    lines = ["if axis is not None and axis == ():"]
    for p in op.signature.params:
        if not p.is_operand or p.is_sequence or p.name == "initial":
            continue
        new_axis = f"m_{p.name}[..., None]"
        if p.default == "None":
            new_axis = f"None if m_{p.name} is None else {new_axis}"
        lines.append(f"    m_{p.name} = {new_axis}")
    return lines + ["    axis, keepdims = -1, False"]


def _rule_body(op: Op, backend: Backend, call: str, traced: bool) -> list[str]:
    rule = op.rule
    args = [a for a in rule.args]
    q = f'"{op.name}"'
    lines = _lift_lines(op, backend, traced)
    if backend.empty_axis_reduces_all:
        lines += _empty_axis_lines(op)
    kind = rule.kind
    sequence = any(p.is_sequence for p in op.signature.params)
    wrap: str | None = None  # how a Quantity part of the result gets its unit; {} is the part
    # A single Quantity result of keep/changed is built inline (see _inline_result): the unit
    # of the result (keep), or the lines computing it into `u_` (changed).
    keep_unit: str | None = None
    changed_unit: list[str] | None = None
    plan: str | None = None  # traced: the one folded call that gives the result's unit
    if kind == "keep":
        wrap = f"_r.keep({{}}, u_{args[0]})"
        keep_unit = f"u_{args[0]}"
    elif kind in ("consistent", "compare"):
        first = args[0]
        if sequence:
            # the common unit gets its own name: u_{first} is the list of the operands' units
            lines.append(f"m_{first}, u_ = _r.align_seq({q}, m_{first}, u_{first}, {first})")
        for other in args[1:]:
            p = op.signature.param(str(other))
            guard = f" and {other} is not None" if p is not None and p.default == "None" else ""
            align = f"m_{other}, u_{first} = _r.align({q}, m_{other}, u_{other}, u_{first}, {first}, {other})"
            if traced and not guard:
                # The same unit object (units are interned) needs no factor, and dynamo decides
                # `is` while tracing from the guards it has anyway: the input units' identity
                # (or, for one object read from two inputs, their aliasing). Otherwise the folded
                # factor; a mismatch takes the eager rule, which raises.
                lines += [
                    f"f_ = 1.0 if u_{other} is u_{first} else _tr_conversion(u_{other}, u_{first})",
                    "if f_ is None:",
                    f"    {align}",
                    "elif f_ != 1.0:",
                    f"    m_{other} = m_{other} * f_",
                    f"if u_{first} is None and u_{other} is not None:",
                    f"    u_{first} = _tr_UNITLESS  # as the eager rule: a plain operand is unitless",
                ]
                continue
            lines.append(f"if u_{other} is not u_{first}{guard}:")
            lines.append(f"    {align}")
        common = "u_" if sequence else f"u_{first}"
        wrap = f"_r.keep({{}}, {common})" if kind == "consistent" else None
        keep_unit = common if kind == "consistent" else None
    elif kind == "product" and sequence:
        wrap = f"_r.changed({{}}, _r.product_seq(u_{args[0]}))"
    elif kind in ("product", "quotient"):
        wrap = f"_r.changed({{}}, _r.{kind}(u_{args[0]}, u_{args[1]}))"
        x, y = f"u_{args[0]}", f"u_{args[1]}"
        plan = f'_tr_unit_plan("{kind}", {x}, {y}, 1)'
        cache = "_mul" if kind == "product" else "_div"
        # the unit caches' hit path inlined (unit.py keys them by the other unit's id)
        changed_unit = [
            f"u_ = None if {x} is None or {y} is None else {x}.{cache}.get(id({y}))"
            "  # pyright: ignore[reportPrivateUsage]",
            "if u_ is None:",
            f"    u_ = _r.{kind}({x}, {y})",
        ]
    elif kind == "reciprocal":
        wrap = f"_r.changed({{}}, _r.quotient(None, u_{args[0]}))"
        plan = f'_tr_unit_plan("quotient", None, u_{args[0]}, 1)'
    elif kind == "power":
        base, exp = args
        if isinstance(exp, Fraction):
            wrap = f"_r.changed({{}}, _r.power(u_{base}, {_exponent_name(exp)}))"
            # traced: the exponent as two int constants (a Fraction object costs a guard)
            plan = f'_tr_unit_plan("power", u_{base}, {exp.numerator}, {exp.denominator})'
            # unit.py keys a Fraction exponent as (numerator, denominator)
            key = f"({exp.numerator}, {exp.denominator})"
            changed_unit = [
                f"u_ = None if u_{base} is None else u_{base}._pow.get({key})"
                "  # pyright: ignore[reportPrivateUsage]",
                "if u_ is None:",
                f"    u_ = _r.power(u_{base}, {_exponent_name(exp)})",
            ]
        elif (p := op.signature.param(exp)) is not None and p.is_operand:
            if traced and op.signature.returns == "Quantity":
                # the common `q ** 2`, a Python number exponent: one folded call for the unit
                number = f"type(m_{exp}) is int or type(m_{exp}) is float"
                lines += [
                    f"if u_{exp} is None and ({number}):",
                    *(
                        "    " + line
                        for line in _planned_result(
                            call, f'_tr_unit_plan("power", u_{base}, m_{exp}, 1)'
                        )
                    ),
                ]
            lines.append(
                f"m_{base}, m_{exp}, u = _r.power_by({q}, m_{base}, u_{base}, m_{exp}, u_{exp})"
            )
            wrap = "_r.changed({}, u)"
        else:
            wrap = f"_r.changed({{}}, _r.power(u_{base}, as_exponent({exp})))"
            plan = f'_tr_unit_plan("power", u_{base}, {exp}, 1)'
    elif kind == "dimensionless":
        scale = dict(rule.keywords).get("unit_to_scale", "None")
        for a in args:
            lines.append(f"m_{a} = _r.fold({q}, m_{a}, u_{a}, {scale})")
    elif kind == "strip":
        pass
    elif kind == "create":
        wrap = f"_r.changed({{}}, _r.create_unit({args[0]}))"
    elif kind == "like":
        wrap = f"_r.like({{}}, u_{args[0]}, _r.create_unit({args[1]}))"
    elif kind == "custom":
        # A tuple result gets one unit per part: u[i].
        fn, *names = args
        # Quantity arguments go in as (mantissa, unit) pairs and come back converted; Array
        # arguments go in as their (folded) mantissa, options (axis, ...) by value.
        params = {str(n): op.signature.param(str(n)) for n in names}
        quantities = [n for n, p in params.items() if p is not None and p.is_quantity]
        arrays = [n for n, p in params.items() if p is not None and p.is_operand]
        ms = ", ".join(f"m_{n}" for n in quantities)
        pairs = ", ".join(
            f"m_{n}, u_{n}" if n in quantities else f"m_{n}" if n in arrays else n for n in params
        )
        lines.append(f"{ms}, u = _custom.{fn}({q}, {pairs})")
        tuple_result = op.signature.returns.startswith("tuple[")
        wrap = "_r.changed({}, u[{i}])" if tuple_result else "_r.changed({}, u)"
    else:  # validate() rejects unknown kinds before lowering
        raise AssertionError(kind)
    single = op.signature.returns == "Quantity"
    if single and traced and plan is not None:
        return lines + _planned_result(call, plan)
    if single and traced and keep_unit is None:
        single = False  # the wrap below, through the traced rules
    if single and keep_unit is not None:
        return (
            lines
            + ["r_ = " + call, f"if {keep_unit} is None:", "    return r_"]
            + (_inline_result(keep_unit, traced))
        )
    if single and changed_unit is not None:
        return (
            lines
            + ["r_ = " + call]
            + changed_unit
            + ["if u_ is None or u_.dim is _DIMENSIONLESS:", "    return _r.changed(r_, u_)"]
            + _inline_result("u_")
        )
    return lines + _return_lines(op.signature.returns, op.signature.result_parts, call, wrap)


def _planned_result(call: str, plan: str) -> list[str]:
    """A twin's result whose unit comes from one folded call (`traced.unit_plan`)."""
    return [
        "r_ = " + call,
        f"n_, s_ = {plan}",
        "if n_ is None:",
        "    return r_ if s_ == 1.0 else r_ * s_",
        *_inline_result("getattr(_tr_Derived, n_)", True),
    ]


def _inline_result(unit: str, traced: bool = False) -> list[str]:
    """The result Quantity built in place: `_r.keep` / `_r.changed` without the call (a call
    costs as much as the construction on a 10-element array). Traced, `Quantity.__new__` (which
    is `object.__new__`) costs dynamo no guard: the twins read `Quantity` anyway."""
    new = "Quantity.__new__(Quantity)" if traced else "_new(Quantity)"
    return [f"q_ = {new}", "q_.mantissa = r_", f"q_.unit = {unit}", "return q_"]


def _return_lines(returns: str, parts: tuple[str, ...], call: str, wrap: str | None) -> list[str]:
    """Give each Quantity part of the result its unit; Array parts come back as they are."""

    def part(kind: str, expr: str, i: int = 0) -> str:
        return wrap.format(expr, i=i) if kind == "Quantity" and wrap is not None else expr

    if returns.startswith("list["):
        return [f"return [{part(parts[0], 'r_')} for r_ in {call}]"]
    if returns.startswith("tuple["):
        items = ", ".join(part(k, f"r_[{i}]", i) for i, k in enumerate(parts))
        return [f"r_ = {call}", f"return ({items})"]
    return [f"return {part(parts[0], call)}"]


def backend_function(op: Op, backend: Backend, kind: RuleKind) -> tuple[Function, str]:
    """The function for one (op, backend) pair, and how it is classified in the manifest."""
    sig = op.signature
    params = ", ".join(param_text(p, backend.array_type) for p in sig.params)
    returns = return_annotation(sig.returns, sig.result_parts, backend.array_type)
    impl = op.impl(backend.name)
    dotted = f"{op.namespace}.{op.name}"
    lacking = dict(backend.lacks).get(op.namespace) if op.namespace != "math" else None
    if op.jax_only and backend.name != "jax":
        body = [f'raise _r.jax_only("{dotted}", "{backend.name}")']
        status = "jax_only"
    elif impl is not None and impl.kind == "unsupported":
        body = [f"raise _r.unsupported({dotted!r}, {backend.name!r}, {impl.reason!r})"]
        status = "unsupported"
    elif impl is None and lacking is not None:
        body = [f"raise _r.unsupported({dotted!r}, {backend.name!r}, {lacking!r})"]
        status = "unsupported"
    else:
        body = computing_body(op, backend)
        status = "override" if impl is not None and impl.call is not None else "native"
    doc = docstring(op, kind, None)
    typed = overloads(op, backend.array_type)
    return Function(op.pyname, params, returns, doc, tuple(body), typed), status


# Traced, the arithmetic ops compute with Python's operator, as the raw code they stand for
# does: `torch.add` read from the module would cost dynamo a guard on every call.
_OPERATOR_SYMBOLS = {
    "add": "+",
    "subtract": "-",
    "multiply": "*",
    "divide": "/",
    "floor_divide": "//",
    "remainder": "%",
    "power": "**",
    "less": "<",
    "less_equal": "<=",
    "greater": ">",
    "greater_equal": ">=",
    "equal": "==",
    "not_equal": "!=",
}


def computing_body(op: Op, backend: Backend, traced: bool = False) -> list[str]:
    """The body of an op the backend computes (its native call wrapped in the unit rule)."""
    call = native_call(op, backend)
    symbol = _OPERATOR_SYMBOLS.get(op.qualname)
    if traced and symbol is not None and re.fullmatch(r"[\w.]+\(m_x, m_y\)", call):
        call = f"(m_x {symbol} m_y)"
    names = {p.name for p in op.signature.params}
    dotted = f"{op.namespace}.{op.name}"
    guard: list[str] = []
    # the options' checks and casts called only when given (a call costs ~0.1 us)
    if "out" in names:  # results are new arrays: numpy's `out` is accepted only as None
        guard += ["if out is not None:", f'    _compose.no_out("{dotted}", out)']
    if backend.name != "jax":
        if "preferred_element_type" in names:
            call = (
                f"({call} if preferred_element_type is None else "
                f"_compose.element_type({call}, preferred_element_type))"
            )
        if "precision" in names:
            guard += [
                "if precision is not None:",
                f'    _compose.no_precision("{dotted}", "{backend.name}", precision)',
            ]
    # no call for the usual dtype=None (a call costs time, and dynamo a guard)
    call = call.replace(
        "_convert.torch_dtype(dtype)", "(None if dtype is None else _convert.torch_dtype(dtype))"
    )
    return guard + rule_body(op, backend, call, traced)


# Quantity's operators that get a torch.compile twin: dunder -> (op, operands reflected).
OPERATOR_TWINS = (
    ("__add__", "add", False),
    ("__radd__", "add", True),
    ("__sub__", "subtract", False),
    ("__rsub__", "subtract", True),
    ("__mul__", "multiply", False),
    ("__rmul__", "multiply", True),
    ("__truediv__", "divide", False),
    ("__rtruediv__", "divide", True),
    ("__floordiv__", "floor_divide", False),
    ("__rfloordiv__", "floor_divide", True),
    ("__mod__", "remainder", False),
    ("__rmod__", "remainder", True),
    ("__pow__", "power", False),
    ("__rpow__", "power", True),
    ("__matmul__", "matmul", False),
    ("__rmatmul__", "matmul", True),
    ("__neg__", "negative", False),
    ("__pos__", "positive", False),
    ("__abs__", "absolute", False),
    ("__eq__", "equal", False),
    ("__ne__", "not_equal", False),
    ("__lt__", "less", False),
    ("__le__", "less_equal", False),
    ("__gt__", "greater", False),
    ("__ge__", "greater_equal", False),
)


def _is_backend_quantity(name: str, array_type: str) -> str:
    """The traced test that `name` is a Quantity on the backend (subclasses of its array type
    included, as nn.Parameter)."""
    return f"isinstance({name}, Quantity) and isinstance({name}.mantissa, {array_type})"


def _backend_check(params: list[Param], array_type: str, scalars: bool = False) -> str:
    """The twin's test that the front end would pick this backend. Operands that are all
    quantities on it (or absent) settle it without the call to `_on_this_backend`, which would
    cost dynamo guards on every call. `scalars`: a Python int or float second operand (an
    operator's) settles it too; `type(...) is` keeps numpy scalars, float subclasses, out."""
    tests: list[str] = []
    for i, p in enumerate(params):
        if p.is_sequence or p.default not in (None, "None"):
            tests = []
            break
        test = _is_backend_quantity(p.name, array_type)
        if p.default == "None":
            test = f"{p.name} is None or {test}"
        elif scalars and i == 1:
            test += f" or type({p.name}) is float or type({p.name}) is int"
        tests.append(f"({test})" if len(params) > 1 and " or " in test else test)
    operands = ", ".join(("*" if p.is_sequence else "") + p.name for p in params)
    call = f"_on_this_backend({operands})"
    return f"({' and '.join(tests)} or {call})" if tests else call


def _front_twin(op: Op, backend: Backend, key: str) -> list[str]:
    """The twin of a front-end function. A function with defaults takes `*args, **kwargs` and
    binds them itself, the defaults written as literals: dynamo guards every default it reads
    off a function object, on every call. A call that would not bind goes to the eager
    function, which raises as Python does."""
    sig = op.signature
    names = [p.name for p in sig.params]
    if {"args", "kwargs"} & set(names):
        raise AssertionError(f"{key}: a parameter name the twin uses itself")
    call_args = ", ".join(names)
    on_backend = _backend_check([p for p in sig.params if p.is_operand], backend.array_type)
    eager = f'_front_eager["{key}"]'
    if all(p.default is None for p in sig.params):
        head = [
            f"def _traced_{op.pyname}({', '.join(param_text(p, None) for p in sig.params)}) -> Any:"
        ]
    else:
        required = sum(p.default is None for p in sig.params)

        def given(i: int) -> str:  # args[i] exists (the builtin `len` would cost a guard)
            return "args" if i == 0 else f"args[{i}:]"

        fewer = f"not {given(required - 1)} or " if required else ""
        head = [
            f"def _traced_{op.pyname}(*args: Any, **kwargs: Any) -> Any:",
            f"    if (kwargs or {fewer}args[{len(names)}:]) and not _tr_binds(",
            f"        args, kwargs, {tuple(names)!r}, {required}",
            "    ):",
            f"        return {eager}(*args, **kwargs)",
        ]
        for i, p in enumerate(sig.params):
            value = (
                f"kwargs[{p.name!r}]"
                if p.default is None
                else f"kwargs.get({p.name!r}, {p.default})"
            )
            head.append(f"    {p.name} = args[{i}] if {given(i)} else {value}")
    return head + [
        f"    if not {on_backend}:",
        f"        return {eager}({call_args})",
        *(f"    {line}" for line in computing_body(op, backend, traced=True)),
    ]


def _operator_twin(op: Op, backend: Backend, dunder: str, reflected: bool) -> list[str]:
    """The twin of a Quantity operator: the op's body inline (a call to the front-end twin
    would cost dynamo a guard). Its parameters are the op's, in the operator's order, so the
    body reads them as they are: a reflected operator's `self` is the op's second operand."""
    names = [p.name for p in op.signature.params if p.is_operand]
    params = list(reversed(names)) if reflected else names
    signature = ", ".join(f"{n}: Any" for n in params)
    if dunder == "__pow__":  # pow(q, 2, modulo): varargs, as a default would cost a guard
        signature += ", *modulo: None"
    # None is no operand of an operator (q == None is NotImplemented)
    check = " or ".join([f"{params[1]} is None"] if len(params) > 1 else [])
    operands = [p for n in params for p in op.signature.params if p.name == n]
    check += (" or " if check else "") + "not " + _backend_check(operands, backend.array_type, True)
    if dunder == "__pow__":
        check += " or (modulo and modulo[0] is not None)"  # (`any` is an op of the module)
    fallback = ", ".join(params) + (", *modulo" if dunder == "__pow__" else "")
    # the op's options (matmul's precision ...) at their defaults, as an operator gives none
    options = [f"    {p.name} = {p.default}" for p in op.signature.params if not p.is_operand]
    return [
        f"def _traced_op_{dunder.strip('_')}({signature}) -> Any:",
        f"    if {check}:",
        f'        return _method_eager["{dunder}"]({fallback})',
        *options,
        *(f"    {line}" for line in computing_body(op, backend, traced=True)),
    ]


def twin_section(spec: Spec, backend: Backend, statuses: dict[str, str]) -> list[str]:
    """The torch.compile twins (runtime/traced.py explains why) of the front-end function of
    every op the backend computes and of the Quantity operators; then their installation.
    A twin computes what the original does; it leaves foreign operands to the eager code."""
    tensor = backend.array_type
    lines = [
        "# -- torch.compile twins: what dynamo traces instead of the functions above -------",
        "",
        "",
        "def _on_this_backend(*vs: object) -> bool:",
        '    """Whether the front end picks this backend: an operand on it, none on another."""',
        "    found = False",
        "    for v in vs:",
        "        if v is None:",
        "            continue",
        "        m = v.mantissa if isinstance(v, Quantity) else v",
        f"        if isinstance(m, {tensor}):",
        "            found = True",
        "        elif type(m) not in (int, float, complex, bool):  # numpy scalars decide too",
        "            return False",
        "    return found",
    ]
    lifters = ["_lift"] + ([] if backend.scalars_pass else ["_lift_s"])
    for lifter in lifters:
        lines += [
            "",
            "",
            f"def {lifter}_traced(v: object) -> tuple[Any, Unit | None]:",
            f"    if isinstance(v, Quantity) and isinstance(v.mantissa, {tensor}):",
            "        return v.mantissa, v.unit",
            f"    if isinstance(v, {tensor}):",
            "        return v, None",
            f"    return {lifter}(v)",
        ]
    # rules.keep and rules.changed; here, as Quantity read from another module costs a guard
    lines += [
        "",
        "",
        "def _keep_traced(r: Any, u: Unit | None) -> Any:",
        "    if u is None:",
        "        return r",
        "    q = Quantity.__new__(Quantity)",
        "    q.mantissa = r",
        "    q.unit = u",
        "    return q",
        "",
        "",
        "def _changed_traced(r: Any, u: Unit | None | tuple[Unit | None, ...]) -> Any:",
        "    if u is None:",
        "        return r",
        "    if isinstance(u, tuple):  # a tuple result: rare, traced as in eager",
        "        return _r.changed(r, u)",
        "    scale = _tr_plain_scale(u)",
        "    if scale is not None:",
        "        return r if scale == 1.0 else r * scale",
        "    return _keep_traced(r, u)",
    ]
    front: list[str] = []
    ops = {op.qualname: op for op in spec.ops}
    for op in spec.ops:
        if statuses[op.qualname] not in ("native", "override"):
            continue  # a function that raises is traced as it is
        key = f"{op.namespace}.{op.name}"
        lines += ["", ""] + _front_twin(op, backend, key)
        front.append(f'"{key}": _traced_{op.pyname},')
    operators: list[str] = []
    for dunder, name, reflected in OPERATOR_TWINS:
        if statuses.get(name) not in ("native", "override"):
            continue
        lines += ["", ""] + _operator_twin(ops[name], backend, dunder, reflected)
        operators.append(f'"{dunder}": _traced_op_{dunder.strip("_")},')
    lines += [
        "",
        "",
        "_front_eager, _method_eager = _tr_install(",
        "    {" + " ".join(front) + "},",
        "    {" + " ".join(operators) + "},",
        ")",
    ]
    return lines


_USES = {
    "Any": r"\bAny\b",
    "Fraction": r"\b_EXP_",
    "Unit": r"\bUnit\b",
    "as_exponent": r"\bas_exponent\(",
    "_convert": r"\b_convert\.",
    "_custom": r"\b_custom\.",
    "_compose": r"\b_compose\.",
    "Sequence": r"\bSequence\[",
    "overload": r"@overload",
}


def _used(functions: list[Function], extra: str = "") -> set[str]:
    text = extra + "\n".join(
        f.params + f.returns + "\n".join(f.body) + ("@overload" if f.overloads else "")
        for f in functions
    )
    return {name for name, pattern in _USES.items() if re.search(pattern, text)}


# The array libraries' own annotations are partial (jax, torch), narrower than what they accept
# (numpy, torch keyword spellings) or absent (dask, ndonnx, cupy when not installed): pyright
# relaxes the rules about those calls in the backend modules only, as mypy's overrides do.
# The modules' own signatures stay checked (and against the Ops protocol).
_PYRIGHT_RELAX = (
    "reportUnknownMemberType",
    "reportUnknownArgumentType",
    "reportUnknownVariableType",
    "reportUnknownParameterType",
    "reportAttributeAccessIssue",
    "reportArgumentType",
    "reportCallIssue",
    "reportIndexIssue",
    "reportOperatorIssue",
    "reportReturnType",
    "reportDeprecated",
)

# Two more, per backend: ndonnx types shape entries as `int | None` (sizes may be lazy), and
# pyright infers dask's decorated (@derived_from) unannotated broadcast_arrays as NoReturn.
_PYRIGHT_BACKEND_RELAX = {
    "ndonnx": ("reportOptionalOperand",),
    "dask": ("reportGeneralTypeIssues",),
}


def _pyright_relax(backend: str) -> str:
    return "# pyright: " + ", ".join(
        f"{rule}=false" for rule in _PYRIGHT_RELAX + _PYRIGHT_BACKEND_RELAX.get(backend, ())
    )


# The operators whose same-backend, same-unit case Quantity computes itself (quantity.py): it
# calls the backend's native function, read from the module as `kernel_<op>`, with no call to
# the op function in between. Each must be a plain native call on the two mantissas.
OPERATOR_KERNELS = (
    "add",
    "subtract",
    "multiply",
    "divide",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "equal",
    "not_equal",
    "power",
)


def operator_kernels(spec: Spec, backend: Backend) -> list[str]:
    """`kernel_add = np.add` ...: the native function of each operator op on `backend`."""
    ops = {op.qualname: op for op in spec.ops}
    lines: list[str] = []
    for name in OPERATOR_KERNELS:
        op = ops.get(name)
        if op is None:  # a partial spec (the generator's own test fixtures)
            continue
        call = native_call(op, backend)
        fn = call.removesuffix("(m_x, m_y)")
        if fn == call or not re.fullmatch(r"[\w.]+", fn):
            raise AssertionError(f"{backend.name}.{name}: operator kernel needs a native call")
        lines.append(f"kernel_{name} = {fn}")
    return lines


def backend_module(spec: Spec, backend: Backend) -> tuple[Module, dict[str, str]]:
    kinds = {k.name: k for k in spec.rules}
    functions: list[Function] = []
    statuses: dict[str, str] = {}
    for op in spec.ops:
        fn, status = backend_function(op, backend, kinds[op.rule.kind])
        functions.append(fn)
        statuses[op.qualname] = status
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
    twins = twin_section(spec, backend, statuses) if backend.compile_twins else []
    text = "\n".join("\n".join(f.body) for f in functions) + "\n".join(twins)
    if "_new(" in text:
        preamble.append("_new = object.__new__")
    preamble += operator_kernels(spec, backend)
    used = _used(functions, "\n".join(preamble + twins))
    imports = ["from __future__ import annotations"]
    imports += ["from collections.abc import Sequence"] if "Sequence" in used else []
    imports += ["from fractions import Fraction"] if "Fraction" in used else []
    typing_names = ["Any"] if "Any" in used or "Any" in backend.array_type else []
    typing_names += ["overload"] if "overload" in used else []
    imports += [f"from typing import {', '.join(typing_names)}"] if typing_names else []
    imports += list(backend.imports)
    imports += ["from polyunit import convert as _convert"] if "_convert" in used else []
    imports += ["from polyunit import compose as _compose"] if "_compose" in used else []
    imports += ["from polyunit import custom as _custom"] if "_custom" in used else []
    imports += ["from polyunit import rules as _r", "from polyunit.quantity import Quantity"]
    if twins:  # by name: reading them off the module object would cost dynamo a guard
        imports += [
            f"from polyunit.traced import {name} as _tr_{name}"
            for name in (
                "install",
                "binds",
                "plain_scale",
                "unit_plan",
                "conversion",
                "Derived",
                "UNITLESS",
                *TRACED_RULES,
            )
            if re.search(rf"\b_tr_{name}\b", "\n".join(twins))
        ]
    imports += ["from polyunit.unit import Unit"] if "Unit" in used else []
    imports += ["from polyunit.unit import as_exponent"] if "as_exponent" in used else []
    if "_DIMENSIONLESS" in text:
        imports.append("from polyunit.dimension import DIMENSIONLESS as _DIMENSIONLESS")
    doc = f"Unit-aware operations computed with {backend.name} ({backend.namespace})."
    module = Module(
        doc,
        tuple(imports),
        tuple(preamble),
        tuple(functions),
        tuple(f.name for f in functions),
        "spec/ops/*.yaml, spec/backends.yaml",
        (_pyright_relax(backend.name),),
        tuple(twins),
    )
    return module, statuses


_LINE = 100  # ruff's line-length (pyproject.toml)


def frontend_module(spec: Spec, namespace: str) -> Module:
    """polyunit.<namespace>: each function picks the backend by the seed's rule and calls its
    module's function."""
    kinds = {k.name: k for k in spec.rules}
    functions: list[Function] = []
    for op in spec.ops:
        if op.namespace != namespace:
            continue
        sig = op.signature
        params = ", ".join(param_text(p, None) for p in sig.params)
        operands = [p.name for p in sig.params if p.is_operand]
        sequence = any(p.is_sequence for p in sig.params)
        # One picker per operand count (dispatch.py): the fast path is one dict lookup.
        picker = (
            "_pick"
            if sequence
            else {0: "_pick0", 1: "_pick1", 2: "_pick2"}.get(len(operands), "_pick")
        )
        starred = [("*" if p.is_sequence else "") + p.name for p in sig.params if p.is_operand]
        pick = f"{picker}({', '.join(starred)})"
        call_args = ", ".join(p.name for p in sig.params)  # same order in every backend module
        required = operands if len(operands) == 1 else _required_operands(op)
        if len(required) == 1 and not sequence:
            # One-operand ops (sqrt, sum ...): the type lookup is inlined, saving a call; with
            # optional operands (sum's initial and where) when those are left at None.
            x = required[0]
            optional = [n for n in operands if n != x]
            indent = "    " if optional else ""
            # pyright narrows `type(x) is _Quantity` to Quantity[Unknown] (also after the
            # conditional); a cast would cost a call on every op, so the lines say so instead.
            key = f"type({x}.mantissa) if type({x}) is _Quantity else type({x})"
            ignore = "  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]"
            lookup = f"mod = _TYPE_MODULE.get({key})"
            # Where ruff would wrap the lookup, wrap it here so the ignore stays on its line.
            lookup_lines = (
                (lookup + ignore,)
                if len(lookup) <= _LINE - 4 - len(indent)
                else ("mod = _TYPE_MODULE.get(", f"    {key}{ignore}", ")")
            )
            absent = " and ".join(f"{n} is None" for n in optional)
            body = (
                (("mod = None", f"if {absent}:") if optional else ())
                + tuple(indent + line for line in lookup_lines)
                + (
                    # the function first, so the ignore stays on its line however long the call
                    f"fn = (mod or {pick}).{op.pyname}  # pyright: ignore[reportUnknownArgumentType]",
                    f"return fn({call_args})",
                )
            )
        else:
            body = (f"return {pick}.{op.pyname}({call_args})",)
        functions.append(
            Function(op.name, params, "Any", docstring(op, kinds[op.rule.kind], None), body)
        )
    imports: tuple[str, ...] = ("from __future__ import annotations",)
    text = "\n".join("\n".join(f.body) for f in functions)
    if functions:
        imports += ("from typing import Any",)
    if "_TYPE_MODULE" in text:
        imports += (
            "from polyunit.backend import _TYPE_MODULE  # pyright: ignore[reportPrivateUsage]",
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
    doc = f"polyunit.{namespace}: unit-aware functions; each runs on the backend its inputs select."
    return Module(
        doc, imports, (), tuple(functions), tuple(f.name for f in functions), "spec/ops/*.yaml"
    )


def _required_operands(op: Op) -> list[str]:
    """The operands without a default, when every other operand defaults to None."""
    operands = [p for p in op.signature.params if p.is_operand]
    if any(p.default not in (None, "None") for p in operands):
        return []
    return [p.name for p in operands if p.default is None]


def methods_module(spec: Spec) -> Module:
    """The Quantity methods (`q.sum(axis=0)`): each calls its op's front-end function."""
    kinds = {k.name: k for k in spec.rules}
    functions: list[Function] = []
    for op in spec.ops:
        if not op.method:
            continue
        rest = op.signature.params[1:]
        params = ", ".join(["self", *(param_text(p, None) for p in rest)])
        call_args = ", ".join(["self", *(p.name for p in rest)])
        body = (f"return _frontends.{op.namespace}.{op.name}({call_args})",)
        lines = docstring(
            op, kinds[op.rule.kind], f"Same as `polyunit.{op.namespace}.{op.name}(q, ...)`."
        )
        functions.append(Function(op.name, params, "Any", lines, body))
    imports = ["from __future__ import annotations", "import importlib", "from typing import Any"]
    used = _used(functions)
    if "Unit" in used:
        imports.append("from polyunit.unit import Unit")
    doc = "Quantity methods that are ops of the spec; Quantity inherits them."
    return Module(
        doc, tuple(imports), (), tuple(functions), ("QuantityMethods",), "spec/ops/*.yaml"
    )


@dataclass(frozen=True)
class Check:
    """One conformance line of the protocol module: `var: Ops[array_type] = module`."""

    var: str
    array_type: str
    module: str
    protocol: str  # Ops (backend modules, every namespace) or MathOps (polyunit.math)


def _bound_names(line: str) -> set[str]:
    node = ast.parse(line).body[0]
    if isinstance(node, ast.Import):
        return {a.asname or a.name.split(".")[0] for a in node.names}
    if isinstance(node, ast.ImportFrom):
        return {a.asname or a.name for a in node.names}
    return set()


def protocol_functions(ops: tuple[Op, ...], module_names: bool) -> tuple[Function, ...]:
    """The Protocol's methods: each op's signature and overloads over the type variable `A`,
    named as in the backend modules (`linalg_det`) or as in a front end (`det`)."""
    functions: list[Function] = []
    for op in ops:
        sig = op.signature
        params = ", ".join(["self", *(param_text(p, "A") for p in sig.params)])
        returns = return_annotation(sig.returns, sig.result_parts, "A")
        name = op.pyname if module_names else op.name
        functions.append(Function(name, params, returns, (), (), overloads(op, "A", "self, ")))
    return tuple(functions)


def protocol_checks(spec: Spec) -> tuple[tuple[str, ...], tuple[Check, ...]]:
    """Import lines and conformance checks: every backend module, and polyunit.math as Ops[Any]."""
    imports: list[str] = []
    checks: list[Check] = []
    for b in spec.backends:
        for line in b.imports:
            names = _bound_names(line)
            if any(re.search(rf"\b{n}\b", b.array_type) for n in names) and line not in imports:
                imports.append(line)
        imports.append(f"from polyunit.backends import {b.name} as _{b.name}_ops")
        checks.append(Check(f"_check_{b.name}", b.array_type, f"_{b.name}_ops", "Ops"))
    imports.append("from polyunit.backends import frontend_math as _math_ops")
    checks.append(Check("_check_math", "Any", "_math_ops", "MathOps"))
    return tuple(imports), tuple(checks)
