"""Graded exercises: nbgrader's cell metadata and the student versions of the notebooks.

The notebooks are nbgrader *source* notebooks. A graded exercise is a code cell holding a
region between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` (the solution cell), followed
directly by the cell that checks it (the graded test cell); a check may keep tests from the
students between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``.
:func:`mark_exercises` writes nbgrader's metadata on those cells (``python -m rnnbook
freeze`` does it), so ``nbgrader generate_assignment`` takes the notebooks unchanged.

:func:`student_version` does what that command does to the cells, without nbgrader's course
folders and database: each solution region becomes ``# YOUR CODE HERE`` and
``raise NotImplementedError()`` at the region's indentation, hidden tests are removed, and
everything else is left as it is. :func:`score` grades a returned notebook once it has been
executed with errors allowed (``python -m rnnbook grade``).
"""

import copy

__all__ = ["exercises", "failed_cells", "mark_exercises", "score", "student_version"]

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
STUB = ("# YOUR CODE HERE", "raise NotImplementedError()")
DEFAULT_POINTS = 1


def exercises(notebook, name="notebook"):
    """``[(solution_index, check_index), ...]``: the graded exercises of ``notebook``, in order.

    Raises ValueError naming the cell if a solution cell is not followed by a code cell.
    """
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "code" and BEGIN_SOLUTION in cell.source:
            following = notebook.cells[index + 1] if index + 1 < len(notebook.cells) else None
            if (
                following is None
                or following.cell_type != "code"
                or BEGIN_SOLUTION in following.source
            ):
                raise ValueError(
                    f"{name}: the solution cell {index + 1} must be followed by the code cell "
                    "that checks it"
                )
            found.append((index, index + 1))
    return found


def mark_exercises(notebook, name="notebook"):
    """Write nbgrader's metadata on every solution and check cell of ``notebook`` (points
    already set on a check are kept); returns the list of :func:`exercises`."""
    found = exercises(notebook, name)
    for number, (solution, check) in enumerate(found, start=1):
        notebook.cells[solution].metadata["nbgrader"] = {
            "grade": False,
            "grade_id": f"exercise-{number}-solution",
            "locked": False,
            "schema_version": 3,
            "solution": True,
            "task": False,
        }
        old = notebook.cells[check].metadata.get("nbgrader", {})
        notebook.cells[check].metadata["nbgrader"] = {
            "grade": True,
            "grade_id": f"exercise-{number}-check",
            "locked": True,
            "points": old.get("points", DEFAULT_POINTS),
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
    return found


def _replace_regions(source, begin, end, replacement, where):
    """``source`` with each region from a ``begin`` line to an ``end`` line replaced by
    ``replacement`` lines, indented like the ``begin`` line."""
    out, inside, indent = [], False, ""
    for line in source.split("\n"):
        stripped = line.strip()
        if stripped == begin:
            if inside:
                raise ValueError(f"{where}: {begin!r} inside another region")
            inside, indent = True, line[: len(line) - len(line.lstrip())]
        elif stripped == end:
            if not inside:
                raise ValueError(f"{where}: {end!r} without {begin!r}")
            inside = False
            out.extend(indent + text for text in replacement)
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{where}: {begin!r} has no matching {end!r}")
    return "\n".join(out)


def student_version(notebook, name="notebook"):
    """A copy of ``notebook`` as students get it: solutions stubbed, hidden tests removed."""
    student = copy.deepcopy(notebook)
    for index, cell in enumerate(student.cells):
        if cell.cell_type != "code":
            continue
        where = f"{name}, cell {index + 1}"
        if BEGIN_SOLUTION in cell.source or END_SOLUTION in cell.source:
            cell.source = _replace_regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, STUB, where)
        if BEGIN_HIDDEN in cell.source or END_HIDDEN in cell.source:
            cell.source = _replace_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN, (), where)
    return student


def failed_cells(notebook):
    """``{cell_index: "ErrorName: message"}`` for the code cells of an executed notebook
    that raised."""
    failed = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errors:
            message = next((line for line in errors[0]["evalue"].splitlines() if line.strip()), "")
            failed[index] = f"{errors[0]['ename']}: {message.strip()[:200]}".rstrip(": ")
    return failed


def score(notebook, name="notebook"):
    """Grade an executed notebook (run with errors allowed): one row per exercise with its
    points, the points earned (all or nothing: the check cell passed or raised) and the
    error of a failed check; plus the other cells that failed, which a grader should see."""
    failed = failed_cells(notebook)
    # A returned notebook has no solution markers left: its checks are known by nbgrader's
    # metadata, which the student version keeps.
    checks = [
        i for i, c in enumerate(notebook.cells) if c.metadata.get("nbgrader", {}).get("grade")
    ]
    checks = checks or [check for _, check in exercises(notebook, name)]
    rows = []
    for number, check in enumerate(checks, start=1):
        points = notebook.cells[check].metadata.get("nbgrader", {}).get("points", DEFAULT_POINTS)
        error = failed.pop(check, None)
        rows.append(
            {
                "exercise": number,
                "cell": check + 1,
                "points": points,
                "earned": 0 if error else points,
                "error": error,
            }
        )
    return rows, {index + 1: error for index, error in failed.items()}
