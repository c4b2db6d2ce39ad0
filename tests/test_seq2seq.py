"""Sequence to sequence (notebook 09): the number translation task, its vocabulary, the
encoder-decoder with and without attention, its metrics, and the two-event video clips."""

import re
from collections import Counter

import keras
import numpy as np
import pytest
from helpers import check, numpy
from keras import ops
from num2words import num2words

from rnnbook import seq2seq
from rnnbook.data import numbers, scenes
from rnnbook.seq2seq import END, PAD, START

SOURCE = numbers.Vocabulary(["abcdef"])
TARGET = numbers.Vocabulary(["0123"])  # small, so that untrained models write END now and then
SOURCES = SOURCE.encode(["abc", "fedcba", "a", "bb"], end=False)  # padded with 0
TARGETS = TARGET.encode(["12", "3012", "3", "00"], start=True, end=True)


def up_to_end(row):
    """The tokens of one decoded row up to and including its first END."""
    row = list(np.asarray(row).tolist())
    return row[: row.index(END) + 1] if END in row else row


# ---------------------------------------------------------------- the translation task


def test_german_crosses_units_before_tens():
    assert numbers.number_words([34, 21, 7]) == ["vierunddreißig", "einundzwanzig", "sieben"]
    assert numbers.number_words([34], language="en") == ["thirty-four"]


@pytest.mark.parametrize("language", ["de", "en", "fr"])
def test_number_pairs_round_trip_through_num2words(language):
    values, words, digits = numbers.number_pairs(40, seed=3, language=language)
    assert [str(v) for v in values] == digits
    assert numbers.number_words([int(d) for d in digits], language) == words


def test_number_pairs_are_seeded_distinct_and_within_range():
    values, words, digits = numbers.number_pairs(200, seed=1, largest=99_999)
    again = numbers.number_pairs(200, seed=1, largest=99_999)
    assert np.array_equal(values, again[0]) and words == again[1] and digits == again[2]
    assert not np.array_equal(values, numbers.number_pairs(200, seed=2, largest=99_999)[0])
    assert len(set(values.tolist())) == len(values)
    assert values.min() >= 0 and values.max() <= 99_999


def test_number_pairs_draw_the_count_of_digits_uniformly():
    values, _, digits = numbers.number_pairs(600, seed=0)
    counts = Counter(len(d) for d in digits)
    assert sorted(values[values < 10].tolist()) == list(range(10))  # the one-digit band runs out
    share = (600 - 10) / 5
    assert all(0.75 * share < counts[k] < 1.25 * share for k in range(2, 7)), counts


@pytest.fixture(scope="module")
def translation():
    return numbers.number_translation(300, 100, seed=0)


def test_no_number_is_in_both_splits(translation):
    assert not set(translation["train"][1]) & set(translation["test"][1])
    assert len(translation["train"][0]) == 300 and len(translation["test"][0]) == 100


def test_the_test_split_holds_sources_longer_than_any_in_training(translation):
    train_lengths = [len(w) for w in translation["train"][0]]
    assert max(train_lengths) <= 50  # longest_source's default
    assert max(len(w) for w in translation["test"][0]) > max(train_lengths)
    short = numbers.number_translation(100, 10, seed=1, longest_source=20)
    assert max(len(w) for w in short["train"][0]) <= 20


def test_every_translation_pair_round_trips(translation):
    for words, digits in (translation["train"], translation["test"]):
        assert all(num2words(int(d), lang="de") == w for w, d in zip(words, digits))


def test_number_translation_is_seeded():
    first = numbers.number_translation(50, 20, seed=5, largest=9999)
    assert first == numbers.number_translation(50, 20, seed=5, largest=9999)
    assert first != numbers.number_translation(50, 20, seed=6, largest=9999)


# ---------------------------------------------------------------- the vocabulary


