"""Small model builders shared by the notebooks."""

import numbers

import keras
import numpy as np

from rnnbook import checks

__all__ = [
    "OneHot",
    "SinusoidalPositions",
    "causal_cnn",
    "causal_transformer",
    "delay_line_lstm_weights",
    "iterated_forecast",
    "receptive_field",
    "sequence_regressor",
    "skip_lstm_language_model",
    "skip_lstm_parameters",
    "time_delay_network",
]


def _cell(make_cell, units, name):
    """``make_cell(units)``, refused unless it is a recurrent cell of ``units`` units."""
    cell = make_cell(units)
    if not (callable(cell) and hasattr(cell, "state_size")):
        raise TypeError(
            f"{name}({units}) must return a recurrent cell (e.g. LSTMCell({units})), got "
            f"{type(cell).__name__}"
        )
    size = getattr(cell, "output_size", None)
    if isinstance(size, numbers.Integral) and size != units:
        raise ValueError(
            f"{name}({units}) returned a cell of {size} units: {name} must build a cell of "
            f"the units it is given (e.g. lambda m: GRUCell(m, reset_after=False))"
        )
    return cell


@keras.saving.register_keras_serializable(package="rnnbook")
class NonEmptySequences(keras.layers.Layer):
    """Passes ``(batch, time, ...)`` inputs on unchanged, refusing a length of 0 where it is
    known when traced (a causal convolution would turn it into one output step)."""

    def call(self, inputs):
        shape = tuple(d if isinstance(d, int) else None for d in keras.ops.shape(inputs))
        if len(shape) < 2 or shape[1] == 0:
            raise ValueError(
                f"inputs must be sequences of shape (batch, time{', features' * (len(shape) != 2)}"
                f") with time >= 1, got shape {shape}"
            )
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


def _known_values(tensor):
    """The values of ``tensor`` as a NumPy array where they are known now (NumPy input, an
    eager tensor), or ``None`` inside a traced function, where they are not."""
    if isinstance(tensor, np.ndarray):
        return tensor
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        eager = tf.executing_eagerly() and hasattr(tensor, "numpy")
        return tensor.numpy() if eager else None
    try:
        return keras.ops.convert_to_numpy(tensor)
    except (NotImplementedError, TypeError, ValueError):  # a tracer (jax.jit)
        return None


def time_delay_network(n_inputs=5, n_hidden=4, name="time_delay_network"):
    """The time-delay network of notebook 01: ``n_inputs`` lagged values, one hidden layer
    of ``n_hidden`` tanh units, one linear output; ``(n_inputs + 1) n_hidden + n_hidden + 1``
    weights (29 for the 5-4-1 net)."""
    n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
    n_hidden = checks.integer("n_hidden", n_hidden, minimum=1)
    checks.allocation("n_hidden", (n_inputs + 1, n_hidden))
    checks.string("name", name, empty=False)
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
    make_cell = checks.function("make_cell", make_cell)
    units = checks.integers("units", units, single=True)
    n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
    n_outputs = checks.integer("n_outputs", n_outputs, minimum=1)
    name = None if name is None else checks.string("name", name, empty=False)
    layers = [keras.Input((None, n_inputs))]
    layers += [
        keras.layers.RNN(_cell(make_cell, m, "make_cell"), return_sequences=True) for m in units
    ]
    layers.append(keras.layers.Dense(n_outputs))
    return keras.Sequential(layers, name=name)


