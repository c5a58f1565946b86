"""The unit catalog against the reference facts, and the catalog generator's own behaviour.

Every row of ../shared/reference/units-catalog.tsv must exist: units in
`polyunit.backends.units` with the same display name, dimension and scale; constants in
`polyunit.backends.constants` with a unit of the same dimension (and display).
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest

from codegen.units import render_units
from codegen.yamlload import SpecError

REPO = Path(__file__).resolve().parents[1]
CATALOG = Path(__file__).resolve().parents[2] / "shared" / "reference" / "units-catalog.tsv"
BASE_SYMBOLS = ("m", "kg", "s", "A", "K", "mol", "cd")
# Constants whose value deliberately differs from the unit of the same name: the constant is
# CODATA 2018, the unit keeps the reference catalog's (CODATA 2022) factor.
DIFFERENT_FROM_UNIT = {"atomic_mass"}


@dataclass(frozen=True)
class Row:
    name: str
    group: str
    dispname: str
    dim: str
    scale: str
    factor: str


def _read_catalog() -> list[Row]:
    if not CATALOG.is_file():
        return []
    rows = []
    for line in CATALOG.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 6)[:6]
        if cols[0] == "name":
            continue
        rows.append(Row(*cols))
    return rows


ROWS = _read_catalog()
needs_catalog = pytest.mark.skipif(
    not ROWS, reason=f"reference catalog not found at {CATALOG} (the shared/ checkout is absent)"
)


def parse_dim(text: str) -> dict[str, Fraction]:
    """`m^2 kg s^-3 A^-1` (also `m^(1/2)`, `1`) -> {symbol: exponent}, zeros left out."""
    text = text.strip()
    if text in ("", "1"):
        return {}
    result: dict[str, Fraction] = {}
    for token in text.split():
        match = re.fullmatch(r"([A-Za-z]+)(?:\^\(?(-?\d+(?:/\d+)?)\)?)?", token)
        assert match is not None, f"cannot read dimension token {token!r} in {text!r}"
        sym, exp = match.group(1), match.group(2)
        assert sym in BASE_SYMBOLS, f"unknown base symbol {sym!r} in {text!r}"
        assert sym not in result, f"{sym!r} twice in {text!r}"
        result[sym] = Fraction(exp) if exp is not None else Fraction(1)
    return {s: e for s, e in result.items() if e != 0}


def test_parse_dim() -> None:
    assert parse_dim("m^2 kg s^-3 A^-1") == {"m": 2, "kg": 1, "s": -3, "A": -1}
    assert parse_dim("1") == {}
    assert parse_dim("m^(1/2) s^(-3/2)") == {"m": Fraction(1, 2), "s": Fraction(-3, 2)}


@pytest.fixture(scope="module")
def units() -> ModuleType:
    import polyunit.backends.units as module

    return module


@pytest.fixture(scope="module")
def constants() -> ModuleType:
    import polyunit.backends.constants as module

    return module


@needs_catalog
@pytest.mark.parametrize("group", ["si_prefixed_powers", "non_si", "shortcuts"])
def test_every_unit_of_the_catalog(units: ModuleType, group: str) -> None:
    from polyunit.unit import Unit

    rows = [r for r in ROWS if r.group == group]
    assert rows, f"no rows of group {group!r} in {CATALOG}"
    problems = []
    for row in rows:
        unit = getattr(units, row.name, None)
        if not isinstance(unit, Unit):
            problems.append(f"{row.name}: missing from polyunit.backends.units (got {unit!r})")
            continue
        if unit.dispname != row.dispname:
            problems.append(f"{row.name}: dispname {unit.dispname!r}, expected {row.dispname!r}")
        if parse_dim(str(unit.dim)) != parse_dim(row.dim):
            problems.append(f"{row.name}: dimension {unit.dim}, expected {row.dim}")
        expected = float(row.factor) * 10.0 ** int(row.scale)
        if not math.isclose(unit.magnitude, expected, rel_tol=1e-12):
            problems.append(f"{row.name}: magnitude {unit.magnitude!r}, expected {expected!r}")
        if unit.scale != int(row.scale) or not math.isclose(float(unit.factor), float(row.factor)):
            problems.append(
                f"{row.name}: scale {unit.scale!r} and factor {unit.factor}, "
                f"expected {row.scale} and {row.factor}"
            )
    assert not problems, f"{len(problems)} of {len(rows)} rows differ:\n" + "\n".join(problems)


@needs_catalog
def test_every_constant_of_the_catalog(constants: ModuleType) -> None:
    from polyunit.quantity import Quantity

    rows = [r for r in ROWS if r.group == "physical_constants"]
    assert len(rows) >= 100
    problems = []
    for row in rows:
        q = getattr(constants, row.name, None)
        if not isinstance(q, Quantity):
            problems.append(f"{row.name}: missing from polyunit.backends.constants (got {q!r})")
            continue
        if parse_dim(str(q.unit.dim)) != parse_dim(row.dim):
            problems.append(f"{row.name}: dimension {q.unit.dim}, expected {row.dim}")
        if q.unit.dispname != row.dispname:
            problems.append(f"{row.name}: unit {q.unit.dispname!r}, expected {row.dispname!r}")
        if not (isinstance(q.mantissa, float) and math.isfinite(q.mantissa) and q.mantissa > 0):
            problems.append(f"{row.name}: value {q.mantissa!r} is not a positive float")
    assert not problems, f"{len(problems)} of {len(rows)} rows differ:\n" + "\n".join(problems)


@needs_catalog
def test_constants_agree_with_units_of_the_same_name(
    units: ModuleType, constants: ModuleType
) -> None:
    from polyunit.unit import Unit

    problems = []
    for name in constants.__all__:
        unit = getattr(units, name, None)
        if not isinstance(unit, Unit) or name in DIFFERENT_FROM_UNIT:
            continue
        q = getattr(constants, name)
        si_value = q.mantissa * q.unit.magnitude
        if unit.dim is not q.unit.dim or not math.isclose(si_value, unit.magnitude, rel_tol=1e-12):
            problems.append(f"{name}: constant {si_value!r} {q.unit.dim}, unit {unit.magnitude!r}")
    assert not problems, "\n".join(problems)


def test_some_constants_by_value(constants: ModuleType) -> None:
    c = constants
    assert c.speed_of_light.mantissa == 299792458.0
    assert c.avogadro.mantissa == 6.02214076e23
    assert c.boltzmann.mantissa == 1.380649e-23
    assert c.planck.mantissa == 6.62607015e-34
    assert math.isclose(c.hbar.mantissa, 6.62607015e-34 / (2 * math.pi), rel_tol=1e-15)
    assert math.isclose(c.gas.mantissa, 8.314462618, rel_tol=1e-9)
    assert c.zero_celsius.mantissa == 273.15


def test_aliases_are_the_same_objects(units: ModuleType) -> None:
    u = units
    assert u.meter is u.metre
    assert u.kmeter3 is u.kmetre3
    assert u.mV is u.mvolt
    assert u.cm2 is u.cmetre2
    assert u.pound is u.lb
    assert u.kgram == u.kilogram


def test_powers_print_as_powers(units: ModuleType) -> None:
    u = units
    assert str(u.metre2) == "m^2"
    assert str(u.metre2**2) == "m^4"
    assert str(u.cmetre3 / u.second) == "cm^3 / s"


def test_all_is_sorted_and_complete(units: ModuleType, constants: ModuleType) -> None:
    from polyunit.quantity import Quantity
    from polyunit.unit import Unit

    for module, kind in ((units, Unit), (constants, Quantity)):
        names = module.__all__
        assert names == sorted(names) and len(set(names)) == len(names)
        assert all(isinstance(getattr(module, n), kind) for n in names)


# -- the generator ---------------------------------------------------------------------------


def test_render_is_deterministic() -> None:
    first = render_units(REPO / "spec")
    assert first == render_units(REPO / "spec")
    assert set(first) == {"units.py", "constants.py"}
    header = "# @generated by codegen from spec/units.yaml; do not edit; run make generate\n"
    for text in first.values():
        assert text.startswith(header)
        assert str(REPO) not in text


def test_render_is_independent_of_hash_seed() -> None:
    script = (
        "import hashlib, pathlib; from codegen.units import render_units; "
        "out = render_units(pathlib.Path('spec')); "
        "print(hashlib.sha256(repr(sorted(out.items())).encode()).hexdigest())"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1


_GOOD = """\
dimensions:
  length: m
