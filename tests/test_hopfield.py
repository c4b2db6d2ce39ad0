"""Hopfield networks (notebook 11): Hebbian storage, the energy, asynchronous recall, the
modern update and its equivalence with attention, and the letter pictures they store."""

import keras
import numpy as np
import pytest
from helpers import check, numpy

from rnnbook import hopfield
from rnnbook.data.letters import letter_patterns


def random_patterns(count, units, seed=0):
    return np.random.default_rng(seed).choice([-1.0, 1.0], size=(count, units))


def flipped(pattern, count, seed=0):
    """The pattern with ``count`` of its units, chosen at random, negated."""
    cue = pattern.copy()
    cue[np.random.default_rng(seed).choice(len(cue), size=count, replace=False)] *= -1
    return cue


# ---------------------------------------------------------------- storage and energy


def test_store_is_the_hebbian_sum_of_outer_products_with_zero_diagonal():
    patterns = random_patterns(5, 30)
    weights = hopfield.store(patterns)
    expected = sum(np.outer(p, p) for p in patterns) / 30
    np.fill_diagonal(expected, 0.0)
    assert weights.shape == (30, 30)
    assert np.array_equal(weights, weights.T)
    assert np.all(np.diag(weights) == 0)
    assert np.max(np.abs(weights - expected)) < 1e-12


def test_energy_is_minus_half_s_w_s_for_one_state_and_a_batch():
    weights = hopfield.store(random_patterns(4, 20))
    states = random_patterns(3, 20, seed=1)
    expected = [
        -0.5 * sum(weights[i, j] * s[i] * s[j] for i in range(20) for j in range(20))
        for s in states
    ]
    one = hopfield.energy(weights, states[0])
    assert isinstance(one, float) and abs(one - expected[0]) < 1e-12
    batch = hopfield.energy(weights, states)
    assert batch.shape == (3,) and np.max(np.abs(batch - expected)) < 1e-12


def test_overlaps_are_one_for_the_pattern_and_minus_one_for_its_negation():
    patterns = random_patterns(3, 40)
    states = np.stack([patterns[1], -patterns[2]])
    m = hopfield.overlaps(states, patterns)
    assert m.shape == (2, 3)
    assert m[0, 1] == 1.0 and m[1, 2] == -1.0
    assert np.max(np.abs(m - states @ patterns.T / 40)) < 1e-12


# ---------------------------------------------------------------- asynchronous recall


@pytest.mark.parametrize("case", range(20))
def test_energy_never_increases_over_any_single_unit_update(case):
    rng = np.random.default_rng(case)
    units = int(rng.integers(8, 80))
    count = int(rng.integers(1, max(2, units // 2)))  # from light loads to far past capacity
    weights = hopfield.store(random_patterns(count, units, seed=100 + case))
    cues = random_patterns(4, units, seed=200 + case)
    result = hopfield.recall(weights, cues, seed=case, record=True)
    energies = result["energies"]
    assert energies.shape == (result["sweeps"] * units + 1, 4)
    assert np.all(np.diff(energies, axis=0) <= 1e-12)
    assert np.max(np.abs(energies[0] - hopfield.energy(weights, cues))) < 1e-9
    assert np.max(np.abs(energies[-1] - hopfield.energy(weights, result["states"]))) < 1e-9
    if not np.array_equal(result["states"], cues):
        assert np.all(energies[-1] <= energies[0]) and np.any(energies[-1] < energies[0] - 1e-9)


def low_load(seed=0):
    """P/N = 0.05 with N = 200: ten patterns, well below the capacity of about 0.138 N."""
    patterns = random_patterns(10, 200, seed=seed)
    return patterns, hopfield.store(patterns)


def test_stored_patterns_are_fixed_points_below_capacity():
    patterns, weights = low_load()
    for pattern in patterns:
        result = hopfield.recall(weights, pattern)
        assert np.array_equal(result["states"], pattern)
        assert result["sweeps"] == 1 and result["stable"]


def test_negated_stored_patterns_are_fixed_points_too():
    patterns, weights = low_load()
    result = hopfield.recall(weights, -patterns)
    assert np.array_equal(result["states"], -patterns)
    assert result["sweeps"] == 1 and result["stable"]


def test_cue_with_ten_percent_flipped_bits_is_restored_at_low_load():
    patterns, weights = low_load(seed=1)
    cues = np.stack([flipped(p, 20, seed=i) for i, p in enumerate(patterns)])
    assert np.all(hopfield.overlaps(cues, patterns).diagonal() == 0.8)
    result = hopfield.recall(weights, cues)
    assert np.array_equal(result["states"], patterns)
    assert result["stable"] and result["sweeps"] >= 2  # it did change units, then checked


@pytest.mark.parametrize("kept", [1.0, -1.0])
def test_unit_with_a_zero_field_keeps_its_value(kept):
    # unit 0 feels +1 from unit 1 and +1 * (-1) from unit 2: a field of exactly 0; units 1 and
    # 2 are held by their -2 coupling whatever unit 0 is
    weights = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, -2.0], [1.0, -2.0, 0.0]])
    state = np.array([kept, 1.0, -1.0])
    assert (state @ weights)[0] == 0.0
    result = hopfield.recall(weights, state)
    assert np.array_equal(result["states"], state) and result["stable"]


