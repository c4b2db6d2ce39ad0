"""Sequence to sequence: an encoder reads the source, a decoder writes the target, with or
without attention (Cho et al. 2014; Sutskever, Vinyals & Le 2014; Bahdanau, Cho & Bengio 2015;
Luong, Pham & Manning 2015).

The decoder is one layer, :class:`AttentionDecoder`, that steps through the target and, at
every step, feeds either the true previous token (teacher forcing) or its own previous guess
(what it must do at inference). The share of true tokens is an argument, so the same layer
trains with teacher forcing, trains with scheduled sampling (Bengio et al. 2015) and decodes
greedily. Its attention uses Keras' own layers: ``keras.layers.AdditiveAttention`` for
Bahdanau's score :math:`v^\\top \\tanh(W s + U h)` and ``keras.layers.Attention`` for Luong's
"general" score :math:`s^\\top W h`, both with the source's padding masked.

Token ids: 0 is padding in every vocabulary; a target vocabulary has ``START`` = 1 and
``END`` = 2 (see :class:`rnnbook.data.numbers.Vocabulary`).
"""

import math

import keras
import numpy as np
from keras import ops

from rnnbook import checks, decoding

__all__ = [
    "ATTENTION_KINDS",
    "AttentionDecoder",
    "Seq2Seq",
    "character_error_rate",
    "exact_match",
    "teacher_probability",
]

ATTENTION_KINDS = (None, "additive", "multiplicative")
PAD, START, END = 0, 1, 2


def teacher_probability(step, decay):
    """Bengio et al.'s (2015) inverse sigmoid decay: the probability of feeding the true previous
    token at training step ``step``, ``decay / (decay + exp(step / decay))``; ``decay=None`` is
    teacher forcing (always 1). Works on numbers and on Keras tensors."""
    if decay is None:
        return 1.0
    decay = checks.real("decay", decay, positive=True)
    if isinstance(step, (int, float, np.integer, np.floating)):
        return decay / (decay + math.exp(min(step / decay, 700.0)))
    return decay / (decay + ops.exp(ops.minimum(ops.cast(step, "float32") / decay, 80.0)))


