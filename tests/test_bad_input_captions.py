"""Bad input to the captioning, scene, data, plot and diagram modules (issue 21): each case
fails up front with a TypeError (wrong kind) or ValueError (wrong value) naming the argument,
and valid input of every reasonable kind (NumPy ints, tuples, float32 arrays) still works."""

import signal

import keras
import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from helpers import check

from rnnbook import captions, data, diagrams, plots
from rnnbook.cells import GRUCell, LSTMCell
from rnnbook.data import scenes

VOCABULARY = captions.CaptionVocabulary(["a red circle", "a blue square"])
IMAGES = np.zeros((2, 8, 8, 3), "float32")
X = np.arange(10.0)
EVERY_PAIR = [(colour, kind) for colour in scenes.COLOURS for kind in scenes.KINDS]


@pytest.fixture(autouse=True)
def _bounded_and_closed():
    """Nothing may loop: every case must answer within 60 s; figures are closed after it."""

    def expired(*_):
        raise TimeoutError("the call did not finish: it loops or works before checking")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    plt.close("all")


# 1. The wrong kind of thing: a TypeError naming the argument.
WRONG_KIND = [
    (lambda: captions.CaptionVocabulary(123), "captions must be a list"),
    (lambda: captions.CaptionVocabulary([1, 2]), r"captions\[0\] must be a str"),
    (lambda: captions.CaptionVocabulary([["a red circle"]]), r"captions\[0\] must be a str"),
    (lambda: VOCABULARY.encode(5), "caption must be a str"),
    (lambda: VOCABULARY.decode("abc"), "ids must be an array of integer ids"),
    (lambda: VOCABULARY.decode([4.0, 5.0]), "ids must be an array of integer ids"),
    (lambda: VOCABULARY.decode(None), "ids must be"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, ["a", "b"], {"a": 1}, 5), "vocabulary must"),
    (lambda: captions.teacher_forcing_pairs(5, ["a"], VOCABULARY, 5), "images must be an array"),
    (lambda: captions.teacher_forcing_pairs(["x", "y"], ["a", "b"], VOCABULARY, 5), "images"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, None, VOCABULARY, 5), "captions must be"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, {0: "a"}, VOCABULARY, 5), "captions must"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, [[1], [2]], VOCABULARY, 5), r"captions\[0\]"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, ["a", "b"], VOCABULARY, 5.0), "length"),
    (lambda: captions.show_and_tell(16, 7, units=4), "image_shape must be a tuple"),
    (lambda: captions.show_and_tell((16.0, 16, 3), 7), r"image_shape\[0\] must be an int"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, cell="lstm"), "cell must be"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, cell=keras.layers.LSTM(4)), "cell"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, encoder="cnn"), "encoder must be"),
    (lambda: captions.initial_state_captioner((8, 8, 3), VOCABULARY), "vocabulary_size"),
    (lambda: captions.bleu_scores(None, ["a"]), "references must be a list"),
    (lambda: captions.bleu_scores([["a b"]], [None]), r"hypotheses\[0\]"),
    (lambda: captions.bleu_scores([[[1, 2]]], [[1, 2]]), r"hypotheses\[0\]\[0\] must be a str"),
    (lambda: captions.load_caption_folder(123), "folder must be a path"),
    (lambda: captions.load_caption_folder(".", None), "captions_file must be"),
    (lambda: captions.load_caption_folder(".", size=8), "size must be a tuple"),
    (lambda: captions.load_caption_folder(".", size=(8.5, 8)), r"size\[0\] must be an int"),
    (lambda: scenes.captioned_scenes(2, held_out=5), "held_out must be a list"),
    (lambda: scenes.captioned_scenes(2, held_out=None), "held_out must be a list"),
    (lambda: scenes.captioned_scenes(2, held_out=["red"]), "held_out must hold"),
    (lambda: scenes.captioned_scenes(2, seed=1.5), "seed must be an int"),
    (lambda: scenes.activity_clips(2, seed="0"), "seed must be an int"),
    (lambda: scenes.draw_shape([[0]], "circle", (1, 1), 1, (1,)), "canvas must be a NumPy"),
    (lambda: scenes.draw_shape(np.zeros((8, 8)), "circle", (4, 4), 2, (1,)), "canvas"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 1)), "circle", "ab", 2, (1,)), "centre"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 3)), "circle", (4, 4), 2, "red"), "colour"),
    (lambda: data.data_file(123), "name must be a str"),
    (lambda: data.pulse_converter(2, seed="a"), "seed must be a NumPy Generator or a seed"),
    (lambda: data.pulse_converter(2, seed=1.5), "seed must be"),
    (lambda: data.runs_of_ones(2, 3, 2, rng=np.random.RandomState(0)), "rng must be a NumPy"),
    (lambda: data.delayed_recall(2, 3, None), "rng must be"),
    (lambda: plots.coloured_text(5, [1.0]), "text must be a str"),
    (lambda: plots.coloured_text("ab", [1.0, 2.0], title=5), "title must be a str"),
    (lambda: plots.coloured_text("ab", [1.0, 2.0], vmin="0"), "vmin must be"),
    (lambda: plots.plot_sequence_predictions(X, X, [X], [5]), r"titles\[0\] must be a str"),
    (lambda: plots.plot_sequence_predictions(X, X, X, ["a"]), "predictions must be a list"),
    (lambda: plots.plot_sequence_predictions(X, X, None, ["a"]), "predictions must be a list"),
    (lambda: plots.plot_sequence_predictions("abc", X, [X], ["a"]), "inputs must be an array"),
    (lambda: plots.plot_sequence_predictions(X, X, [X], ["a"], steps="all"), "steps must be"),
    (lambda: diagrams.draw_time_delay_network(lags=3), "lags must be a list of ints"),
    (lambda: diagrams.draw_time_delay_network(lags=["1"]), r"lags\[0\] must be an int"),
    (lambda: diagrams.draw_unrolled_rnn(steps=True), "steps must be an int"),
    (lambda: diagrams.draw_cnn_lstm_captioner(words=5), "words must be a list of str"),
    (lambda: diagrams.draw_cnn_lstm_captioner(words=[1, 2]), r"words\[0\] must be a str"),
    (lambda: diagrams.draw_skip_lstm_language_model(5), "text must be a str"),
    (lambda: diagrams.draw_skip_lstm_language_model(["a", "b"]), "text must be a str"),
    (lambda: diagrams.draw_recurrence_convolution_attention(dilations=2), "dilations must be"),
    (lambda: diagrams.draw_recurrence_convolution_attention(dilations=None), "dilations"),
    (lambda: diagrams.draw_recurrence_convolution_attention(dilations=np.int64(2)), "dilations"),
]


