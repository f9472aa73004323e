"""Monthly intake forecast with prediction intervals. Plain Python + numpy/statsmodels, no Django.

The model (docs/budgets.md has the formulas and the reasons):

- y_t, the number of people an agency received in month t, is Poisson with
  log E[y_t] = b0 + b1 * t (years) + s_month(t); the trend needs at least 12 observed months and the
  month-of-year effects at least 24. Among the models the history allows (constant, trend,
  seasonal, trend + seasonal) the one with the lowest AICc (AIC corrected for small samples) is kept.
- Over-dispersion (variance above the mean, common when arrivals come in groups) is tested with
  the Cameron-Trivedi regression; when it is significant, the model is refitted as a negative
  binomial (NB2) with that alpha.
- With fewer than 12 observed months, or when every month is zero, there is too little to fit a
  trend: the monthly rate gets the Jeffreys posterior Gamma(sum y + 1/2, n).
- Prediction intervals come from simulation: coefficients drawn from their estimated normal
  distribution (parameter uncertainty), then counts from Poisson / NB (arrival noise). Quantiles of
  the simulated months and of the simulated annual totals give the 80% and 95% intervals.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SIMULATIONS = 4000
DEFAULT_SEED = 20130415  # fixed: the same history always gives the same forecast
MIN_TREND_MONTHS = 12
MIN_SEASON_MONTHS = 24
OVERDISPERSION_Z = 1.645  # one-sided 5% test of the Cameron-Trivedi regression
LOG_CAP = math.log(1e6)  # no month of one agency receives a million people: keeps exp() finite

MODELS = ("constant", "trend", "seasonal", "trend_seasonal", "gamma_poisson", "none")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def index(self) -> int:
        return self.year * 12 + self.month - 1

    @classmethod
    def of_index(cls, i: int) -> Month:
        return cls(i // 12, i % 12 + 1)

    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass
class Interval:
    mean: float
    lo80: int
    hi80: int
    lo95: int
    hi95: int


@dataclass
class Forecast:
    """Monthly forecasts for `months` (the target year) and the year's total."""

    model: str
    family: str  # poisson | negative_binomial
    observed_months: int
    months: list[Month]
    monthly: list[Interval]
    total: Interval
    totals: np.ndarray  # simulated annual totals, one per simulation (for budgets)
    alpha: float | None = None
    dispersion: float | None = None
    trend_per_year: float | None = None  # multiplicative change per year, e.g. 1.05 = +5%
    notes: list[str] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return self.model != "none"


def interval(samples: np.ndarray) -> Interval:
    """Mean and equal-tailed 80% and 95% intervals of integer samples (inverted CDF: whole people)."""
    q = np.quantile(samples, [0.025, 0.10, 0.90, 0.975], method="inverted_cdf")
    return Interval(float(np.mean(samples)), int(q[1]), int(q[2]), int(q[0]), int(q[3]))


def _design(t_years: np.ndarray, months: np.ndarray, *, trend: bool, seasonal: bool) -> np.ndarray:
    columns = [np.ones_like(t_years)]
    if trend:
        columns.append(t_years)
    if seasonal:
        columns.extend((months == m).astype(float) for m in range(2, 13))  # January is the reference
    return np.column_stack(columns)


@dataclass
class _Fit:
    name: str
    trend: bool
    seasonal: bool
    params: np.ndarray
    cov: np.ndarray
    aic: float
    mu: np.ndarray


def _glm(y: np.ndarray, x: np.ndarray, family: Any) -> Any:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        try:
            result = sm.GLM(y, x, family=family).fit()
        except (ConvergenceWarning, PerfectSeparationWarning, ValueError, np.linalg.LinAlgError):
            return None
    params = np.asarray(result.params)
    cov = np.asarray(result.cov_params())
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(cov))):
        return None
    return result


def _candidates(n: int) -> list[tuple[str, bool, bool]]:
    out = [("constant", False, False)]
    if n >= MIN_TREND_MONTHS:
        out.append(("trend", True, False))
    if n >= MIN_SEASON_MONTHS:
        out += [("seasonal", False, True), ("trend_seasonal", True, True)]
    return out


def _overdispersion_alpha(y: np.ndarray, mu: np.ndarray) -> tuple[float, float]:
    """Cameron-Trivedi: regress ((y - mu)^2 - y) / mu on mu without intercept; (alpha, z statistic)."""
    z = ((y - mu) ** 2 - y) / mu
    alpha = float(np.sum(z * mu) / np.sum(mu**2))
    resid = z - alpha * mu
    dof = max(len(y) - 1, 1)
    se = math.sqrt(float(np.sum(resid**2)) / dof / float(np.sum(mu**2)))
    return alpha, (alpha / se if se > 0 else 0.0)


