"""The sunspot loader, lagged windows and NMSE."""

import numpy as np
import pandas as pd
import pytest

from rnnbook.data import lagged_windows, load_sunspots
from rnnbook.metrics import nmse


def test_sunspots_cover_1700_to_2008_by_year():
    series = load_sunspots()
    assert series.index[0] == 1700 and series.index[-1] == 2008 and len(series) == 309
    assert series.index.is_monotonic_increasing and series.notna().all()
    assert series.loc[1700] == 5.0 and series.loc[1957] == 190.2


def test_lagged_windows_place_each_past_value_in_its_column():
    series = pd.Series(np.arange(10.0) * 10, index=range(2000, 2010))
    X, y = lagged_windows(series, [1, 3])
    assert list(X.columns) == ["x(t-1)", "x(t-3)"]
    assert list(X.index) == list(range(2003, 2010)) and list(y.index) == list(X.index)
    assert X.loc[2005].tolist() == [40.0, 20.0] and y.loc[2005] == 50.0


@pytest.mark.parametrize("lags, rows", [([1], 9), ([2, 1], 8), ([1, 2, 3, 6, 12], None)])
def test_lagged_windows_drop_the_first_max_lag_values(lags, rows):
    series = np.arange(30.0) if rows is None else np.arange(10.0)
    X, y = lagged_windows(series, lags)
    assert len(X) == len(y) == len(series) - max(lags)
    np.testing.assert_array_equal(y.to_numpy() - X.iloc[:, 0].to_numpy(), lags[0])


def test_sunspot_windows_of_the_benchmark():
    X, _ = lagged_windows(load_sunspots().loc[:1979], [1, 2, 3, 6, 12])
    assert X.shape == (268, 5) and X.index[0] == 1712


@pytest.mark.parametrize(
    "lags, message",
    [
        ([], "empty"),
        ([0, 1], "positive"),
        ([-2], "positive"),
        ([1.5], "positive"),
        ([1, 1], "repeat"),
    ],
)
def test_bad_lags_are_clear_errors(lags, message):
    with pytest.raises(ValueError, match=f"lags.*{message}|{message}.*lags"):
        lagged_windows(np.arange(20.0), lags)


@pytest.mark.parametrize("lags", [3, "1,2", None])
def test_lags_that_are_not_a_list_are_a_type_error(lags):
    with pytest.raises(TypeError, match="lags"):
        lagged_windows(np.arange(20.0), lags)


def test_series_shorter_than_the_largest_lag_is_a_clear_error():
    with pytest.raises(ValueError, match="series has 5 values.*largest lag 12"):
        lagged_windows(np.arange(5.0), [1, 12])


def test_series_that_is_not_one_dimensional_is_a_clear_error():
    with pytest.raises(ValueError, match="series must be 1-D"):
        lagged_windows(np.zeros((5, 2)), [1])


def test_nmse_is_zero_for_perfect_and_one_for_the_mean():
    y = np.array([1.0, 2.0, 3.0, 6.0])
    assert nmse(y, y) == 0.0
    assert nmse(y, np.full(4, y.mean())) == pytest.approx(1.0)


def test_nmse_divides_by_the_given_variance():
    assert nmse([0.0, 0.0], [1.0, 3.0], variance=5.0) == pytest.approx(1.0)


def test_nmse_accepts_a_column_against_a_vector():
    assert nmse(np.array([[1.0], [2.0]]), np.array([1.0, 2.0])) == 0.0


@pytest.mark.parametrize(
    "args, error, message",
    [
        (([], []), ValueError, "y_true"),
        (([1.0, 2.0], [1.0, 2.0, 3.0]), ValueError, "same shape"),
        (([1.0, 1.0], [1.0, 1.0]), ValueError, "variance"),
        (([1.0, 2.0], [1.0, 2.0], -1.0), ValueError, "variance"),
        (([1.0, 2.0], [1.0, 2.0], "1"), TypeError, "variance"),
    ],
)
def test_nmse_bad_input_is_a_clear_error(args, error, message):
    with pytest.raises(error, match=message):
        nmse(*args)


def test_data_dir_prefers_the_environment_and_says_what_is_missing(monkeypatch, tmp_path):
    from rnnbook.data import data_dir

    monkeypatch.setenv("RNNBOOK_DATA_DIR", str(tmp_path))
    assert data_dir() == tmp_path
    monkeypatch.setenv("RNNBOOK_DATA_DIR", str(tmp_path / "absent"))
    with pytest.raises(FileNotFoundError, match="data folder is missing.*RNNBOOK_DATA_DIR"):
        data_dir()