@pytest.mark.parametrize(("call", "words"), WRONG_KIND)
def test_the_wrong_kind_of_argument_is_a_type_error_naming_it(call, words):
    check(call, TypeError, words)


# 2. The right kind, a wrong value, or arguments that do not fit each other: a ValueError.
WRONG_VALUE = [
    (lambda: VOCABULARY.decode([-1]), r"ids must lie in \[0, 9\)"),
    (lambda: VOCABULARY.decode([4, 2, 100]), "ids must lie in"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, ["a red circle"], VOCABULARY, 5), "captions"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, [[], []], VOCABULARY, 5), r"captions\[0\]"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, ["a", []], VOCABULARY, 5), r"captions\[1\]"),
    (lambda: captions.teacher_forcing_pairs(IMAGES[:0], [], VOCABULARY, 5), "images"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, ["a", "b"], VOCABULARY, 1), "length"),
    (lambda: captions.show_and_tell((16, 16), 7, units=4), r"image_shape must be \(height"),
    (lambda: captions.initial_state_captioner((16, 16), 7, units=4), "image_shape"),
    (lambda: captions.show_and_tell((2, 2, 3), 7, units=4), "height and width >= 4"),
    (lambda: captions.show_and_tell((16, 16, 0), 7, units=4), r"image_shape\[2\]"),
    (lambda: captions.show_and_tell((), 7, encoder=lambda x: x), "image_shape must hold"),
    (lambda: captions.show_and_tell((8, 8, 3), 7, units=16, cell=LSTMCell(8)), "units=16"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, units=16, cell=LSTMCell(8)), "cell"),
    (
        lambda: captions.initial_state_captioner(
            (8, 8, 3), 7, units=8, cell=keras.layers.LSTMCell(4)
        ),
        "cell must be an LSTM cell of units=8",
    ),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, units=4, cell=GRUCell(4)), "cell"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, encoder=lambda x: x), "encoder"),
    (lambda: captions.show_and_tell((8, 8, 3), 7, encoder=lambda x: x), "encoder must map"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 1), "vocabulary_size"),
    (lambda: captions.bleu_scores([["a"]], ["a", "b"]), "references and hypotheses"),
    (lambda: captions.bleu_scores([], []), "references and hypotheses must be non-empty"),
    (lambda: captions.bleu_scores([[]], ["a b c d"]), r"references\[0\] must hold at least one"),
    (lambda: captions.load_caption_folder(".", size=(8,)), "size must hold 2"),
    (lambda: captions.load_caption_folder(".", size=(0, 8)), r"size\[0\]"),
    (lambda: scenes.captioned_scenes(2, held_out=[("purple", "circle")]), "held_out must hold"),
    (lambda: scenes.captioned_scenes(2, noise=float("nan")), "noise"),
    (lambda: scenes.activity_clips(2, frames=1), "frames"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 1)), "circle", (4, 4), -2, (1,)), "radius"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 1)), "circle", (4, 4), np.nan, (1,)), "radius"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 1)), "circle", (4,), 2, (1,)), "centre"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 3)), "circle", (4, 4), 2, (1, 0)), "colour must"),
    (lambda: scenes.draw_shape(np.zeros((8, 8, 1)), "circle", (4, 4), 2, (np.nan,)), "colour"),
    (lambda: data.data_file(""), "name must be a non-empty str"),
    (lambda: data.data_file("../pyproject.toml"), "not one of the book's data files"),
    (lambda: data.pulse_converter(2, seed=-1), "seed must be an int >= 0"),
    (lambda: data.runs_of_ones(2, 3, 5), "run must be at most length"),
    (lambda: data.delayed_recall(2, 20), "delay must be shorter than length"),
    (lambda: data.lagged_windows(np.zeros((20, 2)), [1]), "series must have 1 dimension"),
    (lambda: data.lagged_windows([], [1]), "series must not be empty"),
    (lambda: plots.coloured_text("", []), "text must be a non-empty str"),
    (lambda: plots.coloured_text("ab", [1.0]), "values must have one number per character"),
    (lambda: plots.coloured_text("ab", [1.0, 2.0], cmap="nope"), "cmap must be"),
    (lambda: plots.coloured_text("ab", [1.0, 2.0], cmap=5), "cmap must be"),
    (lambda: plots.coloured_text("ab", [1.0, 2.0], vmin=5, vmax=1), "vmax must be greater"),
    (lambda: plots.coloured_text("ab", [1.0, 2.0], vmin=1, vmax=1), "vmax must be greater"),
    (lambda: plots.plot_sequence_predictions(X, X, [], []), "titles must not be empty"),
    (lambda: plots.plot_sequence_predictions([], [], [[]], ["a"]), "inputs must not be empty"),
    (lambda: plots.plot_sequence_predictions(X, X[:5], [X], ["a"]), "targets has 5 steps"),
    (lambda: plots.plot_sequence_predictions(X, X, [X[:3]], ["a"]), r"predictions\[0\] has 3"),
    (lambda: plots.plot_sequence_predictions(X, X, [X], ["a"], steps=0), "steps must be"),
    (lambda: diagrams.draw_time_delay_network(lags=[]), "lags must hold at least one"),
    (lambda: diagrams.draw_time_delay_network(lags=[1, 1]), "lags must not repeat"),
    (lambda: diagrams.draw_time_delay_network(lags=[0]), r"lags\[0\] must be an int >= 1"),
    (lambda: diagrams.draw_cnn_lstm_captioner(words=[]), "words must not be empty"),
    (lambda: diagrams.draw_skip_lstm_language_model("a"), "text must be a str of at least 2"),
    (lambda: diagrams.draw_recurrence_convolution_attention(dilations=[]), "dilations must hold"),
    (lambda: diagrams.draw_recurrence_convolution_attention(dilations=[0]), r"dilations\[0\]"),
]


