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
==========================  ==========================================

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

import keras
from keras import ops

# The mixin Keras' own cells use: ``keras.layers.RNN`` draws its masks once per call (one
# per sequence) and clears them afterwards, but only for cells that are instances of it.
# Keras does not export it, so it is imported from where Keras 3 keeps it.
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

from rnnbook import checks

__all__ = ["ElmanCell", "GRUCell", "LSTMCell", "SimpleRecurrentCell"]


def _static_shape(x):
    """The shape of ``x`` as a tuple, with ``None`` for a size not known when traced (only
    static sizes are compared: nothing is computed at run time, and ``jit`` traces it)."""
    return tuple(d if isinstance(d, int) else None for d in ops.shape(x))


def _keras_object(get, name, value):
    """``get(value)`` (``keras.activations.get`` and its kin), an unknown one refused naming
    the argument."""
    try:
        return get(value)
    except (TypeError, ValueError) as error:
        kind = ValueError if isinstance(value, str) else TypeError
        where = "keras." + get.__module__.split(".")[-1]
        raise kind(
            f"{name} must be a name or an object of {where}, got {value!r} ({error})"
        ) from None


def _rate(name, value):
    rate = checks.real(name, value, minimum=0.0)
    if rate >= 1.0:
        raise ValueError(f"{name} must be a fraction in [0, 1), got {value!r}")
    return rate


class _RecurrentCell(DropoutRNNCell, keras.layers.Layer):
    """Shared arguments and weights of the cells: ``U``, ``W`` and ``b`` for ``gates`` blocks,
    their regularizers and constraints, and the dropout masks.

    Subclasses set ``gates`` (how many ``units``-wide blocks the kernels hold) and
    write ``call`` as their equations, passing the step's input through
    :meth:`_dropped_input` and the previous state through :meth:`_dropped_state` where they
    meet ``U`` and ``W``.
    """

    gates = 1

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = checks.integer("units", units, minimum=1)
        self.kernel_regularizer = _keras_object(
            keras.regularizers.get, "kernel_regularizer", kernel_regularizer
        )
        self.recurrent_regularizer = _keras_object(
            keras.regularizers.get, "recurrent_regularizer", recurrent_regularizer
        )
        self.bias_regularizer = _keras_object(
            keras.regularizers.get, "bias_regularizer", bias_regularizer
        )
        self.kernel_constraint = _keras_object(
            keras.constraints.get, "kernel_constraint", kernel_constraint
        )
        self.recurrent_constraint = _keras_object(
            keras.constraints.get, "recurrent_constraint", recurrent_constraint
        )
        self.bias_constraint = _keras_object(
            keras.constraints.get, "bias_constraint", bias_constraint
        )
        self.dropout = _rate("dropout", dropout)
        self.recurrent_dropout = _rate("recurrent_dropout", recurrent_dropout)
        if seed is not None:
            seed = checks.integer("seed", seed, minimum=0)
        self.seed = seed
        # Only a cell that drops anything gets a generator: creating one draws a seed from the
        # global random state, which would change every later initialisation under a fixed seed.
        self.seed_generator = None
        if self.dropout > 0 or self.recurrent_dropout > 0:
            self.seed_generator = keras.random.SeedGenerator(seed)
        self.activation = _keras_object(keras.activations.get, "activation", activation)
        self.use_bias = checks.boolean("use_bias", use_bias)
        self.kernel_initializer = _keras_object(
            keras.initializers.get, "kernel_initializer", kernel_initializer
        )
        self.recurrent_initializer = _keras_object(
            keras.initializers.get, "recurrent_initializer", recurrent_initializer
        )
        self.bias_initializer = _keras_object(
            keras.initializers.get, "bias_initializer", bias_initializer
        )
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                f"{type(self).__name__} reads one time step of shape (batch, features) "
                f"with features known, got {tuple(input_shape)}: to run it over sequences, "
                "call the keras.layers.RNN layer that holds it, or wrap it in one"
            )
        width = self.gates * self.units
        checks.allocation("units", (input_shape[-1] + self.units, width))
        self.kernel = self.add_weight(
            shape=(input_shape[-1], width),
            name="kernel",
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width),
            name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(),
                name="bias",
                initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _states(self, inputs, states, count):
        """The ``count`` state tensors of ``states`` (a list or tuple; one state may also come
        bare), after refusing, with a ValueError naming ``states``, the wrong number of them
        or one that is not ``(batch, units)`` with the batch of ``inputs``; and ``inputs``
        whose features are not those the cell was built for."""
        name = type(self).__name__
        if count == 1 and not isinstance(states, (list, tuple)):
            states = [states]
        if not isinstance(states, (list, tuple)) or len(states) != count:
            got = f"{len(states)}" if isinstance(states, (list, tuple)) else "a bare tensor"
            wanted = "[h, c]" if count == 2 else "[h]"
            raise ValueError(
                f"states of {name} must be a list of {count} tensor(s), {wanted}, each of shape "
                f"(batch, {self.units}), got {got}"
            )
        batch, features = (_static_shape(inputs) + (None, None))[:2]
        if self.built and features is not None and features != self.kernel.shape[0]:
            raise ValueError(
                f"inputs of {name} must have {self.kernel.shape[0]} feature(s), the number it "
                f"was built for, got shape {_static_shape(inputs)}"
            )
        for index, state in enumerate(states):
            if state is None or not hasattr(state, "shape"):
                raise TypeError(
                    f"states[{index}] of {name} must be a tensor of shape (batch, {self.units}), "
                    f"got {type(state).__name__}"
                )
            shape = _static_shape(state)
            if (
                len(shape) != 2
                or shape[1] not in (None, self.units)
                or (None not in (batch, shape[0]) and shape[0] != batch)
            ):
                raise ValueError(
                    f"states[{index}] of {name} must have shape (batch, units) = "
                    f"({batch}, {self.units}), got {shape}"
                )
        return list(states)

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def _dropped_input(self, x, training):
        """The step's input with the sequence's dropout mask applied (in training only)."""
        if training and self.dropout > 0:
            return x * self.get_dropout_mask(x)
        return x

    def _dropped_state(self, h, training):
        """The previous state as it enters ``h W``, with the recurrent dropout mask applied
        (in training only)."""
        if training and self.recurrent_dropout > 0:
            return h * self.get_recurrent_dropout_mask(h)
        return h

    def _input_part(self, x):
        """x U + b: the input's contribution to every block."""
        z = ops.matmul(x, self.kernel)
        if self.use_bias:
            z = z + self.bias
        return z

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
            "kernel_regularizer": keras.regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": keras.regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": keras.regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": keras.constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": keras.constraints.serialize(self.recurrent_constraint),
            "bias_constraint": keras.constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


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
