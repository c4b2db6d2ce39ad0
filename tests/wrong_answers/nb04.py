"""Wrong answers to the exercises of 04_lstm; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
