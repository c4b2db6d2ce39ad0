"""Time series: the yearly sunspot numbers (shipped), the Mackey-Glass series (integrated
here) and the lagged windows a time-delay network reads."""

import numbers

import numpy as np
import pandas as pd

from rnnbook import checks
from rnnbook.data.files import data_file

__all__ = ["lagged_windows", "load_sunspots", "mackey_glass"]


def load_sunspots():
    """Yearly mean sunspot numbers 1700-2008 as a float Series indexed by year.

    Source and licence: ``data/README.md`` (NOAA NGDC via statsmodels, public domain).
    The file is checked against its recorded SHA-256 first.
    """
    table = pd.read_csv(data_file("sunspots_yearly.csv"))
    series = pd.Series(
        table["SUNACTIVITY"].to_numpy(dtype=float),
        index=pd.Index(table["YEAR"].astype(int), name="year"),
        name="sunspots",
    )
    return series


def mackey_glass(
    length, tau=17, step=0.1, sample=1.0, discard=1000, initial=1.2, beta=0.2, gamma=0.1, power=10
):
    """The Mackey-Glass series (Mackey & Glass 1977), ``length`` values sampled every ``sample``.

    Integrates the delay differential equation

    .. math:: \\frac{dx}{dt} = \\beta \\frac{x(t-\\tau)}{1 + x(t-\\tau)^{n}} - \\gamma x(t)

    with the classical Runge-Kutta method of step ``step`` (the delayed value at a half step is
    the mean of its neighbours), from the constant history ``x = initial``; the first
    ``discard`` samples (the transient) are dropped. With ``tau = 17`` the series is chaotic,
    the benchmark of Jaeger & Haas (2004). Deterministic: no random numbers.

    Returns a float64 NumPy array of shape ``(length,)``.
    """
    length = checks.integer("length", length, minimum=1)
    tau = checks.real("tau", tau, positive=True)
    step = checks.real("step", step, positive=True)
    sample = checks.real("sample", sample, positive=True)
    discard = checks.integer("discard", discard, minimum=0)
    initial = checks.real("initial", initial, positive=True)
    beta = checks.real("beta", beta, positive=True)
    gamma = checks.real("gamma", gamma, positive=True)
    power = checks.real("power", power, positive=True)
    per_sample = sample / step
    lag = tau / step
    if abs(per_sample - round(per_sample)) > 1e-9 or abs(lag - round(lag)) > 1e-9:
        raise ValueError(
            f"sample and tau must be whole multiples of step, got sample={sample}, tau={tau}, "
            f"step={step}"
        )
    per_sample, lag = round(per_sample), round(lag)
    total = (length + discard) * per_sample
    checks.allocation("length", (total + lag + 1,), dtype="float64")
    x = np.empty(total + lag + 1)
    x[: lag + 1] = initial

    def slope(now, delayed):
        return beta * delayed / (1.0 + delayed**power) - gamma * now

    for i in range(lag, lag + total):
        before, after = x[i - lag], x[i - lag + 1]
        middle = 0.5 * (before + after)
        k1 = slope(x[i], before)
        k2 = slope(x[i] + 0.5 * step * k1, middle)
        k3 = slope(x[i] + 0.5 * step * k2, middle)
        k4 = slope(x[i] + step * k3, after)
        x[i + 1] = x[i] + step / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
    return x[lag::per_sample][discard : discard + length].copy()


def lagged_windows(series, lags):
    """Inputs ``x(t - lag)`` for each lag and target ``x(t)``, one row per usable ``t``.

    Args:
        series: a 1-D pandas Series (its index labels the rows) or array-like.
        lags: positive ints, e.g. ``[1, 2, 3, 6, 12]``.

    Returns:
        ``(X, y)``: a DataFrame with one column ``"x(t-k)"`` per lag and the Series of
        targets, both indexed by the index label of ``t``. The first ``max(lags)``
        values have no complete window and give no row.
    """
    if isinstance(lags, (str, bytes)) or not hasattr(lags, "__iter__"):
        raise TypeError(f"lags must be a list of positive ints, got {lags!r}")
    lags = list(lags)
    if not lags:
        raise ValueError("lags must not be empty: give at least one positive int")
    for lag in lags:
        if isinstance(lag, (bool, np.bool_)) or not isinstance(lag, numbers.Integral) or lag < 1:
            raise ValueError(f"lags must be positive ints, got {lag!r} in {lags}")
    lags = [int(lag) for lag in lags]
    if len(set(lags)) != len(lags):
        raise ValueError(f"lags must not repeat, got {lags}")
    if not isinstance(series, pd.Series):
        series = pd.Series(checks.array("series", series, ndim=1, dtype=float))
    else:
        checks.array("series", series.to_numpy(), ndim=1, dtype=float)
        _check_evenly_indexed(series)
    largest = max(lags)
    if len(series) <= largest:
        raise ValueError(
            f"series has {len(series)} values, too short for the largest lag {largest}: "
            f"it needs at least {largest + 1}"
        )
    values = series.to_numpy(dtype=float)
    rows = np.arange(largest, len(values))
    index = series.index[rows]
    X = pd.DataFrame({f"x(t-{lag})": values[rows - lag] for lag in lags}, index=index)
    y = pd.Series(values[rows], index=index, name="x(t)")
    return X, y


def _check_evenly_indexed(series):
    """Windows are built by position, so the labels must step evenly: consecutive integers
    (years) or a regular date range, in order, without gaps or repeats."""
    index = series.index
    if isinstance(index, pd.RangeIndex) or len(index) < 2:
        return
    if not index.is_unique or not index.is_monotonic_increasing:
        raise ValueError(
            "series index must be increasing without repeats (sort it, drop duplicates)"
        )
    if pd.api.types.is_integer_dtype(index):
        steps = np.diff(index.to_numpy())
        if np.any(steps != 1):
            at = int(np.flatnonzero(steps != 1)[0])
            raise ValueError(
                f"series index must be consecutive (one value per step), but it jumps from "
                f"{index[at]} to {index[at + 1]}: fill or interpolate the gap first"
            )
    elif isinstance(index, pd.DatetimeIndex) and pd.infer_freq(index) is None and len(index) > 2:
        raise ValueError("series index must be a regular date range (no gaps): resample it first")
