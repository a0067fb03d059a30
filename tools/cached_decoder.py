"""DECIMER 2.8's decoder rebuilt in plain TensorFlow ops, with key/value caches, for the JVM.

The published model re-runs its 6-layer decoder over the whole prefix at every greedy step and
recomputes every layer's cross-attention keys/values from the 256 encoder positions each time.
This module saves the same weights as a SavedModel with two signatures:

``encode``  images float32 [B,512,512,3] -> ``cross_kv`` float32 [12,B,8,256,64]: per layer
            (index 2*layer + 0 keys / 1 values) the cross-attention keys (2-D position encoding
            added) and values, computed once per image.
``step``    one greedy step for a batch of in-flight rows: ``token`` int32 [B], ``position``
            int32 [B], ``done`` bool [B], ``key_mask`` float32 [B,302] (1 where the token at
            that position was <pad>), ``self_kv`` float32 [12,B,8,302,64], ``cross_kv``
            -> ``probabilities`` [B,156], ``next_token`` int32 [B], ``confidence`` [B] and
            ``new_kv`` float32 [12,B,8,64], the rows the caller writes at ``position``.

Rows never mix: each row attends to its own caches over all 302 slots (slots at or after its
position masked), so a row's numbers do not depend on the other rows or on the batch's longest
prefix. Layer variables are taken from the checkpoint by index and every one is used.
"""
import re

import numpy as np

LAYERS, HEADS, DEPTH, D_MODEL, DFF = 6, 8, 64, 512, 2048
VOCAB, MAX_LENGTH, START, END = 156, 302, 13, 14
GRID = 16  # the encoder's 16 x 16 feature map
ENCODER_POSITIONS = GRID * GRID
LN_EPSILON = 1e-6
MASK_VALUE = -1e9
# Per layer: self-attention wq, wk, wv, dense; cross-attention the same (kernel and bias each);
# the feed-forward pair; three layer norms (gamma, beta).
PER_LAYER = 8 + 8 + 4 + 6
DECODER_VARIABLES = 1 + LAYERS * PER_LAYER + 2
CHECKPOINT_KEY = re.compile(r"(?:^|/)DECIMER/transformer/variables/(\d+)/\.ATTRIBUTES/VARIABLE_VALUE$")


