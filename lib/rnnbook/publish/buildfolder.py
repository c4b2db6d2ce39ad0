"""The build folder that ``python -m rnnbook run`` writes, safe under faults and concurrent runs.

Layout (``_build/`` by default)::

    notebooks/<key>.ipynb           the last complete execution of each notebook
    failed/<key>.ipynb              the last failed execution, with its error
    logs/<key>.log                  what the kernel wrote to stderr in the last run
    results/<profile>/<key>.json    figures of the last complete run in that profile
    results.json                    all of results/, merged: {profile: {key: {name: value}}}
    runs.json                       the last run of each notebook: profile, seconds, ok, when
    html/                           the book

``<key>`` is the notebook's path relative to where it was found, without ``.ipynb``
(``01_time_delay_network``, or ``alice/01_homework`` for a returned assignment), so two
notebooks with one file name never overwrite each other.

Every file is written atomically (a temporary file renamed over the old one), so a reader
never sees half a file. A run writes a notebook's figures to a private partial file and
moves it into place only when the notebook completes; ``results.json`` and ``runs.json``
are rewritten under a lock on the folder from the per-notebook files, so concurrent runs
lose nothing, and a corrupt merged file is set aside and rebuilt.
"""

import contextlib
import fcntl
import os
import tempfile
import time
from pathlib import Path

from rnnbook.atomic import WriteError, read_json, write_atomic, write_json_atomic

__all__ = [
    "BuildFolder",
    "BuildFolderError",
    "WriteError",
    "check_writable_folder",
    "read_json",
    "read_notebook",
    "write_atomic",
    "write_json_atomic",
]


PARTIAL = ".partial-"


class BuildFolderError(OSError):
    """The build folder cannot be used (not writable, not a folder)."""


def check_writable_folder(folder, what="the folder"):
    """Create ``folder`` if needed and prove it writable; ``BuildFolderError`` names it."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise BuildFolderError(
            f"{what} {folder} cannot be written ({error.strerror or error})"
        ) from None
    return folder


def read_notebook(path, what="notebook"):
    """The notebook in ``path`` (nbformat 4). A file that cannot be read, is not JSON or is
    not a notebook raises ``ValueError`` in one line naming the file (``what`` says whose:
    "the source notebook", "the executed notebook") and why."""
    import nbformat

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ValueError(
            f"{what} {path} is not a readable notebook (it is not UTF-8 text)"
        ) from None
    except OSError as error:
        raise ValueError(f"{what} {path} cannot be read ({error.strerror or error})") from None
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 - nbformat raises many kinds for non-notebooks
        if isinstance(error, nbformat.reader.NotJSONError):
            why = "it is not JSON"
        else:
            first = (str(error).strip().splitlines() or [""])[0][:100]
            why = f"JSON, but not a notebook: {first}".rstrip(": ")
        raise ValueError(f"{what} {path} is not a readable notebook ({why})") from None


class BuildFolder:
    """Paths and safe writes in one build folder; see the module docstring."""

    def __init__(self, root):
        # absolute: the kernel runs in the notebook's folder, and the paths it is handed
        # (its results file) must point here, not there
        self.root = Path(root).absolute()

    def check_writable(self):
        """Create the folder if needed and prove it writable, before anything runs."""
        try:
            check_writable_folder(self.root, "the build folder")
        except BuildFolderError as error:
            raise BuildFolderError(
                f"{error}: fix its permissions or choose another with --build-dir"
            ) from None
        return self

    @contextlib.contextmanager
    def locked(self):
        """Hold an exclusive lock on the folder (concurrent runs wait for each other here)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def executed(self, key):
        return self.root / "notebooks" / f"{key}.ipynb"

    def failed(self, key):
        return self.root / "failed" / f"{key}.ipynb"

    def log(self, key):
        return self.root / "logs" / f"{key}.log"

    def results(self, profile, key):
        return self.root / "results" / profile / f"{key}.json"

    def partial_results(self, profile, key):
        """A file for the figures of a run in progress, private to this process."""
        final = self.results(profile, key)
        return final.with_name(f"{final.stem}{PARTIAL}{os.getpid()}.json")

    def finish(self, key, profile, partial, ok, seconds, failure=None):
        """Record the end of one notebook's run: its figures replace the previous ones only
        if it completed; ``runs.json`` and ``results.json`` are brought up to date."""
        partial = Path(partial)
        with self.locked():
            if ok:
                if partial.exists():
                    os.replace(partial, self.results(profile, key))
                else:  # it recorded nothing: its old figures are stale
                    write_json_atomic(self.results(profile, key), {})
            else:
                with contextlib.suppress(FileNotFoundError):
                    partial.unlink()
            runs = read_json(self.root / "runs.json")
            runs[key] = {
                "profile": profile,
                "seconds": round(seconds, 1),
                "ok": ok,
                "failure": failure,
                "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            }
            write_json_atomic(self.root / "runs.json", runs)
            read_json(self.root / "results.json")  # a corrupt one is set aside, named, not lost
            write_json_atomic(self.root / "results.json", self.merged_results())

    def discard(self, partial):
        with contextlib.suppress(FileNotFoundError):
            Path(partial).unlink()

    def merged_results(self):
        """``{profile: {key: {name: value}}}`` from every notebook's results file."""
        merged = {}
        base = self.root / "results"
        for path in sorted(base.glob("*/**/*.json")):
            if PARTIAL in path.name:
                continue
            profile, *parts = path.relative_to(base).parts
            key = Path(*parts).with_suffix("").as_posix()
            merged.setdefault(profile, {})[key] = read_json(path)
        return merged