def test_vocabulary_reserves_padding_start_and_end_and_round_trips():
    vocabulary = numbers.Vocabulary(["vier", "drei"])
    assert vocabulary.tokens[:3] == ["<pad>", "<start>", "<end>"]
    assert (vocabulary.pad, vocabulary.start, vocabulary.end) == (0, 1, 2)
    assert len(vocabulary) == 3 + len(set("vierdrei"))
    ids = vocabulary.encode(["vier", "dir", ""], length=6)
    assert ids.shape == (3, 6) and ids.dtype == np.int32
    assert (
        ids[1, 3] == 2 and ids[1, 4:].tolist() == [0, 0] and ids[2].tolist() == [2, 0, 0, 0, 0, 0]
    )
    assert vocabulary.decode(ids) == ["vier", "dir", ""]


def test_vocabulary_puts_start_first_and_end_last_when_asked():
    vocabulary = numbers.Vocabulary(["ab"])
    a, b = vocabulary.encode(["a", "b"], end=False)[:, 0]
    assert vocabulary.encode(["ab"], length=4, start=True, end=False).tolist() == [[1, a, b, 0]]
    assert vocabulary.encode(["ab"], start=True).tolist() == [[1, a, b, 2]]
    assert vocabulary.decode(vocabulary.encode(["ab"], start=True)) == ["ab"]


def test_vocabulary_refuses_an_unknown_character_and_a_short_length():
    vocabulary = numbers.Vocabulary(["ab"])
    check(lambda: vocabulary.encode(["ab", "abc"]), ValueError, r"texts\[1\].*\['c'\]")
    check(lambda: vocabulary.encode(["ab"], length=2), ValueError, "length must be at least 3")


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: numbers.number_pairs(0), ValueError, "n must be an int >= 1"),
        (lambda: numbers.number_pairs(11, largest=9), ValueError, "n must be at most 10"),
        (lambda: numbers.number_words([1], language="xx"), ValueError, "language must be one"),
        (lambda: numbers.number_words(5), TypeError, "numbers must be a list"),
        (lambda: numbers.number_words([-1]), ValueError, r"numbers\[0\] must be an int >= 0"),
        (
            lambda: numbers.number_translation(10, 10, longest_source=0),
            ValueError,
            "longest_source",
        ),
        (lambda: numbers.number_translation(10, 10, test_share=1.5), ValueError, "test_share must"),
        (lambda: numbers.number_translation(10, 10, test_share=0), ValueError, "test_share must"),
        (lambda: numbers.number_translation(0, 10), ValueError, "train must be an int >= 1"),
        (lambda: numbers.Vocabulary([]), ValueError, "texts must not be empty"),
        (lambda: numbers.Vocabulary(["ab", 3]), TypeError, r"texts\[1\] must be a str"),
        (lambda: numbers.Vocabulary(["ab"]).encode(["a"], length=0), ValueError, "length must"),
        (lambda: numbers.Vocabulary(["ab"]).encode(["a"], end="no"), TypeError, "end must"),
        (lambda: numbers.Vocabulary(["ab"]).decode([[3, 9]]), ValueError, "ids must lie in"),
    ],
)
def test_numbers_refuse_bad_input_naming_the_argument(call, error, words):
    check(call, error, words)


# ---------------------------------------------------------------- scheduled sampling


def test_teacher_probability_decays_from_one_and_agrees_on_numbers_and_tensors():
    steps = [0, 1, 10, 50, 200, 10_000]
    assert seq2seq.teacher_probability(123, None) == 1.0
    by_number = np.array([seq2seq.teacher_probability(s, 10.0) for s in steps])
    assert by_number[0] == pytest.approx(10 / 11) and by_number[-1] < 1e-12
    assert np.all(np.diff(by_number) < 0)
    by_tensor = numpy(seq2seq.teacher_probability(ops.convert_to_tensor(steps, "float32"), 10.0))
    assert np.allclose(by_tensor, by_number, atol=1e-6)
    variable = keras.Variable(10.0, trainable=False)  # what Seq2Seq passes: its step counter
    assert float(numpy(seq2seq.teacher_probability(variable, 10.0))) == pytest.approx(by_number[2])


