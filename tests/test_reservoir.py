"""The echo state network (notebook 11): the reservoir cell, its closed-form ridge readout,
free-running prediction, and the Mackey-Glass series it predicts."""

import keras
import numpy as np
import pytest
from helpers import check, numpy
from keras import ops

from rnnbook import reservoir
from rnnbook.cells import EchoStateCell
from rnnbook.cells.echo_state import reservoir_weights
from rnnbook.data import mackey_glass

TOLERANCE = 1e-5


def random_inputs(batch, steps, features, seed=0):
    return (
        np.random.default_rng(seed).uniform(-1, 1, size=(batch, steps, features)).astype("float32")
    )


def built_cell(units, features, **kwargs):
    cell = EchoStateCell(units, **kwargs)
    cell.build((None, features))
    return cell


def leaky_reservoir(cell, inputs, initial=None, mask=None):
    """x_t = (1 - a) x_{t-1} + a tanh(u_t W_in + x_{t-1} W + b), step by step in float64,
    from the cell's weights; a masked step (mask False) keeps x_{t-1}. ``(batch, T, units)``."""
    kernel, recurrent, bias = (w.astype(float) for w in cell.get_weights())
    batch, steps, _ = inputs.shape
    x = np.zeros((batch, cell.units)) if initial is None else initial.astype(float)
    states = []
    for t in range(steps):
        new = (1 - cell.leak) * x + cell.leak * np.tanh(
            inputs[:, t] @ kernel + x @ recurrent + bias
        )
        x = new if mask is None else np.where(mask[:, t, None], new, x)
        states.append(x)
    return np.stack(states, axis=1)


# ---------------------------------------------------------------- the reservoir cell


@pytest.mark.parametrize(
    "units, density, radius", [(10, 0.5, 0.5), (50, 0.1, 0.9), (100, 0.1, 1.25), (200, 0.05, 3.0)]
)
def test_recurrent_weights_have_the_spectral_radius_asked_for(units, density, radius):
    cell = built_cell(units, 3, spectral_radius=radius, density=density, seed=7)
    recurrent = numpy(cell.recurrent_kernel).astype(float)
    assert recurrent.shape == (units, units)
    assert abs(np.max(np.abs(np.linalg.eigvals(recurrent))) - radius) < TOLERANCE


@pytest.mark.parametrize("density", [0.05, 0.1, 0.5, 1.0])
def test_recurrent_weights_are_as_sparse_as_density(density):
    recurrent = numpy(built_cell(200, 1, density=density, seed=3).recurrent_kernel)
    # 40 000 entries: the fraction kept has a standard deviation below 0.0025
    assert abs(np.mean(recurrent != 0) - density) < 0.01


def test_reservoir_has_no_trainable_weights_and_fit_trains_only_the_readout():
    layer = keras.layers.RNN(EchoStateCell(8, seed=1))
    model = keras.Sequential([keras.Input((6, 2)), layer, keras.layers.Dense(1)])
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 3
    assert len(model.trainable_weights) == 2  # the Dense kernel and bias
    x = random_inputs(16, 6, 2)
    y = x.sum(axis=(1, 2))[:, None]
    before = [w.copy() for w in model.get_weights()]
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    after = model.get_weights()
    for old, new in zip(before[:3], after[:3]):  # the reservoir: W_in, W, b
        assert np.array_equal(old, new)
    for old, new in zip(before[3:], after[3:]):  # the readout
        assert not np.allclose(old, new)


def test_same_seed_gives_the_same_reservoir_and_another_seed_another():
    def weights(seed):
        return built_cell(20, 3, bias_scale=0.5, seed=seed).get_weights()

    for a, b in zip(weights(3), weights(3)):
        assert np.array_equal(a, b)
    for a, b in zip(weights(3), weights(4)):
        assert not np.array_equal(a, b)


def test_config_rebuilds_the_same_reservoir():
    cell = built_cell(
        9, 2, spectral_radius=1.1, leak=0.3, density=0.4, input_scale=0.2, bias_scale=0.7, seed=12
    )
    config = cell.get_config()
    for argument in (
        "units",
        "spectral_radius",
        "leak",
        "density",
        "input_scale",
        "bias_scale",
        "seed",
    ):
        assert argument in config
    again = EchoStateCell.from_config(config)
    again.build((None, 2))
    for a, b in zip(cell.get_weights(), again.get_weights()):
        assert np.array_equal(a, b)


