"""The book's diagrams, drawn with matplotlib so they render offline in Jupyter, on Colab
and in the HTML book. One function per diagram; each returns its figure.

Labels use the book's notation: inputs ``x_t``, hidden state ``h_t``, outputs ``y_t``,
input weights ``U``, recurrent weights ``W``, output weights ``V``, LSTM cell ``c_t``.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

from rnnbook import checks

__all__ = [
    "draw_bidirectional_rnn",
    "draw_cnn_lstm_captioner",
    "draw_echo_state_network",
    "draw_elman_network",
    "draw_encoder_decoder_attention",
    "draw_gru_cell",
    "draw_hopfield_network",
    "draw_lstm_cell",
    "draw_mingru_beside_gru",
    "draw_parallel_scan",
    "draw_recurrence_convolution_attention",
    "draw_skip_lstm_language_model",
    "draw_time_delay_network",
    "draw_unrolled_rnn",
    "draw_usage_patterns",
]

COLOURS = {"x": "#dbe9f6", "h": "#fde4c8", "y": "#d9f0d3", "c": "#eeeeee", "gate": "#f6d5e5"}
_LARGEST = 50  # steps, words, lags, ... a larger diagram is unreadable and slow to draw


def _at_most(name, count):
    """Refuse a diagram of more than ``_LARGEST`` steps (words, lags, layers, ...)."""
    if count > _LARGEST:
        raise ValueError(f"{name} must be at most {_LARGEST} for a readable diagram, got {count}")
    return count


def _box(ax, xy, text, kind="h", width=0.7, height=0.5, fontsize=11):
    x, y = xy
    ax.add_patch(
        FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.04,rounding_size=0.08",
            facecolor=COLOURS.get(kind, "white"),
            edgecolor="black",
            lw=1,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)
    return xy


def _arrow(
    ax, start, end, label=None, style="-", colour="black", shrink=14, bend=0.0, offset=(0, 0.12)
):
    ax.add_patch(
        FancyArrowPatch(
            start,
            end,
            arrowstyle="-|>",
            mutation_scale=12,
            lw=1.2,
            color=colour,
            linestyle=style,
            shrinkA=shrink,
            shrinkB=shrink,
            connectionstyle=f"arc3,rad={bend}",
        )
    )
    if label:
        mid = ((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1])
        ax.text(
            *mid,
            label,
            ha="center",
            va="center",
            fontsize=10,
            color=colour,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        )


def _canvas(width, height, xlim, ylim, title=None):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)
    return fig, ax


def draw_usage_patterns():
    """The four ways to wire a recurrent network: one-to-one, one-to-many, many-to-one,
    many-to-many (aligned)."""
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.4))
    patterns = [
        ("one-to-one\n(classify one input)", [0], [0], 1),
        ("one-to-many\n(caption an image)", [0], [0, 1, 2], 3),
        ("many-to-one\n(sentiment of a sentence)", [0, 1, 2], [2], 3),
        ("many-to-many\n(a label per frame)", [0, 1, 2], [0, 1, 2], 3),
    ]
    for ax, (title, inputs, outputs, steps) in zip(axes, patterns):
        ax.set(xlim=(-0.6, 2.6), ylim=(-0.6, 2.7), aspect="equal")
        ax.axis("off")
        ax.set_title(title, fontsize=10)
        for t in range(steps):
            _box(ax, (t, 1), f"$h_{t + 1}$", "h", width=0.6, height=0.45)
            if t in inputs:
                _box(ax, (t, 0), f"$x_{t + 1}$", "x", width=0.6, height=0.45)
                _arrow(ax, (t, 0), (t, 1), shrink=10)
            if t in outputs:
                _box(ax, (t, 2), f"$y_{t + 1}$", "y", width=0.6, height=0.45)
                _arrow(ax, (t, 1), (t, 2), shrink=10)
            if t > 0:
                _arrow(ax, (t - 1, 1), (t, 1), shrink=12)
    fig.tight_layout()
    return fig


def draw_time_delay_network(lags=(1, 2, 3, 6, 12), hidden=4):
    """A time-delay network: lagged inputs x_{t-k}, one hidden layer, one linear output."""
    lags = checks.integers("lags", lags)
    _at_most("the number of lags", len(lags))
    if len(set(lags)) != len(lags):
        raise ValueError(f"lags must not repeat, got {lags}")
    hidden = _at_most("hidden", checks.integer("hidden", hidden, minimum=1))
    height = max(len(lags), hidden)
    fig, ax = _canvas(7, 0.8 * height + 1.2, (-1.2, 5.2), (-0.8, height), "time-delay network")
    ins = [(0, height - 1 - i * (height - 1) / max(len(lags) - 1, 1)) for i in range(len(lags))]
    hid = [(2.2, height - 1 - i * (height - 1) / max(hidden - 1, 1)) for i in range(hidden)]
    out = (4.4, (height - 1) / 2)
    for point, lag in zip(ins, lags):
        _box(ax, point, f"$x_{{t-{lag}}}$", "x", width=1.2, height=0.5, fontsize=10)
        for h in hid:
            _arrow(ax, point, h, shrink=22, colour="grey")
    for h in hid:
        _box(ax, h, "$\\tanh$", "h", width=0.8, height=0.5, fontsize=10)
        _arrow(ax, h, out, shrink=20, colour="grey")
    _box(ax, out, "$\\hat x_t$", "y", width=0.9, height=0.5)
    ax.text(1.1, -0.65, "$W_1$", ha="center", fontsize=10)
    ax.text(3.3, -0.65, "$w_2$", ha="center", fontsize=10)
    return fig


def draw_elman_network():
    """The Elman network: the context units hold a copy of the previous hidden layer."""
    fig, ax = _canvas(6.5, 4.2, (-3.0, 1.6), (-0.6, 3.3), "Elman network")
    x, h, y, c = (0, 0), (0, 1.4), (0, 2.8), (-2.2, 1.4)
    _box(ax, x, "$x_t$", "x")
    _box(ax, h, "$h_t$", "h")
    _box(ax, y, "$y_t$", "y")
    _box(ax, c, "$c_t$", "c", width=0.8)
    _arrow(ax, x, h, "$U$", offset=(0.25, 0))
    _arrow(ax, h, y, "$V$", offset=(0.25, 0))
    _arrow(ax, c, h, "$W$", bend=0.45, offset=(0, -0.45))
    _arrow(ax, h, c, "copy, for $t+1$", style="--", bend=0.45, offset=(0, 0.45))
    ax.text(
        -2.2,
        0.75,
        "context units:\nno gradient\nflows through them",
        ha="center",
        va="top",
        fontsize=8,
    )
    return fig


def draw_unrolled_rnn(steps=4, window=None):
    """The recurrent network unfolded over ``steps`` steps, with the paths the gradient of
    the last error takes back through time (red). With ``window``, the sequence is cut
    into windows of that length (truncated BPTT): the state crosses a cut, the gradient
    does not."""
    steps = _at_most("steps", checks.integer("steps", steps, minimum=2))
    if window is not None:
        window = checks.integer("window", window, minimum=1)
    title = "unfolded in time" if window is None else f"truncated BPTT, windows of {window}"
    fig, ax = _canvas(1.7 * steps + 1, 4.4, (-0.9, 1.6 * steps - 0.5), (-0.8, 3.3), title)
    last = steps - 1
    first_with_gradient = 0 if window is None else (last // window) * window
    for t in range(steps):
        px = 1.6 * t
        if window is not None and t % window == 0:
            ax.add_patch(
                Rectangle(
                    (px - 0.6, -0.65),
                    1.6 * min(window, steps - t) - 0.4,
                    3.8,
                    facecolor="#f3f3f3",
                    edgecolor="grey",
                    lw=0.8,
                    ls=":",
                )
            )
        _box(ax, (px, 0), f"$x_{t + 1}$", "x")
        _box(ax, (px, 1.4), f"$h_{t + 1}$", "h")
        _box(ax, (px, 2.8), f"$y_{t + 1}$", "y")
        _arrow(ax, (px, 0), (px, 1.4), "$U$", offset=(0.22, 0))
        _arrow(ax, (px, 1.4), (px, 2.8), "$V$", offset=(0.22, 0))
        if t > 0:
            cut = window is not None and t % window == 0
            _arrow(
                ax,
                (px - 1.6, 1.4),
                (px, 1.4),
                "state carried" if cut else "$W$",
                style="--" if cut else "-",
                offset=(0, 0.22),
            )
        if first_with_gradient <= t < last:
            _arrow(ax, (1.6 * (t + 1), 1.25), (px, 1.25), colour="tab:red", bend=-0.35)
    _arrow(
        ax,
        (1.6 * last + 0.5, 2.8),
        (1.6 * last + 0.5, 1.55),
        colour="tab:red",
        label="$\\partial E_T/\\partial h_T$",
        offset=(0.45, 0),
    )
    ax.text(-0.6, 1.4, "$h_0=0$", ha="right", va="center", fontsize=9)
    return fig


def draw_bidirectional_rnn(steps=4):
    """A bidirectional recurrent network over ``steps`` steps: a forward layer reading
    ``x_1 .. x_T`` (states carried to the right, from the zero state on the left), a backward
    layer reading ``x_T .. x_1`` (carried to the left), and at every step an output that sees
    both states, joined (concatenated, by default)."""
    steps = _at_most("steps", checks.integer("steps", steps, minimum=2))
    fig, ax = _canvas(
        1.7 * steps + 1.6, 5.2, (-1.3, 1.6 * steps - 0.2), (-0.8, 4.4), "bidirectional"
    )
    for t in range(steps):
        px = 1.6 * t
        _box(ax, (px, 0), f"$x_{{{t + 1}}}$", "x")
        _box(ax, (px, 1.3), f"$\\overrightarrow{{h}}_{{{t + 1}}}$", "h", width=0.8)
        _box(ax, (px, 2.5), f"$\\overleftarrow{{h}}_{{{t + 1}}}$", "c", width=0.8)
        _box(ax, (px, 3.8), f"$y_{{{t + 1}}}$", "y")
        _arrow(ax, (px, 0), (px, 1.3), shrink=12)
        _arrow(ax, (px - 0.25, 0.25), (px - 0.52, 2.3), shrink=0, bend=-0.25)
        _arrow(ax, (px + 0.4, 1.4), (px + 0.25, 3.55), shrink=0, colour="tab:orange", bend=0.3)
        _arrow(ax, (px - 0.1, 2.5), (px - 0.1, 3.8), shrink=12, colour="tab:grey")
        if t > 0:
            _arrow(
                ax,
                (px - 1.6, 1.3),
                (px, 1.3),
                "$\\overrightarrow{W}$" if t == 1 else None,
                offset=(0, 0.22),
            )
            _arrow(
                ax,
                (px, 2.5),
                (px - 1.6, 2.5),
                "$\\overleftarrow{W}$" if t == 1 else None,
                offset=(0, 0.22),
            )
    ax.text(-0.55, 1.3, "$0$", ha="right", va="center", fontsize=10)
    ax.text(1.6 * (steps - 1) + 0.55, 2.5, "$0$", ha="left", va="center", fontsize=10)
    ax.text(-1.2, 1.3, "forward", ha="left", va="bottom", fontsize=8, rotation=90)
    ax.text(-1.2, 2.5, "backward", ha="left", va="bottom", fontsize=8, rotation=90)
    return fig


def draw_cnn_lstm_captioner(words=("a", "small", "red", "circle")):
    """The captioner of notebook 07: a CNN turns the image into the LSTM's initial state
    ``h_0, c_0``; the LSTM reads the previous word (``<start>`` first) and predicts the next one,
    until ``<end>``. This is an initial-state wiring (close to CS231n's captioning assignment, which
    sets only ``h_0``, and to Karpathy & Fei-Fei 2015), not Show and Tell's: Vinyals et al. (2015) feed the image to the
    LSTM as its first input, before ``<start>``."""
    words = checks.strings("words", words)
    _at_most("the number of words", len(words))
    steps = len(words) + 1
    fig, ax = _canvas(
        1.5 * steps + 3.6,
        4.6,
        (-3.4, 1.5 * steps),
        (-0.8, 3.4),
        "CNN + LSTM captioner: the image sets the initial state",
    )
    _box(ax, (-2.8, 1.3), "image", "x", width=1.0, height=0.9)
    _box(ax, (-1.3, 1.3), "CNN", "gate", width=0.9, height=0.7)
    _arrow(ax, (-2.8, 1.3), (-1.3, 1.3), shrink=24)
    _arrow(ax, (-1.3, 1.3), (0, 1.3), "$h_0, c_0$", shrink=18, offset=(0, 0.3))
    inputs = ["<start>"] + words
    outputs = words + ["<end>"]
    for t in range(steps):
        px = 1.5 * t
        _box(ax, (px, 1.3), "LSTM", "h", width=0.9)
        _box(ax, (px, 0), inputs[t], "x", width=1.1, height=0.45, fontsize=9)
        _box(ax, (px, 2.6), outputs[t], "y", width=1.1, height=0.45, fontsize=9)
        _arrow(ax, (px, 0), (px, 1.3), shrink=12)
        _arrow(ax, (px, 1.3), (px, 2.6), shrink=12)
        if t > 0:
            _arrow(ax, (px - 1.5, 1.3), (px, 1.3), shrink=20)
            _arrow(
                ax,
                (px - 1.5 + 0.45, 2.45),
                (px - 0.45, 0.2),
                colour="tab:grey",
                style="--",
                shrink=4,
            )
    ax.text(
        1.5 * steps - 0.9,
        -0.6,
        "dashed: at inference the predicted word is read next;\nin training, the true word (teacher forcing)",
        ha="right",
        va="top",
        fontsize=8,
        color="tab:grey",
    )
    return fig


def draw_encoder_decoder_attention(source="vierunddreißig", target="34", attention=True):
    """An encoder-decoder (sequence to sequence) network translating ``source`` into ``target``,
    one character per step. The encoder LSTM reads the source (states ``h_j``; a long source is
    shown by its first and last characters around an ellipsis); its final state is the decoder's
    initial state ``s_0``. The decoder LSTM (states ``s_i``) reads ``<start>`` and then the previous
    true character (teacher forcing) and writes the target, then ``<end>``. With ``attention``,
    the first decoder step also reads a context ``c_1 = sum_j alpha_{1,j} h_j``: a softmax over all
    encoder outputs (Bahdanau et al., 2015) gives the weights ``alpha_{1,j}``. Without it, the
    final state is the only link from the source to the decoder: the bottleneck."""
    source = checks.string("source", source, empty=False)
    target = checks.string("target", target, empty=False)
    attention = checks.boolean("attention", attention)
    _at_most("the length of source", len(source))
    _at_most("the length of target", len(target))

    def shown(text):  # a space as ' ', a control character escaped
        return [repr(c)[1:-1] if c != " " else "' '" for c in text]

    letters = shown(source)
    steps = list(range(1, len(source) + 1))
    if len(source) > 8:  # the first 4 and the last 3 characters around an ellipsis
        steps = steps[:4] + [None] + steps[-3:]
    inputs = ["<start>"] + shown(target)
    outputs = shown(target) + ["<end>"]
    xe = [1.2 * k for k in range(len(steps))]
    xd = [xe[-1] + 3.0 + 1.6 * i for i in range(len(inputs))]
    node = (xd[0] - 1.2, 4.1)
    title = (
        "encoder-decoder with attention\n(shown for step 1: $c_1$ weighs every encoder output $h_j$)"
        if attention
        else "encoder-decoder without attention:\nonly the final state links them (the bottleneck)"
    )
    fig, ax = _canvas(
        max(0.75 * (xd[-1] + 2.2), 6.0),
        0.75 * (6.4 if attention else 4.6),
        (-1.0, xd[-1] + 1.2),
        (-1.5, 5.1 if attention else 3.3),
        title,
    )
    for x, j in zip(xe, steps):
        if j is None:
            _box(ax, (x, 0), "…", "x", width=0.6, height=0.45, fontsize=10)
            _box(ax, (x, 1.3), "$\\cdots$", "h", width=0.75)
        else:
            _box(ax, (x, 0), letters[j - 1], "x", width=0.6, height=0.45, fontsize=10)
            _box(ax, (x, 1.3), f"$h_{{{j}}}$", "h", width=0.75)
        _arrow(ax, (x, 0), (x, 1.3), shrink=12)
        if x > 0:
            _arrow(ax, (x - 1.2, 1.3), (x, 1.3), shrink=16)
    for i, x in enumerate(xd):
        _box(ax, (x, 0), inputs[i], "x", width=0.95, height=0.45, fontsize=9)
        _box(ax, (x, 1.3), f"$s_{{{i + 1}}}$", "h", width=0.75)
        _box(ax, (x, 2.6), outputs[i], "y", width=0.95, height=0.45, fontsize=9)
        _arrow(ax, (x, 0), (x, 1.3), shrink=12)
        _arrow(ax, (x, 1.3), (x, 2.6), shrink=12)
        if i > 0:
            _arrow(ax, (x - 1.6, 1.3), (x, 1.3), shrink=16)
            _arrow(ax, (x - 1.2, 2.45), (x - 0.4, 0.2), colour="tab:grey", style="--", shrink=4)
    _arrow(
        ax,
        (xe[-1], 1.3),
        (xd[0], 1.3),
        "final state = $s_0$",
        shrink=16,
        offset=(0, -0.32),
    )
    if attention:
        for x, j in zip(xe, steps):
            if j is None:
                ax.plot([x, node[0]], [1.59, node[1]], color="tab:grey", ls=":", lw=1, zorder=0)
                continue
            ax.plot([x, node[0]], [1.59, node[1]], color="tab:orange", lw=1.1, zorder=0)
            ax.text(
                x + 0.3 * (node[0] - x),
                1.59 + 0.3 * (node[1] - 1.59),
                f"$\\alpha_{{1,{j}}}$",
                ha="center",
                va="center",
                fontsize=9,
                color="tab:orange",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.3},
            )
        _box(
            ax,
            node,
            "softmax: $\\alpha_{1,j} \\propto \\exp\\, \\mathrm{score}(s_0, h_j)$\n"
            "context: $c_1 = \\Sigma_j\\, \\alpha_{1,j} h_j$",
            "gate",
            width=4.2,
            height=0.9,
            fontsize=9,
        )
        _arrow(
            ax,
            (xd[0] - 0.75, node[1] - 0.45),
            (xd[0] - 0.38, 1.5),
            "$c_1$",
            shrink=2,
            colour="tab:orange",
            offset=(-0.25, 0.1),
        )
    ax.text(xe[-1] / 2, -0.5, "encoder LSTM", ha="center", va="top", fontsize=9)
    ax.text((xd[0] + xd[-1]) / 2, -0.5, "decoder LSTM", ha="center", va="top", fontsize=9)
    ax.text(
        xd[-1] + 0.5,
        -0.85,
        "dashed: in training the decoder reads the previous true character\n"
        "(teacher forcing); at inference, its own prediction",
        ha="right",
        va="top",
        fontsize=8,
        color="tab:grey",
    )
    return fig


def draw_skip_lstm_language_model(text="void "):
    """Graves' (2013) character model unrolled over ``text``: two stacked LSTM layers with skip
    connections (the input reaches both layers, both layers reach the softmax, in orange), the
    states carried to the right, and at every step the distribution of the next character."""
    checks.string("text", text)
    if len(text) < 2:
        raise ValueError(f"text must be a str of at least 2 characters, got {text!r}")
    _at_most("the length of text", len(text) - 1)
    steps = len(text) - 1
    shown = [repr(c)[1:-1] if c != " " else "' '" for c in text]
    fig, ax = _canvas(
        1.9 * steps + 1.9, 6.0, (-1.3, 1.9 * steps - 0.3), (-0.8, 5.0), "skip-connection LSTM"
    )
    for t in range(steps):
        px = 1.9 * t
        _box(ax, (px, 0), f"{shown[t]}", "x", width=0.7, height=0.45, fontsize=10)
        _box(ax, (px, 1.4), f"$h^1_{{{t + 1}}}$", "h", width=0.8)
        _box(ax, (px, 2.8), f"$h^2_{{{t + 1}}}$", "h", width=0.8)
        _box(ax, (px, 4.2), f"p( {shown[t + 1]} )", "y", width=1.0, height=0.45, fontsize=9)
        _arrow(ax, (px, 0), (px, 1.4), shrink=12)
        _arrow(ax, (px, 1.4), (px, 2.8), shrink=12)
        _arrow(ax, (px, 2.8), (px, 4.2), shrink=12)
        _arrow(ax, (px - 0.3, 0.2), (px - 0.42, 2.6), colour="tab:orange", shrink=0, bend=-0.35)
        _arrow(ax, (px + 0.42, 1.55), (px + 0.35, 4.0), colour="tab:orange", shrink=0, bend=0.35)
        if t > 0:
            _arrow(ax, (px - 1.9, 1.4), (px, 1.4), "$W^1$" if t == 1 else None, offset=(0, 0.22))
            _arrow(ax, (px - 1.9, 2.8), (px, 2.8), "$W^2$" if t == 1 else None, offset=(0, 0.22))
    ax.text(-1.2, 0, "input\n(one-hot)", ha="left", va="center", fontsize=8)
    ax.text(-1.2, 4.2, "softmax", ha="left", va="center", fontsize=8)
    ax.text(
        1.9 * steps - 0.4,
        -0.65,
        "orange: skip connections (input to every layer, every layer to the softmax)",
        ha="right",
        va="top",
        fontsize=8,
        color="tab:orange",
    )
    return fig


def draw_recurrence_convolution_attention(steps=8, dilations=(1, 2, 4)):
    """Three ways for output ``y_T`` to see the inputs ``x_1 .. x_T`` (the paths that reach the
    last output in colour): a recurrent layer passes a state along, one step after another; a
    stack of causal convolutions with ``dilations`` (kernel size 2) sees a fixed receptive
    field in a few layers; causal self-attention links every output directly to every input
    before it."""
    steps = _at_most("steps", checks.integer("steps", steps, minimum=2))
    dilations = checks.integers("dilations", dilations)
    _at_most("the number of dilations", len(dilations))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    xs = [0.8 * t for t in range(steps)]
    depth = len(dilations) + 1
    titles = [
        "recurrence: a state passed along, T steps in order",
        f"dilated causal convolution: receptive field {1 + sum(dilations)}",
        "causal self-attention: every earlier step, directly",
    ]
    for ax, title in zip(axes, titles):
        ax.set(xlim=(-0.6, xs[-1] + 0.6), ylim=(-0.7, depth + 0.6), aspect="equal")
        ax.axis("off")
        ax.set_title(title, fontsize=9)
        for t, x in enumerate(xs):
            ax.text(x, -0.45, f"$x_{{{t + 1}}}$", ha="center", va="center", fontsize=8)
        ax.text(xs[-1], depth + 0.35, "$y_T$", ha="center", va="center", fontsize=9)

    def dot(ax, x, y, on):
        ax.plot(x, y, "o", ms=7, color="tab:orange" if on else "white", mec="black", mew=0.8)

    def line(ax, a, b, on):
        ax.plot(
            *zip(a, b), color="tab:orange" if on else "lightgrey", lw=1.6 if on else 0.8, zorder=0
        )

    rnn = axes[0]
    for t, x in enumerate(xs):
        line(rnn, (x, 0), (x, 1), True)
        if t:
            line(rnn, (xs[t - 1], 1), (x, 1), True)
        dot(rnn, x, 0, True)
        dot(rnn, x, 1, True)
    line(rnn, (xs[-1], 1), (xs[-1], depth), True)
    dot(rnn, xs[-1], depth, True)

    cnn = axes[1]
    reach = {(depth - 1, steps - 1)}  # (layer, step) on a path to the last output
    for layer in range(depth - 1, 0, -1):
        d = dilations[layer - 1]
        for _, t in [r for r in reach if r[0] == layer]:
            reach |= {(layer - 1, s) for s in (t, t - d) if s >= 0}
    for layer in range(1, depth):
        d = dilations[layer - 1]
        for t in range(steps):
            for source in (t, t - d):
                if source >= 0:
                    on = (layer, t) in reach and (layer - 1, source) in reach
                    line(cnn, (xs[source], layer - 1), (xs[t], layer), on)
    for layer in range(depth):
        for t in range(steps):
            dot(cnn, xs[t], layer, (layer, t) in reach)
        if layer:
            cnn.text(-0.55, layer, f"d={dilations[layer - 1]}", fontsize=7, va="center", ha="right")
    line(cnn, (xs[-1], depth - 1), (xs[-1], depth), True)
    dot(cnn, xs[-1], depth, True)

    attention = axes[2]
    for t in range(steps):
        for source in range(t + 1):
            line(attention, (xs[source], 0), (xs[t], depth - 1), t == steps - 1)
    for t in range(steps):
        dot(attention, xs[t], 0, True)
        dot(attention, xs[t], depth - 1, t == steps - 1)
    line(attention, (xs[-1], depth - 1), (xs[-1], depth), True)
    dot(attention, xs[-1], depth, True)
    fig.tight_layout()
    return fig


def _cell_frame(title, width=7.5):
    fig, ax = _canvas(width, 4.6, (-0.5, 7.5), (-0.9, 4.2), title)
    _cell_outline(ax)
    return fig, ax


def _cell_outline(ax):
    """The grey rounded box of a cell diagram (x from 0.6 to 6.6, y from 0.3 to 3.3)."""
    ax.add_patch(
        FancyBboxPatch(
            (0.6, 0.3),
            6.0,
            3.0,
            boxstyle="round,pad=0.05,rounding_size=0.2",
            facecolor="#fafafa",
            edgecolor="grey",
        )
    )


def draw_lstm_cell():
    """The LSTM cell: the cell state runs along the top, changed by a product with the
    forget gate and a sum with the gated candidate; the output gate reads it out."""
    fig, ax = _cell_frame("LSTM cell")
    top, bottom = 2.8, 0.9
    _box(ax, (0.0, top), "$c_{t-1}$", "c")
    _box(ax, (7.1, top), "$c_t$", "c")
    _box(ax, (0.0, bottom - 0.9), "$h_{t-1}$", "h")
    _box(ax, (3.2, -0.55), "$x_t$", "x")
    _box(ax, (7.1, bottom - 0.9), "$h_t$", "h")
    gates = {"f": (1.5, bottom), "i": (2.7, bottom), "c~": (3.9, bottom), "o": (5.1, bottom)}
    labels = {
        "f": "$\\sigma$  $f_t$",
        "i": "$\\sigma$  $i_t$",
        "c~": "$\\tanh$  $\\tilde c_t$",
        "o": "$\\sigma$  $o_t$",
    }
    for name, point in gates.items():
        _box(ax, point, labels[name], "gate", width=1.0, height=0.5, fontsize=9)
    times_f, plus, times_i = (1.5, top), (3.3, top), (3.3, 1.9)
    for point, text in [(times_f, "$\\times$"), (plus, "$+$"), (times_i, "$\\times$")]:
        ax.add_patch(plt.Circle(point, 0.2, facecolor="white", edgecolor="black"))
        ax.text(*point, text, ha="center", va="center", fontsize=11)
    tanh_out, times_o = (6.0, 2.0), (6.0, 1.2)
    _box(ax, tanh_out, "$\\tanh$", "gate", width=0.7, height=0.4, fontsize=9)
    ax.add_patch(plt.Circle(times_o, 0.2, facecolor="white", edgecolor="black"))
    ax.text(*times_o, "$\\times$", ha="center", va="center", fontsize=11)
    _arrow(ax, (0.35, top), times_f, shrink=8)
    _arrow(ax, times_f, plus, shrink=8)
    _arrow(ax, plus, (6.75, top), shrink=8)
    _arrow(ax, gates["f"], times_f, shrink=10)
    _arrow(ax, gates["i"], times_i, shrink=10, bend=-0.2)
    _arrow(ax, gates["c~"], times_i, shrink=10, bend=0.2)
    _arrow(ax, times_i, plus, shrink=8)
    _arrow(ax, (6.0, top), tanh_out, shrink=8)
    _arrow(ax, tanh_out, times_o, shrink=8)
    _arrow(ax, gates["o"], times_o, shrink=10)
    _arrow(ax, times_o, (6.75, bottom - 0.9), shrink=8)
    _arrow(ax, (0.35, bottom - 0.9), (1.0, bottom - 0.3), shrink=4, colour="grey")
    _arrow(ax, (3.2, -0.3), (3.2, bottom - 0.3), shrink=4, colour="grey")
    ax.text(3.5, -0.05, "$[x_t, h_{t-1}]$ feeds every gate", fontsize=8, color="grey")
    ax.text(
        2.4, 3.45, "$c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde c_t$", ha="center", fontsize=10
    )
    ax.text(6.3, 0.35, "$h_t = o_t \\odot \\tanh(c_t)$", ha="center", fontsize=9)
    return fig


def draw_gru_cell():
    """The GRU cell: one state; the update gate mixes the old state with a candidate that
    reads the state through the reset gate."""
    fig, ax = _cell_frame("GRU cell")
    top = 2.8
    _box(ax, (0.0, top), "$h_{t-1}$", "h")
    _box(ax, (7.1, top), "$h_t$", "h")
    _box(ax, (3.2, -0.55), "$x_t$", "x")
    z, r, cand = (1.6, 0.9), (3.0, 0.9), (4.6, 0.9)
    _box(ax, z, "$\\sigma$  $z_t$", "gate", width=1.0, height=0.5, fontsize=9)
    _box(ax, r, "$\\sigma$  $r_t$", "gate", width=1.0, height=0.5, fontsize=9)
    _box(ax, cand, "$\\tanh$  $\\tilde h_t$", "gate", width=1.1, height=0.5, fontsize=9)
    keep, mix, fresh, reset = (1.6, top), (5.6, top), (5.6, 1.9), (3.0, 1.9)
    for point, text in [
        (keep, "$\\times$"),
        (mix, "$+$"),
        (fresh, "$\\times$"),
        (reset, "$\\times$"),
    ]:
        ax.add_patch(plt.Circle(point, 0.2, facecolor="white", edgecolor="black"))
        ax.text(*point, text, ha="center", va="center", fontsize=11)
    _arrow(ax, (0.35, top), keep, shrink=8)
    _arrow(ax, keep, mix, shrink=8)
    _arrow(ax, mix, (6.75, top), shrink=8)
    _arrow(ax, z, keep, shrink=10, label="$z_t$", offset=(0.2, 0))
    _arrow(ax, (2.1, 0.75), fresh, shrink=10, colour="dimgrey", bend=0.45)
    ax.text(5.95, 1.55, "$1 - z_t$", fontsize=9, color="dimgrey")
    _arrow(ax, fresh, mix, shrink=8)
    _arrow(ax, cand, fresh, shrink=10, bend=0.2)
    _arrow(ax, (3.0, top), reset, shrink=8, colour="grey", label="$h_{t-1}$", offset=(0.3, 0))
    _arrow(ax, r, reset, shrink=10)
    _arrow(ax, reset, cand, shrink=10, label="$r_t \\odot h_{t-1}$", offset=(0.75, 0.1))
    _arrow(ax, (3.2, -0.3), (2.6, 0.65), shrink=4, colour="grey")
    ax.text(
        3.6,
        3.45,
        "$h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t$",
        ha="center",
        fontsize=10,
    )
    return fig


def draw_parallel_scan(steps=8):
    """The Hillis-Steele scan of the linear recurrence ``h_t = a_t h_{t-1} + b_t`` over ``steps``
    positions (a power of 2 from 2 to 16): the pairs ``(a_t, b_t)`` at the top, then
    ``log2(steps)`` rounds; in the round at distance ``d`` (1, 2, 4, ...) every position
    ``t > d`` combines (a circle, ``gid="combine"``) the pair ``d`` positions to its left with
    its own, and the first ``d`` positions pass theirs down unchanged. After the last round
    position ``t`` holds ``(a_1, b_1) ∘ ... ∘ (a_t, b_t)``, whose second part is ``h_t`` (from
    ``h_0 = 0``): all states in ``log2(steps)`` rounds, for about ``steps log2(steps)``
    combines instead of the loop's ``steps - 1``."""
    steps = checks.integer("steps", steps, minimum=2, maximum=16)
    if steps & (steps - 1):
        raise ValueError(f"steps must be a power of 2 in [2, 16] (2, 4, 8 or 16), got {steps}")
    rounds = steps.bit_length() - 1
    gap, drop, radius = 1.3, 1.1, 0.17
    xs = [gap * t for t in range(steps)]
    rows = [-drop * k for k in range(rounds + 2)]  # inputs, one row per round, the states
    work = sum(steps - 2**k for k in range(rounds))
    fig, ax = _canvas(
        0.7 * (xs[-1] + 4.0),
        0.7 * (drop * (rounds + 1) + 2.6),
        (-3.2, xs[-1] + 0.8),
        (rows[-1] - 1.7, 0.6),
        f"A parallel scan: all {steps} states in {rounds} round{'s' if rounds > 1 else ''}",
    )
    side = {"ha": "right", "va": "center", "fontsize": 9}
    ax.text(-0.85, rows[0], "inputs", **side)
    ax.text(-0.85, rows[-1], "states ($h_0 = 0$)", **side)
    for t, x in enumerate(xs, start=1):
        _box(ax, (x, rows[0]), f"$(a_{{{t}}}, b_{{{t}}})$", "x", width=1.15, height=0.5, fontsize=9)
        _box(ax, (x, rows[-1]), f"$h_{{{t}}}$", "h", width=0.7, height=0.5, fontsize=10)
    combined = set()  # positions that hold a combine circle in the round above
    for k in range(1, rounds + 1):
        distance, y, above = 2 ** (k - 1), rows[k], rows[k - 1]
        ax.text(-0.85, y, f"round {k}: distance {distance}", **side)

        # how far below position t of the row above its lines begin: the box, a circle, or none
        start = {t: 0.27 if k == 1 else radius * (t in combined) for t in range(1, steps + 1)}

        now = set()
        for t in range(1, steps + 1):
            x = xs[t - 1]
            if t <= distance:  # passed down unchanged
                top = above - start[t]
                ax.plot([x, x], [top, y], color="black", lw=1.0, zorder=1, snap=False)
                continue
            now.add(t)
            if k > 1 and t - distance not in combined:  # a branch off a passed-down line
                ax.plot(xs[t - 1 - distance], above, "o", ms=3, color="tab:blue", zorder=3)
            _link(ax, (x, above), (x, y), "black", lw=1.0, trim=(start[t], radius))
            _link(
                ax,
                (xs[t - 1 - distance], above),
                (x, y),
                "tab:blue",
                lw=1.0,
                trim=(start[t - distance], radius),
            )
            ax.add_patch(
                Circle(
                    (x, y),
                    radius,
                    facecolor="white",
                    edgecolor="black",
                    lw=1.1,
                    zorder=3,
                    gid="combine",
                )
            )
        combined = now
    for t, x in enumerate(xs, start=1):
        _link(
            ax,
            (x, rows[-2]),
            (x, rows[-1]),
            "black",
            lw=1.0,
            trim=(radius if t in combined else 0.0, 0.27),
        )
    caption = {"ha": "center", "va": "center", "fontsize": 9}
    middle = (xs[-1] - 2.4) / 2
    ax.text(
        middle,
        rows[-1] - 0.75,
        "$(a_1, b_1) \\circ (a_2, b_2) = (a_1 a_2,\\ a_2 b_1 + b_2)$;"
        "   depth $\\log_2 T$ rounds, work about $T\\;\\log_2 T$ combines",
        **caption,
    )
    ax.text(
        middle,
        rows[-1] - 1.25,
        f"○ combine, blue: the pair from the left;   here {work} "
        f"combine{'s' if work > 1 else ''} in {rounds} "
        f"round{'s' if rounds > 1 else ''}, the loop: {steps - 1} in a row",
        color="dimgrey",
        **caption,
    )
    return fig


