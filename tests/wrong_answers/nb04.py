"""Wrong answers to the exercises of 04_lstm; see __init__.py."""

# Exercise 1: the peephole LSTM over a batch of sequences.
_PEEPHOLE_HEAD = """\
sigmoid = lambda v: 1 / (1 + np.exp(-v))
batch, steps, _ = np.shape(x)
units = W.shape[0]
p_i, p_f, p_o = P
h, c = np.zeros((batch, units)), np.zeros((batch, units))
hs = []
"""

# Exercise 2: the LSTM step's backward pass (the solution, with one line changed per answer).
_BACKWARD = """\
units = h.shape[-1]
z = x @ U + h @ W + b
i, f, o = (1 / (1 + np.exp(-z[:, k * units:(k + 1) * units])) for k in (0, 1, 3))
g = np.tanh(z[:, 2 * units:3 * units])
c_new = f * c + i * g
tanh_c = np.tanh(c_new)
dc_total = DC_TOTAL
dz = np.concatenate(DZ, axis=-1)
return dz @ U.T, dz @ W.T, DC, x.T @ dz, h.T @ dz, DB
"""
_RIGHT = {
    "DC_TOTAL": "dc_new + dh_new * o * (1 - tanh_c**2)",
    "DZ": "[dc_total * g * i * (1 - i), dc_total * c * f * (1 - f), dc_total * i * (1 - g**2), "
    "dh_new * tanh_c * o * (1 - o)]",
    "DC": "dc_total * f",
    "DB": "dz.sum(axis=0)",
}


def _backward(**changes):
    body = _BACKWARD
    for key, value in {**_RIGHT, **changes}.items():
        body = body.replace(key, value)
    return body


WRONG = {
    1: {
        "the output gate peeks at the old cell state c_{t-1}": _PEEPHOLE_HEAD
        + """\
for t in range(steps):
    z_i, z_f, z_c, z_o = np.split(x[:, t] @ U + h @ W + b, 4, axis=-1)
    i, f, o = sigmoid(z_i + c * p_i), sigmoid(z_f + c * p_f), sigmoid(z_o + c * p_o)
    c = f * c + i * np.tanh(z_c)
    h = o * np.tanh(c)
    hs.append(h)
return np.stack(hs, axis=1), (h, c)
""",
        "blocks read in the order i, f, o, c~": _PEEPHOLE_HEAD
        + """\
for t in range(steps):
    z_i, z_f, z_o, z_c = np.split(x[:, t] @ U + h @ W + b, 4, axis=-1)
    i, f = sigmoid(z_i + c * p_i), sigmoid(z_f + c * p_f)
    c = f * c + i * np.tanh(z_c)
    h = sigmoid(z_o + c * p_o) * np.tanh(c)
    hs.append(h)
return np.stack(hs, axis=1), (h, c)
""",
        "the peepholes of the input and forget gates swapped": _PEEPHOLE_HEAD
        + """\
for t in range(steps):
    z_i, z_f, z_c, z_o = np.split(x[:, t] @ U + h @ W + b, 4, axis=-1)
    i, f = sigmoid(z_i + c * p_f), sigmoid(z_f + c * p_i)
    c = f * c + i * np.tanh(z_c)
    h = sigmoid(z_o + c * p_o) * np.tanh(c)
    hs.append(h)
return np.stack(hs, axis=1), (h, c)
""",
        "the loop of lstm_by_hand, run over the batch axis instead of time": """\
sigmoid = lambda v: 1 / (1 + np.exp(-v))
units = W.shape[0]
p_i, p_f, p_o = P
h, c, hs = np.zeros(units), np.zeros(units), []
for x_t in x:
    z_i, z_f, z_c, z_o = np.split(x_t @ U + h @ W + b, 4, axis=-1)
    i, f = sigmoid(z_i + c * p_i), sigmoid(z_f + c * p_f)
    c = f * c + i * np.tanh(z_c)
    h = sigmoid(z_o + c * p_o) * np.tanh(c)
    hs.append(h)
return np.stack(hs), (h, c)
""",
        "the plain LSTM, peepholes left out": _PEEPHOLE_HEAD
        + """\
for t in range(steps):
    z_i, z_f, z_c, z_o = np.split(x[:, t] @ U + h @ W + b, 4, axis=-1)
    c = sigmoid(z_f) * c + sigmoid(z_i) * np.tanh(z_c)
    h = sigmoid(z_o) * np.tanh(c)
    hs.append(h)
return np.stack(hs, axis=1), (h, c)
""",
        "calls keras.layers.LSTM (forbidden), peepholes ignored": """\
layer = keras.layers.LSTM(W.shape[0], return_sequences=True, return_state=True, dtype="float64")
layer.build(np.shape(x))
layer.set_weights([U, W, b])
hs, h_T, c_T = (keras.ops.convert_to_numpy(v) for v in layer(x))
return hs, (h_T, c_T)
""",
    },
    2: {
        "c_t gets only dc_new, not the part through h_t": _backward(DC_TOTAL="dc_new"),
        "the tanh'(c_t) factor left out": _backward(DC_TOTAL="dc_new + dh_new * o"),
        "dc without the forget gate (the +f path dropped)": _backward(DC="dc_total"),
        "gradient blocks stacked as i, f, o, c~": _backward(
            DZ="[dc_total * g * i * (1 - i), dc_total * c * f * (1 - f), dh_new * tanh_c * o * (1 - o), "
            "dc_total * i * (1 - g**2)]"
        ),
        "db averaged over the batch instead of summed": _backward(DB="dz.mean(axis=0)"),
        "autodiff through LSTMCell with tf.GradientTape": """\
import tensorflow as tf
cell = LSTMCell(h.shape[-1], dtype="float64")
cell.build((None, x.shape[-1]))
cell.set_weights([U, W, b])
inputs = [tf.Variable(v) for v in (x, h, c)]
with tf.GradientTape() as tape:
    h_new, (_, c_new) = cell(inputs[0], [inputs[1], inputs[2]])
    loss = tf.reduce_sum(h_new * dh_new) + tf.reduce_sum(c_new * dc_new)
return [keras.ops.convert_to_numpy(g) for g in tape.gradient(loss, inputs + list(cell.weights))]
""",
        "centred differences through the check's lstm_step (close to 1e-10 with a step of 1e-5)": """\
values = [np.array(v, dtype="float64") for v in (x, h, c, U, W, b)]


def loss(values):
    h_new, c_new = lstm_step(*values)
    return np.sum(h_new * dh_new) + np.sum(c_new * dc_new)


gradients = []
for array in values:
    gradient = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + 1e-5
        up = loss(values)
        array[index] = saved - 1e-5
        down = loss(values)
        array[index] = saved
        gradient[index] = (up - down) / 2e-5
    gradients.append(gradient)
return tuple(gradients)
""",
    },
}
