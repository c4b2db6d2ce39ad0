"""Online updating, truncated BPTT and the gradient probe."""

import keras
import numpy as np
import pytest

from rnnbook import autodiff, models, training
from rnnbook.cells import ElmanCell, LSTMCell, SimpleRecurrentCell
from rnnbook.data import text


def sequence(length=24, seed=0):
    x = np.random.default_rng(seed).normal(size=(length, 2)).astype("float32")
    return x, np.roll(x[:, :1], 2, axis=0)  # target: the first feature two steps ago


@pytest.mark.parametrize("window", [1, 4, 6])
@pytest.mark.parametrize("make_cell", [SimpleRecurrentCell, ElmanCell, LSTMCell])
def test_truncated_bptt_equals_a_stateful_layer_fed_windows_in_order(make_cell, window):
    x, y = sequence()
    keras.utils.set_random_seed(1)
    stateful = keras.Sequential(
        [
            keras.Input(batch_shape=(1, window, 2)),
            keras.layers.RNN(make_cell(3), stateful=True, return_sequences=True),
            keras.layers.Dense(1),
        ]
    )
    start = stateful.get_weights()
    stateful.compile(keras.optimizers.SGD(0.05), "mse")
    windows = len(x) // window
    stateful.fit(
        x.reshape(windows, window, 2),
        y.reshape(windows, window, 1),
        batch_size=1,
        shuffle=False,
        epochs=1,
        verbose=0,
        callbacks=[training.CarryStates()],  # zeroes the state once, then carries it
    )
    layer, readout = keras.layers.RNN(make_cell(3)), keras.layers.Dense(1)
    layer.build((None, None, 2))
    readout.build((None, 3))
    layer.set_weights(start[: len(layer.get_weights())])
    readout.set_weights(start[len(layer.get_weights()) :])
    losses = training.truncated_bptt(
        layer, readout, x, y, window, keras.optimizers.SGD(0.05), progress=False
    )
    assert losses.shape == (1, windows)
    ours = layer.get_weights() + readout.get_weights()
    difference = max(np.max(np.abs(a - b)) for a, b in zip(ours, stateful.get_weights()))
    assert difference < 1e-5
    assert difference < 1e-5 < max(np.max(np.abs(a - b)) for a, b in zip(ours, start))


def test_train_online_lowers_the_error_of_an_elman_net():
    x, y = sequence(60)
    keras.utils.set_random_seed(2)
    losses = training.train_online(
        keras.layers.RNN(ElmanCell(5)), keras.layers.Dense(1), x, y, 0.05, epochs=15, progress=False
    )
    assert losses.shape == (15, 60)
    assert losses[-1].mean() < 0.7 * losses[0].mean()


def test_truncated_bptt_accepts_an_optimizer_by_name():
    x, y = sequence(12)
    losses = training.truncated_bptt(
        SimpleRecurrentCell(3), keras.layers.Dense(1), x, y, 4, "adam", epochs=2, progress=False
    )
    assert losses.shape == (2, 3) and np.all(np.isfinite(losses))


def test_online_update_is_one_step_of_gradient_descent_on_that_step_alone():
    x, y = sequence(2)
    cell, readout = ElmanCell(3), keras.layers.Dense(1)
    cell.build((None, 2))
    readout.build((None, 3))
    before = [w.numpy().copy() for w in cell.weights + readout.weights]
    training.train_online(cell, readout, x[:1], y[:1], learning_rate=0.1, progress=False)
    variables = cell.weights + readout.weights
    for variable, value in zip(variables, before):
        variable.assign(value)

    def loss():
        h, _ = cell(x[:1], [keras.ops.zeros((1, 3))])
        return keras.ops.mean(keras.ops.square(readout(h) - y[:1])), None

    _, _, gradients = autodiff.value_and_gradients(loss, variables)
    expected = [value - 0.1 * keras.ops.convert_to_numpy(g) for value, g in zip(before, gradients)]
    training.train_online(cell, readout, x[:1], y[:1], learning_rate=0.1, progress=False)
    for variable, value in zip(variables, expected):
        np.testing.assert_allclose(variable.numpy(), value, atol=1e-6)


