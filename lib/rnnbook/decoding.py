"""Decoding a sequence from a recurrent decoder, one token at a time: greedy and beam search.

Both work on a batch and on any decoder written as a *step function*::

    probabilities, states = step(tokens, states)

``tokens`` is an int array of shape ``(batch,)`` (the previous token of each sequence),
``states`` a list of arrays with ``batch`` rows (e.g. ``[h, c]`` of an LSTM), and the step
returns the next-token distribution of each row, shape ``(batch, vocabulary)``, and the new
states. A sequence ends when it emits ``end``; it is then padded with ``end``.
"""

import numpy as np

from rnnbook import checks

__all__ = ["beam_search", "greedy_decode"]


def _check(start, end, max_length, states):
    start = checks.integer("start", start, minimum=0)
    end = checks.integer("end", end, minimum=0)
    max_length = checks.integer("max_length", max_length, minimum=1)
    if not isinstance(states, (list, tuple)) or not states:
        raise TypeError(f"states must be a non-empty list of arrays, got {type(states).__name__}")
    states = [np.asarray(s) for s in states]
    batch = len(states[0])
    if any(len(s) != batch for s in states):
        raise ValueError(
            f"every state must have the same number of rows, got {[len(s) for s in states]}"
        )
    return start, end, max_length, states, batch


def _probabilities(step, tokens, states):
    probabilities, states = step(tokens, states)
    probabilities = np.asarray(probabilities, dtype="float64")
    if probabilities.ndim != 2 or len(probabilities) != len(tokens):
        raise ValueError(
            f"step must return probabilities of shape (batch, vocabulary), got {probabilities.shape} "
            f"for a batch of {len(tokens)}"
        )
    return probabilities, [np.asarray(s) for s in states]


def greedy_decode(step, states, start, end, max_length):
    """The most probable token at every step, fed back as the next input.

    Returns an int array ``(batch, max_length)`` of tokens (``end`` after a sequence ends)."""
    start, end, max_length, states, batch = _check(start, end, max_length, states)
    tokens = np.full(batch, start)
    out = np.full((batch, max_length), end)
    done = np.zeros(batch, bool)
    for t in range(max_length):
        probabilities, states = _probabilities(step, tokens, states)
        tokens = np.where(done, end, probabilities.argmax(axis=1))
        out[:, t] = tokens
        done |= tokens == end
        if done.all():
            break
    return out


def beam_search(step, states, start, end, max_length, beam_width=3):
    """Beam search: keep the ``beam_width`` most probable partial sequences of every row.

    At each step every kept sequence is extended by every token; of those, the
    ``beam_width`` with the highest total log-probability survive (a finished sequence is
    carried unchanged, with its probability). With ``beam_width=1`` this is
    :func:`greedy_decode`. Returns ``(tokens, log_probabilities)``: the best sequence of each
    row, ``(batch, max_length)``, and its total log-probability, ``(batch,)``.
    """
    start, end, max_length, states, batch = _check(start, end, max_length, states)
    k = checks.integer("beam_width", beam_width, minimum=1)
    # every row starts as one live beam and k - 1 dead copies (score -inf), so that the
    # first expansion does not pick the same continuation k times
    states = [np.repeat(s, k, axis=0) for s in states]
    tokens = np.full(batch * k, start)
    scores = np.tile(np.r_[0.0, np.full(k - 1, -np.inf)], batch)
    sequences = np.full((batch * k, max_length), end)
    done = np.zeros(batch * k, bool)
    for t in range(max_length):
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
        sequences = sequences[parent]
        sequences[:, t] = tokens
        done = done[parent] | (tokens == end)
        states = [s[parent] for s in new_states]
        if done.all():
            break
    scores = scores.reshape(batch, k)
    winner = scores.argmax(axis=1)
    rows = np.arange(batch) * k + winner
    return sequences[rows], scores[np.arange(batch), winner]
