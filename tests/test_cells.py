"""The custom cells against the Keras built-ins, their gradients, and their plumbing."""

import keras
import numpy as np
import pytest

from rnnbook import autodiff
from rnnbook.cells import ElmanCell, GRUCell, LSTMCell, SimpleRecurrentCell

# name -> (custom cell for `units`, the built-in layer it must equal, given layer kwargs)
CELLS = {
    "elman": (lambda u, **kw: ElmanCell(u, **kw), lambda u, **kw: keras.layers.SimpleRNN(u, **kw)),
    "simple": (
        lambda u, **kw: SimpleRecurrentCell(u, **kw),
        lambda u, **kw: keras.layers.SimpleRNN(u, **kw),
    ),
    "lstm": (lambda u, **kw: LSTMCell(u, **kw), lambda u, **kw: keras.layers.LSTM(u, **kw)),
    "gru_classic": (
        lambda u, **kw: GRUCell(u, reset_after=False, **kw),
        lambda u, **kw: keras.layers.GRU(u, reset_after=False, **kw),
    ),
    "gru_cudnn": (
        lambda u, **kw: GRUCell(u, reset_after=True, **kw),
        lambda u, **kw: keras.layers.GRU(u, reset_after=True, **kw),
    ),
}
SHAPES = [(1, 1, 1, 1), (4, 7, 3, 5), (3, 12, 2, 16)]  # batch, steps, features, units
TOLERANCE = 1e-5


def random_inputs(batch, steps, features, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, steps, features)).astype("float32")


def transferred_pair(kind, units, features, **layer_kwargs):
    """A built-in layer with random weights and the custom layer given the same weights."""
    make_cell, make_builtin = CELLS[kind]
    builtin = make_builtin(units, **layer_kwargs)
    custom = keras.layers.RNN(make_cell(units), **layer_kwargs)
    shape = (2, 3, features)
    builtin.build(shape)
    custom.build(shape)
    rng = np.random.default_rng(1)
    weights = [rng.normal(scale=0.5, size=w.shape).astype("float32") for w in builtin.get_weights()]
    builtin.set_weights(weights)
    custom.set_weights(builtin.get_weights())
    return custom, builtin


def max_difference(a, b):
    a = a if isinstance(a, (list, tuple)) else [a]
    b = b if isinstance(b, (list, tuple)) else [b]
    assert len(a) == len(b)
    return max(float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(a, b))


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "b{}t{}f{}u{}".format(*s))
@pytest.mark.parametrize("kind", CELLS)
def test_cell_matches_keras_builtin_after_weight_transfer(kind, shape):
    batch, steps, features, units = shape
    custom, builtin = transferred_pair(kind, units, features, return_sequences=True)
    x = random_inputs(batch, steps, features)
    assert [w.shape for w in custom.get_weights()] == [w.shape for w in builtin.get_weights()]
    assert max_difference(custom(x), builtin(x)) < TOLERANCE


@pytest.mark.parametrize("kind", CELLS)
def test_cell_matches_builtin_with_return_state_and_go_backwards(kind):
    custom, builtin = transferred_pair(kind, 4, 3, return_state=True, go_backwards=True)
    x = random_inputs(2, 6, 3)
    assert max_difference(custom(x), builtin(x)) < TOLERANCE


@pytest.mark.parametrize("kind", CELLS)
def test_cell_matches_builtin_under_masking(kind):
    custom, builtin = transferred_pair(kind, 4, 3, return_sequences=True)
    x = random_inputs(3, 6, 3)
    x[0, 4:] = 0.0  # padded tail
    x[2, 2:] = 0.0
    mask = keras.layers.Masking(0.0)
    assert max_difference(custom(mask(x)), builtin(mask(x))) < TOLERANCE


