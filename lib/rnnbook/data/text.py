"""English text, offline: Python's own documentation, cleaned to prose, for notebooks 06 and 08.

The corpus is ``pydoc_data.topics``, the help text that ships with every CPython (what
``help("if")`` prints): a few hundred thousand characters of English about the language, in
topics (``"if"``, ``"assignment"``, ``"exceptions"``, ...). Nothing is downloaded; the text is
that of the interpreter in use, so its size differs a little between Python versions.

Tools: :func:`python_docs_corpus` (topic -> prose), :func:`clean_prose` (drop code, grammar
and headings, join lines), :func:`split_by_topic` (train / validation / test with no topic in
two splits), :class:`CharVocabulary` (characters <-> ids, with an explicit unknown symbol) and
:func:`char_windows` (fixed-length examples), :func:`mask_characters` (the masked-character task of notebook 06),
:func:`tensorflow_headers` (C++ source, notebook 08), :func:`char_streams` (parallel streams for
truncated BPTT) and :func:`code_features` (what a programmer sees in each character of C++).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from rnnbook import checks

__all__ = [
    "CharVocabulary",
    "TextSplits",
    "char_streams",
    "char_windows",
    "clean_prose",
    "mask_characters",
    "python_docs_corpus",
    "split_by_topic",
]


_INT32_MAX = 2**31 - 1


def _int32_ids(name, ids):
    """Refuse ids that are negative or too large for the int32 arrays they are returned as
    (they would wrap around silently)."""
    if ids.size and (ids.min() < 0 or ids.max() > _INT32_MAX):
        bad = ids.min() if ids.min() < 0 else ids.max()
        raise ValueError(
            f"{name} must hold ids in [0, 2**31 - 1] (they are returned as int32), got {bad}"
        )
    return ids


_UNDERLINE = re.compile(r"^\s*([*=\-~^\"'#+])\1{2,}\s*$")


_LETTER = re.compile(r"[A-Za-z]")


def clean_prose(text):
    """The prose of one help topic: paragraphs whose lines are not indented (indented blocks
    are code examples and grammar rules), without heading underlines, interactive examples
    (``>>>``) or lines that are mostly symbols, each paragraph joined into one line with single
    spaces, paragraphs separated by a newline."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    paragraphs, current = [], []
    for line in text.splitlines() + [""]:
        if not line.strip():
            if current:
                paragraphs.append(" ".join(current))
            current = []
            continue
        if line[:1].isspace() or _UNDERLINE.match(line) or line.lstrip().startswith(">>>"):
            continue
        letters = len(_LETTER.findall(line))
        if letters < 0.5 * len(line.strip()):
            continue
        current.append(line.strip())
    paragraphs = [re.sub(r"\s+", " ", p).strip() for p in paragraphs]
    # a heading is a short paragraph without a full stop; keep sentences only
    return "\n".join(p for p in paragraphs if len(p) > 60 or p.endswith((".", ":")))


def python_docs_corpus():
    """``{topic: prose}`` from ``pydoc_data.topics`` of the running Python, cleaned by
    :func:`clean_prose`; topics with no prose left are dropped."""
    try:
        from pydoc_data.topics import topics
    except ImportError as error:  # pragma: no cover - every CPython ships it
        raise RuntimeError(
            "this Python has no pydoc_data.topics (the interpreter's help text); "
            "notebooks 06 and 08 need a standard CPython"
        ) from error
    cleaned = {name: clean_prose(text) for name, text in sorted(topics.items())}
    return {name: text for name, text in cleaned.items() if text}


@dataclass(frozen=True)
class TextSplits:
    """Three texts and the topics each was made of (no topic in two splits)."""

    train: str
    validation: str
    test: str
    topics: dict

    def __post_init__(self):
        for name in ("train", "validation", "test"):
            checks.string(name, getattr(self, name))
        if not isinstance(self.topics, dict):
            raise TypeError(f"topics must be a dict, got {type(self.topics).__name__}")

    def sizes(self):
        """Characters per split."""
        return {
            "train": len(self.train),
            "validation": len(self.validation),
            "test": len(self.test),
        }


