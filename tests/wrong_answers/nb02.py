"""Wrong answers to the exercises of 02_elman_network; see __init__.py."""


def _step(
    delta="(dE_dy @ V.T) * (1 - h**2)",
    dE_dy="2 * (y - d)",
    dW="np.outer(c, delta)",
    update_b="b - learning_rate * delta",
    returned_h="h",
):
    """Exercise 1's online step, with one of its lines changed."""
    return f"""
h = np.tanh(x @ U + c @ W + b)
y = h @ V + b_out
dE_dy = {dE_dy}
delta = {delta}
U, W, b = U - learning_rate * np.outer(x, delta), W - learning_rate * {dW}, {update_b}
V, b_out = V - learning_rate * np.outer(h, dE_dy), b_out - learning_rate * dE_dy
return U, W, b, V, b_out, {returned_h}
"""


def _jordan(delta="(error @ V.T) * (1 - h**2)", feedback="y_previous = y", order="UV"):
    """Exercise 2's online pass, with one of its lines changed."""
    update_U = (
        "U, W, b = U - learning_rate * np.outer(x, delta), W - learning_rate * np.outer(y_previous, delta), "
        "b - learning_rate * delta"
    )
    update_V = "V, b_out = V - learning_rate * np.outer(h, error), b_out - learning_rate * error"
    if order == "UV":
        steps = f"    delta = {delta}\n    {update_U}\n    {update_V}"
    else:  # V first, then delta through the new V
        steps = f"    {update_V}\n    delta = {delta}\n    {update_U}"
    return f"""
y_previous = np.zeros(V.shape[1])
for x, d in zip(xs, ds):
    h = np.tanh(x @ U + y_previous @ W + b)
    y = h @ V + b_out
    error = 2 * (y - d)
{steps}
    {feedback}
return U, W, b, V, b_out
"""


_TAPE_STEP = """
import tensorflow as tf

weights = [tf.Variable(np.asarray(w, dtype="float64")) for w in (U, W, b, V, b_out)]
with tf.GradientTape() as tape:
    h = tf.tanh(x[None] @ weights[0] + c[None] @ weights[1] + weights[2])
    y = h @ weights[3] + weights[4]
    E = tf.reduce_sum(tf.square(y - d))
gradients = tape.gradient(E, weights)
U, W, b, V, b_out = (w.numpy() - learning_rate * g.numpy() for w, g in zip(weights, gradients))
return U, W, b, V, b_out, h.numpy()[0]
"""

_TAPE_PASS = """
import tensorflow as tf

weights = [tf.Variable(np.asarray(w, dtype="float64")) for w in (U, W, b, V, b_out)]
y_previous = np.zeros((1, V.shape[1]))
for x, d in zip(xs, ds):
    with tf.GradientTape() as tape:
        h = tf.tanh(x[None] @ weights[0] + y_previous @ weights[1] + weights[2])
        y = h @ weights[3] + weights[4]
        E = tf.reduce_sum(tf.square(y - d))
    for w, g in zip(weights, tape.gradient(E, weights)):
        w.assign_sub(learning_rate * g)
    y_previous = y.numpy()
return tuple(w.numpy() for w in weights)
"""

WRONG = {
    1: {
        "missing tanh' (1 - h^2) in delta": _step(delta="dE_dy @ V.T"),
        "the 2 of d(y - d)^2/dy left out": _step(dE_dy="y - d"),
        "the outer product for W transposed (delta^T c instead of c^T delta)": _step(
            dW="np.outer(delta, c)"
        ),
        "h_t in place of the context c_t in dE/dW": _step(dW="np.outer(h, delta)"),
        "the bias b not updated": _step(update_b="b"),
        "V updated first, and delta taken through the new V": """
h = np.tanh(x @ U + c @ W + b)
y = h @ V + b_out
dE_dy = 2 * (y - d)
V, b_out = V - learning_rate * np.outer(h, dE_dy), b_out - learning_rate * dE_dy
delta = (dE_dy @ V.T) * (1 - h**2)
U, W, b = U - learning_rate * np.outer(x, delta), W - learning_rate * np.outer(c, delta), b - learning_rate * delta
return U, W, b, V, b_out, h
""",
        "returns h_t recomputed with the updated weights": _step(
            returned_h="np.tanh(x @ U + c @ W + b)"
        ),
        "the gradients taken by tf.GradientTape, which the text forbids": _TAPE_STEP,
    },
    2: {
        "feeds back y_t recomputed after the update (the text warns against it)": _jordan(
            feedback="y_previous = np.tanh(x @ U + y_previous @ W + b) @ V + b_out"
        ),
        "feeds back the target d_t instead of the output y_t (teacher forcing)": _jordan(
            feedback="y_previous = d"
        ),
        "never feeds y back (y_0 = 0 at every step)": _jordan(feedback="pass"),
        "feeds back h_t, as Elman does": _jordan(feedback="y_previous = h"),
        "missing tanh' (1 - h^2) in delta": _jordan(delta="error @ V.T"),
        "V updated first, and delta taken through the new V": _jordan(order="VU"),
        "the gradients taken by tf.GradientTape, which the text forbids": _TAPE_PASS,
        "calls the check's reference jordan_by_complex_step": (
            "return jordan_by_complex_step(xs, ds, [U, W, b, V, b_out], learning_rate)"
        ),
    },
}
