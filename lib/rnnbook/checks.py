"""Argument checks of the library's public functions, in one place and one style.

Each check returns the value (converted where that is safe: a NumPy int to ``int``, an
array-like to an array) or raises ``TypeError`` (the wrong kind of thing) or ``ValueError``
(the right kind, a wrong value) with a message that names the argument, says what was
expected and shows what came.
"""

import math
import numbers
import os

import numpy as np

__all__ = [
    "allocation",
    "array",
    "boolean",
    "function",
    "identifiers",
    "integer",
    "integers",
    "one_of",
    "probabilities",
    "real",
    "shown",
    "string",
    "strings",
]


def shown(value, width=60):
    """``repr(value)`` on one line, cut to ``width`` characters: what a message shows of a
    value that came."""
    text = " ".join(repr(value).split())
    return text if len(text) <= width else text[: width - 3] + "..."


_shown = shown


def integer(name, value, minimum=None, maximum=None):
    """An int (NumPy ints too, not bools), in ``[minimum, maximum]`` where these are given."""
    expected = "an int"
    if minimum is not None and maximum is not None:
        expected += f" in [{minimum}, {maximum}]"
    elif minimum is not None:
        expected += f" >= {minimum}"
    elif maximum is not None:
        expected += f" <= {maximum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}, got {_shown(value)} ({type(value).__name__})")
    value = int(value)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def integers(name, value, minimum=1, single=False):
    """A non-empty list of ints >= ``minimum`` from a list, tuple, range or 1-D integer array
    (and from one int where ``single``), each bad entry named (``lags[1]``). A bare int is
    otherwise refused (write ``[n]``), as are a str, a set, an iterator or ``None`` (a set's
    order and an iterator's single pass would be used silently): TypeErrors."""
    whole = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
    if single and whole:
        value = [value]
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if whole and not single:
        raise TypeError(f"{name} must be a list of ints, got the int {value}: write [{value}]")
    if not isinstance(value, (list, tuple, range)):
        raise TypeError(
            f"{name} must be a list of ints >= {minimum}, got {type(value).__name__} {shown(value)}"
        )
    result = [integer(f"{name}[{i}]", v, minimum) for i, v in enumerate(value)]
    if not result:
        raise ValueError(f"{name} must hold at least one int, got {shown(value)}")
    return result


def boolean(name, value):
    """True or False (a NumPy bool too); strings such as ``"False"`` are refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {_shown(value)} ({type(value).__name__})"
        )
    return bool(value)


def real(name, value, positive=False, minimum=None):
    """A finite real number (not a bool); ``positive`` asks for > 0, ``minimum`` for >=."""
    expected = "a finite number" + (" > 0" if positive else "")
    expected += f" >= {minimum}" if minimum is not None else ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {expected}, got {_shown(value)} ({type(value).__name__})")
    value = float(value)
    if (
        not math.isfinite(value)
        or (positive and value <= 0)
        or (minimum is not None and value < minimum)
    ):
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def array(name, value, ndim=None, finite=True, dtype="float32"):
    """A non-empty numeric array of ``dtype``; ``ndim`` (an int or a tuple of them) limits its
    number of dimensions; ``finite`` refuses NaN and infinite entries, naming the first."""
    try:
        result = np.asarray(value)
        if result.dtype.kind in "US" or value is None:
            raise TypeError  # text such as '1' is not a number, though NumPy would convert it
        result = result.astype(dtype, copy=False)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be an array of numbers, got {type(value).__name__} {_shown(value)}"
        ) from None
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and result.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must have {wanted} dimension(s), got shape {result.shape}")
    if result.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {result.shape}")
    if finite:
        bad = ~np.isfinite(result)
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            where = first[0] if len(first) == 1 else first
            raise ValueError(
                f"{name} must be finite, got {int(bad.sum())} NaN or infinite value(s), "
                f"the first at index {where}"
            )
    return result


def function(name, value):
    """Something that can be called (a function, a model, a layer)."""
    if not callable(value):
        raise TypeError(
            f"{name} must be callable (a function or a model), got {_shown(value)} "
            f"({type(value).__name__})"
        )
    return value


def string(name, value, empty=True):
    """A str; ``empty=False`` refuses ``""``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {_shown(value)} ({type(value).__name__})")
    if not empty and not value:
        raise ValueError(f"{name} must be a non-empty str, got ''")
    return value


def strings(name, value, empty=False):
    """A list or tuple of str (not one str, whose letters would be taken one by one);
    ``empty=False`` refuses an empty list. Returns a list."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
        raise TypeError(
            f"{name} must be a list of str, got {type(value).__name__} {_shown(value)}"
            + (f" (write [{_shown(value)}] for one)" if isinstance(value, str) else "")
        )
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(
                f"{name}[{index}] must be a str, got {_shown(item)} ({type(item).__name__})"
            )
    if not empty and not value:
        raise ValueError(f"{name} must not be empty, got {_shown(value)}")
    return list(value)


def one_of(name, value, choices):
    """One of ``choices`` (compared with ``==``)."""
    if not any(
        value is choice or (type(value) is type(choice) and value == choice) for choice in choices
    ):
        allowed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {allowed}, got {_shown(value)}")
    return value


def identifiers(name, value, size, ndim=None):
    """An integer array (NumPy ints, or floats that are whole numbers are refused) whose
    entries all lie in ``[0, size)``: token ids for a vocabulary of ``size``."""
    result = np.asarray(value)
    if result.dtype == object or not (
        np.issubdtype(result.dtype, np.integer) or np.issubdtype(result.dtype, np.bool_)
    ):
        raise TypeError(
            f"{name} must be an array of integer ids, got dtype {result.dtype} {_shown(value)}"
        )
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and result.ndim not in allowed:
        wanted = " or ".join(str(n) for n in allowed)
        raise ValueError(f"{name} must have {wanted} dimension(s), got shape {result.shape}")
    if result.size:
        low, high = int(result.min()), int(result.max())
        if low < 0 or high >= size:
            bad = low if low < 0 else high
            raise ValueError(f"{name} must lie in [0, {size}) (the vocabulary), got id {bad}")
    return result


def probabilities(name, value, tolerance=1e-3):
    """A float64 array whose last axis holds probability distributions: finite, >= 0,
    summing to 1 within ``tolerance`` (raw logits and log-probabilities are refused)."""
    result = array(name, value, dtype="float64")
    if (result < 0).any():
        raise ValueError(
            f"{name} must hold probabilities (>= 0, summing to 1), got a negative value "
            f"{result.min():.4g}: pass softmax outputs, not logits or log-probabilities"
        )
    totals = result.sum(axis=-1)
    worst = float(np.max(np.abs(totals - 1.0)))
    if worst > tolerance:
        raise ValueError(
            f"{name} must hold probabilities summing to 1 over the last axis, got sums as far "
            f"as {worst:.3g} from 1: pass softmax outputs, not logits"
        )
    return result


def _memory_bytes():
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return 64 * 2**30


def allocation(name, shape, dtype="float32"):
    """Refuse up front an array of ``shape`` that could not fit in this machine's memory,
    naming the argument that asked for it (``name``) and the size."""
    count = 1
    for extent in shape:
        count *= int(extent)
    needed = count * np.dtype(dtype).itemsize
    available = _memory_bytes()
    if needed > available:
        raise ValueError(
            f"{name} asks for an array of shape {tuple(int(e) for e in shape)} "
            f"({needed / 2**30:.3g} GiB), more than this machine's memory "
            f"({available / 2**30:.3g} GiB): ask for less"
        )
    return needed
