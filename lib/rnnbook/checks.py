"""Argument checks of the library's public functions, in one place and one style.

Each check returns the value (converted where that is safe: a NumPy int to ``int``, an
array-like to an array) or raises ``TypeError`` (the wrong kind of thing) or ``ValueError``
(the right kind, a wrong value) with a message that names the argument, says what was
expected and shows what came.
"""

import math
import numbers

import numpy as np

__all__ = ["array", "boolean", "integer", "real"]


def _shown(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def integer(name, value, minimum=None):
    """An int (NumPy ints too, not bools), at least ``minimum`` if given."""
    expected = "an int" if minimum is None else f"an int >= {minimum}"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {expected}, got {_shown(value)} ({type(value).__name__})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


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
        result = np.asarray(value, dtype=dtype)
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