def delay_line_lstm_weights(delay, units=None, scale=0.01, saturation=30.0):
    """Hand-set weights that make an LSTM layer and a linear readout recall the input
    ``delay`` steps back: ``[kernel, recurrent_kernel, bias]`` of an ``LSTM(units)`` on one
    input, then ``[kernel, bias]`` of a ``Dense(1)`` on it (Keras' layout, gates in the order
    i, f, c, o), for ``keras.layers.LSTM`` or the book's ``LSTMCell`` alike.

    The units form a delay line. Every gate is saturated by its bias alone: input and output
    gates open (``+saturation``), forget gates shut (``-saturation``), so each step a unit's
    cell state is just its candidate, ``c_t = tanh(z^c_t)``. Unit 0's candidate reads
    ``scale * x_t``; unit ``j`` reads unit ``j - 1``'s previous output, so unit ``j`` holds the
    input ``j`` steps back; the readout takes unit ``delay`` and divides by ``scale``. Each
    stage squashes twice (``tanh`` of the candidate, ``tanh`` of the cell), which a small
    ``scale`` keeps nearly linear. Needs ``units >= delay + 1`` (default ``delay + 1``); the
    spare units stay at zero.
    """
    delay = checks.integer("delay", delay, minimum=1)
    units = delay + 1 if units is None else checks.integer("units", units, minimum=1)
    if units < delay + 1:
        raise ValueError(
            f"units must be at least delay + 1 = {delay + 1} (one unit per step held), got {units}"
        )
    scale = checks.real("scale", scale, positive=True)
    saturation = checks.real("saturation", saturation, positive=True)
    checks.allocation("units (delay + 1 by default)", (units, 4 * units))
    i, f, c, o = (slice(k * units, (k + 1) * units) for k in range(4))
    kernel = np.zeros((1, 4 * units), "float32")
    recurrent = np.zeros((units, 4 * units), "float32")
    bias = np.zeros(4 * units, "float32")
    bias[i], bias[f], bias[o] = saturation, -saturation, saturation
    kernel[0, c.start] = scale  # unit 0 writes the current input
    for j in range(1, delay + 1):
        recurrent[j - 1, c.start + j] = 1.0  # unit j writes what unit j - 1 showed one step ago
    readout = np.zeros((units, 1), "float32")
    readout[delay, 0] = 1.0 / scale
    return [kernel, recurrent, bias, readout, np.zeros(1, "float32")]


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
    predict = checks.function("predict", predict)
    values = checks.array("history", history, ndim=(1, 2), dtype=float)
    single = values.ndim == 1
    values = values[None] if single else values
    lags = checks.integers("lags", lags)
    horizon = checks.integer("horizon", horizon, minimum=1)
    if values.shape[1] < max(lags):
        raise ValueError(
            f"history has {values.shape[1]} values, fewer than the largest lag {max(lags)}"
        )
    checks.allocation("horizon", (len(values), values.shape[1] + horizon), "float64")
    known = values.shape[1]
    values = np.concatenate([values, np.zeros((len(values), horizon))], axis=1)
    for k in range(horizon):
        now = known + k
        inputs = np.stack([values[:, now - lag] for lag in lags], axis=1).astype("float32")
        predicted = np.ravel(np.asarray(predict(inputs), dtype=float))
        if predicted.shape != (len(values),):
            raise ValueError(
                f"predict returned {predicted.size} values for {len(values)} rows of inputs"
            )
        if not np.all(np.isfinite(predicted)):
            raise ValueError(
                f"predict returned NaN or infinite values at step {k + 1} of the horizon: "
                "the forecast cannot go on from them"
            )
        values[:, now] = predicted
    forecast = values[:, -horizon:]
    return forecast[0] if single else forecast


@keras.saving.register_keras_serializable(package="rnnbook")
class OneHot(keras.layers.Layer):
    """Integer ids ``(batch, time)`` to one-hot vectors ``(batch, time, depth)``: the input of
    a character model, with no weights (unlike an embedding).

    Ids must lie in ``[0, depth)``. Where their values are known when the layer is called
    (NumPy input, eager tensors) others are refused; inside a traced function (``model.fit``,
    ``predict``, ``jit``) they cannot be looked at, and an id outside the range becomes a
    vector of zeros, as in ``keras.ops.one_hot``: check the ids before (e.g. with
    ``rnnbook.checks.identifiers``)."""

    def __init__(self, depth, **kwargs):
        super().__init__(**kwargs)
        self.depth = checks.integer("depth", depth, minimum=1)

    def call(self, inputs):
        values = _known_values(inputs)
        if values is not None:
            checks.identifiers("inputs", values, self.depth)
        return keras.ops.one_hot(
            keras.ops.cast(inputs, "int32"), self.depth, dtype=self.compute_dtype
        )

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.depth)

    def get_config(self):
        return {**super().get_config(), "depth": self.depth}


def skip_lstm_parameters(vocabulary_size, units):
    """The weights of :func:`skip_lstm_language_model`: the first LSTM reads the ``V`` one-hot
    inputs, ``4(V m_1 + m_1^2 + m_1)``; each later one reads the input and the layer below,
    ``4((V + m_{l-1}) m_l + m_l^2 + m_l)``; the softmax reads every layer, ``(sum m_l + 1) V``."""
    vocabulary_size = checks.integer("vocabulary_size", vocabulary_size, minimum=2)
    units = checks.integers("units", units, single=True)
    total, below = 0, 0
    for m in units:
        total += 4 * ((vocabulary_size + below) * m + m * m + m)
        below = m
    return total + (sum(units) + 1) * vocabulary_size