def forecast_intake(history: dict[Month, int | None], target_year: int, *, simulations: int = SIMULATIONS,
                    seed: int = DEFAULT_SEED) -> Forecast:
    """Forecast every month of `target_year` from the monthly counts in `history` (None = not known).

    The forecast horizon runs from the month after the last known month to December of the target
    year, so the months still to come this year are simulated too.
    """
    import statsmodels.api as sm

    known = sorted((m, c) for m, c in history.items() if c is not None)
    target = [Month(target_year, m) for m in range(1, 13)]
    if not known:
        return _unavailable(target, "no_history")
    first = known[0][0].index()
    last = known[-1][0].index()
    if target[-1].index() <= last:
        return _unavailable(target, "target_not_after_history")
    idx = np.array([m.index() - first for m, _ in known], dtype=float)
    y = np.array([c for _, c in known], dtype=float)
    month_of = np.array([m.month for m, _ in known])
    horizon = np.arange(last + 1 - first, target[-1].index() + 1 - first, dtype=float)
    horizon_months = np.array([Month.of_index(int(i) + first).month for i in horizon])
    centre = float(idx.mean())
    t_obs, t_future = (idx - centre) / 12.0, (horizon - centre) / 12.0
    rng = np.random.default_rng(seed)
    n = len(y)

    fits: list[_Fit] = []
    if n >= MIN_TREND_MONTHS and y.sum() > 0:
        for name, trend, seasonal in _candidates(n):
            x = _design(t_obs, month_of, trend=trend, seasonal=seasonal)
            result = _glm(y, x, sm.families.Poisson())
            if result is not None:
                k = x.shape[1]
                # AICc: AIC with the small-sample correction, so that 12 month effects need real evidence.
                aicc = float(result.aic) + (2 * k * (k + 1) / (n - k - 1) if n - k - 1 > 0 else math.inf)
                fits.append(_Fit(name, trend, seasonal, np.asarray(result.params), np.asarray(result.cov_params()),
                                 aicc, np.asarray(result.fittedvalues)))
    if not fits:
        return _gamma_poisson(y, target, horizon, first, rng, simulations,
                              note="short_history" if n < MIN_TREND_MONTHS else "no_glm")

    best = min(fits, key=lambda f: f.aic)
    family, alpha_used, notes = "poisson", None, []
    x_obs = _design(t_obs, month_of, trend=best.trend, seasonal=best.seasonal)
    dispersion = float(np.sum((y - best.mu) ** 2 / best.mu) / max(n - len(best.params), 1))
    alpha, z = _overdispersion_alpha(y, best.mu)
    params, cov = best.params, best.cov
    if alpha > 0 and z > OVERDISPERSION_Z:
        result = _glm(y, x_obs, sm.families.NegativeBinomial(alpha=alpha))
        if result is not None:
            family, alpha_used = "negative_binomial", alpha
            params, cov = np.asarray(result.params), np.asarray(result.cov_params())
        else:
            notes.append("nb_failed")

    x_future = _design(t_future, horizon_months, trend=best.trend, seasonal=best.seasonal)
    draws = rng.multivariate_normal(params, cov, size=simulations, method="svd")
    log_mu = np.clip(draws @ x_future.T, -30.0, LOG_CAP)
    mu = np.exp(log_mu)
    if alpha_used:
        mu = rng.gamma(shape=1.0 / alpha_used, scale=alpha_used * mu)
    counts = rng.poisson(mu)
    return _summarise(best.name, family, n, target, counts, horizon, first, alpha=alpha_used, dispersion=dispersion,
                      trend=math.exp(params[1]) if best.trend else None, notes=notes)


def _gamma_poisson(y: np.ndarray, target: list[Month], horizon: np.ndarray, first: int, rng: np.random.Generator,
                   simulations: int, *, note: str) -> Forecast:
    # Jeffreys prior on a constant Poisson rate: posterior Gamma(sum + 1/2, rate n).
    rate = rng.gamma(shape=float(y.sum()) + 0.5, scale=1.0 / len(y), size=(simulations, 1))
    counts = rng.poisson(np.broadcast_to(rate, (simulations, len(horizon))))
    return _summarise("gamma_poisson", "poisson", len(y), target, counts, horizon, first, notes=[note])


def _summarise(model: str, family: str, n: int, target: list[Month], counts: np.ndarray, horizon: np.ndarray,
               first: int, *, alpha: float | None = None, dispersion: float | None = None,
               trend: float | None = None, notes: list[str] | None = None) -> Forecast:
    # Only the target year's months are reported; earlier horizon months (the rest of this year)
    # were simulated so that the uncertainty grows with the distance, as it should.
    positions = [int(np.flatnonzero(horizon + first == m.index())[0]) for m in target]
    year_counts = counts[:, positions]
    totals = year_counts.sum(axis=1)
    return Forecast(model=model, family=family, observed_months=n, months=target,
                    monthly=[interval(year_counts[:, j]) for j in range(12)], total=interval(totals),
                    totals=totals, alpha=alpha, dispersion=dispersion, trend_per_year=trend, notes=notes or [])


def _unavailable(target: list[Month], note: str) -> Forecast:
    empty = Interval(0.0, 0, 0, 0, 0)
    return Forecast(model="none", family="poisson", observed_months=0, months=target, monthly=[empty] * 12,
                    total=empty, totals=np.zeros(0, dtype=np.int64), notes=[note])
