"""Time per training step against sequence length, per backend (notebook 12).

Four models of the same width, each a recurrence or attention over ``(batch, T, inputs)``
with a ``Dense(1)`` read out at every step and the squared error as the loss:

- ``parallel``: :class:`rnnbook.linear.MinGRU` computed by the parallel scan;
- ``sequential``: the same layer stepped in order (``keras.ops.scan``);
- ``lstm``: ``keras.layers.LSTM``;
- ``attention``: a ``Dense`` projection and causal ``keras.layers.MultiHeadAttention``.

A model is built for each length (the parallel scan needs the length known), trained on one
batch to trace and compile it, then timed over ``repeats`` more batches; the fastest is kept
(the least disturbed by other work). Keras chooses its backend once per process, so another
backend than the running one is timed in a fresh Python process (``python -m
rnnbook.steptime``, which prints one line ``RESULT {json}``).
"""

import argparse
import importlib.util
import json
import math
import os
import subprocess
import sys
import time

from rnnbook import checks

__all__ = ["KINDS", "installed_backends", "measure", "seconds_per_step"]

KINDS = ("parallel", "sequential", "lstm", "attention")
_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def installed_backends():
    """The Keras backends whose package is installed here (TensorFlow, JAX, PyTorch)."""
    return [name for name, module in _MODULES.items() if importlib.util.find_spec(module)]


def _check_kinds(kinds):
    if isinstance(kinds, str) or not all(isinstance(k, str) for k in kinds):
        raise TypeError(f"kinds must be a list of names from {list(KINDS)}, got {kinds!r}")
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ValueError(f"kinds must be names from {list(KINDS)}, got {list(kinds)!r}")
    return list(kinds)


def _model(kind, length, width, inputs):
    import keras

    from rnnbook.linear import MinGRU

    x = keras.Input((length, inputs))
    if kind in ("parallel", "sequential"):
        h = MinGRU(width, parallel=kind == "parallel")(x)
    elif kind == "lstm":
        h = keras.layers.LSTM(width, return_sequences=True)(x)
    else:
        q = keras.layers.Dense(width)(x)
        h = keras.layers.MultiHeadAttention(4, max(1, width // 4))(q, q, use_causal_mask=True)
    model = keras.Model(x, keras.layers.Dense(1)(h), name=kind)
    model.compile(keras.optimizers.Adam(1e-3), "mse")
    return model


def seconds_per_step(kind, lengths, width=64, batch_size=8, inputs=8, repeats=3, cap=None, seed=0):
    """Seconds per training step (``train_on_batch``) of the model ``kind`` at each length, on
    the backend this process runs. A length is not timed (``nan``, and no longer one either)
    where the time it is predicted to take passes ``cap`` seconds: the last time measured times
    the square of the ratio of the lengths, attention's growth (memory grows as fast, so this
    also keeps a long attention step from filling the machine's memory). Returns a list, one
    value per length."""
    import logging

    import keras
    import numpy as np

    (kind,) = _check_kinds([kind])
    lengths = [int(n) for n in checks.integers("lengths", lengths)]
    width = checks.integer("width", width, minimum=4)
    batch_size = checks.integer("batch_size", batch_size, minimum=1)
    inputs = checks.integer("inputs", inputs, minimum=1)
    repeats = checks.integer("repeats", repeats, minimum=1)
    if cap is not None:
        cap = checks.real("cap", cap, positive=True)
    rng = np.random.default_rng(checks.integer("seed", seed, minimum=0))
    # a new model per length retraces its step; TensorFlow's warning about that is expected here
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    seconds = []
    for index, length in enumerate(lengths):
        if seconds and cap is not None:
            predicted = seconds[-1] * (length / lengths[index - 1]) ** 2
            if not predicted <= cap:  # also where the last one was not timed (nan)
                seconds.append(math.nan)
                continue
        keras.utils.set_random_seed(0)
        model = _model(kind, length, width, inputs)
        x = rng.normal(size=(batch_size, length, inputs)).astype("float32")
        y = x[..., :1]
        model.train_on_batch(x, y)  # traces and compiles
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            float(model.train_on_batch(x, y))  # the loss as a number: the step has finished
            times.append(time.perf_counter() - started)
        seconds.append(min(times))
    return seconds


def measure(
    lengths,
    kinds=KINDS,
    backend=None,
    width=64,
    batch_size=8,
    inputs=8,
    repeats=3,
    cap=None,
    timeout=1800,
):
    """:func:`seconds_per_step` for each of ``kinds`` on ``backend``: ``{kind: [seconds per
    length]}``. ``backend=None`` or the running backend times in this process; another installed
    backend, in a fresh process (it raises ``RuntimeError`` with that process' last output if it
    fails or runs past ``timeout`` seconds)."""
    import keras

    kinds = _check_kinds(kinds)
    lengths = [int(n) for n in checks.integers("lengths", lengths)]
    settings = {  # checked here too: another backend would only see them in its own process
        "width": checks.integer("width", width, minimum=4),
        "batch_size": checks.integer("batch_size", batch_size, minimum=1),
        "inputs": checks.integer("inputs", inputs, minimum=1),
        "repeats": checks.integer("repeats", repeats, minimum=1),
        "cap": None if cap is None else checks.real("cap", cap, positive=True),
    }
    if backend is None or backend == keras.backend.backend():
        return {kind: seconds_per_step(kind, lengths, **settings) for kind in kinds}
    if not isinstance(backend, str):
        raise TypeError(f"backend must be a name such as 'jax', got {type(backend).__name__}")
    if backend not in installed_backends():
        raise ValueError(
            f"backend must be one installed here, {installed_backends()}, got {backend!r}"
        )
    timeout = checks.real("timeout", timeout, positive=True)
    command = [sys.executable, "-m", "rnnbook.steptime", "--lengths", *map(str, lengths)]
    command += ["--kinds", *kinds]
    for name, value in settings.items():
        if value is not None:
            command += [f"--{name.replace('_', '-')}", str(value)]
    environment = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    try:
        done = subprocess.run(
            command, env=environment, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{backend}: the timing ran past {timeout:.0f} s") from None
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(
            f"{backend}: the timing failed (exit code {done.returncode}):\n{done.stderr[-2000:]}"
        )
    result = json.loads(line[len("RESULT ") :])
    return {kind: [math.nan if v is None else v for v in result[kind]] for kind in kinds}


def main(argv=None):
    """``python -m rnnbook.steptime --lengths 64 256 [--kinds ...]``: one line ``RESULT {json}``
    (``{kind: [seconds per length]}``, ``null`` where not timed) on the backend of
    ``KERAS_BACKEND``; exit 0, 2 for bad arguments, 130 if interrupted."""
    parser = argparse.ArgumentParser(prog="python -m rnnbook.steptime", description=__doc__)
    parser.add_argument("--lengths", type=int, nargs="+", required=True)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--inputs", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cap", type=float, default=None)
    args = parser.parse_args(argv)
    try:
        result = measure(
            args.lengths,
            args.kinds,
            width=args.width,
            batch_size=args.batch_size,
            inputs=args.inputs,
            repeats=args.repeats,
            cap=args.cap,
        )
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (TypeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    clean = {k: [None if math.isnan(v) else v for v in values] for k, values in result.items()}
    print("RESULT " + json.dumps(clean), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