# ---------------------------------------------------------------- the encoder-decoder


@pytest.fixture(scope="module")
def untrained():
    """One seeded, untrained model per kind of attention."""
    models = {}
    for attention in seq2seq.ATTENTION_KINDS:
        keras.utils.set_random_seed(0)
        models[attention] = seq2seq.Seq2Seq(
            len(SOURCE), len(TARGET), units=6, embedding_dim=4, attention=attention
        )
        models[attention]((SOURCES, TARGETS))
    return models


@pytest.mark.parametrize("attention", seq2seq.ATTENTION_KINDS)
def test_outputs_have_one_row_per_target_step(untrained, attention):
    model = untrained[attention]
    batch, steps = TARGETS.shape
    assert tuple(model((SOURCES, TARGETS)).shape) == (batch, steps, len(TARGET))
    logits, weights = model.decode(SOURCES, TARGETS)
    assert tuple(logits.shape) == (batch, steps, len(TARGET))
    assert tuple(weights.shape) == (batch, steps, SOURCES.shape[1])
    tokens, weights = model.greedy(SOURCES, 5)
    assert tokens.shape == (batch, 5) and weights.shape == (batch, 5, SOURCES.shape[1])
    assert model.beam_search(SOURCES, 5, beam_width=2).shape == (batch, 5)


@pytest.mark.parametrize("attention", ["additive", "multiplicative"])
def test_attention_weights_sum_to_one_over_the_source_and_skip_its_padding(untrained, attention):
    weights = numpy(untrained[attention].decode(SOURCES, TARGETS)[1])
    real = (SOURCES != PAD)[:, None, :]
    assert np.allclose(weights.sum(axis=-1), 1.0, atol=1e-5)
    assert np.all(weights[np.broadcast_to(~real, weights.shape)] == 0)
    assert np.all(weights[np.broadcast_to(real, weights.shape)] > 0)
    assert np.allclose(weights[2, :, 0], 1.0, atol=1e-6)  # a one-character source


def test_without_attention_the_weights_are_zero(untrained):
    assert not np.any(numpy(untrained[None].decode(SOURCES, TARGETS)[1]))


@pytest.mark.parametrize("attention", seq2seq.ATTENTION_KINDS)
def test_beam_width_one_is_greedy(untrained, attention):
    model = untrained[attention]
    greedy, _ = model.greedy(SOURCES, 6)
    beam = model.beam_search(SOURCES, 6, beam_width=1)
    assert [up_to_end(row) for row in greedy] == [up_to_end(row) for row in beam]


@pytest.mark.parametrize("attention", seq2seq.ATTENTION_KINDS)
def test_greedy_is_teacher_forcing_on_its_own_tokens(untrained, attention):
    model = untrained[attention]
    greedy, greedy_weights = model.greedy(SOURCES, 6)
    fed = np.concatenate([np.full((len(greedy), 1), START), greedy[:, :-1]], axis=1)
    logits, weights = model.decode(SOURCES, fed.astype("int32"), teacher_probability=1.0)
    assert np.array_equal(numpy(ops.argmax(logits, axis=-1)), greedy)
    assert np.allclose(numpy(weights), greedy_weights, atol=1e-6)


