"""Wrong answers to the exercises of 06_bidirectional; see __init__.py."""

_RUN = """
x = np.asarray(x, dtype="float64")

def run(sequence, U, W, b):
    h, states = np.zeros((sequence.shape[0], W.shape[0])), []
    for t in range(sequence.shape[1]):
        h = np.tanh(sequence[:, t] @ U + h @ W + b)
        states.append(h)
    return np.stack(states, axis=1)
"""

_BOTH_WAYS = """
ahead = run(x, *forward_weights)
behind = np.flip(run(np.flip(x, axis=1), *backward_weights), axis=1)
return np.concatenate([ahead, behind], axis=-1)
"""

_PADDED_START = """
x, lengths = np.asarray(x, dtype="float64"), np.asarray(lengths)
batch, steps, _ = x.shape
units = np.shape(W)[0]
h = np.zeros((batch, units)) if initial_state is None else np.array(initial_state, dtype="float64")
states = np.zeros((batch, steps, units))
"""

WRONG = {
    1: {
        "backward states left in the order they were computed": _RUN
        + "return np.concatenate([run(x, *forward_weights), run(np.flip(x, axis=1), *backward_weights)], axis=-1)",
        "backward layer reads left to right too": _RUN
        + "return np.concatenate([run(x, *forward_weights), run(x, *backward_weights)], axis=-1)",
        "forward and backward weights swapped": _RUN
        + """
ahead = run(x, *backward_weights)
behind = np.flip(run(np.flip(x, axis=1), *forward_weights), axis=1)
return np.concatenate([ahead, behind], axis=-1)
""",
        "recurrent matrix transposed (h @ W.T)": _RUN.replace("h @ W", "h @ W.T") + _BOTH_WAYS,
        "bias left out": _RUN.replace(" + b)", ")") + _BOTH_WAYS,
        "calls Keras' Bidirectional layer": """
x = np.asarray(x, dtype="float32")
layer = keras.layers.Bidirectional(keras.layers.SimpleRNN(np.shape(forward_weights[1])[0], return_sequences=True))
layer.build(x.shape)
layer.set_weights([np.asarray(w, dtype="float32") for w in (*forward_weights, *backward_weights)])
return keras.ops.convert_to_numpy(layer(x))
""",
    },
    2: {
        "reverses the whole padded tensor (reads the padding first)": _PADDED_START
        + """
for t in range(steps - 1, -1, -1):
    h = np.tanh(x[:, t] @ U + h @ W + b)
    states[:, t] = h
real = np.arange(steps)[None, :] < lengths[:, None]
return np.where(real[..., None], states, 0.0)
""",
        "off by one: reads one padding step before the last real one": _PADDED_START
        + """
for t in range(steps - 1, -1, -1):
    real = (t <= lengths)[:, None]
    h = np.where(real, np.tanh(x[:, t] @ U + h @ W + b), h)
    states[:, t] = np.where(real, h, 0.0)
return states
""",
        "off by one: skips the last real step": _PADDED_START
        + """
for t in range(steps - 1, -1, -1):
    real = (t < lengths - 1)[:, None]
    h = np.where(real, np.tanh(x[:, t] @ U + h @ W + b), h)
    states[:, t] = np.where(real, h, 0.0)
return states
""",
        "reverses within length but leaves the states in reading order": _PADDED_START
        + """
for i, length in enumerate(lengths):
    state = h[i]
    for k, t in enumerate(range(length - 1, -1, -1)):
        state = np.tanh(x[i, t] @ U + state @ W + b)
        states[i, k] = state
return states
""",
        "ignores the starting state": _PADDED_START
        + """
h = np.zeros((batch, units))
for t in range(steps - 1, -1, -1):
    real = (t < lengths)[:, None]
    h = np.where(real, np.tanh(x[:, t] @ U + h @ W + b), h)
    states[:, t] = np.where(real, h, 0.0)
return states
""",
        "reads left to right under the mask": _PADDED_START
        + """
for t in range(steps):
    real = (t < lengths)[:, None]
    h = np.where(real, np.tanh(x[:, t] @ U + h @ W + b), h)
    states[:, t] = np.where(real, h, 0.0)
return states
""",
        "calls Keras' go_backwards layer under a mask": """
x = np.asarray(x, dtype="float32")
units = np.shape(W)[0]
layer = keras.layers.SimpleRNN(units, return_sequences=True, go_backwards=True)
layer.build(x.shape)
layer.set_weights([np.asarray(w, dtype="float32") for w in (U, W, b)])
mask = np.arange(x.shape[1])[None, :] < np.asarray(lengths)[:, None]
start = np.zeros((len(x), units), "float32") if initial_state is None else np.asarray(initial_state, "float32")
return np.flip(keras.ops.convert_to_numpy(layer(x, initial_state=start, mask=mask)), axis=1)
""",
    },
}
