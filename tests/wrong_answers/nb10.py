"""Wrong answers to the exercises of 10_beyond_recurrence; see __init__.py."""

_PAD = """h = np.asarray(x, dtype="float64")
batch, steps = h.shape[:2]
"""
_OUT = """return h @ np.asarray(weights[-2]) + np.asarray(weights[-1])"""


def _layer(padding, taps, relu_and_residual):
    return (
        _PAD + "for depth, d in enumerate(dilations):\n"
        "    kernel, bias = np.asarray(weights[2 * depth]), np.asarray(weights[2 * depth + 1])\n"
        "    k = kernel.shape[0]\n"
        + padding
        + "    conv = np.zeros((batch, steps, kernel.shape[2])) + bias\n"
        "    for j in range(k):\n" + taps + relu_and_residual + _OUT
    )


_CAUSAL = "    padded = np.concatenate([np.zeros((batch, (k - 1) * d, h.shape[2])), h], axis=1)\n"
_TAPS = "        conv += padded[:, j * d : j * d + steps] @ kernel[j]\n"
_RESIDUAL = "    layer = np.maximum(conv, 0.0)\n    h = layer if depth == 0 else h + layer\n"

_WRONG_1 = {
    "taps the wrong way round (section 1's K_i read as kernel[i]: kernel[0] on the current input)": _layer(
        _CAUSAL,
        "        conv += padded[:, (k - 1 - j) * d : (k - 1 - j) * d + steps] @ kernel[j]\n",
        _RESIDUAL,
    ),
    "dilation ignored (taps one step apart)": _layer(
        "    padded = np.concatenate([np.zeros((batch, k - 1, h.shape[2])), h], axis=1)\n",
        "        conv += padded[:, j : j + steps] @ kernel[j]\n",
        _RESIDUAL,
    ),
    "zeros padded after the sequence (reads ahead)": _layer(
        "    padded = np.concatenate([h, np.zeros((batch, (k - 1) * d, h.shape[2]))], axis=1)\n",
        _TAPS,
        _RESIDUAL,
    ),
    "dilations assumed to double (2 ** l) instead of read from the list": _layer(
        "    d = 2 ** depth\n" + _CAUSAL, _TAPS, _RESIDUAL
    ),
    "the ReLU applied after the residual is added": _layer(
        _CAUSAL, _TAPS, "    h = np.maximum(conv if depth == 0 else h + conv, 0.0)\n"
    ),
    "a residual around the first layer too": _layer(
        _CAUSAL,
        _TAPS,
        "    h = h + np.maximum(conv, 0.0) if h.shape[2] == conv.shape[2] else np.maximum(conv, 0.0)\n",
    ),
    "no residual connections": _layer(_CAUSAL, _TAPS, "    h = np.maximum(conv, 0.0)\n"),
    "the output layer's bias left out": _layer(_CAUSAL, _TAPS, _RESIDUAL).replace(
        _OUT, "return h @ np.asarray(weights[-2])"
    ),
    "calls Keras' Conv1D for each layer": _PAD
    + """for depth, d in enumerate(dilations):
    kernel, bias = np.asarray(weights[2 * depth], "float32"), np.asarray(weights[2 * depth + 1], "float32")
    conv = keras.layers.Conv1D(kernel.shape[2], kernel.shape[0], dilation_rate=d, padding="causal")
    conv.build((None, None, kernel.shape[1]))
    conv.set_weights([kernel, bias])
    layer = np.maximum(keras.ops.convert_to_numpy(conv(h.astype("float32"))), 0.0)
    h = layer if depth == 0 else h + layer
"""
    + _OUT,
}

_FREQUENCIES = """omega = 1 / 10000 ** (2 * np.arange(width // 2) / width)
"""
_CODES = """angle = np.arange(length)[:, None] * omega
codes = np.zeros((length, width))
codes[:, 0::2], codes[:, 1::2] = np.sin(angle), np.cos(angle)
"""
_ROTATION = "[[c, -s], [s, c]]"
_SHIFT = """shift = np.zeros((width, width))
for i, w in enumerate(omega):
    c, s = np.cos(w * delay), np.sin(w * delay)
    shift[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, -s], [s, c]]
"""
_HEAD = "w_q, w_k = scale * shift.T, np.eye(width)\n"
_SCORES = "scores = (codes @ w_q) @ (codes @ w_k).T / np.sqrt(width)\n"
_MASK = "scores = np.where(np.tril(np.ones((length, length), bool)), scores, -np.inf)\n"
_SOFTMAX = """weights = np.exp(scores - scores.max(axis=1, keepdims=True))
return w_q, w_k, weights / weights.sum(axis=1, keepdims=True)"""


