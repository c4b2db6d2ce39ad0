"""Bad input to the model builders, the training helpers and the cells (issue 21): each case
fails up front with a TypeError (the wrong kind of thing) or a ValueError (the right kind, a
wrong value) whose message names the argument; and valid input still works as before."""

import keras
import numpy as np
import pytest

from rnnbook import models, training
from rnnbook.cells import ElmanCell, GRUCell, LSTMCell, SimpleRecurrentCell

SEQUENCE = np.sin(np.arange(12.0)).astype("float32")
X = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
Y = X[:, :1]


def dense_model():
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])


def dense_model_compiled():
    model = dense_model()
    model.compile("sgd", "mse")
    return model


def score(data, **kwargs):
    return training.fit_and_score(dense_model, data, epochs=1, progress=False, **kwargs)


def built(cell, features):
    cell.build((None, features))
    return cell


def with_nan(array, index):
    array = array.copy()
    array[index] = np.nan
    return array


def stateful_model(batch_size):
    model = keras.Sequential(
        [
            keras.Input(batch_shape=(batch_size, 4, 1)),
            keras.layers.SimpleRNN(2, stateful=True, return_sequences=True),
            keras.layers.Dense(1),
        ]
    )
    model.compile("sgd", "mse")
    return model


def fit_with(model, callback, batches_seen):
    """Fit ``model`` on 4 windows with ``callback``; count the batches that ran."""
    count = keras.callbacks.LambdaCallback(
        on_train_batch_begin=lambda b, logs: batches_seen.append(b)
    )
    x = np.zeros((4, *model.inputs[0].shape[1:]), "float32")
    y = np.zeros((4, *model.outputs[0].shape[1:]), "float32")
    model.fit(x, y, batch_size=2, epochs=1, shuffle=False, verbose=0, callbacks=[callback, count])


def call_cell(cell, features, states):
    return cell(np.ones((2, features), "float32"), states)


def zeros(*shape):
    return np.zeros(shape, "float32")


