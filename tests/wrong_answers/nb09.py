"""Wrong answers to the exercises of 09_sequence_to_sequence; see __init__.py."""

_STEP = """def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

tokens = np.asarray(tokens)
h, c = np.asarray(h, "float64"), np.asarray(c, "float64")
encoder_outputs = np.asarray(encoder_outputs, "float64")
mask = np.asarray(mask, bool)
scores = np.tanh((h @ weights["query"])[:, None, :] + encoder_outputs @ weights["key"]) @ weights["scale"]
scores = np.where(mask, scores, -np.inf)
alpha = np.exp(scores - scores.max(axis=1, keepdims=True))
alpha /= alpha.sum(axis=1, keepdims=True)
context = np.einsum("bs,bsd->bd", alpha, encoder_outputs)
x = np.concatenate([weights["embedding"][tokens], context], axis=1)
z = x @ weights["kernel"] + h @ weights["recurrent_kernel"] + weights["bias"]
i, f, g, o = np.split(z, 4, axis=1)
c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
h_new = sigmoid(o) * np.tanh(c_new)
logits = np.concatenate([h_new, context], axis=1) @ weights["logits_kernel"] + weights["logits_bias"]
return logits, h_new, c_new, alpha
"""


def _step(old, new):
    assert old in _STEP, old
    return _STEP.replace(old, new)


_WRONG_1 = {
    "the mask left out (padded positions get weight)": _step(
        "scores = np.where(mask, scores, -np.inf)\n", ""
    ),
    "the query from the cell c instead of the state h": _step(
        '(h @ weights["query"])', '(c @ weights["query"])'
    ),
    "gate order i, c~, f, o (PyTorch's is i, f, g, o; Keras' i, f, c~, o)": _step(
        "i, f, g, o = np.split(z, 4, axis=1)", "i, g, f, o = np.split(z, 4, axis=1)"
    ),
    "the logits from the state alone, context left out": _step(
        'np.concatenate([h_new, context], axis=1) @ weights["logits_kernel"]',
        'np.concatenate([h_new, np.zeros_like(context)], axis=1) @ weights["logits_kernel"]',
    ),
    "context the unweighted mean of the real positions": _step(
        'context = np.einsum("bs,bsd->bd", alpha, encoder_outputs)',
        'context = np.einsum("bs,bsd->bd", mask / mask.sum(axis=1, keepdims=True), encoder_outputs)',
    ),
    "softmax over the batch instead of the source positions": _step(
        "alpha = np.exp(scores - scores.max(axis=1, keepdims=True))\nalpha /= alpha.sum(axis=1, keepdims=True)",
        "alpha = np.exp(scores - scores.max(axis=0, keepdims=True))\nalpha /= alpha.sum(axis=0, keepdims=True)\n"
        "alpha = np.nan_to_num(alpha)",
    ),
    "the forget gate's bias raised by 1 (Keras' unit_forget_bias is an initialiser, already in the bias)": _step(
        'z = x @ weights["kernel"] + h @ weights["recurrent_kernel"] + weights["bias"]',
        'z = x @ weights["kernel"] + h @ weights["recurrent_kernel"] + weights["bias"]\n'
        "z[:, z.shape[1] // 4 : z.shape[1] // 2] += 1.0",
    ),
    "the LSTM's input in the other order, [context, embedding]": _step(
        'x = np.concatenate([weights["embedding"][tokens], context], axis=1)',
        'x = np.concatenate([context, weights["embedding"][tokens]], axis=1)',
    ),
    "query and key matrices swapped": _step(
        '(h @ weights["query"])[:, None, :] + encoder_outputs @ weights["key"]',
        '(h @ weights["key"][: h.shape[1]])[:, None, :] + encoder_outputs @ weights["query"][: encoder_outputs.shape[2]]',
    ),
    "the context from the keys h_j U, not the encoder outputs": _step(
        'context = np.einsum("bs,bsd->bd", alpha, encoder_outputs)',
        'context = np.einsum("bs,bsd->bd", alpha, encoder_outputs @ weights["key"])[:, : encoder_outputs.shape[2]]',
    ),
    "the previous token ignored (always <start>)": _step(
        'weights["embedding"][tokens]', 'weights["embedding"][np.ones_like(tokens)]'
    ),
    "the step built from the decoder's own layers": (
        'd = models["additive"].decoder\n'
        "context, alpha = d.score([d.query(h)[:, None], encoder_outputs, d.key(encoder_outputs)], "
        "mask=[None, np.asarray(mask, bool)], return_attention_scores=True)\n"
        "context, alpha = context[:, 0], alpha[:, 0]\n"
        "out, (h_new, c_new) = d.cell(ops.concatenate([d.embedding(tokens), context], axis=-1), [h, c])\n"
        "logits = d.logits(ops.concatenate([out, context], axis=-1))\n"
        "return [ops.convert_to_numpy(a) for a in (logits, h_new, c_new, alpha)]"
    ),
    "calls the model's decoder": (
        'logits, (h_new, c_new), alpha = models["additive"].decoder.step(tokens, [h, c], encoder_outputs, '
        'models["additive"].decoder.keys(encoder_outputs), mask)\n'
        "return [ops.convert_to_numpy(a) for a in (logits, h_new, c_new, alpha)]"
    ),
}

