"""The perceptron topic's claims and the library's contract.

Claim (TOPICS.md): on linearly separable data the perceptron rule reaches 100 % training accuracy.
Checked on many random separable sets against the theory (Novikoff: at most (R/γ)² updates from
zero, γ found independently by liblinear's SVM), against scikit-learn's Perceptron on the same data, and
separability itself against a linear program.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog, minimize
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.svm import SVC, LinearSVC

from algorithms.perceptron import (
    Perceptron,
    accuracy,
    best_line,
    bias_margin,
    foot_of_normal,
    fruit,
    line_equation,
    line_in_box,
    margin,
    min_norm_point,
    mistake_bound,
    separable,
    train,
    update,
)


# --------------------------------------------------------------------------- independent references
def random_separable(
    gen: np.random.Generator, n: int, dim: int = 2, gap: float = 0.05
) -> tuple[np.ndarray, np.ndarray]:
    """Points uniform in [-1, 1]^dim labelled by a random hyperplane, none closer to it than ``gap``."""
    normal = gen.normal(size=dim)
    normal /= np.linalg.norm(normal)
    offset = gen.uniform(-0.4, 0.4)
    rows = []
    while sum(len(r) for r in rows) < n:
        cand = gen.uniform(-1, 1, size=(4 * n, dim))
        rows.append(cand[np.abs(cand @ normal - offset) >= gap])
    X = np.concatenate(rows)[:n]
    y = (X @ normal - offset > 0).astype(np.int64)
    if y.min() == y.max():  # make sure both classes appear
        return random_separable(gen, n, dim, gap)
    return X, y


def lp_separable(X: np.ndarray, y: np.ndarray) -> bool:
    """Is there (w, b) with s·(w·x + b) ≥ 1 for all points? A feasibility LP (HiGHS)."""
    s = 2.0 * y - 1.0
    A = -(s[:, None] * np.column_stack((X, np.ones(len(X)))))
    res = linprog(np.zeros(X.shape[1] + 1), A_ub=A, b_ub=-np.ones(len(X)), bounds=(None, None), method="highs")
    return res.status == 0


def svm_gamma(X: np.ndarray, y: np.ndarray) -> float:
    """γ from liblinear: a hard-margin SVM (huge C) without intercept on the points (x, 1)."""
    Xa = np.column_stack((X, np.ones(len(X))))
    svm = LinearSVC(C=1e6, loss="hinge", fit_intercept=False, tol=1e-8, max_iter=200_000).fit(Xa, y)
    v = svm.coef_[0]
    return float(np.min((2.0 * y - 1.0) * (Xa @ v)) / np.linalg.norm(v))


def sweep_best_line(X: np.ndarray, y: np.ndarray) -> float:
    """Brute force over directions and thresholds: at every direction between two consecutive
    critical angles (where two points project equally) sort the projections and try every cut."""
    n = len(y)
    i, j = np.triu_indices(n, 1)
    d = X[j] - X[i]
    crit = np.mod(np.arctan2(d[:, 1], d[:, 0]) + np.pi / 2, np.pi)
    crit = np.sort(np.concatenate((crit, crit + np.pi)))
    mids = (crit + np.roll(crit, -1)) / 2
    mids[-1] = (crit[-1] + crit[0] + 2 * np.pi) / 2
    best = max(y.sum(), n - y.sum())
    for chunk in np.array_split(mids, max(1, len(mids) // 2000)):
        u = np.column_stack((np.cos(chunk), np.sin(chunk)))
        order = np.argsort(X @ u.T, axis=0)  # (n, directions)
        lab = y[order]
        # cut after the k smallest projections: those are called 0, the rest 1
        zeros_below = np.cumsum(1 - lab, axis=0)
        ones_above = lab.sum(axis=0) - np.cumsum(lab, axis=0)
        best = max(best, int((zeros_below + ones_above).max()))
    return best / n


def sklearn_geometric_margin(X: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    svm = SVC(kernel="linear", C=1e8).fit(X, y)
    return 1.0 / np.linalg.norm(svm.coef_), svm.score(X, y)


# --------------------------------------------------------------------------- the rule
@settings(max_examples=60, deadline=None)
@given(
    w=st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
    b=st.floats(-3, 3),
    x=st.tuples(st.floats(-2, 2), st.floats(-2, 2)),
    label=st.sampled_from([0, 1]),
    lr=st.floats(0.01, 5),
)
def test_one_update_is_rosenblatts_rule(w, b, x, label, lr):
    s = 1 if label == 1 else -1
    new_w, new_b, changed = update(np.array(w), b, np.array(x), label, lr)
    wrong = s * (w[0] * x[0] + w[1] * x[1] + b) <= 0
    assert changed == wrong
    if wrong:
        assert np.allclose(new_w, (w[0] + lr * s * x[0], w[1] + lr * s * x[1])) and new_b == pytest.approx(b + lr * s)
    else:
        assert np.array_equal(new_w, w) and new_b == b


def test_reaches_100_percent_on_many_random_separable_sets_within_novikoffs_bound():
    gen = np.random.default_rng(2024)
    for trial in range(60):
        dim = 2 if trial % 3 else 3
        X, y = random_separable(gen, int(gen.integers(10, 80)), dim, gap=float(gen.uniform(0.02, 0.15)))
        lr = float(gen.uniform(0.05, 3.0))
        result = train(X, y, lr=lr, max_epochs=100_000)
        assert result.converged
        # 100 % training accuracy, counted independently of the library
        assert np.array_equal((X @ result.w + result.b > 0).astype(int), y)
        gamma = svm_gamma(X, y)
        R = np.max(np.linalg.norm(np.column_stack((X, np.ones(len(X)))), axis=1))
        assert result.updates <= (R / gamma) ** 2 + 1e-9
        # the library's own margin and bound agree with the independent solution
        assert bias_margin(X, y) == pytest.approx(gamma, rel=1e-6)
        assert mistake_bound(X, y) == pytest.approx((R / gamma) ** 2, rel=1e-4)


def test_from_any_start_the_updates_stay_within_the_shifted_bound():
    gen = np.random.default_rng(7)
    for _ in range(30):
        X, y = random_separable(gen, 40, 2, gap=0.05)
        w0, b0, lr = gen.normal(size=2) * 2, float(gen.normal()), float(gen.uniform(0.1, 2))
        result = train(X, y, lr=lr, w=w0, b=b0, max_epochs=100_000)
        assert result.converged and accuracy(X, y, result.w, result.b) == 1.0
        gamma = svm_gamma(X, y)
        R = np.max(np.linalg.norm(np.column_stack((X, np.ones(len(X)))), axis=1))
        # θ·u grows by ≥ lr·γ per update, ‖θ‖² by ≤ lr²R²  ⇒  k ≤ (R/γ)² + 2‖θ₀‖/(lr·γ)
        theory = (R / gamma) ** 2 + 2 * np.linalg.norm(np.append(w0, b0)) / (lr * gamma)
        assert result.updates <= theory + 1e-9
        assert mistake_bound(X, y, w0, b0, lr) == pytest.approx(theory, rel=1e-4)


def test_same_weights_as_scikit_learns_perceptron_on_the_same_data():
    gen = np.random.default_rng(11)
    for trial in range(12):
        X, y = fruit(int(gen.integers(10, 120)), float(gen.uniform(0.02, 0.2)), rng=trial)
        lr = float(gen.uniform(0.1, 2.0))
        ours = train(X, y, lr=lr)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # it warns that max_iter was reached; that is the point
            sk = SkPerceptron(shuffle=False, eta0=lr, max_iter=ours.epochs, tol=None, penalty=None).fit(X, y)
        assert sk.score(X, y) == 1.0 and accuracy(X, y, ours.w, ours.b) == 1.0
        np.testing.assert_allclose(ours.w, sk.coef_[0], atol=1e-9)
        assert ours.b == pytest.approx(sk.intercept_[0], abs=1e-9)


def test_on_overlapping_classes_the_rule_never_settles():
    gen = np.random.default_rng(5)
    X, y = random_separable(gen, 40, 2, gap=0.05)
    y = y.copy()
    y[:3] = 1 - y[:3]  # three labels flipped
    if lp_separable(X, y):
        pytest.skip("flipping happened to keep the set separable")
    result = train(X, y, max_epochs=200)
    assert not result.converged and result.epochs == 200
    assert not separable(X, y) and bias_margin(X, y) == 0.0
    assert mistake_bound(X, y) == math.inf


# --------------------------------------------------------------------------- margins, separability, best line
def test_separable_agrees_with_a_linear_program():
    gen = np.random.default_rng(3)
    verdicts = []
    for trial in range(40):
        X, y = fruit(int(gen.integers(6, 60)), float(gen.uniform(-0.3, 0.1)), rng=trial)
        expected = lp_separable(X, y)
        verdicts.append(expected)
        assert separable(X, y) == expected, trial
        assert (best_line(X, y)[0] == 1.0) == expected
    assert any(verdicts) and not all(verdicts)  # both kinds were tested


def test_min_norm_point_matches_a_direct_solution():
    gen = np.random.default_rng(9)
    for _ in range(20):
        P = gen.normal(size=(int(gen.integers(2, 30)), 3)) + gen.normal(size=3) * 2
        p = min_norm_point(P)
        # independent: minimise ‖λP‖² over the simplex with SLSQP
        k = len(P)
        res = minimize(lambda lam, P=P: np.sum((lam @ P) ** 2), np.full(k, 1 / k), method="SLSQP",
                       bounds=[(0, 1)] * k, constraints=[{"type": "eq", "fun": lambda lam: lam.sum() - 1}],
                       options={"ftol": 1e-15, "maxiter": 1000})
        assert np.linalg.norm(p) == pytest.approx(np.linalg.norm(res.x @ P), abs=1e-6)
        assert np.linalg.norm(p) <= np.linalg.norm(res.x @ P) + 1e-9  # never worse than the solver


def test_best_line_equals_a_brute_force_sweep_over_directions_and_thresholds():
    gen = np.random.default_rng(1)
    for trial in range(25):
        n = int(gen.integers(2, 45))
        X = gen.normal(size=(n, 2))
        y = gen.integers(0, 2, size=n) if trial % 2 else (np.linalg.norm(X, axis=1) < 1).astype(np.int64)
        acc, w, b = best_line(X, y)
        assert acc == pytest.approx(sweep_best_line(X, y), abs=1e-12)
        if np.any(w):  # the returned line, through two points, is at most those two points off
            assert accuracy(X, y, w, b) >= acc - 2 / n - 1e-12
        # and no random line does better
        for _ in range(200):
            rw, rb = gen.normal(size=2), gen.normal()
            assert accuracy(X, y, rw, rb) <= acc + 1e-12


def test_margin_of_a_line():
    X = np.array([[0.0, 1.0], [0.0, -2.0]])
    y = np.array([1, 0])
    assert margin(X, y, np.array([0.0, 2.0]), 0.0) == pytest.approx(1.0)
    assert margin(X, y, np.array([0.0, -1.0]), 0.0) == pytest.approx(-2.0)  # both wrong
    with pytest.raises(ValueError, match="no line"):
        margin(X, y, np.zeros(2), 1.0)


# --------------------------------------------------------------------------- data
@pytest.mark.parametrize("gap", [0.02, 0.1, 0.3])
def test_fruit_are_separable_with_at_least_the_asked_margin(gap):
    for seed in range(4):
        X, y = fruit(50, gap, rng=seed)
        geometric, score = sklearn_geometric_margin(X, y)
        assert score == 1.0 and geometric >= gap - 1e-6
        assert lp_separable(X, y)


def test_fruit_look_like_apples_and_lemons():
    X, y = fruit(200, 0.1, rng=0)
    assert X.shape == (200, 2) and y.dtype == np.int64 and np.bincount(y).tolist() == [100, 100]
    assert np.abs(X).max() <= 0.95
    apples, lemons = X[y == 0], X[y == 1]
    assert apples[:, 0].mean() > lemons[:, 0].mean()  # apples are heavier
    assert lemons[:, 1].mean() > apples[:, 1].mean()  # lemons are yellower
    again = fruit(200, 0.1, rng=0)
    assert np.array_equal(X, again[0]) and np.array_equal(y, again[1])
    assert not np.array_equal(X, fruit(200, 0.1, rng=1)[0])


def test_overlapping_fruit_are_usually_not_separable():
    verdicts = [lp_separable(*fruit(100, -0.3, rng=seed)) for seed in range(10)]
    assert sum(verdicts) <= 2


@pytest.mark.parametrize(
    "kw, match",
    [({"n": 1}, "number of fruit"), ({"margin": 2.0}, "margin"), ({"margin": "wide"}, "margin"), ({"rng": "x"}, "rng")],
)
def test_fruit_rejects_bad_arguments(kw, match):
    with pytest.raises(ValueError, match=match):
        fruit(**kw)


# --------------------------------------------------------------------------- geometry
@settings(max_examples=80, deadline=None)
@given(w1=st.floats(-5, 5), w2=st.floats(-5, 5), b=st.floats(-3, 3))
def test_line_in_box_lies_on_the_line_and_on_the_border(w1, w2, b):
    box = (-1.0, 1.0, -0.5, 0.8)
    seg = line_in_box(w1, w2, b, box)
    norm = math.hypot(w1, w2)
    if norm == 0:
        assert seg is None
        return
    # does the line cross the box? signed distances of the corners (a corner may lie on it)
    corners = [(x, y) for x in box[:2] for y in box[2:]]
    dist = [(w1 * x + w2 * y + b) / norm for x, y in corners]
    if seg is None:
        assert min(dist) >= -1e-9 or max(dist) <= 1e-9
        return
    assert min(dist) <= 1e-9 and max(dist) >= -1e-9
    for x, y in (seg[:2], seg[2:]):
        assert abs(w1 * x + w2 * y + b) / norm <= 1e-9
        assert box[0] - 1e-12 <= x <= box[1] + 1e-12 and box[2] - 1e-12 <= y <= box[3] + 1e-12
        assert min(abs(x - box[0]), abs(x - box[1]), abs(y - box[2]), abs(y - box[3])) < 1e-9


def test_foot_of_normal_and_equation():
    assert foot_of_normal(0.0, 2.0, -1.0) == pytest.approx((0.0, 0.5))
    assert foot_of_normal(0.0, 0.0, 1.0) is None
    assert line_equation(0.84, -1.2, 0.15) == "0.84x₁ − 1.20x₂ + 0.15 = 0"
    assert line_equation(-1, 0.5, -2, names=("x", "y"), digits=1) == "−1.0x + 0.5y − 2.0 = 0"


# --------------------------------------------------------------------------- the simulation
def test_simulation_from_zero_makes_the_same_updates_as_pass_by_pass_training():
    sim = Perceptron(seed=4, n_points=60, margin=0.05, lr=0.7, start="zero")
    sim.steps(10_000)
    reference = train(sim.X, sim.y, lr=0.7)
    assert sim.converged and sim.accuracy == 1.0
    assert sim.updates == reference.updates
    np.testing.assert_allclose(sim.w, reference.w, atol=1e-12)
    assert sim.b == pytest.approx(reference.b, abs=1e-12)
    assert sim.updates <= sim.bound


def test_simulation_learns_from_the_next_mistake_in_order():
    sim = Perceptron(seed=2, n_points=40)
    pos = 0
    while not sim.converged:
        w, b = sim.w, sim.b
        s = 2.0 * sim.y - 1.0
        n = len(sim.y)
        expected = next(i % n for i in range(pos, pos + n) if s[i % n] * (sim.X[i % n] @ w + b) <= 0)
        assert sim.step()
        assert sim.last.index == expected and sim.last.old_w == tuple(w) and sim.last.old_b == b
        pos = expected + 1
    assert not sim.step() and sim.last is None  # nothing left: no change
    assert sim.updates <= sim.bound


@pytest.mark.parametrize("seed", range(8))
def test_simulation_from_a_random_line_reaches_100_percent_within_its_bound(seed):
    sim = Perceptron(seed=seed)
    assert sim.separable
    bound = sim.bound
    sim.steps(100_000)
    assert sim.converged and sim.accuracy == 1.0 and sim.updates <= bound
    assert sim.accuracy == np.mean((sim.X @ sim.w + sim.b > 0) == (sim.y == 1))


def test_overlapping_simulation_keeps_learning_and_reports_the_best_line():
    sim = next(s for s in (Perceptron(seed=k, n_points=80, margin=-0.3) for k in range(10)) if not s.separable)
    assert sim.bound == math.inf and sim.best_accuracy < 1.0
    assert sim.best_accuracy == pytest.approx(sweep_best_line(sim.X, sim.y))
    assert sim.steps(500) == 500 and not sim.converged


def test_nudges_move_one_number_and_step_back_undoes_them():
    sim = Perceptron(seed=1)
    w, b = sim.w, sim.b
    sim.nudge("w1", 0.1)
    sim.nudge("b", -0.1)
    assert sim.w[0] == pytest.approx(w[0] + 0.1) and sim.w[1] == w[1] and sim.b == pytest.approx(b - 0.1)
    assert sim.accuracy == np.mean((sim.X @ sim.w + sim.b > 0) == (sim.y == 1))
    sim.step()
    sim.step_back()
    sim.step_back()
    sim.step_back()
    assert np.array_equal(sim.w, w) and sim.b == b and not sim.can_step_back
    with pytest.raises(ValueError, match="nothing to step back"):
        sim.step_back()


def test_same_seed_same_run_and_reset():
    a, b = Perceptron(seed=6), Perceptron(seed=6)
    a.steps(5)
    b.steps(5)
    assert np.array_equal(a.w, b.w) and a.updates == b.updates and np.array_equal(a.X, b.X)
    first_w = Perceptron(seed=6).w
    a.reset()
    assert np.array_equal(a.w, first_w) and a.updates == 0
    assert not np.array_equal(Perceptron(seed=7).X, a.X)


def test_decision_grid_shades_each_side_of_the_line():
    sim = Perceptron(seed=3)
    extent = (-1.0, 1.0, -1.0, 1.0)
    grid = sim.decision_grid(30, 20, extent)
    xs = -1 + (np.arange(30) + 0.5) * 2 / 30
    ys = 1 - (np.arange(20) + 0.5) * 2 / 20
    gx, gy = np.meshgrid(xs, ys)
    lemon = sim.w[0] * gx + sim.w[1] * gy + sim.b > 0
    assert np.all(grid[lemon] >= 0.7) and np.all(grid[~lemon] <= 0.3)
    assert grid.shape == (20, 30) and sim.decision_grid(0, 5, extent).shape == (5, 0)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: s.set_lr(0), "learning rate"),
        (lambda s: s.set_n_points(3), "at least 4"),
        (lambda s: s.set_n_points(10_000), "at most"),
        (lambda s: s.set_margin(0.9), "margin"),
        (lambda s: s.set_start("left"), "start"),
        (lambda s: s.nudge("w3", 0.1), "w1, w2, b"),
        (lambda s: s.set_weight("b", float("nan")), "finite"),
        (lambda s: s.set_weight("w1", 1e9), "1000"),
    ],
)
def test_bad_settings_are_refused_with_a_message(call, match):
    sim = Perceptron(seed=0)
    before = (sim.w, sim.b, sim.lr, sim.n_points, sim.margin)
    with pytest.raises(ValueError, match=match):
        call(sim)
    after = (sim.w, sim.b, sim.lr, sim.n_points, sim.margin)
    assert all(np.array_equal(x, y) for x, y in zip(before, after))


def test_settings_take_effect():
    sim = Perceptron(seed=0)
    sim.set_n_points(50)
    assert len(sim.y) == 50
    sim.set_start("zero")
    assert not np.any(sim.w) and sim.b == 0 and sim.line((-1, 1, -1, 1)) is None
    sim.set_margin(0.3)
    assert sklearn_geometric_margin(sim.X, sim.y)[0] >= 0.3 - 1e-6
    sim.set_lr(2.0)
    assert sim.lr == 2.0
