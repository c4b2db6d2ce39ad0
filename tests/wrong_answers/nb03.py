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


def _windowed(first="((t - 1) // window) * window + 1", carry="delta @ W.T"):
    """Exercise 2's double sum over the steps k of t's window, with one of its lines changed."""
    return (
        _FORWARD
        + f"""
for t in range(1, T + 1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    back = error @ V.T
    first = {first}
    for k in range(t, first - 1, -1):
        delta = back * (1 - hs[k] ** 2)
        dW += np.outer(hs[k - 1], delta)
        dU += np.outer(xs[k - 1], delta)
        back = {carry}
return dU, dW, dV
"""
    )


WRONG = {
    1: {
        "calls bptt_by_hand, which the text forbids": "return bptt_by_hand(U, W, V, xs, ds)",
        "centred differences (numeric_gradient of error_of) instead of BPTT": (
            "return tuple(numeric_gradient(lambda: error_of(U, W, V, xs, ds), M) for M in (U, W, V))"
        ),
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
        "the window ignored: full BPTT over every k <= t": _windowed(first="1"),
        "a sliding window of the last `window` steps instead of t's own window": _windowed(
            first="max(1, t - window + 1)"
        ),
        "off by one: the gradient crosses the cut into the previous window's last step": _windowed(
            first="max(1, ((t - 1) // window) * window)"
        ),
        "the state reset to zero at every cut (windows treated as separate sequences)": """
T, n = len(xs), W.shape[0]
hs = [np.zeros(n)]
for t in range(1, T + 1):
    start = np.zeros(n) if (t - 1) % window == 0 else hs[t - 1]
    hs.append(np.tanh(xs[t - 1] @ U + start @ W))
dU, dW, dV = np.zeros_like(U), np.zeros_like(W), np.zeros_like(V)
for t in range(1, T + 1):
    error = hs[t] @ V - ds[t - 1]
    dV += np.outer(hs[t], error)
    back = error @ V.T
    first = ((t - 1) // window) * window + 1
    for k in range(t, first - 1, -1):
        delta = back * (1 - hs[k] ** 2)
        dW += np.outer(hs[k - 1] if k > first else np.zeros(n), delta)
        dU += np.outer(xs[k - 1], delta)
        back = delta @ W.T
return dU, dW, dV
""",
        "missing tanh' (1 - h^2) on the gradient carried back": _windowed(carry="back @ W.T"),
        "W instead of W^T in the gradient carried back": _windowed(carry="delta @ W"),
        "calls the check's reference autodiff_truncated": (
            "return autodiff_truncated(U, W, V, xs, ds, window)"
        ),
    },
}
