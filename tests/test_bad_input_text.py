"""Bad input to rnnbook.data.text, .sampling, .decoding and .metrics (issue 21), by class of mistake:
each case is refused up front with a TypeError or ValueError whose message names the argument,
and valid input of the kinds a check could wrongly refuse still works."""

import keras
import numpy as np
import pandas as pd
import pytest

from rnnbook import checks, decoding, metrics, sampling
from rnnbook.data import code, text

VOCABULARY = text.CharVocabulary("abc")
P = [0.1, 0.3, 0.5, 0.1, 0.0]
RNG = np.random.default_rng(0)
WINDOWS = np.ones((2, 3), "int32")
CORPUS = {"a": "x", "b": "y", "c": "z"}
STATES = [np.zeros((1, 2))]
CHAIN = np.array([[0.0, 0.0, 0.6, 0.4], [0, 1, 0, 0], [0, 0.3, 0.35, 0.35], [0, 0.9, 0.05, 0.05]])
YEARS = pd.Series([1.0, 2, 3, 4], index=[1920, 1921, 1922, 1923])


def chain(tokens, states):
    return CHAIN[tokens], states


def returning(probabilities=None, states=None):
    """A step function returning ``probabilities`` (a function of the tokens) and ``states``."""

    def step(tokens, given):
        p = CHAIN[tokens] if probabilities is None else probabilities(tokens)
        return p, given if states is None else states(given)

    return step


# 1. Validate before working: the type, rank and range of every argument.
WRONG_KIND_OR_RANGE = [
    (lambda: text.CharVocabulary(123), TypeError, "characters must be a str.*got int 123"),
    (lambda: text.CharVocabulary(None), TypeError, "characters must be a str"),
    (lambda: text.CharVocabulary("ab", unknown=3), TypeError, "unknown must be a str"),
    (lambda: text.CharVocabulary.from_text("ab", None), TypeError, "unknown must be a str"),
    (lambda: VOCABULARY.decode([[1, 2], [3]]), TypeError, "ids must be an array of integer"),
    (lambda: text.TextSplits(3, "", "", {}), TypeError, "train must be a str"),
    (lambda: text.TextSplits("", "", "", []), TypeError, "topics must be a dict"),
    (lambda: text.split_by_topic(["a", "b", "c"]), TypeError, "corpus must be a non-empty dict"),
    (lambda: text.split_by_topic({**CORPUS, "c": 3}), TypeError, r"corpus\['c'\] must be a str"),
    (lambda: text.split_by_topic({1: "x", "b": "y", "c": "z"}), TypeError, "corpus keys"),
    (lambda: text.split_by_topic(CORPUS, "abc"), TypeError, "fractions must be three"),
    (lambda: text.split_by_topic(CORPUS, None), TypeError, "fractions must be three"),
    (lambda: text.split_by_topic(CORPUS, (0.8, np.nan, 0.1)), ValueError, r"fractions\[1\]"),
    (lambda: code.tensorflow_headers(under=None), TypeError, "under must be a str"),
    (lambda: code.tensorflow_headers(root=3), TypeError, "root must be a path"),
    (lambda: text.mask_characters(WINDOWS, 0.5, 2**31), ValueError, "mask_id must be an int in"),
    (lambda: sampling.compressed_bits_per_character(3, "xz"), TypeError, "text must be a str"),
    (lambda: sampling.compressed_bits_per_character(b"a", "xz"), TypeError, "text must be a str"),
    (lambda: sampling.compressed_bits_per_character("a", ["xz"]), TypeError, "compressor must"),
    (lambda: sampling.compressed_bits_per_character("a", 3), TypeError, "compressor must be a"),
    (lambda: decoding.greedy_decode(3, STATES, 0, 1, 3), TypeError, "step must be callable"),
    (lambda: decoding.beam_search(None, STATES, 0, 1, 3), TypeError, "step must be callable"),
    (lambda: decoding.greedy_decode(chain, [np.zeros(())], 0, 1, 3), TypeError, r"states\[0\]"),
    (lambda: decoding.beam_search(chain, [None], 0, 1, 3), TypeError, r"states\[0\] must be"),
    (lambda: metrics.nmse(None, [1.0, 2.0]), TypeError, "y_true must be an array of numbers"),
    (lambda: metrics.nmse([1.0, 2.0], "12"), TypeError, "y_pred must be an array of numbers"),
    (lambda: metrics.nmse_by_period(YEARS, YEARS, [(1920, 1921)]), TypeError, "periods must"),
    (lambda: metrics.nmse_by_period(YEARS, YEARS, {"a": (1920, 1923)}, "1"), TypeError, "variance"),
]


