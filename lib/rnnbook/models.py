"""Small model builders shared by the notebooks."""

import numbers

import keras
import numpy as np

from rnnbook import checks

__all__ = ["iterated_forecast", "sequence_regressor", "time_delay_network"]


def time_delay_network(n_inputs=5, n_hidden=4, name="time_delay_network"):
    """The time-delay network of notebook 01: ``n_inputs`` lagged values, one hidden layer
    of ``n_hidden`` tanh units, one linear output; ``(n_inputs + 1) n_hidden + n_hidden + 1``
    weights (29 for the 5-4-1 net)."""
    n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
    n_hidden = checks.integer("n_hidden", n_hidden, minimum=1)
    return keras.Sequential(
        [
            keras.Input((n_inputs,)),
            keras.layers.Dense(n_hidden, activation="tanh"),
            keras.layers.Dense(1),
        ],
        name=name,
    )


def sequence_regressor(make_cell, units, n_inputs=1, n_outputs=1, name=None):
    """Stacked recurrent layers with a linear output at every step.

    ``make_cell(m)`` builds a cell of ``m`` units (e.g. ``LSTMCell`` or
    ``lambda m: GRUCell(m, reset_after=False)``); ``units`` lists the layer sizes bottom
    to top, e.g. ``[5, 3]``. Input shape ``(batch, time, n_inputs)``, output
    ``(batch, time, n_outputs)``.
    """
    if isinstance(units, (numbers.Integral, str)) or not hasattr(units, "__iter__"):
        units = [units]
    units = [checks.integer("each entry of units", m, minimum=1) for m in units]
    if not units:
        raise ValueError("units must be a non-empty list of positive ints, got []")
    n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
    n_outputs = checks.integer("n_outputs", n_outputs, minimum=1)
    layers = [keras.Input((None, n_inputs))]
    layers += [keras.layers.RNN(make_cell(m), return_sequences=True) for m in units]
    layers.append(keras.layers.Dense(n_outputs))
    return keras.Sequential(layers, name=name)


def iterated_forecast(predict, history, lags, horizon):
    """Predict ``horizon`` steps ahead by feeding predictions back as inputs.

    ``predict`` maps an array of lagged inputs, shape ``(n, len(lags))`` with columns in the
    order of ``lags`` (``x(t - lag)``), to ``n`` predictions of ``x(t)`` (a Keras model's
    ``predict``, or any function). ``history`` holds the known values up to ``t - 1``, at
    least ``max(lags)`` of them: one series (1-D), or one row per series to forecast from
    several origins at once (2-D). Step ``k`` uses the true values where they are known and
    the predictions of steps before ``k`` where they are not. Returns the predictions, shape
    ``(horizon,)`` or ``(rows, horizon)``.
    """
    if not callable(predict):
        raise TypeError(
            f"predict must be a function of the lagged inputs, got {type(predict).__name__}"
        )
    values = checks.array("history", history, ndim=(1, 2), dtype=float)
    single = values.ndim == 1
    values = values[None] if single else values
    lags = [checks.integer("each lag", lag, minimum=1) for lag in lags]
    if not lags:
        raise ValueError("lags must not be empty")
    horizon = checks.integer("horizon", horizon, minimum=1)
    if values.shape[1] < max(lags):
        raise ValueError(
            f"history has {values.shape[1]} values, fewer than the largest lag {max(lags)}"
        )
    for _ in range(horizon):
        inputs = np.stack([values[:, -lag] for lag in lags], axis=1).astype("float32")
        predicted = np.ravel(np.asarray(predict(inputs), dtype=float))
        if predicted.shape != (len(values),):
            raise ValueError(
                f"predict returned {predicted.size} values for {len(values)} rows of inputs"
            )
        values = np.concatenate([values, predicted[:, None]], axis=1)
    forecast = values[:, -horizon:]
    return forecast[0] if single else forecast