@pytest.mark.parametrize("kind", CELLS)
def test_stateful_layer_continues_from_its_last_state(kind):
    make_cell, _ = CELLS[kind]
    keras.utils.set_random_seed(0)
    stateful = keras.layers.RNN(make_cell(4), stateful=True, return_sequences=True)
    whole = keras.layers.RNN(make_cell(4), return_sequences=True)
    x = random_inputs(2, 8, 3)
    stateful.build(x.shape)
    whole.build(x.shape)
    whole.set_weights(stateful.get_weights())
    in_two_halves = np.concatenate([stateful(x[:, :4]), stateful(x[:, 4:])], axis=1)
    assert max_difference(in_two_halves, whole(x)) < TOLERANCE
    stateful.reset_states()
    assert max_difference(stateful(x[:, :4]), whole(x[:, :4])) < TOLERANCE


@pytest.mark.parametrize("kind", CELLS)
def test_stacked_and_bidirectional_cells_match_builtins(kind):
    make_cell, make_builtin = CELLS[kind]
    x = random_inputs(2, 5, 3)
    custom = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.Bidirectional(keras.layers.RNN(make_cell(4), return_sequences=True)),
            keras.layers.RNN(make_cell(2)),
        ]
    )
    builtin = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.Bidirectional(make_builtin(4, return_sequences=True)),
            make_builtin(2),
        ]
    )
    rng = np.random.default_rng(2)
    builtin.set_weights([rng.normal(scale=0.5, size=w.shape) for w in builtin.get_weights()])
    custom.set_weights(builtin.get_weights())
    assert max_difference(custom(x), builtin(x)) < TOLERANCE


@pytest.mark.parametrize("kind", CELLS)
def test_model_with_cell_saves_and_loads_with_identical_outputs(kind, tmp_path):
    make_cell, _ = CELLS[kind]
    model = keras.Sequential(
        [keras.Input((5, 2)), keras.layers.RNN(make_cell(3)), keras.layers.Dense(1)]
    )
    x = random_inputs(2, 5, 2)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert type(loaded.layers[0].cell) is type(model.layers[0].cell)
    assert loaded.layers[0].cell.get_config() == model.layers[0].cell.get_config()
    np.testing.assert_array_equal(loaded(x), model(x))


def test_lstm_forget_bias_starts_at_one_like_keras():
    layer = keras.layers.RNN(LSTMCell(3))
    layer.build((1, 2, 2))
    np.testing.assert_array_equal(layer.get_weights()[2], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])


def output_gradient_wrt_inputs(cell, x):
    layer = keras.layers.RNN(cell)
    return keras.ops.convert_to_numpy(autodiff.gradient(layer, x))


def test_elman_last_output_has_exactly_zero_gradient_to_first_input():
    gradient = output_gradient_wrt_inputs(ElmanCell(4), random_inputs(2, 6, 3))
    assert np.all(gradient[:, :-1] == 0.0)
    assert np.any(gradient[:, -1] != 0.0)


def test_simple_recurrent_cell_passes_gradient_back_to_first_input():
    gradient = output_gradient_wrt_inputs(SimpleRecurrentCell(4), random_inputs(2, 6, 3))
    assert np.all(np.abs(gradient[:, 0]).sum(axis=-1) > 0.0)


# Keras 3.15 computes in float32 what it is given in float64 except on TensorFlow (its type
# promotion maps float64 to float32 on the other backends, keras.src.backend.common.dtypes),
# so there the centred differences are taken in float32, with a larger step and tolerance. There
# each loss runs op by op (about 0.1 s under JAX), so the differences are taken for a random
# sample of ENTRIES entries of each variable; TensorFlow checks every entry.
if keras.backend.backend() == "tensorflow":
    DTYPE, STEP, GRADIENT_TOLERANCE, ENTRIES = "float64", 1e-6, 1e-7, None
else:
    DTYPE, STEP, GRADIENT_TOLERANCE, ENTRIES = "float32", 1e-2, 2e-3, 6