prefixes:
  k: 3
powers: [2]
si:
  metre: {symbol: m, dim: length}
"""

BROKEN = {
    "unknown key": (
        _GOOD + "  second: {symbol: s, dim: s, colour: red}\n",
        [
            "spec/units.yaml:8: si unit 'second': unknown key 'colour'; use one of aliases, "
            "dim, powers, prefixes, scale, symbol"
        ],
    ),
    "bad dimension": (
        _GOOD + "  second: {symbol: s, dim: m^2 xg}\n",
        [
            "spec/units.yaml:8: si unit 'second': bad dimension 'm^2 xg' (unknown base symbol "
            "'xg'); use a name from `dimensions` (length) or powers of m kg s A K mol cd such "
            "as 'm^2 kg s^-2'"
        ],
    ),
    "duplicate generated name": (
        _GOOD + "  kmetre: {symbol: km, dim: length}\n",
        [
            "spec/units.yaml:8: si unit 'kmetre': duplicate generated name 'kmetre' (also made "
            "on line 7); rename or remove one of them",
            "spec/units.yaml:8: si unit 'kmetre': duplicate generated name 'kmetre2' (also made "
            "on line 7); rename or remove one of them",
        ],
    ),
    "unknown shortcut target": (
        _GOOD + "shortcuts:\n  mm: mmetre\n",
        [
            "spec/units.yaml:9: shortcut 'mm': 'mmetre' is not a unit of the catalog; name an "
            "SI, prefixed, powered or non-SI unit (e.g. mvolt, cmetre2, inch)"
        ],
    ),
    "constant of the wrong dimension": (
        _GOOD + "constants:\n  km: {of: kmetre, unit: metre**2}\n",
        [
            "spec/units.yaml:9: constant 'km': unit 'metre**2' has dimension m^2 but 'kmetre' "
            "has m; use a unit of the same dimension"
        ],
    ),
    "several at once": (
        _GOOD
        + "  second: {symbol: s, dim: time, scale: 1.5}\n"
        + "non_si:\n  inch: {symbol: in, dim: length, factor: 0.0254 / foo}\n",
        [
            "spec/units.yaml:8: si unit 'second': bad dimension 'time' (unknown base symbol "
            "'time'); use a name from `dimensions` (length) or powers of m kg s A K mol cd "
            "such as 'm^2 kg s^-2'",
            "spec/units.yaml:8: si unit 'second': scale must be an integer power of ten",
            "spec/units.yaml:10: non-SI unit 'inch': bad factor: unknown name 'foo' (only `pi` "
            "is known) in '0.0254 / foo'; write a number or an exact expression such as "
            "`0.0254 / 6` (`pi` allowed)",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_spec_reports_file_and_line(tmp_path: Path, case: str) -> None:
    text, expected = BROKEN[case]
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "units.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        render_units(spec)
    assert info.value.problems == expected


def test_good_minimal_spec_renders(tmp_path: Path) -> None:
    spec = tmp_path / "spec"
    spec.mkdir()
    (spec / "units.yaml").write_text(_GOOD, encoding="utf-8")
    out = render_units(spec)
    # m^2 has no name in this spec, so its variable is named after the power of length.
    assert 'metre2: Unit = Unit(_LENGTH_2, name="metre2", dispname="m^2"' in out["units.py"]
    for name in ("metre", "metre2", "kmetre", "kmetre2"):
        assert f"\n{name}: Unit = " in out["units.py"]
