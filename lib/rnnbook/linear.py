"""Linear recurrences, computed in order or in parallel: ``h_t = a_t * h_{t-1} + b_t``.

When the coefficients ``a_t`` and ``b_t`` depend on the input only (not on ``h_{t-1}``), two steps
compose into one of the same form,

.. math:: (a_1, b_1) \\circ (a_2, b_2) = (a_1 a_2,\\; a_2 b_1 + b_2),

an associative operation, so all ``T`` states follow from a parallel scan in about ``log2 T``
rounds (``keras.ops.associative_scan``) instead of ``T`` steps (``keras.ops.scan``).

- :func:`combine`, :func:`linear_scan` (parallel or sequential), :func:`hillis_steele_scan`
  (the parallel scan written out in NumPy, counting its rounds and its work);
- layers: :class:`MinGRU` and :class:`MinLSTM` (Feng et al. 2024: the GRU and LSTM with
  ``h_{t-1}`` taken out of the gates) and :class:`LinearRecurrentUnit` (the LRU, Orvieto et al.
  2023: a diagonal complex recurrence, time-invariant). Each has a parallel form for training
  (``parallel=True``), the same recurrence stepped in order (``parallel=False``), and
  :meth:`step` for generation, one step at a time; all three agree to float32 round-off.
"""

import math

import keras
import numpy as np
from keras import ops

from rnnbook import checks

__all__ = [
    "LinearRecurrentUnit",
    "MinGRU",
    "MinLSTM",
    "combine",
    "hillis_steele_scan",
    "linear_scan",
]


def combine(earlier, later):
    """Two steps of ``h_t = a_t h_{t-1} + b_t`` as one: ``(a1, b1)`` then ``(a2, b2)`` is
    ``(a1 a2, a2 b1 + b2)``. Works on NumPy arrays and on tensors, elementwise."""
    a1, b1 = earlier
    a2, b2 = later
    return a1 * a2, a2 * b1 + b2


def _complex_combine(earlier, later):
    """:func:`combine` for complex ``a`` and ``b`` held as (real, imaginary) pairs."""
    (a1r, a1i), (b1r, b1i) = earlier
    (a2r, a2i), (b2r, b2i) = later
    return (
        (a1r * a2r - a1i * a2i, a1r * a2i + a1i * a2r),
        (a2r * b1r - a2i * b1i + b2r, a2r * b1i + a2i * b1r + b2i),
    )


def hillis_steele_scan(a, b):
    """All states of ``h_t = a_t h_{t-1} + b_t`` (``h_0 = 0``) by the scan of Hillis & Steele
    (1986), in NumPy: in round ``k`` every position ``t >= 2^k`` combines with position
    ``t - 2^k``, all at once. ``a`` and ``b`` have time on their first axis.

    Returns ``(h, rounds, combines)``: the states (shaped like ``b``), the number of rounds
    (``ceil(log2 T)``, the depth) and the number of combine operations (the work, about
    ``T log2 T``, more than the ``T - 1`` of a loop)."""
    a = checks.array("a", a, dtype=float)
    b = checks.array("b", b, dtype=float)
    if a.shape != b.shape:
        try:
            a = np.broadcast_to(a, b.shape).copy()
        except ValueError:
            raise ValueError(
                f"a and b must have the same shape (time first), got {a.shape} and {b.shape}"
            ) from None
    a, b = a.copy(), b.copy()
    steps = len(b)
    rounds = combines = 0
    shift = 1
    while shift < steps:
        earlier = (a[:-shift].copy(), b[:-shift].copy())
        a[shift:], b[shift:] = combine(earlier, (a[shift:], b[shift:]))
        rounds += 1
        combines += steps - shift
        shift *= 2
    return b, rounds, combines


def _static(x):
    """The shape of ``x`` with ``None`` where a size is not known when traced."""
    return tuple(d if isinstance(d, int) else None for d in ops.shape(x))


