"""Execute the book's notebooks headless, collect what they record, and write the book,
the student versions and the committed notebooks.

Used by ``python -m rnnbook run | build | student | freeze``; see ``python -m rnnbook --help``.
"""

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from tqdm.auto import tqdm

from rnnbook import assignments, colab, runtime

CHECK_OUTPUT_MARKER = "NBVAL_CHECK_OUTPUT"
#: Figures are drawn inline in the executed notebooks whatever MPLBACKEND the caller set
#: (the tests set Agg for themselves, which would leave the book without pictures).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def repository_root():
    """The clone the library was installed from (``lib/rnnbook`` lives two levels down)."""
    return Path(__file__).resolve().parents[2]


def in_clone():
    """True when the library runs from a clone (an editable install), not from a wheel."""
    root = repository_root()
    return (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir()


def project_root():
    """Where the book lives: the clone, or outside one the current folder."""
    return repository_root() if in_clone() else Path.cwd()


def notebooks_dir():
    return project_root() / "notebooks"


def default_build_dir():
    return project_root() / "_build"


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
        matches = matches or [p for p in available if p.stem.startswith(f"{name}_")]
        if len(matches) != 1:
            listing = ", ".join(p.stem for p in available) or "none"
            raise ValueError(f"no single notebook matches {name!r}; the notebooks are: {listing}")
        found.append(matches[0])
    return found


class _Progress:
    """nbclient hooks that drive a progress bar over the code cells and remember the
    cell that failed."""

    def __init__(self, notebook, label):
        code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)
        self.bar = tqdm(total=code_cells, desc=label, unit="cell", leave=False, file=sys.stdout)
        self.failed_index = None

    def on_cell_start(self, cell, cell_index, **kwargs):
        if cell.cell_type == "code":
            self.bar.set_postfix_str(f"cell {cell_index + 1}")

    def on_cell_executed(self, cell, cell_index, **kwargs):
        self.bar.update(1)

    def on_cell_error(self, cell, cell_index, **kwargs):
        self.failed_index = cell_index


def kernel_environment():
    """The environment of the kernels the runner starts: this process's, with figures inline."""
    return {**os.environ, "MPLBACKEND": INLINE_BACKEND}


def _client(notebook, path, profile, progress, timeout=None, allow_errors=False):
    """An nbclient runner for ``notebook`` (read from ``path``) in ``profile``; start it
    with ``.execute(env=kernel_environment())``."""
    os.environ[runtime.PROFILE_VARIABLE] = profile
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=allow_errors,
        resources={"metadata": {"path": str(Path(path).parent)}},
        on_cell_start=progress.on_cell_start,
        on_cell_executed=progress.on_cell_executed,
        on_cell_error=progress.on_cell_error,
    )


def execute_notebook(path, profile, build_dir, timeout=None):
    """Run one notebook in ``profile``; write the executed copy and its recorded figures
    under ``build_dir``. Returns ``(results, seconds, failure)`` where ``failure`` is
    None or a message naming the cell that failed."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    results_file = build_dir / "results" / f"{path.stem}.json"
    results_file.unlink(missing_ok=True)
    os.environ[runtime.RESULTS_VARIABLE] = str(results_file)
    progress = _Progress(notebook, path.stem)
    client = _client(notebook, path, profile, progress, timeout)
    failure = None
    started = time.perf_counter()
    try:
        client.execute(env=kernel_environment())
    except Exception as error:  # noqa: BLE001 - a failing cell, a dead kernel, a timeout
        failure = _describe_failure(notebook, progress.failed_index, error)
    finally:
        progress.bar.close()
        os.environ.pop(runtime.RESULTS_VARIABLE, None)
    seconds = time.perf_counter() - started
    out = build_dir / "notebooks" / path.name
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, out)
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    return results, seconds, failure


def grade(names, profile="quick", timeout=None):
    """Execute returned notebooks with errors allowed and print the points of each
    exercise (its check cell passed or raised); returns ``{path: (rows, other_failures)}``
    as :func:`rnnbook.assignments.score` gives them."""
    runtime.check_profile(profile)
    graded = {}
    for path in find_notebooks(names):
        notebook = nbformat.read(path, as_version=4)
        progress = _Progress(notebook, path.stem)
        client = _client(notebook, path, profile, progress, timeout, allow_errors=True)
        try:
            client.execute(env=kernel_environment())
        except Exception as error:  # noqa: BLE001 - a dead kernel or a timeout ends the run
            print(f"{path}: stopped early, {type(error).__name__}: {error}", file=sys.stderr)
        finally:
            progress.bar.close()
        rows, others = assignments.score(notebook, path.name)
        earned, total = sum(r["earned"] for r in rows), sum(r["points"] for r in rows)
        print(f"{path}: {earned} of {total} point(s)")
        for row in rows:
            verdict = "passed" if row["error"] is None else f"failed ({row['error']})"
            print(
                f"  exercise {row['exercise']} (check in cell {row['cell']}): "
                f"{row['earned']}/{row['points']} {verdict}"
            )
        for cell, error in others.items():
            print(f"  note: cell {cell}, not a check, raised {error}")
        graded[path] = (rows, others)
    return graded


def _describe_failure(notebook, index, error):
    reason = f"{type(error).__name__}: {str(error).strip()[:200]}"
    if index is None:  # the kernel died or timed out outside a cell
        return reason
    cell = notebook.cells[index]
    first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        message = next((line for line in errors[0]["evalue"].splitlines() if line.strip()), "")
        reason = f"{errors[0]['ename']}: {message.strip()[:200]}"
    return f"cell {index + 1} of {len(notebook.cells)} ({first_line.strip()[:60]!r}): {reason}"


def run(names=(), profile=None, build_dir=None, timeout=None, book=True):
    """Execute notebooks, write ``_build/results.json`` and (``book=True``) the HTML book;
    returns the process exit code."""
    profile = runtime.check_profile(profile or runtime.profile())
    build_dir = Path(build_dir) if build_dir else default_build_dir()
    paths = find_notebooks(names)
    results_path = build_dir / "results.json"
    runs_path = build_dir / "runs.json"
    all_results = json.loads(results_path.read_text()) if results_path.exists() else {}
    runs = json.loads(runs_path.read_text()) if runs_path.exists() else {}
    failures = []
    total = time.perf_counter()
    print(f"Running {len(paths)} notebook(s) in the {profile!r} profile; output in {build_dir}")
    for number, path in enumerate(paths, start=1):
        print(f"[{number}/{len(paths)}] {path.name} ...", flush=True)
        results, seconds, failure = execute_notebook(path, profile, build_dir, timeout)
        all_results[path.stem] = results
        runs[path.stem] = {"profile": profile, "seconds": round(seconds, 1), "ok": failure is None}
        if failure:
            failures.append(f"{path.name}: {failure}")
            print(f"      FAILED after {seconds:.1f} s: {failure}", flush=True)
        else:
            print(f"      done in {seconds:.1f} s, {len(results)} figure(s) recorded", flush=True)
        build_dir.mkdir(parents=True, exist_ok=True)
        results_path.write_text(json.dumps(all_results, indent=2, sort_keys=True) + "\n")
        runs_path.write_text(json.dumps(runs, indent=2, sort_keys=True) + "\n")
    print(f"Finished in {time.perf_counter() - total:.1f} s; results in {results_path}")
    status = 0
    if book:
        status = build_book(build_dir)
    if failures:
        print("Failed:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    return status


def build_book(build_dir=None):
    """Render the executed notebooks under ``build_dir`` as the HTML book; exit code."""
    from rnnbook import book

    build_dir = Path(build_dir) if build_dir else default_build_dir()
    print("Building the HTML book ...", flush=True)
    started = time.perf_counter()
    try:
        index = book.build(build_dir)
    except (RuntimeError, FileNotFoundError) as error:
        print(f"The book was not built: {error}", file=sys.stderr)
        return 1
    print(f"Book written in {time.perf_counter() - started:.1f} s: {index}")
    return 0


def write_student_versions(names=(), out_dir=None):
    """Write the student version of each notebook (solutions stubbed, hidden tests
    removed) to ``out_dir`` (default ``_build/student``); returns the paths written."""
    out_dir = Path(out_dir) if out_dir else default_build_dir() / "student"
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in find_notebooks(names):
        notebook = nbformat.read(path, as_version=4)
        found = assignments.exercises(notebook, path.name)
        target = out_dir / path.name
        nbformat.write(assignments.student_version(notebook, path.name), target)
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
    return notebook


def freeze(names=(), build_dir=None):
    """Execute notebooks in the quick profile and write them back to ``notebooks/``
    carrying only the outputs of ``NBVAL_CHECK_OUTPUT`` cells (what gets committed)."""
    build_dir = Path(build_dir) if build_dir else default_build_dir() / "freeze"
    status = 0
    sync_readme()
    for path in find_notebooks(names):
        print(f"freezing {path.name} ...", flush=True)
        source = nbformat.read(path, as_version=4)
        colab.sync_notebook(source, path.name)
        assignments.mark_exercises(source, path.name)
        nbformat.write(source, path)
        _, seconds, failure = execute_notebook(path, "quick", build_dir)
        if failure:
            print(f"  FAILED: {failure}; {path.name} left unchanged", file=sys.stderr)
            status = 1
            continue
        executed = nbformat.read(build_dir / "notebooks" / path.name, as_version=4)
        nbformat.write(strip_outputs(executed), path)
        print(f"  done in {seconds:.1f} s", flush=True)
    return status


def sync_readme():
    """Point the README's Colab badges at the repository of ``pyproject.toml``."""
    readme = repository_root() / "README.md"
    if readme.is_file():
        text = readme.read_text()
        synced = colab.sync_readme(text)
        if synced != text:
            readme.write_text(synced)
