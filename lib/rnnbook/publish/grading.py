"""Grade returned notebooks: ``python -m rnnbook grade``.

Each submission is graded alone, in a scratch folder of its own, on a copy of its *source*
notebook that holds only the student's solution cells (:func:`rnnbook.publish.assignments.graded_copy`):
the locked checks and their hidden tests come from the source, so editing them changes
nothing. Every cell has a time limit; a cell past it is interrupted and fails, and a kernel
that stays busy or dies stops that submission. A check earns its points only if it ran and
passed: one that failed, timed out or never ran (the kernel died, or was stuck) scores 0,
with the reason. A file that cannot be graded (not JSON, no grading metadata, no source) is
named and the others are still graded.

Exit codes: 0 every submission was graded (whatever its points); 1 a submission could not be
graded; 2 a usage error (nothing ran); 130 / 143 stopped by Ctrl-C / SIGTERM (nothing written).
"""

import contextlib
import copy
import tempfile
from pathlib import Path

import nbformat
import pandas as pd

from rnnbook import runtime
from rnnbook.publish import assignments
from rnnbook.publish.buildfolder import read_notebook, write_atomic

__all__ = ["DEFAULT_TIMEOUT", "grade", "report"]

#: Seconds allowed per cell when ``--timeout`` is not given: the quick profile's slowest
#: cell takes well under a minute on a 2-core CPU.
DEFAULT_TIMEOUT = 300
#: After a cell is interrupted, a trivial cell must answer within this many seconds, or the
#: kernel is taken as stuck and the submission's remaining checks do not run.
PROBE_TIMEOUT = 10
TIMEOUT_ERROR = "CellTimeoutError"


def _source_for(submission, path, source):
    """The source notebook of ``submission``: ``source`` (a notebook) if given, else the book's
    notebook named in its metadata (``student`` writes it) or, failing that, by its file name."""
    from rnnbook.publish.paths import notebooks_dir

    if source is not None:
        return copy.deepcopy(source)
    stem = submission.metadata.get("rnnbook", {}).get("assignment") or Path(path).stem
    source_path = notebooks_dir() / f"{stem}.ipynb"
    if not source_path.is_file():
        raise ValueError(
            f"no source notebook: the book has no {source_path.name} (name the "
            "source with --source)"
        )
    return read_notebook(source_path, "the source notebook")


def _run(graded, name, profile, timeout, stopper):
    """Execute ``graded`` cell by cell in a scratch folder; returns ``(replies, stopped)``:
    the status and error of each code cell that ran, ``{index: (status, error)}``, and why
    execution stopped early (None if every cell ran)."""
    from rnnbook.publish import runner

    replies, state = {}, {"stopped": None}
    progress = runner._Progress(graded, name, stopper)
    with tempfile.TemporaryDirectory(prefix="rnnbook-grade-") as scratch:
        scratch = Path(scratch)
        nbformat.write(graded, scratch / "submission.ipynb")
        client = runner._client(
            graded, scratch / "submission.ipynb", profile, progress, timeout, allow_errors=True
        )
        client.interrupt_on_timeout = True
        client.error_on_timeout = {
            "ename": TIMEOUT_ERROR,
            "evalue": f"the cell ran past the timeout of {timeout} s and was interrupted",
            "traceback": [],
        }

        def executed(cell, cell_index, execute_reply, **kwargs):
            progress.on_cell_executed(cell, cell_index)
            content = (execute_reply or {}).get("content", {})
            error = None
            if content.get("status") != "ok":
                error = f"{content.get('ename', 'Error')}: {content.get('evalue', '')}".strip(": ")
                error = error.splitlines()[0][:200] if error else "Error"
            replies[cell_index] = (content.get("status", "error"), error)

        client.on_cell_executed = executed

        def body(log):
            from nbclient.exceptions import DeadKernelError

            with client.setup_kernel(env=runner.kernel_environment(), stderr=log):
                for index, cell in enumerate(graded.cells):
                    if cell.cell_type != "code":
                        continue
                    try:
                        client.execute_cell(cell, index)
                    except DeadKernelError:
                        state["stopped"] = f"the kernel died in cell {index + 1}"
                        return
                    error = replies.get(index, ("error", None))[1] or ""
                    if error.startswith(TIMEOUT_ERROR):
                        probe = nbformat.v4.new_code_cell("None")
                        client.timeout = PROBE_TIMEOUT
                        try:
                            client.execute_cell(probe, index)
                        except DeadKernelError:
                            state["stopped"] = f"the kernel died after cell {index + 1} timed out"
                            return
                        client.timeout = timeout
                        if replies.get(index, ("", ""))[1] is not None:
                            state["stopped"] = (
                                f"the kernel stayed busy after cell {index + 1} ran past the "
                                f"timeout of {timeout} s"
                            )
                            return
                        replies[index] = ("error", error)  # the probe's reply replaced it

        try:
            error = runner._execute(client, stopper, scratch / "kernel.log", body)
        finally:
            progress.bar.close()
        if error is not None and state["stopped"] is None:
            state["stopped"] = f"{type(error).__name__}: {str(error)[:200]}"
    return replies, state["stopped"]