def assert_gradients_match_centred_differences(loss, variables, label):
    """Autodiff against centred differences for every entry, in float64 where Keras computes
    in float64."""
    _, _, gradients = autodiff.value_and_gradients(lambda: (loss(), None), variables)
    analytic = [keras.ops.convert_to_numpy(g) for g in gradients]
    eps = STEP
    rng = np.random.default_rng(0)
    for variable, grad in zip(variables, analytic):
        assert np.any(grad != 0), f"{label} {variable.name}: gradient is all zero"
        base = keras.ops.convert_to_numpy(variable)
        numeric = np.zeros_like(base)
        entries = list(np.ndindex(base.shape))
        if ENTRIES is not None and len(entries) > ENTRIES:
            chosen = rng.choice(len(entries), ENTRIES, replace=False)
            entries = [entries[i] for i in chosen]
            grad = grad.copy()
            checked = np.zeros(base.shape, bool)
            for index in entries:
                checked[index] = True
            grad[~checked] = 0.0  # compared only where the differences were taken
        for index in entries:
            for sign in (1, -1):
                shifted = base.copy()
                shifted[index] += sign * eps
                variable.assign(shifted)
                numeric[index] += sign * float(loss()) / (2 * eps)
            variable.assign(base)
        relative = np.max(np.abs(numeric - grad)) / np.max(np.abs(grad))
        assert relative < GRADIENT_TOLERANCE, (
            f"{label} {variable.name}: relative error {relative:.1e}"
        )


def random_weights(layer, shape, seed):
    layer.build(shape)
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=0.5, size=w.shape) for w in layer.get_weights()])


@pytest.mark.parametrize("kind", CELLS)
def test_one_step_gradients_match_centred_differences(kind):
    """One step with a given state: the weights and the input (for Elman too)."""
    make_cell, _ = CELLS[kind]
    cell = make_cell(3, dtype=DTYPE)
    random_weights(cell, (2, 2), seed=5)
    rng = np.random.default_rng(6)
    x = keras.Variable(rng.normal(size=(2, 2)), dtype=DTYPE, name="x")
    sizes = cell.state_size if isinstance(cell.state_size, list) else [cell.state_size]
    states = [keras.ops.convert_to_tensor(rng.normal(size=(2, size)), DTYPE) for size in sizes]
    projections = [rng.normal(size=(2, size)) for size in sizes]

    def loss():
        _, new_states = cell(x, states)
        return sum(keras.ops.sum(s * p) for s, p in zip(new_states, projections))

    assert_gradients_match_centred_differences(loss, [*cell.trainable_weights, x], kind)


@pytest.mark.parametrize("kind", [k for k in CELLS if k != "elman"])
def test_sequence_gradients_match_centred_differences(kind):
    """Through time (BPTT); not for Elman, whose copied context drops these terms."""
    make_cell, _ = CELLS[kind]
    layer = keras.layers.RNN(make_cell(3, dtype=DTYPE), return_sequences=True, dtype=DTYPE)
    x = np.random.default_rng(4).normal(size=(2, 4, 2)).astype(DTYPE)
    random_weights(layer, x.shape, seed=5)
    projection = np.random.default_rng(7).normal(size=(2, 4, 3))
    assert_gradients_match_centred_differences(
        lambda: keras.ops.sum(layer(x) * projection), layer.trainable_weights, kind
    )


@pytest.mark.parametrize("cell_class", [ElmanCell, SimpleRecurrentCell, LSTMCell, GRUCell])
@pytest.mark.parametrize(
    "units, error", [(0, ValueError), (-3, ValueError), (2.5, TypeError), ("4", TypeError)]
)
def test_bad_units_is_a_clear_error(cell_class, units, error):
    with pytest.raises(error, match="units"):
        cell_class(units)


@pytest.mark.parametrize("cell_class", [ElmanCell, SimpleRecurrentCell, LSTMCell, GRUCell])
def test_numpy_ints_are_units_and_strings_are_not_bools(cell_class):
    assert cell_class(np.int64(3)).units == 3
    with pytest.raises(TypeError, match="use_bias must be True or False, got 'False'"):
        cell_class(3, use_bias="False")


def test_gru_reset_after_must_be_bool():
    with pytest.raises(TypeError, match="reset_after"):
        GRUCell(3, reset_after="yes")


def test_cell_called_on_a_sequence_says_to_wrap_it_in_rnn():
    with pytest.raises(ValueError, match="call the keras.layers.RNN layer that holds it, or wrap"):
        SimpleRecurrentCell(3).build((2, 5, 4))


