"""Wrong answers to the exercises of 02_elman_network; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
