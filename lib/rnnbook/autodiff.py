"""The automatic differentiation the book needs, on whichever backend Keras runs.

Two things: the gradient of a loss with respect to Keras variables (to train a cell by
hand: :func:`value_and_gradients`), and the Jacobian of a function of one tensor (how a
state depends on the state before: :func:`jacobian`). TensorFlow takes them with
``tf.GradientTape``, JAX with ``jax.value_and_grad`` and ``jax.jacrev`` (the variables'
values are passed in through ``keras.StatelessScope``, as JAX wants pure functions), PyTorch
with ``torch.autograd``. :func:`compiled` traces a training step where the backend can
(``tf.function``); under JAX and PyTorch it runs eagerly.
"""

import keras

from rnnbook import checks

__all__ = ["compiled", "gradient", "jacobian", "value_and_gradients"]


def _backend():
    name = keras.backend.backend()
    if name not in ("tensorflow", "jax", "torch"):
        raise NotImplementedError(
            f"rnnbook.autodiff supports TensorFlow, JAX and PyTorch, not {name}"
        )
    return name


def value_and_gradients(function, variables):
    """``(value, aux, gradients)``: ``function()`` returns ``(value, aux)``, a scalar computed
    from the Keras ``variables`` (and anything else), and something carried along (e.g. the
    states); ``gradients[i]`` is d value / d ``variables[i]`` (zeros where it does not depend
    on it)."""
    checks.function("function", function)
    variables = list(variables)
    backend = _backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            value, aux = function()
        gradients = tape.gradient(
            value, variables, unconnected_gradients=tf.UnconnectedGradients.ZERO
        )
        return value, aux, gradients
    if backend == "jax":
        import jax

        def pure(values):
            with keras.StatelessScope(state_mapping=list(zip(variables, values))):
                return function()

        (value, aux), gradients = jax.value_and_grad(pure, has_aux=True)(
            [variable.value for variable in variables]
        )
        return value, aux, gradients
    import torch

    value, aux = function()
    values = [variable.value for variable in variables]
    gradients = torch.autograd.grad(value, values, allow_unused=True)
    gradients = [torch.zeros_like(v) if g is None else g for g, v in zip(gradients, values)]
    return value, aux, gradients


def gradient(function, x):
    """d sum(function(x)) / d x, for a tensor (or array) ``x`` of any shape: how the output
    depends on each input (the sum, as ``tf.GradientTape`` takes it for a non-scalar)."""
    checks.function("function", function)
    backend = _backend()
    x = keras.ops.convert_to_tensor(x)
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            y = function(x)
        return tape.gradient(y, x)
    if backend == "jax":
        import jax

        return jax.grad(lambda t: keras.ops.sum(function(t)))(x)
    import torch

    x = x.detach().requires_grad_(True)
    (result,) = torch.autograd.grad(keras.ops.sum(function(x)), [x])
    return result


def jacobian(function, x):
    """``(function(x), J)`` with ``J[i, j] = d function(x)[0, i] / d x[0, j]`` for a function
    of a row ``x`` of shape ``(1, n)`` returning a row ``(1, m)``."""
    checks.function("function", function)
    backend = _backend()
    x = keras.ops.convert_to_tensor(x)
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            tape.watch(x)
            y = function(x)
        full = tape.jacobian(y, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return y, full[0, :, 0, :]
    if backend == "jax":
        import jax

        y = function(x)
        return y, jax.jacrev(lambda row: function(row[None])[0])(x[0])
    import torch

    y = function(x)
    full = torch.autograd.functional.jacobian(lambda row: function(row[None])[0], x[0])
    return y, full


def compiled(step):
    """``step`` traced into a graph where the backend has one for stateful code
    (``tf.function``); as it is elsewhere."""
    if _backend() == "tensorflow":
        import tensorflow as tf

        return tf.function(step)
    return step
