"""batch-size: the jitter of the path (spread of step directions) shrinks as the batch grows."""

from __future__ import annotations

import itertools
from itertools import combinations

import numpy as np
import pytest

from algorithms import minibatch as mb
from algorithms.minibatch import BatchRace, Runner


@pytest.mark.parametrize("clock,steps", [("epoch", 3), ("epoch", 20), ("update", 10), ("update", 200)])
def test_jitter_shrinks_as_the_batch_grows(clock, steps):
    for seed in range(6):
        race = BatchRace(seed=seed, clock=clock)
        race.steps(steps)
        j1, j8, j32, jall = race.jitters()
        assert j1 > j8 > j32 > jall == 0.0, (seed, race.jitters())


def test_the_spread_of_step_directions_at_one_point_shrinks_with_the_batch():
    # independent of the paths: sample many batches at the same point and measure the angle spread
    x, y = mb.line_data(64, 1.0, np.random.default_rng(0))
    theta = np.array([0.5, 1.0])
    full = mb.batch_gradients(x, y, theta)
    rng = np.random.default_rng(1)
    spreads = []
    for b in (1, 4, 8, 16, 32, 64):
        angles = [mb.step_angle(mb.batch_gradients(x, y, theta, rng.choice(64, b, replace=False)), full)
                  for _ in range(400)]
        spreads.append(np.mean(angles))
    assert all(a > b for a, b in itertools.pairwise(spreads)) and spreads[-1] < 1e-6


@pytest.mark.parametrize("b", range(1, 9))
def test_gradient_noise_matches_every_possible_batch(b):
    x, y = mb.line_data(8, 1.0, np.random.default_rng(3))
    theta = np.array([1.0, -0.3])
    full = mb.batch_gradients(x, y, theta)
    gaps = [np.sum((mb.batch_gradients(x, y, theta, np.array(idx)) - full) ** 2) for idx in combinations(range(8), b)]
    assert mb.gradient_noise(x, y, theta, b) == pytest.approx(np.mean(gaps), rel=1e-9, abs=1e-12)


def test_gradients_and_surface_against_brute_force():
    x, y = mb.line_data(30, 0.5, np.random.default_rng(5))
    theta = np.array([0.7, 0.2])

    def loss(t):
        return np.mean((t[0] * x + t[1] - y) ** 2)

    h = 1e-6
    fd = [(loss(theta + h * e) - loss(theta - h * e)) / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(mb.batch_gradients(x, y, theta), fd, rtol=1e-6)
    np.testing.assert_allclose(mb.example_gradients(x, y, theta).mean(axis=0), fd, rtol=1e-6)
    ws, bs = np.linspace(-1, 3, 7), np.linspace(-2, 2, 5)
    brute = np.array([[loss((w, b)) for w in ws] for b in bs])
    np.testing.assert_allclose(mb.mse_surface(x, y, ws, bs), brute, rtol=1e-10, atol=1e-10)


def test_bottom_of_the_bowl_is_the_least_squares_line():
    race = BatchRace(seed=2)
    A = np.stack([race.x, np.ones(race.n_points)], axis=1)
    np.testing.assert_allclose(race.minimum, np.linalg.lstsq(A, race.y, rcond=None)[0], rtol=1e-9)


def test_full_batch_path_is_plain_gradient_descent():
    race = BatchRace(seed=4, lr=0.1, clock="epoch")
    race.steps(15)
    A = np.stack([race.x, np.ones(race.n_points)], axis=1)
    theta = np.array(mb.START)
    expected = [theta.copy()]
    for _ in range(15):
        theta = theta - 0.1 * 2 * A.T @ (A @ theta - race.y) / race.n_points
        expected.append(theta.copy())
    np.testing.assert_allclose(race.paths()[-1], expected, rtol=1e-10)


def test_an_epoch_uses_every_example_once_per_path():
    race = BatchRace(seed=0, clock="epoch")
    race.step()
    assert [r.updates for r in race.runners] == [64, 8, 2, 1]
    assert [len(p) for p in race.paths()] == [65, 9, 3, 2]
    runner = Runner(8, 64, np.zeros(2), 0.1, np.random.SeedSequence(9))
    for _ in range(3):  # three epochs: each a permutation of all examples
        seen = np.concatenate([runner.next_batch() for _ in range(8)])
        assert sorted(seen.tolist()) == list(range(64))
    race = BatchRace(seed=0, clock="update")
    race.steps(4)
    assert [r.updates for r in race.runners] == [4, 4, 4, 4]
    assert [r.epochs for r in race.runners] == [4 / 64, 0.5, 2.0, 4.0]


def test_same_seed_same_race_and_step_back_replays_exactly():
    a, b = BatchRace(seed=7), BatchRace(seed=7)
    a.steps(3)
    b.steps(3)
    for pa, pb in zip(a.paths(), b.paths()):
        np.testing.assert_array_equal(pa, pb)
    a.steps(2)
    after = [p.copy() for p in a.paths()]
    a.step_back()
    a.step_back()
    for pa, pb in zip(a.paths(), b.paths()):
        np.testing.assert_array_equal(pa, pb)
    a.steps(2)
    for pa, pb in zip(a.paths(), after):
        np.testing.assert_array_equal(pa, pb)
    assert BatchRace(seed=7).jitters() == [None, None, None, None]


def test_too_large_a_learning_rate_diverges_as_a_state():
    race = BatchRace(seed=0, lr=1.5)
    race.steps(100)
    assert race.diverged
    assert all(np.all(np.isfinite(p)) for p in race.paths())
    k = race.steps_taken
    race.step()
    assert race.steps_taken == k


def test_knobs_are_validated():
    race = BatchRace()
    for bad in (0.0, 5.0, float("nan"), "x"):
        with pytest.raises(ValueError, match="learning rate"):
            race.set_lr(bad)
    with pytest.raises(ValueError, match="noise"):
        race.set_noise(-1)
    with pytest.raises(ValueError, match="clock"):
        race.set_clock("day")
    race.set_noise(0.0)
    race.steps(3)
    # noiseless data: every example agrees at the minimum, but far from it batches still disagree
    assert race.jitters()[0] > 0


def test_loss_history_is_the_loss_of_each_path_after_every_step():
    race = BatchRace(seed=3, clock="epoch")
    race.steps(4)
    hist = race.loss_history()
    assert hist.shape == (5, 4)
    for k, path in enumerate(race.paths()):
        per_epoch = path[:: race.runners[k].updates // 4] if race.runners[k].updates >= 4 else path
        expected = [np.mean((t[0] * race.x + t[1] - race.y) ** 2) for t in per_epoch]
        np.testing.assert_allclose(hist[:, k], expected, rtol=1e-10)
    race.step_back()
    assert race.loss_history().shape == (4, 4)
    bands = race.contour(np.linspace(-3, 5, 30), np.linspace(-4, 4, 20), 8)
    assert bands.shape == (20, 30) and 0.0 <= bands.min() and bands.max() <= 1.0