def test_batch_of_cues_recalls_as_each_cue_alone():
    patterns = random_patterns(12, 60, seed=2)  # P/N = 0.2: cues settle after different sweeps
    weights = hopfield.store(patterns)
    cues = np.stack([flipped(p, 15, seed=i) for i, p in enumerate(patterns[:6])])
    batch = hopfield.recall(weights, cues, seed=5, record=True)
    alone = [hopfield.recall(weights, cue, seed=5, record=True) for cue in cues]
    assert len({result["sweeps"] for result in alone}) > 1
    assert batch["sweeps"] == max(result["sweeps"] for result in alone)
    for i, result in enumerate(alone):
        assert np.array_equal(batch["states"][i], result["states"])
        recorded = len(result["energies"])
        assert np.max(np.abs(batch["energies"][:recorded, i] - result["energies"])) < 1e-9
        assert np.all(batch["energies"][recorded:, i] == batch["energies"][recorded - 1, i])


def test_unit_order_is_random_and_drawn_from_the_seed():
    weights = hopfield.store(random_patterns(30, 60, seed=3))  # far past capacity: the order
    cues = random_patterns(5, 60, seed=4)  # of the updates decides where a cue ends
    ends = [hopfield.recall(weights, cues, seed=seed)["states"] for seed in range(4)]
    assert np.array_equal(ends[0], hopfield.recall(weights, cues, seed=0)["states"])
    assert any(not np.array_equal(ends[0], other) for other in ends[1:])


def test_recall_stops_after_max_sweeps():
    weights = hopfield.store(random_patterns(30, 60, seed=3))  # P/N = 0.5: far past capacity
    cues = random_patterns(5, 60, seed=4)
    assert hopfield.recall(weights, cues, seed=1)["sweeps"] > 2  # it needs more than two
    for limit in (1, 2):
        result = hopfield.recall(weights, cues, seed=1, max_sweeps=limit, record=True)
        assert result["sweeps"] == limit and not result["stable"]
        assert result["energies"].shape == (limit * 60 + 1, 5)


def test_hopfield_functions_refuse_bad_inputs_by_name():
    patterns, weights = random_patterns(3, 10), hopfield.store(random_patterns(3, 10))
    check(lambda: hopfield.store(np.where(patterns > 0, 1.0, 0.0)), ValueError, "patterns")
    check(lambda: hopfield.store(patterns[0]), ValueError, "patterns")
    check(lambda: hopfield.recall(weights, np.full(10, 0.5)), ValueError, "states")
    check(lambda: hopfield.recall(weights, patterns[:, :9]), ValueError, "states")
    check(lambda: hopfield.recall(weights[:, :9], patterns), ValueError, "weights")
    check(lambda: hopfield.recall(weights, patterns, max_sweeps=0), ValueError, "max_sweeps")
    check(lambda: hopfield.recall(weights, patterns, seed=-1), ValueError, "seed")
    check(lambda: hopfield.recall(weights, patterns, record=1), TypeError, "record")
    check(lambda: hopfield.energy(weights, patterns[:, :9]), ValueError, "states")
    check(lambda: hopfield.energy(weights[:9], patterns), ValueError, "weights")
    check(lambda: hopfield.overlaps(patterns[:, :9], patterns), ValueError, "states")


# ---------------------------------------------------------------- the modern Hopfield network


def softmax_update(patterns, queries, beta):
    scores = beta * queries.astype(float) @ patterns.astype(float).T
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)) @ patterns


def continuous(shape, seed):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


@pytest.mark.parametrize("beta", [0.1, 1.0, 4.0])
def test_modern_update_equals_a_numpy_softmax(beta):
    patterns, queries = continuous((7, 5), 0), continuous((3, 5), 1)
    updated = numpy(hopfield.modern_update(patterns, queries, beta))
    assert updated.shape == (3, 5)
    assert np.max(np.abs(updated - softmax_update(patterns, queries, beta))) < 1e-5
    one = numpy(hopfield.modern_update(patterns, queries[0], beta))
    assert one.shape == (5,)
    assert np.max(np.abs(one - softmax_update(patterns, queries[:1], beta)[0])) < 1e-5


def test_modern_update_equals_keras_attention_with_patterns_as_keys_and_values():
    patterns, queries, beta = continuous((9, 6), 2), continuous((4, 6), 3), 0.7
    attention = keras.layers.Attention(use_scale=True)
    attention.build([(1, 4, 6), (1, 9, 6), (1, 9, 6)])
    attention.set_weights([np.array(beta, "float32")])
    attended = numpy(attention([queries[None], patterns[None], patterns[None]]))[0]
    updated = numpy(hopfield.modern_update(patterns, queries, beta))
    assert np.max(np.abs(updated - attended)) < 1e-5