# 2. Nothing silently wrong: flags, ids that do not fit, probabilities that are not, paths
# that escape their folder, a vocabulary that does not match the model.
SILENTLY_WRONG = [
    (lambda: text.CharVocabulary({"a": 1}), TypeError, "characters must be a str.*dict"),
    (lambda: text.char_windows(np.array([-5, 1, 2, 3]), 2), ValueError, "ids must be >= 0"),
    (lambda: metrics.nmse(["1", "2"], [1, 2]), TypeError, "y_true must be an array of numbers"),
    (
        lambda: decoding.greedy_decode(lambda t, s: CHAIN[t], STATES, 0, 1, 3),
        TypeError,
        r"step must return \(probabilities, states\), got ndarray array",
    ),
    (lambda: text.CharVocabulary(b"abc"), TypeError, "characters must be a str.*bytes"),
    (lambda: text.CharVocabulary([1, 2]), TypeError, "characters must hold characters"),
    (lambda: text.CharVocabulary(["ab", "c"]), ValueError, "characters must hold single char"),
    (lambda: VOCABULARY.encode("abz", allow_unknown="no"), TypeError, "allow_unknown must be"),
    (lambda: VOCABULARY.encode("abz", allow_unknown=1), TypeError, "allow_unknown must be"),
    (lambda: VOCABULARY.encode("ab", allow_unknown=None), TypeError, "allow_unknown must be"),
    (lambda: text.mask_characters(WINDOWS, 0.5, 2**31), ValueError, "mask_id.*2147483648"),
    (lambda: text.mask_characters(np.full((2, 3), 2**40), 0.5, 9), ValueError, "windows must"),
    (lambda: text.mask_characters(np.full((2, 3), -3), 0.5, 9), ValueError, "windows must hold"),
    (lambda: text.char_streams(np.full(30, 2**40), 2, 3), ValueError, "ids must hold ids in"),
    (lambda: text.char_streams(np.full(30, -1), 2, 3), ValueError, "ids must hold ids in"),
    (lambda: sampling.with_temperature([2.0, -1.0], 1), ValueError, "probabilities.*not logits"),
    (lambda: sampling.with_temperature([-0.5, 1.5], 1), ValueError, "probabilities.*negative"),
    (
        lambda: decoding.greedy_decode(
            returning(lambda t: np.full((len(t), 4), np.nan)), STATES, 0, 1, 3
        ),
        ValueError,
        "probabilities step returned must be finite",
    ),
    (
        lambda: decoding.beam_search(
            returning(lambda t: np.log(CHAIN[t] + 1e-9) + 3), STATES, 0, 1, 3
        ),
        ValueError,
        "probabilities step returned .*not logits",
    ),
    (
        lambda: decoding.greedy_decode(returning(lambda t: 2 * CHAIN[t]), STATES, 0, 1, 3),
        ValueError,
        "probabilities step returned .*summing to 1",
    ),
    (
        lambda: decoding.greedy_decode(chain, STATES, 0, 9, 3),
        ValueError,
        "end must be a token id below 4",
    ),
    (
        lambda: decoding.beam_search(chain, STATES, 0, 9, 3),
        ValueError,
        "end must be a token id below 4",
    ),
    (
        lambda: decoding.greedy_decode(chain, STATES, 9, 1, 3),
        ValueError,
        "start must be a token id below 4",
    ),
    (
        lambda: decoding.beam_search(chain, STATES, 4, 1, 3),
        ValueError,
        "start must be a token id below 4",
    ),
    (
        lambda: decoding.greedy_decode(lambda t, s: CHAIN[t], STATES, 0, 1, 3),
        TypeError,
        r"step must return \(prob",
    ),
    (
        lambda: decoding.greedy_decode(
            returning(states=lambda s: s[0]), [np.zeros((2, 2))], 0, 1, 3
        ),
        TypeError,
        "step must return its states as a list",
    ),
    (
        lambda: decoding.beam_search(
            returning(states=lambda s: [s[0][:1]]), [np.zeros((2, 2))], 0, 1, 3
        ),
        ValueError,
        "step must return states with one row per sequence",
    ),
    (
        lambda: decoding.greedy_decode(returning(lambda t: np.array([["a"] * 4])), STATES, 0, 1, 3),
        TypeError,
        "step must return probabilities",
    ),
    (
        lambda: metrics.nmse_by_period(YEARS, YEARS, {"a": (1800, 1850)}),
        ValueError,
        "period 'a'.*no rows",
    ),
    (
        lambda: metrics.nmse_by_period(YEARS, YEARS, {"a": (1923, 1920)}),
        ValueError,
        "period 'a'.*no rows",
    ),
]


