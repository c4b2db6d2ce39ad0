"""Wrong answers to the exercises of 08_character_model; see __init__.py."""

WRONG = {
    1: {},
    2: {},
}