def _input_arrows(ax, x_in, gates):
    """Grey arrows from the input box ``x_t`` up to each gate."""
    for gate in gates:
        _arrow(
            ax,
            (x_in[0], x_in[1] + 0.25),
            (gate[0] - 0.15, gate[1] - 0.25),
            shrink=2,
            colour="grey",
        )


def _mingru_gate(ax, point, text):
    _box(ax, point, text, "gate", width=1.1, height=0.5, fontsize=9)


def _operator(ax, point, text):
    ax.add_patch(plt.Circle(point, 0.2, facecolor="white", edgecolor="black"))
    ax.text(*point, text, ha="center", va="center", fontsize=11)


def _mix_inputs(ax, gate, candidate, fresh, label):
    """The update gate's second use (``label``), routed under the gates and up the right side
    into the product ``fresh``, and the candidate into that product."""
    path = [(gate[0] + 0.3, gate[1] - 0.25), (gate[0] + 0.3, 0.45), (6.3, 0.45), (6.3, fresh[1])]
    ax.plot(*zip(*path), color="dimgrey", lw=1.2, zorder=1)
    _arrow(ax, path[-1], fresh, shrink=8, colour="dimgrey")
    ax.text(6.22, 1.2, label, ha="right", va="center", fontsize=9, color="dimgrey")
    _arrow(ax, (candidate[0] + 0.35, candidate[1] + 0.25), fresh, shrink=6)


