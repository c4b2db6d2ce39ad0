"""Model builders and shared figures."""

import matplotlib

matplotlib.use("Agg")

import keras
import numpy as np
import pytest

from rnnbook import autodiff, models
from rnnbook.cells import GRUCell, LSTMCell, SimpleRecurrentCell
from rnnbook.models import sequence_regressor
from rnnbook.plots import plot_sequence_predictions


@pytest.mark.parametrize(
    "make_cell, units, params",
    [
        (SimpleRecurrentCell, [5], 41),
        (LSTMCell, [5], 146),
        (SimpleRecurrentCell, [10], 131),
        (LSTMCell, [5, 3], 252),
        (lambda m: GRUCell(m, reset_after=False), [5, 3], 190),
        (lambda m: GRUCell(m, reset_after=True), [5, 3], 214),
        (LSTMCell, [25], 2726),
    ],
)
def test_sequence_regressor_has_the_book_parameter_counts(make_cell, units, params):
    model = sequence_regressor(make_cell, units)
    assert model.count_params() == params
    assert model(np.zeros((2, 7, 1))).shape == (2, 7, 1)


@pytest.mark.parametrize(
    "units, error", [([], ValueError), ([0], ValueError), ([2.5], TypeError), ("5", TypeError)]
)
def test_sequence_regressor_rejects_bad_units(units, error):
    with pytest.raises(error, match="units"):
        sequence_regressor(LSTMCell, units)


def test_sequence_regressor_takes_numpy_ints():
    assert sequence_regressor(LSTMCell, np.array([5, 3])).count_params() == 252


def test_plot_sequence_predictions_draws_one_panel_per_model():
    x = np.zeros(30)
    fig = plot_sequence_predictions(x, x, [x, x], ["a", "b"], steps=slice(0, 20))
    assert len(fig.axes) == 2 and fig.axes[1].get_title(loc="left") == "b"


def test_plot_sequence_predictions_takes_a_number_of_steps():
    x = np.arange(200.0)
    fig = plot_sequence_predictions(x, x, [x], ["a"], steps=100)
    assert len(fig.axes[0].lines[0].get_xdata()) == 100


def test_plot_sequence_predictions_refuses_series_of_other_lengths():
    with pytest.raises(ValueError, match=r"predictions\[0\] has 4 steps, inputs have 5"):
        plot_sequence_predictions(np.zeros(5), np.zeros(5), [np.zeros(4)], ["a"])


def test_plot_sequence_predictions_needs_a_title_per_prediction():
    with pytest.raises(ValueError, match="same length"):
        plot_sequence_predictions(np.zeros(5), np.zeros(5), [np.zeros(5)], ["a", "b"])


def test_iterated_forecast_feeds_its_predictions_back():
    from rnnbook.models import iterated_forecast

    def half_sum(inputs):  # x(t) = (x(t-1) + x(t-2)) / 2
        return inputs.sum(axis=1) / 2

    forecast = iterated_forecast(half_sum, [0.0, 4.0], lags=[1, 2], horizon=3)
    np.testing.assert_allclose(forecast, [2.0, 3.0, 2.5])
    several = iterated_forecast(half_sum, [[0.0, 4.0], [2.0, 2.0]], lags=[1, 2], horizon=3)
    np.testing.assert_allclose(several, [[2.0, 3.0, 2.5], [2.0, 2.0, 2.0]])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        (
            {"history": [1.0], "lags": [1, 2], "horizon": 2},
            ValueError,
            "fewer than the largest lag 2",
        ),
        (
            {"history": [1.0, 2.0], "lags": [1], "horizon": 0},
            ValueError,
            "horizon must be an int >= 1",
        ),
        (
            {"history": [1.0, np.nan], "lags": [1], "horizon": 1},
            ValueError,
            "history must be finite",
        ),
    ],
)
def test_iterated_forecast_refuses_what_it_cannot_do(kwargs, error, message):
    from rnnbook.models import iterated_forecast

    with pytest.raises(error, match=message):
        iterated_forecast(lambda x: x[:, 0], **kwargs)