def skip_lstm_language_model(
    vocabulary_size, units=(512,), batch_size=None, stateful=False, cell=None
):
    """A character language model: stacked LSTMs with skip connections (Graves 2013).

    The one-hot input reaches every layer (layer ``l > 1`` reads the input joined with the
    states of layer ``l - 1``) and every layer reaches the softmax, which gives the next
    character's distribution at every step. ``stateful=True`` (with a fixed ``batch_size``)
    carries the states from one call to the next, for truncated BPTT over long streams and for
    sampling. ``cell`` (a function of the units, e.g. ``LSTMCell``) replaces Keras' ``LSTM``
    by ``keras.layers.RNN(cell(m))``. Its weights: :func:`skip_lstm_parameters`.
    """
    vocabulary_size = checks.integer("vocabulary_size", vocabulary_size, minimum=2)
    units = checks.integers("units", units, single=True)
    checks.allocation("units", (skip_lstm_parameters(vocabulary_size, units),))
    if batch_size is not None:
        batch_size = checks.integer("batch_size", batch_size, minimum=1)
    stateful = checks.boolean("stateful", stateful)
    if stateful and batch_size is None:
        raise ValueError("a stateful model needs a fixed batch_size")
    if cell is not None:
        cell = checks.function("cell", cell)
    ids, x = _sequence_input(None, vocabulary_size, batch_size)
    layer_input, outputs = x, []
    for depth, m in enumerate(units, start=1):
        if cell is None:
            layer = keras.layers.LSTM(
                m, return_sequences=True, stateful=stateful, name=f"lstm_{depth}"
            )
        else:
            layer = keras.layers.RNN(
                _cell(cell, m, "cell"),
                return_sequences=True,
                stateful=stateful,
                name=f"lstm_{depth}",
            )
        h = layer(layer_input)
        outputs.append(h)
        layer_input = keras.layers.Concatenate(name=f"input_and_layer_{depth}")([x, h])
    joined = (
        outputs[0] if len(outputs) == 1 else keras.layers.Concatenate(name="all_layers")(outputs)
    )
    return keras.Model(ids, _sequence_output(joined, None, vocabulary_size), name="skip_lstm")


def _sequence_input(n_inputs, vocabulary_size, batch_size=None):
    """The input of a sequence model: real features ``(batch, time, n_inputs)`` or character ids
    ``(batch, time)`` turned one-hot (exactly one of the two)."""
    if (n_inputs is None) == (vocabulary_size is None):
        raise ValueError("give exactly one of n_inputs (real inputs) and vocabulary_size (ids)")
    if vocabulary_size is not None:
        depth = checks.integer("vocabulary_size", vocabulary_size, minimum=2)
        ids = keras.Input(batch_shape=(batch_size, None), dtype="int32", name="characters")
        return ids, OneHot(depth, name="one_hot")(ids)
    n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
    x = keras.Input(batch_shape=(batch_size, None, n_inputs), name="inputs")
    return x, x


def _sequence_output(h, n_outputs, vocabulary_size):
    """A distribution over the next character per step, or ``n_outputs`` linear outputs."""
    if vocabulary_size is not None:
        return keras.layers.Dense(vocabulary_size, activation="softmax", name="next_character")(h)
    n_outputs = checks.integer("n_outputs", n_outputs, minimum=1)
    return keras.layers.Dense(n_outputs, name="outputs")(h)


def receptive_field(kernel_size, dilations):
    """How many inputs, the current one included, one output of a stack of causal
    convolutions sees: each layer of kernel size ``k`` and dilation ``d`` reaches ``(k - 1) d``
    steps further back, so ``1 + (k - 1) * sum(dilations)``."""
    kernel_size = checks.integer("kernel_size", kernel_size, minimum=1)
    dilations = checks.integers("dilations", dilations)
    return 1 + (kernel_size - 1) * sum(dilations)


