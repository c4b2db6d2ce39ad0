"""What every notebook does first: read the profile, seed, say where it runs, record results.

The profile is read from the environment variable ``RNNBOOK_PROFILE``:

- ``quick``: CI and nbval; every cell runs and every check holds, sizes shrunk (<= 60 s);
- ``full`` (the default): reproduces the book's results on a 2-core CPU (<= 10 min);
- ``large``: seed-scale models for a GPU.

``record(name, value)`` stores a headline figure. When ``python -m rnnbook run``
executes a notebook it points ``RNNBOOK_RESULTS_FILE`` at a file for that notebook and
collects it into ``_build/results.json``; in an interactive session the figure is
printed and kept in :data:`RECORDED`.
"""

import math
import numbers
import os
import platform

import numpy as np

PROFILES = ("quick", "full", "large")
DEFAULT_PROFILE = "full"
PROFILE_VARIABLE = "RNNBOOK_PROFILE"
RESULTS_VARIABLE = "RNNBOOK_RESULTS_FILE"

#: Figures recorded in this Python process, in the order they were recorded.
RECORDED = {}


def check_profile(name):
    """Return ``name`` if it is a profile, else raise ValueError listing the profiles."""
    if not isinstance(name, str):
        raise TypeError(f"profile must be a str, one of {PROFILES}, got {name!r}")
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}: choose one of {', '.join(PROFILES)}")
    return name


def profile():
    """The active profile: ``RNNBOOK_PROFILE`` if set, else ``"full"``."""
    value = os.environ.get(PROFILE_VARIABLE, "").strip() or DEFAULT_PROFILE
    try:
        return check_profile(value)
    except ValueError:
        raise ValueError(
            f"{PROFILE_VARIABLE}={value!r} is not a profile: set it to one of "
            f"{', '.join(PROFILES)} (or unset it for {DEFAULT_PROFILE!r})"
        ) from None


_active_profile = profile  # for functions whose ``profile`` argument hides the function


def by_profile(quick, full, large=None):
    """Pick a setting for the active profile; ``large`` defaults to the ``full`` value.

    >>> epochs = by_profile(quick=20, full=2000)
    """
    return {"quick": quick, "full": full, "large": full if large is None else large}[profile()]


def eager_in_quick():
    """``run_eagerly`` for ``model.compile``: True in the quick profile under TensorFlow, where a
    model trains for a few batches and tracing its graph takes longer than running them eagerly
    (an attention decoder unrolled over its steps: about 3.7 s traced against 2.2 s eager for
    one quick epoch). False otherwise: JAX runs eager ops one by one, slowly."""
    import keras

    return profile() == "quick" and keras.backend.backend() == "tensorflow"


def seed_everything(seed=0):
    """Seed Python's ``random``, NumPy and the Keras backend, and ask TensorFlow for
    deterministic ops, so a notebook run twice prints the same numbers."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    import keras

    keras.utils.set_random_seed(int(seed))
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def device_description():
    """A line naming the accelerator in use, or the CPU and its core count."""
    import keras

    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        if gpus:
            names = []
            for gpu in gpus:
                details = tf.config.experimental.get_device_details(gpu)
                names.append(details.get("device_name", gpu.name))
            return f"GPU: {', '.join(names)}"
    elif keras.backend.backend() == "jax":
        import jax

        accelerators = [d for d in jax.devices() if d.platform in ("gpu", "tpu")]
        if accelerators:
            kind = accelerators[0].platform.upper()
            return f"{kind}: {', '.join(d.device_kind for d in accelerators)}"
    elif keras.backend.backend() == "torch":
        import torch

        if torch.cuda.is_available():
            names = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
            return f"GPU: {', '.join(names)}"
    return f"CPU: {platform.processor() or platform.machine()} ({os.cpu_count()} cores), no GPU"


def computes_float64():
    """Whether Keras computes float64 tensors in float64 here, as on TensorFlow. On JAX it
    does not (JAX keeps float32 unless told otherwise, and Keras 3.15's type promotion maps
    float64 to float32 off TensorFlow); on PyTorch some operations (``tanh``) keep float64 and
    others (``matmul``) do not. A notebook comparing a Keras computation with a float64
    reference picks its tolerance by this."""
    import warnings

    import keras
    import numpy as np

    with warnings.catch_warnings():  # JAX warns that it truncates float64
        warnings.simplefilter("ignore")
        x = keras.ops.convert_to_tensor(np.ones((1, 1)), dtype="float64")
        results = (keras.ops.tanh(x), keras.ops.matmul(x, x))
        return all(keras.backend.standardize_dtype(r.dtype) == "float64" for r in results)


def setup(seed=0, profile=None):
    """The one set-up call of a notebook: pick the profile, seed everything and print
    profile, device and versions. Returns the active profile.

    ``profile=None`` keeps ``RNNBOOK_PROFILE`` (default ``"full"``); naming one here
    (``setup(profile="large")`` on a GPU) sets it for the rest of the notebook.
    """
    import keras

    if profile is not None:
        os.environ[PROFILE_VARIABLE] = check_profile(profile)
    active = _active_profile()
    seed_everything(seed)
    device = device_description()
    print(
        f"profile: {active} | seed: {seed} | keras {keras.__version__} "
        f"({keras.backend.backend()}) | {device}"
    )
    if device.startswith("GPU") and active != "large":
        print(
            'A GPU is here: runtime.setup(seed=..., profile="large") runs the lecture-size models.'
        )
    return active


def _plain(value):
    """A JSON-ready copy of a recorded value (numbers, strings, bools, one-element arrays
    and tensors)."""
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"value must be finite, got {value}")
        return value
    if hasattr(value, "numpy"):  # a backend tensor
        value = value.numpy()
    if hasattr(value, "dtype") and hasattr(value, "shape"):  # NumPy scalars and arrays
        array = np.asarray(value)
        if array.size == 1 and array.dtype.kind in "biuf":
            return _plain(array.item())
        raise TypeError(
            f"value must be a single number, got an array of shape {array.shape} "
            f"and dtype {array.dtype}"
        )
    raise TypeError(f"value must be a number, str or bool, got {type(value).__name__}")


def record(name, value):
    """Store a headline figure of the running notebook, e.g.
    ``record("sunspots.nmse_1921_1955", 0.09)``; returns the stored value.

    Under ``python -m rnnbook run`` the figure goes to the run's private results file of
    this notebook (written atomically), which becomes the notebook's results only when the
    notebook completes."""
    if not isinstance(name, str) or not name.strip():
        raise TypeError(f"name must be a non-empty str, got {name!r}")
    value = _plain(value)
    RECORDED[name] = value
    target = os.environ.get(RESULTS_VARIABLE)
    if target:
        from rnnbook.atomic import read_json, write_json_atomic

        stored = read_json(target)
        stored[name] = value
        write_json_atomic(target, stored)
    print(f"recorded {name} = {value}")
    return value
