"""Execute the book's notebooks headless, collect what they record, and write the book,
the student versions and the committed notebooks.

Used by ``python -m rnnbook run | build | student | freeze``; see ``python -m rnnbook --help``.
"""

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from tqdm.auto import tqdm

from rnnbook import checks, runtime
from rnnbook.publish import assignments, colab, outputs
from rnnbook.publish.buildfolder import (
    BuildFolder,
    BuildFolderError,
    WriteError,
    check_writable_folder,
    read_json,
    read_notebook,
    write_atomic,
)
from rnnbook.publish.paths import (
    default_build_dir,
    notebooks_dir,
    repository_root,
)

CHECK_OUTPUT_MARKER = "NBVAL_CHECK_OUTPUT"
#: Figures are drawn inline in the executed notebooks whatever MPLBACKEND the caller set
#: (the tests set Agg for themselves, which would leave the book without pictures).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
#: nbclient's own log lines (a timeout, a dead kernel) are said again, better, by the runner.
QUIET_LOG = logging.getLogger("rnnbook.nbclient")
QUIET_LOG.addHandler(logging.NullHandler())
QUIET_LOG.propagate = False


def find_notebooks(names=()):
    """Resolve notebook arguments (a path, a file name, a stem, or a number prefix such
    as ``01``) to paths; no arguments means every notebook, in reading order."""
    folder = notebooks_dir()
    available = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    named_files = names and all(Path(n).suffix == ".ipynb" and Path(n).is_file() for n in names)
    if not available and not named_files:
        raise ValueError(
            f"no notebooks in {folder}: the book's notebooks are expected in the notebooks/ "
            f"folder of a clone of {colab.repository_url()} (run from the clone), or in "
            "./notebooks; or name notebook files (.ipynb) to run"
        )
    if not names:
        return available
    found = []
    for name in names:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            found.append(path.resolve())
            continue
        matches = [p for p in available if p.stem == name or p.name == name]
        if not matches and (path.suffix == ".ipynb" or len(path.parts) > 1):
            raise ValueError(
                f"no notebook file {path.resolve()} (it does not exist or is a folder)"
            )
        matches = matches or [p for p in available if p.stem.startswith(f"{name}_")]
        if len(matches) != 1:
            listing = ", ".join(p.stem for p in available) or "none"
            raise ValueError(f"no single notebook matches {name!r}; the notebooks are: {listing}")
        found.append(matches[0])
    return found


class _Progress:
    """nbclient hooks that drive a progress bar over the code cells and remember the cell
    that is running and the cell that failed."""

    def __init__(self, notebook, label, stopper=None):
        self.stopper = stopper
        code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
        self.bar = tqdm(total=code_cells, desc=label, unit="cell", leave=False, file=sys.stdout)
        self.current_index = None
        self.failed_index = None
        self.timeout = None

    def on_cell_start(self, cell, cell_index, **kwargs):
        if self.stopper is not None and self.stopper.signum is not None:
            raise RuntimeError("stopped by a signal")  # it came before the kernel was up
        self.current_index = cell_index
        if cell.cell_type == "code":
            self.bar.set_postfix_str(f"cell {cell_index + 1}")

    def on_cell_executed(self, cell, cell_index, **kwargs):
        self.bar.update(1)

    def on_cell_error(self, cell, cell_index, **kwargs):
        self.failed_index = cell_index


class Interrupted(BaseException):
    """The run was stopped by a signal (Ctrl-C or SIGTERM); ``exit_code`` is 128 + signal."""

    def __init__(self, signum):
        super().__init__(signal.Signals(signum).name)
        self.exit_code = 128 + signum


class _StopOnSignal:
    """While active, SIGINT and SIGTERM stop the run at once. Outside a notebook the handler
    raises :class:`Interrupted`; while one runs (in a worker thread, see :func:`_execute`)
    it kills the kernel, the worker returns, and the runner raises it."""

    def __init__(self):
        self.client = None
        self.signum = None
        self._previous = {}

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc):
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        return False

    def _handle(self, signum, frame):
        self.signum = signum
        if self.client is None:
            raise Interrupted(signum)
        self.kill_kernel()

    def kill_kernel(self):
        """Kill the running kernel, if any (it leads its own session: its children go too)."""
        km = getattr(self.client, "km", None)
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if process is not None and process.poll() is None:
            with contextlib.suppress(OSError):
                os.killpg(process.pid, signal.SIGKILL)

    def check(self):
        if self.signum is not None:
            raise Interrupted(self.signum)


def kernel_environment():
    """The environment of the kernels the runner starts: this process's, with figures inline."""
    return {**os.environ, "MPLBACKEND": INLINE_BACKEND}


