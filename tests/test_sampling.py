"""Temperature, top-k and nucleus sampling, and bits per character (notebook 08)."""

import math

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
