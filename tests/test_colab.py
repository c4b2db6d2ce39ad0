"""Colab: one repository address in pyproject.toml, the badges and install lines built from it."""

import importlib.util
import subprocess
import sys
import types

import nbformat
import pytest

from rnnbook.publish import colab
from rnnbook.publish.paths import notebooks_dir, repository_root

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))
OTHER = "https://github.com/someone-else/rnn-course"
FIND_SPEC = importlib.util.find_spec


def test_repository_url_comes_from_pyproject():
    import tomllib

    pyproject = tomllib.loads((repository_root() / "pyproject.toml").read_text())
    assert colab.repository_url() == pyproject["project"]["urls"]["Repository"].rstrip("/")


def test_colab_url_opens_the_notebook_from_github():
    assert colab.colab_url("04_lstm.ipynb", OTHER) == (
        "https://colab.research.google.com/github/someone-else/rnn-course/blob/main/notebooks/04_lstm.ipynb"
    )


def test_a_name_with_spaces_gives_one_link_and_one_badge_however_often_it_is_synced():
    url = colab.colab_url("97_nb ü.ipynb", OTHER)
    assert url.endswith("/notebooks/97_nb%20%C3%BC.ipynb") and " " not in url
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# 97 A title"), nbformat.v4.new_code_cell("x = 1")]
    )
    colab.sync_notebook(notebook, "97_nb ü.ipynb", OTHER)
    assert not colab.sync_notebook(notebook, "97_nb ü.ipynb", OTHER), (
        "a second sync changes nothing"
    )
    assert notebook.cells[0].source.count("Open In Colab") == 1


@pytest.mark.parametrize(
    "name, repository, message",
    [
        ("04_lstm", OTHER, "notebook_name must be a file name ending in .ipynb"),
        (
            "04_lstm.ipynb",
            "https://gitlab.com/a/b",
            "repository must be a https://github.com/OWNER/NAME",
        ),
    ],
)
def test_colab_url_rejects_what_colab_cannot_open(name, repository, message):
    with pytest.raises(ValueError, match=message):
        colab.colab_url(name, repository)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_the_badge_and_install_line_of_pyproject(path):
    notebook = nbformat.read(path, as_version=4)
    assert colab.badge_markdown(path.name) in notebook.cells[0].source
    setup = notebook.cells[1]
    assert setup.source.startswith(colab.install_block())
    assert not colab.sync_notebook(notebook, path.name), "out of step: run python -m rnnbook freeze"


def test_readme_has_a_badge_per_notebook_for_the_same_repository():
    readme = (repository_root() / "README.md").read_text()
    assert colab.sync_readme(readme) == readme, "out of step: run python -m rnnbook freeze"
    for path in NOTEBOOKS:
        assert colab.badge_markdown(path.name) in readme, (
            f"README has no Colab badge for {path.name}"
        )


def test_moving_the_repository_rewrites_badge_and_install_line_once(tmp_path):
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    setup_body = notebook.cells[1].source.split(colab.install_block(), 1)[1]
    assert colab.sync_notebook(notebook, NOTEBOOKS[0].name, OTHER)
    assert not colab.sync_notebook(notebook, NOTEBOOKS[0].name, OTHER)
    assert notebook.cells[0].source.count("colab-badge.svg") == 1
    assert f"git+{OTHER}" in notebook.cells[1].source
    assert notebook.cells[1].source.endswith(setup_body)


def _run_install_block(monkeypatch, on_colab, installed):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: calls.append(command))
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: FIND_SPEC(name) if installed else None
    )
    exec(colab.install_block(OTHER), {})  # noqa: S102 - the notebooks' own first lines
    return calls


def test_install_block_installs_on_colab_only_where_the_library_is_missing(monkeypatch):
    assert _run_install_block(monkeypatch, on_colab=False, installed=False) == []
    assert _run_install_block(monkeypatch, on_colab=True, installed=True) == []
    (command,) = _run_install_block(monkeypatch, on_colab=True, installed=False)
    assert command[-1] == f"rnnbook @ git+{OTHER}" and "install" in command
