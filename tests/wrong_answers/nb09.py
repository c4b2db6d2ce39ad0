"""Wrong answers to the exercises of 09_beyond_recurrence; see __init__.py."""

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

WRONG = {
    1: _WRONG_1,
    2: {
        "pairs read as (cos, sin): the rotation transposed": """m = np.zeros((width, width))
for i in range(width // 2):
    omega = 1 / 10000 ** (2 * i / width)
    c, s = np.cos(omega * k), np.sin(omega * k)
    m[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, s], [-s, c]]
return m""",
        "frequencies 10000^(-i/width): the 2 left out": """m = np.zeros((width, width))
for i in range(width // 2):
    omega = 1 / 10000 ** (i / width)
    c, s = np.cos(omega * k), np.sin(omega * k)
    m[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, -s], [s, c]]
return m""",
        "every pair turned by the same angle k": """m = np.zeros((width, width))
for i in range(width // 2):
    c, s = np.cos(k), np.sin(k)
    m[2 * i : 2 * i + 2, 2 * i : 2 * i + 2] = [[c, -s], [s, c]]
return m""",
        "sines in the first half of the columns, cosines in the second": """m = np.zeros((width, width))
half = width // 2
for i in range(half):
    omega = 1 / 10000 ** (2 * i / width)
    c, s = np.cos(omega * k), np.sin(omega * k)
    m[np.ix_([i, i + half], [i, i + half])] = [[c, -s], [s, c]]
return m""",
        "fitted to SinusoidalPositions' codes by least squares": """codes = keras.ops.convert_to_numpy(SinusoidalPositions()(np.zeros((1, 400, width), "float32")))[0].astype("float64")
if k == 0:
    return np.eye(width)
return np.linalg.lstsq(codes[:-k], codes[k:], rcond=None)[0]""",
    },
}
