"""polyunit benchmark: cost per call over the raw backend, against the unit libraries users pick.

    make bench                 # full run (~3-5 min): bench/results/latest.md + latest.png
    BENCH_QUICK=1 make bench   # smoke run (~1 min), same code path, fewer rounds

Every library runs the same operations on the same data. Measurements are interleaved (one
round times every library on every op before the next round starts, and the library order
rotates each round), each measurement loops long enough to dwarf the timer, and the figure
kept is the median over rounds. Ratios are taken against the raw backend from the same run.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OPS = ("add", "mul", "div", "sqrt", "sum", "lt", "to_mm", "create")
GEOMEAN_OPS = OPS[:-1]  # the design's figure: creation is shown but not averaged in
LABELS = {
    "add": "a + b",
    "mul": "a * b",
    "div": "a / 2.0",
    "sqrt": "sqrt(a)",
    "sum": "sum(a)",
    "lt": "a < b",
    "to_mm": "to mm",
    "create": "create",
}
LIBRARIES = ("raw", "polyunit", "pint", "unyt", "astropy", "saiunit")
# Which unit libraries run on which backend (the others lack that backend).
SUPPORTED = {
    "numpy": ("raw", "polyunit", "pint", "unyt", "astropy", "saiunit"),
    "jax": ("raw", "polyunit", "saiunit"),
    "torch": ("raw", "polyunit", "saiunit"),
}
# Targets from the design notes: geometric-mean ratio to raw at 10 elements, per backend.
TARGET_SMALL = {"numpy": 2.0, "torch": 1.3, "jax": 1.1}
TARGET_LARGE = 1.05


@dataclass(frozen=True)
class Config:
    sizes: tuple[int, ...] = (10, 1_000_000)
    backends: tuple[str, ...] = ("numpy", "jax", "torch")
    rounds: int = 15
    target_s: float = 0.01  # wall time of one measurement (one library, one op, one round)
    import_runs: int = 9
    generate_runs: int = 3
    extras: bool = True  # torch fwd+bwd, torch.compile, jax.jit
    compile: bool = True
    mode: str = "full"
    # "cpu": process CPU time (time.process_time), robust on a shared, loaded machine, and equal
    # to wall time on an idle one for these single-threaded loops; "wall": time.perf_counter.
    timer: str = "cpu"


FULL = Config()
# The smoke run: every step but torch.compile, whose compilation alone takes ~40 s here.
QUICK = Config(
    rounds=3, target_s=0.001, import_runs=3, generate_runs=1, compile=False, mode="quick"
)


# -- the operations, per library ---------------------------------------------------------------
Cases = dict[str, Callable[[], Any]]


def _arrays(backend: str, n: int) -> tuple[Any, Any]:
    """Two positive arrays of n elements in the backend's default float type."""
    import numpy as np

    rng = np.random.default_rng(0)
    a, b = rng.uniform(1.0, 2.0, n), rng.uniform(1.0, 2.0, n)
    if backend == "numpy":
        return a, b
    if backend == "jax":
        import jax.numpy as jnp

        return jnp.asarray(a, dtype=jnp.float32), jnp.asarray(b, dtype=jnp.float32)
    import torch

    return torch.tensor(a, dtype=torch.float32), torch.tensor(b, dtype=torch.float32)


def _raw(backend: str, a: Any, b: Any) -> Cases:
    ns: Any = importlib.import_module({"numpy": "numpy", "jax": "jax.numpy"}.get(backend, backend))
    asarray = ns.as_tensor if backend == "torch" else ns.asarray
    return {
        "add": lambda: a + b,
        "mul": lambda: a * b,
        "div": lambda: a / 2.0,
        "sqrt": lambda: ns.sqrt(a),
        "sum": lambda: ns.sum(a),
        "lt": lambda: a < b,
        "to_mm": lambda: a * 1000.0,
        "create": lambda: asarray(a),
    }


