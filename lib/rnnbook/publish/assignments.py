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
everything else is left as it is.

Grading (``python -m rnnbook grade``, :mod:`rnnbook.publish.grading`) never trusts a returned
notebook beyond its solution cells: :func:`graded_copy` puts the student's solution cells
into a copy of the *source* notebook, so the locked checks and their hidden tests are the
instructor's. :func:`unavailable` is what a hidden test uses to make a library function that
holds the answer raise while the student's code runs.
"""

import contextlib
import copy
import importlib
import importlib.util
import sys
import textwrap

import numpy as np

__all__ = [
    "autodiff_functions",
    "complex_step",
    "exercises",
    "failed_cells",
    "graded_copy",
    "lines_run",
    "mark_exercises",
    "solution_lines",
    "student_version",
    "unavailable",
    "with_solution",
]

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


def student_version(notebook, name="notebook", assignment=None):
    """A copy of ``notebook`` as students get it: solutions stubbed (their outputs dropped),
    hidden tests removed. ``assignment`` (the source notebook's stem) is written into the
    metadata, so that ``grade`` finds the source of a returned copy whatever its file name."""
    student = copy.deepcopy(notebook)
    for index, cell in enumerate(student.cells):
        if cell.cell_type != "code":
            continue
        where = f"{name}, cell {index + 1}"
        if BEGIN_SOLUTION in cell.source or END_SOLUTION in cell.source:
            cell.source = _replace_regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, STUB, where)
            cell.outputs, cell.execution_count = [], None
        if BEGIN_HIDDEN in cell.source or END_HIDDEN in cell.source:
            cell.source = _replace_regions(cell.source, BEGIN_HIDDEN, END_HIDDEN, (), where)
    if assignment is not None:
        student.metadata.setdefault("rnnbook", {})["assignment"] = assignment
    return student


def with_solution(source, body, name="cell"):
    """``source`` (a solution cell) with its solution region replaced by ``body``, indented
    as the region was: how the tests hand a check a wrong answer."""
    lines = textwrap.dedent(body).strip("\n").split("\n")
    return _replace_regions(source, BEGIN_SOLUTION, END_SOLUTION, lines, name)


def solution_lines(notebook, name="notebook"):
    """The lines inside the solution regions of ``notebook``, stripped, without blank ones."""
    found = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or BEGIN_SOLUTION not in cell.source:
            continue
        student = _replace_regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, (), name)
        kept = set(student.split("\n"))
        found += [
            line.strip()
            for line in cell.source.split("\n")
            if line.strip()
            and line not in kept
            and line.strip() not in (BEGIN_SOLUTION, END_SOLUTION)
        ]
    return found


def _grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def graded_copy(source, submission, name="submission"):
    """What ``grade`` executes: a copy of the ``source`` notebook with the solution cells of
    ``submission`` (matched by nbgrader's ``grade_id``) put in place of its own. Every other
    cell, the locked checks with their hidden tests included, is the source's, so nothing a
    student changes outside a solution cell counts. A solution cell missing from the
    submission is graded as the stub. Returns ``(graded, exercises)``, the exercises as
    :func:`exercises` found them in the source.

    Raises ValueError naming ``name`` if the submission carries no solution cell with
    nbgrader's metadata (it was not made by ``python -m rnnbook student``, or its metadata
    was removed)."""
    found = exercises(source, "the source notebook")
    if not found:
        raise ValueError(f"{name}: its source notebook has no graded exercise")
    theirs = {
        _grade_id(cell): cell.source
        for cell in submission.cells
        if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
    }
    if not theirs:
        raise ValueError(
            f"{name} has no solution cell that carries nbgrader's metadata (grade_id); was it made by "
            "`python -m rnnbook student`, and was its cell metadata kept?"
        )
    graded = copy.deepcopy(source)
    for solution, _ in found:
        cell = graded.cells[solution]
        stub = _replace_regions(cell.source, BEGIN_SOLUTION, END_SOLUTION, STUB, name)
        cell.source = theirs.get(_grade_id(cell), stub)
        cell.outputs, cell.execution_count = [], None
    for cell in graded.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return graded, found


class _Unavailable:
    """Stands in for a function or class while a student's code runs."""

    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        raise AssertionError(
            f"{self.name} is not available in this exercise: the exercise asks you to write "
            "it yourself, without calling it"
        )


def _name(function):
    qualname = getattr(function, "__qualname__", getattr(function, "__name__", repr(function)))
    module = getattr(function, "__module__", None)
    return f"{module}.{qualname}" if module else qualname


#: The automatic differentiation of each backend: ``(module, attribute path)``, looked up only
#: in a backend that is already loaded.
AUTODIFF = (
    ("tensorflow", "GradientTape"),
    ("tensorflow", "gradients"),
    ("tensorflow", "autodiff.ForwardAccumulator"),
    ("jax", "grad"),
    ("jax", "value_and_grad"),
    ("jax", "vjp"),
    ("jax", "jvp"),
    ("jax", "jacfwd"),
    ("jax", "jacrev"),
    ("torch", "autograd.grad"),
    ("torch", "autograd.backward"),
)


def autodiff_functions(load=False):
    """The autodiff entry points (``tf.GradientTape``, ``jax.grad``, ...) of the backends that
    are loaded (``load=True``: of every installed one, importing it), for :func:`unavailable`
    when an exercise asks for gradients by hand."""
    found = []
    for package, path in AUTODIFF:
        if load and package not in sys.modules and importlib.util.find_spec(package):
            importlib.import_module(package)
        value = sys.modules.get(package)
        for part in path.split(".") if value is not None else ():
            value = getattr(value, part, None)
        if value is not None and callable(value):
            found.append(value)
    return found


def complex_step(function, array, step=1e-30):
    """d ``function(array)`` / d ``array`` by complex steps (Squire & Trapp 1998): for each
    entry, ``imag(function(array + i * step * e)) / step``. Unlike centred differences it
    subtracts nothing, so it is exact to rounding in float64 (relative error about 1e-16),
    and it shares no code with a backward pass written by hand: what hidden tests compare
    an answer with, on any backend (Keras 3.15 computes float64 in float32 off TensorFlow).

    ``function`` must be written with operations that extend analytically to complex
    numbers (``+``, ``*``, ``@``, ``np.exp``, ``np.tanh``, ``1 / x``; not ``abs``,
    ``max`` or comparisons). The result has shape ``output shape + array shape``."""
    array = np.asarray(array, dtype="float64")
    output = np.shape(function(array.astype("complex128")))
    result = np.zeros(output + array.shape)
    for index in np.ndindex(array.shape):
        shifted = array.astype("complex128")
        shifted[index] += 1j * step
        result[(Ellipsis, *index)] = np.imag(function(shifted)) / step
    return result


@contextlib.contextmanager
def unavailable(*functions, namespace=None, autodiff=False):
    """While active, each of ``functions`` (functions or classes) raises an AssertionError
    saying it may not be used, wherever it can be reached by name: in every loaded module of
    its own package (so ``keras.layers.LSTM`` and ``keras.src...lstm.LSTM`` alike, or NLTK's,
    or TensorFlow's), in every loaded module of the book, and in ``namespace`` (pass a
    notebook's ``globals()``). ``autodiff=True`` adds every installed backend's automatic
    differentiation (:func:`autodiff_functions`; a student's ``import jax`` under TensorFlow
    finds it blocked too) and :func:`complex_step`, for exercises that ask for gradients by
    hand.
    A hidden test computes its reference first, then calls the student's function inside this;
    everything is put back afterwards."""
    if not all(callable(f) for f in functions) or not (functions or autodiff):
        raise TypeError(f"functions must be one or more callables, got {functions!r}")
    functions = functions + tuple(
        autodiff_functions(load=True) + [complex_step] if autodiff else ()
    )
    targets = {id(f): _name(f) for f in functions}
    packages = {"rnnbook"} | {
        (getattr(f, "__module__", None) or "rnnbook").split(".")[0] for f in functions
    }
    places = [
        vars(module)
        for name, module in sorted(sys.modules.items(), key=lambda item: item[0])
        if module is not None and name.split(".")[0] in packages
    ]
    places += [namespace] if namespace is not None else []
    saved = []
    for place in places:
        for key, value in list(place.items()):
            if id(value) in targets:
                saved.append((place, key, value))
                place[key] = _Unavailable(targets[id(value)])
    try:
        yield
    finally:
        for place, key, value in reversed(saved):
            place[key] = value


def lines_run(function, *args):
    """How many Python lines run while ``function(*args)`` runs (NumPy's own included): a
    measure of work that, unlike a time, is the same on every machine however busy it is.
    Hidden tests use it to tell an O(T) answer from an O(T^2) one."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += event == "line"
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        function(*args)
    finally:
        sys.settrace(previous)
    return count


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
