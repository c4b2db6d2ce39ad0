"""Reservoir computing: what an echo state network trains (a linear readout, in closed form)
and how it predicts on its own (feeding its outputs back as inputs).

The reservoir itself is :class:`rnnbook.cells.EchoStateCell`, run by ``keras.layers.RNN``.
"""

import logging

import keras
import numpy as np
from keras import ops

from rnnbook import checks

__all__ = ["collect_states", "free_run", "readout_features", "ridge_readout", "spectral_radius"]


def spectral_radius(matrix):
    """The largest modulus of the eigenvalues of a square matrix (a NumPy array or a tensor)."""
    matrix = checks.array("matrix", ops.convert_to_numpy(matrix), ndim=2, dtype=float)
    if matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square, got shape {matrix.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def _reservoir(cell):
    from rnnbook.cells.echo_state import EchoStateCell

    if not isinstance(cell, EchoStateCell):
        raise TypeError(f"cell must be an EchoStateCell, got {type(cell).__name__}")
    return cell


def collect_states(cell, inputs, initial_state=None):
    """The reservoir's states ``x_1 .. x_T`` for ``inputs`` of shape ``(batch, T, features)``,
    as a float32 NumPy array ``(batch, T, units)``, by ``keras.layers.RNN(cell)``.

    ``initial_state`` is ``x_0`` of shape ``(batch, units)`` (zeros if None).
    """
    cell = _reservoir(cell)
    inputs = checks.array("inputs", inputs, ndim=3)
    sequence = keras.Input(shape=inputs.shape[1:], batch_size=inputs.shape[0])
    start = keras.Input(shape=(cell.units,), batch_size=inputs.shape[0])
    states = keras.layers.RNN(cell, return_sequences=True)(sequence, initial_state=[start])
    if initial_state is None:
        initial_state = np.zeros((inputs.shape[0], cell.units), "float32")
    initial_state = checks.array("initial_state", initial_state, ndim=2)
    if initial_state.shape != (inputs.shape[0], cell.units):
        raise ValueError(
            f"initial_state must have shape (batch, units) = {(inputs.shape[0], cell.units)}, "
            f"got {initial_state.shape}"
        )
    # Through predict: compiled once (TensorFlow runs the loop in a graph, JAX in a scan). Every
    # reservoir is a new model, so TensorFlow traces each one and, after five, warns of
    # "retracing" on its logger; that is expected here, and the warning is held back.
    model = keras.Model([sequence, start], states)
    logger = logging.getLogger("tensorflow")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        return model.predict([inputs, initial_state], batch_size=inputs.shape[0], verbose=0)
    finally:
        logger.setLevel(level)


def readout_features(states, inputs=None):
    """What the readout reads at each step: a column of ones (its bias), the step's inputs
    (where given) and the reservoir's states, side by side, in float64: ``(..., 1 + features +
    units)``."""
    states = checks.array("states", states, dtype=float)
    if inputs is not None:
        inputs = checks.array("inputs", inputs, dtype=float)
        if inputs.shape[:-1] != states.shape[:-1]:
            raise ValueError(
                f"inputs and states must share their leading (batch, time) shape, got "
                f"{inputs.shape} and {states.shape}"
            )
    return _features(states, inputs)


def _features(states, inputs):
    parts = [np.ones(states.shape[:-1] + (1,)), states]
    if inputs is not None:
        parts.insert(1, inputs)
    return np.concatenate(parts, axis=-1, dtype=float)


def ridge_readout(features, targets, alpha=1e-8, washout=0):
    """The readout ``W_out`` minimising ``||F W_out - Y||^2 + alpha ||W_out[1:]||^2``, in closed form.

    ``F`` holds the rows of ``features`` after the first ``washout`` steps (of every sequence):
    ``features`` is ``(T, k)`` or ``(batch, T, k)``, its first column the ones of the bias
    (as :func:`readout_features` makes it), which is not penalised. ``targets`` is ``(T,)``,
    ``(T, outputs)`` or the batched forms. Solves the normal equations
    ``(F^T F + alpha I') W_out = F^T Y`` in float64, ``I'`` the identity with 0 for the bias.
    Returns ``W_out`` of shape ``(k,)`` or ``(k, outputs)``, so a prediction is ``F @ W_out``.
    """
    features = checks.array("features", features, ndim=(2, 3), dtype=float)
    targets = checks.array("targets", targets, ndim=(1, 2, 3), dtype=float)
    alpha = checks.real("alpha", alpha, minimum=0.0)
    washout = checks.integer("washout", washout, minimum=0)
    squeeze = targets.ndim == features.ndim - 1
    if squeeze:
        targets = targets[..., None]
    if targets.ndim != features.ndim or targets.shape[:-1] != features.shape[:-1]:
        raise ValueError(
            f"targets must have one row per row of features, shape {features.shape[:-1]} "
            f"(+ outputs), got {targets.shape if not squeeze else targets.shape[:-1]}"
        )
    steps = features.shape[-2]
    if washout >= steps:
        raise ValueError(f"washout must be less than the {steps} time steps, got {washout}")
    if not np.allclose(features[..., 0], 1.0):
        raise ValueError(
            "features must start with a column of ones (the bias): see readout_features"
        )
    F = features[..., washout:, :].reshape(-1, features.shape[-1])
    Y = targets[..., washout:, :].reshape(-1, targets.shape[-1])
    penalty = alpha * np.eye(F.shape[1])
    penalty[0, 0] = 0.0
    W_out = np.linalg.solve(F.T @ F + penalty, F.T @ Y)
    return W_out[:, 0] if squeeze else W_out


def free_run(cell, readout, state, first_input, steps, transform=None):
    """Let a trained echo state network predict ``steps`` values on its own.

    From the reservoir's ``state`` ``(batch, units)`` and the input ``first_input`` ``(batch,
    features)`` of the step it is about to read, each step computes the state, reads out the
    prediction ``[1, u_t, x_t] @ readout`` (as :func:`readout_features` orders them) and feeds
    it back as the next input (``transform`` maps it first, if given). The readout must predict
    the next input, so ``outputs == features``. Returns the predictions ``(batch, steps,
    outputs)`` as a float64 NumPy array. A network whose feedback is unstable may run off to
    infinity or NaN: that is returned as it came, not refused.
    """
    cell = _reservoir(cell)
    readout = checks.array("readout", readout, ndim=(1, 2), dtype=float)
    readout = readout[:, None] if readout.ndim == 1 else readout
    state = checks.array("state", state, ndim=2)
    first_input = checks.array("first_input", first_input, ndim=2)
    steps = checks.integer("steps", steps, minimum=1)
    if transform is not None:
        checks.function("transform", transform)
    features = first_input.shape[1]
    if state.shape[0] != first_input.shape[0]:
        raise ValueError(
            f"state and first_input must have the same batch, got {state.shape} and "
            f"{first_input.shape}"
        )
    if readout.shape != (1 + features + cell.units, features):
        raise ValueError(
            f"readout must have shape (1 + features + units, features) = "
            f"{(1 + features + cell.units, features)} to feed its output back, got {readout.shape}"
        )
    if not cell.built:
        cell.build((None, features))
    x, u = state, first_input
    predictions = []
    for _ in range(steps):
        x, _ = cell(u, [x])
        x = ops.convert_to_numpy(x)
        y = _features(x, u) @ readout  # unchecked: a run that diverges may reach inf
        predictions.append(y)
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run: inf, said above
            u = (transform(y) if transform is not None else y).astype("float32")
    return np.stack(predictions, axis=1)