def _check_shapes(parts_a, parts_b, initial_state, complex_):
    """Refuse, naming the argument, shapes that do not fit, where they are known (inside a
    traced ``fit`` some are not, and those pass)."""

    def fits(got, wanted):
        return len(got) == len(wanted) and all(
            g is None or w is None or g == w for g, w in zip(got, wanted)
        )

    shape = _static(parts_b[0])
    if complex_ and not fits(_static(parts_b[1]), shape):
        raise ValueError(
            f"b's real and imaginary parts must have the same shape, got {shape} and "
            f"{_static(parts_b[1])}"
        )
    for part in parts_a:
        got = _static(part)
        broadcastable = len(got) <= 3 and all(
            g in (1, None) or w is None or g == w for g, w in zip(got[::-1], shape[::-1])
        )
        if not broadcastable:
            raise ValueError(
                f"a must have b's shape (batch, time, units) = {shape} or be broadcastable to it "
                f"(e.g. (units,)), got {got}"
            )
    if initial_state is not None:
        states = tuple(initial_state) if complex_ else (initial_state,)
        for state in states:
            if not fits(_static(state), (shape[0], shape[2])):
                raise ValueError(
                    f"initial_state must have shape (batch, units) = {(shape[0], shape[2])}, "
                    f"got {_static(state)}"
                )


def linear_scan(a, b, initial_state=None, parallel=True):
    """All states ``h_1 .. h_T`` of ``h_t = a_t h_{t-1} + b_t`` for ``(batch, T, units)``
    coefficients (``a`` may also be ``(units,)``, the same at every step), from
    ``initial_state`` ``(batch, units)`` (zeros if None).

    ``parallel=True`` uses ``keras.ops.associative_scan`` with :func:`combine` (about ``log2 T``
    rounds); ``parallel=False`` steps through time with ``keras.ops.scan``. Complex
    coefficients go in as (real, imaginary) pairs ``a = (ar, ai)``, ``b = (br, bi)`` and come out
    as a pair. Returns a tensor ``(batch, T, units)`` (or a pair of them).
    """
    complex_ = isinstance(b, (tuple, list))
    if isinstance(a, (tuple, list)) != complex_:
        raise ValueError(
            "a and b must both be (real part, imaginary part) pairs or both be tensors, got "
            f"{type(a).__name__} and {type(b).__name__}"
        )
    parts_b = tuple(b) if complex_ else (b,)
    parts_a = tuple(a) if complex_ else (a,)
    if complex_ and (len(parts_a) != 2 or len(parts_b) != 2):
        raise ValueError("complex a and b must each be a pair (real part, imaginary part)")
    shape = ops.shape(parts_b[0])
    if len(shape) != 3:
        raise ValueError(f"b must be (batch, time, units), got shape {tuple(shape)}")
    _check_shapes(parts_a, parts_b, initial_state, complex_)
    parts_a = tuple(
        ops.broadcast_to(ops.convert_to_tensor(p, dtype=parts_b[0].dtype), shape) for p in parts_a
    )
    parts_b = tuple(ops.convert_to_tensor(p) for p in parts_b)
    if initial_state is not None:
        # fold h_0 into the first step: b_1 <- a_1 h_0 + b_1
        h0 = tuple(initial_state) if complex_ else (initial_state,)
        if complex_:
            (ar, ai), (h0r, h0i) = (p[:, 0] for p in parts_a), h0
            first = (ar * h0r - ai * h0i + parts_b[0][:, 0], ar * h0i + ai * h0r + parts_b[1][:, 0])
        else:
            first = (parts_a[0][:, 0] * h0[0] + parts_b[0][:, 0],)
        parts_b = tuple(
            ops.concatenate([f[:, None], p[:, 1:]], axis=1) for f, p in zip(first, parts_b)
        )
    states = _scanner(bool(parallel), complex_)(parts_a, parts_b)
    return states if complex_ else states[0]


def _scan(parts_a, parts_b, parallel, complex_):
    """The states from coefficients already broadcast to ``(batch, time, units)``."""
    shape = ops.shape(parts_b[0])
    if parallel:
        function = _complex_combine if complex_ else combine
        elems = (parts_a, parts_b) if complex_ else (parts_a[0], parts_b[0])
        _, states = ops.associative_scan(function, elems, axis=1)
        states = tuple(states) if complex_ else (states,)
        # TensorFlow's associative scan loses the static rank inside fit: give it back
        states = tuple(ops.reshape(s, shape) for s in states)
    else:
        time_major_a = tuple(ops.transpose(p, (1, 0, 2)) for p in parts_a)
        time_major_b = tuple(ops.transpose(p, (1, 0, 2)) for p in parts_b)

        def one_step(h, ab):
            a_t, b_t = ab
            if complex_:
                (ar, ai), (br, bi), (hr, hi) = a_t, b_t, h
                h = (ar * hr - ai * hi + br, ar * hi + ai * hr + bi)
            else:
                h = (a_t[0] * h[0] + b_t[0],)
            return h, h

        zeros = tuple(ops.zeros_like(p[0]) for p in time_major_b)
        _, states = ops.scan(one_step, zeros, (time_major_a, time_major_b))
        states = tuple(ops.transpose(s, (1, 0, 2)) for s in states)
    return states