def causal_cnn(
    filters,
    dilations,
    kernel_size=2,
    n_inputs=None,
    n_outputs=1,
    vocabulary_size=None,
    name="causal_cnn",
):
    """A temporal convolutional network (Bai, Kolter & Koltun 2018; WaveNet's dilated causal
    convolutions, van den Oord et al. 2016): one causal ``Conv1D`` of ``filters`` channels per
    entry of ``dilations`` (ReLU, a residual connection around every layer after the first),
    then a linear output per step, or a softmax over the next character with
    ``vocabulary_size``. Output ``t`` sees inputs ``t - R + 1 .. t`` only, ``R =``
    :func:`receptive_field` ``(kernel_size, dilations)``."""
    filters = checks.integer("filters", filters, minimum=1)
    receptive_field(kernel_size, dilations)  # checks both
    dilations = checks.integers("dilations", dilations)
    checks.allocation("filters", (kernel_size, filters, filters))
    checks.string("name", name, empty=False)
    inputs, x = _sequence_input(n_inputs, vocabulary_size)
    x = NonEmptySequences(name="non_empty")(x)
    for depth, d in enumerate(dilations, start=1):
        h = keras.layers.Conv1D(
            filters,
            kernel_size,
            dilation_rate=int(d),
            padding="causal",
            activation="relu",
            name=f"conv_{depth}",
        )(x)
        x = h if depth == 1 else keras.layers.Add(name=f"residual_{depth}")([x, h])
    return keras.Model(inputs, _sequence_output(x, n_outputs, vocabulary_size), name=name)


@keras.saving.register_keras_serializable(package="rnnbook")
class SinusoidalPositions(keras.layers.Layer):
    """Adds Vaswani et al.'s (2017) fixed position code to ``(batch, time, width)`` inputs:
    ``P[t, 2i] = sin(t / 10000^(2i/width))``, ``P[t, 2i+1] = cos(...)``, for any length and
    without weights."""

    def call(self, inputs):
        shape = tuple(d if isinstance(d, int) else None for d in keras.ops.shape(inputs))
        if len(shape) != 3 or shape[1] == 0 or shape[2] is None:
            raise ValueError(
                "inputs must have shape (batch, time, width) with time >= 1 and width known, "
                f"got {shape}"
            )
        length, width = keras.ops.shape(inputs)[1], inputs.shape[-1]
        position = keras.ops.cast(keras.ops.arange(length), self.compute_dtype)[:, None]
        pair = keras.ops.cast(keras.ops.arange(width) // 2 * 2, self.compute_dtype)
        angle = position / keras.ops.power(10000.0, pair / width)
        even = keras.ops.cast(keras.ops.arange(width) % 2 == 0, self.compute_dtype)
        code = even * keras.ops.sin(angle) + (1 - even) * keras.ops.cos(angle)
        return inputs + code[None, :, :]


def causal_transformer(
    width,
    heads=4,
    n_inputs=None,
    n_outputs=1,
    vocabulary_size=None,
    feed_forward=None,
    name="causal_transformer",
):
    """One Transformer block with causal self-attention (each step attends to itself and the
    steps before it): the inputs projected to ``width``, the sinusoidal position code added,
    then (pre-norm) ``x + MultiHeadAttention(LN(x))`` and ``x + FFN(LN(x))`` with a ReLU layer
    of ``feed_forward`` units (default ``2 * width``), and a linear output per step or a
    softmax over the next character."""
    width = checks.integer("width", width, minimum=1)
    heads = checks.integer("heads", heads, minimum=1)
    if width % heads:
        raise ValueError(f"width ({width}) must be a multiple of heads ({heads})")
    feed_forward = (
        2 * width
        if feed_forward is None
        else checks.integer("feed_forward", feed_forward, minimum=1)
    )
    checks.allocation("width", (width, 4 * width))
    checks.allocation("feed_forward", (width, feed_forward))
    checks.string("name", name, empty=False)
    inputs, x = _sequence_input(n_inputs, vocabulary_size)
    x = keras.layers.Dense(width, name="embed")(x)
    x = SinusoidalPositions(name="positions")(x)
    normed = keras.layers.LayerNormalization(name="norm_1")(x)
    attended = keras.layers.MultiHeadAttention(heads, width // heads, name="attention")(
        normed, normed, use_causal_mask=True
    )
    x = keras.layers.Add(name="residual_1")([x, attended])
    normed = keras.layers.LayerNormalization(name="norm_2")(x)
    h = keras.layers.Dense(feed_forward, activation="relu", name="feed_forward_1")(normed)
    h = keras.layers.Dense(width, name="feed_forward_2")(h)
    x = keras.layers.Add(name="residual_2")([x, h])
    x = keras.layers.LayerNormalization(name="norm_3")(x)
    return keras.Model(inputs, _sequence_output(x, n_outputs, vocabulary_size), name=name)