def test_probe_matches_the_product_of_one_step_jacobians_for_a_linear_cell():
    cell = SimpleRecurrentCell(3, activation="linear", use_bias=False)
    cell.build((None, 1))
    W = np.diag([0.5, 0.8, 1.2]).astype("float32")
    cell.recurrent_kernel.assign(W)
    norms = training.state_jacobian_norms(cell, np.ones((6, 1)))
    for t in range(6):
        for k in range(t + 1):
            assert norms[t, k] == pytest.approx(1.2 ** (t - k), rel=1e-5)
    assert np.isnan(norms[0, 1])


def test_probe_sees_no_path_through_an_elman_context():
    norms = training.state_jacobian_norms(ElmanCell(3), np.ones((4, 1)))
    assert np.all(norms[np.tril_indices(4, -1)] == 0.0)


def test_probe_measures_the_lstm_cell_state():
    norms = training.state_jacobian_norms(keras.layers.RNN(LSTMCell(4)), np.ones((5, 2)), 1)
    assert norms.shape == (5, 5) and np.all(norms[np.tril_indices(5, -1)] > 0)


@pytest.mark.parametrize("window, error", [(0, ValueError), (-1, ValueError), (1.5, TypeError)])
def test_window_below_one_is_a_clear_error(window, error):
    x, y = sequence()
    with pytest.raises(error, match="window must be an int >= 1"):
        training.truncated_bptt(ElmanCell(2), keras.layers.Dense(1), x, y, window, "sgd")