@pytest.mark.parametrize("attention", seq2seq.ATTENTION_KINDS)
def test_teacher_forced_step_reads_only_the_targets_up_to_it(untrained, attention):
    model = untrained[attention]
    changed = TARGETS.copy()
    changed[:, 2:] = (TARGETS[:, 2:] + 1) % len(TARGET)
    before = numpy(model.decode(SOURCES, TARGETS, teacher_probability=1.0)[0])
    after = numpy(model.decode(SOURCES, changed, teacher_probability=1.0)[0])
    assert np.array_equal(before[:, :2], after[:, :2])
    assert np.all(np.abs(before[:, 2] - after[:, 2]).max(axis=-1) > 1e-6)


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    """A model trained one epoch (48 pairs, 3 batches) with scheduled sampling, and its copy
    saved and loaded."""
    pairs = numbers.number_translation(48, 4, seed=0, largest=999)
    source = numbers.Vocabulary(pairs["train"][0] + pairs["test"][0])
    x = source.encode(pairs["train"][0], end=False)
    target = numbers.Vocabulary(["0123456789"])
    y = target.encode(pairs["train"][1], start=True, end=True)
    keras.utils.set_random_seed(0)
    model = seq2seq.Seq2Seq(len(source), len(target), units=6, embedding_dim=4, sampling_decay=5.0)
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD),
    )
    model.fit((x, y[:, :-1]), y[:, 1:], batch_size=16, epochs=1, verbose=0)
    steps_after_fit = float(numpy(model.training_steps))
    model.evaluate((x, y[:, :-1]), y[:, 1:], batch_size=16, verbose=0)
    path = tmp_path_factory.mktemp("seq2seq") / "scheduled.keras"
    model.save(path)
    return model, keras.models.load_model(path), x[:6], y[:6], steps_after_fit


def test_training_steps_count_the_steps_of_fit_under_scheduled_sampling(scheduled):
    model, _, _, _, steps_after_fit = scheduled
    assert steps_after_fit == 3.0  # 48 pairs in batches of 16
    assert float(numpy(model.training_steps)) == 3.0  # evaluate does not count


def test_a_saved_model_loads_with_the_same_outputs(scheduled):
    model, loaded, x, y, _ = scheduled
    assert loaded.sampling_decay == 5.0 and float(numpy(loaded.training_steps)) == 3.0
    assert np.allclose(numpy(model((x, y[:, :-1]))), numpy(loaded((x, y[:, :-1]))), atol=1e-6)
    assert np.array_equal(model.greedy(x, 5)[0], loaded.greedy(x, 5)[0])


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    """A video describer: a small per-frame CNN, words as tokens, trained one epoch, saved and
    loaded."""
    clips, sentences = scenes.two_event_clips(16, seed=0, frames=6, size=16)
    words = sorted({w for s in sentences for w in s.split()})
    ids = {w: i + 3 for i, w in enumerate(words)}
    length = 2 + max(len(s.split()) for s in sentences)
    y = np.zeros((len(sentences), length), "int32")
    for row, sentence in enumerate(sentences):
        codes = [START] + [ids[w] for w in sentence.split()] + [END]
        y[row, : len(codes)] = codes
    cnn = keras.Sequential(
        [
            keras.layers.Conv2D(4, 3, strides=2, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
        ]
    )
    keras.utils.set_random_seed(0)
    model = seq2seq.Seq2Seq(
        None, 3 + len(words), units=6, embedding_dim=4,
        source_layer=keras.layers.TimeDistributed(cnn),
    )  # fmt: skip
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD),
    )
    history = model.fit((clips, y[:, :-1]), y[:, 1:], batch_size=8, epochs=1, verbose=0)
    path = tmp_path_factory.mktemp("video") / "video.keras"
    model.save(path)
    return model, keras.models.load_model(path), clips[:3], y[:3], history


def test_a_video_describer_trains_saves_and_loads(video):
    model, loaded, clips, y, history = video
    assert np.isfinite(history.history["loss"][0])
    assert isinstance(loaded.source_layer, keras.layers.TimeDistributed)
    assert np.allclose(
        numpy(model((clips, y[:, :-1]))), numpy(loaded((clips, y[:, :-1]))), atol=1e-6
    )
    tokens, weights = loaded.greedy(clips, 4)
    assert tokens.shape == (3, 4) and weights.shape == (3, 4, clips.shape[1])
    assert np.allclose(weights.sum(axis=-1), 1.0, atol=1e-5)  # over all frames: none is padding
    assert [up_to_end(r) for r in tokens] == [
        up_to_end(r) for r in loaded.beam_search(clips, 4, beam_width=1)
    ]


