"""Wrong answers to the exercises of 12_linear_recurrences; see __init__.py."""

_WRONG_1 = {
    "a loop over t, combining one position at a time (T - 1 calls)": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
for t in range(1, len(b)):
    a[t], b[t] = combine((a[t - 1], b[t - 1]), (a[t], b[t]))
return b""",
    "the pairs combined in the wrong order (later first)": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
shift = 1
while shift < len(b):
    a_new, b_new = combine((a[shift:], b[shift:]), (a[:-shift], b[:-shift]))
    a[shift:], b[shift:] = a_new, b_new
    shift *= 2
return b""",
    "the shift grows by one each round instead of doubling": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
shift = 1
while shift < len(b):
    a_new, b_new = combine((a[:-shift], b[:-shift]), (a[shift:], b[shift:]))
    a[shift:], b[shift:] = a_new, b_new
    shift += 1
return b""",
    "one round too few (stops while shift < T / 2)": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
shift = 1
while 2 * shift < len(b):
    a_new, b_new = combine((a[:-shift], b[:-shift]), (a[shift:], b[shift:]))
    a[shift:], b[shift:] = a_new, b_new
    shift *= 2
return b""",
    "only b updated in each round (a left as the single steps' a)": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
shift = 1
while shift < len(b):
    _, b_new = combine((a[:-shift], b[:-shift]), (a[shift:], b[shift:]))
    b[shift:] = b_new
    shift *= 2
return b""",
    "its own combine written in, ignoring the one it is given": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
shift = 1
while shift < len(b):
    a_new, b_new = a[:-shift] * a[shift:], a[shift:] * b[:-shift] + b[shift:]
    combine((a[:-shift], b[:-shift]), (a[shift:], b[shift:]))
    a[shift:], b[shift:] = a_new, b_new
    shift *= 2
return b""",
    "off by one step: h_0 .. h_(T-1) returned (an exclusive scan)": """a, b = np.array(a, dtype="float64"), np.array(b, dtype="float64")
shift = 1
while shift < len(b):
    a_new, b_new = combine((a[:-shift], b[:-shift]), (a[shift:], b[shift:]))
    a[shift:], b[shift:] = a_new, b_new
    shift *= 2
return np.concatenate([np.zeros_like(b[:1]), b[:-1]])""",
    "the library's linear_scan (unavailable in the check)": """from rnnbook.linear import linear_scan
a, b = np.asarray(a, dtype="float64"), np.asarray(b, dtype="float64")
flat = linear_scan(a.reshape(1, len(b), -1).astype("float32"), b.reshape(1, len(b), -1).astype("float32"))
return np.asarray(flat, dtype="float64").reshape(b.shape)""",
}

_GATES = """z_in, candidate = ops.split(ops.matmul(x, kernel) + bias, 2, axis=-1)
z = ops.sigmoid(z_in)
"""
_SCAN = """
def compose(earlier, later):
    return earlier[0] * later[0], later[0] * earlier[1] + later[1]

_, states = ops.associative_scan(compose, (a, b), axis=1)
return states"""
_FOLD = """first = a[:, :1] * ops.expand_dims(initial_state, 1) + b[:, :1]
b = ops.concatenate([first, b[:, 1:]], axis=1)
"""

_WRONG_2 = {
    "Feng et al.'s convention, z the share of the candidate (not the book's)": _GATES
    + "a, b = 1.0 - z, z * candidate\n"
    + _FOLD
    + _SCAN,
    "initial_state ignored (the scan starts from zero)": _GATES
    + "a, b = z, (1.0 - z) * candidate\n"
    + _SCAN,
    "initial_state added to the first b without its gate a_1": _GATES
    + "a, b = z, (1.0 - z) * candidate\n"
    + "b = ops.concatenate([b[:, :1] + ops.expand_dims(initial_state, 1), b[:, 1:]], axis=1)\n"
    + _SCAN,
    "a tanh kept on the candidate (the GRU's, not minGRU's)": _GATES
    + "a, b = z, (1.0 - z) * ops.tanh(candidate)\n"
    + _FOLD
    + _SCAN,
    "the combine with the pairs' roles swapped (earlier b times earlier a)": _GATES
    + "a, b = z, (1.0 - z) * candidate\n"
    + _FOLD
    + """
def compose(earlier, later):
    return earlier[0] * later[0], earlier[0] * later[1] + earlier[1]

_, states = ops.associative_scan(compose, (a, b), axis=1)
return states""",
    "the scan over the batch axis (axis=0)": _GATES
    + "a, b = z, (1.0 - z) * candidate\n"
    + _FOLD
    + """
def compose(earlier, later):
    return earlier[0] * later[0], later[0] * earlier[1] + later[1]

_, states = ops.associative_scan(compose, (a, b), axis=0)
return states""",
    "stepped in a Python loop, no associative_scan": _GATES
    + """a, b = z, (1.0 - z) * candidate
h, states = initial_state, []
for t in range(x.shape[1]):
    h = a[:, t] * h + b[:, t]
    states.append(h)
return ops.stack(states, axis=1)""",
    "the library's linear_scan (unavailable in the check)": _GATES
    + """from rnnbook.linear import linear_scan
return linear_scan(z, (1.0 - z) * candidate, initial_state)""",
}

WRONG = {
    1: _WRONG_1,
    2: _WRONG_2,
}
