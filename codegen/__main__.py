"""`python -m codegen write` regenerates generated/; `python -m codegen check` fails when it is stale."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from codegen.load import load_spec
from codegen.render import render_all, ruff_format
from codegen.yamlload import SpecError

ROOT = Path(__file__).resolve().parent.parent


def build(root: Path) -> dict[str, str]:
    spec = load_spec(root / "spec", root)
    return ruff_format(render_all(spec, root / "spec"), root)


def existing(out_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(out_dir.glob("*.py"))}


def write(files: dict[str, str], out_dir: Path) -> list[str]:
    """Write changed files, delete stale ones; return what changed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    changed: list[str] = []
    old = existing(out_dir)
    for name, text in files.items():
        if old.get(name) != text:
            (out_dir / name).write_text(text, encoding="utf-8")
            changed.append(f"wrote generated/{name}")
    for name in sorted(set(old) - set(files)):
        (out_dir / name).unlink()
        changed.append(f"removed generated/{name}")
    return changed


def diff(files: dict[str, str], out_dir: Path) -> str:
    old = existing(out_dir)
    chunks: list[str] = []
    for name in sorted(set(old) | set(files)):
        a, b = old.get(name, ""), files.get(name, "")
        if a != b:
            chunks.extend(
                difflib.unified_diff(
                    a.splitlines(keepends=True),
                    b.splitlines(keepends=True),
                    f"a/generated/{name}",
                    f"b/generated/{name}",
                )
            )
    return "".join(chunks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("command", choices=["write", "check"])
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="repository root (holds spec/ and generated/)"
    )
    args = parser.parse_args(argv)
    root: Path = args.root.resolve()
    try:
        files = build(root)
    except SpecError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        print(f"\n{len(exc.problems)} problem(s) in spec/; nothing was written.", file=sys.stderr)
        return 2
    out_dir = root / "generated"
    if args.command == "write":
        changes = write(files, out_dir)
        print("\n".join(changes) if changes else "generated/ is up to date")
        return 0
    text = diff(files, out_dir)
    if text:
        sys.stdout.write(text)
        print("\ngenerated/ is stale: run `make generate` and commit the result.", file=sys.stderr)
        return 1
    print("generated/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
