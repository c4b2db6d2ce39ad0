"""Model builders and shared figures."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

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
