"""The echo state network's reservoir (Jaeger 2001): a leaky tanh cell whose weights are drawn
once, at random, and never trained.

.. math::

    x_t = (1 - a)\\, x_{t-1} + a \\tanh(u_t W_{in} + x_{t-1} W + b)

``W`` is sparse and scaled so that its spectral radius (the largest modulus of its
eigenvalues) is the one asked for. Only a linear readout of the states is trained
(:func:`rnnbook.reservoir.ridge_readout`), in closed form, without backpropagation through time.
"""

import keras
import numpy as np
from keras import ops

from rnnbook import checks
from rnnbook.cells.base import _static_shape

__all__ = ["EchoStateCell", "reservoir_weights"]


def reservoir_weights(
    units, inputs, spectral_radius=0.9, density=0.1, input_scale=1.0, bias_scale=0.0, seed=0
):
    """The reservoir's fixed weights as float64 NumPy arrays ``(W_in, W, b)``, drawn from ``seed``.

    ``W_in`` (``inputs`` x ``units``) and ``b`` are uniform in ``[-input_scale, input_scale]`` and
    ``[-bias_scale, bias_scale]``. ``W`` (``units`` x ``units``) keeps each entry with probability
    ``density``, uniform in ``[-1, 1]``, and is then divided by its spectral radius and multiplied
    by ``spectral_radius``, so ``max |eig(W)| == spectral_radius`` (to round-off). A draw whose
    eigenvalues are all 0 (possible when ``W`` is small and sparse) is drawn again.
    """
    units = checks.integer("units", units, minimum=1)
    inputs = checks.integer("inputs", inputs, minimum=1)
    spectral_radius = checks.real("spectral_radius", spectral_radius, minimum=0.0)
    density = checks.real("density", density, positive=True)
    if density > 1:
        raise ValueError(f"density must be a fraction in (0, 1], got {density}")
    input_scale = checks.real("input_scale", input_scale, minimum=0.0)
    bias_scale = checks.real("bias_scale", bias_scale, minimum=0.0)
    seed = checks.integer("seed", seed, minimum=0)
    checks.allocation("units", (units, units), dtype="float64")
    rng = np.random.default_rng(seed)
    kernel = rng.uniform(-input_scale, input_scale, size=(inputs, units))
    # A small, sparse W can be nilpotent (every eigenvalue 0), which no scaling brings to a
    # spectral radius: draw again from the same generator (deterministic for a seed).
    for _ in range(100):
        recurrent = rng.uniform(-1.0, 1.0, size=(units, units)) * (
            rng.random((units, units)) < density
        )
        radius = float(np.max(np.abs(np.linalg.eigvals(recurrent))))
        if radius > 1e-8 * max(1.0, float(np.abs(recurrent).max())):
            break
    else:
        raise ValueError(
            f"density={density} gives a {units}x{units} W whose eigenvalues are all 0 (100 draws): "
            "raise density or units"
        )
    recurrent *= spectral_radius / radius
    bias = rng.uniform(-bias_scale, bias_scale, size=units)
    return kernel, recurrent, bias


@keras.saving.register_keras_serializable(package="rnnbook")
class EchoStateCell(keras.layers.Layer):
    """A reservoir of leaky tanh units with fixed random weights, for ``keras.layers.RNN``.

    :math:`x_t = (1 - a) x_{t-1} + a \\tanh(u_t W_{in} + x_{t-1} W + b)`, with ``a`` the
    ``leak`` rate. The weights are non-trainable: ``kernel`` (:math:`W_{in}`),
    ``recurrent_kernel`` (:math:`W`) and ``bias`` (:math:`b`), created in that order and with
    the shapes of ``keras.layers.SimpleRNN``'s, so with ``leak=1`` the cell computes what
    ``SimpleRNN`` computes with the same weights (``set_weights`` works both ways).

    Args:
        units: the reservoir's size.
        spectral_radius: the largest modulus of ``W``'s eigenvalues; below 1 the reservoir
            forgets its initial state (the echo state property), well above 1 it need not.
        leak: the leak rate ``a`` in (0, 1]; 1 gives the plain tanh reservoir.
        density: the fraction of nonzero entries of ``W``, in (0, 1].
        input_scale: ``W_in`` is uniform in ``[-input_scale, input_scale]``.
        bias_scale: ``b`` is uniform in ``[-bias_scale, bias_scale]``.
        seed: an int: the same seed gives the same reservoir on every backend (the weights
            are drawn by NumPy). ``None`` draws one from NumPy's global generator, which
            ``keras.utils.set_random_seed`` seeds.
    """

    def __init__(
        self,
        units,
        spectral_radius=0.9,
        leak=1.0,
        density=0.1,
        input_scale=1.0,
        bias_scale=0.0,
        seed=None,
        **kwargs,
    ):
        kwargs.setdefault("trainable", False)
        super().__init__(**kwargs)
        self.units = checks.integer("units", units, minimum=1)
        self.spectral_radius = checks.real("spectral_radius", spectral_radius, minimum=0.0)
        self.leak = checks.real("leak", leak, positive=True)
        if self.leak > 1:
            raise ValueError(f"leak must be a rate in (0, 1], got {leak!r}")
        self.density = checks.real("density", density, positive=True)
        if self.density > 1:
            raise ValueError(f"density must be a fraction in (0, 1], got {density!r}")
        self.input_scale = checks.real("input_scale", input_scale, minimum=0.0)
        self.bias_scale = checks.real("bias_scale", bias_scale, minimum=0.0)
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        self.seed = checks.integer("seed", seed, minimum=0)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                f"EchoStateCell reads one time step of shape (batch, features) with features "
                f"known, got {tuple(input_shape)}: to run it over sequences, wrap it in "
                "keras.layers.RNN"
            )
        kernel, recurrent, bias = reservoir_weights(
            self.units,
            int(input_shape[-1]),
            self.spectral_radius,
            self.density,
            self.input_scale,
            self.bias_scale,
            self.seed,
        )
        self.kernel = self.add_weight(
            shape=kernel.shape,
            name="kernel",
            trainable=False,
            initializer=keras.initializers.Constant(kernel.astype("float32")),
        )
        self.recurrent_kernel = self.add_weight(
            shape=recurrent.shape,
            name="recurrent_kernel",
            trainable=False,
            initializer=keras.initializers.Constant(recurrent.astype("float32")),
        )
        self.bias = self.add_weight(
            shape=bias.shape,
            name="bias",
            trainable=False,
            initializer=keras.initializers.Constant(bias.astype("float32")),
        )

    def call(self, inputs, states, training=False):
        x_prev = states[0] if isinstance(states, (list, tuple)) else states
        features = _static_shape(inputs)[-1]
        if features is not None and features != self.kernel.shape[0]:
            raise ValueError(
                f"inputs of EchoStateCell must have {self.kernel.shape[0]} feature(s), the "
                f"number it was built for, got shape {_static_shape(inputs)}"
            )
        drive = ops.matmul(inputs, self.kernel) + ops.matmul(x_prev, self.recurrent_kernel)
        x = ops.tanh(drive + self.bias)
        if self.leak != 1.0:
            x = (1.0 - self.leak) * x_prev + self.leak * x
        return x, [x]

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "spectral_radius": self.spectral_radius,
            "leak": self.leak,
            "density": self.density,
            "input_scale": self.input_scale,
            "bias_scale": self.bias_scale,
            "seed": self.seed,
        }