def test_seed_none_is_drawn_from_the_seeded_global_generator():
    keras.utils.set_random_seed(11)
    first = EchoStateCell(5).seed
    keras.utils.set_random_seed(11)
    assert EchoStateCell(5).seed == first
    assert EchoStateCell(5).seed != first  # the generator moved on


def test_leak_one_equals_simple_rnn_after_weight_transfer_both_ways():
    x = random_inputs(3, 9, 4)
    reservoir_layer = keras.layers.RNN(
        EchoStateCell(6, leak=1.0, bias_scale=0.3, seed=2), return_sequences=True
    )
    simple = keras.layers.SimpleRNN(6, return_sequences=True)
    reservoir_layer.build(x.shape)
    simple.build(x.shape)
    simple.set_weights(reservoir_layer.get_weights())  # reservoir -> SimpleRNN
    assert np.max(np.abs(numpy(reservoir_layer(x)) - numpy(simple(x)))) < 1e-6

    rng = np.random.default_rng(5)
    simple.set_weights([rng.normal(scale=0.5, size=w.shape) for w in simple.get_weights()])
    reservoir_layer.set_weights(simple.get_weights())  # SimpleRNN -> reservoir
    assert np.max(np.abs(numpy(reservoir_layer(x)) - numpy(simple(x)))) < 1e-6


@pytest.mark.parametrize("leak", [0.1, 0.5, 0.9])
def test_leaky_reservoir_equals_numpy_loop(leak):
    cell = EchoStateCell(12, leak=leak, bias_scale=0.2, spectral_radius=0.95, seed=4)
    x = random_inputs(2, 20, 3)
    states = numpy(keras.layers.RNN(cell, return_sequences=True)(x))
    assert np.max(np.abs(states - leaky_reservoir(cell, x))) < TOLERANCE


def test_masked_step_keeps_the_state():
    cell = EchoStateCell(5, leak=0.6, seed=6)
    layer = keras.layers.RNN(cell, return_sequences=True)
    x = random_inputs(2, 7, 2)
    mask = np.ones((2, 7), dtype=bool)
    mask[0, 3] = False  # a gap
    mask[1, 4:] = False  # a padded tail
    states = numpy(layer(x, mask=mask))
    assert np.array_equal(states[0, 3], states[0, 2])
    assert np.array_equal(states[1, 6], states[1, 3])
    assert np.max(np.abs(states - leaky_reservoir(cell, x, mask=mask))) < TOLERANCE


def test_saved_reservoir_loads_with_equal_outputs_and_config(tmp_path):
    cell = EchoStateCell(
        7, spectral_radius=0.8, leak=0.4, density=0.3, input_scale=0.5, bias_scale=0.1, seed=9
    )
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.RNN(cell)])
    path = tmp_path / "reservoir.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = random_inputs(3, 5, 2)
    assert np.max(np.abs(numpy(model(x)) - numpy(loaded(x)))) < 1e-7
    assert loaded.layers[0].cell.get_config() == cell.get_config()
    assert isinstance(loaded.layers[0].cell, EchoStateCell)


def echo_distance(radius, input_scale, steps=300):
    """The distance between two runs of one reservoir from two initial states, same input."""
    cell = EchoStateCell(50, spectral_radius=radius, input_scale=input_scale, seed=1)
    u = np.repeat(random_inputs(1, steps, 1), 2, axis=0)
    starts = np.random.default_rng(2).uniform(-1, 1, size=(2, 50)).astype("float32")
    states = reservoir.collect_states(cell, u, initial_state=starts)
    return np.linalg.norm(states[0] - states[1], axis=-1)


def test_reservoir_below_radius_one_forgets_its_initial_state():
    distance = echo_distance(0.5, 1.0)
    assert distance[0] > 0.1  # the two runs did start apart
    assert np.all(distance[200:] < 1e-6)


