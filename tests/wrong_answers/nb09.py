"""Wrong answers to the exercises of 09_beyond_recurrence; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