@pytest.mark.parametrize(
    "units, reset_after, expected", [(5, False, 105), (5, True, 120), (3, False, 81)]
)
def test_gru_parameter_count_depends_on_reset_after(units, reset_after, expected):
    inputs = {5: 1, 3: 5}[units]
    layer = keras.layers.RNN(GRUCell(units, reset_after=reset_after))
    layer.build((None, None, inputs))
    assert layer.count_params() == expected


# ---- Keras' cell arguments: dropout, recurrent dropout, regularizers, constraints ----

NEW_ARGUMENTS = {
    "kernel_regularizer": keras.regularizers.L2(0.01),
    "recurrent_regularizer": keras.regularizers.L1(0.02),
    "bias_regularizer": keras.regularizers.L1L2(0.01, 0.03),
    "kernel_constraint": keras.constraints.MaxNorm(2.0),
    "recurrent_constraint": keras.constraints.UnitNorm(),
    "bias_constraint": keras.constraints.NonNeg(),
    "dropout": 0.25,
    "recurrent_dropout": 0.4,
    "seed": 7,
}


@pytest.mark.parametrize("kind", CELLS)
def test_cell_with_dropout_equals_builtin_in_inference(kind):
    _, builtin = transferred_pair(kind, 5, 3, return_sequences=True)
    make_cell = CELLS[kind][0]
    custom = keras.layers.RNN(
        make_cell(5, dropout=0.3, recurrent_dropout=0.3), return_sequences=True
    )
    custom.build((2, 3, 3))
    custom.set_weights(builtin.get_weights())
    x = random_inputs(4, 9, 3)
    assert max_difference(custom(x, training=False), builtin(x, training=False)) < TOLERANCE


@pytest.mark.parametrize("kind", CELLS)
def test_dropout_is_active_only_in_training(kind):
    make_cell, _ = CELLS[kind]
    layer = keras.layers.RNN(make_cell(6, dropout=0.5, recurrent_dropout=0.5, seed=1))
    x = random_inputs(3, 8, 4)
    assert max_difference(layer(x), layer(x)) == 0.0
    assert max_difference(layer(x, training=True), layer(x)) > 1e-3


@pytest.mark.parametrize("rate_name", ["dropout", "recurrent_dropout"])
def test_dropout_masks_are_drawn_once_per_sequence(rate_name):
    # A linear cell that passes each input unit (or each state unit) straight through, so
    # the output shows which units the mask kept: the same at every step of a sequence,
    # different from one sequence to the next and from one call to the next.
    units = 64
    cell = SimpleRecurrentCell(units, activation=None, use_bias=False, seed=3, **{rate_name: 0.5})
    layer = keras.layers.RNN(cell, return_sequences=True)
    layer.build((None, None, units))
    if rate_name == "dropout":
        cell.kernel.assign(np.eye(units))
        cell.recurrent_kernel.assign(np.zeros((units, units)))
        x = np.ones((3, 5, units), "float32")
        kept = keras.ops.convert_to_numpy(layer(x, training=True)) != 0
    else:
        cell.kernel.assign(np.zeros((units, units)))
        cell.recurrent_kernel.assign(np.eye(units))
        state = np.ones((3, units), "float32")
        out = layer(np.zeros((3, 5, units), "float32"), initial_state=[state], training=True)
        # h_t = (h_{t-1} * mask) W: a unit dropped once stays zero, so look at step 1 only
        kept = keras.ops.convert_to_numpy(out)[:, :1] != 0
        again = layer(np.zeros((3, 5, units), "float32"), initial_state=[state], training=True)
        kept_again = keras.ops.convert_to_numpy(again)[:, :1] != 0
        assert not np.array_equal(kept, kept_again), "a new call should draw new masks"
        out = keras.ops.convert_to_numpy(out)
        assert np.array_equal(out[:, 1] != 0, out[:, 0] != 0), "the same units dropped at step 2"
    assert np.all(kept == kept[:, :1]), (
        "within a sequence the same units must be dropped at every step"
    )
    assert not np.array_equal(kept[0, 0], kept[1, 0]), (
        "different sequences should get different masks"
    )
    assert 0.3 < kept.mean() < 0.7


