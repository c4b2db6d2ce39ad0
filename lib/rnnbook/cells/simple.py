"""The simple recurrent cells: Elman's (1990) and the general one, :math:`h_t = g(x_t U + h_{t-1} W + b)`."""

import keras
from keras import ops

from rnnbook.cells.base import _RecurrentCell

__all__ = ["ElmanCell", "SimpleRecurrentCell"]


@keras.saving.register_keras_serializable(package="rnnbook")
class SimpleRecurrentCell(_RecurrentCell):
    """General simple recurrent cell: :math:`h_t = g_h(x_t U + h_{t-1} W + b)`.

    The feedback is real: the gradient flows through :math:`h_{t-1}` to every earlier
    step, which is what backpropagation through time computes.

    Args:
        units: size of the hidden state :math:`h`.
        activation: :math:`g_h`, default ``"tanh"``.
        use_bias: whether to add :math:`b`.
        kernel_initializer, recurrent_initializer, bias_initializer: initialisers of
            ``U`` (``kernel``), ``W`` (``recurrent_kernel``) and ``b`` (``bias``).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: their regularizers.
        kernel_constraint, recurrent_constraint, bias_constraint: their constraints.
        dropout: fraction of the input units dropped in training, in [0, 1).
        recurrent_dropout: fraction of the units of :math:`h_{t-1}` dropped where it meets
            ``W``, in training, in [0, 1). Masks are drawn once per sequence.
        seed: seed of the dropout masks (an int), or None.
    """

    def call(self, inputs, states, training=False):
        (h_prev,) = self._states(inputs, states, 1)
        h_prev = self._dropped_state(h_prev, training)
        x = self._dropped_input(inputs, training)
        h = self.activation(self._input_part(x) + ops.matmul(h_prev, self.recurrent_kernel))
        return h, [h]


@keras.saving.register_keras_serializable(package="rnnbook")
class ElmanCell(_RecurrentCell):
    """Elman (1990) cell: :math:`h_t = g_h(x_t U + c_t W + b)` with context :math:`c_t = h_{t-1}`.

    The context is a *copy* of the previous hidden state: no gradient flows through
    it, so a gradient step sees one time step only (the gradient of :math:`h_t` with
    respect to any earlier input is exactly zero). The forward pass is that of
    ``keras.layers.SimpleRNN``.

    Args: as :class:`SimpleRecurrentCell`.
    """

    def call(self, inputs, states, training=False):
        (h_prev,) = self._states(inputs, states, 1)
        c = self._dropped_state(ops.stop_gradient(h_prev), training)
        x = self._dropped_input(inputs, training)
        h = self.activation(self._input_part(x) + ops.matmul(c, self.recurrent_kernel))
        return h, [h]