@keras.saving.register_keras_serializable(package="rnnbook")
class AttentionDecoder(keras.layers.Layer):
    """An LSTM decoder that writes one token per step, with attention over the encoder's outputs.

    At step :math:`i`, with :math:`s_{i-1}` the decoder's state and :math:`h_1 \\dots h_S` the
    encoder's outputs: the context :math:`c_i = \\sum_j \\alpha_{ij} h_j`, where
    :math:`\\alpha_{i\\cdot} = \\mathrm{softmax}_j(e_{ij})` over the source's real positions and
    :math:`e_{ij} = v^\\top \\tanh(W s_{i-1} + U h_j)` (``"additive"``) or
    :math:`e_{ij} = s_{i-1}^\\top W h_j` (``"multiplicative"``); the LSTM reads the previous token's
    embedding beside :math:`c_i`, and the next-token logits come from :math:`[s_i, c_i]`
    (Bahdanau et al.'s wiring). ``attention=None`` drops the context: the plain encoder-decoder,
    whose only view of the source is the initial state.
    """

    def __init__(
        self,
        vocabulary_size,
        units,
        embedding_dim=16,
        attention="additive",
        attention_units=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocabulary_size = checks.integer("vocabulary_size", vocabulary_size, minimum=3)
        self.units = checks.integer("units", units, minimum=1)
        self.embedding_dim = checks.integer("embedding_dim", embedding_dim, minimum=1)
        self.attention = checks.one_of("attention", attention, ATTENTION_KINDS)
        if attention_units is not None:
            attention_units = checks.integer("attention_units", attention_units, minimum=1)
            if attention != "additive":
                raise ValueError(
                    f"attention_units sizes the additive score's hidden layer: give it only with "
                    f"attention='additive', got attention={attention!r}"
                )
        self.attention_units = attention_units
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim, name="embedding")
        self.cell = keras.layers.LSTMCell(units, name="lstm_cell")
        self.logits = keras.layers.Dense(vocabulary_size, name="logits")
        if attention == "additive":
            self.query = keras.layers.Dense(attention_units or units, use_bias=False, name="query")
            self.key = keras.layers.Dense(attention_units or units, use_bias=False, name="key")
            self.score = keras.layers.AdditiveAttention(use_scale=True, name="score")
        elif attention == "multiplicative":
            # Luong's "general" score s^T W h: W applied to the source side, the query is s itself
            self.key = keras.layers.Dense(units, use_bias=False, name="key")
            self.score = keras.layers.Attention(use_scale=False, name="score")
        self.seed_generator = keras.random.SeedGenerator(0)
        self.supports_masking = True  # the source's mask is taken as an argument, not passed on

    def compute_mask(self, *args, **kwargs):
        return None

    def build(self, encoder_outputs_shape, *args, **kwargs):
        width = encoder_outputs_shape[-1]
        self.embedding.build((None,))
        context = width if self.attention else 0
        self.cell.build((None, self.embedding_dim + context))
        self.logits.build((None, self.units + context))
        if self.attention:
            query_width = (
                (self.attention_units or self.units) if self.attention == "additive" else self.units
            )
            if self.attention == "additive":
                self.query.build((None, self.units))
            self.key.build((None, None, width))
            self.score.build(
                [(None, 1, query_width), (None, None, width), (None, None, query_width)]
            )
        self.built = True

    def keys(self, encoder_outputs):
        """What the scores compare the query with: :math:`U h_j` (additive) or :math:`W h_j`."""
        return self.key(encoder_outputs)

    def attend(self, state, encoder_outputs, keys, source_mask):
        """The context and the attention weights of one step: ``(batch, width)``, ``(batch, S)``."""
        query = self.query(state) if self.attention == "additive" else state
        query = ops.expand_dims(query, 1)
        mask = None if source_mask is None else [None, ops.cast(source_mask, "bool")]
        context, weights = self.score(
            [query, encoder_outputs, keys], mask=mask, return_attention_scores=True
        )
        return context[:, 0], weights[:, 0]

    def step(self, tokens, states, encoder_outputs, keys, source_mask):
        """One step: previous tokens ``(batch,)`` and ``[h, c]`` -> logits, ``[h, c]``, weights."""
        embedded = self.embedding(tokens)
        weights = None
        if self.attention:
            context, weights = self.attend(states[0], encoder_outputs, keys, source_mask)
            embedded = ops.concatenate([embedded, context], axis=-1)
        output, states = self.cell(embedded, states)
        if self.attention:
            output = ops.concatenate([output, context], axis=-1)
        return self.logits(output), states, weights

    def call(
        self,
        encoder_outputs,
        initial_state,
        targets,
        source_mask=None,
        teacher_probability=1.0,
        training=None,
    ):
        """Logits ``(batch, T, vocabulary)`` and attention weights ``(batch, T, S)`` (zeros without
        attention) for ``targets`` ``(batch, T)``, whose first column is ``START``. Each later step
        reads the true previous token with probability ``teacher_probability`` (1: teacher
        forcing; 0: its own argmax, i.e. greedy decoding), drawn per sequence and step."""
        states = list(initial_state)
        keys = self.keys(encoder_outputs) if self.attention else None
        length = targets.shape[1]
        tokens = targets[:, 0]
        every_logits, every_weights = [], []
        for i in range(length):
            logits, states, weights = self.step(tokens, states, encoder_outputs, keys, source_mask)
            every_logits.append(logits)
            if weights is None:
                weights = ops.zeros((ops.shape(encoder_outputs)[0], ops.shape(encoder_outputs)[1]))
            every_weights.append(weights)
            if i + 1 < length:
                guess = ops.cast(ops.argmax(logits, axis=-1), targets.dtype)
                truth = targets[:, i + 1]
                if np.isscalar(teacher_probability) and teacher_probability >= 1:
                    tokens = truth
                elif np.isscalar(teacher_probability) and teacher_probability <= 0:
                    tokens = guess
                else:
                    coin = keras.random.uniform(ops.shape(truth), seed=self.seed_generator)
                    tokens = ops.where(coin < teacher_probability, truth, guess)
        return ops.stack(every_logits, axis=1), ops.stack(every_weights, axis=1)

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "units": self.units,
            "embedding_dim": self.embedding_dim,
            "attention": self.attention,
            "attention_units": self.attention_units,
        }


