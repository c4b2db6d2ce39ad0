"""The offline English corpus and the character tools of notebooks 06 and 08."""

import numpy as np
import pytest

from rnnbook.data import code, text


def test_clean_prose_keeps_sentences_and_drops_code_headings_and_examples():
    raw = (
        'The "if" statement\n******************\n\n'
        "The statement is used for\nconditional execution:\n\n"
        '   if_stmt ::= "if" expression ":" suite\n\n'
        ">>> print(1)\n1\n\n"
        "It selects exactly one of the suites by evaluating the expressions one by one.\n"
    )
    prose = text.clean_prose(raw)
    assert prose.splitlines() == [
        "The statement is used for conditional execution:",
        "It selects exactly one of the suites by evaluating the expressions one by one.",
    ]


def test_the_python_docs_corpus_is_english_prose_of_many_topics():
    corpus = text.python_docs_corpus()
    assert len(corpus) > 40 and sum(len(t) for t in corpus.values()) > 100_000
    joined = " ".join(corpus.values())
    assert joined.count(" the ") > 1000 and ">>>" not in joined and "::=" not in joined


def test_split_by_topic_puts_every_topic_in_exactly_one_split_near_the_fractions():
    corpus = text.python_docs_corpus()
    splits = text.split_by_topic(corpus, (0.8, 0.1, 0.1), seed=0)
    topics = splits.topics
    assert sorted(topics["train"] + topics["validation"] + topics["test"]) == sorted(corpus)
    assert not set(topics["train"]) & set(topics["test"]) and not set(topics["validation"]) & set(
        topics["test"]
    )
    sizes = splits.sizes()
    total = sum(sizes.values())
    assert (
        abs(sizes["train"] / total - 0.8) < 0.05 and sizes["test"] > 0 and sizes["validation"] > 0
    )
    assert text.split_by_topic(corpus, seed=0) == splits
    assert text.split_by_topic(corpus, seed=1).topics != topics


@pytest.mark.parametrize(
    ("corpus", "fractions", "error", "words"),
    [
        ({}, (0.8, 0.1, 0.1), ValueError, "non-empty dict"),
        ({"a": "x", "b": "y"}, (0.8, 0.1, 0.1), ValueError, "at least 3 topics"),
        ({"a": "x", "b": "y", "c": ""}, (0.8, 0.1, 0.1), ValueError, "corpus\\['c'\\]"),
        ({"a": "x", "b": "y", "c": "z"}, (0.8, 0.1, 0.2), ValueError, "sum to 1"),
        ({"a": "x", "b": "y", "c": "z"}, (0.8, 0.2), ValueError, "three positive"),
        ({"a": "x", "b": "y", "c": "z"}, (0.8, -0.1, 0.3), ValueError, "each fraction"),
    ],
)
def test_split_by_topic_refuses_bad_input(corpus, fractions, error, words):
    with pytest.raises(error, match=words):
        text.split_by_topic(corpus, fractions)


def test_every_split_gets_a_topic_even_with_three_topics():
    splits = text.split_by_topic({"a": "x" * 100, "b": "y", "c": "z"}, (0.8, 0.1, 0.1))
    assert all(len(v) == 1 for v in splits.topics.values())


def test_vocabulary_round_trips_and_maps_unknown_characters_only_when_asked():
    vocabulary = text.CharVocabulary.from_text("hello world")
    assert len(vocabulary) == 8 + 1 and vocabulary.characters[0] == "¿"
    ids = vocabulary.encode("hello")
    assert ids.dtype == np.int32 and vocabulary.decode(ids) == "hello"
    with pytest.raises(ValueError, match="'z' at index 2"):
        vocabulary.encode("hoz")
    assert vocabulary.decode(vocabulary.encode("hoz", allow_unknown=True)) == "ho¿"


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: text.CharVocabulary.from_text(""), ValueError, "must not be empty"),
        (lambda: text.CharVocabulary.from_text(b"abc"), TypeError, "text must be a str"),
        (lambda: text.CharVocabulary("ab¿"), ValueError, "occurs in the characters"),
        (lambda: text.CharVocabulary("ab").decode([5]), ValueError, "ids must lie in \\[0, 3\\)"),
        (lambda: text.CharVocabulary("ab").decode([0.5]), TypeError, "integers"),
        (lambda: text.CharVocabulary("ab").encode(3), TypeError, "text must be a str"),
    ],
)
def test_vocabulary_refuses_bad_input(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_char_windows_cut_fixed_length_examples():
    ids = np.arange(10, dtype="int32")
    assert text.char_windows(ids, 4).tolist() == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert text.char_windows(ids, 4, stride=3).tolist() == [
        [0, 1, 2, 3],
        [3, 4, 5, 6],
        [6, 7, 8, 9],
    ]
    with pytest.raises(ValueError, match="longer than the text"):
        text.char_windows(ids, 11)
    with pytest.raises(ValueError, match="1-D integer array"):
        text.char_windows(np.zeros((2, 3), "int32"), 2)
    with pytest.raises(ValueError, match="stride"):
        text.char_windows(ids, 2, stride=0)


def test_mask_characters_hides_about_the_rate_and_keeps_the_targets():
    windows = np.random.default_rng(0).integers(1, 50, size=(200, 40)).astype("int32")
    inputs, targets, hidden = text.mask_characters(windows, 0.15, mask_id=50, seed=3)
    assert np.array_equal(targets, windows) and hidden.dtype == np.float32
    assert np.all((inputs == 50) == (hidden == 1)) and np.all(
        inputs[hidden == 0] == windows[hidden == 0]
    )
    assert 0.13 < hidden.mean() < 0.17
    again = text.mask_characters(windows, 0.15, mask_id=50, seed=3)
    assert np.array_equal(again[0], inputs)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ((np.zeros(5, "int32"), 0.1, 9), ValueError, "2-D integer array"),
        ((np.ones((2, 3), "int32"), 1.0, 9), ValueError, "rate must be a fraction"),
        ((np.ones((2, 3), "int32"), 0.1, 1), ValueError, "mask_id 1 occurs in windows"),
        ((np.ones((2, 3), "int32"), 0.0, 9), ValueError, "rate"),
    ],
)
def test_mask_characters_refuses_bad_input(arguments, error, words):
    with pytest.raises(error, match=words):
        text.mask_characters(*arguments)


