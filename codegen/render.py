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
    protocol_checks,
    protocol_functions,
)
from codegen.model import Spec
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


def _doc(lines: tuple[str, ...]) -> str:
    escaped = [line.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') for line in lines]
    return "\n".join(("    " + line) if (line and i) else line for i, line in enumerate(escaped))


def render_module(env: jinja2.Environment, module: Module) -> str:
    docs = {f.name: _doc(f.doc) for f in module.functions}
    return env.get_template("module.py.jinja").render(module=module, docs=docs)


def render_manifest(env: jinja2.Environment, spec: Spec, support: dict[str, dict[str, str]]) -> str:
    reasons: dict[str, list[tuple[str, str]]] = {}
    for op in spec.ops:
        for backend, impl in op.backends:
            if impl.kind == "unsupported" and impl.reason is not None:
                reasons.setdefault(op.name, []).append((backend, repr(impl.reason)))
    ops = [
        {
            "name": op.name,
            "signature": repr(format_signature(op.signature)),
            "rule": op.rule.text,
            "support": sorted(support[op.name].items()),
            "reasons": reasons.get(op.name, []),
            "differentiable": op.differentiable,
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
        functions=protocol_functions(spec.ops), imports=imports, checks=checks
    )


def render_all(spec: Spec, spec_dir: Path) -> dict[str, str]:
    """Every generated file, by path relative to generated/, unformatted."""
    env = _env()
    files: dict[str, str] = {"__init__.py": env.get_template("init.py.jinja").render()}
    support: dict[str, dict[str, str]] = {op.name: {} for op in spec.ops}
    for backend in spec.backends:
        module, statuses = backend_module(spec, backend)
        files[f"{backend.name}.py"] = render_module(env, module)
        for op, status in statuses.items():
            support[op][backend.name] = status
    files["frontend_math.py"] = render_module(env, frontend_module(spec))
    files["manifest.py"] = render_manifest(env, spec, support)
    files["protocol.py"] = render_protocol(env, spec)
    if (spec_dir / "units.yaml").exists():  # small fixture specs may leave the catalog out
        files.update(render_units(spec_dir))
    return dict(sorted(files.items()))


def ruff_format(files: dict[str, str], root: Path) -> dict[str, str]:
    """Sort imports and format with the project's pinned ruff, as if the files sat in generated/."""
    out: dict[str, str] = {}
    for name, text in files.items():
        stdin_name = str(root / "generated" / name)
        for args in (["check", "--fix-only", "--select", "I", "--quiet"], ["format", "--quiet"]):
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
