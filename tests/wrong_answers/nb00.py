"""Wrong answers to the exercises of 00_sequences_and_usage_patterns; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
