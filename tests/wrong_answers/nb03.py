"""Wrong answers to the exercises of 03_general_rnn_and_bptt; see __init__.py."""

_FORWARD = """
T, n = len(xs), W.shape[0]
hs = [np.zeros(n)]
for t in range(1, T + 1):
    hs.append(np.tanh(xs[t - 1] @ U + hs[t - 1] @ W))
dU, dW, dV = np.zeros_like(U), np.zeros_like(W), np.zeros_like(V)
"""


def _sweep(
    delta="(error @ V.T + from_later) * (1 - hs[t] ** 2)",
    dW="np.outer(hs[t - 1], delta)",
    carry="delta @ W.T",
):
    """Exercise 1's one backward sweep, with one of its lines changed."""
    return (
        _FORWARD
        + f"""
from_later = np.zeros(n)
for t in range(T, 0, -1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    delta = {delta}
    dU += np.outer(xs[t - 1], delta)
    dW += {dW}
    from_later = {carry}
return dU, dW, dV
"""
    )


def _truncated_sweep(
    cut="(t - 1) % window == 0",
    delta="(error @ V.T + from_later) * (1 - hs[t] ** 2)",
    carry="delta @ W.T",
):
    """Exercise 2's one backward sweep, the carried gradient zeroed where ``cut`` holds (the
    solution: when t is the first step of a window), with one of its lines changed."""
    return (
        _FORWARD
        + f"""
from_later = np.zeros(n)
for t in range(T, 0, -1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    delta = {delta}
    dU += np.outer(xs[t - 1], delta)
    dW += np.outer(hs[t - 1], delta)
    from_later = np.zeros(n) if {cut} else {carry}
return dU, dW, dV
"""
    )


# Autodiff of E, in float64, for the GradientTape answers; {cut} stops the gradient where the
# state enters a window (nowhere for exercise 1).
_TAPE = """
import tensorflow as tf

weights = [tf.Variable(np.asarray(M, dtype="float64")) for M in (U, W, V)]
with tf.GradientTape() as tape:
    h, E = tf.zeros((1, W.shape[0]), dtype="float64"), 0.0
    for t in range(len(xs)):
        {cut}
        h = tf.tanh(xs[t][None] @ weights[0] + h @ weights[1])
        E += 0.5 * tf.reduce_sum(tf.square(h @ weights[2] - ds[t]))
return tuple(g.numpy() for g in tape.gradient(E, weights))
"""

WRONG = {
    1: {
        "calls bptt_by_hand, which the text forbids": "return bptt_by_hand(U, W, V, xs, ds)",
        "centred differences (numeric_gradient of error_of) instead of BPTT": (
            "return tuple(numeric_gradient(lambda: error_of(U, W, V, xs, ds), M) for M in (U, W, V))"
        ),
        "autodiff with tf.GradientTape, which the text forbids": _TAPE.format(cut="pass"),
        "bptt_by_hand's O(T^2) double sum copied, restarting the chain for every t": _FORWARD
        + """
slopes = [None] + [1 - h ** 2 for h in hs[1:]]
for t in range(1, T + 1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    dE_dh_t = error @ V.T
    dh_t_dh_k = np.eye(n)
    for k in range(t, 0, -1):
        delta = (dE_dh_t @ dh_t_dh_k) * slopes[k]
        dW += np.outer(hs[k - 1], delta)
        dU += np.outer(xs[k - 1], delta)
        dh_t_dh_k = dh_t_dh_k @ (slopes[k][:, None] * W.T)
return dU, dW, dV
""",
        "missing tanh' (1 - h^2) in delta": _sweep(delta="error @ V.T + from_later"),
        "W instead of W^T in the gradient carried back": _sweep(carry="delta @ W"),
        "h_t instead of h_{t-1} in dE/dW": _sweep(dW="np.outer(hs[t], delta)"),
        "Elman's copy: nothing carried back to earlier steps": _sweep(carry="np.zeros(n)"),
    },
    2: {
        "bptt_by_hand's double sum copied, k running back only to the first step of t's window": _FORWARD
        + """
for t in range(1, T + 1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    back = error @ V.T
    first = ((t - 1) // window) * window + 1
    for k in range(t, first - 1, -1):
        delta = back * (1 - hs[k] ** 2)
        dW += np.outer(hs[k - 1], delta)
        dU += np.outer(xs[k - 1], delta)
        back = delta @ W.T
return dU, dW, dV
""",
        "the window ignored: the carried gradient never reset (full BPTT)": _truncated_sweep(
            cut="False"
        ),
        "off by one: the cut placed before the last step of a window": _truncated_sweep(
            cut="t % window == 0"
        ),
        "off by one: the cut placed after the first step of a window": _truncated_sweep(
            cut="(t - 2) % window == 0"
        ),
        "the state reset to zero at every cut (windows treated as separate sequences)": """
T, n = len(xs), W.shape[0]
hs, starts = [np.zeros(n)], [np.zeros(n)]
for t in range(1, T + 1):
    start = np.zeros(n) if (t - 1) % window == 0 else hs[t - 1]
    starts.append(start)
    hs.append(np.tanh(xs[t - 1] @ U + start @ W))
dU, dW, dV = np.zeros_like(U), np.zeros_like(W), np.zeros_like(V)
from_later = np.zeros(n)
for t in range(T, 0, -1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    delta = (error @ V.T + from_later) * (1 - hs[t] ** 2)
    dU += np.outer(xs[t - 1], delta)
    dW += np.outer(starts[t], delta)
    from_later = np.zeros(n) if (t - 1) % window == 0 else delta @ W.T
return dU, dW, dV
""",
        "missing tanh' (1 - h^2) in delta": _truncated_sweep(delta="(error @ V.T + from_later)"),
        "W instead of W^T in the gradient carried back": _truncated_sweep(carry="delta @ W"),
        "autodiff with tf.GradientTape and a stop-gradient at every cut, which the text forbids": _TAPE.format(
            cut="h = tf.stop_gradient(h) if t % window == 0 else h"
        ),
        "calls the check's reference truncated_by_complex_step": (
            "return truncated_by_complex_step(U, W, V, xs, ds, window)"
        ),
    },
}

WRONG[1]["its own centred differences (eps 1e-5), written out instead of BPTT"] = """
def error(U, W, V):
    h, E = np.zeros(W.shape[0]), 0.0
    for x, d in zip(xs, ds):
        h = np.tanh(x @ U + h @ W)
        E += 0.5 * np.sum((h @ V - d) ** 2)
    return E
gradients = []
for M in (U, W, V):
    gradient = np.zeros_like(M)
    for index in np.ndindex(M.shape):
        kept = M[index]
        M[index] = kept + 1e-5
        plus = error(U, W, V)
        M[index] = kept - 1e-5
        minus = error(U, W, V)
        M[index] = kept
        gradient[index] = (plus - minus) / 2e-5
    gradients.append(gradient)
return tuple(gradients)
"""