# 1. The wrong kind, rank, range or size, or arguments that do not fit together, refused
# before any work with the argument named.
VALIDATED_UP_FRONT = [
    (lambda: models.receptive_field(2, None), TypeError, "dilations must be a list of ints"),
    (lambda: models.receptive_field(2, 2.5), TypeError, "dilations must be a list of ints"),
    (
        lambda: models.receptive_field(2, 4),
        TypeError,
        r"dilations must be a list of ints.* write \[4\]",
    ),
    (lambda: models.receptive_field(2, [1, 2.0]), TypeError, r"dilations\[1\]"),
    (lambda: models.receptive_field(2, []), ValueError, "dilations must hold at least one"),
    (lambda: models.receptive_field(0, [1]), ValueError, "kernel_size"),
    (
        lambda: models.iterated_forecast(np.mean, SEQUENCE, 2, 3),
        TypeError,
        "lags must be a list of ints",
    ),
    (lambda: models.iterated_forecast(np.mean, SEQUENCE, "12", 3), TypeError, "lags must be"),
    (lambda: models.iterated_forecast(3, SEQUENCE, [1], 3), TypeError, "predict must be callable"),
    (lambda: models.iterated_forecast(np.mean, SEQUENCE, [1], 0), ValueError, "horizon"),
    (lambda: models.sequence_regressor(5, [3]), TypeError, "make_cell must be callable"),
    (lambda: models.sequence_regressor(LSTMCell, "3"), TypeError, "units must be a list"),
    (lambda: models.sequence_regressor(LSTMCell, [3], name=3), TypeError, "name must be a str"),
    (lambda: models.sequence_regressor(LSTMCell, [3], n_inputs=0), ValueError, "n_inputs"),
    (lambda: models.sequence_regressor(lambda m: 3, [3]), TypeError, r"make_cell\(3\) must return"),
    (lambda: models.sequence_regressor(lambda m: LSTMCell(4), [3]), ValueError, "cell of 4 units"),
    (lambda: models.skip_lstm_language_model(5, [4], batch_size=-1), ValueError, "batch_size"),
    (lambda: models.skip_lstm_language_model(5, [4], batch_size=2.5), TypeError, "batch_size"),
    (lambda: models.skip_lstm_language_model(5, [4], batch_size="4"), TypeError, "batch_size"),
    (lambda: models.skip_lstm_language_model(5, [4], cell=3), TypeError, "cell must be callable"),
    (
        lambda: models.skip_lstm_language_model(5, [4], cell=lambda m: LSTMCell(3)),
        ValueError,
        "cell",
    ),
    (lambda: models.skip_lstm_language_model(5, [4], stateful="no"), TypeError, "stateful"),
    (lambda: models.skip_lstm_parameters(5, "4"), TypeError, "units must be a list"),
    (lambda: models.skip_lstm_parameters(5, []), ValueError, "units must hold at least one"),
    (lambda: models.causal_cnn(4, None, n_inputs=1), TypeError, "dilations"),
    (lambda: models.causal_cnn(4, [1], n_inputs=1, name=3), TypeError, "name must be a str"),
    (lambda: models.causal_cnn(0, [1], n_inputs=1), ValueError, "filters"),
    (lambda: models.causal_transformer(2.0, 2, n_inputs=1), TypeError, "width"),
    (lambda: models.causal_transformer(8, 2, n_inputs=True), TypeError, "n_inputs"),
    (lambda: models.time_delay_network(name=3), TypeError, "name must be a str"),
    (lambda: models.delay_line_lstm_weights(2, units=2.0), TypeError, "units"),
    (lambda: models.OneHot(0), ValueError, "depth"),
    (
        lambda: score((X, Y, X, Y), seeds=3),
        TypeError,
        r"seeds must be a list of ints.* write \[3\]",
    ),
    (lambda: score((X, Y, X, Y), seeds="01"), TypeError, "seeds must be a list of ints"),
    (lambda: score((X, Y, X, Y), seeds=[-1]), ValueError, r"seeds\[0\]"),
    (lambda: score((X, Y, X, Y), progress="no"), TypeError, "progress"),
    (lambda: score((X, Y[:5], X, Y)), ValueError, "x_train and y_train must have the same"),
    (lambda: score((X[:0], Y[:0], X, Y)), ValueError, "x_train must not be empty"),
    (lambda: score((X, Y, X[:, :2], Y)), ValueError, "x_test must have as many"),
    (lambda: score((X, Y, X, Y), batch_size=0), ValueError, "batch_size"),
    (lambda: training.fit_and_score(lambda: 3, (X, Y, X, Y)), TypeError, r"build\(\) must"),
    (
        lambda: training.fit_and_score(
            lambda: keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)]),
            (X, Y, X, Y),
            progress=False,
        ),
        ValueError,
        "x_train has shape",
    ),
    (lambda: training.seconds_per_sequence(lambda z: z, [4], n_inputs=1), TypeError, "model must"),
    (
        lambda: training.seconds_per_sequence(dense_model(), 4, n_inputs=3),
        TypeError,
        "lengths must be a list of ints",
    ),
    (
        lambda: training.seconds_per_sequence(dense_model(), [4], n_inputs=2.5),
        TypeError,
        "n_inputs",
    ),
    (
        lambda: training.seconds_per_sequence(dense_model(), [4], vocabulary_size=0),
        ValueError,
        "vocabulary_size",
    ),
    (
        lambda: training.seconds_per_sequence(
            models.causal_cnn(2, [1], n_inputs=2), [4], n_inputs=3
        ),
        ValueError,
        "n_inputs has shape",
    ),
    (lambda: training.CarryStates(3, 4, batch_size=1), ValueError, "validation_inputs"),
    (lambda: training.CarryStates(batch_size=0), ValueError, "batch_size"),
    (
        lambda: training.truncated_bptt(LSTMCell(3), 3, SEQUENCE, SEQUENCE, 4, "sgd"),
        TypeError,
        "readout must be a Keras layer",
    ),
    (
        lambda: training.truncated_bptt(
            LSTMCell(3), keras.layers.Dense(1), SEQUENCE, SEQUENCE, 4, "nope", progress=False
        ),
        ValueError,
        "optimizer must be a Keras optimizer",
    ),
    (
        lambda: training.train_online(ElmanCell(2), keras.layers.Dense(1), SEQUENCE, SEQUENCE, 0),
        ValueError,
        "learning_rate",
    ),
    (lambda: training.state_jacobian_norms(3, SEQUENCE), TypeError, "layer must be a recurrent"),
    (lambda: training.state_jacobian_norms(LSTMCell(2), SEQUENCE, 2), ValueError, "state_index"),
    (lambda: training.slope_per_step(np.ones((5, 5)), 2), TypeError, "lags must be a list of ints"),
    (lambda: training.slope_per_step(np.ones((5, 3)), [1, 2]), ValueError, "norms must be square"),
    (lambda: training.scaled_to_spectral_radius(np.eye(2), "1"), TypeError, "radius"),
    (lambda: training.growth_exponent(["a", "b"], [1, 2]), TypeError, "lengths"),
    (lambda: training.stream_windows(np.zeros((2, 4)), 2), ValueError, "streams"),
    (lambda: training.reset_states(3), TypeError, "model must be a Keras model"),
    (lambda: LSTMCell(3, activation="nope"), ValueError, "activation must be a name"),
    (lambda: GRUCell(3, recurrent_activation=3), TypeError, "recurrent_activation"),
    (lambda: ElmanCell(3, kernel_initializer="nope"), ValueError, "kernel_initializer"),
    (lambda: SimpleRecurrentCell(3, bias_regularizer="nope"), ValueError, "bias_regularizer"),
    (lambda: LSTMCell(3, recurrent_constraint="nope"), ValueError, "recurrent_constraint"),
]