def _brainunit_api(lib: Any, a: Any, b: Any) -> Cases:
    """The cases for a library with the reference's API (polyunit is a drop-in for it)."""
    m, mm, Q = lib.meter, lib.mmeter, lib.Quantity
    q, r = Q(a, unit=m), Q(b, unit=m)
    sqrt, total = lib.math.sqrt, lib.math.sum
    return {
        "add": lambda: q + r,
        "mul": lambda: q * r,
        "div": lambda: q / 2.0,
        "sqrt": lambda: sqrt(q),
        "sum": lambda: total(q),
        "lt": lambda: q < r,
        "to_mm": lambda: q.in_unit(mm),
        "create": lambda: Q(a, unit=m),
    }


def _polyunit(backend: str, a: Any, b: Any) -> Cases:
    import polyunit

    return _brainunit_api(polyunit, a, b)


def _saiunit(backend: str, a: Any, b: Any) -> Cases:
    import saiunit

    return _brainunit_api(saiunit, a, b)


def _pint(backend: str, a: Any, b: Any) -> Cases:
    import numpy as np
    import pint

    ureg = pint.UnitRegistry()
    m, mm = ureg.meter, ureg.millimeter
    q, r = ureg.Quantity(a, m), ureg.Quantity(b, m)
    return {
        "add": lambda: q + r,
        "mul": lambda: q * r,
        "div": lambda: q / 2.0,
        "sqrt": lambda: np.sqrt(q),
        "sum": lambda: np.sum(q),
        "lt": lambda: q < r,
        "to_mm": lambda: q.to(mm),
        "create": lambda: ureg.Quantity(a, m),
    }


def _unyt(backend: str, a: Any, b: Any) -> Cases:
    import numpy as np
    import unyt

    q, r = unyt.unyt_array(a, "m"), unyt.unyt_array(b, "m")
    m, mm = unyt.m, unyt.mm
    return {
        "add": lambda: q + r,
        "mul": lambda: q * r,
        "div": lambda: q / 2.0,
        "sqrt": lambda: np.sqrt(q),
        "sum": lambda: np.sum(q),
        "lt": lambda: q < r,
        "to_mm": lambda: q.to(mm),
        "create": lambda: unyt.unyt_array(a, m),
    }


def _astropy(backend: str, a: Any, b: Any) -> Cases:
    import astropy.units as au
    import numpy as np

    q, r = au.Quantity(a, au.m), au.Quantity(b, au.m)
    mm = au.mm
    return {
        "add": lambda: q + r,
        "mul": lambda: q * r,
        "div": lambda: q / 2.0,
        "sqrt": lambda: np.sqrt(q),
        "sum": lambda: np.sum(q),
        "lt": lambda: q < r,
        "to_mm": lambda: q.to(mm),
        "create": lambda: au.Quantity(a, au.m, copy=False),
    }


BUILDERS: dict[str, Callable[[str, Any, Any], Cases]] = {
    "raw": _raw,
    "polyunit": _polyunit,
    "pint": _pint,
    "unyt": _unyt,
    "astropy": _astropy,
    "saiunit": _saiunit,
}
_MODULE_OF = {"raw": "numpy", "polyunit": "polyunit", "astropy": "astropy"}


def installed(lib: str) -> bool:
    return importlib.util.find_spec(_MODULE_OF.get(lib, lib)) is not None


def _jax_sync(fn: Callable[[], Any], qtype: type | None) -> Callable[[], Any]:
    """jax dispatches asynchronously: wait for the result, as a user's next step would.

    A unit library's result is a quantity of type `qtype` (its mantissa is waited for) or a
    plain array; the type test costs the same as the raw case's call, far below a jax op.
    """
    if qtype is None:
        return lambda: fn().block_until_ready()

    def run() -> Any:
        out = fn()
        return (out.mantissa if type(out) is qtype else out).block_until_ready()

    return run


def build_cases(
    backend: str, n: int, libs: tuple[str, ...]
) -> tuple[dict[str, Cases], dict[str, str]]:
    """Per library, the op closures that run; and per library a note on what failed to run."""
    a, b = _arrays(backend, n)
    cases: dict[str, Cases] = {}
    notes: dict[str, str] = {}
    for lib in libs:
        if not installed(lib):
            notes[lib] = "not installed"
            continue
        try:
            ops = BUILDERS[lib](backend, a, b)
            qtype = None if lib == "raw" else type(ops["create"]())
        except Exception as exc:  # a library that cannot hold this backend's arrays
            notes[lib] = f"setup failed: {type(exc).__name__}: {str(exc)[:80]}"
            continue
        if backend == "jax":
            ops = {k: _jax_sync(f, qtype) for k, f in ops.items()}
        kept: Cases = {}
        for op, fn in ops.items():
            try:
                fn()
                fn()
            except Exception as exc:
                notes[f"{lib}:{op}"] = f"{type(exc).__name__}: {str(exc)[:80]}"
                continue
            kept[op] = fn
        cases[lib] = kept
    return cases, notes


