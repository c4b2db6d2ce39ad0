"""Recurrent cells written from their equations with ``keras.ops`` only.

Every cell follows the Keras 3 cell contract (``state_size``, ``output_size``,
``call(inputs, states)`` returning ``(output, new_states)``), so it runs inside
``keras.layers.RNN`` with sequences, states, statefulness, masking, stacking and
``keras.layers.Bidirectional``. Weights are created in the same order and with the
same shapes as the Keras built-in cells, so ``custom.set_weights(builtin.get_weights())``
gives the same outputs up to float32 round-off:

==========================  ==========================================
cell                        built-in with the same weights
==========================  ==========================================
``ElmanCell``               ``keras.layers.SimpleRNN``
``SimpleRecurrentCell``     ``keras.layers.SimpleRNN``
``LSTMCell``                ``keras.layers.LSTM``
``GRUCell``                 ``keras.layers.GRU`` (same ``reset_after``)
``EchoStateCell``           ``keras.layers.SimpleRNN`` (with ``leak=1``)
==========================  ==========================================

``EchoStateCell`` is the odd one out: its weights are drawn once (a sparse random ``W`` scaled
to a chosen spectral radius) and never trained; see :mod:`rnnbook.cells.echo_state`.

Notation: ``x`` is the input at one step, ``h`` the hidden state, ``U`` the input
kernel (``kernel``), ``W`` the recurrent kernel (``recurrent_kernel``), ``b`` the bias.
Gates are stacked along the last axis of ``U``, ``W`` and ``b`` in Keras' order.

The cells take Keras' own cell arguments with Keras' meaning: regularizers and constraints
of ``kernel``, ``recurrent_kernel`` and ``bias``, and ``dropout`` (on the inputs) and
``recurrent_dropout`` (on the recurrent connections, i.e. on :math:`h_{t-1}` where it
enters the products with ``W``; the state itself is carried undropped). Both are the
variational dropout of Gal & Ghahramani (2016): one mask per sequence, drawn at its first
step and reused at every step, active only in training.
"""

from rnnbook.cells.echo_state import EchoStateCell
from rnnbook.cells.gru import GRUCell
from rnnbook.cells.lstm import LSTMCell
from rnnbook.cells.simple import ElmanCell, SimpleRecurrentCell

__all__ = ["EchoStateCell", "ElmanCell", "GRUCell", "LSTMCell", "SimpleRecurrentCell"]
