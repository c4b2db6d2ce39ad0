"""Graded exercises: nbgrader metadata, student versions, and students' notebooks failing
exactly at the checks of the exercises they have to write."""

import copy

import keras
import nbformat
import numpy as np
import pytest
import wrong_answers  # tests/ is on sys.path under pytest
from nbclient import NotebookClient

from rnnbook import autodiff
from rnnbook.publish import assignments, runner
from rnnbook.publish.paths import notebooks_dir

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))


def notebook_of(*cells):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(text[3:])
        if text.startswith("md:")
        else nbformat.v4.new_code_cell(text)
        for text in cells
    ]
    return notebook


SOLVED = notebook_of(
    "md:**Exercise 1.** Write `double`.",
    "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
    "assert double(2) == 4\n### BEGIN HIDDEN TESTS\nassert double(-1) == -2\n### END HIDDEN TESTS",
    "### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION",
    "assert answer",
    "print('after the exercises')",
)


def test_student_version_stubs_solutions_at_their_indentation_and_drops_hidden_tests():
    student = assignments.student_version(SOLVED)
    assert (
        student.cells[1].source
        == "def double(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"
    )
    assert student.cells[2].source == "assert double(2) == 4"
    assert student.cells[3].source == "# YOUR CODE HERE\nraise NotImplementedError()"
    for index in (0, 4, 5):
        assert student.cells[index] == SOLVED.cells[index]
    assert "return 2 * x" in SOLVED.cells[1].source, "the solution notebook itself is unchanged"


@pytest.mark.parametrize(
    "source, message",
    [
        (
            "### BEGIN SOLUTION\nx = 1",
            "cell 1: '### BEGIN SOLUTION' has no matching '### END SOLUTION'",
        ),
        ("x = 1\n### END SOLUTION", "cell 1: '### END SOLUTION' without '### BEGIN SOLUTION'"),
        ("### BEGIN HIDDEN TESTS\nassert 1", "has no matching '### END HIDDEN TESTS'"),
    ],
)
def test_unbalanced_markers_are_named_with_their_cell(source, message):
    with pytest.raises(ValueError, match=message):
        assignments.student_version(notebook_of(source), "demo.ipynb")


