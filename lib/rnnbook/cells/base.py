"""What every cell of :mod:`rnnbook.cells` shares: Keras' cell contract, weights created as the
Keras built-ins create them, their arguments (regularizers, constraints, dropout) and the
checks of their states."""

import keras
from keras import ops
from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell

from rnnbook import checks

__all__ = ["_RecurrentCell"]


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
