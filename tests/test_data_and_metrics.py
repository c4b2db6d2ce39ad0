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
    with pytest.raises(ValueError, match="series must have 1 dimension"):
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
        (
            ([1.0, 2.0], [1.0, 2.0], float("inf")),
            ValueError,
            "variance must be a finite number > 0",
        ),
        (([1.0, np.nan], [1.0, 2.0]), ValueError, "y_true must be finite.*index 1"),
        (
            (pd.Series([1.0, 2.0], index=[1, 2]), pd.Series([2.0, 1.0], index=[2, 1])),
            ValueError,
            "different indexes",
        ),
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


def test_a_damaged_data_file_is_an_error_naming_it(monkeypatch, tmp_path):
    from rnnbook.data import data_dir

    for damage in (
        lambda text: text[: len(text) // 2],
        lambda text: text.replace("5", "6", 1),
        lambda text: "",
    ):
        copy = tmp_path / "data"
        copy.mkdir(exist_ok=True)
        original = (data_dir() / "sunspots_yearly.csv").read_text()
        (copy / "sunspots_yearly.csv").write_text(damage(original))
        monkeypatch.setenv("RNNBOOK_DATA_DIR", str(copy))
        with pytest.raises(
            ValueError, match=f"data file {copy / 'sunspots_yearly.csv'} is damaged"
        ):
            load_sunspots()


def test_windows_are_refused_on_a_series_with_gaps_or_nan():
    years = pd.Series(np.arange(30.0), index=[*range(1700, 1715), *range(1716, 1731)])
    with pytest.raises(ValueError, match="jumps from 1714 to 1716"):
        lagged_windows(years, [1, 2])
    shuffled = pd.Series(np.arange(30.0), index=np.arange(1700, 1730)[::-1])
    with pytest.raises(ValueError, match="increasing without repeats"):
        lagged_windows(shuffled, [1])
    with pytest.raises(ValueError, match="series must be finite"):
        lagged_windows([1.0, np.nan, 3.0, 4.0], [1])


def test_runs_of_ones_labels_sequences_with_a_run():
    from rnnbook.data import runs_of_ones

    x, y = runs_of_ones(200, 12, 3, rng=1)
    assert x.shape == (200, 12, 1) and y.shape == (200,)
    for row, label in zip(x[..., 0], y):
        text = "".join(str(int(v)) for v in row)
        assert bool(label) == ("111" in text)
    with pytest.raises(ValueError, match="run must be at most length"):
        runs_of_ones(5, 3, 4)


def test_delayed_recall_targets_are_the_inputs_delayed():
    from rnnbook.data import delayed_recall

    x, d = delayed_recall(4, 3, rng=np.random.default_rng(2), length=10)
    np.testing.assert_array_equal(d[:, 3:], x[:, :-3])
    assert np.all(d[:, :3] == 0) and np.all(np.abs(x) <= 1)
    with pytest.raises(ValueError, match="delay must be shorter than length"):
        delayed_recall(4, 10, length=10)


@pytest.mark.parametrize("length, tokens, vocabulary", [(12, 3, 4), (64, 4, 8), (5, 5, 2)])
def test_selective_copying_asks_for_the_data_tokens_in_their_order(length, tokens, vocabulary):
    from rnnbook.data import selective_copying

    inputs, targets = selective_copying(50, length, tokens, vocabulary, rng=3)
    assert inputs.shape == targets.shape == (50, length + tokens)
    assert inputs.dtype == targets.dtype == np.int32
    for row, target in zip(inputs, targets):
        data = row[:length][row[:length] > 0]  # the data tokens, read left to right
        assert len(data) == tokens and np.all((data >= 2) & (data < vocabulary + 2))
        np.testing.assert_array_equal(row[length:], 1)  # markers ask for them
        np.testing.assert_array_equal(target[length:], data)
        assert not target[:length].any()
    positions = [tuple(np.flatnonzero(row[:length])) for row in inputs]
    assert length == tokens or len(set(positions)) > 1, (
        "the data tokens should move from sequence to sequence"
    )
    again, _ = selective_copying(50, length, tokens, vocabulary, rng=3)
    np.testing.assert_array_equal(inputs, again)
    with pytest.raises(ValueError, match="tokens must be at most length"):
        selective_copying(2, 3, 4)
    with pytest.raises(ValueError, match="vocabulary must be"):
        selective_copying(2, 8, 2, vocabulary=1)


def test_nmse_by_period_scores_each_labelled_period():
    from rnnbook.metrics import nmse_by_period

    years = pd.RangeIndex(1900, 1910)
    truth = pd.Series(np.arange(10.0), index=years)
    guess = truth + np.where(years < 1905, 1.0, 2.0)
    scores = nmse_by_period(
        truth, guess, {"early": (1900, 1904), "late": (1905, 1909)}, variance=2.0
    )
    assert scores == {"early": 0.5, "late": 2.0}
    with pytest.raises(TypeError, match="pandas Series indexed by time"):
        nmse_by_period(truth.to_numpy(), guess, {"early": (1900, 1904)})
    with pytest.raises(ValueError, match="period 'x' must be"):
        nmse_by_period(truth, guess, {"x": 1900})