def test_a_solution_cell_needs_a_check_cell_after_it():
    with pytest.raises(ValueError, match="demo.ipynb: the solution cell 2 must be followed by"):
        assignments.exercises(
            notebook_of("md:text", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION"), "demo.ipynb"
        )


def test_mark_exercises_writes_nbgraders_solution_and_graded_test_cells():
    notebook = copy.deepcopy(SOLVED)
    notebook.cells[4].metadata["nbgrader"] = {"points": 3}
    assert assignments.mark_exercises(notebook) == [(1, 2), (3, 4)]
    solution, check = notebook.cells[1].metadata["nbgrader"], notebook.cells[2].metadata["nbgrader"]
    assert solution["solution"] and not solution["grade"] and not solution["locked"]
    assert check["grade"] and check["locked"] and not check["solution"] and check["points"] == 1
    assert notebook.cells[4].metadata["nbgrader"]["points"] == 3, "points set by hand are kept"
    ids = [notebook.cells[i].metadata["nbgrader"]["grade_id"] for i in range(1, 5)]
    assert len(set(ids)) == 4


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_an_nbgrader_source_with_graded_exercises(path):
    notebook = nbformat.read(path, as_version=4)
    marked = copy.deepcopy(notebook)
    found = assignments.mark_exercises(marked, path.name)
    assert found, f"{path.name} has no graded exercise"
    assert marked == notebook, "nbgrader metadata out of step: run python -m rnnbook freeze"


def test_student_command_writes_one_student_notebook_per_notebook(tmp_path):
    written = runner.write_student_versions(out_dir=tmp_path)
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    for path in written:
        text = path.read_text()
        assert "raise NotImplementedError()" in text and "### BEGIN SOLUTION" not in text


def _errors(cell):
    return [o for o in cell.outputs if o["output_type"] == "error"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_fails_exactly_at_its_checks_and_the_checks_reject_wrong_answers(path):
    """Execute the student version in the quick profile: the checks of the stubbed exercises
    fail, nothing else does. Then, in the same kernel, one exercise at a time: its solution
    passes its whole check (visible and hidden tests), so no exercise depends on another
    one's solution; and each wrong answer of ``wrong_answers`` fails it."""
    solved = nbformat.read(path, as_version=4)
    found = assignments.exercises(solved, path.name)
    wrong = wrong_answers.for_notebook(path.stem)
    student = assignments.student_version(solved, path.name)
    client = NotebookClient(
        student,
        kernel_name="python3",
        allow_errors=True,
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
    )
    passed_wrongly = []
    with client.setup_kernel():
        for index, cell in enumerate(student.cells):
            client.execute_cell(cell, index)
        failed = assignments.failed_cells(student)
        checks = {check for _, check in found}
        assert set(failed) == checks, (
            f"cells that failed: {failed} (0-based); checks of the exercises: {sorted(checks)}"
        )
        assert all(
            error.startswith(("NotImplementedError", "AssertionError")) for error in failed.values()
        )
        for number, (solution, check) in enumerate(found, start=1):
            for index in (solution, check):
                cell = copy.deepcopy(solved.cells[index])
                client.execute_cell(cell, index)
                assert not _errors(cell), (
                    f"with only exercise {number} solved, cell {index + 1} still fails: "
                    f"{_errors(cell)[0]['ename']}: {_errors(cell)[0]['evalue']}"
                )
            for label, body in wrong.get(number, {}).items():
                attempt = copy.deepcopy(solved.cells[solution])
                attempt.source = assignments.with_solution(attempt.source, body, label)
                client.execute_cell(attempt, solution)
                graded = copy.deepcopy(solved.cells[check])
                client.execute_cell(graded, check)
                if not _errors(graded):
                    passed_wrongly.append(f"exercise {number}: {label}")
            client.execute_cell(copy.deepcopy(solved.cells[solution]), solution)
    assert not passed_wrongly, f"wrong answers that the checks let pass: {passed_wrongly}"


def test_with_solution_puts_a_body_in_the_region_at_its_indentation():
    source = SOLVED.cells[1].source
    assert assignments.with_solution(source, "y = x\nreturn y") == (
        "def double(x):\n    y = x\n    return y"
    )


def test_solution_lines_are_the_lines_of_the_regions():
    assert assignments.solution_lines(SOLVED) == ["return 2 * x", "answer = 42"]


def test_unavailable_makes_a_library_function_raise_everywhere_and_restores_it():
    from rnnbook import metrics
    from rnnbook.metrics import nmse

    namespace = {"nmse": nmse, "alias": nmse, "other": len}

    def students_code():
        return metrics.nmse([1.0], [1.0])

    with assignments.unavailable(nmse, namespace=namespace):
        for call in (students_code, lambda: namespace["alias"]([1.0], [1.0])):
            with pytest.raises(AssertionError, match="rnnbook.metrics.nmse is not available"):
                call()
        assert namespace["other"] is len
    assert metrics.nmse is nmse and namespace["alias"] is nmse
    with (
        pytest.raises(TypeError, match="functions must be one or more callables"),
        assignments.unavailable("nmse"),
    ):
        pass


def test_unavailable_reaches_a_keras_class_by_any_of_its_names():
    import keras

    with assignments.unavailable(keras.layers.SimpleRNN):
        for make in (keras.layers.SimpleRNN, keras.src.layers.SimpleRNN):
            with pytest.raises(AssertionError, match="SimpleRNN is not available"):
                make(3)
    assert isinstance(keras.layers.SimpleRNN(3), keras.layers.Layer)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_has_at_least_three_wrong_answers(path):
    found = assignments.exercises(nbformat.read(path, as_version=4), path.name)
    wrong = wrong_answers.for_notebook(path.stem)
    assert sorted(wrong) == list(range(1, len(found) + 1)), "one entry per exercise"
    assert all(len(answers) >= 3 for answers in wrong.values()), {
        number: len(answers) for number, answers in wrong.items()
    }


def test_graded_copy_takes_only_the_solution_cells_of_a_submission():
    source = copy.deepcopy(SOLVED)
    assignments.mark_exercises(source)
    returned = assignments.student_version(source, assignment="hw")
    assert returned.metadata["rnnbook"]["assignment"] == "hw"
    returned.cells[1].source = "def double(x):\n    return x + x"
    returned.cells[2].source = "pass"  # an edited locked check
    returned.cells[5].source = "import os"  # an edited ordinary cell
    graded, found = assignments.graded_copy(source, returned)
    assert found == [(1, 2), (3, 4)]
    assert graded.cells[1].source == "def double(x):\n    return x + x"
    assert graded.cells[2].source == source.cells[2].source, "the check and its hidden test"
    assert graded.cells[3].source == "# YOUR CODE HERE\nraise NotImplementedError()"
    assert graded.cells[5].source == source.cells[5].source
    for cell in returned.cells:
        cell.metadata = {}
    with pytest.raises(ValueError, match="hw.ipynb has no solution cell that carries nbgrader"):
        assignments.graded_copy(source, returned, "hw.ipynb")


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="about TensorFlow's own GradientTape"
)
def test_unavailable_with_autodiff_blocks_the_loaded_backends_gradients():
    import tensorflow as tf

    assert tf.GradientTape in assignments.autodiff_functions()
    with (
        assignments.unavailable(autodiff=True),
        pytest.raises(AssertionError, match="GradientTape is not available"),
    ):
        tf.GradientTape()
    assert tf.GradientTape().__class__.__name__ == "GradientTape"


def test_unavailable_with_autodiff_blocks_gradients_on_every_backend():
    with assignments.unavailable(autodiff=True):
        with pytest.raises(AssertionError, match="not available"):
            autodiff.gradient(keras.ops.tanh, np.ones(3, "float32"))
        with pytest.raises(AssertionError, match="complex_step is not available"):
            assignments.complex_step(np.tanh, np.ones(3))
    gradient = keras.ops.convert_to_numpy(autodiff.gradient(keras.ops.tanh, np.zeros(3, "float32")))
    np.testing.assert_allclose(gradient, 1.0)


def test_complex_step_is_exact_to_rounding_where_centred_differences_are_not():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    weights = np.array([[0.5, -0.4], [1.1, 0.2]])

    def layer(w):
        return np.tanh(x @ w) / (1 + np.exp(-x @ w))

    derivative = assignments.complex_step(layer, weights)
    assert derivative.shape == (2, 2, 2, 2)  # output shape + weights' shape
    z = x @ weights
    sigmoid = 1 / (1 + np.exp(-z))
    slope = (1 - np.tanh(z) ** 2) * sigmoid + np.tanh(z) * sigmoid * (1 - sigmoid)
    exact = np.einsum("ab,ai,bj->abij", slope, x, np.eye(2))  # d out[a,b] / d w[i,j]
    assert np.max(np.abs(derivative - exact)) < 1e-15
    step = 1e-6
    centred = np.zeros_like(exact)
    for index in np.ndindex(weights.shape):
        shift = np.zeros_like(weights)
        shift[index] = step
        centred[(Ellipsis, *index)] = (layer(weights + shift) - layer(weights - shift)) / (2 * step)
    assert np.max(np.abs(centred - exact)) > 1e-12
    scalar = assignments.complex_step(lambda w: np.sum(layer(w)), weights)
    assert scalar.shape == (2, 2) and np.allclose(scalar, exact.sum(axis=(0, 1)), atol=1e-15)


def test_lines_run_tells_linear_from_quadratic_work():
    def linear(n):
        return sum(i for i in range(n))

    def quadratic(n):
        return sum(i * j for i in range(n) for j in range(n))

    assert assignments.lines_run(linear, 320) / assignments.lines_run(linear, 10) < 40
    assert assignments.lines_run(quadratic, 320) / assignments.lines_run(quadratic, 10) > 400
    assert assignments.lines_run(linear, 50) == assignments.lines_run(linear, 50)
