"""Small helpers the test files share (tests/ is on sys.path under pytest)."""

import numpy as np
import pytest
from keras import ops


def check(call, error, words):
    """``call()`` raises ``error`` with a one-line message matching ``words``."""
    with pytest.raises(error, match=words) as refused:
        call()
    assert "\n" not in str(refused.value), "a message is one line"


def numpy(x):
    """A tensor (or array) as a NumPy array."""
    return np.asarray(ops.convert_to_numpy(x))
