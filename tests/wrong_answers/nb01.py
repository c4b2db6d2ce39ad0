"""Wrong answers to the exercises of 01_time_delay_network; see __init__.py."""

_ENSEMBLE = """\
values = np.array(histories, dtype=float)
lags = [int(lag) for lag in lags]
forecast, spread = np.zeros((len(values), horizon)), np.zeros((len(values), horizon))
"""


def _ensemble(
    inputs="values[:, -lag] for lag in lags",
    fed="forecast[:, step]",
    std="members.std(axis=0)",
    mean="members.mean(axis=0)",
):
    """The ensemble forecast with one of its pieces changed."""
    return (
        _ENSEMBLE
        + f"""\
for step in range(horizon):
    inputs = np.column_stack([{inputs}])
    members = np.stack([np.ravel(np.asarray(predict(inputs), dtype=float)) for predict in predicts])
    forecast[:, step] = {mean}
    spread[:, step] = {std}
    values = np.column_stack([values, {fed}])
return forecast, spread
"""
    )


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
        "feeds back each member's own predictions (averages separate iterated forecasts)": _ENSEMBLE
        + """\
runs = []
for predict in predicts:
    own = values.copy()
    for step in range(horizon):
        inputs = np.column_stack([own[:, -lag] for lag in lags])
        own = np.column_stack([own, np.ravel(np.asarray(predict(inputs), dtype=float))])
    runs.append(own[:, -horizon:])
runs = np.stack(runs)
return runs.mean(axis=0), runs.std(axis=0)
""",
        "calls each member once per origin": _ENSEMBLE
        + """\
for step in range(horizon):
    for row in range(len(values)):
        inputs = np.array([[values[row, -lag] for lag in lags]])
        members = np.array([float(np.ravel(predict(inputs))[0]) for predict in predicts])
        forecast[row, step], spread[row, step] = members.mean(), members.std()
    values = np.column_stack([values, forecast[:, step]])
return forecast, spread
""",
        "feeds back the first member's prediction, not the mean": _ensemble(fed="members[0]"),
        "never feeds back (every step from the true history)": _ensemble(
            inputs="np.asarray(histories, dtype=float)[:, -lag] for lag in lags"
        ),
        "lag off by one (values[:, -lag - 1])": _ensemble(
            inputs="values[:, -lag - 1] for lag in lags"
        ),
        "columns in reversed order of lags": _ensemble(
            inputs="values[:, -lag] for lag in reversed(lags)"
        ),
        "sums the members instead of averaging them": _ensemble(mean="members.sum(axis=0)"),
        "spread as the sample standard deviation (ddof=1)": _ensemble(
            std="members.std(axis=0, ddof=1)"
        ),
        "spread as the variance (no square root)": _ensemble(std="members.var(axis=0)"),
        "calls iterated_forecast on the members' mean (forbidden)": """\
from rnnbook.models import iterated_forecast

spreads = []


def average(inputs):
    members = np.stack([np.ravel(np.asarray(predict(inputs), dtype=float)) for predict in predicts])
    spreads.append(members.std(axis=0))
    return members.mean(axis=0)


forecast = iterated_forecast(average, np.asarray(histories, dtype=float), lags, horizon)
return forecast, np.stack(spreads, axis=1)
""",
    },
}
