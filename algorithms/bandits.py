"""Multi-armed bandits: conjugate posteriors per arm and Thompson sampling over them.

Two posterior families, each keeping one posterior per arm in NumPy arrays:

* ``BetaArms`` — rewards in [0, 1] (a win is 1, a loss 0): prior ``Beta(α₀, β₀)``; a reward ``r``
  adds ``r`` to α and ``1 − r`` to β. For 0/1 rewards this is the exact Beta–Bernoulli update.
* ``NormalArms`` — rewards on any scale with Gaussian noise of known spread ``noise_sd``: prior
  ``N(m₀, s₀²)`` on each arm's mean reward; after ``n`` rewards with sum ``S`` the posterior is normal
  with precision ``1/s₀² + n/σ²`` and mean ``(m₀/s₀² + S/σ²) / precision``.

Both can *forget*: with ``discount`` γ < 1, every arm's evidence is multiplied by γ before each new
reward is added, so old rewards fade and the posteriors can follow rewards that drift (γ = 1 gives
the plain conjugate update). Evidence is kept as pseudo-counts: effective pulls ``n`` and reward sum.

``ThompsonSampler(posterior, rng)`` picks an arm by drawing one value from every arm's posterior and
taking the largest (``choose()``), then learns from the reward (``update(arm, reward)``).
"""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Any

import numpy as np

from algorithms.checks import as_float, as_int
from algorithms.rng import RngLike, as_rng

Array = np.ndarray


def frozen_copy(a: Array) -> Array:
    """A read-only float copy of ``a`` (for properties that hand out internal arrays)."""
    out = np.array(a, dtype=float)
    out.flags.writeable = False
    return out


def _level(level: float) -> float:
    return as_float(level, "the credible level", lo=0, hi=1, lo_inclusive=False, hi_inclusive=False)


# --------------------------------------------------------------------------- the Beta distribution
def _log_beta(a: Array, b: Array) -> Array:
    lgamma = np.vectorize(math.lgamma, otypes=[float])
    return lgamma(a) + lgamma(b) - lgamma(a + b)


def _beta_fraction(x: Array, a: Array, b: Array) -> Array:
    """The continued fraction of the incomplete beta function (modified Lentz), element-wise."""
    tiny = 1e-300
    f = np.ones_like(x)
    c = np.ones_like(x)
    d = np.zeros_like(x)
    done = np.zeros(x.shape, dtype=bool)
    for i in range(20000):
        m = i // 2
        if i == 0:
            num = np.ones_like(x)
        elif i % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + num * d
        d = np.where(np.abs(d) < tiny, tiny, d)
        d = 1.0 / d
        c = 1.0 + num / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        cd = np.where(done, 1.0, c * d)
        f = f * cd
        done |= np.abs(1.0 - cd) < 1e-15
        if done.all():
            break
    return f - 1.0


def beta_cdf(x: Array | float, a: Array | float, b: Array | float) -> Array:
    """P(X ≤ x) for X ~ Beta(a, b): the regularised incomplete beta function, element-wise."""
    x, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (x, a, b)))
    x, a, b = x.copy(), a.copy(), b.copy()
    if (a <= 0).any() or (b <= 0).any():
        raise ValueError("the Beta parameters must be positive")
    out = np.where(x <= 0, 0.0, 1.0)
    inside = (x > 0) & (x < 1)
    if inside.any():
        xi, ai, bi = x[inside], a[inside], b[inside]
        log_front = ai * np.log(xi) + bi * np.log1p(-xi) - _log_beta(ai, bi)
        direct = xi < (ai + 1) / (ai + bi + 2)  # where the fraction converges fast; else use symmetry
        xs, as_, bs = np.where(direct, xi, 1 - xi), np.where(direct, ai, bi), np.where(direct, bi, ai)
        value = np.exp(log_front) * _beta_fraction(xs, as_, bs) / as_
        out[inside] = np.clip(np.where(direct, value, 1 - value), 0.0, 1.0)
    return out