@pytest.mark.parametrize("make_cell", [ElmanCell, SimpleRecurrentCell, LSTMCell, GRUCell])
def test_new_arguments_survive_get_config_and_keras_saving(make_cell, tmp_path):
    model = keras.Sequential(
        [
            keras.Input((None, 2)),
            keras.layers.RNN(make_cell(3, **NEW_ARGUMENTS)),
            keras.layers.Dense(1),
        ]
    )
    path = tmp_path / "model.keras"
    model.save(path)
    cell = keras.saving.load_model(path).layers[0].cell
    original = model.layers[0].cell.get_config()
    assert cell.get_config() == original
    assert cell.dropout == 0.25 and cell.recurrent_dropout == 0.4 and cell.seed == 7
    assert isinstance(cell.recurrent_constraint, keras.constraints.UnitNorm)
    assert isinstance(cell.bias_regularizer, keras.regularizers.L1L2)


@pytest.mark.parametrize("make_cell", [ElmanCell, SimpleRecurrentCell, LSTMCell, GRUCell])
def test_regularizers_add_their_losses_and_constraints_hold_after_a_step(make_cell):
    cell = make_cell(
        4,
        kernel_regularizer=keras.regularizers.L2(0.5),
        recurrent_regularizer=keras.regularizers.L1(0.5),
        kernel_constraint=keras.constraints.MaxNorm(0.1, axis=0),
        bias_constraint=keras.constraints.NonNeg(),
    )
    model = keras.Sequential([keras.Input((5, 2)), keras.layers.RNN(cell), keras.layers.Dense(1)])
    expected = 0.5 * float(np.sum(cell.kernel.numpy() ** 2)) + 0.5 * float(
        np.sum(np.abs(cell.recurrent_kernel.numpy()))
    )
    model(np.zeros((1, 5, 2), "float32"))
    assert len(model.losses) == 2
    assert abs(float(sum(model.losses)) - expected) < 1e-4 * expected
    model.compile(keras.optimizers.SGD(0.5), "mse")
    x = random_inputs(8, 5, 2)
    model.fit(x, -np.ones((8, 1)), epochs=2, verbose=0)
    assert np.all(np.linalg.norm(cell.kernel.numpy(), axis=0) <= 0.1 + 1e-5)
    assert np.all(cell.bias.numpy() >= 0)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"dropout": 1.0}, ValueError, "dropout must be a fraction in \\[0, 1\\)"),
        ({"recurrent_dropout": -0.1}, ValueError, "recurrent_dropout"),
        ({"dropout": "half"}, TypeError, "dropout"),
        ({"seed": -1}, ValueError, "seed"),
        ({"kernel_regularizer": "no such thing"}, ValueError, "regularizer"),
    ],
)
def test_bad_cell_arguments_are_clear_errors(arguments, error, words):
    with pytest.raises(error, match=words):
        LSTMCell(3, **arguments)


def test_elman_context_stays_a_copy_with_recurrent_dropout():
    layer = keras.layers.RNN(ElmanCell(4, dropout=0.3, recurrent_dropout=0.3, seed=2))
    gradient = keras.ops.convert_to_numpy(
        autodiff.gradient(lambda x: layer(x, training=True), random_inputs(2, 6, 2))
    )
    assert np.all(gradient[:, :-1] == 0) and np.any(gradient[:, -1] != 0)


@pytest.mark.parametrize("make_cell", [ElmanCell, SimpleRecurrentCell, LSTMCell, GRUCell])
def test_a_cell_without_dropout_draws_no_more_randomness_than_its_initialisers(make_cell):
    # so that adding the dropout arguments changed no seeded result of the book
    def initialisers():
        for name in ("glorot_uniform", "orthogonal", "zeros"):
            keras.initializers.get(name)

    def first_weights(make_between):
        keras.utils.set_random_seed(0)
        make_between()
        dense = keras.layers.Dense(3)
        dense.build((None, 4))
        return dense.kernel.numpy()

    assert np.array_equal(first_weights(initialisers), first_weights(lambda: make_cell(5)))
    assert not np.array_equal(
        first_weights(initialisers), first_weights(lambda: make_cell(5, dropout=0.1))
    ), "a cell that drops draws its seed from the random state (as Keras' cells do)"
