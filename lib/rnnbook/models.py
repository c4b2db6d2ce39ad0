"""Small model builders shared by the notebooks."""

import numbers

import keras

from rnnbook import checks

__all__ = ["sequence_regressor"]


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
