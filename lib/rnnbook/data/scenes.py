"""Generated pictures for notebook 07, seeded and small enough for a CPU: captioned scenes of
two shapes, and short clips of a moving shape for activity recognition. Nothing is downloaded.

**Scenes.** Each image holds two shapes, each with a colour, a kind and a size, one beside or
above the other. Its captions name both and their relation, in every true wording the grammar
allows: "a small red circle left of a large blue square" and "a large blue square right of a
small red circle" describe the same picture. :func:`captioned_scenes` can keep some
(colour, kind) pairs out of a split, so a test can ask whether a captioner *composes* what it
learnt (a red triangle, when it saw red things and triangles but never a red triangle) or
only memorised.

**Clips.** :func:`activity_clips` draws a shape that moves up, down, left or right, grows or
shrinks over a few frames, among noise and a still distractor. Every frame alone looks
alike; only the order of the frames tells the classes apart. :func:`two_event_clips` makes the
shape do two of these in a row and describes the clip in a sentence ("the square moves up then
grows"), for video description in notebook 09.
"""

from itertools import product

import numpy as np

from rnnbook import checks

__all__ = [
    "ACTIVITIES",
    "COLOURS",
    "KINDS",
    "RELATIONS",
    "SIZES",
    "activity_clips",
    "captioned_scenes",
    "draw_shape",
    "two_event_clips",
]

COLOURS = {
    "red": (0.9, 0.15, 0.1),
    "green": (0.1, 0.75, 0.2),
    "blue": (0.15, 0.3, 0.95),
    "yellow": (0.95, 0.85, 0.1),
}
KINDS = ("circle", "square", "triangle")
SIZES = {"small": 0.12, "large": 0.2}  # half-width, as a fraction of the image side
RELATIONS = {"left of": "right of", "right of": "left of", "above": "below", "below": "above"}
ACTIVITIES = ("moves up", "moves down", "moves left", "moves right", "grows", "shrinks")


def draw_shape(canvas, kind, centre, radius, colour):
    """Paint a filled ``kind`` ("circle", "square" or "triangle") of half-width ``radius``
    (pixels) at ``centre`` (row, column) onto ``canvas`` (height, width, channels), in place."""
    if not isinstance(canvas, np.ndarray) or canvas.ndim != 3:
        raise TypeError(
            "canvas must be a NumPy array (height, width, channels), painted in place, got "
            f"{type(canvas).__name__} of shape {np.shape(canvas)}"
        )
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    centre = checks.array("centre", centre, ndim=1, dtype="float64")
    if len(centre) != 2:
        raise ValueError(f"centre must be (row, column), got {centre.tolist()}")
    radius = checks.real("radius", radius, minimum=0.0)
    colour = checks.array("colour", colour, ndim=1, dtype="float64")
    if len(colour) != canvas.shape[-1]:
        raise ValueError(
            f"colour must hold one value per channel of canvas ({canvas.shape[-1]}), got "
            f"{colour.tolist()}"
        )
    if not np.issubdtype(canvas.dtype, np.floating) and np.any(colour != np.round(colour)):
        raise ValueError(
            f"colour {colour.tolist()} would be cut to whole numbers on a canvas of dtype "
            f"{canvas.dtype}: paint on a float canvas"
        )
    kind_info = np.iinfo if np.issubdtype(canvas.dtype, np.integer) else np.finfo
    low, high = float(kind_info(canvas.dtype).min), float(kind_info(canvas.dtype).max)
    if np.any((colour < low) | (colour > high)):
        raise ValueError(
            f"colour must fit the canvas's dtype {canvas.dtype} ([{low:.6g}, {high:.6g}]), got "
            f"{colour.tolist()}"
        )
    height, width = canvas.shape[:2]
    rows, cols = np.mgrid[0:height, 0:width] + 0.5
    dy, dx = rows - centre[0], cols - centre[1]
    if kind == "circle":
        inside = dx**2 + dy**2 <= (radius**2 if radius < 1e150 else np.inf)  # no overflow
    elif kind == "square":
        inside = (np.abs(dx) <= radius * 0.9) & (np.abs(dy) <= radius * 0.9)
    else:  # an upright triangle: below its apex, above its base, within its slanted sides
        inside = (dy <= radius * 0.8) & (dy >= -radius) & (np.abs(dx) <= (dy + radius) * 0.6)
    canvas[inside] = colour
    return canvas


def _captions(first, relation, second):
    def name(thing):
        colour, kind, size = thing
        return f"a {size} {colour} {kind}"

    return [
        f"{name(first)} {relation} {name(second)}",
        f"{name(second)} {RELATIONS[relation]} {name(first)}",
    ]


