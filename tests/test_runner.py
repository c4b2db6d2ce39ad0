"""The main command: executing notebooks, collecting results, naming failures."""

import json
import subprocess
import sys

import nbformat
import pytest

from rnnbook.publish import runner


def write_notebook(path, *sources):
    """A notebook of code cells at ``path`` (its folder is made if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(notebook, path)
    return path


def test_find_notebooks_accepts_a_number_a_stem_or_nothing():
    everything = runner.find_notebooks()
    assert everything and everything == sorted(everything)
    first = everything[0]
    assert runner.find_notebooks([first.stem[:2]]) == [first]
    assert runner.find_notebooks([first.stem]) == [first]


def test_find_notebooks_names_the_choices_for_an_unknown_notebook():
    with pytest.raises(ValueError, match="no single notebook matches '99'.*00_"):
        runner.find_notebooks(["99"])


def test_run_collects_recorded_figures_and_the_executed_notebook(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notebook = write_notebook(
        tmp_path / "05_demo.ipynb",
        "from rnnbook import runtime",
        "runtime.record('demo.profile_is_quick', runtime.profile() == 'quick')\n"
        "runtime.record('demo.value', 0.5)",
    )
    build = tmp_path / "_build"
    assert runner.run([str(notebook)], profile="quick", build_dir=build) == 0
    assert json.loads((build / "results.json").read_text()) == {
        "quick": {"05_demo": {"demo.profile_is_quick": True, "demo.value": 0.5}}
    }
    executed = nbformat.read(build / "notebooks" / "05_demo.ipynb", as_version=4)
    assert "recorded demo.value = 0.5" in executed.cells[1].outputs[0]["text"]
    assert executed.metadata["rnnbook"]["profile"] == "quick"
    assert json.loads((build / "runs.json").read_text())["05_demo"]["ok"] is True
    assert (build / "html" / "05_demo.html").is_file(), "the book is built, titled by the file name"


def test_run_exits_non_zero_naming_the_notebook_and_cell_that_failed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notebook = write_notebook(
        tmp_path / "06_broken.ipynb", "x = 1", "raise ValueError('lags must be positive')"
    )
    assert runner.run([str(notebook)], profile="quick", build_dir=tmp_path / "_build") == 1
    captured = capsys.readouterr()
    assert "06_broken: cell 2 of 2" in captured.err
    assert "ValueError: lags must be positive" in captured.err
    assert (tmp_path / "_build" / "failed" / "06_broken.ipynb").is_file()
    assert not (tmp_path / "_build" / "notebooks" / "06_broken.ipynb").exists()


def test_strip_outputs_keeps_only_checked_cells():
    notebook = nbformat.v4.new_notebook()
    checked = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(29)", execution_count=3)
    checked.outputs = [nbformat.v4.new_output("stream", name="stdout", text="29\n")]
    plain = nbformat.v4.new_code_cell("print(1)", execution_count=4)
    plain.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    notebook.cells = [checked, plain]
    runner.strip_outputs(notebook)
    assert checked.outputs and checked.execution_count == 3
    assert plain.outputs == [] and plain.execution_count is None


@pytest.mark.parametrize(
    "arguments, environment, message",
    [
        (["run", "--profile", "fast"], {}, "invalid choice: 'fast'"),
        (["run"], {"RNNBOOK_PROFILE": "fast"}, "RNNBOOK_PROFILE='fast' is not a profile"),
        (["run", "99"], {}, "no single notebook matches '99'"),
        (["grade", "returned/missing.ipynb"], {}, "no notebook file"),
    ],
)
def test_command_line_rejects_bad_arguments_clearly(arguments, environment, message, monkeypatch):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    completed = subprocess.run(
        [sys.executable, "-m", "rnnbook", *arguments],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 2
    assert message in completed.stderr
