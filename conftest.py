"""Test configuration shared by the unit tests and the notebooks that nbval runs.

Every kernel nbval starts inherits this process' environment, so the quick profile is
set here, once, for all of them.
"""

import os
import sys

import pytest

os.environ["RNNBOOK_PROFILE"] = "quick"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "other_backend: waits for the JAX run (tests/other_backend.py)"
    )


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what will not run
def pytest_collection_modifyitems(config, items):
    """Put the tests that wait for the JAX run last, and start that run now, beside the
    main one (tests/other_backend.py)."""
    waiting = [item for item in items if item.get_closest_marker("other_backend")]
    if not waiting:
        return
    items[:] = [item for item in items if item not in waiting] + waiting
    import other_backend  # tests/ is on sys.path once tests are collected

    names = {item.callspec.params["name"] for item in waiting}
    if other_backend.wanted() and "library" in names:  # the JAX run takes these over
        moved = other_backend.student_tests_moved_here(items)
        if moved:
            config.hook.pytest_deselected(items=moved)
            items[:] = [item for item in items if item not in moved]
    if not config.option.collectonly and other_backend.wanted():
        other_backend.start(names)


def pytest_unconfigure(config):
    """Stop the JAX run if the main run ends first (interrupted, or -x)."""
    other_backend = sys.modules.get("other_backend")
    if other_backend is not None:
        other_backend.stop()
