"""loss-formula: Q is the mean of the shown losses; L is the mean squared difference of the shown grids."""

from __future__ import annotations

import itertools
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import mean_squared_error

from algorithms import risk
from algorithms.risk import EpochLosses, LossFormula, PixelFrame


@pytest.mark.parametrize("epoch", range(1, risk.MAX_EPOCH + 1))
def test_q_is_exactly_the_mean_of_the_shown_losses(epoch):
    ep = EpochLosses(epoch)
    shown = [f"{v:.2f}" for v in ep.losses]  # what the bars print
    exact_mean = sum(Decimal(s) for s in shown) / 5  # at most three decimals
    assert f"{ep.q:.3f}" == f"{exact_mean:.3f}"
    assert ep.q == pytest.approx(float(exact_mean), abs=1e-15)
    assert ep.q == pytest.approx(np.mean(ep.losses), abs=1e-15)


def test_losses_follow_the_article_schedule():
    base = np.array([0.84, 0.67, 0.78, 0.59, 0.71])
    np.testing.assert_array_equal(EpochLosses(1).losses, base)
    for epoch in range(1, risk.MAX_EPOCH + 1):
        expected = [round(b * 0.72 ** (epoch - 1), 2) for b in base]
        np.testing.assert_allclose(EpochLosses(epoch).losses, expected, atol=1e-12)
    qs = [EpochLosses(e).q for e in range(1, risk.MAX_EPOCH + 1)]
    assert all(a >= b for a, b in itertools.pairwise(qs))  # Q never rises


def test_verdict_says_learned_exactly_below_0_08():
    first = next(e for e in range(1, 16) if np.mean([round(b * 0.72 ** (e - 1), 2) for b in risk.BASE_LOSSES]) < 0.08)
    for e in range(1, 16):
        ep = EpochLosses(e)
        assert ep.learned == (e >= first)
        assert (ep.verdict == "learned") == ep.learned
    assert EpochLosses(1).verdict == "still learning"
    assert risk.verdict(0.079) == "learned" and risk.verdict(0.08) == "getting there"
    assert risk.verdict(0.25) == "still learning"


def test_epoch_knob_is_validated():
    for bad in (0, 16, 2.5, "3", True):
        with pytest.raises(ValueError, match="epoch"):
            EpochLosses(bad)


def test_risk_is_the_average_per_example_loss_for_any_model():
    data = [(1.0, 2.0), (2.0, 3.5), (3.0, 7.0)]
    model = 2.0  # y ≈ model · x

    def loss(a, example):
        x, y = example
        return (a * x - y) ** 2

    assert risk.risk(loss, model, data) == pytest.approx(np.mean([(model * x - y) ** 2 for x, y in data]))
    with pytest.raises(ValueError, match="empty"):
        risk.empirical_risk([])
    with pytest.raises(ValueError, match="finite"):
        risk.empirical_risk([1.0, float("nan")])


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1), st.sampled_from(sorted(risk.PATTERNS)), st.integers(0, 10_000))
def test_pixel_loss_is_the_mean_squared_difference_of_the_shown_grids(accuracy, pattern, seed):
    frame = PixelFrame(pattern, accuracy, seed=seed)
    real, gen = frame.real, frame.generated
    assert real.dtype.kind == gen.dtype.kind == "i"  # whole numbers: the grids show them exactly
    assert gen.min() >= 0 and gen.max() <= 255
    assert frame.loss == pytest.approx(mean_squared_error(real.ravel(), gen.ravel()), rel=1e-12, abs=1e-12)
    assert frame.loss == pytest.approx(np.mean(frame.error.astype(float) ** 2), rel=1e-12, abs=1e-12)
    assert frame.loss_scaled == pytest.approx(frame.loss / 255**2)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.integers(0, 1000))
def test_higher_accuracy_never_makes_any_pixel_worse(a1, a2, seed):
    lo, hi = sorted((a1, a2))
    worse, better = PixelFrame("plus", lo, seed=seed), PixelFrame("plus", hi, seed=seed)
    assert np.all(better.error <= worse.error)
    assert better.loss <= worse.loss


def test_perfect_model_has_zero_loss_and_same_seed_same_mistakes():
    assert PixelFrame("smile", 1.0, seed=3).loss == 0.0
    assert np.array_equal(PixelFrame("smile", 0.4, seed=3).generated, PixelFrame("smile", 0.4, seed=3).generated)
    assert PixelFrame("smile", 0.0, seed=3).loss > 1000
    with pytest.raises(ValueError, match="accuracy"):
        PixelFrame("smile", 1.5)
    with pytest.raises(ValueError, match="picture"):
        PixelFrame("dog")
    with pytest.raises(ValueError, match="shape"):
        risk.squared_error(np.zeros((2, 2)), np.zeros((3, 3)))


def test_topic_state_steps_through_epochs_and_back():
    sim = LossFormula(seed=1)
    assert sim.epoch == 1 and not sim.can_step_back
    for _ in range(20):
        sim.step()
    assert sim.epoch == risk.MAX_EPOCH and sim.at_end
    sim.step_back()
    assert sim.epoch == risk.MAX_EPOCH - 1
    sim.reset()
    assert sim.epoch == 1
    with pytest.raises(ValueError):
        sim.step_back()
