"""Conjugate posteriors and Thompson sampling against SciPy: numeric posteriors, quantiles, choice odds."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, special, stats

from algorithms.bandits import BetaArms, NormalArms, ThompsonSampler, beta_cdf, beta_ppf

GRID = np.linspace(-8.0, 8.0, 40001)  # a fine grid of candidate mean rewards


def grid_posterior(prior: np.ndarray, log_likelihood: np.ndarray, grid: np.ndarray) -> tuple[float, float]:
    """Mean and sd of the density ∝ prior · exp(log_likelihood) on ``grid``, by numerical integration."""
    log_post = np.log(prior) + log_likelihood
    post = np.exp(log_post - log_post.max())
    post /= integrate.trapezoid(post, grid)
    mean = integrate.trapezoid(grid * post, grid)
    var = integrate.trapezoid((grid - mean) ** 2 * post, grid)
    return float(mean), float(np.sqrt(var))


def test_normal_update_equals_the_numeric_posterior() -> None:
    rng = np.random.default_rng(0)
    arms = NormalArms(3, mean0=0.5, sd0=1.5, noise_sd=0.8)
    rewards: dict[int, list[float]] = {0: [], 1: [], 2: []}
    for _ in range(12):
        arm, reward = int(rng.integers(3)), float(rng.normal(1.0, 1.0))
        arms.update(arm, reward)
        rewards[arm].append(reward)
    prior = stats.norm(0.5, 1.5).pdf(GRID)
    for arm, rs in rewards.items():
        log_lik = sum((stats.norm(GRID, 0.8).logpdf(r) for r in rs), np.zeros_like(GRID))
        mean, sd = grid_posterior(prior, log_lik, GRID)
        assert arms.mean[arm] == pytest.approx(mean, abs=1e-6)
        assert arms.sd[arm] == pytest.approx(sd, abs=1e-6)
        assert arms.counts[arm] == len(rs)


def test_discounted_normal_update_is_the_posterior_of_tempered_likelihoods() -> None:
    """Forgetting with γ = every reward's likelihood raised to γ^(its age in updates)."""
    gamma = 0.8
    arms = NormalArms(2, discount=gamma)
    history = [(0, 2.0), (1, -1.0), (0, 1.0), (0, -2.0), (1, 1.0), (1, 2.0)]
    for arm, reward in history:
        arms.update(arm, reward)
    prior = stats.norm(0, 1).pdf(GRID)
    n = len(history)
    for arm in (0, 1):
        log_lik = np.zeros_like(GRID)
        for t, (a, r) in enumerate(history):
            if a == arm:
                log_lik += gamma ** (n - 1 - t) * stats.norm(GRID, 1.0).logpdf(r)
        mean, sd = grid_posterior(prior, log_lik, GRID)
        assert arms.mean[arm] == pytest.approx(mean, abs=1e-6)
        assert arms.sd[arm] == pytest.approx(sd, abs=1e-6)


def test_normal_interval_is_the_normal_quantile_pair() -> None:
    arms = NormalArms(2, mean0=0.0, sd0=2.0, noise_sd=1.0)
    arms.update(1, 1.5)
    lows, highs = arms.interval(0.9)
    for arm in range(2):
        dist = stats.norm(arms.mean[arm], arms.sd[arm])
        assert lows[arm] == pytest.approx(dist.ppf(0.05), rel=1e-9)
        assert highs[arm] == pytest.approx(dist.ppf(0.95), rel=1e-9)


def test_beta_bernoulli_update_equals_scipy_posterior() -> None:
    rng = np.random.default_rng(1)
    arms = BetaArms(2, alpha0=2.0, beta0=3.0)
    wins = np.zeros(2)
    pulls = np.zeros(2)
    for _ in range(30):
        arm, reward = int(rng.integers(2)), int(rng.random() < 0.7)
        arms.update(arm, reward)
        wins[arm] += reward
        pulls[arm] += 1
    grid = np.linspace(1e-6, 1 - 1e-6, 200001)
    prior = stats.beta(2.0, 3.0).pdf(grid)
    for arm in range(2):
        log_lik = wins[arm] * np.log(grid) + (pulls[arm] - wins[arm]) * np.log1p(-grid)
        mean, sd = grid_posterior(prior, log_lik, grid)
        exact = stats.beta(2.0 + wins[arm], 3.0 + pulls[arm] - wins[arm])
        assert arms.alpha[arm] == 2.0 + wins[arm] and arms.beta[arm] == 3.0 + pulls[arm] - wins[arm]
        assert arms.mean[arm] == pytest.approx(exact.mean(), rel=1e-12) == pytest.approx(mean, abs=1e-6)
        assert arms.sd[arm] == pytest.approx(exact.std(), rel=1e-12) == pytest.approx(sd, abs=1e-6)
        lo, hi = arms.interval(0.95)
        assert lo[arm] == pytest.approx(exact.ppf(0.025), abs=1e-10)
        assert hi[arm] == pytest.approx(exact.ppf(0.975), abs=1e-10)