def test_reservoir_well_above_radius_one_keeps_its_initial_state():
    distance = echo_distance(3.0, 0.1)
    assert np.all(distance > 0.1)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"units": 0}, ValueError, "units"),
        ({"units": "5"}, TypeError, "units"),
        ({"leak": 0}, ValueError, "leak"),
        ({"leak": 1.5}, ValueError, "leak"),
        ({"density": 0}, ValueError, "density"),
        ({"density": 2}, ValueError, "density"),
        ({"spectral_radius": -0.5}, ValueError, "spectral_radius"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"input_scale": -1.0}, ValueError, "input_scale"),
        ({"bias_scale": "0.1"}, TypeError, "bias_scale"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_bad_cell_arguments_are_refused_by_name(kwargs, error, words):
    check(lambda: EchoStateCell(**{"units": 4, **kwargs}), error, words)


def test_cell_refuses_a_sequence_or_the_wrong_features_for_one_step():
    # Keras adds the call's arguments to what a layer raises, over several lines
    state = [np.zeros((2, 4), "float32")]
    with pytest.raises(ValueError, match="one time step"):
        EchoStateCell(4, seed=0)(np.zeros((2, 3, 5), "float32"), state)
    cell = built_cell(4, 5, seed=0)
    with pytest.raises(ValueError, match="inputs of EchoStateCell must have 5 feature"):
        cell(np.zeros((2, 3), "float32"), state)


# ---------------------------------------------------------------- the readout


@pytest.mark.parametrize(
    "matrix, radius",
    [
        (np.diag([0.5, -3.0, 2.0]), 3.0),
        (2.0 * np.array([[np.cos(0.7), -np.sin(0.7)], [np.sin(0.7), np.cos(0.7)]]), 2.0),
        (np.array([[0.5, 10.0], [0.0, 0.5]]), 0.5),  # its norm is far larger than its radius
    ],
    ids=["diagonal", "rotation", "jordan"],
)
def test_spectral_radius_of_known_matrices(matrix, radius):
    assert abs(reservoir.spectral_radius(matrix) - radius) < 1e-12
    assert abs(reservoir.spectral_radius(ops.convert_to_tensor(matrix)) - radius) < 1e-5


def test_spectral_radius_refuses_a_matrix_that_is_not_square():
    check(lambda: reservoir.spectral_radius(np.ones((2, 3))), ValueError, "matrix")
    check(lambda: reservoir.spectral_radius(np.ones(3)), ValueError, "matrix")


def test_readout_features_are_ones_then_inputs_then_states():
    rng = np.random.default_rng(0)
    states, inputs = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 2))
    features = reservoir.readout_features(states, inputs)
    assert features.shape == (2, 3, 7) and features.dtype == np.float64
    assert np.all(features[..., 0] == 1.0)
    assert np.array_equal(features[..., 1:3], inputs)
    assert np.array_equal(features[..., 3:], states)
    alone = reservoir.readout_features(states)
    assert np.all(alone[..., 0] == 1.0) and np.array_equal(alone[..., 1:], states)
    check(lambda: reservoir.readout_features(states, inputs[:, :2]), ValueError, "inputs")


def regression(steps, width, outputs, seed=0):
    """Features with their ones column, and noisy targets of a random linear map."""
    rng = np.random.default_rng(seed)
    features = np.concatenate([np.ones((steps, 1)), rng.normal(size=(steps, width - 1))], axis=1)
    targets = features @ rng.normal(size=(width, outputs)) + 0.1 * rng.normal(size=(steps, outputs))
    return features, targets


@pytest.mark.parametrize("outputs", [1, 3])
def test_ridge_readout_without_penalty_is_least_squares(outputs):
    features, targets = regression(40, 6, outputs)
    expected = np.linalg.lstsq(features, targets, rcond=None)[0]
    assert np.max(np.abs(reservoir.ridge_readout(features, targets, alpha=0.0) - expected)) < 1e-9
    if outputs == 1:  # a 1-D target gives a 1-D readout
        flat = reservoir.ridge_readout(features, targets[:, 0], alpha=0.0)
        assert flat.shape == (6,) and np.max(np.abs(flat - expected[:, 0])) < 1e-9


@pytest.mark.parametrize("alpha", [0.1, 10.0, 1000.0])
def test_ridge_readout_is_least_squares_with_penalty_rows_appended(alpha):
    features, targets = regression(30, 5, 2, seed=1)
    penalty_rows = np.sqrt(alpha) * np.eye(5)[1:]  # no row for the bias column
    augmented = np.concatenate([features, penalty_rows])
    padded = np.concatenate([targets, np.zeros((4, 2))])
    expected = np.linalg.lstsq(augmented, padded, rcond=None)[0]
    assert np.max(np.abs(reservoir.ridge_readout(features, targets, alpha=alpha) - expected)) < 1e-9


