"""Greedy decoding and beam search on decoders whose best answer is known."""

import itertools

import numpy as np
import pytest

from rnnbook.decoding import beam_search, greedy_decode

START, END, A, B = 0, 1, 2, 3
# next-token probabilities given the previous token (a Markov chain; the state is unused)
CHAIN = np.array(
    [
        [0.0, 0.0, 0.6, 0.4],  # after START: A is likelier...
        [0.0, 1.0, 0.0, 0.0],  # after END: END
        [0.0, 0.3, 0.35, 0.35],  # after A: spread out
        [0.0, 0.9, 0.05, 0.05],  # after B: almost surely END  (...but B END beats A anything)
    ]
)


def chain_step(tokens, states):
    return CHAIN[tokens], states


def test_greedy_takes_the_likeliest_token_and_beam_search_finds_the_likelier_sequence():
    states = [np.zeros((1, 2))]
    assert greedy_decode(chain_step, states, START, END, 3).tolist() == [[A, A, A]]
    tokens, log_p = beam_search(chain_step, states, START, END, 3, beam_width=2)
    assert tokens.tolist() == [[B, END, END]]
    assert np.isclose(log_p[0], np.log(0.4 * 0.9))


def test_beam_width_one_is_greedy_on_a_random_decoder():
    rng = np.random.default_rng(0)
    table = rng.dirichlet(np.ones(6) * 0.5, size=6)

    def step(tokens, states):
        mixed = table[tokens] * (1 + states[0][:, :6])  # the state matters too
        return mixed / mixed.sum(axis=1, keepdims=True), [states[0] * 0.5 + 0.1]

    states = [rng.random((5, 8))]
    greedy = greedy_decode(step, states, 0, 1, 7)
    beam, _ = beam_search(step, states, 0, 1, 7, beam_width=1)
    assert np.array_equal(greedy, beam)


def test_a_wide_beam_finds_the_most_probable_sequence_found_by_enumeration():
    rng = np.random.default_rng(1)
    table = rng.dirichlet(np.ones(4), size=4)
    table[:, 0] = 0  # never START again
    table /= table.sum(axis=1, keepdims=True)

    def log_p(sequence):
        total, previous = 0.0, 0
        for token in sequence:
            total += np.log(table[previous, token])
            if token == 1:
                break
            previous = token
        return total

    best = max(itertools.product(range(1, 4), repeat=3), key=log_p)
    tokens, score = beam_search(
        lambda t, s: (table[t], s), [np.zeros((1, 1))], 0, 1, 3, beam_width=16
    )
    assert np.isclose(score[0], log_p(best))
    assert np.isclose(log_p(tokens[0]), log_p(best))


def test_rows_of_a_batch_are_decoded_independently():
    states = [np.zeros((3, 2))]
    tokens, _ = beam_search(chain_step, states, START, END, 3, beam_width=2)
    assert tokens.tolist() == [[B, END, END]] * 3


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (
            lambda: greedy_decode(chain_step, [], START, END, 3),
            TypeError,
            "states must be a non-empty list",
        ),
        (
            lambda: greedy_decode(chain_step, [np.zeros((1, 2))], START, END, 0),
            ValueError,
            "max_length",
        ),
        (
            lambda: beam_search(chain_step, [np.zeros((1, 2))], START, END, 3, beam_width=0),
            ValueError,
            "beam_width",
        ),
        (
            lambda: beam_search(chain_step, [np.zeros((2, 2)), np.zeros((3, 2))], START, END, 3),
            ValueError,
            "same number of rows",
        ),
        (
            lambda: greedy_decode(lambda t, s: (np.ones(4), s), [np.zeros((1, 2))], START, END, 3),
            ValueError,
            "shape \\(batch, vocabulary\\)",
        ),
    ],
)
def test_decoding_refuses_bad_input(call, error, words):
    with pytest.raises(error, match=words):
        call()
