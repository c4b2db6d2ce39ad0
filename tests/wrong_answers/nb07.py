"""Wrong answers to the exercises of 07_cnn_lstm; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
