"""Plausible wrong answers to every exercise of the book, which its checks must reject.

One module per notebook, ``nbNN.py``, holding ``WRONG = {exercise_number: {label: body}}``:
``body`` replaces the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of that
exercise's solution cell (written without the region's indentation; it is indented as the
region is). ``tests/test_assignments.py`` runs each one through the exercise's whole check,
visible and hidden parts, and fails if the check passes it.
"""

import importlib


def for_notebook(stem):
    """``{exercise_number: {label: body}}`` for the notebook ``stem`` (``03_general_...``)."""
    return importlib.import_module(f"wrong_answers.nb{stem[:2]}").WRONG
