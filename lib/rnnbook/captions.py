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


def _words(caption):
    if not isinstance(caption, str):
        raise TypeError(f"a caption must be a str, got {type(caption).__name__}")
    return re.findall(r"[a-z0-9]+", caption.lower())


class CaptionVocabulary:
    """Words <-> ids for captions: ``<pad>`` 0, ``<start>`` 1, ``<end>`` 2, ``<unk>`` 3, then
    the words of the captions it was made from, sorted. Captions are lower-cased and split into
    runs of letters and digits."""

    def __init__(self, captions):
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
        words = []
        for i in np.asarray(ids).ravel():
            if i == self.end:
                break
            if not 0 <= i < len(self):
                raise ValueError(f"ids must lie in [0, {len(self)}), got {int(i)}")
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
    if len(images) != len(captions):
        raise ValueError(f"images and captions must match, got {len(images)} and {len(captions)}")
    rows, inputs, targets = [], [], []
    for i, references in enumerate(captions):
        references = [references] if isinstance(references, str) else references
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
        np.asarray(images)[rows],
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
    image = keras.Input(tuple(image_shape), name="image")
    if encoder is None:
        features = image
        for filters in (16, 32):
            features = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(features)
            features = keras.layers.MaxPooling2D()(features)
        features = keras.layers.Dense(128, activation="relu")(keras.layers.Flatten()(features))
    else:
        features = encoder(image)
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


def bleu_scores(references, hypotheses):
    """Corpus BLEU-1 to BLEU-4 (Papineni et al. 2002) of word lists against their references,
    computed by NLTK's ``corpus_bleu`` (uniform weights, no smoothing), as a dict
    ``{"BLEU-1": ..., ..., "BLEU-4": ...}``. ``references`` holds, per hypothesis, a list of
    reference captions (strings or word lists)."""
    from nltk.translate.bleu_score import corpus_bleu

    if len(references) != len(hypotheses) or not hypotheses:
        raise ValueError(
            f"references and hypotheses must be non-empty and match, got {len(references)} and {len(hypotheses)}"
        )
    as_words = [[_words(r) if isinstance(r, str) else list(r) for r in refs] for refs in references]
    hypotheses = [_words(h) if isinstance(h, str) else list(h) for h in hypotheses]
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
    folder = Path(folder)
    listing = folder / captions_file
    if not listing.is_file():
        raise FileNotFoundError(
            f"no captions file {listing}: expected lines 'image.jpg#0<TAB>a caption'"
        )
    captions = {}
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), start=1):
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
        captions.setdefault(name.strip(), []).append(caption.strip())
    if not captions:
        raise ValueError(f"{listing} holds no captions")
    images = []
    for name in captions:
        path = folder / "Images" / name
        path = path if path.is_file() else folder / name
        if not path.is_file():
            raise FileNotFoundError(
                f"{listing} names {name}, which is neither in {folder / 'Images'} nor in {folder}"
            )
        image = keras.utils.load_img(path, target_size=tuple(size))
        images.append(keras.utils.img_to_array(image))
    return np.stack(images).astype("float32"), list(captions.values())
