"""A translation task generated offline: numbers written in words, to digits.

The words come from num2words (a well-kept library that spells numbers in some forty
languages), so every pair is right by construction and round-trips: ``num2words(int(digits),
lang=language) == words``. German is the default because its alignment crosses: it says the
units before the tens ("vierunddreißig", four-and-thirty, is 34), so the second digit of a pair
is written before the first, in the thousands ("achtundvierzigtausend", 48 thousand) as in the
units; the hundreds come in order.

:class:`Vocabulary` maps characters to ids (0 padding, 1 start, 2 end) for the source and the
target of a sequence-to-sequence model.
"""

import numpy as np

from rnnbook import checks

__all__ = ["Vocabulary", "number_pairs", "number_translation", "number_words"]

SPECIALS = ("<pad>", "<start>", "<end>")


def number_words(numbers, language="de"):
    """The words num2words writes for each of ``numbers`` (non-negative integers) in ``language``."""
    from num2words import num2words

    language = checks.string("language", language, empty=False)
    numbers = checks.integers("numbers", numbers, minimum=0)
    try:
        return [num2words(int(x), lang=language) for x in numbers]
    except NotImplementedError:
        raise ValueError(
            f"language must be one num2words writes (e.g. 'de', 'en', 'fr'), got {language!r}"
        ) from None


def _draw(rng, n, allowed, width, distinct, name="n"):
    """``n`` numbers whose count of digits is uniform over 1..``width`` (then the number uniform
    among the ``allowed`` ones with that many digits); ``distinct``: no repeats, a band that runs
    out gives its share to the others."""
    bands = []
    for digits in range(1, width + 1):
        low = 0 if digits == 1 else 10 ** (digits - 1)
        band = np.flatnonzero(allowed[low : 10**digits]) + low
        bands.append(rng.permutation(band) if distinct else band)
    chosen, used = [], [0] * width
    while len(chosen) < n:
        open_bands = [
            i for i, band in enumerate(bands) if len(band) and (not distinct or used[i] < len(band))
        ]
        if not open_bands:
            raise ValueError(
                f"{name} must be at most {len(chosen)} (the numbers there are to draw from), got {n}"
            )
        i = open_bands[rng.integers(len(open_bands))]
        if distinct:
            chosen.append(int(bands[i][used[i]]))
            used[i] += 1
        else:
            chosen.append(int(bands[i][rng.integers(len(bands[i]))]))
    return np.array(chosen, np.int64)


def number_pairs(n, seed=0, language="de", largest=999_999):
    """``n`` distinct numbers from 0 to ``largest``, spelled out: ``(numbers, words, digits)``.

    The number of digits is drawn uniformly (so that "sieben" is as common as six-digit numbers
    while there are any left), then the number uniformly among those with that many digits.
    Seeded: the same arguments give the same pairs."""
    n = checks.integer("n", n, minimum=1)
    largest = checks.integer("largest", largest, minimum=9)
    rng = np.random.default_rng(checks.integer("seed", seed, minimum=0))
    checks.allocation("largest", (largest + 1,), "int64")
    numbers = _draw(rng, n, np.ones(largest + 1, bool), len(str(largest)), distinct=True)
    return numbers, number_words(numbers, language), [str(x) for x in numbers]