def check_timeout(timeout):
    """``timeout`` (seconds per cell) must be None (no limit) or a positive int."""
    return None if timeout is None else checks.integer("timeout", timeout, minimum=1)


def notebook_key(path):
    """Where results of ``path`` are kept: its path relative to the book's notebooks folder
    or to the current folder, without ``.ipynb`` (``01_time_delay_network``,
    ``alice/01_homework``)."""
    path = Path(path).resolve()
    for base in (notebooks_dir().resolve(), Path.cwd().resolve()):
        if path.is_relative_to(base):
            return path.relative_to(base).with_suffix("").as_posix()
    return path.with_suffix("").as_posix().lstrip("/")


class _CappedClient(NotebookClient):
    """nbclient's runner, taking in at most ``outputs.CELL_BUDGET`` characters of output per
    cell (a cell printing without end must not fill this process's memory); what it drops is
    counted in ``dropped`` ({cell index: characters}). Errors always come in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.taken, self.dropped = {}, {}

    def output(self, outs, msg, display_id, cell_index):
        if msg["msg_type"] != "error":
            size = outputs.message_size(msg["content"])
            self.taken[cell_index] = self.taken.get(cell_index, 0) + size
            if self.taken[cell_index] > outputs.CELL_BUDGET:
                self.dropped[cell_index] = self.dropped.get(cell_index, 0) + size
                return None
        return super().output(outs, msg, display_id, cell_index)


def _client(notebook, path, profile, progress, timeout=None, allow_errors=False):
    """An nbclient runner for ``notebook`` (read from ``path``) in ``profile``; start it
    with ``.execute(env=kernel_environment())``."""
    os.environ[runtime.PROFILE_VARIABLE] = profile
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    progress.timeout = timeout
    return _CappedClient(
        notebook,
        log=QUIET_LOG,
        timeout=timeout,
        kernel_name="python3",
        # C-level output of libraries (TensorFlow's start-up lines) goes to the kernel's
        # stderr, hence to logs/<key>.log, instead of into the cells the book shows.
        extra_arguments=["--IPKernelApp.capture_fd_output=False"],
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(Path(path).parent)}},
        on_cell_start=progress.on_cell_start,
        on_cell_executed=progress.on_cell_executed,
        on_cell_error=progress.on_cell_error,
    )


def _execute(client, stopper, log_path, body=None):
    """Run ``client`` with the kernel's stderr going to ``log_path``; returns the error
    that stopped it, if any, and raises :class:`Interrupted` if a signal came. ``body(log)``,
    if given, runs instead of ``client.execute`` (it starts the kernel itself).

    nbclient runs in a worker thread: in the main thread it would replace the handlers of
    SIGINT and SIGTERM with its own, which interrupt the cell and carry on."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    outcome = {"error": None}

    def work():
        try:
            if body is None:
                client.execute(env=kernel_environment(), stderr=log)
            else:
                body(log)
        except BaseException as error:  # noqa: BLE001 - reported to the main thread
            outcome["error"] = error

    with open(log_path, "w") as log:
        stopper.client = client
        worker = threading.Thread(target=work, name="notebook", daemon=True)
        try:
            worker.start()
            while worker.is_alive():
                worker.join(0.2)
        finally:
            stopper.client = None
    stopper.check()
    return outcome["error"]


def execute_notebook(path, profile, folder, timeout=None, stopper=None, key=None):
    """Run one notebook in ``profile`` and record it in the build ``folder``
    (:class:`BuildFolder`). Returns ``(results, seconds, failure)``; ``failure`` is None or
    a message naming the cell that failed. A signal raises :class:`Interrupted` and leaves
    the notebook's previous results as they were."""
    path, folder = (
        Path(path),
        BuildFolder(folder) if not isinstance(folder, BuildFolder) else folder,
    )
    key = key or notebook_key(path)
    stopper = stopper or _StopOnSignal()
    started = time.perf_counter()
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # noqa: BLE001 - not JSON, not a notebook, unreadable
        failure = f"cannot read it as a notebook: {type(error).__name__}: {str(error)[:200]}"
        folder.finish(key, profile, folder.partial_results(profile, key), False, 0.0, failure)
        return {}, 0.0, failure
    partial = folder.partial_results(profile, key)
    folder.discard(partial)
    os.environ[runtime.RESULTS_VARIABLE] = str(partial)
    progress = _Progress(notebook, path.stem, stopper)
    try:
        client = _client(notebook, path, profile, progress, timeout)
        error = _execute(client, stopper, folder.log(key))
    except BaseException:
        folder.discard(partial)
        raise
    finally:
        progress.bar.close()
        os.environ.pop(runtime.RESULTS_VARIABLE, None)
    seconds = time.perf_counter() - started
    failure = None if error is None else _describe_failure(notebook, progress, error)
    outputs.cap_notebook(notebook, client.dropped)
    results = read_json(partial, warn=False)
    notebook.metadata["rnnbook"] = {"profile": profile, "seconds": round(seconds, 1)}
    target = folder.executed(key) if failure is None else folder.failed(key)
    try:
        write_atomic(target, nbformat.writes(notebook))
        folder.finish(key, profile, partial, failure is None, seconds, failure)
    except OSError as error:  # a full disk: the previous results of this notebook stay
        folder.discard(partial)
        raise WriteError(
            f"{key}: {error}; its previous results are kept, and those of the notebooks "
            "before it are recorded"
        ) from None
    return results, seconds, failure


