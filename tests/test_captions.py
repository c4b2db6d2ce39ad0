"""The captioning tools of notebook 07: vocabulary, teacher forcing, the model, BLEU, real data."""

import keras
import numpy as np
import pytest
from PIL import Image

from rnnbook import captions
from rnnbook.cells import LSTMCell


def test_vocabulary_encodes_decodes_and_marks_unknown_words():
    vocabulary = captions.CaptionVocabulary(["A red circle", "a blue square"])
    assert (
        vocabulary.words[:4] == ["<pad>", "<start>", "<end>", "<unk>"] and len(vocabulary) == 4 + 5
    )
    ids = vocabulary.encode("a red square")
    assert ids[-1] == vocabulary.end and vocabulary.decode(ids) == ["a", "red", "square"]
    assert vocabulary.decode(vocabulary.encode("a green square")) == ["a", "<unk>", "square"]
    with pytest.raises(ValueError, match="at least one word"):
        captions.CaptionVocabulary(["", "!!"])


def test_teacher_forcing_shifts_each_caption_behind_start():
    vocabulary = captions.CaptionVocabulary(["a red circle", "a circle"])
    images = np.arange(2 * 4).reshape(2, 2, 2, 1)
    x, inputs, targets, weights = captions.teacher_forcing_pairs(
        images, [["a red circle", "a circle"], "a circle"], vocabulary, length=5
    )
    assert len(x) == 3 and np.array_equal(x[1], images[0]) and np.array_equal(x[2], images[1])
    assert vocabulary.decode(targets[0]) == ["a", "red", "circle"]
    assert inputs[0, 0] == vocabulary.start and np.array_equal(inputs[0, 1:], targets[0, :-1])
    assert weights[0].tolist() == [1, 1, 1, 1, 0]
    with pytest.raises(ValueError, match="needs length >= 4"):
        captions.teacher_forcing_pairs(images[:1], ["a red circle"], vocabulary, length=3)


@pytest.mark.parametrize("build", [captions.initial_state_captioner, captions.show_and_tell])
@pytest.mark.parametrize("book_cell", [False, True])
def test_step_model_continues_what_the_training_model_computes(book_cell, build):
    keras.utils.set_random_seed(0)
    train, encoder, step = build(
        (8, 8, 3), vocabulary_size=7, units=5, cell=LSTMCell(5) if book_cell else None
    )
    images = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
    words = np.array([[1, 4, 5], [1, 6, 3]], "int32")
    whole = keras.ops.convert_to_numpy(train([images, words]))
    h, c = (keras.ops.convert_to_numpy(s) for s in encoder(images))
    for t in range(3):
        p, h, c = (keras.ops.convert_to_numpy(v) for v in step([words[:, t : t + 1], h, c]))
        assert np.allclose(p, whole[:, t], atol=1e-6)


def test_show_and_tell_reads_the_image_as_the_first_input_from_a_zero_state():
    # Vinyals et al. (2015): the LSTM reads x_{-1} = v A_x, then the words; the first output is dropped
    keras.utils.set_random_seed(0)
    train, encoder, _ = captions.show_and_tell((8, 8, 3), 7, units=5, embedding=4)
    images = np.random.default_rng(2).random((2, 8, 8, 3)).astype("float32")
    words = np.array([[1, 4, 5], [1, 6, 3]], "int32")
    first_input = keras.Model(encoder.input, encoder.get_layer("image_as_first_input").output)(
        images
    )
    sequence = keras.ops.concatenate(
        [first_input[:, None], train.get_layer("embedding")(words)], axis=1
    )
    outputs = train.get_layer("decoder")(sequence)[0][:, 1:]  # from a zero state
    by_hand = keras.ops.convert_to_numpy(train.get_layer("next_word")(outputs))
    assert np.allclose(by_hand, keras.ops.convert_to_numpy(train([images, words])), atol=1e-6)
    names = {layer.name for layer in encoder.layers}
    assert "initial_h" not in names and "initial_c" not in names  # nothing writes the state
    _, other, _ = captions.initial_state_captioner((8, 8, 3), 7, units=5, embedding=4)
    assert {"initial_h", "initial_c"} <= {layer.name for layer in other.layers}


@pytest.mark.parametrize("build", [captions.initial_state_captioner, captions.show_and_tell])
def test_book_cell_decoder_equals_the_builtin_after_weight_transfer(build):
    keras.utils.set_random_seed(0)
    builtin, _, _ = build((8, 8, 3), 7, units=5)
    book, _, _ = build((8, 8, 3), 7, units=5, cell=LSTMCell(5))
    book.set_weights(builtin.get_weights())
    images = np.random.default_rng(1).random((2, 8, 8, 3)).astype("float32")
    words = np.array([[1, 4, 5], [1, 6, 3]], "int32")
    difference = np.max(
        np.abs(keras.ops.convert_to_numpy(book([images, words]) - builtin([images, words])))
    )
    assert difference < 1e-5


def test_bleu_is_one_for_a_reference_and_lower_for_a_wrong_word():
    references = [
        [
            "a small red circle left of a large blue square",
            "a large blue square right of a small red circle",
        ]
    ]
    assert (
        captions.bleu_scores(references, ["a large blue square right of a small red circle"])[
            "BLEU-4"
        ]
        == 1.0
    )
    wrong = captions.bleu_scores(references, ["a large blue square right of a small red triangle"])
    assert 0.5 < wrong["BLEU-4"] < wrong["BLEU-1"] < 1.0
    with pytest.raises(ValueError, match="must be non-empty and match"):
        captions.bleu_scores(references, [])


def test_a_flickr8k_style_folder_loads(tmp_path):
    (tmp_path / "Images").mkdir()
    for name, colour in [("one.jpg", (255, 0, 0)), ("two.png", (0, 0, 255))]:
        Image.new("RGB", (40, 30), colour).save(tmp_path / "Images" / name)
    (tmp_path / "captions.txt").write_text(
        "one.jpg#0\tA red picture.\none.jpg#1\tSomething red\ntwo.png#0\tA blue one\n",
        encoding="utf-8",
    )
    images, texts = captions.load_caption_folder(tmp_path, size=(16, 16))
    assert images.shape == (2, 16, 16, 3) and images.dtype == np.float32
    assert np.allclose(images[0, 0, 0], [255, 0, 0], atol=2) and texts == [
        ["A red picture.", "Something red"],
        ["A blue one"],
    ]
    (tmp_path / "captions.txt").write_text("image,caption\nmissing.jpg,a cat\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="missing.jpg"):
        captions.load_caption_folder(tmp_path)
    with pytest.raises(FileNotFoundError, match="no captions file"):
        captions.load_caption_folder(tmp_path / "nowhere")