@pytest.mark.parametrize("window", [3, 7])
def test_a_window_that_does_not_divide_the_sequence_leaves_a_shorter_last_one(window):
    signal = np.sin(np.arange(41) / 3).astype("float32")[:, None]
    losses = training.truncated_bptt(
        keras.layers.RNN(SimpleRecurrentCell(4)),
        keras.layers.Dense(1),
        signal[:-1],
        signal[1:],
        window,
        "sgd",
        epochs=2,
        progress=False,
    )
    assert losses.shape == (2, -(-40 // window)) and np.all(np.isfinite(losses))


def test_a_readout_of_the_wrong_width_is_a_clear_error():
    x, y = sequence()
    with pytest.raises(ValueError, match="readout gives 2 output.*targets have 1"):
        training.truncated_bptt(ElmanCell(2), keras.layers.Dense(2), x, y, 4, "sgd", progress=False)


def test_nan_inputs_are_refused_and_divergence_is_named():
    x, y = sequence()
    x[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"inputs must be finite.*index \(3, 1\)"):
        training.truncated_bptt(ElmanCell(2), keras.layers.Dense(1), x, y, 4, "sgd", progress=False)
    signal = np.sin(np.arange(41) / 3).astype("float32")[:, None] * 1e3
    with pytest.raises(FloatingPointError, match="the loss became .* in epoch 1, window"):
        training.truncated_bptt(
            keras.layers.RNN(SimpleRecurrentCell(4)),
            keras.layers.Dense(1),
            signal[:-1],
            signal[1:],
            3,
            keras.optimizers.SGD(10.0),
            epochs=3,
            progress=False,
        )


def test_sequence_shorter_than_one_window_is_a_clear_error():
    x, y = sequence(5)
    with pytest.raises(ValueError, match="5 steps, shorter than one window of 8"):
        training.truncated_bptt(ElmanCell(2), keras.layers.Dense(1), x, y, 8, "sgd")


@pytest.mark.parametrize("function", ["truncated_bptt", "state_jacobian_norms"])
def test_a_layer_that_is_not_recurrent_is_a_clear_error(function):
    x, y = sequence()
    dense = keras.layers.Dense(3)
    with pytest.raises(TypeError, match="layer must be a recurrent layer"):
        if function == "truncated_bptt":
            training.truncated_bptt(dense, keras.layers.Dense(1), x, y, 2, "sgd")
        else:
            training.state_jacobian_norms(dense, x)


def test_inputs_of_the_wrong_rank_and_mismatched_targets_are_clear_errors():
    x, y = sequence()
    with pytest.raises(ValueError, match=r"inputs must have 1 or 2 dimension\(s\), got shape"):
        training.state_jacobian_norms(ElmanCell(2), x[None])
    with pytest.raises(ValueError, match="same length"):
        training.train_online(ElmanCell(2), keras.layers.Dense(1), x, y[:-1])
    with pytest.raises(ValueError, match="learning_rate"):
        training.train_online(ElmanCell(2), keras.layers.Dense(1), x, y, learning_rate=0)


def test_fit_and_score_trains_one_model_per_seed_and_reports_the_spread():
    from rnnbook.data import pulse_converter
    from rnnbook.models import sequence_regressor

    x, y = pulse_converter(8, length=30, max_width=5, seed=1)
    xt, yt = pulse_converter(4, length=30, max_width=5, seed=2)
    scored = training.fit_and_score(
        lambda: sequence_regressor(SimpleRecurrentCell, [3]),
        (x, y, xt, yt),
        seeds=[0, 1],
        epochs=2,
        progress=False,
    )
    assert scored["nmse"].shape == (2,) and scored["parameters"] == 19
    assert scored["nmse_mean"] == pytest.approx(scored["nmse"].mean())
    assert (
        scored["nmse_std"] == pytest.approx(scored["nmse"].std(ddof=1)) and scored["nmse_std"] > 0
    )
    assert scored["predictions"].shape == yt.shape
    again = training.fit_and_score(
        lambda: sequence_regressor(SimpleRecurrentCell, [3]),
        (x, y, xt, yt),
        seeds=[0],
        epochs=2,
        progress=False,
    )
    assert again["nmse"][0] == pytest.approx(scored["nmse"][0]), "a seed repeats its run"
    with pytest.raises(ValueError, match="data must be"):
        training.fit_and_score(lambda: None, (x, y), progress=False)


def test_fit_and_score_returns_every_seeds_predictions_each_as_that_seed_alone_gives():
    from rnnbook.data import pulse_converter
    from rnnbook.metrics import nmse
    from rnnbook.models import sequence_regressor

    x, y = pulse_converter(8, length=30, max_width=5, seed=1)
    xt, yt = pulse_converter(4, length=30, max_width=5, seed=2)

    def build():
        return sequence_regressor(SimpleRecurrentCell, [3])

    scored = training.fit_and_score(
        build, (x, y, xt, yt), seeds=[0, 1, 2], epochs=2, progress=False
    )
    every = scored["predictions_per_seed"]
    assert len(every) == 3 and all(p.shape == yt.shape for p in every)
    assert np.array_equal(every[0], scored["predictions"]), "the first entry is the first seed's"
    assert [nmse(yt, p) for p in every] == pytest.approx(scored["nmse"])
    assert not np.allclose(every[1], every[2]), "each seed has its own model"
    alone = training.fit_and_score(build, (x, y, xt, yt), seeds=[1], epochs=2, progress=False)
    assert np.allclose(alone["predictions"], every[1], atol=1e-6), "seed 1 gives the same run alone"
    assert len(alone["predictions_per_seed"]) == 1


def test_slope_per_step_reads_a_geometric_fade():
    t = np.arange(10)
    norms = 10.0 ** (-0.2 * (t[:, None] - t[None, :]))  # a factor 10 every 5 steps
    slope, curve = training.slope_per_step(np.tril(norms), [1, 2, 3, 4])
    assert slope == pytest.approx(-0.2) and np.allclose(curve, [-0.2, -0.4, -0.6, -0.8])
    with pytest.raises(ValueError, match="at least two distances"):
        training.slope_per_step(norms, [1])


def test_scaled_to_spectral_radius():
    raw = np.random.default_rng(0).normal(size=(6, 6))
    scaled = training.scaled_to_spectral_radius(raw, 0.9)
    assert np.max(np.abs(np.linalg.eigvals(scaled))) == pytest.approx(0.9)
    with pytest.raises(ValueError, match="must be square"):
        training.scaled_to_spectral_radius(np.ones((2, 3)), 1.0)


def test_stream_windows_orders_windows_so_each_batch_row_continues_its_stream():
    streams = np.arange(2 * 6).reshape(2, 6, 1)  # stream 0: 0..5, stream 1: 6..11
    windows = training.stream_windows(streams, 3)
    assert windows.shape == (4, 3, 1)
    assert windows[:, :, 0].tolist() == [[0, 1, 2], [6, 7, 8], [3, 4, 5], [9, 10, 11]]


@pytest.mark.parametrize(
    ("streams", "window", "error", "words"),
    [
        (np.zeros((2, 7, 1)), 3, ValueError, "multiple of window"),
        (np.zeros((7, 1)), 1, ValueError, "streams must have 3 dimension"),
        (np.zeros((2, 6, 1)), 0, ValueError, "window"),
        ("abc", 1, TypeError, "streams must be an array"),
    ],
)
def test_stream_windows_refuses_bad_input(streams, window, error, words):
    with pytest.raises(error, match=words):
        training.stream_windows(streams, window)


def test_keep_last_finite_restores_the_weights_before_the_diverging_batch():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(10.0), "mse")  # far too large: the loss overflows
    x = np.full((64, 1), 100.0, "float32")
    keep = training.KeepLastFinite()
    model.fit(x, -x, batch_size=8, epochs=3, verbose=0, callbacks=[keep])
    assert keep.diverged_at is not None and keep.diverged_at[0] == 0
    assert all(np.all(np.isfinite(w)) for w in model.get_weights())
    assert np.isfinite(model.evaluate(x[:8], -x[:8], verbose=0))


def test_keep_last_finite_leaves_a_finite_run_alone():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.01), "mse")
    x = np.linspace(-1, 1, 32, dtype="float32")[:, None]
    keep = training.KeepLastFinite()
    history = model.fit(x, 2 * x, batch_size=8, epochs=2, verbose=0, callbacks=[keep])
    assert keep.diverged_at is None and len(history.history["loss"]) == 2


