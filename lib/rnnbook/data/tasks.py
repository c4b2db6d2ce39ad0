"""Sequence tasks generated from a seed: the pulse converter (pulses to spikes and back),
runs of ones, and delayed recall."""

import numbers

import numpy as np

from rnnbook import checks

__all__ = [
    "delayed_recall",
    "pulse_converter",
    "pulses_to_end_spikes",
    "runs_of_ones",
    "selective_copying",
    "start_spikes_to_pulses",
]


def pulse_converter(n_sequences, length=160, max_width=20, min_gap=2, inverse=False, seed=0):
    """The pulse converter: pulses of one kind turned into pulses of another, one value per step.

    Events are laid out one after another with random gaps of at least ``min_gap`` steps.
    Each event has a width ``w`` drawn uniformly from ``1..max_width`` and appears as

    - a **pulse** of value 1 on ``w`` consecutive steps ``s + 1 .. s + w``;
    - an **end spike** of height ``w / max_width`` at ``s + w + 1``, the step after the pulse;
    - a **start spike** of the same height ``w / max_width`` at ``s``, the step before it.

    The rules are :func:`pulses_to_end_spikes` and :func:`start_spikes_to_pulses`.
    The forward task (``inverse=False``) turns each pulse into its end spike: the network
    must measure a duration while the pulse lasts and report it as a height when it ends.
    The inverse task (``inverse=True``) turns each start spike into its pulse: the network
    must hold a height and play it out as a duration, stopping at the right step.

    Returns:
        ``(inputs, targets)``, float32 arrays of shape ``(n_sequences, length, 1)``; the
        same ``seed`` gives the same sequences.
    """
    n_sequences = checks.integer("n_sequences", n_sequences, minimum=1)
    length = checks.integer("length", length, minimum=1)
    max_width = checks.integer("max_width", max_width, minimum=1)
    min_gap = checks.integer("min_gap", min_gap, minimum=0)
    inverse = checks.boolean("inverse", inverse)
    if length < max_width + 2 + min_gap:  # the first event starts up to min_gap steps in
        raise ValueError(
            f"length {length} is too short for one event of max_width {max_width} after a gap "
            f"of up to min_gap {min_gap}: it needs at least {max_width + 2 + min_gap} steps"
        )
    checks.allocation("n_sequences and length", (3, n_sequences, length))
    rng = _generator(seed, "seed")
    start_spikes = np.zeros((n_sequences, length), dtype="float32")
    pulses = np.zeros_like(start_spikes)
    end_spikes = np.zeros_like(start_spikes)
    for row in range(n_sequences):
        start = int(rng.integers(0, min_gap + 1))
        while True:
            width = int(rng.integers(1, max_width + 1))
            if start + width + 1 >= length:
                break
            height = width / max_width
            start_spikes[row, start] = height
            pulses[row, start + 1 : start + 1 + width] = 1.0
            end_spikes[row, start + width + 1] = height
            start += width + 2 + int(rng.integers(min_gap, 2 * min_gap + max_width + 1))
    if inverse:
        return start_spikes[..., None], pulses[..., None]
    return pulses[..., None], end_spikes[..., None]


def _as_rows(sequences, name):
    array = checks.array(name, sequences, ndim=(1, 2, 3))
    if array.ndim == 3 and array.shape[-1] != 1:
        raise ValueError(
            f"{name} must have shape (time,), (n, time) or (n, time, 1), got {array.shape}"
        )
    return array.reshape(-1, array.shape[-2] if array.ndim == 3 else array.shape[-1]), array.shape


def pulses_to_end_spikes(pulses, max_width):
    """The forward rule: each run of width ``w`` gives ``w / max_width`` on the step after it.

    A step is *on* when its value is above 0.5, so a model's outputs (0.98, 0.03, ...) can
    be read as pulses too.

    >>> pulses_to_end_spikes([0, 1, 1, 1, 0, 0, 1, 0], max_width=4).tolist()
    [0.0, 0.0, 0.0, 0.0, 0.75, 0.0, 0.0, 0.25]
    """
    max_width = checks.integer("max_width", max_width, minimum=1)
    rows, shape = _as_rows(pulses, "pulses")
    out = np.zeros_like(rows)
    for row, target in zip(rows, out):
        padded = np.concatenate([[0.0], (row > 0.5).astype("float32"), [0.0]])
        edges = np.flatnonzero(np.diff(padded))
        for first, stop in zip(edges[::2], edges[1::2]):
            if stop < len(row):
                target[stop] = (stop - first) / max_width
    return out.reshape(shape)


