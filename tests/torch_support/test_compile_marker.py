"""`polyunit.compiling.fold_when_traced` marks functions the way torch's public API does."""

from __future__ import annotations

import pytest

from polyunit import backend, compiling, traced, unit

torch = pytest.importorskip("torch", reason="torch is not installed")


def test_torch_api_sets_the_same_marker() -> None:
    def probe() -> int:
        return 1

    before = set(vars(probe))
    torch.compiler.assume_constant_result(probe)
    assert set(vars(probe)) - before == {compiling.MARKER}
    assert getattr(probe, compiling.MARKER) is True


def test_cache_miss_paths_are_marked() -> None:
    marked = set(compiling.MARKED)
    expected = {
        unit._product_name,
        unit._quotient_name,
        unit._power_name,
        unit._factor,
        backend.backend_from_module,
        backend._import,
        backend.default_backend,
        traced.unit_plan,
        traced.plain_scale,
        traced.conversion,
    }
    assert expected <= marked
    assert all(getattr(fn, compiling.MARKER) is True for fn in marked)


def test_cache_miss_results_match_the_algebra() -> None:
    """The marked paths compute what the unit algebra means (fresh, uncached combinations)."""
    import polyunit as u

    a, b = u.mmeter**3, u.msecond**-2
    a._mul.pop(id(b), None)
    prod = unit.unit_product(a, b)
    assert prod.dim == (u.meter**3 / u.second**2).dim
    assert prod.magnitude == pytest.approx(1e-9 * 1e6)
    assert unit.unit_product(a, b) is prod  # now a cache hit, the same interned unit
    u.kmeter._to.pop(id(u.cmeter), None)
    assert unit.conversion_factor(u.kmeter, u.cmeter) == pytest.approx(1e5)
    with pytest.raises(u.DimensionMismatchError):
        unit.conversion_factor(u.kmeter, u.second)
