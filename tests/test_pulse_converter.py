"""The pulse-converter generator."""

import numpy as np
import pytest

from rnnbook.data import pulse_converter, pulses_to_end_spikes, start_spikes_to_pulses


@pytest.mark.parametrize("inverse", [False, True])
def test_shapes_and_dtype(inverse):
    x, y = pulse_converter(4, length=50, max_width=8, inverse=inverse)
    assert x.shape == y.shape == (4, 50, 1) and x.dtype == y.dtype == np.float32


def test_same_seed_same_sequences_other_seed_others():
    a, b, c = (pulse_converter(3, seed=s)[0] for s in (5, 5, 6))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_forward_rule_on_a_hand_made_example():
    pulses = [0, 1, 1, 1, 0, 0, 1, 0, 1, 1]  # widths 3 and 1, then one cut off by the end
    expected = [0, 0, 0, 0, 0.75, 0, 0, 0.25, 0, 0]
    np.testing.assert_array_equal(pulses_to_end_spikes(pulses, max_width=4), expected)


def test_inverse_rule_on_a_hand_made_example():
    spikes = [0.5, 0, 0, 0, 0.25, 0, 0, 0, 1.0, 0]
    expected = [0, 1, 1, 0, 0, 1, 0, 0, 0, 1]
    np.testing.assert_array_equal(start_spikes_to_pulses(spikes, max_width=4), expected)


@pytest.mark.parametrize("inverse", [False, True])
def test_generated_targets_follow_the_rule(inverse):
    x, y = pulse_converter(30, length=120, max_width=10, inverse=inverse, seed=1)
    rule = start_spikes_to_pulses if inverse else pulses_to_end_spikes
    assert np.count_nonzero(x) > 30, "every sequence holds events"
    np.testing.assert_allclose(rule(x, max_width=10), y, atol=1e-7)


def test_forward_and_inverse_describe_the_same_events():
    pulses, end_spikes = pulse_converter(5, seed=3)
    start_spikes, pulses_again = pulse_converter(5, seed=3, inverse=True)
    np.testing.assert_array_equal(pulses, pulses_again)
    for starts, ends in zip(start_spikes[..., 0], end_spikes[..., 0]):
        np.testing.assert_array_equal(starts[starts > 0], ends[ends > 0])


def test_rules_reject_input_of_the_wrong_shape():
    with pytest.raises(ValueError, match="pulses must have shape"):
        pulses_to_end_spikes(np.zeros((2, 5, 3)), max_width=4)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_sequences": 0}, "n_sequences"),
        ({"n_sequences": 2, "length": 5, "max_width": 10}, "too short"),
        ({"n_sequences": 2, "max_width": 0}, "max_width"),
        ({"n_sequences": 2, "min_gap": -1}, "min_gap"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pulse_converter(**kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_sequences": 2.5}, "n_sequences must be an int >= 1, got 2.5"),
        ({"n_sequences": 2, "inverse": "False"}, "inverse must be True or False"),
    ],
)
def test_arguments_of_the_wrong_kind_are_type_errors(kwargs, message):
    with pytest.raises(TypeError, match=message):
        pulse_converter(**kwargs)


def test_numpy_ints_are_accepted_as_sizes():
    inputs, targets = pulse_converter(np.int64(2), length=np.int32(40))
    assert inputs.shape == targets.shape == (2, 40, 1)


def test_rules_read_model_outputs_near_one_as_pulses():
    outputs = [0.02, 0.97, 0.99, 0.96, 0.1, 0.0]
    assert pulses_to_end_spikes(outputs, max_width=4).tolist() == [0, 0, 0, 0, 0.75, 0]


@pytest.mark.parametrize(
    "rule, values, max_width, error, message",
    [
        ("forward", [0, 1, 0], 0, ValueError, "max_width must be an int >= 1, got 0"),
        ("inverse", [0.5, 0, 0], 0, ValueError, "max_width must be an int >= 1, got 0"),
        ("inverse", [-0.5, 0, 0], 4, ValueError, "spikes must be heights >= 0"),
        ("forward", [0, np.nan, 0], 4, ValueError, "pulses must be finite.*index 1"),
        ("forward", [0, 1, 0], 2.5, TypeError, "max_width must be an int"),
    ],
)
def test_rules_refuse_what_they_cannot_convert(rule, values, max_width, error, message):
    convert = pulses_to_end_spikes if rule == "forward" else start_spikes_to_pulses
    with pytest.raises(error, match=message):
        convert(values, max_width=max_width)
