"""What ``model.fit`` does not do: Elman's online updating, truncated BPTT over one long
sequence, and a probe of how gradients travel back through time.

The loops step a recurrent *cell* by hand, one time step at a time, and update the
weights with a Keras optimizer; the gradient is taken by the backend Keras runs on
(:mod:`rnnbook.autodiff`: TensorFlow, JAX or PyTorch).
"""

import time

import keras
import numpy as np
from tqdm.auto import tqdm

from rnnbook import autodiff, checks

__all__ = [
    "CarryStates",
    "KeepLastFinite",
    "TimeBudget",
    "fit_and_score",
    "growth_exponent",
    "reset_states",
    "scaled_to_spectral_radius",
    "seconds_per_sequence",
    "slope_per_step",
    "state_jacobian_norms",
    "stream_windows",
    "train_online",
    "truncated_bptt",
]


def _cell_of(layer):
    """The cell of a recurrent layer (``keras.layers.RNN`` or a built-in), or the cell itself."""
    cell = getattr(layer, "cell", layer)
    if isinstance(cell, keras.layers.StackedRNNCells) or not hasattr(cell, "state_size"):
        raise TypeError(
            f"layer must be a recurrent layer with one cell (keras.layers.RNN(cell), SimpleRNN, "
            f"LSTM, GRU) or such a cell, got {type(layer).__name__}"
        )
    return cell


def _state_sizes(cell):
    size = cell.state_size
    return list(size) if isinstance(size, (list, tuple)) else [size]


def _check_features(cell, x, readout=None):
    """Refuse inputs ``x`` (time, features) whose features differ from those a built cell
    was made for, and a built readout that does not read the cell's output."""
    kernel = getattr(cell, "kernel", None) if cell.built else None
    if kernel is not None and kernel.shape[0] != x.shape[1]:
        raise ValueError(
            f"inputs have {x.shape[1]} feature(s) per step, but the layer was built for "
            f"{kernel.shape[0]}: give inputs of shape (time, {kernel.shape[0]}), or a new layer"
        )
    kernel = getattr(readout, "kernel", None) if readout is not None and readout.built else None
    if kernel is not None and kernel.shape[0] != cell.output_size:
        raise ValueError(
            f"readout was built for {kernel.shape[0]} input(s), but the layer gives "
            f"{cell.output_size} per step: use a new readout (e.g. keras.layers.Dense(1))"
        )