_LOSS = """logits = np.asarray(logits, "float64")
targets = np.asarray(targets)
shifted = logits - logits.max(axis=-1, keepdims=True)
log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
picked = np.take_along_axis(log_probabilities, targets[..., None], axis=-1)[..., 0]
real = targets != 0
loss = -picked[real].mean()
accuracy = (logits.argmax(axis=-1) == targets)[real].mean()
return loss, accuracy
"""


def _loss(old, new):
    assert old in _LOSS, old
    return _LOSS.replace(old, new)


_WRONG_2 = {
    "pads counted in the loss": _loss("loss = -picked[real].mean()", "loss = -picked.mean()"),
    "pads counted in the accuracy": _loss(
        "accuracy = (logits.argmax(axis=-1) == targets)[real].mean()",
        "accuracy = (logits.argmax(axis=-1) == targets).mean()",
    ),
    "softmax without subtracting the largest logit (overflows)": _loss(
        "shifted = logits - logits.max(axis=-1, keepdims=True)", "shifted = logits"
    ),
    "loss summed over tokens, not averaged": _loss(
        "loss = -picked[real].mean()", "loss = -picked[real].sum()"
    ),
    "log of the logits' share, no exponential (not a softmax)": _loss(
        "log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))",
        "log_probabilities = np.log(np.abs(logits) / np.abs(logits).sum(axis=-1, keepdims=True) + 1e-12)",
    ),
    "mean per sequence, then over the batch": _loss(
        "loss = -picked[real].mean()",
        "loss = np.mean([-picked[b][real[b]].mean() for b in range(len(picked)) if real[b].any()])",
    ),
    "<end> treated as padding too": _loss("real = targets != 0", "real = targets > 2"),
    "log of the softmax plus a small number (clips very unlikely targets)": _loss(
        "log_probabilities = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))",
        "log_probabilities = np.log(np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True) + 1e-12)",
    ),
    "one-hot targets and Keras' categorical cross-entropy": (
        "one_hot = np.eye(np.asarray(logits).shape[-1])[targets]\n"
        "every = ops.convert_to_numpy(keras.losses.categorical_crossentropy(one_hot, logits, from_logits=True))\n"
        "real = np.asarray(targets) != 0\n"
        "return every[real].mean(), (np.asarray(logits).argmax(axis=-1) == targets)[real].mean()"
    ),
    "calls Keras' loss": (
        "loss = float(ops.convert_to_numpy(keras.losses.SparseCategoricalCrossentropy(from_logits=True, "
        "ignore_class=0)(targets, logits)))\n"
        "real = np.asarray(targets) != 0\n"
        "return loss, (np.asarray(logits).argmax(axis=-1) == targets)[real].mean()"
    ),
}

WRONG = {1: _WRONG_1, 2: _WRONG_2}
