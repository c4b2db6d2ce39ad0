"""``python -m rnnbook grade`` and ``student`` against submissions that misbehave: a loop, a
kernel that dies, code that deletes files, edited locked checks, a file that is not JSON, a
notebook without grading metadata; and ``student`` against outputs it must not write."""

import copy
import errno
import os
import signal
import subprocess
import sys
import time

import nbformat
import pandas as pd
import pytest
from test_assignments import SOLVED  # tests/ is on sys.path under pytest

from rnnbook.publish import assignments, grading, runner
from rnnbook.publish.buildfolder import WriteError


@pytest.fixture
def source(tmp_path):
    """The toy source notebook (two exercises) and a maker of returned copies of it."""
    solved = copy.deepcopy(SOLVED)
    assignments.mark_exercises(solved)
    path = tmp_path / "source" / "hw.ipynb"
    path.parent.mkdir()
    nbformat.write(solved, path)

    def returned(student, first=None, second=None, edit=None):
        notebook = assignments.student_version(solved, assignment="hw")
        for index, body in ((1, first), (3, second)):
            if body is not None:
                notebook.cells[index].source = assignments.with_solution(
                    solved.cells[index].source, body
                )
        if edit:
            edit(notebook)
        target = tmp_path / "returned" / student / "hw.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(notebook, target)
        return target

    return path, returned


def earned(table, key):
    return table[table["submission"] == key]["earned"].tolist()


def results(table, key):
    return table[table["submission"] == key]["result"].tolist()


def test_grade_scores_each_submission_alone_and_cannot_be_fooled(source, tmp_path):
    path, returned = source
    good = returned("alice", "return 2 * x", "answer = 42")
    half = returned("bob", "return x + 2", "answer = 7")  # passes the visible check only
    looping = returned("carol", "while True:\n    pass", "answer = 1")
    killer = returned("dave", "return 2 * x", "import os\nos.kill(os.getpid(), 9)")
    deleter = returned(
        "aaron",  # graded first: it tries to delete every notebook beside it and one up
        "import glob, os\nfor p in set(glob.glob('*.ipynb') + glob.glob('../*/*.ipynb')):\n"
        "    if os.path.exists(p):\n        os.remove(p)\nreturn 2 * x",
        "answer = 3",
    )

    def unlock(notebook):
        for cell in notebook.cells:
            if cell.metadata.get("nbgrader", {}).get("locked"):
                cell.source = "pass"

    cheat = returned("erin", edit=unlock)  # no solutions, checks replaced by pass

    def strip(notebook):
        for cell in notebook.cells:
            cell.metadata = {}

    unmarked = returned("frank", "return 2 * x", "answer = 42", edit=strip)
    broken = tmp_path / "returned" / "gina" / "hw.ipynb"
    broken.parent.mkdir()
    broken.write_text("{ this is not JSON")
    paths = [deleter, good, half, looping, killer, cheat, unmarked, broken]
    before = {p: p.read_bytes() for p in paths}

    table, problems = grading.grade(paths, timeout=5, source=path)

    keys = {p: runner.notebook_key(p) for p in paths}
    assert earned(table, keys[good]) == [1, 1]
    assert earned(table, keys[deleter]) == [1, 1]
    assert earned(table, keys[half]) == [0, 1], "the hidden test catches x + 2"
    assert "AssertionError" in results(table, keys[half])[0]
    assert earned(table, keys[looping]) == [0, 1], "the loop scores 0, the next check still runs"
    assert "timeout of 5 s" in results(table, keys[looping])[0]
    assert earned(table, keys[killer]) == [1, 0]
    assert results(table, keys[killer])[1].startswith("did not run: the kernel died")
    assert earned(table, keys[cheat]) == [0, 0], "the locked checks come from the source"
    assert set(problems) == {keys[unmarked], keys[broken]}
    assert "nbgrader's metadata" in problems[keys[unmarked]]
    assert "JSON" in problems[keys[broken]] or "Notebook" in problems[keys[broken]]
    assert all(p.read_bytes() == before[p] for p in paths), "no submission was touched"


def test_a_kernel_that_ignores_the_interrupt_stops_only_its_own_submission(source):
    path, returned = source
    stubborn = returned(
        "hal",
        "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C ignored\nwhile True:\n"
        "    pass",
        "answer = 42",
    )
    good = returned("ida", "return 2 * x", "answer = 42")
    table, problems = grading.grade([stubborn, good], timeout=3, source=path)
    assert not problems
    assert earned(table, runner.notebook_key(stubborn)) == [0, 0]
    assert results(table, runner.notebook_key(stubborn))[1].startswith(
        "did not run: the kernel stayed busy after cell 3"
    )
    assert earned(table, runner.notebook_key(good)) == [1, 1]


def test_grade_command_prints_one_table_writes_csv_and_exits_1_for_an_ungradable_file(
    source, tmp_path
):
    path, returned = source
    good = returned("alice", "return 2 * x", "answer = 42")
    broken = tmp_path / "returned" / "bob.ipynb"
    broken.write_text("not json")
    csv = tmp_path / "grades.csv"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "rnnbook",
            "grade",
            str(good),
            str(broken),
            "--source",
            str(path),
            "--csv",
            str(csv),
            "--timeout",
            "60",
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert completed.returncode == 1, completed.stderr
    assert "2 of 2 point(s)" in completed.stdout and "not graded" in completed.stdout
    grades = pd.read_csv(csv)
    assert grades["earned"].sum() == 2 and grades["result"].str.startswith("not graded").sum() == 1


def test_grade_stops_on_ctrl_c_with_exit_130_and_one_line(source, tmp_path):
    path, returned = source
    slow = returned("carol", "import time\ntime.sleep(120)\nreturn 2 * x", "answer = 1")
    process = subprocess.Popen(
        [sys.executable, "-m", "rnnbook", "grade", str(slow), "--source", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "RNNBOOK_PROFILE": "quick"},
    )
    time.sleep(8)  # the kernel is up and sleeping in the check of exercise 1
    stopped_at = time.monotonic()
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 130
    assert time.monotonic() - stopped_at < 15
    err = process.stderr.read().strip()
    assert err.splitlines()[-1].startswith("python -m rnnbook grade: stopped by SIGINT")
    assert "Traceback" not in err


def test_student_never_writes_over_a_source_and_keys_outputs_by_folder(tmp_path):
    with pytest.raises(ValueError, match="would write over the source notebook"):
        runner.write_student_versions(["00"], runner.notebooks_dir())
    a, b = tmp_path / "a" / "hw.ipynb", tmp_path / "b" / "hw.ipynb"
    for p in (a, b):
        p.parent.mkdir()
        nbformat.write(SOLVED, p)
    written = runner.write_student_versions([str(a), str(b)], tmp_path / "out")
    assert len(set(written)) == 2 and all(p.is_file() for p in written)


def test_student_answers_a_file_or_a_full_disk_with_one_line(tmp_path, monkeypatch):
    (tmp_path / "a_file").write_text("")
    completed = subprocess.run(
        [sys.executable, "-m", "rnnbook", "student", "00", "--out", str(tmp_path / "a_file")],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert completed.stderr.strip().count("\n") == 0 and "is a file" in completed.stderr

    def full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(runner, "write_atomic", full)
    with pytest.raises(WriteError, match="No space left on device"):
        runner.write_student_versions(["00"], tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.ipynb"))
