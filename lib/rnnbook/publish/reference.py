"""The README's reference results, generated from a full run, so the two cannot drift apart.

The section of ``README.md`` between :data:`BEGIN` and :data:`END` is rendered from a build
folder's ``results.json`` (its ``full`` profile) and ``runs.json`` (each notebook's seconds) by
:func:`render`: every figure in it is a value a notebook recorded with ``runtime.record``.
``python -m rnnbook results`` compares the README with the last full run (exit 0 when they
agree, 1 when not, naming the lines); ``--write`` rewrites the section and the snapshot
``reference-results.json`` (the figures it was made from, with the machine and versions),
which the tests compare with the README on every CI run.

A row template holds ``{figure}`` or ``{figure:format}`` (Python's format spec), the figure
named as its notebook recorded it, or ``{seconds:NOTEBOOK}`` for a notebook's run time.
"""

import json
import os
import platform
import re
import time
from pathlib import Path

BEGIN = "<!-- reference results: begin (written by python -m rnnbook results --write) -->"
END = "<!-- reference results: end -->"
SNAPSHOT = "reference-results.json"

_FIELD = re.compile(r"\{([A-Za-z0-9_.\-]+)(?::([^{}]*))?\}")

#: (notebook, figure, value template); one README row each.
ROWS = [
    (
        "00",
        "flattened MLP, accuracy on length-20 sequences; weights",
        "{patterns.mlp_accuracy:.3f}; {patterns.mlp_params}",
    ),
    (
        "00",
        "GRU 8, accuracy on length 20 / on length 40; weights",
        "{patterns.gru_accuracy:.3f} / {patterns.gru_accuracy_length_40:.3f}; {patterns.gru_params}",
    ),
    ("01", "weights of the 5-4-1 time-delay network", "{sunspots.weights}"),
    (
        "01",
        "NMSE train 1712-1920 / test 1921-1955 / test 1956-1979",
        "{sunspots.nmse_train:.3f} / {sunspots.nmse_1921_1955:.3f} / {sunspots.nmse_1956_1979:.3f}",
    ),
    ("01", "linear AR on the same lags, NMSE 1921-1955", "{sunspots.linear_nmse_1921_1955:.3f}"),
    ("01", "iterated forecast 5 years ahead, NMSE 1921-1955", "{sunspots.iterated_nmse_h5:.3f}"),
    (
        "02",
        "Elman 1-5-1 (41 weights, online updating), NMSE 1921-1955 / 1956-1979, mean ± std over 3 seeds",
        (
            "{elman.nmse_1921_1955:.3f} ± {elman.nmse_1921_1955_std:.3f} / "
            "{elman.nmse_1956_1979:.3f} ± {elman.nmse_1956_1979_std:.3f}"
        ),
    ),
    (
        "02",
        "time-delay MLP retrained beside it, same seeds",
        (
            "{elman.mlp_nmse_1921_1955:.3f} ± {elman.mlp_nmse_1921_1955_std:.3f} / "
            "{elman.mlp_nmse_1956_1979:.3f} ± {elman.mlp_nmse_1956_1979_std:.3f}"
        ),
    ),
    (
        "03",
        "BPTT double sum vs autodiff / vs centred differences, max relative difference (float64)",
        "{bptt.max_rel_diff:.1e} / {bptt.numeric_grad_rel_error:.1e}",
    ),
    (
        "03",
        "slope of log10 ‖dh_t/dh_k‖ per step, spectral radius 0.5 / 0.9 / 2 / 3",
        (
            "{bptt.slope_radius_0.5:+.3f} / {bptt.slope_radius_0.9:+.3f} / {bptt.slope_radius_2.0:+.3f} / "
            "{bptt.slope_radius_3.0:+.3f}"
        ),
    ),
    (
        "03",
        "delayed recall NMSE, delay 4: Elman copy / full BPTT",
        "{bptt.recall_nmse_delay_4_elman:.3f} / {bptt.recall_nmse_delay_4_bptt:.4f}",
    ),
    (
        "03",
        (
            "gradient clipping, ρ(W) = 2, SGD 0.3, 3 seeds: NMSE with `global_clipnorm=1` / without "
            "(best epoch before it diverged); runs diverged without clipping"
        ),
        (
            "{bptt.clipping_nmse_with:.3f} ± {bptt.clipping_nmse_with_std:.3f} / "
            "{bptt.clipping_nmse_without:.2f}; {bptt.clipping_diverged} of 3"
        ),
    ),
    (
        "03",
        "truncated BPTT, delay 2, windows of 5: NMSE with the state carried / reset",
        "{bptt.truncated_state_carried_nmse:.4f} / {bptt.truncated_state_reset_nmse:.3f}",
    ),
    (
        "04",
        "LSTMCell and the equations by hand vs `keras.layers.LSTM`, max abs difference",
        "{lstm.max_abs_diff_vs_keras:.1e}",
    ),
    (
        "04",
        "the four-term dc_t/dc_{t-1} vs autodiff's Jacobian, max relative difference (float64)",
        "{lstm.dcdc_max_rel_diff:.1e}",
    ),
    (
        "04",
        "slope of log10 ‖dc_t/dc_k‖ per step, forget bias 1 / 3 (simple RNN, ρ = 0.9)",
        (
            "{lstm.probe_slope_lstm_forget_bias_1:+.3f} / {lstm.probe_slope_lstm_forget_bias_3:+.3f} "
            "({lstm.probe_slope_srn_radius_0.9:+.3f})"
        ),
    ),
    (
        "04",
        (
            "trained LSTM 5: the counting unit's correlation with time in the pulse; its mean "
            "forget gate inside / between pulses"
        ),
        (
            "{lstm.trained_counter_correlation:.3f}; {lstm.trained_counter_forget_inside_pulse:.3f} / "
            "{lstm.trained_counter_forget_between_pulses:.3f}"
        ),
    ),
    (
        "04",
        "pulse converter, seeds whose spike heights follow the pulse width (of 3): simple RNN 10 / LSTM 5",
        "{pulse.srn10.seeds_that_count} / {pulse.lstm5.seeds_that_count}",
    ),
    (
        "05",
        "GRUCell (both forms) and the equations by hand vs `keras.layers.GRU`, max abs difference",
        "{gru.max_abs_diff_vs_keras:.1e}",
    ),
    (
        "05",
        "slope of log10 ‖dh_t/dh_k‖ per step, untrained GRU, update-gate bias 0 / 3",
        "{gru.probe_slope_update_bias_0:+.3f} / {gru.probe_slope_update_bias_3:+.3f}",
    ),
    (
        "05",
        "seconds per epoch on the pulse converter, GRU 5-3 / LSTM 5-3 (custom cells, mean of 3 seeds)",
        "{gru.seconds_per_epoch_gru5_3:.2f} / {gru.seconds_per_epoch_lstm5_3:.2f}",
    ),
    (
        "06",
        "`Bidirectional` over the book's `LSTMCell` and by hand vs over `keras.layers.LSTM`, max abs difference",
        "{bidir.max_abs_diff_vs_keras:.1e}",
    ),
    (
        "06",
        (
            "hidden characters restored in unseen English (test topics), accuracy, mean of 3 seeds: "
            "forward / backward / bidirectional"
        ),
        "{bidir.accuracy_forward:.3f} / {bidir.accuracy_backward:.3f} / {bidir.accuracy_bidirectional:.3f}",
    ),
    (
        "06",
        "weights: one-way LSTM / bidirectional",
        "{bidir.params_forward:,} / {bidir.params_bidirectional:,}",
    ),
    (
        "07",
        "captions of ordinary test scenes: BLEU-4 greedy / beam (k = 3); exact match (beam)",
        "{caption.bleu4_greedy:.3f} / {caption.bleu4_beam:.3f}; {caption.exact_match:.3f}",
    ),
    (
        "07",
        "compositional scenes (held-out colour-shape pairs): BLEU-4 (beam); exact match",
        "{caption.bleu4_compositional:.3f}; {caption.exact_match_compositional:.3f}",
    ),
    ("07", "beam search of width 1 gives the greedy captions", "{caption.beam1_equals_greedy}"),
    (
        "07",
        (
            "Show and Tell's wiring (the image as the first input), same seed and budget: BLEU-4 (beam), "
            "ordinary / compositional scenes; weights (initial-state captioner: more by A_h, A_c)"
        ),
        (
            "{caption.show_and_tell.bleu4_beam:.3f} / {caption.show_and_tell.bleu4_compositional:.3f}; "
            "{caption.show_and_tell.params:,}"
        ),
    ),
    (
        "07",
        (
            "linear probes of the image encoding, held-out-pair objects: colour / kind when trained on the "
            "training images; kind when trained on images with every pair (chance)"
        ),
        (
            "{caption.probe_colour_held_out:.3f} / {caption.probe_kind_held_out:.3f}; "
            "{caption.probe_kind_held_out_every_pair:.3f} ({caption.probe_kind_chance:.3f})"
        ),
    ),
    (
        "07",
        "activity clips: CNN + LSTM / the better one-image baseline (chance 0.167)",
        "{activity.accuracy:.3f} / {activity.baseline_accuracy:.3f}",
    ),
    (
        "08",
        "vocabulary (characters of the training text + unknown); characters trained on",
        "{char.vocabulary}; {char.train_characters:,}",
    ),
    ("08", "weights of the skip LSTM 2 x 256 (formula = Keras)", "{char.params:,}"),
    ("08", "test bits per character", "{char.bpc_test:.3f}"),
    (
        "08",
        "gzip / bzip2 / xz on the test files, conditional on the text the model trained on",
        "{char.bpc_gzip:.3f} / {char.bpc_bzip2:.3f} / {char.bpc_xz:.3f}",
    ),
    (
        "09",
        (
            "German numbers in words to digits (8,000 training pairs, sources <= 50 characters): test exact "
            "match on lengths seen, no attention / additive / multiplicative; weights no attention / additive"
        ),
        (
            "{seq2seq.exact_match_no_attention:.3f} / {seq2seq.exact_match_attention:.3f} / "
            "{seq2seq.exact_match_multiplicative:.3f}; {seq2seq.weights_no_attention:,.0f} / "
            "{seq2seq.weights_attention:,.0f}"
        ),
    ),
    (
        "09",
        "exact match on test sources longer than any in training (over 50 characters), no attention / additive",
        "{seq2seq.exact_match_longest_no_attention:.3f} / {seq2seq.exact_match_longest_attention:.3f}",
    ),
    (
        "09",
        "character error rate, no attention / additive",
        "{seq2seq.cer_no_attention:.3f} / {seq2seq.cer_attention:.3f}",
    ),
    (
        "09",
        "two test numbers decoded by the additive model (their heat maps are in section 6)",
        "{seq2seq.sample_1}; {seq2seq.sample_2}",
    ),
    (
        "09",
        "attention by hand vs AdditiveAttention / Attention, largest difference",
        "{seq2seq.attention_by_hand_max_diff:.1e}",
    ),
    (
        "09",
        (
            "additive attention's weight on the crossing (tens digit after the last 'und', units digit up "
            "to it; mean of the smaller)"
        ),
        "{seq2seq.crossing_weight:.2f}",
    ),
    (
        "09",
        (
            "no attention, exact match on lengths seen: without the source mask / with pads counted in the "
            "loss (the source masked and pads left out: above)"
        ),
        "{seq2seq.exact_match_no_attention_unmasked:.3f} / {seq2seq.exact_match_no_attention_pads_counted:.3f}",
    ),
    (
        "09",
        "additive, beam 3 exact match on lengths seen; beam 1 equals greedy",
        "{seq2seq.exact_match_attention_beam3:.3f}; {seq2seq.beam1_equals_greedy}",
    ),
    (
        "09",
        "exact match on the longest sources, trained with scheduled sampling (teacher forcing above)",
        "{seq2seq.exact_match_longest_scheduled_sampling:.3f}",
    ),
    (
        "09",
        (
            "video description (two-event clips, 2,000 training clips): exact match, every frame with "
            "attention / the middle frame only; weight of 'grows' on the late frames when it is the second event"
        ),
        "{video.exact_match:.3f} / {video.baseline_exact_match:.3f}; {video.grows_second_late_weight:.2f}",
    ),
    (
        "10",
        (
            "delayed recall, delay 40 in sequences of 64 (2000 sequences, 30 epochs, Adam 0.003): test NMSE "
            "for t > D, LSTM 45 (mean ± std, 3 seeds) / causal CNN (29 filters, d = 1..32) / Transformer block "
            "(width 32, 4 heads); weights"
        ),
        (
            "{beyond.memory.lstm.error:.3f} ± {beyond.memory.lstm.error_std:.3f} / {beyond.memory.cnn.error:.1e} / "
            "{beyond.memory.attention.error:.1e}; {beyond.memory.lstm.params:,.0f} / {beyond.memory.cnn.params:,.0f} / "
            "{beyond.memory.attention.params:,.0f}"
        ),
    ),
    (
        "10",
        "the same LSTM 45 with hand-set weights (a delay line), test NMSE",
        "{beyond.memory.lstm_hand_set.error:.1e}",
    ),
    (
        "10",
        "delayed recall, seconds per epoch (LSTM, CNN, Transformer block)",
        (
            "{beyond.memory.lstm.seconds_per_epoch:.2f} / {beyond.memory.cnn.seconds_per_epoch:.2f} / "
            "{beyond.memory.attention.seconds_per_epoch:.2f}"
        ),
    ),
    (
        "10",
        (
            "08's files in windows of 128 (1 M training characters, 6 epochs, one seed): test bits per "
            "character, LSTM 128 / causal CNN (92 filters, d = 1..64) / Transformer block (width 112); weights"
        ),
        (
            "{beyond.chars.lstm.error:.3f} / {beyond.chars.cnn.error:.3f} / {beyond.chars.attention.error:.3f}; "
            "{beyond.chars.lstm.params:,.0f} / {beyond.chars.cnn.params:,.0f} / {beyond.chars.attention.params:,.0f}"
        ),
    ),
    (
        "10",
        "the same, seconds per epoch",
        (
            "{beyond.chars.lstm.seconds_per_epoch:.1f} / {beyond.chars.cnn.seconds_per_epoch:.1f} / "
            "{beyond.chars.attention.seconds_per_epoch:.1f}"
        ),
    ),
    (
        "10",
        (
            "exponent a of inference time ~ T^a, fitted over lengths 1024-4096 (over 64-4096): LSTM / CNN / "
            "Transformer block"
        ),
        (
            "{beyond.length_exponent.lstm:.2f} / {beyond.length_exponent.cnn:.2f} / "
            "{beyond.length_exponent.attention:.2f} ({beyond.length_exponent_all.lstm:.2f} / "
            "{beyond.length_exponent_all.cnn:.2f} / {beyond.length_exponent_all.attention:.2f})"
        ),
    ),
    (
        "11",
        "echo state property: distance of two initial states after 300 steps (relative), spectral radius 0.9 / 1.5",
        "{esn.esp_distance_rho_0_9:.1e} / {esn.esp_distance_rho_1_5:.2f}",
    ),
    (
        "11",
        "ridge readout in closed form against the same readout trained by Adam, largest difference of predictions",
        "{esn.ridge_descent_max_diff:.1e}",
    ),
    (
        "11",
        (
            "Mackey-Glass (tau = 17), free run: NRMSE at 84 steps over 5 reservoirs x 50 runs; units "
            "(Jaeger & Haas 2004: 10^-4.2 with 1000 units)"
        ),
        "{esn.mackey_glass_nrmse84:.1e}; {esn.mackey_glass_units}",
    ),
    (
        "11",
        "the heat map's best log10 NRMSE at 84 steps, 50 units / 800 units",
        "{esn.grid_best_log10_smallest:.2f} / {esn.grid_best_log10_largest:.2f}",
    ),
    (
        "11",
        (
            "sunspots, one input x(t-1): ESN of 50 units, NMSE 1921-1955 (mean ± std, 5 reservoirs) / "
            "1956-1979"
        ),
        (
            "{esn.sunspots_nmse_1921_1955:.3f} ± {esn.sunspots_nmse_1921_1955_std:.3f} / "
            "{esn.sunspots_nmse_1956_1979:.3f}"
        ),
    ),
    (
        "11",
        "beside it, NMSE 1921-1955: simple RNN 1-5-1 trained by BPTT / time-delay MLP 5-4-1 (3 seeds each)",
        "{esn.sunspots_rnn_nmse_1921_1955:.3f} / {esn.sunspots_mlp_nmse_1921_1955:.3f}",
    ),
    (
        "11",
        (
            "Mackey-Glass one step ahead, 100 units: training seconds, ESN (reservoir run + readout) / "
            "LSTM (20 epochs of BPTT); ratio"
        ),
        "{esn.readout_seconds:.2f} / {esn.lstm_seconds:.1f}; {esn.speedup:.0f}",
    ),
    (
        "11",
        "the same models, one-step NRMSE on 1,000 test steps: ESN / LSTM",
        "{esn.one_step_nrmse:.1e} / {esn.lstm_one_step_nrmse:.1e}",
    ),
    (
        "11",
        (
            "Hopfield net, four 16x16 letters: recalled exactly from 25%-flipped copies; share of random "
            "starts ending in a spurious state"
        ),
        "{hopfield.letters_recalled} of 4; {hopfield.spurious_fraction:.2f}",
    ),
    (
        "11",
        (
            "Hopfield capacity: load P/N at which half the random patterns are retrieved from 10%-flipped "
            "cues (Amit et al. 1985: 0.138 for large N); N"
        ),
        "{hopfield.capacity_measured:.3f}; {hopfield.capacity_units}",
    ),
    (
        "11",
        (
            "modern Hopfield net, 2000 patterns of d = 64, one update (beta = 1) from 15%-flipped cues: "
            "share whose signs equal the pattern / classical net with the same patterns, recalled"
        ),
        "{hopfield.modern_retrieved_fraction:.3f} / {hopfield.classical_retrieved_fraction_same_patterns:.3f}",
    ),
    (
        "11",
        "modern Hopfield update against MultiHeadAttention (identity projections, beta = 1/sqrt(d)), largest difference",
        "{hopfield.modern_attention_max_diff:.1e}",
    ),
    (
        "12",
        (
            "linear recurrence h_t = a_t h_(t-1) + b_t, T = 1,000: scan by hand - loop (float64) / "
            "keras.ops.associative_scan - loop (float32, relative); parallel form - step form, largest"
        ),
        (
            "{linear.scan_by_hand_max_diff:.1e} / {linear.associative_scan_relative_diff:.1e}; "
            "{linear.parallel_vs_step_max_diff:.1e}"
        ),
    ),
    (
        "12",
        (
            "delayed recall, delay 40 (notebook 10's task), test NMSE: LSTM (30 epochs) / minGRU x 2 / "
            "minLSTM x 2 / LRU (10 epochs each) / untrained LRU with a ridge readout; weights"
        ),
        (
            "{linear.recall40.lstm.error:.3f} / {linear.recall40.mingru.error:.3f} / "
            "{linear.recall40.minlstm.error:.3f} / {linear.recall40.lru.error:.1e} / "
            "{linear.recall40.lru_readout_only.error:.1e}; {linear.recall40.lstm.params:,.0f} / "
            "{linear.recall40.mingru.params:,.0f} / {linear.recall40.minlstm.params:,.0f} / "
            "{linear.recall40.lru.params:,.0f}"
        ),
    ),
    (
        "12",
        "selective copying (4 tokens of 8 in 64 steps), accuracy on the markers: minGRU / LRU",
        "{linear.selective_copy.mingru.accuracy:.3f} / {linear.selective_copy.lru.accuracy:.3f}",
    ),
    (
        "12",
        (
            "notebook 08's characters at equal training time, test bits per character: LSTM / minGRU "
            "blocks / LRU blocks; seconds of training each"
        ),
        (
            "{linear.chars.lstm.bpc:.3f} / {linear.chars.mingru.bpc:.3f} / {linear.chars.lru.bpc:.3f}; "
            "{linear.chars.seconds:.0f}"
        ),
    ),
    (
        "12",
        (
            "ms per training step at T = 4,096 on TensorFlow: minGRU parallel / sequential / LSTM / "
            "attention; fitted exponents, over the longest three lengths all four were timed at"
        ),
        (
            "{linear.steps.tensorflow.parallel.4096_ms:.0f} / "
            "{linear.steps.tensorflow.sequential.4096_ms:.0f} / {linear.steps.tensorflow.lstm.4096_ms:.0f} / "
            "{linear.steps.tensorflow.attention.4096_ms:.0f}; {linear.length_exponent.tensorflow.parallel:.2f} / "
            "{linear.length_exponent.tensorflow.sequential:.2f} / {linear.length_exponent.tensorflow.lstm:.2f} / "
            "{linear.length_exponent.tensorflow.attention:.2f} (from T = "
            "{linear.length_exponent.tensorflow.from:,.0f})"
        ),
    ),
    (
        "12",
        (
            "the same on JAX (another process): ms at T = 4,096, minGRU parallel / sequential / LSTM; "
            "attention at the longest length timed (a longer step predicted over the limit is not timed); "
            "exponents"
        ),
        (
            "{linear.steps.jax.parallel.4096_ms:.0f} / {linear.steps.jax.sequential.4096_ms:.0f} / "
            "{linear.steps.jax.lstm.4096_ms:.0f}; {linear.steps.jax.attention.longest_ms:.0f} at "
            "T = {linear.steps.jax.attention.longest:,.0f}; {linear.length_exponent.jax.parallel:.2f} / "
            "{linear.length_exponent.jax.sequential:.2f} / {linear.length_exponent.jax.lstm:.2f} / "
            "{linear.length_exponent.jax.attention:.2f} (from T = {linear.length_exponent.jax.from:,.0f})"
        ),
    ),
]