# -- timing -------------------------------------------------------------------------------------
_TIMERS = {"cpu": time.thread_time, "wall": time.perf_counter}


def _timer(cfg: Config, fn: Callable[[], Any], backend: str = "numpy") -> timeit.Timer:
    """CPU time of the calling thread (numpy, torch with one thread), or of the whole process
    for jax, whose runtime computes on its own threads; or wall-clock time."""
    clock = _TIMERS[cfg.timer]
    if cfg.timer == "cpu" and backend == "jax":
        clock = time.process_time
    return timeit.Timer(fn, timer=clock)


def _calibrate(fn: Callable[[], Any], target_s: float) -> int:
    """How many calls make one measurement last about target_s."""
    fn()  # warm: first calls compile, allocate or fill caches
    fn()
    number = 1
    while True:
        t = timeit.Timer(fn).timeit(number)
        if t >= target_s / 10 or number >= 1_000_000:
            return max(1, int(number * target_s / max(t, 1e-9)))
        number *= 10


def time_cases(cases: dict[str, Cases], cfg: Config, backend: str) -> dict[str, dict[str, float]]:
    """Median seconds per call, per library and op, from interleaved rounds."""
    plan = [(lib, op) for op in OPS for lib in cases if op in cases[lib]]
    numbers = {(lib, op): _calibrate(cases[lib][op], cfg.target_s) for lib, op in plan}
    samples: dict[tuple[str, str], list[float]] = {k: [] for k in plan}
    libs = list(cases)
    for rnd in range(cfg.rounds):
        order = libs[rnd % len(libs) :] + libs[: rnd % len(libs)]  # rotate: no fixed position
        for op in OPS:
            for lib in order:
                if op not in cases[lib]:
                    continue
                k = (lib, op)
                timer = _timer(cfg, cases[lib][op], backend)
                samples[k].append(timer.timeit(numbers[k]) / numbers[k])
    out: dict[str, dict[str, float]] = {lib: {} for lib in cases}
    for (lib, op), ts in samples.items():
        out[lib][op] = statistics.median(ts)
    return out


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


# -- extras: import time, make generate, autograd, compiled, jitted ---------------------------
_IMPORT_PROBE = (
    "import sys, time; c, t = time.process_time(), time.perf_counter(); import polyunit; "
    "t, c = time.perf_counter() - t, time.process_time() - c; "
    "print(t if sys.argv[1] == 'wall' else c, "
    "','.join(m for m in ('jax', 'torch', 'dask', 'ndonnx', 'cupy') if m in sys.modules))"
)


