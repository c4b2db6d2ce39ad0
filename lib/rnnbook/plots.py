"""Figures used in several notebooks."""

import matplotlib.pyplot as plt
import numpy as np

from rnnbook import checks

__all__ = ["plot_sequence_predictions"]


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
