"""Model builders and shared figures."""

import matplotlib

matplotlib.use("Agg")

import keras
import numpy as np
import pytest

from rnnbook import models
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
    with pytest.raises(ValueError, match="units must list"):
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