def _stateful_counter(batch_size):
    """A stateful model whose output is the running sum of its inputs (its state)."""
    keras.utils.set_random_seed(0)
    inputs = keras.Input(batch_shape=(batch_size, None, 1))
    rnn = keras.layers.SimpleRNN(1, activation=None, return_sequences=True, stateful=True)
    model = keras.Model(inputs, rnn(inputs))
    rnn.set_weights([np.ones((1, 1)), np.ones((1, 1)), np.zeros(1)])
    return model


def test_reset_states_zeroes_every_stateful_layer_and_counts_them():
    model = _stateful_counter(2)
    ones = np.ones((2, 3, 1), "float32")
    first = keras.ops.convert_to_numpy(model(ones))
    assert keras.ops.convert_to_numpy(model(ones))[0, 0, 0] == 4  # carried: 3 + 1
    assert training.reset_states(model) == 1
    assert np.array_equal(keras.ops.convert_to_numpy(model(ones)), first)
    assert training.reset_states(keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])) == 0
    with pytest.raises(TypeError, match="model must be a Keras model"):
        training.reset_states("model")


def test_carry_states_validates_from_zero_states_and_hands_val_loss_on():
    keras.utils.set_random_seed(0)
    model = models.skip_lstm_language_model(5, [4], batch_size=2, stateful=True)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy")
    ids = np.random.default_rng(0).integers(1, 5, 200)
    x, y = text.char_streams(ids[:120], 2, 6)
    xv, yv = text.char_streams(ids[120:], 2, 6)
    seen = []
    callback = keras.callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(dict(logs)))
    carry = training.CarryStates(xv, yv, batch_size=2)
    history = model.fit(
        x, y, batch_size=2, epochs=2, shuffle=False, verbose=0, callbacks=[carry, callback]
    )
    assert len(history.history["val_loss"]) == 2 and "val_loss" in seen[-1]
    # the same number from zero states; and a second pass from the states it left is the same
    training.reset_states(model)
    assert model.evaluate(xv, yv, batch_size=2, verbose=0) == pytest.approx(seen[-1]["val_loss"])
    carried = model.evaluate(xv, yv, batch_size=2, verbose=0)  # from the carried states
    assert carried != pytest.approx(seen[-1]["val_loss"], abs=1e-7)