# 2. What used to give a result, silently wrong, now refused.
SILENTLY_WRONG_BEFORE = [
    (lambda: models.receptive_field(2, {1, 2}), TypeError, "dilations must be a list"),
    (lambda: models.causal_cnn(2, iter([1, 2]), n_inputs=1), TypeError, "dilations"),
    (
        lambda: models.causal_cnn(4, [1, 2], n_inputs=1)(zeros(1, 0, 1)),
        ValueError,
        "inputs must be sequences .* time >= 1",
    ),
    (
        lambda: models.causal_cnn(4, [1, 2], vocabulary_size=5)(np.zeros((1, 0), "int32")),
        ValueError,
        "inputs must be sequences",
    ),
    (
        lambda: models.causal_transformer(8, 2, n_inputs=1)(zeros(1, 0, 1)),
        ValueError,
        "inputs must have shape .* time >= 1",
    ),
    (lambda: models.OneHot(3)(np.array([[0, 5]])), ValueError, r"inputs must lie in \[0, 3\)"),
    (lambda: models.OneHot(3)(np.array([[-1]])), ValueError, "got id -1"),
    (lambda: models.OneHot(3)(np.array([[0.5]])), TypeError, "inputs must be an array of int"),
    (
        lambda: models.skip_lstm_language_model(5, [4], batch_size=1)(np.array([[1, 7]])),
        ValueError,
        r"inputs must lie in \[0, 5\)",
    ),
    (lambda: models.skip_lstm_language_model(5, [4], 0, True), ValueError, "batch_size"),
    (
        lambda: models.iterated_forecast(lambda x: x[:, 0] * np.nan, SEQUENCE, [1], 3),
        ValueError,
        "predict returned NaN",
    ),
    (lambda: call_cell(LSTMCell(3), 4, zeros(2, 3)), ValueError, "states of LSTMCell .* bare"),
    (lambda: call_cell(GRUCell(3), 4, [zeros(2, 3)] * 2), ValueError, "states of GRUCell"),
    (lambda: call_cell(SimpleRecurrentCell(3), 4, [zeros(3)]), ValueError, r"states\[0\]"),
    (lambda: call_cell(ElmanCell(3), 4, [zeros(3, 3)]), ValueError, r"states\[0\] .* \(2, 3\)"),
    (
        lambda: fit_with(dense_model_compiled(), training.CarryStates(), []),
        ValueError,
        "CarryStates carries .* this model has none",
    ),
    (
        lambda: training.slope_per_step(np.zeros((5, 5)), [1, 2]),
        ValueError,
        "norms must be finite and > 0",
    ),
    (
        lambda: training.slope_per_step(np.ones((5, 5)), [1, 1]),
        ValueError,
        "at least two distances",
    ),
    (lambda: training.growth_exponent([2, 2], [1, 2]), ValueError, "two different values"),
]