def import_time(runs: int, timer: str) -> tuple[float, str]:
    """Median seconds of `import polyunit` in a fresh interpreter, with the bytecode cached as
    after the package's first import (an environment with PYTHONDONTWRITEBYTECODE set would
    otherwise compile the generated modules, ~90 ms, on every run); backends it pulled in."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import polyunit"], env=env, check=True)
    times, pulled = [], set()
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _IMPORT_PROBE, timer],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout.split()
        times.append(float(out[0]))
        pulled.update(x for x in (out[1].split(",") if len(out) > 1 else []) if x)
    return statistics.median(times), ",".join(sorted(pulled)) or "none"


def generate_time(runs: int) -> float | None:
    """Median seconds of a no-op `make generate` (None when make or the Makefile is missing)."""
    if not (ROOT / "Makefile").exists():
        return None
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(["make", "-s", "generate"], cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _pair(
    raw: Callable[[], Any], ours: Callable[[], Any], cfg: Config, backend: str
) -> tuple[float, float, float]:
    """Median seconds per call of two closures, and the median of their per-round ratios.

    Three times the rounds of the op tables, as each figure rests on this one pair. This
    machine's speed drifts by tens of % between seconds, so the ratio compares the two closures
    within each round, and the rounds alternate which one runs first. Timing one compiled
    function against itself, the ratio of medians ranged 0.95-1.06 here and the paired ratio
    0.98-1.02."""
    n_raw, n_ours = _calibrate(raw, cfg.target_s), _calibrate(ours, cfg.target_s)
    a, b = [], []
    for i in range(3 * cfg.rounds):
        if i % 2:
            b.append(_timer(cfg, ours, backend).timeit(n_ours) / n_ours)
            a.append(_timer(cfg, raw, backend).timeit(n_raw) / n_raw)
        else:
            a.append(_timer(cfg, raw, backend).timeit(n_raw) / n_raw)
            b.append(_timer(cfg, ours, backend).timeit(n_ours) / n_ours)
    paired = statistics.median(y / x for x, y in zip(a, b, strict=True))
    return statistics.median(a), statistics.median(b), paired


@dataclass
class Extra:
    name: str
    raw_s: float | None = None
    ours_s: float | None = None
    target: float | None = None
    note: str = ""
    paired_ratio: float | None = None  # from _pair; else the ratio of the two times

    @property
    def ratio(self) -> float | None:
        if self.paired_ratio is not None:
            return self.paired_ratio
        if self.raw_s is None or self.ours_s is None:
            return None
        return self.ours_s / self.raw_s


def torch_step(cfg: Config) -> Extra:
    """One forward + backward step at 10 elements: position + velocity * time, squared, summed."""
    import torch

    import polyunit as u

    x0 = torch.randn(10, requires_grad=True)
    v = torch.randn(10)
    t = torch.tensor(2.0)
    qv, qt = u.Quantity(v, unit=u.meter / u.second), u.Quantity(t, unit=u.second)

    def raw() -> None:
        x0.grad = None
        loss = ((x0 + v * t) ** 2).sum()
        loss.backward()

    def ours() -> None:
        x0.grad = None
        pos = u.Quantity(x0, unit=u.meter)
        loss = u.math.sum((pos + qv * qt) ** 2)
        loss.mantissa.backward()

    ours()
    r, o, ratio = _pair(raw, ours, cfg, "torch")
    return Extra("torch forward+backward, 10 elements", r, o, 1.15, paired_ratio=ratio)


def torch_compiled(cfg: Config, skip_guards: bool = False) -> Extra:
    """The same function compiled with torch.compile, on raw tensors and on quantities."""
    import torch

    import polyunit as u

    torch._dynamo.reset()  # each variant compiles afresh: dynamo caches per code object
    a, b = _arrays("torch", 10)
    qa, qb = u.Quantity(a, unit=u.meter), u.Quantity(b, unit=u.meter)
    name = "torch.compile steady-state call"
    options: dict[str, Any] = {}
    if skip_guards:
        name += ", opt-in `skip_polyunit_guards`"
        options["guard_filter_fn"] = u.skip_polyunit_guards

    def f_raw(x: Any, y: Any) -> Any:
        return torch.sqrt(x * x + y * y).sum()

    def f_ours(x: Any, y: Any) -> Any:
        return u.math.sum(u.math.sqrt(x * x + y * y))

    raw_c = torch.compile(f_raw, fullgraph=True)
    raw_c(a, b)
    note = "fullgraph=True"
    try:
        ours_c = torch.compile(f_ours, fullgraph=True, options=options)
        ours_c(qa, qb)
    except Exception as exc:
        note = f"fullgraph=True failed ({type(exc).__name__}); timed with graph breaks allowed"
        torch._dynamo.reset()
        raw_c = torch.compile(f_raw, fullgraph=True)
        raw_c(a, b)
        try:
            ours_c = torch.compile(f_ours, options=options)
            ours_c(qa, qb)
        except Exception as exc2:
            return Extra(name, note=f"fails: {exc2!s:.100}")
    r, o, ratio = _pair(lambda: raw_c(a, b), lambda: ours_c(qa, qb), cfg, "torch")
    return Extra(name, r, o, 1.05, note, ratio)


def torch_compiled_skipping_guards(cfg: Config) -> Extra:
    """The compiled function with polyunit's guard filter, which users opt into."""
    return torch_compiled(cfg, skip_guards=True)