def _delay(
    frequencies=_FREQUENCIES,
    codes=_CODES,
    shift=_SHIFT,
    head=_HEAD,
    scores=_SCORES,
    mask=_MASK,
    softmax=_SOFTMAX,
):
    return frequencies + codes + shift + head + scores + mask + softmax


_WRONG_2 = {
    "the rotation transposed ([[c, s], [-s, c]]: pairs read as (cos, sin))": _delay(
        shift=_SHIFT.replace(_ROTATION, "[[c, s], [-s, c]]")
    ),
    "frequencies 10000^(-i/width): the 2 left out (in the codes and the shift alike)": _delay(
        frequencies="omega = 1 / 10000 ** (np.arange(width // 2) / width)\n"
    ),
    "sines in the first half of the columns, cosines in the second (codes and shift alike)": _delay(
        codes="""angle = np.arange(length)[:, None] * omega
codes = np.concatenate([np.sin(angle), np.cos(angle)], axis=1)
""",
        shift="""shift = np.zeros((width, width))
half = width // 2
for i, w in enumerate(omega):
    c, s = np.cos(w * delay), np.sin(w * delay)
    shift[np.ix_([i, i + half], [i, i + half])] = [[c, -s], [s, c]]
""",
    ),
    "W_Q = c M_D: the query is the code of t + D, which the mask hides": _delay(
        head="w_q, w_k = scale * shift, np.eye(width)\n"
    ),
    "c in both W_Q and W_K (the scores scaled by c squared)": _delay(
        head="w_q, w_k = scale * shift.T, scale * np.eye(width)\n"
    ),
    "scores not divided by sqrt(width)": _delay(
        scores="scores = (codes @ w_q) @ (codes @ w_k).T\n"
    ),
    "no causal mask": _delay(mask=""),
    "the mask applied after the softmax (future weights set to zero)": _delay(
        mask="",
        softmax="""weights = np.exp(scores - scores.max(axis=1, keepdims=True))
weights = weights / weights.sum(axis=1, keepdims=True)
return w_q, w_k, np.tril(weights)""",
    ),
    "the softmax over the wrong axis (columns)": _delay(
        mask="scores = np.where(np.tril(np.ones((length, length), bool)), scores, -1e300)\n",
        softmax="""weights = np.exp(scores - scores.max(axis=0, keepdims=True))
return w_q, w_k, weights / weights.sum(axis=0, keepdims=True)""",
    ),
    "every pair turned by the same angle D": _delay(
        shift=_SHIFT.replace("np.cos(w * delay), np.sin(w * delay)", "np.cos(delay), np.sin(delay)")
    ),
    "the codes and weights from the hidden test's references": _FREQUENCIES
    + "codes = sinusoidal_codes(length, width)\n"
    + _SHIFT
    + _HEAD
    + "return w_q, w_k, reference_weights(codes, delay, scale)",
    "the codes taken from SinusoidalPositions": _FREQUENCIES
    + """codes = keras.ops.convert_to_numpy(SinusoidalPositions(dtype="float64")(np.zeros((1, length, width))))[0]
"""
    + _SHIFT
    + _HEAD
    + _SCORES
    + _MASK
    + _SOFTMAX,
    "the weights from keras.layers.MultiHeadAttention": _FREQUENCIES
    + _CODES
    + _SHIFT
    + _HEAD
    + """head = keras.layers.MultiHeadAttention(num_heads=1, key_dim=width, use_bias=False, dtype="float64")
head(codes[None], codes[None])
head.set_weights([w_q[:, None, :], w_k[:, None, :], np.eye(width)[:, None, :], np.eye(width)[None]])
_, weights = head(codes[None], codes[None], return_attention_scores=True, use_causal_mask=True)
return w_q, w_k, keras.ops.convert_to_numpy(weights)[0, 0]""",
}

WRONG = {
    1: _WRONG_1,
    2: _WRONG_2,
}
