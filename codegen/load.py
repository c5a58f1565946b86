"""Read spec/ into the typed model, collecting every problem as `file:line: ...`."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from codegen.model import NAMESPACES, Backend, BackendImpl, Location, Op, RuleKind, Spec
from codegen.parse import ParseError, parse_rule, parse_signature
from codegen.validate import validate
from codegen.yamlload import LineDict, LineList, SpecError, load

OP_KEYS = frozenset(
    {"signature", "rule", "summary", "note", "jax_only", "differentiable", "method", "backends"}
)
FILE_KEYS = frozenset({"namespace", "jax_only", "ops"})
IMPL_KEYS = frozenset({"call", "name", "unsupported"})
RULE_KEYS = frozenset({"args", "result", "description", "functions"})
BACKEND_KEYS = frozenset(
    {
        "imports",
        "namespace",
        "array_type",
        "compile_twins",
        "empty_axis_reduces_all",
        "scalars",
        "scalar_ops",
        "renames",
        "keywords",
        "translate",
        "namespaces",
        "lacks",
    }
)


class Problems:
    """Collects problems so the user sees all of them at once."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: Location | str, message: str) -> None:
        self.items.append(f"{where}: {message}")


def _loc(file: str, node: Any, key: str | None = None) -> Location:
    if key is not None and isinstance(node, LineDict):
        return Location(file, node.key_lines.get(key, node.line))
    return Location(file, getattr(node, "line", 0))


def _unknown_keys(
    node: LineDict, allowed: frozenset[str], file: str, what: str, problems: Problems
) -> None:
    for key in node:
        if key not in allowed:
            problems.add(
                _loc(file, node, key),
                f"{what}: unknown key {key!r}; allowed: {', '.join(sorted(allowed))}",
            )


def _str_map(node: Any, file: str, what: str, problems: Problems) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    if not isinstance(node, LineDict) or not all(isinstance(v, str) for v in node.values()):
        problems.add(_loc(file, node), f"{what} must be a mapping of names to strings")
        return ()
    return tuple(sorted(node.items()))


def load_rules(path: Path, file: str, problems: Problems) -> tuple[RuleKind, ...]:
    data = load(path, file)
    if not isinstance(data, LineDict):
        problems.add(f"{file}:1", "rules.yaml must be a mapping of rule names")
        return ()
    kinds: list[RuleKind] = []
    for name, body in data.items():
        where = _loc(file, data, name)
        if not isinstance(body, LineDict):
            problems.add(where, f"rule {name!r}: must be a mapping with args, result, description")
            continue
        _unknown_keys(body, RULE_KEYS, file, f"rule {name!r}", problems)
        result, description = body.get("result"), body.get("description")
        if result not in ("Quantity", "Array") or not isinstance(description, str):
            problems.add(
                where, f"rule {name!r}: needs `result: Quantity|Array` and a `description`"
            )
            continue
        functions = _str_map(body.get("functions"), file, f"rule {name!r}: functions", problems)
        kinds.append(RuleKind(name, result, description, functions, where))
    return tuple(kinds)


def load_backends(path: Path, file: str, problems: Problems) -> tuple[Backend, ...]:
    data = load(path, file)
    if not isinstance(data, LineDict):
        problems.add(f"{file}:1", "backends.yaml must be a mapping of backend names")
        return ()
    backends: list[Backend] = []
    for name, body in data.items():
        where = _loc(file, data, name)
        if not isinstance(body, LineDict):
            problems.add(where, f"backend {name!r}: must be a mapping")
            continue
        _unknown_keys(body, BACKEND_KEYS, file, f"backend {name!r}", problems)
        imports, namespace, array_type = (
            body.get("imports"),
            body.get("namespace"),
            body.get("array_type"),
        )
        scalars = body.get("scalars")
        if (
            not isinstance(imports, LineList)
            or not isinstance(namespace, str)
            or not isinstance(array_type, str)
        ):
            problems.add(
                where, f"backend {name!r}: needs imports (a list), namespace and array_type"
            )
            continue
        if scalars not in ("pass", "convert"):
            problems.add(where, f"backend {name!r}: scalars must be `pass` or `convert`")
            continue
        scalar_ops = body.get("scalar_ops") or LineList()
        flags = {key: body.get(key, False) for key in ("compile_twins", "empty_axis_reduces_all")}
        wrong = [key for key, value in flags.items() if not isinstance(value, bool)]
        for key in wrong:
            problems.add(where, f"backend {name!r}: {key} must be true or false")
        if wrong:
            continue
        backends.append(
            Backend(
                name=name,
                imports=tuple(str(i) for i in imports),
                namespace=namespace,
                array_type=array_type,
                scalars_pass=scalars == "pass",
                scalar_ops=tuple(sorted(str(s) for s in scalar_ops)),
                renames=_str_map(body.get("renames"), file, f"backend {name!r}: renames", problems),
                keywords=_str_map(
                    body.get("keywords"), file, f"backend {name!r}: keywords", problems
                ),
                translate=_str_map(
                    body.get("translate"), file, f"backend {name!r}: translate", problems
                ),
                location=where,
                namespaces=_str_map(
                    body.get("namespaces"), file, f"backend {name!r}: namespaces", problems
                ),
                lacks=_str_map(body.get("lacks"), file, f"backend {name!r}: lacks", problems),
                compile_twins=flags["compile_twins"],
                empty_axis_reduces_all=flags["empty_axis_reduces_all"],
            )
        )
    return tuple(backends)


