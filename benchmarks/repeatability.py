"""How exactly a training run repeats: on one machine, and with other CPU kernels.

Trains notebook 04's inverse-problem LSTM 5 (seed 0, the full profile's data and budget) in
three fresh processes: twice as the notebooks run, once with TensorFlow's oneDNN kernels off
(``TF_ENABLE_ONEDNN_OPTS=0``), a stand-in for a processor on which TensorFlow picks other
kernels. Prints the test NMSE and a hash of the trained weights of each run, and exits 0 if the
first two are identical (1 if not).

    python benchmarks/repeatability.py
"""

import json
import os
import subprocess
import sys

TRAIN = """
import hashlib, json
import numpy as np
from rnnbook import runtime
from rnnbook.cells import LSTMCell
from rnnbook.data import pulse_converter
from rnnbook.models import sequence_regressor
from rnnbook.training import fit_and_score
runtime.setup(seed=0)
data = (*pulse_converter(1000, inverse=True, seed=1), *pulse_converter(300, inverse=True, seed=2))
scored = fit_and_score(lambda: sequence_regressor(LSTMCell, [5]), data, seeds=[0], epochs=20, progress=False)
weights = b"".join(np.asarray(w).tobytes() for w in scored["model"].get_weights())
print("RESULT " + json.dumps({"nmse": float(scored["nmse"][0]), "weights": hashlib.sha256(weights).hexdigest()[:16]}))
"""


def train(onednn):
    environment = dict(
        os.environ, TF_CPP_MIN_LOG_LEVEL="2", TF_ENABLE_ONEDNN_OPTS="1" if onednn else "0"
    )
    done = subprocess.run(
        [sys.executable, "-c", TRAIN], env=environment, capture_output=True, text=True, check=True
    )
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def main():
    runs = [
        ("as the notebooks run", train(True)),
        ("again, a fresh process", train(True)),
        ("oneDNN kernels off", train(False)),
    ]
    for name, run in runs:
        print(f"{name:<24} test NMSE {run['nmse']:.8f}  weights {run['weights']}")
    first, again, other = (run for _, run in runs)
    same = first == again
    print(
        f"repeats on this machine: {'yes, bit for bit' if same else 'NO'}; with other kernels the NMSE moves by "
        f"{abs(other['nmse'] - first['nmse']) / first['nmse']:.2%}"
    )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
