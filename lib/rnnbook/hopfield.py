"""Hopfield networks: the classical binary one (Hopfield 1982) and the modern continuous one
(Ramsauer et al. 2020), whose update is the attention of notebooks 09 and 10.

Notation: a state or pattern is a row vector ``s`` of ``N`` units in ``{-1, +1}``; ``P``
patterns stack as the rows of ``X`` (``(P, N)``). Hebbian storage gives
``W = X^T X / N`` with a zero diagonal; the energy is ``E(s) = -1/2 s W s^T``; an
asynchronous update sets one unit to the sign of its field, ``s_i <- sign(sum_j W_ij s_j)``,
and keeps it where the field is exactly 0.
"""

import numpy as np
from keras import ops

from rnnbook import checks

__all__ = ["energy", "modern_energy", "modern_update", "overlaps", "recall", "store"]


def _binary(name, value, ndim):
    value = checks.array(name, value, ndim=ndim, dtype=float)
    if not np.all(np.abs(value) == 1.0):
        bad = tuple(int(i) for i in np.argwhere(np.abs(value) != 1.0)[0])
        raise ValueError(f"{name} must hold only -1 and +1, got {value[bad]!r} at index {bad}")
    return value


def _weights(weights):
    weights = checks.array("weights", weights, ndim=2, dtype=float)
    if weights.shape[0] != weights.shape[1]:
        raise ValueError(f"weights must be a square (N, N) matrix, got shape {weights.shape}")
    return weights


def store(patterns):
    """Hebbian weights ``W = X^T X / N`` of the patterns (rows of ``patterns``, ``(P, N)`` in
    ``{-1, +1}``), with the diagonal set to 0 (no unit feeds itself). Float64 ``(N, N)``."""
    patterns = _binary("patterns", patterns, ndim=2)
    n = patterns.shape[1]
    checks.allocation("patterns", (n, n), dtype="float64")
    weights = patterns.T @ patterns / n
    np.fill_diagonal(weights, 0.0)
    return weights


def energy(weights, states):
    """``E(s) = -1/2 s W s^T`` of a state ``(N,)`` (a float) or of each row of ``(B, N)``."""
    weights = _weights(weights)
    states = checks.array("states", states, ndim=(1, 2), dtype=float)
    if states.shape[-1] != weights.shape[0]:
        raise ValueError(
            f"states must have {weights.shape[0]} units (the size of weights), got shape "
            f"{states.shape}"
        )
    result = -0.5 * np.sum((states @ weights) * states, axis=-1)
    return float(result) if states.ndim == 1 else result


def overlaps(states, patterns):
    """The overlap ``m = s . xi / N`` of each state (row) with each pattern (row): ``(B, P)``;
    1 means equal, -1 the negated pattern, near 0 unrelated."""
    states = checks.array("states", states, ndim=(1, 2), dtype=float)
    patterns = checks.array("patterns", patterns, ndim=(1, 2), dtype=float)
    if states.shape[-1] != patterns.shape[-1]:
        raise ValueError(
            f"states and patterns must have the same number of units, got shapes "
            f"{states.shape} and {patterns.shape}"
        )
    return np.atleast_2d(states) @ np.atleast_2d(patterns).T / states.shape[-1]


