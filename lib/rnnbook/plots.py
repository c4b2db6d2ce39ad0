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

    if not isinstance(text, str) or not text:
        raise ValueError("text must be a non-empty str")
    values = checks.array("values", values, ndim=1, dtype="float64")
    if len(values) != len(text):
        raise ValueError(
            f"values must have one number per character: {len(text)}, got {len(values)}"
        )
    low = float(values.min()) if vmin is None else checks.real("vmin", vmin)
    high = float(values.max()) if vmax is None else checks.real("vmax", vmax)
    if not high > low:
        high = low + 1.0
    colours = mpl.colormaps[cmap]((np.clip(values, low, high) - low) / (high - low))
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
        f'<span style="background:{mpl.colors.to_hex(mpl.colormaps[cmap](0.0))}">&nbsp;&nbsp;</span>'
        f' to {high:.3g} <span style="background:{mpl.colors.to_hex(mpl.colormaps[cmap](1.0))}">'
        "&nbsp;&nbsp;</span>)</span>"
    )
    # MathJax must leave the code alone (a "$" or "\\(" in it is not mathematics)
    return HTML(
        f'<div class="tex2jax_ignore mathjax_ignore">{legend}<pre style="line-height:1.35; '
        f'font-size:12px; color:black; background:white">{"".join(spans)}</pre></div>'
    )


def plot_sequence_predictions(inputs, targets, predictions, titles, steps=None):
    """One panel per model: input, target and prediction of one sequence against time.

    ``inputs`` and ``targets`` are 1-D (one sequence); ``predictions`` is a list of 1-D
    arrays, one per entry of ``titles``. ``steps`` limits the time axis: an int (the first
    ``steps`` steps), a slice, or None for all. Returns the matplotlib figure.
    """
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
    length = len(np.ravel(inputs))
    for name, values in [
        ("targets", targets),
        *((f"predictions[{i}]", p) for i, p in enumerate(predictions)),
    ]:
        if len(np.ravel(values)) != length:
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