# 3. Errors from the real cause: the argument that is wrong, not a traceback from deep inside.
HONEST_ERRORS = [
    (
        lambda: score((with_nan(X, (2, 1)), Y, X, Y)),
        ValueError,
        r"x_train must be finite.*\(2, 1\)",
    ),
    (lambda: score((X, Y, X, Y * np.nan)), ValueError, "y_test must be finite"),
    (lambda: call_cell(LSTMCell(3), 4, [zeros(2, 3)]), ValueError, "states of LSTMCell .* got 1"),
    (lambda: call_cell(LSTMCell(3), 4, [zeros(2, 5)] * 2), ValueError, r"states\[0\] of LSTMCell"),
    (lambda: call_cell(LSTMCell(3), 4, [zeros(2, 3), zeros(2, 5)]), ValueError, r"states\[1\]"),
    (lambda: call_cell(GRUCell(3), 4, [zeros(2, 5)]), ValueError, r"states\[0\] of GRUCell"),
    (lambda: call_cell(GRUCell(3), 4, None), TypeError, r"states\[0\] of GRUCell"),
    (lambda: call_cell(built(SimpleRecurrentCell(3), 4), 2, [zeros(2, 3)]), ValueError, "inputs"),
    (
        lambda: keras.layers.RNN(GRUCell(3))(zeros(2, 3, 4), initial_state=[zeros(2, 5)]),
        ValueError,
        r"states\[0\] of GRUCell",
    ),
    (
        lambda: training.truncated_bptt(
            built(LSTMCell(3), 5), keras.layers.Dense(1), SEQUENCE, SEQUENCE, 4, "sgd"
        ),
        ValueError,
        "inputs have 1 feature.* built for 5",
    ),
    (
        lambda: training.truncated_bptt(
            LSTMCell(3), built(keras.layers.Dense(1), 5), SEQUENCE, SEQUENCE, 4, "sgd"
        ),
        ValueError,
        "readout was built for 5",
    ),
    (
        lambda: training.state_jacobian_norms(built(GRUCell(3), 5), SEQUENCE),
        ValueError,
        "inputs have 1 feature",
    ),
    (
        lambda: fit_with(stateful_model(2), training.CarryStates(batch_size=4), []),
        ValueError,
        "batch_size must be the batch size .* 2, got 4",
    ),
    (
        lambda: fit_with(
            stateful_model(2), training.CarryStates(zeros(2, 5, 1), zeros(2, 5, 1), 2), []
        ),
        ValueError,
        "validation_inputs has shape",
    ),
]

# 4. Sizes that cannot be allocated, refused up front with the size named.
TOO_LARGE = [
    (lambda: models.iterated_forecast(np.mean, SEQUENCE, [1], 10**12), ValueError, "horizon asks"),
    (lambda: models.delay_line_lstm_weights(10**6), ValueError, r"units \(delay \+ 1"),
    (lambda: models.time_delay_network(10**6, 10**6), ValueError, "n_hidden asks"),
    (lambda: models.skip_lstm_language_model(5, [10**6]), ValueError, "units asks"),
    (lambda: models.causal_cnn(10**6, [1], n_inputs=1), ValueError, "filters asks"),
    (lambda: models.causal_transformer(10**6, 2, n_inputs=1), ValueError, "width asks"),
    (
        lambda: models.causal_transformer(8, 2, n_inputs=1, feed_forward=10**12),
        ValueError,
        "feed_f",
    ),
    (lambda: built(SimpleRecurrentCell(10**6), 10**6), ValueError, "units asks"),
    (
        lambda: training.seconds_per_sequence(dense_model(), [10**9], n_inputs=10**3),
        ValueError,
        "lengths asks",
    ),
    (
        lambda: training.state_jacobian_norms(SimpleRecurrentCell(2), np.zeros(10**6)),
        ValueError,
        "inputs asks",
    ),
]


CASES = {
    "validated up front": VALIDATED_UP_FRONT,
    "silently wrong before": SILENTLY_WRONG_BEFORE,
    "honest errors": HONEST_ERRORS,
    "too large": TOO_LARGE,
}


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        pytest.param(*case, id=f"{kind}-{index}")
        for kind, cases in CASES.items()
        for index, case in enumerate(cases)
    ],
)
def test_bad_input_is_refused_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_carry_states_refuses_a_mismatch_before_the_first_batch():
    seen = []
    with pytest.raises(ValueError, match="batch_size"):
        fit_with(stateful_model(2), training.CarryStates(batch_size=4), seen)
    assert seen == [], "refused before any batch was trained"
    fit_with(stateful_model(2), training.CarryStates(batch_size=2), seen)
    assert seen == [0, 1]