def jax_jitted(cfg: Config) -> Extra:
    """A jitted function: quantities in and out when Quantity is a pytree, else wrapped inside."""
    import jax
    import jax.numpy as jnp

    import polyunit as u

    a, b = _arrays("jax", 10)
    raw_j = jax.jit(lambda x, y: jnp.sqrt(x * x + y * y).sum())
    qa = u.Quantity(a, unit=u.meter)
    leaves = jax.tree_util.tree_leaves(qa)
    if len(leaves) == 1 and leaves[0] is a:
        ours_j = jax.jit(lambda x, y: u.math.sum(u.math.sqrt(x * x + y * y)))
        args: tuple[Any, ...] = (qa, u.Quantity(b, unit=u.meter))
        note = "quantities in and out (Quantity is a pytree)"
    else:
        m = u.meter

        def body(x: Any, y: Any) -> Any:
            qx, qy = u.Quantity(x, unit=m), u.Quantity(y, unit=m)
            return u.math.sum(u.math.sqrt(qx * qx + qy * qy)).mantissa

        ours_j = jax.jit(body)
        args = (a, b)
        note = "arrays in and out, quantities inside (Quantity is not a pytree in this build)"

    def ours() -> Any:
        out = ours_j(*args)
        return (out.mantissa if type(out) is u.Quantity else out).block_until_ready()

    def raw() -> Any:
        return raw_j(a, b).block_until_ready()

    ours()
    r, o, ratio = _pair(raw, ours, cfg, "jax")
    return Extra("jax.jit steady-state call", r, o, 1.05, note, ratio)


def run_extras(cfg: Config) -> list[Extra]:
    out = []
    jobs: list[tuple[str, Callable[[Config], Extra]]] = [
        ("torch", torch_step),
        ("jax", jax_jitted),
    ]
    if cfg.compile:
        jobs += [("torch", torch_compiled), ("torch", torch_compiled_skipping_guards)]
    else:
        out.append(Extra("torch.compile steady-state call", note=f"skipped ({cfg.mode} mode)"))
    for lib, job in jobs:
        if importlib.util.find_spec(lib) is None:
            out.append(Extra(job.__doc__ or job.__name__, note=f"{lib} not installed"))
            continue
        try:
            out.append(job(cfg))
        except Exception as exc:
            out.append(Extra(job.__name__, note=f"fails: {type(exc).__name__}: {exc!s:.120}"))
    return out


# -- report -------------------------------------------------------------------------------------
@dataclass
class Results:
    cfg: Config
    times: dict[tuple[str, int], dict[str, dict[str, float]]] = field(default_factory=dict)
    notes: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)
    extras: list[Extra] = field(default_factory=list)
    import_s: float | None = None
    import_pulled: str = ""
    generate_s: float | None = None
    wall_s: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)

    def ratios(self, backend: str, n: int, lib: str) -> dict[str, float]:
        t = self.times[(backend, n)]
        return {op: t[lib][op] / t["raw"][op] for op in t.get(lib, {}) if op in t["raw"]}

    def geo(self, backend: str, n: int, lib: str) -> float:
        r = self.ratios(backend, n, lib)
        vals = [r[op] for op in GEOMEAN_OPS if op in r]
        return geomean(vals) if len(vals) == len(GEOMEAN_OPS) else math.nan


def _us(s: float) -> str:
    us = s * 1e6
    return f"{us:.2f} µs" if us < 100 else f"{us:.0f} µs"


def _versions() -> str:
    parts = [f"Python {platform.python_version()}"]
    for mod in ("numpy", "jax", "torch", "pint", "unyt", "astropy", "saiunit"):
        try:
            parts.append(f"{mod} {importlib.import_module(mod).__version__}")
        except Exception:
            pass
    return ", ".join(parts)