#: The pulse converter's table (notebooks 04 and 05): network, recorded name, lecture's error.
PULSE_ROWS = [
    ("simple recurrent, 5 hidden", "srn5", "0.47"),
    ("LSTM, 5 hidden", "lstm5", "0.08"),
    ("simple recurrent, 10 hidden", "srn10", "0.27"),
    ("LSTM, 5 then 3 hidden", "lstm5_3", "0.04"),
    ("GRU, 5 then 3 hidden (`reset_after=False`)", "gru5_3", "0.03"),
    ("inverse problem: LSTM, 5 hidden", "inverse_lstm5", "-"),
    ("inverse problem: LSTM, 25 hidden", "inverse_lstm25", "0.07"),
]


class MissingFigure(KeyError):
    """A template names a figure the results do not hold."""


def _figures(results, runs):
    """The full profile's figures, keyed by figure name (notebook keys are dropped: figure
    names are unique across the book), and the seconds of each notebook's last full run."""
    figures = {}
    for recorded in results.get("full", {}).values():
        figures.update(recorded)
    seconds = {
        key[:2]: entry["seconds"]
        for key, entry in runs.items()
        if entry.get("profile") == "full" and entry.get("ok")
    }
    return figures, seconds


def fill(template, figures, seconds=None):
    """``template`` with each ``{figure:format}`` replaced by its formatted value; raises
    :class:`MissingFigure` naming the first figure that is not there."""

    def value(match):
        name, spec = match.group(1), match.group(2) or ""
        if name == "seconds":
            if not seconds or spec not in seconds:
                raise MissingFigure(f"no full-profile run time of notebook {spec}")
            return _minutes(seconds[spec])
        if name not in figures:
            raise MissingFigure(f"no recorded figure {name!r} in the full profile")
        figure = figures[name]
        if isinstance(figure, bool):
            return "true" if figure else "false"
        return format(figure, spec)

    return _FIELD.sub(value, template)