_compiled = {}


def _scanner(parallel, complex_):
    """:func:`_scan` for these settings. Under JAX it is compiled once per shape: run eagerly,
    ``lax.associative_scan`` dispatches hundreds of small operations, each compiled on its first
    use (seconds for one call); inside a traced ``fit`` the compiled function is inlined."""
    if keras.backend.backend() != "jax":
        return lambda parts_a, parts_b: _scan(parts_a, parts_b, parallel, complex_)
    if (parallel, complex_) not in _compiled:
        import jax

        _compiled[parallel, complex_] = jax.jit(
            lambda parts_a, parts_b: _scan(parts_a, parts_b, parallel, complex_)
        )
    return _compiled[parallel, complex_]


class _LinearRecurrence(keras.layers.Layer):
    """What the three layers share: arguments, masking, the parallel and sequential forms."""

    def __init__(self, units, return_sequences=True, parallel=True, **kwargs):
        super().__init__(**kwargs)
        self.units = checks.integer("units", units, minimum=1)
        self.return_sequences = checks.boolean("return_sequences", return_sequences)
        self.parallel = checks.boolean("parallel", parallel)
        self.supports_masking = True

    def _features(self, input_shape):
        if len(input_shape) != 3 or input_shape[-1] is None:
            raise ValueError(
                f"inputs of {type(self).__name__} must be sequences of shape (batch, time, "
                f"features) with features known, got {tuple(input_shape)}"
            )
        return int(input_shape[-1])

    def compute_mask(self, inputs, mask=None):
        return mask if self.return_sequences else None

    def _output_size(self, input_shape):
        return self.units

    def compute_output_shape(self, input_shape):
        size = self._output_size(input_shape)
        if self.return_sequences:
            return (input_shape[0], input_shape[1], size)
        return (input_shape[0], size)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "return_sequences": self.return_sequences,
            "parallel": self.parallel,
        }