def recall(weights, states, seed=0, max_sweeps=100, record=False):
    """Asynchronous recall: sweep the units one at a time, in a random order each sweep, each
    set to the sign of its field (kept where the field is 0), until a whole sweep changes no
    unit of any state or ``max_sweeps`` sweeps have run.

    ``states`` is one cue ``(N,)`` or a batch ``(B, N)`` in ``{-1, +1}``: the cues are updated
    independently (the same unit order for all, which does not couple them). The fields
    ``h = s W`` are kept up to date after each change, so one update costs ``O(B N)``.

    Returns a dict: ``"states"`` (the final states, the shape of ``states``), ``"sweeps"``
    (sweeps run, the last one unchanged unless the limit was hit), ``"stable"`` (whether
    every state is a fixed point) and, with ``record=True``, ``"energies"``: the energy of
    every state before any update and after each single-unit update, ``(sweeps * N + 1, B)``
    (or ``(sweeps * N + 1,)`` for one cue), computed from the state and its fields.
    """
    weights = _weights(weights)
    single = np.ndim(states) == 1
    states = _binary("states", np.atleast_2d(states) if np.ndim(states) == 1 else states, 2)
    if states.shape[1] != weights.shape[0]:
        raise ValueError(
            f"states must have {weights.shape[0]} units (the size of weights), got shape "
            f"{states.shape}"
        )
    seed = checks.integer("seed", seed, minimum=0)
    max_sweeps = checks.integer("max_sweeps", max_sweeps, minimum=1)
    record = checks.boolean("record", record)
    rng = np.random.default_rng(seed)
    s = states.copy()
    n = s.shape[1]
    fields = s @ weights
    energies = [-0.5 * np.sum(s * fields, axis=1)] if record else None
    sweeps, stable = 0, False
    while sweeps < max_sweeps and not stable:
        sweeps += 1
        changed = False
        for i in rng.permutation(n):
            h = fields[:, i]
            new = np.where(h > 0, 1.0, np.where(h < 0, -1.0, s[:, i]))
            delta = new - s[:, i]
            if np.any(delta):
                changed = True
                s[:, i] = new
                fields += delta[:, None] * weights[i][None, :]
            if record:
                energies.append(-0.5 * np.sum(s * fields, axis=1))
        fields = s @ weights  # once a sweep, from scratch: no round-off builds up
        stable = not changed
    result = {"states": s[0] if single else s, "sweeps": sweeps, "stable": stable}
    if record:
        energies = np.array(energies)
        result["energies"] = energies[:, 0] if single else energies
    return result


def _modern_arguments(patterns, queries, beta):
    patterns = checks.array("patterns", ops.convert_to_numpy(patterns), ndim=2)
    queries = checks.array("queries", ops.convert_to_numpy(queries), ndim=(1, 2))
    beta = checks.real("beta", beta, positive=True)
    if queries.shape[-1] != patterns.shape[1]:
        raise ValueError(
            f"queries must have the patterns' dimension {patterns.shape[1]}, got shape "
            f"{queries.shape}"
        )
    return patterns, queries, beta


def modern_update(patterns, queries, beta=1.0):
    """One update of the modern Hopfield network (Ramsauer et al. 2020),
    ``xi_new = softmax(beta xi X^T) X``, for each query ``xi`` (row of ``queries``, ``(d,)`` or
    ``(B, d)``) over the stored patterns (rows of ``X`` = ``patterns``, ``(M, d)``).

    This is attention with the query ``xi``, the patterns as keys and as values, and the scale
    ``beta``. Computed with ``keras.ops`` in float32; returns a tensor shaped like ``queries``.
    """
    patterns, queries, beta = _modern_arguments(patterns, queries, beta)
    weights = ops.softmax(beta * ops.matmul(queries, ops.transpose(patterns)), axis=-1)
    return ops.matmul(weights, patterns)


def modern_energy(patterns, queries, beta=1.0):
    """The energy ``E(xi) = -lse(beta, xi X^T) + 1/2 xi xi^T`` that the modern update lowers,
    with ``lse(beta, z) = log(sum_i exp(beta z_i)) / beta``; float64 NumPy, one per query
    (constants of Ramsauer et al.'s energy that do not depend on ``xi`` are left out)."""
    patterns, queries, beta = _modern_arguments(patterns, queries, beta)
    scores = beta * (np.atleast_2d(queries).astype(float) @ patterns.astype(float).T)
    top = scores.max(axis=1, keepdims=True)
    lse = (top[:, 0] + np.log(np.exp(scores - top).sum(axis=1))) / beta
    result = -lse + 0.5 * np.sum(np.atleast_2d(queries).astype(float) ** 2, axis=1)
    return float(result[0]) if queries.ndim == 1 else result