def split_by_topic(corpus, fractions=(0.8, 0.1, 0.1), seed=0):
    """Split ``{topic: text}`` into train / validation / test by whole topics (or whole files:
    any key will do).

    The topics are shuffled with ``seed`` and dealt in that order: each goes to the split
    furthest below its share of characters (``fractions``, summing to 1), so every topic
    lands in exactly one split and the sizes come close to the fractions. Texts of one split
    are joined with newlines.
    """
    if not isinstance(corpus, dict) or not corpus:
        error = ValueError if isinstance(corpus, dict) else TypeError
        raise error(
            f"corpus must be a non-empty dict of topic -> text, got {checks.shown(corpus, 80)}"
        )
    for name, text in corpus.items():
        checks.string(f"corpus[{name!r}]", text, empty=False)
    try:
        names = sorted(corpus)
    except TypeError:
        kinds = sorted({type(name).__name__ for name in corpus})
        raise TypeError(
            f"corpus keys must be comparable with each other (e.g. all str), got keys of "
            f"types {kinds}"
        ) from None
    if len(corpus) < 3:
        raise ValueError(
            f"corpus must have at least 3 topics to make three splits, got {len(corpus)}"
        )
    listed = isinstance(fractions, (list, tuple)) or (
        isinstance(fractions, np.ndarray) and fractions.ndim == 1
    )
    if not listed or len(fractions) != 3:
        error = ValueError if listed else TypeError
        raise error(f"fractions must be three positive numbers, got {fractions!r}")
    fractions = [
        checks.real(f"each fraction (fractions[{i}])", f, positive=True)
        for i, f in enumerate(fractions)
    ]
    if abs(sum(fractions) - 1) > 1e-9:
        raise ValueError(f"fractions must sum to 1, got {fractions!r} (sum {sum(fractions)})")
    order = np.random.default_rng(checks.integer("seed", seed, minimum=0)).permutation(len(names))
    total = sum(len(t) for t in corpus.values())
    parts = {"train": [], "validation": [], "test": []}
    filled = dict.fromkeys(parts, 0)
    for i, index in enumerate(order):
        name = names[index]
        empty = [k for k in parts if not parts[k]]
        if len(order) - i <= len(empty):  # make sure no split stays empty
            split = empty[0]
        else:
            split = min(parts, key=lambda k: filled[k] / (fractions[list(parts).index(k)] * total))
        parts[split].append(name)
        filled[split] += len(corpus[name])
    return TextSplits(
        *("\n".join(corpus[n] for n in parts[k]) for k in parts),
        topics={k: sorted(v) for k, v in parts.items()},
    )


class CharVocabulary:
    """Characters <-> integer ids. Id 0 is the unknown symbol (``unknown``, shown as ``"¿"``),
    for characters not seen when the vocabulary was made; the known characters follow in sorted
    order from id 1."""

    def __init__(self, characters, unknown="¿"):
        if isinstance(characters, (bytes, bytearray, dict)) or not isinstance(characters, Iterable):
            raise TypeError(
                f"characters must be a str (the text to take the characters of) or a list of "
                f"characters, got {type(characters).__name__} {checks.shown(characters)}"
            )
        characters = characters if isinstance(characters, str) else list(characters)
        for c in characters:
            if not isinstance(c, str):
                raise TypeError(
                    f"characters must hold characters (str), got {c!r} ({type(c).__name__})"
                )
            if len(c) != 1:
                raise ValueError(f"characters must hold single characters, got {checks.shown(c)}")
        characters = sorted(set(characters))
        if not characters:
            raise ValueError(
                "characters must not be empty: give the text the vocabulary is made from"
            )
        if len(checks.string("unknown", unknown)) != 1:
            raise ValueError(f"unknown must be one character, got {unknown!r}")
        if unknown in characters:
            raise ValueError(
                f"the unknown symbol {unknown!r} occurs in the characters; choose another"
            )
        self.unknown = unknown
        self.characters = [unknown] + characters
        self._ids = {c: i for i, c in enumerate(self.characters)}

    @classmethod
    def from_text(cls, text, unknown="¿"):
        """The vocabulary of every character in ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text must not be empty")
        return cls(text, unknown)

    def __len__(self):
        return len(self.characters)

    def __repr__(self):
        return f"CharVocabulary({len(self) - 1} characters + unknown {self.unknown!r})"

    def encode(self, text, allow_unknown=False):
        """The ids of ``text`` as an int32 array. A character outside the vocabulary is an error
        naming it, unless ``allow_unknown`` maps it to the unknown id 0."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not checks.boolean("allow_unknown", allow_unknown):
            missing = sorted(set(text) - self._ids.keys())
            if missing:
                where = text.index(missing[0])
                raise ValueError(
                    f"text has {len(missing)} character(s) outside the vocabulary, e.g. {missing[0]!r} at "
                    f"index {where}; pass allow_unknown=True to map them to the unknown symbol"
                )
        return np.array([self._ids.get(c, 0) for c in text], dtype="int32")

    def decode(self, ids):
        """The text of ``ids`` (any integer array); ids outside the vocabulary are an error."""
        try:
            ids = np.asarray(ids)
        except ValueError:
            raise TypeError(
                f"ids must be an array of integer ids, got {checks.shown(ids)}"
            ) from None
        if ids.size == 0:
            return ""
        if ids.dtype.kind not in "iu":
            raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
        bad = (ids < 0) | (ids >= len(self))
        if bad.any():
            raise ValueError(f"ids must lie in [0, {len(self)}), got {int(ids[bad].ravel()[0])}")
        return "".join(self.characters[i] for i in ids.ravel())


