"""Cross-entry checks: rules against signatures, backends against ops, names against names."""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from fractions import Fraction

from codegen.model import Backend, Location, Op, RuleArg, RuleKind

Report = Callable[[Location | str, str], None]
# Builtins an override expression may use besides parameters and the backend's import names.
# Not min/max/abs/round/sum: op names shadow those builtins inside generated modules.
SAFE_BUILTINS = frozenset(
    {
        "None",
        "True",
        "False",
        "tuple",
        "list",
        "range",
        "len",
        "int",
        "float",
        "isinstance",
    }
)


def import_names(imports: Sequence[str]) -> set[str]:
    """Names bound by a backend's import lines (`import jax.numpy as jnp` binds jnp)."""
    names: set[str] = set()
    for line in imports:
        for node in ast.parse(line).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                for alias in node.names:
                    names.add(alias.asname or alias.name.split(".")[0])
    return names


def _check_rule(op: Op, kinds: dict[str, RuleKind], report: Report) -> None:
    rule, sig = op.rule, op.signature
    where = op.location
    label = f"op {op.name!r}"
    kind = kinds.get(rule.kind)
    if kind is None:
        report(
            where,
            f"{label}: unknown rule {rule.kind!r}; use one of {', '.join(sorted(kinds))} (spec/rules.yaml)",
        )
        return
    args = list(rule.args)
    if rule.kind == "custom":
        functions = dict(kind.functions)
        if not args or not isinstance(args[0], str) or args[0] not in functions:
            report(
                where,
                f"{label}: custom rule needs a function name first; known: {', '.join(sorted(functions))}",
            )
            return
        args = args[1:]
    names = [a for a in args if isinstance(a, str)]
    for name in names + [v for _, v in rule.keywords]:
        if sig.param(name) is None:
            report(
                where,
                f"{label}: rule {rule.text} uses {name!r}, which is not a parameter; add it to the signature or fix the rule",
            )
            return
    arity = {"keep": (1, 1), "reciprocal": (1, 1), "strip": (1, 1), "product": (2, 2), "quotient": (2, 2),
             "power": (2, 2), "create": (1, 1), "like": (2, 2), "consistent": (2, 99), "compare": (2, 99),
             "dimensionless": (1, 99), "custom": (1, 99)}[rule.kind]  # fmt: skip
    sequences = [p.name for p in sig.params if p.is_sequence]
    if sequences:
        if rule.kind not in ("consistent", "compare", "product") or args != sequences[:1]:
            report(
                where,
                f"{label}: a Quantities parameter works with consistent({sequences[0]}), "
                f"compare({sequences[0]}) or product({sequences[0]}) as the only rule argument",
            )
            return
        arity = (1, 1)
    if not arity[0] <= len(args) <= arity[1]:
        report(
            where,
            f"{label}: rule {rule.kind} takes {arity[0]}..{arity[1]} arguments, got {len(args)} in {rule.text}",
        )
        return
    if rule.kind == "power":
        if not isinstance(args[0], str):
            report(where, f"{label}: power needs a parameter first, then the exponent")
            return
    elif any(isinstance(a, Fraction) for a in args):
        report(where, f"{label}: only power takes a number; {rule.text} must list parameter names")
        return
    allowed_kw: set[str] = {"unit_to_scale"} if rule.kind == "dimensionless" else set()
    for key, _ in rule.keywords:
        if key not in allowed_kw:
            report(where, f"{label}: rule {rule.kind} takes no keyword {key!r}")
    # custom functions may also take plain parameters (a `unit_to_scale`), passed as they are
    quantity_args: list[RuleArg] = (
        args[:1]
        if rule.kind in ("power", "like")
        else ([] if rule.kind in ("create", "custom") else args)
    )
    for qarg in quantity_args:
        param = sig.param(str(qarg))
        if param is not None and not param.is_quantity:
            report(
                where,
                f"{label}: rule {rule.text} treats {qarg!r} as a quantity, but its type is {param.annotation}; annotate it as Quantity",
            )
    unit_args: list[RuleArg] = (
        args if rule.kind == "create" else args[1:] if rule.kind == "like" else []
    )
    for uarg in unit_args:
        param = sig.param(str(uarg))
        if param is not None and param.annotation.split(" | ")[0] != "Unit":
            report(
                where,
                f"{label}: rule {rule.kind} needs {uarg!r} to be a Unit parameter, not {param.annotation}",
            )
    covered = set(names)
    for p in sig.params:
        if p.is_quantity and p.name not in covered:
            report(
                where,
                f"{label}: Quantity parameter {p.name!r} is not covered by rule {rule.text}; name it in the rule or type it differently",
            )
    if (kind.result == "Quantity") != ("Quantity" in sig.result_parts):
        report(
            where,
            f"{label}: rule {rule.kind} returns {kind.result}, but the signature says -> {sig.returns}; make them agree",
        )
    if op.method and (not sig.params or not sig.params[0].is_quantity or sig.params[0].is_sequence):
        report(where, f"{label}: method: true needs a first parameter of type Quantity (self)")


def _check_call(op: Op, backend: Backend, call: str, where: Location, report: Report) -> None:
    label = f"op {op.name!r}: backend {backend.name!r}"
    try:
        tree = ast.parse(call, mode="eval")
    except SyntaxError as exc:
        report(where, f"{label}: call is not a Python expression ({exc.msg}): {call}")
        return
    allowed = {p.name for p in op.signature.params} | import_names(backend.imports) | SAFE_BUILTINS
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in allowed:
            hint = "a parameter, the backend's imports, or a plain builtin"
            report(where, f"{label}: call uses unknown name {node.id!r}; use {hint}")
            return
        if isinstance(node, ast.Lambda | ast.NamedExpr):
            report(
                where,
                f"{label}: call may not define lambdas or assignments; keep it one expression",
            )
            return


def _check_namespace(op: Op, backends: Sequence[Backend], report: Report) -> None:
    """Every backend must know how to compute an op of another namespace, or say it cannot."""
    for backend in backends:
        if (op.jax_only and backend.name != "jax") or op.impl(backend.name) is not None:
            continue
        if op.namespace not in dict(backend.namespaces) | dict(backend.lacks):
            report(
                op.location,
                f"op {op.qualname!r}: backend {backend.name!r} has no {op.namespace} namespace; "
                f"add `namespaces: {{{op.namespace}: ...}}` or `lacks: {{{op.namespace}: <reason>}}` "
                "to spec/backends.yaml, or an entry for this op",
            )


def validate(
    ops: list[Op], kinds: Sequence[RuleKind], backends: Sequence[Backend], report: Report
) -> None:
    kind_map = {k.name: k for k in kinds}
    backend_map = {b.name: b for b in backends}
    seen: dict[str, Op] = {}
    for op in ops:
        first = seen.get(op.qualname)
        if first is not None:
            report(
                op.location, f"op {op.name!r}: defined twice (first at {first.location}); keep one"
            )
            continue
        seen[op.qualname] = op
        _check_rule(op, kind_map, report)
        if op.namespace != "math":
            _check_namespace(op, backends, report)
        for name, impl in op.backends:
            where = impl.location or op.location
            backend = backend_map.get(name)
            if backend is None:
                report(
                    where,
                    f"op {op.name!r}: unknown backend {name!r}; use one of {', '.join(backend_map)}",
                )
                continue
            if op.jax_only and name != "jax":
                report(
                    where,
                    f"op {op.name!r}: is jax_only, so backend {name!r} needs no entry; remove it",
                )
            if impl.call is not None:
                _check_call(op, backend, impl.call, where, report)
