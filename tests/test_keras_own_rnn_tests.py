"""Keras' own tests of its recurrent layers, run with the book's cells in place of Keras'.

The installed Keras ships its test modules (``keras/src/layers/rnn/{lstm,gru,simple_rnn}_test.py``,
Apache License 2.0, the Keras authors). Each is loaded here under a private name, and its
``layers.LSTM``, ``layers.GRU`` and ``layers.SimpleRNN`` are replaced by
``keras.layers.RNN`` over the book's ``LSTMCell``, ``GRUCell`` and ``SimpleRecurrentCell``, taking the
built-in layers' arguments. Every test of those modules then runs unchanged: golden values,
``go_backwards``, ``unroll``, masking, initial and returned states, statefulness, and the
arguments a Keras user expects (dropout, recurrent dropout, regularizers), serialisation
included. The only tests skipped are those Keras itself marks for another backend.
"""

import importlib.util
import inspect
import pathlib
import types

import keras
import pytest

from rnnbook.cells import GRUCell, LSTMCell, SimpleRecurrentCell

KERAS_RNN_TESTS = pathlib.Path(keras.__file__).parent / "src" / "layers" / "rnn"
# Arguments of the built-in layers that choose an implementation, not a function: the book's
# cells have one implementation, so they are accepted and ignored.
IMPLEMENTATION_ONLY = {"implementation", "use_cudnn"}


def _book_layer(builtin, cell_class):
    """A layer class taking ``builtin``'s arguments that is ``keras.layers.RNN(cell_class(...))``."""
    cell_arguments = set(inspect.signature(cell_class.__init__).parameters) | set(
        inspect.signature(SimpleRecurrentCell.__init__).parameters
    )
    cell_arguments -= {"self", "kwargs"}

    class BookLayer(keras.layers.RNN):
        def __init__(self, units, **kwargs):
            for name in IMPLEMENTATION_ONLY:
                kwargs.pop(name, None)
            cell_kwargs = {k: kwargs.pop(k) for k in list(kwargs) if k in cell_arguments}
            dtype = kwargs.get("dtype")
            super().__init__(cell_class(units, dtype=dtype, **cell_kwargs), **kwargs)

        def get_config(self):
            config = super().get_config()
            cell = config.pop("cell")["config"]
            for key in ("name", "trainable", "dtype"):
                cell.pop(key, None)
            return {**config, **cell}

        @classmethod
        def from_config(cls, config):
            return cls(**config)

    BookLayer.__name__ = BookLayer.__qualname__ = f"Book{builtin}"
    return keras.saving.register_keras_serializable(package="rnnbook_tests")(BookLayer)


SWAPS = {
    "LSTM": _book_layer("LSTM", LSTMCell),
    "GRU": _book_layer("GRU", GRUCell),
    "SimpleRNN": _book_layer("SimpleRNN", SimpleRecurrentCell),
}


def _load_with_book_cells(module_name):
    path = KERAS_RNN_TESTS / f"{module_name}.py"
    if not path.exists():
        pytest.fail(
            f"this Keras ({keras.__version__}) ships no {path}: the test needs its test files"
        )
    spec = importlib.util.spec_from_file_location(f"rnnbook_swapped_{module_name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    real = module.layers
    names = {name: getattr(real, name) for name in dir(real) if not name.startswith("__")}
    module.layers = types.SimpleNamespace(**{**names, **SWAPS})
    return module


# pytest collects these unittest classes and runs every test in them (with Keras' own
# pytest marks honoured: a test Keras runs only on another backend is skipped, as in Keras' CI).
KerasLSTMTestWithBookCells = _load_with_book_cells("lstm_test").LSTMTest
KerasGRUTestWithBookCells = _load_with_book_cells("gru_test").GRUTest
KerasSimpleRNNTestWithBookCells = _load_with_book_cells("simple_rnn_test").SimpleRNNTest


def test_the_swapped_layers_hold_the_books_cells():
    module = _load_with_book_cells("lstm_test")
    layer = module.layers.LSTM(3, dropout=0.5, implementation=1)
    assert isinstance(layer, keras.layers.RNN) and isinstance(layer.cell, LSTMCell)
    assert layer.cell.dropout == 0.5
    assert module.layers.Dense is keras.layers.Dense
