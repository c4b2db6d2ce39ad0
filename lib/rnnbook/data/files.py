"""The book's shipped data files, each checked against its recorded SHA-256.

``data/`` sits at the root of the repository and ships inside the package as
``rnnbook/datafiles/`` (see ``pyproject.toml``), so the loaders work from a clone and from a
wheel alike; set ``RNNBOOK_DATA_DIR`` to read the files from elsewhere.
"""

import hashlib
import os
from pathlib import Path

from rnnbook import checks

__all__ = ["data_dir", "data_file"]


def _shipped_folders():
    """Where the data files ship: ``rnnbook/datafiles/`` of an installed package, or
    ``data/`` at the root of the clone of an editable install."""
    package = Path(__file__).resolve().parents[1]  # rnnbook/
    return [package / "datafiles", package.parents[1] / "data"]


def data_dir():
    """The folder holding the book's data files: ``RNNBOOK_DATA_DIR`` if set, else the
    package's copy (an installed wheel), else ``data/`` of the clone (an editable install)."""
    override = os.environ.get("RNNBOOK_DATA_DIR")
    if override:
        candidates = [Path(override)]
    else:
        candidates = _shipped_folders()
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise FileNotFoundError(
        f"the book's data folder is missing (looked in {', '.join(map(str, candidates))}): "
        "reinstall the library (pip install rnnbook, or pip install -e . in a clone) or set "
        "RNNBOOK_DATA_DIR to a copy of the repository's data/ folder"
    )


def _recorded_checksums():
    """``{file name: SHA-256}`` from the ``SHA256SUMS`` the library ships."""
    for folder in _shipped_folders():
        sums = folder / "SHA256SUMS"
        if sums.is_file():
            pairs = (line.split() for line in sums.read_text().splitlines() if line.strip())
            return {name.lstrip("*"): digest for digest, name in pairs}
    raise FileNotFoundError("the library's SHA256SUMS is missing: reinstall rnnbook")


def data_file(name):
    """The path of the shipped data file ``name``, checked against its recorded SHA-256."""
    checks.string("name", name, empty=False)
    path = data_dir() / name
    expected = _recorded_checksums().get(name)
    if expected is None:
        raise ValueError(
            f"{name!r} is not one of the book's data files: {sorted(_recorded_checksums())}"
        )
    if not path.is_file():
        raise FileNotFoundError(f"the data file {path} is missing: reinstall rnnbook or restore it")
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected:
        raise ValueError(
            f"the data file {path} is damaged or was changed: its SHA-256 is {actual}, the "
            f"recorded one {expected} (data/SHA256SUMS); restore it from the repository"
        )
    return path