def _rows(key, graded, found, replies, stopped):
    rows = []
    for number, (solution, check) in enumerate(found, start=1):
        points = graded.cells[check].metadata.get("nbgrader", {}).get("points", 1)
        if check not in replies:
            result = f"did not run: {stopped or 'an earlier cell stopped the notebook'}"
        elif replies[check][1] is None:
            result = "passed"
        else:
            why = replies[check][1]
            solution_error = replies.get(solution, (None, None))[1]
            if solution_error is not None and solution_error.startswith(TIMEOUT_ERROR):
                why = solution_error
            elif solution_error is not None:
                why = f"the solution cell raised {solution_error}"
            result = f"failed: {why}"
        rows.append(
            {
                "submission": key,
                "exercise": number,
                "check cell": check + 1,
                "points": points,
                "earned": points if result == "passed" else 0,
                "result": result,
            }
        )
    return rows


def grade(paths, profile="quick", timeout=DEFAULT_TIMEOUT, source=None, stopper=None):
    """Grade the returned notebooks ``paths``; returns ``(table, problems)``: a DataFrame
    with one row per exercise of every graded submission, and ``{key: why}`` for the
    submissions that could not be graded. Raises :class:`rnnbook.publish.runner.Interrupted` on a
    signal (via ``stopper``)."""
    from rnnbook.publish import runner

    runtime.check_profile(profile)
    timeout = runner.check_timeout(timeout) or DEFAULT_TIMEOUT
    source_notebook = None if source is None else Path(source)
    if source_notebook is not None:
        if not source_notebook.is_file():
            raise ValueError(f"--source must be a notebook file, got {source_notebook}")
        source_notebook = read_notebook(source_notebook, "--source")
    # Everything is read before anything runs: no submission's code can reach another's file.
    submissions, problems = [], {}
    for path in paths:
        key = runner.notebook_key(path)
        try:
            submission = read_notebook(path, "the submission")
            graded, found = assignments.graded_copy(
                _source_for(submission, path, source_notebook), submission, "it"
            )
        except Exception as error:  # noqa: BLE001 - not JSON, no metadata, no source
            text = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
            kind = "" if isinstance(error, ValueError) else f"{type(error).__name__}: "
            problems[key] = f"{kind}{text}".rstrip(": ")
            continue
        submissions.append((key, graded, found))
    rows = []
    with runner._StopOnSignal() if stopper is None else contextlib.nullcontext(stopper) as active:
        for key, graded, found in submissions:
            replies, stopped = _run(graded, key, profile, timeout, active)
            rows += _rows(key, graded, found, replies, stopped)
    columns = ["submission", "exercise", "check cell", "points", "earned", "result"]
    return pd.DataFrame(rows, columns=columns), problems


def report(table, problems, csv=None):
    """Print the grades (one table, then a total per submission and the files that could not
    be graded) and write ``csv`` if asked; returns the exit code (0, or 1 if a file could not
    be graded)."""
    with pd.option_context("display.max_colwidth", 120, "display.width", 200):
        if len(table):
            print(table.to_string(index=False))
    for key, group in table.groupby("submission", sort=False):
        print(f"{key}: {group['earned'].sum()} of {group['points'].sum()} point(s)")
    for key, why in problems.items():
        print(f"{key}: not graded: {why}")
    if csv is not None:
        ungraded = pd.DataFrame(
            [{"submission": k, "result": f"not graded: {w}"} for k, w in problems.items()],
            columns=table.columns,
        )
        write_atomic(csv, pd.concat([table, ungraded]).to_csv(index=False))
    return 1 if problems else 0