def markdown(res: Results) -> str:
    cfg = res.cfg
    lines = [
        "# polyunit benchmark",
        "",
        f"Timer: {'CPU time (the calling thread; the whole process for jax)' if cfg.timer == 'cpu' else 'wall clock'} "
        f"(`BENCH_TIMER={cfg.timer}`). "
        f"Mode: {cfg.mode} ({cfg.rounds} interleaved rounds, {3 * cfg.rounds} for the other "
        f"measurements, ~{cfg.target_s * 1e3:g} ms per measurement, medians). Command: `{'BENCH_QUICK=1 ' if cfg.mode == 'quick' else ''}make bench`.",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}. {_versions()}.",
        f"Wall time of the run: {res.wall_s:.0f} s. Load average (1 min) at start / end: "
        f"{res.load[0]:.1f} / {res.load[1]:.1f} (a loaded machine inflates every figure and "
        "adds noise to the ratios). torch runs with one intra-op thread.",
        "",
        "Cells: time per call for `raw`, ratio to raw (and time per call) for the unit libraries. "
        "Operands are quantities in metres (`b` too); `a / 2.0` divides by a Python float; "
        "`to mm` converts to millimetres (raw: `a * 1000.0`); `create` wraps an existing array "
        "(raw: `asarray`). The geometric mean covers every op but `create`. jax results are "
        "waited for (`block_until_ready`) in every library. `n/a`: the library does not run "
        "there (see the notes).",
        "",
    ]
    for n in cfg.sizes:
        lines += [f"## {n:,} elements", ""]
        for backend in cfg.backends:
            if (backend, n) not in res.times:
                continue
            t = res.times[(backend, n)]
            libs = [lib for lib in SUPPORTED[backend] if lib in t]
            lines += [f"### {backend}", ""]
            lines.append("| op | " + " | ".join(libs) + " |")
            lines.append("|---" * (len(libs) + 1) + "|")
            for op in OPS:
                row = [f"`{LABELS[op]}`"]
                for lib in libs:
                    if op not in t[lib]:
                        row.append("n/a")
                    elif lib == "raw":
                        row.append(_us(t[lib][op]))
                    else:
                        row.append(f"{t[lib][op] / t['raw'][op]:.2f}× ({_us(t[lib][op])})")
                lines.append("| " + " | ".join(row) + " |")
            geo = ["**geomean**"] + [
                "1.00×" if lib == "raw" else f"**{res.geo(backend, n, lib):.2f}×**" for lib in libs
            ]
            lines += ["| " + " | ".join(geo) + " |", ""]
            notes = res.notes.get((backend, n), {})
            if notes:
                lines += [f"- {k}: {v}" for k, v in sorted(notes.items())] + [""]
    lines += ["## Targets", "", "| what | target | measured | met |", "|---|---|---|---|"]

    def row(what: str, target: float, got: float | None) -> None:
        ok = "n/a" if got is None or math.isnan(got) else ("yes" if got <= target else "**no**")
        shown = "n/a" if got is None or math.isnan(got) else f"{got:.2f}×"
        lines.append(f"| {what} | ≤ {target:g}× | {shown} | {ok} |")

    small, large = min(cfg.sizes), max(cfg.sizes)
    for backend in cfg.backends:
        if (backend, small) in res.times:
            row(
                f"{backend}, {small} elements, geomean",
                TARGET_SMALL[backend],
                res.geo(backend, small, "polyunit"),
            )
    for backend in cfg.backends:
        if large != small and (backend, large) in res.times:
            row(
                f"{backend}, {large:,} elements, geomean",
                TARGET_LARGE,
                res.geo(backend, large, "polyunit"),
            )
    for e in res.extras:
        if e.target is not None:
            row(e.name, e.target, e.ratio)
    if res.import_s is not None:
        ok = "yes" if res.import_s <= 0.150 and res.import_pulled == "none" else "**no**"
        lines.append(
            f"| `import polyunit` (backends imported: {res.import_pulled}) | ≤ 150 ms | "
            f"{res.import_s * 1e3:.0f} ms | {ok} |"
        )
    lines += [
        "",
        "## Other measurements",
        "",
        "Times are medians over the rounds; each ratio is the median of the per-round ratios,",
        "with the rounds alternating which of the two runs first (robust to this machine's drift).",
        "",
        "| what | raw | polyunit | ratio | note |",
        "|---|---|---|---|---|",
    ]
    for e in res.extras:
        raw = _us(e.raw_s) if e.raw_s is not None else "n/a"
        ours = _us(e.ours_s) if e.ours_s is not None else "n/a"
        ratio = f"{e.ratio:.2f}×" if e.ratio is not None else "n/a"
        lines.append(f"| {e.name} | {raw} | {ours} | {ratio} | {e.note} |")
    if res.import_s is not None:
        lines.append(
            f"| `import polyunit`, fresh interpreter, bytecode cached, median of {cfg.import_runs} "
            f"({'process CPU time' if cfg.timer == 'cpu' else 'wall clock'}) | | "
            f"{res.import_s * 1e3:.0f} ms | | backends imported: {res.import_pulled} |"
        )
    if res.generate_s is not None:
        lines.append(
            f"| `make generate` with nothing to do, median of {cfg.generate_runs} | | "
            f"{res.generate_s:.2f} s | | |"
        )
    return "\n".join(lines) + "\n"