def number_translation(
    train, test, seed=0, language="de", largest=999_999, longest_source=50, test_share=0.1
):
    """A training set and a test set for words -> digits, with no number in both.

    The numbers from 0 to ``largest`` are split at random: ``test_share`` of them are test
    numbers, the rest training numbers (every count of digits keeps its smallest number for the
    test and its largest for training). The training set draws
    ``train`` pairs from its numbers (repeats allowed: there are only nine one-digit training
    numbers) and keeps only sources of at most ``longest_source`` characters; the test set draws
    ``test`` distinct pairs from its numbers, of any length, so its longest sources are longer
    than any the model trained on. In both the count of digits is uniform, as in
    :func:`number_pairs`. Returns ``{"train": (words, digits), "test": (words, digits)}``.
    """
    train = checks.integer("train", train, minimum=1)
    test = checks.integer("test", test, minimum=1)
    longest_source = checks.integer("longest_source", longest_source, minimum=1)
    largest = checks.integer("largest", largest, minimum=9)
    share = checks.real("test_share", test_share, positive=True)
    if share >= 1:
        raise ValueError(f"test_share must lie between 0 and 1, got {test_share}")
    checks.allocation("largest", (largest + 1,), "int64")
    rng = np.random.default_rng(checks.integer("seed", seed, minimum=0))
    width = len(str(largest))
    held = rng.random(largest + 1) < share
    for digits in range(1, width + 1):  # every band keeps a test number and a training number
        low, high = (0 if digits == 1 else 10 ** (digits - 1)), min(10**digits - 1, largest)
        held[low] = True
        held[high] = False
    test_numbers = _draw(rng, test, held, width, distinct=True, name="test")
    words, digits = number_words(test_numbers, language), [str(x) for x in test_numbers]
    kept_words, kept_digits = [], []
    for _ in range(50):
        more = _draw(rng, 2 * (train - len(kept_words)) + 8, ~held, width, distinct=False)
        for w, d in zip(number_words(more, language), more):
            if len(w) <= longest_source and len(kept_words) < train:
                kept_words.append(w)
                kept_digits.append(str(d))
        if len(kept_words) == train:
            return {"train": (kept_words, kept_digits), "test": (words, digits)}
    raise ValueError(
        f"longest_source={longest_source} leaves too few training numbers for train={train} pairs"
    )


class Vocabulary:
    """Characters <-> ids: ``<pad>`` 0, ``<start>`` 1, ``<end>`` 2, then the characters of
    ``texts``, sorted. :meth:`encode` turns strings into a padded int32 array."""

    def __init__(self, texts):
        texts = checks.strings("texts", [texts] if isinstance(texts, str) else texts)
        characters = sorted(set("".join(texts)))
        self.tokens = list(SPECIALS) + characters
        self._ids = {c: i for i, c in enumerate(self.tokens)}
        self.pad, self.start, self.end = 0, 1, 2

    def __len__(self):
        return len(self.tokens)

    def encode(self, texts, length=None, end=True, start=False):
        """``(len(texts), length)`` int32 ids, padded with 0; ``end`` appends ``<end>``, ``start``
        puts ``<start>`` first. ``length=None``: the longest text's. A character the vocabulary
        does not hold, or a text too long for ``length``, is an error."""
        texts = checks.strings("texts", [texts] if isinstance(texts, str) else texts)
        end, start = checks.boolean("end", end), checks.boolean("start", start)
        extra = int(end) + int(start)
        longest = max(len(t) for t in texts) + extra
        length = longest if length is None else checks.integer("length", length, minimum=1)
        if longest > length:
            raise ValueError(f"length must be at least {longest} for these texts, got {length}")
        ids = np.zeros((len(texts), length), "int32")
        for row, text in enumerate(texts):
            unknown = sorted(set(text) - set(self._ids) - set(SPECIALS))
            if unknown:
                raise ValueError(
                    f"texts[{row}] = {text!r} holds characters not in the vocabulary: {unknown}"
                )
            codes = [self.start] * start + [self._ids[c] for c in text] + [self.end] * end
            ids[row, : len(codes)] = codes
        return ids

    def decode(self, ids):
        """The strings of a 2-D array of ids, each up to its first ``<end>`` (padding and
        ``<start>`` dropped)."""
        ids = checks.identifiers("ids", ids, len(self), ndim=2)
        out = []
        for row in ids:
            characters = []
            for i in row:
                if i == self.end:
                    break
                if i > self.end:
                    characters.append(self.tokens[i])
            out.append("".join(characters))
        return out