def captioned_scenes(n, seed=0, size=32, held_out=(), only_held_out=False, noise=0.03):
    """``n`` images of two shapes with their captions.

    Args:
        n: how many images.
        seed: the seed (an int); the same seed gives the same scenes.
        size: image side in pixels (at least 16).
        held_out: (colour, kind) pairs such as ``[("red", "triangle")]``. With
            ``only_held_out=False`` no scene contains them (a training or ordinary test split);
            with ``only_held_out=True`` every scene contains at least one of them (the
            compositional test split).
        noise: standard deviation of the Gaussian pixel noise.

    Returns:
        ``(images, captions)``: float32 images of shape ``(n, size, size, 3)`` in [0, 1], and for
        each image the list of its true captions (the first is the canonical one: the shapes
        named left to right, or top to bottom).
    """
    n = checks.integer("n", n, minimum=1)
    size = checks.integer("size", size, minimum=16)
    noise = checks.real("noise", noise, minimum=0.0)
    only_held_out = checks.boolean("only_held_out", only_held_out)
    if isinstance(held_out, str) or not hasattr(held_out, "__iter__"):
        raise TypeError(f"held_out must be a list of (colour, kind) pairs, got {held_out!r}")
    held_out = list(held_out)
    if len(held_out) == 2 and all(isinstance(item, str) for item in held_out):
        raise TypeError(
            f"held_out must be a list of (colour, kind) pairs, got the one pair {held_out!r}: "
            f"write [{tuple(held_out)!r}]"
        )
    for pair in held_out:
        # a set's order is not (colour, kind)
        if isinstance(pair, (str, set, frozenset, dict)) or not hasattr(pair, "__iter__"):
            raise TypeError(
                f"held_out must hold (colour, kind) pairs (tuples), got {checks.shown(pair)}"
            )
    held_out = [tuple(pair) for pair in held_out]
    for pair in held_out:
        if len(pair) != 2 or pair[0] not in COLOURS or pair[1] not in KINDS:
            raise ValueError(
                f"held_out must hold (colour, kind) pairs from {list(COLOURS)} and {list(KINDS)}, got {pair!r}"
            )
    if only_held_out and not held_out:
        raise ValueError("only_held_out=True needs at least one held_out pair")
    kept = len(COLOURS) * len(KINDS) - len(set(held_out))
    if not only_held_out and kept < 2:
        raise ValueError(
            f"held_out must leave at least 2 (colour, kind) pairs for the two shapes of a scene, "
            f"it leaves {kept}"
        )
    checks.allocation("n and size", (n, size, size, 3), "float64")
    rng = np.random.default_rng(checks.integer("seed", seed, minimum=0))
    things = list(product(COLOURS, KINDS, SIZES))
    allowed = [t for t in things if t[:2] not in held_out]
    special = [t for t in things if t[:2] in held_out]
    images = np.zeros((n, size, size, 3), "float32")
    captions = []
    for i in range(n):
        while True:
            if only_held_out:
                pick = [special[rng.integers(len(special))], things[rng.integers(len(things))]]
                rng.shuffle(pick)
            else:
                pick = [allowed[j] for j in rng.integers(len(allowed), size=2)]
            if pick[0][:2] != pick[1][:2]:  # two shapes that differ in colour or kind
                break
        horizontal = rng.random() < 0.5
        relation = "left of" if horizontal else "above"
        images[i] = 0.05
        along = size * np.array([0.27, 0.73]) + rng.uniform(-1.5, 1.5, size=2)
        across = size / 2 + rng.uniform(-size * 0.1, size * 0.1, size=2)
        for k, (colour, kind, scale) in enumerate(pick):
            centre = (across[k], along[k]) if horizontal else (along[k], across[k])
            draw_shape(images[i], kind, centre, SIZES[scale] * size, COLOURS[colour])
        captions.append(_captions(pick[0], relation, pick[1]))
    images += rng.normal(scale=noise, size=images.shape).astype("float32")
    return np.clip(images, 0, 1), captions


def _clip_arguments(n, seed, frames, size, noise, fewest_frames):
    """The checked arguments of a clip generator, and its random generator."""
    n = checks.integer("n", n, minimum=1)
    frames = checks.integer("frames", frames, minimum=fewest_frames)
    size = checks.integer("size", size, minimum=16)
    noise = checks.real("noise", noise, minimum=0.0)
    checks.allocation("n, frames and size", (n, frames, size, size), "float64")
    return n, frames, size, noise, np.random.default_rng(checks.integer("seed", seed, minimum=0))


