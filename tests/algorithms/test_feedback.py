"""The feedback topic's claims: labels beat scores, scores still teach, rewarded changes climb, and the
learner's posterior is the conjugate one — checked against scikit-learn, SciPy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats
from sklearn.metrics import log_loss

from algorithms.feedback import (
    ACTIONS,
    MUCH,
    RATINGS,
    FeedbackTraining,
    auto_rating,
    line_in_box,
)

SEEDS = range(12)
BUDGET = 400


def accuracy_of(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Independent accuracy of a separator: the side of the line w·x + b = 0 each point lies on."""
    return float(np.mean((X @ params[:2] + params[2] >= 0).astype(int) == y))


def bce(params: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy by scikit-learn."""
    p = special.expit(X @ params[:2] + params[2])
    return log_loss(y, p, labels=[0, 1])


def iterations_to_95(mode: str, seed: int, **kw) -> int:
    sim = FeedbackTraining(seed=seed, mode=mode, **kw)
    while sim.reached_target_at is None and sim.iteration < BUDGET:
        sim.step()
    return sim.reached_target_at if sim.reached_target_at is not None else 10**6


# ----------------------------------------------------------------------------- data and start
def test_labels_come_from_the_true_line_and_the_start_is_poor() -> None:
    for seed in SEEDS:
        sim = FeedbackTraining(seed=seed)
        w1, w2, b = sim.true_separator
        assert np.all((sim.X @ [w1, w2] + b > 0).astype(int) == sim.y)
        assert np.all(np.abs(sim.X) <= 1.0) and set(np.unique(sim.y)) == {0, 1}
        assert accuracy_of(sim.params, sim.X, sim.y) == sim.accuracy <= 0.5
        assert sim.accuracy_history[0] == sim.accuracy


# ----------------------------------------------------------------------------- claims
@pytest.mark.parametrize("mode", ["supervised", "auto"])
def test_both_supervised_and_auto_scored_improve_accuracy_from_a_poor_start(mode: str) -> None:
    for seed in SEEDS:
        sim = FeedbackTraining(seed=seed, mode=mode)
        start = accuracy_of(sim.kept_params, sim.X, sim.y)
        sim.steps(150)
        end = accuracy_of(sim.kept_params, sim.X, sim.y)
        assert start <= 0.5 and end >= 0.95, (seed, start, end)
        assert end == sim.accuracy_history[-1]


def test_supervised_needs_fewer_iterations_than_auto_scored_on_average() -> None:
    supervised = [iterations_to_95("supervised", seed) for seed in SEEDS]
    auto = [iterations_to_95("auto", seed) for seed in SEEDS]
    assert max(auto) < 10**6  # the auto-scored learner gets there too, every time
    assert np.mean(supervised) < np.mean(auto)
    assert np.mean(supervised) * 1.5 < np.mean(auto)  # and not by a hair


def test_thompson_learner_beats_picking_changes_at_random() -> None:
    thompson = [iterations_to_95("auto", seed) for seed in SEEDS]
    blind = [iterations_to_95("auto", seed, policy="random") for seed in SEEDS]
    assert np.mean(thompson) < np.mean(blind)


def test_reached_target_is_the_first_iteration_at_95_percent() -> None:
    sim = FeedbackTraining(seed=3, mode="auto")
    sim.steps(120)
    history = sim.accuracy_history
    assert len(history) == sim.iteration + 1
    assert sim.reached_target_at == int(np.flatnonzero(history >= 0.95)[0])


@pytest.mark.parametrize("discount", [0.9, 1.0])
def test_posterior_of_a_repeatedly_rewarded_change_moves_up(discount: float) -> None:
    favourite = 4  # "b +": rated "much better" whenever it is tried, every other change "much worse"
    sim = FeedbackTraining(seed=0, mode="human", discount=discount)
    lifts, after_rewards, picks = [], [], []
    for _ in range(40):
        picks.append(sim.pending)
        rewarded = sim.pending == favourite
        before = sim.posterior_mean[favourite]
        sim.rate(4 if rewarded else 1)
        if rewarded:
            lifts.append(sim.posterior_mean[favourite] - before)
            after_rewards.append(sim.posterior_mean[favourite])
    assert len(lifts) >= 5 and min(lifts) > 0  # every reward lifts its belief
    if discount == 1.0:  # with a perfect memory it only ever climbs
        assert all(b > a for a, b in zip(after_rewards, after_rewards[1:]))
    assert sim.posterior_mean[favourite] > 1.0
    assert sim.posterior_mean[favourite] == sim.posterior_mean.max()
    assert picks[-15:].count(favourite) >= 10  # and the learner now tries it most


def test_learner_posterior_is_the_discounted_conjugate_update() -> None:
    """After a series of ratings, every change's posterior equals the closed form: precision
    1 + Σ γ^age and mean Σ γ^age·r / precision (prior N(0, 1), rating noise 1), and SciPy agrees."""
    gamma = 0.85
    sim = FeedbackTraining(seed=5, mode="human", discount=gamma)
    history: list[tuple[int, float]] = []
    rng = np.random.default_rng(9)
    for _ in range(25):
        rating = int(rng.integers(1, 5))
        history.append((sim.pending, RATINGS[rating][1]))
        sim.rate(rating)
    n = len(history)
    lows, highs = sim.posterior_interval
    for arm in range(len(ACTIONS)):
        weights = np.array([gamma ** (n - 1 - t) for t, (a, _) in enumerate(history) if a == arm])
        rewards = np.array([r for a, r in history if a == arm])
        precision = 1.0 + weights.sum()
        mean = float(weights @ rewards) / precision if len(rewards) else 0.0
        assert sim.posterior_mean[arm] == pytest.approx(mean, abs=1e-12)
        exact = stats.norm(mean, 1 / math.sqrt(precision))
        assert lows[arm] == pytest.approx(exact.ppf(0.025), abs=1e-9)
        assert highs[arm] == pytest.approx(exact.ppf(0.975), abs=1e-9)


# ----------------------------------------------------------------------------- the three teachers
def test_a_supervised_step_is_one_gradient_step_on_the_cross_entropy() -> None:
    sim = FeedbackTraining(seed=2, lr=0.7)
    before = sim.params.copy()
    assert sim.loss == pytest.approx(bce(before, sim.X, sim.y), rel=1e-9)
    h = 1e-6  # central finite differences of scikit-learn's loss
    grad = np.array([(bce(before + h * e, sim.X, sim.y) - bce(before - h * e, sim.X, sim.y)) / (2 * h)
                     for e in np.eye(3)])
    np.testing.assert_allclose(sim.gradient, grad, rtol=1e-5, atol=1e-9)
    sim.step()
    np.testing.assert_allclose(sim.params, before - 0.7 * grad, rtol=1e-6, atol=1e-9)
    assert sim.iteration == 1 and sim.last["mode"] == "supervised"


def test_auto_score_is_mapped_from_the_loss_change() -> None:
    sim = FeedbackTraining(seed=4, mode="auto")
    seen = set()
    for _ in range(60):
        before, after = bce(sim.kept_params, sim.X, sim.y), bce(sim.params, sim.X, sim.y)
        gain = (before - after) / before
        expected = 4 if gain > MUCH else 3 if gain > 0 else 2 if gain >= -MUCH else 1
        assert sim.pending_score == expected
        seen.add(expected)
        sim.step()
        assert sim.last["rating"] == expected and sim.last["reward"] == RATINGS[expected][1]
    assert len(seen) >= 3  # the score really varies


@pytest.mark.parametrize(
    ("before", "after", "rating"),
    [(1.0, 0.5, 4), (1.0, 0.99, 3), (1.0, 1.0, 2), (1.0, 1.04, 2), (1.0, 1.2, 1), (0.0, 0.0, 2)],
)
def test_auto_rating_thresholds(before: float, after: float, rating: int) -> None:
    assert auto_rating(before, after) == rating


def test_a_proposed_change_moves_one_parameter_by_delta() -> None:
    sim = FeedbackTraining(seed=1, mode="human", step_size=0.4)
    for rating in (3, 1, 4, 2, 3):
        index, sign = ACTIONS[sim.pending]
        expected = sim.kept_params.copy()
        expected[index] += sign * 0.4
        np.testing.assert_allclose(sim.params, expected)
        sim.rate(rating)


def test_worse_ratings_take_the_change_back_better_ones_keep_it() -> None:
    sim = FeedbackTraining(seed=6, mode="human")
    kept, tried = sim.kept_params.copy(), sim.params.copy()
    sim.rate(2)
    assert not sim.last["kept"]
    np.testing.assert_array_equal(sim.kept_params, kept)  # back where it was
    tried = sim.params.copy()
    sim.rate(3)
    assert sim.last["kept"]
    np.testing.assert_array_equal(sim.kept_params, tried)
    sim.set_take_back(False)
    tried = sim.params.copy()
    sim.rate(1)
    assert sim.last["kept"]
    np.testing.assert_array_equal(sim.kept_params, tried)


def test_a_step_in_human_mode_skips_without_learning() -> None:
    sim = FeedbackTraining(seed=7, mode="human")
    means, tried = sim.posterior_mean.copy(), sim.params.copy()
    sim.step()
    np.testing.assert_array_equal(sim.posterior_mean, means)
    np.testing.assert_array_equal(sim.kept_params, tried)
    assert sim.last["rating"] is None and sim.iteration == 1


def test_switching_modes_keeps_the_separator() -> None:
    sim = FeedbackTraining(seed=8)
    sim.steps(3)
    params = sim.params.copy()
    assert sim.pending is None
    sim.set_mode("human")
    assert sim.pending is not None
    np.testing.assert_array_equal(sim.kept_params, params)
    sim.set_mode("auto")
    assert sim.pending is not None
    sim.set_mode("supervised")
    assert sim.pending is None
    np.testing.assert_array_equal(sim.params, params)  # the unrated change is dropped


def test_ratings_are_refused_outside_human_mode_and_bad_ratings_too() -> None:
    sim = FeedbackTraining(seed=0)
    with pytest.raises(ValueError, match="human"):
        sim.rate(3)
    sim.set_mode("human")
    for bad in (0, 5, True, "3", 2.5):
        with pytest.raises(ValueError):
            sim.rate(bad)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- history and replay
def test_step_back_restores_everything_and_replays_identically() -> None:
    sim = FeedbackTraining(seed=9, mode="auto")
    sim.steps(10)
    snapshot = (sim.params.copy(), sim.kept_params.copy(), sim.pending, sim.posterior_mean.copy(),
                sim.accuracy_history.copy(), sim.iteration)
    sim.steps(6)
    forward = sim.params.copy()
    for _ in range(6):
        sim.step_back()
    np.testing.assert_array_equal(sim.params, snapshot[0])
    np.testing.assert_array_equal(sim.kept_params, snapshot[1])
    assert sim.pending == snapshot[2] and sim.iteration == snapshot[5]
    np.testing.assert_array_equal(sim.posterior_mean, snapshot[3])
    np.testing.assert_array_equal(sim.accuracy_history, snapshot[4])
    sim.steps(6)
    np.testing.assert_array_equal(sim.params, forward)


def test_step_back_is_bounded_and_same_seed_same_run() -> None:
    a, b = FeedbackTraining(seed=3, mode="auto"), FeedbackTraining(seed=3, mode="auto")
    a.steps(230)
    b.steps(230)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.accuracy_history, b.accuracy_history)
    backs = 0
    while a.can_step_back:
        a.step_back()
        backs += 1
    assert backs == FeedbackTraining.HISTORY and a.iteration == 30
    with pytest.raises(ValueError):
        a.step_back()
    b.reset()
    assert b.iteration == 0 and len(b.accuracy_history) == 1


def test_huge_learning_rate_is_state_not_an_exception() -> None:
    sim = FeedbackTraining(seed=0, lr=1e300)
    sim.steps(5)
    assert sim.diverged
    it = sim.iteration
    sim.step()
    assert sim.iteration == it
    assert np.isfinite(sim.grid_probabilities(8, 4)).all()


# ----------------------------------------------------------------------------- drawing helpers
def test_grid_probabilities_match_the_neuron() -> None:
    sim = FeedbackTraining(seed=2)
    extent = (-1.0, 1.0, -0.5, 0.5)
    p = sim.grid_probabilities(4, 2, extent)
    w1, w2, b = sim.params
    for row, col in [(0, 0), (1, 3), (0, 2)]:
        x, y = -1.0 + (col + 0.5) * 0.5, 0.5 - (row + 0.5) * 0.5
        assert p[row, col] == pytest.approx(special.expit(w1 * x + w2 * y + b))
    assert sim.grid_probabilities(4, 2, extent) is p
    sim.step()
    assert sim.grid_probabilities(4, 2, extent) is not p


@pytest.mark.parametrize("line", [(1.0, 1.0, 0.0), (0.0, 1.0, -0.3), (1.0, 0.0, 0.5), (2.0, -1.0, 0.4)])
def test_separator_segment_lies_on_the_line_and_the_box_edge(line) -> None:
    extent = (-1.0, 1.0, -1.0, 1.0)
    x0, y0, x1, y1 = line_in_box(*line, extent)
    w1, w2, b = line
    for x, y in ((x0, y0), (x1, y1)):
        assert w1 * x + w2 * y + b == pytest.approx(0.0, abs=1e-9)
        assert max(abs(x), abs(y)) == pytest.approx(1.0)
    assert math.dist((x0, y0), (x1, y1)) > 0.5
    assert line_in_box(1.0, 0.0, 5.0, extent) is None  # x = −5 misses the box
    assert line_in_box(0.0, 0.0, 1.0, extent) is None  # no line at all


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.set_mode("teacher"),
        lambda s: s.set_lr(0),
        lambda s: s.set_step_size(5),
        lambda s: s.set_step_size(float("nan")),
        lambda s: s.set_discount(0.2),
        lambda s: s.set_policy("greedy"),
        lambda s: s.separator_segment((-1, 1, -1, 1), "wrong"),
        lambda s: s.reset(seed=-3),
    ],
)
def test_bad_values_raise_value_error(call) -> None:
    sim = FeedbackTraining(seed=0)
    with pytest.raises(ValueError):
        call(sim)
    sim.step()
    assert sim.iteration == 1


@pytest.mark.parametrize("kwargs", [dict(seed=-1), dict(n_points=2), dict(mode="x"), dict(lr=-1), dict(policy="x")])
def test_bad_construction_raises_value_error(kwargs) -> None:
    with pytest.raises(ValueError):
        FeedbackTraining(**kwargs)