def _describe_failure(notebook, progress, error):
    """Name the cell that failed (or was running when the kernel died or time ran out)."""
    index = progress.failed_index if progress.failed_index is not None else progress.current_index
    if isinstance(error, DeadKernelError):
        reason = "the kernel died (out of memory, or killed)"
    elif isinstance(error, CellTimeoutError):
        reason = f"the cell ran longer than the timeout of {progress.timeout} s"
    else:
        text = str(error).strip()
        reason = f"{type(error).__name__}: {text.splitlines()[0][:200] if text else ''}".rstrip(
            ": "
        )
        reason = assignments.failed_cells(notebook).get(index, reason)  # the cell's own error
    if index is None:
        return reason
    first_line = next(
        (line for line in notebook.cells[index].source.splitlines() if line.strip()), ""
    )
    return f"cell {index + 1} of {len(notebook.cells)} ({first_line.strip()[:60]!r}): {reason}"


def _show_log(folder, key):
    """The last lines the kernel wrote to stderr, for a notebook that failed."""
    try:
        lines = folder.log(key).read_text(errors="replace").splitlines()
    except OSError:
        return
    if lines:
        tail = "\n".join(f"        | {line}" for line in lines[-15:])
        print(f"      the kernel's log ({folder.log(key)}), last lines:\n{tail}", file=sys.stderr)


def run(names=(), profile=None, build_dir=None, timeout=None, book=True):
    """Execute notebooks, record them in the build folder and (``book=True``) build the
    HTML book; returns the exit code: 0, 1 if a notebook failed, 130/143 if stopped by
    SIGINT/SIGTERM."""
    profile = runtime.check_profile(profile or runtime.profile())
    check_timeout(timeout)
    folder = BuildFolder(build_dir or default_build_dir()).check_writable()
    paths = find_notebooks(names)
    failures = []
    total = time.perf_counter()
    print(f"Running {len(paths)} notebook(s) in the {profile!r} profile; output in {folder.root}")
    try:
        with _StopOnSignal() as stopper:
            for number, path in enumerate(paths, start=1):
                key = notebook_key(path)
                print(f"[{number}/{len(paths)}] {key} ...", flush=True)
                results, seconds, failure = execute_notebook(
                    path, profile, folder, timeout, stopper, key
                )
                if failure:
                    failures.append(f"{key}: {failure}")
                    print(f"      FAILED after {seconds:.1f} s: {failure}", flush=True)
                    _show_log(folder, key)
                else:
                    print(
                        f"      done in {seconds:.1f} s, {len(results)} figure(s) recorded",
                        flush=True,
                    )
    except Interrupted as stop:
        print(
            f"\nStopped by {stop} after {time.perf_counter() - total:.1f} s: the kernel was shut "
            "down; the interrupted notebook keeps its previous results, the ones before it "
            "are recorded.",
            file=sys.stderr,
        )
        return stop.exit_code
    print(
        f"Finished in {time.perf_counter() - total:.1f} s; results in {folder.root / 'results.json'}"
    )
    status = build_book(folder.root) if book else 0
    if failures:
        print("Failed:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    return status


def build_book(build_dir=None, solutions=False):
    """Render the executed notebooks under ``build_dir`` as the HTML book (the students'
    book; ``solutions``: the instructor's copy, in ``html-instructor``); exit code."""
    from rnnbook.publish import book

    build_dir = Path(build_dir) if build_dir else default_build_dir()
    print("Building the HTML book ...", flush=True)
    started = time.perf_counter()
    try:
        index = book.build(build_dir, solutions=solutions)
    except (RuntimeError, FileNotFoundError) as error:
        print(f"The book was not built: {error}", file=sys.stderr)
        return 1
    print(f"Book written in {time.perf_counter() - started:.1f} s: {index}")
    return 0


def write_student_versions(names=(), out_dir=None):
    """Write the student version of each notebook (solutions stubbed, hidden tests
    removed) to ``out_dir`` (default ``_build/student``), keyed like the build folder
    (``01_time_delay_network.ipynb``, ``alice/hw.ipynb``); returns the paths written.

    Never writes over a source notebook; every file is written atomically. Raises
    ValueError or :class:`BuildFolderError` (one line, nothing half-written) if ``out_dir``
    is a file, cannot be written, would replace a source, or the disk is full."""
    out_dir = Path(out_dir) if out_dir else default_build_dir() / "student"
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"--out must be a folder, but {out_dir} is a file")
    paths = find_notebooks(names)
    sources = {path.resolve() for path in paths} | {
        p.resolve() for p in notebooks_dir().glob("*.ipynb")
    }
    targets = [out_dir / f"{notebook_key(path)}.ipynb" for path in paths]
    for path, target in zip(paths, targets):
        if target.resolve() in sources:
            raise ValueError(
                f"--out {out_dir} would write over the source notebook {target.resolve()}: "
                "choose another folder"
            )
    try:
        BuildFolder(out_dir).check_writable()
    except BuildFolderError as error:
        raise BuildFolderError(str(error).replace("--build-dir", "--out")) from None
    written = []
    for path, target in zip(paths, targets):
        notebook = read_notebook(path)
        found = assignments.exercises(notebook, path.name)
        student = assignments.student_version(notebook, path.name, assignment=path.stem)
        try:
            write_atomic(target, nbformat.writes(student))
        except OSError as error:
            if isinstance(error, WriteError):
                raise
            raise WriteError(
                f"could not write {target} ({error.strerror or error}); nothing half-written "
                "was left"
            ) from None
        print(f"{target}: {len(found)} graded exercise(s) stubbed")
        written.append(target)
    return written


def strip_outputs(notebook):
    """Drop outputs and execution counts, keeping those of cells marked
    ``# NBVAL_CHECK_OUTPUT`` (their output is part of the lesson and nbval checks it)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if CHECK_OUTPUT_MARKER not in cell.source:
            cell.outputs = []
            cell.execution_count = None  # nbval needs the count of checked cells: it marks them run
        cell.metadata.pop("execution", None)
    notebook.metadata.pop("widgets", None)
    notebook.metadata["language_info"] = {"name": "python"}  # no interpreter versions in git
    if notebook.nbformat_minor < 5:
        for cell in notebook.cells:  # cell ids came in with nbformat 4.5; here they are invalid
            cell.pop("id", None)
    return notebook


def freeze(names=(), build_dir=None, timeout=None):
    """Execute notebooks in the quick profile and write them back to ``notebooks/``
    carrying only the outputs of ``NBVAL_CHECK_OUTPUT`` cells (what gets committed).
    Returns the exit code (130/143 if stopped by a signal; the notebook being frozen is
    left with its Colab lines and metadata written, its outputs unchanged)."""
    check_timeout(timeout)
    folder = BuildFolder(build_dir or default_build_dir() / "freeze").check_writable()
    paths = find_notebooks(names)
    for parent in sorted({path.parent for path in paths}):  # before anything runs
        check_writable_folder(parent, "freeze writes the notebooks back, but the folder")
    status = 0
    sync_readme()
    try:
        with _StopOnSignal() as stopper:
            for path in paths:
                print(f"freezing {path.name} ...", flush=True)
                source = read_notebook(path)
                colab.sync_notebook(source, path.name)
                assignments.mark_exercises(source, path.name)
                write_atomic(path, nbformat.writes(source))
                key = notebook_key(path)
                _, seconds, failure = execute_notebook(path, "quick", folder, timeout, stopper, key)
                if failure:
                    print(f"  FAILED: {failure}; its outputs left unchanged", file=sys.stderr)
                    _show_log(folder, key)
                    status = 1
                    continue
                executed = read_notebook(folder.executed(key), "the executed notebook")
                executed.metadata.pop("rnnbook", None)
                write_atomic(path, nbformat.writes(strip_outputs(executed)))
                print(f"  done in {seconds:.1f} s", flush=True)
    except Interrupted as stop:
        print(f"\nStopped by {stop}.", file=sys.stderr)
        return stop.exit_code
    return status


def sync_readme():
    """Point the README's Colab badges at the repository of ``pyproject.toml``."""
    readme = repository_root() / "README.md"
    if readme.is_file():
        text = readme.read_text()
        synced = colab.sync_readme(text)
        if synced != text:
            readme.write_text(synced)
