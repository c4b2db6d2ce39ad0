"""The command line under the faults of issue 21: nested and odd notebook keys, huge and
endless outputs, a full disk, read-only folders, files that are not notebooks. Each ends in
a documented exit code and at most one line of error, and loses nothing recorded before."""

import contextlib
import errno
import json
import os
import subprocess
import sys
import time

import nbformat
import pytest
from test_runner import write_notebook  # tests/ is on sys.path under pytest

from rnnbook.publish import outputs
from rnnbook.publish.cli import main

RECORD = "from rnnbook import runtime\nruntime.record('demo.value', {value})"
# the runner's own peak memory, read by a wrapper that waits for it
PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def rnnbook(*arguments, cwd, timeout=300, peak=False):
    started = time.perf_counter()
    command = [sys.executable, "-m", "rnnbook", *arguments]
    completed = subprocess.run(
        [sys.executable, "-c", PEAK, *command] if peak else command,
        cwd=cwd,
        env={**os.environ, "RNNBOOK_PROFILE": "quick"},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return completed, time.perf_counter() - started


def one_line_error(stderr):
    lines = [line for line in stderr.splitlines() if line.strip() and "%|" not in line]
    assert "Traceback" not in stderr, stderr
    return lines[-1]


def test_the_book_has_a_page_for_every_key_and_cuts_a_megabyte_line(tmp_path):
    write_notebook(tmp_path / "alice" / "01_homework.ipynb", RECORD.format(value=1))
    write_notebook(tmp_path / "dir ü" / "97_nb ü.ipynb", RECORD.format(value=2))
    write_notebook(tmp_path / "01_big.ipynb", "print('x' * 1_000_000)", "'y' * 1_000_000")
    names = ["alice/01_homework.ipynb", "dir ü/97_nb ü.ipynb", "01_big.ipynb"]
    completed, seconds = rnnbook("run", *names, "--build-dir", "_rel", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    build = tmp_path / "_rel"
    assert json.loads((build / "results.json").read_text())["quick"] == {
        "01_big": {},
        "alice/01_homework": {"demo.value": 1},
        "dir ü/97_nb ü": {"demo.value": 2},
    }
    html = build / "html"
    for page in ("alice/01_homework.html", "dir__/97_nb__.html", "01_big.html"):
        assert (html / page).is_file(), page
    big = nbformat.read(build / "notebooks" / "01_big.ipynb", as_version=4)
    printed, shown = big.cells[0].outputs[0].text, big.cells[1].outputs[0].data["text/plain"]
    for text in (printed, shown):
        assert len(text.rstrip("\n")) <= outputs.MAX_LINE and "characters was cut here" in text
    assert "1,000,000 characters was cut here" in (html / "01_big.html").read_text()
    assert seconds < 120, f"a megabyte line must not slow the book down: {seconds:.0f} s"


def test_an_endless_printer_stops_at_its_timeout_in_bounded_time_and_memory(tmp_path):
    write_notebook(tmp_path / "01_endless.ipynb", "while True:\n    print('y' * 100)")
    completed, seconds = rnnbook(
        "run",
        "01_endless.ipynb",
        "--no-book",
        "--build-dir",
        "_build",
        "--timeout",
        "5",
        cwd=tmp_path,
        peak=True,
    )
    assert completed.returncode == 1
    peak_mib = int(completed.stderr.splitlines()[-1]) / 1024
    assert "the cell ran longer than the timeout of 5 s" in completed.stderr
    failed = tmp_path / "_build" / "failed" / "01_endless.ipynb"
    assert failed.stat().st_size < 4 * 2**20
    assert "characters of this cell's output were cut" in failed.read_text()
    assert seconds < 90 and peak_mib < 1024, (seconds, peak_mib)


@contextlib.contextmanager
def small_disk(folder):
    """``folder`` on a 1 MiB tmpfs if this machine lets us mount one (yields True), else
    left as it is (yields False: the caller simulates a full disk)."""
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]
    mounted = (
        os.geteuid() == 0
        and subprocess.run(mount, check=False, capture_output=True).returncode == 0
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_during_a_run_is_one_line_exit_3_and_loses_nothing(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    write_notebook(tmp_path / "01_rec.ipynb", RECORD.format(value=1), "print('z' * 300_000)")
    with small_disk(tmp_path / "disk") as mounted:
        build = tmp_path / "disk" / "_build"
        assert main(["run", "01_rec.ipynb", "--no-book", "--build-dir", str(build)]) == 0
        before = {name: (build / name).read_text() for name in ("results.json", "runs.json")}
        write_notebook(tmp_path / "01_rec.ipynb", RECORD.format(value=2), "print('z' * 300_000)")
        if mounted:  # fill it: an empty file, the writability check, still fits
            filler = tmp_path / "disk" / "filler"
            with contextlib.suppress(OSError), open(filler, "wb") as file:
                file.write(b"\0" * 2**20)
        else:

            def full(descriptor):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

            monkeypatch.setattr(os, "fsync", full)
        capsys.readouterr()
        assert main(["run", "01_rec.ipynb", "--no-book", "--build-dir", str(build)]) == 3
        error = one_line_error(capsys.readouterr().err)
        assert "No space left on device" in error and "01_rec" in error
        assert "previous results are kept" in error
        assert {name: (build / name).read_text() for name in before} == before
        assert not list(build.rglob("*.tmp")) and not list(build.rglob("*partial*"))


@contextlib.contextmanager
def read_only(folder, monkeypatch):
    """Make ``folder`` read-only: by its permissions, or (as root, who ignores them) by a
    read-only tmpfs over it, or failing both by refusing writes to it in this process."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    saved = {path.name: path.read_bytes() for path in folder.iterdir()}
    mount = ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]
    if subprocess.run(mount, check=False, capture_output=True).returncode == 0:
        for name, data in saved.items():
            (folder / name).write_bytes(data)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        try:
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    import tempfile

    real = tempfile.TemporaryFile

    def refused(*args, dir=None, **kwargs):
        if dir is not None and os.path.samefile(dir, folder):
            raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    yield


def test_freeze_refuses_a_read_only_notebooks_folder_before_running(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "notebooks"
    notebook = write_notebook(folder / "01_demo.ipynb", "open('ran', 'w').close()")
    monkeypatch.chdir(tmp_path)
    with read_only(folder, monkeypatch):
        assert main(["freeze", str(notebook)]) == 2
    error = one_line_error(capsys.readouterr().err)
    assert f"the folder {folder} cannot be written" in error
    assert not (tmp_path / "ran").exists() and not (folder / "ran").exists()


def test_files_that_are_not_notebooks_are_named_in_one_line(tmp_path, capsys):
    broken = tmp_path / "01_broken.ipynb"
    broken.write_text("{ this is not json")
    assert main(["grade", str(broken)]) == 1
    assert f"the submission {broken} is not a readable notebook (it is not JSON)" in (
        capsys.readouterr().out
    )
    good = write_notebook(tmp_path / "02_good.ipynb", "1")
    assert main(["grade", str(good), "--source", str(broken)]) == 2
    error = one_line_error(capsys.readouterr().err)
    assert f"--source {broken} is not a readable notebook (it is not JSON)" in error
    (tmp_path / "_build" / "notebooks").mkdir(parents=True)
    (tmp_path / "_build" / "notebooks" / "alice").mkdir()
    (tmp_path / "_build" / "notebooks" / "alice" / "01_hw.ipynb").write_bytes(b"\xff\xfe")
    assert main(["build", "--build-dir", str(tmp_path / "_build")]) == 1
    error = one_line_error(capsys.readouterr().err)
    assert "alice/01_hw.ipynb is not a readable notebook (it is not UTF-8 text)" in error


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\rb\n", "b\n"),  # a progress bar keeps its final state
        ("abc\r\n", "abc\r\n"),  # a carriage return before a newline changes nothing
        ("50%\r60%\r", "60%\r"),  # what comes next overwrites it
        ("plain\ntext", "plain\ntext"),
    ],
)
def test_settle_keeps_what_jupyter_shows(text, expected):
    assert outputs.settle(text) == expected


def test_cap_notebook_cuts_long_lines_many_lines_and_big_rich_outputs():
    many = "\n".join(f"line {i}" for i in range(outputs.MAX_LINES + 50)) + "\n"
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text=many[:100]),
        nbformat.v4.new_output("stream", name="stdout", text=many[100:]),
        nbformat.v4.new_output("display_data", data={"text/html": "<b>" * outputs.MAX_DATA}),
    ]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    assert outputs.cap_notebook(notebook, dropped={0: 123}) == 1
    stream, rich, note = notebook.cells[0].outputs
    assert stream.text.count("\n") == outputs.MAX_LINES  # the lines kept, the last a note
    assert "51 more lines" in stream.text and "text/html output" in rich.data["text/plain"]
    assert "123 more characters of this cell's output" in note.text
    assert outputs.cap_notebook(notebook) == 0, "capping twice changes nothing"
