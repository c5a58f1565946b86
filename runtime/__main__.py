"""`python -m polyunit`: the installed backends, their versions, and the default backend."""

from __future__ import annotations

from importlib import metadata

from polyunit.backend import BACKENDS, default_backend, get_default_backend, is_installed


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        for name in (f"{dist}-cuda12x", f"{dist}-cuda11x", f"{dist}-cuda13x"):
            try:
                return metadata.version(name)
            except metadata.PackageNotFoundError:
                continue
        return "installed"


def main() -> None:
    print(f"polyunit {metadata.version('polyunit')}")
    for name in BACKENDS:  # each backend's distribution carries its name
        state = _version(name) if is_installed(name) else "not installed"
        print(f"  {name:<7} {state}")
    chosen = get_default_backend()
    print(
        f"default backend: {default_backend()}" + ("" if chosen else " (none set; jax, else numpy)")
    )


if __name__ == "__main__":
    main()