def stateful_lstm():
    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((3, 1), batch_size=2),
            keras.layers.LSTM(4, stateful=True),
            keras.layers.Dense(1),
        ]
    )


def test_after_reset_states_fit_evaluate_and_predict_carry_the_states_on_every_backend(tmp_path):
    """Keras 3.15 under JAX carries nothing through fit/evaluate/predict by itself (predict
    twice gives the same); reset_states makes it carry, as TensorFlow does, weights unchanged."""
    model = stateful_lstm()
    weights = len(model.get_weights())
    x = np.ones((4, 3, 1), "float32")
    assert training.reset_states(model) == 1
    first = model.predict(x, batch_size=2, verbose=0)
    assert np.max(np.abs(first[:2] - first[2:])) > 1e-4  # carried within one call
    again = model.predict(x[:2], batch_size=2, verbose=0)
    assert np.max(np.abs(first[2:] - again)) > 1e-5  # and from one call to the next
    training.reset_states(model)
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.fit(x, np.ones((4, 1)), batch_size=2, shuffle=False, verbose=0)
    assert np.max(np.abs(keras.ops.convert_to_numpy(model.layers[0].states[0]))) > 1e-3
    training.reset_states(model)
    from_zero = model.evaluate(x, np.ones((4, 1)), batch_size=2, verbose=0)
    assert model.evaluate(x, np.ones((4, 1)), batch_size=2, verbose=0) != pytest.approx(from_zero)
    training.reset_states(model)
    assert model.evaluate(x, np.ones((4, 1)), batch_size=2, verbose=0) == pytest.approx(from_zero)
    assert len(model.get_weights()) == weights
    model.save(tmp_path / "stateful.keras")
    loaded = keras.saving.load_model(tmp_path / "stateful.keras")
    assert len(loaded.get_weights()) == weights
    for a, b in zip(loaded.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_carry_states_refuses_what_it_cannot_use():
    x = np.zeros((6, 3), "int32")
    with pytest.raises(ValueError, match="give both"):
        training.CarryStates(x, None, 2)
    with pytest.raises(ValueError, match="same length"):
        training.CarryStates(x, x[:4], 2)
    with pytest.raises(ValueError, match="whole batches"):
        training.CarryStates(x, x, 4)
    with pytest.raises(ValueError, match="batch_size"):
        training.CarryStates(x, x, 0)


def test_growth_exponent_reads_a_power_law():
    lengths = np.array([16, 64, 256, 1024])
    assert training.growth_exponent(lengths, 3e-5 * lengths**1.5) == pytest.approx(1.5)
    assert training.growth_exponent(lengths, 2e-4 * lengths) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="positive"):
        training.growth_exponent(lengths, np.zeros(4))
    with pytest.raises(ValueError, match="equal length"):
        training.growth_exponent(lengths, np.ones(3))


def test_seconds_per_sequence_times_each_length():
    model = models.causal_cnn(4, [1, 2], n_inputs=2)
    seconds = training.seconds_per_sequence(model, [8, 32], n_inputs=2, batch_size=2, repeats=2)
    assert seconds.shape == (2,) and np.all(seconds > 0)
    with pytest.raises(ValueError, match="exactly one of"):
        training.seconds_per_sequence(model, [8])
    with pytest.raises(TypeError, match="lengths must be a list of ints"):
        training.seconds_per_sequence(model, 8, n_inputs=2)
