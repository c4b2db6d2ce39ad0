"""Wrong answers to the exercises of 08_character_model; see __init__.py."""

_CHECKS = """if not temperature > 0:
    raise ValueError("temperature must be positive")
if top_k is not None and top_k < 1:
    raise ValueError("top_k must be at least 1")
if top_p is not None and not 0 < top_p <= 1:
    raise ValueError("top_p must lie in (0, 1]")
"""

_SOFTMAX = """z = np.asarray(logits, dtype="float64") / temperature
q = np.exp(z - z.max())
q /= q.sum()
"""

_CUT = """keep = len(q)
if top_k is not None:
    keep = min(keep, top_k)
if top_p is not None:
    keep = min(keep, int(np.searchsorted(np.cumsum(q[order]), top_p - 1e-12)) + 1)
filtered = np.zeros_like(q)
filtered[order[:keep]] = q[order[:keep]]
return filtered / filtered.sum()
"""

_STABLE = 'order = np.argsort(-q, kind="stable")\n'

_TOO_SHORT = """ids = np.asarray(ids)
if len(ids) < n_streams * window + 1:
    raise ValueError("too short")
"""

WRONG = {
    1: {
        "top-k keeps every token tied with the k-th (more than k)": _CHECKS
        + _SOFTMAX
        + """order = np.argsort(-q, kind="stable")
keep = np.ones(len(q), dtype=bool)
if top_k is not None:
    keep &= q >= np.sort(q)[::-1][min(top_k, len(q)) - 1]
if top_p is not None:
    keep[order[int(np.searchsorted(np.cumsum(q[order]), top_p - 1e-12)) + 1:]] = False
filtered = np.where(keep, q, 0.0)
return filtered / filtered.sum()""",
        "the nucleus leaves out the token that crosses top_p": _CHECKS
        + _SOFTMAX
        + _STABLE
        + """keep = len(q)
if top_k is not None:
    keep = min(keep, top_k)
if top_p is not None:
    keep = min(keep, max(1, int(np.sum(np.cumsum(q[order]) < top_p - 1e-12))))
filtered = np.zeros_like(q)
filtered[order[:keep]] = q[order[:keep]]
return filtered / filtered.sum()""",
        "the nucleus read as 'past top_p': tokens while the sum is at most top_p, then one more": _CHECKS
        + _SOFTMAX
        + _STABLE
        + """keep = len(q)
if top_k is not None:
    keep = min(keep, top_k)
if top_p is not None:
    keep = min(keep, int(np.sum(np.cumsum(q[order]) <= top_p)) + 1)
filtered = np.zeros_like(q)
filtered[order[:keep]] = q[order[:keep]]
return filtered / filtered.sum()""",
        "the running sum compared with top_p without the round-off allowance": _CHECKS
        + _SOFTMAX
        + _STABLE
        + """keep = len(q)
if top_k is not None:
    keep = min(keep, top_k)
if top_p is not None:
    keep = min(keep, int(np.searchsorted(np.cumsum(q[order]), top_p)) + 1)
filtered = np.zeros_like(q)
filtered[order[:keep]] = q[order[:keep]]
return filtered / filtered.sum()""",
        "calls the library's filtered_distribution": _CHECKS
        + """from rnnbook.sampling import filtered_distribution as library_filtered
z = np.asarray(logits, dtype="float64")
return library_filtered(np.exp(z - z.max()) / np.exp(z - z.max()).sum(), temperature, top_k, top_p)""",
        "temperature applied after the softmax (dividing probabilities by T)": _CHECKS
        + """z = np.asarray(logits, dtype="float64")
q = np.exp(z - z.max())
q /= q.sum()
q = q / temperature
q /= q.sum()
"""
        + _STABLE
        + _CUT,
        "the nucleus measured on the distribution before the temperature": _CHECKS
        + """z = np.asarray(logits, dtype="float64")
plain = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
q = np.exp(z / temperature - (z / temperature).max())
q /= q.sum()
order = np.argsort(-q, kind="stable")
keep = len(q)
if top_k is not None:
    keep = min(keep, top_k)
if top_p is not None:
    keep = min(keep, int(np.searchsorted(np.cumsum(plain[order]), top_p - 1e-12)) + 1)
filtered = np.zeros_like(q)
filtered[order[:keep]] = q[order[:keep]]
return filtered / filtered.sum()""",
        "ties broken towards the higher index (np.argsort(q)[::-1])": _CHECKS
        + _SOFTMAX
        + "order = np.argsort(q)[::-1]\n"
        + _CUT,
        "the kept tokens not renormalised": _CHECKS
        + _SOFTMAX
        + _STABLE
        + """keep = len(q)
if top_k is not None:
    keep = min(keep, top_k)
if top_p is not None:
    keep = min(keep, int(np.searchsorted(np.cumsum(q[order]), top_p - 1e-12)) + 1)
filtered = np.zeros_like(q)
filtered[order[:keep]] = q[order[:keep]]
return filtered""",
        "calls the library's with_temperature": _CHECKS
        + """z = np.asarray(logits, dtype="float64")
q = with_temperature(np.exp(z - z.max()) / np.exp(z - z.max()).sum(), temperature)
"""
        + _STABLE
        + _CUT,
    },
    2: {
        "windows cut in text order, consecutive windows in one batch": _TOO_SHORT
        + """n = (len(ids) - 1) // (n_streams * window) * n_streams * window
return ids[:n].reshape(-1, window), ids[1 : n + 1].reshape(-1, window)""",
        "targets not shifted (the inputs themselves)": _TOO_SHORT
        + """length = (len(ids) - 1) // (n_streams * window) * window
streams = ids[: n_streams * length].reshape(n_streams, length // window, window)
inputs = streams.transpose(1, 0, 2).reshape(-1, window)
return inputs, inputs.copy()""",
        "targets shifted within each window (np.roll)": _TOO_SHORT
        + """length = (len(ids) - 1) // (n_streams * window) * window
streams = ids[: n_streams * length].reshape(n_streams, length // window, window)
inputs = streams.transpose(1, 0, 2).reshape(-1, window)
return inputs, np.roll(inputs, -1, axis=1)""",
        "no id kept for the last target (length from len(ids), not len(ids) - 1)": _TOO_SHORT
        + """length = len(ids) // (n_streams * window) * window
batches = length // window
inputs = np.empty((batches * n_streams, window), dtype=ids.dtype)
targets = np.empty_like(inputs)
for b in range(batches):
    for i in range(n_streams):
        start = i * length + b * window
        inputs[b * n_streams + i] = ids[start : start + window]
        targets[b * n_streams + i] = ids[start + 1 : start + window + 1]
return inputs, targets""",
        "stream i starts at i * (len(ids) // n_streams), not at i * L": _TOO_SHORT
        + """piece = (len(ids) - 1) // n_streams
length = piece // window * window
batches = length // window
inputs = np.empty((batches * n_streams, window), dtype=ids.dtype)
targets = np.empty_like(inputs)
for b in range(batches):
    for i in range(n_streams):
        start = i * piece + b * window
        inputs[b * n_streams + i] = ids[start : start + window]
        targets[b * n_streams + i] = ids[start + 1 : start + window + 1]
return inputs, targets""",
        "streams dealt character by character (ids[i::n_streams])": _TOO_SHORT
        + """length = (len(ids) - 1) // (n_streams * window) * window
rows_in = np.stack([ids[i : n_streams * length : n_streams] for i in range(n_streams)])
rows_out = np.stack([ids[i + 1 : n_streams * length + 1 : n_streams] for i in range(n_streams)])
cut = lambda rows: rows.reshape(n_streams, -1, window).transpose(1, 0, 2).reshape(-1, window)
return cut(rows_in), cut(rows_out)""",
        "calls the library's char_streams": "return char_streams(np.asarray(ids), n_streams, window)",
    },
}
