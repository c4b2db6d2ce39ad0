"""The library's unit tests and every notebook (quick profile) pass under JAX too.

The run itself starts in the background once the main run has collected its tests
(``conftest.py``, ``other_backend.py``); these tests come last and wait for it."""

import keras
import other_backend  # tests/ is on sys.path under pytest
import pytest

pytestmark = [
    pytest.mark.other_backend,
    pytest.mark.skipif(
        not other_backend.wanted() or keras.backend.backend() != "tensorflow",
        reason="run from a TensorFlow run where JAX is installed",
    ),
]


@pytest.mark.parametrize("name", list(other_backend.RUNS))
def test_passes_under_jax(name):
    code, output = other_backend.runs()[name].result(timeout=1500)
    print(f"{name} under JAX: {output.splitlines()[-1] if output else 'no output'}")  # pytest -rP
    assert code == 0, f"{name} under JAX: pytest exit code {code}\n{output}"
