"""Data sets of the book, all offline: shipped in ``data/`` or generated from a seed.

``data/`` sits at the root of the repository; set ``RNNBOOK_DATA_DIR`` to read it from
elsewhere (for example after a non-editable install).
"""

import numbers
import os
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["data_dir", "lagged_windows", "load_sunspots"]


def data_dir():
    """The folder holding the book's data files."""
    override = os.environ.get("RNNBOOK_DATA_DIR")
    folder = Path(override) if override else Path(__file__).resolve().parents[2] / "data"
    if not folder.is_dir():
        raise FileNotFoundError(
            f"the book's data folder {folder} does not exist: run from a clone of the "
            "repository (pip install -e .) or set RNNBOOK_DATA_DIR to its data/ folder"
        )
    return folder


def load_sunspots():
    """Yearly mean sunspot numbers 1700-2008 as a float Series indexed by year.

    Source and licence: ``data/README.md`` (NOAA NGDC via statsmodels, public domain).
    """
    table = pd.read_csv(data_dir() / "sunspots_yearly.csv")
    series = pd.Series(
        table["SUNACTIVITY"].to_numpy(dtype=float),
        index=pd.Index(table["YEAR"].astype(int), name="year"),
        name="sunspots",
    )
    return series


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
        if isinstance(lag, bool) or not isinstance(lag, numbers.Integral) or lag < 1:
            raise ValueError(f"lags must be positive ints, got {lag!r} in {lags}")
    if len(set(lags)) != len(lags):
        raise ValueError(f"lags must not repeat, got {lags}")
    if not isinstance(series, pd.Series):
        values = np.asarray(series, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"series must be 1-D, got shape {values.shape}")
        series = pd.Series(values)
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