def start_spikes_to_pulses(spikes, max_width):
    """The inverse rule: a spike of height ``h`` gives 1s on the ``round(h * max_width)`` steps after it.

    >>> start_spikes_to_pulses([0.75, 0, 0, 0, 0, 0.25, 0, 0], max_width=4).tolist()
    [0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0]
    """
    max_width = checks.integer("max_width", max_width, minimum=1)
    rows, shape = _as_rows(spikes, "spikes")
    if (rows < 0).any():
        raise ValueError(
            f"spikes must be heights >= 0 (a pulse cannot last a negative time), got {rows.min()}"
        )
    out = np.zeros_like(rows)
    for row, target in zip(rows, out):
        for step in np.flatnonzero(row):
            width = min(round(float(row[step]) * max_width), len(row))
            target[step + 1 : step + 1 + width] = 1.0
    return out.reshape(shape)


def _generator(rng, name="rng"):
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"{name} must be a NumPy Generator or a seed (an int >= 0), got {checks.shown(rng)} "
            f"({type(rng).__name__})"
        )
    return np.random.default_rng(checks.integer(name, rng, minimum=0))


def runs_of_ones(n, length, run, rng=0):
    """Random 0/1 sequences and whether each holds ``run`` ones in a row (notebook 00).

    ``rng`` is a NumPy generator (drawn from, so successive calls differ) or a seed.
    Returns ``(x, y)``: ``x`` of shape ``(n, length, 1)``, ``y`` of shape ``(n,)``, float32.
    """
    n = checks.integer("n", n, minimum=1)
    length = checks.integer("length", length, minimum=1)
    run = checks.integer("run", run, minimum=1)
    if run > length:
        raise ValueError(f"run must be at most length ({length}), got {run}")
    checks.allocation("n and length", (n, length), "float64")
    checks.allocation("n, length and run", (run, n, length - run + 1))
    x = (_generator(rng).random((n, length)) < 0.5).astype("float32")
    windows = np.stack([x[:, i : length - run + 1 + i] for i in range(run)])
    y = windows.prod(axis=0).max(axis=1).astype("float32")
    return x[..., None], y


def delayed_recall(n, delay, rng=0, length=20):
    """Random inputs in [-1, 1] and the target ``d(t) = x(t - delay)`` (0 before), for the
    memory experiment of notebook 03. ``rng`` is a NumPy generator or a seed. Returns
    ``(x, d)``, both of shape ``(n, length, 1)``, float32."""
    n = checks.integer("n", n, minimum=1)
    delay = checks.integer("delay", delay, minimum=1)
    length = checks.integer("length", length, minimum=1)
    if delay >= length:
        raise ValueError(f"delay must be shorter than length ({length}), got {delay}")
    checks.allocation("n and length", (n, length), "float64")
    x = _generator(rng).uniform(-1, 1, size=(n, length, 1)).astype("float32")
    d = np.zeros_like(x)
    d[:, delay:] = x[:, :-delay]
    return x, d


def selective_copying(n, length=64, tokens=4, vocabulary=8, rng=0):
    """The selective-copying task (Gu & Dao 2023): ``tokens`` data tokens sit at random positions
    of a sequence of ``length`` steps, the other steps blank; then ``tokens`` marker steps ask for
    the data tokens again, in their order. A model must remember *which* steps held data, so
    its memory must depend on the input, not on time alone.

    Ids: 0 blank, 1 marker, ``2 .. vocabulary + 1`` the data tokens. Returns ``(inputs, targets)``,
    int32 of shape ``(n, length + tokens)``: the targets are 0 (nothing to predict) except at the
    last ``tokens`` steps, which hold the data tokens in order. ``rng`` is a NumPy generator or a
    seed.
    """
    n = checks.integer("n", n, minimum=1)
    length = checks.integer("length", length, minimum=1)
    tokens = checks.integer("tokens", tokens, minimum=1)
    vocabulary = checks.integer("vocabulary", vocabulary, minimum=2)
    if tokens > length:
        raise ValueError(f"tokens must be at most length ({length}), got {tokens}")
    checks.allocation("n and length", (n, length + tokens), "int32")
    generator = _generator(rng)
    data = generator.integers(2, vocabulary + 2, size=(n, tokens))
    positions = np.sort(np.argsort(generator.random((n, length)), axis=1)[:, :tokens], axis=1)
    inputs = np.zeros((n, length + tokens), "int32")
    np.put_along_axis(inputs, positions, data, axis=1)
    inputs[:, length:] = 1
    targets = np.zeros_like(inputs)
    targets[:, length:] = data
    return inputs, targets