def test_time_delay_network_has_the_books_29_weights():
    from rnnbook.models import time_delay_network

    assert time_delay_network().count_params() == 29
    assert time_delay_network(12, 4).count_params() == 12 * 4 + 4 + 4 + 1


@pytest.mark.parametrize("units", [[3], [4, 5], [2, 3, 4]])
def test_skip_lstm_parameter_formula_matches_keras(units):
    model = models.skip_lstm_language_model(11, units)
    assert model.count_params() == models.skip_lstm_parameters(11, units)


def test_skip_lstm_at_the_lectures_size_has_about_13_6_million_weights():
    assert models.skip_lstm_parameters(103, [1024, 1024]) == 13_645_927


def test_skip_lstm_with_book_cells_equals_keras_lstm_and_stateful_carries_state():
    keras.utils.set_random_seed(0)
    builtin = models.skip_lstm_language_model(7, [4, 3])
    book = models.skip_lstm_language_model(7, [4, 3], cell=LSTMCell)
    book.set_weights(builtin.get_weights())
    ids = np.random.default_rng(0).integers(0, 7, size=(2, 9))
    assert np.max(np.abs(keras.ops.convert_to_numpy(book(ids) - builtin(ids)))) < 1e-5
    stateful = models.skip_lstm_language_model(7, [4, 3], batch_size=2, stateful=True)
    stateful.set_weights(builtin.get_weights())
    halves = [
        keras.ops.convert_to_numpy(stateful(ids[:, :4])),
        keras.ops.convert_to_numpy(stateful(ids[:, 4:])),
    ]
    assert np.allclose(
        np.concatenate(halves, axis=1), keras.ops.convert_to_numpy(builtin(ids)), atol=1e-5
    )


def test_skip_lstm_refuses_bad_input():
    with pytest.raises(ValueError, match="fixed batch_size"):
        models.skip_lstm_language_model(7, [4], stateful=True)
    with pytest.raises(ValueError, match="units must hold at least one int"):
        models.skip_lstm_language_model(7, [])
    with pytest.raises(ValueError, match="vocabulary_size"):
        models.skip_lstm_parameters(1, [4])


def test_coloured_text_colours_each_character_and_escapes_html():
    from rnnbook.plots import coloured_text

    shown = coloured_text("a<b\nc ", [0.0, 1.0, 0.5, 0.0, 1.0, 0.2], cmap="Greys").data
    assert shown.count('<span style="background:') == 5 + 2  # 5 characters + the legend's 2
    assert "&lt;" in shown and "\n" in shown and "mathjax_ignore" in shown
    assert '<span style="background:#ffffff">a</span>' in shown  # 0 is white in Greys
    with pytest.raises(ValueError, match="one number per character"):
        coloured_text("abc", [1.0, 2.0])
    with pytest.raises(ValueError, match="non-empty str"):
        coloured_text("", [])


@pytest.mark.parametrize(("kernel_size", "dilations"), [(2, [1, 2, 4, 8]), (3, [1, 3]), (2, [1])])
def test_the_causal_cnn_sees_exactly_its_receptive_field(kernel_size, dilations):
    field = models.receptive_field(kernel_size, dilations)
    assert field == 1 + (kernel_size - 1) * sum(dilations)
    keras.utils.set_random_seed(0)
    model = models.causal_cnn(4, dilations, kernel_size=kernel_size, n_inputs=1)
    rng = np.random.default_rng(0)
    for layer in model.layers:  # positive weights and inputs: every ReLU stays open
        if isinstance(layer, keras.layers.Conv1D | keras.layers.Dense):
            kernel, bias = layer.get_weights()
            layer.set_weights([np.abs(rng.normal(size=kernel.shape)) + 0.1, bias])
    x = rng.uniform(0.1, 1.0, size=(1, 40, 1)).astype("float32")
    gradient = autodiff.gradient(lambda t: model(t)[0, -1, 0], x)
    seen = np.flatnonzero(keras.ops.convert_to_numpy(gradient)[0, :, 0])
    assert seen.tolist() == list(range(40 - field, 40))


