"""Error measures used across the book."""

import numbers

import numpy as np

__all__ = ["nmse"]


def nmse(y_true, y_pred, variance=None):
    """Normalised mean squared error: ``mean((y_true - y_pred)**2) / variance``.

    ``variance`` defaults to the (population) variance of ``y_true``, so predicting the
    mean of the targets scores 1 and a perfect prediction 0. Pass another variance to
    follow a benchmark's convention (the sunspot literature divides by the variance of
    the whole record, for example).
    """
    y_true = np.asarray(y_true, dtype=float)
    y_pred = np.asarray(y_pred, dtype=float)
    if y_true.size == 0:
        raise ValueError("y_true must not be empty")
    if y_true.shape != y_pred.shape:
        if y_true.size == y_pred.size and y_true.squeeze().shape == y_pred.squeeze().shape:
            y_true, y_pred = y_true.squeeze(), y_pred.squeeze()
        else:
            raise ValueError(
                f"y_true and y_pred must have the same shape, got {y_true.shape} and {y_pred.shape}"
            )
    if variance is None:
        variance = float(np.var(y_true))
    elif isinstance(variance, bool) or not isinstance(variance, numbers.Real):
        raise TypeError(f"variance must be a positive number, got {variance!r}")
    if not variance > 0:
        raise ValueError(f"variance must be positive, got {variance}")
    return float(np.mean((y_true - y_pred) ** 2) / variance)
