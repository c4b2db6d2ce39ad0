"""Figures used in several notebooks."""

import html

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from rnnbook import checks

__all__ = ["coloured_text", "plot_sequence_predictions"]


def coloured_text(text, values, cmap="coolwarm", vmin=None, vmax=None, title=None):
    """``text`` with each character's background coloured by its value (e.g. a hidden unit's
    activation, or the model's loss on it), as HTML that Jupyter, Colab and the book show.

    ``values`` has one number per character; ``vmin`` and ``vmax`` (default: their range) map
    onto ``cmap``. Newlines stay line breaks; a colour bar's ends are printed in ``title``'s
    line. Returns an ``IPython.display.HTML`` object (its ``.data`` is the HTML string).
    """
    from IPython.display import HTML

    checks.string("text", text, empty=False)
    values = checks.array("values", values, ndim=1, dtype="float64")
    if len(values) != len(text):
        raise ValueError(
            f"values must have one number per character: {len(text)}, got {len(values)}"
        )
    low = float(values.min()) if vmin is None else checks.real("vmin", vmin)
    high = float(values.max()) if vmax is None else checks.real("vmax", vmax)
    if (vmin is not None or vmax is not None) and not high > low:
        given = "vmax" if vmax is not None else "the largest value (vmax not given)"
        raise ValueError(f"{given} must be greater than vmin ({low}), got {high}")
    if not high > low:
        high = low + 1.0
    if title is not None:
        checks.string("title", title)
    if isinstance(cmap, mpl.colors.Colormap):
        colormap = cmap
    elif isinstance(cmap, str) and cmap in mpl.colormaps:
        colormap = mpl.colormaps[cmap]
    else:
        raise ValueError(
            f"cmap must be a matplotlib colormap or its name, such as 'coolwarm' or 'Greys', "
            f"got {cmap!r}"
        )
    colours = colormap((np.clip(values, low, high) - low) / (high - low))
    spans = []
    for character, colour in zip(text, colours):
        if character == "\n":
            spans.append("\n")
            continue
        shown = html.escape(character) if character != " " else "&nbsp;"
        spans.append(f'<span style="background:{mpl.colors.to_hex(colour)}">{shown}</span>')
    heading = f"<b>{html.escape(title)}</b> " if title else ""
    legend = (
        f'{heading}<span style="font-size:smaller">(colour from {low:.3g} '
        f'<span style="background:{mpl.colors.to_hex(colormap(0.0))}">&nbsp;&nbsp;</span>'
        f' to {high:.3g} <span style="background:{mpl.colors.to_hex(colormap(1.0))}">'
        "&nbsp;&nbsp;</span>)</span>"
    )
    # MathJax must leave the code alone (a "$" or "\\(" in it is not mathematics)
    return HTML(
        f'<div class="tex2jax_ignore mathjax_ignore">{legend}<pre style="line-height:1.35; '
        f'font-size:12px; color:black; background:white">{"".join(spans)}</pre></div>'
    )


_MOST_PANELS = 50  # a taller figure is slow to lay out and too large to save


def _one_sequence(name, values):
    """``values`` flattened, if they hold one sequence: numbers along at most one axis longer
    than 1 (``(time,)``, ``(time, 1)``, ``(1, time, 1)``), NaN allowed (a plot shows gaps)."""
    values = checks.array(name, values, finite=False, dtype="float64")
    if sum(extent > 1 for extent in values.shape) > 1:
        raise ValueError(f"{name} must be one sequence (1-D), got shape {values.shape}")
    return values.ravel()


def plot_sequence_predictions(inputs, targets, predictions, titles, steps=None):
    """One panel per model: input, target and prediction of one sequence against time.

    ``inputs`` and ``targets`` are 1-D (one sequence); ``predictions`` is a list of 1-D
    arrays, one per entry of ``titles``. ``steps`` limits the time axis: an int (the first
    ``steps`` steps), a slice, or None for all. Returns the matplotlib figure.
    """
    if isinstance(predictions, str) or not hasattr(predictions, "__len__"):
        raise TypeError(
            f"predictions must be a list of 1-D arrays, got {type(predictions).__name__}"
        )
    if isinstance(predictions, np.ndarray) and predictions.ndim == 1:
        raise TypeError("predictions must be a list of 1-D arrays, got one: write [prediction]")
    titles = checks.strings("titles", titles)
    if len(titles) > _MOST_PANELS:
        raise ValueError(f"titles must ask for at most {_MOST_PANELS} panels, got {len(titles)}")
    if len(predictions) != len(titles):
        raise ValueError(
            f"predictions and titles must have the same length, got {len(predictions)} and "
            f"{len(titles)}"
        )
    if steps is None:
        window = slice(None)
    elif isinstance(steps, slice):
        window = steps
    else:
        window = slice(checks.integer("steps", steps, minimum=1))
    length = len(_one_sequence("inputs", inputs))
    for name, values in [
        ("targets", targets),
        *((f"predictions[{i}]", p) for i, p in enumerate(predictions)),
    ]:
        if len(_one_sequence(name, values)) != length:
            raise ValueError(f"{name} has {len(np.ravel(values))} steps, inputs have {length}")
    time = np.arange(len(np.ravel(inputs)))[window]
    fig, axes = plt.subplots(
        len(titles), 1, figsize=(10, 1.9 * len(titles)), sharex=True, squeeze=False
    )
    for ax, prediction, title in zip(axes[:, 0], predictions, titles):
        ax.plot(time, np.ravel(inputs)[window], color="lightgrey", lw=2, label="input")
        ax.plot(time, np.ravel(targets)[window], color="black", lw=1, label="target")
        ax.plot(time, np.ravel(prediction)[window], color="tab:orange", lw=1, label="prediction")
        ax.set_title(title, fontsize=10, loc="left")
    axes[0, 0].legend(loc="upper right", ncol=3, fontsize=8)
    axes[-1, 0].set_xlabel("time step")
    fig.tight_layout()
    return fig
