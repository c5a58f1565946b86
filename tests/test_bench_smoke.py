"""The benchmark's code path on a tiny scale (no timing assertions: timed tests are flaky).

bench/run.py is a script, not a package module, so it is loaded from its path.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("polyunit_bench_run", BENCH)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look the module up while building classes
    spec.loader.exec_module(mod)
    return mod


def test_tiny_run_writes_the_report(bench: ModuleType, tmp_path: Path) -> None:
    cfg = bench.Config(
        sizes=(10,),
        backends=("numpy", "torch"),
        rounds=1,
        target_s=1e-4,
        import_runs=1,
        generate_runs=0,
        compile=False,
        mode="test",
    )
    res = bench.run(cfg, tmp_path, libraries=("raw", "polyunit"), generate=False)
    text = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "## 10 elements" in text and "### numpy" in text and "### torch" in text
    assert "| op | raw | polyunit |" in text
    assert "| numpy, 10 elements, geomean | ≤ 2× |" in text
    for backend in ("numpy", "torch"):
        times = res.times[(backend, 10)]
        assert set(times) == {"raw", "polyunit"}
        assert set(times["polyunit"]) == set(bench.OPS)  # every op ran on polyunit
        assert all(t > 0 for t in times["polyunit"].values())
        assert math.isfinite(res.geo(backend, 10, "polyunit"))
    assert res.import_pulled == "none"  # import polyunit pulled in no backend
    names = [e.name for e in res.extras]
    assert "torch forward+backward, 10 elements" in names
    ran = [e for e in res.extras if not e.note.startswith("skipped")]
    assert [e.name for e in res.extras if e not in ran] == ["torch.compile steady-state call"]
    assert all(e.ratio is not None for e in ran), [e.note for e in ran]
    if importlib.util.find_spec("matplotlib") is not None:
        assert (tmp_path / "latest.png").stat().st_size > 0


def test_ratios_and_geomean_come_from_the_same_run(bench: ModuleType) -> None:
    res = bench.Results(bench.Config(sizes=(10,), backends=("numpy",)))
    raw = dict.fromkeys(bench.OPS, 1e-6)
    ours = {op: 2e-6 for op in bench.OPS} | {"sum": 8e-6, "create": 100e-6}
    res.times[("numpy", 10)] = {"raw": raw, "polyunit": ours}
    assert res.ratios("numpy", 10, "polyunit")["sum"] == pytest.approx(8.0)
    # create is shown but not averaged: six ops at 2x and one at 8x.
    assert res.geo("numpy", 10, "polyunit") == pytest.approx((2.0**6 * 8.0) ** (1 / 7))
    del ours["lt"]  # a missing op makes the geomean undefined rather than flattering
    assert math.isnan(res.geo("numpy", 10, "polyunit"))
    text = bench.markdown(res)
    assert "| `a < b` | 1.00 µs | n/a |" in text
