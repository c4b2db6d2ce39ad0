"""The argument checks every public function uses: each refuses the wrong kind of thing with
a TypeError and the wrong value with a ValueError, naming the argument and what came."""

import numpy as np
import pytest

from rnnbook import checks

REFUSED = [
    (lambda: checks.integer("n", 2.5), TypeError, "n must be an int, got 2.5"),
    (lambda: checks.integer("n", "4"), TypeError, "n must be an int, got '4'"),
    (lambda: checks.integer("n", True), TypeError, "n must be an int, got True"),
    (lambda: checks.integer("n", -1, minimum=0), ValueError, "n must be an int >= 0, got -1"),
    (lambda: checks.integer("n", 9, 0, 5), ValueError, r"n must be an int in \[0, 5\], got 9"),
    (lambda: checks.integer("n", 9, maximum=5), ValueError, "n must be an int <= 5"),
    (lambda: checks.boolean("flag", "no"), TypeError, "flag must be True or False, got 'no'"),
    (lambda: checks.boolean("flag", 1), TypeError, "flag must be True or False, got 1"),
    (lambda: checks.real("t", float("nan")), ValueError, "t must be a finite number"),
    (lambda: checks.real("t", 0.0, positive=True), ValueError, "t must be a finite number > 0"),
    (lambda: checks.real("t", "1"), TypeError, "t must be a finite number"),
    (lambda: checks.array("x", [[1, np.nan]]), ValueError, r"x must be finite.*\(0, 1\)"),
    (lambda: checks.array("x", [], ndim=1), ValueError, "x must not be empty"),
    (lambda: checks.array("x", [1.0], ndim=2), ValueError, "x must have 2 dimension"),
    (lambda: checks.array("x", ["a"]), TypeError, "x must be an array of numbers"),
    (lambda: checks.function("step", 3), TypeError, "step must be callable"),
    (lambda: checks.string("text", b"ab"), TypeError, "text must be a str, got b'ab'"),
    (lambda: checks.string("text", "", empty=False), ValueError, "text must be a non-empty"),
    (lambda: checks.strings("words", "a red circle"), TypeError, r"write \['a red circle'\]"),
    (lambda: checks.strings("words", ["a", 3]), TypeError, r"words\[1\] must be a str"),
    (lambda: checks.strings("words", []), ValueError, "words must not be empty"),
    (lambda: checks.strings("words", {"a"}), TypeError, "words must be a list of str"),
    (lambda: checks.one_of("mode", "fast", ("quick", "full")), ValueError, "'quick', 'full'"),
    (lambda: checks.one_of("mode", 1, (True, None)), ValueError, "mode must be one of"),
    (lambda: checks.identifiers("ids", [0.0, 1.0], 3), TypeError, "ids must be an array of int"),
    (lambda: checks.identifiers("ids", [0, 3], 3), ValueError, r"\[0, 3\).*got id 3"),
    (lambda: checks.identifiers("ids", [-1, 2], 3), ValueError, "got id -1"),
    (lambda: checks.identifiers("ids", [[0]], 3, ndim=1), ValueError, "ids must have 1 dim"),
    (lambda: checks.probabilities("p", [0.5, 0.6]), ValueError, "p must hold probabilities sum"),
    (lambda: checks.probabilities("p", [-1.0, 2.0]), ValueError, "not logits"),
    (lambda: checks.probabilities("p", [np.nan, 1.0]), ValueError, "p must be finite"),
    (lambda: checks.allocation("n", (10**12, 10**3)), ValueError, r"n asks for .* GiB\), more"),
]


@pytest.mark.parametrize(("call", "error", "message"), REFUSED)
def test_each_check_refuses_naming_the_argument_and_what_came(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_checks_return_the_value_converted():
    assert checks.integer("n", np.int64(3), 0, 5) == 3 and type(checks.integer("n", 3)) is int
    assert checks.strings("words", ("a", "b")) == ["a", "b"]
    assert checks.one_of("mode", None, (None, "full")) is None
    assert checks.identifiers("ids", np.array([0, 2], "uint8"), 3).tolist() == [0, 2]
    assert checks.probabilities("p", [[0.25, 0.75]]).dtype == np.float64
    assert checks.allocation("n", (1000, 1000)) == 4_000_000
