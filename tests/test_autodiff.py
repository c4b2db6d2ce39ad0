"""rnnbook.autodiff on the backend Keras runs: each derivative against its closed form."""

import keras
import numpy as np
import pytest

from rnnbook import autodiff


def numpy(tensor):
    return keras.ops.convert_to_numpy(tensor)


def test_value_and_gradients_of_a_quadratic_in_keras_variables():
    a = keras.Variable(np.array([1.0, -2.0, 3.0], "float32"))
    b = keras.Variable(np.array([[0.5]], "float32"))
    value, aux, gradients = autodiff.value_and_gradients(
        lambda: (keras.ops.sum(a**2) + 3.0 * keras.ops.sum(b), "carried"), [a, b]
    )
    assert float(value) == pytest.approx(14 + 1.5) and aux == "carried"
    np.testing.assert_allclose(numpy(gradients[0]), [2.0, -4.0, 6.0], rtol=1e-6)
    np.testing.assert_allclose(numpy(gradients[1]), [[3.0]], rtol=1e-6)


def test_gradient_of_a_sum_with_respect_to_the_input():
    x = np.array([[1.0, 2.0], [3.0, -1.0]], "float32")
    np.testing.assert_allclose(numpy(autodiff.gradient(lambda t: t**3, x)), 3 * x**2, rtol=1e-6)


def test_jacobian_of_a_linear_map_is_its_matrix():
    matrix = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 4.0]], "float32")  # (n=2, m=3)
    x = keras.ops.convert_to_tensor(np.ones((1, 2), "float32"))
    y, jacobian = autodiff.jacobian(lambda row: keras.ops.matmul(row, matrix), x)
    np.testing.assert_allclose(numpy(y), [[1.0, 1.0, 4.0]])
    np.testing.assert_allclose(numpy(jacobian), matrix.T, rtol=1e-6)


@pytest.mark.parametrize("call", [autodiff.gradient, autodiff.jacobian])
def test_a_function_that_is_not_callable_is_refused(call):
    with pytest.raises(TypeError, match="function must be callable"):
        call(3, np.ones((1, 2), "float32"))
