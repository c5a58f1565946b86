"""Extract the reference library's public names and parameters into tests/api/reference_api.json.

Source: ../shared/reference/api-inventory.yaml (facts about the reference's public API). Only
what the parity test needs is kept: module, name, kind, and per parameter its name and whether
it is keyword-only. Run it when the inventory changes: `python tools/reference_api.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared/reference/api-inventory.yaml"
TARGET = ROOT / "tests/api/reference_api.json"


def main() -> None:
    entries = yaml.safe_load(SOURCE.read_text())["entries"]
    out = [
        {
            "module": e["module"],
            "name": e["name"],
            "kind": e["kind"],
            "params": [[p["name"], bool(p.get("kw_only", False))] for p in e.get("params") or []],
        }
        for e in entries
    ]
    lines = ",\n".join(json.dumps(entry) for entry in out)  # one name per line: readable diffs
    TARGET.write_text(f"[\n{lines}\n]\n")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(out)} names")


if __name__ == "__main__":
    main()
