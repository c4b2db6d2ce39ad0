"""The GPU check: the book on a machine that has JAX and CUDA but no TensorFlow.

Two steps. Here, where TensorFlow is installed, ``prepare`` writes the folder ``.gpu/``
(ignored by git): the wheels that machine lacks for Python 3.12 (Keras and the two of its
requirements that are not there) and notebook 08's corpus, the C++ headers of the TensorFlow
wheel, which that machine cannot read from a wheel it does not have (xz-compressed JSON). There,
``run`` installs nothing itself; the command below installs the wheels and the project with
``--no-deps``, then times, on the JAX backend:

1. the book's cells against Keras' built-in layers (``cell_speed.py``: seconds per epoch and
   their ratio), on the GPU;
2. notebook 08's ``large`` profile (two layers of 1,024 LSTM units, 128 streams, windows of
   100 characters, the whole training split) for a fixed time budget, then the validation
   bits per character from zero states.

    python benchmarks/gpu_check.py prepare
    # on the GPU machine, in the repository (the device tool carries .gpu):
    python3 -m pip install -q --no-index --no-deps --target /tmp/site .gpu/*.whl
    python3 -m pip install -q --no-index --no-deps --no-build-isolation --target /tmp/site .
    PYTHONPATH=/tmp/site KERAS_BACKEND=jax python3 benchmarks/gpu_check.py run --seconds 480

``run`` prints a table and a last line ``RESULT {json}``; it exits 0, or 1 if a step failed.
"""

import argparse
import json
import lzma
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import keras

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / ".gpu"
CORPUS = "headers.json.xz"
#: Keras and what it needs beyond the GPU machine's image (see the device tool's KINDS.md).
WHEELS = ("keras", "namex", "optree")
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64")


def prepare():
    """Write ``.gpu/``: the wheels for Python 3.12 and notebook 08's corpus."""
    from importlib.metadata import version

    from rnnbook.data.code import tensorflow_headers

    FOLDER.mkdir(exist_ok=True)
    pins = [f"{name}=={version(name)}" for name in WHEELS]
    platforms = [option for p in PLATFORMS for option in ("--platform", p)]
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
         "--python-version", "3.12", "--implementation", "cp", *platforms, "-d", str(FOLDER),
         *pins],
        check=True,
    )  # fmt: skip
    written = {p: t for p, t in tensorflow_headers().items() if not p.endswith(".pb.h")}
    with lzma.open(FOLDER / CORPUS, "wt", encoding="utf-8") as file:
        json.dump(written, file)
    size = sum(f.stat().st_size for f in FOLDER.iterdir()) / 2**20
    print(f"wrote {FOLDER}: {', '.join(pins)} and {len(written)} headers; {size:.1f} MiB in all")


def cell_speed():
    """The book's cells against Keras' layers on this machine's JAX (cell_speed.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import cell_speed

    return cell_speed.measure("jax")


def character_model(seconds, units, characters):
    """Notebook 08's large profile for ``seconds`` of training; the validation bits per
    character, from zero states, of the weights it ends with."""
    from rnnbook.data.text import CharVocabulary, char_streams, split_by_topic
    from rnnbook.models import skip_lstm_language_model
    from rnnbook.training import CarryStates, TimeBudget, reset_states

    with lzma.open(FOLDER / CORPUS, "rt", encoding="utf-8") as file:
        written = json.load(file)
    splits = split_by_topic(written, (0.9, 0.05, 0.05), seed=0)
    vocabulary = CharVocabulary.from_text(splits.train)
    train_text = splits.train[:characters] if characters else splits.train
    streams, window = 128, 100
    x, y = char_streams(vocabulary.encode(train_text), streams, window)
    xv, yv = char_streams(vocabulary.encode(splits.validation, allow_unknown=True), streams, window)
    keras.utils.set_random_seed(0)
    model = skip_lstm_language_model(len(vocabulary), units, batch_size=streams, stateful=True)
    model.compile(
        keras.optimizers.Adam(0.002, global_clipnorm=1.0), "sparse_categorical_crossentropy"
    )
    budget = TimeBudget(seconds)
    started = time.perf_counter()
    model.fit(
        x, y, batch_size=streams, epochs=10, shuffle=False, verbose=0,
        callbacks=[CarryStates(), budget],
    )  # fmt: skip
    keras.ops.convert_to_numpy(model.trainable_variables[0])  # waits for the device's queue
    trained = time.perf_counter() - started
    reset_states(model)
    loss = model.evaluate(xv, yv, batch_size=streams, verbose=0)
    per_epoch = len(x) // streams
    return {
        "units": list(units),
        "parameters": model.count_params(),
        "training characters": len(train_text),
        "batches per epoch": per_epoch,
        "batches trained": budget.batches,
        "epochs trained": round(budget.batches / per_epoch, 2),
        "seconds training": round(trained, 1),
        "validation bits per character": round(loss / math.log(2), 4),
    }


def run(seconds, units, characters):
    from rnnbook import runtime

    if keras.backend.backend() != "jax":
        raise SystemExit("run it with KERAS_BACKEND=jax: this is the check of the JAX path")
    import jax

    result = {
        "device": runtime.device_description(),
        "keras": keras.__version__,
        "jax": jax.__version__,
    }
    failed = False
    try:
        speed = cell_speed()
        result["cell speed"] = {k: [round(b, 4), round(k_, 4)] for k, (b, k_) in speed.items()}
        print(f"{'layer':<10} {'book s/epoch':>12} {'Keras s/epoch':>13} {'ratio':>6}")
        for kind, (book, builtin) in speed.items():
            print(f"{kind:<10} {book:>12.3f} {builtin:>13.3f} {book / builtin:>6.2f}")
    except Exception as error:  # noqa: BLE001 - say what failed, go on to the second step
        failed, result["cell speed"] = True, f"failed: {error}"
        print(f"cell speed failed: {error}")
    try:
        result["08 large"] = character_model(seconds, units, characters)
        for name, value in result["08 large"].items():
            print(f"08 large, {name}: {value}")
    except Exception as error:  # noqa: BLE001 - say what failed
        failed, result["08 large"] = True, f"failed: {type(error).__name__}: {error}"
        print(f"08 large failed: {type(error).__name__}: {error}")
    print("RESULT " + json.dumps(result))
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("prepare", help="write .gpu/ here, where TensorFlow is installed")
    check = commands.add_parser("run", help="run the check on the GPU machine (JAX backend)")
    check.add_argument("--seconds", type=int, default=480, help="08's training budget")
    check.add_argument("--units", type=int, nargs="+", default=[1024, 1024])
    check.add_argument(
        "--characters", type=int, default=0, help="train on this many characters (0: all)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if args.command == "prepare":
        prepare()
        return 0
    return run(args.seconds, args.units, args.characters)


if __name__ == "__main__":
    sys.exit(main())