@keras.saving.register_keras_serializable(package="rnnbook")
class Seq2Seq(keras.Model):
    """Encoder-decoder: an LSTM encoder reads the source (padding masked), its final state starts
    an :class:`AttentionDecoder`. ``model((source, targets))`` gives the next-token logits of
    every target position (``targets`` begin with ``START``); ``model(source)`` decodes greedily
    (token ids and attention weights, as :meth:`greedy`). ``sampling_decay`` switches on
    scheduled sampling: in training, the true previous token is fed with probability
    :func:`teacher_probability` of the number of training steps so far.

    ``source_layer`` replaces the source's embedding by any layer that maps the source to
    ``(batch, steps, features)`` (e.g. a ``TimeDistributed`` CNN over the frames of a clip); the
    source is then not masked (``mask_source`` is ignored): every step is real."""

    def __init__(
        self,
        source_vocabulary_size,
        target_vocabulary_size,
        units=64,
        embedding_dim=16,
        attention="additive",
        attention_units=None,
        sampling_decay=None,
        mask_source=True,
        source_layer=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if source_layer is None:
            source_vocabulary_size = checks.integer(
                "source_vocabulary_size", source_vocabulary_size, minimum=2
            )
        elif isinstance(source_layer, dict):
            source_layer = keras.saving.deserialize_keras_object(source_layer)
        if source_layer is not None and not isinstance(source_layer, keras.layers.Layer):
            raise TypeError(
                f"source_layer must be a Keras layer that maps the source to (batch, steps, "
                f"features), or None for token ids, got {type(source_layer).__name__}"
            )
        self.source_vocabulary_size = source_vocabulary_size
        self.source_layer = source_layer
        self.target_vocabulary_size = checks.integer(
            "target_vocabulary_size", target_vocabulary_size, minimum=3
        )
        self.units = checks.integer("units", units, minimum=1)
        self.embedding_dim = checks.integer("embedding_dim", embedding_dim, minimum=1)
        if sampling_decay is not None:
            sampling_decay = checks.real("sampling_decay", sampling_decay, positive=True)
        self.sampling_decay = sampling_decay
        self.mask_source = checks.boolean("mask_source", mask_source) and source_layer is None
        if source_layer is None:
            self.source_embedding = keras.layers.Embedding(
                source_vocabulary_size,
                embedding_dim,
                mask_zero=mask_source,
                name="source_embedding",
            )
        else:
            self.source_embedding = source_layer
        self.encoder = keras.layers.LSTM(
            units, return_sequences=True, return_state=True, name="encoder"
        )
        self.decoder = AttentionDecoder(
            target_vocabulary_size,
            units,
            embedding_dim,
            attention=attention,
            attention_units=attention_units,
            name="decoder",
        )
        self.training_steps = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="training_steps"
        )

    def build(self, input_shape=None):
        if self.source_layer is None:
            self.source_embedding.build((None, None))
            width = self.embedding_dim
        else:
            if input_shape is None:
                raise ValueError(
                    "input_shape must be given to build a model with a source_layer: "
                    "((batch, steps, ...) of the source, (batch, target length)); or call the model on data"
                )
            shape = tuple(input_shape[0])
            if not self.source_layer.built:
                self.source_layer.build(shape)
            width = self.source_layer.compute_output_shape(shape)[-1]
        self.encoder.build((None, None, width))
        self.decoder.build((None, None, self.units))
        self.built = True

    def encode(self, source):
        """The encoder's outputs ``(batch, S, units)``, final state ``[h, c]`` and source mask."""
        embedded = self.source_embedding(source)
        if self.source_layer is not None:
            outputs, h, c = self.encoder(embedded)
            return outputs, [h, c], None
        mask = ops.not_equal(source, PAD) if self.mask_source else None
        outputs, h, c = self.encoder(embedded, mask=mask)
        return outputs, [h, c], mask

    def decode(self, source, targets, teacher_probability=1.0, training=None):
        """Logits and attention weights, as :meth:`AttentionDecoder.call`."""
        outputs, state, mask = self.encode(source)
        return self.decoder(
            outputs,
            state,
            targets,
            source_mask=mask,
            teacher_probability=teacher_probability,
            training=training,
        )

    def call(self, inputs, training=None):
        if not isinstance(inputs, (tuple, list)):  # a source alone: decode it greedily
            starts = ops.full(
                (ops.shape(inputs)[0], getattr(self, "_greedy_length", None) or 1), START, "int32"
            )
            logits, weights = self.decode(inputs, starts, teacher_probability=0.0)
            return ops.cast(ops.argmax(logits, axis=-1), "int32"), weights
        source, targets = inputs
        probability = 1.0
        if training and self.sampling_decay is not None:
            probability = teacher_probability(self.training_steps, self.sampling_decay)
            self.training_steps.assign_add(1.0)
        return self.decode(source, targets, probability, training=training)[0]

    def _source(self, source):
        dtype = "int32" if self.source_layer is None else "float32"
        array = np.asarray(source)
        if array.ndim < 2 or not len(array):
            raise ValueError(
                f"source must hold at least one sequence, one per row, got shape {array.shape}"
            )
        return ops.convert_to_tensor(array, dtype=dtype)

    def greedy(self, source, max_length, batch_size=256):
        """Greedy decoding: each step reads its own previous argmax. Returns token ids
        ``(batch, max_length)`` and attention weights ``(batch, max_length, S)``. Under JAX it
        runs through ``predict``, which compiles it (JAX's eager ops are slow one by one); under
        TensorFlow the loop runs eagerly, which is faster than tracing it for one call."""
        source = self._source(source)
        max_length = checks.integer("max_length", max_length, minimum=1)
        batch_size = checks.integer("batch_size", batch_size, minimum=1)
        if keras.backend.backend() != "jax":
            logits, weights = self.decode(
                source, ops.full((ops.shape(source)[0], max_length), START, dtype="int32"), 0.0
            )
            tokens = ops.argmax(logits, axis=-1)
            return ops.convert_to_numpy(tokens).astype("int32"), ops.convert_to_numpy(weights)
        if not self.built:
            self.build()
        if getattr(self, "_greedy_length", None) != max_length:
            self._greedy_length = max_length
            self.predict_function = None  # traced for another length
        tokens, weights = self.predict(source, batch_size=batch_size, verbose=0)
        return np.asarray(tokens), np.asarray(weights)

    def step_function(self, source):
        """``(step, states)`` for :mod:`rnnbook.decoding`: the encoder's outputs ride along as
        states, so that beam search copies them with each beam."""
        source = self._source(source)
        outputs, state, mask = self.encode(source)
        keys = self.decoder.keys(outputs) if self.decoder.attention else outputs
        if mask is None:
            mask = ops.ones(ops.shape(outputs)[:2], "bool")

        def step(tokens, states):
            h, c, outputs, keys, mask = states
            logits, (h, c), _ = self.decoder.step(
                ops.convert_to_tensor(tokens, "int32"),
                [h, c],
                outputs,
                keys,
                mask if self.mask_source else None,
            )
            probabilities = ops.convert_to_numpy(ops.softmax(logits))
            return probabilities, [
                ops.convert_to_numpy(h),
                ops.convert_to_numpy(c),
                outputs,
                keys,
                mask,
            ]

        states = [
            ops.convert_to_numpy(s) for s in (*state, outputs, keys, ops.cast(mask, "float32"))
        ]
        return step, states

    def beam_search(self, source, max_length, beam_width=3):
        """Beam search through :func:`rnnbook.decoding.beam_search` (``beam_width=1``: greedy)."""
        step, states = self.step_function(source)
        return decoding.beam_search(step, states, START, END, max_length, beam_width)[0]

    def get_config(self):
        return {
            **super().get_config(),
            "source_vocabulary_size": self.source_vocabulary_size,
            "target_vocabulary_size": self.target_vocabulary_size,
            "units": self.units,
            "embedding_dim": self.embedding_dim,
            "attention": self.decoder.attention,
            "attention_units": self.decoder.attention_units,
            "sampling_decay": self.sampling_decay,
            "mask_source": self.mask_source,
            "source_layer": None
            if self.source_layer is None
            else keras.saving.serialize_keras_object(self.source_layer),
        }