def test_washout_drops_the_first_steps_of_every_sequence():
    rng = np.random.default_rng(2)
    features = np.concatenate([np.ones((3, 20, 1)), rng.normal(size=(3, 20, 3))], axis=-1)
    true_readout = rng.normal(size=(4, 2))
    targets = features @ true_readout
    targets[:, :5] = rng.normal(scale=100.0, size=(3, 5, 2))  # a transient in every sequence
    fitted = reservoir.ridge_readout(features, targets, alpha=0.0, washout=5)
    assert np.max(np.abs(fitted - true_readout)) < 1e-9
    expected = np.linalg.lstsq(
        features[:, 5:].reshape(-1, 4), targets[:, 5:].reshape(-1, 2), rcond=None
    )[0]
    assert np.max(np.abs(fitted - expected)) < 1e-9
    # one step less of washout lets the transient in
    assert (
        np.max(np.abs(reservoir.ridge_readout(features, targets, 0.0, washout=4) - true_readout))
        > 1
    )


def test_bias_is_not_penalised():
    features, targets = regression(50, 4, 2, seed=3)
    targets += 5.0
    fitted = reservoir.ridge_readout(features, targets, alpha=1e12)
    assert np.max(np.abs(fitted[1:])) < 1e-6
    assert np.max(np.abs(fitted[0] - targets.mean(axis=0))) < 1e-6


def test_ridge_readout_refuses_bad_inputs_by_name():
    features, targets = regression(10, 3, 1)
    check(lambda: reservoir.ridge_readout(features[:, 1:], targets), ValueError, "features")
    check(lambda: reservoir.ridge_readout(features, targets, washout=10), ValueError, "washout")
    check(lambda: reservoir.ridge_readout(features, targets[:9]), ValueError, "targets")
    check(lambda: reservoir.ridge_readout(features, targets, alpha=-1.0), ValueError, "alpha")
    check(lambda: reservoir.ridge_readout(features, targets, washout=-1), ValueError, "washout")


# ---------------------------------------------------------------- running the reservoir


def test_collect_states_equals_numpy_loop_from_the_initial_state_given():
    cell = EchoStateCell(12, leak=0.7, bias_scale=0.1, seed=5)
    x = random_inputs(3, 15, 2)
    start = np.random.default_rng(1).uniform(-1, 1, size=(3, 12)).astype("float32")
    states = reservoir.collect_states(cell, x, initial_state=start)
    assert states.shape == (3, 15, 12)
    assert np.max(np.abs(states - leaky_reservoir(cell, x, initial=start))) < TOLERANCE
    from_zero = reservoir.collect_states(cell, x)
    assert np.max(np.abs(from_zero - leaky_reservoir(cell, x))) < TOLERANCE
    assert np.max(np.abs(from_zero - states)) > 1e-3  # the initial state mattered


def test_collect_states_refuses_bad_arguments_by_name():
    x = random_inputs(3, 4, 2)
    check(lambda: reservoir.collect_states(keras.layers.SimpleRNNCell(4), x), TypeError, "cell")
    check(lambda: reservoir.collect_states(EchoStateCell(4, seed=0), x[0]), ValueError, "inputs")
    check(
        lambda: reservoir.collect_states(EchoStateCell(4, seed=0), x, np.zeros((2, 4))),
        ValueError,
        "initial_state",
    )


def feedback_loop(cell, readout, state, first_input, steps, transform=None):
    """Free running in NumPy: x_t from u_t, y_t = [1, u_t, x_t] readout, u_{t+1} = y_t."""
    kernel, recurrent, bias = (w.astype(float) for w in cell.get_weights())
    x, u = state.astype(float), first_input.astype(float)
    predictions = []
    for _ in range(steps):
        x = (1 - cell.leak) * x + cell.leak * np.tanh(u @ kernel + x @ recurrent + bias)
        y = np.concatenate([np.ones((len(x), 1)), u, x], axis=1) @ readout
        predictions.append(y)
        u = y if transform is None else transform(y)
    return np.stack(predictions, axis=1)


@pytest.mark.parametrize("transform", [None, np.tanh], ids=["plain", "transformed"])
def test_free_run_feeds_its_predictions_back_like_a_numpy_loop(transform):
    cell = built_cell(10, 2, leak=0.8, bias_scale=0.1, seed=3)
    rng = np.random.default_rng(4)
    readout = rng.normal(scale=0.3, size=(1 + 2 + 10, 2))
    state = rng.uniform(-1, 1, size=(3, 10)).astype("float32")
    first = rng.uniform(-1, 1, size=(3, 2)).astype("float32")
    predictions = reservoir.free_run(cell, readout, state, first, 12, transform=transform)
    assert predictions.shape == (3, 12, 2) and predictions.dtype == np.float64
    expected = feedback_loop(cell, readout, state, first, 12, transform)
    assert np.max(np.abs(predictions - expected)) < TOLERANCE


