"""Wrong answers to the exercises of 06_bidirectional; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