def test_the_causal_transformer_looks_only_back_and_saves():
    keras.utils.set_random_seed(0)
    model = models.causal_transformer(8, heads=2, vocabulary_size=6)
    ids = np.random.default_rng(0).integers(0, 6, size=(2, 12))
    changed = ids.copy()
    changed[:, 7] = (changed[:, 7] + 1) % 6
    before, after = (keras.ops.convert_to_numpy(model(v)) for v in (ids, changed))
    assert np.allclose(before[:, :7], after[:, :7], atol=1e-6)  # the past does not see the change
    assert np.max(np.abs(before[:, 7:] - after[:, 7:])) > 1e-4
    assert np.allclose(before.sum(-1), 1, atol=1e-5) and before.shape == (2, 12, 6)
    regressor = models.causal_transformer(8, heads=2, n_inputs=3, n_outputs=2)
    assert regressor(np.zeros((1, 5, 3), "float32")).shape == (1, 5, 2)


def test_sinusoidal_positions_follow_the_formula_for_any_length():
    layer = models.SinusoidalPositions()
    code = keras.ops.convert_to_numpy(layer(np.zeros((1, 50, 6), "float32")))[0]
    t, i = 37, 2  # the pair of columns 4 and 5
    assert np.isclose(code[t, 2 * i], np.sin(t / 10000 ** (2 * i / 6)), atol=1e-5)
    assert np.isclose(code[t, 2 * i + 1], np.cos(t / 10000 ** (2 * i / 6)), atol=1e-5)
    assert np.allclose(code[0, 1::2], 1) and np.allclose(code[0, ::2], 0)


def test_sequence_models_refuse_bad_input():
    with pytest.raises(ValueError, match="exactly one of n_inputs"):
        models.causal_cnn(4, [1, 2], n_inputs=1, vocabulary_size=5)
    with pytest.raises(ValueError, match="exactly one of n_inputs"):
        models.causal_transformer(8)
    with pytest.raises(ValueError, match="multiple of heads"):
        models.causal_transformer(10, heads=4, n_inputs=1)
    with pytest.raises(TypeError, match="dilations must be a list of ints"):
        models.receptive_field(2, 4)
    with pytest.raises(ValueError, match=r"dilations\[\d\]"):
        models.receptive_field(2, [1, 0])


@pytest.mark.parametrize(
    "make_layer",
    [
        lambda u: keras.layers.LSTM(u, return_sequences=True),
        lambda u: keras.layers.RNN(LSTMCell(u), return_sequences=True),
    ],
)
def test_the_hand_set_delay_line_lstm_recalls_40_steps_back(make_layer):
    from rnnbook.data import delayed_recall
    from rnnbook.metrics import nmse

    x, y = delayed_recall(200, 40, np.random.default_rng(1), length=64)
    model = keras.Sequential([keras.Input((None, 1)), make_layer(45), keras.layers.Dense(1)])
    model.set_weights(models.delay_line_lstm_weights(40, 45))
    prediction = model.predict(x, verbose=0)
    assert nmse(y[:, 40:], prediction[:, 40:]) < 1e-3
    # it recalls that delay and no other: against the input 39 steps back it is as bad as a guess
    assert nmse(x[:, 1:-39], prediction[:, 40:]) > 0.5
    # a larger scale drives the tanh of every stage out of its linear range
    model.set_weights(models.delay_line_lstm_weights(40, 45, scale=0.3))
    assert nmse(y[:, 40:], model.predict(x, verbose=0)[:, 40:]) > 1e-2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"delay": 0}, "delay"),
        ({"delay": 40, "units": 40}, "at least delay \\+ 1 = 41"),
        ({"delay": 3, "scale": 0.0}, "scale"),
        ({"delay": 3, "saturation": -1}, "saturation"),
        ({"delay": 2.5}, "delay"),
    ],
)
def test_delay_line_lstm_weights_refuses_bad_input(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        models.delay_line_lstm_weights(**kwargs)