@pytest.mark.parametrize(("call", "words"), WRONG_VALUE)
def test_a_wrong_value_is_a_value_error_naming_the_argument(call, words):
    check(call, ValueError, words)


# 3. What used to pass silently with a wrong result: a bare str where a list is meant (taken
#    letter by letter), a non-bool flag taken as true, colours cut to whole numbers.
SILENTLY_WRONG = [
    (
        lambda: scenes.draw_shape(np.zeros((8, 8, 3), "uint8"), "circle", (4, 4), 2, (300, 0, 0)),
        ValueError,
        r"colour must fit the canvas's dtype uint8 \(\[0, 255\]\)",
    ),
    (
        lambda: scenes.draw_shape(np.zeros((8, 8, 3), "uint8"), "circle", (4, 4), 2, (-1, 0, 0)),
        ValueError,
        "colour must fit",
    ),
    (
        lambda: scenes.draw_shape(
            np.zeros((8, 8, 3), "float32"), "square", (4, 4), 2, (1e300,) * 3
        ),
        ValueError,
        "colour must fit the canvas's dtype float32",
    ),
    (
        lambda: plots.coloured_text("ab", [1, 2], vmin=5),
        ValueError,
        r"the largest value \(vmax not given\) must be greater than vmin",
    ),
    (
        lambda: scenes.captioned_scenes(4, held_out=[{"red", "circle"}]),
        TypeError,
        r"held_out must hold \(colour, kind\) pairs",
    ),
    (
        lambda: captions.CaptionVocabulary("a red circle"),
        TypeError,
        "captions must be a list.*write",
    ),
    (
        lambda: captions.bleu_scores(["a red circle"], ["a red circle"]),
        TypeError,
        r"references\[0\] must be a list of the reference captions.*write \['a red circle'\]",
    ),
    (lambda: captions.bleu_scores([["a"]], "a"), TypeError, "hypotheses must be a list"),
    (
        lambda: captions.teacher_forcing_pairs(IMAGES[:1], "a red circle", VOCABULARY, 5),
        TypeError,
        "captions must be a list",
    ),
    (
        lambda: captions.teacher_forcing_pairs(np.full((2, 3), np.nan), ["a", "b"], VOCABULARY, 5),
        ValueError,
        "images must be finite",
    ),
    (
        lambda: scenes.captioned_scenes(2, held_out=("red", "triangle")),
        TypeError,
        r"held_out must be a list of \(colour, kind\) pairs.*write \[\('red', 'triangle'\)\]",
    ),
    (lambda: scenes.captioned_scenes(2, held_out="red"), TypeError, "held_out must be a list"),
    (
        lambda: scenes.captioned_scenes(2, held_out=[("red", "circle")], only_held_out="no"),
        TypeError,
        "only_held_out must be True or False",
    ),
    (
        lambda: scenes.draw_shape(np.zeros((8, 8, 1), int), "circle", (4, 4), 2, (0.5,)),
        ValueError,
        "colour .* would be cut to whole numbers",
    ),
    (
        lambda: data.pulse_converter(4, min_gap=150),
        ValueError,
        "length 160 is too short .* min_gap 150",
    ),
    (
        lambda: plots.plot_sequence_predictions(X, X, [X, X, X], "abc"),
        TypeError,
        "titles must be a list of str",
    ),
    (
        lambda: plots.plot_sequence_predictions(np.zeros((2, 5)), X, [X], ["a"]),
        ValueError,
        r"inputs must be one sequence \(1-D\), got shape \(2, 5\)",
    ),
    (
        lambda: diagrams.draw_cnn_lstm_captioner(words="a red circle"),
        TypeError,
        "words must be a list of str",
    ),
    (
        lambda: diagrams.draw_time_delay_network(lags="123"),
        TypeError,
        "lags must be a list of ints",
    ),
]


