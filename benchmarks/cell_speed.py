"""Seconds per training epoch of the book's cells against Keras' built-in layers, per backend.

For each backend that is installed (TensorFlow, JAX, PyTorch) it trains, in a fresh process,
``keras.layers.RNN(<book cell>)`` and the built-in layer of the same kind (LSTM, GRU,
SimpleRNN) on the same random data: batch 64, 100 steps, 32 inputs, 128 units, 8 batches an
epoch, one warm-up epoch (tracing, compiling), then the median of 3 timed epochs. It prints one
table: seconds per epoch of each and their ratio (book / built-in), and exits 0.

    python benchmarks/cell_speed.py                 # every installed backend
    python benchmarks/cell_speed.py --backends jax  # one
"""

import argparse
import json
import os
import subprocess
import sys

from rnnbook.steptime import installed_backends

TIME = """
import json, statistics, sys, time
import keras, numpy as np
from rnnbook.cells import GRUCell, LSTMCell, SimpleRecurrentCell
BATCH, STEPS, INPUTS, UNITS, BATCHES = 64, 100, 32, 128, 8
rng = np.random.default_rng(0)
x = rng.normal(size=(BATCH * BATCHES, STEPS, INPUTS)).astype("float32")
y = rng.normal(size=(BATCH * BATCHES, UNITS)).astype("float32")
pairs = {
    "LSTM": (lambda: keras.layers.RNN(LSTMCell(UNITS)), lambda: keras.layers.LSTM(UNITS)),
    "GRU": (lambda: keras.layers.RNN(GRUCell(UNITS)), lambda: keras.layers.GRU(UNITS)),
    "SimpleRNN": (
        lambda: keras.layers.RNN(SimpleRecurrentCell(UNITS)),
        lambda: keras.layers.SimpleRNN(UNITS),
    ),
}
def seconds_per_epoch(make):
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((STEPS, INPUTS)), make()])
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)  # warm-up: tracing, compiling
    times = []
    for _ in range(3):
        start = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
rows = {}
for kind, (book, builtin) in pairs.items():
    rows[kind] = (seconds_per_epoch(book), seconds_per_epoch(builtin))
print("RESULT " + json.dumps(rows))
"""


def measure(backend):
    environment = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="2")
    done = subprocess.run(
        [sys.executable, "-c", TIME], env=environment, capture_output=True, text=True, check=False
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"{backend}: the timing failed:\n{done.stderr[-2000:]}")
    return json.loads(line[len("RESULT ") :])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--backends", nargs="*", choices=["jax", "tensorflow", "torch"], default=None
    )
    args = parser.parse_args(argv)
    backends = args.backends or installed_backends()
    print(f"{'backend':<11} {'layer':<10} {'book s/epoch':>12} {'Keras s/epoch':>13} {'ratio':>6}")
    for backend in backends:
        for kind, (book, builtin) in measure(backend).items():
            print(f"{backend:<11} {kind:<10} {book:>12.3f} {builtin:>13.3f} {book / builtin:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
