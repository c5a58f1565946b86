"""Static types a user relies on: tests/typing checked by mypy and pyright, the Ops protocol
catching a broken backend module, and an installed wheel type-checking in a user's project.

Marked `typing` (the wheel test also `slow`); `make test` runs them, so CI does."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TYPING = REPO / "tests" / "typing"
CACHE = REPO / ".mypy_cache" / "tests"
pytestmark = pytest.mark.typing


def _mypy(*args: str, cache: str, cwd: Path = REPO, python: str | None = None) -> str:
    cmd = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(CACHE / cache)]
    cmd += ["--python-executable", python] if python else []
    proc = subprocess.run(
        [*cmd, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    return proc.stdout + proc.stderr


def _pyright(config: dict[str, object], files: list[Path], cwd: Path) -> list[dict[str, object]]:
    """pyright's diagnostics (errors) for `files`, with a throw-away config in `cwd`."""
    (cwd / "pyrightconfig.json").write_text(json.dumps(config))
    proc = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable]
        + [str(f) for f in files],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(proc.stdout)
    return [d for d in report["generalDiagnostics"] if d["severity"] == "error"]


def _expected_lines(path: Path) -> set[int]:
    lines = path.read_text().splitlines()
    return {i + 1 for i, line in enumerate(lines) if "# EXPECT:" in line}


def test_mypy_typing_files() -> None:
    """assert_type holds, and every expected error is reported (--warn-unused-ignores)."""
    out = _mypy("--warn-unused-ignores", str(TYPING), cache="typing")
    assert "Success: no issues found in 2 source files" in out, out


def test_pyright_typing_files(tmp_path: Path) -> None:
    """pyright agrees: no error in user_precise.py, an error on exactly the EXPECT lines of
    user_errors.py (type: ignore comments are switched off so they cannot hide anything)."""
    for name in ("user_precise.py", "user_errors.py"):
        shutil.copy(TYPING / name, tmp_path / name)
    config = {"typeCheckingMode": "strict", "enableTypeIgnoreComments": False}
    errors = _pyright(config, [tmp_path / "user_precise.py", tmp_path / "user_errors.py"], tmp_path)
    precise = [e for e in errors if str(e["file"]).endswith("user_precise.py")]
    assert precise == [], precise
    got = {
        int(e["range"]["start"]["line"]) + 1  # type: ignore[index]
        for e in errors
        if str(e["file"]).endswith("user_errors.py")
    }
    assert got == _expected_lines(TYPING / "user_errors.py"), errors


def _broken_numpy_module(tmp_path: Path) -> Path:
    """The numpy backend module with `trace` removed, `tanh` missing a parameter and `sinh`'s
    operand renamed, plus a file checking it against the protocol."""
    text = (REPO / "generated" / "numpy.py").read_text()
    # drop every definition of trace (overloads and implementation) up to the next op
    text = re.sub(
        r"\n(@overload\n)?def trace\(.*?(?=\n(@overload\n)?def (?!trace\())", "", text, flags=re.S
    )
    assert "def trace(" not in text
    text = text.replace(
        "def tanh(\n    x: Quantity[NDArray[Any]] | NDArray[Any] | float, unit_to_scale: Unit | None = None\n)",
        "def tanh(x: Quantity[NDArray[Any]] | NDArray[Any] | float)",
    ).replace(
        'm_x = _r.fold("tanh", m_x, u_x, unit_to_scale)', 'm_x = _r.fold("tanh", m_x, u_x, None)'
    )
    assert "def tanh(x: Quantity[NDArray[Any]] | NDArray[Any] | float)" in text
    text = re.sub(r"def sinh\(\s*x:", "def sinh(z:", text).replace(
        'm_x, u_x = _lift(x)\n    m_x = _r.fold("sinh"',
        'm_x, u_x = _lift(z)\n    m_x = _r.fold("sinh"',
    )
    assert "def sinh(z:" in text
    (tmp_path / "broken_numpy.py").write_text(text)
    check = tmp_path / "check_broken.py"
    check.write_text(
        "from typing import Any\n\nfrom numpy.typing import NDArray\n\nimport broken_numpy\n"
        "from polyunit.backends.protocol import Ops\n\n"
        "ops: Ops[NDArray[Any]] = broken_numpy\n"
    )
    return check


def test_protocol_catches_a_broken_backend(tmp_path: Path) -> None:
    """A backend module missing an op or with another parameter list does not satisfy Ops."""
    check = _broken_numpy_module(tmp_path)
    # the copied bodies call numpy loosely (see the mypy overrides); only the check file counts
    out = _mypy("--follow-imports=silent", str(check), cache="broken", cwd=tmp_path)
    assert out.count("error:") == 1, out
    assert (
        'Incompatible types in assignment (expression has type Module, variable has type "Ops['
        in out
    ), out
    assert re.search(r'missing following "Ops" protocol member:\n.*note:\s+trace\n', out), out
    assert "def tanh(" in out[out.index("have conflicts") :], out
    # pyright also compares parameter names, so the renamed operand of sinh is caught too
    errors = _pyright({"typeCheckingMode": "strict"}, [check], tmp_path)
    text = "\n".join(str(e["message"]) for e in errors)
    assert '"trace" is not present' in text, text
    assert '"tanh" is an incompatible type' in text, text
    assert '"sinh" is an incompatible type' in text, text


@pytest.mark.slow
def test_installed_wheel_typechecks_a_user_app(tmp_path: Path) -> None:
    """The built wheel ships py.typed for polyunit and polyunit.backends: a user's app that
    imports polyunit.backends.numpy from it passes mypy --strict."""
    # build from a copy of the sources, so no build/ output of the worktree can leak in
    src = tmp_path / "src"
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("runtime", "generated"):
        shutil.copytree(REPO / name, src / name, ignore=skip)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next((tmp_path / "dist").glob("polyunit-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {"polyunit/py.typed", "polyunit/backends/py.typed"} <= names, sorted(names)
    assert "polyunit/backends/protocol.py" in names
    env_dir = tmp_path / "env"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    py = str(env_dir / "bin" / "python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", py, "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    site = subprocess.run(
        [py, "-c", "import polyunit.backends.numpy as m; print(m.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert str(env_dir) in site, site  # the wheel, not the source tree or the editable install
    app = tmp_path / "app" / "app.py"
    app.parent.mkdir()
    app.write_text(
        "from typing import Any, assert_type\n\nimport numpy as np\nfrom numpy.typing import NDArray\n\n"
        "import polyunit as u\nimport polyunit.backends.numpy as pn\nfrom polyunit import Quantity\n\n\n"
        "def speed(d: Quantity[NDArray[Any]], t: Quantity[NDArray[Any]]) -> Quantity[NDArray[Any]]:\n"
        "    total = pn.sum(d)\n"
        "    assert_type(total, Quantity[NDArray[Any]])\n"
        "    v = pn.divide(total, t)\n"
        "    assert isinstance(v, Quantity)\n"
        "    return v\n\n\n"
        "print(speed(Quantity(np.ones(3), unit=u.meter), Quantity(np.ones(3), unit=u.second)))\n"
    )
    # run from the app folder with a clean environment so only the installed wheel is visible
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH")}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--python-executable",
            py,
            "app.py",
        ],
        cwd=app.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=env,
    )
    assert "Success: no issues found in 1 source file" in proc.stdout, proc.stdout + proc.stderr
