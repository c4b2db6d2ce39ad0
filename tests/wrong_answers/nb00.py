"""Wrong answers to the exercises of 00_sequences_and_usage_patterns; see __init__.py."""

_LOOP_START = """\
x = np.asarray(x, dtype=float)
lengths = np.asarray(lengths)
batch, time, _ = x.shape
h = np.zeros((batch, W.shape[0]))
states = np.zeros((batch, time, W.shape[0]))
"""

_PAD_START = """\
lengths = [len(sequence) for sequence in sequences]
batch, time, n = len(sequences), max(lengths), np.shape(sequences[0])[1]
padded = np.zeros((batch, time, n), dtype="float32")
targets = np.zeros((batch, time), dtype=int)
mask = np.zeros((batch, time), dtype=bool)
"""

_PAD_LOOP = """\
for i, (sequence, label) in enumerate(zip(sequences, labels)):
    padded[i, : lengths[i]] = sequence
    targets[i, : lengths[i]] = label
    mask[i, : lengths[i]] = True
probabilities = keras.ops.convert_to_numpy(tagger(padded))
p_true = np.take_along_axis(probabilities, targets[..., None], axis=-1)[..., 0]
"""

WRONG = {
    1: {
        "reads the padding (no mask)": _LOOP_START
        + """\
for t in range(time):
    h = np.tanh(x[:, t] @ U + h @ W + b)
    states[:, t] = h
return states, h
""",
        "one padded step too many (t <= length)": _LOOP_START
        + """\
for t in range(time):
    candidate = np.tanh(x[:, t] @ U + h @ W + b)
    running = (t <= lengths)[:, None]
    h = np.where(running, candidate, h)
    states[:, t] = np.where(running, candidate, 0.0)
return states, h
""",
        "stops one step early (t < length - 1)": _LOOP_START
        + """\
for t in range(time):
    candidate = np.tanh(x[:, t] @ U + h @ W + b)
    running = (t < lengths - 1)[:, None]
    h = np.where(running, candidate, h)
    states[:, t] = np.where(running, candidate, 0.0)
return states, h
""",
        "forgets the bias": _LOOP_START
        + """\
for t in range(time):
    candidate = np.tanh(x[:, t] @ U + h @ W)
    running = (t < lengths)[:, None]
    h = np.where(running, candidate, h)
    states[:, t] = np.where(running, candidate, 0.0)
return states, h
""",
        "zeroes the state after the end (final = last column)": _LOOP_START
        + """\
for t in range(time):
    candidate = np.tanh(x[:, t] @ U + h @ W + b)
    running = (t < lengths)[:, None]
    h = np.where(running, candidate, 0.0)
    states[:, t] = h
return states, h
""",
        "transposes W (h W^T)": _LOOP_START
        + """\
for t in range(time):
    candidate = np.tanh(x[:, t] @ U + h @ W.T + b)
    running = (t < lengths)[:, None]
    h = np.where(running, candidate, h)
    states[:, t] = np.where(running, candidate, 0.0)
return states, h
""",
        "runs Keras' SimpleRNN under a mask (forbidden)": """\
x = np.asarray(x, dtype="float32")
layer = keras.layers.SimpleRNN(
    W.shape[0], return_sequences=True, return_state=True, zero_output_for_mask=True
)
layer.build(x.shape)
layer.set_weights([U, W, b])
mask = np.arange(x.shape[1])[None, :] < np.asarray(lengths)[:, None]
states, final = layer(x, mask=mask)
return keras.ops.convert_to_numpy(states), keras.ops.convert_to_numpy(final)
""",
    },
    2: {
        "averages over the padded steps too (no mask)": _PAD_START
        + _PAD_LOOP
        + """\
return padded, mask, float(np.mean(-np.log(p_true)))
""",
        "averages the sequences' mean losses (each sequence weighs the same)": _PAD_START
        + _PAD_LOOP
        + """\
per_sequence = [np.mean(-np.log(p_true[i, : lengths[i]])) for i in range(batch)]
return padded, mask, float(np.mean(per_sequence))
""",
        "pads at the front": _PAD_START
        + """\
for i, (sequence, label) in enumerate(zip(sequences, labels)):
    padded[i, time - lengths[i] :] = sequence
    targets[i, time - lengths[i] :] = label
    mask[i, time - lengths[i] :] = True
probabilities = keras.ops.convert_to_numpy(tagger(padded))
p_true = np.take_along_axis(probabilities, targets[..., None], axis=-1)[..., 0]
return padded, mask, float(np.mean(-np.log(p_true[mask])))
""",
        "scores the most likely class, not the true one": _PAD_START
        + _PAD_LOOP
        + """\
p_best = probabilities.max(axis=-1)
return padded, mask, float(np.mean(-np.log(p_best[mask])))
""",
        "labels shifted one step (scores the next step's class)": _PAD_START
        + """\
for i, (sequence, label) in enumerate(zip(sequences, labels)):
    padded[i, : lengths[i]] = sequence
    targets[i, : lengths[i] - 1] = label[1:]
    mask[i, : lengths[i]] = True
probabilities = keras.ops.convert_to_numpy(tagger(padded))
p_true = np.take_along_axis(probabilities, targets[..., None], axis=-1)[..., 0]
return padded, mask, float(np.mean(-np.log(p_true[mask])))
""",
        "Keras' sparse cross-entropy with the mask as sample weight (divides by every step)": _PAD_START
        + _PAD_LOOP
        + """\
loss = keras.losses.SparseCategoricalCrossentropy()(targets, probabilities, sample_weight=mask)
return padded, mask, float(keras.ops.convert_to_numpy(loss))
""",
        "infers the mask from zero inputs instead of the lengths": _PAD_START
        + _PAD_LOOP
        + """\
mask = np.any(padded != 0, axis=-1)
return padded, mask, float(np.mean(-np.log(p_true[mask])))
""",
        "uses keras.utils.pad_sequences (forbidden)": """\
lengths = [len(sequence) for sequence in sequences]
padded = keras.utils.pad_sequences(sequences, padding="post", dtype="float32")
targets = keras.utils.pad_sequences(labels, padding="post")
mask = np.arange(padded.shape[1])[None, :] < np.array(lengths)[:, None]
probabilities = keras.ops.convert_to_numpy(tagger(padded))
p_true = np.take_along_axis(probabilities, targets[..., None], axis=-1)[..., 0]
return padded, mask, float(np.mean(-np.log(p_true[mask])))
""",
    },
}