@settings(max_examples=40, deadline=None)
@given(
    a=st.floats(0.05, 3000), b=st.floats(0.05, 3000), x=st.floats(0, 1), q=st.floats(1e-6, 1 - 1e-6)
)
def test_beta_cdf_and_quantile_match_scipy(a: float, b: float, x: float, q: float) -> None:
    assert beta_cdf(x, a, b) == pytest.approx(special.betainc(a, b, x), abs=1e-11)
    expected = stats.beta.ppf(q, a, b)
    got = float(beta_ppf(q, a, b))
    assert got == pytest.approx(expected, abs=1e-8) or abs(special.betainc(a, b, got) - q) < 1e-9


def test_beta_quantile_edges() -> None:
    assert beta_ppf(0.0, 2.0, 3.0) == 0.0 and beta_ppf(1.0, 2.0, 3.0) == 1.0
    assert beta_ppf(0.3, 1.0, 1.0) == pytest.approx(0.3)  # the uniform distribution
    with pytest.raises(ValueError):
        beta_ppf(1.5, 1.0, 1.0)
    with pytest.raises(ValueError):
        beta_cdf(0.5, 0.0, 1.0)


def test_a_repeatedly_rewarded_arm_climbs_and_narrows() -> None:
    arms = NormalArms(4)
    means, sds = [arms.mean[2]], [arms.sd[2]]
    for _ in range(10):
        arms.update(2, 2.0)
        means.append(arms.mean[2])
        sds.append(arms.sd[2])
    assert all(b > a for a, b in zip(means, means[1:]))
    assert all(b < a for a, b in zip(sds, sds[1:]))
    assert means[-1] == pytest.approx(2.0 * 10 / 11)  # closed form: n·r̄/σ² / (1/s₀² + n/σ²)
    np.testing.assert_array_equal(arms.mean[[0, 1, 3]], 0.0)  # the others are untouched


def test_thompson_picks_each_arm_with_the_chance_its_draw_is_largest() -> None:
    arms = NormalArms(2)
    arms.update(0, 0.8)
    arms.update(1, 0.2)
    arms.update(1, 0.5)
    sampler = ThompsonSampler(arms, rng=3)
    picks = np.array([sampler.choose() for _ in range(10000)])
    # P(draw₀ > draw₁) for two independent normals, in closed form.
    p0 = stats.norm.cdf((arms.mean[0] - arms.mean[1]) / np.hypot(arms.sd[0], arms.sd[1]))
    assert np.mean(picks == 0) == pytest.approx(p0, abs=0.015)
    assert sampler.last_draws.shape == (2,)


def test_thompson_on_beta_arms_matches_the_integral() -> None:
    arms = BetaArms(2)
    for r in (1, 1, 0):
        arms.update(0, r)
    for r in (1, 0, 0, 0):
        arms.update(1, r)
    a, b = stats.beta(arms.alpha[0], arms.beta[0]), stats.beta(arms.alpha[1], arms.beta[1])
    p0 = integrate.quad(lambda x: a.pdf(x) * b.cdf(x), 0, 1)[0]  # P(X₀ > X₁)
    sampler = ThompsonSampler(arms, rng=4)
    picks = np.array([sampler.choose() for _ in range(10000)])
    assert np.mean(picks == 0) == pytest.approx(p0, abs=0.015)


def test_thompson_finds_the_best_slot_machine() -> None:
    rates = np.array([0.2, 0.5, 0.35, 0.6, 0.1])
    shares = []
    for seed in range(5):
        rng = np.random.default_rng(100 + seed)
        sampler = ThompsonSampler(BetaArms(5), rng=seed)
        picks = []
        for _ in range(2000):
            arm = sampler.choose()
            sampler.update(arm, float(rng.random() < rates[arm]))
            picks.append(arm)
        shares.append(np.mean(np.array(picks[-500:]) == 3))
    assert np.mean(shares) > 0.8


def test_state_round_trip_replays_the_same_choices() -> None:
    sampler = ThompsonSampler(NormalArms(3, discount=0.9), rng=5)
    for arm in (0, 1, 2, 1):
        sampler.update(arm, arm - 1.0)
    saved = sampler.state()
    first = [sampler.choose() for _ in range(10)]
    draws = sampler.last_draws.copy()
    sampler.update(0, 5.0)
    sampler.load_state(saved)
    assert [sampler.choose() for _ in range(10)] == first
    np.testing.assert_array_equal(sampler.last_draws, draws)
    arms = sampler.posterior
    arms.reset()
    np.testing.assert_array_equal(arms.counts, 0.0)
    np.testing.assert_array_equal(arms.mean, 0.0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: NormalArms(0),
        lambda: NormalArms(2, sd0=0),
        lambda: NormalArms(2, noise_sd=-1),
        lambda: NormalArms(2, discount=0),
        lambda: NormalArms(2, discount=1.5),
        lambda: NormalArms(2).update(2, 1.0),
        lambda: NormalArms(2).update(-1, 1.0),
        lambda: NormalArms(2).update(0, float("nan")),
        lambda: NormalArms(2).interval(1.0),
        lambda: BetaArms(2).update(0, 1.5),
        lambda: BetaArms(2, alpha0=0),
        lambda: NormalArms(2).load_state({"n": [0.0], "sum": [0.0]}),
        lambda: ThompsonSampler("not a posterior"),  # type: ignore[arg-type]
    ],
)
def test_bad_values_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()
