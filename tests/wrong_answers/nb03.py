"""Wrong answers to the exercises of 03_general_rnn_and_bptt; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