@pytest.mark.parametrize(("call", "error", "words"), SILENTLY_WRONG)
def test_what_was_silently_wrong_is_refused(call, error, words):
    check(call, error, words)


# 4. Sizes that cannot be allocated, and requests that cannot be met, are refused at once
#    (the fixture's alarm fails a case that loops or starts the work).
TOO_LARGE_OR_IMPOSSIBLE = [
    (lambda: scenes.captioned_scenes(10**6, size=224), "n and size asks for .* GiB"),
    (lambda: scenes.captioned_scenes(1, size=10**6), "n and size asks for"),
    (lambda: scenes.captioned_scenes(2, held_out=EVERY_PAIR), "held_out must leave at least 2"),
    (lambda: scenes.captioned_scenes(2, held_out=EVERY_PAIR[1:]), "it leaves 1"),
    (lambda: scenes.activity_clips(10**6), "n, frames and size asks for"),
    (lambda: scenes.activity_clips(1, frames=10**9), "n, frames and size asks for"),
    (lambda: captions.teacher_forcing_pairs(IMAGES, ["a", "b"], VOCABULARY, 10**10), "length"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 7, units=10**6), "units asks for"),
    (lambda: captions.initial_state_captioner((8, 8, 3), 10**10), "vocabulary_size asks for"),
    (lambda: captions.show_and_tell((10**5, 10**5, 3), 7), "image_shape asks for"),
    (lambda: captions.load_caption_folder("/nonexistent-rnnbook"), "no such folder"),
    (lambda: data.pulse_converter(4, length=10**12), "n_sequences and length asks for"),
    (lambda: data.pulse_converter(10**12), "n_sequences and length asks for"),
    (lambda: data.pulse_converter(4, min_gap=2**62), "too short"),
    (lambda: data.runs_of_ones(10**12, 20, 3), "n and length asks for"),
    (lambda: data.runs_of_ones(1000, 10**5, 5 * 10**4), "n, length and run asks for"),
    (lambda: data.delayed_recall(10**12, 3), "n and length asks for"),
    (lambda: data.delayed_recall(2, 3, length=10**12), "n and length asks for"),
    (lambda: plots.plot_sequence_predictions(X, X, [X] * 1000, ["a"] * 1000), "titles must ask"),
    (lambda: diagrams.draw_unrolled_rnn(steps=10**5), "steps must be at most 50"),
    (lambda: diagrams.draw_bidirectional_rnn(steps=10**5), "steps must be at most 50"),
    (lambda: diagrams.draw_time_delay_network(hidden=10**6), "hidden must be at most 50"),
    (lambda: diagrams.draw_time_delay_network(lags=range(1, 2001)), "number of lags"),
    (lambda: diagrams.draw_cnn_lstm_captioner(words=["a"] * 10**4), "number of words"),
    (lambda: diagrams.draw_skip_lstm_language_model("a" * 10**4), "length of text"),
    (lambda: diagrams.draw_recurrence_convolution_attention(steps=5000), "steps must be at"),
    (lambda: diagrams.draw_recurrence_convolution_attention(dilations=[1] * 5000), "dilations"),
]


