"""The diagrams draw, with the book's notation on them."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import FancyArrowPatch

from rnnbook import diagrams


def texts(figure):
    return " ".join(t.get_text() for ax in figure.axes for t in ax.texts)


@pytest.mark.parametrize(
    "draw, notation",
    [
        (diagrams.draw_usage_patterns, ["$x_1$", "$h_2$", "$y_3$"]),
        (diagrams.draw_time_delay_network, ["$x_{t-12}$", "$\\hat x_t$"]),
        (diagrams.draw_elman_network, ["$c_t$", "$U$", "$W$", "$V$", "copy"]),
        (diagrams.draw_unrolled_rnn, ["$x_4$", "$h_0=0$", "$W$", "\\partial E_T"]),
        (diagrams.draw_lstm_cell, ["$c_{t-1}$", "f_t", "i_t", "o_t", "\\tilde c_t"]),
        (diagrams.draw_gru_cell, ["$h_{t-1}$", "z_t", "r_t", "\\tilde h_t"]),
        (
            diagrams.draw_bidirectional_rnn,
            ["$x_{1}$", "overrightarrow{h}_{4}", "overleftarrow{h}_{1}", "$y_{4}$"],
        ),
        (
            diagrams.draw_recurrence_convolution_attention,
            ["$x_{1}$", "$x_{8}$", "$y_T$", "d=1", "d=4"],
        ),
        (
            diagrams.draw_skip_lstm_language_model,
            ["$h^1_{1}$", "$h^2_{4}$", "$W^2$", "p( ' ' )", "skip connections"],
        ),
        (
            diagrams.draw_encoder_decoder_attention,
            [
                "$h_{1}$",
                "$h_{14}$",
                "$s_{3}$",
                "$s_0$",
                "$c_1$",
                "$\\alpha_{1,14}$",
                "<start>",
                "<end>",
            ],
        ),
        (
            diagrams.draw_echo_state_network,
            ["$u_t$", "$y_t$", "$x_t", "$W_{in}$", "\\rho<1$: $W$", "$W_{out}$", "ridge"],
        ),
        (
            diagrams.draw_hopfield_network,
            ["$s_{1}$", "$s_{6}$", "w_{ii} = 0", "\\mathrm{sign}", "\\frac{1}{2}", "s^\\top"],
        ),
        (
            diagrams.draw_parallel_scan,
            [
                "$(a_{1}, b_{1})$",
                "$(a_{8}, b_{8})$",
                "$h_{8}$",
                "round 3: distance 4",
                "(a_1 a_2,\\ a_2 b_1 + b_2)",
                "\\log_2 T",
            ],
        ),
        (
            diagrams.draw_mingru_beside_gru,
            [
                "$h_{t-1}$",
                "r_t",
                "\\tilde h_t",
                "U^z + b^z",
                "a_t = z_t",
                "a linear recurrence",
            ],
        ),
    ],
)
def test_diagram_draws_with_the_books_notation(draw, notation, tmp_path):
    figure = draw()
    shown = texts(figure)
    for label in notation:
        assert label in shown, f"{draw.__name__} lacks {label}"
    figure.savefig(tmp_path / "diagram.png")
    assert (tmp_path / "diagram.png").stat().st_size > 5000
    plt.close(figure)


def test_truncated_windows_mark_the_carried_state():
    figure = diagrams.draw_unrolled_rnn(steps=6, window=3)
    assert "state carried" in texts(figure) and "windows of 3" in figure.axes[0].get_title()
    plt.close(figure)


def test_encoder_decoder_shows_a_long_source_around_an_ellipsis_and_the_bottleneck():
    figure = diagrams.draw_encoder_decoder_attention("vierunddreißig", "34")
    shown = [t.get_text() for t in figure.axes[0].texts]
    states = [t for t in shown if t.startswith("$h_{")]
    assert states == [f"$h_{{{j}}}$" for j in (1, 2, 3, 4, 12, 13, 14)], "first 4, ..., last 3"
    assert "…" in shown and "$\\cdots$" in shown
    # teacher forcing: "3" is written by step 1 and read by step 2
    assert shown.count("<start>") == 1 and shown.count("3") == 2 and shown.count("<end>") == 1
    weights = [t for t in shown if "alpha_{1," in t and "softmax" not in t]
    assert len(weights) == len(states), "one weight per encoder output shown"
    plt.close(figure)
    plain = diagrams.draw_encoder_decoder_attention("drei", "3", attention=False)
    assert "bottleneck" in plain.axes[0].get_title()
    assert "alpha" not in texts(plain) and "$h_{4}$" in texts(plain) and "…" not in texts(plain)
    plt.close(plain)


def neurons(figure):
    return [p for p in figure.axes[0].patches if p.get_gid() == "neuron"]


def arrows(figure, colour):
    return [
        p
        for p in figure.axes[0].patches
        if isinstance(p, FancyArrowPatch) and to_hex(p.get_edgecolor()) == to_hex(colour)
    ]


@pytest.mark.parametrize("units, inputs, outputs", [(8, 1, 1), (2, 2, 3), (40, 4, 4)])
def test_echo_state_network_trains_only_a_readout_from_every_unit(units, inputs, outputs):
    figure = diagrams.draw_echo_state_network(units, inputs, outputs)
    assert len(neurons(figure)) == units
    assert len(arrows(figure, "tab:red")) == units * outputs, "W_out: every unit to every output"
    assert len(arrows(figure, "darkgrey")) == units * inputs, "W_in: every input to every unit"
    recurrent = len(arrows(figure, "dimgrey"))
    assert 0 < recurrent <= units * (units - 1), "sparse W, no self-loops"
    shown = texts(figure)
    assert "fixed, random:\n$W_{in}$" in shown and "spectral radius $\\rho<1$: $W$" in shown
    assert "trained (ridge regression):\n$W_{out}$" in shown and "red: trained" in shown
    assert "only the readout is trained" in figure.axes[0].get_title()
    if inputs > 1:
        assert f"$u_{{t,{inputs}}}$" in shown and f"$y_{{t,{outputs}}}$" in shown
    plt.close(figure)


def test_echo_state_network_is_the_same_picture_every_time():
    def links(figure):
        return [p.get_path().vertices.round(6).tolist() for p in arrows(figure, "dimgrey")]

    first, second = diagrams.draw_echo_state_network(), diagrams.draw_echo_state_network()
    assert links(first) == links(second)
    plt.close(first)
    plt.close(second)


@pytest.mark.parametrize("units", [3, 6, 16])
def test_hopfield_network_joins_every_pair_once_without_self_loops(units):
    figure = diagrams.draw_hopfield_network(units)
    drawn = neurons(figure)
    assert len(drawn) == units
    lines = figure.axes[0].lines
    assert len(lines) == units * (units - 1) // 2, "one undirected line per pair"
    ends = {frozenset(map(tuple, line.get_xydata().round(6))) for line in lines}
    assert len(ends) == len(lines) and all(len(e) == 2 for e in ends), "no repeats, no self-loops"
    assert not [p for p in figure.axes[0].patches if isinstance(p, FancyArrowPatch)], "undirected"
    shades = {to_hex(p.get_facecolor()) for p in drawn}
    assert len(shades) == 2, "a state: some +1 (dark), some -1 (light)"
    shown = texts(figure)
    assert f"$s_{{{units}}}$" in shown and "one unit at a time" in shown
    assert "$E = -\\frac{1}{2} s W s^\\top$" in shown
    assert "$s_i \\leftarrow \\mathrm{sign}(\\sum_j w_{ij} s_j)$" in shown
    assert "no self-loops" in figure.axes[0].get_title()
    plt.close(figure)


@pytest.mark.parametrize("steps", [2, 4, 8, 16])
def test_parallel_scan_combines_every_position_with_the_one_a_distance_before(steps):
    figure = diagrams.draw_parallel_scan(steps)
    ax = figure.axes[0]
    rounds = steps.bit_length() - 1
    circles = [p for p in ax.patches if p.get_gid() == "combine"]
    assert len(circles) == sum(steps - 2**k for k in range(rounds)), "steps - 2^k per round"
    rows = {}
    for circle in circles:
        x, y = circle.center
        rows.setdefault(round(y, 6), []).append(x)
    assert len(rows) == rounds
    xs = sorted({round(x, 6) for xs_row in rows.values() for x in xs_row})
    for k, y in enumerate(sorted(rows, reverse=True)):  # round 1 at the top
        # positions t > 2^k (1-based) combine, the first 2^k pass theirs down
        assert sorted(round(x, 6) for x in rows[y]) == xs[len(xs) - (steps - 2**k) :]
    assert len(arrows(figure, "tab:blue")) == len(circles), "one line from the left per combine"
    shown = texts(figure)
    for k in range(1, rounds + 1):
        assert f"round {k}: distance {2 ** (k - 1)}" in shown
    assert f"round {rounds + 1}:" not in shown
    assert f"$(a_{{{steps}}}, b_{{{steps}}})$" in shown and f"$h_{{{steps}}}$" in shown
    assert f"here {len(circles)} combine" in shown and f"the loop: {steps - 1} in a row" in shown
    assert f"all {steps} states in {rounds} round" in ax.get_title()
    plt.close(figure)


def test_mingru_beside_gru_marks_in_red_what_mingru_takes_from_the_gates():
    figure = diagrams.draw_mingru_beside_gru()
    gru, mingru = figure.axes
    assert gru.get_title() == "GRU (notebook 05)"
    assert mingru.get_title() == "minGRU (Feng et al. 2024)"

    def red(ax):
        return [
            p
            for p in ax.patches
            if isinstance(p, FancyArrowPatch) and to_hex(p.get_edgecolor()) == to_hex("tab:red")
        ]

    assert len(red(gru)) == 4, "h_{t-1} into z_t, into r_t, into the reset product, on to h~_t"
    assert not red(mingru), "minGRU's gates read x_t only"
    left = " ".join(t.get_text() for t in gru.texts)
    right = " ".join(t.get_text() for t in mingru.texts)
    assert "r_t" in left and "r_t" not in right, "minGRU has no reset gate"
    assert "$h_t = (1 - z_t) \\odot \\tilde h_t + z_t \\odot h_{t-1}$" in left
    assert "$h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t$" in right
    assert "$z_t = \\sigma(x_t U^z + b^z)$" in right and "$\\tilde h_t = x_t U^h + b^h$" in right
    assert (
        "a linear recurrence: $h_t = a_t \\odot h_{t-1} + b_t$ with $a_t = z_t$, "
        "$b_t = (1 - z_t) \\odot \\tilde h_t$" in right
    )
    assert "minGRU removes these" in left
    plt.close(figure)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: diagrams.draw_unrolled_rnn(steps=1), ValueError, "steps must be an int >= 2"),
        (lambda: diagrams.draw_unrolled_rnn(window=0), ValueError, "window must be an int >= 1"),
        (lambda: diagrams.draw_time_delay_network(hidden=2.5), TypeError, "hidden must be an int"),
        (lambda: diagrams.draw_bidirectional_rnn(steps=1), ValueError, "steps must be an int >= 2"),
        (
            lambda: diagrams.draw_encoder_decoder_attention(source=""),
            ValueError,
            "source must be a non-empty str",
        ),
        (
            lambda: diagrams.draw_encoder_decoder_attention(source=34),
            TypeError,
            "source must be a str",
        ),
        (
            lambda: diagrams.draw_encoder_decoder_attention(target=["3", "4"]),
            TypeError,
            "target must be a str",
        ),
        (
            lambda: diagrams.draw_encoder_decoder_attention(target="3" * 51),
            ValueError,
            "the length of target must be at most 50",
        ),
        (
            lambda: diagrams.draw_encoder_decoder_attention(attention="yes"),
            TypeError,
            "attention must be True or False",
        ),
        (
            lambda: diagrams.draw_echo_state_network(units=1),
            ValueError,
            r"units must be an int in \[2, 40\]",
        ),
        (
            lambda: diagrams.draw_echo_state_network(units=41),
            ValueError,
            r"units must be an int in \[2, 40\], got 41",
        ),
        (
            lambda: diagrams.draw_echo_state_network(units=8.0),
            TypeError,
            "units must be an int",
        ),
        (
            lambda: diagrams.draw_echo_state_network(inputs=0),
            ValueError,
            r"inputs must be an int in \[1, 4\]",
        ),
        (
            lambda: diagrams.draw_echo_state_network(outputs=5),
            ValueError,
            r"outputs must be an int in \[1, 4\]",
        ),
        (
            lambda: diagrams.draw_echo_state_network(outputs=True),
            TypeError,
            "outputs must be an int",
        ),
        (
            lambda: diagrams.draw_hopfield_network(units=2),
            ValueError,
            r"units must be an int in \[3, 16\]",
        ),
        (
            lambda: diagrams.draw_hopfield_network(units=17),
            ValueError,
            r"units must be an int in \[3, 16\]",
        ),
        (
            lambda: diagrams.draw_hopfield_network(units="6"),
            TypeError,
            "units must be an int",
        ),
        (
            lambda: diagrams.draw_parallel_scan(steps=6),
            ValueError,
            r"steps must be a power of 2 in \[2, 16\] \(2, 4, 8 or 16\), got 6",
        ),
        (
            lambda: diagrams.draw_parallel_scan(steps=32),
            ValueError,
            r"steps must be an int in \[2, 16\], got 32",
        ),
        (
            lambda: diagrams.draw_parallel_scan(steps=1),
            ValueError,
            r"steps must be an int in \[2, 16\]",
        ),
        (lambda: diagrams.draw_parallel_scan(steps=8.0), TypeError, "steps must be an int"),
        (lambda: diagrams.draw_parallel_scan(steps=True), TypeError, "steps must be an int"),
        (lambda: diagrams.draw_parallel_scan(steps="8"), TypeError, "steps must be an int"),
    ],
)
def test_diagrams_refuse_bad_sizes(call, error, message):
    with pytest.raises(error, match=message):
        call()