class _GatedLinear(_LinearRecurrence):
    """minGRU and minLSTM: ``a_t`` and ``b_t`` from ``x_t`` only, one kernel for every block."""

    blocks = 2

    def __init__(
        self,
        units,
        return_sequences=True,
        parallel=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(units, return_sequences, parallel, **kwargs)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def build(self, input_shape):
        features = self._features(input_shape)
        self.kernel = self.add_weight(
            shape=(features, self.blocks * self.units),
            name="kernel",
            initializer=self.kernel_initializer,
        )
        self.bias = self.add_weight(
            shape=(self.blocks * self.units,), name="bias", initializer=self.bias_initializer
        )

    def coefficients(self, x):
        """``(a_t, b_t)`` of the recurrence for inputs ``x`` (any leading shape, features last)."""
        raise NotImplementedError

    def call(self, inputs, initial_state=None, mask=None):
        a, b = self.coefficients(inputs)
        if mask is not None:  # a masked step carries the state: a = 1, b = 0
            keep = ops.cast(mask, a.dtype)[..., None]
            a = keep * a + (1.0 - keep)
            b = keep * b
        states = linear_scan(a, b, initial_state, parallel=self.parallel)
        return states if self.return_sequences else states[:, -1]

    def step(self, x_t, h):
        """One step for generation: the new state from the input ``(batch, features)`` and the
        state ``(batch, units)``; it is also the output."""
        a, b = self.coefficients(x_t)
        return a * h + b

    def get_config(self):
        return {
            **super().get_config(),
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


@keras.saving.register_keras_serializable(package="rnnbook")
class MinGRU(_GatedLinear):
    """minGRU (Feng et al. 2024): the GRU of notebook 05 with ``h_{t-1}`` taken out of its gates.

    :math:`z_t = \\sigma(x_t U^z + b^z)`, :math:`\\tilde h_t = x_t U^h + b^h`,
    :math:`h_t = z_t \\odot h_{t-1} + (1 - z_t) \\odot \\tilde h_t` (the book's GRU convention,
    notebook 05: :math:`z_t` is the share of the old state kept): a linear recurrence with
    :math:`a_t = z_t` and :math:`b_t = (1 - z_t) \\odot \\tilde h_t`. No reset gate (there is
    no :math:`h_{t-1}` inside the candidate to reset) and no :math:`\\tanh` on the candidate.
    ``kernel`` holds ``[U^z, U^h]`` side by side, ``bias`` ``[b^z, b^h]``.
    """

    blocks = 2

    def coefficients(self, x):
        z_in, candidate = ops.split(ops.matmul(x, self.kernel) + self.bias, 2, axis=-1)
        z = ops.sigmoid(z_in)
        return z, (1.0 - z) * candidate


@keras.saving.register_keras_serializable(package="rnnbook")
class MinLSTM(_GatedLinear):
    """minLSTM (Feng et al. 2024): the LSTM of notebook 04 with ``h_{t-1}`` out of its gates, no
    output gate, and the forget and input gates normalised to sum to 1.

    :math:`f_t = \\sigma(x_t U^f + b^f)`, :math:`i_t = \\sigma(x_t U^i + b^i)`,
    :math:`\\tilde h_t = x_t U^h + b^h`, :math:`f'_t = f_t / (f_t + i_t)`,
    :math:`i'_t = i_t / (f_t + i_t)`, :math:`h_t = f'_t \\odot h_{t-1} + i'_t \\odot \\tilde h_t`.
    ``kernel`` holds ``[U^f, U^i, U^h]``, ``bias`` ``[b^f, b^i, b^h]``.
    """

    blocks = 3

    def coefficients(self, x):
        f_in, i_in, candidate = ops.split(ops.matmul(x, self.kernel) + self.bias, 3, axis=-1)
        f, i = ops.sigmoid(f_in), ops.sigmoid(i_in)
        total = f + i
        return f / total, (i / total) * candidate


@keras.saving.register_keras_serializable(package="rnnbook")
class LinearRecurrentUnit(_LinearRecurrence):
    """The Linear Recurrent Unit (Orvieto et al. 2023): a diagonal complex recurrence, the same
    at every step, read out linearly.

    :math:`h_t = \\lambda \\odot h_{t-1} + \\gamma \\odot (x_t B)`,
    :math:`y_t = \\mathrm{Re}(h_t C) + x_t D`, with :math:`\\lambda_j = \\exp(-e^{\\nu_j} + i
    e^{\\theta_j})` inside the unit disc, and :math:`\\gamma_j = \\sqrt{1 - |\\lambda_j|^2}`
    keeping the states' scale. Ring initialisation: :math:`|\\lambda|` uniform over the ring
    ``r_min <= |lambda| <= r_max`` (by area), phases uniform in ``[0, max_phase]``.

    Weights: ``nu_log`` and ``theta_log`` ``(units,)``; ``B_re``, ``B_im`` ``(features,
    units)``; ``C_re``, ``C_im`` ``(units, output_size)``; ``D`` ``(features, output_size)``.
    ``output_size`` defaults to the input's features.
    """

    def __init__(
        self,
        units,
        output_size=None,
        r_min=0.0,
        r_max=1.0,
        max_phase=2 * math.pi,
        return_sequences=True,
        parallel=True,
        seed=None,
        **kwargs,
    ):
        super().__init__(units, return_sequences, parallel, **kwargs)
        self.output_size = (
            None if output_size is None else checks.integer("output_size", output_size, minimum=1)
        )
        self.r_min = checks.real("r_min", r_min, minimum=0.0)
        self.r_max = checks.real("r_max", r_max, positive=True)
        if not self.r_min < self.r_max <= 1.0:
            raise ValueError(
                f"r_min and r_max must satisfy 0 <= r_min < r_max <= 1, got {r_min}, {r_max}"
            )
        self.max_phase = checks.real("max_phase", max_phase, positive=True)
        if seed is None:
            seed = int(np.random.randint(0, 2**31 - 1))
        self.seed = checks.integer("seed", seed, minimum=0)

    def build(self, input_shape):
        features = self._features(input_shape)
        outputs = self.output_size or features
        rng = np.random.default_rng(self.seed)
        u1, u2 = rng.random(self.units), rng.random(self.units)
        nu = -0.5 * np.log(u1 * (self.r_max**2 - self.r_min**2) + self.r_min**2)
        theta = self.max_phase * u2
        values = {
            "nu_log": np.log(nu),
            "theta_log": np.log(np.maximum(theta, 1e-12)),
            "B_re": rng.normal(size=(features, self.units)) / math.sqrt(2 * features),
            "B_im": rng.normal(size=(features, self.units)) / math.sqrt(2 * features),
            "C_re": rng.normal(size=(self.units, outputs)) / math.sqrt(self.units),
            "C_im": rng.normal(size=(self.units, outputs)) / math.sqrt(self.units),
            "D": rng.normal(size=(features, outputs)) / math.sqrt(features),
        }
        for name, value in values.items():
            setattr(
                self,
                name,
                self.add_weight(
                    shape=value.shape,
                    name=name,
                    initializer=keras.initializers.Constant(value.astype("float32")),
                ),
            )

    def _output_size(self, input_shape):
        return self.output_size or int(input_shape[-1])

    def eigenvalues(self):
        """``lambda`` as a complex NumPy array ``(units,)``: the recurrence's eigenvalues."""
        modulus = np.exp(-np.exp(ops.convert_to_numpy(self.nu_log).astype(float)))
        phase = np.exp(ops.convert_to_numpy(self.theta_log).astype(float))
        return modulus * np.exp(1j * phase)

    def impulse_response(self, steps):
        """The layer as a linear filter, in NumPy: ``K`` of shape ``(steps, features, outputs)``
        with ``y_t = sum_k x_(t-k) K[k]`` (from a zero state), ``K[k] = Re(B diag(gamma lambda^k)
        C)``, plus ``D`` at ``k = 0``. Call the layer once first (it builds its weights then)."""
        steps = checks.integer("steps", steps, minimum=1)
        if not self.built:
            raise ValueError("impulse_response needs the layer's weights: call the layer first")
        lam = self.eigenvalues()
        gamma = np.sqrt(1.0 - np.abs(lam) ** 2)
        weight = {
            name: ops.convert_to_numpy(getattr(self, name)).astype(float)
            for name in ("B_re", "B_im", "C_re", "C_im", "D")
        }
        b = weight["B_re"] + 1j * weight["B_im"]
        c = weight["C_re"] + 1j * weight["C_im"]
        powers = lam[None, :] ** np.arange(steps)[:, None]  # (steps, units)
        kernel = np.einsum("fu,ku,uo->kfo", b, gamma * powers, c).real
        kernel[0] += weight["D"]
        return kernel

    def _lambda(self):
        modulus = ops.exp(-ops.exp(self.nu_log))
        phase = ops.exp(self.theta_log)
        gamma = ops.sqrt(1.0 - modulus**2)
        return modulus * ops.cos(phase), modulus * ops.sin(phase), gamma

    def _drive(self, x, gamma):
        return gamma * ops.matmul(x, self.B_re), gamma * ops.matmul(x, self.B_im)

    def _read(self, x, hr, hi):
        return ops.matmul(hr, self.C_re) - ops.matmul(hi, self.C_im) + ops.matmul(x, self.D)

    def states(self, inputs, initial_state=None):
        """The complex states ``h_t`` for every step, as a pair ``(real, imaginary)`` of
        ``(batch, time, units)`` tensors: what the readout ``C`` and ``D`` read."""
        inputs = ops.convert_to_tensor(inputs, dtype=self.compute_dtype)
        if not self.built:
            self.build(tuple(inputs.shape))
        return self._states(inputs, initial_state, None)

    def _states(self, inputs, initial_state, mask):
        lr, li, gamma = self._lambda()
        br, bi = self._drive(inputs, gamma)
        ar = ops.broadcast_to(lr, ops.shape(br))
        ai = ops.broadcast_to(li, ops.shape(br))
        if mask is not None:
            keep = ops.cast(mask, br.dtype)[..., None]
            ar, ai = keep * ar + (1.0 - keep), keep * ai
            br, bi = keep * br, keep * bi
        return linear_scan((ar, ai), (br, bi), initial_state, parallel=self.parallel)

    def call(self, inputs, initial_state=None, mask=None):
        hr, hi = self._states(inputs, initial_state, mask)
        y = self._read(inputs, hr, hi)
        return y if self.return_sequences else y[:, -1]

    def step(self, x_t, state):
        """One step for generation: ``(y_t, (h_re, h_im))`` from the input ``(batch, features)``
        and the complex state as a pair of ``(batch, units)`` tensors."""
        lr, li, gamma = self._lambda()
        br, bi = self._drive(x_t, gamma)
        hr_prev, hi_prev = state
        hr = lr * hr_prev - li * hi_prev + br
        hi = lr * hi_prev + li * hr_prev + bi
        return self._read(x_t, hr, hi), (hr, hi)

    def get_config(self):
        return {
            **super().get_config(),
            "output_size": self.output_size,
            "r_min": self.r_min,
            "r_max": self.r_max,
            "max_phase": self.max_phase,
            "seed": self.seed,
        }
