"""The main command under faults: concurrent runs, signals, dead kernels, timeouts, corrupt
files, unusable build folders, notebooks that share a file name, several profiles."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from test_runner import write_notebook  # tests/ is on sys.path under pytest

from rnnbook.publish import runner

RECORD = "from rnnbook import runtime\nruntime.record('demo.value', {value})"


def results(build):
    return json.loads((build / "results.json").read_text())


def command(*arguments, cwd, **kwargs):
    environment = {**os.environ, "RNNBOOK_PROFILE": "quick"}
    return subprocess.Popen(
        [sys.executable, "-m", "rnnbook", *arguments],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_notebooks_with_one_file_name_keep_separate_results(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    alice = write_notebook(tmp_path / "alice" / "01_homework.ipynb", RECORD.format(value=1))
    bob = write_notebook(tmp_path / "bob" / "01_homework.ipynb", RECORD.format(value=2))
    build = tmp_path / "_build"
    assert runner.run([str(alice), str(bob)], "quick", build, book=False) == 0
    assert results(build)["quick"] == {
        "alice/01_homework": {"demo.value": 1},
        "bob/01_homework": {"demo.value": 2},
    }
    assert (build / "notebooks" / "alice" / "01_homework.ipynb").is_file()
    assert (build / "notebooks" / "bob" / "01_homework.ipynb").is_file()


def test_a_relative_build_folder_keeps_the_figures(tmp_path, monkeypatch):
    # the kernel runs in the notebook's folder: a relative path handed to it would point there
    monkeypatch.chdir(tmp_path)
    write_notebook(tmp_path / "sub" / "01_rec.ipynb", RECORD.format(value=7))
    assert runner.run(["sub/01_rec.ipynb"], "quick", "_rel", book=False) == 0
    assert results(tmp_path / "_rel")["quick"] == {"sub/01_rec": {"demo.value": 7}}
    assert not (tmp_path / "sub" / "_rel").exists(), "nothing may be written beside the notebook"


def test_a_quick_run_keeps_the_full_profiles_figures(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notebook = write_notebook(
        tmp_path / "01_demo.ipynb",
        "from rnnbook import runtime\nruntime.record('demo.epochs', runtime.by_profile(quick=2, full=500))",
    )
    build = tmp_path / "_build"
    assert runner.run([str(notebook)], "full", build, book=False) == 0
    assert runner.run([str(notebook)], "quick", build, book=False) == 0
    assert results(build) == {
        "full": {"01_demo": {"demo.epochs": 500}},
        "quick": {"01_demo": {"demo.epochs": 2}},
    }


def test_two_concurrent_runs_on_one_build_folder_lose_nothing(tmp_path):
    for name in ("01_a", "02_b", "03_c", "04_d"):
        write_notebook(tmp_path / f"{name}.ipynb", RECORD.format(value=repr(name)))
    build = tmp_path / "_build"
    first = command(
        "run", "01_a.ipynb", "02_b.ipynb", "--no-book", "--build-dir", str(build), cwd=tmp_path
    )
    second = command(
        "run", "03_c.ipynb", "04_d.ipynb", "--no-book", "--build-dir", str(build), cwd=tmp_path
    )
    for process in (first, second):
        assert process.wait(timeout=300) == 0, process.stderr.read()
    recorded = results(build)["quick"]
    assert recorded == {name: {"demo.value": name} for name in ("01_a", "02_b", "03_c", "04_d")}
    assert set(json.loads((build / "runs.json").read_text())) == set(recorded)


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_the_run_at_once_and_keeps_the_previous_results(tmp_path, signum, code):
    build = tmp_path / "_build"
    write_notebook(tmp_path / "01_slow.ipynb", RECORD.format(value=1))
    write_notebook(tmp_path / "02_next.ipynb", RECORD.format(value=2))
    first = command("run", "01_slow.ipynb", "--no-book", "--build-dir", str(build), cwd=tmp_path)
    assert first.wait(timeout=120) == 0
    before = (build / "notebooks" / "01_slow.ipynb").read_text()
    write_notebook(
        tmp_path / "01_slow.ipynb",
        "import os, pathlib, time\npathlib.Path('kernel.pid').write_text(str(os.getpid()))",
        RECORD.format(value=99) + "\ntime.sleep(120)",
    )
    process = command(
        "run",
        "01_slow.ipynb",
        "02_next.ipynb",
        "--no-book",
        "--build-dir",
        str(build),
        cwd=tmp_path,
    )
    deadline = time.monotonic() + 60
    while not (tmp_path / "kernel.pid").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)  # the cell that sleeps has started and recorded 99
    stopped_at = time.monotonic()
    process.send_signal(signum)
    assert process.wait(timeout=30) == code
    assert time.monotonic() - stopped_at < 15, "it stops at once"
    assert "Stopped by" in process.stderr.read()
    assert results(build)["quick"] == {"01_slow": {"demo.value": 1}}, "previous results kept"
    assert (build / "notebooks" / "01_slow.ipynb").read_text() == before
    assert not (build / "notebooks" / "02_next.ipynb").exists(), "nothing after it ran"
    kernel = int((tmp_path / "kernel.pid").read_text())
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(kernel, 0)
    assert not list((build / "results").rglob("*partial*"))


def test_a_dead_kernel_is_named_with_its_cell(tmp_path, capsys):
    notebook = write_notebook(
        tmp_path / "01_dies.ipynb", "x = 1", "import os\nos._exit(3)", "y = 2"
    )
    assert runner.run([str(notebook)], "quick", tmp_path / "_build", book=False) == 1
    err = capsys.readouterr().err
    assert "01_dies: cell 2 of 3" in err and "the kernel died" in err


def test_a_timeout_is_named_with_its_cell(tmp_path, capsys):
    notebook = write_notebook(tmp_path / "01_slow.ipynb", "x = 1", "import time\ntime.sleep(30)")
    started = time.monotonic()
    assert runner.run([str(notebook)], "quick", tmp_path / "_build", timeout=2, book=False) == 1
    assert time.monotonic() - started < 25
    captured = capsys.readouterr()
    assert (
        "01_slow: cell 2 of 2" in captured.err and "longer than the timeout of 2 s" in captured.err
    )
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_timeout_must_be_a_positive_number_of_seconds(tmp_path, value):
    completed = subprocess.run(
        [sys.executable, "-m", "rnnbook", "run", "01", "--timeout", value],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert "expected a positive whole number of seconds" in completed.stderr
    with pytest.raises(ValueError, match="timeout must be an int >= 1, got 0"):
        runner.run(["01"], "quick", tmp_path, timeout=0)


def test_a_corrupt_results_file_is_set_aside_and_rebuilt(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build = tmp_path / "_build"
    build.mkdir()
    (build / "results.json").write_text('{"quick": {"01_old": {"x": 1')
    (build / "runs.json").write_text("not json")
    notebook = write_notebook(tmp_path / "02_new.ipynb", RECORD.format(value=5))
    assert runner.run([str(notebook)], "quick", build, book=False) == 0
    assert results(build)["quick"]["02_new"] == {"demo.value": 5}
    assert (build / "results.json.corrupt").read_text().startswith('{"quick"')
    err = capsys.readouterr().err
    assert f"{build / 'results.json'} was not valid JSON" in err
    assert f"{build / 'runs.json'} was not valid JSON" in err


def test_a_file_that_is_not_a_notebook_fails_alone(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    broken = tmp_path / "01_broken.ipynb"
    broken.write_text("{ this is not json")
    good = write_notebook(tmp_path / "02_good.ipynb", RECORD.format(value=7))
    assert runner.run([str(broken), str(good)], "quick", tmp_path / "_build", book=False) == 1
    assert "01_broken: cannot read it as a notebook" in capsys.readouterr().err
    assert results(tmp_path / "_build")["quick"]["02_good"] == {"demo.value": 7}


def test_an_unusable_build_folder_is_refused_before_anything_runs(tmp_path):
    (tmp_path / "a_file").write_text("")
    notebook = write_notebook(tmp_path / "01_demo.ipynb", "open('ran', 'w').close()")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "rnnbook",
            "run",
            str(notebook),
            "--build-dir",
            str(tmp_path / "a_file" / "_build"),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert completed.returncode == 2
    assert "the build folder" in completed.stderr and "cannot be written" in completed.stderr
    assert "usage:" not in completed.stderr
    assert not (tmp_path / "ran").exists()


def test_the_kernels_log_goes_to_a_file_and_is_shown_only_on_failure(tmp_path, capfd, monkeypatch):
    monkeypatch.chdir(tmp_path)
    quiet = write_notebook(
        tmp_path / "01_quiet.ipynb", "import os\nos.write(2, b'kernel noise\\n')"
    )
    assert runner.run([str(quiet)], "quick", tmp_path / "_build", book=False) == 0
    captured = capfd.readouterr()
    assert "kernel noise" not in captured.out + captured.err
    assert "kernel noise" in (tmp_path / "_build" / "logs" / "01_quiet.log").read_text()
    loud = write_notebook(
        tmp_path / "02_loud.ipynb", "import os\nos.write(2, b'the real cause\\n')", "1 / 0"
    )
    assert runner.run([str(loud)], "quick", tmp_path / "_build", book=False) == 1
    assert "the real cause" in capfd.readouterr().err


def test_the_book_names_an_executed_notebook_it_cannot_read(tmp_path, capsys):
    build = tmp_path / "_build"
    (build / "notebooks").mkdir(parents=True)
    (build / "notebooks" / "01_broken.ipynb").write_text("not json")
    assert runner.build_book(build) == 1
    err = capsys.readouterr().err
    assert "01_broken.ipynb is not a readable notebook" in err and "Traceback" not in err
