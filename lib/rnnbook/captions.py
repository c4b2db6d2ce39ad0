"""Image captioning with a CNN encoder and an LSTM decoder, for notebook 07: the word
vocabulary, teacher-forcing pairs, the model, BLEU, and the path to real data (a
Flickr8k-style folder on disk, never needed by the book).

The model (:func:`initial_state_captioner`) encodes an image into the LSTM's initial state
``[h_0, c_0]`` and trains
the decoder with *teacher forcing*: at step ``t`` it reads the true word ``t - 1`` (``<start>``
first) and predicts word ``t`` (``<end>`` last). At inference it is run one word at a time by
:mod:`rnnbook.decoding`, reading its own previous word.

Whose wiring this is: the image sets the initial state ``h_0`` and ``c_0``, close to CS231n's
captioning assignment (which computes ``h_0`` from the image features and starts from ``c_0 = 0``)
and to Karpathy & Fei-Fei (2015, NeuralTalk), who add the image to the recurrence at the first
step. Show and Tell (Vinyals et al. 2015) joins
the two networks differently: the LSTM starts from a zero state and reads the image's features,
mapped to the size of a word embedding, as its first *input* ``x_{-1}``, before ``<start>``:
:func:`show_and_tell` builds that wiring, with the same encoder, decoder step and decoding.
"""

import os
import re
from pathlib import Path

import keras
import numpy as np

from rnnbook import checks

__all__ = [
    "CaptionVocabulary",
    "bleu_scores",
    "initial_state_captioner",
    "load_caption_folder",
    "show_and_tell",
    "teacher_forcing_pairs",
]

SPECIALS = ("<pad>", "<start>", "<end>", "<unk>")


def _words(caption, name="caption"):
    checks.string(name, caption)
    return re.findall(r"[a-z0-9]+", caption.lower())


def _listed(name, value):
    """A list of the items of ``value`` (a list, tuple, array or generator), refusing one str
    (whose letters would be taken one by one) and things that are not collections."""
    if isinstance(value, (str, bytes)):
        raise TypeError(
            f"{name} must be a list, got the {type(value).__name__} {checks.shown(value)}"
            + (f": write [{checks.shown(value)}] for one" if isinstance(value, str) else "")
        )
    if isinstance(value, dict) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a list, got {type(value).__name__} {checks.shown(value)}")
    return list(value)


def _caption_or_words(name, value):
    """One caption: a str, or a list of words (str); returns its words."""
    if isinstance(value, str):
        return _words(value, name)
    return checks.strings(name, _listed(name, value), empty=True)


