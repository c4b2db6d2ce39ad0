"""Wrong answers to the exercises of 05_gru; see __init__.py."""

# Exercise 1: a stack of GRU layers in the cuDNN form (the solution, with its step changed per answer).
_STACK = """\
sigmoid = lambda v: 1 / (1 + np.exp(-v))
batch, steps, _ = np.shape(x)
if initial_states is None:
    initial_states = [np.zeros((batch, W.shape[0])) for _, W, _ in layers]
sequence, finals = np.asarray(x), []
for (U, W, b), h in zip(layers, initial_states):
    units = W.shape[0]
    inputs = sequence @ U + b[0]
    hs = []
    for t in range(steps):
        STEP
        hs.append(h)
    sequence = np.stack(hs, axis=1)
    finals.append(h)
return sequence, finals
"""


def _stack(step):
    lines = step.strip("\n").split("\n")
    return _STACK.replace("STEP", ("\n" + " " * 8).join(lines))


# Exercise 2: the Jacobian of one cuDNN-form step (the solution, with one part changed per answer).
_JACOBIAN = """\
units = h.shape[-1]
sigmoid = lambda v: 1 / (1 + np.exp(-v))
x_part, h_part = x @ U + b[0], h @ W + b[1]
z = sigmoid(x_part[:units] + h_part[:units])
r = sigmoid(x_part[units:2 * units] + h_part[units:2 * units])
recurrent = h_part[2 * units:]
candidate = np.tanh(x_part[2 * units:] + r * recurrent)
W_z, W_r, W_h = W[:, :units], W[:, units:2 * units], W[:, 2 * units:]
through_z = ((h - candidate) * z * (1 - z))[:, None] * W_z.T
through_candidate = ((1 - z) * TANH_PRIME)[:, None] * (r[:, None] * W_h.T + (recurrent * r * (1 - r))[:, None] * W_r.T)
return DIRECT + through_z + through_candidate
"""


def _jacobian(**changes):
    body = _JACOBIAN
    for key, value in {
        "TANH_PRIME": "(1 - candidate**2)",
        "DIRECT": "np.diag(z)",
        **changes,
    }.items():
        body = body.replace(key, value)
    return body


WRONG = {
    1: {
        "the recurrent bias outside the reset gate (added to the candidate, not to h W)": _stack("""
x_z, x_r, x_h = np.split(inputs[:, t], 3, axis=-1)
h_z, h_r, h_h = np.split(h @ W, 3, axis=-1)
b_z, b_r, b_h = np.split(b[1], 3)
z, r = sigmoid(x_z + h_z + b_z), sigmoid(x_r + h_r + b_r)
h = z * h + (1 - z) * np.tanh(x_h + b_h + r * h_h)
"""),
        "the classic form: the reset gate applied before the recurrent product": _stack("""
x_z, x_r, x_h = np.split(inputs[:, t], 3, axis=-1)
h_z, h_r, _ = np.split(h @ W + b[1], 3, axis=-1)
z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
h = z * h + (1 - z) * np.tanh(x_h + (r * h) @ W[:, 2 * units:] + b[1][2 * units:])
"""),
        "calls the hidden test's reference_stack": """\
starts = initial_states or [np.zeros((np.shape(x)[0], W.shape[0])) for _, W, _ in layers]
return reference_stack(np.asarray(x), layers, starts)
""",
        "z and 1 - z swapped": _stack("""
x_z, x_r, x_h = np.split(inputs[:, t], 3, axis=-1)
h_z, h_r, h_h = np.split(h @ W + b[1], 3, axis=-1)
z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
h = (1 - z) * h + z * np.tanh(x_h + r * h_h)
"""),
        "blocks read in the order r, z, h~": _stack("""
x_r, x_z, x_h = np.split(inputs[:, t], 3, axis=-1)
h_r, h_z, h_h = np.split(h @ W + b[1], 3, axis=-1)
z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
h = z * h + (1 - z) * np.tanh(x_h + r * h_h)
"""),
        "the initial states ignored (every layer starts from zeros)": _STACK.replace(
            "for (U, W, b), h in zip(layers, initial_states):",
            "for (U, W, b), _ in zip(layers, initial_states):\n    h = np.zeros((batch, W.shape[0]))",
        ).replace(
            "STEP",
            """x_z, x_r, x_h = np.split(inputs[:, t], 3, axis=-1)
        h_z, h_r, h_h = np.split(h @ W + b[1], 3, axis=-1)
        z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
        h = z * h + (1 - z) * np.tanh(x_h + r * h_h)""",
        ),
        "calls keras.layers.GRU (forbidden)": """\
sequence, finals = x, []
if initial_states is None:
    initial_states = [np.zeros((len(x), W.shape[0])) for _, W, _ in layers]
for (U, W, b), h0 in zip(layers, initial_states):
    layer = keras.layers.GRU(W.shape[0], return_sequences=True, return_state=True, dtype="float64")
    layer.build(np.shape(sequence))
    layer.set_weights([U, W, b])
    sequence, h_T = (keras.ops.convert_to_numpy(v) for v in layer(sequence, initial_state=[h0]))
    finals.append(h_T)
return sequence, finals
""",
    },
    2: {
        "only the direct path diag(z_t)": """\
units = h.shape[-1]
z = 1 / (1 + np.exp(-(x @ U[:, :units] + b[0][:units] + h @ W[:, :units] + b[1][:units])))
return np.diag(z)
""",
        "the weight blocks not transposed": _jacobian()
        .replace("W_z.T", "W_z")
        .replace("W_h.T", "W_h")
        .replace("W_r.T", "W_r"),
        "z and 1 - z swapped": _jacobian(DIRECT="np.diag(1 - z)")
        .replace("(h - candidate)", "(candidate - h)")
        .replace("((1 - z) *", "(z *"),
        "the tanh' factor of the candidate left out": _jacobian(TANH_PRIME="1"),
        "the path through r_t left out": _jacobian().replace(
            " + (recurrent * r * (1 - r))[:, None] * W_r.T", ""
        ),
        "autodiff through GRUCell with tf.GradientTape": """\
import tensorflow as tf
cell = GRUCell(h.shape[-1], reset_after=True, dtype="float64")
cell.build((None, x.shape[-1]))
cell.set_weights([U, W, b])
h_var = tf.Variable(h[None])
with tf.GradientTape() as tape:
    h_next, _ = cell(tf.constant(x[None]), [h_var])
return keras.ops.convert_to_numpy(tape.jacobian(h_next, h_var))[0, :, 0, :]
""",
        "centred differences through GRUCell, as the visible check does": """\
cell = GRUCell(h.shape[-1], reset_after=True, dtype="float64")
cell.build((None, x.shape[-1]))
cell.set_weights([U, W, b])
step = lambda v: keras.ops.convert_to_numpy(cell(x[None], [v[None]])[0])[0]
return np.stack([(step(h + 1e-6 * e) - step(h - 1e-6 * e)) / 2e-6 for e in np.eye(len(h))], axis=1)
""",
        "centred differences through the check's gru_step (close to 1e-10 with a step of 1e-5)": """\
step = 1e-5
return np.stack(
    [(gru_step(x, h + step * e, U, W, b) - gru_step(x, h - step * e, U, W, b)) / (2 * step) for e in np.eye(len(h))],
    axis=1,
)
""",
    },
}