def activity_clips(n, seed=0, frames=8, size=24, noise=0.08):
    """``n`` clips of a moving shape, for many-to-one activity recognition.

    A white shape (circle, square or triangle, at random) moves up, down, left or right by
    about one pixel per frame, or grows or shrinks, from a random start; a grey distractor
    shape stands still somewhere else; every frame gets Gaussian noise.

    Returns ``(clips, labels)``: float32 clips of shape ``(n, frames, size, size, 1)`` and int
    labels indexing :data:`ACTIVITIES`, balanced (as far as ``n`` allows) and shuffled.
    """
    n, frames, size, noise, rng = _clip_arguments(n, seed, frames, size, noise, fewest_frames=2)
    labels = rng.permutation(np.arange(n) % len(ACTIVITIES))
    clips = np.zeros((n, frames, size, size, 1), "float32")
    travel = (frames - 1) * 1.2
    for i, label in enumerate(labels):
        activity = ACTIVITIES[label]
        kind, other = KINDS[rng.integers(3)], KINDS[rng.integers(3)]
        radius = size * 0.14
        start = rng.uniform(size * 0.3, size * 0.7, size=2)
        step = {
            "moves up": (-1, 0),
            "moves down": (1, 0),
            "moves left": (0, -1),
            "moves right": (0, 1),
        }
        if activity in step:
            direction = np.array(step[activity], float)
            start = start - direction * travel / 2
        distractor = rng.uniform(2, size - 2, size=2)
        for f in range(frames):
            fraction = f / (frames - 1)
            centre, r = start.copy(), radius
            if activity in step:
                centre = start + direction * travel * fraction
            elif activity == "grows":
                r = radius * (0.6 + 0.8 * fraction)
            else:
                r = radius * (1.4 - 0.8 * fraction)
            draw_shape(clips[i, f], other, distractor, size * 0.1, (0.5,))
            draw_shape(clips[i, f], kind, centre, r, (1.0,))
    clips += rng.normal(scale=noise, size=clips.shape).astype("float32")
    return np.clip(clips, 0, 1), labels


def _frame_of_event(activity, start, radius, fraction, travel):
    """Centre and radius of a shape ``fraction`` (0..1) of the way through ``activity``."""
    step = {"moves up": (-1, 0), "moves down": (1, 0), "moves left": (0, -1), "moves right": (0, 1)}
    if activity in step:
        return start + np.array(step[activity], float) * travel * fraction, radius
    if activity == "grows":
        return start, radius * (1 + 0.6 * fraction)
    return start, radius * (1 - 0.4 * fraction)


def two_event_clips(n, seed=0, frames=12, size=24, noise=0.05):
    """``n`` clips of a white shape doing two different activities of :data:`ACTIVITIES` in a
    row, the first over the first half of the frames and the second over the rest, with the
    sentence that describes it: "the circle moves left then shrinks".

    Returns ``(clips, sentences)``: float32 clips ``(n, frames, size, size, 1)`` with Gaussian
    noise, and a list of ``n`` sentences. Seeded; the 90 (kind, first, second) stories are drawn
    uniformly."""
    n, frames, size, noise, rng = _clip_arguments(n, seed, frames, size, noise, fewest_frames=4)
    clips = np.zeros((n, frames, size, size, 1), "float32")
    sentences = []
    half = frames // 2
    for i in range(n):
        kind = KINDS[rng.integers(len(KINDS))]
        first = int(rng.integers(len(ACTIVITIES)))
        second = int(rng.choice([a for a in range(len(ACTIVITIES)) if a != first]))
        sentences.append(f"the {kind} {ACTIVITIES[first]} then {ACTIVITIES[second]}")
        radius = size * 0.14
        travel = size * 0.2
        centre = rng.uniform(size * 0.42, size * 0.58, size=2)
        for f in range(frames):
            if f < half:
                c, r = _frame_of_event(ACTIVITIES[first], centre, radius, f / (half - 1), travel)
            else:
                if f == half:  # the second event starts where the first ended
                    centre, radius = _frame_of_event(ACTIVITIES[first], centre, radius, 1.0, travel)
                c, r = _frame_of_event(
                    ACTIVITIES[second], centre, radius, (f - half + 1) / (frames - half), travel
                )
            draw_shape(clips[i, f], kind, c, r, (1.0,))
    clips += rng.normal(scale=noise, size=clips.shape).astype("float32")
    return np.clip(clips, 0, 1), sentences
