"""polyunit.autograd on jax- and torch-backed quantities: values equal jax / torch.func on raw
arrays, units are exactly unit(output) / unit(input) (Hessian: / (unit_i * unit_j))."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import torch
import torch.func

import polyunit as u

ag = u.autograd
BACKENDS = ["jax", "torch"]


def arr(values: Any, backend: str) -> Any:
    if backend == "jax":
        return jnp.asarray(values, dtype=jnp.float32)
    return torch.tensor(values, dtype=torch.float32)


def to_np(x: Any) -> Any:
    if isinstance(x, u.Quantity):
        x = x.mantissa
    if isinstance(x, torch.Tensor):
        return x.detach().numpy()
    return np.asarray(x)


def raw_transform(backend: str, name: str) -> Callable[..., Any]:
    """The library's own transform, on raw arrays, for the reference values."""
    if backend == "jax":
        return getattr(jax, name)  # type: ignore[no-any-return]
    return getattr(torch.func, name)  # type: ignore[no-any-return]


def check(got: Any, unit: u.Unit | None, expected: Any) -> None:
    """`got` has exactly `unit` (None: a plain array) and the expected values."""
    if unit is None:
        assert not isinstance(got, u.Quantity), f"expected a plain array, got {got!r}"
    else:
        assert isinstance(got, u.Quantity), f"expected a quantity in {unit}, got {got!r}"
        assert got.unit == unit, f"unit {got.unit} != {unit}"
    np.testing.assert_allclose(to_np(got), to_np(expected), rtol=1e-6, atol=1e-6)


X = [1.0, 2.0, 3.0]
T = [2.0, 4.0, 5.0]

# name, f on quantities, argument units, argnums, value unit, gradient units, f on raw arrays
GRAD_CASES: list[tuple[Any, ...]] = [
    ("square-m", lambda x: u.math.sum(x * x), [u.meter], 0, u.meter**2, [u.meter],
     lambda x: (x * x).sum()),
    ("ratio-m-per-s", lambda x, t: u.math.sum(x / t), [u.meter, u.second], (0, 1),
     u.meter / u.second, [u.second**-1, u.meter / u.second**2], lambda x, t: (x / t).sum()),
    ("second-arg-only", lambda x, t: u.math.sum(x / t), [u.meter, u.second], 1,
     u.meter / u.second, [u.meter / u.second**2], lambda x, t: (x / t).sum()),
    # output in mV, input in mV: the gradient is dimensionless -> a plain array
    ("identity-mV", lambda v: u.math.sum(v), [u.mV], 0, u.mV, [None], lambda v: v.sum()),
    # y (mm) is converted into x's unit (m): d out / d y = 0.001 m/mm = 1, folded to plain
    ("mixed-scales", lambda x, y: u.math.sum(x + y), [u.meter, u.mmeter], (0, 1), u.meter,
     [None, None], lambda x, y: (x + y * 0.001).sum()),
    ("kinetic-energy", lambda m, v: u.math.sum(0.5 * m * v * v), [u.kilogram, u.meter / u.second],
     (0, 1), u.joule, [u.meter**2 / u.second**2, u.kilogram * u.meter / u.second],
     lambda m, v: (0.5 * m * v * v).sum()),
    # a plain (dimensionless) output of a quantity input: gradient in 1 / m
    ("plain-output", lambda x: u.math.sum(u.math.exp(x / u.Quantity(2.0, u.meter))), [u.meter],
     0, None, [u.meter**-1], lambda x: u.math.sum(u.math.exp(x / 2.0))),
]  # fmt: skip


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", GRAD_CASES, ids=[c[0] for c in GRAD_CASES])
def test_value_and_grad_units_and_values(backend: str, case: tuple[Any, ...]) -> None:
    _, f, units, argnums, value_unit, grad_units, raw = case
    raws = [arr(v, backend) for v in (X, T)[: len(units)]]
    args = [u.Quantity(r, unit) for r, unit in zip(raws, units, strict=True)]
    f_raw = raw
    with u.using_backend(backend):  # plain constants inside f follow the arguments' backend
        value, grads = ag.value_and_grad(f, argnums=argnums)(*args)
        only = ag.grad(f, argnums=argnums)(*args)
    if backend == "jax":
        ref_value, ref_grads = jax.value_and_grad(f_raw, argnums=argnums)(*raws)
    else:
        ref_grads, ref_value = torch.func.grad_and_value(f_raw, argnums=argnums)(*raws)
    check(value, value_unit, ref_value)
    if isinstance(argnums, int):
        grads, only, ref_grads = (grads,), (only,), (ref_grads,)
    assert isinstance(grads, tuple) and len(grads) == len(grad_units)
    nums = (argnums,) if isinstance(argnums, int) else argnums
    for i, g, o, unit, ref in zip(nums, grads, only, grad_units, ref_grads, strict=True):
        if unit is None:  # dimensionless: the scale of unit(out) / unit(arg) is folded in
            ref = ref * ((value_unit or u.UNITLESS) / units[i]).magnitude
        check(g, unit, ref)
        check(o, unit, ref)
        assert type(g.mantissa if isinstance(g, u.Quantity) else g) is type(ref)


