"""Graded exercises: nbgrader metadata, student versions, and students' notebooks failing
exactly at the checks of the exercises they have to write."""

import copy

import nbformat
import pytest
from nbclient import NotebookClient

from rnnbook import assignments, runner
from rnnbook.runner import notebooks_dir

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


def test_grade_gives_the_points_of_passed_checks_and_names_failed_ones(tmp_path, capsys):
    solved = copy.deepcopy(SOLVED)
    assignments.mark_exercises(solved)
    returned = assignments.student_version(solved)
    returned.cells[3].source = "answer = 7"  # the student did exercise 2 only
    nbformat.write(solved, tmp_path / "solved.ipynb")
    nbformat.write(returned, tmp_path / "returned.ipynb")
    graded = runner.grade([str(tmp_path / "solved.ipynb"), str(tmp_path / "returned.ipynb")])
    rows, others = graded[tmp_path / "solved.ipynb"]
    assert [r["earned"] for r in rows] == [1, 1] and others == {}
    rows, others = graded[tmp_path / "returned.ipynb"]
    assert [r["earned"] for r in rows] == [0, 1] and others == {}
    assert rows[0]["error"] == "NotImplementedError" and rows[0]["cell"] == 3
    out = capsys.readouterr().out
    assert (
        "returned.ipynb: 1 of 2 point(s)" in out
        and "exercise 1 (check in cell 3): 0/1 failed" in out
    )


def test_student_command_writes_one_student_notebook_per_notebook(tmp_path):
    written = runner.write_student_versions(out_dir=tmp_path)
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    for path in written:
        text = path.read_text()
        assert "raise NotImplementedError()" in text and "### BEGIN SOLUTION" not in text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_notebook_fails_exactly_at_the_checks_of_its_exercises(path):
    """Execute the student version in the quick profile: the checks of the stubbed exercises
    fail, nothing else does. Then, in the same kernel, put back one exercise's solution at a
    time: its check passes, so no exercise depends on another one's solution."""
    solved = nbformat.read(path, as_version=4)
    found = assignments.exercises(solved, path.name)
    student = assignments.student_version(solved, path.name)
    client = NotebookClient(
        student,
        kernel_name="python3",
        allow_errors=True,
        timeout=600,
        resources={"metadata": {"path": str(path.parent)}},
    )
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
        for solution, check in found:
            for index in (solution, check):
                cell = copy.deepcopy(solved.cells[index])
                client.execute_cell(cell, index)
                errors = [o for o in cell.outputs if o["output_type"] == "error"]
                assert not errors, (
                    f"with only exercise {found.index((solution, check)) + 1} solved, cell {index + 1} "
                    f"still fails: {errors[0]['ename']}: {errors[0]['evalue']}"
                )
