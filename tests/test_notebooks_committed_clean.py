"""House rules for the committed notebooks (nbval runs them; this checks how they are stored)."""

import nbformat
import pytest

from rnnbook.publish.paths import notebooks_dir
from rnnbook.publish.runner import CHECK_OUTPUT_MARKER

NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_checked_cells_keep_outputs_and_counts(path):
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        if CHECK_OUTPUT_MARKER in cell.source:
            assert cell.outputs, f"cell {number} is checked by nbval but has no stored output"
            assert all(o["output_type"] == "stream" for o in cell.outputs), (
                f"cell {number}: checked outputs must be plain text"
            )
        else:
            assert not cell.outputs, f"cell {number} keeps outputs but is not {CHECK_OUTPUT_MARKER}"
            assert cell.execution_count is None, f"cell {number} keeps an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_its_title_and_the_setup_cell(path):
    notebook = nbformat.read(path, as_version=4)
    first, setup = notebook.cells[0], notebook.cells[1]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {path.name[:2]} ")
    assert "**Runtime:**" in first.source
    assert setup.cell_type == "code" and "runtime.setup(" in setup.source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_for_its_nbformat_version(path):
    """nbgrader, nbval and Jupyter read it without complaint (no cell ids in a 4.4 file)."""
    nbformat.validate(nbformat.read(path, as_version=4))
