"""Temperature, top-k and nucleus sampling, and bits per character (notebook 08)."""

import math

import keras
import numpy as np
import pytest

from rnnbook import sampling

LECTURE = [0.1, 0.3, 0.5, 0.1, 0.0]  # the lecture's distribution over A-E


def test_temperature_one_keeps_low_sharpens_high_flattens_and_zero_stays_zero():
    assert np.allclose(sampling.with_temperature(LECTURE, 1.0), LECTURE)
    cold, hot = sampling.with_temperature(LECTURE, 0.2), sampling.with_temperature(LECTURE, 5.0)
    assert cold[2] > 0.9 and np.isclose(cold.sum(), 1) and cold[4] == 0 and hot[4] == 0
    assert hot.max() - hot[:4].min() < 0.15  # nearly uniform over the four possible letters
    # p^(1/T) renormalised, by hand for T = 0.5: squares
    squares = np.array(LECTURE) ** 2
    assert np.allclose(sampling.with_temperature(LECTURE, 0.5), squares / squares.sum())
    assert sampling.with_temperature(LECTURE, 1e-3)[2] == pytest.approx(1.0)


def test_sampling_follows_the_distribution_and_its_restrictions():
    rng = np.random.default_rng(0)
    draws = np.array([sampling.sample_index(LECTURE, rng) for _ in range(4000)])
    assert np.allclose(np.bincount(draws, minlength=5) / 4000, LECTURE, atol=0.03)
    assert {sampling.sample_index(LECTURE, rng, top_k=2) for _ in range(300)} == {1, 2}
    assert {sampling.sample_index(LECTURE, rng, top_p=0.75) for _ in range(300)} == {1, 2}
    assert {sampling.sample_index(LECTURE, rng, top_p=0.5) for _ in range(100)} == {2}
    first = [sampling.sample_index(LECTURE, np.random.default_rng(7)) for _ in range(5)]
    assert len(set(first)) == 1  # seeded: the same draw again


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: sampling.with_temperature(LECTURE, 0), ValueError, "temperature must be"),
        (lambda: sampling.with_temperature([0.5, 0.6], 1), ValueError, "sum to 1"),
        (lambda: sampling.sample_index(LECTURE, 3), TypeError, "numpy.random.Generator"),
        (
            lambda: sampling.sample_index(LECTURE, np.random.default_rng(), top_k=0),
            ValueError,
            "top_k",
        ),
        (
            lambda: sampling.sample_index(LECTURE, np.random.default_rng(), top_p=1.5),
            ValueError,
            "top_p",
        ),
        (lambda: sampling.bits_per_character(-1), ValueError, "mean_cross_entropy_nats"),
        (lambda: sampling.compressed_bits_per_character("abc", "zip"), ValueError, "compressor"),
        (lambda: sampling.compressed_bits_per_character("", "xz"), ValueError, "non-empty"),
    ],
)
def test_bad_input_is_a_clear_error(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_bits_per_character_converts_nats():
    assert sampling.bits_per_character(math.log(2)) == pytest.approx(1.0)
    assert sampling.bits_per_character(math.log(256)) == pytest.approx(8.0)


@pytest.mark.parametrize("compressor", ["gzip", "bzip2", "xz"])
def test_compressors_squeeze_repetition_and_context_helps(compressor):
    rng = np.random.default_rng(0)
    words = ["tensor", "shape", "status", "const", "int64", "return", "void", "template"]
    text = " ".join(rng.choice(words, size=3000))
    alone = sampling.compressed_bits_per_character(text, compressor)
    assert 0.5 < alone < 8
    seen = sampling.compressed_bits_per_character(
        text[:2000], compressor, context=text[:2000] + text[2000:]
    )
    assert seen < 0.5 * sampling.compressed_bits_per_character(text[:2000], compressor)


def _stateful_model_and_vocabulary():
    from rnnbook.data.text import CharVocabulary
    from rnnbook.models import skip_lstm_language_model

    keras.utils.set_random_seed(0)
    vocabulary = CharVocabulary("abcde ")
    stateless = skip_lstm_language_model(len(vocabulary), [8])
    stateful = skip_lstm_language_model(len(vocabulary), [8], batch_size=1, stateful=True)
    stateful.set_weights(stateless.get_weights())
    return stateless, stateful, vocabulary


def test_sample_text_feeds_back_each_character_and_repeats_when_seeded():
    stateless, stateful, vocabulary = _stateful_model_and_vocabulary()
    greedy = sampling.sample_text(stateful, vocabulary, "ab", 12, np.random.default_rng(0), top_k=1)
    # the same text, rereading the whole prefix each time (no state carried between calls)
    text = "ab"
    for _ in range(12):
        probabilities = keras.ops.convert_to_numpy(stateless(vocabulary.encode(text)[None]))
        text += vocabulary.characters[int(np.argmax(probabilities[0, -1]))]
    assert greedy == text[2:]
    one = sampling.sample_text(stateful, vocabulary, "ab", 30, np.random.default_rng(1))
    two = sampling.sample_text(stateful, vocabulary, "ab", 30, np.random.default_rng(1))
    hot = sampling.sample_text(stateful, vocabulary, "ab", 30, np.random.default_rng(2))
    assert one == two and one != hot and len(one) == 30


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        ({"temperature": 0}, ValueError, "temperature must be"),
        ({"temperature": -1.0}, ValueError, "temperature must be"),
        ({"seed_text": ""}, ValueError, "seed_text must not be empty"),
        ({"seed_text": "void "}, ValueError, r"outside the model's vocabulary: \['i', 'o', 'v'\]"),
        ({"seed_text": 5}, TypeError, "seed_text must be a str"),
        ({"length": 0}, ValueError, "length"),
        ({"rng": 0}, TypeError, "numpy.random.Generator"),
        ({"model": "stateless"}, ValueError, "stateful model with batch size 1"),
    ],
)
def test_sample_text_refuses_bad_input(change, error, words):
    stateless, stateful, vocabulary = _stateful_model_and_vocabulary()
    arguments = {
        "model": stateful,
        "vocabulary": vocabulary,
        "seed_text": "ab",
        "length": 5,
        "rng": np.random.default_rng(0),
    }
    arguments.update(change)
    if arguments["model"] == "stateless":
        arguments["model"] = stateless
    with pytest.raises(error, match=words):
        sampling.sample_text(**arguments)


def test_filtered_distribution_is_what_sample_index_draws_from():
    p = np.array([0.1, 0.3, 0.5, 0.1])
    assert np.allclose(sampling.filtered_distribution(p, top_k=3), [1 / 9, 3 / 9, 5 / 9, 0])
    assert np.allclose(sampling.filtered_distribution(p, top_p=0.8), [0, 3 / 8, 5 / 8, 0])
    assert np.allclose(sampling.filtered_distribution(p, top_p=0.81), [1 / 9, 3 / 9, 5 / 9, 0])
    assert np.allclose(sampling.filtered_distribution(p, 0.5), np.array([1, 9, 25, 1]) / 36)
    rng = np.random.default_rng(0)
    draws = [sampling.sample_index(p, rng, top_k=2, top_p=0.9) for _ in range(2000)]
    frequencies = np.bincount(draws, minlength=4) / len(draws)
    assert np.allclose(
        frequencies, sampling.filtered_distribution(p, top_k=2, top_p=0.9), atol=0.04
    )
