"""A model saved by an earlier version of the library still loads and predicts the same.

`data/saved_before_the_move.keras` was saved at commit fd7d93f, before the library was split
into its two halves (issue 22): a character model through every registered class (OneHot,
ElmanCell, SimpleRecurrentCell, SinusoidalPositions, LSTMCell, GRUCell), with its inputs and
predictions in `data/saved_before_the_move.npz`. The classes keep their registered names
(`rnnbook>LSTMCell`, ...), whatever module they live in."""

from pathlib import Path

import keras
import numpy as np

import rnnbook.cells
import rnnbook.models  # noqa: F401 - registers OneHot and SinusoidalPositions

DATA = Path(__file__).parent / "data"


def test_a_keras_file_saved_before_the_move_loads_and_predicts_the_same():
    model = keras.saving.load_model(DATA / "saved_before_the_move.keras")
    saved = np.load(DATA / "saved_before_the_move.npz")
    predicted = model.predict(saved["inputs"], verbose=0)
    np.testing.assert_allclose(predicted, saved["outputs"], rtol=1e-5, atol=1e-6)
    names = {type(layer.cell).__name__ for layer in model.layers if hasattr(layer, "cell")}
    assert names == {"ElmanCell", "SimpleRecurrentCell", "LSTMCell", "GRUCell"}