def _unsorted():
    shuffled = YEARS.iloc[[2, 0, 3, 1]]
    return metrics.nmse_by_period(shuffled, shuffled, {"a": (1919, 1921)})


# 3. Honest errors from the real cause (a missing folder, a period, the temperature).
def _headers(tmp_path, under=""):
    (tmp_path / "root" / "core").mkdir(parents=True, exist_ok=True)
    (tmp_path / "root" / "core" / "a.h").write_text("int a;\n")
    (tmp_path / "outside.h").write_text("not a header of the folder\n")
    (tmp_path / "root" / "docs").mkdir(exist_ok=True)
    return code.tensorflow_headers(under=under, root=tmp_path / "root")


HONEST_CAUSE = [
    (lambda tmp: _headers(tmp, ".."), ValueError, "under must be a folder below.*leads outside"),
    (lambda tmp: _headers(tmp, "core/../.."), ValueError, "under must be a folder below"),
    (lambda tmp: _headers(tmp, str(tmp)), ValueError, "under must be a folder below"),
    (
        lambda tmp: _headers(tmp, "no_such_folder"),
        ValueError,
        "under='no_such_folder'.*does not exist",
    ),
    (
        lambda tmp: _headers(tmp, "core/a.h"),
        ValueError,
        "under='core/a.h'.*is a file, not a folder",
    ),
    (lambda tmp: _headers(tmp, "docs"), ValueError, r"under='docs'.*holds no C\+\+ headers"),
    (
        lambda tmp: code.tensorflow_headers(root=tmp / "missing"),
        ValueError,
        "root must be an existing",
    ),
    (
        lambda tmp: code.tensorflow_headers(under="no_such_folder"),
        ValueError,
        "under=.*does not exist",
    ),
    (
        lambda tmp: code.tensorflow_headers(under="../../tensorflow"),
        ValueError,
        "under must be a fold",
    ),
    (lambda tmp: _unsorted(), ValueError, r"period 'a' \(1919, 1921\) cannot select rows"),
    (
        lambda tmp: metrics.nmse_by_period(YEARS, YEARS, {"a": (1920, 1920)}),
        ValueError,
        r"period 'a' \(1920, 1920\): variance of y_true is 0",
    ),
]


# 4. Sizes that cannot be allocated are refused up front, the size named.
TOO_BIG = [
    (lambda: decoding.greedy_decode(chain, STATES, 0, 1, 10**10), "max_length asks for .*74.5 GiB"),
    (lambda: decoding.beam_search(chain, STATES, 0, 1, 10**10), "beam_width and max_length asks"),
    (lambda: decoding.beam_search(chain, STATES, 0, 1, 3, 10**9), "beam_width and max_length asks"),
    (lambda: text.char_windows(np.zeros(2 * 10**6, "int32"), 10**6, 1), "length and stride asks"),
    (lambda: sampling.sample_text(None, VOCABULARY, "ab", 10**10, RNG), "length asks for"),
]


@pytest.mark.parametrize(("call", "error", "message"), WRONG_KIND_OR_RANGE)
def test_wrong_kinds_and_ranges_are_refused_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message) as refused:
        call()
    assert "\n" not in str(refused.value), "a message is one line"


@pytest.mark.parametrize(("call", "error", "message"), SILENTLY_WRONG)
def test_what_was_silently_wrong_is_refused_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message) as refused:
        call()
    assert "\n" not in str(refused.value), "a message is one line"


@pytest.mark.parametrize(("call", "error", "message"), HONEST_CAUSE)
def test_errors_name_the_real_cause(call, error, message, tmp_path):
    with pytest.raises(error, match=message):
        call(tmp_path)


@pytest.mark.parametrize(("call", "message"), TOO_BIG)
def test_sizes_that_cannot_be_allocated_are_refused_up_front(call, message, monkeypatch):
    monkeypatch.setattr(checks, "_memory_bytes", lambda: 16 * 2**30)  # a 16 GiB machine
    with pytest.raises(ValueError, match=message):
        call()


@pytest.fixture(scope="module")
def writer():
    from rnnbook.models import skip_lstm_language_model

    keras.utils.set_random_seed(0)
    vocabulary = text.CharVocabulary("abcde ")
    return skip_lstm_language_model(len(vocabulary), [8], batch_size=1, stateful=True), vocabulary


