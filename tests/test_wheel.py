"""The library as Colab gets it: a wheel installed away from any clone, carrying its data,
runs a notebook copied alone into an empty folder."""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from rnnbook.publish.paths import notebooks_dir, repository_root

NOTEBOOK = "01_time_delay_network.ipynb"  # it reads the shipped sunspot data


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    """A fresh virtual environment with the wheel of the library installed. The tested
    dependencies (TensorFlow, Keras, Jupyter) are borrowed from this interpreter's
    site-packages by a .pth file rather than downloaded again; the clone's editable
    install is not visible there."""
    base = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(base / "dist"),
            str(repository_root()),
        ],
        check=True,
    )
    (wheel,) = (base / "dist").glob("rnnbook-*.whl")
    env_dir = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(purelib) / "tested_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True)
    return env_dir


def run_in(venv, folder, *arguments):
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "RNNBOOK_DATA_DIR"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [venv / "bin" / "python", "-m", "rnnbook", *arguments],
        check=False,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_wheel_carries_the_data_and_a_lone_notebook_runs(venv, tmp_path):
    alone = tmp_path / "alone"
    alone.mkdir()
    notebook = nbformat.read(notebooks_dir() / NOTEBOOK, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell(
            "import pathlib, sys, rnnbook\n"
            "from rnnbook.data import data_dir\n"
            f"venv = pathlib.Path({str(venv)!r})\n"
            "assert pathlib.Path(sys.prefix) == venv, sys.prefix\n"
            "assert pathlib.Path(rnnbook.__file__).is_relative_to(venv), rnnbook.__file__\n"
            "assert data_dir().is_relative_to(venv), data_dir()"
        )
    )
    nbformat.write(notebook, alone / NOTEBOOK)
    completed = run_in(venv, alone, "run", NOTEBOOK, "--profile", "quick", "--no-book")
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    assert (alone / "_build" / "notebooks" / NOTEBOOK).is_file()
    assert "sunspots" in (alone / "_build" / "results.json").read_text()


def test_run_outside_a_clone_says_where_the_notebooks_are_expected(venv, tmp_path):
    completed = run_in(venv, tmp_path, "run", "--no-book")
    assert completed.returncode == 2
    assert f"no notebooks in {tmp_path / 'notebooks'}" in completed.stderr
    assert "notebooks/ folder of a clone of https://github.com/" in completed.stderr


def test_wheel_holds_the_data_files_with_their_provenance(venv):
    shipped = list(venv.glob("lib/python*/site-packages/rnnbook/datafiles/*"))
    names = {path.name for path in shipped}
    assert {"README.md", "sunspots_yearly.csv"} <= names
    for path in shipped:
        assert path.read_bytes() == (repository_root() / "data" / path.name).read_bytes()