def beta_ppf(q: Array | float, a: Array | float, b: Array | float) -> Array:
    """The ``q``-quantile of Beta(a, b), element-wise (safeguarded Newton steps on ``beta_cdf``)."""
    q, a, b = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (q, a, b)))
    if ((q < 0) | (q > 1)).any():
        raise ValueError("a quantile level must lie in [0, 1]")
    lo, hi = np.zeros(q.shape), np.ones(q.shape)
    mean = a / (a + b)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    z = np.vectorize(lambda p: NormalDist().inv_cdf(min(max(p, 1e-12), 1 - 1e-12)), otypes=[float])(q)
    x = np.clip(mean + z * sd, 1e-9, 1 - 1e-9)
    log_norm = _log_beta(a, b)
    for _ in range(100):
        err = beta_cdf(x, a, b) - q
        lo = np.where(err < 0, x, lo)
        hi = np.where(err > 0, x, hi)
        with np.errstate(all="ignore"):
            pdf = np.exp((a - 1) * np.log(x) + (b - 1) * np.log1p(-x) - log_norm)
            newton = x - err / pdf
        ok = np.isfinite(newton) & (newton > lo) & (newton < hi)
        new = np.where(ok, newton, 0.5 * (lo + hi))
        if np.all(np.abs(new - x) < 1e-13):
            x = new
            break
        x = new
    return np.where(q <= 0, 0.0, np.where(q >= 1, 1.0, x))


# --------------------------------------------------------------------------- posteriors
class _Arms:
    """What both posterior families share: arms, forgetting, pseudo-counts, snapshots."""

    def __init__(self, n_arms: int, discount: float) -> None:
        self._n_arms = as_int(n_arms, "the number of arms", lo=1)
        self.discount = discount
        self.reset()

    def reset(self) -> None:
        """Forget every reward: back to the prior."""
        self._n = np.zeros(self._n_arms)  # effective number of rewards per arm
        self._sum = np.zeros(self._n_arms)  # effective sum of rewards per arm

    @property
    def n_arms(self) -> int:
        return self._n_arms

    @property
    def discount(self) -> float:
        """γ in (0, 1]: the weight every earlier reward keeps when a new one arrives."""
        return self._discount

    @discount.setter
    def discount(self, value: float) -> None:
        self._discount = as_float(value, "the discount", lo=0, hi=1, lo_inclusive=False)

    @property
    def counts(self) -> Array:
        """Effective number of rewards seen per arm (pulls, discounted)."""
        return frozen_copy(self._n)

    @property
    def reward_sums(self) -> Array:
        return frozen_copy(self._sum)

    def _arm(self, arm: int) -> int:
        arm = as_int(arm, "the arm", lo=0)
        if arm >= self._n_arms:
            raise ValueError(f"the arm must be below {self._n_arms}, got {arm}")
        return arm

    def _check_reward(self, reward: float) -> float:
        return as_float(reward, "the reward")

    def update(self, arm: int, reward: float) -> None:
        """Learn that ``arm`` paid ``reward`` (older evidence of every arm first fades by ``discount``)."""
        arm, reward = self._arm(arm), self._check_reward(reward)
        if self._discount != 1.0:
            self._n *= self._discount
            self._sum *= self._discount
        self._n[arm] += 1.0
        self._sum[arm] += reward

    def state(self) -> dict[str, Any]:
        """A copy of the evidence (for stepping back)."""
        return {"n": self._n.copy(), "sum": self._sum.copy()}

    def load_state(self, state: dict[str, Any]) -> None:
        n, s = np.asarray(state["n"], dtype=float), np.asarray(state["sum"], dtype=float)
        if n.shape != (self._n_arms,) or s.shape != (self._n_arms,):
            raise ValueError(f"a state for {self._n_arms} arms was expected")
        self._n, self._sum = n.copy(), s.copy()

    # the family-specific part
    @property
    def mean(self) -> Array:
        raise NotImplementedError

    def sample(self, rng: np.random.Generator) -> Array:
        """One draw from every arm's posterior."""
        raise NotImplementedError

    def interval(self, level: float = 0.95) -> tuple[Array, Array]:
        """Equal-tailed credible interval of every arm's mean reward: ``(lows, highs)``."""
        raise NotImplementedError