def draw_mingru_beside_gru():
    """The GRU of notebook 05 beside minGRU (Feng et al. 2024, "Were RNNs all we needed?").
    In the GRU the previous state ``h_{t-1}`` enters the update gate ``z_t``, the reset gate
    ``r_t`` and, through ``r_t``, the candidate ``h~_t`` (in red: what minGRU removes). In
    minGRU the gate and the candidate read ``x_t`` only, ``z_t = sigma(x_t U^z + b^z)`` and
    ``h~_t = x_t U^h + b^h``; ``h_{t-1}`` enters only the final mix
    ``h_t = z_t ⊙ h_{t-1} + (1 - z_t) ⊙ h~_t``, a linear recurrence
    ``h_t = a_t ⊙ h_{t-1} + b_t`` with ``a_t = z_t`` and ``b_t = (1 - z_t) ⊙ h~_t`` that a
    parallel scan computes. (In both, ``z_t`` is the share of the old state kept, as in 05.)"""
    fig, axes = plt.subplots(1, 2, figsize=(15, 5.6))
    for ax, title in zip(axes, ["GRU (notebook 05)", "minGRU (Feng et al. 2024)"]):
        ax.set(xlim=(-0.5, 7.6), ylim=(-2.0, 3.9), aspect="equal")
        ax.axis("off")
        ax.set_title(title, fontsize=11)
        _cell_outline(ax)
    top, low, x_in = 2.8, 0.9, (3.2, -0.55)
    note = {"ha": "center", "va": "center", "fontsize": 9}

    gru = axes[0]
    _box(gru, (0.0, top), "$h_{t-1}$", "h")
    _box(gru, (7.1, top), "$h_t$", "h")
    _box(gru, x_in, "$x_t$", "x")
    z, r, cand = (1.6, low), (3.2, low), (4.6, low)
    _mingru_gate(gru, z, "$\\sigma$  $z_t$")
    _mingru_gate(gru, r, "$\\sigma$  $r_t$")
    _mingru_gate(gru, cand, "$\\tanh$  $\\tilde h_t$")
    keep, mix, fresh, reset = (1.6, top), (5.6, top), (5.6, 1.9), (3.2, 1.9)
    for point, text in [
        (keep, "$\\times$"),
        (mix, "$+$"),
        (fresh, "$\\times$"),
        (reset, "$\\times$"),
    ]:
        _operator(gru, point, text)
    _arrow(gru, (0.35, top), keep, shrink=8)
    _arrow(gru, keep, mix, shrink=8)
    _arrow(gru, mix, (6.75, top), shrink=8)
    _arrow(gru, z, keep, shrink=10, label="$z_t$", offset=(0.2, 0))
    _mix_inputs(gru, z, cand, fresh, "$1 - z_t$")
    _arrow(gru, fresh, mix, shrink=8)
    _arrow(gru, r, reset, shrink=10)
    red = "tab:red"
    for tap, gate in [((0.85, top), (1.25, low + 0.25)), ((2.45, top), (2.85, low + 0.25))]:
        gru.plot(*tap, "o", ms=3.5, color=red, zorder=3)
        _arrow(gru, tap, gate, shrink=2, colour=red)
    gru.plot(3.2, top, "o", ms=3.5, color=red, zorder=3)
    _arrow(gru, (3.2, top), reset, shrink=8, colour=red)
    _arrow(
        gru, reset, cand, shrink=10, colour=red, label="$r_t \\odot h_{t-1}$", offset=(0.75, 0.1)
    )
    _input_arrows(gru, x_in, (z, r, cand))
    gru.text(3.6, 3.55, "$h_t = (1 - z_t) \\odot \\tilde h_t + z_t \\odot h_{t-1}$", **note)
    gru.text(
        3.5,
        -1.25,
        "red: $h_{t-1}$ enters $z_t$, $r_t$ and (through $r_t$) $\\tilde h_t$;\n"
        "minGRU removes these, so the gates no longer see the past",
        color=red,
        **note,
    )

    mingru = axes[1]
    _box(mingru, (0.0, top), "$h_{t-1}$", "h")
    _box(mingru, (7.1, top), "$h_t$", "h")
    _box(mingru, x_in, "$x_t$", "x")
    z, cand = (1.6, low), (4.6, low)
    _mingru_gate(mingru, z, "$\\sigma$  $z_t$")
    _mingru_gate(mingru, cand, "linear  $\\tilde h_t$")
    keep, mix, fresh = (1.6, top), (5.6, top), (5.6, 1.9)
    for point, text in [(keep, "$\\times$"), (mix, "$+$"), (fresh, "$\\times$")]:
        _operator(mingru, point, text)
    _arrow(mingru, (0.35, top), keep, shrink=8)
    _arrow(mingru, keep, mix, shrink=8)
    _arrow(mingru, mix, (6.75, top), shrink=8)
    _arrow(mingru, z, keep, shrink=10, label="$z_t$", offset=(0.2, 0))
    _mix_inputs(mingru, z, cand, fresh, "$1 - z_t$")
    _arrow(mingru, fresh, mix, shrink=8)
    _input_arrows(mingru, x_in, (z, cand))
    mingru.text(3.6, 3.55, "$h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t$", **note)
    mingru.text(
        3.5,
        -1.1,
        "$z_t = \\sigma(x_t U^z + b^z)$,   $\\tilde h_t = x_t U^h + b^h$:   $x_t$ only",
        **note,
    )
    mingru.text(
        3.5,
        -1.6,
        "a linear recurrence: $h_t = a_t \\odot h_{t-1} + b_t$"
        " with $a_t = z_t$, $b_t = (1 - z_t) \\odot \\tilde h_t$",
        **note,
    )
    fig.tight_layout()
    return fig


