"""The second backend's run: the library's unit tests and notebooks once more, under JAX.

`pytest` runs on TensorFlow (the default backend). Keras picks its backend once per process,
so the JAX run is a second pytest, started in the background as soon as the main run has
collected its tests (``conftest.py``), so that it uses the second core while the main run goes
on; ``test_other_backend.py`` waits for it at the end and reports what failed.
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BACKEND = "jax"

#: Tests of the publishing half (running, building and grading the book) and of the
#: repository: they run notebooks or the command line in their own processes, under the
#: backend of the environment, and test nothing that depends on it.
PUBLISHING = {
    "test_book.py",
    "test_colab.py",
    "test_command_line_faults.py",
    "test_grading.py",
    "test_layout.py",
    "test_notebooks_committed_clean.py",
    "test_other_backend.py",
    "test_reference.py",
    "test_runner.py",
    "test_runner_faults.py",
    "test_wheel.py",
}
#: Tests of code that never reaches Keras: NumPy data and generators, the argument checks,
#: matplotlib diagrams. They test nothing a backend changes, so the JAX run leaves them out.
BACKEND_FREE = {
    "test_checks.py",
    "test_data_and_metrics.py",
    "test_diagrams.py",
    "test_pulse_converter.py",
    "test_scenes.py",
    "test_text.py",
}
#: test_assignments executes every student notebook (then its solutions and wrong answers) in
#: the main run, under the default backend; nbval executes every notebook in both runs. The two
#: runs share CI's two cores and its time, so the notebooks longest in the quick profile swap:
#: their student notebooks run here, under JAX, and nbval runs them in the main run only. Each
#: notebook still runs whole on both backends (these under JAX as the student version, their
#: solutions and their checks).
STUDENT_HERE = (
    "06_bidirectional",
    "07_cnn_lstm",
    "12_linear_recurrences",
)
STUDENT_TEST = "test_student_notebook_fails_exactly_at_its_checks"
NOT_AGAIN = f"not {STUDENT_TEST} or " + " or ".join(STUDENT_HERE)


def library_tests():
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").glob("test_*.py")
        if path.name not in PUBLISHING | BACKEND_FREE
    )


def notebooks():
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "notebooks").glob("*.ipynb")
        if path.stem not in STUDENT_HERE
    )


def student_tests_moved_here(items):
    """The main run's student-notebook tests that the JAX run takes over (:data:`STUDENT_HERE`)."""
    return [
        item
        for item in items
        if item.name.startswith(STUDENT_TEST)
        and any(f"[{stem}.ipynb]" in item.name for stem in STUDENT_HERE)
    ]


RUNS = {
    "library": [*library_tests(), "-k", NOT_AGAIN],
    "notebooks": notebooks(),
}


def wanted():
    """Start the JAX run only from a TensorFlow run (not from itself) where JAX is installed;
    CI installs it (requirements.txt), so there it is never left out."""
    import keras

    return keras.backend.backend() == "tensorflow" and (
        find_spec("jax") is not None or os.environ.get("CI") == "true"
    )


class Run:
    """One pytest under JAX; :meth:`result` waits until it has run."""

    def __init__(self, name, arguments):
        self.name, self.arguments = name, arguments
        self.done = threading.Event()
        self.code, self.output, self.process = None, "", None

    def run(self):
        environment = dict(os.environ, KERAS_BACKEND=BACKEND, PYTHONUNBUFFERED="1")
        with tempfile.TemporaryFile(mode="w+") as log:
            try:
                with _lock:  # stop() either sees this process or stops it being started
                    if _stopping.is_set():
                        return
                    self.process = subprocess.Popen(
                        [sys.executable, "-m", "pytest", "-q", "-rfE", *self.arguments],
                        cwd=ROOT,
                        env=environment,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own process group: its kernels too
                    )
                self.code = self.process.wait()
            finally:
                log.seek(0)
                self.output = "\n".join(log.read().splitlines()[-60:])
                self.done.set()

    def result(self, timeout):
        """``(exit code, last lines of its output)``; the code is None if it did not end."""
        self.done.wait(timeout)
        return self.code, self.output


_runs = {}
_lock = threading.Lock()
_stopping = threading.Event()


def start(names):
    """Start the runs ``names`` (of :data:`RUNS`), one after the other, in a background thread:
    the main run and one of these share the two cores of CI."""
    if not _runs:
        _runs.update({name: Run(name, RUNS[name]) for name in RUNS if name in names})

        def all_runs():
            for run in _runs.values():
                run.run()

        threading.Thread(target=all_runs, daemon=True).start()
    return _runs


def runs():
    return _runs


def stop():
    """End the runs still going, with the kernels they started (the main run is over, or
    was interrupted)."""
    with _lock:
        _stopping.set()
        for run in _runs.values():
            if run.process is not None and run.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(run.process.pid, signal.SIGKILL)
                run.process.wait()