@pytest.mark.parametrize("d", [4, 16])
def test_modern_update_equals_one_head_of_multi_head_attention(d):
    patterns, queries = continuous((11, d), 4), continuous((5, d), 5)
    attention = keras.layers.MultiHeadAttention(num_heads=1, key_dim=d)
    attention(queries[None], patterns[None], patterns[None])  # builds it
    for weight in attention.weights:  # identity projections, zero biases
        if weight.path.endswith("kernel"):
            weight.assign(np.eye(d, dtype="float32").reshape(weight.shape))
        else:
            weight.assign(np.zeros(weight.shape, "float32"))
    attended = numpy(attention(queries[None], patterns[None], patterns[None]))[0]
    updated = numpy(hopfield.modern_update(patterns, queries, beta=1 / np.sqrt(d)))
    assert np.max(np.abs(updated - attended)) < 1e-5


def test_modern_update_with_a_large_beta_returns_the_nearest_pattern():
    # 200 patterns in 64 dimensions: more than the classical network could hold
    patterns = random_patterns(200, 64, seed=6).astype("float32")
    sources = np.arange(0, 200, 10)
    queries = patterns[sources] + 0.3 * continuous((len(sources), 64), 7)
    nearest = np.argmax(queries @ patterns.T, axis=1)
    assert np.array_equal(nearest, sources)
    updated = numpy(hopfield.modern_update(patterns, queries, beta=2.0))
    assert np.max(np.abs(updated - patterns[nearest])) < 1e-4


@pytest.mark.parametrize("beta", [0.5, 2.0, 8.0])
def test_modern_energy_does_not_increase_along_repeated_updates(beta):
    patterns, xi = continuous((10, 8), 8), continuous((6, 8), 9)
    energies = [hopfield.modern_energy(patterns, xi, beta)]
    for _ in range(8):
        xi = numpy(hopfield.modern_update(patterns, xi, beta))
        energies.append(hopfield.modern_energy(patterns, xi, beta))
    energies = np.array(energies)
    assert energies.shape == (9, 6)
    assert np.all(np.diff(energies, axis=0) <= 1e-5 * np.maximum(1.0, np.abs(energies[:-1])))
    assert np.all(energies[1] < energies[0] - 1e-3)  # the first update does lower it


def test_modern_energy_is_minus_log_sum_exp_plus_half_the_squared_norm():
    patterns, queries, beta = continuous((5, 3), 10), continuous((2, 3), 11), 1.5
    scores = beta * queries.astype(float) @ patterns.astype(float).T
    expected = -np.log(np.exp(scores).sum(axis=1)) / beta + 0.5 * (queries.astype(float) ** 2).sum(
        1
    )
    assert np.max(np.abs(hopfield.modern_energy(patterns, queries, beta) - expected)) < 1e-9
    one = hopfield.modern_energy(patterns, queries[0], beta)
    assert isinstance(one, float) and abs(one - expected[0]) < 1e-9


@pytest.mark.parametrize("function", [hopfield.modern_update, hopfield.modern_energy])
def test_modern_functions_refuse_bad_inputs_by_name(function):
    patterns, queries = continuous((5, 3), 0), continuous((2, 3), 1)
    check(lambda: function(patterns, queries, beta=0.0), ValueError, "beta")
    check(lambda: function(patterns, queries[:, :2]), ValueError, "queries")
    check(lambda: function(patterns[0], queries), ValueError, "patterns")


# ---------------------------------------------------------------- the letters they store


def test_letter_patterns_have_one_row_of_plus_or_minus_one_per_letter_every_time():
    pictures = letter_patterns("HOP", size=12)
    assert pictures.shape == (3, 144)
    assert set(np.unique(pictures)) == {-1.0, 1.0}
    assert np.array_equal(pictures, letter_patterns("HOP", size=12))
    assert len({row.tobytes() for row in pictures}) == 3  # three different pictures


def test_letter_o_has_ink_around_an_empty_centre():
    picture = letter_patterns("O", size=16)[0].reshape(16, 16)
    assert np.all(picture[6:10, 6:10] == -1)  # the hole
    middle_row, middle_column = picture[7:9], picture[:, 7:9]
    assert np.all((middle_row[:, :6] == 1).any(axis=1) & (middle_row[:, 10:] == 1).any(axis=1))
    assert np.all((middle_column[:6] == 1).any(axis=0) & (middle_column[10:] == 1).any(axis=0))
    assert np.all(picture[[0, -1]] == -1) and np.all(picture[:, [0, -1]] == -1)  # the margin


@pytest.mark.parametrize("size", [9, 16, 24])
def test_letter_i_is_left_right_symmetric_and_centred(size):
    picture = letter_patterns("I", size=size)[0].reshape(size, size)
    assert np.mean(picture != picture[:, ::-1]) < 0.05
    columns = np.nonzero(picture == 1)[1]
    assert abs(columns.mean() - (size - 1) / 2) <= 0.5


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"letters": ""}, ValueError, "letters"),
        ({"letters": "A B"}, ValueError, "letters"),
        ({"letters": 5}, TypeError, "letters"),
        ({"size": 3}, ValueError, "size"),
        ({"size": 100}, ValueError, "size"),
        ({"size": 8.0}, TypeError, "size"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_letter_patterns_refuse_bad_arguments_by_name(kwargs, error, words):
    check(lambda: letter_patterns(**kwargs), error, words)
