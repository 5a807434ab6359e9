"""Update rules against their textbook definitions, on f(θ) = ½·a·θ² (gradient a·θ) and by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from algorithms.optim import OPTIMIZERS, SGD, Adam, Momentum, RMSProp, make_optimizer

A = np.array([[0.5, 1.0, 2.0], [3.0, 0.1, 1.5]])  # per-coordinate curvature; params of shape (2, 3)
THETA0 = np.array([[1.0, -2.0, 0.5], [0.3, 4.0, -1.0]])


def run(opt, steps: int, theta0: np.ndarray = THETA0) -> list[np.ndarray]:
    """Iterates θ_1 .. θ_steps of ``opt`` on the quadratic."""
    theta = theta0.copy()
    out = []
    for _ in range(steps):
        opt.step(theta, A * theta)
        out.append(theta.copy())
    return out


def test_sgd_closed_form() -> None:
    lr = 0.1
    for k, theta in enumerate(run(SGD(lr), 25), start=1):
        np.testing.assert_allclose(theta, THETA0 * (1 - lr * A) ** k, rtol=1e-12)


def test_momentum_is_a_linear_recurrence() -> None:
    lr, beta = 0.05, 0.8
    iterates = run(Momentum(lr, beta=beta), 30)
    for i, j in np.ndindex(A.shape):
        a = A[i, j]
        # (θ_k, v_k) = M (θ_{k-1}, v_{k-1}) with v_k = βv + aθ and θ_k = θ − lr·v_k.
        M = np.array([[1 - lr * a, -lr * beta], [a, beta]])
        for k, theta in enumerate(iterates, start=1):
            expected = np.linalg.matrix_power(M, k) @ np.array([THETA0[i, j], 0.0])
            assert theta[i, j] == pytest.approx(expected[0], rel=1e-10, abs=1e-14)


def test_rmsprop_first_step_and_textbook_loop() -> None:
    lr, rho, eps = 0.01, 0.9, 1e-8
    first = run(RMSProp(lr, rho=rho, eps=eps), 1)[0]
    g = A * THETA0
    np.testing.assert_allclose(first, THETA0 - lr * g / (np.sqrt((1 - rho) * g**2) + eps), rtol=1e-12)
    iterates = run(RMSProp(lr, rho=rho, eps=eps), 40)
    for i, j in np.ndindex(A.shape):
        theta, s = THETA0[i, j], 0.0
        for k in range(40):
            grad = A[i, j] * theta
            s = rho * s + (1 - rho) * grad * grad
            theta = theta - lr * grad / (math.sqrt(s) + eps)
            assert iterates[k][i, j] == pytest.approx(theta, rel=1e-12)


def test_adam_first_step_is_lr_times_sign() -> None:
    lr = 0.01
    g = np.array([1e-3, -0.5, 2.0, -1e3, 7.0])
    theta = np.zeros(5)
    Adam(lr).step(theta, g)
    np.testing.assert_allclose(theta, -lr * np.sign(g), rtol=1e-4)


def test_adam_steps_are_constant_under_a_constant_gradient() -> None:
    # With bias correction m̂ = g and v̂ = g² exactly, so every step is lr·g/(|g| + ε).
    lr, eps = 0.003, 1e-8
    g = np.array([0.2, -5.0, 1e-2])
    theta = np.zeros(3)
    opt = Adam(lr, eps=eps)
    for k in range(1, 51):
        opt.step(theta, g)
        np.testing.assert_allclose(theta, -k * lr * g / (np.abs(g) + eps), rtol=1e-9)


def test_adam_textbook_loop() -> None:
    lr, b1, b2, eps = 0.05, 0.85, 0.99, 1e-7
    iterates = run(Adam(lr, beta1=b1, beta2=b2, eps=eps), 60)
    for i, j in np.ndindex(A.shape):
        theta, m, v = THETA0[i, j], 0.0, 0.0
        for t in range(1, 61):
            grad = A[i, j] * theta
            m = b1 * m + (1 - b1) * grad
            v = b2 * v + (1 - b2) * grad * grad
            m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
            theta = theta - lr * m_hat / (math.sqrt(v_hat) + eps)
            assert iterates[t - 1][i, j] == pytest.approx(theta, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_state_round_trip_reproduces_the_run(name: str) -> None:
    opt = make_optimizer(name, lr=0.01)
    theta = run(opt, 5)[-1]
    saved = opt.state()
    frozen = {k: np.copy(v) for k, v in saved.items()}
    first = run(opt, 5, theta)
    for k, v in saved.items():  # state() handed out copies: stepping on did not touch them
        np.testing.assert_array_equal(v, frozen[k])
    opt.load_state(saved)
    for v in saved.values():  # load_state() copied them in: scribbling on them changes nothing
        if isinstance(v, np.ndarray):
            v += 1.0
    np.testing.assert_array_equal(run(opt, 5, theta)[-1], first[-1])
    assert opt.t == frozen["t"] + 5


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_reset_forgets_and_dtype_is_kept(name: str) -> None:
    opt = make_optimizer(name, lr=0.01)
    theta32 = THETA0.astype(np.float32)
    a = run(opt, 3, theta32)
    assert a[-1].dtype == np.float32
    opt.reset()
    assert opt.t == 0
    b = run(opt, 3, theta32)
    np.testing.assert_array_equal(a[-1], b[-1])


def test_lr_can_change_between_steps() -> None:
    opt = SGD(0.1)
    theta = np.array([1.0])
    opt.step(theta, np.array([1.0]))
    opt.lr = 0.5
    opt.step(theta, np.array([1.0]))
    assert theta[0] == pytest.approx(1.0 - 0.1 - 0.5)


@pytest.mark.parametrize(
    "call",
    [
        lambda: SGD(0),
        lambda: SGD(-0.1),
        lambda: SGD(float("nan")),
        lambda: SGD(10**400),
        lambda: SGD("fast"),  # type: ignore[arg-type]
        lambda: Momentum(0.1, beta=1.0),
        lambda: Momentum(0.1, beta=-0.1),
        lambda: RMSProp(0.1, rho=1.5),
        lambda: RMSProp(0.1, eps=0),
        lambda: Adam(0.1, beta1=1.0),
        lambda: Adam(0.1, beta2=-1),
        lambda: make_optimizer("adagrad"),
        lambda: make_optimizer("sgd", beta=0.9),
        lambda: SGD(0.1).step(np.zeros(3), np.zeros(4)),
        lambda: SGD(0.1).step([1.0, 2.0], [0.0, 0.0]),  # type: ignore[arg-type]
        lambda: Adam(0.1).load_state(SGD(0.1).state()),
    ],
)
def test_bad_settings_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()


def test_changing_shape_without_reset_is_refused() -> None:
    opt = Adam(0.1)
    opt.step(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError):
        opt.step(np.zeros(4), np.ones(4))
    opt.reset()
    opt.step(np.zeros(4), np.ones(4))


def test_setting_lr_validates() -> None:
    opt = Adam(0.1)
    with pytest.raises(ValueError):
        opt.lr = 0
    assert opt.lr == 0.1
    assert repr(opt).startswith("Adam(lr=0.1")