def _load_impl(
    node: Any, file: str, op: str, backend: str, problems: Problems
) -> BackendImpl | None:
    where = _loc(file, node)
    what = f"op {op!r}: backend {backend!r}"
    if not isinstance(node, LineDict) or len(node) != 1:
        problems.add(where, f"{what}: give exactly one of call, name, unsupported")
        return None
    _unknown_keys(node, IMPL_KEYS, file, what, problems)
    ((key, value),) = node.items()
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f"{what}: {key} must be a non-empty string")
        return None
    if key == "call":
        return BackendImpl("override", call=value, location=where)
    if key == "name":
        return BackendImpl("native", native_name=value, location=where)
    if key == "unsupported":
        return BackendImpl("unsupported", reason=value, location=where)
    return None


def load_op(
    node: Any, file: str, family: str, problems: Problems, namespace: str, jax_only: bool
) -> Op | None:
    where = _loc(file, node)
    if not isinstance(node, LineDict):
        problems.add(where, "each op must be a mapping with signature, rule and summary")
        return None
    sig_text = node.get("signature")
    label = sig_text.split("(")[0] if isinstance(sig_text, str) else "?"
    _unknown_keys(node, OP_KEYS, file, f"op {label!r}", problems)
    ok = True
    for key in ("signature", "rule", "summary"):
        if not isinstance(node.get(key), str):
            problems.add(
                where,
                f"op {label!r}: missing or non-string `{key}`; every op needs signature, rule and summary",
            )
            ok = False
    if not ok:
        return None
    try:
        signature = parse_signature(node["signature"])
    except ParseError as exc:
        problems.add(_loc(file, node, "signature"), f"op {label!r}: {exc}")
        return None
    try:
        rule = parse_rule(node["rule"])
    except ParseError as exc:
        problems.add(_loc(file, node, "rule"), f"op {label!r}: {exc}")
        return None
    for flag in ("jax_only", "differentiable", "method"):
        if flag in node and not isinstance(node[flag], bool):
            problems.add(_loc(file, node, flag), f"op {label!r}: {flag} must be true or false")
    impls: list[tuple[str, BackendImpl]] = []
    backends_node = node.get("backends")
    if backends_node is not None:
        if not isinstance(backends_node, LineDict):
            problems.add(
                _loc(file, node, "backends"),
                f"op {label!r}: backends must be a mapping of backend names",
            )
        else:
            for backend, impl_node in backends_node.items():
                impl = _load_impl(impl_node, file, label, backend, problems)
                if impl is not None:
                    impls.append((backend, impl))
    note = node.get("note")
    return Op(
        signature=signature,
        rule=rule,
        summary=node["summary"].strip(),
        note=note.strip() if isinstance(note, str) else None,
        jax_only=jax_only or node.get("jax_only") is True,
        differentiable=node.get("differentiable") is not False,
        backends=tuple(sorted(impls)),
        family=family,
        location=where,
        namespace=namespace,
        method=node.get("method") is True,
    )


def load_ops(path: Path, file: str, problems: Problems) -> list[Op]:
    data = load(path, file)
    if (
        not isinstance(data, LineDict)
        or not set(data) <= FILE_KEYS
        or not isinstance(data.get("ops"), LineList)
    ):
        problems.add(
            f"{file}:1",
            "an ops file is a mapping with `ops:` (a list of ops) and optionally "
            "`namespace:` and `jax_only:`",
        )
        return []
    namespace = data.get("namespace", "math")
    if namespace not in NAMESPACES:
        problems.add(
            _loc(file, data, "namespace"),
            f"unknown namespace {namespace!r}; use one of {', '.join(NAMESPACES)}",
        )
        return []
    jax_only = data.get("jax_only", False)
    if not isinstance(jax_only, bool):
        problems.add(_loc(file, data, "jax_only"), "jax_only must be true or false")
        return []
    ops = [
        op
        for node in data["ops"]
        if (op := load_op(node, file, path.stem, problems, namespace, jax_only)) is not None
    ]
    for prev, op in zip(ops, ops[1:], strict=False):
        if op.name < prev.name:
            problems.add(
                op.location,
                f"op {op.name!r}: entries must be sorted by name; move it before {prev.name!r}",
            )
            break
    return ops


def spec_files(spec_dir: Path) -> list[Path]:
    """Every file the generated output depends on, in a stable order."""
    return sorted(
        [
            spec_dir / "rules.yaml",
            spec_dir / "backends.yaml",
            spec_dir / "units.yaml",
            *(spec_dir / "ops").glob("*.yaml"),
        ]
    )


def _by_place(problem: str) -> tuple[str, int]:
    file, _, rest = problem.partition(":")
    line = rest.partition(":")[0]
    return (file, int(line) if line.isdigit() else 0)


def load_spec(spec_dir: Path, root: Path) -> Spec:
    """Load and validate the whole spec; raise SpecError listing every problem found."""
    problems = Problems()

    def rel(p: Path) -> str:
        return p.relative_to(root).as_posix()

    def guarded(fn: Any, path: Path) -> Any:
        try:
            return fn(path, rel(path), problems)
        except SpecError as exc:
            problems.items.extend(exc.problems)
            return ()
        except FileNotFoundError:
            problems.add(f"{rel(path)}:1", "file is missing; restore it from git")
            return ()

    rules = guarded(load_rules, spec_dir / "rules.yaml")
    backends = guarded(load_backends, spec_dir / "backends.yaml")
    ops: list[Op] = []
    for path in sorted((spec_dir / "ops").glob("*.yaml")):
        ops.extend(guarded(load_ops, path))
    validate(ops, rules, backends, problems.add)
    if problems.items:
        raise SpecError(sorted(problems.items, key=_by_place))
    digest = hashlib.sha256()
    for path in spec_files(spec_dir):
        if path.exists():
            digest.update(rel(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return Spec(
        tuple(sorted(ops, key=lambda o: (NAMESPACES.index(o.namespace), o.name))),
        tuple(rules),
        tuple(backends),
        digest.hexdigest(),
    )