class BetaArms(_Arms):
    """A Beta posterior on each arm's win rate; rewards in [0, 1]."""

    def __init__(self, n_arms: int, alpha0: float = 1.0, beta0: float = 1.0, discount: float = 1.0) -> None:
        self.alpha0 = as_float(alpha0, "the prior α", lo=0, lo_inclusive=False)
        self.beta0 = as_float(beta0, "the prior β", lo=0, lo_inclusive=False)
        super().__init__(n_arms, discount)

    def _check_reward(self, reward: float) -> float:
        return as_float(reward, "a Beta–Bernoulli reward", lo=0, hi=1)

    @property
    def alpha(self) -> Array:
        return frozen_copy(self.alpha0 + self._sum)

    @property
    def beta(self) -> Array:
        return frozen_copy(self.beta0 + self._n - self._sum)

    @property
    def mean(self) -> Array:
        a, b = self.alpha0 + self._sum, self.beta0 + self._n - self._sum
        return frozen_copy(a / (a + b))

    @property
    def sd(self) -> Array:
        a, b = self.alpha0 + self._sum, self.beta0 + self._n - self._sum
        return frozen_copy(np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))))

    def sample(self, rng: np.random.Generator) -> Array:
        return rng.beta(self.alpha0 + self._sum, self.beta0 + self._n - self._sum)

    def interval(self, level: float = 0.95) -> tuple[Array, Array]:
        tail = (1 - _level(level)) / 2
        a, b = self.alpha0 + self._sum, self.beta0 + self._n - self._sum
        return frozen_copy(beta_ppf(tail, a, b)), frozen_copy(beta_ppf(1 - tail, a, b))


class NormalArms(_Arms):
    """A normal posterior on each arm's mean reward; rewards carry Gaussian noise of spread ``noise_sd``."""

    def __init__(
        self, n_arms: int, mean0: float = 0.0, sd0: float = 1.0, noise_sd: float = 1.0, discount: float = 1.0
    ) -> None:
        self.mean0 = as_float(mean0, "the prior mean")
        self.sd0 = as_float(sd0, "the prior spread", lo=0, lo_inclusive=False)
        self.noise_sd = as_float(noise_sd, "the reward noise", lo=0, lo_inclusive=False)
        super().__init__(n_arms, discount)

    @property
    def precision(self) -> Array:
        """1 / posterior variance of every arm's mean."""
        return frozen_copy(self.sd0**-2 + self._n / self.noise_sd**2)

    @property
    def mean(self) -> Array:
        precision = self.sd0**-2 + self._n / self.noise_sd**2
        return frozen_copy((self.mean0 * self.sd0**-2 + self._sum / self.noise_sd**2) / precision)

    @property
    def sd(self) -> Array:
        return frozen_copy(1.0 / np.sqrt(self.sd0**-2 + self._n / self.noise_sd**2))

    def sample(self, rng: np.random.Generator) -> Array:
        precision = self.sd0**-2 + self._n / self.noise_sd**2
        mean = (self.mean0 * self.sd0**-2 + self._sum / self.noise_sd**2) / precision
        return rng.normal(mean, 1.0 / np.sqrt(precision))

    def interval(self, level: float = 0.95) -> tuple[Array, Array]:
        z = NormalDist().inv_cdf(0.5 + _level(level) / 2)
        mean, sd = self.mean, self.sd
        return frozen_copy(mean - z * sd), frozen_copy(mean + z * sd)


# --------------------------------------------------------------------------- Thompson sampling
class ThompsonSampler:
    """Choose an arm by sampling each posterior once and taking the best draw; learn from rewards."""

    def __init__(self, posterior: _Arms, rng: RngLike = None) -> None:
        if not isinstance(posterior, _Arms):
            raise ValueError("Thompson sampling needs a BetaArms or NormalArms posterior")
        self.posterior = posterior
        self._rng = as_rng(rng)
        self._draws = np.full(posterior.n_arms, np.nan)

    @property
    def n_arms(self) -> int:
        return self.posterior.n_arms

    @property
    def last_draws(self) -> Array:
        """The values drawn by the last ``choose()`` (NaN before the first)."""
        return frozen_copy(self._draws)

    def choose(self) -> int:
        """Draw once from every arm's posterior; the arm with the largest draw."""
        self._draws = self.posterior.sample(self._rng)
        return int(np.argmax(self._draws))

    def update(self, arm: int, reward: float) -> None:
        self.posterior.update(arm, reward)

    def state(self) -> dict[str, Any]:
        """Posterior evidence, last draws and the random stream (for stepping back)."""
        return {
            "posterior": self.posterior.state(),
            "draws": self._draws.copy(),
            "rng": self._rng.bit_generator.state,
        }

    def load_state(self, state: dict[str, Any]) -> None:
        self.posterior.load_state(state["posterior"])
        self._draws = np.array(state["draws"], dtype=float)
        self._rng.bit_generator.state = state["rng"]