def _neuron(ax, centre, radius, facecolor="white", text=None, textcolour="black", fontsize=8):
    """A neuron: a circle (tagged ``gid="neuron"``, so that it can be counted)."""
    ax.add_patch(
        Circle(centre, radius, facecolor=facecolor, edgecolor="black", lw=1, zorder=3, gid="neuron")
    )
    if text:
        ax.text(
            *centre, text, ha="center", va="center", fontsize=fontsize, color=textcolour, zorder=4
        )


def _link(ax, start, end, colour, lw=0.8, trim=(0.0, 0.0), bend=0.0, alpha=1.0, head=7):
    """A thin arrow from ``start`` to ``end``, cut ``trim`` (data units) short at either end."""
    (x0, y0), (x1, y1) = start, end
    length = max(np.hypot(x1 - x0, y1 - y0), 1e-9)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    ax.add_patch(
        FancyArrowPatch(
            (x0 + trim[0] * ux, y0 + trim[0] * uy),
            (x1 - trim[1] * ux, y1 - trim[1] * uy),
            arrowstyle="-|>",
            mutation_scale=head,
            lw=lw,
            color=colour,
            alpha=alpha,
            shrinkA=0,
            shrinkB=0,
            connectionstyle=f"arc3,rad={bend}",
            zorder=2,
        )
    )


