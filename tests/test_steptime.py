"""Time per training step against sequence length (notebook 12): one positive time per length
for each kind of model, the cap that leaves long lengths untimed, the timing on another backend
in a fresh process, the command line, and bad input refused by name."""

import concurrent.futures
import importlib.util
import json
import math
import subprocess
import threading

import keras
import pytest
from helpers import check

from rnnbook import steptime
from rnnbook.steptime import KINDS, installed_backends, main, measure, seconds_per_step

TINY = {"width": 4, "batch_size": 2, "inputs": 2, "repeats": 1}  # a few ms a step
OTHER = "jax" if keras.backend.backend() == "tensorflow" else "tensorflow"


def positive_numbers(values, count):
    return len(values) == count and all(
        isinstance(v, float) and math.isfinite(v) and v > 0 for v in values
    )


# ---------------------------------------------------------------- installed backends


def test_installed_backends_are_those_whose_package_imports():
    found = installed_backends()
    assert keras.backend.backend() in found  # the one running now
    for name in ("tensorflow", "jax", "torch"):
        assert (name in found) == (importlib.util.find_spec(name) is not None), name
    assert set(found) <= {"tensorflow", "jax", "torch"}


# ---------------------------------------------------------------- seconds_per_step


@pytest.mark.parametrize("kind", KINDS)
def test_seconds_per_step_gives_one_positive_time_per_length(kind):
    seconds = seconds_per_step(kind, [4, 8], **TINY)
    assert positive_numbers(seconds, 2), seconds


def test_a_tiny_cap_leaves_every_length_after_the_first_untimed(monkeypatch):
    built = []
    original = steptime._model

    def counted(kind, length, width, inputs):
        built.append(length)
        return original(kind, length, width, inputs)

    monkeypatch.setattr(steptime, "_model", counted)
    seconds = seconds_per_step("lstm", [4, 8, 16], cap=1e-9, **TINY)
    assert len(seconds) == 3
    assert math.isfinite(seconds[0]) and seconds[0] > 0
    assert all(math.isnan(v) for v in seconds[1:]), seconds
    assert built == [4], "an untimed length builds no model"


# ---------------------------------------------------------------- measure


@pytest.fixture
def fake_timing(monkeypatch):
    """seconds_per_step replaced by one that records its calls and returns known numbers;
    subprocess.run refused (this process must do the timing)."""
    calls = []

    def fake(kind, lengths, **settings):
        calls.append((kind, list(lengths), settings))
        return [float(KINDS.index(kind) + 1) * n for n in lengths]

    def no_process(*args, **kwargs):
        raise AssertionError("measure started a process for the running backend")

    monkeypatch.setattr(steptime, "seconds_per_step", fake)
    monkeypatch.setattr(steptime.subprocess, "run", no_process)
    return calls


@pytest.mark.parametrize("backend", [None, keras.backend.backend()], ids=["None", "running"])
def test_measure_times_the_kinds_asked_in_their_order_in_this_process(fake_timing, backend):
    kinds = ["lstm", "parallel", "attention"]  # not the order of KINDS
    result = measure([4, 8], kinds, backend=backend, cap=0.5, **TINY)
    assert list(result) == kinds
    assert result == {"lstm": [12.0, 24.0], "parallel": [4.0, 8.0], "attention": [16.0, 32.0]}
    assert [call[0] for call in fake_timing] == kinds
    settings = {**TINY, "cap": 0.5}
    assert all(call[1:] == ([4, 8], settings) for call in fake_timing), fake_timing


@pytest.fixture(scope="module", autouse=True)
def other_backend_run(request):
    """measure([4, 8], ["lstm"]) on the other backend, started in a thread before this file's
    first test so that its fresh process (seconds to start and compile) runs beside them;
    records the command, its environment and the finished process. ``None`` where that test
    is not selected or the other backend is not installed."""
    if OTHER not in installed_backends() or not any(
        item.module is request.module
        and item.originalname == test_measure_on_the_other_backend_times_in_a_process_of_it.__name__
        for item in request.session.items
    ):
        yield None
        return
    run = {"entered": threading.Event()}
    original = subprocess.run

    def recorded(command, **kwargs):
        run["command"], run["backend"] = command, kwargs["env"]["KERAS_BACKEND"]
        run["entered"].set()  # from here on the thread holds the real subprocess.run
        run["process"] = original(command, **kwargs)
        return run["process"]

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(subprocess, "run", recorded)
            run["result"] = pool.submit(
                measure, [4, 8], ["lstm"], backend=OTHER, timeout=300, **TINY
            )
            for _ in range(1200):  # until the thread is in the real run: later tests patch it
                if run["entered"].wait(0.05) or run["result"].done():
                    break
        yield run
    # leaving the pool waited for the thread: no process is left behind