@pytest.mark.parametrize(("call", "words"), TOO_LARGE_OR_IMPOSSIBLE)
def test_what_cannot_be_done_is_refused_up_front(call, words):
    check(call, (ValueError, FileNotFoundError), words)


# 5. Honest errors from the real cause: the damaged file is named.
def _folder(tmp_path, listing, image=b""):
    (tmp_path / "Images").mkdir()
    Image.fromarray(np.zeros((10, 10, 3), "uint8")).save(tmp_path / "Images" / "good.jpg")
    (tmp_path / "Images" / "bad.jpg").write_bytes(image or b"not an image")
    (tmp_path / "captions.txt").write_bytes(listing)
    return tmp_path


HONEST = [
    (b"image,caption\ngood.jpg,a red circle\nbad.jpg,a blue square\n", "bad.jpg is not an image"),
    (b"\xff\xfe\x00bad", "captions.txt is not a UTF-8 text file"),
    (b"image,caption\n../outside.jpg,a red circle\n", "line 2: expected an image name inside"),
    (b"image,caption\n,a red circle\n", "line 2: expected an image name"),
    (b"image,caption\ngood.jpg,\n", "line 2: .*non-empty caption"),
]


@pytest.mark.parametrize(("listing", "words"), HONEST)
def test_a_bad_caption_folder_names_the_file_or_line_at_fault(tmp_path, listing, words):
    folder = _folder(tmp_path, listing)
    check(lambda: captions.load_caption_folder(folder, size=(8, 8)), ValueError, words)


def test_a_truncated_image_is_named(tmp_path):
    whole = tmp_path / "whole.jpg"
    Image.fromarray(np.full((64, 64, 3), 100, "uint8")).save(whole)
    folder = _folder(tmp_path, b"image,caption\nbad.jpg,a red circle\n", whole.read_bytes()[:400])
    check(lambda: captions.load_caption_folder(folder, size=(8, 8)), ValueError, "bad.jpg")


def test_a_folder_that_is_a_file_is_said_to_be_no_folder(tmp_path):
    (tmp_path / "file").write_text("x")
    check(
        lambda: captions.load_caption_folder(tmp_path / "file"), FileNotFoundError, "not a folder"
    )


