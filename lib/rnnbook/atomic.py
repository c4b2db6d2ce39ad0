"""Files written whole or not at all: a reader never sees half a file, a failed write
leaves the old one, and its error is one line naming the file."""

import contextlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["WriteError", "read_json", "write_atomic", "write_json_atomic"]


class WriteError(OSError):
    """A file could not be written (a full disk, a folder made read-only); the message is one
    line naming the file, and nothing half-written was left (the old file, if any, is intact)."""


def _mode_for(path):
    """The permissions ``path`` has, or those a new file gets (0666 less the umask)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0o022)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(path, text):
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename.
    Raises :class:`WriteError` (one line, the file named) if it cannot; the old file stays."""
    path = Path(path)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        os.fchmod(handle, _mode_for(path))  # mkstemp's 0600 would hide the file from others
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        if temporary is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        if isinstance(error, OSError) and not isinstance(error, WriteError):
            failure = WriteError(
                f"could not write {path} ({error.strerror or error}); nothing half-written was left"
            )
            failure.errno = error.errno
            raise failure from None
        raise


def write_json_atomic(path, data):
    write_atomic(path, json.dumps(data, indent=2, sort_keys=True) + "\n")


def read_json(path, warn=True):
    """The JSON object in ``path``, or ``{}`` if it is missing. A file that is not a JSON
    object is renamed to ``<name>.corrupt`` (named in a warning) and read as empty."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"a JSON object was expected, got {type(data).__name__}")  # noqa: TRY004
        return data
    except FileNotFoundError:
        return {}
    except (ValueError, UnicodeDecodeError) as error:
        aside = path.with_name(path.name + ".corrupt")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        if warn:
            print(
                f"warning: {path} was not valid JSON ({error}); moved to {aside}", file=sys.stderr
            )
        return {}