def _minutes(seconds):
    seconds = round(float(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


def render(results, runs, environment):
    """The README's reference section (without its markers), as Markdown."""
    figures, seconds = _figures(results, runs)
    unknown = sorted({key[:2] for key in results.get("full", {})} - set(seconds))
    if unknown:
        raise MissingFigure(
            f"no full-profile run time of notebook {unknown[0]} (its last run was in another "
            "profile, or failed)"
        )
    lines = [
        (
            "Written by `python -m rnnbook results --write` from the last `python -m rnnbook run` "
            f"(full profile, seed 0) on {environment['machine']}, Python {environment['python']}, "
            f"{environment['backend']}, Keras {environment['keras']}, on {environment['date']}. "
            "`python -m rnnbook results` checks that this table and the last run agree."
        ),
        "",
        "| notebook | figure | value |",
        "|---|---|---|",
    ]
    for notebook, figure, template in ROWS:
        lines.append(f"| {notebook} | {figure} | {fill(template, figures, seconds)} |")
    lines += ["", "Run time of each notebook in the full profile on that machine:", ""]
    lines += [
        "| notebook | " + " | ".join(sorted(seconds)) + " | all |",
        "|---" * (len(seconds) + 2) + "|",
        "| seconds | "
        + " | ".join(_minutes(seconds[k]) for k in sorted(seconds))
        + f" | {_minutes(sum(seconds.values()))} |",
    ]
    lines += [
        "",
        "**The pulse converter** (notebooks 04 and 05; `rnnbook.data.pulse_converter`, widths 1-20,",
        "sequences of 160 steps, 1000 for training and 300 for testing; forward: a pulse of width w becomes",
        "a spike of height w/20 when it ends; inverse: the spike becomes the pulse). Three seeds per row,",
        "the same budget for every run (Adam 0.01, batches of 32, 20 epochs), test NMSE as mean and",
        "standard deviation over the seeds:",
        "",
        "| network | parameters | test NMSE, mean ± std (3 seeds) | lecture's test error (its own pulse task) |",
        "|---|---|---|---|",
    ]
    for network, name, lecture in PULSE_ROWS:
        values = fill(
            f"{{pulse.{name}.params}} | {{pulse.{name}.nmse:.4f}} ± {{pulse.{name}.nmse_std:.4f}}",
            figures,
        )
        lines.append(f"| {network} | {values} | {lecture} |")
    lines += _samples(figures)
    return "\n".join(lines)


#: Notebook 08's samples shown in the README: (recorded name, what produced it).
SAMPLES = [
    ("char.sample.void.top_k_5", 'From `"void "` with top-k sampling (k = 5)'),
    ("char.sample.printf.temperature_0.5", 'From `"printf("` at temperature 0.5'),
]


def _samples(figures, shown_lines=8):
    """The samples of notebook 08 as text blocks (their first lines)."""
    lines = [
        "",
        f"**Samples from notebook 08** (full profile, seeded; the first {shown_lines} lines of each):",
    ]
    for name, produced in SAMPLES:
        if name not in figures:
            raise MissingFigure(f"no recorded figure {name!r} in the full profile")
        text = "\n".join(
            line.rstrip() for line in str(figures[name]).splitlines()[:shown_lines]
        ).replace("```", "` ` `")
        lines += ["", f"{produced}:", "", "```text", text, "```"]
    return lines


def environment():
    """Where this Python runs: the machine, Python, the Keras backend and versions, the date."""
    import keras

    machine = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                machine = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        backend = f"TensorFlow {tf.__version__}"
    elif backend in ("jax", "torch"):
        module = __import__(backend)
        backend = f"{'JAX' if backend == 'jax' else 'PyTorch'} {module.__version__}"
    return {
        "machine": f"{machine} ({os.cpu_count()} cores)",
        "python": platform.python_version(),
        "backend": backend,
        "keras": keras.__version__,
        "date": time.strftime("%Y-%m-%d"),
    }


def section(readme_text):
    """The text between the markers of ``README.md``; ValueError if they are missing."""
    start, end = readme_text.find(BEGIN), readme_text.find(END)
    if start < 0 or end < start:
        raise ValueError(
            f"README.md has no reference section: expected the lines {BEGIN} and {END}"
        )
    return readme_text[start + len(BEGIN) : end].strip("\n")


def replace_section(readme_text, body):
    start, end = readme_text.find(BEGIN), readme_text.find(END)
    section(readme_text)  # checks the markers
    return readme_text[: start + len(BEGIN)] + "\n" + body + "\n" + readme_text[end:]


def differences(in_readme, from_run):
    """The lines where the README's section and the rendered run differ, as
    ``(line number, README's line, run's line)``."""
    readme, run = in_readme.splitlines(), from_run.splitlines()
    rows = []
    for number in range(max(len(readme), len(run))):
        a = readme[number] if number < len(readme) else "(no line)"
        b = run[number] if number < len(run) else "(no line)"
        if a != b:
            rows.append((number + 1, a, b))
    return rows


def snapshot(build_dir):
    """What ``--write`` keeps beside the README: the full profile's figures, the run times,
    and the environment, read from a build folder."""
    from rnnbook.publish.buildfolder import read_json

    build = Path(build_dir)
    results, runs = read_json(build / "results.json"), read_json(build / "runs.json")
    if not results.get("full"):
        raise ValueError(
            f"{build / 'results.json'} holds no full-profile figures: run `python -m rnnbook run` first"
        )
    full_runs = {key: entry for key, entry in runs.items() if entry.get("profile") == "full"}
    return {"results": {"full": results["full"]}, "runs": full_runs, "environment": environment()}


def render_snapshot(data):
    return render(data["results"], data["runs"], data["environment"])


def load_snapshot(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))