def draw_echo_state_network(units=8, inputs=1, outputs=1):
    """The echo state network (Jaeger 2001): the inputs ``u_t`` drive a reservoir of ``units``
    neurons (state ``x_t``) through fixed random weights ``W_in``; the reservoir's sparse fixed
    random recurrent weights ``W`` (scaled to a spectral radius below 1) keep an echo of the
    past inputs; only the readout ``W_out`` from every reservoir unit to the outputs ``y_t`` is
    trained, by ridge regression. The recurrent links are drawn at random with a fixed seed, so
    the picture is the same every time."""
    units = checks.integer("units", units, minimum=2, maximum=40)
    inputs = checks.integer("inputs", inputs, minimum=1, maximum=4)
    outputs = checks.integer("outputs", outputs, minimum=1, maximum=4)
    rng = np.random.default_rng(0)
    centre, blob = (4.5, 0.0), 2.0
    fig, ax = _canvas(
        9.0, 5.3, (-1.0, 10.0), (-3.5, 3.0), "Echo state network: only the readout is trained"
    )
    ax.add_patch(
        Circle(centre, blob, facecolor="#fdf1e2", edgecolor="grey", lw=1, ls="--", zorder=0)
    )
    # a sunflower (Vogel) spiral spreads the neurons evenly over the blob
    room = blob - 0.4
    k = np.arange(units)
    r = room * np.sqrt((k + 0.5) / units)
    theta = k * np.pi * (3 - np.sqrt(5))
    nodes = list(zip(centre[0] + r * np.cos(theta), centre[1] + r * np.sin(theta)))
    radius = min(0.24, 0.4 * room * np.sqrt(np.pi / units))
    ins = [(0.0, 0.9 * ((inputs - 1) / 2 - i)) for i in range(inputs)]
    outs = [(9.0, 0.9 * ((outputs - 1) / 2 - i)) for i in range(outputs)]
    pairs = [(i, j) for i in range(units) for j in range(units) if i != j]
    chosen = rng.choice(len(pairs), size=min(len(pairs), round(1.5 * units)), replace=False)
    for i, j in (pairs[c] for c in sorted(chosen)):
        _link(ax, nodes[i], nodes[j], "dimgrey", lw=0.9, trim=(radius, radius), bend=0.25)
    for i, point in enumerate(ins):
        _box(ax, point, "$u_t$" if inputs == 1 else f"$u_{{t,{i + 1}}}$", "x", width=0.8)
        for node in nodes:
            _link(ax, point, node, "darkgrey", lw=0.6, trim=(0.42, radius), alpha=0.8, head=5)
    for o, point in enumerate(outs):
        _box(ax, point, "$y_t$" if outputs == 1 else f"$y_{{t,{o + 1}}}$", "y", width=0.8)
        for node in nodes:
            _link(ax, node, point, "tab:red", lw=0.9, trim=(radius, 0.42), alpha=0.75, head=6)
    for node in nodes:
        _neuron(ax, node, radius)
    label = {"ha": "center", "va": "center", "fontsize": 9}
    white = {"facecolor": "white", "edgecolor": "none", "pad": 0.8}
    above = max(1.3, 0.45 * (max(inputs, outputs) - 1) + 0.6)  # clear of the boxes and links
    ax.text(1.3, above, "fixed, random:\n$W_{in}$", color="dimgrey", bbox=white, **label)
    ax.text(
        centre[0],
        blob + 0.45,
        "fixed, random, spectral radius $\\rho<1$: $W$",
        color="dimgrey",
        bbox=white,
        **label,
    )
    ax.text(
        7.6, above, "trained (ridge regression):\n$W_{out}$", color="tab:red", bbox=white, **label
    )
    ax.text(
        centre[0],
        -blob - 0.3,
        f"reservoir: {units} units, state $x_t$",
        **label,
    )
    ax.text(
        centre[0],
        -blob - 0.8,
        "$x_t = (1-a)\\,x_{t-1} + a\\,\\tanh(u_t W_{in} + x_{t-1} W + b)$,   $y_t = [1, u_t, x_t]\\, W_{out}$",
        **label,
    )
    ax.text(centre[0], -blob - 1.3, "grey: fixed, never trained;   red: trained", **label)
    return fig


