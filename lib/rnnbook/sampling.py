"""Sampling text from a character model, and measuring it in bits per character (notebook 08).

- :func:`with_temperature` reshapes a distribution: ``p_i^(1/τ)``, renormalised. ``τ < 1``
  sharpens it towards the most likely character, ``τ > 1`` flattens it, ``τ = 1`` leaves it.
- :func:`filtered_distribution` is the distribution a sample is drawn from: after the
  temperature, only the ``top_k`` most likely indices, or only the smallest set whose
  probability reaches ``top_p`` (nucleus sampling, Holtzman et al. 2020), renormalised;
  :func:`sample_index` draws one index from it.
- :func:`sample_text` continues a seed text with a stateful character model, one character at
  a time, feeding each sampled character back in.
- :func:`bits_per_character` turns a model's mean cross-entropy (in nats, what Keras reports)
  into bits per character; :func:`compressed_bits_per_character` is the same measure for
  gzip, bzip2 and xz, alone or conditional on text the compressor has seen first.
"""

import bz2
import gzip
import lzma
import math

import numpy as np

from rnnbook import checks

__all__ = [
    "bits_per_character",
    "compressed_bits_per_character",
    "filtered_distribution",
    "sample_index",
    "sample_text",
    "with_temperature",
]


def _distribution(probabilities):
    p = checks.array("probabilities", probabilities, ndim=1, dtype="float64")
    if np.any(p < 0):
        raise ValueError(
            f"probabilities must be non-negative and sum to 1, got a negative value "
            f"{p.min():.4g}: pass softmax outputs, not logits"
        )
    if not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise ValueError(f"probabilities must be non-negative and sum to 1, got sum {p.sum():.6g}")
    return p


def _filters(temperature, top_k, top_p):
    """The checked ``(temperature, top_k, top_p)`` of the sampling functions."""
    temperature = checks.real("temperature", temperature, positive=True)
    if top_k is not None:
        top_k = checks.integer("top_k", top_k, minimum=1)
    if top_p is not None:
        top_p = checks.real("top_p", top_p, positive=True)
        if top_p > 1:
            raise ValueError(f"top_p must be a probability in (0, 1], got {top_p}")
    return temperature, top_k, top_p


def with_temperature(probabilities, temperature):
    """The distribution ``p ** (1 / temperature)``, renormalised (computed in log space, so a
    low temperature does not underflow). Zero probabilities stay zero. A temperature so low
    that even the largest ``log p / temperature`` overflows gives the limit: all the mass on the
    most likely indices, shared equally."""
    p = _distribution(probabilities)
    temperature = checks.real("temperature", temperature, positive=True)
    with np.errstate(divide="ignore", over="ignore"):
        logits = np.log(p) / temperature
    if not np.isfinite(logits).any():  # p ** (1 / temperature) underflows everywhere
        top = (p == p.max()).astype("float64")
        return top / top.sum()
    logits -= logits[np.isfinite(logits)].max()
    scaled = np.exp(logits)
    return scaled / scaled.sum()


def _kept(probabilities, temperature, top_k, top_p):
    """``(p, kept)``: the distribution after the temperature, and the indices that survive
    ``top_k`` and ``top_p``, most likely first (ties: the lower index first)."""
    temperature, top_k, top_p = _filters(temperature, top_k, top_p)
    p = with_temperature(probabilities, temperature)
    order = np.argsort(-p, kind="stable")
    keep = len(p)
    if top_k is not None:
        keep = min(keep, top_k)
    if top_p is not None:
        keep = min(keep, int(np.searchsorted(np.cumsum(p[order]), top_p - 1e-12) + 1))
    return p, order[:keep]


def filtered_distribution(probabilities, temperature=1.0, top_k=None, top_p=None):
    """The distribution :func:`sample_index` draws from: ``probabilities`` after
    :func:`with_temperature`, with every index outside the ``top_k`` most likely (exactly
    ``top_k``; ties go to the lower index) or outside the shortest run of most likely indices
    whose total reaches ``top_p`` (to within 1e-12) set to zero, and the rest renormalised."""
    p, kept = _kept(probabilities, temperature, top_k, top_p)
    filtered = np.zeros_like(p)
    filtered[kept] = p[kept] / p[kept].sum()
    return filtered


