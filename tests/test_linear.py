"""Linear recurrences h_t = a_t h_{t-1} + b_t (notebook 12): the associative combine, the scan
in parallel and in order, the scan written out by hand, and the layers minGRU, minLSTM and the
Linear Recurrent Unit, each checked against its equations written out in NumPy."""

import math

import keras
import numpy as np
import pytest
from helpers import check, numpy
from keras import ops

from rnnbook import linear
from rnnbook.linear import (
    LinearRecurrentUnit,
    MinGRU,
    MinLSTM,
    combine,
    hillis_steele_scan,
    linear_scan,
)

TOLERANCE = 1e-5  # float32 round-off, relative to the size of the states
# most tests share one shape: JAX compiles the eager parallel scan again for every new shape
UNITS, FEATURES, BATCH, STEPS = 4, 3, 2, 12
GATED = [MinGRU, MinLSTM]
LAYERS = [MinGRU, MinLSTM, LinearRecurrentUnit]


def relative_error(actual, expected):
    return np.max(np.abs(np.asarray(actual) - expected)) / max(1.0, np.max(np.abs(expected)))


def random_inputs(batch=BATCH, steps=STEPS, features=FEATURES, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, steps, features)).astype("float32")


def recurrence(a, b, initial=None, mask=None):
    """h_t = a_t h_{t-1} + b_t for (batch, T, units) arrays, step by step in float64 (complex
    if a or b is); a masked step (mask False) keeps h_{t-1}."""
    a = np.broadcast_to(a, b.shape)
    h = np.zeros(b[:, 0].shape, dtype=np.result_type(a, b, float))
    if initial is not None:
        h = h + initial
    states = []
    for t in range(b.shape[1]):
        new = a[:, t] * h + b[:, t]
        h = new if mask is None else np.where(mask[:, t, None], new, h)
        states.append(h)
    return np.stack(states, axis=1)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def gated_coefficients(layer, x):
    """(a_t, b_t) of minGRU or minLSTM from the equations of their docstrings, in float64."""
    kernel, bias = (w.astype(float) for w in layer.get_weights())
    u = layer.units
    pre = x.astype(float) @ kernel + bias
    if isinstance(layer, MinLSTM):
        f, i, candidate = sigmoid(pre[..., :u]), sigmoid(pre[..., u : 2 * u]), pre[..., 2 * u :]
        return f / (f + i), i / (f + i) * candidate
    z, candidate = sigmoid(pre[..., :u]), pre[..., u:]
    return z, (1.0 - z) * candidate  # z_t: the share of the old state kept (notebook 05)


def lru_parts(layer):
    """lambda, gamma, B, C, D of an LRU from its weights, by the docstring's formulas."""
    w = {name: numpy(getattr(layer, name)).astype(float) for name in ("nu_log", "theta_log")}
    lam = np.exp(-np.exp(w["nu_log"]) + 1j * np.exp(w["theta_log"]))
    gamma = np.sqrt(1.0 - np.abs(lam) ** 2)
    B = numpy(layer.B_re).astype(float) + 1j * numpy(layer.B_im).astype(float)
    C = numpy(layer.C_re).astype(float) + 1j * numpy(layer.C_im).astype(float)
    return lam, gamma, B, C, numpy(layer.D).astype(float)


def lru_reference(layer, x, initial=None, mask=None, normalise=True):
    """h_t = lambda h_{t-1} + gamma (x_t B), y_t = Re(h_t C) + x_t D, in complex128.
    Returns (y, h)."""
    lam, gamma, B, C, D = lru_parts(layer)
    x = x.astype(float)
    drive = (gamma if normalise else 1.0) * (x @ B)
    h = recurrence(np.broadcast_to(lam, drive.shape), drive, initial, mask)
    return np.real(h @ C) + x @ D, h


def set_random_weights(layer, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    layer.set_weights([rng.normal(scale=scale, size=w.shape) for w in layer.get_weights()])


def built_gated(cls, units, features, seed=0, **kwargs):
    layer = cls(units, **kwargs)
    layer.build((None, None, features))
    set_random_weights(layer, seed)  # a nonzero bias too
    return layer


def built_lru(units, features, **kwargs):
    layer = LinearRecurrentUnit(units, **{"seed": 3, "r_min": 0.5, "r_max": 0.95, **kwargs})
    layer.build((None, None, features))
    return layer


def built(cls, units=UNITS, features=FEATURES, **kwargs):
    if cls is LinearRecurrentUnit:
        return built_lru(units, features, **kwargs)
    return built_gated(cls, units, features, **kwargs)


def reference(layer, x, initial=None, mask=None):
    """What a layer with return_sequences=True should return, from NumPy."""
    if isinstance(layer, LinearRecurrentUnit):
        return lru_reference(layer, x, initial, mask)[0]
    a, b = gated_coefficients(layer, x)
    return recurrence(a, b, initial, mask)


# ---------------------------------------------------------------- the combine


@pytest.mark.parametrize("shape", [(), (4,), (3, 5)], ids=str)
def test_combine_is_associative(shape):
    rng = np.random.default_rng(1)
    p, q, r = ((rng.normal(size=shape), rng.normal(size=shape)) for _ in range(3))
    left, right = combine(combine(p, q), r), combine(p, combine(q, r))
    for one, other in zip(left, right):
        assert np.max(np.abs(one - other)) < 1e-12


def test_combine_works_on_tensors_as_on_arrays():
    rng = np.random.default_rng(2)
    p, q = ((rng.normal(size=(2, 3)), rng.normal(size=(2, 3))) for _ in range(2))
    tensors = combine(*(tuple(ops.convert_to_tensor(v, "float32") for v in s) for s in (p, q)))
    for tensor, array in zip(tensors, combine(p, q)):
        assert np.max(np.abs(numpy(tensor) - array)) < 1e-6


@pytest.mark.parametrize("steps", [1, 2, 5, 30])
def test_composing_steps_one_by_one_equals_the_loop(steps):
    rng = np.random.default_rng(steps)
    a, b = rng.uniform(-1.2, 1.2, size=(steps, 4)), rng.normal(size=(steps, 4))
    h0 = rng.normal(size=4)
    total = (a[0], b[0])
    for t in range(1, steps):
        total = combine(total, (a[t], b[t]))
    h = h0
    for t in range(steps):  # the loop itself
        h = a[t] * h + b[t]
    assert np.max(np.abs(total[0] - np.prod(a, axis=0))) < 1e-12
    assert np.max(np.abs(total[0] * h0 + total[1] - h)) < 1e-12


# ---------------------------------------------------------------- linear_scan


def coefficients(batch, steps, units, seed=0):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.5, 1.0, size=(batch, steps, units)).astype("float32")
    b = rng.normal(size=(batch, steps, units)).astype("float32")
    return a, b


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("with_initial", [False, True], ids=["h0=0", "h0"])
@pytest.mark.parametrize("steps", [1, 2, 7, 64, 300])
def test_linear_scan_equals_the_numpy_loop(steps, with_initial, parallel):
    a, b = coefficients(2, steps, 3, seed=steps)
    initial = np.random.default_rng(9).normal(size=(2, 3)).astype("float32")
    initial = initial if with_initial else None
    states = numpy(linear_scan(a, b, initial, parallel=parallel))
    assert states.shape == (2, steps, 3)
    assert relative_error(states, recurrence(a, b, initial)) < TOLERANCE


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
def test_linear_scan_broadcasts_an_a_of_shape_units(parallel):
    _, b = coefficients(BATCH, STEPS, UNITS)
    a = np.array([0.9, -0.5, 1.0, 0.0], dtype="float32")  # one a per unit, every step
    initial = np.ones((BATCH, UNITS), dtype="float32")
    states = numpy(linear_scan(a, b, initial, parallel=parallel))
    assert relative_error(states, recurrence(a, b, initial)) < TOLERANCE


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("with_initial", [False, True], ids=["h0=0", "h0"])
@pytest.mark.parametrize("steps", [1, 7, 64])
def test_complex_linear_scan_equals_a_numpy_complex_loop(steps, with_initial, parallel):
    rng = np.random.default_rng(steps)
    modulus = rng.uniform(0.5, 1.0, size=(2, steps, 3))
    a = modulus * np.exp(1j * rng.uniform(0, 2 * np.pi, size=(2, steps, 3)))
    b = rng.normal(size=(2, steps, 3)) + 1j * rng.normal(size=(2, steps, 3))
    initial = rng.normal(size=(2, 3)) + 1j * rng.normal(size=(2, 3)) if with_initial else None

    def pair(z):
        return (z.real.astype("float32"), z.imag.astype("float32"))

    a, b = a.astype("complex64"), b.astype("complex64")  # the float32 values the scan sees
    h0 = None if initial is None else pair(initial)
    real, imag = linear_scan(pair(a), pair(b), h0, parallel=parallel)
    expected = recurrence(a, b, None if initial is None else h0[0] + 1j * h0[1])
    assert relative_error(numpy(real) + 1j * numpy(imag), expected) < TOLERANCE


@pytest.fixture
def scans_counted(monkeypatch):
    """Counts the calls of keras.ops.associative_scan and keras.ops.scan (still running them)."""
    calls = {"associative_scan": 0, "scan": 0}
    monkeypatch.setattr(linear, "_compiled", {})  # JAX: compile again, through the counters
    for name in calls:
        original = getattr(keras.ops, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(keras.ops, name, counted)
    return calls


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
def test_parallel_uses_associative_scan_and_sequential_uses_scan(scans_counted, parallel):
    a, b = coefficients(BATCH, STEPS, UNITS)
    linear_scan(a, b, parallel=parallel)
    used, unused = ("associative_scan", "scan") if parallel else ("scan", "associative_scan")
    assert scans_counted[used] == 1 and scans_counted[unused] == 0


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_layers_scan_as_their_parallel_flag_says(scans_counted, cls, parallel):
    built(cls, parallel=parallel)(random_inputs())
    used, unused = ("associative_scan", "scan") if parallel else ("scan", "associative_scan")
    assert scans_counted[used] >= 1 and scans_counted[unused] == 0


# ---------------------------------------------------------------- the scan by hand


def loop_states(a, b):
    h, states = np.zeros_like(b[0]), []
    for t in range(len(b)):
        h = a[t] * h + b[t]
        states.append(h)
    return np.array(states)


@pytest.mark.parametrize("steps", [1, 2, 3, 8, 9, 1000])
def test_hillis_steele_scan_equals_the_loop_and_counts_its_rounds_and_work(steps):
    rng = np.random.default_rng(steps)
    a, b = rng.uniform(0.5, 1.0, size=(steps, 3)), rng.normal(size=(steps, 3))
    states, rounds, combines = hillis_steele_scan(a, b)
    assert states.shape == (steps, 3)
    assert relative_error(states, loop_states(a, b)) < 1e-12
    assert rounds == math.ceil(math.log2(steps))
    # round k combines every position t >= 2^k with t - 2^k: T - 2^k combines
    assert combines == sum(steps - 2**k for k in range(rounds))


def test_hillis_steele_counts_of_small_cases_worked_by_hand():
    # T = 8: shifts 1, 2, 4 -> 7 + 6 + 4 = 17 combines; T = 9: shifts 1, 2, 4, 8 -> 8+7+5+1
    assert hillis_steele_scan(np.ones(8), np.ones(8))[1:] == (3, 17)
    assert hillis_steele_scan(np.ones(9), np.ones(9))[1:] == (4, 21)
    assert hillis_steele_scan(np.ones(1), np.ones(1))[1:] == (0, 0)


@pytest.mark.parametrize("steps", [3, 4, 16, 100, 1000])
def test_hillis_steele_does_more_work_than_the_loop(steps):
    _, rounds, combines = hillis_steele_scan(np.full(steps, 0.5), np.ones(steps))
    assert combines > steps - 1  # the loop's work
    if steps > 3:
        assert rounds < steps - 1  # in fewer rounds than the loop's steps


def test_hillis_steele_broadcasts_a_and_leaves_its_arguments_alone():
    rng = np.random.default_rng(4)
    a, b = rng.uniform(0.5, 1.0, size=(20, 1)), rng.normal(size=(20, 3))
    a_before, b_before = a.copy(), b.copy()
    states, _, _ = hillis_steele_scan(a, b)
    assert relative_error(states, loop_states(np.broadcast_to(a, b.shape), b)) < 1e-12
    assert np.array_equal(a, a_before) and np.array_equal(b, b_before)


# ---------------------------------------------------------------- minGRU and minLSTM


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("cls", GATED, ids=lambda c: c.__name__)
def test_gated_layer_equals_its_equations_in_numpy(cls, parallel):
    layer = built(cls, parallel=parallel)
    x = random_inputs()
    states = numpy(layer(x))
    assert states.shape == (BATCH, STEPS, UNITS)
    assert relative_error(states, reference(layer, x)) < TOLERANCE


@pytest.mark.parametrize("cls", GATED, ids=lambda c: c.__name__)
def test_gated_step_iterated_equals_the_layer_in_both_forms(cls):
    layer = built(cls)
    x = random_inputs()
    h0 = np.random.default_rng(3).normal(size=(BATCH, UNITS)).astype("float32")
    h, stepped = h0, []
    for t in range(STEPS):
        h = layer.step(x[:, t], h)
        stepped.append(numpy(h))
    stepped = np.stack(stepped, axis=1)
    assert relative_error(stepped, reference(layer, x, h0)) < TOLERANCE
    for parallel in (True, False):
        layer.parallel = parallel
        assert relative_error(numpy(layer(x, initial_state=h0)), stepped) < TOLERANCE


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("cls", GATED, ids=lambda c: c.__name__)
def test_initial_state_changes_the_output_only_through_the_recurrence(cls, parallel):
    # the gates see x only: h_t - h'_t = (a_1 ... a_t) (h_0 - h'_0), decaying like the product
    layer = built(cls, parallel=parallel)
    x = random_inputs(seed=5)
    rng = np.random.default_rng(6)
    h0, other = (rng.normal(scale=3.0, size=(BATCH, UNITS)).astype("float32") for _ in range(2))
    difference = numpy(layer(x, initial_state=h0)) - numpy(layer(x, initial_state=other))
    a, _ = gated_coefficients(layer, x)
    expected = np.cumprod(a, axis=1) * (h0 - other)[:, None]
    assert np.max(np.abs(difference - expected)) < 1e-5 * np.max(np.abs(h0 - other))
    assert np.max(np.abs(difference[:, -1])) < 0.1 * np.max(np.abs(difference[:, 0]))


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_a_masked_step_keeps_the_state(cls):
    layer = built(cls)
    x = random_inputs()
    mask = np.ones((BATCH, STEPS), dtype=bool)
    mask[0, 3] = False  # a gap
    mask[1, 5:] = False  # a padded tail
    outputs = numpy(layer(x, mask=mask))
    assert relative_error(outputs, reference(layer, x, mask=mask)) < TOLERANCE
    assert np.max(np.abs(outputs - numpy(layer(x)))) > 1e-3  # the mask mattered
    if cls is not LinearRecurrentUnit:  # the output is the state itself
        assert np.max(np.abs(outputs[0, 3] - outputs[0, 2])) < 1e-6
        assert np.max(np.abs(outputs[1, -1] - outputs[1, 4])) < 1e-6


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_return_sequences_false_gives_the_last_output(cls):
    full = built(cls)
    last = built(cls, return_sequences=False)
    last.set_weights(full.get_weights())
    x = random_inputs()
    expected = reference(full, x)[:, -1]
    assert numpy(last(x)).shape == expected.shape
    assert relative_error(numpy(last(x)), expected) < TOLERANCE


@pytest.mark.parametrize("cls, blocks", [(MinGRU, 2), (MinLSTM, 3)], ids=["MinGRU", "MinLSTM"])
def test_gated_weight_shapes(cls, blocks):
    layer = cls(7)
    layer.build((None, None, 4))
    assert [tuple(w.shape) for w in layer.weights] == [(4, blocks * 7), (blocks * 7,)]
    assert layer.kernel.path.endswith("kernel") and layer.bias.path.endswith("bias")


def test_lru_weight_shapes():
    layer = LinearRecurrentUnit(UNITS, output_size=2, seed=0)
    layer.build((None, None, FEATURES))
    shapes = {name: tuple(getattr(layer, name).shape) for name in ("nu_log", "theta_log")}
    shapes.update({name: tuple(getattr(layer, name).shape) for name in ("B_re", "B_im")})
    shapes.update({name: tuple(getattr(layer, name).shape) for name in ("C_re", "C_im", "D")})
    assert shapes == {
        "nu_log": (4,),
        "theta_log": (4,),
        "B_re": (3, 4),
        "B_im": (3, 4),
        "C_re": (4, 2),
        "C_im": (4, 2),
        "D": (3, 2),
    }
    assert numpy(layer(random_inputs())).shape == (BATCH, STEPS, 2)
    assert numpy(built_lru(UNITS, FEATURES)(random_inputs())).shape == (BATCH, STEPS, FEATURES)


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_config_rebuilds_the_same_layer(cls):
    if cls is LinearRecurrentUnit:
        layer = built_lru(UNITS, FEATURES, output_size=2, max_phase=1.0, return_sequences=False)
    else:
        layer = built_gated(
            cls, UNITS, FEATURES, return_sequences=False, parallel=False, kernel_initializer="ones"
        )
    config = layer.get_config()
    again = cls.from_config(config)
    assert again.get_config() == config
    again.build((None, None, FEATURES))
    if cls is LinearRecurrentUnit:  # the same seed draws the same weights
        for one, other in zip(layer.get_weights(), again.get_weights()):
            assert np.array_equal(one, other)
    else:
        assert np.all(numpy(again.kernel) == 1.0)  # the initializer came through
        again.set_weights(layer.get_weights())
    x = random_inputs()
    assert np.max(np.abs(numpy(again(x)) - numpy(layer(x)))) < 1e-6


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_saved_layer_loads_with_equal_outputs_and_config(cls, tmp_path):
    layer = built(cls, parallel=False)
    set_random_weights(layer, seed=8, scale=0.3)  # weights the seed would not draw again
    model = keras.Sequential([keras.Input((None, FEATURES)), layer])
    path = tmp_path / "linear.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = random_inputs()
    assert isinstance(loaded.layers[0], cls)
    assert loaded.layers[0].get_config() == layer.get_config()
    assert np.max(np.abs(numpy(loaded(x)) - numpy(model(x)))) < 1e-6


@pytest.mark.parametrize(
    "cls, parallel",
    [(MinGRU, True), (MinGRU, False), (MinLSTM, True), (LinearRecurrentUnit, True)],
    ids=["MinGRU-parallel", "MinGRU-sequential", "MinLSTM-parallel", "LRU-parallel"],
)
def test_fit_lowers_the_loss(cls, parallel):
    # the task: y_t = 0.5 y_{t-1} + x_t[0], itself a linear recurrence
    keras.utils.set_random_seed(0)
    x = random_inputs(64, 8, 3, seed=1)  # short: tracing the scan is most of the time
    y = recurrence(np.full((64, 8, 1), 0.5), x[..., :1]).astype("float32")
    layer = cls(8, parallel=parallel, **({"seed": 0} if cls is LinearRecurrentUnit else {}))
    model = keras.Sequential([keras.Input((None, 3)), layer, keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")

    def loss():  # called eagerly: fit alone compiles a function
        return np.mean((numpy(model(x)) - y) ** 2)

    before = loss()
    model.fit(x, y, epochs=4, batch_size=16, verbose=0)
    assert loss() < 0.7 * before


# ---------------------------------------------------------------- the LRU


@pytest.mark.parametrize(
    "r_min, r_max, max_phase",
    [(0.0, 1.0, 2 * np.pi), (0.4, 0.9, np.pi), (0.9, 0.999, 0.314), (0.99, 1.0, 6.0)],
)
def test_lru_eigenvalues_lie_in_the_ring_with_phases_up_to_max_phase(r_min, r_max, max_phase):
    layer = LinearRecurrentUnit(500, r_min=r_min, r_max=r_max, max_phase=max_phase, seed=1)
    layer.build((None, None, 2))
    eigenvalues = layer.eigenvalues()
    assert eigenvalues.shape == (500,) and np.iscomplexobj(eigenvalues)
    lam, _, _, _, _ = lru_parts(layer)
    assert np.max(np.abs(eigenvalues - lam)) < 1e-12  # what the recurrence uses
    modulus, phase = np.abs(eigenvalues), np.mod(np.angle(eigenvalues), 2 * np.pi)
    assert np.all(modulus >= r_min - 1e-6) and np.all(modulus <= r_max + 1e-6)
    assert np.all(modulus < 1.0)  # strictly inside the unit disc
    assert np.all(phase <= max_phase + 1e-5)
    # the draws fill the ring and the phase interval
    area = (modulus**2 - r_min**2) / (r_max**2 - r_min**2)
    assert area.min() < 0.02 and area.max() > 0.98
    assert phase.max() > 0.95 * max_phase


@pytest.mark.parametrize("r_min, r_max", [(0.0, 1.0), (0.4, 0.9)])
def test_lru_ring_initialisation_is_uniform_by_area(r_min, r_max):
    layer = LinearRecurrentUnit(20_000, r_min=r_min, r_max=r_max, max_phase=2.0, seed=5)
    layer.build((None, None, 1))
    eigenvalues = layer.eigenvalues()
    area = (np.abs(eigenvalues) ** 2 - r_min**2) / (r_max**2 - r_min**2)  # in [0, 1]
    phase = np.angle(eigenvalues) / 2.0
    # 20 000 draws: a fraction's standard deviation is at most 0.0035
    for q in (0.1, 0.25, 0.5, 0.75, 0.9):
        assert abs(np.mean(area < q) - q) < 0.02, "uniform by area: |lambda|^2 is uniform"
        assert abs(np.mean(phase < q) - q) < 0.02, "phases uniform"
    mid_radius = (r_min + r_max) / 2  # uniform by radius would put half the draws below this
    expected = (mid_radius**2 - r_min**2) / (r_max**2 - r_min**2)
    assert abs(np.mean(np.abs(eigenvalues) < mid_radius) - expected) < 0.02


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("with_initial", [False, True], ids=["h0=0", "h0"])
def test_lru_equals_the_numpy_complex_recurrence(with_initial, parallel):
    layer = built_lru(UNITS, FEATURES, output_size=2, parallel=parallel)
    x = random_inputs()
    rng = np.random.default_rng(7)
    h0 = tuple(rng.normal(size=(BATCH, UNITS)).astype("float32") for _ in range(2))
    initial = h0 if with_initial else None
    outputs = numpy(layer(x, initial_state=initial))
    expected, _ = lru_reference(layer, x, None if initial is None else h0[0] + 1j * h0[1])
    assert outputs.shape == (BATCH, STEPS, 2)
    assert relative_error(outputs, expected) < TOLERANCE


def test_lru_step_iterated_equals_the_layer_and_the_numpy_recurrence():
    layer = built_lru(UNITS, FEATURES, output_size=2)
    x = random_inputs()
    state = (np.zeros((BATCH, UNITS), "float32"), np.zeros((BATCH, UNITS), "float32"))
    outputs = []
    for t in range(STEPS):
        y, state = layer.step(x[:, t], state)
        outputs.append(numpy(y))
    outputs = np.stack(outputs, axis=1)
    expected, h = lru_reference(layer, x)
    assert relative_error(outputs, expected) < TOLERANCE
    assert relative_error(numpy(state[0]) + 1j * numpy(state[1]), h[:, -1]) < TOLERANCE
    for parallel in (True, False):
        layer.parallel = parallel
        assert relative_error(numpy(layer(x)), outputs) < TOLERANCE


def test_lru_same_seed_gives_the_same_weights_and_another_seed_others():
    def weights(seed):
        layer = LinearRecurrentUnit(8, seed=seed)
        layer.build((None, None, 3))
        return layer.get_weights()

    for one, other in zip(weights(4), weights(4)):
        assert np.array_equal(one, other)
    for one, other in zip(weights(4), weights(5)):
        assert not np.any(one == other)


def test_lru_seed_none_is_drawn_from_the_seeded_global_generator():
    keras.utils.set_random_seed(11)
    first = LinearRecurrentUnit(3).seed
    keras.utils.set_random_seed(11)
    assert LinearRecurrentUnit(3).seed == first
    assert LinearRecurrentUnit(3).seed != first  # the generator moved on


def state_variance_ratio(layer, x, normalise):
    """Mean over units of Var(Re h_t) in the second half of the run, over that of Re(x_t B):
    h from the layer itself (C = I, D = 0 make y = Re h) or from NumPy without gamma."""
    if normalise:
        units = layer.units
        layer.C_re.assign(np.eye(units, dtype="float32"))
        layer.C_im.assign(np.zeros((units, units), "float32"))
        layer.D.assign(np.zeros(tuple(layer.D.shape), "float32"))
        states = numpy(layer(x))
    else:
        states = np.real(lru_reference(layer, x, normalise=False)[1])
    drive = x.astype(float) @ numpy(layer.B_re).astype(float)
    half = x.shape[1] // 2
    return np.mean(np.var(states[:, half:], axis=(0, 1))) / np.mean(np.var(drive, axis=(0, 1)))


def test_lru_gamma_keeps_the_state_variance_bounded_as_lambda_nears_one():
    x = random_inputs(8, 500, 2, seed=3)  # white noise
    normalised, unnormalised = [], []
    for r_min, r_max in [(0.8, 0.9), (0.98, 0.99), (0.998, 0.999)]:
        layer = built_lru(16, 2, output_size=16, r_min=r_min, r_max=r_max, parallel=False)
        normalised.append(state_variance_ratio(layer, x, normalise=True))
        unnormalised.append(state_variance_ratio(layer, x, normalise=False))
    # with gamma the state keeps about the drive's variance; without, it grows ~ 1/(1-|l|^2)
    assert all(0.3 < ratio < 2 for ratio in normalised), normalised
    assert unnormalised[0] < unnormalised[1] < unnormalised[2], unnormalised
    assert unnormalised[2] > 100 and unnormalised[2] > 50 * normalised[2], unnormalised


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"units": 0}, ValueError, "units"),
        ({"units": "4"}, TypeError, "units"),
        ({"units": 2.0}, TypeError, "units"),
        ({"return_sequences": "yes"}, TypeError, "return_sequences"),
        ({"parallel": 1}, TypeError, "parallel"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_bad_layer_arguments_are_refused_by_name(cls, kwargs, error, words):
    check(lambda: cls(**{"units": 4, **kwargs}), error, words)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"r_min": 0.9, "r_max": 0.9}, ValueError, "r_min"),
        ({"r_min": 0.95, "r_max": 0.9}, ValueError, "r_min"),
        ({"r_min": -0.1}, ValueError, "r_min"),
        ({"r_max": 1.01}, ValueError, "r_max"),
        ({"r_max": 0.0}, ValueError, "r_max"),
        ({"max_phase": 0.0}, ValueError, "max_phase"),
        ({"max_phase": -1.0}, ValueError, "max_phase"),
        ({"seed": -1}, ValueError, "seed"),
        ({"seed": 1.5}, TypeError, "seed"),
        ({"output_size": 0}, ValueError, "output_size"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_bad_lru_arguments_are_refused_by_name(kwargs, error, words):
    check(lambda: LinearRecurrentUnit(**{"units": 4, **kwargs}), error, words)


@pytest.mark.parametrize("cls", LAYERS, ids=lambda c: c.__name__)
def test_layers_refuse_inputs_that_are_not_sequences(cls):
    check(lambda: cls(4)(np.zeros((2, 3), "float32")), ValueError, "inputs")
    check(lambda: cls(4).build((2, 3, None)), ValueError, "inputs")


def test_linear_scan_refuses_b_that_is_not_batch_time_units():
    a, b = coefficients(2, 5, 3)
    check(lambda: linear_scan(a[0], b[0]), ValueError, "b must be")
    check(lambda: linear_scan(a[..., None], b[..., None]), ValueError, "b must be")
    check(lambda: linear_scan((a[0], a[0]), (b[0], b[0])), ValueError, "b must be")


def test_linear_scan_refuses_mismatched_pairs():
    a, b = coefficients(2, 5, 3)  # a batch of 2 could pass for a (real, imaginary) pair
    check(lambda: linear_scan(a, (b, b)), ValueError, "a and b")
    check(lambda: linear_scan((a, a), b), ValueError, "a and b")
    check(lambda: linear_scan((a, a, a), (b, b, b)), ValueError, "pair")
    check(lambda: linear_scan((a,), (b, b)), ValueError, "pair")


@pytest.mark.parametrize(
    "a, b, initial_state, message",
    [
        (np.ones((4,), "float32"), np.ones((2, 5, 3), "float32"), None, "a must have b's shape"),
        (
            np.ones((2, 5, 3), "float32"),
            np.ones((2, 5, 3), "float32"),
            np.ones((2, 4), "float32"),
            r"initial_state must have shape \(batch, units\) = \(2, 3\)",
        ),
        (
            (np.ones((2, 5, 3), "float32"),) * 2,
            (np.ones((2, 5, 3), "float32"), np.ones((2, 5, 4), "float32")),
            None,
            "b's real and imaginary parts must have the same shape",
        ),
    ],
)
def test_linear_scan_names_the_argument_whose_shape_does_not_fit(a, b, initial_state, message):
    with pytest.raises(ValueError, match=message):
        linear_scan(a, b, initial_state)


# ---------------------------------------------------------------- the LRU as a filter, its states


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
def test_lru_impulse_response_is_the_layer_answer_to_unit_impulses(parallel):
    layer = built_lru(UNITS, FEATURES, output_size=2, parallel=parallel)
    kernel = layer.impulse_response(STEPS)
    assert kernel.shape == (STEPS, FEATURES, 2)
    for feature in range(FEATURES):
        x = np.zeros((BATCH, STEPS, FEATURES), "float32")
        x[0, 0, feature] = 1.0  # one unit impulse at t = 1 on this feature
        response = numpy(layer(x))
        assert relative_error(kernel[:, feature], response[0]) < TOLERANCE
        assert np.all(response[1] == 0.0)  # no input, no output
    assert np.allclose(layer.impulse_response(3), kernel[:3], rtol=0, atol=1e-12)


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
def test_lru_output_is_the_input_convolved_with_the_impulse_response(parallel):
    layer = built_lru(UNITS, FEATURES, output_size=2, parallel=parallel)
    x = random_inputs()
    kernel = layer.impulse_response(STEPS)
    convolved = np.zeros((BATCH, STEPS, 2))
    for t in range(STEPS):
        for k in range(t + 1):  # y_t = sum_k x_(t-k) K[k]
            convolved[:, t] += x[:, t - k].astype(float) @ kernel[k]
    assert relative_error(numpy(layer(x)), convolved) < TOLERANCE


def test_lru_impulse_response_refuses_an_unbuilt_layer_and_bad_steps():
    check(lambda: LinearRecurrentUnit(UNITS, seed=0).impulse_response(4), ValueError, "call the")
    layer = built_lru(UNITS, FEATURES)
    check(lambda: layer.impulse_response(0), ValueError, "^steps must be")
    check(lambda: layer.impulse_response(-2), ValueError, "^steps must be")
    check(lambda: layer.impulse_response(2.0), TypeError, "^steps must be")


def complex_loop(layer, x, initial=None):
    """h_t = lambda h_{t-1} + gamma (x_t B), one step at a time, in complex128."""
    lam, gamma, B, _, _ = lru_parts(layer)
    h = np.zeros((x.shape[0], layer.units), complex) if initial is None else initial
    states = []
    for t in range(x.shape[1]):
        h = lam * h + gamma * (x[:, t].astype(float) @ B)
        states.append(h)
    return np.stack(states, axis=1)


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
@pytest.mark.parametrize("with_initial", [False, True], ids=["h0=0", "h0"])
def test_lru_states_are_the_complex_recurrence_and_read_out_to_the_layer(with_initial, parallel):
    layer = built_lru(UNITS, FEATURES, output_size=2, parallel=parallel)
    x = random_inputs()
    rng = np.random.default_rng(8)
    h0 = tuple(rng.normal(size=(BATCH, UNITS)).astype("float32") for _ in range(2))
    initial = h0 if with_initial else None
    real, imag = (numpy(part) for part in layer.states(x, initial_state=initial))
    assert real.shape == imag.shape == (BATCH, STEPS, UNITS)
    h = real + 1j * imag
    expected = complex_loop(layer, x, None if initial is None else h0[0] + 1j * h0[1])
    assert relative_error(h, expected) < TOLERANCE
    _, _, _, C, D = lru_parts(layer)
    read_out = np.real(h @ C) + x.astype(float) @ D  # y_t = Re(h_t C) + x_t D
    assert relative_error(read_out, numpy(layer(x, initial_state=initial))) < TOLERANCE


def test_lru_states_builds_an_unbuilt_layer():
    layer = LinearRecurrentUnit(UNITS, output_size=2, seed=3, r_min=0.5, r_max=0.95)
    assert not layer.built
    x = random_inputs()
    real, imag = layer.states(x)
    assert layer.built and tuple(layer.B_re.shape) == (FEATURES, UNITS)
    assert relative_error(numpy(real) + 1j * numpy(imag), complex_loop(layer, x)) < TOLERANCE


# ---------------------------------------------------------------- the compiled scan (JAX)


@pytest.mark.parametrize("parallel", [True, False], ids=["parallel", "sequential"])
def test_linear_scan_gives_the_same_states_again_at_another_shape_and_for_complex(parallel):
    a, b = coefficients(BATCH, STEPS, UNITS)
    first = numpy(linear_scan(a, b, parallel=parallel))
    assert relative_error(first, recurrence(a, b)) < TOLERANCE
    assert np.array_equal(numpy(linear_scan(a, b, parallel=parallel)), first)  # the cached one
    other_a, other_b = coefficients(3, 5, 2, seed=1)  # a second shape
    states = numpy(linear_scan(other_a, other_b, parallel=parallel))
    assert relative_error(states, recurrence(other_a, other_b)) < TOLERANCE
    # complex with the same flag: a cache keyed on `parallel` alone would give the real scan
    rng = np.random.default_rng(2)
    za = (rng.uniform(0.5, 1.0, a.shape) * np.exp(1j * rng.uniform(0, 6, a.shape))).astype(
        "complex64"
    )
    zb = (rng.normal(size=b.shape) + 1j * rng.normal(size=b.shape)).astype("complex64")
    real, imag = linear_scan((za.real, za.imag), (zb.real, zb.imag), parallel=parallel)
    assert relative_error(numpy(real) + 1j * numpy(imag), recurrence(za, zb)) < TOLERANCE
    assert np.array_equal(numpy(linear_scan(a, b, parallel=parallel)), first)
    if keras.backend.backend() == "jax":  # one compiled function per (parallel, complex)
        assert {(parallel, False), (parallel, True)} <= set(linear._compiled)
        assert linear._scanner(parallel, False) is linear._scanner(parallel, False)
        assert linear._scanner(parallel, False) is not linear._scanner(parallel, True)


def test_a_stack_of_min_gru_and_lru_learns_inside_fit():
    # y_t = 0.5 y_{t-1} + x_t[0]; the scans run eagerly first, then traced inside fit
    keras.utils.set_random_seed(0)
    x = random_inputs(64, 8, 3, seed=1)
    y = recurrence(np.full((64, 8, 1), 0.5), x[..., :1]).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((None, 3)),
            MinGRU(8, parallel=True),
            LinearRecurrentUnit(8, seed=0),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")

    def loss():
        return np.mean((numpy(model(x)) - y) ** 2)

    before = loss()
    history = model.fit(x, y, epochs=4, batch_size=16, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert loss() < 0.7 * before
