"""Render the lowered modules with Jinja2 and format them with the pinned ruff."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import jinja2

from codegen.lower import (
    Module,
    backend_module,
    frontend_module,
    methods_module,
    protocol_checks,
    protocol_functions,
)
from codegen.model import NAMESPACES, Spec
from codegen.parse import format_signature
from codegen.units import render_units

TEMPLATES = Path(__file__).parent / "templates"
# Formatting settings come from polyunit's own pyproject, whatever root is being generated.
RUFF_CONFIG = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )


def _doc(lines: tuple[str, ...], indent: str = "    ") -> str:
    escaped = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
    return "\n".join((indent + line) if (line and i) else line for i, line in enumerate(escaped))


def render_module(
    env: jinja2.Environment, module: Module, template: str = "module.py.jinja"
) -> str:
    indent = "        " if template == "methods.py.jinja" else "    "
    docs = {f.name: _doc(f.doc, indent) for f in module.functions}
    return env.get_template(template).render(module=module, docs=docs)


def render_manifest(env: jinja2.Environment, spec: Spec, support: dict[str, dict[str, str]]) -> str:
    reasons: dict[str, list[tuple[str, str]]] = {}
    for op in spec.ops:
        for backend, impl in op.backends:
            if impl.kind == "unsupported" and impl.reason is not None:
                reasons.setdefault(op.qualname, []).append((backend, repr(impl.reason)))
        for b in spec.backends:
            lacking = dict(b.lacks).get(op.namespace)
            if op.impl(b.name) is None and lacking is not None and op.namespace != "math":
                reasons.setdefault(op.qualname, []).append((b.name, repr(lacking)))
    ops = [
        {
            "name": op.qualname,
            "signature": repr(format_signature(op.signature)),
            "rule": op.rule.text,
            "support": sorted(support[op.qualname].items()),
            "reasons": sorted(reasons.get(op.qualname, [])),
            "differentiable": op.differentiable,
            "method": op.method,
        }
        for op in spec.ops
    ]
    return env.get_template("manifest.py.jinja").render(
        ops=ops,
        backends=[b.name for b in spec.backends],
        digest=spec.digest,
        sources="spec/",
    )


def render_protocol(env: jinja2.Environment, spec: Spec) -> str:
    imports, checks = protocol_checks(spec)
    return env.get_template("protocol.py.jinja").render(
        functions=protocol_functions(spec.ops, module_names=True),
        math_functions=protocol_functions(
            tuple(op for op in spec.ops if op.namespace == "math"), module_names=False
        ),
        imports=imports,
        checks=checks,
        uses_sequence=any(p.is_sequence for op in spec.ops for p in op.signature.params),
    )


def render_all(spec: Spec, spec_dir: Path) -> dict[str, str]:
    """Every generated file, by path relative to generated/, unformatted."""
    env = _env()
    files: dict[str, str] = {"__init__.py": env.get_template("init.py.jinja").render()}
    support: dict[str, dict[str, str]] = {op.qualname: {} for op in spec.ops}
    for backend in spec.backends:
        module, statuses = backend_module(spec, backend)
        files[f"{backend.name}.py"] = render_module(env, module)
        for op, status in statuses.items():
            support[op][backend.name] = status
    for namespace in NAMESPACES:
        files[f"frontend_{namespace}.py"] = render_module(env, frontend_module(spec, namespace))
    files["methods.py"] = render_module(env, methods_module(spec), "methods.py.jinja")
    files["manifest.py"] = render_manifest(env, spec, support)
    files["protocol.py"] = render_protocol(env, spec)
    if (spec_dir / "units.yaml").exists():  # small fixture specs may leave the catalog out
        files.update(render_units(spec_dir))
    return dict(sorted(files.items()))


def ruff_format(files: dict[str, str], root: Path) -> dict[str, str]:
    """Sort imports, drop redundant parentheses (a substituted expression may bring its own) and
    format with the project's pinned ruff, as if the files sat in generated/."""
    out: dict[str, str] = {}
    for name, text in files.items():
        stdin_name = str(root / "generated" / name)
        for args in (
            ["check", "--fix-only", "--select", "I,UP034", "--quiet"],
            ["format", "--quiet"],
        ):
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ruff",
                    *args,
                    "--config",
                    str(RUFF_CONFIG),
                    "--stdin-filename",
                    stdin_name,
                    "-",
                ],
                input=text,
                capture_output=True,
                text=True,
                cwd=root,
                check=False,
            )
            if proc.returncode != 0:
                raise RuntimeError(f"ruff failed on generated/{name}:\n{proc.stderr}")
            text = proc.stdout
        out[name] = text
    return out