def test_training_steps_stay_zero_without_sampling_decay(video):
    model, loaded, *_ = video
    assert model.sampling_decay is None
    assert float(numpy(model.training_steps)) == 0.0 == float(numpy(loaded.training_steps))


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: seq2seq.Seq2Seq(5, 6, attention="dot"), ValueError, "attention must be one of"),
        (lambda: seq2seq.AttentionDecoder(6, 4, attention="dot"), ValueError, "attention must be"),
        (lambda: seq2seq.Seq2Seq(5, 6, units=0), ValueError, "units must be an int >= 1"),
        (lambda: seq2seq.AttentionDecoder(6, 0), ValueError, "units must be an int >= 1"),
        (lambda: seq2seq.Seq2Seq(5, 6, source_layer="cnn"), TypeError, "source_layer must be"),
        (lambda: seq2seq.Seq2Seq(5, 2), ValueError, "target_vocabulary_size must be an int >= 3"),
        (lambda: seq2seq.Seq2Seq(0, 6), ValueError, "source_vocabulary_size must be"),
        (lambda: seq2seq.Seq2Seq(5, 6, sampling_decay=0), ValueError, "sampling_decay must be"),
        (lambda: seq2seq.Seq2Seq(5, 6, mask_source="yes"), TypeError, "mask_source must be"),
    ],
)
def test_seq2seq_refuses_bad_arguments_naming_them(call, error, words):
    check(call, error, words)


# ---------------------------------------------------------------- metrics


def test_exact_match_stops_at_end_and_ignores_padding():
    predicted = [[5, 6, END, 7, 7], [5, 7, END, 0, 0], [5, 6, 0, 0, 0], [5, 6, 7, END, 0]]
    expected = [[5, 6, END, 0, 0], [5, 6, END, 0, 0], [5, 6, 7, END, 0], [5, 6, 0, 0, 0]]
    assert seq2seq.exact_match(np.array(predicted), np.array(expected)).tolist() == [
        True,
        False,
        False,
        False,
    ]
    assert seq2seq.exact_match([[4, END, 9]], [[4, 0, 0]]).tolist() == [True]


def test_character_error_rate_is_edit_distance_over_the_expected_length():
    predicted = np.array([[5, 6, END, 7], [5, 7, END, 0], [5, 6, 0, 0]])
    expected = np.array([[5, 6, END, 0], [5, 6, END, 0], [5, 6, 7, END]])
    # 0 errors, 1 substitution, 1 deletion, over 2 + 2 + 3 expected characters
    assert seq2seq.character_error_rate(predicted, expected) == pytest.approx(2 / 7)
    assert seq2seq.character_error_rate(expected, expected) == 0.0
    assert seq2seq.character_error_rate([[3, 4, 5, END]], [[END, 0, 0, 0]]) == 3.0  # over max(1, 0)


# ---------------------------------------------------------------- two-event clips

PATTERN = re.compile(
    r"the ({}) ({}) then ({})$".format("|".join(scenes.KINDS), *["|".join(scenes.ACTIVITIES)] * 2)
)


def test_two_event_clips_are_seeded_float_frames_with_a_sentence_each():
    clips, sentences = scenes.two_event_clips(30, seed=2, frames=8, size=20)
    assert clips.shape == (30, 8, 20, 20, 1) and clips.dtype == np.float32
    assert clips.min() >= 0 and clips.max() <= 1 and len(sentences) == 30
    again, same = scenes.two_event_clips(30, seed=2, frames=8, size=20)
    assert np.array_equal(clips, again) and sentences == same
    other, _ = scenes.two_event_clips(30, seed=3, frames=8, size=20)
    assert not np.array_equal(clips, other)
    for sentence in sentences:
        match = PATTERN.match(sentence)
        assert match and match.group(2) != match.group(3), sentence