@pytest.mark.parametrize("backend", BACKENDS)
def test_has_aux_returns_aux_with_units(backend: str) -> None:
    def f(x: Any) -> tuple[Any, Any]:
        energy = u.math.sum(x * x)
        return energy, {"x2": x * x, "n": u.math.sum(x)}

    x = u.Quantity(arr(X, backend), u.meter)
    g, aux = ag.grad(f, has_aux=True)(x)
    check(g, u.meter, [2.0, 4.0, 6.0])
    check(aux["x2"], u.meter**2, [1.0, 4.0, 9.0])
    check(aux["n"], u.meter, 6.0)
    (value, aux2), g2 = ag.value_and_grad(f, has_aux=True)(x)
    check(value, u.meter**2, 14.0)
    check(aux2["x2"], u.meter**2, [1.0, 4.0, 9.0])
    check(g2, u.meter, [2.0, 4.0, 6.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_pytree_arguments_get_per_leaf_units(backend: str) -> None:
    def f(params: dict[str, Any], t: Any) -> Any:
        x = params["x0"] + params["v"] * t
        return u.math.sum(x * x)

    params = {
        "x0": u.Quantity(arr([1.0, 2.0], backend), u.meter),
        "v": u.Quantity(arr([0.5, -1.0], backend), u.meter / u.second),
    }
    t = u.Quantity(arr([2.0, 3.0], backend), u.second)
    g = ag.grad(f)(params, t)
    assert set(g) == {"x0", "v"}
    x = np.array([1.0 + 0.5 * 2.0, 2.0 - 1.0 * 3.0])
    check(g["x0"], u.meter, 2 * x)
    check(g["v"], u.meter * u.second, 2 * x * np.array([2.0, 3.0]))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["jacrev", "jacfwd", "jacobian"])
def test_jacobian_units_and_values(backend: str, name: str) -> None:
    transform = getattr(ag, name)
    raw_name = "jacrev" if name == "jacobian" else name

    def f(x: Any, t: Any) -> Any:
        return x * x / t

    xr, tr = arr(X, backend), arr(T, backend)
    x, t = u.Quantity(xr, u.meter), u.Quantity(tr, u.second)
    jx = transform(f)(x, t)
    ref_x, ref_t = raw_transform(backend, raw_name)(lambda a, b: a * a / b, argnums=(0, 1))(xr, tr)
    check(jx, u.meter / u.second, ref_x)
    assert jx.shape == (3, 3)
    jx2, jt = transform(f, argnums=(0, 1))(x, t)
    check(jx2, u.meter / u.second, ref_x)
    check(jt, u.meter**2 / u.second**2, ref_t)


@pytest.mark.parametrize("backend", BACKENDS)
def test_jacobian_of_pytree_output(backend: str) -> None:
    def f(x: Any) -> dict[str, Any]:
        return {"area": x * x, "total": u.math.sum(x), "count": u.math.sum(x / x)}

    x = u.Quantity(arr(X, backend), u.meter)
    jac, aux = ag.jacrev(lambda x: (f(x), x), has_aux=True)(x)
    check(jac["area"], u.meter, np.diag([2.0, 4.0, 6.0]))
    check(jac["total"], None, [1.0, 1.0, 1.0])  # m / m: plain
    check(jac["count"], u.meter**-1, [0.0, 0.0, 0.0])
    check(aux, u.meter, X)


@pytest.mark.parametrize("backend", BACKENDS)
def test_hessian_units_are_output_over_input_pairs(backend: str) -> None:
    def f(x: Any, t: Any) -> Any:
        return u.math.sum(x * x * x * t)

    xr, tr = arr(X, backend), arr(T, backend)
    x, t = u.Quantity(xr, u.meter), u.Quantity(tr, u.second)
    h = ag.hessian(f, argnums=(0, 1))(x, t)
    ref = raw_transform(backend, "hessian")(lambda a, b: (a * a * a * b).sum(), argnums=(0, 1))(
        xr, tr
    )
    out = u.meter**3 * u.second
    check(h[0][0], out / (u.meter * u.meter), ref[0][0])
    check(h[0][1], out / (u.meter * u.second), ref[0][1])
    check(h[1][0], out / (u.second * u.meter), ref[1][0])
    check(h[1][1], out / (u.second * u.second), ref[1][1])
    assert h[0][0].unit == u.meter * u.second and h[1][1].unit == u.meter**3 / u.second
    single = ag.hessian(lambda x: u.math.sum(x * x * x))(x)
    check(single, u.meter, np.diag(6.0 * np.array(X)))
    with_aux, aux = ag.hessian(lambda x: (u.math.sum(x * x * x), x * x), has_aux=True)(x)
    check(with_aux, u.meter, np.diag(6.0 * np.array(X)))
    check(aux, u.meter**2, np.array(X) ** 2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_python_number_argument_follows_the_array_arguments(backend: str) -> None:
    w = u.Quantity(arr(X, backend), u.meter)
    g = ag.grad(lambda s, w: u.math.sum(w * s * s))(3.0, w)
    check(g, u.meter, 6.0 * sum(X))


@pytest.mark.parametrize("backend", BACKENDS)
def test_vector_grad(backend: str) -> None:
    def cube(x: Any) -> Any:
        return x * x * x

    x = u.Quantity(arr(X, backend), u.meter)
    g = ag.vector_grad(cube)(x)
    check(g, u.meter**2, 3.0 * np.array(X) ** 2)
    g, value = ag.vector_grad(cube, return_value=True)(x)
    check(value, u.meter**3, np.array(X) ** 3)
    g, value, aux = ag.vector_grad(lambda x: (cube(x), x), return_value=True, has_aux=True)(x)
    check(aux, u.meter, X)
    g, aux = ag.vector_grad(lambda x: (cube(x), x), has_aux=True)(x)
    check(g, u.meter**2, 3.0 * np.array(X) ** 2)
    bare = ag.vector_grad(cube, unit_aware=False)(x)
    check(bare, None, 3.0 * np.array(X) ** 2)
    t = u.Quantity(arr(T, backend), u.second)
    gx, gt = ag.vector_grad(lambda x, t: x * t, argnums=(0, 1))(x, t)
    check(gx, u.second, T)
    check(gt, u.meter, X)


def test_autograd_composes_with_jit() -> None:
    f = jax.jit(ag.grad(lambda x, t: u.math.sum(x * x / t), argnums=(0, 1)))
    gx, gt = f(u.Quantity(jnp.asarray(X), u.meter), u.Quantity(jnp.asarray(T), u.second))
    check(gx, u.meter / u.second, 2 * np.array(X) / np.array(T))
    check(gt, u.meter**2 / u.second**2, -(np.array(X) ** 2) / np.array(T) ** 2)


def test_numpy_arguments_raise_backend_error_naming_the_fix() -> None:
    with pytest.raises(u.BackendError, match=r"numpy-backed.*\.to_jax\(\).*\.to_torch\(\)"):
        ag.grad(lambda x: u.math.sum(x * x))(u.Quantity(np.ones(2), u.meter))


def test_mixed_backends_raise() -> None:
    with pytest.raises(u.BackendError, match="mix backends"):
        ag.grad(lambda a, b: u.math.sum(a * b), argnums=(0, 1))(
            u.Quantity(jnp.ones(2), u.meter), u.Quantity(torch.ones(2), u.meter)
        )


def test_jax_only_flags_on_torch_raise() -> None:
    x = u.Quantity(torch.ones(2), u.meter)
    with pytest.raises(u.BackendError, match="holomorphic"):
        ag.grad(lambda x: u.math.sum(x), holomorphic=True)(x)
    with pytest.raises(u.BackendError, match="allow_int"):
        ag.jacrev(lambda x: x, allow_int=True)(x)


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_calls_name_the_problem(backend: str) -> None:
    x = u.Quantity(arr(X, backend), u.meter)
    with pytest.raises(TypeError, match="pair"):
        ag.grad(lambda x: u.math.sum(x), has_aux=True)(x)
    with pytest.raises(TypeError, match="one scalar output"):
        ag.grad(lambda x: (u.math.sum(x), u.math.sum(x)))(x)
    with pytest.raises(ValueError, match="argnums"):
        ag.grad(lambda x: u.math.sum(x), argnums=1)(x)
    with pytest.raises(TypeError, match="argnums"):
        ag.grad(lambda x: u.math.sum(x), argnums=())(x)
    with pytest.raises(u.DimensionMismatchError, match="one unit"):
        ag.vector_grad(lambda x: (x, x * x))(x)


def test_autograd_is_a_lazy_attribute() -> None:
    import polyunit.autograd as direct

    assert u.autograd is direct
    assert sorted(direct.__all__) == sorted(
        ["grad", "value_and_grad", "jacobian", "jacrev", "jacfwd", "hessian", "vector_grad"]
    )
    assert direct.jacobian is direct.jacrev