def sample_index(probabilities, rng, temperature=1.0, top_k=None, top_p=None):
    """Draw one index from :func:`filtered_distribution` of ``probabilities`` (the
    temperature, then ``top_k`` and ``top_p`` if given). ``rng`` is a NumPy generator."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    p, kept = _kept(probabilities, temperature, top_k, top_p)
    return int(kept[rng.choice(len(kept), p=p[kept] / p[kept].sum())])


def sample_text(model, vocabulary, seed_text, length, rng, temperature=1.0, top_k=None, top_p=None):
    """Continue ``seed_text`` by ``length`` characters sampled from a character model.

    ``model`` is a *stateful* Keras model with batch size 1 that maps character ids
    ``(1, time)`` to next-character probabilities ``(1, time, V)`` (e.g.
    ``skip_lstm_language_model(V, units, batch_size=1, stateful=True)`` holding the trained
    weights). Its states are zeroed, it reads the seed, and then each sampled character
    (:func:`sample_index` with ``temperature``, ``top_k``, ``top_p`` and the NumPy generator
    ``rng``) is fed back in as the next input. Returns the ``length`` new characters (without
    the seed); the states are zeroed again at the end. Every argument is checked before the
    model's states are touched.
    """
    import keras

    from rnnbook.data.text import CharVocabulary
    from rnnbook.training import reset_states  # imports Keras: only when sampling

    if not isinstance(seed_text, str):
        raise TypeError(f"seed_text must be a str, got {type(seed_text).__name__}")
    if not seed_text:
        raise ValueError("seed_text must not be empty: the model needs a character to start from")
    if not isinstance(vocabulary, CharVocabulary):
        raise TypeError(
            f"vocabulary must be a rnnbook.data.text.CharVocabulary, got {type(vocabulary).__name__}"
        )
    known = set(vocabulary.characters[1:])
    outside = sorted(set(seed_text) - known)
    if outside:
        raise ValueError(
            f"seed_text has character(s) outside the model's vocabulary: {outside}; the model "
            f"never read them in training"
        )
    length = checks.integer("length", length, minimum=1)
    checks.allocation("length", (length,), "int64")  # the ids sampled, one per character
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    temperature, top_k, top_p = _filters(temperature, top_k, top_p)
    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a Keras model, got {type(model).__name__}")
    batch = model.inputs[0].shape[0] if getattr(model, "inputs", None) else None
    size = model.outputs[0].shape[-1] if getattr(model, "outputs", None) else None
    if batch == 1 and size != len(vocabulary):
        raise ValueError(
            f"vocabulary has {len(vocabulary)} ids but the model outputs {size} probabilities: "
            "pass the vocabulary the model was trained with"
        )
    if batch != 1 or not reset_states(model):
        raise ValueError(
            "model must be a stateful model with batch size 1 (it reads one character per call "
            f"and carries its states); got batch size {batch}"
            + ("" if batch != 1 else " and no stateful layer")
        )
    # predict_on_batch runs the compiled graph: about 20 times faster per call than model(x)
    try:
        probabilities = model.predict_on_batch(vocabulary.encode(seed_text)[None, :])
        first = np.asarray(probabilities, dtype="float64")[0, -1]
        if not (np.isfinite(first).all() and (first >= 0).all() and abs(first.sum() - 1) < 1e-3):
            raise ValueError(
                "model must output next-character probabilities (a softmax, >= 0, summing to 1), "
                f"got values in [{first.min():.4g}, {first.max():.4g}] summing to {first.sum():.4g}"
            )
        generated = []
        for _ in range(length):
            p = np.asarray(probabilities, dtype="float64")[0, -1]
            index = sample_index(p / p.sum(), rng, temperature, top_k, top_p)
            generated.append(index)
            probabilities = model.predict_on_batch(np.array([[index]], dtype="int32"))
    finally:
        reset_states(model)
    return vocabulary.decode(np.array(generated))


def bits_per_character(mean_cross_entropy_nats):
    """Bits per character from a mean cross-entropy per character in nats (``log`` base e, as
    Keras' ``sparse_categorical_crossentropy`` reports it): divide by ``ln 2``."""
    return checks.real("mean_cross_entropy_nats", mean_cross_entropy_nats, minimum=0.0) / math.log(
        2
    )


_COMPRESSORS = {
    "gzip": lambda data: gzip.compress(data, compresslevel=9, mtime=0),
    "bzip2": lambda data: bz2.compress(data, compresslevel=9),
    "xz": lambda data: lzma.compress(data, preset=9 | lzma.PRESET_EXTREME),
}


def compressed_bits_per_character(text, compressor, context=""):
    """Bits per character a standard compressor spends on ``text``.

    ``compressor`` is ``"gzip"`` (level 9), ``"bzip2"`` (level 9) or ``"xz"`` (preset 9e). With
    ``context``, the measure is *conditional*: the size of ``context + text`` compressed, minus
    that of ``context`` alone, i.e. what ``text`` costs once the compressor has read
    ``context`` (the fair comparison with a model trained on that context; keep it to what the
    compressor's window can use: gzip sees 32 KB back, bzip2 900 KB blocks, xz 64 MB).
    """
    checks.string("text", text, empty=False)
    if checks.string("compressor", compressor) not in _COMPRESSORS:
        raise ValueError(f"compressor must be one of {sorted(_COMPRESSORS)}, got {compressor!r}")
    checks.string("context", context)
    squeeze = _COMPRESSORS[compressor]
    size = len(squeeze((context + text).encode("utf-8")))
    if context:
        size -= len(squeeze(context.encode("utf-8")))
    return 8 * size / len(text)