def _angles(positions, dims, width):
    # DECIMER's rate: 1 / 10000^(2*(i//2)/width), in float64.
    return positions / np.power(10000.0, (2 * (dims // 2)) / np.float64(width))


def _sin_cos(angles):
    out = np.array(angles, dtype=np.float64)
    out[:, 0::2] = np.sin(out[:, 0::2])
    out[:, 1::2] = np.cos(out[:, 1::2])
    return out


def encoding_1d(positions=MAX_LENGTH, width=D_MODEL):
    """[positions, width] sinusoid, computed in float64 and cast like DECIMER's."""
    pos = np.arange(positions, dtype=np.float64)[:, None]
    return _sin_cos(_angles(pos, np.arange(width)[None, :], width)).astype(np.float32)


def encoding_2d(grid=GRID, width=D_MODEL):
    """[grid*grid, width]: row sinusoid (width/2) then column sinusoid (width/2)."""
    half = width // 2
    rows = np.repeat(np.arange(grid), grid)[:, None].astype(np.float64)
    cols = np.tile(np.arange(grid), grid)[:, None].astype(np.float64)
    dims = np.arange(half)[None, :]
    return np.concatenate([_sin_cos(_angles(rows, dims, half)),
                           _sin_cos(_angles(cols, dims, half))], axis=1).astype(np.float32)


def decoder_weights(checkpoint_prefix):
    """The decoder's 159 arrays in checkpoint order (by index, not by the index file's string
    order); fails unless exactly indices 0..158 are there with the expected shapes."""
    import tensorflow as tf

    reader = tf.train.load_checkpoint(checkpoint_prefix)
    by_index = {}
    for key in reader.get_variable_to_shape_map():
        m = CHECKPOINT_KEY.search(key)
        if m:
            by_index[int(m.group(1))] = key
    if sorted(by_index) != list(range(DECODER_VARIABLES)):
        raise ValueError(f"expected decoder variables 0..{DECODER_VARIABLES - 1} in "
                         f"{checkpoint_prefix}, found {len(by_index)}")
    weights = [reader.get_tensor(by_index[i]) for i in range(DECODER_VARIABLES)]
    expected = expected_shapes()
    for i, (w, want) in enumerate(zip(weights, expected)):
        if tuple(w.shape) != want:
            raise ValueError(f"decoder variable {i} ({by_index[i]}) has shape {w.shape}, "
                             f"expected {want}")
    return weights


def expected_shapes():
    dense = [(D_MODEL, D_MODEL), (D_MODEL,)]
    layer = dense * 8 + [(D_MODEL, DFF), (DFF,), (DFF, D_MODEL), (D_MODEL,)] + [(D_MODEL,)] * 6
    return [(VOCAB, D_MODEL)] + layer * LAYERS + [(D_MODEL, VOCAB), (VOCAB,)]


def build(encoder, weights):
    """A tf.Module with ``encode`` and ``step``; ``encoder(images, False)`` -> [B,256,512]."""
    import tensorflow as tf

    class CachedDecoder(tf.Module):

        def __init__(self):
            super().__init__(name="cached_decoder")
            self.encoder = encoder
            self.decoder_variables = [tf.Variable(w, trainable=False, name=f"decoder_{i}")
                                      for i, w in enumerate(weights)]
            self.used = set()

        def _var(self, i):
            self.used.add(i)
            return self.decoder_variables[i]

        def _layer(self, layer, k):
            return self._var(1 + layer * PER_LAYER + k)

        def _dense(self, x, layer, first):
            # x [N, in] (Keras' Dense on [.., in] is the same matmul on the flattened rows).
            return tf.matmul(x, self._layer(layer, first)) + self._layer(layer, first + 1)

        def _norm(self, x, layer, first):
            mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
            return tf.nn.batch_normalization(x, mean, variance, self._layer(layer, first + 1),
                                             self._layer(layer, first), LN_EPSILON)

        @staticmethod
        def _heads(x):
            # [B, S*512] rows -> [B, 8, S, 64] as DECIMER's split_heads.
            return tf.transpose(tf.reshape(x, [tf.shape(x)[0], -1, HEADS, DEPTH]), [0, 2, 1, 3])

        @tf.function(input_signature=[
            tf.TensorSpec([None, 512, 512, 3], tf.float32, name="images")])
        def encode(self, images):
            features = self.encoder(images, False)  # [B, 256, 512]
            b = tf.shape(features)[0]
            flat = tf.reshape(features, [-1, D_MODEL])
            pos2d = tf.constant(encoding_2d())
            out = []
            for layer in range(LAYERS):
                k = tf.reshape(self._dense(flat, layer, 10), [b, ENCODER_POSITIONS, D_MODEL])
                v = tf.reshape(self._dense(flat, layer, 12), [b, ENCODER_POSITIONS, D_MODEL])
                out.append(self._heads(k + pos2d))
                out.append(self._heads(v))
            return {"cross_kv": tf.stack(out)}

        @tf.function(input_signature=[
            tf.TensorSpec([None], tf.int32, name="token"),
            tf.TensorSpec([None], tf.int32, name="position"),
            tf.TensorSpec([None], tf.bool, name="done"),
            tf.TensorSpec([None, MAX_LENGTH], tf.float32, name="key_mask"),
            tf.TensorSpec([2 * LAYERS, None, HEADS, MAX_LENGTH, DEPTH], tf.float32,
                          name="self_kv"),
            tf.TensorSpec([2 * LAYERS, None, HEADS, ENCODER_POSITIONS, DEPTH], tf.float32,
                          name="cross_kv")])
        def step(self, token, position, done, key_mask, self_kv, cross_kv):
            b = tf.shape(token)[0]
            scale = tf.math.sqrt(tf.cast(DEPTH, tf.float32))
            x = tf.gather(self._var(0), token) * tf.math.sqrt(tf.cast(D_MODEL, tf.float32))
            pos1d = tf.gather(tf.constant(encoding_1d()), position)  # [B, 512]
            # Cached slots at or after the row's position, and <pad> tokens, are masked; the
            # current token's own key comes last.
            slots = tf.range(MAX_LENGTH)[None, :]
            cache_mask = tf.maximum(tf.cast(slots >= position[:, None], tf.float32), key_mask)
            own_mask = tf.cast(tf.equal(token, 0), tf.float32)[:, None]
            mask = tf.concat([cache_mask, own_mask], axis=1)[:, None, None, :]
            new_kv = []
            for layer in range(LAYERS):
                q = self._heads(self._dense(x, layer, 0) + pos1d)
                k = self._heads(self._dense(x, layer, 2) + pos1d)
                v = self._heads(self._dense(x, layer, 4))
                logits = tf.concat([tf.matmul(q, self_kv[2 * layer], transpose_b=True),
                                    tf.matmul(q, k, transpose_b=True)], axis=-1) / scale
                w = tf.nn.softmax(logits + mask * MASK_VALUE, axis=-1)
                attn = tf.matmul(w[..., :MAX_LENGTH], self_kv[2 * layer + 1]) \
                    + w[..., MAX_LENGTH:] * v
                attn = tf.reshape(tf.transpose(attn, [0, 2, 1, 3]), [b, D_MODEL])
                out1 = self._norm(self._dense(attn, layer, 6) + x, layer, 20)
                q2 = self._heads(self._dense(out1, layer, 8) + pos1d)
                logits2 = tf.matmul(q2, cross_kv[2 * layer], transpose_b=True) / scale
                attn2 = tf.matmul(tf.nn.softmax(logits2, axis=-1), cross_kv[2 * layer + 1])
                attn2 = tf.reshape(tf.transpose(attn2, [0, 2, 1, 3]), [b, D_MODEL])
                out2 = self._norm(self._dense(attn2, layer, 14) + out1, layer, 22)
                ffn = self._dense(tf.nn.relu(self._dense(out2, layer, 16)), layer, 18)
                x = self._norm(ffn + out2, layer, 24)
                new_kv.append(k[:, :, 0, :])
                new_kv.append(v[:, :, 0, :])
            last = 1 + LAYERS * PER_LAYER
            probabilities = tf.nn.softmax(
                tf.matmul(x, self._var(last)) + self._var(last + 1), axis=-1)
            chosen = tf.argmax(probabilities, axis=-1, output_type=tf.int32)
            confidence = tf.reduce_max(probabilities, axis=-1)
            return {"probabilities": probabilities,
                    "next_token": tf.where(done, tf.zeros_like(chosen), chosen),
                    "confidence": tf.where(done, tf.zeros_like(confidence), confidence),
                    "new_kv": tf.stack(new_kv)}

    module = CachedDecoder()
    # Trace both now, so the variables each one reads are known.
    module.encode.get_concrete_function()
    module.step.get_concrete_function()
    missing = sorted(set(range(DECODER_VARIABLES)) - module.used)
    if missing:
        raise ValueError(f"decoder variables never used by the rebuilt decoder: {missing}")
    return module


def greedy(module, image):
    """Decodes one normalised [512,512,3] image the way the JVM does: tokens (from <start>) and
    confidences (0 for <start>), plus the probability rows of every step."""
    import tensorflow as tf

    cross = module.encode(image[None])["cross_kv"]
    self_kv = np.zeros([2 * LAYERS, 1, HEADS, MAX_LENGTH, DEPTH], np.float32)
    key_mask = np.zeros([1, MAX_LENGTH], np.float32)
    tokens, confidences, rows = [START], [0.0], []
    for position in range(MAX_LENGTH):
        token = tokens[-1]
        key_mask[0, position] = 1.0 if token == 0 else 0.0
        out = module.step(tf.constant([token], tf.int32), tf.constant([position], tf.int32),
                          tf.constant([False]), tf.constant(key_mask), tf.constant(self_kv),
                          cross)
        self_kv[:, 0, :, position, :] = out["new_kv"].numpy()[:, 0]
        rows.append(out["probabilities"].numpy()[0])
        tokens.append(int(out["next_token"].numpy()[0]))
        confidences.append(float(out["confidence"].numpy()[0]))
        if tokens[-1] == END:
            break
    return tokens, confidences, rows


def drawn_structures():
    """A few line drawings (rings and chains, DECIMER-like input), normalised as DECIMER does
    after its image steps: gray replicated to 3 channels, (v/255 - mean)/std per channel."""
    images = []
    for spec in ((6, 0), (6, 1), (5, 2)):
        ring, tail = spec
        canvas = np.full((512, 512), 255, np.uint8)
        cx, cy, r = 256.0, 256.0, 90.0
        points = [(cx + r * np.cos(2 * np.pi * i / ring + np.pi / 2),
                   cy + r * np.sin(2 * np.pi * i / ring + np.pi / 2)) for i in range(ring)]
        segments = [(points[i], points[(i + 1) % ring]) for i in range(ring)]
        x0, y0 = points[0]
        for _ in range(tail):
            x1, y1 = x0, y0 + r
            segments.append(((x0, y0), (x1, y1)))
            x0, y0 = x1, y1
        for (xa, ya), (xb, yb) in segments:
            for t in np.linspace(0.0, 1.0, 400):
                x, y = xa + (xb - xa) * t, ya + (yb - ya) * t
                canvas[int(y) - 2:int(y) + 3, int(x) - 2:int(x) + 3] = 0
        gray = canvas.astype(np.float32) / np.float32(255.0)
        rgb = np.stack([gray] * 3, axis=-1)
        mean = np.array([0.485, 0.456, 0.406], np.float32)
        std = np.array([0.229, 0.224, 0.225], np.float32)
        images.append(((rgb + (-mean)) / std).astype(np.float32))
    return images


def verify(original_call, module, images, tolerance):
    """Runs the original graph and the rebuilt one on each image: identical tokens and every
    step's confidence (the chosen token's probability) within ``tolerance``. Returns a record
    of what was compared; raises when they differ."""
    import tensorflow as tf

    worst, compared = 0.0, []
    for n, image in enumerate(images):
        want_tokens, want_conf = original_call(tf.constant(image))
        want_tokens = [int(t) for t in np.asarray(want_tokens).reshape(-1)]
        want_conf = [float(c) for c in np.asarray(want_conf).reshape(-1)]
        got_tokens, got_conf, rows = greedy(module, image)
        if got_tokens != want_tokens:
            raise ValueError(f"image {n}: cached decoder tokens {got_tokens} differ from the "
                             f"original graph's {want_tokens}")
        diff = max(abs(a - b) for a, b in zip(got_conf, want_conf))
        if diff > tolerance:
            raise ValueError(f"image {n}: confidences differ by {diff} > {tolerance}")
        worst = max(worst, diff)
        compared.append({"tokens": len(got_tokens), "maxConfidenceDiff": diff})
    return {"images": compared, "maxConfidenceDiff": worst, "tolerance": tolerance,
            "rule": "identical greedy tokens and per-step confidences within tolerance of the"
                    " original graph"}