def draw_hopfield_network(units=6):
    """The Hopfield network (1982): ``units`` binary neurons ``s_i`` in {-1, +1} on a circle,
    every pair joined by one undirected line (symmetric weights ``w_ij = w_ji``), no
    self-connections (``w_ii = 0``). The neurons are shaded by a state (dark: +1, light: -1,
    drawn at random with a fixed seed); the caption gives the asynchronous update rule and the
    energy it never raises."""
    units = checks.integer("units", units, minimum=3, maximum=16)
    state = np.random.default_rng(0).choice([-1, 1], size=units)
    if abs(state.sum()) == units:  # show both states
        state[0] = -state[0]
    ring = 2.0
    angles = np.pi / 2 - 2 * np.pi * np.arange(units) / units  # s_1 at the top, clockwise
    nodes = [(ring * np.cos(a), ring * np.sin(a)) for a in angles]
    radius = min(0.3, 0.3 * 2 * np.pi * ring / units)
    fig, ax = _canvas(
        6.4, 7.0, (-3.2, 3.2), (-4.9, 3.0), "Hopfield network: symmetric weights, no self-loops"
    )
    for i in range(units):
        for j in range(i + 1, units):
            ax.plot(*zip(nodes[i], nodes[j]), color="grey", lw=0.9, zorder=1)
    for node, a, s, i in zip(nodes, angles, state, range(units)):
        dark = s > 0
        _neuron(
            ax,
            node,
            radius,
            facecolor="#3b3b3b" if dark else "#f0f0f0",
            text="+" if dark else "\N{MINUS SIGN}",
            textcolour="white" if dark else "black",
            fontsize=10,
        )
        ax.text(
            (ring + radius + 0.3) * np.cos(a),
            (ring + radius + 0.3) * np.sin(a),
            f"$s_{{{i + 1}}}$",
            ha="center",
            va="center",
            fontsize=10,
        )
    j = -(-units // 6)  # the first chord from s_1 long enough (>= the ring's radius) for its label
    middle = ((nodes[0][0] + nodes[j][0]) / 2, (nodes[0][1] + nodes[j][1]) / 2)
    ax.text(
        *middle,
        f"$w_{{1{j + 1}}} = w_{{{j + 1}1}}$",
        ha="center",
        va="center",
        fontsize=9,
        rotation=np.degrees(np.arctan2(nodes[j][1] - nodes[0][1], nodes[j][0] - nodes[0][0])),
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5},
        zorder=2,
    )
    caption = {"ha": "center", "va": "center", "fontsize": 9}
    ax.text(0, -2.9, "dark: $s_i = +1$,   light: $s_i = -1$", **caption)
    ax.text(
        0,
        -3.4,
        "one undirected line per pair: $w_{ij} = w_{ji}$;   no self-connections: $w_{ii} = 0$",
        **caption,
    )
    ax.text(
        0,
        -3.95,
        "update: $s_i \\leftarrow \\mathrm{sign}(\\sum_j w_{ij} s_j)$, one unit at a time",
        **caption,
    )
    ax.text(0, -4.55, "energy: $E = -\\frac{1}{2} s W s^\\top$ never rises", **caption)
    return fig