# 6. Valid input of every reasonable kind still works as before.
def test_valid_input_of_every_kind_still_works(tmp_path):
    assert len(captions.CaptionVocabulary(("a b",))) == 6
    assert len(captions.CaptionVocabulary(c for c in ["a b"])) == 6
    assert len(captions.CaptionVocabulary(np.array(["a b"]))) == 6
    assert VOCABULARY.decode(np.array([[4, 5], [6, 2]])) == ["a", "blue", "circle"]
    assert VOCABULARY.decode(np.int64(4)) == ["a"]
    x, inputs, targets, weights = captions.teacher_forcing_pairs(
        np.zeros((2, 2, 2, 1), "uint8"), ("a red", ["a", "blue square"]), VOCABULARY, np.int64(5)
    )
    assert x.dtype == np.uint8 and x.shape == (3, 2, 2, 1) and targets.shape == (3, 5)
    assert inputs[0, 0] == VOCABULARY.start and weights.dtype == np.float32
    shape = np.zeros((1, 8, 8, 3)).shape[1:]
    assert captions.show_and_tell(shape, np.int64(7), units=np.int32(4))[0].name == "show_and_tell"
    model = captions.initial_state_captioner(
        np.array([8, 8, 3]), 7, units=4, cell=keras.layers.LSTMCell(4)
    )[0]
    assert model.name == "initial_state_captioner"
    features = captions.initial_state_captioner((10,), 7, units=4, encoder=keras.layers.Dense(6))
    assert features[2].name == "decoder_step"
    assert captions.bleu_scores((("a red circle is",),), ("a red circle is",))["BLEU-4"] == 1.0
    same = captions.bleu_scores(np.array([["a red circle is"]]), [["a", "red", "circle", "is"]])
    assert same["BLEU-4"] == 1.0
    folder = _folder(tmp_path, b"image,caption\ngood.jpg,a red circle\n")
    images, texts = captions.load_caption_folder(str(folder), size=[np.int64(8), 8])
    assert images.shape == (1, 8, 8, 3) and texts == [["a red circle"]]
    images, _ = scenes.captioned_scenes(np.int64(2), size=np.int32(16), held_out=EVERY_PAIR[2:])
    assert images.shape == (2, 16, 16, 3)
    _, found = scenes.captioned_scenes(
        3, held_out=np.array([("red", "circle")]), only_held_out=True
    )
    assert all("red circle" in references[0] for references in found)
    assert scenes.draw_shape(np.zeros((8, 8, 1), "uint8"), "square", (4, 4), 2, (255,)).max() == 255
    assert scenes.draw_shape(np.zeros((8, 8, 1), "float32"), "circle", [4, 4], 0, [1]).sum() >= 0
    assert data.pulse_converter(2, length=24, max_width=20, seed=np.random.default_rng(0))[0].any()
    assert data.start_spikes_to_pulses([1e30, 0.0], 3).tolist() == [0.0, 1.0]
    assert data.delayed_recall(2, 3, np.int64(1))[0].shape == (2, 20, 1)
    values = np.float32([0.0, 1.0])
    assert "span" in plots.coloured_text("ab", values, cmap=matplotlib.colormaps["viridis"]).data
    assert "span" in plots.coloured_text("ab", values, title="t", vmin=np.float32(0), vmax=1).data
    column = X[:, None].astype("float32")
    assert plots.plot_sequence_predictions(X[None, :, None], column, np.stack([X, X]), ("a", "b"))
    assert plots.plot_sequence_predictions(X, X, [X * np.nan], ["diverged"], steps=np.int64(4))
    assert diagrams.draw_time_delay_network(lags=np.array([1, 2]), hidden=np.int64(3))
    assert diagrams.draw_recurrence_convolution_attention(steps=12, dilations=(1, 2))
    assert diagrams.draw_cnn_lstm_captioner(words=("a", "small", "red", "circle"))
    assert diagrams.draw_unrolled_rnn(steps=50, window=100)


def test_a_radius_past_the_canvas_paints_all_of_it_without_overflow():
    canvas = np.zeros((8, 8, 3))
    scenes.draw_shape(canvas, "circle", (4, 4), 1e300, (1, 0, 0))
    assert canvas[..., 0].min() == 1.0
