"""C++ source, offline: the headers that ship with TensorFlow (notebook 08), and what a
programmer sees in each of their characters (:func:`code_features`)."""

import os
from pathlib import Path

import numpy as np

from rnnbook import checks

__all__ = ["code_features", "tensorflow_headers"]


def tensorflow_headers(under="", root=None):
    """``{path: text}`` of the C++ headers the installed TensorFlow wheel ships
    (``tensorflow/include/tensorflow/**/*.h``, about 3,500 files and 45 M characters with TF
    2.21), the corpus of notebook 08; ``under`` keeps the files below one folder (e.g.
    ``"core"``). Paths are relative to ``include/tensorflow``, sorted. ``root`` replaces that
    folder (for tests). A TensorFlow build without its headers is a clear error, and so is an
    ``under`` that does not exist or leads outside ``include/tensorflow``."""
    under = checks.string("under", under)
    below = os.path.normpath(under) if under else "."
    if os.path.isabs(under) or below == ".." or below.startswith(".." + os.sep):
        raise ValueError(
            f"under must be a folder below include/tensorflow, got {under!r}, which leads "
            "outside it"
        )
    if root is not None and not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"root must be a path (a str or Path), got {type(root).__name__}")
    if root is None:
        import importlib.util

        spec = importlib.util.find_spec("tensorflow")
        if spec is None or spec.origin is None:
            raise RuntimeError(
                "TensorFlow is not installed: notebook 08 reads the C++ headers of its wheel"
            )
        root = Path(spec.origin).parent / "include" / "tensorflow"
    elif not Path(root).is_dir():
        raise ValueError(f"root must be an existing folder, got {str(root)!r}: no such folder")
    root = Path(root)
    folder = root / below
    if root.is_dir() and not folder.is_dir():
        missing = "is a file, not a folder" if folder.exists() else "does not exist"
        raise ValueError(f"under={under!r}: the folder {folder} {missing}")
    files = sorted(folder.rglob("*.h")) if folder.is_dir() else []
    if not files and under and root.is_dir():
        raise ValueError(f"under={under!r}: the folder {folder} holds no C++ headers (*.h)")
    if not files:
        raise RuntimeError(
            f"no C++ headers under {folder}: this TensorFlow was built without them "
            "(the pip wheels of TensorFlow 2.x ship them in tensorflow/include)"
        )
    return {
        f.relative_to(root).as_posix(): f.read_text(encoding="utf-8", errors="replace")
        for f in files
    }


def code_features(text):
    """What a C++ programmer sees at each character of ``text``, as ``{name: float array}``
    with one value per character (the probes of notebook 08):

    - ``"comment"``: 1 inside a ``// ...`` or ``/* ... */`` comment (its delimiters included);
    - ``"string"``: 1 inside a ``"..."`` or ``'...'`` literal outside comments (quotes
      included; a backslash escapes the next character);
    - ``"brace depth"``: the number of ``{`` opened before the character and not yet closed,
      outside comments and literals;
    - ``"paren depth"``: the same for ``(``;
    - ``"column"``: the position in the line, 0 at its first character.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    n = len(text)
    comment, string = np.zeros(n), np.zeros(n)
    braces, parens, column = np.zeros(n), np.zeros(n), np.zeros(n)
    state, quote, escaped, opened = "code", "", False, 0
    brace = paren = col = 0
    for i, c in enumerate(text):
        braces[i], parens[i], column[i] = brace, paren, col
        col = 0 if c == "\n" else col + 1
        if state == "line comment":
            if c == "\n":
                state = "code"
            else:
                comment[i] = 1
            continue
        if state == "block comment":
            comment[i] = 1
            if c == "/" and text[i - 1] == "*" and i - opened >= 3:  # "/*/" does not close
                state = "code"
            continue
        if state == "literal":
            string[i] = 1
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == quote or c == "\n":  # an unterminated literal ends with its line
                state = "code"
            continue
        if text.startswith("//", i):
            state, comment[i] = "line comment", 1
        elif text.startswith("/*", i):
            state, comment[i], opened = "block comment", 1, i
        elif c in "\"'":
            state, quote, string[i] = "literal", c, 1
        elif c == "{":
            brace += 1
        elif c == "}":
            brace = max(brace - 1, 0)
        elif c == "(":
            paren += 1
        elif c == ")":
            paren = max(paren - 1, 0)
    return {
        "comment": comment,
        "string": string,
        "brace depth": braces,
        "paren depth": parens,
        "column": column,
    }
