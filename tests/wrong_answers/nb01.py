"""Wrong answers to the exercises of 01_time_delay_network; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