def chart(res: Results, path: Path) -> None:
    """Overhead ratio per library and op, one panel per backend and size (log scale)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [(b, n) for n in res.cfg.sizes for b in res.cfg.backends if (b, n) in res.times]
    cols = len(res.cfg.backends)
    rows = math.ceil(len(panels) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(5.5 * cols, 3.8 * rows), squeeze=False)
    colours = dict(
        zip(LIBRARIES[1:], ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"), strict=True)
    )
    for ax in axes.flat[len(panels) :]:
        ax.set_visible(False)
    for ax, (backend, n) in zip(axes.flat, panels, strict=False):
        libs = [
            lib for lib in SUPPORTED[backend] if lib != "raw" and lib in res.times[(backend, n)]
        ]
        width = 0.8 / max(1, len(libs))
        for i, lib in enumerate(libs):
            r = res.ratios(backend, n, lib)
            xs = [j + i * width for j, op in enumerate(OPS) if op in r]
            ax.bar(xs, [r[op] for op in OPS if op in r], width, label=lib, color=colours[lib])
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_yscale("log")
        ax.set_xticks([j + 0.4 - width / 2 for j in range(len(OPS))])
        ax.set_xticklabels([LABELS[op] for op in OPS], rotation=45, ha="right", fontsize=8)
        ax.set_title(f"{backend}, {n:,} elements")
        ax.set_ylabel("time / raw time")
        ax.legend(fontsize=7)
    fig.suptitle("Cost per call over the raw backend (lower is better; 1 = no overhead)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def run(
    cfg: Config, out_dir: Path, libraries: tuple[str, ...] = LIBRARIES, generate: bool = True
) -> Results:
    start = time.perf_counter()
    load_start = os.getloadavg()[0]
    if importlib.util.find_spec("torch") is not None:
        import torch

        # One intra-op thread: on a small shared machine, thread hand-offs swamp the figures.
        torch.set_num_threads(1)
    res = Results(cfg)
    for n in cfg.sizes:
        for backend in cfg.backends:
            if importlib.util.find_spec(backend) is None:
                continue
            libs = tuple(lib for lib in SUPPORTED[backend] if lib in libraries)
            cases, notes = build_cases(backend, n, libs)
            res.notes[(backend, n)] = notes
            res.times[(backend, n)] = time_cases(cases, cfg, backend)
            _stage(f"{backend} at {n:,} elements", start)
    if cfg.extras:
        res.extras = run_extras(cfg)
        _stage("extras", start)
    if cfg.import_runs:
        res.import_s, res.import_pulled = import_time(cfg.import_runs, cfg.timer)
    if generate and cfg.generate_runs:
        res.generate_s = generate_time(cfg.generate_runs)
    _stage("import and generate", start)
    res.wall_s = time.perf_counter() - start
    res.load = (load_start, os.getloadavg()[0])
    out_dir.mkdir(parents=True, exist_ok=True)
    text = markdown(res)
    (out_dir / "latest.md").write_text(text, encoding="utf-8")
    if importlib.util.find_spec("matplotlib") is not None:
        chart(res, out_dir / "latest.png")
    print(text)
    return res


def _stage(name: str, start: float) -> None:
    print(f"  {name}: done at {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    quick = os.environ.get("BENCH_QUICK", "") not in ("", "0")
    timer = os.environ.get("BENCH_TIMER", "cpu")
    if timer not in _TIMERS:
        sys.exit(f"BENCH_TIMER={timer!r} is not a timer; use one of: {', '.join(_TIMERS)}")
    cfg = QUICK if quick else FULL
    run(dataclasses.replace(cfg, timer=timer), ROOT / "bench" / "results")