def test_measure_on_the_other_backend_times_in_a_process_of_it(other_backend_run):
    if other_backend_run is None:
        pytest.skip(f"{OTHER} is not installed")
    result = other_backend_run["result"].result(timeout=300)
    assert list(result) == ["lstm"]
    assert positive_numbers(result["lstm"], 2), result
    assert other_backend_run["backend"] == OTHER
    # the command line: python -m rnnbook.steptime ... prints one line RESULT {json}, exit 0
    arguments = ["--lengths", "4", "8", "--kinds", "lstm", "--width", "4", "--batch-size", "2"]
    arguments += ["--inputs", "2", "--repeats", "1"]
    assert other_backend_run["command"][1:] == ["-m", "rnnbook.steptime", *arguments]
    process = other_backend_run["process"]
    assert process.returncode == 0
    results = [line for line in process.stdout.splitlines() if line.startswith("RESULT ")]
    assert len(results) == 1, process.stdout
    printed = json.loads(results[0][len("RESULT ") :])
    assert list(printed) == ["lstm"] and positive_numbers(printed["lstm"], 2), printed


def completed(stdout, returncode=0):
    return subprocess.CompletedProcess([], returncode, stdout=stdout, stderr="boom")


@pytest.fixture
def other_backend_faked(monkeypatch):
    """Any backend name counts as installed, and the fresh process is replaced by the
    CompletedProcess the test puts in the list."""
    answers = []
    monkeypatch.setattr(steptime, "installed_backends", lambda: ["tensorflow", "jax", "torch"])
    monkeypatch.setattr(steptime.subprocess, "run", lambda *args, **kwargs: answers.pop())
    return answers


def test_a_null_in_the_other_process_result_comes_back_as_nan(other_backend_faked):
    other_backend_faked.append(
        completed('noise\nRESULT {"lstm": [0.5, null], "parallel": [1, 2]}\n')
    )
    result = measure([4, 8], ["lstm"], backend=OTHER, **TINY)
    assert list(result) == ["lstm"]
    assert result["lstm"][0] == 0.5 and math.isnan(result["lstm"][1])


@pytest.mark.parametrize(
    "answer",
    [completed("RESULT {}", returncode=1), completed("no result line\n")],
    ids=["exit code 1", "no RESULT line"],
)
def test_a_failed_other_process_is_a_runtime_error_naming_the_backend(other_backend_faked, answer):
    other_backend_faked.append(answer)
    with pytest.raises(RuntimeError, match=f"^{OTHER}: the timing failed"):
        measure([4], ["lstm"], backend=OTHER)


@pytest.mark.parametrize(
    "backend",
    ["torch", "no-such-backend"],
)
def test_a_backend_not_installed_is_refused_by_name(backend):
    if backend in installed_backends():
        pytest.skip(f"{backend} is installed here")
    check(lambda: measure([4], ["lstm"], backend=backend), ValueError, "^backend must be")


