"""Decoding a sequence from a recurrent decoder, one token at a time: greedy and beam search.

Both work on a batch and on any decoder written as a *step function*::

    probabilities, states = step(tokens, states)

``tokens`` is an int array of shape ``(batch,)`` (the previous token of each sequence),
``states`` a list of arrays with ``batch`` rows (e.g. ``[h, c]`` of an LSTM), and the step
returns the next-token distribution of each row, shape ``(batch, vocabulary)``, and the new
states. A sequence ends when it emits ``end``; it is then padded with ``end``. The
probabilities must be probabilities (not logits), and ``start`` and ``end`` ids below their
width (the vocabulary's size); both are checked at the first step.
"""

import numpy as np

from rnnbook import checks

__all__ = ["beam_search", "greedy_decode"]


def _check(step, start, end, max_length, states):
    checks.function("step", step)
    start = checks.integer("start", start, minimum=0)
    end = checks.integer("end", end, minimum=0)
    max_length = checks.integer("max_length", max_length, minimum=1)
    if not isinstance(states, (list, tuple)) or not states:
        raise TypeError(f"states must be a non-empty list of arrays, got {type(states).__name__}")
    states = [np.asarray(s) for s in states]
    for i, s in enumerate(states):
        if s.ndim == 0:
            raise TypeError(
                f"states[{i}] must be an array with one row per sequence, got {checks.shown(s.item())}"
            )
    batch = len(states[0])
    if any(len(s) != batch for s in states):
        raise ValueError(
            f"every state must have the same number of rows, got {[len(s) for s in states]}"
        )
    return start, end, max_length, states, batch


def _probabilities(step, tokens, states):
    result = step(tokens, states)
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise TypeError(
            f"step must return (probabilities, states), got {type(result).__name__} {checks.shown(result)}"
        )
    probabilities, new_states = result
    try:
        probabilities = np.asarray(probabilities, dtype="float64")
    except (TypeError, ValueError):
        raise TypeError(
            f"step must return probabilities (numbers), got {checks.shown(probabilities)}"
        ) from None
    if probabilities.ndim != 2 or len(probabilities) != len(tokens) or not probabilities.shape[1]:
        raise ValueError(
            f"step must return probabilities of shape (batch, vocabulary), got {probabilities.shape} "
            f"for a batch of {len(tokens)}"
        )
    checks.probabilities("the probabilities step returned", probabilities)
    if not isinstance(new_states, (list, tuple)) or len(new_states) != len(states):
        raise TypeError(
            f"step must return its states as a list of {len(states)} array(s), like the states "
            f"it was given, got {type(new_states).__name__}"
            + (f" of {len(new_states)}" if isinstance(new_states, (list, tuple)) else "")
        )
    new_states = [np.asarray(s) for s in new_states]
    if any(s.ndim == 0 or len(s) != len(tokens) for s in new_states):
        raise ValueError(
            f"step must return states with one row per sequence ({len(tokens)}), got shapes "
            f"{[s.shape for s in new_states]}"
        )
    return probabilities, new_states


def _outside(name, value, size):
    return ValueError(
        f"{name} must be a token id below {size} (the vocabulary size: the width of the "
        f"probabilities step returns), got {value}"
    )


def _first_step(step, tokens, states, start, end):
    """The first step, which also checks ``start`` and ``end`` against the vocabulary size (the
    width of the probabilities). A step that fails on ``start`` is asked about token 0, to tell
    whether ``start`` was the cause."""
    try:
        probabilities, states = _probabilities(step, tokens, states)
    except Exception:
        try:
            size = _probabilities(step, np.zeros_like(tokens), states)[0].shape[1]
        except Exception:  # noqa: BLE001 - token 0 fails too: start is not the cause
            size = None
        if size is not None and start >= size:
            raise _outside("start", start, size) from None
        raise
    for name, value in (("start", start), ("end", end)):
        if value >= probabilities.shape[1]:
            raise _outside(name, value, probabilities.shape[1])
    return probabilities, states


def greedy_decode(step, states, start, end, max_length):
    """The most probable token at every step, fed back as the next input.

    Returns an int array ``(batch, max_length)`` of tokens (``end`` after a sequence ends)."""
    start, end, max_length, states, batch = _check(step, start, end, max_length, states)
    checks.allocation("max_length", (batch, max_length), "int64")
    tokens = np.full(batch, start)
    columns = []
    done = np.zeros(batch, bool)
    for t in range(max_length):
        if t == 0:
            probabilities, states = _first_step(step, tokens, states, start, end)
        else:
            probabilities, states = _probabilities(step, tokens, states)
        tokens = np.where(done, end, probabilities.argmax(axis=1))
        columns.append(tokens)
        done |= tokens == end
        if done.all():
            break
    out = np.full((batch, max_length), end)  # the columns not decoded: end
    out[:, : len(columns)] = np.stack(columns, axis=1)
    return out


def beam_search(step, states, start, end, max_length, beam_width=3):
    """Beam search: keep the ``beam_width`` most probable partial sequences of every row.

    At each step every kept sequence is extended by every token; of those, the
    ``beam_width`` with the highest total log-probability survive (a finished sequence is
    carried unchanged, with its probability). With ``beam_width=1`` this is
    :func:`greedy_decode`. Returns ``(tokens, log_probabilities)``: the best sequence of each
    row, ``(batch, max_length)``, and its total log-probability, ``(batch,)``.
    """
    start, end, max_length, states, batch = _check(step, start, end, max_length, states)
    k = checks.integer("beam_width", beam_width, minimum=1)
    # each of the batch * k beams holds its tokens so far and a row of every state
    row = max_length + sum(int(np.prod(s.shape[1:])) for s in states)
    checks.allocation("beam_width and max_length", (batch * k, row), "float64")
    # every row starts as one live beam and k - 1 dead copies (score -inf), so that the
    # first expansion does not pick the same continuation k times
    states = [np.repeat(s, k, axis=0) for s in states]
    tokens = np.full(batch * k, start)
    scores = np.tile(np.r_[0.0, np.full(k - 1, -np.inf)], batch)
    sequences = np.full((batch * k, 0), end)  # grown by one column per step
    done = np.zeros(batch * k, bool)
    for t in range(max_length):
        if t == 0:
            probabilities, new_states = _first_step(step, tokens, states, start, end)
        else:
            probabilities, new_states = _probabilities(step, tokens, states)
        vocabulary = probabilities.shape[1]
        with np.errstate(divide="ignore"):
            candidates = scores[:, None] + np.log(probabilities)
        # a finished beam has exactly one continuation: itself, at no cost
        finished = np.full(vocabulary, -np.inf)
        finished[end] = 0.0
        candidates[done] = scores[done][:, None] + finished
        candidates = candidates.reshape(batch, k * vocabulary)
        best = np.argsort(-candidates, axis=1, kind="stable")[:, :k]
        parent = (best // vocabulary + np.arange(batch)[:, None] * k).ravel()
        tokens = (best % vocabulary).ravel()
        scores = np.take_along_axis(candidates, best, axis=1).ravel()
        sequences = np.concatenate([sequences[parent], tokens[:, None]], axis=1)
        done = done[parent] | (tokens == end)
        states = [s[parent] for s in new_states]
        if done.all():
            break
    scores = scores.reshape(batch, k)
    winner = scores.argmax(axis=1)
    rows = np.arange(batch) * k + winner
    best = np.full((batch, max_length), end)  # the columns not decoded: end
    best[:, : sequences.shape[1]] = sequences[rows]
    return best, scores[np.arange(batch), winner]