def _states(model):
    return np.concatenate(
        [keras.ops.convert_to_numpy(v).ravel() for v in model.get_layer("lstm_1").states]
    )


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"top_k": 0}, ValueError, "top_k must be an int >= 1, got 0"),
        ({"top_k": "5"}, TypeError, "top_k must be an int"),
        ({"top_p": 2.0}, ValueError, "top_p must be a probability"),
        (
            {"vocabulary": text.CharVocabulary("abcdefghij ")},
            ValueError,
            "vocabulary has 12 ids.*7",
        ),
        ({"vocabulary": text.CharVocabulary("abc")}, ValueError, "vocabulary has 4 ids"),
        (
            {"vocabulary": list("abcde ")},
            TypeError,
            "vocabulary must be a rnnbook.data.text.CharVoc",
        ),
        ({"model": 3}, TypeError, "model must be a Keras model"),
        ({"model": "logits"}, ValueError, "model must output next-character probabilities"),
    ],
)
def test_sample_text_refuses_bad_input_before_touching_the_states(writer, change, error, message):
    model, vocabulary = writer
    arguments = {"model": model, "vocabulary": vocabulary, "seed_text": "ab", "length": 5}
    arguments["rng"] = RNG
    arguments.update(change)
    if arguments["model"] == "logits":  # a model whose outputs are not probabilities
        arguments["model"] = keras.Model(model.inputs, model.outputs[0] * 3.0 - 1.0)
    model.predict_on_batch(vocabulary.encode("abc")[None])  # states that are not zero
    before = _states(model)
    with pytest.raises(error, match=message):
        sampling.sample_text(**arguments)
    if change.get("model") != "logits":
        assert np.array_equal(_states(model), before), "the states changed before the refusal"
    else:
        assert not _states(model).any(), "the states are zeroed again after a refusal mid-way"


def test_valid_input_of_the_kinds_a_check_could_refuse_still_works(writer, tmp_path):
    # NumPy ints and bools, tuples and arrays, float32 and uint8
    assert text.CharVocabulary(list("cab")).characters == ["¿", "a", "b", "c"]
    assert text.CharVocabulary(("c", "a"), unknown="?").characters == ["?", "a", "c"]
    assert VOCABULARY.encode("az", allow_unknown=np.bool_(True)).tolist() == [1, 0]
    assert VOCABULARY.decode([]) == "" and VOCABULARY.decode(np.array([3, 1], "uint8")) == "ca"
    corpus = {"a": "x" * 10, "b": "y", "c": "z"}
    split = text.split_by_topic(corpus, np.array([0.8, 0.1, 0.1]), seed=np.int64(0))
    assert split.topics == text.split_by_topic(corpus, [0.8, 0.1, 0.1]).topics
    inputs, targets, _ = text.mask_characters(np.full((2, 3), 255, "uint8"), 0.99, 256, seed=1)
    assert inputs.dtype == np.int32 and 256 in inputs and targets.max() == 255
    assert text.char_streams(np.arange(30, dtype="uint8"), np.int64(2), 3)[0].dtype == np.int32
    assert _headers(tmp_path, "core/../core") == {"core/a.h": "int a;\n"}
    assert _headers(tmp_path) == {"core/a.h": "int a;\n"}
    # a temperature so low that p ** (1 / T) underflows: the limit, the argmax (ties share)
    assert sampling.with_temperature(P, 1e-320).tolist() == [0, 0, 1, 0, 0]
    assert sampling.with_temperature([0.5, 0.5], 1e-320).tolist() == [0.5, 0.5]
    assert sampling.sample_index(np.float32(P), RNG, 1e-320, top_k=np.int64(2)) == 2
    # decoders: float32 probabilities, a tuple of states, batch of NumPy ints
    float32 = returning(lambda t: CHAIN[t].astype("float32"))
    states = (np.zeros((2, 2), "float32"),)
    assert decoding.greedy_decode(float32, states, np.int64(0), 1, np.int32(3)).shape == (2, 3)
    tokens, scores = decoding.beam_search(float32, states, 0, 1, 3, beam_width=np.int64(2))
    assert tokens.tolist() == [[3, 1, 1]] * 2 and np.allclose(scores, np.log(0.4 * 0.9))
    assert metrics.nmse(
        np.float32([1, 2, 3]), (1, 2, 4), variance=np.float32(1.0)
    ) == pytest.approx(1 / 3)
    assert metrics.nmse_by_period(YEARS, YEARS + 1, {"a": (1920, 1921)}, variance=1) == {"a": 1.0}
    model, vocabulary = writer
    assert (
        len(sampling.sample_text(model, vocabulary, "ab", np.int64(4), RNG, top_k=np.int64(2))) == 4
    )
    assert len(sampling.sample_text(model, vocabulary, "ab", 3, RNG, temperature=1e-320)) == 3
