"""Wrong answers to the exercises of 01_time_delay_network; see __init__.py."""

_FORECAST = """\
values = list(np.asarray(history, dtype=float))
forecast = []
for _ in range(horizon):
"""

_SETUP = """\
train, histories = np.asarray(train, dtype=float), np.asarray(histories, dtype=float)
lags = [int(lag) for lag in lags]
"""

_GUARD = """\
if len(train) - horizon - max(lags) + 1 < len(lags) + 1:
    raise ValueError("too few rows")
"""


def _direct(
    first="max(lags)", target="t + step", history="histories[:, -lag]", guard=_GUARD, ones=True
):
    """A direct forecaster with one of its pieces changed."""
    intercept = " + [np.ones(len(t))]" if ones else ""
    history_intercept = " + [np.ones(len(histories))]" if ones else ""
    return (
        _SETUP
        + guard
        + f"""\
t = np.arange({first}, len(train) - horizon + 1)
design = np.column_stack([train[t - lag] for lag in lags]{intercept})
inputs = np.column_stack([{history} for lag in lags]{history_intercept})
forecast = np.zeros((len(histories), horizon))
for step in range(horizon):
    coefficients, *_ = np.linalg.lstsq(design, train[{target}], rcond=None)
    forecast[:, step] = inputs @ coefficients
return forecast
"""
    )


WRONG = {
    1: {
        "first row at t = max(lags) - 1 (its oldest input wraps to the end)": _direct(
            first="max(lags) - 1"
        ),
        "targets one step late (x(t + 1), ..., x(t + horizon))": _direct(target="t + step + 1"),
        "reads the history from its start (histories[:, lag])": _direct(
            history="histories[:, lag]"
        ),
        "inputs one step too old (histories[:, -lag - 1])": _direct(
            history="histories[:, -lag - 1]"
        ),
        "no intercept": _direct(ones=False),
        "one model (horizon 1) for every horizon": _SETUP
        + _GUARD
        + """\
t = np.arange(max(lags), len(train) - horizon + 1)
design = np.column_stack([train[t - lag] for lag in lags] + [np.ones(len(t))])
coefficients, *_ = np.linalg.lstsq(design, train[t], rcond=None)
inputs = np.column_stack([histories[:, -lag] for lag in lags] + [np.ones(len(histories))])
return np.repeat((inputs @ coefficients)[:, None], horizon, axis=1)
""",
        "iterates the horizon-1 model (feeds its forecasts back)": _SETUP
        + _GUARD
        + """\
t = np.arange(max(lags), len(train) - horizon + 1)
design = np.column_stack([train[t - lag] for lag in lags] + [np.ones(len(t))])
coefficients, *_ = np.linalg.lstsq(design, train[t], rcond=None)
values = histories.copy()
for _ in range(horizon):
    inputs = np.column_stack([values[:, -lag] for lag in lags] + [np.ones(len(values))])
    values = np.column_stack([values, inputs @ coefficients])
return values[:, -horizon:]
""",
        "fits each horizon on its own rows (t up to N - h, not N - horizon)": _SETUP
        + _GUARD
        + """\
inputs = np.column_stack([histories[:, -lag] for lag in lags] + [np.ones(len(histories))])
forecast = np.zeros((len(histories), horizon))
for step in range(horizon):
    t = np.arange(max(lags), len(train) - step)
    design = np.column_stack([train[t - lag] for lag in lags] + [np.ones(len(t))])
    coefficients, *_ = np.linalg.lstsq(design, train[t + step], rcond=None)
    forecast[:, step] = inputs @ coefficients
return forecast
""",
        "refuses exactly len(lags) + 1 rows (guard off by one)": _direct(
            guard="""\
if len(train) - horizon - max(lags) + 1 <= len(lags) + 1:
    raise ValueError("too few rows")
"""
        ),
        "never refuses a series too short": _direct(guard=""),
        "calls lagged_windows (forbidden)": _SETUP
        + _GUARD
        + """\
frame, target = lagged_windows(train, lags)
rows = len(target) - horizon + 1
design = np.column_stack([frame.to_numpy()[:rows], np.ones(rows)])
inputs = np.column_stack([histories[:, -lag] for lag in lags] + [np.ones(len(histories))])
forecast = np.zeros((len(histories), horizon))
for step in range(horizon):
    coefficients, *_ = np.linalg.lstsq(design, target.to_numpy()[step : step + rows], rcond=None)
    forecast[:, step] = inputs @ coefficients
return forecast
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
