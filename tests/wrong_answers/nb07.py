"""Wrong answers to the exercises of 07_cnn_lstm; see __init__.py."""

_START = """
ids = np.asarray(ids)
rows = np.arange(len(ids))
total = np.zeros(len(ids))
alive = np.ones(len(ids), bool)
previous = np.full(len(ids), vocabulary.start)
"""

_NGRAMS = """
def ngrams(words, n):
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))

"""

_BLEU = """
    precisions.append(clipped / sum(counts.values()) if counts else 0.0)
c = len(hypothesis)
r = min((len(reference) for reference in references), key=lambda length: (abs(length - c), length))
brevity = 1.0 if c > r else (np.exp(1 - r / c) if c > 0 else 0.0)
if min(precisions) == 0:
    return 0.0, precisions, brevity
return brevity * np.exp(np.mean(np.log(precisions))), precisions, brevity
"""


def _bleu(clipping, tail=_BLEU, ngrams=_NGRAMS):
    """A caption_bleu body whose clipped counts are computed by ``clipping``."""
    return (
        ngrams
        + "precisions = []\nfor n in range(1, max_n + 1):\n    counts = ngrams(hypothesis, n)\n"
        + clipping
        + tail
    )


_MAX_CLIPPING = """    most = Counter()
    for reference in references:
        for gram, count in ngrams(reference, n).items():
            most[gram] = max(most[gram], count)
    clipped = sum(min(count, most[gram]) for gram, count in counts.items())
"""

WRONG = {
    1: {
        "counts log p after <end> too (at the padding)": _START
        + """
for t in range(ids.shape[1]):
    probabilities, states = step(previous, states)
    total += np.log(np.asarray(probabilities, dtype="float64")[rows, ids[:, t]])
    previous = ids[:, t]
return total
""",
        "leaves out the probability of <end> itself": _START
        + """
for t in range(ids.shape[1]):
    probabilities, states = step(previous, states)
    alive &= ids[:, t] != vocabulary.end
    total += np.where(alive, np.log(np.asarray(probabilities, dtype="float64")[rows, ids[:, t]]), 0.0)
    previous = ids[:, t]
return total
""",
        "finds the length from the first <pad> (a full-width row counts nothing)": _START
        + """
lengths = np.argmax(ids == vocabulary.pad, axis=1)
for t in range(ids.shape[1]):
    probabilities, states = step(previous, states)
    total += np.where(t < lengths, np.log(np.asarray(probabilities, dtype="float64")[rows, ids[:, t]]), 0.0)
    previous = ids[:, t]
return total
""",
        "feeds back its own prediction instead of the true word": _START
        + """
for t in range(ids.shape[1]):
    probabilities, states = step(previous, states)
    probabilities = np.asarray(probabilities, dtype="float64")
    total += np.where(alive, np.log(probabilities[rows, ids[:, t]]), 0.0)
    alive &= ids[:, t] != vocabulary.end
    previous = probabilities.argmax(axis=1)
return total
""",
        "off by one: feeds the word it must predict": _START
        + """
for t in range(ids.shape[1]):
    probabilities, states = step(ids[:, t], states)
    total += np.where(alive, np.log(np.asarray(probabilities, dtype="float64")[rows, ids[:, t]]), 0.0)
    alive &= ids[:, t] != vocabulary.end
return total
""",
        "returns beam search's scores": """
ids = np.asarray(ids)
return beam_search(step, states, vocabulary.start, vocabulary.end, ids.shape[1], beam_width=2)[1]
""",
    },
    2: {
        "counts not clipped": _bleu("    clipped = sum(counts.values())\n"),
        "clipped by the sum over the references instead of the most in one": _bleu(
            """    total = Counter()
    for reference in references:
        total.update(ngrams(reference, n))
    clipped = sum(min(count, total[gram]) for gram, count in counts.items())
"""
        ),
        "divides by the number of distinct n-grams": _bleu(
            _MAX_CLIPPING,
            tail=_BLEU.replace("clipped / sum(counts.values())", "clipped / len(counts)"),
        ),
        "off by one: drops the last n-gram": _bleu(
            _MAX_CLIPPING, ngrams=_NGRAMS.replace("len(words) - n + 1", "len(words) - n")
        ),
        "brevity penalty from the shortest reference": _bleu(
            _MAX_CLIPPING,
            tail=_BLEU.replace(
                "min((len(reference) for reference in references), key=lambda length: (abs(length - c), length))",
                "min(len(reference) for reference in references)",
            ),
        ),
        "arithmetic mean of the precisions": _bleu(
            _MAX_CLIPPING,
            tail=_BLEU.replace("np.exp(np.mean(np.log(precisions)))", "np.mean(precisions)"),
        ),
        "calls NLTK": """
from nltk.translate.bleu_score import brevity_penalty, closest_ref_length, modified_precision, sentence_bleu
precisions = [float(modified_precision(references, hypothesis, n)) for n in range(1, max_n + 1)]
c = len(hypothesis)
brevity = brevity_penalty(closest_ref_length(references, c), c)
return sentence_bleu(references, hypothesis, weights=(1 / max_n,) * max_n), precisions, brevity
""",
    },
}
