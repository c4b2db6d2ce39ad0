"""Error measures used across the book."""

import numpy as np
import pandas as pd

from rnnbook import checks

__all__ = ["nmse", "nmse_by_period"]


def nmse(y_true, y_pred, variance=None):
    """Normalised mean squared error: ``mean((y_true - y_pred)**2) / variance``.

    ``variance`` defaults to the (population) variance of ``y_true``, so predicting the
    mean of the targets scores 1 and a perfect prediction 0. Pass another variance to
    follow a benchmark's convention (the sunspot literature divides by the variance of
    the whole record, for example). Two pandas objects are compared by position only if
    their indexes are equal; misaligned ones are an error, not a silent shift.
    """
    pandas = (pd.Series, pd.DataFrame)
    for name, values in (("y_true", y_true), ("y_pred", y_pred)):
        if values is None or isinstance(values, (str, bytes)):
            raise TypeError(f"{name} must be an array of numbers, got {checks.shown(values)}")
    if (
        isinstance(y_true, pandas)
        and isinstance(y_pred, pandas)
        and not y_true.index.equals(y_pred.index)
    ):
        raise ValueError(
            "y_true and y_pred have different indexes: align them first "
            "(e.g. y_pred = y_pred.reindex(y_true.index)) so each prediction meets its target"
        )
    y_true = checks.array("y_true", y_true, dtype=float)
    y_pred = checks.array("y_pred", y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        if y_true.size == y_pred.size and y_true.squeeze().shape == y_pred.squeeze().shape:
            y_true, y_pred = y_true.squeeze(), y_pred.squeeze()
        else:
            raise ValueError(
                f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}"
            )
    if variance is None:
        variance = float(np.var(y_true))
        if not variance > 0:
            raise ValueError(
                "variance of y_true is 0 (constant targets): pass the variance to divide by"
            )
    variance = checks.real("variance", variance, positive=True)
    return float(np.mean((y_true - y_pred) ** 2) / variance)


def nmse_by_period(y_true, y_pred, periods, variance=None):
    """:func:`nmse` on each period of two pandas Series indexed alike (e.g. by year).

    ``periods`` maps a name to ``(first, last)`` index labels, both included, e.g.
    ``{"test 1921-1955": (1921, 1955)}``. Returns ``{name: NMSE}``.
    """
    pandas = (pd.Series, pd.DataFrame)
    if not isinstance(y_true, pandas) or not isinstance(y_pred, pandas):
        raise TypeError(
            "y_true and y_pred must be pandas Series indexed by time (the periods select labels), "
            f"got {type(y_true).__name__} and {type(y_pred).__name__}"
        )
    if not isinstance(periods, dict) or not periods:
        error = ValueError if isinstance(periods, dict) else TypeError
        raise error(
            f"periods must map names to (first, last) labels, got {checks.shown(periods, 80)}"
        )
    for name, bounds in periods.items():
        if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
            raise ValueError(f"period {name!r} must be (first, last), got {checks.shown(bounds)}")
    if variance is not None:
        variance = checks.real("variance", variance, positive=True)
    scores = {}
    for name, (first, last) in periods.items():
        try:
            chosen = y_true.loc[first:last], y_pred.loc[first:last]
        except (KeyError, TypeError) as error:
            raise ValueError(
                f"period {name!r} ({first!r}, {last!r}) cannot select rows of y_true: {error}"
            ) from None
        if len(chosen[0]) == 0:
            raise ValueError(
                f"period {name!r} ({first!r}, {last!r}) selects no rows of y_true (its index "
                f"runs from {y_true.index.min()} to {y_true.index.max()})"
            )
        try:
            scores[name] = nmse(*chosen, variance)
        except ValueError as error:
            raise ValueError(f"period {name!r} ({first!r}, {last!r}): {error}") from None
    return scores