def test_tensorflow_headers_are_read_by_file_below_a_folder():
    headers = code.tensorflow_headers(under="core/platform")
    assert len(headers) > 10 and all(
        p.startswith("core/platform/") and p.endswith(".h") for p in headers
    )
    assert any("#include" in t for t in headers.values())
    splits = text.split_by_topic(headers, seed=0)
    assert not set(splits.topics["train"]) & set(splits.topics["test"])


def test_missing_tensorflow_headers_are_a_clear_error(tmp_path):
    with pytest.raises(RuntimeError, match="built without them"):
        code.tensorflow_headers(root=tmp_path)
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "a.h").write_text("int a;\n")
    assert code.tensorflow_headers(root=tmp_path) == {"core/a.h": "int a;\n"}
    with pytest.raises(TypeError, match="under must be a str"):
        code.tensorflow_headers(under=3, root=tmp_path)


def test_char_streams_pairs_each_id_with_the_next_and_each_row_continues_its_stream():
    ids = np.arange(1, 30, dtype="int32")  # 29 ids: 28 pairs, 3 streams of 2 windows of 4
    inputs, targets = text.char_streams(ids, streams=3, window=4)
    assert inputs.shape == targets.shape == (6, 4) and inputs.dtype == np.int32
    assert np.array_equal(targets, inputs + 1)
    for row in range(3, 6):  # batch 1, row j continues batch 0, row j
        assert inputs[row, 0] == inputs[row - 3, -1] + 1
    assert inputs[:3, 0].tolist() == [1, 9, 17]  # the streams start a third of the way apart


@pytest.mark.parametrize(
    ("ids", "streams", "window", "words"),
    [
        (np.arange(10), 3, 4, "too short for 3 streams"),
        (np.arange(10).reshape(2, 5), 1, 2, "1-D integer array"),
        (np.arange(10.0), 1, 2, "1-D integer array"),
        (np.arange(10), 0, 2, "streams"),
        (np.arange(10), 1, 0, "window"),
    ],
)
def test_char_streams_refuses_bad_input(ids, streams, window, words):
    with pytest.raises(ValueError, match=words):
        text.char_streams(ids, streams, window)


def test_code_features_see_comments_literals_and_nesting_as_a_programmer_does():
    source = 'int f(int a) { // add "one"\n  return g("}{", \'x\') + a; /*/ c */ }\nx'
    features = code.code_features(source)
    assert all(len(v) == len(source) for v in features.values())

    def where(name, part, start=0):
        i = source.index(part, start)
        return features[name][i : i + len(part)]

    assert where("comment", '// add "one"').tolist() == [1] * 12
    assert features["comment"][source.index("\n")] == 0  # a line comment ends before the newline
    assert where("string", '"one"').sum() == 0  # quotes inside a comment are no literal
    assert (
        where("string", '"}{"').tolist() == [1] * 4 and where("string", "'x'").tolist() == [1] * 3
    )
    assert where("comment", "/*/ c */").tolist() == [1] * 8  # "/*/" does not close the comment
    assert features["comment"][source.index("}\nx")] == 0
    assert where("brace depth", "return").tolist() == [1] * 6  # inside f's body
    # "}{" in "" ignored
    assert features["brace depth"][source.index("x", source.index("}\n"))] == 0
    assert where("paren depth", "int a").tolist() == [1] * 5 and features["paren depth"][0] == 0
    assert features["column"][source.index("return")] == 2 and features["column"][-1] == 0


def test_code_features_escapes_and_type_errors():
    features = code.code_features(r'"a\"b" c')
    assert features["string"].tolist() == [1, 1, 1, 1, 1, 1, 0, 0]
    with pytest.raises(TypeError, match="text must be a str"):
        code.code_features(b"int x;")
