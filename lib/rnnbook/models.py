"""Small model builders shared by the notebooks."""

import keras

__all__ = ["sequence_regressor"]


def sequence_regressor(make_cell, units, n_inputs=1, n_outputs=1, name=None):
    """Stacked recurrent layers with a linear output at every step.

    ``make_cell(m)`` builds a cell of ``m`` units (e.g. ``LSTMCell`` or
    ``lambda m: GRUCell(m, reset_after=False)``); ``units`` lists the layer sizes bottom
    to top, e.g. ``[5, 3]``. Input shape ``(batch, time, n_inputs)``, output
    ``(batch, time, n_outputs)``.
    """
    if isinstance(units, int):
        units = [units]
    units = list(units)
    if not units or any(isinstance(m, bool) or not isinstance(m, int) or m < 1 for m in units):
        raise ValueError(f"units must be a non-empty list of positive ints, got {units!r}")
    layers = [keras.Input((None, n_inputs))]
    layers += [keras.layers.RNN(make_cell(m), return_sequences=True) for m in units]
    layers.append(keras.layers.Dense(n_outputs))
    return keras.Sequential(layers, name=name)