def char_windows(ids, length, stride=None):
    """Fixed-length examples from a sequence of ids: rows ``ids[s : s + length]`` for
    ``s = 0, stride, 2 * stride, ...`` (``stride`` defaults to ``length``: no overlap), as an
    array of shape ``(windows, length)``. The tail shorter than a window is left out."""
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(
            f"ids must be a 1-D integer array, got shape {ids.shape} and dtype {ids.dtype}"
        )
    if ids.size and ids.min() < 0:
        raise ValueError(f"ids must be >= 0 (token ids), got {ids.min()}")
    length = checks.integer("length", length, minimum=1)
    stride = length if stride is None else checks.integer("stride", stride, minimum=1)
    if length > len(ids):
        raise ValueError(f"length ({length}) is longer than the text ({len(ids)} ids)")
    starts = np.arange(0, len(ids) - length + 1, stride)
    checks.allocation("length and stride", (len(starts), length), ids.dtype)
    return np.stack([ids[s : s + length] for s in starts])


def mask_characters(windows, rate, mask_id, seed=0):
    """Hide a random fraction of the characters of each window, for the restoration task.

    Each position is hidden with probability ``rate``, independently (seeded). Returns
    ``(inputs, targets, hidden)``: the windows with hidden positions replaced by ``mask_id``
    (an id outside the vocabulary, e.g. ``len(vocabulary)``), the original windows, and a
    float32 array, 1 where a character was hidden, for use as ``sample_weight`` so that only
    hidden characters are scored.
    """
    windows = np.asarray(windows)
    if windows.ndim != 2 or windows.dtype.kind not in "iu":
        raise ValueError(
            f"windows must be a 2-D integer array, got shape {windows.shape} and dtype {windows.dtype}"
        )
    rate = checks.real("rate", rate, positive=True)
    if rate >= 1:
        raise ValueError(f"rate must be a fraction in (0, 1), got {rate}")
    _int32_ids("windows", windows)
    mask_id = checks.integer("mask_id", mask_id, minimum=0, maximum=_INT32_MAX)
    if np.any(windows == mask_id):
        raise ValueError(f"mask_id {mask_id} occurs in windows: use an id outside the vocabulary")
    hidden = (
        np.random.default_rng(checks.integer("seed", seed, minimum=0)).random(windows.shape) < rate
    )
    targets = windows.astype("int32")
    return np.where(hidden, mask_id, targets).astype("int32"), targets, hidden.astype("float32")


def char_streams(ids, streams, window):
    """Next-character pairs from one long text, cut into ``streams`` parallel streams and
    ordered for a ``stateful=True`` model (truncated BPTT, notebook 03).

    The text is cut into ``streams`` equal consecutive pieces, each a whole number of windows
    long (the tail that does not fill one is left out); ``inputs`` are the ids, ``targets`` the
    ids one step later. Both have shape ``(windows * streams, window)``: window 0 of every
    stream, then window 1 of every stream, ..., so that ``model.fit(..., batch_size=streams,
    shuffle=False)`` gives row ``j`` of each batch the continuation of stream ``j``.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or ids.dtype.kind not in "iu":
        raise ValueError(
            f"ids must be a 1-D integer array, got shape {ids.shape} and dtype {ids.dtype}"
        )
    _int32_ids("ids", ids)
    streams = checks.integer("streams", streams, minimum=1)
    window = checks.integer("window", window, minimum=1)
    per_stream = (len(ids) - 1) // (streams * window) * window
    if per_stream == 0:
        raise ValueError(
            f"a text of {len(ids)} ids is too short for {streams} streams of at least one "
            f"window of {window} (it needs {streams * window + 1})"
        )
    from rnnbook.training import stream_windows  # the same ordering, for any stream

    n = streams * per_stream

    def ordered(values):
        return stream_windows(values.reshape(streams, per_stream, 1), window)[..., 0].astype(
            "int32"
        )

    return ordered(ids[:n]), ordered(ids[1 : n + 1])