def _shape(name, value, size=None):
    """A tuple of ints >= 1 (``size`` of them, where given), such as an image's shape."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a tuple of ints, got {type(value).__name__} {value!r}")
    value = tuple(value)
    if not value or (size is not None and len(value) != size):
        raise ValueError(f"{name} must hold {size or 'at least one'} int(s), got {value!r}")
    return tuple(checks.integer(f"{name}[{i}]", e, minimum=1) for i, e in enumerate(value))


class CaptionVocabulary:
    """Words <-> ids for captions: ``<pad>`` 0, ``<start>`` 1, ``<end>`` 2, ``<unk>`` 3, then
    the words of the captions it was made from, sorted. Captions are lower-cased and split into
    runs of letters and digits."""

    def __init__(self, captions):
        captions = checks.strings("captions", _listed("captions", captions), empty=True)
        words = sorted({w for caption in captions for w in _words(caption)})
        if not words:
            raise ValueError("captions must hold at least one word")
        self.words = list(SPECIALS) + words
        self._ids = {w: i for i, w in enumerate(self.words)}
        self.pad, self.start, self.end, self.unknown = range(4)

    def __len__(self):
        return len(self.words)

    def encode(self, caption):
        """The word ids of ``caption`` followed by ``<end>``; unseen words become ``<unk>``."""
        return [self._ids.get(w, self.unknown) for w in _words(caption)] + [self.end]

    def decode(self, ids):
        """The words of ``ids`` up to the first ``<end>`` (padding and ``<start>`` dropped)."""
        ids = checks.identifiers("ids", ids, len(self))
        words = []
        for i in ids.ravel():
            if i == self.end:
                break
            if i not in (self.pad, self.start):
                words.append(self.words[i])
        return words


def teacher_forcing_pairs(images, captions, vocabulary, length):
    """One training example per (image, caption) pair, for every caption of every image.

    Returns ``(images, decoder_inputs, targets, weights)``: the image repeated for each of its
    captions, the caption shifted right behind ``<start>``, the caption followed by ``<end>``
    (both padded to ``length`` with ``<pad>``), and 1 at real words, 0 at padding (for
    ``sample_weight``). A caption longer than ``length - 1`` words is an error.
    """
    length = checks.integer("length", length, minimum=2)
    if not isinstance(vocabulary, CaptionVocabulary):
        raise TypeError(f"vocabulary must be a CaptionVocabulary, got {type(vocabulary).__name__}")
    images = np.asarray(images)
    if images.ndim == 0 or not (np.issubdtype(images.dtype, np.number) or images.dtype == bool):
        raise TypeError(
            f"images must be an array of numbers, one image per row, got {type(images).__name__} "
            f"of dtype {images.dtype} and shape {images.shape}"
        )
    checks.array("images", images, dtype=images.dtype)  # not empty, no NaN; no copy
    captions = _listed("captions", captions)
    if len(images) != len(captions):
        raise ValueError(
            f"captions must hold one entry (a caption or a list of them) per image: "
            f"{len(images)} image(s), got {len(captions)} entry(ies)"
        )
    captions = [
        [refs]
        if isinstance(refs, str)
        else checks.strings(f"captions[{i}]", _listed(f"captions[{i}]", refs))
        for i, refs in enumerate(captions)
    ]
    count = sum(len(refs) for refs in captions)
    checks.allocation("length", (count, length), "int64")
    checks.allocation("captions", (count, *images.shape[1:]), images.dtype)
    rows, inputs, targets = [], [], []
    for i, references in enumerate(captions):
        for caption in references:
            ids = vocabulary.encode(caption)
            if len(ids) > length:
                raise ValueError(f"caption {caption!r} needs length >= {len(ids)}, got {length}")
            padded = ids + [vocabulary.pad] * (length - len(ids))
            rows.append(i)
            targets.append(padded)
            inputs.append([vocabulary.start] + padded[:-1])
    targets = np.array(targets, "int32")
    return (
        images[rows],
        np.array(inputs, "int32"),
        targets,
        (targets != vocabulary.pad).astype("float32"),
    )


def initial_state_captioner(
    image_shape, vocabulary_size, units=128, embedding=32, encoder=None, cell=None
):
    """A captioner that writes the image into the LSTM's initial state:
    ``(training_model, encoder, step_model)``.

    The wiring is ``v = encoder(image)``, ``h_0 = tanh(v A_h)``, ``c_0 = v A_c``, then the LSTM
    reads the embedded previous word at every step and a softmax gives the next one. This is an
    initial-state variant, close to CS231n's captioning assignment (which sets only ``h_0``) and
    to Karpathy & Fei-Fei 2015, not Show and Tell's own wiring, which :func:`show_and_tell`
    builds.

    ``encoder`` maps an image to a feature vector (default: a small CNN of two convolution
    and pooling stages, flattened so that *where* things are is kept, and a dense layer); two
    dense layers turn the features into the LSTM's initial ``h_0`` and ``c_0``. The training
    model takes ``[images, decoder_inputs]`` and gives a word distribution per step; the encoder
    model takes images and gives the state ``[h, c]`` the words start from; the step model takes
    ``[previous_words (batch, 1), h, c]`` and gives ``[distribution, h, c]``, for
    :func:`rnnbook.decoding.greedy_decode` and :func:`~rnnbook.decoding.beam_search`. ``cell``
    replaces the decoder's ``keras.layers.LSTM`` by ``keras.layers.RNN(cell)`` (e.g. the
    book's ``LSTMCell``); the weights are shared by the three models.
    """
    return _captioner(image_shape, vocabulary_size, units, embedding, encoder, cell, "state")


def show_and_tell(image_shape, vocabulary_size, units=128, embedding=32, encoder=None, cell=None):
    """Show and Tell's captioner (Vinyals et al. 2015): the image is the LSTM's first *input*.
    Returns ``(training_model, encoder, step_model)`` as :func:`initial_state_captioner` does.

    The wiring is ``x_{-1} = v A_x`` (the image's features mapped to the size of a word
    embedding), read by the LSTM from a zero state before ``<start>``; its output at that step
    is not used, and the words follow from the state it leaves. The image passes through the
    same input weights and gates as the words, and no weights write the state directly. The
    encoder model gives that state, ``[h, c]`` after reading ``x_{-1}``, so the step model and
    the decoders are the same as for :func:`initial_state_captioner`.
    """
    return _captioner(image_shape, vocabulary_size, units, embedding, encoder, cell, "input")


def _captioner(image_shape, vocabulary_size, units, embedding, encoder, cell, image_as):
    vocabulary_size = checks.integer("vocabulary_size", vocabulary_size, minimum=2)
    units = checks.integer("units", units, minimum=1)
    embedding = checks.integer("embedding", embedding, minimum=1)
    image_shape = _shape("image_shape", image_shape)
    if encoder is None:  # two convolutions want channels, two 2 x 2 poolings 4 pixels a side
        if len(image_shape) != 3 or min(image_shape[:2]) < 4:
            raise ValueError(
                "image_shape must be (height, width, channels), height and width >= 4, for the "
                f"default encoder, got {image_shape}"
            )
        checks.allocation("image_shape", (image_shape[0] // 4 * (image_shape[1] // 4) * 32, 128))
    else:
        checks.function("encoder", encoder)
    checks.allocation("units", (embedding + units + 1, 4 * units))
    checks.allocation("vocabulary_size", (vocabulary_size, embedding + units + 1))
    if cell is not None:
        _check_lstm_cell(cell, units)
    image = keras.Input(image_shape, name="image")
    if encoder is None:
        features = image
        for filters in (16, 32):
            features = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(features)
            features = keras.layers.MaxPooling2D()(features)
        features = keras.layers.Dense(128, activation="relu")(keras.layers.Flatten()(features))
    else:
        features = encoder(image)
        if len(getattr(features, "shape", ())) != 2:
            raise ValueError(
                "encoder must map images to feature vectors of shape (batch, features), got "
                f"shape {tuple(getattr(features, 'shape', ()))}: end it with a pooling or Flatten"
            )
    if cell is None:
        decoder = keras.layers.LSTM(units, return_sequences=True, return_state=True, name="decoder")
    else:
        decoder = keras.layers.RNN(cell, return_sequences=True, return_state=True, name="decoder")
    if image_as == "state":
        h0 = keras.layers.Dense(units, activation="tanh", name="initial_h")(features)
        c0 = keras.layers.Dense(units, name="initial_c")(features)
    else:  # x_{-1}: one step of the decoder from a zero state, reading the image as a word
        first_input = keras.layers.Dense(embedding, name="image_as_first_input")(features)
        first_step = keras.layers.Reshape((1, embedding))(first_input)
        _, h0, c0 = decoder(first_step)
    image_encoder = keras.Model(image, [h0, c0], name="encoder")

    embed = keras.layers.Embedding(vocabulary_size, embedding, name="embedding")
    readout = keras.layers.Dense(vocabulary_size, activation="softmax", name="next_word")

    words = keras.Input((None,), dtype="int32", name="previous_words")
    states = image_encoder(image)
    sequence = decoder(embed(words), initial_state=list(states))[0]
    name = "initial_state_captioner" if image_as == "state" else "show_and_tell"
    training_model = keras.Model([image, words], readout(sequence), name=name)

    word = keras.Input((1,), dtype="int32", name="previous_word")
    h, c = keras.Input((units,), name="h"), keras.Input((units,), name="c")
    out, new_h, new_c = decoder(embed(word), initial_state=[h, c])
    step_model = keras.Model([word, h, c], [readout(out)[:, 0], new_h, new_c], name="decoder_step")
    return training_model, image_encoder, step_model


def _check_lstm_cell(cell, units):
    """``cell`` must be an LSTM-like cell (two states, ``h`` and ``c``) of ``units`` units."""
    if isinstance(cell, keras.layers.RNN) or not isinstance(cell, keras.layers.Layer):
        raise TypeError(
            f"cell must be a recurrent cell such as LSTMCell({units}) (not a layer such as "
            f"LSTM), got {type(cell).__name__}"
        )
    sizes = getattr(cell, "state_size", None)
    sizes = list(sizes) if isinstance(sizes, (list, tuple)) else [sizes]
    if sizes != [units, units]:
        raise ValueError(
            f"cell must be an LSTM cell of units={units} (states h and c of width {units}), got "
            f"{type(cell).__name__} with state sizes {sizes}: pass LSTMCell({units})"
        )


def bleu_scores(references, hypotheses):
    """Corpus BLEU-1 to BLEU-4 (Papineni et al. 2002) of word lists against their references,
    computed by NLTK's ``corpus_bleu`` (uniform weights, no smoothing), as a dict
    ``{"BLEU-1": ..., ..., "BLEU-4": ...}``. ``references`` holds, per hypothesis, a list of
    reference captions (strings or word lists)."""
    from nltk.translate.bleu_score import corpus_bleu

    references = _listed("references", references)
    hypotheses = _listed("hypotheses", hypotheses)
    if len(references) != len(hypotheses) or not hypotheses:
        raise ValueError(
            f"references and hypotheses must be non-empty and match, got {len(references)} and {len(hypotheses)}"
        )
    hypotheses = [_caption_or_words(f"hypotheses[{i}]", h) for i, h in enumerate(hypotheses)]
    as_words = []
    for i, refs in enumerate(references):
        if isinstance(refs, str):
            raise TypeError(
                f"references[{i}] must be a list of the reference captions of hypothesis {i}, "
                f"got the str {checks.shown(refs)}: write [{checks.shown(refs)}] for one"
            )
        refs = _listed(f"references[{i}]", refs)
        if not refs:
            raise ValueError(f"references[{i}] must hold at least one reference caption, got []")
        as_words.append([_caption_or_words(f"references[{i}][{j}]", r) for j, r in enumerate(refs)])
    return {
        f"BLEU-{n}": float(corpus_bleu(as_words, hypotheses, weights=tuple([1 / n] * n)))
        for n in (1, 2, 3, 4)
    }


def load_caption_folder(folder, captions_file="captions.txt", size=(224, 224)):
    """Images and captions from a folder on disk, in the layout of Flickr8k's text files.

    ``folder/captions_file`` has one caption per line, ``image_name#k<TAB>caption`` (Flickr8k's
    ``Flickr8k.token.txt``) or ``image_name,caption`` (the common CSV export, with a header
    line ``image,caption``); the images are ``folder/Images/image_name`` or ``folder/image_name``.
    Returns ``(images, captions)``: a float32 array ``(n, *size, 3)`` in [0, 255] (what Keras
    Applications' ``preprocess_input`` expects) and, per image, its list of captions.
    """
    if not isinstance(folder, (str, os.PathLike)):
        raise TypeError(f"folder must be a path (str or Path), got {type(folder).__name__}")
    if not isinstance(captions_file, (str, os.PathLike)) or not str(captions_file):
        raise TypeError(f"captions_file must be a file name (str), got {captions_file!r}")
    size = _shape("size", size, size=2)
    folder = Path(folder)
    listing = folder / captions_file
    if not folder.is_dir():
        why = "is not a folder" if folder.exists() else "does not exist (no such folder)"
        raise FileNotFoundError(f"no captions file {listing}: the folder {folder} {why}")
    if not listing.is_file():
        raise FileNotFoundError(
            f"no captions file {listing}: expected lines 'image.jpg#0<TAB>a caption'"
        )
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise ValueError(f"{listing} is not a UTF-8 text file of captions: {error}") from None
    captions = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lower().startswith("image,caption"):
            continue
        if "\t" in line:
            name, caption = line.split("\t", 1)
            name = name.split("#", 1)[0]
        elif "," in line:
            name, caption = line.split(",", 1)
        else:
            raise ValueError(
                f"{listing}, line {number}: expected 'image<TAB>caption' or 'image,caption'"
            )
        name, caption = name.strip(), caption.strip()
        if not name or not caption or Path(name).is_absolute() or ".." in Path(name).parts:
            raise ValueError(
                f"{listing}, line {number}: expected an image name inside {folder} and a "
                f"non-empty caption, got {checks.shown(line, 80)}"
            )
        captions.setdefault(name, []).append(caption)
    if not captions:
        raise ValueError(f"{listing} holds no captions")
    checks.allocation("size", (len(captions), *size, 3))
    images = []
    for name in captions:
        path = folder / "Images" / name
        path = path if path.is_file() else folder / name
        if not path.is_file():
            raise FileNotFoundError(
                f"{listing} names {name}, which is neither in {folder / 'Images'} nor in {folder}"
            )
        try:
            image = keras.utils.load_img(path, target_size=size)
        except (OSError, ValueError, SyntaxError) as error:  # PIL's errors for a damaged file
            why = re.sub(r" <_io\.\w+ object at 0x[0-9a-f]+>| '[^']*'", "", str(error))
            raise ValueError(f"{path} is not an image that can be read ({why})") from None
        images.append(keras.utils.img_to_array(image))
    return np.stack(images).astype("float32"), list(captions.values())