def _area_and_centre(frame):
    rows, columns = np.nonzero(frame[..., 0] > 0.5)
    return len(rows), rows.mean(), columns.mean()


@pytest.mark.parametrize("event", ["first", "second"])
def test_each_half_of_a_clip_does_what_its_sentence_says(event):
    frames = 12
    clips, sentences = scenes.two_event_clips(60, seed=0, frames=frames, noise=0.0)
    begin, end = (0, frames // 2 - 1) if event == "first" else (frames // 2 - 1, frames - 1)
    seen = set()
    for clip, sentence in zip(clips, sentences):
        activity = PATTERN.match(sentence).group(2 if event == "first" else 3)
        seen.add(activity)
        (a0, r0, c0), (a1, r1, c1) = _area_and_centre(clip[begin]), _area_and_centre(clip[end])
        done = {
            "grows": a1 > a0,
            "shrinks": a1 < a0,
            "moves up": r1 < r0 - 2,
            "moves down": r1 > r0 + 2,
            "moves left": c1 < c0 - 2,
            "moves right": c1 > c0 + 2,
        }[activity]
        assert done, (sentence, event, (a0, r0, c0), (a1, r1, c1))
    assert seen == set(scenes.ACTIVITIES)


def test_a_shape_that_grows_second_has_more_bright_pixels_at_the_end_than_in_the_middle():
    clips, sentences = scenes.two_event_clips(40, seed=1, noise=0.0)
    growing = [i for i, s in enumerate(sentences) if s.endswith("then grows")]
    assert growing
    bright = (clips > 0.5).sum(axis=(2, 3, 4))
    middle = clips.shape[1] // 2
    assert np.all(bright[growing, -1] > bright[growing, middle])


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"n": 0}, ValueError, "n must be an int >= 1"),
        ({"n": "3"}, TypeError, "n must be an int"),
        ({"n": 2, "frames": 3}, ValueError, "frames must be an int >= 4"),
        ({"n": 2, "size": 8}, ValueError, "size must be an int >= 16"),
        ({"n": 2, "noise": -1}, ValueError, "noise must be"),
        ({"n": 2, "seed": -1}, ValueError, "seed must be"),
    ],
)
def test_two_event_clips_refuse_bad_input(arguments, error, words):
    check(lambda: scenes.two_event_clips(**arguments), error, words)


def test_bad_arguments_found_in_review_get_errors_that_name_them():
    with pytest.raises(ValueError, match="decay"):
        seq2seq.teacher_probability(3, 0)
    with pytest.raises(ValueError, match="attention_units"):
        seq2seq.AttentionDecoder(13, 4, attention="multiplicative", attention_units=8)
    with pytest.raises(ValueError, match="test must be at most"):
        numbers.number_translation(10, 100, largest=99)
    with pytest.raises(TypeError, match="texts"):
        numbers.Vocabulary(None)
    with pytest.raises(ValueError, match="texts"):
        numbers.Vocabulary(["ab"]).encode([])
    model = seq2seq.Seq2Seq(5, 6, units=4)
    with pytest.raises(ValueError, match="max_length"):
        model.greedy(np.array([[3, 4, 0]]), 0)
    with pytest.raises(ValueError, match="source"):
        model.greedy(np.zeros((0, 3), "int32"), 3)
    with pytest.raises(ValueError, match="rows"):
        seq2seq.exact_match(np.array([[3, 2]]), np.array([[3, 2], [4, 2]]))


def test_a_pad_written_before_the_end_is_an_error_and_trailing_padding_is_not():
    expected = np.array([[3, 4, 2, 0]])
    assert not seq2seq.exact_match(np.array([[3, 0, 4, 2]]), expected)[0]
    assert seq2seq.exact_match(np.array([[3, 4, 0, 0]]), expected)[0]
    assert seq2seq.character_error_rate(np.array([[3, 0, 4, 2]]), expected) == 0.5
