"""Wrong answers to the exercises of 11_reservoirs_and_associative_memories; see __init__.py."""

_LOAD = """states = np.asarray(states, "float64")
inputs = np.asarray(inputs, "float64")
targets = np.asarray(targets, "float64")
ones = np.ones(states.shape[:2] + (1,))
"""
_F = """F = np.concatenate([ones, inputs, states], axis=2)[:, washout:]
F = F.reshape(-1, F.shape[-1])
Y = targets[:, washout:].reshape(-1, targets.shape[-1])
"""
_PENALTY = "penalty = alpha * np.eye(F.shape[1])\npenalty[0, 0] = 0.0\n"
_SOLVE = "return np.linalg.solve(F.T @ F + penalty, F.T @ Y)"

_WRONG_1 = {
    "the bias penalised too": _LOAD
    + _F
    + "return np.linalg.solve(F.T @ F + alpha * np.eye(F.shape[1]), F.T @ Y)",
    "no washout": _LOAD
    + """F = np.concatenate([ones, inputs, states], axis=2).reshape(-1, 1 + inputs.shape[2] + states.shape[2])
Y = targets.reshape(-1, targets.shape[-1])
"""
    + _PENALTY
    + _SOLVE,
    "washout once, on the rows of all sequences joined (only the first sequence loses its start)": _LOAD
    + """F = np.concatenate([ones, inputs, states], axis=2)
F = F.reshape(-1, F.shape[-1])[washout:]
Y = targets.reshape(-1, targets.shape[-1])[washout:]
"""
    + _PENALTY
    + _SOLVE,
    "washout on the features only (targets misaligned)": _LOAD
    + """F = np.concatenate([ones, inputs, states], axis=2)[:, washout:]
F = F.reshape(-1, F.shape[-1])
Y = targets[:, : targets.shape[1] - washout].reshape(-1, targets.shape[-1])
"""
    + _PENALTY
    + _SOLVE,
    "alpha added to every entry of F^T F (a scalar, not alpha I)": _LOAD
    + _F
    + "return np.linalg.solve(F.T @ F + alpha, F.T @ Y)",
    "columns in the order [states, inputs, 1]": _LOAD
    + """F = np.concatenate([states, inputs, ones], axis=2)[:, washout:]
F = F.reshape(-1, F.shape[-1])
Y = targets[:, washout:].reshape(-1, targets.shape[-1])
penalty = alpha * np.eye(F.shape[1])
penalty[-1, -1] = 0.0
"""
    + _SOLVE,
    "no bias column (the intercept forgotten)": _LOAD
    + """F = np.concatenate([inputs, states], axis=2)[:, washout:]
F = F.reshape(-1, F.shape[-1])
Y = targets[:, washout:].reshape(-1, targets.shape[-1])
w = np.linalg.solve(F.T @ F + alpha * np.eye(F.shape[1]), F.T @ Y)
return np.vstack([np.zeros((1, w.shape[1])), w])""",
    "least squares without the penalty": _LOAD + _F + "return np.linalg.lstsq(F, Y, rcond=None)[0]",
    "alpha scaled by the number of rows (Keras' L2 convention taken for the closed form's)": _LOAD
    + _F
    + "penalty = alpha * len(F) * np.eye(F.shape[1])\npenalty[0, 0] = 0.0\n"
    + _SOLVE,
    "the library's ridge_readout (unavailable in the check)": """from rnnbook.reservoir import readout_features, ridge_readout
return ridge_readout(readout_features(states, inputs), targets, alpha=alpha, washout=washout)""",
}

_START = """weights = np.asarray(weights, "float64")
s = np.array(state, dtype="float64")
energies = [-0.5 * s @ weights @ s]
"""

_WRONG_2 = {
    "synchronous: every field from the state before the sweep": _START
    + """old = s.copy()
for i in order:
    field = weights[i] @ old
    if field > 0:
        s[i] = 1.0
    elif field < 0:
        s[i] = -1.0
    energies.append(-0.5 * s @ weights @ s)
return s, np.array(energies)""",
    "a zero field sets the unit to +1": _START
    + """for i in order:
    s[i] = 1.0 if weights[i] @ s >= 0 else -1.0
    energies.append(-0.5 * s @ weights @ s)
return s, np.array(energies)""",
    "the energy without the 1/2": """weights = np.asarray(weights, "float64")
s = np.array(state, dtype="float64")
energies = [-s @ weights @ s]
for i in order:
    field = weights[i] @ s
    if field != 0:
        s[i] = np.sign(field)
    energies.append(-s @ weights @ s)
return s, np.array(energies)""",
    "units visited 0, 1, 2, ... whatever the order": _START
    + """for i in range(len(s)):
    field = weights[i] @ s
    if field != 0:
        s[i] = np.sign(field)
    energies.append(-0.5 * s @ weights @ s)
return s, np.array(energies)""",
    "energies recorded only when a unit changes": _START
    + """for i in order:
    field = weights[i] @ s
    if field != 0 and np.sign(field) != s[i]:
        s[i] = np.sign(field)
        energies.append(-0.5 * s @ weights @ s)
return s, np.array(energies)""",
    "the field of column i read from a transposed update (s W[:, i] with the unit itself counted twice)": _START
    + """for i in order:
    field = weights[:, i] @ s + s[i]
    if field != 0:
        s[i] = np.sign(field)
    energies.append(-0.5 * s @ weights @ s)
return s, np.array(energies)""",
    "a zero field sets the unit to -1": _START
    + """for i in order:
    s[i] = 1.0 if weights[i] @ s > 0 else -1.0
    energies.append(-0.5 * s @ weights @ s)
return s, np.array(energies)""",
    "the energy by the library's hopfield.energy (unavailable in the check)": """from rnnbook import hopfield
s = np.array(state, dtype="float64")
energies = [hopfield.energy(weights, s)]
for i in order:
    field = np.asarray(weights)[i] @ s
    if field != 0:
        s[i] = np.sign(field)
    energies.append(hopfield.energy(weights, s))
return s, np.array(energies)""",
    "the library's recall (unavailable in the check)": """from rnnbook import hopfield
result = hopfield.recall(weights, state, max_sweeps=1, record=True)
return result["states"], result["energies"]""",
}

WRONG = {
    1: _WRONG_1,
    2: _WRONG_2,
}
