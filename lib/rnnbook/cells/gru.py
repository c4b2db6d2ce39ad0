"""The GRU cell (Cho et al. 2014), in both of Keras' variants (``reset_after``)."""

import keras
from keras import ops

from rnnbook import checks
from rnnbook.cells.base import _keras_object, _RecurrentCell

__all__ = ["GRUCell"]


@keras.saving.register_keras_serializable(package="rnnbook")
class GRUCell(_RecurrentCell):
    r"""Gated recurrent unit (Cho et al. 2014), in both of Keras' forms.

    .. math::
        z &= \sigma(x U^z + h_{t-1} W^z + b^z), \qquad r = \sigma(x U^r + h_{t-1} W^r + b^r) \\
        \tilde h &= \tanh(x U^h + (r \odot h_{t-1}) W^h + b^h)
            \quad\text{(``reset_after=False``, the 2014 form)} \\
        \tilde h &= \tanh(x U^h + b^h + r \odot (h_{t-1} W^h + \hat b^h))
            \quad\text{(``reset_after=True``, the cuDNN form)} \\
        h_t &= (1 - z) \odot \tilde h + z \odot h_{t-1}

    Blocks are stacked in Keras' order ``z, r, h``. With ``reset_after=True`` the bias
    has shape ``(2, 3 * units)``: row 0 is added to ``x U``, row 1 to ``h W``.

    Args: as :class:`SimpleRecurrentCell`, plus
        recurrent_activation: :math:`\sigma`, default ``"sigmoid"``.
        reset_after: where the reset gate acts (see above), default True as in Keras.
    """

    gates = 3

    def __init__(self, units, recurrent_activation="sigmoid", reset_after=True, **kwargs):
        super().__init__(units, **kwargs)
        self.recurrent_activation = _keras_object(
            keras.activations.get, "recurrent_activation", recurrent_activation
        )
        self.reset_after = checks.boolean("reset_after", reset_after)

    def _bias_shape(self):
        width = 3 * self.units
        return (2, width) if self.reset_after else (width,)

    def _input_part(self, x):
        z = ops.matmul(x, self.kernel)
        if self.use_bias:
            z = z + (self.bias[0] if self.reset_after else self.bias)
        return z

    def call(self, inputs, states, training=False):
        (h_prev,) = self._states(inputs, states, 1)
        h_seen = self._dropped_state(h_prev, training)  # h_{t-1} where it meets W
        x_z, x_r, x_h = ops.split(
            self._input_part(self._dropped_input(inputs, training)), 3, axis=-1
        )
        if self.reset_after:
            recurrent = ops.matmul(h_seen, self.recurrent_kernel)
            if self.use_bias:
                recurrent = recurrent + self.bias[1]
            h_z, h_r, h_h = ops.split(recurrent, 3, axis=-1)
            z = self.recurrent_activation(x_z + h_z)
            r = self.recurrent_activation(x_r + h_r)
            candidate = self.activation(x_h + r * h_h)
        else:
            W_z, W_r, W_h = ops.split(self.recurrent_kernel, 3, axis=-1)
            z = self.recurrent_activation(x_z + ops.matmul(h_seen, W_z))
            r = self.recurrent_activation(x_r + ops.matmul(h_seen, W_r))
            candidate = self.activation(x_h + ops.matmul(r * h_seen, W_h))
        h = (1.0 - z) * candidate + z * h_prev
        return h, [h]

    def get_config(self):
        return {
            **super().get_config(),
            "recurrent_activation": keras.activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }
