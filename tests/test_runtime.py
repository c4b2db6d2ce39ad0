"""Profiles, seeding, device description and recording results."""

import json

import keras
import numpy as np
import pytest

from rnnbook import runtime


@pytest.mark.parametrize("name", runtime.PROFILES)
def test_profile_reads_the_environment(monkeypatch, name):
    monkeypatch.setenv("RNNBOOK_PROFILE", name)
    assert runtime.profile() == name


def test_profile_defaults_to_full(monkeypatch):
    monkeypatch.delenv("RNNBOOK_PROFILE", raising=False)
    assert runtime.profile() == "full"


def test_unknown_profile_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("RNNBOOK_PROFILE", "fast")
    with pytest.raises(ValueError, match="RNNBOOK_PROFILE='fast'.*quick, full, large"):
        runtime.profile()


def test_by_profile_picks_the_active_value_and_large_falls_back_to_full(monkeypatch):
    monkeypatch.setenv("RNNBOOK_PROFILE", "quick")
    assert runtime.by_profile(quick=1, full=2) == 1
    monkeypatch.setenv("RNNBOOK_PROFILE", "large")
    assert runtime.by_profile(quick=1, full=2) == 2
    assert runtime.by_profile(quick=1, full=2, large=3) == 3


def test_seed_everything_makes_numpy_and_keras_repeat():
    import keras

    draws = []
    for _ in range(2):
        runtime.seed_everything(7)
        draws.append((np.random.rand(3), keras.ops.convert_to_numpy(keras.random.normal((3,)))))
    np.testing.assert_array_equal(draws[0][0], draws[1][0])
    np.testing.assert_array_equal(draws[0][1], draws[1][1])


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_bad_seed_is_a_clear_error(seed):
    with pytest.raises(ValueError, match="seed"):
        runtime.seed_everything(seed)


def test_device_description_names_cpu_or_gpu():
    assert runtime.device_description().startswith(("CPU", "GPU"))


def test_record_writes_figures_to_the_results_file(monkeypatch, tmp_path):
    target = tmp_path / "results" / "nb.json"
    monkeypatch.setenv("RNNBOOK_RESULTS_FILE", str(target))
    runtime.record("a.nmse", np.float32(0.25))
    runtime.record("a.weights", np.int64(29))
    assert json.loads(target.read_text()) == {"a.nmse": 0.25, "a.weights": 29}
    assert runtime.RECORDED["a.weights"] == 29


def test_record_without_a_results_file_keeps_the_figure_in_memory(monkeypatch):
    monkeypatch.delenv("RNNBOOK_RESULTS_FILE", raising=False)
    assert runtime.record("b.count", 3) == 3
    assert runtime.RECORDED["b.count"] == 3


@pytest.mark.parametrize(
    "name, value, error",
    [
        ("", 1.0, TypeError),
        (3, 1.0, TypeError),
        ("x", [1, 2], TypeError),
        ("x", float("nan"), ValueError),
    ],
)
def test_record_rejects_bad_names_and_values(monkeypatch, name, value, error):
    monkeypatch.delenv("RNNBOOK_RESULTS_FILE", raising=False)
    with pytest.raises(error, match="name|value"):
        runtime.record(name, value)


def test_setup_names_the_profile_it_is_given_for_the_rest_of_the_notebook(monkeypatch, capsys):
    monkeypatch.setenv("RNNBOOK_PROFILE", "full")
    assert runtime.setup(seed=0, profile="quick") == "quick"
    assert runtime.profile() == "quick" and runtime.by_profile(quick=1, full=2) == 1
    assert "profile: quick" in capsys.readouterr().out


def test_setup_without_a_profile_keeps_the_environments(monkeypatch):
    monkeypatch.setenv("RNNBOOK_PROFILE", "large")
    assert runtime.setup(seed=0) == "large"


def test_setup_rejects_an_unknown_profile_by_name(monkeypatch):
    monkeypatch.setenv("RNNBOOK_PROFILE", "full")
    with pytest.raises(ValueError, match="unknown profile 'gpu': choose one of quick, full, large"):
        runtime.setup(seed=0, profile="gpu")


def test_record_takes_scalar_tensors_and_refuses_arrays():
    assert runtime.record("demo.tensor", keras.ops.convert_to_tensor(0.25)) == 0.25
    assert runtime.record("demo.numpy_int", np.int64(3)) == 3
    with pytest.raises(TypeError, match=r"a single number, got an array of shape \(2,\)"):
        runtime.record("demo.array", np.array([1.0, 2.0]))


def test_computes_float64_says_whether_keras_keeps_float64():
    x = keras.ops.convert_to_tensor(np.linspace(0.1, 0.9, 5), dtype="float64")
    kept = keras.backend.standardize_dtype(keras.ops.sigmoid(x * 1.0).dtype) == "float64"
    assert runtime.computes_float64() is kept
    assert runtime.computes_float64() is (keras.backend.backend() == "tensorflow")


def test_eager_in_quick_only_in_the_quick_profile_under_tensorflow(monkeypatch):
    import keras

    from rnnbook import runtime

    monkeypatch.setenv("RNNBOOK_PROFILE", "full")
    assert runtime.eager_in_quick() is False
    monkeypatch.setenv("RNNBOOK_PROFILE", "quick")
    assert runtime.eager_in_quick() is (keras.backend.backend() == "tensorflow")