def test_keep_last_finite_starts_afresh_for_a_second_fit():
    keras.utils.set_random_seed(0)
    keep = training.KeepLastFinite()
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(10.0), "mse")
    x = np.full((64, 1), 100.0, "float32")
    model.fit(x, -x, batch_size=8, epochs=3, verbose=0, callbacks=[keep])
    assert keep.diverged_at is not None
    fresh = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    fresh.compile(keras.optimizers.SGD(0.01), "mse")
    fresh.fit(x / 100, x / 100, batch_size=8, epochs=1, verbose=0, callbacks=[keep])
    assert keep.diverged_at is None


def test_valid_input_of_every_kind_still_works():
    # NumPy ints, tuples, ranges and integer arrays where lists of ints are meant
    assert models.receptive_field(np.int64(2), (1, 2, 4)) == 8
    assert models.receptive_field(2, np.array([1, 2])) == models.receptive_field(2, range(1, 3))
    assert models.sequence_regressor(LSTMCell, np.int64(3)).count_params() == 4 * (3 + 9 + 3) + 4
    assert models.skip_lstm_parameters(5, 4) == models.skip_lstm_parameters(5, [4])
    assert models.skip_lstm_language_model(5, np.array([4]), batch_size=np.int64(2)).count_params()
    assert training.slope_per_step(np.tril(np.full((6, 6), 0.5)), np.arange(1, 4))[
        0
    ] == pytest.approx(0)
    lengths = np.array([16, 64, 256])
    assert training.growth_exponent(lengths, 1e-5 * lengths) == pytest.approx(1.0)
    # float32 and integer arrays, and a 2-D history
    model = models.causal_cnn(2, (1, 2), n_inputs=2)
    seconds = training.seconds_per_sequence(model, (4, np.int64(8)), n_inputs=2, repeats=1)
    assert seconds.shape == (2,)
    history = np.arange(12.0, dtype="float32").reshape(2, 6)
    forecast = models.iterated_forecast(lambda x: x[:, 0] + 1, history, (1,), 3)
    assert forecast.tolist() == [[6, 7, 8], [12, 13, 14]]


def test_iterated_forecast_is_as_before():
    """The forecast feeds its predictions back exactly as the old appending loop did."""
    history = np.random.default_rng(0).normal(size=(3, 20))
    lags = [1, 2, 5]

    def predict(x):
        return 0.5 * x[:, 0] - 0.25 * x[:, 1] + 0.1 * x[:, 2]

    values = history.copy()
    for _ in range(7):
        inputs = np.stack([values[:, -lag] for lag in lags], axis=1).astype("float32")
        values = np.concatenate([values, np.asarray(predict(inputs), float)[:, None]], axis=1)
    assert np.array_equal(models.iterated_forecast(predict, history, lags, 7), values[:, -7:])


def test_one_hot_checks_known_ids_and_leaves_traced_ones_to_the_graph():
    layer = models.OneHot(4)
    assert keras.ops.convert_to_numpy(layer(np.array([[3, 0]], "uint8"))).argmax(-1).tolist() == [
        [3, 0]
    ]
    model = models.causal_cnn(2, [1], vocabulary_size=4)
    ids = np.array([[1, 2, 3]], "int32")
    assert model.predict(ids, verbose=0).shape == (1, 3, 4)  # traced: no look at the values
    assert model(ids).shape == (1, 3, 4)


def test_cells_take_states_as_keras_passes_them():
    x = np.ones((2, 4), "float32")
    for cell in (GRUCell(3), SimpleRecurrentCell(3), ElmanCell(3)):
        bare, _ = cell(x, zeros(2, 3))  # one state may come bare
        listed, _ = cell(x, [zeros(2, 3)])
        assert np.allclose(bare, listed)
    h, (_, c) = LSTMCell(3)(x, (zeros(2, 3), zeros(2, 3)))  # a tuple of [h, c]
    assert h.shape == c.shape == (2, 3)


def test_truncated_bptt_runs_a_float64_readout():
    keras.utils.set_random_seed(0)
    losses = training.truncated_bptt(
        LSTMCell(3),
        keras.layers.Dense(1, dtype="float64"),
        SEQUENCE,
        SEQUENCE,
        4,
        "sgd",
        progress=False,
    )
    assert losses.shape == (1, 3) and np.all(np.isfinite(losses))
