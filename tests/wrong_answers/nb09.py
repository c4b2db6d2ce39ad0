"""Wrong answers to the exercises of 09_beyond_recurrence; see __init__.py."""

WRONG = {
    1: {
        "zeros padded after the sequence (reads ahead)": """x = np.asarray(x, dtype="float64")
k = kernel.shape[0]
padded = np.concatenate([x, np.zeros(((k - 1) * dilation, x.shape[1]))])
out = np.zeros((x.shape[0], kernel.shape[2])) + bias
for i in range(k):
    out += padded[i * dilation : i * dilation + x.shape[0]] @ kernel[i]
return out""",
        "dilation ignored (taps one step apart)": """x = np.asarray(x, dtype="float64")
k = kernel.shape[0]
padded = np.concatenate([np.zeros((k - 1, x.shape[1])), x])
out = np.zeros((x.shape[0], kernel.shape[2])) + bias
for i in range(k):
    out += padded[i : i + x.shape[0]] @ kernel[i]
return out""",
        "bias left out": """x = np.asarray(x, dtype="float64")
k = kernel.shape[0]
padded = np.concatenate([np.zeros(((k - 1) * dilation, x.shape[1])), x])
out = np.zeros((x.shape[0], kernel.shape[2]))
for i in range(k):
    out += padded[i * dilation : i * dilation + x.shape[0]] @ kernel[i]
return out""",
        "taps the wrong way round (kernel[0] on the current input)": """x = np.asarray(x, dtype="float64")
k = kernel.shape[0]
padded = np.concatenate([np.zeros(((k - 1) * dilation, x.shape[1])), x])
out = np.zeros((x.shape[0], kernel.shape[2])) + bias
for i in range(k):
    out += padded[(k - 1 - i) * dilation : (k - 1 - i) * dilation + x.shape[0]] @ kernel[i]
return out""",
        "calls Keras' Conv1D": """layer = keras.layers.Conv1D(kernel.shape[2], kernel.shape[0], dilation_rate=dilation, padding="causal")
layer.build((1,) + np.shape(x))
layer.set_weights([np.asarray(kernel, "float32"), np.asarray(bias, "float32")])
return keras.ops.convert_to_numpy(layer(np.asarray(x, "float32")[None]))[0]""",
    },
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
