"""Where the book lives: the clone the library runs from, its notebooks and its build folder."""

from pathlib import Path

__all__ = ["default_build_dir", "in_clone", "notebooks_dir", "project_root", "repository_root"]


def repository_root():
    """The clone the library was installed from (``lib/rnnbook/publish`` lives three levels
    down)."""
    return Path(__file__).resolve().parents[3]


def in_clone():
    """True when the library runs from a clone (an editable install), not from a wheel."""
    root = repository_root()
    return (root / "pyproject.toml").is_file() and (root / "notebooks").is_dir()


def project_root():
    """Where the book lives: the clone, or outside one the current folder."""
    return repository_root() if in_clone() else Path.cwd()


def notebooks_dir():
    return project_root() / "notebooks"


def default_build_dir():
    return project_root() / "_build"
