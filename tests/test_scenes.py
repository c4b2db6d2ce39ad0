"""The generated pictures of notebook 07: captioned scenes and activity clips."""

import numpy as np
import pytest

from rnnbook.data import scenes


def test_scenes_are_seeded_images_with_two_true_captions():
    images, captions = scenes.captioned_scenes(20, seed=4, size=32)
    assert images.shape == (20, 32, 32, 3) and images.dtype == np.float32
    assert 0 <= images.min() and images.max() <= 1
    again, same = scenes.captioned_scenes(20, seed=4, size=32)
    assert np.array_equal(images, again) and captions == same
    for first, second in captions:
        a, _, b = (
            first.partition(" left of ") if " left of " in first else first.partition(" above ")
        )
        assert second in (f"{b} right of {a}", f"{b} below {a}")


def test_a_caption_describes_what_is_drawn():
    # the first-named shape's colour lies left of (or above) the other's, pixel by pixel
    def centre(image, colour):
        mask = np.all(np.isclose(image, scenes.COLOURS[colour], atol=1e-6), axis=-1)
        return np.argwhere(mask).mean(axis=0)

    images, captions = scenes.captioned_scenes(30, seed=1, noise=0.0)
    for image, (caption, _) in zip(images, captions):
        words = caption.split()
        first_colour, second_colour = words[2], words[-2]
        if first_colour != second_colour:
            (r1, c1), (r2, c2) = centre(image, first_colour), centre(image, second_colour)
            assert (c1 < c2) if " left of " in caption else (r1 < r2), caption


def test_held_out_pairs_stay_out_of_a_split_and_fill_the_compositional_one():
    held = [("red", "triangle"), ("blue", "circle")]
    _, ordinary = scenes.captioned_scenes(200, seed=0, held_out=held)
    _, compositional = scenes.captioned_scenes(50, seed=1, held_out=held, only_held_out=True)
    named = lambda caption: [" ".join(p) for p in held if " ".join(p) in caption]
    assert not any(named(c[0]) for c in ordinary)
    assert all(named(c[0]) for c in compositional)


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ({"n": 0}, ValueError, "n must be an int >= 1"),
        ({"n": 2, "size": 8}, ValueError, "size"),
        ({"n": 2, "held_out": [("purple", "circle")]}, ValueError, "held_out must hold"),
        ({"n": 2, "only_held_out": True}, ValueError, "needs at least one held_out"),
    ],
)
def test_scenes_refuse_bad_input(arguments, error, words):
    with pytest.raises(error, match=words):
        scenes.captioned_scenes(**arguments)


def test_activity_clips_are_balanced_and_need_the_order_of_the_frames():
    clips, labels = scenes.activity_clips(60, seed=2, frames=6, size=24, noise=0.0)
    assert clips.shape == (60, 6, 24, 24, 1) and labels.dtype.kind == "i"
    assert np.bincount(labels, minlength=6).tolist() == [10] * 6
    # reversing a clip turns "moves up" into "moves down" and "grows" into "shrinks":
    # the frames are the same, only their order differs
    up, down = scenes.ACTIVITIES.index("moves up"), scenes.ACTIVITIES.index("moves down")
    bright = lambda clip: [np.argwhere(frame[..., 0] == 1.0).mean(axis=0)[0] for frame in clip]
    for clip, label in zip(clips, labels):
        rows = bright(clip)
        if label == up:
            assert rows[-1] < rows[0] - 3
        if label == down:
            assert rows[-1] > rows[0] + 3


def test_draw_shape_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        scenes.draw_shape(np.zeros((8, 8, 3)), "star", (4, 4), 2, (1, 1, 1))