def _strip(ids):
    """The ids up to the first ``END``; with no ``END``, without the padding at the end. A pad
    before that stays (an untrained model may write one, and it is an error)."""
    ids = list(np.asarray(ids).tolist())
    if END in ids:
        return ids[: ids.index(END)]
    while ids and ids[-1] == PAD:
        ids.pop()
    return ids


def _pairs(predicted, expected):
    predicted = checks.identifiers("predicted", predicted, np.iinfo(np.int32).max, ndim=2)
    expected = checks.identifiers("expected", expected, np.iinfo(np.int32).max, ndim=2)
    if len(predicted) != len(expected):
        raise ValueError(
            f"predicted and expected must have one row per sequence each, got {len(predicted)} "
            f"and {len(expected)} rows"
        )
    return [(_strip(p), _strip(e)) for p, e in zip(predicted, expected)]


def exact_match(predicted, expected):
    """Per row: the predicted ids up to the first ``END`` equal the expected ones. Both are 2-D
    int arrays with one sequence per row, padded; returns a bool array."""
    return np.array([p == e for p, e in _pairs(predicted, expected)], dtype=bool)


def character_error_rate(predicted, expected):
    """Levenshtein distance over the expected length (NLTK's edit distance), summed over rows."""
    from nltk.metrics.distance import edit_distance

    pairs = _pairs(predicted, expected)
    errors = sum(edit_distance(p, e) for p, e in pairs)
    return errors / max(1, sum(len(e) for _, e in pairs))
