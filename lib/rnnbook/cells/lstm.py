"""The LSTM cell (Hochreiter & Schmidhuber 1997; with forget gates, Gers et al. 2000)."""

import keras
from keras import ops

from rnnbook import checks
from rnnbook.cells.base import _keras_object, _RecurrentCell

__all__ = ["LSTMCell"]


@keras.saving.register_keras_serializable(package="rnnbook")
class LSTMCell(_RecurrentCell):
    r"""Long short-term memory cell (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000).

    .. math::
        i, f, o &= \sigma(x U^{i,f,o} + h_{t-1} W^{i,f,o} + b^{i,f,o}) \\
        \tilde c &= \tanh(x U^c + h_{t-1} W^c + b^c) \\
        c_t &= f \odot c_{t-1} + i \odot \tilde c, \qquad h_t = o \odot \tanh(c_t)

    Blocks are stacked in Keras' order ``i, f, c, o``. The states are ``[h, c]``.

    Args: as :class:`SimpleRecurrentCell`, plus
        recurrent_activation: :math:`\sigma`, default ``"sigmoid"``.
        unit_forget_bias: start the forget-gate bias at 1 (as Keras does), default True.
    """

    gates = 4

    def __init__(self, units, recurrent_activation="sigmoid", unit_forget_bias=True, **kwargs):
        super().__init__(units, **kwargs)
        self.recurrent_activation = _keras_object(
            keras.activations.get, "recurrent_activation", recurrent_activation
        )
        self.unit_forget_bias = checks.boolean("unit_forget_bias", unit_forget_bias)
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        units, base = self.units, self.bias_initializer

        def forget_gate_starts_open(shape, dtype=None):
            return ops.concatenate(
                [
                    base((units,), dtype=dtype),
                    ops.ones((units,), dtype=dtype),
                    base((2 * units,), dtype=dtype),
                ]
            )

        return forget_gate_starts_open

    def call(self, inputs, states, training=False):
        h_prev, c_prev = self._states(inputs, states, 2)
        x = self._dropped_input(inputs, training)
        z = self._input_part(x) + ops.matmul(
            self._dropped_state(h_prev, training), self.recurrent_kernel
        )
        z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
        i = self.recurrent_activation(z_i)
        f = self.recurrent_activation(z_f)
        o = self.recurrent_activation(z_o)
        c = f * c_prev + i * self.activation(z_c)
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }
