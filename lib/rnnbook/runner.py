"""Execute the book's notebooks headless and collect what they record.

Used by ``python -m rnnbook run``; see ``python -m rnnbook --help``.
"""

import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from tqdm.auto import tqdm

from rnnbook import runtime

CHECK_OUTPUT_MARKER = "NBVAL_CHECK_OUTPUT"


def repository_root():
    """The clone the library was installed from (``lib/rnnbook`` lives two levels down)."""
    return Path(__file__).resolve().parents[2]


def notebooks_dir():
    return repository_root() / "notebooks"


def find_notebooks(names=()):
    """Resolve notebook arguments (a path, a file name, a stem, or a number prefix such
    as ``01``) to paths; no arguments means every notebook, in reading order."""
    available = sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb"))
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


def execute_notebook(path, profile, build_dir, timeout=None):
    """Run one notebook in ``profile``; write the executed copy and its recorded figures
    under ``build_dir``. Returns ``(results, seconds, failure)`` where ``failure`` is
    None or a message naming the cell that failed."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    results_file = build_dir / "results" / f"{path.stem}.json"
    results_file.unlink(missing_ok=True)
    os.environ[runtime.PROFILE_VARIABLE] = profile
    os.environ[runtime.RESULTS_VARIABLE] = str(results_file)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    progress = _Progress(notebook, path.stem)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=progress.on_cell_start,
        on_cell_executed=progress.on_cell_executed,
        on_cell_error=progress.on_cell_error,
    )
    failure = None
    started = time.perf_counter()
    try:
        client.execute()
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


def run(names=(), profile=None, build_dir=None, timeout=None):
    """Execute notebooks, write ``_build/results.json``; returns the process exit code."""
    profile = runtime.check_profile(profile or runtime.profile())
    build_dir = Path(build_dir) if build_dir else repository_root() / "_build"
    paths = find_notebooks(names)
    if not paths:
        print(f"no notebooks found in {notebooks_dir()}", file=sys.stderr)
        return 2
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
    if failures:
        print("Failed:", *failures, sep="\n  ", file=sys.stderr)
        return 1
    return 0


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
    build_dir = Path(build_dir) if build_dir else repository_root() / "_build" / "freeze"
    status = 0
    for path in find_notebooks(names):
        print(f"freezing {path.name} ...", flush=True)
        _, seconds, failure = execute_notebook(path, "quick", build_dir)
        if failure:
            print(f"  FAILED: {failure}; {path.name} left unchanged", file=sys.stderr)
            status = 1
            continue
        executed = nbformat.read(build_dir / "notebooks" / path.name, as_version=4)
        nbformat.write(strip_outputs(executed), path)
        print(f"  done in {seconds:.1f} s", flush=True)
    return status