def test_a_backend_that_is_not_a_name_is_a_type_error():
    check(lambda: measure([4], ["lstm"], backend=1), TypeError, "^backend must be")


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"kinds": "lstm"}, TypeError, "^kinds must be"),
        ({"kinds": ["lstm", 3]}, TypeError, "^kinds must be"),
        ({"kinds": ["gru"]}, ValueError, "^kinds must be"),
        ({"kinds": []}, ValueError, "^kinds must be"),
        ({"lengths": [0]}, ValueError, r"^lengths\[0\] must be"),
        ({"lengths": [4, 0]}, ValueError, r"^lengths\[1\] must be"),
        ({"lengths": []}, ValueError, "^lengths must"),
        ({"lengths": "8"}, TypeError, "^lengths must"),
        ({"lengths": 8}, TypeError, "^lengths must"),
        ({"width": 2}, ValueError, "^width must be"),
        ({"width": 4.0}, TypeError, "^width must be"),
        ({"batch_size": 0}, ValueError, "^batch_size must be"),
        ({"inputs": 0}, ValueError, "^inputs must be"),
        ({"repeats": 0}, ValueError, "^repeats must be"),
        ({"cap": -1}, ValueError, "^cap must be"),
        ({"cap": 0}, ValueError, "^cap must be"),
        ({"cap": "1"}, TypeError, "^cap must be"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_bad_measure_arguments_are_refused_by_name(kwargs, error, words):
    arguments = {"lengths": [4], "kinds": ["lstm"], **TINY, **kwargs}
    check(lambda: measure(**arguments), error, words)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"width": 2}, ValueError, "^width must be"),
        ({"repeats": 0}, ValueError, "^repeats must be"),
        ({"cap": "1"}, TypeError, "^cap must be"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_bad_settings_for_another_backend_are_refused_before_a_process_starts(
    other_backend_faked, kwargs, error, words
):
    other_backend_faked.append(completed("RESULT {}", returncode=2))  # what a process would say
    arguments = {"lengths": [4], "kinds": ["lstm"], "backend": OTHER, **TINY, **kwargs}
    check(lambda: measure(**arguments), error, words)
    assert other_backend_faked, "a process was started"


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"kind": "gru"}, ValueError, "kinds must be"),
        ({"kind": 3}, TypeError, "kinds must be"),
        ({"lengths": [0]}, ValueError, r"^lengths\[0\] must be"),
        ({"lengths": []}, ValueError, "^lengths must"),
        ({"lengths": "8"}, TypeError, "^lengths must"),
        ({"width": 2}, ValueError, "^width must be"),
        ({"cap": -1}, ValueError, "^cap must be"),
        ({"seed": -1}, ValueError, "^seed must be"),
    ],
    ids=lambda v: str(v) if isinstance(v, dict) else "",
)
def test_bad_seconds_per_step_arguments_are_refused_by_name(kwargs, error, words):
    arguments = {"kind": "lstm", "lengths": [4], **TINY, **kwargs}
    check(lambda: seconds_per_step(**arguments), error, words)


# ---------------------------------------------------------------- the command line

COMMAND = ["--lengths", "4", "8", "--kinds", "lstm", "--width", "4", "--batch-size", "2"]
COMMAND += ["--inputs", "2", "--repeats", "1"]


def test_the_command_line_prints_one_result_line_of_json(capsys):
    assert main(COMMAND) == 0
    lines = capsys.readouterr().out.splitlines()
    results = [line for line in lines if line.startswith("RESULT ")]
    assert len(results) == 1, lines
    result = json.loads(results[0][len("RESULT ") :])
    assert list(result) == ["lstm"] and positive_numbers(result["lstm"], 2), result


def test_the_command_line_hands_its_settings_on_and_prints_an_untimed_length_as_null(
    capsys, monkeypatch
):
    asked = []

    def fake(lengths, kinds, **settings):
        asked.append((lengths, kinds, settings))
        return {"lstm": [0.25, math.nan], "sequential": [0.5, 0.75]}

    monkeypatch.setattr(steptime, "measure", fake)
    argv = ["--lengths", "4", "8", "--kinds", "lstm", "sequential", "--width", "4"]
    argv += ["--batch-size", "2", "--inputs", "2", "--repeats", "1", "--cap", "0.5"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out == 'RESULT {"lstm": [0.25, null], "sequential": [0.5, 0.75]}\n'  # strict JSON
    settings = {"width": 4, "batch_size": 2, "inputs": 2, "repeats": 1, "cap": 0.5}
    assert asked == [([4, 8], ["lstm", "sequential"], settings)]


@pytest.mark.parametrize(
    "argv",
    [
        ["--lengths", "4", "--kinds", "gru"],
        ["--kinds", "lstm"],
        ["--lengths", "four"],
    ],
    ids=["unknown kind", "no lengths", "lengths not ints"],
)
def test_bad_command_line_arguments_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, words", [(["--width", "2"], "width"), (["--cap", "-1"], "cap")], ids=["width", "cap"]
)
def test_bad_values_on_the_command_line_exit_2_naming_them(capsys, argv, words):
    assert main(["--lengths", "4", "--kinds", "lstm", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith(f"error: {words} must be") and "RESULT" not in captured.out