def _model_input_shape(model):
    """The shape (batch first) of a model's one input where it is known, else ``None``."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    return tuple(inputs[0].shape) if inputs and len(inputs) == 1 else None


def _check_fits(model, name, shape):
    """Refuse data of ``shape`` (batch first) that the model cannot read, naming it."""
    wanted = _model_input_shape(model)
    if wanted is not None and (
        len(wanted) != len(shape)
        or any(w is not None and w != s for w, s in zip(wanted[1:], shape[1:]))
    ):
        raise ValueError(
            f"{name} has shape {tuple(shape)}, but the model reads inputs of shape "
            f"{wanted} (None: any size; the first is the batch)"
        )


def _stateful_batch(layer):
    """The batch size a stateful recurrent layer carries states for, where it is built."""
    states = getattr(layer, "states", None)
    if isinstance(states, (list, tuple)) and states:
        states = states[0]
    shape = getattr(states, "shape", None)
    return int(shape[0]) if shape is not None and shape[0] is not None else None


def _sequence(values, name):
    """One sequence as ``(time, features)``; a 1-D array is one feature."""
    array = checks.array(name, values, ndim=(1, 2))
    return array[:, None] if array.ndim == 1 else array


def stream_windows(streams, window):
    """Cut parallel streams into consecutive windows, ordered for a ``stateful=True`` layer.

    ``streams`` has shape ``(batch, time, features)``: ``batch`` long sequences read side by
    side. The result has shape ``(batch * time // window, window, features)``: first window 0
    of every stream, then window 1 of every stream, and so on, so that ``model.fit(...,
    batch_size=batch, shuffle=False)`` hands row ``i`` of each batch the continuation of the
    same stream, and a stateful layer carries each stream's state from one window to the next
    (truncated BPTT with ``batch`` streams at once). ``time`` must be a multiple of ``window``.
    """
    array = checks.array("streams", streams, ndim=3)
    window = checks.integer("window", window, minimum=1)
    batch, length, features = array.shape
    if length % window:
        raise ValueError(
            f"the streams' length ({length} steps) must be a multiple of window ({window}); "
            f"cut them to {length - length % window} steps"
        )
    windows = array.reshape(batch, length // window, window, features)
    return windows.transpose(1, 0, 2, 3).reshape(-1, window, features)


class _CarriedState:
    """Holds a stateful layer's state variable where Keras looks for random-seed state."""

    def __init__(self, variable):
        self.state = variable


def _carry_under_jax(layer):
    """Let Keras' JAX trainer carry a stateful recurrent layer's states through ``fit``,
    ``evaluate`` and ``predict``.

    Keras 3.15 creates those state variables untracked, so its JAX trainer, which threads
    only the model's variables through each (pure) step, drops every update to them: the
    state keeps the value it had before ``fit`` (zero after a reset). (Minimal case,
    ``KERAS_BACKEND=jax``: a ``Sequential([Input((3, 1), batch_size=2), LSTM(4,
    stateful=True)])`` predicts the same twice; TensorFlow updates the variables in place and
    carries them.) Listing the variables with the layer's random-seed state puts them among
    the model's non-trainable variables, which the trainer does carry, without making them
    weights: ``get_weights``, saving and loading are unchanged."""
    states = getattr(layer, "states", None)
    if keras.backend.backend() != "jax" or states is None:
        return
    if not isinstance(layer, keras.layers.RNN):  # a wrapper: its inner layers are listed
        return
    listed = {id(getattr(seed, "state", None)) for seed in layer._seed_generators}
    for variable in keras.tree.flatten(states):
        if id(variable) not in listed:
            layer._seed_generators.append(_CarriedState(variable))


def _stateful_layers(model):
    return [
        layer
        for layer in model._flatten_layers(include_self=True)
        if getattr(layer, "stateful", False) and hasattr(layer, "reset_state")
    ]


def reset_states(model):
    """Zero the carried states of every stateful recurrent layer of ``model`` (also inside
    ``Bidirectional`` or nested models); returns how many layers were reset. Under JAX it
    also makes ``fit``, ``evaluate`` and ``predict`` carry those states from batch to batch,
    as they do under TensorFlow (see :func:`_carry_under_jax`)."""
    if not isinstance(model, keras.layers.Layer):
        raise TypeError(f"model must be a Keras model or layer, got {type(model).__name__}")
    layers = _stateful_layers(model)
    for layer in layers:
        layer.reset_state()
        _carry_under_jax(layer)
    return len(layers)


class CarryStates(keras.callbacks.Callback):
    """Truncated BPTT with ``model.fit``: the companion of a stateful model trained on
    streams (:func:`stream_windows`, :func:`rnnbook.data.text.char_streams`) with ``shuffle=False``.

    The states are zeroed at the start of every epoch (the streams start again) and carried
    from batch to batch within it. With validation streams, at the end of every epoch the
    model is evaluated on them from zero states, in order, and ``val_loss`` (and ``val_`` +
    every compiled metric) is added to the epoch's logs, so that callbacks listed *after* this
    one (``EarlyStopping``, ``ModelCheckpoint``, progress bars) see it. Keras' own
    ``validation_data`` would run on the training streams' states; do not pass it as well.
    ``batch_size`` must equal the number of validation streams.
    """

    def __init__(self, validation_inputs=None, validation_targets=None, batch_size=None):
        super().__init__()
        if (validation_inputs is None) != (validation_targets is None):
            raise ValueError("give both validation_inputs and validation_targets, or neither")
        self.validation = None
        if batch_size is not None or validation_inputs is not None:
            batch_size = checks.integer("batch_size", batch_size, minimum=1)
        self.batch_size = batch_size
        if validation_inputs is not None:
            checks.array("validation_inputs", validation_inputs, (2, 3), dtype="float64")
            checks.array("validation_targets", validation_targets, (2, 3), dtype="float64")
            if len(validation_inputs) != len(validation_targets):
                raise ValueError(
                    f"validation_inputs and validation_targets must have the same length, got "
                    f"{len(validation_inputs)} and {len(validation_targets)}"
                )
            if len(validation_inputs) % batch_size:
                raise ValueError(
                    f"the validation windows ({len(validation_inputs)}) must fill whole batches "
                    f"of batch_size={batch_size} streams"
                )
            self.validation = (validation_inputs, validation_targets, batch_size)

    def on_train_begin(self, logs=None):
        """Refuse, before the first batch, a model with no stateful layer (nothing would be
        carried) and a ``batch_size`` or validation streams it cannot read."""
        stateful = _stateful_layers(self.model)
        if not stateful:
            raise ValueError(
                "CarryStates carries the states of stateful recurrent layers, and this model "
                "has none: build it with stateful=True and a fixed batch size, or leave "
                "CarryStates out"
            )
        batch = _stateful_batch(stateful[0])
        if self.batch_size is not None and batch is not None and batch != self.batch_size:
            raise ValueError(
                f"batch_size must be the batch size the model's stateful layers were built "
                f"for, {batch}, got {self.batch_size}"
            )
        if self.validation is not None:
            x, _, batch_size = self.validation
            _check_fits(self.model, "validation_inputs", (batch_size, *np.shape(x)[1:]))
        for layer in stateful:
            _carry_under_jax(layer)

    def on_epoch_begin(self, epoch, logs=None):
        reset_states(self.model)

    def on_epoch_end(self, epoch, logs=None):
        if self.validation is None:
            return
        x, y, batch_size = self.validation
        reset_states(self.model)
        results = self.model.evaluate(x, y, batch_size=batch_size, verbose=0, return_dict=True)
        reset_states(self.model)
        if logs is not None:
            logs.update({f"val_{name}": value for name, value in results.items()})


class KeepLastFinite(keras.callbacks.Callback):
    """Stop training when the loss stops being a finite number, keeping the last weights
    that still gave one.

    Keras' ``TerminateOnNaN`` stops too, but leaves the model with the weights that broke
    it (NaN or overflowing). The loss Keras reports for a batch is computed with the weights
    the batch *started* with, so this callback keeps the starting weights of the last batch
    whose loss was finite and puts them back when a loss is NaN or infinite: the model can
    still be evaluated, as the training run stood before it diverged. After ``fit``,
    ``diverged_at`` is ``(epoch, batch)`` (both from 0) of the first batch whose loss was not
    finite, or ``None`` if training stayed finite.
    """

    def __init__(self):
        super().__init__()
        self.diverged_at = None
        self._starting = self._good = None
        self._epoch = 0

    def on_train_begin(self, logs=None):
        # a callback used for a second fit starts afresh, not from the first fit's weights
        self.diverged_at = None
        self._starting = self._good = None
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_begin(self, batch, logs=None):
        self._starting = self.model.get_weights()

    def on_train_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is None or np.isfinite(float(loss)):
            self._good = self._starting
            return
        self.model.set_weights(self._good if self._good is not None else self._starting)
        self.model.stop_training = True
        self.diverged_at = (self._epoch, batch)


class TimeBudget(keras.callbacks.Callback):
    """Stops ``fit`` once ``seconds`` of training have passed (checked after every batch), so
    that models can be compared at equal training time. The clock starts after the first batch,
    which traces and compiles the model (``compile_seconds``); ``batches`` counts every batch
    trained, the first included."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds = checks.real("seconds", seconds, positive=True)
        self.batches, self.started, self.elapsed, self.compile_seconds = 0, None, 0.0, 0.0

    def on_train_begin(self, logs=None):
        self.started, self.batches, self.elapsed = time.perf_counter(), 0, 0.0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1
        now = time.perf_counter()
        if self.batches == 1:
            self.compile_seconds, self.started = now - self.started, now
            return
        self.elapsed = now - self.started
        if self.elapsed > self.seconds:
            self.model.stop_training = True


def truncated_bptt(
    layer,
    readout,
    inputs,
    targets,
    window,
    optimizer,
    epochs=1,
    progress=True,
):
    """Train on one long sequence by truncated backpropagation through time.

    The sequence is cut into windows of ``window`` steps (the last may be shorter). For each
    window the cell runs from the state the previous window ended in (zero at the start of
    every epoch), the mean squared error of ``readout(h_t)`` against the targets is
    back-propagated *within* the window only (no gradient crosses the cut), and the weights
    are updated. This is what a ``stateful=True`` layer fed the windows in order, one per
    batch, does with ``model.fit(..., shuffle=False)``.

    With ``window=1`` and an Elman cell this is Elman's online updating (:func:`train_online`).

    Args:
        layer: a recurrent layer (``keras.layers.RNN(cell)``, ``SimpleRNN``, ...) or a cell.
        readout: the layer mapping the hidden output to a prediction (e.g. ``Dense(1)``).
        inputs: array of shape ``(time, features)`` (or ``(time,)`` for one feature).
        targets: array of shape ``(time, outputs)`` (or ``(time,)``).
        window: steps per update, >= 1.
        optimizer: a Keras optimizer or its name, e.g. ``keras.optimizers.SGD(0.01)`` or ``"adam"``.
        epochs: passes over the sequence.
        progress: show a progress bar over epochs.

    Returns:
        The mean squared error of each window, in order, as an array of shape
        ``(epochs, number of windows)``.
    """
    cell = _cell_of(layer)
    if not isinstance(readout, keras.layers.Layer):
        raise TypeError(
            f"readout must be a Keras layer (e.g. keras.layers.Dense(1)), got "
            f"{type(readout).__name__}"
        )
    window = checks.integer("window", window, minimum=1)
    epochs = checks.integer("epochs", epochs, minimum=1)
    progress = checks.boolean("progress", progress)
    x, y = _sequence(inputs, "inputs"), _sequence(targets, "targets")
    if len(x) != len(y):
        raise ValueError(f"inputs and targets must have the same length, got {len(x)} and {len(y)}")
    if len(x) < window:
        raise ValueError(f"the sequence has {len(x)} steps, shorter than one window of {window}")
    _check_features(cell, x, readout)
    try:
        optimizer = keras.optimizers.get(optimizer)
    except ValueError:
        raise ValueError(
            f"optimizer must be a Keras optimizer or its name (e.g. 'sgd', 'adam'), got "
            f"{optimizer!r}"
        ) from None
    if not cell.built:
        cell.build((None, x.shape[1]))
    if not readout.built:
        readout.build((None, cell.output_size))
    width = readout.compute_output_shape((None, cell.output_size))[-1]
    if width != y.shape[1]:
        raise ValueError(
            f"readout gives {width} output(s) per step but targets have {y.shape[1]}: "
            f"use a readout of width {y.shape[1]} (e.g. keras.layers.Dense({y.shape[1]}))"
        )
    variables = cell.trainable_variables + readout.trainable_variables

    # One trace per window length (the last window may be shorter): the loop over steps
    # is unrolled, so the length must be known when tracing.
    @autodiff.compiled
    def update(x_window, y_window, states):
        def loss():
            carried = states
            outputs = []
            for t in range(x_window.shape[0]):
                h, carried = cell(x_window[t : t + 1], carried)
                carried = list(carried) if isinstance(carried, (list, tuple)) else [carried]
                outputs.append(readout(h))
            predicted = keras.ops.concatenate(outputs, axis=0)  # the readout's dtype
            error = predicted - keras.ops.cast(y_window, predicted.dtype)
            return keras.ops.mean(keras.ops.square(error)), carried

        value, carried, gradients = autodiff.value_and_gradients(loss, variables)
        optimizer.apply(gradients, variables)
        return value, [keras.ops.stop_gradient(s) for s in carried]

    starts = range(0, len(x), window)
    losses = np.zeros((epochs, len(starts)))
    for epoch in tqdm(range(epochs), desc="truncated BPTT", unit="epoch", disable=not progress):
        states = [keras.ops.zeros((1, size)) for size in _state_sizes(cell)]
        for i, start in enumerate(starts):
            stop = start + window
            loss, states = update(
                keras.ops.convert_to_tensor(x[start:stop]),
                keras.ops.convert_to_tensor(y[start:stop]),
                states,
            )
            losses[epoch, i] = float(loss)
            if not np.isfinite(losses[epoch, i]):
                raise FloatingPointError(
                    f"the loss became {losses[epoch, i]} in epoch {epoch + 1}, window {i + 1} "
                    f"(steps {start}-{min(stop, len(x)) - 1}): the weights diverged; lower the "
                    "learning rate or clip the gradients (e.g. SGD(0.01, clipnorm=1.0))"
                )
    return losses


def train_online(layer, readout, inputs, targets, learning_rate=0.01, epochs=1, progress=True):
    """Elman's (1990) online updating: one step at a time, update after every step.

    Present ``x_t``, compute ``h_t`` from ``x_t`` and the context ``c_t = h_{t-1}``
    (``h_0 = 0``), compute ``y_t``, back-propagate this step only, update ``U``, ``W``,
    ``V`` by plain gradient descent, move to ``t + 1``. This is :func:`truncated_bptt`
    with ``window=1`` and SGD. Returns the squared error of every step, shape
    ``(epochs, time)``.
    """
    learning_rate = checks.real("learning_rate", learning_rate, positive=True)
    optimizer = keras.optimizers.SGD(learning_rate)
    return truncated_bptt(layer, readout, inputs, targets, 1, optimizer, epochs, progress)


def state_jacobian_norms(layer, inputs, state_index=0):
    """Norms ``||d s_t / d s_k||`` for every pair ``k <= t`` along one input sequence.

    ``s`` is the cell's state ``state_index`` (``h`` for simple cells and GRU; ``0`` for
    ``h`` and ``1`` for ``c`` in an LSTM). The one-step Jacobians of the full state are
    taken by autodiff and multiplied along the chain, so every path from step ``k`` to
    step ``t`` is counted; the norm is the spectral norm (largest singular value).

    Args:
        layer: a recurrent layer or cell, built or not (random weights are fine).
        inputs: one sequence, shape ``(time, features)``.
        state_index: which state to measure.

    Returns:
        An array ``G`` of shape ``(time, time)`` with ``G[t, k] = ||d s_t / d s_k||`` for
        ``k <= t`` (``G[t, t] = 1``) and NaN above the diagonal. ``s_t`` is the state after
        reading input ``t``.
    """
    cell = _cell_of(layer)
    x = _sequence(inputs, "inputs")
    sizes = _state_sizes(cell)
    state_index = checks.integer("state_index", state_index, minimum=0)
    if state_index >= len(sizes):
        raise ValueError(f"state_index must be in 0..{len(sizes) - 1}, got {state_index}")
    _check_features(cell, x)
    checks.allocation("inputs", (len(x), len(x)), "float64")  # the norms
    checks.allocation("inputs", (len(x), sum(sizes), sum(sizes)))  # the one-step Jacobians
    if not cell.built:
        cell.build((None, x.shape[1]))
    offsets = np.cumsum([0, *sizes])

    def step(state_vector, x_t):
        states = [state_vector[:, offsets[i] : offsets[i + 1]] for i in range(len(sizes))]
        _, new_states = cell(x_t, states if len(states) > 1 else states[0:1])
        new_states = new_states if isinstance(new_states, (list, tuple)) else [new_states]
        return keras.ops.concatenate(list(new_states), axis=-1)

    @autodiff.compiled
    def step_and_jacobian(state_vector, x_t):
        return autodiff.jacobian(lambda s: step(s, x_t), state_vector)

    state = step(keras.ops.zeros((1, int(offsets[-1]))), keras.ops.convert_to_tensor(x[0:1]))
    one_step = []  # d s_t / d s_{t-1} for t = 1 .. T-1
    for t in range(1, len(x)):
        state, jacobian = step_and_jacobian(state, keras.ops.convert_to_tensor(x[t : t + 1]))
        one_step.append(keras.ops.convert_to_numpy(jacobian))
    block = slice(offsets[state_index], offsets[state_index + 1])
    norms = np.full((len(x), len(x)), np.nan)
    for k in range(len(x)):
        chain = np.eye(int(offsets[-1]))
        norms[k, k] = 1.0
        for t in range(k + 1, len(x)):
            chain = one_step[t - 1] @ chain
            norms[t, k] = np.linalg.norm(chain[block, block], ord=2)
    return norms


def fit_and_score(
    build, data, seeds=(0,), epochs=20, batch_size=32, learning_rate=0.01, progress=True
):
    """Train a fresh model from ``build()`` once per seed (Adam on the mean squared error) and
    score each by its test NMSE, so that a comparison can show its spread over seeds.

    Args:
        build: a function returning a new, uncompiled Keras model.
        data: ``(x_train, y_train, x_test, y_test)``.
        seeds: the seeds, one training run each (``keras.utils.set_random_seed`` before
            ``build()``).
        epochs, batch_size, learning_rate: the budget, the same for every seed.
        progress: show a progress bar per run.

    Returns:
        A dict: ``nmse`` (one per seed), ``nmse_mean``, ``nmse_std`` (sample standard
        deviation, 0 for one seed), ``parameters``, ``seconds_per_epoch`` (mean over seeds),
        ``predictions`` (on the test inputs, by the first seed's model), ``predictions_per_seed``
        (one such array per seed, in the order of ``seeds``; its first entry is ``predictions``)
        and ``model`` (the first seed's trained model, to look inside).
    """
    from tqdm.keras import TqdmCallback

    from rnnbook.metrics import nmse

    if not callable(build):
        raise TypeError(f"build must be a function returning a model, got {type(build).__name__}")
    if not isinstance(data, (list, tuple)) or len(data) != 4:
        raise ValueError("data must be (x_train, y_train, x_test, y_test)")
    seeds = checks.integers("seeds", seeds, minimum=0)
    epochs = checks.integer("epochs", epochs, minimum=1)
    batch_size = checks.integer("batch_size", batch_size, minimum=1)
    learning_rate = checks.real("learning_rate", learning_rate, positive=True)
    progress = checks.boolean("progress", progress)
    names = ("x_train", "y_train", "x_test", "y_test")
    shapes = [checks.array(n, d, range(1, 8), dtype="float64").shape for n, d in zip(names, data)]
    for first, second in ((0, 1), (2, 3)):
        if shapes[first][0] != shapes[second][0]:
            raise ValueError(
                f"{names[first]} and {names[second]} must have the same length, got "
                f"{shapes[first][0]} and {shapes[second][0]}"
            )
    for first, second in ((0, 2), (1, 3)):
        if shapes[first][1:][-1:] != shapes[second][1:][-1:] or (
            len(shapes[first]) != len(shapes[second])
        ):
            raise ValueError(
                f"{names[second]} must have as many dimensions and features as {names[first]}, "
                f"got shapes {shapes[second]} and {shapes[first]}"
            )
    x_train, y_train, x_test, y_test = data
    scores, seconds, every_prediction, parameters, first_model = [], [], [], None, None
    for seed in seeds:
        keras.utils.set_random_seed(seed)
        model = build()
        if not isinstance(model, keras.Model):
            raise TypeError(f"build() must return a Keras model, got {type(model).__name__}")
        _check_fits(model, "x_train", shapes[0])
        _check_fits(model, "x_test", shapes[2])
        model.compile(keras.optimizers.Adam(learning_rate), loss="mse")
        callbacks = [TqdmCallback(verbose=0, desc=f"{model.name} seed {seed}")] if progress else []
        started = time.perf_counter()
        model.fit(
            x_train, y_train, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=callbacks
        )
        seconds.append((time.perf_counter() - started) / epochs)
        predicted = model.predict(x_test, verbose=0)
        scores.append(nmse(y_test, predicted))
        every_prediction.append(predicted)
        if first_model is None:
            parameters, first_model = model.count_params(), model
    scores = np.array(scores)
    return {
        "nmse": scores,
        "nmse_mean": float(scores.mean()),
        "nmse_std": float(scores.std(ddof=1)) if len(scores) > 1 else 0.0,
        "parameters": parameters,
        "seconds_per_epoch": float(np.mean(seconds)),
        "predictions": every_prediction[0],
        "predictions_per_seed": every_prediction,
        "model": first_model,
    }


def slope_per_step(norms, lags):
    """How fast gradients fade (or grow) through time, from :func:`state_jacobian_norms`.

    For each distance in ``lags``, the mean of ``log10 ||d s_t / d s_k||`` over all pairs with
    ``t - k`` equal to it; then the slope of a straight line fitted to those means. Returns
    ``(slope, curve)``: a slope of ``-s`` means a factor of 10 lost every ``1/s`` steps.
    """
    norms = checks.array("norms", norms, ndim=2, finite=False, dtype=float)
    if norms.shape[0] != norms.shape[1]:
        raise ValueError(f"norms must be square (time, time), got shape {norms.shape}")
    lags = checks.integers("lags", lags)
    if len(set(lags)) < 2 or max(lags) >= len(norms):
        raise ValueError(
            f"lags must hold at least two distances below the sequence length {len(norms)}, got {lags}"
        )
    for lag in lags:
        below = np.diagonal(norms, offset=-lag)
        if not np.all(np.isfinite(below) & (below > 0)):
            raise ValueError(
                f"norms must be finite and > 0 at every distance in lags (their logarithms "
                f"are taken), got {below[~(np.isfinite(below) & (below > 0))][0]} at distance {lag}"
            )
    curve = np.array([np.mean(np.log10(np.diagonal(norms, offset=-lag))) for lag in lags])
    return float(np.polyfit(lags, curve, 1)[0]), curve


def scaled_to_spectral_radius(matrix, radius):
    """``matrix`` (square) scaled so that its spectral radius (largest eigenvalue modulus)
    is ``radius``."""
    matrix = checks.array("matrix", matrix, ndim=2, dtype=float)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    radius = checks.real("radius", radius, positive=True)
    current = np.max(np.abs(np.linalg.eigvals(matrix)))
    if current == 0:
        raise ValueError("matrix has spectral radius 0 (nilpotent): it cannot be scaled to another")
    return matrix * (radius / current)


def seconds_per_sequence(
    model, lengths, n_inputs=None, vocabulary_size=None, batch_size=8, repeats=3, seed=0
):
    """Inference time per sequence of a sequence model at each of ``lengths``.

    For each length, a batch of ``batch_size`` random sequences (``n_inputs`` real features, or
    ids below ``vocabulary_size``) goes through ``model.predict_on_batch`` once to trace it and
    then ``repeats`` times; the fastest of those, divided by ``batch_size``, is the time per
    sequence (the minimum is the least disturbed by other work on the machine). Returns an
    array of seconds, one per length.
    """
    if not callable(getattr(model, "predict_on_batch", None)):
        raise TypeError(
            f"model must be a Keras model (its predict_on_batch is timed), got "
            f"{type(model).__name__}"
        )
    if (n_inputs is None) == (vocabulary_size is None):
        raise ValueError("give exactly one of n_inputs (real inputs) and vocabulary_size (ids)")
    lengths = checks.integers("lengths", lengths)
    if n_inputs is not None:
        n_inputs = checks.integer("n_inputs", n_inputs, minimum=1)
    if vocabulary_size is not None:
        vocabulary_size = checks.integer("vocabulary_size", vocabulary_size, minimum=1)
    batch_size = checks.integer("batch_size", batch_size, minimum=1)
    repeats = checks.integer("repeats", repeats, minimum=1)
    checks.allocation("lengths", (batch_size, max(lengths), n_inputs or 1), "float64")
    shape = (batch_size, lengths[0]) + ((n_inputs,) if n_inputs is not None else ())
    _check_fits(model, "n_inputs" if n_inputs is not None else "vocabulary_size", shape)
    rng = np.random.default_rng(checks.integer("seed", seed, minimum=0))
    seconds = []
    for length in lengths:
        if vocabulary_size is not None:
            x = rng.integers(0, vocabulary_size, size=(batch_size, length)).astype("int32")
        else:
            x = rng.uniform(-1, 1, size=(batch_size, length, n_inputs)).astype("float32")
        model.predict_on_batch(x)
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            model.predict_on_batch(x)
            times.append(time.perf_counter() - started)
        seconds.append(min(times) / batch_size)
    return np.array(seconds)


def growth_exponent(lengths, seconds):
    """The exponent ``a`` of ``seconds ~ c * length^a``: the slope of the least-squares line
    through ``(log length, log seconds)``. 1 means time grows in proportion to the length, 2
    with its square."""
    lengths = checks.array("lengths", lengths, ndim=1, dtype="float64")
    seconds = checks.array("seconds", seconds, ndim=1, dtype="float64")
    if len(lengths) != len(seconds) or len(lengths) < 2:
        raise ValueError(
            f"lengths and seconds must be of equal length, at least 2, got {len(lengths)} and "
            f"{len(seconds)}"
        )
    if np.any(lengths <= 0) or np.any(seconds <= 0):
        raise ValueError("lengths and seconds must be positive (their logarithms are fitted)")
    if len(np.unique(lengths)) < 2:
        raise ValueError(f"lengths must hold at least two different values, got {lengths}")
    return float(np.polyfit(np.log(lengths), np.log(seconds), 1)[0])
