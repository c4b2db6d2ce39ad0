"""Wrong answers to the exercises of 05_gru; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