def test_free_run_with_one_feature_takes_a_flat_readout():
    cell = built_cell(6, 1, seed=2)
    readout = np.random.default_rng(5).normal(scale=0.3, size=1 + 1 + 6)
    state, first = np.zeros((2, 6), "float32"), np.array([[0.5], [-0.5]], "float32")
    predictions = reservoir.free_run(cell, readout, state, first, 5)
    assert predictions.shape == (2, 5, 1)
    expected = feedback_loop(cell, readout[:, None], state, first, 5)
    assert np.max(np.abs(predictions - expected)) < TOLERANCE


def test_free_run_refuses_shapes_that_cannot_feed_back():
    cell = built_cell(6, 2, seed=2)
    state, first = np.zeros((2, 6)), np.zeros((2, 2))
    readout = np.zeros((9, 2))
    check(lambda: reservoir.free_run(cell, readout[:, :1], state, first, 3), ValueError, "readout")
    check(lambda: reservoir.free_run(cell, readout[1:], state, first, 3), ValueError, "readout")
    check(lambda: reservoir.free_run(cell, readout, state[:1], first, 3), ValueError, "state")
    check(lambda: reservoir.free_run(cell, readout, state, first, 0), ValueError, "steps")
    check(
        lambda: reservoir.free_run(cell, readout, state, first, 3, "tanh"), TypeError, "transform"
    )


# ---------------------------------------------------------------- Mackey-Glass


def test_mackey_glass_has_its_length_and_is_deterministic():
    series = mackey_glass(500)
    assert series.shape == (500,) and series.dtype == np.float64
    assert np.array_equal(series, mackey_glass(500))
    assert not np.allclose(series, mackey_glass(500, initial=0.9))


def test_mackey_glass_with_tau_17_stays_between_0_2_and_1_4_and_varies():
    series = mackey_glass(3000)
    assert 0.2 < series.min() and series.max() < 1.4
    assert series.std() > 0.1


def test_mackey_glass_autocorrelation_peaks_near_50_steps():
    series = mackey_glass(3000)
    centred = series - series.mean()
    lags = np.arange(1, 120)
    correlation = np.array([centred[:-k] @ centred[k:] for k in lags]) / (centred @ centred)
    after_first_dip = np.argmax(correlation < 0)
    peak = lags[after_first_dip + np.argmax(correlation[after_first_dip:80])]
    assert 40 <= peak <= 60
    assert correlation[peak - 1] > 0.5  # a strong quasi-period, not noise


def test_mackey_glass_satisfies_its_delay_equation():
    step, tau = 0.01, 17
    lag = round(tau / step)
    x = mackey_glass(3000 + lag, tau=tau, step=step, sample=step, discard=20_000)

    def residual(delay):
        now, delayed = x[lag + 1 : -1], x[lag + 1 - delay : len(x) - 1 - delay]
        derivative = (x[lag + 2 :] - x[lag:-2]) / (2 * step)  # centred difference
        return np.max(np.abs(derivative - (0.2 * delayed / (1 + delayed**10) - 0.1 * now)))

    assert residual(lag) < 1e-5  # about 1e-7: the centred difference's own error at this step
    assert residual(lag - 100) > 1e-2  # a delay of 16 does not fit: the check can tell


@pytest.mark.parametrize(
    "kwargs, words",
    [({"sample": 0.25}, "sample"), ({"tau": 17.05}, "tau"), ({"length": 0}, "length")],
    ids=["sample", "tau", "length"],
)
def test_mackey_glass_refuses_bad_arguments_by_name(kwargs, words):
    check(lambda: mackey_glass(**{"length": 10, "step": 0.1, **kwargs}), ValueError, words)


@pytest.mark.parametrize("seed", range(5))
def test_a_small_sparse_reservoir_is_redrawn_until_it_has_a_spectral_radius(seed):
    # 4 units at density 0.15 are nilpotent (all eigenvalues 0) for many draws; scaling such a W
    # would divide by round-off. The redraw gives the radius asked for.
    _, recurrent, _ = reservoir_weights(4, 1, spectral_radius=0.7, density=0.15, seed=seed)
    assert np.max(np.abs(np.linalg.eigvals(recurrent))) == pytest.approx(0.7, rel=1e-9)
    assert np.count_nonzero(recurrent) <= 16
