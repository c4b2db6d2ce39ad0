"""TimeBudget (notebook 12): fit stops once the budget of training seconds has passed,
counted from the end of the first batch (which traces and compiles the model); every batch
trained is counted; a budget fit never reaches leaves it alone; bad budgets are refused."""

import time

import keras
import numpy as np
import pytest
from helpers import check

from rnnbook.training import TimeBudget

SAMPLES, BATCH_SIZE = 40, 8  # 5 batches an epoch


class Batches(keras.callbacks.Callback):
    """Records when each training batch ended (put after TimeBudget: it reads its clock
    first) and, where asked, sleeps as a batch begins: a slow first batch (the compile) or
    slow steps, of lengths the test knows."""

    def __init__(self, sleep_first=0.0, sleep_each=0.0):
        super().__init__()
        self.sleep_first, self.sleep_each = sleep_first, sleep_each
        self.ended, self.epochs = [], 0

    def on_epoch_end(self, epoch, logs=None):
        self.epochs += 1

    def on_train_batch_begin(self, batch, logs=None):
        time.sleep(self.sleep_each if self.ended else self.sleep_first)

    def on_train_batch_end(self, batch, logs=None):
        self.ended.append(time.perf_counter())


def fit(budget, epochs, **sleeps):
    """A tiny model fitted with ``budget`` (and then the recorder); returns the recorder and
    the history."""
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(SAMPLES, 3)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5]], dtype="float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.01), "mse")
    batches = Batches(**sleeps)
    history = model.fit(
        x, y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=[budget, batches]
    )
    return batches, history


def test_a_tiny_budget_stops_fit_at_the_first_batch_past_it():
    budget = TimeBudget(0.05)
    batches, history = fit(budget, epochs=100, sleep_each=0.01)  # 100 epochs: >= 5 s
    assert batches.epochs < 100 and len(history.epoch) < 100
    assert budget.model.stop_training
    since_first = [t - batches.ended[0] for t in batches.ended]
    assert since_first[-1] > 0.05, "stopped before the budget was spent"
    assert since_first[-2] <= 0.05 + 1e-3, "trained on after the budget was spent"


@pytest.mark.parametrize("seconds, epochs", [(0.05, 100), (1e6, 3)], ids=["stopped", "all"])
def test_batches_counts_every_batch_trained_the_first_included(seconds, epochs):
    budget = TimeBudget(seconds)
    batches, _ = fit(budget, epochs=epochs, sleep_each=0.01)
    assert budget.batches == len(batches.ended) >= 2


def test_the_clock_starts_at_the_end_of_the_first_batch():
    budget = TimeBudget(0.2)
    batches, _ = fit(budget, epochs=100, sleep_first=0.3, sleep_each=0.01)
    # the first batch with its 0.3 s sleep is compile time, not training time
    assert budget.compile_seconds > 0.3
    assert abs(budget.elapsed - (batches.ended[-1] - batches.ended[0])) < 0.01
    assert 0.2 < budget.elapsed < 0.2 + 0.1  # stopped soon after the budget, not at 0.3 s less


def test_a_budget_fit_never_reaches_leaves_it_alone():
    budget = TimeBudget(1e6)
    batches, history = fit(budget, epochs=3)
    assert len(history.epoch) == batches.epochs == 3
    assert budget.batches == 3 * SAMPLES // BATCH_SIZE
    assert not budget.model.stop_training
    assert budget.compile_seconds > 0 and 0 < budget.elapsed < 1e6


def test_a_second_fit_starts_a_fresh_count_and_clock():
    budget = TimeBudget(1e6)
    fit(budget, epochs=1)
    batches, _ = fit(budget, epochs=2)
    assert budget.batches == 2 * SAMPLES // BATCH_SIZE
    assert abs(budget.elapsed - (batches.ended[-1] - batches.ended[0])) < 0.01


@pytest.mark.parametrize(
    "seconds, error",
    [(0, ValueError), (-1, ValueError), (float("nan"), ValueError), ("5", TypeError)],
    ids=["0", "-1", "nan", "'5'"],
)
def test_a_bad_budget_is_refused_by_name(seconds, error):
    check(lambda: TimeBudget(seconds), error, "^seconds must be")
