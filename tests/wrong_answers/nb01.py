"""Wrong answers to the exercises of 01_time_delay_network; see __init__.py."""

_GUARD = """\
values = np.asarray(values, dtype=float)
lags = [int(lag) for lag in lags]
if len(values) - horizon < max(lags):
    raise ValueError("too few values")
"""

_FORECAST = """\
values = list(np.asarray(history, dtype=float))
forecast = []
for _ in range(horizon):
"""

WRONG = {
    1: {
        "first target at min(lags)": _GUARD
        + """\
t = np.arange(min(lags), len(values) - horizon + 1)
X = np.stack([values[t - lag] for lag in lags], axis=1)
Y = np.stack([values[t + step] for step in range(horizon)], axis=1)
return X, Y, t
""",
        "first target at max(lags) - 1 (off by one)": _GUARD
        + """\
t = np.arange(max(lags) - 1, len(values) - horizon + 1)
X = np.stack([values[t - lag] for lag in lags], axis=1)
Y = np.stack([values[t + step] for step in range(horizon)], axis=1)
return X, Y, t
""",
        "drops the last usable row": _GUARD
        + """\
t = np.arange(max(lags), len(values) - horizon)
X = np.stack([values[t - lag] for lag in lags], axis=1)
Y = np.stack([values[t + step] for step in range(horizon)], axis=1)
return X, Y, t
""",
        "targets start a year late (x(t+1), ..., x(t+horizon))": _GUARD
        + """\
t = np.arange(max(lags), len(values) - horizon)
X = np.stack([values[t - lag] for lag in lags], axis=1)
Y = np.stack([values[t + step] for step in range(1, horizon + 1)], axis=1)
return X, Y, t
""",
        "sorts the lags (columns out of the order of lags)": _GUARD
        + """\
t = np.arange(max(lags), len(values) - horizon + 1)
X = np.stack([values[t - lag] for lag in sorted(lags)], axis=1)
Y = np.stack([values[t + step] for step in range(horizon)], axis=1)
return X, Y, t
""",
        "indices t - lag instead of the values": _GUARD
        + """\
t = np.arange(max(lags), len(values) - horizon + 1)
X = np.stack([t - lag for lag in lags], axis=1).astype(float)
Y = np.stack([t + step for step in range(horizon)], axis=1).astype(float)
return X, Y, t
""",
        "returns no rows instead of raising": """\
values = np.asarray(values, dtype=float)
t = np.arange(max(lags), len(values) - horizon + 1)
X = np.stack([values[t - lag] for lag in lags], axis=1).reshape(len(t), len(lags))
Y = np.stack([values[t + step] for step in range(horizon)], axis=1).reshape(len(t), horizon)
return X, Y, t
""",
        "calls lagged_windows (forbidden)": """\
frame, target = lagged_windows(np.asarray(values, dtype=float), lags)
rows = len(target) - horizon + 1
if rows < 1:
    raise ValueError("too few values")
X = frame.to_numpy()[:rows]
Y = np.stack([target.to_numpy()[step : step + rows] for step in range(horizon)], axis=1)
t = np.arange(max(lags), max(lags) + rows)
return X, Y, t
""",
    },
    2: {
        "never feeds its predictions back": _FORECAST
        + """\
    inputs = np.array([[values[-lag] for lag in lags]], dtype="float32")
    forecast.append(float(np.ravel(predict(inputs))[0]))
return np.array(forecast)
""",
        "lag off by one (values[-lag - 1])": _FORECAST
        + """\
    inputs = np.array([[values[-lag - 1] for lag in lags]], dtype="float32")
    forecast.append(float(np.ravel(predict(inputs))[0]))
    values.append(forecast[-1])
return np.array(forecast)
""",
        "columns in reversed order of lags": _FORECAST
        + """\
    inputs = np.array([[values[-lag] for lag in reversed(lags)]], dtype="float32")
    forecast.append(float(np.ravel(predict(inputs))[0]))
    values.append(forecast[-1])
return np.array(forecast)
""",
        "rolling window shifted the wrong way": """\
window = np.asarray(history, dtype=float)[-max(lags):].copy()
forecast = []
for _ in range(horizon):
    inputs = np.array([[window[-lag] for lag in lags]], dtype="float32")
    forecast.append(float(np.ravel(predict(inputs))[0]))
    window = np.roll(window, 1)
    window[0] = forecast[-1]
return np.array(forecast)
""",
        "returns the history with the forecast": _FORECAST
        + """\
    inputs = np.array([[values[-lag] for lag in lags]], dtype="float32")
    forecast.append(float(np.ravel(predict(inputs))[0]))
    values.append(forecast[-1])
return np.array(values)
""",
        "calls iterated_forecast (forbidden)": """\
from rnnbook.models import iterated_forecast
return iterated_forecast(predict, history, lags, horizon)
""",
    },
}
