"""Small binary pictures of letters, for the Hopfield network to store: each letter drawn by
matplotlib's own font (DejaVu Sans Bold, shipped with matplotlib), filled on a square grid.
Nothing is downloaded; the same matplotlib gives the same pictures."""

import numpy as np

from rnnbook import checks

__all__ = ["letter_patterns"]


def letter_patterns(letters="HOPFIELD", size=16):
    """One picture per letter as rows of +1 (ink) and -1 (paper): ``(len(letters), size * size)``
    (reshape a row to ``(size, size)`` to see it, row 0 at the top).

    Each letter is scaled to fill the grid's height with a one-cell margin and centred; a cell
    is ink where its centre lies inside the glyph's outline.
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path
    from matplotlib.textpath import TextPath

    letters = checks.string("letters", letters, empty=False)
    size = checks.integer("size", size, minimum=5, maximum=64)
    font = FontProperties(family="DejaVu Sans", weight="bold")
    centres = (np.stack(np.meshgrid(np.arange(size), np.arange(size)), axis=-1) + 0.5).reshape(
        -1, 2
    )
    pictures = []
    for letter in letters:
        if letter.isspace():
            raise ValueError(f"letters must not hold white space, got {letters!r}")
        path = TextPath((0, 0), letter, size=1.0, prop=font)
        vertices = path.vertices
        drawn = vertices[path.codes != Path.CLOSEPOLY]  # a CLOSEPOLY vertex is a dummy (0, 0)
        low, high = drawn.min(axis=0), drawn.max(axis=0)
        scale = (size - 2) / max(high[1] - low[1], high[0] - low[0])
        offset = (size - (high - low) * scale) / 2
        # y grows upwards in the glyph, downwards in the picture
        placed = (vertices - low) * scale + offset
        placed[:, 1] = size - placed[:, 1]
        outline = Path(placed, path.codes)
        inside = np.zeros(len(centres), dtype=bool)
        for polygon in outline.to_polygons():  # the holes of O, P, ... flip the parity
            inside ^= Path(polygon).contains_points(centres)
        pictures.append(np.where(inside, 1.0, -1.0))
    return np.stack(pictures)
